"""Tables as downloads: CSV the German way (``;``, decimal comma, UTF-8 with BOM) and XLSX via openpyxl.

Text cells that a spreadsheet would read as a formula (starting with = + - @) are written as text.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@")


def _csv_cell(value: object) -> object:
    """Numbers with a decimal comma, dates as 31.12.2022, text with a leading formula sign quoted by a "'"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        return format(value, ".12g").replace(".", ",")
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.strftime("%d.%m.%Y") if value == value.normalize() else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """DataFrame → CSV bytes for German spreadsheets: ';' separated, decimal comma, UTF-8 with BOM."""
    out = frame.copy()
    for col in out.columns:
        out[col] = [_csv_cell(v) for v in out[col].tolist()]
    return out.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def _xlsx_value(value: object) -> object:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        return value.item()
    return value


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Tabelle", note: str | None = None) -> bytes:
    """DataFrame → XLSX bytes (one sheet, header row bold, optional note line below the table)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31] or "Tabelle"
    ws.append([str(c) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        ws.append([_xlsx_value(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = TYPE_STRING  # never a formula
            elif isinstance(cell.value, dt.datetime | dt.date):
                cell.number_format = "DD.MM.YYYY"
    if note:
        ws.append([])
        ws.append([note])
        ws.cell(row=ws.max_row, column=1).data_type = TYPE_STRING
    for i, col in enumerate(frame.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200).tolist()])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
