"""Validate filter values that came in through the URL (no Streamlit): valid value or default + German message.

Every function returns ``(value, warning)``: ``value`` is always valid (the default when the URL value is
missing or unusable) and ``warning`` is ``None`` or a German sentence for ``st.warning``. A URL value that is
repeated in a warning goes through :func:`echo` first: shortened, control characters removed and Markdown
escaped, so that a crafted link cannot inject links, images or formatting into the page.

API (for the pages)::

    value, warning = urlparams.pick(raw, valid, default, name="Handlungsfeld")       # one of a list
    number, warning = urlparams.pick_int(raw, default, name="Folie", lo=1, hi=12)     # whole number in range
    day, warning = urlparams.pick_date(raw, default, name="Stichtag", valid=dates)    # 31.12.2022 or 2022-12-31
    values, warning = urlparams.pick_many(raw, valid, default, name="Gebiete")        # comma-separated list
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

MAX_ECHO = 40
MAX_RAW = 200  # longer URL values are refused without looking at them further
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def echo(raw: object, limit: int = MAX_ECHO) -> str:
    """A URL value made safe to quote inside Markdown: at most ``limit`` characters, no control characters."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(raw))
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit] + "…"
    return _MARKDOWN.sub(r"\\\1", text)


def _invalid(name: str, raw: object, default_label: str) -> str:
    return (f"Der Link enthält einen ungültigen Wert für „{name}“: „{echo(raw)}“. "
            f"Angezeigt wird stattdessen „{echo(default_label, 80)}“.")


def _text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else ""
    return str(raw)


def pick(raw: object, valid: Sequence[str], default: str, *, name: str,
         label: str | None = None) -> tuple[str, str | None]:
    """One value out of ``valid``; unknown values fall back to ``default`` with a message naming the parameter."""
    text = _text(raw)
    if text is None or text == "":
        return default, None
    if len(text) <= MAX_RAW and text in valid:
        return text, None
    return default, _invalid(name, text, label or default)


def pick_int(raw: object, default: int, *, name: str, lo: int | None = None,
             hi: int | None = None) -> tuple[int, str | None]:
    """A whole number (digits only, optional sign) within [lo, hi]."""
    text = _text(raw)
    if text is None or text.strip() == "":
        return default, None
    s = text.strip()
    if len(s) > 12 or not re.fullmatch(r"[+-]?\d+", s, flags=re.ASCII):
        return default, _invalid(name, text, str(default))
    number = int(s)
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        bounds = f"{lo if lo is not None else '…'} bis {hi if hi is not None else '…'}"
        return default, (f"Der Link enthält für „{name}“ die Zahl {number}, erlaubt ist {bounds}. "
                         f"Angezeigt wird stattdessen {default}.")
    return number, None


def parse_date(text: str) -> dt.date | None:
    s = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s, flags=re.ASCII) or None
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", s, flags=re.ASCII)
        if not m:
            return None
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def pick_date(raw: object, default: dt.date, *, name: str, valid: Sequence[dt.date] | None = None,
              lo: dt.date | None = None, hi: dt.date | None = None) -> tuple[dt.date, str | None]:
    """A date written 31.12.2022 or 2022-12-31; optionally one of ``valid`` or within [lo, hi]."""
    text = _text(raw)
    if text is None or text.strip() == "":
        return default, None
    day = parse_date(text) if len(text) <= 20 else None
    shown_default = default.strftime("%d.%m.%Y")
    if day is None:
        return default, _invalid(name, text, shown_default)
    if (valid is not None and day not in set(valid)) or (lo and day < lo) or (hi and day > hi):
        return default, (f"Für „{name}“ gibt es zum {day:%d.%m.%Y} keine Daten. "
                         f"Angezeigt wird stattdessen der {shown_default}.")
    return day, None


def nearest(raw: object, valid: Sequence[str], default: str) -> str:
    """The valid value closest to ``raw`` (no message): for dates the nearest date (the newer one on a tie),
    for anything else the default. Used after a filter change made a value the page itself wrote invalid —
    e.g. the Stichtag of the previous indicator."""
    text = _text(raw)
    day = parse_date(text) if text and len(text) <= 20 else None
    dates = [(parse_date(v), v) for v in valid]
    if day is None or not dates or any(d is None for d, _ in dates):
        return default
    return min(dates, key=lambda dv: (abs((dv[0] - day).days), -dv[0].toordinal()))[1]


def pick_many(raw: object, valid: Sequence[str], default: Sequence[str], *, name: str,
              sep: str = ",") -> tuple[list[str], str | None]:
    """A comma-separated list; unknown entries are dropped with one message (all unknown → default)."""
    text = _text(raw)
    if text is None or text.strip() == "":
        return list(default), None
    if len(text) > 20 * MAX_RAW:
        return list(default), _invalid(name, text, ", ".join(default))
    items = [p.strip() for p in text.split(sep) if p.strip()]
    good = [p for p in dict.fromkeys(items) if p in valid]
    bad = [p for p in items if p not in valid]
    if not good:
        return list(default), _invalid(name, text, ", ".join(default))
    if bad:
        return good, f"Unbekannte Werte für „{name}“ wurden ignoriert: „{echo(', '.join(bad))}“."
    return good, None
