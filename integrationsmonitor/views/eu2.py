"""Views of the page "Südosteuropa (EU-2)": Romanian and Bulgarian residents over time, by district, shares,
turnover, age structure and the Leitziele that concern them. No Streamlit import."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from integrationsmonitor import formatting as fmt
from integrationsmonitor import wording
from integrationsmonitor.config import CITY_ID
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.status import CATEGORY_ICON
from integrationsmonitor.views import comparison as cmp
from integrationsmonitor.views import figures
from integrationsmonitor.views.quartiere import EXAMPLE_NOTE, SUPPRESSED_NOTE, _date, _fmt, _num, _threshold
from integrationsmonitor.views.result import ViewResult
from integrationsmonitor.views.theme import AREA_BAR

EU2_LEITZIELE = ["AA-TR-LZ4", "TH-TV-LZ1", "TH-TV-LZ2", "TH-TV-LZ3", "TH-TV-LZ4", "TH-EA-LZ2",
                 "AA-FK-LZ1", "AA-FK-LZ2", "AA-FK-LZ3"]
NAT_LABEL = {"RO": "Rumänien", "BG": "Bulgarien", "RO+BG": "RO+BG (Summe)"}
NAT_COLOR = {"RO": "#1b7837", "BG": "#762a83", "RO+BG": "#08519c"}
DASHES = ["solid", "dot", "dash", "longdash", "dashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x"]


def _bezirke(runner: QueryRunner) -> pd.DataFrame:
    return runner.run("eu2_bezirke")


def eu2_periods(runner: QueryRunner) -> list[str]:
    """ISO dates with EU-2 figures per Stadtbezirk, newest first."""
    rows = _bezirke(runner)
    rows = rows[(rows["indicator_id"] == "eu2_bestand") & (rows["level"] == "stadtbezirk")]
    return sorted({_date(p).isoformat() for p in rows["period"]}, reverse=True)


def eu2_stadt_quellen(runner: QueryRunner) -> ViewResult:
    """Published city figures per source and nationality; sources never merged; ca. and uncertain dates marked."""
    obs = cmp.obs_from_records(runner.run("eu2_stadt_quellen").to_dict("records"))
    series = cmp.build_series(obs)
    sources = sorted({s.source for s in series})
    fig = go.Figure()
    for s in series:
        nat = "RO+BG" if s.measure == cmp.EU2_MEASURE else s.measure.split(":")[1]
        k = sources.index(s.source)
        fig.add_trace(go.Scatter(
            x=[p.period for p in s.points], y=[p.value for p in s.points], mode="lines+markers+text",
            name=f"{NAT_LABEL[nat]} – {s.source}",
            text=[("ca. " if p.approx else "") + ("*" if p.date_uncertain else "") for p in s.points],
            textposition="top center", cliponaxis=False,  # a mark on the top point is never cut
            line={"color": NAT_COLOR[nat], "dash": DASHES[k % len(DASHES)]},
            marker={"symbol": SYMBOLS[k % len(SYMBOLS)], "size": 10},
            hovertemplate="%{x|%d.%m.%Y}: %{y:,.0f} %{text}<extra>%{fullData.name}</extra>"))
    fig.update_layout(title="Rumänische und bulgarische Staatsangehörige in Hagen – veröffentlichte Zahlen je Quelle",
                      separators=fmt.PLOTLY_SEPARATORS, yaxis_title="Personen", legend={"orientation": "h", "y": -0.2},
                      margin={"l": 10, "r": 10, "t": 50, "b": 40})
    table = pd.DataFrame({
        "Stichtag": [fmt.date(o.period) + ("*" if o.date_uncertain else "") for o in obs],
        "Staatsangehörigkeit": [NAT_LABEL.get(o.nationality, o.nationality) for o in obs],
        "Personen": [o.text() for o in obs],
        "Quelle": [o.source for o in obs],
        "Hinweis": [wording.public_note(o.note, derived=o.is_derived) for o in obs],
    })
    ro = [s for s in series if s.measure == "auslaender:RO"]
    latest = max((s for s in ro), key=lambda s: s.points[-1].period, default=None)
    sentence = cmp.latest_sentence(latest) if latest else "Für Hagen liegen keine veröffentlichten EU-2-Zahlen vor."
    eu2 = [s for s in series if s.measure == cmp.EU2_MEASURE]
    if eu2:
        last = max(eu2, key=lambda s: s.points[-1].period)
        sentence += (f" Zusammen mit den Bulgar:innen waren es {last.points[-1].text()} "
                     f"({fmt.date(last.points[-1].period)}, {last.source}).")
    notes = cmp.footnotes(obs)
    return ViewResult("eu2_stadt_quellen", "EU-2 in Hagen: veröffentlichte Zahlen je Quelle", fig, table,
                      "; ".join(sources), cmp.stand_text(obs), sentence, False, notes, {})


def eu2_bezirke_zeitreihe(runner: QueryRunner, bezirk: str | None = None) -> ViewResult:
    """RO+BG residents per Stadtbezirk over time (example data)."""
    rows = _bezirke(runner)
    rows = rows[(rows["indicator_id"] == "eu2_bestand") & (rows["level"] == "stadtbezirk")]
    fig = go.Figure()
    for area_id, part in rows.groupby("area_id"):
        fig.add_trace(go.Scatter(x=list(part["period"]), y=list(part["value"]), mode="lines+markers",
                                 name=part["area_name"].iloc[0],
                                 line={"width": 4 if area_id == bezirk else 2},
                                 hovertemplate="%{x|%d.%m.%Y}: %{y:,.0f}<extra>%{fullData.name}</extra>"))
    fig.update_layout(title="Rumän. und bulg. Staatsangehörige je Stadtbezirk", separators=fmt.PLOTLY_SEPARATORS,
                      yaxis_title="Personen", legend={"orientation": "h", "y": -0.2},
                      margin={"l": 10, "r": 10, "t": 50, "b": 40})
    wide = rows.pivot_table(index="period", columns="area_name", values="value", aggfunc="first").sort_index()
    table = pd.DataFrame({"Stichtag": [fmt.date(_date(p)) for p in wide.index]})
    for col in wide.columns:
        table[col] = [_fmt(v, "Personen", _num(v) is None) for v in wide[col]]
    last_period = wide.index.max() if not wide.empty else None
    if last_period is not None:
        last = wide.loc[last_period].dropna().sort_values(ascending=False)
        sentence = (f"Am {fmt.date(_date(last_period))} lebten die meisten rumänischen und bulgarischen "
                    f"Staatsangehörigen in {last.index[0]} ({fmt.number(last.iloc[0])}).")
    else:
        sentence = "Keine Bezirkswerte vorhanden."
    notes = [EXAMPLE_NOTE]
    if rows["suppressed"].any():
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)))
    return ViewResult("eu2_bezirke_zeitreihe", "EU-2 je Stadtbezirk im Zeitverlauf", fig, table,
                      "; ".join(sorted(set(rows["source"]))) or "–",
                      fmt.date(_date(last_period)) if last_period is not None else "–", sentence,
                      bool(rows["is_example"].any()), notes, {"bezirk": bezirk})


def _pivot_at(rows: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per area at ``period`` with the EU-2 measures as columns (NaN where suppressed)."""
    at = rows[rows["period"].map(lambda p: _date(p).isoformat()) == period].copy()
    at["key"] = at["indicator_id"] + "_" + at["nationality"]
    wide = at.groupby(["area_id", "area_name", "level", "key"])["value"].first().unstack("key").reset_index()
    sup = at[at["suppressed"]].groupby("area_id")["key"].agg(set)
    wide["suppressed_keys"] = wide["area_id"].map(lambda a: sup.get(a, set()))
    return wide


def eu2_anteil_bezirke(runner: QueryRunner, stichtag: str | None = None, bezirk: str | None = None) -> ViewResult:
    """Share of RO+BG in the population per district at one date, with the change against one year earlier."""
    rows = _bezirke(runner)
    periods = eu2_periods(runner)
    stichtag = stichtag if stichtag in periods else periods[0]
    now = _pivot_at(rows, stichtag)
    prev_iso = _date(stichtag).replace(year=_date(stichtag).year - 1).isoformat()
    prev = _pivot_at(rows, prev_iso).set_index("area_id") if prev_iso in periods else None
    now = now.sort_values(["level", "eu2_anteil_RO+BG"], ascending=[False, False])
    change = []
    for r in now.itertuples():
        old = prev["eu2_bestand_RO+BG"].get(r.area_id) if prev is not None else None
        new = now.set_index("area_id").loc[r.area_id, "eu2_bestand_RO+BG"]
        pct = cmp.change_percent(new, old) if _num(old) and _num(new) is not None else None
        change.append(pct)
    names = [n + (" (Stadt)" if lv == "stadt" else "") for n, lv in zip(now["area_name"], now["level"], strict=True)]
    roles = ["city" if lv == "stadt" else "selected" if a == bezirk else "other"
             for a, lv in zip(now["area_id"], now["level"], strict=True)]
    def hidden(key: str) -> list[bool]:
        return [key in keys for keys in now["suppressed_keys"]]

    share_hidden = hidden("eu2_anteil_RO+BG")
    shares = [fmt.SUPPRESSED if h else fmt.percent(_num(v), 2)
              for v, h in zip(now["eu2_anteil_RO+BG"], share_hidden, strict=True)]
    fig = go.Figure(go.Bar(x=names, y=[None if h else _num(v)  # hidden: gap + "·", never 0
                                       for v, h in zip(now["eu2_anteil_RO+BG"], share_hidden, strict=True)],
                           marker_color=[AREA_BAR[r]["color"] for r in roles],
                           marker_pattern_shape=[AREA_BAR[r]["pattern"] for r in roles],  # not by colour alone
                           text=shares, textposition="outside"))
    if any(share_hidden):
        fig.add_trace(figures.hidden_marks(names, share_hidden, name="Anteil"))
    fig.update_layout(title=f"Anteil rumän. und bulg. Staatsangehöriger an der Bevölkerung, {fmt.date(_date(stichtag))}",
                      separators=fmt.PLOTLY_SEPARATORS, yaxis_title="%", margin={"l": 10, "r": 10, "t": 50, "b": 40})
    table = pd.DataFrame({
        "Gebiet": names,
        "RO+BG (Personen)": [_fmt(v, "Personen", h) for v, h in zip(now["eu2_bestand_RO+BG"],
                                                                     hidden("eu2_bestand_RO+BG"), strict=True)],
        "Einwohner:innen": [_fmt(v, "Personen", h) for v, h in zip(now["einwohner__T"], hidden("einwohner__T"),
                                                                    strict=True)],
        "Anteil (%)": shares,
        "Veränderung zum Vorjahr": [fmt.signed_percent(c) for c in change],
    })
    city = now[now["level"] == "stadt"]
    dist = now[now["level"] == "stadtbezirk"]
    sentence = (f"Am {fmt.date(_date(stichtag))} hatte {dist['area_name'].iloc[0]} mit "
                f"{fmt.percent(dist['eu2_anteil_RO+BG'].iloc[0], 2)} den höchsten Anteil rumänischer und bulgarischer "
                f"Staatsangehöriger") if not dist.empty else "Keine Werte."
    if not city.empty:
        ci = list(now["area_id"]).index(city["area_id"].iloc[0])
        sentence += (f"; in ganz Hagen waren es {fmt.percent(city['eu2_anteil_RO+BG'].iloc[0], 2)}"
                     + (f", {fmt.signed_percent(change[ci])} Personen gegenüber dem Vorjahr" if change[ci] is not None
                        else ""))
    sentence += "."
    return ViewResult("eu2_anteil_bezirke", "EU-2-Anteil je Stadtbezirk", fig, table,
                      "; ".join(sorted(set(rows["source"]))), fmt.date(_date(stichtag)), sentence, True,
                      [EXAMPLE_NOTE, "Anteil = RO+BG je 100 Einwohner:innen (Bevölkerungstabelle)."],
                      {"stichtag": stichtag, "bezirk": bezirk})


def eu2_fluktuation(runner: QueryRunner, stichtag: str | None = None) -> ViewResult:
    """Turnover: (Zuzüge + Fortzüge of RO and BG) per 100 RO+BG residents, per district (example data)."""
    rows = _bezirke(runner)
    periods = eu2_periods(runner)
    stichtag = stichtag if stichtag in periods else periods[0]
    now = _pivot_at(rows, stichtag)
    parts = ["zuzuege_RO", "zuzuege_BG", "fortzuege_RO", "fortzuege_BG"]
    turnover, moves = [], []
    for r in now.to_dict("records"):
        if any(p not in r or _num(r.get(p)) is None for p in parts) or r["suppressed_keys"] & set(parts):
            turnover.append(None)
            moves.append(None)
        else:
            total = sum(float(r[p]) for p in parts)
            moves.append(total)
            stock = _num(r.get("eu2_bestand_RO+BG"))
            turnover.append(round(100 * total / stock, 1) if stock else None)
    names = [n + (" (Stadt)" if lv == "stadt" else "") for n, lv in zip(now["area_name"], now["level"], strict=True)]
    suppressed = [t is None and bool(r["suppressed_keys"]) for t, r in zip(turnover, now.to_dict("records"),
                                                                           strict=True)]
    fig = go.Figure(go.Bar(x=names, y=turnover,  # hidden or missing: a gap (with "·" if hidden), never a 0 bar
                           text=[fmt.SUPPRESSED if s else fmt.number(t, 1) if t is not None else fmt.MISSING
                                 for t, s in zip(turnover, suppressed, strict=True)], textposition="outside",
                           marker_color=AREA_BAR["other"]["color"]))
    if any(suppressed):
        fig.add_trace(figures.hidden_marks(names, suppressed, name="Fluktuation"))
    fig.update_layout(title=f"Fluktuation EU-2: Zu- und Fortzüge je 100 Einwohner:innen RO+BG, "
                            f"{fmt.date(_date(stichtag))}", separators=fmt.PLOTLY_SEPARATORS,
                      yaxis_title="je 100", margin={"l": 10, "r": 10, "t": 50, "b": 40})
    table = pd.DataFrame({
        "Gebiet": names,
        "Zu- und Fortzüge": [fmt.SUPPRESSED if s else _fmt(m, "Personen") for m, s in zip(moves, suppressed,
                                                                                          strict=True)],
        "RO+BG (Bestand)": [_fmt(v, "Personen") for v in now.get("eu2_bestand_RO+BG", [])],
        "Fluktuation je 100": [fmt.SUPPRESSED if s else fmt.number(t, 1) if t is not None else fmt.MISSING
                               for t, s in zip(turnover, suppressed, strict=True)],
    })
    known = [(n, t) for n, t in zip(names, turnover, strict=True) if t is not None and "(Stadt)" not in n]
    if known:
        top = max(known, key=lambda x: x[1])
        sentence = (f"{top[0]} hatte {fmt.date(_date(stichtag))[-4:]} die höchste Fluktuation: auf 100 rumänische und "
                    f"bulgarische Einwohner:innen kamen {fmt.number(top[1], 1)} Zu- und Fortzüge.")
    else:
        sentence = "Für diesen Stichtag lassen sich keine Fluktuationswerte veröffentlichen."
    notes = [EXAMPLE_NOTE, "Fluktuation = (Zuzüge + Fortzüge von RO und BG im Jahr) je 100 RO+BG am Jahresende."]
    if any(suppressed):
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)))
    return ViewResult("eu2_fluktuation", "Fluktuation der EU-2-Bevölkerung", fig, table,
                      "; ".join(sorted(set(rows["source"]))), fmt.date(_date(stichtag)), sentence, True, notes,
                      {"stichtag": stichtag})


def eu2_altersstruktur(runner: QueryRunner, bezirk: str = cmp.CITY_ID, stichtag: str | None = None) -> ViewResult:
    """Age structure of RO and BG residents (population table, protected: primary + secondary suppression)."""
    periods = eu2_periods(runner)
    stichtag = stichtag if stichtag in periods else periods[0]
    rows = runner.run("eu2_altersstruktur", bezirk=bezirk, stichtag=_date(stichtag))
    names = {CITY_ID: "Hagen"} | {r.area_id: r.area_name for r in _bezirke(runner).itertuples()}
    name = names.get(bezirk, bezirk)
    fig = go.Figure()
    for nat, part in rows.groupby("nationality", sort=False):
        hidden = [bool(s) for s in part["suppressed"]]
        fig.add_trace(go.Bar(x=list(part["age_group_name"]), y=[None if h else _num(v)  # hidden: gap + "·"
                                                                for v, h in zip(part["persons"], hidden, strict=True)],
                             name=NAT_LABEL[nat], marker_color=NAT_COLOR[nat], offsetgroup=nat,
                             text=[_fmt(v, "Personen", s) for v, s in zip(part["persons"], part["suppressed"],
                                                                          strict=True)],
                             textposition="outside"))
        if any(hidden):
            fig.add_trace(figures.hidden_marks(list(part["age_group_name"]), hidden, name=NAT_LABEL[nat],
                                               offsetgroup=nat))
    fig.update_layout(title=f"Altersstruktur rumän. und bulg. Staatsangehöriger, {name}, {fmt.date(_date(stichtag))}",
                      barmode="group", separators=fmt.PLOTLY_SEPARATORS, yaxis_title="Personen",
                      legend={"orientation": "h", "y": -0.2}, margin={"l": 10, "r": 10, "t": 50, "b": 40})
    table = rows.pivot_table(index="age_group_name", columns="nationality", values="persons", aggfunc="first",
                             dropna=False, sort=False)
    sup = rows.pivot_table(index="age_group_name", columns="nationality", values="suppressed", aggfunc="first",
                           sort=False)
    out = pd.DataFrame({"Altersgruppe": list(table.index)})
    for nat in table.columns:
        out[NAT_LABEL[nat]] = [_fmt(v, "Personen", bool(s)) for v, s in zip(table[nat], sup[nat], strict=True)]
    visible = rows[rows["persons"].notna()]
    if not visible.empty:
        top = visible.groupby("age_group_name", sort=False)["persons"].sum().idxmax()
        sentence = f"In {name} ist die größte Altersgruppe unter den veröffentlichbaren Werten „{top}“."
    else:
        sentence = f"Für {name} sind alle Werte geheim zu halten."
    notes = [EXAMPLE_NOTE]
    if rows["suppressed"].any():
        notes.append(SUPPRESSED_NOTE.format(n=_threshold(runner)) + "; wo nötig ist ein zweiter Wert mit "
                     "geheim gehalten, damit der erste nicht aus der Summe errechnet werden kann.")
    return ViewResult("eu2_altersstruktur", "Altersstruktur EU-2", fig, out,
                      "; ".join(sorted(set(rows["source"]))) or "–", fmt.date(_date(stichtag)), sentence,
                      bool(rows["is_example"].any()), notes, {"bezirk": bezirk, "stichtag": stichtag})


def eu2_leitziele(runner: QueryRunner) -> ViewResult:
    """The Leitziele concerning immigrants from Romania and Bulgaria, with status (icon + word)."""
    rows = runner.run("eu2_leitziele", ids=EU2_LEITZIELE)
    table = pd.DataFrame({
        "Leitziel": [f"{r.block} LZ{r.number}" for r in rows.itertuples()],
        "Text": list(rows["text"]),
        "Status": [f"{CATEGORY_ICON.get(r.category, '')} {r.label}" for r in rows.itertuples()],
        "Grundlage": list(rows["basis"]),
    })
    counts = rows["label"].map(lambda x: x.split(" (")[0]).value_counts()
    sentence = (f"Von den {len(rows)} Leitzielen zur Zuwanderung aus Südosteuropa sind "
                + ", ".join(f"{n} „{k}“" for k, n in counts.items()) + ".")
    example = bool(rows["is_example"].fillna(False).any())
    notes = ["Status nach der veröffentlichten Regel (Daten & Methodik); Symbol und Wort, nie nur Farbe."]
    stamp = runner.run("status_stichtag")
    stand = fmt.date(_date(stamp["status_date"].iloc[0])) if not stamp.empty else fmt.MISSING
    return ViewResult("eu2_leitziele", "Leitziele zur Zuwanderung aus Südosteuropa", None, table,
                      "Integrationskonzept der Stadt Hagen; Statusberechnung des Integrationsmonitors", stand,
                      sentence, example, notes, {})
