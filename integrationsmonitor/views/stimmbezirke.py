"""Views of the second map level on the page "Quartiere": the Stimmbezirke of one election.

Each election has its own Stimmbezirke (they change between elections), so there is no time series at this
level; the Steckbrief compares a Stimmbezirk with its Stadtbezirk and the city at the same election. At
Stimmbezirk level only the turnout at the polling station is exact (postal votes are counted in separate
Briefwahlbezirke) — every figure says which turnout it is. Published election results: nothing is suppressed.
No Streamlit import.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from integrationsmonitor import formatting as fmt
from integrationsmonitor.config import CITY_ID
from integrationsmonitor.ingest.geo import GeoFeature
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views.mapfigure import choropleth_map, clicked_area
from integrationsmonitor.views.result import ViewResult

MERKMALE = {"urne": "Wahlbeteiligung im Wahllokal (ohne Briefwahl)", "berechtigte": "Wahlberechtigte"}
LEVELS = {"stadtbezirk": "Stadtbezirke", "stimmbezirk": "Stimmbezirke (je Wahl)"}
STABLE_NOTE = ("Stimmbezirke werden zu jeder Wahl neu zugeschnitten; Zeitreihen gibt es deshalb nur für die "
               "Stadtbezirke und die Stadt.")
URNE_NOTE = ("Auf Stimmbezirksebene ist nur die Beteiligung im Wahllokal exakt: Briefwählende werden in eigenen "
             "Briefwahlbezirken gezählt.")
COLORS = {"stimmbezirk": "#08519c", "stadtbezirk": "#6baed6", "stadt": "#b35806"}


def _num(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _date(value: object) -> dt.date:
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value  # type: ignore[return-value]


def election_options(runner: QueryRunner) -> dict[str, str]:
    """Elections with Stimmbezirk geometry, newest first: id → "Kommunalwahl (Rat) 14.09.2025"."""
    rows = runner.run("quartier_wahlen")
    return {r.id: f"{r.kind_label} {fmt.date(_date(r.election_date))}" for r in rows.itertuples()}


def stimmbezirk_options(runner: QueryRunner, wahl: str) -> dict[str, str]:
    rows = runner.run("quartier_stimmbezirk_karte", wahl=wahl)
    return {r.area_id: f"{r.area_name} ({r.stadtbezirk_name})" for r in rows.itertuples()}


def belongs_to_other_election(value: object, wahl: str, elections: Mapping[str, str]) -> bool:
    """True for a Stimmbezirk id (from the URL) of another known election than ``wahl``."""
    text = str(value or "")
    return any(text.startswith(f"{other}-") for other in elections if other != wahl)


def stimmbezirk_from_selection(selection: object, options: Sequence[str]) -> str | None:
    """The clicked Stimmbezirk (customdata[0] of the map point) if it belongs to the shown election."""
    return clicked_area(selection, options)


@functools.lru_cache(maxsize=8)
def _parse(rows: tuple[tuple, ...]) -> tuple[GeoFeature, ...]:
    return tuple(GeoFeature(a, level, name, json.loads(g), bool(s), src, att, lic)
                 for a, level, name, g, s, src, att, lic in rows)


def _features(runner: QueryRunner, query: str, **params: object) -> tuple[GeoFeature, ...]:
    rows = runner.run(query, **params)
    columns = ("area_id", "level", "name", "geojson", "is_schematic", "source", "attribution", "licence")
    return _parse(tuple(zip(*(rows[c] for c in columns), strict=True)))


def _election(runner: QueryRunner, wahl: str) -> dict | None:
    rows = runner.run("quartier_wahlen")
    match = rows[rows["id"] == wahl]
    return None if match.empty else match.iloc[0].to_dict()


def stimmbezirk_karte(runner: QueryRunner, wahl: str | None = None, merkmal: str = "urne") -> ViewResult:
    """Choropleth of one election's Stimmbezirke: polling-station turnout or electorate; Stadtbezirke as lines.

    The map does not depend on the chosen Stimmbezirk (plotly marks the clicked area itself), so choosing
    another Stimmbezirk reruns only the Steckbrief.
    """
    elections = election_options(runner)
    wahl = wahl if wahl in elections else next(iter(elections), None)
    merkmal = merkmal if merkmal in MERKMALE else "urne"
    params = {"wahl": wahl, "merkmal": merkmal}
    if wahl is None:
        return ViewResult("stimmbezirk_karte", "Stimmbezirke", None, pd.DataFrame(), "–", "–",
                          "Es ist keine Wahl mit Stimmbezirksgrenzen geladen.", params=params)
    info = _election(runner, wahl) or {}
    rows = runner.run("quartier_stimmbezirk_karte", wahl=wahl)
    column = "beteiligung_urne" if merkmal == "urne" else "wahlberechtigte"
    unit = "%" if merkmal == "urne" else "Wahlberechtigte"
    values = {r.area_id: _num(getattr(r, column)) for r in rows.itertuples()}
    areas = _features(runner, "quartier_stimmbezirk_geometrie", wahl=wahl)
    base = _features(runner, "quartier_geometrie")
    outline = [f for f in base if f.level == "stadt"]
    districts = [f for f in base if f.level == "stadtbezirk"]
    label = MERKMALE[merkmal]
    when = fmt.date(_date(info["election_date"])) if info else "–"

    def shown(v: float) -> str:
        return fmt.percent(v) if unit == "%" else fmt.number(v)

    fig = choropleth_map([*outline, *areas], values, title=f"{label}, {elections[wahl]}",
                         value_label=label if unit == "%" else "Wahlberechtigte", value_format=shown,
                         labels=False, context=districts)
    table = pd.DataFrame({
        "Stimmbezirk": list(rows["area_name"]),
        "Stadtbezirk": list(rows["stadtbezirk_name"]),
        "Wahlbeteiligung im Wahllokal (%)": [fmt.percent(_num(v)) for v in rows["beteiligung_urne"]],
        "Wahlberechtigte": [fmt.number(_num(v)) for v in rows["wahlberechtigte"]],
    })
    valid = {k: v for k, v in values.items() if v is not None}
    names = dict(zip(rows["area_id"], rows["area_name"], strict=True))
    if valid:
        top, low = max(valid, key=valid.get), min(valid, key=valid.get)
        sentence = (f"Bei der {elections[wahl]} reichte {label if unit == '%' else 'die Zahl der Wahlberechtigten'} "
                    f"in den {len(valid)} Stimmbezirken von {shown(valid[low])} ({names[low]}) bis "
                    f"{shown(valid[top])} ({names[top]}).")
    else:
        sentence = f"Für die {elections[wahl]} liegen keine Stimmbezirkswerte vor."
    notes = [URNE_NOTE, STABLE_NOTE]
    source = rows["source"].iloc[0] if not rows.empty and rows["source"].iloc[0] else "–"
    return ViewResult("stimmbezirk_karte", f"{label} nach Stimmbezirk, {elections[wahl]}", fig, table,
                      f"{source}; Grenzen: {areas[0].source}" if areas else source, when, sentence, False, notes,
                      params)


def stimmbezirk_steckbrief(runner: QueryRunner, wahl: str | None = None,
                           stimmbezirk: str | None = None) -> ViewResult:
    """Profile of one Stimmbezirk: its turnout and electorate, its Stadtbezirk and the city for comparison."""
    elections = election_options(runner)
    wahl = wahl if wahl in elections else next(iter(elections), None)
    options = stimmbezirk_options(runner, wahl) if wahl else {}
    stimmbezirk = stimmbezirk if stimmbezirk in options else next(iter(options), None)
    params = {"wahl": wahl, "stimmbezirk": stimmbezirk}
    if wahl is None or stimmbezirk is None:
        return ViewResult("stimmbezirk_steckbrief", "Steckbrief Stimmbezirk", None, pd.DataFrame(), "–", "–",
                          "Es ist keine Wahl mit Stimmbezirken geladen.", params=params)
    info = _election(runner, wahl) or {}
    rows = runner.run("quartier_stimmbezirk_steckbrief", wahl=wahl, stimmbezirk=stimmbezirk)
    areas = list(dict.fromkeys(rows["area_id"]))
    names = dict(zip(rows["area_id"], rows["area_name"], strict=True))
    level = dict(zip(rows["area_id"], rows["level"], strict=True))
    value = {(r.area_id, r.merkmal): _num(r.value) for r in rows.itertuples()}
    approx = {(r.area_id, r.merkmal) for r in rows.itertuples() if r.is_approx}
    headers = [names[a] + (" (Stadt)" if level[a] == "stadt" else "") for a in areas]
    labels = {"urne": "Wahlbeteiligung im Wahllokal (ohne Briefwahl)",
              "beteiligung": "Wahlbeteiligung einschließlich Briefwahl", "berechtigte": "Wahlberechtigte"}
    table = pd.DataFrame({"Kennzahl": list(labels.values())})
    for area, header in zip(areas, headers, strict=True):
        cells = []
        for key in labels:
            v = value.get((area, key))
            if key == "beteiligung" and v is None:
                cells.append("nur für die Stadt" if level[area] != "stadt" else fmt.MISSING)
            elif key == "berechtigte":
                cells.append(fmt.number(v))
            else:
                cells.append(fmt.value_with_unit(v, "%", approx=(area, key) in approx))
        table[header] = cells
    mine = value.get((stimmbezirk, "urne"))
    parent = next((a for a in areas if level[a] == "stadtbezirk"), None)
    fig = go.Figure(go.Bar(
        x=headers, y=[value.get((a, "urne")) for a in areas], marker_color=[COLORS[level[a]] for a in areas],
        text=[fmt.percent(value.get((a, "urne"))) for a in areas], textposition="outside",
        hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_layout(title=f"Wahlbeteiligung im Wahllokal: {names[stimmbezirk]} im Vergleich",
                      separators=fmt.PLOTLY_SEPARATORS, yaxis_title="%", showlegend=False,
                      margin={"l": 10, "r": 10, "t": 50, "b": 40})
    city = value.get((CITY_ID, "urne"))
    if mine is not None and parent and city is not None:
        sentence = (f"Im Stimmbezirk {names[stimmbezirk]} gaben bei der {elections[wahl]} {fmt.percent(mine)} der "
                    f"{fmt.number(value.get((stimmbezirk, 'berechtigte')))} Wahlberechtigten ihre Stimme im "
                    f"Wahllokal ab (Stadtbezirk {names[parent]}: {fmt.percent(value.get((parent, 'urne')))}, "
                    f"Hagen: {fmt.percent(city)}).")
    else:
        sentence = f"Für den Stimmbezirk {names.get(stimmbezirk, stimmbezirk)} liegen keine Werte vor."
    notes = [URNE_NOTE]
    if info.get("postal_note"):
        notes.append("Briefwahl: " + str(info["postal_note"]))
    if info.get("notes"):
        notes.append(str(info["notes"]))
    notes.append(STABLE_NOTE)
    source = "; ".join(sorted(set(rows["source"]))) or "–"
    when = fmt.date(_date(info["election_date"])) if info else "–"
    return ViewResult("stimmbezirk_steckbrief", f"Steckbrief Stimmbezirk {names[stimmbezirk]}", fig, table, source,
                      when, sentence, False, notes, params)
