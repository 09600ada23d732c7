"""Lesehilfe: one plain-language German sentence that reads a chart, computed from the data (no Streamlit).

Functions are generic (values, dates, names in; a sentence out) so that every view can use them, e.g.
"Ende 2022 lebten 4.855 rumänische Staatsangehörige in Hagen, 2,1 % mehr als ein Jahr zuvor."
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from integrationsmonitor import formatting
from integrationsmonitor.status import CATEGORY_LABEL, CATEGORY_ORDER

PERCENT_UNITS = {"%"}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def when(period: dt.date) -> str:
    """31.12.2022 → 'Ende 2022', 30.06.2022 → 'Mitte 2022', else 'am 15.09.2015'."""
    if (period.month, period.day) == (12, 31):
        return f"Ende {period.year}"
    if (period.month, period.day) == (6, 30):
        return f"Mitte {period.year}"
    return f"am {formatting.date(period)}"


def _before(previous: dt.date, latest: dt.date) -> str:
    """How far back the comparison value lies, in words."""
    days = (latest - previous).days
    if 360 <= days <= 370:
        return "ein Jahr zuvor"
    if (previous.month, previous.day) == (12, 31):
        return f"Ende {previous.year}"
    return f"am {formatting.date(previous)}"


def _ca(approx: bool) -> str:
    return "ca. " if approx else ""


def count_change(subject: str, place: str, latest: float, latest_period: dt.date, previous: float | None = None,
                 previous_period: dt.date | None = None, *, verb: str = "lebten", approx: bool = False) -> str:
    """'Ende 2022 lebten 4.855 rumänische Staatsangehörige in Hagen, 2,1 % mehr als ein Jahr zuvor.'"""
    head = f"{when(latest_period)} {verb} {_ca(approx)}{formatting.number(latest)} {subject} in {place}"
    if _missing(previous) or previous_period is None or previous == 0:
        return head + "."
    change = 100.0 * (latest - previous) / abs(previous)
    if round(change, 1) == 0:
        return head + f", etwa so viele wie {_before(previous_period, latest_period)}."
    direction = "mehr" if change > 0 else "weniger"
    return head + f", {formatting.number(abs(change), 1)}\u00a0% {direction} als {_before(previous_period, latest_period)}."


def value_change(name: str, place: str, latest: float, latest_period: dt.date, unit: str,
                 previous: float | None = None, previous_period: dt.date | None = None, *,
                 approx: bool = False) -> str:
    """'„Ausländeranteil“ lag in Hagen Ende 2024 bei 24,6 %, 0,7 Prozentpunkte höher als ein Jahr zuvor.'"""
    head = (f"„{name}“ lag in {place} {when(latest_period)} bei "
            f"{formatting.value_with_unit(latest, unit, approx=approx)}")
    if _missing(previous) or previous_period is None:
        return head + "."
    diff = latest - previous
    back = _before(previous_period, latest_period)
    if unit in PERCENT_UNITS:
        if round(diff, 1) == 0:
            return head + f", so hoch wie {back}."
        return head + (f", {formatting.number(abs(diff), 1)} Prozentpunkte {'höher' if diff > 0 else 'niedriger'} "
                       f"als {back}.")
    if previous == 0 or round(100.0 * diff / abs(previous), 1) == 0:
        return head + f", etwa so hoch wie {back}."
    rel = 100.0 * diff / abs(previous)
    return head + f", {formatting.number(abs(rel), 1)}\u00a0% {'höher' if rel > 0 else 'niedriger'} als {back}."


def status_counts(counts: Mapping[str, int], *, what: str = "Leitzielen") -> str:
    """'Von 27 Leitzielen sind 12 auf Kurs, 2 gefährdet, 8 nicht auf Kurs; für 5 liegen keine Daten vor.'"""
    total = sum(counts.values())
    if total == 0:
        return f"Es liegen keine {what} vor."
    parts = [f"{counts[c]} {CATEGORY_LABEL[c]}" for c in CATEGORY_ORDER if c != "keine_daten" and counts.get(c)]
    text = f"Von {total} {what} {'ist' if total == 1 else 'sind'} " + (", ".join(parts) if parts else "keins bewertet")
    n_none = counts.get("keine_daten", 0)
    if n_none:
        text += f"; für {n_none} {'liegen' if n_none != 1 else 'liegen'} keine bewertbaren Daten vor"
    return text + "."


def no_data(name: str, holder: str = "") -> str:
    """Sentence for an indicator without any data."""
    text = f"Für „{name}“ liegen noch keine Daten vor"
    return text + (f"; Datenhalter: {holder}." if holder else ".")
