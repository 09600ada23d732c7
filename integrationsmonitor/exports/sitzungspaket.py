"""Committee package (Sitzungspaket): one ZIP with PDF report, PowerPoint deck and XLSX workbook.

The package follows a declared *report plan* — a list of (section, view key, params) — and consumes the same
view registry as the pages, so every figure looks the same on screen, in the PDF and on a slide. A plan item
whose view does not exist (yet) or does not accept the parameters is skipped with a logged note that is also
printed in the report's appendix. Only public views are read: suppressed cells stay "·".
"""

from __future__ import annotations

import datetime as dt
import inspect
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
from integrationsmonitor.views import registry as views

log = logging.getLogger(__name__)

# Candidate keys per kind of view (the first registered one is used); other helpers register these.
OVERVIEW_KEYS = ("status_uebersicht", "handlungsfeld_uebersicht")
INDICATOR_KEYS = ("indikator_zeitreihe",)
EU2_KEYS = ("eu2_stadt_quellen", "eu2_bezirke_zeitreihe", "eu2_anteil_bezirke", "eu2_fluktuation",
            "eu2_altersstruktur", "eu2_leitziele", "vergleich_eu2_staedte", "vergleich_eu2_index")
DISTRICT_KEYS = ("quartier_steckbrief", "bezirksprofil")
# Parameter aliases: a plan says "indikator"/"bezirk", a view may call it differently.
PARAM_ALIASES = {"indikator": ("indikator", "indikator_id", "indicator_id", "indicator"),
                 "bezirk": ("bezirk", "stadtbezirk", "area_id", "gebiet")}


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
    plan = [PlanItem.of(SECTION_OVERVIEW, OVERVIEW_KEYS)]
    for row in runner.run("paket_leitziel_indikatoren").itertuples(index=False):
        plan.append(PlanItem.of(SECTION_LEITZIELE, INDICATOR_KEYS, group=row.leitziel_id, indikator=row.indicator_id))
    plan += [PlanItem.of(SECTION_EU2, key) for key in EU2_KEYS]
    plan += [PlanItem.of(SECTION_DISTRICTS, DISTRICT_KEYS, group=b, bezirk=b) for b in bezirke]
    return plan


def _adapt(func, params: dict[str, object]) -> dict[str, object] | None:
    """Map plan parameters onto the names the view function accepts; None if it cannot take them."""
    sig = inspect.signature(func)
    names = [p for p in sig.parameters if p != "runner"]
    if any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
        return dict(params)
    out: dict[str, object] = {}
    for name, value in params.items():
        match = next((a for a in PARAM_ALIASES.get(name, (name,)) if a in names), None)
        if match is None:
            return None
        out[match] = value
    required = [n for n, p in sig.parameters.items() if n != "runner" and p.default is p.empty
                and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if any(r not in out for r in required):
        return None
    return out


def collect(runner: QueryRunner, plan: Sequence[PlanItem]) -> tuple[list[Figure], dict, dict, list[str]]:
    """Render every plan item once; later items for the same view refer to the earlier figure."""
    views.load_all()
    figures: list[Figure] = []
    seen: dict[tuple, int] = {}
    references: dict[tuple[str, str], int] = {}
    group_refs: dict[str, list[int]] = {}
    notes: list[str] = []
    missing_keys: set[tuple[str, ...]] = set()
    for item in plan:
        key = next((k for k in item.keys if k in views.REGISTRY), None)
        params = dict(item.params)
        label = f"{item.keys[0]}({', '.join(f'{k}={v}' for k, v in params.items())})"
        if key is None:
            if item.keys not in missing_keys:
                notes.append(f"Ansicht „{' / '.join(item.keys)}“ ist (noch) nicht vorhanden – übersprungen.")
                missing_keys.add(item.keys)
            continue
        adapted = _adapt(views.REGISTRY[key], params)
        if adapted is None:
            notes.append(f"Ansicht „{key}“ nimmt die Parameter {sorted(params)} nicht an – {label} übersprungen.")
            continue
        ident = (key, tuple(sorted(adapted.items())))
        if ident in seen:
            number = seen[ident]
        else:
            try:
                result = views.render(key, runner, **adapted)
            except Exception as exc:  # noqa: BLE001 - one broken view must not stop the package
                notes.append(f"Ansicht {label} konnte nicht erzeugt werden: {exc}")
                log.warning("Ansicht %s fehlgeschlagen", label, exc_info=True)
                continue
            number = len(figures) + 1
            figures.append(Figure(number, item.section, item.group, result))
            seen[ident] = number
            if item.group is not None:
                group_refs.setdefault(item.group, []).append(number)
            continue
        if item.group is not None:
            group_refs.setdefault(item.group, []).append(number)
            references[(item.group, repr(ident))] = number
    for note in notes:
        log.info(note)
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
        notes=notes, bezirke=list(bezirke),
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
