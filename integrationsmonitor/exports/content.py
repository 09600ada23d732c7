"""Content model of the committee package: the plan, the rendered figures and everything the PDF, the deck and
the workbook are made of. Kept apart from ``sitzungspaket`` (which gathers it) and from the three writers (which
read it), so neither imports the other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from integrationsmonitor import formatting
from integrationsmonitor.views.result import ViewResult


# Icons that exist in DejaVu Sans (the emoji of the screen do not): icon + word, never colour alone.
def sign_legend(threshold: int) -> list[tuple[str, str]]:
    """The signs of every export, with the confidentiality threshold the build applied (from its manifest)."""
    return [
        (formatting.SUPPRESSED, f"Wert geheim gehalten (statistische Geheimhaltung: weniger als {threshold} Fälle "
                                "oder aus veröffentlichten Werten rückrechenbar) – nie als 0 zu lesen"),
        (formatting.MISSING, "keine Angabe / nicht vorhanden"),
        ("ca.", "gerundeter oder ungefährer veröffentlichter Wert"),
        ("BEISPIELDATEN", "mit einem Generator erzeugte Beispielzahlen, keine amtlichen Zahlen"),
    ]

SECTION_OVERVIEW = "Überblick"
SECTION_LEITZIELE = "Leitziele"
SECTION_EU2 = "Zuwanderung aus Südosteuropa (EU-2)"
SECTION_DISTRICTS = "Stadtbezirksprofile"


@dataclass(frozen=True)
class PlanItem:
    """One figure of the report: section, view key (views/index.py), parameters, optional group (Leitziel id)."""

    section: str
    key: str
    params: tuple[tuple[str, object], ...] = ()
    group: str | None = None

    @classmethod
    def of(cls, section: str, key: str, group: str | None = None, **params: object) -> PlanItem:
        return cls(section, key, tuple(sorted(params.items())), group)


@dataclass
class Figure:
    """One rendered figure of the package."""

    number: int
    section: str
    group: str | None
    result: ViewResult
    image: bytes | None = None      # PNG, 16:9


@dataclass
class PackageContent:
    """Everything the PDF, the deck and the workbook are made of."""

    berichtsstand: str              # German date
    created: dt.date
    build_id: str
    leitziele: pd.DataFrame         # paket_leitziel_status
    overview: pd.DataFrame          # Handlungsfeld × status counts
    sources: pd.DataFrame
    figures: list[Figure]
    references: dict[tuple[str, str], int]  # (group, key+params) → figure number already shown elsewhere
    group_refs: dict[str, list[int]]        # Leitziel id → figure numbers (incl. references)
    suppression_threshold: int              # as applied by the build (build_manifest)
    notes: list[str] = field(default_factory=list)  # skipped plan items, German
    bezirke: list[str] = field(default_factory=list)

    @property
    def example_data(self) -> bool:
        return any(f.result.example_data for f in self.figures)
