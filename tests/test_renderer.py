"""The persistent chart renderer: same pixels as kaleido's own (reloading) renderer, German failures, recovery.

The oracle is kaleido itself, used the stock way (``kaleido.calc_fig_sync`` reloads its page after every figure):
a tab that keeps plotly.js loaded must not carry anything of one figure into the next.
"""

from __future__ import annotations

import io

import kaleido
import plotly.graph_objects as go
import pytest
from PIL import Image

from integrationsmonitor.exports import renderer

OPTS = {"format": "png", "width": 480, "height": 270, "scale": 1}


def _figures() -> list[dict]:
    """Figures that leave different state behind if a page were reused carelessly: a legend, a date axis, a
    second axis, annotations, a bar chart with outside labels, a German separator and a category order."""
    line = go.Figure([go.Scatter(x=["2020-12-31", "2021-12-31"], y=[1.5, 2.5], name="Rumänien"),
                      go.Scatter(x=["2020-12-31", "2021-12-31"], y=[2, 1], name="Bulgarien", yaxis="y2")])
    line.update_layout(yaxis2={"overlaying": "y", "side": "right"}, separators=",.",
                       annotations=[{"text": "Ereignis", "x": "2021-06-30", "y": 2}])
    bars = go.Figure(go.Bar(x=["Mitte", "Nord", "Haspe"], y=[1234.5, 87, 3], text=["1.234,5", "87", "3"],
                            textposition="outside"))
    bars.update_layout(separators=",.", showlegend=False, xaxis={"categoryorder": "total ascending"})
    empty = go.Figure()
    return [f.to_dict() for f in (line, bars, empty, line, bars)]


@pytest.fixture()
def shared():
    renderer.stop()
    yield
    renderer.stop()


def test_same_pixels_as_kaleidos_reloading_renderer_in_any_order(shared):
    figures = _figures()
    ours = renderer.render(figures, OPTS)                    # one page per tab, plotly.js loaded once
    reversed_ours = renderer.render(figures[::-1], OPTS)[::-1]
    stock = [kaleido.calc_fig_sync(f, opts=OPTS) for f in figures[:3]]  # fresh page for every figure
    assert ours[:3] == stock
    assert ours == reversed_ours
    assert ours[0] == ours[3] and ours[1] == ours[4]        # the same figure after others: identical bytes
    image = Image.open(io.BytesIO(ours[1]))
    assert image.format == "PNG" and image.size == (480, 270)


def test_tabs_keep_their_page_between_figures_and_reload_only_now_and_then(shared, monkeypatch):
    reloads = []
    original = renderer._PersistentKaleido._return_kaleido_tab  # noqa: SLF001

    async def counting(self, tab):
        before = self._drawn.get(tab.tab.target_id, 0)
        await original(self, tab)
        if self._drawn[tab.tab.target_id] == 0 and before:
            reloads.append(tab.tab.target_id)

    monkeypatch.setattr(renderer._PersistentKaleido, "_return_kaleido_tab", counting)  # noqa: SLF001
    monkeypatch.setattr(renderer, "RELOAD_EVERY", 3)
    figures = _figures()
    first = renderer.render(figures, OPTS)
    again = renderer.render(figures, OPTS)
    assert len(reloads) == 10 // 3  # 10 figures, a reload after every third figure a tab draws
    assert first == again


def test_a_figure_that_cannot_be_drawn_gives_a_german_message_and_the_next_batch_works(shared):
    with pytest.raises(renderer.RenderError, match="Ein Diagramm konnte nicht gezeichnet werden"):
        renderer.render(_figures()[:2], {**OPTS, "format": "gif"})  # kaleido draws no GIF
    assert not renderer.running()  # the failed renderer is stopped ...
    assert len(renderer.render(_figures()[:2], OPTS)) == 2  # ... and the next call starts a new one
    assert renderer.running()


def test_no_answer_in_time_gives_a_german_message_and_a_new_renderer_next_time(shared, monkeypatch):
    monkeypatch.setattr(renderer, "START_TIMEOUT_S", 0)
    monkeypatch.setattr(renderer, "FIGURE_TIMEOUT_S", 0)
    with pytest.raises(renderer.RenderError, match=r"hat nach 0 s nicht geantwortet – bitte das Paket erneut"):
        renderer.render(_figures(), OPTS)
    assert not renderer.running()
    monkeypatch.undo()
    assert len(renderer.render(_figures()[:1], OPTS)) == 1


def test_no_chromium_outlives_stop(shared):
    renderer.render(_figures()[:1], OPTS)
    process = renderer._current._kaleido.subprocess  # noqa: SLF001 - choreographer's browser process
    assert process.poll() is None
    renderer.stop()
    assert process.poll() is not None
