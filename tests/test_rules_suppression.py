"""Suppression minimality on handmade tables (build.suppression): hidden only what must be hidden.

Threshold 3: a count equal to the threshold is shown, 1 and 2 are hidden, 0 is shown. Complementary cells are
added only where an exact relation would reveal a hidden value, and then exactly one per open relation.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from integrationsmonitor.build import suppression as s

P = dt.date(2022, 12, 31)
PARENT = {"SB1": "C", "SB2": "C", "SB3": "C"}
STAATEN = {"DE", "RO", "BG", "TR"}


def k(area: str, nat: str = "_T", ind: str = "einbuergerungen", src: str = "Q", period: dt.date = P) -> tuple:
    return (ind, area, period, nat, src)


def districts(sb1: float, sb2: float = 10, sb3: float = 20, city: float | None = None) -> dict:
    values = {k("SB1"): sb1, k("SB2"): sb2, k("SB3"): sb3}
    values[k("C")] = sb1 + sb2 + sb3 if city is None else city
    return values


@pytest.mark.parametrize(("value", "hidden"), [(0, False), (1, True), (2, True), (3, False), (4, False)])
def test_primary_threshold_without_relations(value, hidden):
    values = {k("SB1"): value}
    assert s.suppress_observations(values, 3, PARENT, STAATEN) == ({k("SB1")} if hidden else set())


def test_nothing_hidden_without_need():
    assert s.suppress_observations(districts(3), 3, PARENT, STAATEN) == set()
    assert s.suppress_observations(districts(0, 0, 0), 3, PARENT, STAATEN) == set()


def test_threshold_is_a_parameter():
    assert s.suppress_observations({k("SB1"): 4}, 5, PARENT, STAATEN) == {k("SB1")}
    assert s.suppress_observations({k("SB1"): 5}, 5, PARENT, STAATEN) == set()


def test_one_hidden_district_takes_exactly_the_next_smallest_district():
    # SB1 = 2 hidden; the city total would reveal it → the smallest other district (SB2 = 10), not the city
    assert s.suppress_observations(districts(2), 3, PARENT, STAATEN) == {k("SB1"), k("SB2")}
    assert s.suppress_observations(districts(2, 30, 20), 3, PARENT, STAATEN) == {k("SB1"), k("SB3")}


def test_two_hidden_districts_need_no_further_cell():
    # against differencing, the two small districts protect each other …
    assert s.linear_observations(districts(2, 1, 20), 3, PARENT, STAATEN) == {k("SB1"), k("SB2")}
    # … but their sum 3 tells a reader (every "·" ≥ 1) that each is 1 or 2: narrower than the protection range,
    # so the interval audit hides the next district as well (issue 13)
    assert s.suppress_observations(districts(2, 1, 20), 3, PARENT, STAATEN) == {k("SB1"), k("SB2"), k("SB3")}


def test_relation_that_does_not_hold_is_not_used():
    # city 40 ≠ 2 + 10 + 20: nothing can be recovered exactly, so only the primary cell is hidden
    assert s.suppress_observations(districts(2, city=40), 3, PARENT, STAATEN) == {k("SB1")}


def test_zero_is_the_last_resort_as_complement():
    values = districts(2, 0, 20)
    assert s.suppress_observations(values, 3, PARENT, STAATEN) == {k("SB1"), k("SB3")}
    # a zero is taken only when nothing else is left: here the city total goes first
    values = {k("SB1"): 2, k("SB2"): 0, k("C"): 2}
    assert s.suppress_observations(values, 3, PARENT, STAATEN) == {k("SB1"), k("C")}


def test_romania_bulgaria_sum_same_source():
    values = {k("C", "RO", "auslaender"): 2, k("C", "BG", "auslaender"): 40, k("C", "RO+BG", "auslaender"): 42}
    assert s.suppress_observations(values, 3, PARENT, STAATEN) == {
        k("C", "RO", "auslaender"), k("C", "BG", "auslaender")}


def test_romania_bulgaria_from_different_sources_are_not_related():
    values = {k("C", "RO", "auslaender", "A"): 2, k("C", "BG", "auslaender", "B"): 40,
              k("C", "RO+BG", "auslaender", "A"): 42}
    assert s.observation_relations(values, PARENT, STAATEN) == []
    assert s.suppress_observations(values, 3, PARENT, STAATEN) == {k("C", "RO", "auslaender", "A")}


def test_relations_listed_exactly():
    values = {**districts(5), k("C", "RO"): 3, k("C", "TR"): 7, k("C", "_T", "x"): 1}
    values[k("C")] = 35  # SB 5+10+20 = 35 and RO+TR = 10 ≠ 35: only the district relation holds
    rels = s.observation_relations(values, PARENT, STAATEN)
    assert rels == [[(k("C"), -1), (k("SB1"), 1), (k("SB2"), 1), (k("SB3"), 1)]]
    values[k("C")] = 10
    values.update({k("SB1"): 2, k("SB2"): 3, k("SB3"): 5})
    rels = s.observation_relations(values, PARENT, STAATEN)
    assert [(k("C"), -1), (k("C", "RO"), 1), (k("C", "TR"), 1)] in rels
    assert len(rels) == 2


def test_nationality_total_with_germans_is_not_a_foreigner_relation():
    values = {k("C", "DE"): 30, k("C", "RO"): 2, k("C"): 32}
    assert s.observation_relations(values, PARENT, STAATEN) == []


def test_flow_relation_stock_minus_previous_equals_moves():
    prev, cur = dt.date(2021, 12, 31), P
    values = {k("C", "RO", "auslaender", period=prev): 100, k("C", "RO", "auslaender", period=cur): 102,
              k("C", "RO", "zuzuege", period=cur): 10, k("C", "RO", "fortzuege", period=cur): 8}
    rels = s.observation_relations(values, PARENT, STAATEN)
    assert rels == [[(k("C", "RO", "auslaender", period=cur), 1), (k("C", "RO", "auslaender", period=prev), -1),
                     (k("C", "RO", "zuzuege", period=cur), -1), (k("C", "RO", "fortzuege", period=cur), 1)]]
    values[k("C", "RO", "zuzuege", period=cur)] = 4
    values[k("C", "RO", "fortzuege", period=cur)] = 2   # primary; 102 − 100 − 4 + 2 = 0 would reveal it
    hidden = s.suppress_observations(values, 3, PARENT, STAATEN)
    assert len(hidden) == 2 and k("C", "RO", "fortzuege", period=cur) in hidden


def test_forced_cells_are_hidden_and_protected():
    hidden = s.suppress_observations(districts(5), 3, PARENT, STAATEN, forced=[k("SB3")])
    assert hidden == {k("SB3"), k("SB1")}


def test_determined_cells_by_linear_algebra():
    rel_sum = [("t", -1), ("a", 1), ("b", 1)]
    assert s.determined_cells({"a", "b"}, [rel_sum]) == set()
    assert s.determined_cells({"a"}, [rel_sum]) == {"a"}
    # a − b = 0 published as well: a and b are fixed together with the total
    assert s.determined_cells({"a", "b"}, [rel_sum, [("a", 1), ("b", -1)]]) == {"a", "b"}
    assert s.determined_cells({"x"}, [rel_sum]) == set()
    assert s.determined_cells(set(), []) == set()


def test_determined_cells_three_hidden_two_relations():
    # a + b = t1, b + c = t2: a, b, c hidden → one degree of freedom left, nothing determined
    rels = [[("t1", -1), ("a", 1), ("b", 1)], [("t2", -1), ("b", 1), ("c", 1)]]
    assert s.determined_cells({"a", "b", "c"}, rels) == set()
    # plus a + c = t3: 3 equations, 3 unknowns → all determined
    assert s.determined_cells({"a", "b", "c"}, [*rels, [("t3", -1), ("a", 1), ("c", 1)]]) == {"a", "b", "c"}


def test_protect_keep_and_rank():
    values = {"t": 12, "a": 2, "b": 4, "c": 6}
    rel = [[("t", -1), ("a", 1), ("b", 1), ("c", 1)]]
    assert s.protect(values, {"a"}, rel) == {"a", "b"}                                  # smallest value
    assert s.protect(values, {"a"}, rel, rank=lambda key: (key != "c",)) == {"a", "c"}  # rank before value
    assert s.protect(values, {"a"}, rel, keep=lambda key: key in {"b", "c"}) == {"a", "t"}
    assert s.protect(values, {"zz"}, rel) == set()                                     # unknown cells ignored


# ----------------------------------------------------------------------------- population table
def test_population_nothing_hidden_when_every_cell_reaches_the_threshold():
    base = {("SB1", "RO", "A0", "w"): 3, ("SB1", "RO", "A0", "m"): 4, ("SB2", "BG", "A0", "w"): 5,
            ("SB2", "DE", "A0", "w"): 50}
    assert s.suppress_population(base, 3, {"SB1": "C", "SB2": "C"}) == set()


def test_population_cube_margins():
    base = {("SB1", "RO", "A0", "w"): 2, ("SB1", "DE", "A0", "w"): 10}
    cells, relations = s.population_cube(base, {"SB1": "C"})
    assert cells[("SB1", "_T", "_T", "_T")] == 12
    assert cells[("SB1", "AUS", "_T", "_T")] == 2
    assert cells[("SB1", "RO+BG", "_T", "_T")] == 2
    assert cells[("C", "_T", "_T", "_T")] == 12
    assert cells[("C", "RO", "A0", "_T")] == 2       # city age structure of RO is published
    assert ("C", "DE", "A0", "_T") not in cells      # the city pyramid of Germans is not
    assert all(abs(sum(cells[key] * c for key, c in rel)) == 0 for rel in relations)


def test_population_small_cell_is_hidden_with_complements_and_nothing_of_the_city():
    base = {("SB1", "RO", "A0", "w"): 2, ("SB1", "RO", "A0", "m"): 7, ("SB2", "RO", "A0", "w"): 8,
            ("SB2", "RO", "A0", "m"): 9, ("SB1", "DE", "A0", "w"): 30, ("SB2", "DE", "A0", "w"): 40}
    hidden = s.suppress_population(base, 3, {"SB1": "C", "SB2": "C"})
    # the two cells of SB1's RO pyramid row and their sex margins; the age-group total 9 of SB1 stays visible
    assert hidden == {("SB1", "RO", "A0", "w"), ("SB1", "RO", "A0", "m"), ("SB1", "RO", "_T", "w"),
                      ("SB1", "RO", "_T", "m")}
    assert not any(key[0] == "C" for key in hidden)     # city-wide figures are kept
    cells, relations = s.population_cube(base, {"SB1": "C", "SB2": "C"})
    assert s.determined_cells(hidden, relations) == set()
    assert all(0 < cells[key] for key in hidden)


def test_population_margins_and_observation_keys():
    assert s._population_margin_key(k("SB1", "_T", "einwohner")) == ("SB1", "_T", "_T", "_T")
    assert s._population_margin_key(k("SB1", "_T", "auslaender")) == ("SB1", "AUS", "_T", "_T")
    assert s._population_margin_key(k("SB1", "RO+BG", "eu2_bestand")) == ("SB1", "RO+BG", "_T", "_T")
    assert s._population_margin_key(k("SB1", "RO", "auslaender")) == ("SB1", "RO", "_T", "_T")
    for key in (k("SB1", "DE", "auslaender"), k("SB1", "RO+BG", "auslaender"), k("SB1", "_T", "einbuergerungen"),
                k("SB1", "RO", "einwohner")):
        assert s._population_margin_key(key) is None
    hidden = {("SB1", "_T", "_T", "_T"), ("SB1", "AUS", "_T", "_T"), ("SB1", "RO+BG", "_T", "_T"),
              ("SB1", "RO", "_T", "_T"), ("SB1", "DE", "_T", "_T"), ("SB1", "RO", "A0", "_T"),
              ("SB1", "TR", "_T", "w")}
    assert set(s._population_observation_keys(hidden, P, "Q")) == {
        k("SB1", "_T", "einwohner"), k("SB1", "_T", "auslaender"), k("SB1", "RO+BG", "eu2_bestand"),
        k("SB1", "RO", "auslaender")}


# ----------------------------------------------------------------------------- the build step
def _db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table area (id varchar, level varchar, parent_id varchar)")
    con.execute("insert into area values ('C', 'stadt', null), ('SB1', 'stadtbezirk', 'C'), "
                "('SB2', 'stadtbezirk', 'C')")
    con.execute("create table nationality (code varchar, kind varchar)")
    con.execute("insert into nationality values ('RO', 'staat'), ('BG', 'staat'), ('DE', 'staat')")
    con.execute("create table indicator (id varchar, unit varchar)")
    con.execute("insert into indicator values ('einbuergerungen', 'Personen'), ('quote', '%')")
    con.execute("create table observation (indicator_id varchar, area_id varchar, period date, nationality varchar,"
                " source varchar, value double, numerator bigint, denominator bigint, source_file varchar,"
                " suppressed boolean, uncertain boolean)")
    con.execute("create table population (area_id varchar, period date, nationality varchar, age_group varchar,"
                " sex varchar, persons bigint, source varchar)")
    return con


def test_apply_marks_small_counts_rates_and_uncertain_denominators():
    con = _db()
    rows = [("einbuergerungen", "SB1", 2, None, None), ("einbuergerungen", "SB2", 3, None, None),
            ("einbuergerungen", "C", 5, None, None),
            ("quote", "SB1", 10.0, 2, 20), ("quote", "SB2", 10.0, 3, 30), ("quote", "C", 12.0, 5, 29)]
    for ind, area, value, num, den in rows:
        con.execute("insert into observation values (?, ?, ?, '_T', 'Q', ?, ?, ?, 'raw/x.csv', null, null)",
                    [ind, area, P, value, num, den])
    s.apply(con, 3, 30)
    got = con.execute("select indicator_id, area_id, suppressed, uncertain from observation "
                      "order by indicator_id, area_id").fetchall()
    assert got == [
        ("einbuergerungen", "C", False, False),
        ("einbuergerungen", "SB1", True, False),
        ("einbuergerungen", "SB2", True, False),     # complement: C − SB1 would reveal SB1
        ("quote", "C", False, True),                 # denominator 29 < 30: uncertain
        ("quote", "SB1", True, True),                # numerator 2 < 3: suppressed
        ("quote", "SB2", True, False),               # numerator 3, hidden as complement of SB1's numerator
    ]
    assert con.execute("select count(*) from population_suppressed").fetchone() == (0,)


def test_apply_threshold_equal_is_shown():
    con = _db()
    con.execute("insert into observation values ('einbuergerungen', 'SB1', ?, '_T', 'Q', 3, null, null, 'r', "
                "null, null)", [P])
    con.execute("insert into observation values ('quote', 'SB1', ?, '_T', 'Q', 10, 3, 30, 'r', null, null)", [P])
    s.apply(con, 3, 30)
    assert con.execute("select suppressed, uncertain from observation").fetchall() == [(False, False)] * 2


def test_apply_population_cells():
    con = _db()
    base = {("SB1", "RO", "A0", "w"): 2, ("SB1", "RO", "A0", "m"): 7, ("SB2", "RO", "A0", "w"): 8,
            ("SB2", "RO", "A0", "m"): 9, ("SB1", "DE", "A0", "w"): 30, ("SB2", "DE", "A0", "w"): 40}
    for (area, nat, age, sex), persons in base.items():
        con.execute("insert into population values (?, ?, ?, ?, ?, ?, 'Q')", [area, P, nat, age, sex, persons])
    s.apply(con, 3, 30)
    hidden = set(con.execute("select area_id, nationality, age_group, sex from population_suppressed").fetchall())
    assert hidden == {("SB1", "RO", "A0", "w"), ("SB1", "RO", "A0", "m"), ("SB1", "RO", "_T", "w"),
                      ("SB1", "RO", "_T", "m")}
    assert con.execute("select distinct period from population_suppressed").fetchall() == [(P,)]


# ----------------------------------------------------------------------------- every relation a reader can use
def _rels(relations) -> set[frozenset]:
    return {frozenset(rel) for rel in relations}


def test_population_cube_lists_the_margin_relations_of_a_handmade_table():
    """Two districts of a city and a Kreis without districts; RO, BG, DE; two age groups; both sexes. Each
    relation below is one a reader could use to recover a hidden cell (written out by hand)."""
    parent = {"SB1": "C", "SB2": "C"}
    base = {(area, nat, age, sex): 5 + i for i, (area, nat, age, sex) in enumerate(
        (a, n, g, x) for a in ("SB1", "SB2", "K") for n in ("RO", "BG", "DE") for g in ("A0", "A1")
        for x in ("m", "w"))}
    cells, relations = s.population_cube(base, parent)
    rels = _rels(relations)
    ro = ("SB1", "RO", "_T", "_T")
    assert frozenset({(("SB1", "RO+BG", "_T", "_T"), -1), (ro, 1), (("SB1", "BG", "_T", "_T"), 1)}) in rels
    assert frozenset({(("SB1", "AUS", "_T", "_T"), -1), (ro, 1), (("SB1", "BG", "_T", "_T"), 1)}) in rels
    assert frozenset({(("SB1", "_T", "_T", "_T"), -1), (ro, 1), (("SB1", "BG", "_T", "_T"), 1),
                      (("SB1", "DE", "_T", "_T"), 1)}) in rels
    # age pyramid of a district: over the age groups, and over the sexes
    assert frozenset({(("SB1", "RO", "_T", "m"), -1), (("SB1", "RO", "A0", "m"), 1),
                      (("SB1", "RO", "A1", "m"), 1)}) in rels
    assert frozenset({(("SB1", "RO", "A0", "_T"), -1), (("SB1", "RO", "A0", "m"), 1),
                      (("SB1", "RO", "A0", "w"), 1)}) in rels
    # districts → city: key figures, and the city-wide age structure of RO and BG
    assert frozenset({(("C", "RO", "_T", "_T"), -1), (ro, 1), (("SB2", "RO", "_T", "_T"), 1)}) in rels
    assert frozenset({(("C", "BG", "A1", "_T"), -1), (("SB1", "BG", "A1", "_T"), 1),
                      (("SB2", "BG", "A1", "_T"), 1)}) in rels
    assert frozenset({(("C", "RO+BG", "_T", "_T"), -1), (("C", "RO", "_T", "_T"), 1),
                      (("C", "BG", "_T", "_T"), 1)}) in rels
    # values: SB1's RO cells are 5, 6, 7, 8 (the first four of the enumeration); RO+BG adds BG's 9 … 12
    assert cells[ro] == 26 and cells[("SB1", "RO+BG", "_T", "_T")] == 26 + 42
    # the Kreis without districts has its own margins and belongs to no city
    assert cells[("K", "RO", "_T", "_T")] == sum(v for key, v in base.items() if key[:2] == ("K", "RO"))
    assert not any(key[0] == "K" for rel in relations for key, _ in rel if rel[0][0][0] == "C")
    # not published: the city pyramid of the Germans, the city's age × sex of RO
    assert ("C", "DE", "A0", "_T") not in cells and ("C", "RO", "A0", "m") not in cells
    assert all(sum(cells[key] * c for key, c in rel) == 0 for rel in relations)


def test_observation_relations_unknown_nationality_one_district_and_the_eu2_stock():
    values = {k("C"): 10, k("C", "RO"): 4, k("C", "BG"): 3, k("C", "XX"): 3}  # "XX": not known, still a part
    assert _rels(s.observation_relations(values, PARENT, STAATEN)) == {
        frozenset({(k("C"), -1), (k("C", "RO"), 1), (k("C", "BG"), 1), (k("C", "XX"), 1)})}
    one = {k("SB1"): 7, k("C"): 7}  # a city with a single district: the city value is the district's
    assert s.observation_relations(one, {"SB1": "C"}, STAATEN) == [[(k("C"), -1), (k("SB1"), 1)]]
    eu2 = {k("C", "RO", "auslaender"): 4, k("C", "BG", "auslaender"): 3, k("C", "RO+BG", "eu2_bestand"): 7}
    assert s.observation_relations(eu2, PARENT, STAATEN) == [
        [(k("C", "RO+BG", "eu2_bestand"), -1), (k("C", "RO", "auslaender"), 1), (k("C", "BG", "auslaender"), 1)]]


def test_flow_relations_follow_the_calendar_not_the_order_of_the_rows():
    years = {y: dt.date(y, 12, 31) for y in (2020, 2021, 2022, 2023)}

    def stock(y):
        return k("C", "RO", "auslaender", period=years[y])

    def move(kind, y):
        return k("C", "RO", kind, period=years[y])

    values = {k("C", "RO", "einbuergerungen"): 5,  # a series without flows comes first
              stock(2022): 105, stock(2020): 100, stock(2021): 102, stock(2023): 107,
              move("zuzuege", 2021): 10, move("fortzuege", 2021): 8, move("zuzuege", 2022): 9,
              move("fortzuege", 2022): 6, move("zuzuege", 2023): 4}  # 2023: no Fortzüge, no relation
    assert _rels(s.observation_relations(values, PARENT, STAATEN)) == {
        frozenset({(stock(2021), 1), (stock(2020), -1), (move("zuzuege", 2021), -1), (move("fortzuege", 2021), 1)}),
        frozenset({(stock(2022), 1), (stock(2021), -1), (move("zuzuege", 2022), -1), (move("fortzuege", 2022), 1)})}


def test_protect_hides_more_when_no_relation_has_a_single_hidden_cell():
    """a + b = t1, b + c = t2, a + c = t3 with a, b, c hidden: every relation has two hidden cells, yet the three
    equations fix all three (a = (t1 − t2 + t3) / 2). At least one total must go too. (protect picks one
    complement per exposed cell in a round, so here all three totals go — one would do; the audit step does not
    give cells back.)"""
    values = {"a": 1, "b": 2, "c": 2, "t1": 3, "t2": 4, "t3": 3}
    rels = [[("t1", -1), ("a", 1), ("b", 1)], [("t2", -1), ("b", 1), ("c", 1)], [("t3", -1), ("a", 1), ("c", 1)]]
    assert s.determined_cells({"a", "b", "c"}, rels) == {"a", "b", "c"}  # the premise
    hidden = s.protect(values, {"a", "b", "c"}, rels)
    assert hidden >= {"a", "b", "c"} and hidden & {"t1", "t2", "t3"}
    # independent check by enumeration: every whole-number filling ≥ 1 that fits the totals still shown leaves
    # each hidden cell more than one possible value
    shown = {t: values[t] for t in ("t1", "t2", "t3") if t not in hidden}
    sums = {"t1": ("a", "b"), "t2": ("b", "c"), "t3": ("a", "c")}
    fits = [f for f in ({"a": a, "b": b, "c": c} for a in range(1, 9) for b in range(1, 9) for c in range(1, 9))
            if all(f[x] + f[y] == shown[t] for t, (x, y) in sums.items() if t in shown)]
    assert all(len({f[cell] for f in fits}) > 1 for cell in "abc"), fits
    assert s.determined_cells(hidden, rels) == set()


def test_population_audit_hides_district_cells_before_the_city_key_figures():
    """A table (found by a random search) where the interval audit has to hide more than the linear step: it
    takes district cells and the city's RO/BG rows, and keeps the city's Germans, foreigners and EU-2 total —
    the figures a committee reads first. Hiding those instead would protect just as well."""
    parent = {"SB1": "C", "SB2": "C"}
    base = {("SB1", "RO", "A1", "w"): 2, ("SB1", "BG", "A0", "w"): 0, ("SB1", "DE", "A0", "w"): 5,
            ("SB1", "DE", "A1", "m"): 1, ("SB1", "DE", "A1", "w"): 4, ("SB2", "RO", "A1", "m"): 2,
            ("SB2", "BG", "A1", "w"): 4, ("SB2", "DE", "A0", "m"): 12, ("SB2", "DE", "A0", "w"): 2,
            ("SB2", "DE", "A1", "m"): 1}
    hidden = s.suppress_population(base, 3, parent)
    for city_figure in (("C", "DE", "_T", "_T"), ("C", "AUS", "_T", "_T"), ("C", "RO+BG", "_T", "_T"),
                        ("C", "_T", "_T", "_T")):
        assert city_figure not in hidden, city_figure
    cells, relations = s.population_cube(base, parent)
    assert s.determined_cells(hidden, relations) == set()
    assert s.audit.audit(s.audit.Table(cells, relations), hidden, s.audit.Rule.of(3, 3)) == []


def test_population_forced_cells_are_hidden_and_protected():
    """A cell an earlier edition hid (forced) stays hidden even when it reaches the threshold, with a complement."""
    parent = {"SB1": "C", "SB2": "C"}
    base = {("SB1", "RO", "A0", "w"): 5, ("SB1", "RO", "A0", "m"): 7, ("SB2", "RO", "A0", "w"): 8,
            ("SB2", "RO", "A0", "m"): 9}
    assert s.suppress_population(base, 3, parent) == set()
    hidden = s.suppress_population(base, 3, parent, forced=[("SB1", "RO", "A0", "w")])
    assert ("SB1", "RO", "A0", "w") in hidden and len(hidden) > 1
    cells, relations = s.population_cube(base, parent)
    assert s.determined_cells(hidden, relations) == set()
