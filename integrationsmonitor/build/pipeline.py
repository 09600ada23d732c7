"""Build data/integrationsmonitor.duckdb from data/: read → validate → load → derive → check → swap.

The database is written to a temporary file next to the target and moved into place only when
everything passed; a failed build leaves the previous database byte-for-byte untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from integrationsmonitor import __version__, formatting, status
from integrationsmonitor.build import audit, elections, official, suppression
from integrationsmonitor.build.frozen import read_frozen
from integrationsmonitor.config import CITY_ID, SCHEMA_VERSION, Settings
from integrationsmonitor.ingest import geo
from integrationsmonitor.ingest.catalog import Catalog, load_catalog
from integrationsmonitor.ingest.readers import read_table
from integrationsmonitor.ingest.validate import apply_figure_flags, check_all, records_from_table
from integrationsmonitor.problems import Problem, ValidationError

SQL_DIR = Path(__file__).parent / "sql"
RAW_SUFFIXES = {".csv", ".xlsx"}


@dataclass(frozen=True)
class BuildResult:
    db_path: Path
    build_id: str
    seconds: float
    observations: int
    population_rows: int
    size_bytes: int


@dataclass
class Inputs:
    catalog: Catalog
    observations: list[dict]
    population: list[dict]
    files: list[tuple[str, str, int]]  # (relative path, sha256, rows loaded)
    geometries: list[geo.GeoFeature]
    official: official.Loaded | None = None  # GENESIS tables and catalogue deliveries (build/official.py)
    elections: elections.ElectionInputs = field(default_factory=elections.ElectionInputs)


def raw_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in (data_dir / "raw").iterdir() if p.suffix.lower() in RAW_SUFFIXES and p.is_file())


def read_inputs(data_dir: Path, extra_files: list[Path] | None = None, today: dt.date | None = None) -> Inputs:
    """Read and validate everything; raises ValidationError with every problem found."""
    today = today or dt.date.today()
    catalog, problems = load_catalog(data_dir / "catalog")
    paths = [(p, f"raw/{p.name}") for p in [*raw_files(data_dir), *(extra_files or [])]]
    loaded, first_problems = official.first_pass(paths, catalog, data_dir / "catalog", today)
    problems += first_problems
    observations: list[dict] = list(loaded.official.observations)
    population: list[dict] = []
    files: list[tuple[str, str, int]] = list(loaded.files)
    for path, rel in loaded.rest:
        table, file_problems = read_table(path, display_name=rel)
        problems += file_problems
        if table is None:
            continue
        kind, records, row_problems = records_from_table(table, catalog, today)
        problems += row_problems
        (population if kind == "population" else observations).extend(records)
        files.append((rel, hashlib.sha256(path.read_bytes()).hexdigest(), len(records)))
    apply_figure_flags(observations, catalog)
    problems += check_all(observations, population, catalog)
    geo_result = load_geo(data_dir, catalog)
    problems += [Problem(f"geo/{p.file}" if "/" not in p.file else p.file, p.row, p.column, p.message, p.expected)
                 for p in geo_result.problems]
    voting, election_problems = elections.read_elections(data_dir, catalog, geo_result.features)
    problems += election_problems
    for path, shown in voting.files:
        rows = sum(1 for e in voting.elections for b in e.bezirke if b.file == shown)
        files.append((shown, hashlib.sha256(path.read_bytes()).hexdigest(), rows))
    if problems:
        raise ValidationError(problems)
    observations += voting.observations
    return Inputs(catalog, observations, population, files, geo_result.features + voting.geometries, loaded,
                  voting)


def load_geo(data_dir: Path, catalog: Catalog) -> geo.GeoResult:
    """City outline and Stadtbezirke; district numbers and the boundary file's licence come from the catalogue."""
    districts = {a["id"]: a["name"] for a in catalog.areas if a["ebene"] == "stadtbezirk"}
    codes = {a["amtlicher_schluessel"]: a["id"] for a in catalog.areas
             if a["ebene"] == "stadtbezirk" and a["amtlicher_schluessel"]}
    described = {s["datei"]: s for s in catalog.sources}.get(f"geo/{geo.DISTRICT_FILE}", {})
    provenance = geo.Provenance(described.get("namensnennung", ""), described.get("lizenz", ""),
                                described.get("titel", ""))
    return geo.load_geometries(data_dir / "geo", districts, district_codes=codes, provenance=provenance)


def build(data_dir: Path, db_path: Path, extra_files: list[Path] | None = None,
          today: dt.date | None = None, settings: Settings | None = None) -> BuildResult:
    """Validate and build; swap the new database in atomically. Raises ValidationError on bad input."""
    started = time.perf_counter()
    today = today or dt.date.today()
    inputs = read_inputs(data_dir, extra_files, today)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    build_id = uuid.uuid4().hex
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
            _load_catalog(con, inputs.catalog, data_dir, inputs.files)
            _load_records(con, inputs)
            official.load(con, getattr(inputs, "official", None) or official.Loaded(), inputs.catalog)
            con.execute((SQL_DIR / "derive.sql").read_text(encoding="utf-8"))
            official.derive(con)
            settings = settings or Settings.from_env()
            suppression.apply(con, settings.suppression_threshold, settings.small_denominator,
                              settings.protection_range, read_frozen(editions_dir(data_dir, settings)))
            con.execute((SQL_DIR / "public.sql").read_text(encoding="utf-8"))
            _load_status(con, inputs.catalog, today)
            _check_integrity(con)
            n_obs = con.execute("select count(*) from observation").fetchone()[0]
            n_pop = con.execute("select count(*) from population").fetchone()[0]
            seconds = time.perf_counter() - started
            con.execute(
                "insert into build_manifest values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [build_id, dt.datetime.now().replace(microsecond=0), SCHEMA_VERSION, __version__, seconds, today,
                 n_obs, n_pop, settings.suppression_threshold, settings.small_denominator,
                 audit.Rule.of(settings.suppression_threshold, settings.protection_range).range_],
            )
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(db_path, build_id, time.perf_counter() - started, n_obs, n_pop, db_path.stat().st_size)


def editions_dir(data_dir: Path, settings: Settings) -> Path:
    """The frozen editions of this data folder: ``IMH_EDITIONS_DIR`` if set, else ``<data_dir>/editions``."""
    if settings.editions_dir == settings.data_dir / "editions":  # the default: follow the folder being built
        return data_dir / "editions"
    return settings.editions_dir


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], columns: list[str]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=columns)  # noqa: F841 - read by DuckDB's replacement scan
    # table and column names are the module's own constants, never input; values travel in the frame
    con.execute(f"insert into {table} ({', '.join(columns)}) select {', '.join(columns)} from frame")  # noqa: S608


def _load_catalog(con, cat: Catalog, data_dir: Path, files: list[tuple[str, str, int]]) -> None:
    con.executemany("insert into handlungsfeld values (?, ?, ?)", cat.handlungsfelder)
    con.executemany("insert into block values (?, ?, ?, ?)",
                    [(b.id, b.handlungsfeld_id, b.name, b.position) for b in cat.blocks])
    con.executemany("insert into leitziel values (?, ?, ?, ?, ?, ?)",
                    [(lz.id, lz.block_id, lz.handlungsfeld_id, lz.number, lz.numbered, lz.text)
                     for lz in cat.leitziele])
    con.executemany("insert into catalog_note values (?, ?)", cat.notes)
    con.executemany(
        "insert into indicator values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(i["id"], i["name"], " ".join(str(i["definition"]).split()), i["einheit"], i["typ"], i["richtung"],
          i["quelle"], i["datenhalter"], i["raumebene"], str(i["aktualisierung"]), bool(i["eu2"]),
          i["datenluecke"]) for i in cat.indicators],
    )
    con.executemany("insert into leitziel_indicator values (?, ?)",
                    sorted({(lz, i["id"]) for i in cat.indicators for lz in i["leitziele"]}))
    con.executemany("insert into target values (?, ?, ?, null, null, ?)",
                    [(t.indicator_id, t.value, t.due, t.decided_by) for t in cat.targets])
    con.executemany("insert into area values (?, ?, ?, ?, ?, ?)",
                    [(a["id"], a["ebene"], a["name"], a["uebergeordnet"] or None, a["amtlicher_schluessel"] or None,
                      a["hinweis"]) for a in cat.areas])
    con.executemany("insert into nationality values (?, ?, ?, ?)",
                    [(n["code"], n["name"], n["adjektiv"], n["art"]) for n in cat.nationalities])
    con.executemany("insert into age_group values (?, ?, ?, ?)",
                    [(a["code"], a["name"], int(a["von"]), int(a["bis"]) if a["bis"] else None)
                     for a in cat.age_groups])
    con.executemany("insert into event values (?, ?, ?, ?)",
                    [(e["datum"], e["bezeichnung"], e["gebiet"] or None, e["quelle"]) for e in cat.events])
    con.executemany("insert into measure values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(m["id"], m["leitziel"], m["titel"], m["traeger"], m["beginn"] or None, m["ende"] or None,
                      m["status"], m["beispieldaten"] == "ja", m["hinweis"]) for m in cat.measures])
    loaded = {path: (sha, n) for path, sha, n in files}
    rows = []
    for s in cat.sources:
        sha, n = loaded.get(s["datei"], (_sha256(data_dir / s["datei"]), None))
        rows.append((s["datei"], s["titel"], s["herausgeber"], s["stand"], s["lizenz"], s["namensnennung"],
                     s["beispieldaten"] == "ja", s["hinweis"], sha, n))
    described = {s["datei"] for s in cat.sources}
    folders = [s for s in cat.sources if s["datei"].endswith("/")]  # a folder row describes every file below it
    for path, sha, n in files:
        if path in described:
            continue
        folder = max((s for s in folders if path.startswith(s["datei"])), key=lambda s: len(s["datei"]), default=None)
        if folder is not None:
            rows.append((path, f"{folder['titel']}: {Path(path).name}", folder["herausgeber"], folder["stand"],
                         folder["lizenz"], folder["namensnennung"], folder["beispieldaten"] == "ja",
                         folder["hinweis"], sha, n))
        else:  # a newly delivered file not yet described in quellen.csv
            rows.append((path, path, "", "", "", "", False, "nicht in quellen.csv beschrieben", sha, n))
    con.executemany("insert into source_file values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


OBS_COLUMNS = ["indicator_id", "area_id", "period", "nationality", "value", "numerator", "denominator", "source",
               "source_url", "note", "figure_id", "is_example", "is_approx", "is_rounded", "date_uncertain",
               "is_derived", "flag", "source_file", "source_row"]
POP_COLUMNS = ["area_id", "period", "nationality", "age_group", "sex", "persons", "source", "is_example",
               "source_file", "source_row"]


def _load_records(con, inputs: Inputs) -> None:
    if inputs.elections.elections:
        con.executemany("insert into area values (?, ?, ?, ?, ?, ?)", inputs.elections.areas)
        con.executemany("insert into election values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        elections.election_rows(inputs.elections))
        con.executemany("insert into election_district values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        elections.district_rows(inputs.elections))
    obs = [{**r, "is_derived": r.get("is_derived", False), "flag": "", "source_file": r["file"], "source_row": r["row"]}
           for r in inputs.observations]
    _insert(con, "observation", obs, OBS_COLUMNS)
    pop = [{**r, "source_file": r["file"], "source_row": r["row"]} for r in inputs.population]
    _insert(con, "population", pop, POP_COLUMNS)
    con.executemany(
        "insert into geometry values (?, ?, ?, ?, ?, ?, ?, ?)",
        [(f.area_id, f.level, f.name, _json(f.geometry), f.schematic, f.source, f.attribution, f.licence)
         for f in inputs.geometries],
    )


def _json(obj: object) -> str:
    import json

    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


STATUS_SERIES_SQL = """
select period, value, is_example, source
from observation
where indicator_id = ? and area_id = ? and nationality = ? and value is not null
order by period
"""


def _status_series(con, indicator_id: str) -> tuple[str, list[status.Point], bool, str | None]:
    """The series a status is computed from: city level, preferring real over example and the longest source."""
    nationality = "RO+BG" if indicator_id.startswith("eu2_") or indicator_id == "sgb2_quote_eu2" else "_T"
    rows = con.execute(STATUS_SERIES_SQL, [indicator_id, CITY_ID, nationality]).fetchall()
    if indicator_id == "sgb2_quote_eu2" and not rows:
        rows = con.execute(STATUS_SERIES_SQL, [indicator_id, CITY_ID, "_T"]).fetchall()
        nationality = "_T"
    by_source: dict[tuple[bool, str], list] = {}
    for period, value, is_example, source in rows:
        by_source.setdefault((is_example, source), []).append(status.Point(period, value))
    if not by_source:
        return nationality, [], False, None
    (is_example, source), points = min(by_source.items(), key=lambda kv: (kv[0][0], -len(kv[1])))
    return nationality, points, is_example, source


def _load_status(con, cat: Catalog, today: dt.date) -> None:
    targets = {t.indicator_id: t for t in cat.targets}
    per_indicator: dict[str, tuple[str, status.IndicatorStatus, bool]] = {}
    for ind in cat.indicators:
        nationality, points, is_example, source = _status_series(con, ind["id"])
        target = targets.get(ind["id"])
        st = status.assess(points, kind=ind["typ"], direction=ind["richtung"],
                           target=target.value if target else None, due=target.due if target else None, today=today)
        per_indicator[ind["id"]] = (ind["typ"], st, is_example)
        con.execute(
            "insert into indicator_status values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ind["id"], CITY_ID, nationality, source, st.category, st.label, st.rule,
             st.baseline.period if st.baseline else None, st.baseline.value if st.baseline else None,
             st.latest.period if st.latest else None, st.latest.value if st.latest else None,
             target.value if target else None, target.due if target else None, st.ratio, st.annual_change,
             is_example],
        )
        if target and st.baseline:
            con.execute("update target set baseline_value = ?, baseline_period = ? where indicator_id = ?",
                        [st.baseline.value, st.baseline.period, ind["id"]])
    for lz in cat.leitziele:
        members = [per_indicator[i["id"]] for i in cat.indicators if lz.id in i["leitziele"]]
        category, label, basis = status.combine([(kind, st) for kind, st, _ in members])
        decisive_example = any(ex for kind, st, ex in members if st.category != status.NO_DATA and kind in "EU")
        con.execute("insert into leitziel_status values (?, ?, ?, ?, ?)",
                    [lz.id, category, label, basis, decisive_example])


def _check_integrity(con) -> None:
    """Checks after deriving; a failure here is a bug in the build, reported like an input problem."""
    problems = []
    checks = {
        "Leitziel ohne Indikator": "select id from leitziel where id not in (select leitziel_id from leitziel_indicator)",
        "Beobachtung ohne Quelle": "select indicator_id from observation where source = '' limit 5",
    }
    for label, sql in checks.items():
        bad = con.execute(sql).fetchall()
        if bad:
            problems.append(Problem("(Build)", None, None, f"{label}: {', '.join(str(b[0]) for b in bad[:5])}"))
    problems += _district_sum_problems(con)
    if problems:
        raise ValidationError(problems)


DISTRICT_SUMS_SQL = """
select c.area_id, c.period, c.einwohner, d.s, first_row.source_file, first_row.source_row
from area_population c
left join (select area_id, period, arg_min(source_file, (source_file, source_row)) as source_file,
                  arg_min(source_row, (source_file, source_row)) as source_row
           from population group by all) first_row
  on first_row.area_id = c.area_id and first_row.period = c.period
join (select a.parent_id, p.period, sum(p.einwohner) s from area_population p
      join area a on a.id = p.area_id where a.level = 'stadtbezirk' group by all) d
  on d.parent_id = c.area_id and d.period = c.period
where c.einwohner <> d.s
order by c.period
"""


def _district_sum_problems(con) -> list[Problem]:
    """The city's population must equal the sum of its districts (typically broken by population rows delivered
    for the city itself in addition to its districts): German message with file, row and both sums."""
    problems = []
    for area, period, city, districts, file, row in con.execute(DISTRICT_SUMS_SQL).fetchall():
        problems.append(Problem(
            file or "(Build)", row, "gebiet" if file else None,
            f"Bevölkerung am {period:%d.%m.%Y}: Stadt ({area}) {formatting.number(city)} Personen, Summe der "
            f"Stadtbezirke {formatting.number(districts)} Personen",
            "Bevölkerung nur für die Stadtbezirke liefern (die Stadt ist ihre Summe), nicht zusätzlich für die Stadt"))
    return problems
