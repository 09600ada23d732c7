"""Confidentiality: try to recover suppressed values by differencing and bounding over random tables.

The checkers here are independent of ``integrationsmonitor.build``: they write down, from the structure of the
table alone, every sum and difference a reader could form from the published figures (city = sum of districts,
stock(t) − stock(t−1) = Zuzüge(t) − Fortzüge(t), age/sex sums). ``pinned`` decides with exact rational
Gauss-Jordan elimination whether a hidden cell is a linear function of published cells; ``reader_range`` is
this file's own small integer program (scipy's HiGHS ``milp``): the interval a reader can narrow a hidden cell
to, knowing that every "·" is a whole number ≥ 1 (the methodology says "·" is never 0). That interval must be
at least the protection range wide (``RANGE`` = the default ``IMH_SCHUTZBEREICH`` = the threshold, 3).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import duckdb
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from integrationsmonitor.build import suppression

CITY = "05914000"
THRESHOLD = 3
STAATEN = {"RO", "BG", "TR", "DE", "SY"}
RANGE = 3  # protection range: hi − lo of every hidden cell (default IMH_SCHUTZBEREICH, at least the threshold)


def reader_range(hidden: set, equations: list[list[tuple[object, int]]], values: dict) -> dict:
    """[min, max] of every hidden cell over all whole-number tables ≥ 1 that satisfy the reader's equations."""
    cols = sorted(hidden, key=repr)
    idx = {c: i for i, c in enumerate(cols)}
    rows, rhs = [], []
    for eq in equations:
        row = np.zeros(len(cols))
        const = 0.0
        for cell, coef in eq:
            if cell in idx:
                row[idx[cell]] += coef
            else:
                const += coef * values[cell]
        if row.any():
            rows.append(row)
            rhs.append(-const)
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    out = {}
    for c in cols:
        ends = []
        for sense in (1, -1):
            objective = np.zeros(len(cols))
            objective[idx[c]] = sense
            res = milp(objective, constraints=constraints, integrality=np.ones(len(cols)), bounds=Bounds(1, 10**6))
            assert res.status == 0, res.message
            ends.append(round(sense * res.fun))
        out[c] = tuple(ends)
    return out


def narrow(hidden: set, equations: list, values: dict) -> dict:
    return {c: iv for c, iv in reader_range(hidden, equations, values).items() if iv[1] - iv[0] < RANGE}


def pinned(hidden: set, equations: list[list[tuple[object, int]]], values: dict) -> set:
    """Hidden cells whose value is unique given the published cells (exact arithmetic, no numpy)."""
    cols = sorted(hidden, key=repr)
    idx = {c: i for i, c in enumerate(cols)}
    rows = []
    for eq in equations:
        row = [Fraction(0)] * len(cols)
        for cell, coef in eq:
            if cell in idx:
                row[idx[cell]] += coef
        if any(row):
            rows.append(row)
    pivots, r = [], 0
    for c in range(len(cols)):
        p = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        rows[r] = [x / rows[r][c] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    free = [c for c in range(len(cols)) if c not in pivots]
    return {cols[c] for k, c in enumerate(pivots) if all(rows[k][f] == 0 for f in free)}


def feasible_range_one_sum(total: float, published_parts: list[float], n_hidden: int) -> tuple[float, float]:
    """Range of one hidden cell in a single sum of hidden cells ≥ 1: with one hidden cell it is one value."""
    rest = total - sum(published_parts)
    return (1, rest - (n_hidden - 1))


@st.composite
def district_tables(draw):
    n_districts = draw(st.integers(2, 5))
    n_periods = draw(st.integers(1, 4))
    districts = [f"SB{i}" for i in range(1, n_districts + 1)]
    periods = [dt.date(2015 + t, 12, 31) for t in range(n_periods)]
    small = st.integers(0, 12)
    values: dict[tuple, float] = {}
    src = "Test"
    for d in districts:
        stock = draw(st.integers(0, 15))
        for t, p in enumerate(periods):
            if t > 0:
                zu, fort = draw(small), draw(st.integers(0, stock))
                stock += zu - fort
                values[("zuzuege", d, p, "RO", src)] = zu
                values[("fortzuege", d, p, "RO", src)] = fort
            values[("auslaender", d, p, "RO", src)] = stock
            values[("eltern_kind_angebote", d, p, "_T", src)] = draw(small)
    for ind in ("zuzuege", "fortzuege", "auslaender", "eltern_kind_angebote"):
        nat = "_T" if ind == "eltern_kind_angebote" else "RO"
        for p in periods:
            parts = [values[(ind, d, p, nat, src)] for d in districts if (ind, d, p, nat, src) in values]
            if parts:
                values[(ind, CITY, p, nat, src)] = sum(parts)
    return values, districts, periods


def equations_for(values: dict, districts: list[str], periods: list[dt.date]) -> list[list[tuple[object, int]]]:
    eqs = []
    src = "Test"
    for ind, nat in (("zuzuege", "RO"), ("fortzuege", "RO"), ("auslaender", "RO"), ("eltern_kind_angebote", "_T")):
        for p in periods:
            if (ind, CITY, p, nat, src) in values:
                eqs.append([((ind, CITY, p, nat, src), -1)] + [((ind, d, p, nat, src), 1) for d in districts])
    for area in [*districts, CITY]:
        for prev, cur in zip(periods, periods[1:], strict=False):
            eqs.append([(("auslaender", area, cur, "RO", src), 1), (("auslaender", area, prev, "RO", src), -1),
                        (("zuzuege", area, cur, "RO", src), -1), (("fortzuege", area, cur, "RO", src), 1)])
    return eqs


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(district_tables())
def test_no_suppressed_value_can_be_recovered(table):
    values, districts, periods = table
    parent_of = {d: CITY for d in districts}
    hidden = suppression.suppress_observations(values, THRESHOLD, parent_of, STAATEN)
    # primary: every 1 and 2 is hidden; zeros are shown
    assert {k for k, v in values.items() if 0 < v < THRESHOLD} <= hidden
    eqs = equations_for(values, districts, periods)
    # one-dimensional sums: a sum with exactly one hidden cell gives it away
    for eq in eqs:
        inside = [cell for cell, _ in eq if cell in hidden]
        assert len(inside) != 1, f"{inside[0]} folgt aus {eq}"
    # all sums and differences together: no hidden cell pinned to a single value
    recovered = pinned(hidden, eqs, values)
    assert not recovered, f"zurückgerechnet: {sorted(recovered, key=repr)[:3]}"
    # and with "· ≥ 1" and whole numbers: no hidden cell narrowed below the protection range
    bounded = narrow(hidden, eqs, values)
    assert not bounded, f"eingegrenzt: {sorted(bounded.items(), key=repr)[:3]}"


def test_one_hidden_district_takes_the_next_smallest_with_it():
    p = dt.date(2020, 12, 31)
    cells = {"SB1": 40, "SB2": 2, "SB3": 7, "SB4": 12, "SB5": 30}
    values = {("zuzuege", d, p, "RO", "S"): v for d, v in cells.items()}
    values[("zuzuege", CITY, p, "RO", "S")] = sum(cells.values())
    hidden = suppression.suppress_observations(values, 3, {d: CITY for d in cells}, STAATEN)
    assert {k[1] for k in hidden} == {"SB2", "SB3"}
    lo, hi = feasible_range_one_sum(values[("zuzuege", CITY, p, "RO", "S")], [40, 12, 30], 2)
    assert (lo, hi) == (1, 8) and hi - lo >= RANGE


def test_a_hidden_sum_of_ones_is_not_pinned_by_bounds():
    """Five hidden 1s and a published 0 under a published total of 5: each is exactly 1 for a reader who knows
    "·" ≥ 1 (the issue's example, Hohenlimburg BG 2012). The protection hides more until each keeps a range."""
    ages = ["00-05", "06-17", "18-29", "30-49", "50-64", "65+"]
    base = {("SB3", "BG", g, "m"): (1 if g != "65+" else 0) for g in ages}
    base |= {("SB3", "BG", g, "w"): 0 for g in ages}
    base |= {("SB3", "DE", g, s): 400 for g in ages for s in "mw"}
    base |= {("SB1", "BG", g, s): 9 for g in ages for s in "mw"}
    base |= {("SB1", "DE", g, s): 300 for g in ages for s in "mw"}
    parent = {"SB1": CITY, "SB3": CITY}
    values = suppression.population_cube(base, parent)[0]
    assert values[("SB3", "BG", "_T", "_T")] == 5
    linear = suppression.linear_population(base, THRESHOLD, parent)
    eqs = [[((a, "BG", "_T", "_T"), -1)] + [((a, "BG", g, "_T"), 1) for g in ages] for a in ("SB1", "SB3")]
    eqs += [[((a, "BG", g, "_T"), -1), ((a, "BG", g, "m"), 1), ((a, "BG", g, "w"), 1)] for a in ("SB1", "SB3")
            for g in ages]
    eqs += [[((CITY, "BG", g, "_T"), -1), (("SB1", "BG", g, "_T"), 1), (("SB3", "BG", g, "_T"), 1)] for g in ages]
    eqs += [[((CITY, "BG", "_T", "_T"), -1), (("SB1", "BG", "_T", "_T"), 1), (("SB3", "BG", "_T", "_T"), 1)]]
    assert narrow(linear, eqs, values)  # linear protection alone: each hidden age group is pinned to 1
    hidden = suppression.suppress_population(base, THRESHOLD, parent)
    assert not narrow(hidden, eqs, values)
    assert all(values[k] > 0 for k in hidden)  # "·" is never 0


def test_city_figure_is_kept_when_a_district_can_be_hidden_instead():
    """Hiding the city total would open the fewest new gaps, but readers look for the city figure first."""
    total, parts = ("Hagen",), [("SB1",), ("SB2",), ("SB3",)]
    values = {total: 55, parts[0]: 2, parts[1]: 40, parts[2]: 13}
    relations = [[(total, -1), *((p, 1) for p in parts)],  # city = districts; each district = its two quarters
                 [(parts[1], -1), (("SB2a",), 1), (("SB2b",), 1)], [(parts[2], -1), (("SB3a",), 1), (("SB3b",), 1)]]
    values |= {("SB2a",): 30, ("SB2b",): 10, ("SB3a",): 6, ("SB3b",): 7}
    plain = suppression.protect(values, {parts[0]}, relations)
    kept = suppression.protect(values, {parts[0]}, relations, keep=lambda k: k == total)
    assert total in plain  # cheapest: the total sits in no other relation
    assert total not in kept and len(kept & set(parts)) == 2  # another district cell goes instead …
    assert not pinned(kept, relations, values)  # … and its own parts are protected in turn


def test_without_secondary_suppression_the_checker_finds_the_difference():
    """The checker is not toothless: primary suppression alone is recoverable from the city total."""
    p = dt.date(2020, 12, 31)
    values = {("zuzuege", d, p, "RO", "S"): v for d, v in {"SB1": 40, "SB2": 2, "SB3": 7}.items()}
    values[("zuzuege", CITY, p, "RO", "S")] = 49
    eqs = [[(("zuzuege", CITY, p, "RO", "S"), -1)] + [(("zuzuege", d, p, "RO", "S"), 1) for d in ("SB1", "SB2", "SB3")]]
    assert pinned({("zuzuege", "SB2", p, "RO", "S")}, eqs, values) == {("zuzuege", "SB2", p, "RO", "S")}


def test_zero_is_published_and_nationality_parts_are_protected():
    p = dt.date(2020, 12, 31)
    values = {("auslaender", CITY, p, n, "S"): v for n, v in {"RO": 2, "BG": 9, "TR": 0, "SY": 20}.items()}
    values[("auslaender", CITY, p, "_T", "S")] = 31
    values[("auslaender", CITY, p, "RO+BG", "S")] = 11
    hidden = suppression.suppress_observations(values, 3, {}, STAATEN)
    assert ("auslaender", CITY, p, "TR", "S") not in hidden
    eqs = [[(("auslaender", CITY, p, "_T", "S"), -1)] + [(("auslaender", CITY, p, n, "S"), 1) for n in ("RO", "BG", "TR", "SY")],
           [(("auslaender", CITY, p, "RO+BG", "S"), -1), (("auslaender", CITY, p, "RO", "S"), 1),
            (("auslaender", CITY, p, "BG", "S"), 1)]]
    assert ("auslaender", CITY, p, "RO", "S") in hidden
    assert not pinned(hidden, eqs, values)
    assert not narrow(hidden, eqs, values)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 9), min_size=12, max_size=12), st.lists(st.integers(0, 9), min_size=12, max_size=12))
def test_population_age_and_sex_sums_do_not_reveal(cells_a, cells_b):
    ages = ["00-05", "06-17", "18-29", "30-49", "50-64", "65+"]
    base = {}
    for area, cells in (("SB1", cells_a), ("SB2", cells_b)):
        for i, v in enumerate(cells):
            base[(area, "RO", ages[i // 2], "mw"[i % 2])] = v
        base[(area, "DE", "30-49", "m")] = 500
    parent = {"SB1": CITY, "SB2": CITY}
    hidden = suppression.suppress_population(base, THRESHOLD, parent)
    assert {k for k, v in base.items() if 0 < v < THRESHOLD} <= hidden
    # the reader's equations: row, column and table sums per district, district sums to the city
    eqs = []
    T = "_T"
    for area in ("SB1", "SB2"):
        for age in ages:
            eqs.append([((area, "RO", age, T), -1)] + [((area, "RO", age, s), 1) for s in "mw"])
        for s in "mw":
            eqs.append([((area, "RO", T, s), -1)] + [((area, "RO", a, s), 1) for a in ages])
        eqs.append([((area, "RO", T, T), -1)] + [((area, "RO", a, s), 1) for a in ages for s in "mw"])
    eqs.append([((CITY, "RO", T, T), -1), (("SB1", "RO", T, T), 1), (("SB2", "RO", T, T), 1)])
    for age in ages:  # the city-wide age structure of RO (EU-2 page) is published too
        eqs.append([((CITY, "RO", age, T), -1), (("SB1", "RO", age, T), 1), (("SB2", "RO", age, T), 1)])
    values = suppression.population_cube(base, parent)[0]
    assert all((CITY, "RO", age, T) in values for age in ages)
    known = {k for k in values if k not in hidden}
    # margins that are zero-valued or absent in the cube are published as computed sums
    eqs = [eq for eq in eqs if all(c in values for c, _ in eq)]
    assert known.isdisjoint(hidden)
    assert all(values[h] > 0 for h in hidden)  # "·" is never 0, so the reader's bound ≥ 1 holds
    assert not pinned(hidden, eqs, values)
    bounded = narrow(hidden, eqs, values)
    assert not bounded, f"eingegrenzt: {sorted(bounded.items(), key=repr)[:3]}"


def test_built_database_hides_small_counts_everywhere(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        leaked = con.execute(
            f"""select count(*) from observation_public o join indicator i on i.id = o.indicator_id
            where i.unit in {suppression.COUNT_UNITS_SQL} and o.value > 0 and o.value < 3"""  # noqa: S608
        ).fetchone()[0]
        assert leaked == 0
        assert con.execute("select count(*) from population_public where persons > 0 and persons < 3").fetchone()[0] == 0
        # shown as NULL + flag, never as 0: each suppressed row keeps its place
        bad = con.execute("select count(*) from observation_public where suppressed and value is not null").fetchone()[0]
        assert bad == 0
        # an age pyramid of one district and nationality never has exactly one hidden cell per row/column/table
        # (the sum itself is published unless it is hidden too: population_suppressed lists hidden margins)
        rows = con.execute("""
            select p.area_id, p.period, p.nationality, p.age_group from population_public p
            where not exists (select 1 from population_suppressed m where m.area_id = p.area_id
                and m.period = p.period and m.nationality = p.nationality and m.age_group = p.age_group
                and m.sex = '_T')
            group by all having count(*) filter (where p.suppressed) = 1""").fetchall()
        assert rows == []
        singles = con.execute("""
            select p.area_id, p.period, p.nationality, p.sex from population_public p
            where not exists (select 1 from population_suppressed m where m.area_id = p.area_id
                and m.period = p.period and m.nationality = p.nationality and m.age_group = '_T'
                and m.sex = p.sex)
            group by all having count(*) filter (where p.suppressed) = 1""").fetchall()
        assert singles == []
        districts = con.execute(f"""
            select o.indicator_id, o.period, o.nationality, o.source from observation_public o
            join indicator i on i.id = o.indicator_id and i.unit in {suppression.COUNT_UNITS_SQL}
            join area a on a.id = o.area_id and a.level = 'stadtbezirk'
            join observation_public c on c.area_id = a.parent_id and c.indicator_id = o.indicator_id
             and c.period = o.period and c.nationality = o.nationality and c.source = o.source and not c.suppressed
            group by all having count(*) filter (where o.suppressed) = 1"""  # noqa: S608
        ).fetchall()
        assert districts == []
        numerators = con.execute("""
            select o.indicator_id, o.period, o.nationality, o.source from observation_public o
            join area a on a.id = o.area_id and a.level = 'stadtbezirk'
            join observation_public c on c.area_id = a.parent_id and c.indicator_id = o.indicator_id
             and c.period = o.period and c.nationality = o.nationality and c.source = o.source
             and c.numerator is not null
            where o.numerator is not null or o.suppressed
            group by all having count(*) filter (where o.suppressed) = 1""").fetchall()
        assert numerators == []
    finally:
        con.close()
