"""GENESIS flat files: read + map a Kreise table (shipped, 1.467 rows) and a synthetic 15 MB table with four
variables (≈ 43.000 rows), and the whole check of an ``update`` with it (staging build). Prints figures, asserts
nothing. ``python -m bench.bench_genesis [--work ORDNER]``.

The synthetic table has the real layout (UTF-8 with BOM, ``;``, same column names as a download): statistics
12521 "Ausländerstatistik (synthetisch)", STAG 31.12.2022–2024, variables KREISE (the 400 Kreise of the shipped
table) × GES (3) × STAAG (4: insgesamt, DE, RO, BG) × ALTX (3 age groups), value_q. It is mapped like a real
table (a temporary genesis.yaml entry: BEVSTD → einwohner per nationality, sex, age group).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import yaml

from integrationsmonitor.build import update
from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT, Settings
from integrationsmonitor.ingest import genesis
from integrationsmonitor.ingest.catalog import load_catalog
from integrationsmonitor.ingest.official import load_official

SHIPPED = REPO_ROOT / "data" / "raw" / "genesis_12411-01-01-4.csv"
CODE = "12521-99-99-4"
HEADER = ["statistics_code", "statistics_label", "time_code", "time_label", "time"] + [
    f"{n}_{part}" for n in range(1, 5) for part in genesis.VARIABLE_PARTS] + [
    "value", "value_unit", "value_variable_code", "value_variable_label", "value_q"]
SEXES = [("", "Insgesamt"), ("GESM", "männlich"), ("GESW", "weiblich")]
NATS = [("", "Insgesamt"), ("STAAG-DE", "Deutschland"), ("STAAG-RO", "Rumänien"), ("STAAG-BG", "Bulgarien")]
AGES = [("", "Insgesamt"), ("ALT000B18", "unter 18 Jahre"), ("ALT018UM", "18 Jahre und mehr")]
YEARS = ["2022-12-31", "2023-12-31", "2024-12-31"]


def kreise() -> list[tuple[str, str]]:
    table, _ = genesis.read_genesis(SHIPPED)
    return sorted({(c.variables[0].attribute_code, c.variables[0].attribute_label) for c in table.cells
                   if len(c.variables[0].attribute_code) == 5 and not c.sign})  # the 400 Kreise with a number


def synthetic(path: Path, seed: int = 20261125) -> int:
    rnd = random.Random(seed)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(HEADER)
    n = 0
    for key, label in kreise():
        for year in YEARS:
            for sex, sex_label in SEXES:
                for nat, nat_label in NATS:
                    for age, age_label in AGES:
                        value = str(rnd.randint(0, 90000)) if rnd.random() > 0.03 else rnd.choice(["-", ".", "x"])
                        w.writerow(["12521", "Ausländerstatistik (synthetisch, für die Messung)", "STAG", "Stichtag",
                                    year, "KREISE", "Kreise und kreisfreie Städte", key, label, "GES", "Geschlecht",
                                    sex, sex_label, "STAAG", "Staatsangehörigkeit", nat, nat_label, "ALTX",
                                    "Altersgruppen (unter 18, 18 und mehr)", age, age_label, value, "Anzahl",
                                    "BEVSTD", "Bevölkerungsstand", rnd.choice(["e", "p", ""])])
                        n += 1
    path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
    return n


def mapping_entry() -> dict:
    return {"code": CODE, "datenbank": "regionalstatistik", "titel": "synthetisch (Messung)", "statistik": "12521",
            "merkmale": ["KREISE", "GES", "STAAG", "ALTX"], "quellenart": "auslaenderstatistik",
            "quelle": "synthetische Messtabelle", "zuordnung": {
                "STAAG": {"feld": "staatsangehoerigkeit", "werte": {"": "_T", "STAAG-DE": "DE", "STAAG-RO": "RO",
                                                                    "STAAG-BG": "BG"}},
                "ALTX": {"feld": "altersgruppe", "werte": {"": "_T", "ALT000B18": "u18", "ALT018UM": "18+"}}},
            "werte": [{"wertmerkmal": "BEVSTD", "indikator": "einwohner", "einheiten": ["Anzahl"]}]}


def timed(label: str, func, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, and the CPU time of that run (less sensitive to a loaded machine)."""
    runs = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        func()
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
    wall, cpu = min(runs)
    print(f"{label:64} {wall:7.2f} s Wanduhr, {cpu:6.2f} s CPU (bestes von {repeat})")
    return wall


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="imh-bench-genesis-"))
    data = work / "data"
    if data.exists():
        shutil.rmtree(data)
    for sub in ("catalog", "geo", "raw"):
        shutil.copytree(REPO_ROOT / "data" / sub, data / sub)
    doc = yaml.safe_load((data / "catalog" / "genesis.yaml").read_text(encoding="utf-8"))
    doc["tabellen"].append(mapping_entry())
    (data / "catalog" / "genesis.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    big = work / f"genesis_{CODE}.csv"
    rows = synthetic(big)
    print(f"synthetische Tabelle: {rows} Zeilen, {big.stat().st_size / 1e6:.1f} MB, 4 Merkmale")
    cat, _ = load_catalog(data / "catalog")
    timed("Kreise-Tabelle 12411-01-01-4 lesen (1.467 Zeilen)", lambda: genesis.read_genesis(SHIPPED))
    timed("Kreise-Tabelle lesen + zuordnen", lambda: load_official([(SHIPPED, "raw/x.csv")], load_catalog(
        data / "catalog")[0], data / "catalog"))
    timed(f"15-MB-Tabelle lesen ({rows} Zeilen)", lambda: genesis.read_genesis(big))
    timed("15-MB-Tabelle lesen + zuordnen", lambda: load_official([(big, "raw/big.csv")], load_catalog(
        data / "catalog")[0], data / "catalog"))
    del cat
    timed("Build ohne neue Tabelle (Vergleich)", lambda: build(data, work / "a.duckdb", today=dt.date(2026, 11, 25)),
          repeat=1)
    settings = Settings(data, work / "pub.duckdb", REPO_ROOT / "queries", 3, 30)

    def check() -> None:
        staged = update.stage([(big.name, big.read_bytes())], settings)
        problems = update.validate(staged, today=dt.date(2026, 11, 25))
        assert not problems, problems[:3]
        update.discard(staged)

    timed("update: 15-MB-Tabelle hochladen und prüfen (Staging-Build)", check, repeat=1)
    print(f"Arbeitsordner: {work}; Last (1/5/15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"auf {os.cpu_count()} Kernen")


if __name__ == "__main__":
    main()
