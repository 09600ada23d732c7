"""PowerPoint deck of the committee package: 16:9, a title slide, then one slide per figure.

Each figure slide: title, the chart as image (rendered server-side like on screen), "Quelle · Stand" in the
footer and the generated reading sentence in the speaker notes.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from integrationsmonitor import formatting
from integrationsmonitor.exports.content import PackageContent

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9 (13,333 × 7,5 Zoll)
DARK = RGBColor(0x1F, 0x2A, 0x44)
GREY = RGBColor(0x44, 0x44, 0x44)
RED = RGBColor(0xB0, 0x00, 0x20)


def _text(slide, left, top, width, height, text: str, size: int, bold: bool = False, color=DARK) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    run = para.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color


def build_deck(content: PackageContent) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    first = prs.slides.add_slide(blank)
    _text(first, Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.2), "Integrationsmonitor Hagen", 44, True)
    _text(first, Inches(0.8), Inches(3.5), Inches(11.7), Inches(0.8), "Sitzungspaket", 28)
    _text(first, Inches(0.8), Inches(4.4), Inches(11.7), Inches(0.8),
          f"Berichtsstand: {content.berichtsstand} · erstellt am {formatting.date(content.created)}", 20, color=GREY)
    if content.example_data:
        _text(first, Inches(0.8), Inches(5.3), Inches(11.7), Inches(0.8),
              "Enthält BEISPIELDATEN – keine amtlichen Zahlen", 20, True, RED)
    first.notes_slide.notes_text_frame.text = "Zeichenerklärung: · = geheim gehalten, – = keine Angabe."
    for fig in content.figures:
        if fig.image is None:
            continue
        res = fig.result
        slide = prs.slides.add_slide(blank)
        _text(slide, Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.9), res.title, 30, True)
        pic_h = Inches(5.6)
        pic_w = Emu(int(pic_h * 16 / 9))
        slide.shapes.add_picture(io.BytesIO(fig.image), int((WIDTH - pic_w) / 2), Inches(1.15), pic_w, pic_h)
        _text(slide, Inches(0.5), Inches(6.85), Inches(11.3), Inches(0.5), res.source_line, 12,
              color=RED if res.example_data else GREY)
        _text(slide, Inches(12.0), Inches(6.85), Inches(1.0), Inches(0.5), f"Abb. {fig.number}", 12, color=GREY)
        notes = [res.sentence, *res.footnotes]
        slide.notes_slide.notes_text_frame.text = "\n".join(n for n in notes if n)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
