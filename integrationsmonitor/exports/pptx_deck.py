"""PowerPoint deck of the committee package: 16:9, title slide, summary, one slide per planned figure, legend.

Every slide has a real title placeholder (PowerPoint's outline, screen readers and the slide sorter see it).
Placement is computed from the slide size: the title's lines are estimated, the source footer sits at the
bottom, the chart fills what is left at 16:9 — and never narrower than ``images.MIN_PICTURE_WIDTH_IN``, so chart
text (exported at ≥ ``images.EXPORT_MIN_FONT_PX`` px) is ≥ 14 pt. Body text is ≥ 18 pt. Every picture carries
its reading sentence as alternative text; a planned figure without a chart gets a slide that says why.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from integrationsmonitor import formatting, status
from integrationsmonitor.exports import images
from integrationsmonitor.exports.content import Figure, PackageContent, hidden_cells, sign_legend, status_text
from integrationsmonitor.exports.images import printable_text
from integrationsmonitor.views import sentences

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9 (13,333 × 7,5 Zoll)
DARK = RGBColor(0x1F, 0x2A, 0x44)
GREY = RGBColor(0x44, 0x44, 0x44)
RED = RGBColor(0xB0, 0x00, 0x20)
LAYOUT_TITLE, LAYOUT_CONTENT, LAYOUT_TITLE_ONLY = 0, 1, 5  # python-pptx default template
MARGIN = 0.35      # inches
TOP = 0.25
GAP = 0.08
BODY_PT = 20
FOOTER_PT = 18
MIN_BODY_PT = 18
TITLE_SIZES = (30, 26, 22)
CHAR_EM = 0.62     # average character width in em: wide enough for DejaVu Sans, LibreOffice's fallback font
LINE_EM = 1.2


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    def emu(self) -> tuple[int, int, int, int]:
        return tuple(int(Inches(v)) for v in (self.left, self.top, self.width, self.height))


def text_lines(text: str, width_in: float, size_pt: float) -> int:
    """Estimated wrapped lines of ``text`` in a box ``width_in`` wide (words are not split)."""
    per_line = max(8, int(width_in * 72 / (size_pt * CHAR_EM)))
    lines, current = 1, 0
    for word in text.split():
        if current and current + 1 + len(word) > per_line:
            lines, current = lines + 1, len(word)
        else:
            current += (1 if current else 0) + len(word)
    return lines


def text_height(text: str, width_in: float, size_pt: float) -> float:
    return text_lines(text, width_in, size_pt) * size_pt * LINE_EM / 72 + 0.12


@dataclass(frozen=True)
class FigureLayout:
    title: Box
    title_pt: int
    picture: Box
    footer: Box
    title_text: str   # as shown (shortened with "…" only if nothing else makes room; in full in the notes)
    footer_text: str


def clip(text: str, width_in: float, size_pt: float, max_lines: int | None) -> str:
    """``text`` shortened at a word boundary (with "…") to at most ``max_lines`` lines."""
    if max_lines is None or text_lines(text, width_in, size_pt) <= max_lines:
        return text
    words = text.split()
    while len(words) > 1 and text_lines(" ".join(words) + " …", width_in, size_pt) > max_lines:
        words.pop()
    return " ".join(words) + " …"


def figure_layout(title: str, footer: str, width_in: float = WIDTH.inches, height_in: float = HEIGHT.inches
                  ) -> FigureLayout:
    """Title on top, footer at the bottom, the 16:9 chart centred in between (as wide as possible). If the chart
    would get narrower than ``images.MIN_PICTURE_WIDTH_IN``, the title gets smaller (down to 22 pt), then the
    footer and the title are shortened to two lines each."""
    inner = width_in - 2 * MARGIN
    best = None
    for footer_max, title_max in ((None, None), (2, None), (2, 2), (1, 2)):
        footer_text = clip(footer, inner, FOOTER_PT, footer_max)
        footer_h = text_height(footer_text, inner, FOOTER_PT)
        footer_top = height_in - 0.15 - footer_h
        for size in TITLE_SIZES:
            title_text = clip(title, inner, size, title_max)
            title_h = text_height(title_text, inner, size)
            room = footer_top - GAP - (TOP + title_h + GAP)
            pic_w = min(inner, room * 16 / 9)
            pic_h = pic_w * 9 / 16
            pic_top = TOP + title_h + GAP + max(0.0, (room - pic_h) / 2)
            best = FigureLayout(Box(MARGIN, TOP, inner, title_h), size,
                                Box((width_in - pic_w) / 2, pic_top, pic_w, pic_h), Box(MARGIN, footer_top, inner,
                                                                                         footer_h),
                                title_text, footer_text)
            if pic_w >= images.MIN_PICTURE_WIDTH_IN:
                return best
    return best


def _style(run, size: float, bold: bool = False, color=DARK) -> None:
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color
    run.font.language_id = MSO_LANGUAGE_ID.GERMAN


def _fill(frame, paragraphs: list[tuple[str, float, bool, RGBColor]]) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for k, (text, size, bold, color) in enumerate(paragraphs):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = printable_text(text)
        _style(run, size, bold, color)


def _title(slide, text: str, box: Box, size: int) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = box.emu()
    frame = shape.text_frame
    frame.clear()
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.03)
    _fill(frame, [(text, size, True, DARK)])


def _textbox(slide, box: Box, paragraphs: list[tuple[str, float, bool, RGBColor]], name: str) -> None:
    shape = slide.shapes.add_textbox(*box.emu())
    shape.name = name
    frame = shape.text_frame
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.03)
    _fill(frame, paragraphs)


def _text_slide(prs, title: str, lines: list[str], notes: str = "", size: int = BODY_PT) -> None:
    """Title + a body text box below it, sized for its lines (≥ 18 pt; fewer lines rather than smaller type)."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    inner = WIDTH.inches - 2 * MARGIN
    title_h = text_height(title, inner, TITLE_SIZES[0])
    _title(slide, title, Box(MARGIN, TOP, inner, title_h), TITLE_SIZES[0])
    top = TOP + title_h + 0.2
    room = HEIGHT.inches - 0.3 - top
    kept: list[str] = []
    used = 0.0
    for line in lines:
        h = text_lines(line, inner, size) * size * LINE_EM / 72 + size * 0.3 / 72
        if used + h + 0.12 > room:
            break
        kept.append(line)
        used += h
    if len(kept) < len(lines):
        kept[-1:] = [f"… {len(lines) - len(kept) + 1} weitere Punkte im PDF-Bericht und in der Excel-Datei."]
    _textbox(slide, Box(MARGIN, top, inner, min(room, used + 0.15)), [(t, size, False, DARK) for t in kept], "Text")
    if notes:
        slide.notes_slide.notes_text_frame.text = notes


def _footer_text(fig: Figure) -> str:
    res = fig.result
    text = f"Abb. {fig.number} · {res.source_line}"
    cells = hidden_cells(res.table)
    if cells:
        listed = "; ".join(cells[:2]) + (f" und {len(cells) - 2} weitere" if len(cells) > 2 else "")
        text += f" · {formatting.SUPPRESSED} geheim gehalten: {listed}"
    return printable_text(text)


def _figure_slide(prs, fig: Figure) -> None:
    res = fig.result
    title = printable_text(res.title)
    if fig.image is None:
        why = res.sentence or "Für diese Ansicht gibt es nichts zu zeichnen."
        _text_slide(prs, f"Abb. {fig.number}: {title}",
                    [f"Kein Diagramm: {why}", f"Die Zahlen stehen als Tabelle in der Excel-Datei des Pakets "
                     f"(Blatt {fig.number:02d}) und im PDF-Bericht.", _footer_text(fig)],
                    "\n".join([res.sentence, *res.footnotes]))
        return
    footer = _footer_text(fig)
    layout = figure_layout(title, footer)
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, layout.title_text, layout.title, layout.title_pt)
    pic = slide.shapes.add_picture(io.BytesIO(fig.image), *layout.picture.emu())
    pic.name = f"Abb. {fig.number}"
    pic._element.nvPicPr.cNvPr.set("descr", printable_text(res.sentence or res.title))  # noqa: SLF001 - alt text
    _textbox(slide, layout.footer, [(layout.footer_text, FOOTER_PT, False, RED if res.example_data else GREY)],
             "Quelle")
    notes = [res.sentence, *res.footnotes]
    notes += [f"Titel: {title}"] if layout.title_text != title else []
    notes += [footer] if layout.footer_text != footer else []
    slide.notes_slide.notes_text_frame.text = printable_text("\n".join(n for n in notes if n))


def _counts(content: PackageContent) -> dict[str, int]:
    cats = content.leitziele["category"].fillna("keine_daten")
    return {c: int((cats == c).sum()) for c in status.CATEGORY_ORDER}


def build_deck(content: PackageContent) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    first = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    inner = WIDTH.inches - 2 * 0.8
    _title(first, "Integrationsmonitor Hagen", Box(0.8, 1.6, inner, 1.2), 44)
    sub = first.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Box(0.8, 3.0, inner, 3.2).emu()
    lines = [("Sitzungspaket – Bericht zum Integrationskonzept", 28, False, DARK)]
    if content.edition:
        lines.append((f"Ausgabe „{content.edition['name']}“", 24, True, DARK))
    lines.append((f"Berichtsstand {content.berichtsstand} · erstellt am {formatting.date(content.created)}", 20,
                  False, GREY))
    if content.example_data:
        lines.append(("Enthält BEISPIELDATEN – keine amtlichen Zahlen", 20, True, RED))
    sub.text_frame.clear()
    _fill(sub.text_frame, lines)
    first.notes_slide.notes_text_frame.text = content.edition_line

    summary = [sentences.status_counts(_counts(content))]
    for hf, part in content.leitziele.groupby("handlungsfeld", sort=False):
        cats = part["category"].fillna("keine_daten")
        summary.append(f"{hf}: " + ", ".join(f"{int((cats == c).sum())} {status_text(c, status.CATEGORY_LABEL[c])}"
                                             for c in status.CATEGORY_ORDER if (cats == c).any()))
    _text_slide(prs, "Zusammenfassung", summary, content.edition_line, size=18)
    if content.comparison_line:
        changes = [", ".join(f"{what}: {formatting.number(n)}" for what, n in content.comparison_counts.items())]
        _text_slide(prs, "Seit der letzten Sitzung", changes + content.comparison_explanations,
                    content.comparison_line, size=18)
    for fig in content.figures:
        _figure_slide(prs, fig)
    _text_slide(prs, "Zeichenerklärung", [f"{sign}  {text}" for sign, text in sign_legend(content.suppression_threshold)]
                + ["Status: " + " · ".join(status_text(c, status.CATEGORY_LABEL[c]) for c in status.CATEGORY_ORDER)],
                size=18)
    props = prs.core_properties
    props.author = props.last_modified_by = "Stadt Hagen"
    props.title = f"Integrationsmonitor Hagen – Sitzungspaket ({content.edition_line})"
    props.subject = "Bericht zum Integrationskonzept der Stadt Hagen"
    props.keywords = "Integrationsmonitor; Hagen; Leitziele; Sitzungspaket"
    props.category = "Sitzungspaket"
    props.comments = ""
    props.language = "de-DE"
    props.revision = 1
    if content.created_at is not None:
        props.created = props.modified = content.created_at.replace(microsecond=0)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def picture_pt_per_px(picture_width_emu: int) -> float:
    """How many points one CSS pixel of the exported chart measures on the slide."""
    return Emu(picture_width_emu).inches * 72 / images.SLIDE_SIZE[0]

