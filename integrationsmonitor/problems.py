"""Validation problems: one record per defect, collected before a build gives up."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A defect in an input file, located as precisely as the input allows.

    ``row`` counts lines as a person sees them in an editor or spreadsheet (header = 1);
    ``None`` where the defect concerns the whole file or a whole column.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    expected: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.expected:
            text += f" (erwartet: {self.expected})"
        return text

    @property
    def kind(self) -> str:
        """The rule behind the message: the message without the quoted and numeric details that vary per row."""
        return re.sub(r"\s+", " ", re.sub(r"'[^']*'|\"[^\"]*\"|\d[\d.,:]*", "…", self.message)).strip()


def capped(problems: list[Problem], limit: int) -> tuple[list[Problem], list[tuple[str, int]]]:
    """The first ``limit`` problems and, for all of them, a count per kind (most frequent first) — so that a file
    with 200.000 defects gives a short report instead of 200.000 lines."""
    counts = Counter(p.kind for p in problems)
    return list(problems[:limit]), sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class ValidationError(Exception):
    """Raised when one or more problems prevent a build; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
        super().__init__(f"{len(self.problems)} Problem(e) in den Eingabedaten")

    def report(self, limit: int | None = None) -> str:
        """The problems, one per line, German; beyond ``limit`` (IMH_PRUEFBERICHT_MAX) only a count per kind."""
        if limit is None:
            from integrationsmonitor import config

            limit = config.report_limit()
        shown, counts = capped(self.problems, limit)
        lines = [f"Build abgebrochen: {_count(len(self.problems))} Problem(e) gefunden."]
        lines += [f"  - {p}" for p in shown]
        if len(shown) < len(self.problems):
            lines.append(f"… und {_count(len(self.problems) - len(shown))} weitere. Anzahl je Art:")
            lines += [f"  {_count(n)} × {kind}" for kind, n in counts]
        lines.append("Die bisherige Datenbank bleibt unverändert.")
        return "\n".join(lines)
