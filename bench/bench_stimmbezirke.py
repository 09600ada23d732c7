"""Map figure sizes and filter reruns on the Quartiere page at the Stimmbezirk level (issue 14, point 4).

    python -m bench.bench_stimmbezirke --db data/integrationsmonitor.duckdb [--reruns 30] [--json out.json]

Prints (never asserts) the JSON size of the map figures — Stadtbezirke schematic (before) and real (after),
and the Stimmbezirk map of every election — and the rerun time of the page after choosing another
Stimmbezirk or another Merkmal (p50/p95, first visit of a value = kalt, repeated = warm). Budget from the
issue: map figure ≤ 300 kB, filter rerun ≤ 100 ms p95 at 1×.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import summary_ms
from integrationsmonitor.config import REPO_ROOT


def figure_sizes(db: Path) -> dict[str, int]:
    from integrationsmonitor.ingest import geo
    from integrationsmonitor.queries import QueryRunner
    from integrationsmonitor.views import quartiere, stimmbezirke
    from integrationsmonitor.views.mapfigure import choropleth_map

    runner = QueryRunner(db, REPO_ROOT / "queries")
    sizes: dict[str, int] = {}
    real = quartiere.quartier_karte(runner, indikator="eu2_anteil.RO+BG")
    sizes["Stadtbezirke, echte Grenzen (nachher)"] = len(real.figure.to_json())
    with tempfile.TemporaryDirectory() as folder:  # the shipped outline without the boundary file: schematic
        for name in ("hagen_stadt.geojson", "stadtbezirke_schematisch.csv"):
            shutil.copy(REPO_ROOT / "data" / "geo" / name, folder)
        names = quartiere.district_options(runner)
        schematic = geo.load_geometries(Path(folder), names).features
    values = {k: float(i) for i, k in enumerate(names, start=1)}
    before = choropleth_map(schematic, values, title=real.title, value_label="Wert", value_format=str)
    sizes["Stadtbezirke, schematisch (vorher)"] = len(before.to_json())
    raw = json.loads((REPO_ROOT / "data" / "geo" / "hagen_stadtbezirke.geojson").read_text(encoding="utf-8"))
    unsimplified = [geo.GeoFeature(f.area_id, f.level, f.name, next(
        r["geometry"] for r in raw["features"] if str(r["properties"]["Bez_Nr"]) == f.area_id[-1]), False,
        f.source, f.attribution, f.licence) if f.level == "stadtbezirk" else f for f in quartiere.features(runner)]
    sizes["Stadtbezirke, echte Grenzen unvereinfacht"] = len(choropleth_map(
        unsimplified, values, title=real.title, value_label="Wert", value_format=str).to_json())
    for wahl, label in stimmbezirke.election_options(runner).items():
        sizes[f"Stimmbezirke {label}"] = len(stimmbezirke.stimmbezirk_karte(runner, wahl=wahl).figure.to_json())
    return sizes


def _reruns(at, key: str, options: list[str], reruns: int) -> dict:
    times, cold, warm, seen = [], [], [], set()
    for i in range(reruns):
        option = options[i % len(options)]
        next(s for s in at.selectbox if s.key == key).set_value(option)
        t0 = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        (warm if option in seen else cold).append(elapsed)
        seen.add(option)
        if at.exception:
            raise RuntimeError(at.exception[0].message)
    return {**summary_ms(times), "kalt": summary_ms(cold), "warm": summary_ms(warm)}


def rerun_times(db: Path, reruns: int) -> dict[str, dict]:
    from streamlit.testing.v1 import AppTest

    from integrationsmonitor.queries import QueryRunner
    from integrationsmonitor.views import stimmbezirke

    runner = QueryRunner(db, REPO_ROOT / "queries")
    elections = list(stimmbezirke.election_options(runner))
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "quartiere.py"), default_timeout=300)
    at.query_params["ebene"] = "stimmbezirk"
    at.run()
    areas = list(stimmbezirke.stimmbezirk_options(runner, elections[0]))
    out = {"Stimmbezirk gewechselt": _reruns(at, "w_stimmbezirk", areas[: max(reruns // 2, 2)], reruns),
           "Merkmal gewechselt": _reruns(at, "w_merkmal", list(stimmbezirke.MERKMALE), reruns)}
    out["Wahl gewechselt"] = _reruns(at, "w_wahl", elections, max(reruns // 3, 3))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--reruns", type=int, default=30)
    ap.add_argument("--json")
    args = ap.parse_args()
    os.environ["IMH_DB"] = str(Path(args.db).resolve())
    sizes = figure_sizes(Path(args.db))
    print("Kartenabbildung (JSON, kB; Budget ≤ 300 kB):")
    for name, size in sizes.items():
        print(f"  {name:55} {size / 1000:8.1f}")
    times = rerun_times(Path(args.db), args.reruns)
    print("Rerun der Seite Quartiere, Ebene Stimmbezirke (ms; Budget p95 ≤ 100 ms bei 1×):")
    for name, t in times.items():
        print(f"  {name:25} p50 {t['p50']:7.1f}  p95 {t['p95']:7.1f}  kalt p95 {t['kalt']['p95']:7.1f}  "
              f"warm p95 {t['warm']['p95']:7.1f}  (n = {t['n']})")
    if args.json:
        Path(args.json).write_text(json.dumps({"sizes": sizes, "reruns": times}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
