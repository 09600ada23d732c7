"""Derivations in SQL (build/sql/derive.sql, public.sql) on a handmade database with hand-computed results.

Two districts SB1, SB2 of city C. Population (one age group A0, sex w):
    SB1: DE 40, RO 6, BG 4, TR 10  → 60 residents, 20 foreigners, EU-2 10
    SB2: DE 60, RO 2, BG 0, TR 18  → 80 residents, 20 foreigners, EU-2 2
    C:   DE 100, RO 8, BG 4, TR 28 → 140 residents, 40 foreigners, EU-2 12
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from integrationsmonitor.build.pipeline import SQL_DIR

P = dt.date(2022, 12, 31)
POPULATION = {("SB1", "DE"): 40, ("SB1", "RO"): 6, ("SB1", "BG"): 4, ("SB1", "TR"): 10,
              ("SB2", "DE"): 60, ("SB2", "RO"): 2, ("SB2", "BG"): 0, ("SB2", "TR"): 18}
INDICATORS = ("einwohner", "auslaender", "eu2_bestand", "eu2_anteil", "auslaenderanteil", "segregationsindex")


def _obs(con, ind: str, area: str, nat: str, value: float, source: str = "Amt", figure: str = "",
         example: bool = False, approx: bool = False) -> None:
    con.execute("insert into observation values (?, ?, ?, ?, ?, null, null, ?, '', '', ?, ?, ?, false, false, "
                "false, '', 'raw/x.csv', 2, false, false)", [ind, area, P, nat, value, source, figure, example, approx])


def _db(population: bool = True, example_population: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    for ind in INDICATORS:
        con.execute("insert into indicator values (?, ?, '', 'x', 'K', 'neutral', '', '', '', '', false, '')",
                    [ind, ind])
    con.execute("insert into area values ('C', 'stadt', 'Hagen', null, null, ''), "
                "('SB1', 'stadtbezirk', 'Eins', 'C', null, ''), ('SB2', 'stadtbezirk', 'Zwei', 'C', null, '')")
    con.execute("insert into age_group values ('A0', 'alle', 0, null)")
    if population:
        for (area, nat), persons in POPULATION.items():
            con.execute("insert into population values (?, ?, ?, 'A0', 'w', ?, 'Melderegister', ?, 'raw/p.csv', 2)",
                        [area, P, nat, persons, example_population])
    return con


def _derive(con) -> None:
    con.execute((SQL_DIR / "derive.sql").read_text(encoding="utf-8"))


def _value(con, ind: str, area: str, nat: str) -> list[tuple]:
    return con.execute("select value, numerator, denominator from observation where indicator_id = ? and "
                       "area_id = ? and nationality = ? and is_derived order by value", [ind, area, nat]).fetchall()


# ----------------------------------------------------------------------------- EU-2 sum from RO and BG
def test_ro_plus_bg_summed_within_one_source():
    con = _db(population=False)
    _obs(con, "auslaender", "C", "RO", 30, figure="F1")
    _obs(con, "auslaender", "C", "BG", 12, figure="F2", approx=True)
    _derive(con)
    rows = con.execute("select value, source, note, figure_id, is_approx, is_derived, flag, source_file "
                       "from observation where indicator_id = 'eu2_bestand'").fetchall()
    assert rows == [(42.0, "Amt", "Summe aus F1 (RO) und F2 (BG)", "F1+F2", True, True, "ca,abgeleitet",
                     "raw/x.csv")]


def test_ro_and_bg_from_different_sources_are_never_summed():
    con = _db(population=False)
    _obs(con, "auslaender", "C", "RO", 30, source="Amt A")
    _obs(con, "auslaender", "C", "BG", 12, source="Amt B")
    _obs(con, "auslaender", "SB1", "BG", 12, source="Amt A")   # other area: no partner either
    _derive(con)
    assert con.execute("select count(*) from observation where indicator_id = 'eu2_bestand'").fetchone() == (0,)


def test_delivered_eu2_figure_is_not_duplicated():
    con = _db(population=False)
    _obs(con, "auslaender", "C", "RO", 30)
    _obs(con, "auslaender", "C", "BG", 12)
    _obs(con, "eu2_bestand", "C", "RO+BG", 41)
    _derive(con)
    assert con.execute("select value, is_derived from observation where indicator_id = 'eu2_bestand'").fetchall() \
        == [(41.0, False)]


def test_delivered_eu2_figure_of_another_source_does_not_block_the_sum():
    con = _db(population=False)
    _obs(con, "auslaender", "C", "RO", 30)
    _obs(con, "auslaender", "C", "BG", 12)
    _obs(con, "eu2_bestand", "C", "RO+BG", 41, source="Zeitung")
    _derive(con)
    assert con.execute("select source, value, is_derived from observation where indicator_id = 'eu2_bestand' "
                       "order by source").fetchall() == [("Amt", 42.0, True), ("Zeitung", 41.0, False)]


def test_approx_flag_only_if_a_part_is_approximate():
    con = _db(population=False)
    _obs(con, "auslaender", "C", "RO", 30)
    _obs(con, "auslaender", "C", "BG", 12)
    _derive(con)
    assert con.execute("select is_approx, flag from observation where indicator_id = 'eu2_bestand'").fetchall() == [
        (False, "abgeleitet")]


# ----------------------------------------------------------------------------- key figures from the population
def test_area_population_margins():
    con = _db()
    _derive(con)
    rows = con.execute("select area_id, einwohner, deutsche, auslaender, rumaenen, bulgaren, eu2, is_example, source "
                       "from area_population order by area_id").fetchall()
    assert rows == [("C", 140, 100, 40, 8, 4, 12, False, "Melderegister"),
                    ("SB1", 60, 40, 20, 6, 4, 10, False, "Melderegister"),
                    ("SB2", 80, 60, 20, 2, 0, 2, False, "Melderegister")]


def test_long_format_figures_and_shares():
    con = _db()
    _derive(con)
    assert _value(con, "einwohner", "SB1", "_T") == [(60.0, None, None)]
    assert _value(con, "auslaender", "C", "_T") == [(40.0, None, None)]
    assert _value(con, "eu2_bestand", "SB2", "RO+BG") == [(2.0, None, None)]
    assert _value(con, "eu2_anteil", "SB1", "RO+BG") == [(16.67, 10, 60)]        # 100 × 10 / 60
    assert _value(con, "eu2_anteil", "C", "RO+BG") == [(8.57, 12, 140)]          # 100 × 12 / 140 = 8,571
    assert _value(con, "auslaenderanteil", "SB2", "_T") == [(25.0, 20, 80)]
    assert _value(con, "auslaenderanteil", "C", "_T") == [(28.57, 40, 140)]


def test_foreigners_per_nationality_without_germans():
    con = _db()
    _derive(con)
    rows = con.execute("select area_id, nationality, value from observation where indicator_id = 'auslaender' "
                       "and nationality <> '_T' order by area_id, nationality").fetchall()
    assert rows == [("C", "BG", 4.0), ("C", "RO", 8.0), ("C", "TR", 28.0),
                    ("SB1", "BG", 4.0), ("SB1", "RO", 6.0), ("SB1", "TR", 10.0),
                    ("SB2", "BG", 0.0), ("SB2", "RO", 2.0), ("SB2", "TR", 18.0)]


def test_segregation_index_by_hand():
    # 50 × (|20/40 − 40/100| + |20/40 − 60/100|) = 50 × (0,1 + 0,1) = 10
    con = _db()
    _derive(con)
    assert con.execute("select area_id, value from observation where indicator_id = 'segregationsindex'"
                       ).fetchall() == [("C", 10.0)]


def test_one_example_cell_marks_its_area_as_example():
    con = _db()
    con.execute("update population set is_example = true where area_id = 'SB2' and nationality = 'TR'")
    _derive(con)
    assert con.execute("select area_id, is_example from area_population order by area_id").fetchall() == [
        ("C", True), ("SB1", False), ("SB2", True)]
    assert _value(con, "einwohner", "SB2", "_T") == [(80.0, None, None)]
    assert con.execute("select is_example from observation where indicator_id = 'auslaender' and area_id = 'SB2' "
                       "and nationality = 'TR'").fetchone() == (True,)


def test_segregation_index_per_date():
    # a second date with the districts swapped: the index uses the city total of the same date
    con = _db()
    earlier = dt.date(2021, 12, 31)
    for (area, nat), persons in POPULATION.items():
        other = {"SB1": "SB2", "SB2": "SB1"}[area]
        con.execute("insert into population values (?, ?, ?, 'A0', 'w', ?, 'Melderegister', false, 'raw/p.csv', 3)",
                    [other, earlier, nat, persons * 2])
    _derive(con)
    assert con.execute("select period, value from observation where indicator_id = 'segregationsindex' "
                       "order by period").fetchall() == [(earlier, 10.0), (P, 10.0)]
    assert _value(con, "einwohner", "C", "_T") == [(140.0, None, None), (280.0, None, None)]


def test_only_stadtbezirke_add_up_to_their_city():
    con = _db()
    con.execute("insert into area values ('Q1', 'quartier', 'Ein Quartier', 'SB1', null, '')")
    con.execute("insert into population values ('Q1', ?, 'DE', 'A0', 'w', 7, 'Melderegister', false, 'raw/p.csv', 9)",
                [P])
    _derive(con)
    assert con.execute("select area_id, einwohner from area_population order by area_id").fetchall() == [
        ("C", 140), ("Q1", 7), ("SB1", 60), ("SB2", 80)]


def test_example_population_marks_every_derived_figure():
    con = _db(example_population=True)
    _derive(con)
    flags = set(con.execute("select is_example, flag from observation").fetchall())
    assert flags == {(True, "beispiel,abgeleitet")}


def test_real_population_derived_flags():
    con = _db()
    _derive(con)
    assert set(con.execute("select is_example, is_derived, flag, source_file from observation").fetchall()) == {
        (False, True, "abgeleitet", "population")}


# ----------------------------------------------------------------------------- public views
def _public(con) -> None:
    con.execute("create table population_suppressed (area_id varchar, period date, nationality varchar, "
                "age_group varchar, sex varchar)")
    con.execute((SQL_DIR / "public.sql").read_text(encoding="utf-8"))


def test_observation_public_hides_suppressed_values_and_keeps_the_row():
    con = _db()
    _derive(con)
    con.execute("update observation set suppressed = true where indicator_id = 'eu2_anteil' and area_id = 'SB2'")
    _public(con)
    rows = con.execute("select area_id, value, numerator, denominator, suppressed from observation_public "
                       "where indicator_id = 'eu2_anteil' order by area_id").fetchall()
    assert rows == [("C", 8.57, 12, 140, False), ("SB1", 16.67, 10, 60, False), ("SB2", None, None, None, True)]


@pytest.mark.parametrize(("hidden", "column"), [
    (("SB1", "_T", "_T", "_T"), "einwohner"), (("SB1", "DE", "_T", "_T"), "deutsche"),
    (("SB1", "AUS", "_T", "_T"), "auslaender"), (("SB1", "RO", "_T", "_T"), "rumaenen"),
    (("SB1", "BG", "_T", "_T"), "bulgaren"), (("SB1", "RO+BG", "_T", "_T"), "eu2"),
])
def test_area_population_public_hides_exactly_the_suppressed_margin(hidden, column):
    con = _db()
    _derive(con)
    _public(con)
    con.execute("insert into population_suppressed values (?, ?, ?, ?, ?)", [hidden[0], P, *hidden[1:]])
    columns = ["einwohner", "deutsche", "auslaender", "rumaenen", "bulgaren", "eu2"]
    row = con.execute(f"select {', '.join(columns)}, suppressed from area_population_public "  # noqa: S608
                      "where area_id = 'SB1'").fetchone()
    expected = dict(zip(columns, (60, 40, 20, 6, 4, 10), strict=True)) | {column: None}
    assert row == (*[expected[c] for c in columns], True)
    other = con.execute("select einwohner, suppressed from area_population_public where area_id = 'SB2'").fetchone()
    assert other == (80, False)


def test_area_population_public_ignores_other_margins_of_the_area():
    con = _db()
    _derive(con)
    _public(con)
    # age-group and sex margins of SB1 are hidden; the key figures (age AND sex totals) stay visible
    for nat in ("_T", "DE", "AUS", "RO", "BG", "RO+BG"):
        con.execute("insert into population_suppressed values ('SB1', ?, ?, 'A0', '_T'), ('SB1', ?, ?, '_T', 'w')",
                    [P, nat, P, nat])
    con.execute("insert into population_suppressed values ('SB1', ?, 'TR', '_T', '_T')", [P])
    con.execute("insert into population_suppressed values ('SB1', ?, '_T', '_T', '_T')", [dt.date(2021, 12, 31)])
    assert con.execute("select einwohner, deutsche, auslaender, rumaenen, bulgaren, eu2, suppressed "
                       "from area_population_public where area_id = 'SB1'").fetchone() == (60, 40, 20, 6, 4, 10, False)


def test_population_public_hides_only_the_suppressed_cell():
    con = _db()
    _derive(con)
    _public(con)
    con.execute("insert into population_suppressed values ('SB2', ?, 'RO', 'A0', 'w')", [P])
    con.execute("insert into population_suppressed values ('SB2', ?, 'RO', 'A0', 'm')", [P])   # other sex
    rows = con.execute("select area_id, nationality, persons, suppressed from population_public "
                       "where nationality = 'RO' order by area_id").fetchall()
    assert rows == [("SB1", "RO", 6, False), ("SB2", "RO", None, True)]
    assert con.execute("select count(*) from population_public").fetchone() == (8,)
