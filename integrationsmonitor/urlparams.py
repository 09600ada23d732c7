"""Validate a filter value that came in through the URL (no Streamlit): valid value or default + German message."""

from __future__ import annotations

from collections.abc import Sequence


def pick(raw: str | None, valid: Sequence[str], default: str, *, name: str) -> tuple[str, str | None]:
    """Return (value, warning). An unknown value falls back to ``default`` with a message naming the parameter."""
    if raw is None or raw == "":
        return default, None
    if raw in valid:
        return raw, None
    return default, (f"Der Link enthält einen ungültigen Wert für „{name}“: „{raw}“. "
                     f"Angezeigt wird stattdessen „{default}“.")
