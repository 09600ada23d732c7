"""Tables as downloads: CSV the German way (``;``, decimal comma, UTF-8 with BOM) and XLSX via openpyxl.

Both go through :func:`tablecells.typed_frame`: numbers and dates are typed values (a value and its date in two
columns), so a spreadsheet calculates with them; only *text* that would run as a formula is guarded.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook

from integrationsmonitor.exports import tablecells


def _csv_cell(value: object, number_format: str | None) -> str:
    """Numbers with a decimal comma and without group separators, percentages as "7,18 %", dates 31.12.2022."""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, (int, float)):
        if number_format and number_format.endswith("%"):
            return format(round(value * 100, 10), ".12g").replace(".", ",") + " %"
        return format(value, ".12g").replace(".", ",") if isinstance(value, float) else str(value)
    return tablecells.csv_guard(str(value))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """DataFrame → CSV bytes for German spreadsheets: ';' separated, decimal comma, UTF-8 with BOM."""
    typed, formats = tablecells.typed_frame(frame)
    out = pd.DataFrame({col: [_csv_cell(v, f) for v, f in zip(typed[col].tolist(), formats[col], strict=True)]
                        for col in typed.columns}, columns=typed.columns)
    return out.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Tabelle", note: str | None = None) -> bytes:
    """DataFrame → XLSX bytes: one sheet with one typed Excel table, frozen header, print setup, optional note."""
    wb = Workbook()
    ws = wb.active
    ws.title = tablecells.sheet_title(sheet)
    tablecells.write_sheet(ws, frame, "Tabelle1", notes=[note] if note else [])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
