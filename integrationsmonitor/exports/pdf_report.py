"""PDF report of the committee package (fpdf2, DejaVu Sans for Unicode).

Title page (Berichtsstand, date), table of contents, Handlungsfeld overview, every Leitziel with status and
charts, EU-2 section, chosen district profiles, sources, sign legend, page numbers.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from integrationsmonitor import formatting
from integrationsmonitor.exports.content import (
    SECTION_DISTRICTS,
    SECTION_EU2,
    SECTION_LEITZIELE,
    SECTION_OVERVIEW,
    Figure,
    PackageContent,
    sign_legend,
)
from integrationsmonitor.exports.images import PRINT_ICON, printable_text

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MAX_TABLE_ROWS = 14
HEAD = FontFace(emphasis="BOLD", fill_color=(221, 228, 238))
NL = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class Report(FPDF):
    def __init__(self, berichtsstand: str, example_data: bool):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.berichtsstand = berichtsstand
        self.example_data = example_data
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_font("DejaVu", size=10)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title("Integrationsmonitor Hagen – Sitzungspaket")
        self.set_lang("de-DE")

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90)
        left = f"Integrationsmonitor Hagen · Berichtsstand {self.berichtsstand}"
        if self.example_data:
            left += " · enthält BEISPIELDATEN"
        self.cell(0, 5, left, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Seite {self.page_no()} von {{nb}}", align="R")
        self.set_text_color(0)


def _render_toc(pdf: Report, outline) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, "Inhalt", **NL)
    pdf.ln(2)
    for section in outline:
        if section.level > 1:
            continue
        pdf.set_font("DejaVu", "B" if section.level == 0 else "", 10 if section.level == 0 else 9)
        indent = 6 * section.level
        pdf.set_x(pdf.l_margin + indent)
        link = pdf.add_link(page=section.page_number)
        name = section.name if len(section.name) < 95 else section.name[:92] + "…"
        pdf.cell(170 - indent, 5.2, name, link=link)
        pdf.cell(0, 5.2, str(section.page_number), align="R", link=link, **NL)


def _heading(pdf: Report, text: str, level: int = 0) -> None:
    if level == 0 and pdf.get_y() > pdf.t_margin + 1:  # not on a fresh page (e.g. the one after the TOC)
        pdf.add_page()
    elif pdf.get_y() > 230:
        pdf.add_page()
    pdf.start_section(text, level=level)
    pdf.set_font("DejaVu", "B", 16 if level == 0 else 11.5)
    pdf.multi_cell(0, 8 if level == 0 else 6, text, align="L", **NL)
    pdf.ln(1.5)
    pdf.set_font("DejaVu", size=10)


def _para(pdf: Report, text: str, size: float = 10, style: str = "", color: int = 0) -> None:
    text = printable_text(text)
    pdf.set_font("DejaVu", style, size)
    pdf.set_text_color(color)
    pdf.multi_cell(0, size * 0.5, text, align="L", **NL)
    pdf.set_text_color(0)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return formatting.MISSING
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        number = value.item() if hasattr(value, "item") else value
        if isinstance(number, (int, float)):
            return formatting.number(number, 0 if float(number).is_integer() else 1)
    if hasattr(value, "strftime"):
        return formatting.date(value)
    return str(value)


def _table(pdf: Report, frame: pd.DataFrame, font_size: float = 8) -> None:
    pdf.set_font("DejaVu", size=font_size)
    with pdf.table(text_align="LEFT", line_height=font_size * 0.55, first_row_as_headings=True,
                   headings_style=HEAD) as table:
        head = table.row()
        for col in frame.columns:
            head.cell(printable_text(str(col)))
        for row in frame.itertuples(index=False):
            r = table.row()
            for value in row:
                r.cell(printable_text(_cell_text(value)))
    pdf.ln(2)


def _figure(pdf: Report, fig: Figure, level: int = 1) -> None:
    res = fig.result
    if pdf.get_y() > 170:
        pdf.add_page()
    pdf.start_section(f"Abb. {fig.number}: {res.title}", level=level)
    _para(pdf, f"Abb. {fig.number}: {res.title}", 10.5, "B")
    if res.example_data:
        _para(pdf, "BEISPIELDATEN – keine amtlichen Zahlen", 9, "B", 150)
    if fig.image is not None:
        pdf.image(io.BytesIO(fig.image), w=pdf.epw)
    _para(pdf, res.source_line, 8, "", 80)
    if res.sentence:
        _para(pdf, res.sentence, 9.5, "I")
    for note in res.footnotes:
        _para(pdf, note, 8, "", 80)
    if fig.image is None and 0 < len(res.table) <= MAX_TABLE_ROWS and len(res.table.columns) <= 7:
        pdf.ln(1)
        _table(pdf, res.table)
    pdf.ln(3)


def _status_text(category: str | None, label: str | None) -> str:
    return f"{PRINT_ICON.get(category or 'keine_daten', '○')} {label or 'keine Daten'}"


def build_pdf(content: PackageContent) -> bytes:
    pdf = Report(content.berichtsstand, content.example_data)
    pdf.alias_nb_pages()
    # title page
    pdf.add_page()
    pdf.set_y(70)
    _para(pdf, "Integrationsmonitor Hagen", 28, "B")
    pdf.ln(3)
    _para(pdf, "Sitzungspaket – Bericht zum Integrationskonzept", 15)
    pdf.ln(12)
    _para(pdf, f"Berichtsstand: {content.berichtsstand}", 13, "B")
    _para(pdf, f"Erstellt am {formatting.date(content.created)} · Build {content.build_id[:12]}", 10, "", 80)
    if content.bezirke:
        _para(pdf, f"Stadtbezirksprofile: {', '.join(content.bezirke)}", 10, "", 80)
    if content.example_data:
        pdf.ln(8)
        _para(pdf, "Enthält BEISPIELDATEN: mit einem Generator erzeugte Zahlen, keine amtlichen Zahlen. Sie sind an "
                   "jeder Abbildung gekennzeichnet.", 11, "B", 150)
    pdf.add_page()
    pdf.insert_toc_placeholder(_render_toc, pages=1, allow_extra_pages=True)

    by_section: dict[str, list[Figure]] = {}
    for fig in content.figures:
        by_section.setdefault(fig.section, []).append(fig)

    _heading(pdf, "Überblick: Handlungsfelder")
    _para(pdf, "Status der 27 Leitziele je Handlungsfeld als Anzahl je Zustand (kein Durchschnitt, der ein „nicht auf "
               "Kurs“ verdeckt). Symbol und Wort, nie Farbe allein.")
    pdf.ln(2)
    _table(pdf, content.overview, 9)
    for fig in by_section.get(SECTION_OVERVIEW, []):
        _figure(pdf, fig)

    _heading(pdf, "Leitziele")
    figs_by_number = {f.number: f for f in content.figures}
    shown: set[int] = set()
    for hf, part in content.leitziele.groupby("handlungsfeld", sort=False):
        _heading(pdf, f"Handlungsfeld: {hf}", 1)
        for row in part.itertuples(index=False):
            if pdf.get_y() > 240:
                pdf.add_page()
            pdf.start_section(f"{row.leitziel_id}: {row.text[:70]}", level=2)
            _para(pdf, f"{row.block} – {row.leitziel_id}", 9, "B", 60)
            _para(pdf, row.text, 10)
            _para(pdf, f"Status: {_status_text(row.category, row.label)}"
                       + (f" – {row.basis}" if isinstance(row.basis, str) and row.basis else ""), 10, "B")
            pdf.ln(1)
            for number in content.group_refs.get(row.leitziel_id, []):
                if number in shown:
                    _para(pdf, f"→ siehe Abb. {number}: {figs_by_number[number].result.title}", 9, "", 80)
                else:
                    _figure(pdf, figs_by_number[number], 3)
                    shown.add(number)
            pdf.ln(2)

    for section in (SECTION_EU2, SECTION_DISTRICTS):
        figs = by_section.get(section, [])
        _heading(pdf, section)
        if not figs:
            _para(pdf, "Für diesen Abschnitt liegen im Paket keine Abbildungen vor"
                       + (" (keine Stadtbezirke gewählt)." if section == SECTION_DISTRICTS else "."), 10, "I")
        for fig in figs:
            _figure(pdf, fig)
    others = [f for s, figs in by_section.items() if s not in {SECTION_OVERVIEW, SECTION_LEITZIELE, SECTION_EU2,
                                                                SECTION_DISTRICTS} for f in figs]
    if others:
        _heading(pdf, "Weitere Abbildungen")
        for fig in others:
            _figure(pdf, fig)

    _heading(pdf, "Quellen")
    src = content.sources
    _table(pdf, pd.DataFrame({"Datei": src["path"], "Titel": src["title"], "Herausgeber": src["publisher"],
                              "Stand": src["stand"], "Lizenz": src["licence"],
                              "Beispieldaten": src["is_example"]}), 7.5)
    _heading(pdf, "Zeichenerklärung und Hinweise", 1)
    for sign, text in sign_legend(content.suppression_threshold):
        _para(pdf, f"{sign}  {text}", 9.5)
    _para(pdf, "Status: " + " · ".join(f"{icon} {name}" for name, icon in
                                       [("auf Kurs", "✔"), ("gefährdet", "⚠"), ("nicht auf Kurs", "✘"),
                                        ("keine Daten", "○")]), 9.5)
    if content.notes:
        pdf.ln(3)
        _para(pdf, "Nicht enthaltene Ansichten:", 9, "B")
        for note in content.notes:
            _para(pdf, f"– {note}", 8, "", 80)
    return bytes(pdf.output())
