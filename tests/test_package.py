"""Committee package: PDF, PPTX and XLSX are generated, opened again and checked against the database."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import MappingProxyType

import duckdb
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation

from integrationsmonitor import formatting
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import content as model
from integrationsmonitor.exports import sitzungspaket as package
from integrationsmonitor.exports.xlsx_workbook import HEADER_ROW, build_workbook
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import index
from integrationsmonitor.views.result import ViewResult

CITY = "05914000"
FORMULA_TEXTS = ["=SUMME(A1:A3)", "+49 2331", "-5 % ggü. Vorjahr", "@hagen"]


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
    shown = [formatting.SUPPRESSED if s else v for s, v in zip(rows.suppressed, rows.value, strict=True)]
    fig = go.Figure(go.Bar(x=rows.area_id, y=[None if s else v for s, v in zip(rows.suppressed, rows.value,
                                                                                  strict=True)]))
    table = pd.DataFrame({"Gebiet": rows.area_id.to_list(), "Stichtag": rows.period.to_list(), "Wert (Anzahl)": shown})
    return ViewResult("test_paket_geheim", "Geheimhaltung im Test", fig, table, "Testquelle", "2024",
                            "Ein Wert ist geheim gehalten.", example_data=True,
                            footnotes=["· = geheim gehalten (weniger als 3 Fälle)"])


def _formel(runner: QueryRunner) -> ViewResult:
    table = pd.DataFrame({"Hinweis": FORMULA_TEXTS, "Zahl": [1, 2, 3, 4]})
    return ViewResult("test_paket_formel", "Text wie Formeln", None, table, "Testquelle", "2024",
                            "Hier gibt es nichts zu zeichnen.")


def _spec(key: str, func, **url: str) -> index.ViewSpec:
    return index.ViewSpec(key, func, "sitzungspaket", MappingProxyType(url))


TEST_VIEWS = {s.key: s for s in (_spec("test_paket_reihe", _reihe, indikator="indikator"),
                                 _spec("test_paket_geheim", _geheim), _spec("test_paket_formel", _formel))}


@pytest.fixture(scope="module", autouse=True)
def test_views():
    """The three test views, added to the index for this module only."""
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


def test_plan_renders_each_view_once(content):
    assert [f.result.key for f in content.figures] == ["test_paket_reihe", "test_paket_geheim", "test_paket_formel"]
    assert content.notes == []
    assert content.group_refs["TH-X"] == [1]  # the repeated item refers to figure 1
    assert [f.image is not None for f in content.figures] == [True, True, False]
    assert all(f.image[:8] == b"\x89PNG\r\n\x1a\n" for f in content.figures if f.image)


def test_missing_or_misparametrised_view_stops_the_package(runner_p: QueryRunner):
    plan = [model.PlanItem.of(model.SECTION_EU2, "test_paket_formel"),
            model.PlanItem.of(model.SECTION_EU2, "gibt_es_nicht"),
            model.PlanItem.of(model.SECTION_EU2, "test_paket_formel", bezirk="SB1")]  # view takes no bezirk
    with pytest.raises(package.PlanError) as err:
        package.gather(runner_p, [], plan, images=False)
    assert "„gibt_es_nicht“ gibt es nicht" in str(err.value) and "['bezirk']" in str(err.value)


def test_failing_view_stops_the_package(runner_p: QueryRunner, monkeypatch: pytest.MonkeyPatch):
    def broken(runner: QueryRunner) -> ViewResult:
        raise ValueError("Spalte fehlt")

    monkeypatch.setattr(index, "VIEWS", MappingProxyType({**index.VIEWS, "test_kaputt": _spec("test_kaputt", broken)}))
    with pytest.raises(package.PlanError, match="test_kaputt.*Spalte fehlt"):
        package.gather(runner_p, [], [model.PlanItem.of(model.SECTION_EU2, "test_kaputt")], images=False)


def test_default_plan_covers_every_leitziel_indicator(runner_p: QueryRunner, db: Path):
    plan = package.default_plan(runner_p, ["SB2", "SB4"])
    con = duckdb.connect(str(db), read_only=True)
    expected = con.execute("select leitziel_id, indicator_id from leitziel_indicator").fetchall()
    con.close()
    got = [(p.group, dict(p.params)["indikator"]) for p in plan if p.section == model.SECTION_LEITZIELE]
    assert sorted(got) == sorted(expected)
    assert [dict(p.params)["bezirk"] for p in plan if p.section == model.SECTION_DISTRICTS] == ["SB2", "SB4"]


def test_xlsx_sheets_headers_values_suppression_formulas(content, db: Path, indicator):
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(content)))
    assert len(wb.sheetnames) == 2 + len(content.figures)
    assert wb.sheetnames[:2] == ["Inhalt", "Leitziele"]
    # Leitziele sheet: all 27 Leitziele with status word
    lz = wb["Leitziele"]
    con = duckdb.connect(str(db), read_only=True)
    n_lz = con.execute("select count(*) from leitziel").fetchone()[0]
    series = con.execute("select period, value from observation_public where indicator_id = ? and area_id = ? "
                         "and not suppressed and value is not null order by period", [indicator[1], CITY]).fetchall()
    supp_rows = con.execute("select count(*) from observation_public where suppressed and value is null").fetchone()[0]
    con.close()
    assert sum(1 for r in lz.iter_rows(min_row=HEADER_ROW + 1, max_col=3, values_only=True) if r[2]) == n_lz
    # figure 1: values equal to the database
    ws = wb[wb.sheetnames[2]]
    assert ws.cell(1, 1).value.startswith("Abb. 1: Testreihe")
    assert [c.value for c in ws[HEADER_ROW]][:2] == ["Stichtag", "Wert (Personen)"]
    got = [(r[0], r[1]) for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(series),
                                               values_only=True)]
    by_period = dict(series)
    assert [d.date() for d, _ in got] == sorted(by_period)
    assert [v for _, v in got] == [by_period[d.date()] for d, _ in got]
    # figure 2: the suppressed cell stays "·" (text), with the footnote
    ws = wb[wb.sheetnames[3]]
    values = [r[2] for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] and r[1]]
    assert supp_rows >= 1 and formatting.SUPPRESSED in values
    assert all(v == formatting.SUPPRESSED or isinstance(v, (int, float)) or v == formatting.MISSING for v in values)
    notes = [r[0] for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] and r[1] is None]
    assert any("geheim gehalten" in n for n in notes)
    # figure 3: text that looks like a formula is plain text
    ws = wb[wb.sheetnames[4]]
    cells = [ws.cell(HEADER_ROW + 1 + i, 1) for i in range(len(FORMULA_TEXTS))]
    assert [c.value for c in cells] == FORMULA_TEXTS
    assert all(c.data_type == "s" for c in cells)


def test_pptx_slides_titles_footer_notes(content):
    from integrationsmonitor.exports.pptx_deck import build_deck

    prs = Presentation(io.BytesIO(build_deck(content)))
    assert prs.slide_width * 9 == prs.slide_height * 16
    with_image = [f for f in content.figures if f.image is not None]
    assert len(prs.slides) == 1 + len(with_image)
    for slide, fig in zip(list(prs.slides)[1:], with_image, strict=True):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert texts[0] == fig.result.title
        assert fig.result.source_line in texts
        assert sum(1 for s in slide.shapes if s.shape_type == 13) == 1  # one picture
        assert slide.notes_slide.notes_text_frame.text.startswith(fig.result.sentence)
    assert "BEISPIELDATEN" in " ".join(s.text_frame.text for s in list(prs.slides)[2].shapes if s.has_text_frame)


def _pdf_text(data: bytes, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


def test_pdf_structure(content, tmp_path: Path):
    from integrationsmonitor.exports.pdf_report import build_pdf

    pages, text = _pdf_text(build_pdf(content), tmp_path)
    assert pages >= 5
    first = text.split("\f")[0]
    assert f"Berichtsstand: {content.berichtsstand}" in first and formatting.date(content.created) in first
    assert "Inhalt" in text.split("\f")[1]
    assert f"Seite 2 von {pages}" in text and f"Seite {pages} von {pages}" in text
    for name in ["Überblick: Handlungsfelder", "Leitziele", model.SECTION_EU2, model.SECTION_DISTRICTS, "Quellen",
                 "Zeichenerklärung"]:
        assert name in text
    for fig in content.figures:
        assert f"Abb. {fig.number}: {fig.result.title}" in text
    assert "=SUMME(A1:A3)" in text  # the table of the view without a chart is printed
    assert re.search(rf"{formatting.SUPPRESSED}\s+Wert geheim gehalten", text)
    assert "· = geheim gehalten (weniger als 3 Fälle)" in text  # the view's footnote
    for row in content.leitziele.itertuples():
        assert row.leitziel_id in text
    for number, page in enumerate(text.split("\f")[:pages], start=1):  # no blank pages
        body = [ln for ln in page.splitlines() if ln.strip() and "Berichtsstand" not in ln]
        assert body, f"Seite {number} ist leer"
    assert not any(ch in text for ch in "✅❌⬜")  # screen emoji are printed as DejaVu symbols


def test_printable_text_replaces_status_emoji():
    from integrationsmonitor.exports.images import printable_text
    from integrationsmonitor.status import CATEGORY_ICON

    assert printable_text(f"{CATEGORY_ICON['auf_kurs']} auf Kurs, {CATEGORY_ICON['gefaehrdet']} gefährdet") == (
        "✔ auf Kurs, ⚠ gefährdet")


def test_zip_contains_three_files(content):
    data = package.build_zip(content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["pdf", "pptx", "xlsx"]
    assert all(n.startswith(package.file_stem(content)) for n in names)
