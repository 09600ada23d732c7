"""One boundary fixture per validation rule (ingest.validate, ingest.parsing): just inside passes, just outside fails.

Records and the catalogue are handmade; each expectation names file, row and column literally.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from integrationsmonitor.ingest import validate as v
from integrationsmonitor.ingest.parsing import (
    CellError,
    check_text,
    parse_count,
    parse_date,
    parse_number,
    parse_yes_no,
)
from integrationsmonitor.problems import Problem

D = dt.date(2022, 12, 31)
CAT = SimpleNamespace(
    indicators=[{"id": "einbuergerungen", "einheit": "Personen"}, {"id": "eu2_anteil", "einheit": "%"},
                {"id": "auslaender", "einheit": "Personen"}, {"id": "einwohner", "einheit": "Personen"},
                {"id": "mietpreis", "einheit": "€/m²"}],
    areas=[{"id": "05914000", "uebergeordnet": ""}, {"id": "SB1", "uebergeordnet": "05914000"}],
    nationalities=[{"code": "_T", "art": "aggregat"}, {"code": "RO+BG", "art": "aggregat"},
                   {"code": "XX", "art": "aggregat"}, {"code": "RO", "art": "staat"}],
)


def obs(row: int, indicator: str = "einbuergerungen", value: float | None = 10.0, *, area: str = "SB1",
        nationality: str = "_T", source: str = "Q", example: bool = False, figure_id: str = "",
        numerator: int | None = None, denominator: int | None = None, approx: bool = False,
        period: dt.date = D) -> dict:
    return {"indicator_id": indicator, "area_id": area, "period": period, "nationality": nationality,
            "source": source, "value": value, "value_column": "wert", "is_example": example,
            "figure_id": figure_id, "numerator": numerator, "denominator": denominator, "is_approx": approx,
            "file": "raw/t.csv", "row": row}


def pop(row: int, nationality: str = "RO", *, sex: str = "w", age: str = "A0") -> dict:
    return {"area_id": "SB1", "period": D, "nationality": nationality, "age_group": age, "sex": sex,
            "persons": 5, "file": "raw/p.csv", "row": row}


# ----------------------------------------------------------------------------- keys
def test_unique_observation_key():
    problems = v.rule_unique_observation_key([obs(2), obs(3), obs(4)], CAT)
    msg = ("doppelter Schlüssel (Indikator, Gebiet, Stichtag, Staatsangehörigkeit, Quelle) – schon in raw/t.csv "
           "Zeile 2")
    assert problems == [Problem("raw/t.csv", 3, None, msg, "jede Kombination nur einmal"),
                        Problem("raw/t.csv", 4, None, msg, "jede Kombination nur einmal")]


@pytest.mark.parametrize("other", [
    {"source": "P"}, {"area": "05914000"}, {"nationality": "RO"}, {"indicator": "auslaender"},
    {"period": dt.date(2021, 12, 31)},
])
def test_observation_key_differs_in_one_field(other):
    assert v.rule_unique_observation_key([obs(2), obs(3, **other)], CAT) == []


def test_unique_figure_id():
    records = [obs(2, figure_id="F1"), obs(3, figure_id="F2"), obs(4, figure_id="F1"), obs(5), obs(6)]
    assert v.rule_unique_figure_id(records, CAT) == [
        Problem("raw/t.csv", 4, "figure_id", "Kennung 'F1' schon in raw/t.csv Zeile 2", "eindeutige Kennung je Zahl")]


def test_unique_population_key():
    records = [pop(2), pop(3, sex="m"), pop(4, age="A1"), pop(5, "BG"), pop(6)]
    assert v.rule_unique_population_key(records, CAT) == [
        Problem("raw/p.csv", 6, None, "doppelter Schlüssel (Gebiet, Stichtag, Staatsangehörigkeit, Alter, "
                "Geschlecht) – schon in raw/p.csv Zeile 2", "jede Kombination nur einmal")]


def test_population_no_aggregates_but_xx_allowed():
    problems = v.rule_population_no_aggregates([pop(2, "RO"), pop(3, "XX"), pop(4, "_T"), pop(5, "RO+BG")], CAT)
    expected = "einzelne Staatsangehörigkeit (ISO-Code) oder XX für übrige"
    assert problems == [
        Problem("raw/p.csv", 4, "staatsangehoerigkeit", "Summencode '_T' in Grunddaten", expected),
        Problem("raw/p.csv", 5, "staatsangehoerigkeit", "Summencode 'RO+BG' in Grunddaten", expected)]


# ----------------------------------------------------------------------------- example data
def test_example_never_replaces_a_real_figure():
    records = [obs(2, value=40.0), obs(3, value=41.0, example=True, source="Beispiel")]
    assert v.rule_example_never_replaces_real(records, CAT) == [Problem(
        "raw/t.csv", 3, "beispieldaten",
        "Beispielwert für Indikator, Gebiet, Stichtag und Staatsangehörigkeit, für die eine echte Zahl vorliegt",
        "Beispieldaten nur, wo keine echte Zahl existiert")]


def test_example_where_no_real_figure_is_fine():
    records = [obs(2), obs(3, example=True, nationality="RO"), obs(4, example=True, area="05914000"),
               obs(5, example=True, period=dt.date(2021, 12, 31)), obs(6, "auslaender", example=True)]
    assert v.rule_example_never_replaces_real(records, CAT) == []
    # two example values (different sources) on one key: neither is real, so nothing is replaced
    assert v.rule_example_never_replaces_real([obs(2, example=True), obs(3, example=True, source="P")], CAT) == []


# ----------------------------------------------------------------------------- value ranges
def test_counts_not_negative_boundary():
    records = [obs(2, value=0.0), obs(3, value=-1.0), obs(4, "mietpreis", -1.0), obs(5, value=None)]
    assert v.rule_counts_not_negative(records, CAT) == [
        Problem("raw/t.csv", 3, "wert", "negative Anzahl -1 für einbuergerungen", "eine Anzahl ≥ 0")]


@pytest.mark.parametrize(("value", "bad"), [(0.0, False), (100.0, False), (-0.1, True), (100.1, True),
                                            (50.0, False)])
def test_shares_in_range_boundary(value, bad):
    problems = v.rule_shares_in_range([obs(7, "eu2_anteil", value)], CAT)
    expected = [Problem("raw/t.csv", 7, "wert", f"Anteil {value:g} % liegt außerhalb von 0 bis 100", "0 bis 100")]
    assert problems == (expected if bad else [])


def test_shares_rule_only_for_percent_indicators():
    assert v.rule_shares_in_range([obs(2, "einbuergerungen", 150.0), obs(3, "eu2_anteil", None)], CAT) == []


@pytest.mark.parametrize(("num", "den", "value", "expected"), [
    (5, 5, 100.0, []),                                            # equal: inside
    (6, 5, 120.0, [("zaehler", "Zähler 6 größer als Nenner 5")]),  # one more: outside
    (1, 3, 33.38, []),                                            # 33,333… ± 0,051
    (1, 3, 33.29, []),
    (1, 3, 33.39, [("wert", "Wert 33.39 passt nicht zu Zähler/Nenner (33.3 %)")]),
    (1, 3, 33.28, [("wert", "Wert 33.28 passt nicht zu Zähler/Nenner (33.3 %)")]),
    (0, 0, 12.0, []),                                             # no denominator: nothing to compare
    (None, 5, 12.0, []),
    (3, None, 12.0, []),
])
def test_numerator_and_denominator(num, den, value, expected):
    problems = v.rule_numerator_not_above_denominator([obs(9, "eu2_anteil", value, numerator=num,
                                                           denominator=den)], CAT)
    assert [(p.row, p.column, p.message) for p in problems] == [(9, c, m) for c, m in expected]


def test_parts_not_above_totals_nationality():
    inside = [obs(2, "auslaender", 100.0), obs(3, "auslaender", 100.0, nationality="RO")]
    assert v.rule_parts_not_above_totals(inside, CAT) == []
    outside = [obs(2, "auslaender", 100.0), obs(3, "auslaender", 101.0, nationality="RO")]
    assert v.rule_parts_not_above_totals(outside, CAT) == [Problem(
        "raw/t.csv", 3, "wert", "Teil 101 größer als Summe 100 (alle Ausländer:innen, raw/t.csv Zeile 2)",
        "Teil ≤ Gesamtheit")]


def test_parts_not_above_totals_foreigners_and_districts():
    records = [obs(2, "einwohner", 50.0), obs(3, "auslaender", 51.0),
               obs(4, "einwohner", 49.0, area="05914000")]
    problems = v.rule_parts_not_above_totals(records, CAT)
    assert [(p.row, p.message) for p in problems] == [
        (2, "Teil 50 größer als Summe 49 (die übergeordnete Einheit, raw/t.csv Zeile 4)"),
        (3, "Teil 51 größer als Summe 50 (alle Einwohner:innen, raw/t.csv Zeile 2)")]


def test_parts_not_above_totals_skips_approximate_and_other_sources():
    approx = [obs(2, "auslaender", 100.0, approx=True), obs(3, "auslaender", 101.0, nationality="RO")]
    assert v.rule_parts_not_above_totals(approx, CAT) == []
    approx_part = [obs(2, "auslaender", 100.0), obs(3, "auslaender", 101.0, nationality="RO", approx=True)]
    assert v.rule_parts_not_above_totals(approx_part, CAT) == []
    other_source = [obs(2, "auslaender", 100.0), obs(3, "auslaender", 101.0, nationality="RO", source="P")]
    assert v.rule_parts_not_above_totals(other_source, CAT) == []
    # only einwohner/auslaender are compared with their city
    rate = [obs(2, "einbuergerungen", 5.0), obs(3, "einbuergerungen", 4.0, area="05914000")]
    assert v.rule_parts_not_above_totals(rate, CAT) == []


def test_check_all_runs_every_rule():
    observations = [
        obs(2, "eu2_anteil", 101.0),                                            # share above 100
        obs(3, value=-2.0), obs(4, value=-2.0),                                  # negative count, twice the key
        obs(5, "eu2_anteil", 50.0, example=True, source="Beispiel"),             # example on a real key
        obs(6, "einwohner", 50.0, figure_id="F1"), obs(7, "einwohner", 50.0, area="05914000", figure_id="F1"),
        obs(8, "eu2_anteil", 60.0, area="05914000", numerator=6, denominator=5),  # numerator above denominator
        obs(9, "auslaender", 10.0), obs(10, "auslaender", 11.0, nationality="RO"),  # part above total
    ]
    problems = v.check_all(observations, [pop(2, "_T"), pop(3, "_T")], CAT)
    assert sorted((p.file, p.row, p.column or "") for p in problems) == [
        ("raw/p.csv", 2, "staatsangehoerigkeit"), ("raw/p.csv", 3, ""), ("raw/p.csv", 3, "staatsangehoerigkeit"),
        ("raw/t.csv", 2, "wert"), ("raw/t.csv", 3, "wert"), ("raw/t.csv", 4, ""), ("raw/t.csv", 4, "wert"),
        ("raw/t.csv", 5, "beispieldaten"), ("raw/t.csv", 7, "figure_id"), ("raw/t.csv", 8, "zaehler"),
        ("raw/t.csv", 10, "wert")]


# ----------------------------------------------------------------------------- note flags
@pytest.mark.parametrize(("note", "approx", "rounded", "uncertain"), [
    ("", False, False, False),
    ("etwa 300", True, False, False),
    ("ca. 300", True, False, False),
    ("ROUNDED to 5", False, True, False),
    ("auf 5 gerundet", False, True, False),
    ("Tag nicht angegeben", False, False, True),
    ("APPROXIMATE; YEAR INFERRED", True, False, True),
])
def test_note_flags(note, approx, rounded, uncertain):
    assert v._note_flags(note) == {"is_approx": approx, "is_rounded": rounded, "date_uncertain": uncertain}


def test_figure_flags_from_catalogue():
    records = [obs(2, figure_id="F1"), obs(3, figure_id="F2")]
    for r in records:
        r.update(is_rounded=False, is_approx=False, date_uncertain=False)
    cat = SimpleNamespace(figure_flags=[{"figure_id": "F1", "kennzeichen": "gerundet"},
                                        {"figure_id": "F1", "kennzeichen": "datum_unsicher"},
                                        {"figure_id": "F2", "kennzeichen": "ca"}])
    v.apply_figure_flags(records, cat)
    assert [(r["is_rounded"], r["is_approx"], r["date_uncertain"]) for r in records] == [
        (True, False, True), (False, True, False)]


# ----------------------------------------------------------------------------- cells
@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1.234,5", ",", 1234.5), ("12,5", ",", 12.5), ("-3", ",", -3.0), ("1.234.567", ",", 1234567.0),
    ("1\u00a0234,5", ",", 1234.5), ("1234.5", ".", 1234.5), ("+7", ".", 7.0),
])
def test_parse_number_inside(text, decimal, expected):
    assert parse_number(text, decimal) == expected


@pytest.mark.parametrize(("text", "decimal", "message"), [
    ("12.5", ",", "Dezimalpunkt in '12.5'"),
    ("1,234.5", ",", "englisches Zahlenformat '1,234.5'"),
    ("12.34.5", ",", "keine Zahl: '12.34.5'"),
    ("1.23", ",", "Dezimalpunkt in '1.23'"),
    ("1,5", ".", "Komma in '1,5'"),
    ("abc", ".", "keine Zahl: 'abc'"),
    ("   ", ",", "Wert fehlt"),
])
def test_parse_number_outside(text, decimal, message):
    with pytest.raises(CellError, match="^" + message.replace(".", r"\.").replace("(", r"\(") + "$"):
        parse_number(text, decimal)


def test_parse_count_boundaries():
    assert parse_count("0", ",") == 0
    assert parse_count("1.000", ",") == 1000
    with pytest.raises(CellError, match="negative Anzahl '-1'"):
        parse_count("-1", ",")
    with pytest.raises(CellError, match="Anzahl mit Nachkommastellen '2,5'"):
        parse_count("2,5", ",")


def test_parse_date_plausible_range():
    today = dt.date(2026, 1, 1)
    assert parse_date("01.01.1950", today) == dt.date(1950, 1, 1)
    assert parse_date("2026-01-01", today) == today                     # today is the latest Stichtag
    assert parse_date("1.1.2026", today) == today
    with pytest.raises(CellError, match="außerhalb des plausiblen Bereichs '31.12.1949'") as early:
        parse_date("31.12.1949", today)
    assert early.value.expected == "zwischen 1950 und 2027"
    with pytest.raises(CellError, match=r"^Datum 02\.01\.2026 liegt nach dem heutigen Tag \(01\.01\.2026\)$") as late:
        parse_date("2026-01-02", today)
    assert late.value.expected == "einen Stichtag bis heute"
    with pytest.raises(CellError, match="unmögliches Datum '31.02.2022'"):
        parse_date("31.02.2022", today)
    with pytest.raises(CellError, match="kein Datum: '2022/12/31'"):
        parse_date("2022/12/31", today)


@pytest.mark.parametrize(("text", "expected"), [("ja", True), ("J", True), ("1", True), ("wahr", True),
                                                ("nein", False), ("", False), ("0", False), (" Falsch ", False)])
def test_yes_no(text, expected):
    assert parse_yes_no(text) is expected


def test_yes_no_refuses_other_words():
    with pytest.raises(CellError, match="weder ja noch nein: 'vielleicht'"):
        parse_yes_no("vielleicht")


@pytest.mark.parametrize("text", ["=SUMME(A1)", "@x", "+A1", "-(1)", "\tx", "\rx"])
def test_formula_like_text_refused(text):
    with pytest.raises(CellError, match="Text beginnt wie eine Tabellenformel"):
        check_text(text)


@pytest.mark.parametrize("text", ["Stadt Hagen", "-5 Personen", "+3", "a=b", ""])
def test_plain_text_kept(text):
    assert check_text(text) == text
