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
from integrationsmonitor.views import figures
from integrationsmonitor.views.mapfigure import choropleth_map, clicked_area
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
    return clicked_area(selection, districts)


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


NATIONALITY_NOTES = {"XX": "„übrige Staaten“ = alle nicht einzeln ausgewiesenen ausländischen Staatsangehörigkeiten."}
PER_PERSONS = 100        # counts of persons are compared per 100 residents
PER_OTHER = 10_000       # other counts (groups, offers) per 10.000 residents


def indicator_label(runner: QueryRunner, indikator: str) -> str:
    """German name of a map indicator with the nationality that changes the number:
    'auslaender.BG' → 'Ausländer:innen – Bulgarien', 'zuzuege.RO' → 'Zuzüge über die Stadtgrenze – Rumänien'."""
    indicator, nationality = parse_indicator(indikator)
    rows = runner.run("quartier_indikatoren")
    hit = rows[(rows["indicator_id"] == indicator) & (rows["nationality"] == nationality)]
    if hit.empty:
        return indicator
    r = hit.iloc[0]
    return r["name"] if nationality in ("_T", "RO+BG") else f"{r['name']} – {r['nationality_name']}"


def rate_basis(indicator_id: str, unit: str) -> int | None:
    """Per how many residents a count is compared between districts (None: shares, rates, the residents)."""
    if indicator_id == "einwohner" or unit in ("%", "€/m²", "Indexpunkte") or unit.startswith("je "):
        return None
    return PER_PERSONS if unit == "Personen" else PER_OTHER


def rate_label(basis: int) -> str:
    return f"je {fmt.number(basis)} Einwohner:innen"


def population(runner: QueryRunner, stichtag: dt.date) -> dict[str, float]:
    """Residents per Stadtbezirk and of the city at one date (the source covering most districts)."""
    rows = runner.run("quartier_karte", indikator="einwohner", nationalitaet="_T", stichtag=stichtag)
    chosen = _pick_source(rows[rows["level"] == "stadtbezirk"])
    rows = rows[rows["source"].isin(chosen["source"])] if not chosen.empty else rows
    return {r.area_id: float(r.value) for r in rows.itertuples() if _num(r.value)}


def _rate(value: object, residents: float | None, basis: int | None) -> float | None:
    number = _num(value)
    if basis is None or number is None or not residents:
        return None
    return basis * number / residents


def _count_and_rate(value: object, unit: str, suppressed: bool, rate: float | None, basis: int | None) -> str:
    """'1.837 (2,3 je 100 Einwohner:innen)'; shares and suppressed cells as they are."""
    text = _fmt(value, unit, suppressed)
    if suppressed or rate is None or basis is None:
        return text
    return f"{text} ({fmt.number(rate, 1)} {rate_label(basis)})"


def _share_with_base(value: object, unit: str, suppressed: bool, numerator: object, denominator: object) -> str:
    """'34,2 % (27.733 von 81.167)' where the share's numerator and denominator are known."""
    text = _fmt(value, unit, suppressed)
    if suppressed or unit != "%" or _num(numerator) is None or not _num(denominator):
        return text
    return f"{text} ({fmt.number(_num(numerator))} von {fmt.number(_num(denominator))})"


# --- views ---------------------------------------------------------------------------------------------------


def quartier_karte(runner: QueryRunner, indikator: str = DEFAULT_INDICATOR, stichtag: str | None = None,
                   bezirk: str | None = None) -> ViewResult:
    """Choropleth of the Stadtbezirke for one indicator and date; suppressed districts shown as '·'.

    Counts are coloured by their rate per 100 residents (otherwise the map shows district size), the count
    beside it; shares show their numerator and denominator in the table."""
    indicator, nationality = parse_indicator(indikator)
    periods = period_options(runner, indikator)
    stichtag = stichtag or (periods[0] if periods else dt.date.today().isoformat())
    day = _date(stichtag)
    rows = runner.run("quartier_karte", indikator=indicator, nationalitaet=nationality, stichtag=day)
    districts = _pick_source(rows[rows["level"] == "stadtbezirk"])
    city = rows[(rows["level"] == "stadt") & rows["source"].isin(districts["source"])]
    title_name = indicator_label(runner, indikator)
    unit = rows["unit"].iloc[0] if not rows.empty else ""
    basis = rate_basis(indicator, unit)
    residents = population(runner, day) if basis else {}
    label = f"{title_name} ({rate_label(basis) if basis else unit})"
    example = bool(districts["is_example"].any()) if not districts.empty else False
    suppressed = {r.area_id for r in districts.itertuples() if r.suppressed}
    counts = {r.area_id: _num(r.value) for r in districts.itertuples()}
    rates = {a: _rate(v, residents.get(a), basis) for a, v in counts.items()}
    values = rates if basis else counts
    texts = {a: _count_and_rate(counts[a], unit, a in suppressed, rates[a], basis) for a in counts} if basis else None
    feats = features(runner)
    shown_format = (lambda v: fmt.number(v, 1)) if basis else (lambda v: fmt.value_with_unit(v, unit))
    fig = choropleth_map(feats, values, title=f"{label}, {fmt.date(day)}", value_label=label,
                         value_format=shown_format, suppressed=suppressed, highlight=bezirk, example_data=example,
                         value_texts=texts) if not rows.empty else None
    table = pd.DataFrame({
        "Stadtbezirk": list(districts["area_name"]),
        f"{title_name} ({unit})": [_fmt(r.value, unit, r.suppressed) for r in districts.itertuples()],
    })
    city_row = ["Hagen (Stadt)", _fmt(city["value"].iloc[0], unit, city["suppressed"].iloc[0])] if not city.empty \
        else None
    if basis:
        table["Einwohner:innen"] = [_fmt(residents.get(a), "Personen") for a in districts["area_id"]]
        table[rate_label(basis)] = [fmt.SUPPRESSED if a in suppressed else fmt.number(rates[a], 1)
                                    for a in districts["area_id"]]
        if city_row:
            city_rate = _rate(city["value"].iloc[0], residents.get(CITY_ID), basis)
            city_row += [_fmt(residents.get(CITY_ID), "Personen"), fmt.number(city_rate, 1)]
    elif unit == "%" and districts["denominator"].notna().any():
        table["Anzahl"] = [_fmt(n, "Personen", s) for n, s in zip(districts["numerator"], districts["suppressed"],
                                                                   strict=True)]
        table["Grundgesamtheit"] = [_fmt(d, "Personen") for d in districts["denominator"]]
        if city_row:
            city_row += [_fmt(city["numerator"].iloc[0], "Personen"), _fmt(city["denominator"].iloc[0], "Personen")]
    if city_row:
        table.loc[len(table)] = city_row
    sentence = _map_sentence(districts, values, suppressed, counts, unit, basis, title_name, day, city)
    notes = [EXAMPLE_NOTE] if example else []
    if basis:
        notes.append(f"Farbe und Reihenfolge nach {rate_label(basis)} (Einwohner:innen desselben Stichtags), "
                     "damit die Karte nicht nur die Größe der Bezirke zeigt; die Anzahl steht daneben.")
    if nationality in NATIONALITY_NOTES:
        notes.append(NATIONALITY_NOTES[nationality])
    if suppressed:
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)))
    if any(f.schematic for f in feats):
        notes.append("Karte: schematische Darstellung der Stadtbezirke – keine amtlichen Grenzen.")
    source = districts["source"].iloc[0] if not districts.empty else "–"
    return ViewResult("quartier_karte", f"{title_name} nach Stadtbezirk", fig, table, _source_line(source),
                      fmt.date(day), sentence, example, notes,
                      {"indikator": indikator, "stichtag": stichtag, "bezirk": bezirk})


def _map_sentence(districts: pd.DataFrame, values: Mapping[str, float | None], suppressed: set[str],
                  counts: Mapping[str, float | None], unit: str, basis: int | None, title_name: str,
                  day: dt.date, city: pd.DataFrame) -> str:
    shown = {k: v for k, v in values.items() if v is not None and k not in suppressed}
    if not shown:
        return f"Für „{title_name}“ am {fmt.date(day)} liegen keine veröffentlichbaren Bezirkswerte vor."
    names = dict(zip(districts["area_id"], districts["area_name"], strict=True))
    top, low = max(shown, key=shown.get), min(shown, key=shown.get)
    if basis:
        def say(a: str) -> str:
            return f"{fmt.number(shown[a], 1)} {rate_label(basis)} ({_fmt(counts[a], unit)} Personen)" \
                if unit == "Personen" else f"{fmt.number(shown[a], 1)} {rate_label(basis)} ({_fmt(counts[a], unit)})"
        return (f"Am {fmt.date(day)} hatte {names[top]} mit {say(top)} den höchsten und "
                f"{names[low]} mit {say(low)} den niedrigsten Wert ({title_name}).")
    sentence = (f"Am {fmt.date(day)} hatte {names[top]} mit {fmt.value_with_unit(shown[top], unit)} "
                f"den höchsten und {names[low]} mit {fmt.value_with_unit(shown[low], unit)} den niedrigsten Wert "
                f"({title_name}).")
    if not city.empty and _num(city["value"].iloc[0]) is not None and unit == "%":
        sentence += f" Der Stadtdurchschnitt liegt bei {fmt.value_with_unit(_num(city['value'].iloc[0]), unit)}."
    return sentence


def quartier_steckbrief(runner: QueryRunner, bezirk: str = "SB1", stichtag: str | None = None) -> ViewResult:
    """District profile: key figures against the city and rank among the districts."""
    names = district_options(runner)
    rows = runner.run("quartier_steckbrief", bezirk=bezirk, stichtag=_date(stichtag or "9999-12-31"))  # newest each
    name = names.get(bezirk, bezirk)
    table = pd.DataFrame({
        "Kennzahl": [r.indicator_name + ("" if r.nationality in ("_T", "RO+BG") else f" – {r.nationality_name}")
                     for r in rows.itertuples()],
        "Stichtag": [fmt.date(_date(p)) for p in rows["period"]],
        name: [_fmt(r.value, r.unit, r.suppressed) for r in rows.itertuples()],
        "Hagen": [_fmt(r.stadt_value, r.unit, bool(r.stadt_suppressed)) for r in rows.itertuples()],
        # beside the count its rate, beside the share its base: typed columns of their own (downloads)
        f"{name} je Einwohner:innen": [_profile_rate(r, r.value, r.einwohner, bool(r.suppressed))
                                       for r in rows.itertuples()],
        "Hagen je Einwohner:innen": [_profile_rate(r, r.stadt_value, r.stadt_einwohner, bool(r.stadt_suppressed))
                                     for r in rows.itertuples()],
        "Anteil: Anzahl von Grundgesamtheit": [
            _share_with_base(r.value, r.unit, bool(r.suppressed), r.numerator, r.denominator).partition(" (")[2]
            .rstrip(")") or fmt.MISSING for r in rows.itertuples()],
        "Rang unter den Stadtbezirken": [_profile_rank(r) for r in rows.itertuples()],
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
    notes.append("Rang 1 = höchster Wert unter den Stadtbezirken; Anzahlen werden je 100 Einwohner:innen (andere "
                 "Anzahlen je 10.000) verglichen, sonst zeigte der Rang nur die Größe des Bezirks; die Einwohnerzahl "
                 "selbst erhält keinen Rang. Geheim gehaltene Werte erhalten keinen Rang.")
    if any(n in NATIONALITY_NOTES for n in rows["nationality"]):
        notes += [NATIONALITY_NOTES[n] for n in dict.fromkeys(rows["nationality"]) if n in NATIONALITY_NOTES]
    sources = "; ".join(sorted(set(rows["source"]))) or "–"
    stand = fmt.date(_date(rows["period"].max())) if not rows.empty else "–"
    return ViewResult("quartier_steckbrief", f"Steckbrief {name}", fig, table, sources, stand, sentence, example,
                      notes, {"bezirk": bezirk, "stichtag": stichtag})


def _profile_rate(r, value: object, residents: object, suppressed: bool) -> str:
    """'2,3 je 100' for counts of persons (other counts per 10.000), '–' for shares and the residents."""
    basis = rate_basis(r.indicator_id, r.unit)
    if suppressed:
        return fmt.SUPPRESSED
    rate = _rate(value, _num(residents), basis) if basis else None
    return fmt.MISSING if rate is None else f"{fmt.number(rate, 1)} je {fmt.number(basis)}"


def _profile_rank(r) -> str:
    """'1 von 5' by share, '3 von 5 (je 100 Einwohner:innen)' by rate for counts; none for the residents."""
    if r.suppressed:
        return fmt.SUPPRESSED
    basis = rate_basis(r.indicator_id, r.unit)
    if r.indicator_id == "einwohner":
        return fmt.MISSING
    rank = _num(r.rang_je_einwohner) if basis else _num(r.rang)
    if rank is None:
        return fmt.MISSING
    return f"{int(rank)} von {int(r.bezirke_mit_wert)}" + (f" ({rate_label(basis)})" if basis else "")


def quartier_zeitreihe(runner: QueryRunner, bezirk: str = "SB1", indikator: str = DEFAULT_INDICATOR) -> ViewResult:
    """Time series of one indicator: the chosen district, the city, the other districts in grey."""
    indicator, nationality = parse_indicator(indikator)
    rows = runner.run("quartier_zeitreihe", indikator=indicator, nationalitaet=nationality)
    rows = rows[rows["source"].isin(_pick_source(rows[rows["level"] == "stadtbezirk"])["source"])]
    names = district_options(runner)
    name = names.get(bezirk, bezirk)
    unit = rows["unit"].iloc[0] if not rows.empty else ""
    title_name = indicator_label(runner, indikator)
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
                      yaxis_title=unit, margin={"l": 10, "r": 10, "t": 50, "b": 40})
    mine = rows[rows["area_id"] == bezirk].sort_values("period")
    table = pd.DataFrame({"Stichtag": [fmt.date(_date(p)) for p in mine["period"]],
                          f"{title_name}, {name} ({unit})": [_fmt(r.value, unit, r.suppressed)
                                                             for r in mine.itertuples()]})
    city = rows[rows["area_id"] == CITY_ID].set_index("period")["value"]
    table[f"{title_name}, Hagen (Stadt) ({unit})"] = [_fmt(city.get(p), unit) for p in mine["period"]]
    valid = mine[mine["value"].notna()]
    if len(valid) >= 2:
        first, last = valid.iloc[0], valid.iloc[-1]
        sentence = (f"In {name} änderte sich „{title_name}“ von {_fmt(first['value'], unit)} "
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
    title_name = indicator_label(runner, indikator)
    basis = rate_basis(indicator, unit)
    residents = population(runner, _date(stichtag)) if basis and stichtag else {}
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
        if (unit == "%" or basis) and not city.empty:
            data = pd.concat([data[data["area_id"] == bezirk], city[["area_id", "area_name", "value", "suppressed"]]])
        else:
            sentence = (f"{title_name} ist eine Anzahl; ein Bezirk lässt sich mit der ganzen Stadt nur über Anteile "
                        "vergleichen. Bitte einen Anteil (%) wählen oder „Bezirk“.")
            return ViewResult("quartier_vergleich", title, None, pd.DataFrame(), source, stand, sentence, example,
                              notes, params)
    data["count"] = data["value"]
    if basis:  # compare counts per residents: otherwise the bars show the size of the districts
        data["value"] = [_rate(v, residents.get(a), basis) for v, a in zip(data["count"], data["area_id"],
                                                                            strict=True)]
    data = data.sort_values("value", ascending=False, na_position="last")
    roles = ["district" if a == bezirk else "city" if a == CITY_ID else "other" for a in data["area_id"]]
    colors = [COLORS[r] for r in roles]
    texts = [_count_and_rate(r.count, unit, r.suppressed, _num(r.value), basis) if basis else
             _fmt(r.value, unit, r.suppressed) for r in data.itertuples()]
    hidden = [bool(s) for s in data["suppressed"]]
    fig = go.Figure(go.Bar(x=list(data["area_name"]), y=[None if h else _num(v)  # hidden: gap + "·", never 0
                                                         for v, h in zip(data["value"], hidden, strict=True)],
                           text=[fmt.SUPPRESSED if r.suppressed else (fmt.number(_num(r.value), 1) if basis else t)
                                 for r, t in zip(data.itertuples(), texts, strict=True)],
                           customdata=texts, textposition="outside", marker_color=colors,
                           marker_pattern_shape=[PATTERNS[r] for r in roles],  # selection not by colour alone
                           hovertemplate="%{x}: %{customdata}<extra></extra>"))
    if any(hidden):
        fig.add_trace(figures.hidden_marks(list(data["area_name"]), hidden))
    fig.update_layout(title=title, separators=fmt.PLOTLY_SEPARATORS, yaxis_title=rate_label(basis) if basis else unit,
                      showlegend=False, margin={"l": 10, "r": 10, "t": 50, "b": 40})
    table = pd.DataFrame({"Gebiet": list(data["area_name"]), f"{title_name} ({unit})": [
        _fmt(c, unit, s) for c, s in zip(data["count"], data["suppressed"], strict=True)]})
    if basis:
        table[rate_label(basis)] = [fmt.SUPPRESSED if s else fmt.number(_num(v), 1)
                                    for v, s in zip(data["value"], data["suppressed"], strict=True)]
        notes.append(f"Verglichen wird je {fmt.number(basis)} Einwohner:innen desselben Stichtags; die Anzahl steht "
                     "in der Tabelle und im Tooltip.")
    mine = data[data["area_id"] == bezirk]
    valid = data[data["value"].notna() & (data["area_id"] != CITY_ID)]
    if mine.empty or _num(mine["value"].iloc[0]) is None:
        sentence = f"Für {name} ist am {stand} kein veröffentlichbarer Wert vorhanden."
    elif vergleich == "hagen":
        city_value = _num(data.loc[data["area_id"] == CITY_ID, "value"].iloc[0])
        diff = float(mine["value"].iloc[0]) - (city_value or 0.0)
        gap = f"{fmt.number(abs(diff), 1)} Prozentpunkte" if not basis else fmt.number(abs(diff), 1)
        sentence = (f"Am {stand} lag „{title_name}“ in {name} bei {texts[list(data['area_id']).index(bezirk)]}, "
                    f"{gap} {'über' if diff > 0 else 'unter'} dem Stadtwert von "
                    f"{texts[list(data['area_id']).index(CITY_ID)]}.")
    else:
        position = 1 + int((valid["value"] > float(mine["value"].iloc[0])).sum())
        place = "den höchsten" if position == 1 else ("den niedrigsten" if position == len(valid)
                                                       else f"den {position}.-höchsten")
        sentence = (f"Mit {texts[list(data['area_id']).index(bezirk)]} hat {name} unter den {len(valid)} "
                    f"Stadtbezirken mit veröffentlichbarem Wert {place} Wert („{title_name}“"
                    f"{', ' + rate_label(basis) if basis else ''}, {stand}).")
    if data["suppressed"].any():
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)))
    return ViewResult("quartier_vergleich", title, fig, table, source, stand, sentence, example, notes, params)
