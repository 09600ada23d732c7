"""Committee package (Sitzungspaket): one ZIP with PDF report, PowerPoint deck and XLSX workbook.

The package follows a declared *report plan* — a list of (section, view key, params) — and makes its figures
through the same view index (views/index.py) as the pages, so every figure looks the same on screen, in the PDF
and on a slide. A plan item whose view does not exist, does not take the parameters or fails stops the package
with a PlanError that names it: a committee never gets a package with a figure silently missing. Only public views
are read: suppressed cells stay "·".
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from integrationsmonitor import formatting
from integrationsmonitor.exports.content import (
    SECTION_DISTRICTS,
    SECTION_EU2,
    SECTION_LEITZIELE,
    SECTION_OVERVIEW,
    Figure,
    PackageContent,
    PlanItem,
)
from integrationsmonitor.exports.images import PRINT_ICON
from integrationsmonitor.exports.pdf_report import build_pdf
from integrationsmonitor.exports.pptx_deck import build_deck
from integrationsmonitor.exports.xlsx_workbook import build_workbook
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.status import CATEGORY_LABEL, CATEGORY_ORDER
from integrationsmonitor.views import index

log = logging.getLogger(__name__)

# The views of each section, by their key in views/index.py (a key missing there stops the package).
OVERVIEW_KEY = "status_uebersicht"
INDICATOR_KEY = "indikator_zeitreihe"
EU2_KEYS = ("eu2_stadt_quellen", "eu2_bezirke_zeitreihe", "eu2_anteil_bezirke", "eu2_fluktuation",
            "eu2_altersstruktur", "eu2_leitziele", "vergleich_eu2_staedte", "vergleich_eu2_index")
DISTRICT_KEY = "quartier_steckbrief"


class PlanError(RuntimeError):
    """A planned figure cannot be made: the package is not built rather than silently incomplete."""


@dataclass
class PackageResult:
    path: Path
    size_bytes: int
    seconds: float
    figures: int
    notes: list[str]
    members: list[str]


def default_plan(runner: QueryRunner, bezirke: Sequence[str] = ()) -> list[PlanItem]:
    """The declared plan: overview, per Leitziel the time series of its indicators, EU-2 views, district profiles."""
    plan = [PlanItem.of(SECTION_OVERVIEW, OVERVIEW_KEY)]
    for row in runner.run("paket_leitziel_indikatoren").itertuples(index=False):
        plan.append(PlanItem.of(SECTION_LEITZIELE, INDICATOR_KEY, group=row.leitziel_id, indikator=row.indicator_id))
    plan += [PlanItem.of(SECTION_EU2, key) for key in EU2_KEYS]
    plan += [PlanItem.of(SECTION_DISTRICTS, DISTRICT_KEY, group=b, bezirk=b) for b in bezirke]
    return plan


def check_plan(plan: Sequence[PlanItem]) -> None:
    """Every planned view exists in the index and takes the planned parameters — or a PlanError naming all that
    do not (a renamed view must stop the package, not drop out of it)."""
    problems = []
    for item in plan:
        if item.key not in index.VIEWS:
            problems.append(f"Ansicht „{item.key}“ gibt es nicht (mehr) im Ansichtsverzeichnis")
            continue
        unknown = sorted(set(dict(item.params)) - set(index.VIEWS[item.key].url_params))
        if unknown:
            problems.append(f"Ansicht „{item.key}“ nimmt die Parameter {unknown} nicht an")
    if problems:
        raise PlanError("Sitzungspaket nicht erzeugt: " + "; ".join(dict.fromkeys(problems)) + ".")


def collect(runner: QueryRunner, plan: Sequence[PlanItem]) -> tuple[list[Figure], dict, dict, list[str]]:
    """Render every plan item once; later items for the same view refer to the earlier figure. A view that fails
    stops the package with a PlanError naming it."""
    check_plan(plan)
    figures: list[Figure] = []
    seen: dict[tuple, int] = {}
    references: dict[tuple[str, str], int] = {}
    group_refs: dict[str, list[int]] = {}
    notes: list[str] = []
    for item in plan:
        params = dict(item.params)
        ident = (item.key, item.params)
        if ident in seen:
            number = seen[ident]
            if item.group is not None:
                group_refs.setdefault(item.group, []).append(number)
                references[(item.group, repr(ident))] = number
            continue
        label = f"{item.key}({', '.join(f'{k}={v}' for k, v in params.items())})"
        try:
            result = index.render(item.key, runner, **params)
        except Exception as exc:
            raise PlanError(f"Sitzungspaket nicht erzeugt: Ansicht {label} ist fehlgeschlagen: {exc}") from exc
        number = len(figures) + 1
        figures.append(Figure(number, item.section, item.group, result))
        seen[ident] = number
        if item.group is not None:
            group_refs.setdefault(item.group, []).append(number)
    return figures, references, group_refs, notes


def overview_table(leitziele: pd.DataFrame) -> pd.DataFrame:
    """Handlungsfeld × status: counts of each state (never an average that hides a red)."""
    rows = []
    for hf, part in leitziele.groupby("handlungsfeld", sort=False):
        cats = part["category"].fillna("keine_daten")
        row = {"Handlungsfeld": hf, "Leitziele": len(part)}
        row.update({f"{PRINT_ICON[c]} {CATEGORY_LABEL[c]}": int((cats == c).sum()) for c in CATEGORY_ORDER})
        rows.append(row)
    return pd.DataFrame(rows)


def gather(runner: QueryRunner, bezirke: Sequence[str] = (), plan: Sequence[PlanItem] | None = None,
           images: bool = True, today: dt.date | None = None) -> PackageContent:
    """Collect the views of the plan, the status overview and the sources; render the images in one batch."""
    from integrationsmonitor.exports.images import IMAGE_SCALE, SLIDE_SIZE, image_server, png

    manifest = runner.run("build_manifest").iloc[0]
    leitziele = runner.run("paket_leitziel_status")
    plan = list(plan) if plan is not None else default_plan(runner, bezirke)
    figures, references, group_refs, notes = collect(runner, plan)
    if images:
        with image_server():
            for fig in figures:
                if fig.result.figure is not None:
                    fig.image = png(fig.result.figure, *SLIDE_SIZE, scale=IMAGE_SCALE)
    return PackageContent(
        berichtsstand=formatting.date(manifest["status_date"]), created=today or dt.date.today(),
        build_id=str(manifest["build_id"]), leitziele=leitziele, overview=overview_table(leitziele),
        sources=runner.run("paket_quellen"), figures=figures, references=references, group_refs=group_refs,
        suppression_threshold=int(manifest["suppression_threshold"]), notes=notes, bezirke=list(bezirke),
    )


def file_stem(content: PackageContent) -> str:
    day = dt.datetime.strptime(content.berichtsstand, "%d.%m.%Y").date().isoformat()
    return f"Integrationsmonitor_Hagen_Sitzungspaket_{day}"


def build_zip(content: PackageContent) -> bytes:
    """ZIP with PDF, PPTX and XLSX of one PackageContent."""
    stem = file_stem(content)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{stem}.pdf", build_pdf(content))
        zf.writestr(f"{stem}.pptx", build_deck(content))
        zf.writestr(f"{stem}.xlsx", build_workbook(content))
    return buf.getvalue()


def make_package(runner: QueryRunner, out: Path | None = None, bezirke: Sequence[str] = (),
                 plan: Sequence[PlanItem] | None = None) -> tuple[bytes, PackageResult]:
    """One action: gather, render, write the ZIP (to ``out`` if given); returns bytes and a summary."""
    started = time.perf_counter()
    content = gather(runner, bezirke, plan)
    data = build_zip(content)
    path = Path(out) if out else Path(f"{file_stem(content)}.zip")
    if out:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = zf.namelist()
    return data, PackageResult(path, len(data), time.perf_counter() - started, len(content.figures),
                               content.notes, members)
