"""Typed export cells: German display text back to numbers and dates, one formula guard, page downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from integrationsmonitor.exports import downloads, tablecells


@pytest.mark.parametrize(("text", "value", "number_format", "mark"), [
    ("1.234", 1234, "#,##0", ""),
    ("12", 12, "#,##0", ""),
    ("1.234,5", 1234.5, "#,##0.0", ""),
    ("0,25", 0.25, "#,##0.00", ""),
    ("7,18 %", 0.0718, "#,##0.00%", ""),
    ("7,2\u00a0%", 0.072, "#,##0.0%", ""),
    ("+4,4 %", 0.044, "+#,##0.0%;-#,##0.0%;#,##0.0%", ""),
    ("\u22120,2 %", -0.002, "+#,##0.0%;-#,##0.0%;#,##0.0%", ""),
    ("31.12.2022", dt.date(2022, 12, 31), "DD.MM.YYYY", ""),
    ("15.09.2015*", dt.date(2015, 9, 15), "DD.MM.YYYY", "*"),
    ("ca. 1.872", 1872, "#,##0", "ca."),
    ("2014", 2014, "0", ""),           # a year: no group separator in the display
    ("100,0", 100.0, "#,##0.0", ""),
])
def test_german_text_becomes_a_typed_value(text, value, number_format, mark):
    typed = tablecells.parse(text)
    assert typed is not None
    assert typed.value == pytest.approx(value) if isinstance(value, float) else typed.value == value
    assert type(typed.value) is type(value)
    assert typed.number_format == number_format and typed.mark == mark


@pytest.mark.parametrize("text", ["05914000", "1 von 5", "SB1", "31.02.2022", "12.3", "1.23", "· (31.12.2020)",
                                  "Hagen-Mitte", "RO+BG", "=1+1", "+49 2331", ""])
def test_text_that_is_not_exactly_a_number_or_date_stays_text(text):
    assert tablecells.parse(text) is None


def test_typed_frame_splits_value_date_and_qualifier():
    frame = pd.DataFrame({"Gebiet": ["Hagen", "Haspe", "Eilpe/Dahl"],
                          "Basiswert": ["1.234 (31.12.2022)", "· (31.12.2020)", "–"],
                          "Personen": ["ca. 500", "1.372", "·"]})
    typed, formats = tablecells.typed_frame(frame)
    assert list(typed.columns) == ["Gebiet", "Basiswert", "Basiswert – Stichtag", "Personen", "Personen – Hinweis"]
    assert typed["Basiswert"].tolist() == [1234, "·", "–"]
    assert typed["Basiswert – Stichtag"].tolist() == [dt.date(2022, 12, 31), dt.date(2020, 12, 31), "–"]
    assert typed["Personen"].tolist() == [500, 1372, "·"]
    assert typed["Personen – Hinweis"].tolist() == ["ca.", "", ""]
    assert formats["Basiswert – Stichtag"] == ["DD.MM.YYYY"] * 2 + [None]
    assert formats["Personen"] == ["#,##0", "#,##0", None]


def test_csv_typed_german_and_formula_safe_without_apostrophes_on_numbers():
    frame = pd.DataFrame({"Name": ["=HYPERLINK(1)", "+49 2331", "Hagen"], "Wert": [1234.5, 0.25, None],
                          "Stichtag": [dt.date(2022, 12, 31)] * 3,
                          "Veränderung": ["+4,4 %", "\u22120,2 %", "–"], "Basis": ["1.234 (31.12.2022)", "·", "–"],
                          "Gebiet": ["-5", "Hagen", "05914000"]})
    raw = downloads.csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Name", "Wert", "Stichtag", "Veränderung", "Basis", "Basis – Stichtag", "Gebiet"]
    assert rows[1] == ["'=HYPERLINK(1)", "1234,5", "31.12.2022", "4,4 %", "1234", "31.12.2022", "'-5"]
    assert rows[2] == ["'+49 2331", "0,25", "31.12.2022", "-0,2 %", "·", "–", "Hagen"]
    assert rows[3][1] == "–" and rows[3][6] == "05914000"  # a text column stays text, guarded where needed
    assert not any(cell.startswith("'") for row in rows[1:] for cell in row[1:6])


def test_xlsx_download_typed_table_frozen_header_print_setup():
    frame = pd.DataFrame({"Name": ["=1+1", "-5", "@x", "Hagen"], "Wert": ["1.234", "7,2 %", "·", "–"],
                          "Stichtag": ["31.12.2022", "31.12.2023", "31.12.2024", "15.09.2015*"]})
    wb = load_workbook(io.BytesIO(downloads.xlsx_bytes(frame, "Test")))
    ws = wb["Test"]
    assert [c.value for c in ws[1]] == ["Name", "Wert", "Stichtag", "Stichtag – Hinweis"]
    for row, expected in zip(range(2, 6), ["=1+1", "-5", "@x", "Hagen"], strict=True):
        assert ws.cell(row=row, column=1).value == expected and ws.cell(row=row, column=1).data_type == "s"
    assert ws.cell(2, 2).value == 1234 and ws.cell(2, 2).number_format == "#,##0"
    assert ws.cell(3, 2).value == pytest.approx(0.072) and ws.cell(3, 2).number_format.endswith("%")
    assert ws.cell(4, 2).value == "·" and ws.cell(5, 2).value == "–"
    assert ws.cell(2, 3).value == dt.datetime(2022, 12, 31) and ws.cell(2, 3).number_format == "DD.MM.YYYY"
    assert ws.cell(5, 4).value == "Stichtag unsicher"
    assert list(ws.tables) == ["Tabelle1"] and ws.tables["Tabelle1"].ref == "A1:D5"
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert all(8 <= ws.column_dimensions[c].width <= 60 for c in "ABCD")
