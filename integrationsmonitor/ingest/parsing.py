"""Parse single cells written with German (or, where a format says so, point-decimal) conventions."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

GERMAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
POINT_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
FORMULA_START = re.compile(r"^[=@]|^[+-][A-Za-z(]|^\t|^\r")
EARLIEST_YEAR = 1950


class CellError(ValueError):
    """A cell that cannot be read; the message says what was found, ``expected`` what is accepted."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.expected = expected


def parse_number(text: str, decimal: str) -> float:
    """Parse '1.234,5' (decimal=',') or '1234.5' (decimal='.'); refuses the other convention explicitly."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        raise CellError("Wert fehlt", "eine Zahl")
    if decimal == ",":
        if GERMAN_NUMBER.match(s):
            return float(s.replace(".", "").replace(",", "."))
        if re.match(r"^[+-]?\d+\.\d{1,2}$|^[+-]?\d+\.\d{4,}$", s):
            raise CellError(f"Dezimalpunkt in {text!r}", "Dezimalkomma, z. B. 12,5")
        if re.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", s):
            raise CellError(f"englisches Zahlenformat {text!r}", "deutsches Format, z. B. 1.234,5")
        raise CellError(f"keine Zahl: {text!r}", "eine Zahl im deutschen Format, z. B. 1.234,5")
    if POINT_NUMBER.match(s):
        return float(s)
    if "," in s:
        raise CellError(f"Komma in {text!r}", "Dezimalpunkt und keine Tausendertrennzeichen, z. B. 1234.5")
    raise CellError(f"keine Zahl: {text!r}", "eine Zahl, z. B. 1234.5")


def parse_count(text: str, decimal: str) -> int:
    """A count: a whole, non-negative number."""
    value = parse_number(text, decimal)
    if value < 0:
        raise CellError(f"negative Anzahl {text!r}", "eine Anzahl ≥ 0")
    if not value.is_integer():
        raise CellError(f"Anzahl mit Nachkommastellen {text!r}", "eine ganze Zahl")
    return int(value)


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """Parse '31.12.2022' or '2022-12-31'; impossible or implausible dates are refused."""
    return _parse_date(text, today or dt.date.today())


@lru_cache(maxsize=8192)  # a delivery repeats a few dates over and over (errors are raised, never cached)
def _parse_date(text: str, today: dt.date) -> dt.date:
    s = text.strip()
    m = ISO_DATE.match(s)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = GERMAN_DATE.match(s)
        if not m:
            raise CellError(f"kein Datum: {text!r}", "TT.MM.JJJJ oder JJJJ-MM-TT")
        day, month, year = (int(g) for g in m.groups())
    try:
        value = dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"unmögliches Datum {text!r}", "ein Kalenderdatum, z. B. 31.12.2022") from exc
    latest = today + dt.timedelta(days=366)
    if not (dt.date(EARLIEST_YEAR, 1, 1) <= value <= latest):
        raise CellError(f"Datum außerhalb des plausiblen Bereichs {text!r}", f"zwischen {EARLIEST_YEAR} und {latest.year}")
    if value > today:  # a Stichtag is a day that has passed: a future date is a typo (year) or a forecast
        raise CellError(f"Datum {value:%d.%m.%Y} liegt nach dem heutigen Tag ({today:%d.%m.%Y})",
                        "einen Stichtag bis heute")
    return value


def parse_yes_no(text: str) -> bool:
    s = text.strip().casefold()
    if s in {"ja", "j", "1", "true", "wahr"}:
        return True
    if s in {"nein", "n", "0", "false", "falsch", ""}:
        return False
    raise CellError(f"weder ja noch nein: {text!r}", "ja oder nein")


def check_text(text: str) -> str:
    """Free text may not look like a spreadsheet formula (it would execute when an export is opened)."""
    if FORMULA_START.match(text):
        raise CellError(f"Text beginnt wie eine Tabellenformel: {text[:30]!r}", "Text ohne führendes =, +, -, @")
    return text
