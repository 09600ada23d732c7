"""Committee package (Sitzungspaket): one ZIP with PDF report, PowerPoint deck and XLSX workbook.

The package follows a declared *report plan* — a list of (section, view key, params) — and consumes the same
views as the pages (views/index.py), so every figure looks the same on screen, in the PDF and on a slide. A
planned view that is missing, does not take the planned parameters or fails stops the build with a German message
(:class:`PlanError`): a committee never gets a package with a figure silently missing. Only public views are read:
suppressed cells stay "·".

A package shows either the live database or a frozen edition (its database copy): it names the edition, and the
same edition always gives the same package. Packages are built one at a time and kept per (data, edition,
districts): two clicks build once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from integrationsmonitor import formatting
from integrationsmonitor.exports import images
from integrationsmonitor.exports.content import (
    SECTION_DISTRICTS,
    SECTION_EU2,
    SECTION_LEITZIELE,
    SECTION_OVERVIEW,
    Figure,
    PackageContent,
    PlanItem,
)
from integrationsmonitor.exports.images import PRINT_ICON, image_server, warm_up
from integrationsmonitor.exports.pdf_report import build_pdf, prepare_image
from integrationsmonitor.exports.pptx_deck import build_deck
from integrationsmonitor.exports.xlsx_workbook import build_workbook
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.status import CATEGORY_LABEL, CATEGORY_ORDER
from integrationsmonitor.views import index

log = logging.getLogger(__name__)

OVERVIEW_VIEWS = ("status_uebersicht",)
INDICATOR_VIEW = "indikator_zeitreihe"
EU2_VIEWS = ("eu2_stadt_quellen", "eu2_bezirke_zeitreihe", "eu2_anteil_bezirke", "eu2_fluktuation",
             "eu2_altersstruktur", "eu2_leitziele", "vergleich_eu2_staedte", "vergleich_eu2_index")
DISTRICT_VIEW = "quartier_steckbrief"


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
    plan = [PlanItem.of(SECTION_OVERVIEW, key) for key in OVERVIEW_VIEWS]
    for row in runner.run("paket_leitziel_indikatoren").itertuples(index=False):
        plan.append(PlanItem.of(SECTION_LEITZIELE, INDICATOR_VIEW, group=row.leitziel_id, indikator=row.indicator_id))
    plan += [PlanItem.of(SECTION_EU2, key) for key in EU2_VIEWS]
    plan += [PlanItem.of(SECTION_DISTRICTS, DISTRICT_VIEW, group=b, bezirk=b) for b in bezirke]
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


def collect(runner: QueryRunner, plan: Sequence[PlanItem],
            on_figure: Callable[[Figure], None] | None = None) -> tuple[list[Figure], dict, dict]:
    """Render every plan item once; later items for the same view and parameters refer to the earlier figure.
    A missing view or one that fails stops the package with a PlanError naming it. ``on_figure`` gets each new
    figure at once (the image queue)."""
    check_plan(plan)
    figures: list[Figure] = []
    seen: dict[tuple, int] = {}
    references: dict[tuple[str, str], int] = {}
    group_refs: dict[str, list[int]] = {}
    for item in plan:
        params = dict(item.params)
        ident = (item.key, item.params)
        if ident in seen:
            number = seen[ident]
            if item.group is not None:
                references[(item.group, repr(ident))] = number
        else:
            label = f"{item.key}({', '.join(f'{k}={v}' for k, v in params.items())})"
            try:
                result = index.render(item.key, runner, **params)
            except Exception as exc:
                raise PlanError(f"Sitzungspaket nicht erzeugt: Ansicht {label} ist fehlgeschlagen: {exc}") from exc
            number = len(figures) + 1
            figures.append(Figure(number, item.section, item.group, result))
            seen[ident] = number
            if on_figure is not None:
                on_figure(figures[-1])
        if item.group is not None:
            group_refs.setdefault(item.group, []).append(number)
    return figures, references, group_refs


def overview_table(leitziele: pd.DataFrame) -> pd.DataFrame:
    """Handlungsfeld × status: counts of each state (never an average that hides a red)."""
    rows = []
    for hf, part in leitziele.groupby("handlungsfeld", sort=False):
        cats = part["category"].fillna("keine_daten")
        row = {"Handlungsfeld": hf, "Leitziele": len(part)}
        row.update({f"{PRINT_ICON[c]} {CATEGORY_LABEL[c]}": int((cats == c).sum()) for c in CATEGORY_ORDER})
        rows.append(row)
    return pd.DataFrame(rows)


class ImageQueue:
    """The package's charts on their way to PNG: each figure is queued with the renderer as soon as its view is
    computed (chromium draws while Python computes the next view), and each PNG is prepared as a PDF image stream
    in a worker thread as soon as it arrives (zlib and Pillow release the GIL)."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool
        self._pending: list[tuple[Figure, Future, Future]] = []

    def add(self, fig: Figure) -> None:
        if fig.result.figure is None:
            return
        png = images.submit(fig.result.figure, *images.SLIDE_SIZE, scale=images.IMAGE_SCALE)
        prepared: Future = Future()
        png.add_done_callback(lambda f: self._prepare(f, prepared))
        self._pending.append((fig, png, prepared))

    def _prepare(self, png: Future, prepared: Future) -> None:
        if png.cancelled() or png.exception() is not None:
            prepared.cancel()
            return
        work = self._pool.submit(prepare_image, png.result())
        work.add_done_callback(lambda w: prepared.set_exception(w.exception()) if w.exception()
                               else prepared.set_result(w.result()))

    def finish(self) -> None:
        """Wait for every PNG (German RenderError if the renderer fails) and its PDF stream; attach both."""
        pngs = images.collect([png for _, png, _ in self._pending])
        for (fig, _, prepared), png in zip(self._pending, pngs, strict=True):
            fig.image, fig.pdf_image = png, prepared.result()


@contextlib.contextmanager
def image_queue(keep_renderer: bool = False) -> Iterator[ImageQueue]:
    """The renderer (started now, in the background) and the PDF-stream workers for one package."""
    with image_server(keep=keep_renderer), ThreadPoolExecutor(max_workers=2) as pool:
        warm_up()
        yield ImageQueue(pool)


def render_images(figures: Sequence[Figure], keep_renderer: bool = False) -> None:
    """PNG of every figure through the one renderer (two browser tabs) and its PDF image stream."""
    with image_queue(keep_renderer) as queue:
        for fig in figures:
            queue.add(fig)
        queue.finish()


def gather(runner: QueryRunner, bezirke: Sequence[str] = (), plan: Sequence[PlanItem] | None = None,
           images: bool = True, today: dt.date | None = None, edition: dict | None = None,
           comparison=None, keep_renderer: bool = False) -> PackageContent:
    """Collect the views of the plan, the status overview and the sources; render the images in one batch.

    ``edition``: summary of the frozen edition whose database ``runner`` reads (names it, fixes its dates);
    ``comparison``: an :class:`editions.EditionDiff` ("seit der letzten Sitzung") to include."""
    with contextlib.ExitStack() as stack:
        # chromium starts in the background and draws each chart while the next view is computed
        queue = stack.enter_context(image_queue(keep_renderer)) if images else None
        manifest = runner.run("build_manifest").iloc[0]
        leitziele = runner.run("paket_leitziel_status")
        plan = list(plan) if plan is not None else default_plan(runner, bezirke)
        figures, references, group_refs = collect(runner, plan, None if queue is None else queue.add)
        if queue is not None:
            queue.finish()
    names = dict(runner.run("paket_stadtbezirke")[["id", "name"]].itertuples(index=False))
    if edition:
        created_at = dt.datetime.fromisoformat(edition["created_at"])
        stand = formatting.date(dt.date.fromisoformat(edition["berichtsstand"]))
    else:
        created_at = dt.datetime.combine(today or dt.date.today(), dt.time(0, 0))
        stand = formatting.date(manifest["status_date"])
    content = PackageContent(
        berichtsstand=stand, created=created_at.date(), build_id=str(manifest["build_id"]), leitziele=leitziele,
        overview=overview_table(leitziele), sources=runner.run("paket_quellen"), figures=figures,
        references=references, group_refs=group_refs, bezirke=[names.get(b, b) for b in bezirke],
        suppression_threshold=int(manifest["suppression_threshold"]),
        created_at=created_at, edition=edition,
    )
    if comparison is not None:
        from integrationsmonitor.exports import editions

        names_lookup = editions.Names.from_runner(runner)
        content.comparison_line = editions.comparison_line(comparison)
        content.comparison_counts = comparison.counts()
        content.comparison_explanations = editions.explain_status_changes(comparison, names_lookup)
        content.comparison_tables = editions.diff_frames(comparison, names_lookup)
    return content


def file_stem(content: PackageContent) -> str:
    day = dt.datetime.strptime(content.berichtsstand, "%d.%m.%Y").date().isoformat()
    edition = f"_{content.edition['slug']}" if content.edition else ""
    return f"Integrationsmonitor_Hagen_Sitzungspaket_{day}{edition}"


def build_zip(content: PackageContent) -> bytes:
    """ZIP with PDF, PPTX and XLSX of one PackageContent (member dates = the package's creation time)."""
    stem = file_stem(content)
    stamp = (content.created_at or dt.datetime.combine(content.created, dt.time())).timetuple()[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for suffix, data in (("pdf", build_pdf(content)), ("pptx", build_deck(content)),
                             ("xlsx", build_workbook(content))):
            zf.writestr(zipfile.ZipInfo(f"{stem}.{suffix}", date_time=stamp), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def make_package(runner: QueryRunner, out: Path | None = None, bezirke: Sequence[str] = (),
                 plan: Sequence[PlanItem] | None = None, edition: dict | None = None, comparison=None,
                 keep_renderer: bool = False) -> tuple[bytes, PackageResult]:
    """One action: gather, render, write the ZIP (to ``out`` if given); returns bytes and a summary."""
    started = time.perf_counter()
    content = gather(runner, bezirke, plan, edition=edition, comparison=comparison, keep_renderer=keep_renderer)
    data = build_zip(content)
    path = Path(out) if out else Path(f"{file_stem(content)}.zip")
    if out:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = zf.namelist()
    return data, PackageResult(path, len(data), time.perf_counter() - started, len(content.figures),
                               content.notes, members)


class PackageCache:
    """One build at a time, each (data state, edition, districts) built once: a second request for the same
    package — a double click, another session — waits for the running build and gets its bytes."""

    def __init__(self, size: int = 4) -> None:
        self._lock = threading.Lock()
        self._done: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = size
        self.builds = 0

    def get(self, key: tuple, build: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            data = build()
            self.builds += 1
            self._done[key] = data
            while len(self._done) > self._size:
                self._done.popitem(last=False)
            return data


CACHE = PackageCache()


def edition_package(slug: str, bezirke: Sequence[str] = (), directory: Path | None = None,
                    out: Path | None = None, keep_renderer: bool = False,
                    plan: Sequence[PlanItem] | None = None) -> tuple[bytes, PackageResult]:
    """The package of a frozen edition, from its database copy, compared with the edition before it (if any):
    the same edition always gives the same package."""
    from integrationsmonitor.exports import editions

    edition = editions.load(slug, directory)
    runner = editions.frozen_runner(edition, directory)
    try:
        before = editions.previous(edition, directory)
        comparison = editions.diff(before, edition) if before is not None else None
        return make_package(runner, out, bezirke, plan, edition=edition.summary(), comparison=comparison,
                            keep_renderer=keep_renderer)
    finally:
        runner.close()


def cached_package(runner: QueryRunner, data_key: tuple, bezirke: Sequence[str] = (),
                   edition: str | None = None, directory: Path | None = None) -> bytes:
    """The package for the dashboard: one build at a time, each (data, edition, districts) once, the renderer
    kept running between builds."""
    bezirke = tuple(bezirke)
    if edition:
        return CACHE.get((data_key, edition, bezirke),
                         lambda: edition_package(edition, bezirke, directory, keep_renderer=True)[0])
    return CACHE.get((data_key, None, bezirke),
                     lambda: make_package(runner, None, bezirke, keep_renderer=True)[0])
