"""Cells of exported tables: German display text back to typed values, one formula guard, one XLSX cell writer.

View tables carry German display text ("1.234", "7,2 %", "31.12.2022", "ca. 500", "15.09.2015*", "· (31.12.2020)")
because the screen shows them as they are. A spreadsheet must calculate, so every export (committee workbook, CSV
and XLSX downloads of the pages) reads such text back into numbers and dates with *strict* patterns: what does
not match exactly (codes with a leading zero, "1 von 5", "SB1") stays text. Qualifiers move into a column of
their own ("ca.", "Stichtag unsicher"), a value's date in parentheses into a date column — the value column holds
only numbers, "·" (geheim gehalten) or "–" (keine Angabe).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import pandas as pd
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment

from integrationsmonitor import formatting

# The one formula-injection guard of all exports: text starting with one of these is never a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "DD.MM.YYYY"
MINUS = "\u2212"

_NUM = r"[+\-\u2212±]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_NUMBER = re.compile(rf"^{_NUM}$")
_PERCENT = re.compile(rf"^(?P<n>{_NUM})\s?%$")
_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
_WITH_DATE = re.compile(r"^(?P<v>.+?)\s+\((?P<d>\d{2}\.\d{2}\.\d{4})\)$")


def formula_like(text: str) -> bool:
    """True for text a spreadsheet would run as a formula."""
    return text.startswith(FORMULA_START)


def csv_guard(text: str) -> str:
    """CSV has no cell types: formula-like *text* gets a leading apostrophe (typed numbers never do)."""
    return "'" + text if formula_like(text) else text


@dataclass(frozen=True)
class Typed:
    """A typed value with its Excel number format and the qualifier that was stripped ('ca.', '*', '')."""

    value: object
    number_format: str | None = None
    mark: str = ""


def _decimals(text: str) -> int:
    return len(text.split(",", 1)[1]) if "," in text else 0


def _number(text: str) -> tuple[float | int, int]:
    sign = -1 if text[0] in ("-", MINUS) else 1
    body = text.lstrip("+-\u2212±").replace(".", "").replace(",", ".")
    value = float(body) if "," in text else int(body)
    return sign * value, _decimals(text)


def _fmt(decimals: int, signed: bool = False, percent: bool = False, grouped: bool = True) -> str:
    base = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")
    if percent:
        base += "%"
    return f"+{base};-{base};{base}" if signed else base


def parse(text: str) -> Typed | None:
    """German display text → typed value, or None if it is not exactly a number, percentage or date."""
    s = text.strip().replace("\u00a0", " ")
    mark = ""
    if s.startswith("ca. "):
        s, mark = s[4:].strip(), "ca."
    if s.endswith("*"):
        s, mark = s[:-1].strip(), mark or "*"
    if m := _DATE.match(s):
        day, month, year = (int(g) for g in m.groups())
        try:
            return Typed(dt.date(year, month, day), DATE_FORMAT, mark)
        except ValueError:
            return None
    if m := _PERCENT.match(s):
        value, decimals = _number(m["n"])
        return Typed(round(value / 100, decimals + 2), _fmt(decimals, m["n"][0] in "+-\u2212", percent=True), mark)
    if _NUMBER.match(s):
        digits = s.lstrip("+-\u2212±")
        if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
            return None  # an official code such as 05914000, not a number
        value, decimals = _number(s)
        grouped = "." in digits or abs(value) < 1000  # "2014" without a group separator is a year or a code
        return Typed(value, _fmt(decimals, s[0] in "+-\u2212", grouped=grouped), mark)
    return None


def scalar(value: object) -> Typed:
    """Any table value → typed value ('·' and '–' stay text; None/NaN become '–')."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return Typed(formatting.MISSING)
    if isinstance(value, bool):
        return Typed("ja" if value else "nein")
    if hasattr(value, "item") and not isinstance(value, (str, bytes, pd.Timestamp)):
        value = value.item()  # numpy scalar
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return Typed(value.date(), DATE_FORMAT)
    if isinstance(value, dt.date):
        return Typed(value, DATE_FORMAT)
    if isinstance(value, int):
        return Typed(value, "#,##0" if abs(value) >= 10000 or not 1000 <= value <= 2100 else "0")
    if isinstance(value, float):
        return Typed(value, "#,##0" if float(value).is_integer() else "#,##0.0##")
    text = str(value)
    return parse(text) or Typed(text)


def typed_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list[str | None]]]:
    """A table with typed columns: values → numbers/dates, "value (date)" → value + date column, qualifiers →
    a "Hinweis" column next to their value. Returns the frame (object columns) and the number format of every
    cell (a district profile mixes percentages and counts in one column)."""
    columns: dict[str, list] = {}
    formats: dict[str, list[str | None]] = {}
    for col in frame.columns:
        name = str(col)
        texts = frame[col].tolist()
        dates = [_WITH_DATE.match(v) if isinstance(v, str) else None for v in texts]
        if any(dates):
            texts = [m["v"] if m else v for m, v in zip(dates, texts, strict=True)]
        cells = [scalar(v) for v in texts]
        if not _all_typed(texts, cells):  # a text column with one number-like entry ("-5") stays text
            cells = [Typed(v) if isinstance(v, str) else c for v, c in zip(texts, cells, strict=True)]
        columns[name] = [c.value for c in cells]
        formats[name] = [c.number_format for c in cells]
        if any(dates):
            date_col = f"{name} – Stichtag"
            columns[date_col] = [scalar(m["d"]).value if m else formatting.MISSING for m in dates]
            formats[date_col] = [DATE_FORMAT if m else None for m in dates]
        marks = [c.mark for c in cells]
        if any(marks):
            columns[f"{name} – Hinweis"] = [{"ca.": "ca.", "*": "Stichtag unsicher"}.get(m, "") for m in marks]
            formats[f"{name} – Hinweis"] = [None] * len(marks)
    return pd.DataFrame(columns), formats


def _all_typed(texts: list, cells: list[Typed]) -> bool:
    """True unless the column is a text column: more of its text cells are words than numbers or dates ('·',
    '–' and empty cells do not count). A names column with one "-5" stays text; a "Stand" column with one
    "31.12.2024 (je Quelle …)" among dates is typed."""
    signs = {formatting.SUPPRESSED, formatting.MISSING, ""}
    texty = [not isinstance(c.value, str) for t, c in zip(texts, cells, strict=True)
             if isinstance(t, str) and t.strip() not in signs]
    return sum(texty) >= len(texty) - sum(texty)


def cell_number_format(value: object, column_format: str | None) -> str | None:
    """The format of one cell: dates as dates, numbers in their column's format (int/float fallback)."""
    if isinstance(value, dt.date):
        return DATE_FORMAT
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if column_format and column_format != DATE_FORMAT:
        return column_format  # the format parsed from the display text
    return scalar(value).number_format


def write_cell(ws, row: int, col: int, value: object, number_format: str | None = None):
    """The one XLSX cell writer: numbers and dates typed, text always text (never a formula), '·'/'–' right."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = TYPE_STRING  # plain string, never a formula, even for '=…'
        if value in (formatting.SUPPRESSED, formatting.MISSING):
            cell.alignment = Alignment(horizontal="right")
        return cell
    typed = scalar(value)
    cell.value = typed.value
    if isinstance(typed.value, str):
        cell.data_type = TYPE_STRING
        if typed.value in (formatting.SUPPRESSED, formatting.MISSING):
            cell.alignment = Alignment(horizontal="right")
    else:
        cell.number_format = cell_number_format(typed.value, number_format) or "General"
    return cell


def column_width(header: str, values: list) -> float:
    """A readable width: the header or the longest displayed value, between 8 and 60 characters."""
    longest = max([len(str(header))] + [len(formatting.date(v)) if isinstance(v, dt.date) else
                                        len(f"{v:,.1f}") if isinstance(v, float) else len(str(v))
                                        for v in values[:500]] or [0])
    return float(min(60, max(8, longest + 2)))


def write_sheet(ws, frame: pd.DataFrame, table_name: str, head: list[str] = (), notes: list[str] = (),
                title_font=None) -> int:
    """One table per sheet: optional lines above (title, "Quelle · Stand"), a typed Excel table with a frozen
    header, notes below; readable widths, A4 landscape fitted to the page width. Returns the header row."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    if not len(frame.columns):
        frame = pd.DataFrame({"Hinweis": ["Zu dieser Abbildung gibt es keine Tabelle."]})
    typed, formats = typed_frame(frame)
    if typed.empty:  # an Excel table needs a data row
        typed = pd.DataFrame([[formatting.MISSING] * len(typed.columns)], columns=typed.columns)
        formats = {}
    header_row = len(head) + 2 if head else 1
    for i, line in enumerate(head, start=1):
        write_cell(ws, i, 1, line).font = title_font if (i == 1 and title_font) else Font(bold=i == 1)
    headers = _unique_headers([str(c) for c in typed.columns])
    for j, name in enumerate(headers, start=1):
        write_cell(ws, header_row, j, name)
        values = typed.iloc[:, j - 1].tolist()
        ws.column_dimensions[get_column_letter(j)].width = column_width(name, values)
        fmts = formats.get(str(typed.columns[j - 1])) or [None] * len(values)
        for i, (value, fmt) in enumerate(zip(values, fmts, strict=True), start=header_row + 1):
            write_cell(ws, i, j, value, fmt)
    last_row = header_row + len(typed)
    ref = f"A{header_row}:{get_column_letter(len(headers))}{last_row}"
    table = Table(displayName=table_name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    for k, note in enumerate(notes, start=last_row + 2):
        write_cell(ws, k, 1, note).font = Font(italic=True)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    return header_row


def _unique_headers(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = name.strip() or "Spalte"
        candidate, i = name, 2
        while candidate.lower() in (n.lower() for n in out):
            candidate, i = f"{name} ({i})", i + 1
        out.append(candidate)
    return out


def sheet_title(title: str) -> str:
    """Excel sheet names: ≤ 31 characters, none of []:*?/\\."""
    return re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\]", " ", title)).strip()[:31].rstrip() or "Tabelle"
