"""XLSX workbook of the committee package: every table behind the figures, one sheet and one Excel table each.

Layout of a table sheet: row 1 title, row 2 "Quelle · Stand", row ``HEADER_ROW`` the header of the Excel table
(frozen), typed values below (numbers and dates as numbers and dates with German-reading formats; "·" = geheim
gehalten, "–" = keine Angabe as text), then footnote rows. Sheets print A4 landscape, fitted to the page width.
The last sheets are the sources and the sign legend; a package with an edition comparison has its tables too.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from integrationsmonitor import formatting
from integrationsmonitor.exports import tablecells
from integrationsmonitor.exports.content import PackageContent, sign_legend, sources_table, status_table

HEADER_ROW = 4
SUPPRESSED_NOTE = f"{formatting.SUPPRESSED} = Wert geheim gehalten (statistische Geheimhaltung), nicht 0."
TITLE_FONT = Font(bold=True, size=13)


def sheet_name(title: str, number: int, used: set[str]) -> str:
    """Excel sheet names: ≤ 31 characters, no []:*?/\\ , unique."""
    name = tablecells.sheet_title(f"{number:02d} {tablecells.sheet_title(title)}")
    base, i = name, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


class _Book:
    def __init__(self) -> None:
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.used: set[str] = set()
        self.count = 0

    def sheet(self, name: str, title: str, stand: str, table: pd.DataFrame, notes: list[str]) -> str:
        ws = self.wb.create_sheet(name)
        self.count += 1
        suppressed = any((table[c].astype(str) == formatting.SUPPRESSED).any() for c in table.columns)
        notes = ([SUPPRESSED_NOTE] if suppressed else []) + list(notes)
        tablecells.write_sheet(ws, table, f"Tabelle{self.count}", [title, stand], notes, TITLE_FONT)
        return name


def build_workbook(content: PackageContent) -> bytes:
    """Contents, Leitziel status, one sheet per figure table, comparison (if any), sources, sign legend."""
    book = _Book()
    book.used |= {"inhalt", "leitziele", "quellen", "zeichenerklärung"}
    stand = f"{content.edition_line} · erstellt am {formatting.date(content.created)}"
    contents_rows = []
    book.sheet("Leitziele", "Status der Leitziele", stand, status_table(content.leitziele),
               ["Status: Symbol und Wort; Regel siehe Daten & Methodik."])
    contents_rows.append({"Tabellenblatt": "Leitziele", "Abb.": formatting.MISSING, "Abschnitt": "Leitziele",
                          "Titel": "Status der Leitziele", "Quelle": "Integrationsmonitor (Statusregel)",
                          "Stand": content.berichtsstand, "Beispieldaten": content.example_data})
    for fig in content.figures:
        res = fig.result
        name = sheet_name(res.title, fig.number, book.used)
        notes = list(res.footnotes) + (["BEISPIELDATEN – keine amtlichen Zahlen."] if res.example_data else [])
        book.sheet(name, f"Abb. {fig.number}: {res.title}", res.source_line, res.table, notes)
        contents_rows.append({"Tabellenblatt": name, "Abb.": fig.number, "Abschnitt": fig.section, "Titel": res.title,
                              "Quelle": res.source, "Stand": res.stand, "Beispieldaten": res.example_data})
    for title, frame in content.comparison_tables.items():
        name = sheet_name(title, 0, book.used).removeprefix("00 ")
        book.sheet(name, f"Seit der letzten Sitzung: {title}", content.comparison_line, frame, [])
        contents_rows.append({"Tabellenblatt": name, "Abb.": formatting.MISSING, "Abschnitt": "Seit der letzten Sitzung",
                              "Titel": title, "Quelle": "Vergleich zweier Berichtsstände",
                              "Stand": content.comparison_line, "Beispieldaten": False})
    book.sheet("Quellen", "Quellen", stand, sources_table(content.sources), [])
    book.sheet("Zeichenerklärung", "Zeichenerklärung und Hinweise", stand,
               pd.DataFrame(sign_legend(content.suppression_threshold), columns=["Zeichen", "Bedeutung"]),
               ["Status: ✔ auf Kurs · ⚠ gefährdet · ✘ nicht auf Kurs · ○ keine Daten (Symbol und Wort)."])
    for extra in ("Quellen", "Zeichenerklärung"):
        contents_rows.append({"Tabellenblatt": extra, "Abb.": formatting.MISSING, "Abschnitt": "Anhang",
                              "Titel": extra, "Quelle": formatting.MISSING, "Stand": content.berichtsstand,
                              "Beispieldaten": False})
    ws = book.wb.create_sheet("Inhalt", 0)
    tablecells.write_sheet(ws, pd.DataFrame(contents_rows), "Inhalt",
                           ["Integrationsmonitor Hagen – Tabellen zum Sitzungspaket", stand], [], TITLE_FONT)
    book.wb.active = 0
    props = book.wb.properties
    props.creator = props.lastModifiedBy = "Stadt Hagen"
    props.title = f"Integrationsmonitor Hagen – Tabellen zum Sitzungspaket ({content.edition_line})"
    props.language = "de-DE"
    props.created = props.modified = content.created_at
    buf = io.BytesIO()
    book.wb.save(buf)
    return buf.getvalue()


def build_comparison_workbook(line: str, counts: dict[str, int], tables: dict[str, pd.DataFrame]) -> bytes:
    """"Seit der letzten Sitzung" on its own: a summary sheet, then one sheet (one Excel table) per change table."""
    book = _Book()
    summary = pd.DataFrame({"Änderung": list(counts), "Anzahl": list(counts.values())})
    book.sheet("Übersicht", "Seit der letzten Sitzung", line, summary, [])
    for title, frame in tables.items():
        book.sheet(tablecells.sheet_title(title), title, line, frame, [])
    props = book.wb.properties
    props.creator = props.lastModifiedBy = "Stadt Hagen"
    props.title = f"Integrationsmonitor Hagen – seit der letzten Sitzung ({line})"
    props.language = "de-DE"
    buf = io.BytesIO()
    book.wb.save(buf)
    return buf.getvalue()
