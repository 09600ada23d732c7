"""PDF report of the committee package (fpdf2, DejaVu Sans for Unicode).

Title page (edition, Berichtsstand), contents, a one-page summary, a one-page status list of all Leitziele,
"seit der letzten Sitzung" (if the package compares two editions), every Leitziel with status and charts, EU-2
section, chosen district profiles, methodology, sources and sign legend at the end, page numbers.

Layout rules: a figure is one block (title, chart, source line, reading sentence, footnotes, hidden cells) that
is measured before it is placed, so a caption never starts the next page; a heading is only placed where its
first block still fits below it. Hidden cells are named under their figure with "·".

Accessibility: fpdf2 writes document language (de-DE), title, author, subject, the outline (bookmarks) and
alternative text for every chart (a /Figure structure element with /Alt = the reading sentence). It does not
tag paragraphs, headings or tables, nor mark running footers as artifacts, so the file is *not* PDF/UA; a
library that renders fully tagged PDF/UA is WeasyPrint (``--pdf-variant pdf/ua-1``, from HTML).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from fpdf.image_parsing import get_img_info
from PIL import Image

from integrationsmonitor import formatting, status
from integrationsmonitor.exports.content import (
    SECTION_DISTRICTS,
    SECTION_EU2,
    SECTION_LEITZIELE,
    SECTION_OVERVIEW,
    Figure,
    PackageContent,
    hidden_cells,
    sign_legend,
    sources_table,
    status_table,
    status_text,
)
from integrationsmonitor.exports.images import printable_text
from integrationsmonitor.views import sentences

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MAX_TABLE_ROWS = 14
HEAD = FontFace(emphasis="BOLD", fill_color=(221, 228, 238))
NL = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
MARGIN = 18.0
BOTTOM = 18.0
LINE = 0.5  # line height per pt of font size (mm)


def prepare_image(png: bytes):
    """The PNG as fpdf2 image info (decoded and compressed once; may run in a worker thread). The charts are drawn
    on white paper: the alpha channel goes (a fifth less work); where a pixel is not opaque it is laid on white,
    as the PDF page would show it."""
    image = Image.open(io.BytesIO(png))
    if image.mode == "RGBA":
        if image.getchannel("A").getextrema() != (255, 255):
            image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
        image = image.convert("RGB")
    return get_img_info("abb", image)


class Report(FPDF):
    def __init__(self, content: PackageContent):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.berichtsstand = content.berichtsstand
        self.edition = content.edition
        self.example_data = content.example_data
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_font("DejaVu", size=10)
        self.set_margins(MARGIN, 15, MARGIN)
        self.set_auto_page_break(auto=True, margin=BOTTOM)
        self.set_title(f"Integrationsmonitor Hagen – Sitzungspaket, {content.edition_line}")
        self.set_author("Stadt Hagen")
        self.set_subject("Bericht zum Integrationskonzept der Stadt Hagen")
        self.set_keywords("Integrationsmonitor, Hagen, Integrationskonzept, Leitziele, Sitzungspaket")
        self.set_creator("Integrationsmonitor Hagen")
        self.set_lang("de-DE")
        if content.created_at is not None:
            self.set_creation_date(content.created_at.astimezone())

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90)
        left = f"Integrationsmonitor Hagen · Berichtsstand {self.berichtsstand}"
        if self.edition:
            left += f" · Ausgabe „{self.edition['name']}“"
        if self.example_data:
            left += " · enthält BEISPIELDATEN"
        self.cell(0, 5, left[:110], align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Seite {self.page_no()} von {{nb}}", align="R")
        self.set_text_color(0)


# --------------------------------------------------------------------------------------------- measuring helpers
def _text_height(pdf: Report, text: str, size: float, style: str = "") -> float:
    pdf.set_font("DejaVu", style, size)
    lines = pdf.multi_cell(0, size * LINE, printable_text(text), dry_run=True, output="LINES")
    return len(lines) * size * LINE


IMAGE_WIDTH = 150.0  # mm: two figures fit on a page; chart text (≥ 21 px of 960) prints at ≥ 9 pt


def _image_height(pdf: Report) -> float:
    return min(IMAGE_WIDTH, pdf.epw) * 9 / 16


def _fits(pdf: Report, height: float) -> bool:
    return pdf.get_y() + height <= pdf.page_break_trigger


def _room_for(pdf: Report, height: float) -> None:
    """New page unless ``height`` still fits (blocks taller than a page start on a fresh page)."""
    if not _fits(pdf, height) and pdf.get_y() > pdf.t_margin + 1:
        pdf.add_page()


# ------------------------------------------------------------------------------------------------ primitives
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
        name = section.name if len(section.name) < 85 else section.name[:82] + "…"
        pdf.cell(pdf.epw - 12 - indent, 5.2, name, link=link)
        pdf.cell(0, 5.2, str(section.page_number), align="R", link=link, **NL)


def _heading(pdf: Report, text: str, level: int = 0, keep: float = 40.0) -> None:
    """Level 0 starts a page; lower levels only where ``keep`` mm of what follows still fit below them."""
    size = 16 if level == 0 else 12.5 if level == 1 else 11
    height = _text_height(pdf, text, size, "B") + 2
    if level == 0:
        if pdf.get_y() > pdf.t_margin + 1:
            pdf.add_page()
    else:
        _room_for(pdf, height + keep)
    pdf.start_section(text, level=level)
    _para(pdf, text, size, "B")
    pdf.ln(2 if level == 0 else 1)


def _para(pdf: Report, text: str, size: float = 10, style: str = "", color: int = 0) -> None:
    pdf.set_font("DejaVu", style, size)
    pdf.set_text_color(color)
    pdf.multi_cell(0, size * LINE, printable_text(text), align="L", **NL)
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


def _table(pdf: Report, frame: pd.DataFrame, font_size: float = 8, widths: tuple[float, ...] | None = None) -> None:
    pdf.set_font("DejaVu", size=font_size)
    with pdf.table(text_align="LEFT", line_height=font_size * 0.55, first_row_as_headings=True,
                   headings_style=HEAD, col_widths=widths, repeat_headings=1) as table:
        head = table.row()
        for col in frame.columns:
            head.cell(printable_text(str(col)))
        for row in frame.itertuples(index=False):
            r = table.row()
            for value in row:
                r.cell(printable_text(_cell_text(value)))
    pdf.ln(2)


def _hidden_line(fig: Figure) -> str | None:
    cells = hidden_cells(fig.result.table)
    if not cells:
        return None
    shown = "; ".join(cells[:8]) + (f" und {len(cells) - 8} weitere" if len(cells) > 8 else "")
    return f"{formatting.SUPPRESSED} geheim gehalten (Wert nicht veröffentlicht, nie 0): {shown}"


def _figure_parts(fig: Figure) -> list[tuple[str, float, str, int]]:
    """The text parts of a figure block in order: (text, size, style, grey) — the image sits after the first."""
    res = fig.result
    parts = [(f"Abb. {fig.number}: {res.title}", 10.5, "B", 0)]
    if res.example_data:
        parts.append(("BEISPIELDATEN – keine amtlichen Zahlen", 9, "B", 150))
    parts.append(("<image>", 0, "", 0))
    parts.append((res.source_line, 8, "", 80))
    if res.sentence:
        parts.append((res.sentence, 9.5, "I", 0))
    if (line := _hidden_line(fig)) is not None:
        parts.append((line, 9, "B", 0))
    parts += [(note, 8, "", 80) for note in res.footnotes]
    return parts


def _with_table(fig: Figure) -> bool:
    res = fig.result
    return fig.image is None and 0 < len(res.table) <= MAX_TABLE_ROWS and len(res.table.columns) <= 7


def figure_height(pdf: Report, fig: Figure) -> float:
    """Height of the whole figure block (without a table of a chart-less view)."""
    height = 3.0
    for text, size, style, _ in _figure_parts(fig):
        if text == "<image>":
            height += _image_height(pdf) + 1 if fig.image is not None else 0
        else:
            height += _text_height(pdf, text, size, style)
    return height + (30 if _with_table(fig) else 0)


def _figure(pdf: Report, fig: Figure, level: int = 1) -> None:
    res = fig.result
    _room_for(pdf, figure_height(pdf, fig))
    pdf.start_section(f"Abb. {fig.number}: {res.title}", level=level)
    for text, size, style, grey in _figure_parts(fig):
        if text != "<image>":
            _para(pdf, text, size, style, grey)
        elif fig.image is not None:
            name = _register_image(pdf, fig)
            width = min(IMAGE_WIDTH, pdf.epw)
            pdf.image(name, x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=_image_height(pdf),
                      alt_text=printable_text(res.sentence or res.title))
            pdf.ln(1)
    if _with_table(fig):
        pdf.ln(1)
        _table(pdf, res.table)
    pdf.ln(3)


def _register_image(pdf: Report, fig: Figure):
    """Hand the prepared image stream to fpdf2's image cache (no second decode/compress); fall back to bytes."""
    if fig.pdf_image is None:
        return io.BytesIO(fig.image)
    name = f"abb-{fig.number}.png"
    if name not in pdf.image_cache.images:
        info = type(fig.pdf_image)(fig.pdf_image)
        info.update(i=len(pdf.image_cache.images) + 1, usages=0, iccp_i=None)
        pdf.image_cache.images[name] = info
    return name


# ----------------------------------------------------------------------------------------------------- pages
def _title_page(pdf: Report, content: PackageContent) -> None:
    pdf.add_page()
    pdf.set_y(62)
    _para(pdf, "Integrationsmonitor Hagen", 28, "B")
    pdf.ln(3)
    _para(pdf, "Sitzungspaket – Bericht zum Integrationskonzept", 15)
    pdf.ln(12)
    if content.edition:
        _para(pdf, f"Ausgabe: {content.edition['name']}", 14, "B")
        pdf.ln(1)
    _para(pdf, f"Berichtsstand: {content.berichtsstand}", 13, "B")
    if not content.edition:
        _para(pdf, "aktueller Datenstand (keine eingefrorene Ausgabe)", 10, "", 80)
    pdf.ln(2)
    _para(pdf, f"Erstellt am {formatting.date(content.created)} · Datenstand (Build) {content.build_id[:12]}", 10,
          "", 80)
    if content.comparison_line:
        _para(pdf, f"Vergleich: {content.comparison_line}", 10, "", 80)
    if content.bezirke:
        _para(pdf, f"Stadtbezirksprofile: {', '.join(content.bezirke)}", 10, "", 80)
    pdf.ln(10)
    _para(pdf, "Herausgeberin: Stadt Hagen", 10, "", 80)
    if content.example_data:
        pdf.ln(8)
        _para(pdf, "Enthält BEISPIELDATEN: mit einem Generator erzeugte Zahlen, keine amtlichen Zahlen. Sie sind an "
                   "jeder Abbildung gekennzeichnet.", 11, "B", 150)


def _counts(content: PackageContent) -> dict[str, int]:
    cats = content.leitziele["category"].fillna("keine_daten")
    return {c: int((cats == c).sum()) for c in status.CATEGORY_ORDER}


def _summary(pdf: Report, content: PackageContent) -> None:
    _heading(pdf, "Zusammenfassung")
    _para(pdf, sentences.status_counts(_counts(content)), 11, "B")
    pdf.ln(2)
    _para(pdf, "Status je Handlungsfeld als Anzahl je Zustand (kein Durchschnitt, der ein „nicht auf Kurs“ "
               "verdeckt); Symbol und Wort, nie Farbe allein.", 9.5)
    pdf.ln(1)
    _table(pdf, content.overview, 8.5)
    if content.comparison_line:
        _para(pdf, f"Seit der letzten Sitzung ({content.comparison_line})", 11, "B")
        _para(pdf, ", ".join(f"{what}: {formatting.number(n)}" for what, n in content.comparison_counts.items()), 9.5)
        for line in content.comparison_explanations[:4]:
            _para(pdf, f"– {line}", 9)
        if len(content.comparison_explanations) > 4:
            _para(pdf, f"… und {len(content.comparison_explanations) - 4} weitere Statusänderungen (Abschnitt „Seit "
                       "der letzten Sitzung“).", 9, "I")
        pdf.ln(2)
    charts = sum(1 for f in content.figures if f.image is not None)
    _para(pdf, f"Das Paket enthält {len(content.figures)} Abbildungen ({charts} Diagramme, "
               f"{len(content.figures) - charts} Tabellen), die Statusliste aller Leitziele, "
               + (f"Stadtbezirksprofile ({', '.join(content.bezirke)}), " if content.bezirke else "")
               + "Methodik und Quellen. Die Tabellen zu jeder Abbildung stehen in der Excel-Datei des Pakets.", 9.5)
    if content.example_data:
        pdf.ln(2)
        _para(pdf, "Einige Zahlen sind BEISPIELDATEN (keine amtlichen Zahlen); sie sind an jeder Abbildung "
                   "gekennzeichnet.", 9.5, "B", 150)


def _fit(pdf: Report, text: str, width: float) -> str:
    text = printable_text(text)
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _status_list(pdf: Report, content: PackageContent) -> None:
    """All Leitziele on one page: one line each (text shortened; in full in the Leitziele section)."""
    _heading(pdf, f"Status aller {len(content.leitziele)} Leitziele")
    table = status_table(content.leitziele)
    widths = (25.0, 40.0, 56.0, pdf.epw - 121.0)
    size = 7.5 if len(table) <= 30 else 6.5
    pdf.set_font("DejaVu", size=size)
    line_h = size * 0.62
    with pdf.table(text_align="LEFT", line_height=line_h, first_row_as_headings=True, headings_style=HEAD,
                   col_widths=widths, width=pdf.epw) as t:
        head = t.row()
        for name in ("Leitziel", "Handlungsfeld / Block", "Text (gekürzt)", "Status"):
            head.cell(name)
        for row in table.itertuples(index=False):
            r = t.row()
            pdf.set_font("DejaVu", size=size)
            r.cell(_fit(pdf, row.Leitziel, widths[0] - 2))
            r.cell(_fit(pdf, f"{row.Handlungsfeld} / {row.Block}", widths[1] - 2))
            r.cell(_fit(pdf, row.Text, widths[2] - 2))
            r.cell(_fit(pdf, row.Status, widths[3] - 2))
    pdf.ln(2)
    _para(pdf, "Status nach der veröffentlichten Regel (Abschnitt Methodik): je Leitziel der schlechteste Status "
               "seiner Ergebnisindikatoren, sonst der Umsetzungsindikatoren.", 8, "", 80)


def _comparison(pdf: Report, content: PackageContent) -> None:
    if not content.comparison_line:
        return
    _heading(pdf, "Seit der letzten Sitzung")
    _para(pdf, content.comparison_line, 10, "B")
    _para(pdf, ", ".join(f"{what}: {formatting.number(n)}" for what, n in content.comparison_counts.items()), 9.5)
    pdf.ln(2)
    if content.comparison_explanations:
        _heading(pdf, "Warum sich der Status von Leitzielen geändert hat", 1, keep=20)
        for line in content.comparison_explanations:
            _para(pdf, f"– {line}", 9.5)
        pdf.ln(2)
    for title, frame in content.comparison_tables.items():
        if not len(frame):
            continue
        _heading(pdf, title, 1, keep=25)
        shown = frame.head(25)
        _table(pdf, shown, 7)
        if len(frame) > len(shown):
            _para(pdf, f"… {formatting.number(len(frame) - len(shown))} weitere Zeilen im Excel-Blatt „{title}“.",
                  8, "I", 80)


def _leitziel_head(row) -> list[tuple[str, float, str, int]]:
    basis = f" – {row.basis}" if isinstance(row.basis, str) and row.basis else ""
    return [(f"{row.block} – {row.leitziel_id}", 9, "B", 60), (row.text, 10, "", 0),
            (f"Status: {status_text(row.category, row.label)}{basis}", 10, "B", 0)]


def _leitziele(pdf: Report, content: PackageContent) -> None:
    _heading(pdf, "Leitziele")
    figs_by_number = {f.number: f for f in content.figures}
    shown: set[int] = set()

    def block_height(row) -> float:
        """A Leitziel's head plus its first new figure: what must stay together (and with a heading above)."""
        first = next((figs_by_number[n] for n in content.group_refs.get(row.leitziel_id, []) if n not in shown),
                     None)
        head = sum(_text_height(pdf, t, size, style) for t, size, style, _ in _leitziel_head(row)) + 4
        return head + (figure_height(pdf, first) if first is not None else 10)

    for hf, part in content.leitziele.groupby("handlungsfeld", sort=False):
        _heading(pdf, f"Handlungsfeld: {hf}", 1, keep=block_height(next(part.itertuples(index=False))))
        for row in part.itertuples(index=False):
            _room_for(pdf, block_height(row))
            pdf.start_section(f"{row.leitziel_id}: {row.text[:70]}", level=2)
            for text, size, style, grey in _leitziel_head(row):
                _para(pdf, text, size, style, grey)
            pdf.ln(1)
            for number in content.group_refs.get(row.leitziel_id, []):
                if number in shown:
                    _para(pdf, f"→ siehe Abb. {number}: {figs_by_number[number].result.title}", 9, "", 80)
                else:
                    _figure(pdf, figs_by_number[number], 3)
                    shown.add(number)
            pdf.ln(2)


def _methodology(pdf: Report, content: PackageContent) -> None:
    _heading(pdf, "Methodik und Quellen")
    _heading(pdf, "Statusregel", 1, keep=30)
    _para(pdf, "Der Status wird bei jedem Datenstand neu berechnet und immer mit Symbol und Wort gezeigt: "
          + " · ".join(status_text(c, status.CATEGORY_LABEL[c]) for c in status.CATEGORY_ORDER) + ".", 9.5)
    pdf.ln(1)
    for text in status.RULE_TEXT.values():
        _para(pdf, f"– {text}", 9)
    pdf.ln(2)
    _heading(pdf, "Geheimhaltung", 1, keep=20)
    _para(pdf, f"Kleine Fallzahlen werden nicht veröffentlicht und mit „{formatting.SUPPRESSED}“ gezeigt, nie als 0; "
               "weitere Werte werden gesperrt, bis kein gesperrter Wert aus Summen oder Grenzen rückrechenbar ist. "
               "Unter jeder Abbildung sind ihre gesperrten Zellen genannt.", 9.5)
    pdf.ln(2)
    _heading(pdf, "Zeichenerklärung", 1, keep=25)
    for sign, text in sign_legend(content.suppression_threshold):
        _para(pdf, f"{sign}  {text}", 9.5)
    _heading(pdf, "Quellen", 1, keep=40)
    _table(pdf, sources_table(content.sources), 7.5)
    if content.notes:
        pdf.ln(3)
        _para(pdf, "Hinweise:", 9, "B")
        for note in content.notes:
            _para(pdf, f"– {note}", 8, "", 80)


def build_pdf(content: PackageContent) -> bytes:
    pdf = Report(content)
    pdf.alias_nb_pages()
    _title_page(pdf, content)
    pdf.add_page()
    pdf.insert_toc_placeholder(_render_toc, pages=1, allow_extra_pages=True)
    by_section: dict[str, list[Figure]] = {}
    for fig in content.figures:
        by_section.setdefault(fig.section, []).append(fig)
    _summary(pdf, content)
    _status_list(pdf, content)
    _comparison(pdf, content)
    if by_section.get(SECTION_OVERVIEW):
        _heading(pdf, "Überblick: Handlungsfelder")
        for fig in by_section[SECTION_OVERVIEW]:
            _figure(pdf, fig)
    _leitziele(pdf, content)
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
    _methodology(pdf, content)
    return bytes(pdf.output())
