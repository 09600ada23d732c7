"""Every queries/*.sql runs against the test database with its documented example parameters, returns rows,
and its declared key (header line ``-- Key: a, b``) is unique and not null; the runner enforces parameters."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.queries import QueryError, QueryRunner

QUERIES = sorted((REPO_ROOT / "queries").glob("*.sql"))


def _header(sql: str, field: str) -> str | None:
    m = re.search(rf"^--\s*{field}:\s*(.+)$", sql, flags=re.M | re.I)
    return m.group(1).strip() if m else None


# Conventional example values by parameter name; a query may override them with '-- Example: name=value, …'.
CONVENTIONAL = {
    "bezirk": "SB1",
    "gebiet": "SB1",
    "indikator": "eu2_anteil",
    "indikatoren": ["auslaender", "anteil_migrationshintergrund"],
    "leitziel": "AA-TR-LZ4",
    "ids": ["AA-TR-LZ4", "TH-EA-LZ2"],
    "nationalitaet": "RO",
    "schwelle": 3,
    "stichtag": dt.date(2022, 12, 31),
}


def _example_params(sql: str, names: frozenset[str]) -> dict[str, object]:
    params: dict[str, object] = {n: CONVENTIONAL[n] for n in names if n in CONVENTIONAL}
    text = _header(sql, "Example")
    if not text or text.lower() == "none":
        return params
    for part in text.split(","):
        key, _, value = part.strip().partition("=")
        value = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            params[key.strip().lstrip("$")] = dt.date.fromisoformat(value)
        elif re.fullmatch(r"-?\d+", value):
            params[key.strip().lstrip("$")] = int(value)
        else:
            params[key.strip().lstrip("$")] = value.strip("'\"")
    return params


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_query_runs_and_key_is_unique(runner: QueryRunner, path):
    sql = path.read_text(encoding="utf-8")
    assert _header(sql, "Grain"), f"{path.name}: header comment '-- Grain: …' fehlt"
    _, names = runner.sql(path.stem)
    params = _example_params(sql, names)
    assert set(params) == set(names), f"{path.name}: '-- Example:' muss alle Parameter {sorted(names)} belegen"
    frame = runner.run(path.stem, **params)
    assert len(frame) >= 1, f"{path.name}: keine Zeile für die Beispielparameter {params} ('-- Example:' anpassen)"
    key = _header(sql, "Key")
    if key and not key.lower().startswith("none"):
        cols = [c.strip() for c in key.rstrip(".").split(",")]
        assert set(cols) <= set(frame.columns), f"{path.name}: Schlüsselspalten fehlen"
        assert not frame[cols].isna().any().any(), f"{path.name}: Schlüssel enthält NULL"
        assert not frame.duplicated(cols).any(), f"{path.name}: Schlüssel nicht eindeutig"


def test_runner_rejects_missing_and_extra_parameters(runner: QueryRunner, tmp_path):
    (tmp_path / "probe.sql").write_text("-- Grain: one row\nselect $a::int as a, '$nicht' as b -- $kommentar\n")
    probe = QueryRunner(runner.db_path, tmp_path)
    assert probe.run("probe", a=1).iloc[0].tolist() == [1, "$nicht"]
    with pytest.raises(QueryError, match="fehlen: a"):
        probe.run("probe")
    with pytest.raises(QueryError, match="unbekannt: b"):
        probe.run("probe", a=1, b=2)
    with pytest.raises(QueryError, match="ungültiger Abfragename"):
        probe.run("../probe")


def test_bound_parameters_are_data_not_sql(runner: QueryRunner, tmp_path):
    (tmp_path / "echo.sql").write_text("-- Grain: one row\nselect count(*) as n from area where id = $id\n")
    probe = QueryRunner(runner.db_path, tmp_path)
    assert probe.run("echo", id="x' or '1'='1").iloc[0]["n"] == 0


def test_connection_is_read_only(runner: QueryRunner, tmp_path):
    (tmp_path / "write.sql").write_text("-- Grain: none\ndelete from area\n")
    probe = QueryRunner(runner.db_path, tmp_path)
    with pytest.raises(QueryError, match="read-only|read only"):
        probe.run("write")
