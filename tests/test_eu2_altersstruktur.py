"""Age structure of RO and BG residents (queries/eu2_altersstruktur.sql): only figures the build's protection
publishes are shown, and no suppressed cell can be recovered from what the query shows.

The query used to apply a threshold rule of its own to the raw population table; it then showed district cells
that the build had suppressed (e.g. a district × nationality × age group sum whose one hidden sex cell followed
from it) and city cells whose hidden district part followed by subtraction.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from integrationsmonitor.queries import QueryRunner

CITY = "05914000"


@pytest.fixture(scope="module")
def data(built_db: Path) -> dict:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        districts = [r[0] for r in con.execute(
            "select id from area where level = 'stadtbezirk' and parent_id = $c order by id", {"c": CITY}).fetchall()]
        periods = [r[0] for r in con.execute(
            "select distinct period from population where area_id in (select unnest($d::varchar[])) order by 1",
            {"d": districts}).fetchall()]
        raw = {(a, p, n, g): v for a, p, n, g, v in con.execute(
            "select area_id, period, nationality, age_group, sum(persons) from population "
            "where nationality in ('RO', 'BG') group by all").fetchall()}
        margin_hidden = {tuple(r) for r in con.execute(
            "select area_id, period, nationality, age_group from population_suppressed where sex = '_T'").fetchall()}
        sex_cells: dict[tuple, list[tuple]] = defaultdict(list)
        for a, p, n, g, persons, suppressed in con.execute(
                "select area_id, period, nationality, age_group, persons, suppressed from population_public "
                "where nationality in ('RO', 'BG')").fetchall():
            sex_cells[(a, p, n, g)].append((persons, suppressed))
    finally:
        con.close()
    assert districts and periods
    return {"districts": districts, "periods": periods, "raw": raw, "margin_hidden": margin_hidden,
            "sex_cells": dict(sex_cells)}


def _run(runner: QueryRunner, area: str, period) -> pd.DataFrame:
    rows = runner.run("eu2_altersstruktur", bezirk=area, stichtag=period)
    assert list(rows.columns) == ["nationality", "age_group", "age_group_name", "age_from", "persons", "suppressed",
                                  "is_example", "source"]
    # a suppressed cell never carries a number, a published one always does
    assert (rows["persons"].isna() == rows["suppressed"]).all()
    return rows


def test_district_cells_are_the_protected_margins(runner: QueryRunner, data: dict):
    """Each district cell is the build-protected margin (sex '_T'): shown exactly where the build publishes it."""
    checked = hidden = 0
    for area in data["districts"]:
        for period in data["periods"]:
            for r in _run(runner, area, period).itertuples():
                key = (area, period, r.nationality, r.age_group)
                checked += 1
                if key in data["margin_hidden"]:
                    hidden += 1
                    assert r.suppressed, f"{key}: von der Geheimhaltung verborgen, aber mit Zahl gezeigt"
                else:
                    assert not r.suppressed, f"{key}: veröffentlicht, aber als geheim gezeigt"
                    assert r.persons == data["raw"][key]
    assert checked and hidden  # the example data do contain suppressed cells


def test_no_hidden_sex_cell_follows_from_a_shown_district_cell(runner: QueryRunner, data: dict):
    """Against population_public: a shown sum over sex with exactly one hidden sex cell would reveal that cell."""
    one_hidden_cases = 0
    for area in data["districts"]:
        for period in data["periods"]:
            for r in _run(runner, area, period).itertuples():
                cells = data["sex_cells"][(area, period, r.nationality, r.age_group)]
                n_hidden = sum(1 for _, suppressed in cells if suppressed)
                one_hidden_cases += n_hidden == 1
                if r.suppressed:
                    continue
                assert n_hidden != 1, (f"{(area, period, r.nationality, r.age_group)}: Summe gezeigt, der eine "
                                       "verborgene Wert nach Geschlecht wäre daraus errechenbar")
                if n_hidden == 0:
                    assert r.persons == sum(p for p, _ in cells)
    assert one_hidden_cases  # the property is exercised by the example data


def test_city_cells_reveal_nothing_beyond_the_district_cells(runner: QueryRunner, data: dict):
    """A city cell is shown only as the sum of shown district cells: no hidden district cell = city − others."""
    hidden_in_city = 0
    for period in data["periods"]:
        city = _run(runner, CITY, period).set_index(["nationality", "age_group"])
        parts = pd.concat([_run(runner, a, period).assign(area_id=a) for a in data["districts"]])
        for (nat, age), group in parts.groupby(["nationality", "age_group"]):
            row = city.loc[(nat, age)]
            if group["suppressed"].any():
                hidden_in_city += 1
                assert row["suppressed"], f"Hagen {period} {nat} {age}: Stadtwert gezeigt, ein Bezirkswert verborgen"
            else:
                assert not row["suppressed"]
                assert row["persons"] == group["persons"].sum()
        assert len(city) == parts.groupby(["nationality", "age_group"]).ngroups
    assert hidden_in_city
