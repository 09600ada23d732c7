"""Cold server start, memory per session, and N concurrent sessions driving filter changes.

Two load models, both after a ramp-up (N sessions open one after another, as users arrive):

* **Denkzeit** (the target's model): each session changes a filter, reads the result for a think time drawn
  uniformly from ``--think`` seconds (seeded), and changes the next one — planners in a meeting, not robots;
* **geschlossene Schleife** (stress, ``--think 0``): all N change filters back to back with no pause, so the
  latency is roughly N × the server time of one rerun — it shows the capacity of one process, not a user's wait.

Latency = BackMsg sent → script_finished. ``--replicas k`` starts k servers and pins session i to server
i mod k, as a reverse proxy with sticky sessions would.

``python -m bench.bench_server --db … --gc true --json out.json [--sessions 10,25,50] [--changes 10]
[--think 2,5] [--replicas 1]``
Starts ``streamlit run app.py`` on a free loopback port; the clients are bench.wsclient sessions (the same
protobuf messages a browser sends), so 50 sessions fit on 2 cores next to the server. Bounded: each session
does a fixed number of filter changes, every wait has a timeout, the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from pathlib import Path

from bench.common import free_port, percentile, rss_bytes, start_server, stop_server, summary_ms, wait_health
from bench.wsclient import Session

HEAVY = ("quartiere", "suedosteuropa")


async def _open(port: int, page: str) -> tuple[Session, float]:
    s = Session(port, page)
    await s.connect()
    return s, await s.rerun()


async def cold_and_memory(port: int, health_s: float, pid: int) -> dict:
    first, t_first = await _open(port, "")
    out = {"health_s": health_s, "first_render_s": t_first, "cold_start_s": health_s + t_first}
    rss0 = rss_bytes(pid)
    sessions = [first]
    for i in range(10):
        s, _ = await _open(port, HEAVY[i % 2])
        sessions.append(s)
    await asyncio.sleep(0.5)
    rss1 = rss_bytes(pid)
    out.update(rss_idle_mb=rss0 / 1e6, rss_11_sessions_mb=rss1 / 1e6, mb_per_session=(rss1 - rss0) / 10 / 1e6)
    for s in sessions:
        await s.close()
    return out


async def concurrency(ports: list[int], n: int, changes: int, think: tuple[float, float] = (0.0, 0.0),
                      timeout: float = 60, seed: int = 20261125) -> dict:
    latencies: list[float] = []
    errors = 0
    kinds: dict[str, int] = {}

    def note(exc: BaseException, where: str) -> None:
        key = f"{where}: {type(exc).__name__}"
        kinds[key] = kinds.get(key, 0) + 1

    # ramp-up: sessions open one after another (as users arrive), then all change filters at the same time
    opened: list[Session | None] = []
    for i in range(n):
        try:
            s, _ = await asyncio.wait_for(_open(ports[i % len(ports)], HEAVY[i % 2]), timeout)
            opened.append(s)
        except Exception as exc:  # noqa: BLE001 - a refused/failed session is an error of the run
            errors += 1
            note(exc, "Sitzung öffnen")
            opened.append(None)

    async def one(i: int) -> None:
        nonlocal errors
        s = opened[i]
        if s is None:
            return
        rng = random.Random(seed + i)
        try:
            for _ in range(changes):
                if think[1] > 0:
                    await asyncio.sleep(rng.uniform(*think))
                latencies.append(await asyncio.wait_for(s.change_filter(), timeout))
        except Exception as exc:  # noqa: BLE001
            errors += 1
            note(exc, "Filterwechsel")
        finally:
            errors += s.errors
            await s.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    wall = time.perf_counter() - t0
    out = summary_ms(latencies)
    out.update(sessions=n, errors=errors, error_kinds=kinds, wall_s=wall, p99=percentile([x * 1000 for x in latencies], 99),
               think_s=list(think), replicas=len(ports), changes_per_s=len(latencies) / wall if wall else None)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--gc", choices=["true", "false"], default="true")
    ap.add_argument("--sessions", default="10,25,50")
    ap.add_argument("--changes", type=int, default=10)
    ap.add_argument("--think", default="2,5", help="think time range in seconds, '0' = closed loop")
    ap.add_argument("--closed-loop", default="", help="also run these N with no think time (stress)")
    ap.add_argument("--replicas", type=int, default=1)
    ap.add_argument("--json", required=True)
    args = ap.parse_args()
    think = tuple(float(x) for x in args.think.split(",")) if args.think != "0" else (0.0, 0.0)
    ports = [free_port() for _ in range(args.replicas)]
    procs = [start_server(Path(args.db), port, post_script_gc=args.gc == "true") for port in ports]
    result: dict = {"replicas": args.replicas, "gc": args.gc}
    try:
        health = max(wait_health(port) for port in ports)
        result["cold"] = asyncio.run(cold_and_memory(ports[0], health, procs[0].pid))
        result["concurrency"] = {}
        for n in [int(x) for x in args.sessions.split(",") if x]:
            result["concurrency"][str(n)] = asyncio.run(concurrency(ports, n, args.changes, think))
            result["concurrency"][str(n)]["rss_after_mb"] = rss_bytes(procs[0].pid) / 1e6
        result["closed_loop"] = {}
        for n in [int(x) for x in args.closed_loop.split(",") if x]:
            result["closed_loop"][str(n)] = asyncio.run(concurrency(ports, n, args.changes))
            result["closed_loop"][str(n)]["rss_after_mb"] = rss_bytes(procs[0].pid) / 1e6
    except Exception as exc:  # noqa: BLE001 - report what failed instead of losing the whole run
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        for proc in procs:
            stop_server(proc)
    Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
