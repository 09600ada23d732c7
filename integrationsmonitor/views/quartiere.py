"""Views of the page "Quartiere": district map, district profile (Steckbrief), time series, comparison switch.

Also the pure helpers the page needs to read its URL filters (validation with a German message, the clicked
district from the map selection). No Streamlit import.
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
from integrationsmonitor.urlparams import echo
from integrationsmonitor.views.mapfigure import choropleth_map
from integrationsmonitor.views.result import ViewResult
from integrationsmonitor.views.theme import AREA_BAR

DEFAULT_INDICATOR = "eu2_anteil.RO+BG"
SUPPRESSED_NOTE = "· = geheim gehalten (weniger als {n} Fälle)"
EXAMPLE_NOTE = "Werte je Stadtbezirk sind BEISPIELDATEN (reproduzierbar erzeugt), keine amtlichen Zahlen."
VERGLEICH = {"bezirk": "Bezirk", "hagen": "Hagen", "nrw": "NRW", "vergleichsstaedte": "Vergleichsstädte"}
COLORS = {"district": AREA_BAR["selected"]["color"], "city": AREA_BAR["city"]["color"], "other": AREA_BAR["other"]["color"]}
PATTERNS = {"district": AREA_BAR["selected"]["pattern"], "city": AREA_BAR["city"]["pattern"], "other": ""}


# --- URL filters (pure) --------------------------------------------------------------------------------------


def validate_choice(raw: object, options: Sequence[str], default: str, what: str,
                    labels: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """A URL value if it is one of ``options``, else the default and a German message naming both."""
    if raw is None or raw == "":
        return default, None
    value = str(raw)
    if value in options:
        return value, None
    shown = (labels or {}).get(default, default)
    return default, f"Ungültiger Wert für {what} in der Adresse: „{echo(value)}“. Angezeigt wird stattdessen „{shown}“."


def district_from_selection(selection: object, districts: Sequence[str]) -> str | None:
    """The area id of the first clicked map area (customdata[0]) if it is a known district."""
    try:
        points = selection["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        points = getattr(getattr(selection, "selection", None), "points", None) or []
    for point in points or []:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        area = (data[0] if data else None) or (point.get("location") if isinstance(point, Mapping) else None)
        if area in districts:
            return str(area)
    return None


def parse_indicator(option: str) -> tuple[str, str]:
    """'zuzuege.RO' → ('zuzuege', 'RO')."""
    indicator, _, nationality = option.partition(".")
    return indicator, nationality or "_T"


def indicator_options(runner: QueryRunner) -> dict[str, str]:
    """Map indicators (every indicator × nationality with values per Stadtbezirk) → German label."""
    rows = runner.run("quartier_indikatoren")
    options = {}
    for r in rows.itertuples():
        label = r.name if r.nationality in ("_T", "RO+BG") else f"{r.name} – {r.nationality_name}"
        options[f"{r.indicator_id}.{r.nationality}"] = label + (" (Beispieldaten)" if r.is_example else "")
    return options


def period_options(runner: QueryRunner, option: str) -> list[str]:
    """ISO dates with values at Stadtbezirk level for the indicator, newest first."""
    indicator, nationality = parse_indicator(option)
    rows = runner.run("quartier_stichtage", indikator=indicator, nationalitaet=nationality)
    return [_date(p).isoformat() for p in rows["period"]]


def district_options(runner: QueryRunner) -> dict[str, str]:
    rows = runner.run("quartier_geometrie")
    return {r.area_id: r.name for r in rows.itertuples() if r.level == "stadtbezirk"}


def features(runner: QueryRunner) -> list[GeoFeature]:
    """Map features from the geometry table (simplified at build time)."""
    rows = runner.run("quartier_geometrie")
    columns = ("area_id", "level", "name", "geojson", "is_schematic", "source", "attribution", "licence")
    return list(_parse_features(tuple(zip(*(rows[c] for c in columns), strict=True))))


@functools.lru_cache(maxsize=4)
def _parse_features(rows: tuple[tuple, ...]) -> tuple[GeoFeature, ...]:
    """GeoJSON text → features, once per distinct geometry table (the map is drawn for every indicator)."""
    return tuple(GeoFeature(area_id, level, name, json.loads(geojson), bool(schematic), source, attribution,
                            licence) for area_id, level, name, geojson, schematic, source, attribution, licence in rows)


# --- helpers -------------------------------------------------------------------------------------------------


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value  # type: ignore[return-value]


def _num(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _fmt(value: object, unit: str, suppressed: bool = False) -> str:
    return fmt.value_with_unit(_num(value), unit, suppressed=bool(suppressed))


def _threshold(runner: QueryRunner) -> int:
    """The confidentiality threshold the build applied (from its manifest, not from today's environment)."""
    return int(runner.run("build_manifest")["suppression_threshold"].iloc[0])


def _pick_source(rows: pd.DataFrame) -> pd.DataFrame:
    """One source per map/series: the one covering most districts, real figures before example data."""
    if rows.empty:
        return rows
    areas: dict[str, set[str]] = {}
    example: dict[str, bool] = {}
    for source, area, is_example in zip(rows["source"], rows["area_id"], rows["is_example"], strict=True):
        areas.setdefault(source, set()).add(area)
        example[source] = example.get(source, False) or bool(is_example)
    best = min(areas, key=lambda src: (-len(areas[src]), example[src], src))
    return rows[rows["source"] == best]


def _source_line(source: str) -> str:
    return source if source else "–"


# --- views ---------------------------------------------------------------------------------------------------


def quartier_karte(runner: QueryRunner, indikator: str = DEFAULT_INDICATOR, stichtag: str | None = None,
                   bezirk: str | None = None) -> ViewResult:
    """Choropleth of the Stadtbezirke for one indicator and date; suppressed districts shown as '·'."""
    indicator, nationality = parse_indicator(indikator)
    periods = period_options(runner, indikator)
    stichtag = stichtag or (periods[0] if periods else dt.date.today().isoformat())
    rows = runner.run("quartier_karte", indikator=indicator, nationalitaet=nationality,
                      stichtag=_date(stichtag))
    districts = _pick_source(rows[rows["level"] == "stadtbezirk"])
    city = rows[(rows["level"] == "stadt") & rows["source"].isin(districts["source"])]
    title_name = rows["indicator_name"].iloc[0] if not rows.empty else indicator
    unit = rows["unit"].iloc[0] if not rows.empty else ""
    label = f"{title_name} ({unit})"
    example = bool(districts["is_example"].any()) if not districts.empty else False
    values = {r.area_id: _num(r.value) for r in districts.itertuples()}
    suppressed = {r.area_id for r in districts.itertuples() if r.suppressed}
    feats = features(runner)
    fig = choropleth_map(feats, values, title=f"{label}, {fmt.date(_date(stichtag))}",
                         value_label=label, value_format=lambda v: fmt.value_with_unit(v, unit),
                         suppressed=suppressed, highlight=bezirk, example_data=example) if not rows.empty else None
    table = pd.DataFrame({
        "Stadtbezirk": districts["area_name"],
        f"{title_name} ({unit})": [_fmt(r.value, unit, r.suppressed) for r in districts.itertuples()],
    })
    if not city.empty:
        table.loc[len(table)] = ["Hagen (Stadt)", _fmt(city["value"].iloc[0], unit, city["suppressed"].iloc[0])]
    shown = {k: v for k, v in values.items() if v is not None and k not in suppressed}
    if shown:
        top = max(shown, key=shown.get)
        low = min(shown, key=shown.get)
        names = dict(zip(districts["area_id"], districts["area_name"], strict=True))
        sentence = (f"Am {fmt.date(_date(stichtag))} hatte {names[top]} mit {fmt.value_with_unit(shown[top], unit)} "
                    f"den höchsten und {names[low]} mit {fmt.value_with_unit(shown[low], unit)} den niedrigsten "
                    f"Wert ({title_name}).")
        if not city.empty and _num(city["value"].iloc[0]) is not None and unit == "%":
            sentence += f" Der Stadtdurchschnitt liegt bei {fmt.value_with_unit(_num(city['value'].iloc[0]), unit)}."
    else:
        sentence = f"Für {title_name} am {fmt.date(_date(stichtag))} liegen keine veröffentlichbaren Bezirkswerte vor."
    notes = [EXAMPLE_NOTE] if example else []
    if suppressed:
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)))
    if any(f.schematic for f in feats):
        notes.append("Karte: schematische Darstellung der Stadtbezirke – keine amtlichen Grenzen.")
    source = districts["source"].iloc[0] if not districts.empty else "–"
    return ViewResult("quartier_karte", f"{label} nach Stadtbezirk", fig, table, _source_line(source),
                      fmt.date(_date(stichtag)), sentence, example, notes,
                      {"indikator": indikator, "stichtag": stichtag, "bezirk": bezirk})


def quartier_steckbrief(runner: QueryRunner, bezirk: str = "SB1", stichtag: str | None = None) -> ViewResult:
    """District profile: key figures against the city and rank among the districts."""
    names = district_options(runner)
    rows = runner.run("quartier_steckbrief", bezirk=bezirk, stichtag=_date(stichtag or "9999-12-31"))  # newest each
    name = names.get(bezirk, bezirk)
    table = pd.DataFrame({
        "Kennzahl": [r.indicator_name + ("" if r.nationality in ("_T", "RO+BG") else f" ({r.nationality})")
                     for r in rows.itertuples()],
        "Stichtag": [fmt.date(_date(p)) for p in rows["period"]],
        name: [_fmt(r.value, r.unit, r.suppressed) for r in rows.itertuples()],
        "Hagen": [_fmt(r.stadt_value, r.unit, bool(r.stadt_suppressed)) for r in rows.itertuples()],
        "Rang unter den Stadtbezirken": [
            fmt.SUPPRESSED if r.suppressed else
            (f"{int(r.rang)} von {int(r.bezirke_mit_wert)}" if _num(r.rang) is not None else fmt.MISSING)
            for r in rows.itertuples()],
    })
    shares = rows[(rows["unit"] == "%") & rows["value"].notna()]
    fig = None
    if not shares.empty:
        labels = list(shares["indicator_name"])
        fig = go.Figure([
            go.Bar(y=labels, x=shares["value"], orientation="h", name=name, marker_color=COLORS["district"],
                   text=[fmt.percent(v) for v in shares["value"]], textposition="outside"),
            go.Bar(y=labels, x=shares["stadt_value"], orientation="h", name="Hagen (Stadt)",
                   marker_color=COLORS["city"], marker_pattern_shape="/",
                   text=[fmt.percent(_num(v)) for v in shares["stadt_value"]], textposition="outside"),
        ])
        fig.update_layout(title=f"Steckbrief {name}: Anteile im Vergleich zur Stadt", barmode="group",
                          separators=fmt.PLOTLY_SEPARATORS, xaxis_title="%", height=160 + 60 * len(labels),
                          legend={"orientation": "h", "y": -0.15}, margin={"l": 10, "r": 40, "t": 50, "b": 40})
    example = bool(rows["is_example"].any()) if not rows.empty else False
    anteil = rows[rows["indicator_id"] == "auslaenderanteil"]
    if not anteil.empty and _num(anteil["value"].iloc[0]) is not None:
        r = anteil.iloc[0]
        sentence = (f"In {name} lag der Ausländeranteil am {fmt.date(_date(r['period']))} bei "
                    f"{fmt.percent(r['value'])} (Hagen: {fmt.percent(_num(r['stadt_value']))}); das ist Rang "
                    f"{int(r['rang'])} von {int(r['bezirke_mit_wert'])} Stadtbezirken.")
    elif rows.empty:
        sentence = f"Für {name} liegen bis zu diesem Stichtag keine Werte vor."
    else:
        sentence = f"Steckbrief {name}: {len(rows)} Kennzahlen im Vergleich zum Stadtwert."
    notes = [EXAMPLE_NOTE] if example else []
    if rows["suppressed"].any():
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)))
    notes.append("Rang 1 = höchster Wert unter den Stadtbezirken; geheim gehaltene Werte erhalten keinen Rang.")
    sources = "; ".join(sorted(set(rows["source"]))) or "–"
    stand = fmt.date(_date(rows["period"].max())) if not rows.empty else "–"
    return ViewResult("quartier_steckbrief", f"Steckbrief {name}", fig, table, sources, stand, sentence, example,
                      notes, {"bezirk": bezirk, "stichtag": stichtag})


def quartier_zeitreihe(runner: QueryRunner, bezirk: str = "SB1", indikator: str = DEFAULT_INDICATOR) -> ViewResult:
    """Time series of one indicator: the chosen district, the city, the other districts in grey."""
    indicator, nationality = parse_indicator(indikator)
    rows = runner.run("quartier_zeitreihe", indikator=indicator, nationalitaet=nationality)
    rows = rows[rows["source"].isin(_pick_source(rows[rows["level"] == "stadtbezirk"])["source"])]
    names = district_options(runner)
    name = names.get(bezirk, bezirk)
    unit = rows["unit"].iloc[0] if not rows.empty else ""
    title_name = rows["indicator_name"].iloc[0] if not rows.empty else indicator
    fig = go.Figure()
    for area_id, part in rows.groupby("area_id", sort=False):
        is_sel, is_city = area_id == bezirk, area_id == CITY_ID
        if is_city and unit != "%":
            continue  # the city total is not on the scale of district counts
        fig.add_trace(go.Scatter(
            x=list(part["period"]), y=list(part["value"]), mode="lines+markers",
            name=part["area_name"].iloc[0] + (" (Stadt)" if is_city else ""),
            line={"color": COLORS["district"] if is_sel else COLORS["city"] if is_city else COLORS["other"],
                  "width": 4 if is_sel else 2.5 if is_city else 1.5, "dash": "dash" if is_city else "solid"},
            hovertemplate="%{x|%d.%m.%Y}: %{y:,.1f}<extra>%{fullData.name}</extra>"))
    fig.update_layout(title=f"{title_name} ({unit}): {name} im Zeitverlauf", separators=fmt.PLOTLY_SEPARATORS,
                      yaxis_title=unit, xaxis={"tickformat": "%Y"}, legend={"orientation": "h", "y": -0.2},
                      margin={"l": 10, "r": 10, "t": 50, "b": 40})
    mine = rows[rows["area_id"] == bezirk].sort_values("period")
    table = pd.DataFrame({"Stichtag": [fmt.date(_date(p)) for p in mine["period"]],
                          name: [_fmt(r.value, unit, r.suppressed) for r in mine.itertuples()]})
    city = rows[rows["area_id"] == CITY_ID].set_index("period")["value"]
    table["Hagen (Stadt)"] = [_fmt(city.get(p), unit) for p in mine["period"]]
    valid = mine[mine["value"].notna()]
    if len(valid) >= 2:
        first, last = valid.iloc[0], valid.iloc[-1]
        sentence = (f"In {name} änderte sich {title_name} von {_fmt(first['value'], unit)} "
                    f"({fmt.date(_date(first['period']))}) auf {_fmt(last['value'], unit)} "
                    f"({fmt.date(_date(last['period']))}).")
    else:
        sentence = f"Für {name} gibt es zu wenige veröffentlichbare Werte für eine Zeitreihe."
    example = bool(rows["is_example"].any()) if not rows.empty else False
    notes = [EXAMPLE_NOTE] if example else []
    if mine["suppressed"].any():
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)))
    source = "; ".join(sorted(set(rows["source"]))) or "–"
    stand = fmt.date(_date(rows["period"].max())) if not rows.empty else "–"
    return ViewResult("quartier_zeitreihe", f"{title_name}: Zeitreihe {name}", fig if not rows.empty else None,
                      table, source, stand, sentence, example, notes, {"bezirk": bezirk, "indikator": indikator})


def quartier_vergleich(runner: QueryRunner, bezirk: str = "SB1", indikator: str = DEFAULT_INDICATOR,
                       stichtag: str | None = None, vergleich: str = "bezirk") -> ViewResult:
    """The comparison switch on the district profile: Bezirk · Hagen · NRW · Vergleichsstädte."""
    indicator, nationality = parse_indicator(indikator)
    names = district_options(runner)
    name = names.get(bezirk, bezirk)
    periods = period_options(runner, indikator)
    stichtag = stichtag if stichtag in periods else (periods[0] if periods else None)
    rows = runner.run("quartier_karte", indikator=indicator, nationalitaet=nationality,
                      stichtag=_date(stichtag or "1900-01-01"))
    districts = _pick_source(rows[rows["level"] == "stadtbezirk"])
    city = rows[(rows["level"] == "stadt") & rows["source"].isin(districts["source"])]
    unit = rows["unit"].iloc[0] if not rows.empty else ""
    title_name = rows["indicator_name"].iloc[0] if not rows.empty else indicator
    example = bool(districts["is_example"].any()) if not districts.empty else False
    notes = [EXAMPLE_NOTE] if example else []
    source = districts["source"].iloc[0] if not districts.empty else "–"
    stand = fmt.date(_date(stichtag)) if stichtag else "–"
    params = {"bezirk": bezirk, "indikator": indikator, "stichtag": stichtag, "vergleich": vergleich}
    title = f"{title_name}: {name} im Vergleich ({VERGLEICH.get(vergleich, vergleich)})"
    if vergleich in ("nrw", "vergleichsstaedte"):
        other = "NRW" if vergleich == "nrw" else "den Vergleichsstädten"
        sentence = (f"Für {name} gibt es keinen vergleichbaren Wert in {other}: Die Vergleichszahlen liegen nur für "
                    "ganze Städte bzw. das Land vor, die Bezirkswerte sind Beispieldaten – ein Diagramm würde "
                    "Ungleiches nebeneinanderstellen. Den Vergleich Hagens mit NRW und den Vergleichsstädten zeigt "
                    "die Seite „Südosteuropa (EU-2)“.")
        return ViewResult("quartier_vergleich", title, None, pd.DataFrame(), source, stand, sentence, example, notes,
                          params)
    data = districts[["area_id", "area_name", "value", "suppressed"]].copy()
    if vergleich == "hagen":
        if unit == "%" and not city.empty:
            data = pd.concat([data[data["area_id"] == bezirk], city[["area_id", "area_name", "value", "suppressed"]]])
        else:
            sentence = (f"{title_name} ist eine Anzahl; ein Bezirk lässt sich mit der ganzen Stadt nur über Anteile "
                        "vergleichen. Bitte einen Anteil (%) wählen oder „Bezirk“.")
            return ViewResult("quartier_vergleich", title, None, pd.DataFrame(), source, stand, sentence, example,
                              notes, params)
    data = data.sort_values("value", ascending=False, na_position="last")
    roles = ["district" if a == bezirk else "city" if a == CITY_ID else "other" for a in data["area_id"]]
    colors = [COLORS[r] for r in roles]
    texts = [_fmt(r.value, unit, r.suppressed) for r in data.itertuples()]
    fig = go.Figure(go.Bar(x=list(data["area_name"]), y=[_num(v) or 0 for v in data["value"]], text=texts,
                           textposition="outside", marker_color=colors,
                           marker_pattern_shape=[PATTERNS[r] for r in roles],  # selection not by colour alone
                           hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_layout(title=title, separators=fmt.PLOTLY_SEPARATORS, yaxis_title=unit, showlegend=False,
                      margin={"l": 10, "r": 10, "t": 50, "b": 40})
    table = pd.DataFrame({"Gebiet": list(data["area_name"]), f"{title_name} ({unit})": texts})
    mine = data[data["area_id"] == bezirk]
    valid = data[data["value"].notna() & (data["area_id"] != CITY_ID)]
    if mine.empty or _num(mine["value"].iloc[0]) is None:
        sentence = f"Für {name} ist am {stand} kein veröffentlichbarer Wert vorhanden."
    elif vergleich == "hagen":
        diff = float(mine["value"].iloc[0]) - float(city["value"].iloc[0])
        sentence = (f"Am {stand} lag {title_name} in {name} bei {texts[list(data['area_id']).index(bezirk)]}, "
                    f"{fmt.number(abs(diff), 1)} Prozentpunkte {'über' if diff > 0 else 'unter'} dem Stadtwert "
                    f"von {_fmt(city['value'].iloc[0], unit)}.")
    else:
        position = 1 + int((valid["value"] > float(mine["value"].iloc[0])).sum())
        place = "den höchsten" if position == 1 else ("den niedrigsten" if position == len(valid)
                                                       else f"den {position}.-höchsten")
        sentence = (f"Mit {texts[list(data['area_id']).index(bezirk)]} hat {name} unter den {len(valid)} "
                    f"Stadtbezirken mit veröffentlichbarem Wert {place} Wert ({title_name}, {stand}).")
    if data["suppressed"].any():
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)))
    return ViewResult("quartier_vergleich", title, fig, table, source, stand, sentence, example, notes, params)
