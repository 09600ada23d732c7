"""Figure builders, Lesehilfe sentences, downloads and URL parameter validation (no Streamlit)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from integrationsmonitor import urlparams
from integrationsmonitor.status import CATEGORY_ICON, CATEGORY_LABEL, CATEGORY_ORDER
from integrationsmonitor.views import figures, sentences


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "period": [dt.date(2021, 12, 31), dt.date(2022, 12, 31), dt.date(2021, 12, 31), dt.date(2022, 12, 31)],
        "value": [4755.0, 4855.0, 4700.0, None],
        "source": ["IT.NRW", "IT.NRW", "Beispiel", "Beispiel"],
        "is_example": [False, False, True, True],
        "is_approx": [False, True, False, False],
        "suppressed": [False, False, False, True],
    })


def test_time_series_one_line_per_source_example_dashed_and_marked():
    frame = _frame()
    before = frame.copy()
    fig = figures.time_series(frame, x="period", y="value", series="source", title="T", unit="Personen",
                              example="is_example", approx="is_approx", suppressed="suppressed",
                              target=5000, target_due=dt.date(2023, 12, 31),
                              events=[(dt.date(2022, 1, 1), "Ereignis"), (dt.date(1990, 1, 1), "außerhalb")])
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    assert fig.layout.separators == ",."
    names = {t.name: t for t in fig.data}
    # the target is a legend entry (never a label inside the plot), the deadline lies after the data: no line
    assert set(names) == {"IT.NRW", "Beispiel" + figures.EXAMPLE_SUFFIX, "Zielwert 5.000 bis 31.12.2023"}
    assert list(names["Zielwert 5.000 bis 31.12.2023"].y) == [5000, 5000]
    assert names["Beispiel – Beispieldaten"].line.dash == "dash"
    assert names["IT.NRW"].line.dash == "solid"
    assert list(names["IT.NRW"].y) == [4755.0, 4855.0]
    assert list(names["Beispiel – Beispieldaten"].y) == [4700.0, None]  # suppressed = gap, never 0
    assert "ca. 4.855" in names["IT.NRW"].text[1]
    assert "·" in names["Beispiel – Beispieldaten"].text[1]
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["Ereignis"]  # "außerhalb" lies outside the data, the deadline too


def test_unknown_column_raises_naming_it():
    with pytest.raises(KeyError, match="wert_gibts_nicht"):
        figures.time_series(_frame(), x="period", y="wert_gibts_nicht", series="source", title="T")
    with pytest.raises(KeyError, match="kategorie"):
        figures.status_bars(pd.DataFrame({"g": [], "n": []}), group="g", category="kategorie", count="n", title="T",
                            order=CATEGORY_ORDER, labels=CATEGORY_LABEL, icons=CATEGORY_ICON, colors={})


def test_status_bars_counts_with_icon_and_word():
    frame = pd.DataFrame({"g": ["A", "A", "B"], "c": ["auf_kurs", "nicht_auf_kurs", "auf_kurs"], "n": [2, 1, 3]})
    fig = figures.status_bars(frame, group="g", category="c", count="n", title="T", order=CATEGORY_ORDER,
                              labels=CATEGORY_LABEL, icons=CATEGORY_ICON, colors={})
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["✅ auf Kurs"].x) == [2, 3]
    assert list(by_name["❌ nicht auf Kurs"].x) == [1, 0]
    assert fig.layout.barmode == "stack"


def test_status_bars_tell_states_apart_without_colour_and_with_readable_marks():
    frame = pd.DataFrame({"g": ["A", "A", "A", "A"], "c": ["auf_kurs", "gefaehrdet", "nicht_auf_kurs", "keine_daten"],
                          "n": [2, 1, 4, 3]})
    fig = figures.status_bars(frame, group="g", category="c", count="n", title="T", order=CATEGORY_ORDER,
                              labels=CATEGORY_LABEL, icons=CATEGORY_ICON, colors={})
    by_name = {t.name: t for t in fig.data}
    # the emoji icons vanish on red/orange bars: a white mark and the count instead
    assert [by_name[n].text[0] for n in ("✅ auf Kurs", "⚠️ gefährdet", "❌ nicht auf Kurs", "⬜ keine Daten")] == \
        ["✓ 2", "! 1", "✗ 4", "? 3"]
    assert all(t.textfont.color == "#ffffff" for t in fig.data)
    patterns = [t.marker.pattern.shape for t in fig.data]
    assert len(set(patterns)) == 4  # four states, four fills: not told by colour alone



def test_count_change_sentence_from_the_numbers():
    text = sentences.count_change("rumänische Staatsangehörige", "Hagen", 4855, dt.date(2022, 12, 31),
                                  4755, dt.date(2021, 12, 31))
    change = (4855 - 4755) / 4755 * 100
    share = f"{change:.1f}".replace(".", ",")
    assert text == f"Ende 2022 lebten 4.855 rumänische Staatsangehörige in Hagen, {share}\u00a0% mehr als ein Jahr zuvor."
    assert sentences.count_change("X", "Hagen", 90, dt.date(2020, 2, 29), 100, dt.date(2019, 2, 28),
                                  approx=True).startswith("am 29.02.2020 lebten ca. 90 X in Hagen, 10,0\u00a0% weniger")


def test_value_change_uses_percentage_points_for_shares():
    text = sentences.value_change("Ausländeranteil", "Hagen", 24.64, dt.date(2024, 12, 31), "%", 23.94,
                                  dt.date(2023, 12, 31))
    assert text == "„Ausländeranteil“ lag in Hagen Ende 2024 bei 24,6\u00a0%, 0,7 Prozentpunkte höher als ein Jahr zuvor."


def test_status_counts_sentence():
    text = sentences.status_counts({"auf_kurs": 12, "nicht_auf_kurs": 10, "keine_daten": 5})
    assert text.startswith("Von 27 Leitzielen sind 10 nicht auf Kurs, 12 auf Kurs")
    assert "für 5 liegen keine bewertbaren Daten vor" in text


def test_url_parameter_validation():
    assert urlparams.pick(None, ["a", "b"], "a", name="X") == ("a", None)
    assert urlparams.pick("b", ["a", "b"], "a", name="X") == ("b", None)
    value, message = urlparams.pick("zz", ["a", "b"], "a", name="Leitziel")
    assert value == "a" and "ungültigen Wert" in message and "zz" in message


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (formula from WCAG 2.1, written out here)."""
    def lum(h: str) -> float:
        chans = [int(h.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in chans]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_on_known_pairs():
    assert round(_contrast("#000000", "#ffffff"), 1) == 21.0
    assert abs(_contrast("#828180", "#ffffff") - 3.88) < 0.01  # Streamlit's caption colour, as axe reported it


def test_chart_colours_reach_the_contrast_minimums():
    from integrationsmonitor.views import theme

    for colour in theme.PALETTE:  # lines and bars: 3 : 1 against the white background
        assert _contrast(colour, "#ffffff") >= 3.0, colour
    for cat, style in theme.STATUS.items():  # white mark on the bar: 4.5 : 1
        assert _contrast(style["color"], "#ffffff") >= 4.5, cat
    for role, style in theme.AREA_BAR.items():
        assert _contrast(style["color"], "#ffffff") >= 3.0, role
    assert len({s["pattern"] for s in theme.AREA_BAR.values()}) == 3
    assert _contrast(theme.TEXT_COLOR, "#ffffff") >= 4.5
    assert len(set(theme.SYMBOLS)) == len(theme.SYMBOLS) == len(theme.PALETTE)


def test_time_series_lines_differ_by_symbol_not_only_colour():
    frame = pd.DataFrame({"p": [dt.date(2020, 12, 31), dt.date(2021, 12, 31)] * 2, "v": [1.0, 2.0, 3.0, 4.0],
                          "s": ["Melderegister", "Melderegister", "IT.NRW", "IT.NRW"]})
    fig = figures.time_series(frame, x="p", y="v", series="s", title="T")
    symbols = [t.marker.symbol[0] for t in fig.data]
    colours = [t.line.color for t in fig.data]
    assert len(set(symbols)) == 2 and len(set(colours)) == 2


def test_status_bars_are_sent_with_room_for_their_longest_block_name(monkeypatch):
    """Left margin = the longest block name in DejaVu Sans 16 px (322,8 px, measured in Chromium: 323,7) plus
    Plotly's gap of 36 px; bottom = axis (62 px) and one legend row (26 px) for two entries."""
    frame = pd.DataFrame({"gruppe": ["Teilhabe · Quartiersentwicklung/Wohnen", "Bildung · Elternarbeit"],
                          "category": ["auf_kurs", "gefaehrdet"], "n": [2, 1]})
    kwargs = dict(group="gruppe", category="category", count="n", title="Status", order=["auf_kurs", "gefaehrdet"],
                  labels={"auf_kurs": "auf Kurs", "gefaehrdet": "gefährdet"}, icons={}, colors={})
    fig = figures.status_bars(frame, **kwargs)
    assert (fig.layout.margin.l, fig.layout.margin.b) == (359, 62 + 26)
    assert fig.layout.yaxis.automargin is not False  # wider fonts, exports, 200 % zoom: Plotly still makes room
    monkeypatch.setattr(figures, "WIDE_SANS", figures.WIDE_SANS.with_name("fehlt.ttf"))
    figures._wide_font.cache_clear()
    try:  # no DejaVu on the server: 0,62 em per character, generously
        assert figures.status_bars(frame, **kwargs).layout.margin.l == math.ceil(0.62 * 16 * 38 + 36)
    finally:
        figures._wide_font.cache_clear()
