"""Validation problems: one record per defect, collected before a build gives up."""

from __future__ import annotations

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


class ValidationError(Exception):
    """Raised when one or more problems prevent a build; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
        super().__init__(f"{len(self.problems)} Problem(e) in den Eingabedaten")

    def report(self) -> str:
        """All problems, one per line, German."""
        lines = [f"Build abgebrochen: {len(self.problems)} Problem(e) gefunden."]
        lines += [f"  - {p}" for p in self.problems]
        lines.append("Die bisherige Datenbank bleibt unverändert.")
        return "\n".join(lines)
