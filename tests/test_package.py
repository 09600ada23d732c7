"""Committee package: PDF, PPTX and XLSX are generated, opened again and checked against the database and the
rules of a council-ready package (issue 16 §4–§7, §9; issue 12 §3: a planned view never drops out silently)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import threading
import time
import zipfile
from pathlib import Path
from types import MappingProxyType

import duckdb
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.util import Emu

from integrationsmonitor import formatting
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import content as model
from integrationsmonitor.exports import images, tablecells
from integrationsmonitor.exports import sitzungspaket as package
from integrationsmonitor.exports.pptx_deck import figure_layout, picture_pt_per_px
from integrationsmonitor.exports.xlsx_workbook import HEADER_ROW, build_workbook
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import index
from integrationsmonitor.views.result import ViewResult

CITY = "05914000"
FORMULA_TEXTS = ["=SUMME(A1:A3)", "+49 2331", "-5 % ggü. Vorjahr", "@hagen"]
# English-only month and day names (April, August, September, November are German too), "Sep 30, 2021", ISO
# dates and clock times as Plotly prints them when nobody formats a date.
ENGLISH = re.compile(r"\b(January|February|March|May|June|July|October|December|"
                     r"Mar|Oct|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|\b(Jan|Feb|Apr|Jun|Jul|Aug|Sep|Nov) \d{1,2}, \d{4}"
                     r"|\b\d{4}-\d{2}-\d{2}\b|\d{1,2}:\d{2}:\d{2}|\b[AP]M\b")


def _rows(runner: QueryRunner) -> pd.DataFrame:
    return runner.run("ausgabe_beobachtungen")


def _reihe(runner: QueryRunner, indikator: str) -> ViewResult:
    rows = _rows(runner)
    rows = rows[(rows.indicator_id == indikator) & (rows.area_id == CITY) & ~rows.suppressed].sort_values("period")
    rows = rows.drop_duplicates("period")
    fig = go.Figure(go.Scatter(x=rows.period, y=rows.value, mode="lines+markers"))
    fig.update_layout(separators=formatting.PLOTLY_SEPARATORS, title=f"Testreihe {indikator}")
    table = pd.DataFrame({"Stichtag": rows.period.to_list(), "Wert (Personen)": rows.value.to_list()})
    return ViewResult("test_paket_reihe", f"Testreihe {indikator}", fig, table, "Testquelle", "31.12.2024",
                            f"Die Reihe {indikator} hat {len(rows)} Werte.", params={"indikator": indikator})


def _geheim(runner: QueryRunner) -> ViewResult:
    rows = _rows(runner)
    rows = rows[rows.indicator_id == rows[rows.suppressed].indicator_id.iloc[0]].head(12)
    shown = [formatting.SUPPRESSED if s else formatting.number(v) for s, v in zip(rows.suppressed, rows.value,
                                                                               strict=True)]
    fig = go.Figure(go.Bar(x=rows.area_id, y=[None if s else v for s, v in zip(rows.suppressed, rows.value,
                                                                                  strict=True)], text=shown))
    table = pd.DataFrame({"Gebiet": rows.area_id.to_list(),
                          "Stichtag": [formatting.date(p) for p in rows.period], "Wert (Anzahl)": shown})
    return ViewResult("test_paket_geheim", "Geheimhaltung im Test", fig, table, "Testquelle", "2024",
                            "Ein Wert ist geheim gehalten.", example_data=True,
                            footnotes=["· = geheim gehalten (weniger als 3 Fälle)"])


def _formel(runner: QueryRunner) -> ViewResult:
    table = pd.DataFrame({"Hinweis": FORMULA_TEXTS, "Zahl": [1, 2, 3, 4]})
    return ViewResult("test_paket_formel", "Text wie Formeln", None, table, "Testquelle", "2024",
                            "Hier gibt es nichts zu zeichnen.")


def _kaputt(runner: QueryRunner) -> ViewResult:
    raise ValueError("Spalte fehlt")


def _spec(key: str, func, **url: str) -> index.ViewSpec:
    return index.ViewSpec(key, func, "sitzungspaket", MappingProxyType(url))


TEST_VIEWS = {s.key: s for s in (_spec("test_paket_reihe", _reihe, indikator="indikator"),
                                 _spec("test_paket_geheim", _geheim), _spec("test_paket_formel", _formel),
                                 _spec("test_paket_kaputt", _kaputt))}


@pytest.fixture(scope="module", autouse=True)
def test_views():
    """The test views, added to the index for this module only."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index, "VIEWS", MappingProxyType({**index.VIEWS, **TEST_VIEWS}))
        yield


@pytest.fixture(scope="module")
def db(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built database with one count cell suppressed (as the build's suppression would do)."""
    path = tmp_path_factory.mktemp("paket") / "p.duckdb"
    shutil.copy(built_db, path)
    con = duckdb.connect(str(path))
    con.execute("update observation set suppressed = true where (indicator_id, area_id, period, nationality, source) "
                "in (select indicator_id, area_id, period, nationality, source from observation "
                "where value is not null order by all limit 1)")
    con.close()
    return path


@pytest.fixture(scope="module")
def runner_p(db: Path):
    r = QueryRunner(db, REPO_ROOT / "queries")
    yield r
    r.close()


@pytest.fixture(scope="module")
def indicator(runner_p: QueryRunner) -> tuple[str, str]:
    links = runner_p.run("paket_leitziel_indikatoren")
    rows = _rows(runner_p)
    with_data = set(rows[(rows.area_id == CITY) & rows.value.notna()].indicator_id)
    row = links[links.indicator_id.isin(with_data)].iloc[0]
    return row.leitziel_id, row.indicator_id


@pytest.fixture(scope="module")
def content(runner_p: QueryRunner, indicator) -> model.PackageContent:
    lz, ind = indicator
    plan = [
        model.PlanItem.of(model.SECTION_LEITZIELE, "test_paket_reihe", group=lz, indikator=ind),
        model.PlanItem.of(model.SECTION_EU2, "test_paket_geheim"),
        model.PlanItem.of(model.SECTION_EU2, "test_paket_formel"),
        model.PlanItem.of(model.SECTION_OVERVIEW, "test_paket_reihe", group="TH-X", indikator=ind),  # again
    ]
    return package.gather(runner_p, ["SB1"], plan)


# ------------------------------------------------------------------------------------------------ the plan
def test_plan_renders_each_view_once_and_refers_back(content):
    assert [f.result.key for f in content.figures] == ["test_paket_reihe", "test_paket_geheim", "test_paket_formel"]
    assert content.group_refs["TH-X"] == [1]  # the repeated item refers to figure 1
    assert [f.image is not None for f in content.figures] == [True, True, False]
    assert all(f.image[:8] == b"\x89PNG\r\n\x1a\n" for f in content.figures if f.image)
    assert content.bezirke == ["Hagen-Mitte"]  # names, not ids


@pytest.mark.parametrize(("item", "message"), [
    (model.PlanItem.of(model.SECTION_EU2, "gibt_es_nicht"), "„gibt_es_nicht“ gibt es nicht"),
    (model.PlanItem.of(model.SECTION_EU2, "test_paket_kaputt"), "test_paket_kaputt() ist fehlgeschlagen: Spalte fehlt"),
    (model.PlanItem.of(model.SECTION_EU2, "test_paket_formel", bezirk="SB1"),
     "„test_paket_formel“ nimmt die Parameter ['bezirk'] nicht an"),
])
def test_a_missing_or_failing_planned_view_stops_the_package(runner_p, item, message):
    plan = [model.PlanItem.of(model.SECTION_EU2, "test_paket_formel"), item]
    with pytest.raises(package.PlanError, match=re.escape(message)):
        package.gather(runner_p, [], plan, images=False)


def test_default_plan_covers_every_leitziel_indicator_and_every_view_exists(runner_p: QueryRunner, db: Path):
    plan = package.default_plan(runner_p, ["SB2", "SB4"])
    con = duckdb.connect(str(db), read_only=True)
    expected = con.execute("select leitziel_id, indicator_id from leitziel_indicator").fetchall()
    con.close()
    got = [(p.group, dict(p.params)["indikator"]) for p in plan if p.section == model.SECTION_LEITZIELE]
    assert sorted(got) == sorted(expected)
    assert [dict(p.params)["bezirk"] for p in plan if p.section == model.SECTION_DISTRICTS] == ["SB2", "SB4"]
    assert {p.key for p in plan} <= set(index.VIEWS)


# ------------------------------------------------------------------------------------------------ XLSX
def test_xlsx_typed_values_suppression_formulas_tables(content, db: Path, indicator):
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(content)))
    assert wb.sheetnames[:2] == ["Inhalt", "Leitziele"] and wb.sheetnames[-2:] == ["Quellen", "Zeichenerklärung"]
    assert len(wb.sheetnames) == 4 + len(content.figures)
    con = duckdb.connect(str(db), read_only=True)
    n_lz = con.execute("select count(*) from leitziel").fetchone()[0]
    series = con.execute("select period, value from observation_public where indicator_id = ? and area_id = ? "
                         "and not suppressed and value is not null order by period", [indicator[1], CITY]).fetchall()
    n_sources = con.execute("select count(*) from source_file").fetchone()[0]
    con.close()
    lz = wb["Leitziele"]
    assert sum(1 for r in lz.iter_rows(min_row=HEADER_ROW + 1, max_col=3, values_only=True) if r[2]) == n_lz
    ws = wb[wb.sheetnames[2]]
    assert ws.cell(1, 1).value.startswith("Abb. 1: Testreihe")
    assert [c.value for c in ws[HEADER_ROW]][:2] == ["Stichtag", "Wert (Personen)"]
    got = [(r[0], r[1]) for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(series),
                                               values_only=True)]
    by_period = dict(series)
    assert [d.date() for d, _ in got] == sorted(by_period)
    assert [v for _, v in got] == [by_period[d.date()] for d, _ in got]
    # figure 2: German display text ("1.234", "31.12.2022") became numbers and dates; "·" stays text
    ws = wb[wb.sheetnames[3]]
    rows = [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=3, values_only=True) if r[0] and r[1]]
    assert all(isinstance(r[1], dt.datetime) for r in rows)
    values = [r[2] for r in rows]
    assert formatting.SUPPRESSED in values
    assert all(v == formatting.SUPPRESSED or isinstance(v, (int, float)) for v in values)
    notes = [r[0] for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] and r[1] is None]
    assert any("geheim gehalten" in n for n in notes)
    # figure 3: text that looks like a formula is plain text
    ws = wb[wb.sheetnames[4]]
    cells = [ws.cell(HEADER_ROW + 1 + i, 1) for i in range(len(FORMULA_TEXTS))]
    assert [c.value for c in cells] == FORMULA_TEXTS and all(c.data_type == "s" for c in cells)
    # every sheet: one Excel table right below its frozen header, landscape, fitted to the page width
    for sheet in wb.worksheets:
        assert len(sheet.tables) == 1, sheet.title
        header = int(re.match(r"[A-Z]+(\d+)", next(iter(sheet.tables.values())).ref).group(1))
        assert sheet.freeze_panes == f"A{header + 1}"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert wb["Quellen"].max_row >= HEADER_ROW + n_sources
    legend = [r[0] for r in wb["Zeichenerklärung"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert formatting.SUPPRESSED in legend and formatting.MISSING in legend
    assert wb.properties.creator == "Stadt Hagen"


# ------------------------------------------------------------------------------------------------ PPTX
def _inside(shape, prs) -> bool:
    return (shape.left >= 0 and shape.top >= 0 and shape.left + shape.width <= prs.slide_width
            and shape.top + shape.height <= prs.slide_height)


def _overlap(a, b) -> bool:
    return not (a.left + a.width <= b.left or b.left + b.width <= a.left or a.top + a.height <= b.top
                or b.top + b.height <= a.top)


def test_pptx_titles_placement_fonts_alt_text_properties(content):
    from integrationsmonitor.exports.pptx_deck import build_deck

    prs = Presentation(io.BytesIO(build_deck(content)))
    assert prs.slide_width * 9 == prs.slide_height * 16
    slides = list(prs.slides)
    titles = [s.shapes.title.text_frame.text if s.shapes.title is not None else None for s in slides]
    assert None not in titles and all(titles)
    # every planned figure has a slide: with its chart, or saying why there is none
    for fig in content.figures:
        slide = next(s for s, t in zip(slides, titles, strict=True) if fig.result.title in t)
        pictures = [sh for sh in slide.shapes if sh.shape_type == 13]
        text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        if fig.image is None:
            assert not pictures and "Kein Diagramm" in text
            continue
        assert len(pictures) == 1
        pic = pictures[0]
        assert pic._element.nvPicPr.cNvPr.get("descr") == fig.result.sentence  # alt text = reading sentence
        assert picture_pt_per_px(pic.width) * images.EXPORT_MIN_FONT_PX >= images.MIN_CHART_PT
        assert fig.result.source_line in text
        assert slide.notes_slide.notes_text_frame.text.startswith(fig.result.sentence)
        others = [sh for sh in slide.shapes if sh.shape_id != pic.shape_id]
        assert not any(_overlap(pic, sh) for sh in others)
    hidden = next(s for s, t in zip(slides, titles, strict=True) if "Geheimhaltung im Test" in t)
    assert f"{formatting.SUPPRESSED} geheim gehalten: " in " ".join(sh.text_frame.text for sh in hidden.shapes
                                                                    if sh.has_text_frame)
    for slide in slides:
        for shape in slide.shapes:
            assert _inside(shape, prs), (slide.shapes.title.text_frame.text, shape.name)
            if shape.has_text_frame and shape != slide.shapes.title:
                sizes = [r.font.size for p in shape.text_frame.paragraphs for r in p.runs]
                assert sizes and all(s is not None and s.pt >= 18 for s in sizes), shape.name
    props = prs.core_properties
    assert props.author == "Stadt Hagen" and props.last_modified_by == "Stadt Hagen"
    assert "Integrationsmonitor Hagen" in props.title and props.language == "de-DE"
    assert "Steve Canny" not in f"{props.author}{props.last_modified_by}" and props.created.year != 2013


@pytest.mark.parametrize("title", ["Kurz", "Rumän. und bulg. Staatsangehörige (Summe): Hagen und Vergleichsstädte",
                                   "Sehr langer Titel " * 8])
@pytest.mark.parametrize("footer", ["Quelle: A · Stand: 2024", "Quelle: " + "IT.NRW Ausländerstatistik; " * 8])
def test_slide_layout_keeps_everything_on_the_slide(title, footer):
    layout = figure_layout(title, footer)
    boxes = [layout.title, layout.picture, layout.footer]
    for box in boxes:
        assert box.left >= 0 and box.top >= 0
        assert box.left + box.width <= Emu(12192000).inches + 1e-9 and box.top + box.height <= 7.5 + 1e-9
    assert layout.title.top + layout.title.height <= layout.picture.top
    assert layout.picture.top + layout.picture.height <= layout.footer.top
    assert layout.picture.width * 9 == pytest.approx(layout.picture.height * 16)
    assert layout.picture.width * 72 / images.SLIDE_SIZE[0] * images.EXPORT_MIN_FONT_PX >= 14


def test_export_figure_fonts_labels_and_german_date_ticks():
    fig = go.Figure([go.Bar(x=["a", "b"], y=[1, 2], text=["1", "2"], textfont={"size": 9}),
                     go.Scatter(x=[dt.date(2021, 9, 30), dt.date(2022, 12, 31)], y=[1, 2], xaxis="x2")])
    fig.update_layout(font={"size": 12}, legend={"font": {"size": 10}},
                      annotations=[{"text": "Ereignis", "font": {"size": 11}, "x": 0, "y": 0}])
    data = images.export_figure(fig, *images.SLIDE_SIZE)
    assert data["layout"]["font"]["size"] >= images.EXPORT_MIN_FONT_PX
    assert data["layout"]["legend"]["font"]["size"] >= images.EXPORT_MIN_FONT_PX
    assert data["layout"]["annotations"][0]["font"]["size"] >= images.EXPORT_MIN_FONT_PX
    assert data["data"][0]["textfont"]["size"] >= images.EXPORT_MIN_FONT_PX
    assert data["data"][0]["cliponaxis"] is False  # bar labels are never cut at the plot edge
    assert data["layout"]["xaxis2"]["tickformat"] == "%d.%m.%Y"
    assert fig.layout.font.size == 12  # the screen's figure is untouched


# ------------------------------------------------------------------------------------------------ PDF
def _pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _body(page: str) -> list[str]:
    return [ln.strip() for ln in page.splitlines() if ln.strip() and "Seite " not in ln]


def test_pdf_report_structure(content, tmp_path: Path):
    from integrationsmonitor.exports.pdf_report import build_pdf

    data = build_pdf(content)
    pages = _pdf_pages(data, tmp_path)
    n = len(pages)
    assert f"Berichtsstand: {content.berichtsstand}" in pages[0] and formatting.date(content.created) in pages[0]
    assert "aktueller Datenstand (keine eingefrorene Ausgabe)" in pages[0]
    assert _body(pages[1])[0] == "Inhalt"
    assert _body(pages[2])[0] == "Zusammenfassung" and "Von 27 Leitzielen sind" in pages[2]
    status_page = pages[3]
    assert _body(status_page)[0] == "Status aller 27 Leitziele"
    assert all(row.leitziel_id in status_page for row in content.leitziele.itertuples())  # all on one page
    assert f"Seite 2 von {n}" in pages[1] and f"Seite {n} von {n}" in pages[-1]
    last_figure = max(i for i, p in enumerate(pages) if "Abb. " in p and "Quelle: " in p)
    methodik = next(i for i, p in enumerate(pages) if _body(p)[0] == "Methodik und Quellen")
    assert methodik > last_figure and "Statusregel" in pages[methodik] and "Quellen" in "".join(pages[methodik:])
    for fig in content.figures:
        page = next(p for p in pages if f"Abb. {fig.number}: {fig.result.title}" in p and "Inhalt" not in p)
        assert fig.result.source_line.split(" · ")[0] in page  # the caption is on the figure's page
    hidden_page = next(p for p in pages if "Abb. 2: Geheimhaltung im Test" in p and "Inhalt" not in p)
    assert re.search(rf"{formatting.SUPPRESSED} geheim gehalten \(Wert nicht veröffentlicht, nie 0\): \S", hidden_page)
    assert "=SUMME(A1:A3)" in "".join(pages)  # the table of the view without a chart is printed
    assert not any(ch in "".join(pages) for ch in "✅❌⬜")
    for i, page in enumerate(pages, start=1):
        assert _body(page), f"Seite {i} ist leer"
    info = subprocess.run(["pdfinfo", str(tmp_path / "r.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Author:\s+Stadt Hagen$", info, re.M) and re.search(r"^Tagged:\s+yes$", info, re.M)
    assert b"/Lang (de-DE)" in data and b"/Alt (" in data


def test_printable_text_replaces_status_emoji():
    from integrationsmonitor.status import CATEGORY_ICON

    assert images.printable_text(f"{CATEGORY_ICON['auf_kurs']} auf Kurs, {CATEGORY_ICON['gefaehrdet']} gefährdet") == (
        "✔ auf Kurs, ⚠ gefährdet")


def test_zip_contains_three_files(content):
    data = package.build_zip(content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["pdf", "pptx", "xlsx"]
    assert all(n.startswith(package.file_stem(content)) for n in names)


# ------------------------------------------------------------------------------------------------ one build
def test_two_requests_for_the_same_package_build_once():
    cache = package.PackageCache()
    second_waiting = threading.Event()
    calls: list[str] = []

    def build() -> bytes:
        calls.append("gebaut")
        second_waiting.wait(5)
        time.sleep(0.05)  # let the second request reach the lock (no assertion on time)
        return b"ZIP"

    results: list[bytes] = []
    first = threading.Thread(target=lambda: results.append(cache.get(("d", None, ("SB1",)), build)))
    first.start()
    while not calls:
        time.sleep(0.001)
    second = threading.Thread(target=lambda: results.append(cache.get(("d", None, ("SB1",)), build)))
    second.start()
    second_waiting.set()
    first.join()
    second.join()
    assert results == [b"ZIP", b"ZIP"] and calls == ["gebaut"] and cache.builds == 1
    assert cache.get(("d", None, ("SB2",)), lambda: b"ANDERS") == b"ANDERS" and cache.builds == 2


# ------------------------------------------------------------------------------------------------ done when
@pytest.fixture(scope="module")
def full_package(runner_p: QueryRunner, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The real default plan for one district plus the test view with a hidden cell, as a ZIP, unpacked."""
    plan = package.default_plan(runner_p, ["SB1"]) + [model.PlanItem.of(model.SECTION_EU2, "test_paket_geheim")]
    content = package.gather(runner_p, ["SB1"], plan)
    data = package.build_zip(content)
    folder = tmp_path_factory.mktemp("ganz")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall(folder)
    return {"content": content, "pdf": next(folder.glob("*.pdf")), "pptx": next(folder.glob("*.pptx")),
            "xlsx": next(folder.glob("*.xlsx"))}


def test_every_page_slide_and_sheet_is_german_on_the_slide_typed_and_marks_hidden_cells(full_package):
    content = full_package["content"]
    text = subprocess.run(["pdftotext", "-layout", str(full_package["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")[:-1]
    for number, page in enumerate(pages, start=1):
        assert not ENGLISH.search(page), (number, ENGLISH.search(page).group(0))
        body = _body(page)
        assert not body[0].startswith(("Quelle:", "Senkrechte Linien")), (number, body[0])  # no caption alone
        assert not body[-1].startswith(("Handlungsfeld:", "Abb. ")), (number, body[-1])  # no orphaned heading
    # every chart image: German date ticks, export fonts
    for fig in content.figures:
        if fig.result.figure is not None:
            data = images.export_figure(fig.result.figure, *images.SLIDE_SIZE)
            for axis in images._date_axes(data):
                spec = data["layout"].get(axis, {})
                assert spec.get("ticktext") is not None or "%b" not in spec.get("tickformat", "%b"), axis
    hidden = [f for f in content.figures if model.hidden_cells(f.result.table)]
    assert hidden  # at least the test view
    for fig in hidden:
        page = next(p for p in pages if f"Abb. {fig.number}: " in p and "Quelle:" in p)
        assert f"{formatting.SUPPRESSED} geheim gehalten" in page, fig.result.title
    prs = Presentation(str(full_package["pptx"]))
    for slide in prs.slides:
        words = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        assert not ENGLISH.search(words), words
        for shape in slide.shapes:
            assert _inside(shape, prs), (slide.shapes.title.text_frame.text, shape.name)
    slide_texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in prs.slides]
    for fig in hidden:
        assert any(f"Abb. {fig.number} " in t and f"{formatting.SUPPRESSED} geheim gehalten" in t
                   for t in slide_texts), fig.result.title
    assert len(prs.slides) == 3 + len(content.figures)  # title, summary, one per planned figure, legend
    wb = openpyxl.load_workbook(full_package["xlsx"])
    typed = 0
    for ws in wb.worksheets:
        table = next(iter(ws.tables.values()))
        for column in zip(*ws[table.ref][1:], strict=True):
            words = [c for c in column if isinstance(c.value, str) and c.value not in ("·", "–", "")]
            parseable = [c for c in words if tablecells.parse(c.value) is not None]
            if 2 * len(parseable) >= len(words):  # not a text column: every number and date is typed
                assert not parseable, (ws.title, parseable[0].coordinate, parseable[0].value)
            for cell in column:
                if isinstance(cell.value, str):
                    assert not ENGLISH.search(cell.value), (ws.title, cell.coordinate, cell.value)
                elif isinstance(cell.value, (int, float, dt.datetime)):
                    typed += 1
                    assert cell.number_format != "General", (ws.title, cell.coordinate)
    assert typed > 1000
    for fig in hidden:
        ws = wb[next(n for n in wb.sheetnames if n.startswith(f"{fig.number:02d} "))]
        assert any(c.value == formatting.SUPPRESSED for row in ws.iter_rows() for c in row)


def test_one_renderer_kept_for_the_dashboard_and_pngs_rendered_once():
    from integrationsmonitor.exports import renderer

    renderer.stop()
    figs = [go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), go.Figure(go.Bar(x=["a", "b"], y=[2, 1]))]
    with images.image_server(keep=True):
        first = images.pngs(figs, *images.SLIDE_SIZE)
    assert renderer.running()  # the dashboard's next package finds the browser running
    rendered = images.stats["rendered"]
    with images.image_server():  # nested in a running server: does not stop it
        again = images.pngs(figs, *images.SLIDE_SIZE)
    assert again == first and images.stats["rendered"] == rendered  # same figures: from the PNG cache
    assert renderer.running()
    renderer.stop()
    with images.image_server():
        images.png(go.Figure(go.Bar(x=["c"], y=[3])), *images.SLIDE_SIZE)
    assert not renderer.running()  # a CLI batch stops the browser it started
    images.png(go.Figure(go.Bar(x=["d"], y=[4])), *images.SLIDE_SIZE)
    assert not renderer.running()  # so does a lone call
