"""German formats per unit (formatting) with literal expectations; \u00a0 is the non-breaking space before %."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from integrationsmonitor import formatting

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "unit", "expected"), [
    # counts: no decimals, thousands with a point
    (1234.4, "Personen", "1.234"),
    (1235.6, "Personen", "1.236"),
    (0, "Personen", "0"),
    (12.6, "Anzahl", "13"),
    (7, "Schulen", "7"),
    (1234567, "Einträge", "1.234.567"),
    # percent: one decimal, comma, non-breaking space
    (12.345, "%", f"12,3{NBSP}%"),
    (100, "%", f"100,0{NBSP}%"),
    (0.04, "%", f"0,0{NBSP}%"),
    # Indexpunkte and "je 100 Zugezogene" keep one decimal, also when it is 0
    (103.27, "Indexpunkte", "103,3"),
    (103.0, "Indexpunkte", "103,0"),
    (1234.56, "Indexpunkte", "1.234,6"),
    (5.27, "je 100 Zugezogene", "5,3"),
    (5.0, "je 100 Zugezogene", "5,0"),
    # rents: two decimals and the unit
    (7.5, "€/m²", "7,50 €/m²"),
    (1234.567, "€/m²", "1.234,57 €/m²"),
    # missing values
    (None, "Personen", "–"),
    (math.nan, "Personen", "–"),
    (None, "%", "–"),
    (None, "€/m²", "–"),
    (None, "Indexpunkte", "–"),
])
def test_value_with_unit_table(value, unit, expected):
    assert formatting.value_with_unit(value, unit) == expected


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (12.345, "%", f"ca. 12,3{NBSP}%"),
    (1234.4, "Personen", "ca. 1.234"),
    (7.5, "€/m²", "ca. 7,50 €/m²"),
    (None, "Personen", "–"),        # never "ca. –"
])
def test_approximate_values(value, unit, expected):
    assert formatting.value_with_unit(value, unit, approx=True) == expected


def test_suppressed_wins_over_everything():
    assert formatting.value_with_unit(2, "Personen", suppressed=True) == "·"
    assert formatting.value_with_unit(None, "%", approx=True, suppressed=True) == "·"
    assert formatting.SUPPRESSED == "·" and formatting.MISSING == "–"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234.4, 0, "1.234"),
    (1234.56, 1, "1.234,6"),
    (1234567.891, 2, "1.234.567,89"),
    (-1234.56, 1, "-1.234,6"),
    (999, 0, "999"),
    (0.5, 2, "0,50"),
    (None, 1, "–"),
    (math.nan, 0, "–"),
])
def test_number(value, decimals, expected):
    assert formatting.number(value, decimals) == expected


def test_number_default_has_no_decimals():
    assert formatting.number(1234.56) == "1.235"


def test_percent_decimals_and_missing():
    assert formatting.percent(12.345) == f"12,3{NBSP}%"
    assert formatting.percent(12.346, 2) == f"12,35{NBSP}%"
    assert formatting.percent(7, 0) == f"7{NBSP}%"
    assert formatting.percent(None) == "–"
    assert formatting.percent(math.nan) == "–"


@pytest.mark.parametrize(("value", "expected"), [
    (2.14, f"+2,1{NBSP}%"),
    (0.5, f"+0,5{NBSP}%"),
    (-0.44, f"−0,4{NBSP}%"),   # U+2212 minus sign
    (0, f"±0,0{NBSP}%"),
    (0.0, f"±0,0{NBSP}%"),
    (None, "–"),
    (math.nan, "–"),
])
def test_signed_percent(value, expected):
    assert formatting.signed_percent(value) == expected


def test_signed_percent_decimals():
    assert formatting.signed_percent(12.0, 0) == f"+12{NBSP}%"


def test_dates():
    assert formatting.date(dt.date(2022, 12, 31)) == "31.12.2022"
    assert formatting.date(dt.date(2023, 1, 5)) == "05.01.2023"
    assert formatting.date(dt.datetime(2023, 1, 5, 23, 59)) == "05.01.2023"
    assert formatting.date(None) == "–"
    assert formatting.date(dt.date(999, 1, 5)) == "05.01.0999"   # always four digits for the year


def test_plotly_separators_are_german():
    assert formatting.PLOTLY_SEPARATORS == ",."
    assert formatting.LOCALE == "de_DE"
