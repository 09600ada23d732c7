"""The published status rule on handmade series with literal expectations (status.assess and status.combine).

Dates are chosen so that the year fractions are exact: 01.01.2021 → 01.01.2025 is 1461 days = 4,0 years of
365,25 days, 01.01.2021 → 01.01.2029 is 2922 days = 8,0 years.
"""

from __future__ import annotations

import datetime as dt

import pytest

from integrationsmonitor import status
from integrationsmonitor.status import AT_RISK, NO_DATA, OFF_TRACK, ON_TRACK, IndicatorStatus, Point

D = dt.date
TODAY = D(2026, 1, 1)
START, LATEST, DUE = D(2021, 1, 1), D(2025, 1, 1), D(2029, 1, 1)


def _series(*pairs: tuple[dt.date, float]) -> list[Point]:
    return [Point(day, value) for day, value in pairs]


def _assess(series: list[Point], direction: str = "steigend", target: float | None = None,
            due: dt.date | None = None, kind: str = "E", today: dt.date = TODAY) -> IndicatorStatus:
    return status.assess(series, kind=kind, direction=direction, target=target, due=due, today=today)


# --------------------------------------------------------------------------- with target and deadline
# baseline 0 (2021), target 80 due 2029 → needed 10 per year; observed = latest / 4 years
@pytest.mark.parametrize(("latest", "category", "label"), [
    (38.0, ON_TRACK, "auf Kurs"),                               # ratio 0,95 exactly: on track
    (37.96, AT_RISK, "Fortschritt, aber zu langsam"),           # ratio 0,949
    (24.0, AT_RISK, "Fortschritt, aber zu langsam"),            # ratio 0,60 exactly
    (23.96, OFF_TRACK, "geringer Fortschritt"),                 # ratio 0,599
    (0.0, OFF_TRACK, "geringer Fortschritt"),                   # ratio 0 exactly
    (-4.0, OFF_TRACK, "entfernt sich vom Ziel"),                # ratio −0,1
])
def test_target_ratio_categories_rising(latest, category, label):
    result = _assess(_series((START, 0.0), (LATEST, latest)), target=80.0, due=DUE)
    assert (result.category, result.label, result.rule) == (category, label, "ziel_ratio")
    assert result.ratio == pytest.approx(latest / 4 / 10)
    assert result.annual_change == pytest.approx(latest / 4)
    assert (result.baseline, result.latest) == (Point(START, 0.0), Point(LATEST, latest))


def test_target_ratio_falling_direction():
    # baseline 80, target 0 (falling wanted): −9,5 per year observed vs −10 needed → 0,95
    result = _assess(_series((START, 80.0), (LATEST, 42.0)), direction="fallend", target=0.0, due=DUE)
    assert (result.category, result.rule, result.ratio) == (ON_TRACK, "ziel_ratio", pytest.approx(0.95))
    assert result.annual_change == pytest.approx(-9.5)


def test_target_reached_rising_counts_equality():
    result = _assess(_series((START, 50.0), (LATEST, 80.0)), target=80.0, due=DUE)
    assert result == IndicatorStatus(ON_TRACK, "Ziel erreicht", "ziel_erreicht", Point(START, 50.0),
                                     Point(LATEST, 80.0))


def test_target_reached_falling_only_below_target():
    reached = _assess(_series((START, 20.0), (LATEST, 10.0)), direction="fallend", target=10.0, due=DUE)
    assert (reached.category, reached.rule) == (ON_TRACK, "ziel_erreicht")
    # values ABOVE a falling target never count as reached (the direction decides)
    above = _assess(_series((START, 20.0), (LATEST, 30.0)), direction="fallend", target=10.0, due=DUE)
    assert (above.category, above.label, above.rule) == (OFF_TRACK, "entfernt sich vom Ziel", "ziel_ratio")


def test_rising_target_not_reached_from_above_direction():
    # a rising indicator that is below its target is not "reached" even though it is far from it
    result = _assess(_series((START, 10.0), (LATEST, 5.0)), direction="steigend", target=80.0, due=DUE)
    assert (result.category, result.label) == (OFF_TRACK, "entfernt sich vom Ziel")


def test_deadline_passed_without_reaching_target():
    result = _assess(_series((D(2015, 12, 31), 25.0), (D(2024, 12, 31), 75.0)), target=100.0, due=D(2018, 12, 31))
    assert (result.category, result.label, result.rule) == (OFF_TRACK, "Frist abgelaufen", "frist_abgelaufen")
    assert result.baseline == Point(D(2015, 12, 31), 25.0)
    assert result.latest == Point(D(2024, 12, 31), 75.0)


def test_target_reached_only_after_deadline_does_not_count():
    series = _series((D(2015, 12, 31), 25.0), (D(2020, 12, 31), 100.0))
    result = _assess(series, target=100.0, due=D(2018, 12, 31))
    assert result.rule == "frist_abgelaufen"


def test_target_reached_on_the_deadline_day_counts():
    series = _series((D(2015, 12, 31), 25.0), (D(2018, 12, 31), 100.0))
    assert _assess(series, target=100.0, due=D(2018, 12, 31)).rule == "ziel_erreicht"


def test_deadline_today_is_not_yet_passed():
    result = _assess(_series((START, 0.0), (LATEST, 38.0)), target=80.0, due=DUE, today=DUE)
    assert (result.category, result.rule) == (ON_TRACK, "ziel_ratio")
    after = _assess(_series((START, 0.0), (LATEST, 38.0)), target=80.0, due=DUE, today=D(2029, 1, 2))
    assert after.rule == "frist_abgelaufen"


def test_target_without_deadline_uses_the_trend():
    result = _assess(_series((START, 100.0), (LATEST, 120.0)), target=200.0, due=None)
    assert (result.category, result.label, result.rule) == (
        ON_TRACK, "Zielwert ohne Frist – Entwicklung positiv", "trend")
    assert result.annual_change == pytest.approx(0.05)


def test_target_with_single_value_has_no_trend():
    result = _assess(_series((START, 10.0)), target=80.0, due=DUE)
    assert (result.category, result.label, result.rule) == (NO_DATA, "nur ein Wert", "ein_wert")


def test_deadline_close_to_baseline_uses_at_least_a_tenth_of_a_year():
    # due one day after the baseline: needed = 78 / 0,1 year = 780 per year; observed 38 / 4 = 9,5 per year
    result = _assess(_series((START, 0.0), (LATEST, 38.0)), target=78.0, due=D(2021, 1, 2), today=START)
    assert result.rule == "ziel_ratio"
    assert result.ratio == pytest.approx(9.5 / 780)


# --------------------------------------------------------------------------- without target: trend
@pytest.mark.parametrize(("direction", "first", "last", "category", "word"), [
    ("steigend", 100.0, 104.0, ON_TRACK, "positiv"),      # +1 % per year exactly
    ("steigend", 100.0, 103.96, AT_RISK, "stabil"),       # +0,99 %
    ("steigend", 100.0, 96.04, AT_RISK, "stabil"),        # −0,99 %
    ("steigend", 100.0, 96.0, OFF_TRACK, "negativ"),      # −1 % exactly
    ("fallend", 100.0, 96.0, ON_TRACK, "positiv"),        # falling wanted: −1 % per year is good
    ("fallend", 100.0, 104.0, OFF_TRACK, "negativ"),
    ("fallend", 100.0, 100.0, AT_RISK, "stabil"),
])
def test_trend_without_target(direction, first, last, category, word):
    result = _assess(_series((START, first), (LATEST, last)), direction=direction)
    assert (result.category, result.label, result.rule) == (
        category, f"kein Zielwert beschlossen – Entwicklung {word}", "trend")
    assert (result.baseline, result.latest, result.ratio) == (Point(START, first), Point(LATEST, last), None)
    sign = 1 if direction == "steigend" else -1
    assert result.annual_change == pytest.approx(sign * (last - first) / first / 4)


def test_trend_uses_only_the_last_four_values_and_sorts_them():
    # the first two values (a steep fall) lie outside the window of four
    series = _series((D(2023, 1, 1), 103.0), (D(2017, 1, 1), 500.0), (D(2021, 1, 1), 100.0),
                     (D(2025, 1, 1), 104.0), (D(2019, 1, 1), 900.0), (D(2022, 1, 1), 101.0))
    result = _assess(series)
    assert (result.category, result.baseline, result.latest) == (
        ON_TRACK, Point(D(2021, 1, 1), 100.0), Point(D(2025, 1, 1), 104.0))
    assert result.annual_change == pytest.approx(0.01)


def test_trend_from_zero_uses_absolute_change():
    result = _assess(_series((START, 0.0), (LATEST, 0.02)))
    assert result.annual_change == pytest.approx(0.005)
    assert result.category == AT_RISK
    negative_base = _assess(_series((START, -100.0), (LATEST, -96.0)))
    assert negative_base.annual_change == pytest.approx(0.01)
    assert negative_base.category == ON_TRACK


@pytest.mark.parametrize(("kind", "direction"), [("K", "steigend"), ("E", "neutral")])
def test_context_indicators_are_not_assessed(kind, direction):
    result = _assess(_series((LATEST, 9.0), (START, 1.0), (DUE, 4.0)), direction=direction, kind=kind)
    assert (result.category, result.label, result.rule) == (NO_DATA, "Kontext – nicht bewertet", "kontext")
    assert (result.baseline, result.latest) == (Point(START, 1.0), Point(DUE, 4.0))


def test_no_points():
    assert _assess([]) == IndicatorStatus(NO_DATA, "keine Daten", "keine_daten")
    assert _assess([], kind="K") == IndicatorStatus(NO_DATA, "Kontext – nicht bewertet", "kontext", None, None)


def test_single_value_without_target():
    result = _assess(_series((START, 7.0)))
    assert result == IndicatorStatus(NO_DATA, "nur ein Wert", "ein_wert", Point(START, 7.0), Point(START, 7.0))


# --------------------------------------------------------------------------- Leitziel roll-up
def _st(category: str) -> IndicatorStatus:
    return IndicatorStatus(category, "x", "trend")


@pytest.mark.parametrize(("members", "expected"), [
    # the WORST Ergebnis indicator decides, whatever the order
    ([("E", ON_TRACK), ("E", OFF_TRACK), ("E", AT_RISK)], (OFF_TRACK, "nicht auf Kurs", "Ergebnisindikatoren")),
    ([("E", AT_RISK), ("E", ON_TRACK)], (AT_RISK, "gefährdet", "Ergebnisindikatoren")),
    ([("E", ON_TRACK), ("E", ON_TRACK)], (ON_TRACK, "auf Kurs", "Ergebnisindikatoren")),
    # indicators without data are skipped, not counted as worst
    ([("E", NO_DATA), ("E", ON_TRACK)], (ON_TRACK, "auf Kurs", "Ergebnisindikatoren")),
    # Ergebnis before Umsetzung, even when Umsetzung is worse
    ([("U", OFF_TRACK), ("E", ON_TRACK)], (ON_TRACK, "auf Kurs", "Ergebnisindikatoren")),
    # only Umsetzungsdaten: their worst, and the label says so
    ([("E", NO_DATA), ("U", ON_TRACK), ("U", AT_RISK)],
     (AT_RISK, "gefährdet (nur Umsetzungsdaten)", "nur Umsetzungsdaten")),
    # context indicators never decide
    ([("K", OFF_TRACK), ("U", ON_TRACK)], (ON_TRACK, "auf Kurs (nur Umsetzungsdaten)", "nur Umsetzungsdaten")),
    ([("K", OFF_TRACK), ("E", NO_DATA)], (NO_DATA, "keine Daten", "keine bewertbaren Daten")),
    ([], (NO_DATA, "keine Daten", "keine bewertbaren Daten")),
])
def test_leitziel_takes_the_worst_indicator(members, expected):
    assert status.combine([(kind, _st(cat)) for kind, cat in members]) == expected


def test_rule_texts_name_the_thresholds():
    assert "≥ 95 %" in status.RULE_TEXT["ziel_ratio"] and "60–95 %" in status.RULE_TEXT["ziel_ratio"]
    assert "≥ +1 % je Jahr" in status.RULE_TEXT["trend"]
    assert (status.RATIO_ON_TRACK, status.RATIO_SLOW, status.TREND_THRESHOLD, status.TREND_WINDOW) == (
        0.95, 0.60, 0.01, 4)
