"""Deliveries that cannot be misread (issue 13 §2), beyond the one-defect files in tests/fixtures/bad/:
Excel percent formats, zip bombs and row counts checked before parsing, capped problem reports, and headline
figures whose jump must be confirmed before publishing (CLI flag and page checkbox)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import PUBLISHED_ONLY

from integrationsmonitor.__main__ import main
from integrationsmonitor.build import update
from integrationsmonitor.build.pipeline import read_inputs
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.ingest import readers
from integrationsmonitor.problems import Problem, ValidationError

TODAY = dt.date(2026, 11, 25)
HEADER = ["indikator", "gebiet", "stichtag", "staatsangehoerigkeit", "wert", "zaehler", "nenner", "quelle", "hinweis",
          "beispieldaten"]
PUBLISHED = "figure_id;area;period;measure;nationality;value;unit;source_kind;source_url;note\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template(data_template) -> Path:
    """Catalogue, geometries and the two files of published figures (no example data), built once per session."""
    return data_template(raw=PUBLISHED_ONLY, today=TODAY)



# ----------------------------------------------------------------------------- Excel number formats
def test_xlsx_percent_cell_is_read_as_the_percentage_excel_shows(template, tmp_path):
    """Excel shows 24,1 % and stores 0,241: the share is 24.1 (per cent), not 0.241."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["auslaenderanteil", "SB1", "31.12.2025", "_T", 0.241, None, None, "Statistikstelle Hagen", None, "nein"])
    ws.append(["auslaenderanteil", "SB2", "31.12.2025", "_T", 0.3, None, None, "Statistikstelle Hagen", None, "nein"])
    ws["E2"].number_format = "0.0%"
    ws["E3"].number_format = "0%"
    path = tmp_path / "anteile.xlsx"
    wb.save(path)
    inputs = read_inputs(template, extra_files=[path], today=TODAY)
    values = {(r["area_id"], r["file"]): r["value"] for r in inputs.observations if r["indicator_id"] == "auslaenderanteil"}
    assert values[("SB1", "raw/anteile.xlsx")] == 24.1
    assert values[("SB2", "raw/anteile.xlsx")] == 30


def test_xlsx_percent_sign_inside_quoted_text_is_not_a_percent_format(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["einbuergerungen", "SB1", "31.12.2025", "_T", 97, None, None, "Statistikstelle Hagen", None, "nein"])
    ws["E2"].number_format = '0" %-Punkte"'
    path = tmp_path / "text.xlsx"
    wb.save(path)
    table, problems = readers.read_table(path)
    assert problems == [] and table.rows[0][1]["wert"] == "97" and not table.percent_cells


# ----------------------------------------------------------------------------- resource limits
def _xlsx_container(sheet_xml_chunks, compresslevel=1) -> bytes:
    """A minimal XLSX ZIP whose first sheet is written from ``sheet_xml_chunks`` (streamed, never in memory)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"/>')
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for chunk in sheet_xml_chunks:
                fh.write(chunk)
    return buf.getvalue()


def _refuse_parsing(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("openpyxl darf die Datei gar nicht erst öffnen")

    monkeypatch.setattr(openpyxl, "load_workbook", boom)


def test_xlsx_zip_bomb_is_refused_from_the_zip_directory_before_parsing(tmp_path, monkeypatch):
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
    mb = 1024 * 1024
    data = _xlsx_container([b"<worksheet><sheetData>"] + [row * (mb // len(row))] * 150 + [b"</sheetData></worksheet>"])
    assert len(data) < 2 * mb  # small on disk and in the upload, about 150 MB unpacked
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(data)
    _refuse_parsing(monkeypatch)
    table, problems = readers.read_table(path)
    assert table is None
    assert len(problems) == 1 and "entpackt 157 MB groß" in problems[0].message
    assert "höchstens 100 MB entpackt" in problems[0].expected


def test_xlsx_with_more_rows_than_allowed_is_refused_from_its_dimension_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("IMH_MAX_ZEILEN", "1000")
    head = b'<?xml version="1.0"?><worksheet><dimension ref="A1:J1002"/><sheetData>'
    path = tmp_path / "lang.xlsx"
    path.write_bytes(_xlsx_container([head, b"</sheetData></worksheet>"]))
    _refuse_parsing(monkeypatch)
    table, problems = readers.read_table(path)
    assert table is None and "mehr als 1.000 Datenzeilen (laut Tabellenbereich 1.001 Zeilen unter der Kopfzeile)" in problems[0].message


def test_xlsx_rows_are_counted_while_reading_when_the_dimension_lies(tmp_path, monkeypatch):
    monkeypatch.setenv("IMH_MAX_ZEILEN", "3")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for area in ("SB1", "SB2", "SB3", "SB4"):
        ws.append(["einbuergerungen", area, "31.12.2025", "_T", 97, None, None, "Statistikstelle Hagen", None, "nein"])
    path = tmp_path / "vier.xlsx"
    wb.save(path)
    data = path.read_bytes()  # rewrite the sheet's <dimension> to claim a single row
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = content.replace(b'<dimension ref="A1:J5"/>', b'<dimension ref="A1:J2"/>')
            dst.writestr(info, content)
    table, problems = readers.read_table(path)
    assert table is None and "mehr als 3 Datenzeilen" in problems[0].message


def test_csv_with_more_rows_than_allowed_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("IMH_MAX_ZEILEN", "2")
    path = tmp_path / "lang.csv"
    path.write_text(";".join(HEADER) + "\n" + "einbuergerungen;SB1;31.12.2025;_T;97;;;S;;nein\n" * 3, encoding="utf-8")
    table, problems = readers.read_table(path)
    assert table is None and "mehr als 2 Datenzeilen (3 Zeilen unter der Kopfzeile)" in problems[0].message


def test_problem_report_lists_the_first_n_then_a_count_per_kind():
    problems = [Problem("raw/x.csv", row, "wert", f"keine Zahl: 'x{row}'", "eine Zahl") for row in range(2, 3002)]
    problems += [Problem("raw/x.csv", row, "gebiet", f"unbekannte(r) Gebiet 'G{row}'", "ein Gebiet")
                 for row in range(2, 1002)]
    report = ValidationError(problems).report(limit=50)
    lines = report.splitlines()
    assert lines[0] == "Build abgebrochen: 4.000 Problem(e) gefunden."
    assert sum(line.startswith("  - ") for line in lines) == 50
    assert "… und 3.950 weitere. Anzahl je Art:" in lines
    assert "  3.000 × keine Zahl: …" in lines and "  1.000 × unbekannte(r) Gebiet …" in lines
    assert len(report) < 10_000
    assert len(update.report_rows(problems, limit=50)) == 50
    assert update.report_counts(problems) == [{"Anzahl": 3000, "Art des Problems": "keine Zahl: …"},
                                              {"Anzahl": 1000, "Art des Problems": "unbekannte(r) Gebiet …"}]


def test_capped_report_from_a_file_with_thousands_of_bad_rows(settings, monkeypatch):
    monkeypatch.setenv("IMH_PRUEFBERICHT_MAX", "20")
    rows = "".join(f"einbuergerungen;SB1;31.12.2025;_T;viele{i};;;S;;nein\n" for i in range(5000))
    staged = update.stage([("kaputt.csv", (";".join(HEADER) + "\n" + rows).encode())], settings)
    try:
        problems = update.validate(staged, today=TODAY)
    finally:
        update.discard(staged)
    assert len(problems) == 5000
    assert len(update.report_rows(problems)) == 20
    assert update.report_counts(problems) == [{"Anzahl": 5000, "Art des Problems": "keine Zahl: …"}]
    assert ValidationError(problems).report().count("\n  - ") == 20


def test_page_shows_the_capped_report_and_the_counts(settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from integrationsmonitor.serving import auth

    monkeypatch.setenv("IMH_ADMIN_PASSWORD", "geheim")
    monkeypatch.setenv("IMH_PRUEFBERICHT_MAX", "25")
    staged = update.Staged(settings.data_dir / "nie-benutzt")
    staged.problems = [Problem("raw/x.csv", row, "wert", f"keine Zahl: 'x{row}'", "eine Zahl") for row in range(1000)]
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "datenpflege.py"), default_timeout=60)
    at.session_state[auth.SESSION_KEY] = True
    at.session_state["staged"] = staged
    at.run()
    assert not at.exception
    assert "1.000 Problem(e)" in at.error[0].value
    frames = [d.value for d in at.dataframe]
    assert len(frames[0]) == 25
    assert frames[1].to_dict("records") == [{"Anzahl": 1000, "Art des Problems": "keine Zahl: …"}]


# ----------------------------------------------------------------------------- plausibility of headline figures
JUMP = PUBLISHED + ("Z01;Hagen;2026-06-30;einwohner;;7714;Personen;Melderegister Stadt Hagen;https://www.hagen.de/;\n")


def test_headline_jump_is_shown_before_and_after_and_must_be_confirmed(settings):
    before = sha(settings.db_path)
    staged = update.stage([("sprung.csv", JUMP.encode())], settings)
    assert update.validate(staged, today=TODAY) == []
    jumps = update.headline_jumps(settings.db_path, staged.db_path, settings.queries_dir)
    assert [(j.label, j.after, j.after_period) for j in jumps] == [("Einwohner:innen", 7714, dt.date(2026, 6, 30))]
    assert jumps[0].before > 180_000
    with pytest.raises(update.JumpsNotConfirmed) as exc:
        update.publish(staged, settings)
    assert "neu 7.714 (30.06.2026)" in str(exc.value) and "bestätigen" in str(exc.value)
    assert sha(settings.db_path) == before
    update.publish(staged, settings, confirm_jumps=True)
    assert sha(settings.db_path) != before


def test_ordinary_growth_is_no_jump(settings):
    ordinary = PUBLISHED + ("Z01;Hagen;2026-06-30;einwohner;;190000;Personen;Melderegister Stadt Hagen;"
                            "https://www.hagen.de/;\n")
    staged = update.stage([("normal.csv", ordinary.encode())], settings)
    assert update.validate(staged, today=TODAY) == []
    assert update.headline_jumps(settings.db_path, staged.db_path, settings.queries_dir) == []
    update.publish(staged, settings)


def test_cli_refuses_a_jump_without_the_flag(settings, tmp_path, capsys):
    delivery = tmp_path / "sprung.csv"
    delivery.write_text(JUMP, encoding="utf-8")
    before = sha(settings.db_path)
    assert main(["update", str(delivery), "--publish"]) == 1
    captured = capsys.readouterr()
    assert "Sprünge bei Kennzahlen" in captured.out and "neu 7.714 (30.06.2026)" in captured.out
    assert "--spruenge-bestaetigen" in captured.err
    assert sha(settings.db_path) == before
    assert main(["update", str(delivery), "--publish", "--spruenge-bestaetigen"]) == 0
    assert sha(settings.db_path) != before


def test_page_needs_the_checkbox_before_publishing_a_jump(settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from integrationsmonitor.serving import auth

    monkeypatch.setenv("IMH_ADMIN_PASSWORD", "geheim")
    staged = update.stage([("sprung.csv", JUMP.encode())], settings)
    assert update.validate(staged, today=TODAY) == []
    before = sha(settings.db_path)
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "datenpflege.py"), default_timeout=60)
    at.session_state[auth.SESSION_KEY] = True
    at.session_state["staged"] = staged
    at.run()
    assert not at.exception
    assert any("Einwohner:innen" in str(d.value.to_dict("records")) and "7714" in str(d.value.to_dict("records"))
               for d in at.dataframe)
    publish = next(b for b in at.button if b.label == "Veröffentlichen")
    assert publish.disabled
    at.checkbox(key="spruenge_bestaetigt").check().run()
    next(b for b in at.button if b.label == "Veröffentlichen").click().run()
    assert not at.exception
    assert sha(settings.db_path) != before


def test_a_headline_figure_that_disappears_must_be_confirmed(settings):
    """A delivery that replaces the published figures file by one without the residents drops the headline."""
    only_foreigners = PUBLISHED + ("F01;Hagen;2012-12-31;auslaender;;24991;Personen;IT.NRW Ausländerstatistik;"
                                   "https://www.hagen.de/;\n")
    staged = update.stage([("hagen_veroeffentlichte_zahlen.csv", only_foreigners.encode())], settings)
    assert update.validate(staged, today=TODAY) == []
    texts = [j.text() for j in update.headline_jumps(settings.db_path, staged.db_path, settings.queries_dir)]
    assert any(t.startswith("Einwohner:innen: bisher ") and t.endswith(", neu entfällt") for t in texts), texts
    with pytest.raises(update.JumpsNotConfirmed):
        update.publish(staged, settings)
    update.discard(staged)
