"""Content model of the committee package: the plan, the rendered figures and everything the PDF, the deck and
the workbook are made of. Kept apart from ``sitzungspaket`` (which gathers it) and from the three writers (which
read it), so neither imports the other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from integrationsmonitor import formatting
from integrationsmonitor.exports.images import PRINT_ICON
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
    pdf_image: object | None = None  # the PNG prepared as a PDF image stream (fpdf2 RasterImageInfo)


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
    notes: list[str] = field(default_factory=list)  # German notes for the appendix
    bezirke: list[str] = field(default_factory=list)  # district names of the profiles
    created_at: dt.datetime | None = None           # fixed for a frozen edition (the package is rebuilt exactly)
    edition: dict | None = None                     # summary of the frozen edition the package was made from
    comparison_line: str = ""                       # "Ausgabe A (31.12.2025) → Ausgabe B (31.12.2026)"
    comparison_counts: dict[str, int] = field(default_factory=dict)
    comparison_explanations: list[str] = field(default_factory=list)  # one sentence per Leitziel status change
    comparison_tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def example_data(self) -> bool:
        return any(f.result.example_data for f in self.figures)

    @property
    def edition_line(self) -> str:
        """Which state of the data the package shows, e.g. 'Ausgabe „Integrationsrat März 2027“ · Berichtsstand
        31.12.2026' or 'Berichtsstand 25.11.2026 (aktueller Datenstand, keine eingefrorene Ausgabe)'."""
        if self.edition:
            return f"Ausgabe „{self.edition['name']}“ · Berichtsstand {self.berichtsstand}"
        return f"Berichtsstand {self.berichtsstand} (aktueller Datenstand, keine eingefrorene Ausgabe)"


def status_text(category: str | None, label: str | None) -> str:
    """Status as printable icon + word (the screen's emoji are not in the PDF font)."""
    return f"{PRINT_ICON.get(category or 'keine_daten', '○')} {label or 'keine Daten'}"


def status_table(leitziele: pd.DataFrame) -> pd.DataFrame:
    """All Leitziele with status (icon + word) and its basis, for the PDF status list and the workbook."""
    return pd.DataFrame({
        "Handlungsfeld": leitziele["handlungsfeld"].tolist(), "Block": leitziele["block"].tolist(),
        "Leitziel": leitziele["leitziel_id"].tolist(), "Text": leitziele["text"].tolist(),
        "Status": [status_text(c if isinstance(c, str) else None, lb if isinstance(lb, str) else None)
                   for c, lb in zip(leitziele["category"], leitziele["label"], strict=True)],
        "Grundlage": [b if isinstance(b, str) and b else formatting.MISSING for b in leitziele["basis"]],
    })


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    """The sources of the package with German headers."""
    return pd.DataFrame({"Datei": sources["path"].tolist(), "Titel": sources["title"].tolist(),
                         "Herausgeber": sources["publisher"].tolist(), "Stand": sources["stand"].tolist(),
                         "Lizenz": sources["licence"].tolist(),
                         "Beispieldaten": ["ja" if bool(x) else "nein" for x in sources["is_example"]]})


def hidden_cells(table: pd.DataFrame) -> list[str]:
    """Every suppressed cell of a table named by its row and column, e.g. 'Hagen-Mitte, 31.12.2022: Wert'."""
    if table.empty:
        return []
    cols = [str(c) for c in table.columns]
    label_cols = [cols[0]] + [c for c in cols[1:] if c == "Stichtag"]
    out = []
    for row in table.itertuples(index=False):
        values = {c: str(v) for c, v in zip(cols, row, strict=True)}
        label = ", ".join(values[c] for c in label_cols if not values[c].startswith(formatting.SUPPRESSED))
        for col in cols:
            if col not in label_cols and values[col].startswith(formatting.SUPPRESSED):
                out.append(f"{label}: {col}" if label else col)
    return out
