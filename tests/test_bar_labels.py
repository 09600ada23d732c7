"""Bar labels outside the bars are never cut off (issue 16, §4): not in the exported picture of the committee
package (PDF, slides), not at the plot edge on screen. The mechanism (``figures.bar_label_room``, applied to every
figure by ``figures.finish``): a value axis with room for the longest label beyond the longest bar, labels drawn
past the plot edge rather than clipped, labels that keep their size. Checked on the rendered pictures: every
label's pixels lie inside the image."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from integrationsmonitor.exports import images
from integrationsmonitor.exports import sitzungspaket as paket
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import figures
from integrationsmonitor.views import index as views

DISTRICTS = ["SB1", "SB2", "SB3", "SB4", "SB5"]
#: bar charts with labels outside the bars that the package plan does not contain
OTHER_VIEWS = [("quartier_vergleich", {"bezirk": "SB1", "indikator": "auslaender.BG"}),
               ("quartier_vergleich", {"bezirk": "SB3", "indikator": "auslaenderanteil", "vergleich": "hagen"}),
               ("vergleich_eu2_staedte", {}), ("vergleich_auslaender_nrw", {}), ("vergleich_migrationshintergrund", {}),
               ("vergleich_amtliche_bevoelkerung", {}), ("vergleich_eu2_anteil_amtlich", {})]
BORDER = 3  # px at the image's edge that no label may touch (a cut label runs into the edge)
INK = 60    # colour difference that counts as a drawn label pixel


def _with_outside_labels(fig: go.Figure | None) -> bool:
    return fig is not None and any(t.type == "bar" and t.text is not None and t.textposition == "outside"
                                   for t in fig.data)


def _without_labels(fig: go.Figure) -> go.Figure:
    bare = go.Figure(fig)
    bare.update_traces(textfont_color="rgba(0,0,0,0)", selector={"type": "bar"})
    return bare


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def label_mask(with_labels: bytes, without: bytes) -> np.ndarray:
    """Where the two pictures differ: the pixels of the bar labels."""
    return np.abs(_pixels(with_labels) - _pixels(without)).max(axis=2) > INK


def touches_border(mask: np.ndarray, border: int = BORDER) -> bool:
    return bool(mask[:border].any() or mask[-border:].any() or mask[:, :border].any() or mask[:, -border:].any())


@pytest.fixture(scope="module")
def bar_figures(runner: QueryRunner) -> dict[str, go.Figure]:
    found, _, _ = paket.collect(runner, paket.default_plan(runner, DISTRICTS))
    out = {f"{f.result.key} {dict(f.result.params)}": f.result.figure for f in found
           if _with_outside_labels(f.result.figure)}
    for key, params in OTHER_VIEWS:
        fig = views.render(key, runner, **params).figure
        if _with_outside_labels(fig):
            out[f"{key} {params}"] = fig
    return out


def test_no_bar_label_is_cut_off_in_the_exported_picture(bar_figures: dict[str, go.Figure]):
    names = list(bar_figures)
    assert sum(n.startswith("quartier_steckbrief") for n in names) == len(DISTRICTS), names
    assert len(names) >= len(DISTRICTS) + 3 + 4, names  # EU-2 views of the plan and the comparisons above
    figs = list(bar_figures.values())
    with images.image_server():
        drawn = images.pngs(figs, *images.SLIDE_SIZE)
        bare = images.pngs([_without_labels(f) for f in figs], *images.SLIDE_SIZE)
    cut, empty = [], []
    for name, a, b in zip(names, drawn, bare, strict=True):
        mask = label_mask(a, b)
        if mask.sum() < 50:
            empty.append(name)
        elif touches_border(mask):
            cut.append(name)
    assert not empty, f"keine Beschriftung gefunden: {empty}"
    assert not cut, f"Balkenbeschriftung am Bildrand abgeschnitten: {cut}"


def test_label_mask_finds_a_label_cut_at_the_edge():
    """The pixel rule on handmade pictures: a label well inside passes, one running into the edge does not."""
    def png(*boxes: tuple[int, int, int, int]) -> bytes:
        img = Image.new("RGB", (200, 100), "white")
        for box in boxes:
            img.paste((0, 0, 0), box)
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return buf.getvalue()
    bars = (10, 40, 150, 60)
    inside = label_mask(png(bars, (155, 40, 185, 60)), png(bars))
    assert inside.sum() == 30 * 20 and not touches_border(inside)
    assert touches_border(label_mask(png(bars, (160, 40, 200, 60)), png(bars)))


def _finished(*traces: go.Bar, **layout: object) -> go.Figure:
    fig = go.Figure(list(traces))
    fig.update_layout(**layout)
    return figures.finish(fig)


def test_horizontal_labels_get_room_beyond_the_longest_bar_and_are_never_clipped():
    fig = _finished(go.Bar(y=["A", "B"], x=[67.5, 64.6], orientation="h", text=["67,5 %", "64,6 %"],
                           textposition="outside"))
    low, high = fig.layout.xaxis.range
    # a label of 6 characters at 21 px is ≈ 75 px wide: on a value axis of ≤ 700 px that is > 10 % of it
    assert low == 0 and high >= 67.5 * 1.1 and fig.layout.xaxis.autorange is False
    assert fig.data[0].cliponaxis is False and fig.data[0].constraintext == "inside"


def test_vertical_negative_and_stacked_bars_get_room_on_their_side():
    fig = _finished(go.Bar(x=["A", "B"], y=[-20, 40], text=["-20", "40"], textposition="outside"))
    low, high = fig.layout.yaxis.range
    assert low < -20 * 1.05 and high > 40 * 1.05
    stacked = _finished(go.Bar(x=["A"], y=[30], text=["30"], textposition="outside"),
                        go.Bar(x=["A"], y=[50], text=["50"], textposition="outside"), barmode="stack")
    assert stacked.layout.yaxis.range[1] > 80 * 1.05  # the stack's end, not the larger part


def test_a_range_set_by_the_view_only_grows_and_inside_labels_are_left_alone():
    fig = _finished(go.Bar(x=["A"], y=[50], text=["50 %"], textposition="outside"), yaxis_range=[0, 100])
    assert list(fig.layout.yaxis.range) == [0, 100]  # 100 already leaves room above 50
    inside = _finished(go.Bar(x=["A"], y=[50], text=["50"], textposition="inside"))
    assert inside.layout.yaxis.range is None and inside.data[0].cliponaxis is None


def test_long_category_names_wrap_on_the_axis_but_keep_their_name():
    long = "Wahlbeteiligung im Wahllokal (ohne Briefwahl) – Kommunalwahl (Rat)"
    fig = _finished(go.Bar(y=[long, "Ausländeranteil"], x=[25.0, 34.2], orientation="h", text=["25,0 %", "34,2 %"],
                           textposition="outside"))
    assert list(fig.layout.yaxis.ticktext) == ["Wahlbeteiligung im Wahllokal (ohne<br>Briefwahl) – Kommunalwahl "
                                               "(Rat)", "Ausländeranteil"]
    assert list(fig.layout.yaxis.tickvals) == [long, "Ausländeranteil"] and fig.data[0].y[0] == long
