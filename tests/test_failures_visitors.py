"""Failures a visitor may meet (issue 13 §5): a damaged database gives a German maintenance notice (details only
in the server log), the Parquet export for several servers carries only public values, and the Parquet backend
runs no SQL read from the export's manifest."""

from __future__ import annotations

import json
import logging
import shutil
import tomllib
from pathlib import Path

import duckdb
import pytest
from conftest import db_rows as _raw

from integrationsmonitor import backends
from integrationsmonitor.config import REPO_ROOT

PAGES = REPO_ROOT / "pages"


def _app(page: str):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(PAGES / page), default_timeout=90)


def _all_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "exception", "title", "header", "subheader"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    return "\n".join(parts)


# ----------------------------------------------------------------------------- damaged database
PUBLIC_PAGES = ["uebersicht.py", "leitziele.py", "quartiere.py", "suedosteuropa.py", "methodik.py",
                "sitzungspaket.py", "praesentation.py"]


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 3]


def _header_destroyed(data: bytes) -> bytes:
    return b"\0" * 8192 + data[8192:]


@pytest.mark.parametrize(("page", "damage"), [("uebersicht.py", _truncated), ("quartiere.py", _truncated),
                                              *[(page, _header_destroyed) for page in PUBLIC_PAGES]])
def test_damaged_database_shows_a_german_maintenance_notice_and_logs_the_details(page, damage, built_db, tmp_path,
                                                                                 monkeypatch, caplog):
    broken = tmp_path / "beschaedigt.duckdb"
    broken.write_bytes(damage(built_db.read_bytes()))
    monkeypatch.setenv("IMH_DB", str(broken))
    with caplog.at_level(logging.ERROR, logger="integrationsmonitor.serving.ui"):
        at = _app(page).run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    assert any("Wartungsarbeiten" in w.value for w in at.warning)
    shown = _all_text(at)
    assert str(tmp_path) not in shown and "Traceback" not in shown and "duckdb" not in shown.lower()
    logged = [r for r in caplog.records if "Wartungshinweis" in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the details stay in the server log


def test_visitors_get_no_error_details():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


# ----------------------------------------------------------------------------- Parquet export
def _exported(out: Path, built_db: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with views x_population, x_observation, x_area_population over the export's files and
    the source database attached as src."""
    con = duckdb.connect()
    sources = {"population": f"'{out}/population/**/*.parquet', hive_partitioning = true",
               "observation": f"'{out}/observation/**/*.parquet', hive_partitioning = true",
               "area_population": f"'{out}/area_population.parquet'"}
    for name, source in sources.items():
        con.execute(f"create view x_{name} as select * from read_parquet({source})")  # noqa: S608 - test paths
    con.execute(f"attach '{built_db}' as src (read_only)")
    return con


def test_public_parquet_export_has_no_unsuppressed_value(built_db, tmp_path):
    hidden_cells = _raw(built_db, "select count(*) from population_suppressed s join population p using "
                                  "(area_id, period, nationality, age_group, sex)")[0][0]
    hidden_obs = _raw(built_db, "select count(*) from observation where suppressed and value is not null")[0][0]
    assert hidden_cells > 0 and hidden_obs > 0  # the example data do have hidden cells with values
    out = tmp_path / "oeffentlich"
    manifest = backends.export_parquet(built_db, out)
    assert manifest["internal"] is False and "views" not in manifest
    con = _exported(out, built_db)
    leaked = con.execute("""select count(*) from x_population p join src.population_suppressed s
        on s.area_id = p.area_id and cast(s.period as varchar) = cast(p.period as varchar)
       and s.nationality = p.nationality and s.age_group = p.age_group and s.sex = p.sex
        where p.persons is not null""").fetchone()[0]
    assert leaked == 0
    assert con.execute("select count(*) from x_observation where suppressed and value is not null").fetchone()[0] == 0
    assert con.execute("select count(*) from x_population").fetchone()[0] == _raw(
        built_db, "select count(*) from population")[0][0]  # rows kept, values emptied
    assert con.execute("""select count(*) from x_area_population a join src.area_population_public v
        using (area_id, period) where a.einwohner is distinct from v.einwohner
           or a.auslaender is distinct from v.auslaender or a.eu2 is distinct from v.eu2""").fetchone()[0] == 0


def test_internal_export_only_on_request(built_db, tmp_path):
    out = tmp_path / "intern"
    manifest = backends.export_parquet(built_db, out, internal=True)
    assert manifest["internal"] is True
    con = _exported(out, built_db)
    n = con.execute("select count(*) from x_observation where suppressed and value is not null").fetchone()[0]
    assert n == _raw(built_db, "select count(*) from observation where suppressed and value is not null")[0][0] > 0


@pytest.fixture
def export(built_db, tmp_path) -> Path:
    out = tmp_path / "export"
    backends.export_parquet(built_db, out)
    return out


def _rewrite(export: Path, change) -> None:
    path = export / backends.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_parquet_backend_runs_no_sql_from_the_manifest(export):
    marker = export / "ausgefuehrt.csv"
    statement = f"copy (select 42 as x) to '{marker}'"
    _rewrite(export, lambda m: m.update(views=[["x", statement], ["y", "create table angriff as select 1 as x"]]))
    runner = backends.ParquetRunner(export, REPO_ROOT / "queries")
    try:
        assert not marker.exists()
        names = {r[0] for r in runner._con.execute("select table_name from duckdb_tables()").fetchall()}
        assert "angriff" not in names
        assert len(runner.run("build_manifest")) == 1  # the export itself still serves
    finally:
        runner.close()


@pytest.mark.parametrize("change", [
    lambda m: m["tables"]["area"]["columns"].__setitem__(0, ["id", "VARCHAR) as id from (select 1) --"]),
    lambda m: m["tables"]["area"]["columns"].__setitem__(0, ['id" varchar, "x', "VARCHAR"]),
    lambda m: m["tables"].__setitem__("area; drop table x", m["tables"]["area"]),
    lambda m: m["tables"]["area"].__setitem__("partition", ["gibt_es_nicht"]),
])
def test_parquet_backend_refuses_a_manifest_with_anything_but_names_and_types(export, change):
    _rewrite(export, change)
    with pytest.raises(backends.ExportError, match="Manifest des Parquet-Exports"):
        backends.ParquetRunner(export, REPO_ROOT / "queries")


def test_damaged_export_is_a_maintenance_case(export):
    (export / backends.MANIFEST).write_text("{kaputt", encoding="utf-8")
    with pytest.raises(backends.ExportError, match="nicht lesbar"):
        backends.ParquetRunner(export, REPO_ROOT / "queries")
    shutil.rmtree(export)
    with pytest.raises(backends.ExportError):
        backends.ParquetRunner(export, REPO_ROOT / "queries")


def test_whole_app_with_a_damaged_database_shows_the_notice(built_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    broken = tmp_path / "beschaedigt.duckdb"
    broken.write_bytes(_header_destroyed(built_db.read_bytes()))
    monkeypatch.setenv("IMH_DB", str(broken))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception
    assert any("Wartungsarbeiten" in w.value for w in at.warning)
    assert str(tmp_path) not in _all_text(at)
