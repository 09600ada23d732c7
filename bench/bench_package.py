"""Time the committee package (``python -m bench.bench_package [--bezirke SB1,SB2] [--runs 2]``).

Prints, for the built database (IMH_DB or data/integrationsmonitor.duckdb) and the machine's load:

* cold: first package in a fresh process (chromium starts, every PNG rendered, nothing cached)
* warm: a second package with the renderer kept running and the PNG cache emptied (a different edition or
  district selection of the same figures would sit between warm and cached)
* cached: the same package asked for again through ``sitzungspaket.cached_package`` (the dashboard's path)
* per stage: views, PNGs (per PNG), PDF, PPTX, XLSX

Figures are printed, never asserted (machine load dominates: 2 cores shared by many processes).
"""

from __future__ import annotations

import argparse
import os
import time

from integrationsmonitor.config import Settings
from integrationsmonitor.exports import images
from integrationsmonitor.exports import sitzungspaket as package
from integrationsmonitor.exports.pdf_report import build_pdf
from integrationsmonitor.exports.pptx_deck import build_deck
from integrationsmonitor.exports.xlsx_workbook import build_workbook
from integrationsmonitor.queries import QueryRunner


def _stages(runner: QueryRunner, bezirke: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    t = time.perf_counter()
    content = package.gather(runner, bezirke, images=False)
    out["views"] = time.perf_counter() - t
    images._cache.clear()  # noqa: SLF001 - measure real renders
    t = time.perf_counter()
    package.render_images(content.figures, keep_renderer=True)
    charts = sum(1 for f in content.figures if f.image is not None)
    out["pngs"] = time.perf_counter() - t
    out["per_png"] = out["pngs"] / max(1, charts)
    for name, build in (("pdf", build_pdf), ("pptx", build_deck), ("xlsx", build_workbook)):
        t = time.perf_counter()
        build(content)
        out[name] = time.perf_counter() - t
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bezirke", default="SB1,SB2")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    bezirke = [b for b in args.bezirke.split(",") if b]
    s = Settings.from_env()
    runner = QueryRunner(s.db_path, s.queries_dir)
    print(f"Last vorher (1/5/15 min): {os.getloadavg()}")
    t = time.perf_counter()
    _, result = package.make_package(runner, None, bezirke, keep_renderer=True)
    print(f"kalt (Chromium startet, alle PNG neu): {time.perf_counter() - t:.1f} s, {result.figures} Abbildungen, "
          f"{result.size_bytes / 1e6:.1f} MB")
    for run in range(args.runs):
        images._cache.clear()  # noqa: SLF001
        t = time.perf_counter()
        package.make_package(runner, None, bezirke, keep_renderer=True)
        print(f"warm {run + 1} (Renderer läuft, PNG neu): {time.perf_counter() - t:.1f} s")
    key = ("bench", 0)
    package.cached_package(runner, key, bezirke)
    t = time.perf_counter()
    package.cached_package(runner, key, bezirke)
    print(f"zweiter Klick (Zwischenspeicher): {(time.perf_counter() - t) * 1000:.1f} ms")
    stages = _stages(runner, bezirke)
    print("Stufen: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    print(f"Last nachher (1/5/15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
