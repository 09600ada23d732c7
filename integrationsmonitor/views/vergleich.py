"""Benchmark views (issue 8): Hagen against NRW and comparison cities, like with like only.

The comparison switch Bezirk · Hagen · NRW · Vergleichsstädte picks views via :func:`eu2_vergleich_views`;
the Leitziel detail renders ``vergleich_migrationshintergrund``. All rules live in ``comparison``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from integrationsmonitor import formatting as fmt
from integrationsmonitor import wording
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import comparison as cmp
from integrationsmonitor.views.result import ViewResult

VERGLEICH = {"bezirk": "Bezirk", "hagen": "Hagen", "nrw": "NRW", "vergleichsstaedte": "Vergleichsstädte"}
LEVEL_COLOR = {"stadt": "#b35806", "land": "#542788", "vergleichsstadt": "#2166ac", "kreis": "#5aae61"}
DASHES = ["solid", "dot", "dash", "longdash", "dashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]


def eu2_vergleich_views(vergleich: str) -> list[str]:
    """Views of the EU-2 page for one position of the comparison switch."""
    return {
        "bezirk": ["eu2_anteil_bezirke"],
        "hagen": ["eu2_bezirke_zeitreihe"],
        "nrw": ["vergleich_amtliche_bevoelkerung", "vergleich_eu2_nrw", "vergleich_auslaender_nrw"],
        "vergleichsstaedte": ["vergleich_eu2_staedte", "vergleich_eu2_index", "vergleich_eu2_anteil_amtlich"],
    }[vergleich]


def _obs(runner: QueryRunner, indicators: list[str]) -> list[cmp.Obs]:
    return cmp.obs_from_records(runner.run("vergleich_reihen", indikatoren=indicators).to_dict("records"))


def _series_figure(series: list[cmp.Series], title: str, y_title: str, values=None) -> go.Figure:
    """One line per area × source: colour by area level, dash and marker by source; each point at its date."""
    sources = sorted({s.source for s in series})
    fig = go.Figure()
    for i, s in enumerate(series):
        k = sources.index(s.source)
        ys = values(s) if values else [p.value for p in s.points]
        fig.add_trace(go.Scatter(
            x=[p.period for p in s.points][-len(ys):], y=ys, mode="lines+markers+text", name=s.label,
            text=[("ca." if p.approx else "") + ("*" if p.date_uncertain else "") for p in s.points][-len(ys):],
            textposition="top center", cliponaxis=False,  # a mark on the top point is never cut
            line={"color": LEVEL_COLOR.get(s.level, "#444") if s.area_id == cmp.CITY_ID else None,
                  "dash": DASHES[k % len(DASHES)], "width": 4 if s.area_id == cmp.CITY_ID else 2},
            marker={"symbol": SYMBOLS[k % len(SYMBOLS)], "size": 10},
            hovertemplate="%{x|%d.%m.%Y}: %{y:,.1f} %{text}<extra>%{fullData.name}</extra>"))
        del i
    fig.update_layout(title=title, separators=fmt.PLOTLY_SEPARATORS, yaxis_title=y_title,
                      legend={"orientation": "h", "y": -0.25}, margin={"l": 10, "r": 10, "t": 50, "b": 40})
    if y_title.startswith("Index"):  # read against its 100, not against 0 (figures.values_from_zero)
        fig.update_yaxes(rangemode="normal")
    return fig


def _table(obs: list[cmp.Obs]) -> pd.DataFrame:
    return pd.DataFrame({
        "Gebiet": [o.area_name for o in obs],
        "Stichtag": [fmt.date(o.period) + ("*" if o.date_uncertain else "") for o in obs],
        "Wert": [o.text() for o in obs],
        "Quelle": [o.source for o in obs],
        "Hinweis": [wording.public_note(o.note, derived=o.is_derived) for o in obs],
    })


def vergleich_migrationshintergrund(runner: QueryRunner, vergleich: str = "vergleichsstaedte") -> ViewResult:
    """Share of residents with a migration background: Hagen among the areas with a comparable figure."""
    obs = [o for o in _obs(runner, ["anteil_migrationshintergrund"]) if o.value is not None]
    title = "Anteil der Bevölkerung mit Migrationshintergrund im Vergleich"
    if not obs:
        return ViewResult("vergleich_migrationshintergrund", title, None, pd.DataFrame(), "–", "–",
                          "Für den Anteil mit Migrationshintergrund liegen keine Vergleichszahlen vor.", False, [],
                          {"vergleich": vergleich})
    latest = max(o.period for o in obs if o.area_id == cmp.CITY_ID) if any(
        o.area_id == cmp.CITY_ID for o in obs) else max(o.period for o in obs)
    same = sorted([o for o in obs if o.period == latest], key=lambda o: -o.value)
    if vergleich == "nrw":
        same = [o for o in same if o.level in ("stadt", "land")]
    result = cmp.rank(same, cmp.CITY_ID, what="Anteil der Bevölkerung mit Migrationshintergrund")
    fig = go.Figure(go.Bar(
        x=[o.area_name for o in same], y=[o.value for o in same],
        text=[o.text() + ("*" if o.date_uncertain else "") for o in same], textposition="outside",
        marker_color=[LEVEL_COLOR["stadt"] if o.area_id == cmp.CITY_ID else "#737373" for o in same],
        # Hagen cross-hatched (not by colour alone), approximate values hatched
        marker_pattern_shape=["x" if o.area_id == cmp.CITY_ID else "/" if o.approx else "" for o in same]))
    fig.update_layout(title=title, separators=fmt.PLOTLY_SEPARATORS, yaxis_title="%", showlegend=False,
                      margin={"l": 10, "r": 10, "t": 50, "b": 40})
    sentence = result.sentence
    if not any(o.level == "land" for o in same):
        sentence += (" Ein Wert für NRW insgesamt liegt nicht vor; die Quelle nennt Hagens Anteil den höchsten in NRW"
                     " – das lässt sich mit den vorliegenden Zahlen nur für die gezeigten Gebiete prüfen.")
    notes = cmp.footnotes(same) + ["Alle Werte stammen aus derselben Quelle und Definition (IT.NRW, "
                                   "„Migrationshintergrund“ wie vom Landesamt ermittelt)."]
    return ViewResult("vergleich_migrationshintergrund", title, fig, _table(same),
                      "; ".join(sorted({o.source for o in same})), cmp.stand_text(same), sentence, False, notes,
                      {"vergleich": vergleich})


def _eu2_selection(runner: QueryRunner) -> tuple[list[cmp.Obs], cmp.Selection]:
    obs = [o for o in _obs(runner, ["auslaender", "eu2_bestand"]) if o.nationality in ("RO", "BG", cmp.EU2_SUM)]
    obs = [o for o in obs if o.level in ("stadt", "vergleichsstadt", "kreis")]
    return obs, cmp.select_measure(cmp.build_series(obs), cmp.EU2_MEASURE)


def vergleich_eu2_staedte(runner: QueryRunner) -> ViewResult:
    """RO+BG sums of Hagen and the comparison cities, absolute numbers, one line per area and source."""
    obs, sel = _eu2_selection(runner)
    title = "Rumän. und bulg. Staatsangehörige (Summe): Hagen und Vergleichsstädte"
    shown = [p for s in sel.series for p in s.points]
    if not sel.series:
        return ViewResult("vergleich_eu2_staedte", title, None, pd.DataFrame(), "–", "–",
                          "Es liegen keine vergleichbaren EU-2-Summen vor.", False, sel.excluded, {})
    fig = _series_figure(sel.series, title, "Personen")
    hagen = [s for s in sel.series if s.area_id == cmp.CITY_ID]
    parts = []
    for s in sel.series:
        first, last = s.points[0], s.points[-1]
        if len(s.points) >= 2:
            parts.append(f"{s.label}: von {first.text()} ({fmt.date(first.period)}) auf {last.text()} "
                         f"({fmt.date(last.period)})")
        else:
            parts.append(f"{s.label}: nur ein Wert, {last.text()} ({fmt.date(last.period)})")
    sentence = "Entwicklung der Zahl rumänischer und bulgarischer Staatsangehöriger – " + "; ".join(parts) + "."
    latest = [s.points[-1] for s in sel.series]
    sentence += " " + cmp.rank(latest, cmp.CITY_ID, what="Zahl").sentence if hagen else ""
    notes = cmp.footnotes(shown) + sel.excluded + [
        "Absolute Zahlen: Anteile nur, wo EU-2-Zahl und amtliche Einwohnerzahl denselben Stichtag haben (siehe "
        "„EU-2-Anteil mit amtlicher Einwohnerzahl“). Die Städte sind unterschiedlich groß; die Zahlen zeigen die "
        "Entwicklung, nicht die Dichte."]
    return ViewResult("vergleich_eu2_staedte", title, fig, _table(shown),
                      "; ".join(sorted({s.source for s in sel.series})), cmp.stand_text(shown), sentence, False,
                      notes, {})


def _index_chart(result: cmp.IndexResult, title: str) -> tuple[list[cmp.Series], go.Figure, list[cmp.Obs], pd.DataFrame]:
    """Series on a common base year: the series drawn, their figure, the observations shown, and the table with
    an Index column."""
    series = list(dict.fromkeys(p.series for p in result.points))
    fig = _series_figure(series, title, f"Index ({result.base_year} = 100)",
                         values=lambda s: [p.index for p in result.points if p.series is s])
    shown = [p.obs for p in result.points]
    table = _table(shown)
    table["Index"] = [fmt.number(p.index, 1) for p in result.points]
    return series, fig, shown, table


def vergleich_eu2_index(runner: QueryRunner) -> ViewResult:
    """Growth of the RO+BG sums on a common base year (= 100), where every series has a value in that year."""
    obs, sel = _eu2_selection(runner)
    result = cmp.index_on_common_base(sel.series)
    title = "Wachstum der EU-2-Zahl (Index, erstes gemeinsames Jahr = 100)"
    if result.base_year is None:
        return ViewResult("vergleich_eu2_index", title, None, pd.DataFrame(), "–", "–", result.reason, False,
                          sel.excluded, {})
    series, fig, shown, table = _index_chart(result, title)
    left_out = [s.label for s in sel.series if s not in series]
    notes = cmp.footnotes(shown) + sel.excluded
    if left_out:
        notes.append("Ohne Index (weniger als zwei Werte derselben Quelle): " + "; ".join(left_out) + ".")
    return ViewResult("vergleich_eu2_index", title, fig, table, "; ".join(sorted({s.source for s in series})),
                      cmp.stand_text(shown), cmp.index_sentence(result), False, notes, {})


def vergleich_eu2_nrw(runner: QueryRunner) -> ViewResult:
    """Hagen's EU-2 figures against NRW — only if NRW figures of the same measure exist, otherwise a sentence."""
    obs = [o for o in _obs(runner, ["auslaender", "eu2_bestand"]) if o.level in ("stadt", "land")]
    series = cmp.build_series(obs)
    sel = cmp.select_measure(series, cmp.EU2_MEASURE)
    nrw = [s for s in sel.series if s.level == "land"]
    title = "EU-2: Hagen und NRW"
    if not nrw:
        sentence = ("Für NRW liegt keine veröffentlichte Zahl rumänischer und bulgarischer Staatsangehöriger vor – "
                    "ein Vergleich mit Hagen ist daher nicht möglich. Zum Vergleich dient die Zahl aller "
                    "Ausländer:innen (gleiche Quelle IT.NRW), siehe unten.")
        return ViewResult("vergleich_eu2_nrw", title, None, pd.DataFrame(), "–", "–", sentence, False, [], {})
    shown = [p for s in sel.series for p in s.points]
    return ViewResult("vergleich_eu2_nrw", title, _series_figure(sel.series, title, "Personen"), _table(shown),
                      "; ".join(sorted({s.source for s in sel.series})), cmp.stand_text(shown),
                      cmp.index_sentence(cmp.index_on_common_base(sel.series)), False, cmp.footnotes(shown), {})


def vergleich_auslaender_nrw(runner: QueryRunner) -> ViewResult:
    """Foreign residents of Hagen and NRW from the same source (IT.NRW), indexed on the first common year."""
    obs = [o for o in _obs(runner, ["auslaender"]) if o.level in ("stadt", "land") and o.nationality == "_T"]
    series = cmp.build_series(obs)
    nrw_sources = {s.source for s in series if s.level == "land"}
    same_source = [s for s in series if s.source in nrw_sources]
    title = "Ausländer:innen in Hagen und NRW (Index, erstes gemeinsames Jahr = 100)"
    result = cmp.index_on_common_base(same_source)
    if result.base_year is None:
        return ViewResult("vergleich_auslaender_nrw", title, None, pd.DataFrame(), "–", "–", result.reason, False,
                          [], {})
    _, fig, shown, table = _index_chart(result, title)
    other = sorted({s.source for s in series if s.level == "stadt" and s.source not in nrw_sources})
    notes = cmp.footnotes(shown)
    if other:
        notes.append("Nicht im Vergleich, weil andere Quelle als die NRW-Zahl: " + "; ".join(other) + ".")
    return ViewResult("vergleich_auslaender_nrw", title, fig, table, "; ".join(sorted(nrw_sources)),
                      cmp.stand_text(shown), cmp.index_sentence(result), False, notes, {})
