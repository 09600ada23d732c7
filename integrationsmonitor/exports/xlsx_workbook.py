"""XLSX workbook of the committee package: every table behind the figures, one sheet per table.

Layout of a table sheet: row 1 title, row 2 "Quelle · Stand", row ``HEADER_ROW`` German headers (incl. unit, as
the view names them), data below, then footnote rows. Suppressed cells are the text "·" (never 0, never blank),
missing values "–"; text that looks like a formula (= + - @) is stored as plain text.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from integrationsmonitor import formatting
from integrationsmonitor.exports.content import PackageContent, sign_legend
from integrationsmonitor.exports.images import PRINT_ICON

HEADER_ROW = 4
FORMULA_START = ("=", "+", "-", "@")
SUPPRESSED_NOTE = f"{formatting.SUPPRESSED} = Wert geheim gehalten (statistische Geheimhaltung), nicht 0."
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")


def sheet_name(title: str, number: int, used: set[str]) -> str:
    """Excel sheet names: ≤ 31 characters, no []:*?/\\ , unique."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", title).strip() or "Tabelle"
    name = f"{number:02d} {clean}"[:31].rstrip()
    base, i = name, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def set_cell(ws, row: int, col: int, value: object):
    """Write one value: numbers stay numbers, dates dates, text stays text (even '=…')."""
    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        cell.value = formatting.MISSING
        cell.alignment = Alignment(horizontal="right")
    elif isinstance(value, bool):
        cell.value = "ja" if value else "nein"
    elif isinstance(value, (int, float)) or hasattr(value, "item"):
        number = value.item() if hasattr(value, "item") else value
        cell.value = number
        cell.number_format = "#,##0" if float(number).is_integer() else "#,##0.0##"
    elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        cell.value = value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value
        cell.number_format = "DD.MM.YYYY"
    else:
        text = str(value)
        cell.value = text
        if text.startswith(FORMULA_START):
            cell.data_type = "s"  # plain string, never a formula
        if text == formatting.SUPPRESSED:
            cell.alignment = Alignment(horizontal="right")
    return cell


def write_table(ws, title: str, source_line: str, table: pd.DataFrame, notes: list[str]) -> None:
    set_cell(ws, 1, 1, title).font = Font(bold=True, size=13)
    set_cell(ws, 2, 1, source_line)
    for j, col in enumerate(table.columns, start=1):
        cell = set_cell(ws, HEADER_ROW, j, str(col))
        cell.font, cell.fill = BOLD, HEAD_FILL
        ws.column_dimensions[get_column_letter(j)].width = max(12, min(45, len(str(col)) + 4))
    suppressed = False
    for i, row in enumerate(table.itertuples(index=False), start=HEADER_ROW + 1):
        for j, value in enumerate(row, start=1):
            suppressed |= isinstance(value, str) and value == formatting.SUPPRESSED
            set_cell(ws, i, j, value)
    r = HEADER_ROW + len(table) + 2
    for note in ([SUPPRESSED_NOTE] if suppressed else []) + notes:
        set_cell(ws, r, 1, note).font = Font(italic=True)
        r += 1
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def build_workbook(content: PackageContent) -> bytes:
    """Contents sheet, Leitziel status sheet, then one sheet per figure table."""
    wb = Workbook()
    toc = wb.active
    toc.title = "Inhalt"
    used = {"inhalt", "leitziele"}
    stand = f"Berichtsstand: {content.berichtsstand} · erstellt am {formatting.date(content.created)}"
    lz = content.leitziele
    status_table = pd.DataFrame({
        "Handlungsfeld": lz["handlungsfeld"], "Block": lz["block"], "Leitziel": lz["leitziel_id"],
        "Text": lz["text"],
        "Status": [f"{PRINT_ICON.get(c or 'keine_daten')} {label or 'keine Daten'}"
                   for c, label in zip(lz["category"], lz["label"], strict=True)],
        "Grundlage": lz["basis"],
    })
    write_table(wb.create_sheet("Leitziele"), "Status der Leitziele", stand, status_table,
                ["Status: Symbol und Wort; Regel siehe Daten & Methodik."])
    rows = []
    for fig in content.figures:
        res = fig.result
        name = sheet_name(res.title, fig.number, used)
        notes = list(res.footnotes) + (["BEISPIELDATEN – keine amtlichen Zahlen."] if res.example_data else [])
        write_table(wb.create_sheet(name), f"Abb. {fig.number}: {res.title}", res.source_line, res.table, notes)
        rows.append({"Abb.": fig.number, "Abschnitt": fig.section, "Titel": res.title, "Tabellenblatt": name,
                     "Quelle": res.source, "Stand": res.stand, "Beispieldaten": res.example_data})
    contents = pd.DataFrame(rows, columns=["Abb.", "Abschnitt", "Titel", "Tabellenblatt", "Quelle", "Stand",
                                           "Beispieldaten"])
    write_table(toc, "Integrationsmonitor Hagen – Tabellen zum Sitzungspaket", stand, contents,
                [f"{sign} = {text}" for sign, text in sign_legend(content.suppression_threshold)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
