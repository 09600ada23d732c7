"""Event labels (the dashed lines "Zensus 2022 (Stichtag)" …) are read wherever the chart is: on screen at 13 px,
in the committee package and on the projector as large as the rest of the text, in rows that do not run into
each other or into the title. Expectations are literal px or come from the rendered picture."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from PIL import Image

from integrationsmonitor.exports import images, presentation
from integrationsmonitor.views import figures

EVENTS = [(dt.date(2011, 5, 9), "Zensus 2011 (Stichtag)"),
          (dt.date(2014, 1, 1), "Volle Arbeitnehmerfreizügigkeit für Rumänien und Bulgarien"),
          (dt.date(2022, 2, 24), "Beginn des russischen Angriffskriegs gegen die Ukraine"),
          (dt.date(2022, 5, 15), "Zensus 2022 (Stichtag)")]


def _series() -> go.Figure:
    frame = pd.DataFrame({"stichtag": [dt.date(y, 12, 31) for y in range(2010, 2025)],
                          "wert": [25000 + 1500 * i for i in range(15)], "quelle": "IT.NRW Ausländerstatistik"})
    return figures.time_series(frame, x="stichtag", y="wert", series="quelle", title="Ausländer:innen – Hagen",
                               unit="Personen", events=EVENTS)


def _labels(fig: go.Figure) -> list:
    return [a for a in fig.layout.annotations if a.name == figures.EVENT_NAME]


def test_screen_labels_are_13_px_in_three_rows_of_22_px():
    fig = _series()
    assert sorted({a.font.size for a in _labels(fig)}) == [13]
    assert sorted({a.yshift for a in _labels(fig)}) == [2, 24, 46]
    assert fig.layout.margin.t == 70 + 3 * 22


def test_larger_labels_get_rows_for_their_size_and_a_margin_below_the_title():
    fig = _series()
    big = figures.larger_event_labels(fig, 21, title_px=35)
    # 21 px × 1,3 = 27,3 → 28 px of text + 4 px of box = rows of 32 px; margin: title 35 + 3 rows + 8 px gap
    assert sorted({a.font.size for a in _labels(big)}) == [21]
    assert sorted({a.yshift for a in _labels(big)}) == [2, 34, 66]
    assert big.layout.margin.t == 35 + 96 + 8
    assert (big.layout.title.yref, big.layout.title.y, big.layout.title.yanchor) == ("container", 1, "top")
    assert sorted({a.yshift for a in _labels(fig)}) == [2, 24, 46]  # the caller's figure is untouched
    plain = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    assert figures.larger_event_labels(plain, 21) is plain


def test_projector_labels_are_as_large_as_its_ticks():
    big = presentation.projector_figure(_series())
    assert sorted({a.font.size for a in _labels(big)}) == [presentation.PROJECTOR_TICKS] == [20]
    assert sorted({a.yshift for a in _labels(big)}) == [2, 32, 62]  # 20 px × 1,3 = 26 px + 4 px box per row
    assert big.layout.margin.t == 3 * 30 + 8 and big.layout.title.text is None


def _ink(png: bytes, other: bytes) -> np.ndarray:
    """Rows (y) where two renderings differ: where the text that one of them hides is drawn."""
    a, b = (np.asarray(Image.open(io.BytesIO(p)).convert("RGB"), dtype=int) for p in (png, other))
    return np.flatnonzero((np.abs(a - b).max(axis=2) > 60).any(axis=1))


def test_exported_picture_has_title_and_label_rows_apart():
    """The committee package's picture (960 × 540): the title sits above the event labels, and the label rows do
    not share a pixel row — measured on the rendered picture, one text hidden at a time."""
    fig = _series()
    hidden = "rgba(0,0,0,0)"
    variants = [go.Figure(fig).update_layout(title_font_color=hidden)]
    for n in range(len(EVENTS)):
        one = go.Figure(fig)
        one.layout.annotations[[i for i, a in enumerate(one.layout.annotations)
                                if a.name == figures.EVENT_NAME][n]].font.color = hidden
        variants.append(one)
    with images.image_server():
        full, *rest = images.pngs([fig, *variants], *images.SLIDE_SIZE)
    title, *labels = (_ink(full, other) for other in rest)
    assert len(title) > 10 and all(len(rows) > 10 for rows in labels)
    assert title.max() < min(rows.min() for rows in labels), "Titel und Ereignis überlappen"
    # rows: the Zensus labels share the top row (left and right half), the others each have their own
    spans = sorted({(int(r.min()), int(r.max())) for r in labels})
    for (_, bottom), (top, _) in zip(spans, spans[1:], strict=False):
        assert bottom < top, f"Ereigniszeilen überlappen: {spans}"
