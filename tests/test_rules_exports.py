"""Placement rules of the export builders on a handmade package: every PPTX shape lies inside its 16:9 slide,
the footer line sits at the bottom of every figure slide; the PDF footer sits inside the bottom margin of every
page but the title page."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pandas as pd
from PIL import Image
from pptx import Presentation
from pptx.util import Emu, Inches

from integrationsmonitor.exports.content import SECTION_EU2, SECTION_OVERVIEW, Figure, PackageContent
from integrationsmonitor.views.result import ViewResult

SLIDE_W, SLIDE_H = 12192000, 6858000  # EMU, 13,333 × 7,5 in


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 180), (200, 210, 230)).save(buf, format="PNG")
    return buf.getvalue()


def _result(title: str, example: bool = False) -> ViewResult:
    return ViewResult("test", title, None, pd.DataFrame({"Gebiet": ["Mitte"], "Wert": [1]}), "Amt für Statistik",
                      "31.12.2022", "Ein Satz.", example_data=example, footnotes=["· = geheim gehalten"])


def _content(example: bool = False) -> PackageContent:
    figures = [Figure(1, SECTION_OVERVIEW, None, _result("Erste Abbildung"), _png()),
               Figure(2, SECTION_EU2, None, _result("Zweite Abbildung", example), _png()),
               Figure(3, SECTION_EU2, None, _result("Ohne Bild"), None)]
    leitziele = pd.DataFrame({"handlungsfeld": ["Arbeit"], "leitziel_id": ["AA-LZ1"], "text": ["Ein Leitziel"],
                              "block": ["Block"], "category": ["auf_kurs"], "label": ["auf Kurs"],
                              "basis": ["Ergebnisindikatoren"]})
    sources = pd.DataFrame({"path": ["raw/a.csv"], "title": ["A"], "publisher": ["Stadt"], "stand": ["2022"],
                            "licence": ["dl-de/by-2-0"], "is_example": [False]})
    return PackageContent("31.12.2022", dt.date(2026, 11, 25), "abcdef123456789", leitziele,
                          pd.DataFrame({"Handlungsfeld": ["Arbeit"], "auf Kurs": [1]}), sources, figures, {},
                          {"AA-LZ1": [1]}, suppression_threshold=3)


def _deck(example: bool = False):
    from integrationsmonitor.exports.pptx_deck import build_deck

    return Presentation(io.BytesIO(build_deck(_content(example))))


def test_slides_are_16_9():
    prs = _deck()
    assert (prs.slide_width, prs.slide_height) == (SLIDE_W, SLIDE_H)


def test_every_shape_lies_inside_its_slide():
    prs = _deck(example=True)
    assert len(prs.slides) == 6  # title, summary, the three planned figures (one without an image), legend
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= SLIDE_W, (number, shape.name, shape.left + shape.width)
            assert shape.top + shape.height <= SLIDE_H, (number, shape.name, shape.top + shape.height)


def test_footer_is_the_bottom_line_of_each_figure_slide():
    prs = _deck()
    for slide, number, title in zip(list(prs.slides)[2:4], (1, 2), ("Erste Abbildung", "Zweite Abbildung"),
                                    strict=True):
        texts = {s.text_frame.text: s for s in slide.shapes if s.has_text_frame}
        footer = next(s for t, s in texts.items() if t.startswith(f"Abb. {number} · Quelle"))
        assert footer.text_frame.text == f"Abb. {number} · Quelle: Amt für Statistik · Stand: 31.12.2022"
        picture = next(s for s in slide.shapes if s.shape_type == 13)
        assert footer.top >= picture.top + picture.height                 # below the chart …
        assert footer.top + footer.height <= SLIDE_H                      # … and on the slide
        assert footer.left + footer.width <= SLIDE_W
        assert slide.shapes.title.text_frame.text == title               # the title placeholder …
        assert slide.shapes.title.top + slide.shapes.title.height <= picture.top  # … above the chart
        # the chart is centred and keeps 16:9
        assert abs((SLIDE_W - picture.width) / 2 - picture.left) <= 1
        assert abs(picture.width * 9 - picture.height * 16) <= 16
        assert slide.notes_slide.notes_text_frame.text == "Ein Satz.\n· = geheim gehalten"


def test_example_data_line_in_red_and_on_the_title_slide():
    prs = _deck(example=True)
    title_lines = [p.text for s in prs.slides[0].shapes if s.has_text_frame for p in s.text_frame.paragraphs]
    assert "Enthält BEISPIELDATEN – keine amtlichen Zahlen" in title_lines
    footer = next(s for s in prs.slides[3].shapes if s.has_text_frame and s.text_frame.text.startswith("Abb. 2 ·"))
    assert footer.text_frame.text.endswith(" · BEISPIELDATEN")
    assert str(footer.text_frame.paragraphs[0].runs[0].font.color.rgb) == "B00020"
    assert Emu(footer.top + footer.height) <= Inches(7.5) and footer.top > Inches(5)
    plain = _deck()
    assert not any(s.has_text_frame and "BEISPIELDATEN" in s.text_frame.text for s in plain.slides[0].shapes)


# ----------------------------------------------------------------------------- PDF
def _words(pdf: bytes, tmp_path: Path) -> list[tuple[int, float, float, float, float, str, float, float]]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, flags=re.S), start=1):
        width, height = (float(x) for x in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page):
            words.append((number, float(x0), float(y0), float(x1), float(y1), text, width, height))
    return words


def test_pdf_footer_inside_the_bottom_margin_of_every_page_but_the_first(tmp_path: Path):
    from integrationsmonitor.exports.pdf_report import build_pdf

    words = _words(build_pdf(_content(example=True)), tmp_path)
    pages = max(w[0] for w in words)
    assert pages >= 3
    mm = 72 / 25.4
    seite = [w for w in words if w[5] == "Seite"]
    assert [w[0] for w in seite] == list(range(2, pages + 1))      # no footer on the title page
    for page, _x0, y0, x1, y1, _, width, height in seite:
        assert height - 12 * mm - 1 <= y0 and y1 <= height - 6 * mm, (page, y0, y1)   # 12 mm from the bottom
        assert x1 <= width - 18 * mm + 1                                              # right-aligned in the margin
    for page, x0, y0, x1, y1, text, width, height in words:
        assert 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height, (page, text)
    footer_left = [w for w in words if w[5] == "Integrationsmonitor" and w[2] > w[7] - 12 * mm - 1]
    assert [w[0] for w in footer_left] == list(range(2, pages + 1))
    assert all(w[1] <= 20 * mm for w in footer_left)                                  # left margin (18 mm) + padding



def _inside(box, width: float = 13.333, height: float = 7.5) -> bool:
    return box.left >= 0 and box.top >= 0 and box.left + box.width <= width + 1e-9 and \
        box.top + box.height <= height + 1e-9


def test_figure_layout_places_title_chart_footer_top_to_bottom():
    from integrationsmonitor.exports import pptx_deck as deck

    width, height = deck.WIDTH.inches, deck.HEIGHT.inches
    for title, footer in [("Kurz", "Quelle: A · Stand: 2022"),
                          ("Ein sehr langer Titel " * 12, "Quelle: " + "eine lange Quellenangabe " * 20)]:
        lay = deck.figure_layout(title, footer)
        for box in (lay.title, lay.picture, lay.footer):
            assert _inside(box, width, height), (title[:10], box)
        assert abs(lay.footer.top + lay.footer.height - (height - 0.15)) < 1e-9     # 0,15 in above the edge
        assert (lay.title.left, lay.title.top, lay.footer.left) == (0.35, 0.25, 0.35)
        assert abs(lay.title.width - (width - 0.7)) < 1e-9 and abs(lay.footer.width - (width - 0.7)) < 1e-9
        assert lay.picture.top >= lay.title.top + lay.title.height + 0.08 - 1e-9
        assert lay.picture.top + lay.picture.height <= lay.footer.top - 0.08 + 1e-9
        assert abs(lay.picture.width * 9 / 16 - lay.picture.height) < 1e-9           # 16:9
        assert abs(lay.picture.left - (width - lay.picture.width) / 2) < 1e-9       # centred
        assert lay.title_pt in (30, 26, 22)
    short = deck.figure_layout("Kurz", "Quelle: A · Stand: 2022")
    assert (short.title_pt, short.title_text, short.footer_text) == (30, "Kurz", "Quelle: A · Stand: 2022")
    # the free room between title and footer is split evenly above and below the chart
    above = short.picture.top - (short.title.top + short.title.height + 0.08)
    below = short.footer.top - 0.08 - (short.picture.top + short.picture.height)
    assert abs(above - below) < 1e-9 or abs(short.picture.width - (width - 0.7)) < 1e-9
    long = deck.figure_layout("Ein sehr langer Titel " * 12, "Quelle: " + "eine lange Quellenangabe " * 20)
    assert long.title_pt < 30 or long.title_text != "Ein sehr langer Titel " * 12


def test_figure_layout_shrinks_title_then_clips_footer_and_title():
    from integrationsmonitor.exports import images
    from integrationsmonitor.exports import pptx_deck as deck

    inner = deck.WIDTH.inches - 0.7
    title, footer = "Ein sehr langer Titel " * 12, "Quelle: " + "eine lange Quellenangabe " * 20

    def shape(lay) -> tuple:
        return (lay.title_pt, deck.text_lines(lay.title_text, inner, lay.title_pt),
                deck.text_lines(lay.footer_text, inner, 18))

    medium = deck.figure_layout("Ein sehr langer Titel " * 6, "Quelle: " + "eine lange Quellenangabe " * 6)
    assert shape(medium) == (22, 2, 3)                       # smaller title first, nothing clipped
    assert medium.title_text == "Ein sehr langer Titel " * 6
    assert medium.footer_text == "Quelle: " + "eine lange Quellenangabe " * 6
    assert shape(deck.figure_layout(title, footer)) == (30, 2, 2)              # both clipped to two lines
    assert shape(deck.figure_layout(title, footer, height_in=7.2)) == (22, 2, 2)
    assert shape(deck.figure_layout(title, footer, height_in=7.0)) == (26, 2, 1)  # then the footer to one line
    for h in (7.5, 7.2, 7.0):
        assert deck.figure_layout(title, footer, height_in=h).picture.width >= images.MIN_PICTURE_WIDTH_IN
    clipped = deck.figure_layout(title, footer)
    assert clipped.title_text != title and clipped.footer_text != footer


def test_figure_layout_on_a_narrow_slide_centres_the_chart_vertically():
    from integrationsmonitor.exports import pptx_deck as deck

    lay = deck.figure_layout("Kurz", "Quelle: A", width_in=8.0)
    assert abs(lay.picture.width - 7.3) < 1e-9 and abs(lay.picture.left - 0.35) < 1e-9
    above = lay.picture.top - (lay.title.top + lay.title.height + 0.08)
    below = lay.footer.top - 0.08 - (lay.picture.top + lay.picture.height)
    assert above > 0.5 and abs(above - below) < 1e-9
    assert abs(lay.footer.top + lay.footer.height - 7.35) < 1e-9


def test_pdf_footer_text_size_and_band(tmp_path: Path):
    from integrationsmonitor.exports.pdf_report import build_pdf

    content = _content(example=True)
    content.edition = {"name": "Rat März"}
    words = _words(build_pdf(content), tmp_path)
    mm = 72 / 25.4
    height = words[0][7]
    band = [w for w in words if w[0] == 2 and w[2] >= height - 12 * mm]
    pages = max(w[0] for w in words)
    assert " ".join(w[5] for w in band) == ("Integrationsmonitor Hagen · Berichtsstand 31.12.2022 · Ausgabe „Rat "
                                            f"März“ · enthält BEISPIELDATEN Seite 2 von {pages}")
    assert band[-4][1] > 150 * mm > band[0][1]           # page number on the right, the rest from the left
    for _page, _x0, y0, _x1, y1, text, _w, _h in band:
        assert height - 12 * mm <= y0 <= height - 11 * mm, (text, y0)     # the line starts 12 mm above the edge
        assert 9.0 < y1 - y0 < 9.7, (text, y1 - y0)                      # 8 pt type


def test_an_exported_chart_with_many_series_lists_them_in_two_columns_of_short_names():
    """Nine sources in one chart: one per row the legend would be taller than the plot at the slide size."""
    import plotly.graph_objects as go

    from integrationsmonitor.exports import images

    long_name = "IT.NRW/Destatis Fortschreibung (Regionalstatistik 12411-01-01-4, Stand 31.03.2025)"
    many = go.Figure([go.Scatter(x=[1, 2], y=[i, i + 1], name=f"Quelle {i}") for i in range(8)]
                     + [go.Scatter(x=[1, 2], y=[9, 9], name=long_name)])
    data = images.export_figure(many, *images.SLIDE_SIZE)
    legend = data["layout"]["legend"]
    assert (legend["orientation"], legend["entrywidthmode"], legend["entrywidth"]) == ("h", "fraction", 0.5)
    names = [t["name"] for t in data["data"]]
    assert names[:8] == [f"Quelle {i}" for i in range(8)]           # short names stay as they are
    assert names[8] == "IT.NRW/Destatis Fortschreib…" and len(names[8]) == 28
    assert many.data[8].name == long_name                              # the screen figure is untouched
    few = go.Figure([go.Scatter(x=[1, 2], y=[1, 2], name=long_name) for _ in range(4)])
    kept = images.export_figure(few, *images.SLIDE_SIZE)
    assert "entrywidth" not in kept["layout"].get("legend", {}) and kept["data"][0]["name"] == long_name


def test_pdf_images_keep_their_pixels_on_white_paper():
    """The PDF image stream drops the alpha channel: opaque pixels stay exactly, see-through ones lie on white."""
    import io
    import zlib

    from PIL import Image

    from integrationsmonitor.exports.pdf_report import prepare_image

    image = Image.new("RGBA", (4, 2), (200, 30, 60, 255))
    image.putpixel((1, 0), (0, 0, 0, 0))        # fully transparent → white
    image.putpixel((2, 0), (0, 0, 255, 128))    # half blue on white
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    info = prepare_image(buf.getvalue())
    assert info["cs"] == "DeviceRGB" and info.get("smask") is None
    raw = zlib.decompress(info["data"])           # rows of 1 filter byte + 4 RGB pixels
    row = raw[1:13]
    assert row[0:3] == bytes((200, 30, 60)) and row[3:6] == bytes((255, 255, 255))
    assert abs(row[6] - 127) <= 1 and abs(row[7] - 127) <= 1 and row[8] == 255
