"""Headless Chromium: time from navigation until the first chart / the map is drawn, and bytes per page.

``python -m bench.bench_browser --db … --json out.json``. A server is started and warmed up (one visit),
then every measured visit uses a fresh browser context (empty cache); the ``*_warm`` visits reuse one context
after a first visit (JavaScript from the browser cache, as for a returning visitor). Bytes: per HTTP response the encoded
body + headers as reported by Chromium (``request.sizes()``), plus the payload of every websocket frame
received — Streamlit sends the page content (incl. the Plotly figure JSON) over the websocket; ``ws_before_chart_kb``
counts only the frames that arrived before the first chart was drawn. "Drawn" = a Plotly element exists
(``.js-plotly-plot .main-svg``), for the map its MapLibre canvas.

Two clocks for the first chart: ``first_chart_s`` from just before navigation until the browser has run an
animation frame with the chart in the page (``polling="raf"``: the chart is on screen) — not Playwright's
``wait_for_selector``, which retries every 500 ms after its first 0,3 s (Playwright 1.5x) and so adds 0–0,5 s to every
visit; and ``chart_in_page_s``, the page's own clock (``performance.now()`` since navigation start, a
MutationObserver) when the chart's element appeared.

First chart against the floor (``bench/floor/app.py``): both servers run side by side and the visits alternate
(floor, Übersicht, floor, …) for ``--rounds`` rounds, cold and warm cache; medians are reported, so that a busy
machine slows both alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.common import free_port, start_server, stop_server, wait_health

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
CHART = ".js-plotly-plot .main-svg"
# the Übersicht is complete: its headline figures and the real navigation links are there (on a first view they
# come after the first chart, integrationsmonitor/serving/progressive.py)
COMPLETE = ("() => document.querySelectorAll('.st-key-hauptnavigation a').length >= 9 && "
            "document.querySelector('[data-testid=\"stMetric\"]') !== null")
# the page notes when the first chart's element appears (its own clock, from navigation start)
CHART_CLOCK = ("(() => { const sel = %r; const look = () => { if (!window.__imhChart && document.querySelector(sel)) "
               "window.__imhChart = performance.now(); }; new MutationObserver(look).observe(document, "
               "{subtree: true, childList: true}); })();")
MAP = ".js-plotly-plot canvas.maplibregl-canvas, .js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas"


def visit(browser, url: str, wait_map: bool, timeout_ms: int = 60000, ctx=None, complete: bool = False,
          count_bytes: bool = True) -> dict:
    """One visit. Without ``ctx`` in a fresh context (empty browser cache, closed afterwards); with ``ctx`` in
    that context, i.e. with whatever the browser has cached from earlier visits. ``complete``: also the time
    until the whole Übersicht is there (``complete_s``). ``count_bytes=False``: no listeners on requests and
    websocket frames — each frame is an event that Chromium, Playwright's driver and Python handle on the same two
    cores while the page loads, so timed visits do without (the page with 100 frames would pay more than the
    floor with 6)."""
    own = ctx is None
    ctx = ctx or browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    page.add_init_script(CHART_CLOCK % CHART)
    http_bytes = ws_bytes = 0
    responses = []
    frames: list[tuple[float, int]] = []

    def on_ws(ws):
        def frame(payload):
            nonlocal ws_bytes
            ws_bytes += len(payload)
            frames.append((time.perf_counter(), len(payload)))
        ws.on("framereceived", frame)

    if count_bytes:
        page.on("websocket", on_ws)
        page.on("requestfinished", lambda req: responses.append(req))
    out: dict = {"url": url}
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function(f"() => document.querySelector({CHART!r}) !== null", polling="raf", timeout=timeout_ms)
        t_chart = time.perf_counter()
        out["first_chart_s"] = t_chart - t0
        out["chart_in_page_s"] = page.evaluate("window.__imhChart") / 1000
        if count_bytes:
            out["ws_before_chart_kb"] = sum(n for t, n in frames if t <= t_chart) / 1000
    except Exception:  # noqa: BLE001 - the page may have no chart yet
        out["first_chart_s"] = None
    if complete:
        try:
            page.wait_for_function(COMPLETE, polling="raf", timeout=timeout_ms)
            out["complete_s"] = time.perf_counter() - t0
        except Exception:  # noqa: BLE001
            out["complete_s"] = None
    if wait_map:
        try:
            page.wait_for_selector(MAP, timeout=timeout_ms, state="attached")
            out["map_s"] = time.perf_counter() - t0
        except Exception:  # noqa: BLE001
            out["map_s"] = None
    page.wait_for_timeout(1500)  # let late frames arrive before counting
    for req in responses:
        try:
            sizes = req.sizes()
            http_bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # noqa: BLE001
            pass
    if count_bytes:
        out.update(http_bytes=http_bytes, ws_bytes=ws_bytes, total_kb=(http_bytes + ws_bytes) / 1000,
                   ws_kb=ws_bytes / 1000)
    page.close()
    if own:
        ctx.close()
    return out


def in_app_navigation(ctx, base: str, timeout_ms: int = 60000) -> dict:
    """Time from a click in the sidebar until the Übersicht's first chart is drawn, in a tab that has the app
    open already (Quartiere, then Daten & Methodik, which has no chart — so any chart that appears is new)."""
    page = ctx.new_page()
    page.goto(f"{base}/quartiere", wait_until="commit")
    page.wait_for_selector(MAP, timeout=timeout_ms, state="attached")
    page.get_by_role("link", name="Daten & Methodik").first.click()
    page.get_by_role("heading", name="Statusregel").first.wait_for(timeout=timeout_ms)
    page.wait_for_function(f"document.querySelectorAll({CHART!r}).length === 0", timeout=timeout_ms)
    t0 = time.perf_counter()
    page.get_by_role("link", name="Übersicht").first.click()
    page.wait_for_selector(CHART, timeout=timeout_ms, state="attached")
    out = {"first_chart_s": time.perf_counter() - t0}
    page.close()
    return out


def _median(values: list[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return statistics.median(got) if got else None


def first_chart_vs_floor(browser, base: str, rounds: int, timeout_ms: int = 60000) -> dict:
    """Übersicht and bench/floor/app.py (one Plotly chart, nothing else) alternately, cold (fresh context) and warm
    (reload in a context that has the app open); medians of ``rounds`` rounds. The timed visits count no bytes;
    one more cold visit of each does (``ws_before_chart_kb``, ``total_kb``)."""
    port = free_port()
    proc = start_server(None, port, script="bench/floor/app.py")
    runs: dict[str, list[dict]] = {"uebersicht": [], "floor": [], "uebersicht_warm": [], "floor_warm": []}
    try:
        wait_health(port)
        floor_url = f"http://127.0.0.1:{port}/"
        visit(browser, floor_url, wait_map=False, timeout_ms=timeout_ms)  # warm-up
        contexts = {name: browser.new_context(viewport={"width": 1366, "height": 900}) for name in ("app", "floor")}
        visit(browser, f"{base}/", wait_map=False, ctx=contexts["app"], timeout_ms=timeout_ms)
        visit(browser, floor_url, wait_map=False, ctx=contexts["floor"], timeout_ms=timeout_ms)
        timed = {"wait_map": False, "timeout_ms": timeout_ms, "count_bytes": False}
        for _ in range(rounds):
            runs["floor"].append(visit(browser, floor_url, **timed))
            runs["uebersicht"].append(visit(browser, f"{base}/", complete=True, **timed))
            runs["floor_warm"].append(visit(browser, floor_url, ctx=contexts["floor"], **timed))
            runs["uebersicht_warm"].append(visit(browser, f"{base}/", ctx=contexts["app"], complete=True, **timed))
        for ctx in contexts.values():
            ctx.close()
        counted = {"floor": visit(browser, floor_url, wait_map=False, timeout_ms=timeout_ms),
                   "uebersicht": visit(browser, f"{base}/", wait_map=False, timeout_ms=timeout_ms)}
    finally:
        stop_server(proc)
    out = {}
    for name, visits in runs.items():
        bytes_of = counted[name.removesuffix("_warm")]
        out[name] = {**visits[-1], **{k: v for k, v in bytes_of.items() if k.endswith(("bytes", "_kb"))},
                     "first_chart_s": _median([v["first_chart_s"] for v in visits]),
                     "complete_s": _median([v.get("complete_s") for v in visits]),
                     "chart_in_page_s": _median([v.get("chart_in_page_s") for v in visits]),
                     "rounds": [round(v["first_chart_s"], 3) if v["first_chart_s"] else None for v in visits]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--gc", choices=["true", "false"], default="true")
    ap.add_argument("--json", required=True)
    ap.add_argument("--rounds", type=int, default=5, help="alternating Übersicht/floor visits (medians)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_server(Path(args.db), port, post_script_gc=args.gc == "true")
    result: dict = {}
    try:
        wait_health(port)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            visit(browser, f"{base}/quartiere", wait_map=True)  # warm-up: server caches, first imports
            result["quartiere"] = visit(browser, f"{base}/quartiere", wait_map=True)
            result["suedosteuropa"] = visit(browser, f"{base}/suedosteuropa", wait_map=False)
            ctx = browser.new_context(viewport={"width": 1366, "height": 900})
            visit(browser, f"{base}/quartiere", wait_map=True, ctx=ctx)
            result["quartiere_warm"] = visit(browser, f"{base}/quartiere", wait_map=True, ctx=ctx)
            result["navigation"] = in_app_navigation(ctx, base)
            ctx.close()
            pair = first_chart_vs_floor(browser, base, args.rounds)
            result["uebersicht"], result["uebersicht_warm"] = pair["uebersicht"], pair["uebersicht_warm"]
            result["floor"] = {"cold_s": pair["floor"]["first_chart_s"], "warm_s": pair["floor_warm"]["first_chart_s"],
                               "cold_in_page_s": pair["floor"]["chart_in_page_s"],
                               "warm_in_page_s": pair["floor_warm"]["chart_in_page_s"],
                               "ws_before_chart_kb": pair["floor"]["ws_before_chart_kb"],
                               "rounds_cold": pair["floor"]["rounds"], "rounds_warm": pair["floor_warm"]["rounds"]}
            browser.close()
    except Exception as exc:  # noqa: BLE001
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        stop_server(proc)
    Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
