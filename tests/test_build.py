"""Build: good data loads; broken files are all reported and leave the old database byte-for-byte intact;
derived figures equal independent arithmetic on the raw files."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from conftest import DB_NAME, STATUS_DATE

from integrationsmonitor.__main__ import main as cli
from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.problems import ValidationError

RAW = REPO_ROOT / "data" / "raw"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", target, ignore=shutil.ignore_patterns("*.duckdb", "versions", "editions"))
    return target


def test_good_build_loads_every_raw_row(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    loaded = dict(con.execute("select path, rows_loaded from source_file where rows_loaded is not null").fetchall())
    for path in sorted(RAW.glob("*.csv")):
        assert loaded[f"raw/{path.name}"] == len(_rows(path)), path.name
    manifest = con.execute("select schema_version, status_date, build_id from build_manifest").fetchone()
    assert manifest[0] == 1 and manifest[1] == STATUS_DATE and len(manifest[2]) == 32
    shas = dict(con.execute("select path, sha256 from source_file").fetchall())
    assert shas["raw/hagen_veroeffentlichte_zahlen.csv"] == _sha(RAW / "hagen_veroeffentlichte_zahlen.csv")


def test_every_observation_traces_to_a_file_row_and_has_source_and_stand(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    bad = con.execute(
        "select count(*) from observation where source = '' or period is null "
        "or (source_file not in ('population', 'election_district') and source_row is null)"
    ).fetchone()[0]
    assert bad == 0


def test_real_rows_are_never_example_and_example_rows_are_flagged(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    by_file = dict(con.execute(
        "select source_file, bool_or(is_example) from observation where not is_derived group by all").fetchall())
    assert by_file["raw/hagen_veroeffentlichte_zahlen.csv"] is False
    assert by_file["raw/vergleichszahlen.csv"] is False
    for name, flagged in by_file.items():
        if Path(name).name.startswith("beispiel_"):
            assert flagged is True
    ro_2022 = con.execute(
        "select value, is_example, is_rounded from observation where figure_id = 'F32'").fetchone()
    assert ro_2022 == (4855.0, False, True)


def test_eu2_sum_equals_romania_plus_bulgaria_from_the_raw_file(built_db):
    rows = [r for name in ("hagen_veroeffentlichte_zahlen.csv", "lieferung_2026-12_veroeffentlichte_zahlen.csv")
            for r in _rows(RAW / name)]  # every file of published figures (the delivery 2026-12 adds 2019/2020)
    by_key = defaultdict(dict)
    for r in rows:
        if r["measure"] == "auslaender" and r["nationality"] in {"RO", "BG"}:
            by_key[(r["area"], r["period"], r["source_kind"])][r["nationality"]] = float(r["value"])
    expected = {(k[1], k[2]): v["RO"] + v["BG"] for k, v in by_key.items() if len(v) == 2}
    assert expected  # the real file has such pairs (e.g. IT.NRW 31.12.2022)
    con = duckdb.connect(str(built_db), read_only=True)
    got = {(p.isoformat(), s): v for p, s, v in con.execute(
        "select period, source, value from observation where indicator_id = 'eu2_bestand' and area_id = '05914000' "
        "and not is_example").fetchall()}
    assert got == expected


def test_population_derivations_match_raw_arithmetic(built_db):
    path = RAW / "beispiel_bevoelkerung.csv"
    if not path.exists():
        pytest.fail("beispiel_bevoelkerung.csv fehlt: `python -m integrationsmonitor beispieldaten` ausführen")
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in _rows(path):
        for area in (r["gebiet"], "05914000"):
            cell = totals[(area, r["stichtag"])]
            cell["all"] += int(r["personen"])
            if r["staatsangehoerigkeit"] in {"RO", "BG"}:
                cell["eu2"] += int(r["personen"])
    con = duckdb.connect(str(built_db), read_only=True)
    rows = con.execute("select area_id, period, einwohner, eu2 from area_population").fetchall()
    assert len(rows) == len(totals)
    for area, period, einwohner, eu2 in rows:
        cell = totals[(area, period.strftime("%d.%m.%Y"))]
        assert (einwohner, eu2) == (cell["all"], cell["eu2"])
    share = con.execute(
        "select value from observation where indicator_id = 'eu2_anteil' and area_id = 'SB1' "
        "and period = date '2022-12-31'").fetchone()[0]
    cell = totals[("SB1", "31.12.2022")]
    assert share == pytest.approx(round(100 * cell["eu2"] / cell["all"], 2))


def test_status_of_the_deadline_leitziel_is_honest(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    row = con.execute("select category, label, rule from indicator_status "
                      "where indicator_id = 'eu2_datenverfuegbarkeit'").fetchone()
    # target 100 due 31.12.2018, latest value 75 (2024): the deadline passed without reaching the target
    assert row == ("nicht_auf_kurs", "Frist abgelaufen", "frist_abgelaufen")
    no_data = con.execute("select category from indicator_status where indicator_id = 'elternbeteiligung'").fetchone()
    assert no_data == ("keine_daten",)
    rollup = con.execute("select count(*) from leitziel_status").fetchone()[0]
    assert rollup == 27


BROKEN = {
    "raw/kaputt.csv": (
        "indikator;gebiet;stichtag;staatsangehoerigkeit;wert;zaehler;nenner;quelle;hinweis;beispieldaten\n"
        "einbuergerungen;Atlantis;31.12.2022;_T;12;;;Test;;nein\n"
        "einbuergerungen;SB1;31.02.2022;_T;12;;;Test;;nein\n"
        "einbuergerungen;SB2;31.12.2022;_T;-4;;;Test;;nein\n"
        "unbekannt;SB3;31.12.2022;_T;1;;;Test;;nein\n"
        "einbuergerungen;SB4;31.12.2022;_T;12.5;;;Test;;nein\n"
    ),
}


def test_broken_files_report_every_problem_and_keep_old_db(data_copy, data_template, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copyfile(data_template() / DB_NAME, db)  # the build of data_copy's files, made once per session
    before = _sha(db)
    for rel, content in BROKEN.items():
        (data_copy / rel).write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        build(data_copy, db, today=STATUS_DATE)
    messages = [str(p) for p in exc.value.problems]
    expected = [
        ("raw/kaputt.csv:2:gebiet", "Atlantis"),
        ("raw/kaputt.csv:3:stichtag", "unmögliches Datum"),
        ("raw/kaputt.csv:4:wert", "negative Anzahl"),
        ("raw/kaputt.csv:5:indikator", "unbekannt"),
        ("raw/kaputt.csv:6:wert", "Dezimalpunkt"),
    ]
    for where, what in expected:
        assert any(m.startswith(where) and what in m for m in messages), (where, messages)
    assert _sha(db) == before
    assert not list(db.parent.glob(".*.tmp"))


def test_cli_build_fails_with_nonzero_exit_and_lists_problems(data_copy, tmp_path, monkeypatch, capsys):
    db = tmp_path / "cli.duckdb"
    monkeypatch.setenv("IMH_DATA_DIR", str(data_copy))
    monkeypatch.setenv("IMH_DB", str(db))
    assert cli(["build"]) == 0
    before = _sha(db)
    (data_copy / "raw" / "kaputt.csv").write_text(BROKEN["raw/kaputt.csv"], encoding="utf-8")
    assert cli(["build"]) == 1
    err = capsys.readouterr().err
    assert "5 Problem(e)" in err and "raw/kaputt.csv:2:gebiet" in err
    assert _sha(db) == before


def test_build_is_reproducible(data_copy, tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build(data_copy, a, today=STATUS_DATE)
    build(data_copy, b, today=STATUS_DATE)
    query = "select * exclude (source_row) from observation order by all"
    rows_a = duckdb.connect(str(a), read_only=True).execute(query).fetchall()
    rows_b = duckdb.connect(str(b), read_only=True).execute(query).fetchall()
    assert rows_a == rows_b


def test_german_conventions_cp1252_and_xlsx(data_copy, tmp_path):
    header = "indikator;gebiet;stichtag;staatsangehoerigkeit;wert;zaehler;nenner;quelle;hinweis;beispieldaten\n"
    line = "einbuergerungen;Eilpe/Dahl;31.12.2030;_T;1.234;;;Einbürgerungsbehörde;Prüfung;nein\n"
    (data_copy / "raw" / "cp1252.csv").write_bytes((header + line.replace("2030", "2025")).encode("cp1252"))
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header.strip().split(";"))
    ws.append(["einbuergerungen", "SB5", dt.date(2025, 12, 31), "_T", 17.0, None, None, "Test", "", "nein"])
    wb.save(data_copy / "raw" / "lieferung.xlsx")
    db = tmp_path / "x.duckdb"
    build(data_copy, db, today=dt.date(2026, 11, 25))
    con = duckdb.connect(str(db), read_only=True)
    got = dict(con.execute(
        "select area_id, value from observation where indicator_id='einbuergerungen' and period=date '2025-12-31' "
        "and not is_example").fetchall())
    assert got == {"SB4": 1234.0, "SB5": 17.0}
    note = con.execute("select note from observation where source_file='raw/cp1252.csv'").fetchone()[0]
    assert note == "Prüfung"
