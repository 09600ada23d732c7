"""Exports read protected values only: a status whose latest cell is kept secret is frozen without its number."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.queries import QueryRunner

KEY = ("indicator_id", "area_id", "nationality", "source")


def test_status_export_masks_a_suppressed_latest_value(built_db: Path, tmp_path: Path):
    db = tmp_path / "geheim.duckdb"
    shutil.copy(built_db, db)
    with duckdb.connect(str(db)) as con:
        indicator, raw = con.execute(
            "select indicator_id, latest_value from indicator_status where latest_value is not null "
            "order by indicator_id limit 1").fetchone()
        # the latest cell of this status series becomes secret (as a secondary suppression would make it)
        con.execute(
            "update observation o set suppressed = true from indicator_status s where s.indicator_id = $i "
            "and o.indicator_id = s.indicator_id and o.area_id = s.area_id and o.nationality = s.nationality "
            "and o.source = s.source and o.period = s.latest_period", {"i": indicator})
    runner = QueryRunner(db, REPO_ROOT / "queries")
    rows = runner.run("ausgabe_indikator_status").set_index("indicator_id")
    runner.close()
    assert bool(rows.loc[indicator, "latest_suppressed"])
    assert rows.loc[indicator, "latest_value"] is None or rows["latest_value"].isna()[indicator]
    others = rows.drop(index=indicator)
    assert not others["latest_suppressed"].any()
    assert raw not in set(rows["latest_value"].dropna()) or (others["latest_value"] == raw).any()
