"""The Parquet backend answers every queries/*.sql exactly like the DuckDB file it was exported from."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from bench.params import sample_params
from integrationsmonitor import backends
from integrationsmonitor.config import REPO_ROOT, Settings
from integrationsmonitor.queries import QueryRunner

QUERY_NAMES = sorted(p.stem for p in (REPO_ROOT / "queries").glob("*.sql"))


@pytest.fixture(scope="module")
def parquet_runner(built_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    backends.export_parquet(built_db, out)
    runner = backends.ParquetRunner(out, REPO_ROOT / "queries")
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def params(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    runner = QueryRunner(built_db, REPO_ROOT / "queries")
    try:
        yield {name: sample_params(con, runner.sql(name)[1]) for name in QUERY_NAMES}
    finally:
        runner.close()
        con.close()


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns), na_position="first", kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_identical_on_parquet(name, runner, parquet_runner, params):
    expected = runner.run(name, **params[name])
    actual = parquet_runner.run(name, **params[name])
    assert list(actual.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(_normalised(actual), _normalised(expected))


def test_tables_round_trip_with_types(built_db, parquet_runner):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() where not internal").fetchall()]
        for table in tables:
            n = con.execute(f'select count(*) from "{table}"').fetchone()[0]  # noqa: S608 - catalogue name
            assert parquet_runner._con.execute(f'select count(*) from "{table}"').fetchone()[0] == n  # noqa: S608
            types = con.execute("select column_name, data_type from information_schema.columns where table_name = ? "
                                "order by ordinal_position", [table]).fetchall()
            got = parquet_runner._con.execute(f'describe "{table}"').fetchall()  # noqa: S608
            assert [(r[0], r[1]) for r in got] == types
    finally:
        con.close()


def test_backend_chosen_by_configuration(built_db, parquet_runner, monkeypatch):
    monkeypatch.setenv("IMH_BACKEND", "parquet")
    monkeypatch.setenv("IMH_PARQUET_DIR", parquet_runner.parquet_dir)
    settings = Settings.from_env()
    chosen = backends.make_runner(settings)
    try:
        assert isinstance(chosen, backends.ParquetRunner)
        assert chosen.run("build_manifest").equals(QueryRunner(built_db, settings.queries_dir).run("build_manifest"))
    finally:
        chosen.close()
    monkeypatch.setenv("IMH_BACKEND", "duckdb")
    assert type(backends.make_runner(Settings.from_env())) is QueryRunner
    monkeypatch.setenv("IMH_BACKEND", "oracle")
    with pytest.raises(ValueError, match="IMH_BACKEND"):
        backends.make_runner(Settings.from_env())
