"""Run every benchmark at 1×/10×/100× and write bench/results/report.md (``python -m bench`` = ``make bench``).

    python -m bench [--scales 1,10,100] [--quick] [--skip server,browser] [--gc both|true|false]

Per scale: generate the scaled data (bench/scale_data.py, seeded) → build through the normal build path
(time, database size) → every queries/*.sql (p50/p95 over 30 runs) → every page of app.py under AppTest
after a filter change (≥ 30 reruns; with and without runner.postScriptGC) plus the naive baseline pages →
cold start, memory per session, N = 10/25/50 concurrent sessions (websocket clients) → headless Chromium
(first chart, map, bytes). Heavy parts run in subprocesses with time limits; a failing part is reported,
not fatal. ``--quick``: 10 reruns/runs, N = 10 only, no browser at 100×. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench import scale_data
from bench.common import summary_ms
from bench.params import sample_params
from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.queries import QueryRunner

RESULTS = REPO_ROOT / "bench" / "results"
STATUS_DATE = dt.date(2026, 11, 25)
HEAVY = ("quartiere", "suedosteuropa")


def _worker(module: str, args: list[str], timeout: float, log) -> dict:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    cmd = [sys.executable, "-m", module, *args, "--json", str(out)]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    t0 = time.perf_counter()
    try:
        subprocess.run(cmd, cwd=REPO_ROOT, env=env, timeout=timeout, stdout=log, stderr=log, check=False)
        data = json.loads(out.read_text(encoding="utf-8") or "{}")
    except subprocess.TimeoutExpired:
        data = {"error": f"Zeitlimit {timeout:.0f} s überschritten"}
    except (OSError, json.JSONDecodeError) as exc:
        data = {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        out.unlink(missing_ok=True)
    data["_seconds"] = time.perf_counter() - t0
    return data


def bench_build(scale: int, work: Path) -> dict:
    data_dir = work / f"data{scale}"
    t0 = time.perf_counter()
    summary = scale_data.generate(scale, data_dir)
    gen_s = time.perf_counter() - t0
    db = work / f"scale{scale}.duckdb"
    result = build(data_dir, db, today=STATUS_DATE)
    return {"data_dir": str(data_dir), "db": str(db), "generate_s": gen_s, "build_s": result.seconds,
            "db_mb": result.size_bytes / 1e6, "raw_mb": summary["raw_bytes"] / 1e6,
            "population_rows": result.population_rows, "observations": result.observations,
            "municipalities": summary["municipalities"]}


def bench_queries(db: Path, runs: int) -> dict:
    runner = QueryRunner(db, REPO_ROOT / "queries")
    con = duckdb.connect(str(db), read_only=True)
    out = {}
    try:
        for name in runner.names():
            try:
                params = sample_params(con, runner.sql(name)[1])
                times = []
                export = name.startswith("ausgabe_")  # exports stream without a row cap, as editions read them
                for _ in range(runs if not export else max(3, runs // 3)):
                    t0 = time.perf_counter()
                    if export:
                        rows = sum(len(batch) for batch in runner.iter_batches(name, **params))
                    else:
                        rows = len(runner.run(name, **params))
                    times.append(time.perf_counter() - t0)
                out[name] = {**summary_ms(times), "rows": rows, "export": export}
            except Exception as exc:  # noqa: BLE001
                out[name] = {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        con.close()
        runner.close()
    return out


def fmt(x, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "–"
    return f"{x:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def report(results: dict, args) -> str:
    scales = list(results)
    lines = [f"# Leistungsmessung Integrationsmonitor ({dt.datetime.now():%d.%m.%Y %H:%M})", "",
             f"Maschine: {os.cpu_count()} Kerne, Python {platform.python_version()}; Skalen {', '.join(scales)}×; "
             f"{'--quick' if args.quick else 'voll'}. Wiederholte Läufe streuen um etwa ±10–20 %; laufen andere "
             "Prozesse mit, sind die Zeiten Obergrenzen.", ""]
    head = "| Messgröße | Ziel | " + " | ".join(f"{s}×" for s in scales) + " |"
    lines += [head, "|" + "---|" * (2 + len(scales))]

    def row(label, target, getter):
        cells = []
        for s in scales:
            try:
                cells.append(getter(results[s]))
            except (KeyError, TypeError, ValueError, ZeroDivisionError):
                cells.append("–")
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")

    row("Gemeinden (synthetisch) / Bevölkerungszeilen", "", lambda r: f"{r['build']['municipalities']} / "
        f"{fmt(r['build']['population_rows'])}")
    row("Build (s)", "< 120 s bei 100×", lambda r: fmt(r["build"]["build_s"], 1))
    row("Datenbank (MB)", "", lambda r: fmt(r["build"]["db_mb"], 1))
    def slowest(r, export: bool) -> str:
        timed = [(v["p95"], k) for k, v in r["queries"].items() if "p95" in v and v.get("export", False) == export]
        return f"{max(timed)[1]} {fmt(max(timed)[0], 1)}" if timed else "–"

    row("Abfragen der Seiten: langsamste p95 (ms)", "", lambda r: slowest(r, False))
    row("Exportabfragen (alle Zeilen gestreamt, für Berichtsstände): langsamste p95 (ms)", "",
        lambda r: slowest(r, True))
    for gc in ("true", "false"):
        key = f"pages_gc_{gc}"
        label = "mit" if gc == "true" else "ohne"
        if not any(key in results[s] for s in scales):
            continue
        row(f"Seiten-Rerun p95 max über alle Seiten, {label} postScriptGC (ms)", "≤ 150 ms",
            lambda r, key=key: (lambda v, k: f"{k} {fmt(v, 0)}")(*max(
                (v["p95"], k) for k, v in r[key].items()
                if isinstance(v, dict) and "p95" in v and not k.startswith("naiv:"))))
        for page in HEAVY:
            row(f"– {page} p50/p95 ({label} GC, ms)", "≤ 150 ms", lambda r, key=key, page=page:
                f"{fmt(r[key][page]['p50'], 0)} / {fmt(r[key][page]['p95'], 0)}")
            row(f"– {page} nur kalte Reruns (neuer Filterwert) p50/p95 ({label} GC, ms)", "≤ 150 ms",
                lambda r, key=key, page=page: f"{fmt(r[key][page]['cold']['p50'], 0)} / "
                                              f"{fmt(r[key][page]['cold']['p95'], 0)}")
            if not any("naiv:" + page in results[s].get(key, {}) for s in scales):
                continue
            row(f"– naiv:{page} p50/p95 ({label} GC, ms)", "", lambda r, key=key, page=page:
                f"{fmt(r[key]['naiv:' + page]['p50'], 0)} / {fmt(r[key]['naiv:' + page]['p95'], 0)}")
            row(f"– Faktor naiv/echt {page}: p95 / p50 / nur kalte p95", "≥ 10×", lambda r, key=key, page=page:
                " / ".join(fmt(r[key]["naiv:" + page][m] / r[key][page][m], 1) + "×" for m in ("p95", "p50"))
                + " / " + fmt(r[key]["naiv:" + page]["p95"] / r[key][page]["cold"]["p95"], 1) + "×")
    row("Kaltstart bis Health (s)", "", lambda r: fmt(r["server"]["cold"]["health_s"], 2))
    row("Kaltstart bis erste Seite gerendert (s)", "", lambda r: fmt(r["server"]["cold"]["cold_start_s"], 2))
    row("Speicher je Sitzung (MB)", "", lambda r: fmt(r["server"]["cold"]["mb_per_session"], 1))
    for n in ("10", "25", "50"):
        row(f"{n} Sitzungen mit Denkzeit 2–5 s: p95 Filterwechsel (ms) / Fehler",
            "≤ 500 ms, 0 Fehler" if n == "50" else "",
            lambda r, n=n: f"{fmt(r['server']['concurrency'][n]['p95'], 0)} / "
                           f"{r['server']['concurrency'][n]['errors']}")
    for n in ("10", "50"):
        row(f"{n} Sitzungen ohne Denkzeit (Stresstest), 1 Prozess: p95 (ms) / Fehler / Reruns je s", "",
            lambda r, n=n: f"{fmt(r['server']['closed_loop'][n]['p95'], 0)} / {r['server']['closed_loop'][n]['errors']}"
                           f" / {fmt(r['server']['closed_loop'][n]['changes_per_s'], 0)}")
    row("50 Sitzungen ohne Denkzeit, 2 Replikate (sticky): p95 (ms) / Fehler / Reruns je s", "",
        lambda r: f"{fmt(r['replicas']['closed_loop']['50']['p95'], 0)} / {r['replicas']['closed_loop']['50']['errors']}"
                  f" / {fmt(r['replicas']['closed_loop']['50']['changes_per_s'], 0)}")
    row("Speicher Server nach Last (MB)", "", lambda r: fmt(r["server"]["closed_loop"]["50"]["rss_after_mb"], 0))
    row("Browser, kalter Cache: erstes Diagramm Übersicht (s)", "", lambda r: fmt(r["browser"]["uebersicht"]["first_chart_s"], 2))
    row("Browser, warmer Cache (Neuladen): erstes Diagramm Übersicht (s)", "≤ 1,5 s",
        lambda r: fmt(r["browser"]["uebersicht_warm"]["first_chart_s"], 2))
    row("– Untergrenze: kleinste Streamlit-App mit einem Plotly-Diagramm, kalter / warmer Cache (s)", "",
        lambda r: f"{fmt(r['browser']['floor']['cold_s'], 2)} / {fmt(r['browser']['floor']['warm_s'], 2)}")
    row("Browser, Seitenwechsel in der App: erstes Diagramm Übersicht (s)", "≤ 1,5 s",
        lambda r: fmt(r["browser"]["navigation"]["first_chart_s"], 2))
    row("Browser, kalter Cache: Karte Quartiere gezeichnet (s)", "", lambda r: fmt(r["browser"]["quartiere"]["map_s"], 2))
    row("Kartenseite: Seitendaten über Websocket (KB)", "≤ 250 KB", lambda r: fmt(r["browser"]["quartiere"]["ws_kb"], 0))
    row("Kartenseite: gesamt inkl. statischer JS/CSS, kalter Cache (KB)", "",
        lambda r: fmt(r["browser"]["quartiere"]["total_kb"], 0))
    row("Kartenseite: gesamt, warmer Cache (KB)", "", lambda r: fmt(r["browser"]["quartiere_warm"]["total_kb"], 0))
    lines += ["", "## Seiten im Einzelnen (AppTest, Rerun nach Filterwechsel, ms)", ""]
    for s in scales:
        for key in ("pages_gc_true", "pages_gc_false"):
            if key not in results[s]:
                continue
            lines += [f"### {s}× – postScriptGC {'an' if key.endswith('true') else 'aus'}", "",
                      "| Seite | p50 | p95 | kalt p50/p95 (n) | warm p50/p95 (n) | erster Lauf | Fehler | Filter |",
                      "|---|---|---|---|---|---|---|---|"]
            for page, v in results[s][key].items():
                if not isinstance(v, dict):
                    continue
                if "error" in v:
                    lines.append(f"| {page} | – | – | – | – | – | – | {v['error'][:120]} |")
                else:
                    cw = ["{} / {} ({})".format(fmt(v[k]["p50"], 0), fmt(v[k]["p95"], 0), v[k]["n"]) if k in v else "–"
                          for k in ("cold", "warm")]
                    lines.append(f"| {page} | {fmt(v['p50'], 1)} | {fmt(v['p95'], 1)} | {cw[0]} | {cw[1]} | "
                                 f"{fmt(v['first_ms'], 0)} | {v['errors']} | {v['filter'][:120]} |")
            lines.append("")
    lines += ["## Abfragen (ms, p50/p95)", "", "| Abfrage | " + " | ".join(f"{s}×" for s in scales) + " |",
              "|---|" + "---|" * len(scales)]
    names = sorted({n for s in scales for n in results[s].get("queries", {})})
    for n in names:
        cells = []
        for s in scales:
            v = results[s].get("queries", {}).get(n, {})
            cells.append(f"{fmt(v['p50'], 1)} / {fmt(v['p95'], 1)} ({v['rows']} Z.)" if "p50" in v
                         else v.get("error", "–")[:60])
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    errors = [(s, k, v["error"]) for s in scales for k, v in results[s].items() if isinstance(v, dict) and "error" in v]
    if errors:
        lines += ["", "## Nicht gemessen / Fehler", ""] + [f"- {s}× {k}: {e}" for s, k, e in errors]
    lines += ["", "Methode: bench/README.md (Skalierung, Messpunkte, Bytezählung)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--skip", default="", help="comma list of: queries,pages,server,browser")
    ap.add_argument("--gc", choices=["both", "true", "false"], default="both")
    ap.add_argument("--server-gc", choices=["true", "false"], default="false",
                    help="runner.postScriptGC for the server runs (default: as in .streamlit/config.toml)")
    ap.add_argument("--report-only", action="store_true", help="rewrite report.md from results.json")
    ap.add_argument("--work", default=None, help="folder for scaled data and databases (default: temp)")
    args = ap.parse_args()
    if args.report_only:
        text = report(json.loads((RESULTS / "results.json").read_text(encoding="utf-8")), args)
        (RESULTS / "report.md").write_text(text, encoding="utf-8")
        print(text)
        return
    skip = set(filter(None, args.skip.split(",")))
    runs = 10 if args.quick else 30
    work = Path(args.work or tempfile.mkdtemp(prefix="imh_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = (RESULTS / "bench.log").open("a", encoding="utf-8")
    results: dict = {}
    for scale in [int(s) for s in args.scales.split(",")]:
        r: dict = {}
        results[str(scale)] = r
        print(f"[{scale}×] Daten erzeugen und bauen …", flush=True)
        r["build"] = bench_build(scale, work)
        db, data_dir = r["build"]["db"], r["build"]["data_dir"]
        print(f"[{scale}×] Build {r['build']['build_s']:.1f} s, {r['build']['db_mb']:.1f} MB", flush=True)
        if "queries" not in skip:
            r["queries"] = bench_queries(Path(db), runs)
        if "pages" not in skip:
            # the baseline reads every raw file on each rerun (seconds at 100×): fewer reruns there, GC on only
            naive_runs = runs if scale < 100 else 10
            for gc in (("true", "false") if args.gc == "both" else (args.gc,)):
                print(f"[{scale}×] Seiten (postScriptGC={gc}) …", flush=True)
                r[f"pages_gc_{gc}"] = _worker("bench.bench_pages", ["--db", db, "--data-dir", data_dir, "--reruns",
                                                                     str(runs), "--gc", gc, "--naive-reruns",
                                                                     str(naive_runs if gc == args.server_gc else 0)],
                                                     3600, log)
        if "server" not in skip:
            print(f"[{scale}×] Server, Speicher, Nebenläufigkeit …", flush=True)
            sessions = "10" if args.quick else "10,25,50"
            changes = "5" if args.quick else "10"
            r["server"] = _worker("bench.bench_server", ["--db", db, "--sessions", sessions, "--think", "2,5",
                                                         "--closed-loop", "10" if args.quick else "10,50",
                                                         "--changes", changes, "--gc", args.server_gc], 1800, log)
            if not args.quick:
                r["replicas"] = _worker("bench.bench_server", ["--db", db, "--sessions", "", "--closed-loop", "50",
                                                               "--replicas", "2", "--changes", changes,
                                                               "--gc", args.server_gc], 900, log)
        if "browser" not in skip and not (args.quick and scale >= 100):
            print(f"[{scale}×] Browser …", flush=True)
            r["browser"] = _worker("bench.bench_browser", ["--db", db, "--gc", args.server_gc], 600, log)
        (RESULTS / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    text = report(results, args)
    (RESULTS / "report.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"Bericht: {RESULTS / 'report.md'}")


if __name__ == "__main__":
    main()
