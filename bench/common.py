"""Shared helpers: statistics, page list from app.py, server start/stop, process memory."""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from integrationsmonitor.config import REPO_ROOT

PY = sys.executable


def percentile(values: list[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100) of a non-empty list."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50": statistics.median(ms) if ms else float("nan"), "p95": percentile(ms, 95),
            "max": max(ms) if ms else float("nan")}


def pages_from_app(app: Path = REPO_ROOT / "app.py") -> list[dict]:
    """Every st.Page(...) in app.py in order: path, title, url_path (the benchmark follows the navigation)."""
    text = app.read_text(encoding="utf-8")
    pages = []
    for m in re.finditer(r"st\.Page\(\s*\"([^\"]+)\"([^)]*)\)", text):
        args = m.group(2)
        title = re.search(r"title=\"([^\"]+)\"", args)
        url = re.search(r"url_path=\"([^\"]+)\"", args)
        pages.append({"path": m.group(1), "title": title.group(1) if title else m.group(1),
                      "url_path": url.group(1) if url else Path(m.group(1)).stem})
    return pages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path | None, port: int, post_script_gc: bool = True, script: str = "app.py",
                 extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, **({"IMH_DB": str(db_path)} if db_path else {}), **(extra_env or {})}
    cmd = [PY, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--runner.postScriptGC", "true" if post_script_gc else "false", "--server.fileWatcherType", "none"]
    # The server's output goes to a file: an unread pipe fills up (64 KB) and then blocks the server on its next
    # log line — which once made every session of a load test time out.
    log = (REPO_ROOT / "bench" / "results").joinpath(f"server_{port}.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_health(port: int, timeout: float = 90) -> float:
    """Seconds until /_stcore/health answers 200 (raises TimeoutError)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"server on port {port} not healthy after {timeout} s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_bytes(pid: int) -> int:
    """Resident set size of one process (Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0
