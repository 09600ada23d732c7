"""Status of indicators and Leitziele — the published rule (see the Daten & Methodik page).

With a target: observed annual change vs. the annual change needed to reach the target on time.
Without a target: the trend in the desired direction over the last (up to four) values.
Leitziele take the WORST status of their assessable indicators (Ergebnis first, else Umsetzung):
a red is never averaged away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "auf_kurs", "gefaehrdet", "nicht_auf_kurs", "keine_daten"
CATEGORY_ORDER = (OFF_TRACK, AT_RISK, ON_TRACK, NO_DATA)  # worst first
CATEGORY_LABEL = {ON_TRACK: "auf Kurs", AT_RISK: "gefährdet", OFF_TRACK: "nicht auf Kurs", NO_DATA: "keine Daten"}
CATEGORY_ICON = {ON_TRACK: "✅", AT_RISK: "⚠️", OFF_TRACK: "❌", NO_DATA: "⬜"}

RATIO_ON_TRACK = 0.95
RATIO_SLOW = 0.60
TREND_THRESHOLD = 0.01  # 1 % relative change per year
TREND_WINDOW = 4

RULE_TEXT = {
    "ziel_erreicht": "Zielwert erreicht.",
    "ziel_ratio": (
        "Mit Zielwert und Frist: beobachtete jährliche Veränderung seit dem Basiswert geteilt durch die jährlich "
        "nötige Veränderung. ≥ 95 % auf Kurs; 60–95 % Fortschritt, aber zu langsam; 0–60 % geringer Fortschritt; "
        "< 0 entfernt sich vom Ziel."
    ),
    "frist_abgelaufen": "Die Frist ist abgelaufen, der Zielwert wurde bis dahin nicht erreicht.",
    "trend": (
        "Ohne beschlossenen Zielwert (oder ohne Frist): Entwicklung der letzten höchstens vier Werte in die gewünschte "
        "Richtung. ≥ +1 % je Jahr positiv (auf Kurs); zwischen −1 % und +1 % stabil (gefährdet); ≤ −1 % negativ "
        "(nicht auf Kurs)."
    ),
    "ein_wert": "Nur ein Wert: ohne zweiten Wert ist keine Entwicklung erkennbar.",
    "keine_daten": "Für diesen Indikator liegen keine Daten vor.",
    "kontext": "Kontextindikator: beschreibt die Lage, wird nicht bewertet.",
}


@dataclass(frozen=True)
class Point:
    period: dt.date
    value: float


@dataclass(frozen=True)
class IndicatorStatus:
    category: str
    label: str
    rule: str
    baseline: Point | None = None
    latest: Point | None = None
    ratio: float | None = None
    annual_change: float | None = None


def _years(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 365.25


def assess(series: list[Point], *, kind: str, direction: str, target: float | None, due: dt.date | None,
           today: dt.date) -> IndicatorStatus:
    """Assess one indicator series (sorted or not) by the published rule."""
    points = sorted(series, key=lambda p: p.period)
    if kind == "K" or direction == "neutral":
        return IndicatorStatus(NO_DATA, "Kontext – nicht bewertet", "kontext",
                               points[0] if points else None, points[-1] if points else None)
    if not points:
        return IndicatorStatus(NO_DATA, "keine Daten", "keine_daten")
    sign = 1 if direction == "steigend" else -1
    baseline, latest = points[0], points[-1]
    if target is not None:
        met = [p for p in points if sign * (p.value - target) >= 0 and (due is None or p.period <= due)]
        if met:
            return IndicatorStatus(ON_TRACK, "Ziel erreicht", "ziel_erreicht", baseline, latest)
        if due is not None and due < today:
            return IndicatorStatus(OFF_TRACK, "Frist abgelaufen", "frist_abgelaufen", baseline, latest)
        if due is not None and len(points) >= 2 and latest.period > baseline.period:
            needed = (target - baseline.value) / max(_years(baseline.period, due), 0.1)
            observed = (latest.value - baseline.value) / _years(baseline.period, latest.period)
            ratio = observed / needed if needed else 0.0
            return IndicatorStatus(*_ratio_category(ratio), "ziel_ratio", baseline, latest, ratio, observed)
    if len(points) < 2:
        return IndicatorStatus(NO_DATA, "nur ein Wert", "ein_wert", baseline, latest)
    window = points[-TREND_WINDOW:]
    first, last = window[0], window[-1]
    years = _years(first.period, last.period)
    base = abs(first.value) or 1.0
    change = sign * (last.value - first.value) / base / years
    prefix = "kein Zielwert beschlossen" if target is None else "Zielwert ohne Frist"
    if change >= TREND_THRESHOLD:
        return IndicatorStatus(ON_TRACK, f"{prefix} – Entwicklung positiv", "trend", first, last, None, change)
    if change <= -TREND_THRESHOLD:
        return IndicatorStatus(OFF_TRACK, f"{prefix} – Entwicklung negativ", "trend", first, last, None, change)
    return IndicatorStatus(AT_RISK, f"{prefix} – Entwicklung stabil", "trend", first, last, None, change)


def _ratio_category(ratio: float) -> tuple[str, str]:
    if ratio >= RATIO_ON_TRACK:
        return ON_TRACK, "auf Kurs"
    if ratio >= RATIO_SLOW:
        return AT_RISK, "Fortschritt, aber zu langsam"
    if ratio >= 0:
        return OFF_TRACK, "geringer Fortschritt"
    return OFF_TRACK, "entfernt sich vom Ziel"


def combine(statuses: list[tuple[str, IndicatorStatus]]) -> tuple[str, str, str]:
    """Leitziel status from (indicator type, status) pairs: worst of E, else worst of U.

    Returns (category, label, basis) where basis says which indicators decided it.
    """
    for kind, basis in (("E", "Ergebnisindikatoren"), ("U", "nur Umsetzungsdaten")):
        assessed = [s for k, s in statuses if k == kind and s.category != NO_DATA]
        if assessed:
            worst = min(assessed, key=lambda s: CATEGORY_ORDER.index(s.category))
            label = CATEGORY_LABEL[worst.category]
            if kind == "U":
                label += " (nur Umsetzungsdaten)"
            return worst.category, label, basis
    return NO_DATA, "keine Daten", "keine bewertbaren Daten"
