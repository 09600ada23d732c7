"""Build rules (build.pipeline): the live database is swapped by rename, never written in place; a failed build
leaves it untouched; the status series prefers real figures over example data."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from integrationsmonitor.build import pipeline
from integrationsmonitor.config import REPO_ROOT, SCHEMA_VERSION, Settings
from integrationsmonitor.problems import ValidationError

TODAY = dt.date(2026, 11, 25)


def test_failed_build_leaves_the_live_database_untouched(tmp_path: Path, built_db: Path):
    db = tmp_path / "live.duckdb"
    shutil.copyfile(built_db, db)  # the session's build of data/ as of TODAY
    before = (db.stat().st_ino, db.read_bytes())
    bad = tmp_path / "kaputt.csv"
    bad.write_text("indikator;gebiet;stichtag;staatsangehoerigkeit;wert;zaehler;nenner;quelle;hinweis;beispieldaten\n"
                   "einbuergerungen;SB1;31.12.2022;_T;-4;;;Test;;nein\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        pipeline.build(REPO_ROOT / "data", db, extra_files=[bad], today=TODAY)
    assert (db.stat().st_ino, db.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kaputt.csv", "live.duckdb"]


@pytest.fixture
def stubbed(monkeypatch):
    """build() with every stage but the database file handling replaced by no-ops (fast, no data/ needed)."""
    monkeypatch.setattr(pipeline, "read_inputs", lambda data_dir, extra, today: SimpleNamespace(
        catalog=SimpleNamespace(source_kinds=[]), files=[], official=None))
    for name in ("_load_catalog", "_load_records", "_load_status", "_check_integrity"):
        monkeypatch.setattr(pipeline, name, lambda *args: None)
    monkeypatch.setattr(pipeline.suppression, "apply", lambda con, *_: con.execute(
        "create table population_suppressed (area_id varchar, period date, nationality varchar, "
        "age_group varchar, sex varchar)"))
    return monkeypatch


def _manifest(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select build_id, schema_version, status_date, observations, population_rows, "
                           "suppression_threshold, small_denominator from build_manifest").fetchone()
    finally:
        con.close()


def test_fast_build_writes_manifest_and_leaves_nothing_else(tmp_path: Path, stubbed):
    db = tmp_path / "sub" / "live.duckdb"                       # the folder is created
    settings = Settings.from_env({"IMH_GEHEIMHALTUNG_SCHWELLE": "5", "IMH_KLEINER_NENNER": "40"})
    result = pipeline.build(tmp_path, db, today=TODAY, settings=settings)
    assert (result.db_path, result.observations, result.population_rows) == (db, 0, 0)
    assert result.size_bytes == db.stat().st_size > 0 and result.seconds >= 0
    assert _manifest(db) == (result.build_id, SCHEMA_VERSION, TODAY, 0, 0, 5, 40)
    assert len(result.build_id) == 32
    assert sorted(p.name for p in db.parent.iterdir()) == ["live.duckdb"]


def test_fast_rebuild_swaps_by_rename(tmp_path: Path, stubbed):
    db = tmp_path / "live.duckdb"
    first = pipeline.build(tmp_path, db, today=TODAY)
    before = (db.stat().st_ino, db.read_bytes())
    calls: list[tuple[Path, Path, tuple]] = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((Path(src), Path(dst), (Path(dst).stat().st_ino, Path(dst).read_bytes())))
        assert _manifest(Path(src))[0] != first.build_id     # the new database is complete before the swap
        real_replace(src, dst)

    stubbed.setattr(pipeline.os, "replace", spy)
    second = pipeline.build(tmp_path, db, today=TODAY)
    [(src, dst, live_at_swap)] = calls
    assert (dst, live_at_swap) == (db, before)
    assert src.parent == db.parent and src.name.startswith(f".live.duckdb.{os.getpid()}.")
    assert src.name.endswith(".tmp") and not src.exists()
    assert db.stat().st_ino != before[0]
    assert _manifest(db)[0] == second.build_id != first.build_id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.duckdb"]


def test_failure_after_writing_removes_the_temporary_file(tmp_path: Path, stubbed):
    db = tmp_path / "live.duckdb"
    db.write_bytes(b"alte Datenbank")

    def broken(con):
        raise ValidationError([])

    stubbed.setattr(pipeline, "_check_integrity", broken)
    with pytest.raises(ValidationError):
        pipeline.build(tmp_path, db, today=TODAY)
    assert db.read_bytes() == b"alte Datenbank"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.duckdb"]


# ----------------------------------------------------------------------------- status series
def _series_db(rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table observation (indicator_id varchar, area_id varchar, period date, nationality varchar,"
                " value double, is_example boolean, source varchar)")
    for row in rows:
        con.execute("insert into observation values (?, ?, ?, ?, ?, ?, ?)", list(row))
    return con


def _d(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def test_example_data_never_replaces_a_real_series():
    city = "05914000"
    rows = [("quote", city, _d(y), "_T", float(y - 2000), True, "Beispiel") for y in (2019, 2020, 2021, 2022)]
    rows += [("quote", city, _d(y), "_T", 50.0 + y - 2021, False, "Amt") for y in (2021, 2022)]
    rows += [("quote", "SB1", _d(y), "_T", 1.0, False, "Amt") for y in (2015, 2016, 2017)]   # not the city
    nationality, points, is_example, source = pipeline._status_series(_series_db(rows), "quote")
    assert (nationality, is_example, source) == ("_T", False, "Amt")
    assert [(p.period, p.value) for p in points] == [(_d(2021), 50.0), (_d(2022), 51.0)]


def test_longest_real_source_wins_and_example_only_when_nothing_real():
    city = "05914000"
    rows = [("quote", city, _d(y), "_T", 1.0, False, "A") for y in (2021, 2022)]
    rows += [("quote", city, _d(y), "_T", 2.0, False, "B") for y in (2020, 2021, 2022)]
    assert pipeline._status_series(_series_db(rows), "quote")[3] == "B"
    only_example = [("quote", city, _d(2022), "_T", 3.0, True, "Beispiel")]
    assert pipeline._status_series(_series_db(only_example), "quote")[1:] == (
        [pipeline.status.Point(_d(2022), 3.0)], True, "Beispiel")
    assert pipeline._status_series(_series_db([]), "quote") == ("_T", [], False, None)


def test_eu2_series_use_ro_bg_and_sgb2_falls_back_to_total():
    city = "05914000"
    rows = [("eu2_anteil", city, _d(2022), "RO+BG", 4.0, False, "A"), ("eu2_anteil", city, _d(2022), "_T", 9.0,
                                                                       False, "A"),
            ("sgb2_quote_eu2", city, _d(2022), "_T", 7.0, False, "A")]
    con = _series_db(rows)
    assert pipeline._status_series(con, "eu2_anteil")[:2] == ("RO+BG", [pipeline.status.Point(_d(2022), 4.0)])
    assert pipeline._status_series(con, "sgb2_quote_eu2")[:2] == ("_T", [pipeline.status.Point(_d(2022), 7.0)])


def test_publishing_swaps_by_rename_too(tmp_path: Path, monkeypatch):
    """build.update._swap_in (publishing a staged build): also a rename in the target's folder."""
    from integrationsmonitor.build import update

    target = tmp_path / "live.duckdb"
    target.write_bytes(b"alt")
    source = tmp_path / "neu.duckdb"
    source.write_bytes(b"neu")
    old_inode = target.stat().st_ino
    seen: list[bytes] = []
    real_replace = os.replace

    def spy(src, dst):
        assert re.fullmatch(r"\.live\.duckdb\.[0-9a-f]{8}\.tmp", Path(src).name)
        assert Path(src).parent == target.parent
        seen.append(Path(dst).read_bytes())
        real_replace(src, dst)

    monkeypatch.setattr(update.os, "replace", spy)
    update._swap_in(source, target, copy=True)
    assert seen == [b"alt"]                                       # untouched until the rename
    assert target.read_bytes() == b"neu" and target.stat().st_ino != old_inode
    assert source.read_bytes() == b"neu"                          # copy=True keeps the staged file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.duckdb", "neu.duckdb"]
    update._swap_in(source, target, copy=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.duckdb"]
    # a failing copy raises the copy's own error and leaves no temporary file
    with pytest.raises(FileNotFoundError) as failed:
        update._swap_in(tmp_path / "fehlt.duckdb", target, copy=True)
    assert "fehlt.duckdb" in str(failed.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.duckdb"]
