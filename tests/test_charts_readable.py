"""Charts that cannot be misread (issue 16, §1 and §3): year-end ticks, axes ending at the data, nothing written
over the points, the legend below, the nationality in every title, rates instead of district size, public
source names — for every registered view, not just one chart. Expectations are literal."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from integrationsmonitor import wording
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import figures
from integrationsmonitor.views import index as views
from integrationsmonitor.views.result import ViewResult

ENGLISH_MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d", re.I)

#: every registered view with parameters that make it draw (the defaults where it needs none)
CASES = [
    ("indikator_zeitreihe", {"indikator": "auslaender"}), ("indikator_zeitreihe", {"indikator": "einwohner"}),
    ("indikator_zeitreihe", {"indikator": "zuzuege"}), ("eu2_stadt_quellen", {}), ("eu2_bezirke_zeitreihe", {}),
    ("eu2_anteil_bezirke", {}), ("eu2_fluktuation", {}), ("eu2_altersstruktur", {}),
    ("vergleich_eu2_staedte", {}), ("vergleich_eu2_index", {}), ("vergleich_auslaender_nrw", {}),
    ("vergleich_migrationshintergrund", {}), ("vergleich_eu2_nrw", {}), ("status_uebersicht", {}),
    ("quartier_karte", {"indikator": "auslaender.BG"}), ("quartier_steckbrief", {"bezirk": "SB1"}),
    ("quartier_zeitreihe", {"bezirk": "SB1", "indikator": "zuzuege.RO"}),
    ("quartier_vergleich", {"bezirk": "SB1", "indikator": "auslaender.BG"}), ("eu2_leitziele", {}),
    ("vergleich_amtliche_bevoelkerung", {}), ("vergleich_eu2_anteil_amtlich", {}),
]


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def test_year_end_dates_stand_on_their_own_year_tick():
    ticks, labels = figures.date_ticks([dt.date(2020, 12, 31), dt.date(2021, 12, 31), dt.date(2022, 12, 31)])
    assert ticks == ["2020-12-31", "2021-12-31", "2022-12-31"]
    assert labels == ["2020", "2021", "2022"]  # the value of 31.12.2022 sits on the tick "2022", not "2023"


def test_mixed_dates_get_date_ticks_at_year_ends():
    ticks, labels = figures.date_ticks([dt.date(2014, 12, 31), dt.date(2015, 9, 1), dt.date(2016, 9, 1)])
    assert ticks == ["2014-12-31", "2015-12-31"]
    assert labels == ["31.12.2014", "31.12.2015"]


def test_without_a_year_end_the_data_dates_are_the_ticks():
    assert figures.date_ticks([dt.date(2021, 10, 1)]) == (["2021-10-01"], ["01.10.2021"])


def test_many_years_thinned_but_the_newest_kept():
    days = [dt.date(y, 12, 31) for y in range(2000, 2025)]  # 25 year-ends
    ticks, labels = figures.date_ticks(days)
    assert len(ticks) <= figures.MAX_TICKS and labels[-1] == "2024" and ticks[-1] == "2024-12-31"
    assert labels == ["2000", "2003", "2006", "2009", "2012", "2015", "2018", "2021", "2024"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"period": [dt.date(2020, 12, 31), dt.date(2021, 12, 31), dt.date(2022, 12, 31)],
                         "value": [100.0, 110.0, 130.0], "source": ["IT.NRW"] * 3})


def test_axis_ends_at_the_data_even_with_a_later_deadline():
    fig = figures.time_series(_frame(), x="period", y="value", series="source", title="T", unit="Personen",
                              target=150, target_due=dt.date(2030, 12, 31))
    lo, hi = (_day(v) for v in fig.layout.xaxis.range)
    assert dt.date(2020, 9, 1) < lo < dt.date(2020, 12, 31) and dt.date(2022, 12, 31) < hi < dt.date(2023, 4, 1)
    assert "Zielwert 150 bis 31.12.2030" in {t.name for t in fig.data}  # the deadline stays readable
    assert not any("2030" in (a.text or "") for a in fig.layout.annotations)  # no line in an empty 2030


def test_event_labels_stand_above_the_plot_and_never_over_a_point():
    fig = figures.time_series(_frame(), x="period", y="value", series="source", title="T",
                              events=[(dt.date(2021, 6, 1), "Ereignis A"), (dt.date(2022, 11, 1), "Ereignis B")])
    labels = {a.text: a for a in fig.layout.annotations}
    assert set(labels) == {"Ereignis A", "Ereignis B"}
    for a in labels.values():
        assert a.yref == "paper" and a.y == 1 and a.yanchor == "bottom"  # the label's lower edge on the plot top
    assert labels["Ereignis B"].xanchor == "right"  # near the newest point: text runs inwards, not off the chart
    assert fig.layout.margin.t == figures.TOP_MARGIN + 2 * figures.EVENT_ROW


def test_legend_below_and_the_figure_grows_with_its_rows():
    fig = go.Figure([go.Scatter(x=[1], y=[1], name=f"Quelle Nummer {i} mit einem recht langen Namen")
                     for i in range(6)])
    fig.update_layout(height=460)
    figures.legend_below(fig)
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    assert fig.layout.legend.orientation == "h"
    rows = figures.legend_rows([t.name for t in fig.data])
    assert rows == 3  # widest entry 40 + 0,55 × 16 × 45 = 436 px → two per 1.000 px row
    assert fig.layout.height == 460 + 3 * figures.LEGEND_ROW
    figures.legend_below(fig)  # idempotent: finishing twice does not grow it again
    assert fig.layout.height == 460 + 3 * figures.LEGEND_ROW


@pytest.mark.parametrize(("raw", "public"), [
    ("Stadt Dortmund (spokesperson, via WAZ)", "Stadt Dortmund (laut WAZ)"),
    ("IT.NRW Bevölkerungsfortschreibung (via Wikipedia infobox mirror)", "IT.NRW Bevölkerungsfortschreibung"),
    ("Beispieldaten (erzeugt mit integrationsmonitor.example_data, Seed 20261125)", "Beispieldaten"),
    ("source not explicit (IT.NRW or city register) via WP", "Quelle nicht genannt (IT.NRW oder Melderegister), laut WP"),
    ("IT.NRW Ausländerstatistik", "IT.NRW Ausländerstatistik"),
])
def test_public_source_names(raw: str, public: str):
    assert wording.public_source(raw) == public


@pytest.mark.parametrize(("note", "public"), [
    ('APPROXIMATE: "etwa 1200 Bulgaren" (Stand 1. September 2016); same source as F07', "ca.; „etwa 1200 Bulgaren“"),
    ('"Stand 1. September" — YEAR INFERRED as 2015 from article context', "Jahr erschlossen; „Stand 1. September“"),
    ("police statistics quoted by RP", ""),
])
def test_delivery_notes_in_german(note: str, public: str):
    assert wording.public_note(note) == public


@pytest.fixture(scope="module")
def rendered(runner: QueryRunner) -> list[ViewResult]:
    return [views.render(key, runner, **params) for key, params in CASES]


INTERNAL = ("spokesperson", "via ", "Wikipedia", "infobox", "Seed", "integrationsmonitor.", "example_data",
            "aktueller Build", "APPROXIMATE", "YEAR INFERRED", "ROUNDED")


def test_no_internal_notes_or_english_months_anywhere(rendered):
    for result in rendered:
        shown = json.dumps([result.title, result.source_line, result.sentence, result.stand, result.footnotes,
                            result.table.astype(str).to_dict("list"),
                            result.figure.to_plotly_json() if result.figure is not None else None],
                           ensure_ascii=False, default=str)
        for word in INTERNAL:
            assert word not in shown, f"{result.key}: „{word}“ öffentlich sichtbar"
        assert not ENGLISH_MONTHS.search(shown.replace("Sep.", "")), result.key


def test_every_date_axis_has_german_ticks_at_the_data(rendered):
    checked = 0
    for result in rendered:
        fig = result.figure
        if fig is None or not any(isinstance(v, (dt.date, pd.Timestamp)) for t in fig.data
                                  for v in _xs(t)):
            continue
        axis = fig.layout.xaxis
        assert axis.tickmode == "array" and axis.ticktext, result.key
        for value, text in zip(axis.tickvals, axis.ticktext, strict=True):
            assert _day(value).month == 12 and _day(value).day == 31 or len(axis.tickvals) == 1, result.key
            assert text in (str(_day(value).year), _day(value).strftime("%d.%m.%Y")), result.key
        newest = max(_as_date(v) for t in fig.data for v in _xs(t) if isinstance(v, (dt.date, pd.Timestamp)))
        assert _day(axis.range[1]) < newest + dt.timedelta(days=400), result.key  # no empty years at the end
        assert fig.layout.legend.yref == "container", result.key
        checked += 1
    assert checked >= 7


def _xs(trace) -> list:
    x = getattr(trace, "x", None)
    return [] if x is None else list(x)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value


def test_nationality_in_title_sentence_and_table(runner: QueryRunner):
    karte = views.render("quartier_karte", runner, indikator="auslaender.BG", stichtag="2024-12-31")
    assert karte.title == "Ausländer:innen – Bulgarien nach Stadtbezirk"
    assert "Bulgarien" in karte.figure.layout.title.text and "Bulgarien" in karte.sentence
    assert "Ausländer:innen – Bulgarien (Personen)" in karte.table.columns
    reihe = views.render("quartier_zeitreihe", runner, bezirk="SB1", indikator="zuzuege.RO")
    assert reihe.title == "Zuzüge über die Stadtgrenze – Rumänien: Zeitreihe Hagen-Mitte"
    assert "Rumänien" in reihe.sentence and all("Rumänien" in c for c in reihe.table.columns[1:])
    vergleich = views.render("quartier_vergleich", runner, bezirk="SB1", indikator="fortzuege.BG")
    assert "Fortzüge über die Stadtgrenze – Bulgarien" in vergleich.title


def test_map_colours_counts_by_rate_with_the_count_beside(runner: QueryRunner):
    karte = views.render("quartier_karte", runner, indikator="auslaender.BG", stichtag="2024-12-31")
    counts = runner.run("quartier_karte", indikator="auslaender", nationalitaet="BG", stichtag=dt.date(2024, 12, 31))
    people = runner.run("quartier_karte", indikator="einwohner", nationalitaet="_T", stichtag=dt.date(2024, 12, 31))
    count = dict(zip(counts["area_id"], counts["value"], strict=True))
    residents = dict(zip(people["area_id"], people["value"], strict=True))
    colour = karte.figure.data[0]
    for area, z in zip(colour.locations, colour.z, strict=True):
        assert z == pytest.approx(100 * count[area] / residents[area])
    assert colour.colorbar.title.text == "Ausländer:innen – Bulgarien (je 100 Einwohner:innen)"
    hover = dict(zip(colour.locations, (c[2] for c in colour.customdata), strict=True))
    sb1 = f"{count['SB1']:,.0f}".replace(",", ".")
    rate = f"{100 * count['SB1'] / residents['SB1']:.1f}".replace(".", ",")
    assert hover["SB1"] == f"{sb1} ({rate} je 100 Einwohner:innen)"


def test_steckbrief_ranks_counts_by_rate_and_shows_shares_with_their_base(runner: QueryRunner):
    table = views.render("quartier_steckbrief", runner, bezirk="SB1", stichtag="2024-12-31").table
    by_name = table.set_index("Kennzahl")
    assert by_name.loc["Einwohner:innen", "Rang unter den Stadtbezirken"] == "–"  # size has no rank
    assert by_name.loc["Ausländer:innen – Polen", "Rang unter den Stadtbezirken"].endswith("(je 100 Einwohner:innen)")
    assert re.fullmatch(r"\d+,\d\u00a0%", by_name.loc["Ausländeranteil", "Hagen-Mitte"])
    assert re.fullmatch(r"[\d.]+ von [\d.]+", by_name.loc["Ausländeranteil", "Anteil: Anzahl von Grundgesamtheit"])
    assert re.fullmatch(r"\d+,\d je 100", by_name.loc["Ausländer:innen – Polen", "Hagen-Mitte je Einwohner:innen"])
    # Polen: Hagen-Mitte has the most Poles but not the most per 100 residents (example data, built from data/)
    obs = runner.run("quartier_karte", indikator="auslaender", nationalitaet="PL", stichtag=dt.date(2024, 12, 31))
    people = runner.run("quartier_karte", indikator="einwohner", nationalitaet="_T", stichtag=dt.date(2024, 12, 31))
    obs = obs[obs["level"] == "stadtbezirk"].merge(people[["area_id", "value"]], on="area_id", suffixes=("", "_ew"))
    obs["rate"] = obs["value"] / obs["value_ew"]
    expected = 1 + int((obs["rate"] > float(obs.loc[obs["area_id"] == "SB1", "rate"].iloc[0])).sum())
    assert by_name.loc["Ausländer:innen – Polen", "Rang unter den Stadtbezirken"] == \
        f"{expected} von 5 (je 100 Einwohner:innen)"


def test_xx_is_named_and_explained(runner: QueryRunner):
    karte = views.render("quartier_karte", runner, indikator="auslaender.XX", stichtag="2024-12-31")
    assert karte.title == "Ausländer:innen – übrige Staaten nach Stadtbezirk"
    assert any(n.startswith("„übrige Staaten“ = alle nicht einzeln ausgewiesenen") for n in karte.footnotes)


@pytest.mark.parametrize("text", ["=SUMME(A1:A3)", "Hagen (IT.NRW Ausländerstatistik)", "x (a,b)", "12,3\u00a0%"])
def test_public_text_leaves_other_text_exactly_as_it_is(text: str):
    assert wording.public_text(text) == text


def test_marks_on_points_and_bars_are_never_cut_at_the_plot_edge(rendered):
    """A "ca." or "*" on the newest point (often the highest) or a bar's value label must not be clipped by the
    plot area: every bar or scatter trace that writes text draws it outside the axes where needed."""
    checked = 0
    for result in rendered:
        if result.figure is None:
            continue
        for trace in result.figure.data:
            texts = [t for t in (trace.text if isinstance(trace.text, (list, tuple)) else [trace.text]) if t]
            outside = trace.type == "bar" and trace.textposition in ("outside", "auto", None) or \
                trace.type == "scatter" and "text" in (trace.mode or "")
            if texts and outside:
                checked += 1
                assert trace.cliponaxis is False, (result.key, trace.name, texts[:3])
    assert checked >= 5


def test_axis_numbers_in_full_with_german_grouping_never_si_suffixes(rendered):
    """Plotly writes "100k", "1.5M" or "1e+05" on linear axes by default; German readers get "100.000"."""
    import re

    from integrationsmonitor.exports import renderer

    figures = [r for r in rendered if r.figure is not None]
    svgs = renderer.render([r.figure.to_dict() for r in figures],
                           {"format": "svg", "width": 960, "height": 540, "scale": 1})
    renderer.stop()
    seen = 0
    for result, svg in zip(figures, svgs, strict=True):
        for tick in re.findall(r'<g class="[xy]tick">.*?>([^<>]+)</text>', svg.decode()):
            seen += 1
            assert not re.search(r"\d\s*[kMGTBµ]$|e[+-]\d", tick), (result.key, tick)
    assert seen > 100


def test_counts_and_shares_are_drawn_from_zero(runner):
    """A line of counts or shares that starts above 0 makes a small change look like a collapse: every chart's
    value axis starts at 0 (Plotly's bars do so themselves), except an index, which is read against its 100."""
    from_zero, index = [], []
    for key, params in CASES:
        figure = views.render(key, runner, **params).figure
        if figure is None or not figure.data or figure.data[0].type not in ("scatter", "bar"):
            continue
        horizontal = figure.data[0].type == "bar" and figure.data[0].orientation == "h"
        axis = figure.layout.xaxis if horizontal else figure.layout.yaxis
        if str(axis.title.text or "").startswith("Index"):
            index.append((key, axis.rangemode))
            continue
        lines = any(t.type == "scatter" for t in figure.data)
        starts = axis.rangemode == "tozero" or (axis.range is not None and axis.range[0] == 0) or not lines
        from_zero.append((key, starts))
    assert sorted(index) == [("vergleich_auslaender_nrw", "normal"), ("vergleich_eu2_index", "normal")]
    assert [key for key, starts in from_zero if not starts] == []
    assert len(from_zero) == 15, from_zero  # the rest of CASES: maps and views without a chart


def test_finish_draws_every_line_chart_from_zero_unless_the_chart_chose_its_range():
    """The rule sits in ``figures.finish`` (every view's figure passes it), so a new line chart gets it too."""
    import plotly.graph_objects as go

    from integrationsmonitor.views import figures

    def line(**layout):
        fig = go.Figure(go.Scatter(x=["2020-12-31", "2021-12-31"], y=[1210, 1250], mode="lines+markers"))
        fig.add_trace(go.Scatter(x=["2020-12-31", "2021-12-31"], y=[7.5, 7.9], yaxis="y2"))  # mode unset: lines
        return figures.finish(fig.update_layout(yaxis2={"overlaying": "y", "side": "right"}, **layout))

    plain = line()
    assert (plain.layout.yaxis.rangemode, plain.layout.yaxis2.rangemode) == ("tozero", "tozero")
    index = line(yaxis_rangemode="normal")  # an index, read against its 100
    assert (index.layout.yaxis.rangemode, index.layout.yaxis2.rangemode) == ("normal", "tozero")
    fixed = line(yaxis_range=[1000, 1300])
    assert fixed.layout.yaxis.rangemode is None and tuple(fixed.layout.yaxis.range) == (1000, 1300)
    dots = figures.finish(go.Figure(go.Scatter(x=[3.1, 4.2], y=[20.5, 31.0], mode="markers")))
    assert dots.layout.yaxis.rangemode is None  # two indicators against each other: no line, no 0 forced
    # idempotent: a finished figure passes again unchanged
    assert figures.finish(go.Figure(plain)).layout.yaxis.rangemode == "tozero"
