"""Export queries without the page row cap: QueryRunner.iter_batches streams every row, complete and in order,
and report editions freeze all public observations however many there are."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from integrationsmonitor import queries
from integrationsmonitor.exports import editions
from integrationsmonitor.queries import QueryError, QueryRunner

COLUMNS = ("indicator_id, area_id, period, nationality, source, value, numerator, denominator, suppressed, uncertain, "
           "is_example, is_approx, is_rounded, date_uncertain, flag")


@pytest.fixture(scope="module")
def public_rows(built_db: Path) -> list[tuple]:
    """observation_public in the export's order, read independently of the runner."""
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        return con.execute(f"select {COLUMNS} from observation_public "  # noqa: S608 - constant column list
                           "order by indicator_id, area_id, period, nationality, source").fetchall()
    finally:
        con.close()


@pytest.fixture()
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    cap = 100
    monkeypatch.setattr(queries, "MAX_ROWS", cap)
    return cap


def test_more_rows_than_the_cap_come_through_complete_and_in_order(runner: QueryRunner, public_rows, small_cap):
    assert len(public_rows) > 3 * small_cap
    with pytest.raises(QueryError, match=f"mehr als {small_cap} Zeilen"):
        runner.run("ausgabe_beobachtungen")  # the page path keeps its cap
    batches = list(runner.iter_batches("ausgabe_beobachtungen", batch_rows=37))
    assert [len(b) for b in batches[:-1]] == [37] * (len(batches) - 1)
    assert 1 <= len(batches[-1]) <= 37
    assert all(list(b.columns) == [c.strip() for c in COLUMNS.split(",")] for b in batches)
    streamed = [row for b in batches for row in b.itertuples(index=False, name=None)]
    assert streamed == public_rows  # every row, same values (NULL stays None), same order


def test_batches_do_not_depend_on_the_batch_size(runner: QueryRunner, public_rows):
    one = pd.concat(list(runner.iter_batches("ausgabe_beobachtungen", batch_rows=len(public_rows) + 5)))
    many = pd.concat(list(runner.iter_batches("ausgabe_beobachtungen", batch_rows=10)), ignore_index=True)
    pd.testing.assert_frame_equal(one, many)
    assert all(pd.api.types.is_object_dtype(d) for d in one.dtypes)  # values as DuckDB returns them, not re-inferred per batch


def test_parameters_are_checked_at_once_like_run(runner: QueryRunner):
    with pytest.raises(QueryError, match="fehlen: leitziel"):
        runner.iter_batches("leitziel_indikatoren")
    with pytest.raises(QueryError, match="unbekannt: x"):
        runner.iter_batches("ausgabe_beobachtungen", x=1)
    with pytest.raises(QueryError, match="gibt es nicht"):
        runner.iter_batches("gibt_es_nicht")
    for bad in (0, -1, 2.5, True):
        with pytest.raises(QueryError, match="batch_rows"):
            runner.iter_batches("ausgabe_beobachtungen", batch_rows=bad)


def test_empty_result_and_abandoned_iteration(runner: QueryRunner):
    empty = list(runner.iter_batches("leitziel_indikatoren", leitziel="gibt-es-nicht"))
    assert len(empty) == 1 and empty[0].empty and "indicator_id" in empty[0].columns
    batches = runner.iter_batches("ausgabe_beobachtungen", batch_rows=5)
    assert len(next(batches)) == 5
    batches.close()  # closes its cursor; the runner goes on working
    assert len(runner.run("build_manifest")) == 1


def test_sql_error_is_a_query_error(runner: QueryRunner, tmp_path: Path):
    (tmp_path / "kaputt.sql").write_text("-- Grain: none\nselect * from gibt_es_nicht\n")
    probe = QueryRunner(runner.db_path, tmp_path)
    try:
        with pytest.raises(QueryError, match="kaputt.*fehlgeschlagen"):
            list(probe.iter_batches("kaputt"))
    finally:
        probe.close()


def test_edition_freezes_all_observations_beyond_the_cap(runner: QueryRunner, public_rows, small_cap, tmp_path):
    edition = editions.freeze(runner, "Mehr als die Grenze", directory=tmp_path)
    assert len(edition.observations) == len(public_rows) > small_cap
    keys = [tuple(r[k] for k in editions.OBS_KEY) for r in edition.observations]
    assert keys == [(i, a, p.isoformat(), n, s) for i, a, p, n, s, *_ in public_rows]
    values = {k: r["value"] for k, r in zip(keys, edition.observations, strict=True)}
    assert all(values[(i, a, p.isoformat(), n, s)] == v for i, a, p, n, s, v, *_ in public_rows)
    assert editions.load(edition.slug, tmp_path).observations == edition.observations
