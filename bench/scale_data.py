"""Seeded generator: a scaled copy of data/ for benchmarks (state-wide deployment shape).

Scale factor k keeps everything shipped in data/ and adds (k - 1) × 5 synthetic NRW municipalities
("Beispielkommune 001" …, area level ``vergleichsstadt``, ids 0599xxxx). Municipality m mirrors Hagen
district ``SB{m mod 5 + 1}``: its population cells (same nationalities, age groups, sexes and dates as
data/raw/beispiel_bevoelkerung.csv, persons multiplied by a seeded factor) and the indicator rows of that
district and of the city (beispiel_indikatoren.csv, values unchanged so every validation rule still holds).
So population rows grow exactly k-fold, example indicator rows roughly 2-fold per factor step.

Output files have the SAME formats as the shipped example files and go through the normal build path
(``integrationsmonitor.build.build``): raw/beispiel_skaliert_NNN_bevoelkerung.csv and
raw/beispiel_skaliert_NNN_indikatoren.csv (split so each stays far below the 20 MB upload limit), plus
rows appended to catalog/gebiete.csv and catalog/quellen.csv. Every generated row is marked
``beispieldaten = ja``.

    python -m bench.scale_data 10 /tmp/data10
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import sys
from pathlib import Path

from integrationsmonitor.config import REPO_ROOT

SEED = 20261125
PER_FILE = 60  # municipalities per generated file (≈ 10 MB population CSV)
POP_FILE = "beispiel_bevoelkerung.csv"
IND_FILE = "beispiel_indikatoren.csv"
CITY = "05914000"


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def municipality_id(m: int) -> str:
    return f"0599{m:04d}"


def generate(factor: int, out_dir: Path, source_dir: Path | None = None, seed: int = SEED) -> dict:
    """Write data/ scaled by ``factor`` into ``out_dir`` (replaced); returns a small summary."""
    source_dir = Path(source_dir or REPO_ROOT / "data")
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for sub in ("catalog", "geo", "raw"):
        shutil.copytree(source_dir / sub, out_dir / sub)
    for p in (out_dir / "raw").iterdir():  # shipped files stay read-only in git; the copy must be writable
        p.chmod(0o644)
    summary = {"factor": factor, "municipalities": 0, "population_rows": 0, "indicator_rows": 0, "files": 0}
    n_muni = (factor - 1) * 5
    if n_muni <= 0:
        return _count(out_dir, summary)
    rng = random.Random(seed)
    pop_header, pop_rows = _read(source_dir / "raw" / POP_FILE)
    ind_header, ind_rows = _read(source_dir / "raw" / IND_FILE)
    pg, pp = pop_header.index("gebiet"), pop_header.index("personen")
    ig = ind_header.index("gebiet")
    ind_key = {ind_header.index(c) for c in ("indikator", "stichtag", "staatsangehoerigkeit", "quelle")}
    pop_by_district: dict[str, list[list[str]]] = {}
    for r in pop_rows:
        pop_by_district.setdefault(r[pg], []).append(r)
    ind_by_area: dict[str, list[list[str]]] = {}
    for r in ind_rows:
        ind_by_area.setdefault(r[ig], []).append(r)
    districts = sorted(pop_by_district)
    area_rows, source_rows = [], []
    for chunk_start in range(1, n_muni + 1, PER_FILE):
        chunk = range(chunk_start, min(chunk_start + PER_FILE, n_muni + 1))
        file_no = (chunk_start - 1) // PER_FILE + 1
        pops, inds = [], []
        for m in chunk:
            mid = municipality_id(m)
            district = districts[(m - 1) % len(districts)]
            factor_m = rng.uniform(0.5, 3.0)
            area_rows.append([mid, "vergleichsstadt", f"Beispielkommune {m:03d}", "05", mid, "",
                              f"synthetisch für Lasttests (Kopie von {district}, Seed {seed})"])
            for r in pop_by_district[district]:
                row = list(r)
                row[pg] = mid
                row[pp] = str(round(int(r[pp]) * factor_m))
                pops.append(row)
            seen = set()
            for r in ind_by_area.get(district, []) + ind_by_area.get(CITY, []):
                key = tuple(v for i, v in enumerate(r) if i in ind_key)
                if key in seen:  # a district and the city may report the same indicator and date
                    continue
                seen.add(key)
                row = list(r)
                row[ig] = mid
                inds.append(row)
        pop_name = f"beispiel_skaliert_{file_no:03d}_bevoelkerung.csv"
        ind_name = f"beispiel_skaliert_{file_no:03d}_indikatoren.csv"
        _write(out_dir / "raw" / pop_name, pop_header, pops)
        _write(out_dir / "raw" / ind_name, ind_header, inds)
        for name, title in ((pop_name, "Bevölkerung"), (ind_name, "Indikatoren")):
            source_rows.append([f"raw/{name}", f"Synthetische {title} für Lasttests ({factor}×)",
                                "bench/scale_data.py", "erzeugt", "keine (synthetisch)", "", "ja",
                                f"Beispieldaten, Seed {seed}, nur für Leistungsmessungen"])
    _append(out_dir / "catalog" / "gebiete.csv", area_rows)
    _append(out_dir / "catalog" / "quellen.csv", source_rows)
    summary["municipalities"] = n_muni
    return _count(out_dir, summary)


def _append(path: Path, rows: list[list[str]]) -> None:
    text = path.read_text(encoding="utf-8-sig")
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_text(text.rstrip("\n") + "\n" + buf.getvalue(), encoding="utf-8")


def _count(out_dir: Path, summary: dict) -> dict:
    raw = sorted((out_dir / "raw").glob("*.csv"))
    summary["files"] = len(raw)
    summary["raw_bytes"] = sum(p.stat().st_size for p in raw)
    for p in raw:
        n = sum(1 for _ in p.open(encoding="utf-8-sig")) - 1
        key = "population_rows" if p.name.endswith("bevoelkerung.csv") else "indicator_rows"
        summary[key] += n
    return summary


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
