"""German number, percent and date formats (via Babel, locale de_DE) and the suppression sign."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "de_DE"
SUPPRESSED = "·"
MISSING = "–"
PLOTLY_SEPARATORS = ",."


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 → '1.235' (decimals=0) or '1.234,5' (decimals=1); None/NaN → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(value: float | None, decimals: int = 1) -> str:
    """12.345 (already in percent) → '12,3 %'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{number(value, decimals)}\u00a0%"


def signed_percent(value: float | None, decimals: int = 1) -> str:
    """Change in percent with sign: +2,1 % / −0,4 %."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number(abs(value), decimals)}\u00a0%"


def date(value: dt.date | dt.datetime | None) -> str:
    """date(2022, 12, 31) → '31.12.2022'."""
    if value is None:
        return MISSING
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, format="dd.MM.yyyy", locale=LOCALE)


def value_with_unit(value: float | None, unit: str, *, approx: bool = False, suppressed: bool = False) -> str:
    """Format a value the way its unit is read: counts without decimals, % and €/m² with one or two."""
    if suppressed:
        return SUPPRESSED
    if unit == "%":
        text = percent(value)
    elif unit == "€/m²":
        text = f"{number(value, 2)} €/m²" if value is not None else MISSING
    elif unit in {"Indexpunkte", "je 100 Zugezogene"}:
        text = number(value, 1)
    else:
        text = number(value, 0)
    return f"ca. {text}" if approx and text != MISSING else text
