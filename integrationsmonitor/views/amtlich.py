"""Comparisons from the official tables (issue 15 §5): one table, one date, one source — like with like.

* ``vergleich_amtliche_bevoelkerung``: Hagen against NRW, Deutschland and a group of similar cities, all from the
  same GENESIS table and reference date; Hagen's rank among all kreisfreie Städte of NRW by population. The group
  and its rule come from ``data/catalog/vergleichsgruppen.yaml`` and are printed under the figure.
* ``vergleich_eu2_anteil_amtlich``: EU-2 shares for Hagen and comparison cities — only where a city's RO+BG count
  and its official population have the same reference date; every other city is listed with the reason.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from integrationsmonitor import formatting as fmt
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import comparison as cmp
from integrationsmonitor.views.result import ViewResult

NRW, GERMANY = "05", "DG"
CITY_LEVELS = ("vergleichsstadt", "stadt")
GROUPS_DEFAULT = "ruhr"
HAGEN_COLOR, OTHER_COLOR = "#b35806", "#9ecae1"


def _date(value) -> dt.date:
    return value.date() if hasattr(value, "date") and not isinstance(value, dt.date) else value


def official_rows(runner: QueryRunner, indicator: str) -> pd.DataFrame:
    rows = runner.run("vergleich_amtlich", indikator=indicator)
    if not rows.empty:
        rows["period"] = [_date(p) for p in rows["period"]]
    return rows


def _shown(value: float | None, sign: str, unit: str) -> str:
    return sign if sign else fmt.value_with_unit(value, unit)


def kreisfreie_nrw(rows: pd.DataFrame) -> pd.DataFrame:
    """Kreisfreie Städte of NRW (Hagen included) in the rows of one table and date."""
    return rows[((rows["parent_id"] == NRW) & rows["level"].isin(CITY_LEVELS)) | (rows["area_id"] == cmp.CITY_ID)]


def group_members(runner: QueryRunner, group_id: str, rows: pd.DataFrame) -> tuple[str, str, list[str]]:
    """(name, rule, area ids) of a comparison group for the rows of one date."""
    groups = runner.run("vergleich_gruppen")
    part = groups[groups["group_id"] == group_id]
    if part.empty:
        return "", "", []
    first = part.iloc[0]
    if part["area_id"].notna().any():
        return first["name"], first["rule"], [a for a in part["area_id"] if isinstance(a, str)]
    cities = kreisfreie_nrw(rows)
    inside = cities[(cities["value"] >= first["min_persons"]) & (cities["value"] <= first["max_persons"])]
    return first["name"], first["rule"], list(inside["area_id"])


def group_options(runner: QueryRunner) -> dict[str, str]:
    groups = runner.run("vergleich_gruppen")
    return dict(zip(groups["group_id"], groups["name"], strict=False))


def vergleich_amtliche_bevoelkerung(runner: QueryRunner, gruppe: str = GROUPS_DEFAULT) -> ViewResult:
    """Official population: Hagen, NRW, Deutschland, a group of similar cities; rank among NRW's kreisfreie Städte."""
    key, title = "vergleich_amtliche_bevoelkerung", "Amtliche Einwohnerzahl: Hagen, NRW, Deutschland und ähnliche Städte"
    rows = official_rows(runner, "einwohner")
    hagen = rows[(rows["area_id"] == cmp.CITY_ID) & rows["value"].notna()] if not rows.empty else rows
    if hagen.empty:
        return ViewResult(key, title, None, pd.DataFrame(), "–", "–", "Für Hagen liegt noch keine amtliche Tabelle "
                          "mit der Einwohnerzahl vor.", False, [], {"gruppe": gruppe})
    latest = hagen.sort_values("period").iloc[-1]
    same = rows[(rows["period"] == latest["period"]) & (rows["source"] == latest["source"])]
    name, rule, members = group_members(runner, gruppe, same)
    cities = kreisfreie_nrw(same)
    ranked = cities[cities["value"].notna()].sort_values("value", ascending=False)
    obs = [cmp.Obs(r.area_id, r.area_name, r.level, "einwohner", "_T", r.period, float(r.value), r.unit, r.source)
           for r in ranked.itertuples()]
    rank = cmp.rank(obs, cmp.CITY_ID, what="Einwohnerzahl", area_word="kreisfreien Städten in NRW")
    position = {r.area_id: i for i, r in enumerate(ranked.itertuples(), start=1)}
    order = [cmp.CITY_ID, NRW, GERMANY] + [m for m in members if m != cmp.CITY_ID]
    table_rows = []
    for area_id in order:
        r = same[same["area_id"] == area_id]
        if r.empty:
            continue
        r = r.iloc[0]
        table_rows.append({
            "Gebiet": r["area_name"], "amtl. Schlüssel": r["official_code"],
            "Einwohner:innen": _shown(r["value"], r["sign"], r["unit"]),
            "Rang unter kreisfreien Städten NRW": str(position[area_id]) if area_id in position else "",
            "Hinweis": "Summe der Kreise und kreisfreien Städte" if r["is_derived"] else
                       ("Vergleichsgruppe" if area_id in members else "")})
    group = same[same["area_id"].isin(members)].sort_values("value")
    fig = go.Figure(go.Bar(
        y=list(group["area_name"]), x=list(group["value"]), orientation="h",
        text=[_shown(v, s, u) for v, s, u in zip(group["value"], group["sign"], group["unit"], strict=True)],
        textposition="outside",
        marker_color=[HAGEN_COLOR if a == cmp.CITY_ID else OTHER_COLOR for a in group["area_id"]]))
    fig.update_layout(title=f"{name} ({fmt.date(latest['period'])})", separators=fmt.PLOTLY_SEPARATORS,
                      xaxis_title="Einwohner:innen", showlegend=False, margin={"l": 10, "r": 40, "t": 50, "b": 40})
    nrw = same[same["area_id"] == NRW]
    de = same[same["area_id"] == GERMANY]
    share = ""
    if not nrw.empty and nrw.iloc[0]["value"]:
        share = f" – {fmt.percent(100 * latest['value'] / nrw.iloc[0]['value'], 1)} der Einwohner:innen NRWs"
    sentence = (f"Am {fmt.date(latest['period'])} lebten in Hagen {fmt.number(latest['value'])} Menschen (amtliche "
                f"Fortschreibung)" + (f", in NRW {fmt.number(nrw.iloc[0]['value'])}" if not nrw.empty else "")
                + (f" und in Deutschland {fmt.number(de.iloc[0]['value'])}" if not de.empty else "") + share + ". "
                + _rank_sentence(rank))
    notes = [f"„Ähnliche Städte“ = {name}: {rule}",
             "Alle Zahlen aus derselben Tabelle, demselben Stichtag und derselben Quelle; Melderegister- oder "
             "Zensuszahlen werden hier nicht beigemischt.",
             "NRW und Deutschland: Summe der Kreise und kreisfreien Städte derselben Tabelle (die Kreise-Tabelle "
             "enthält keine eigene Landes- oder Bundeszeile)."]
    signs = same[(same["sign"] != "") & same["area_id"].isin(order)]
    if not signs.empty:
        notes.append("Zeichen statt Zahl (so von den Statistikämtern geliefert): " + "; ".join(
            f"{n} „{s}“" for n, s in zip(signs["area_name"], signs["sign"], strict=True)) + " – „-“ = nichts vorhanden.")
    return ViewResult(key, title, fig, pd.DataFrame(table_rows), latest["source"], fmt.date(latest["period"]),
                      sentence, False, notes, {"gruppe": gruppe})


def _rank_sentence(rank: cmp.Rank) -> str:
    if rank.position is None:
        return rank.sentence
    place = "die größte" if rank.position == 1 else f"die {rank.position}.-größte"
    return f"Unter den {rank.n} kreisfreien Städten in NRW ist Hagen nach Einwohnerzahl {place}."


def vergleich_eu2_anteil_amtlich(runner: QueryRunner) -> ViewResult:
    """EU-2 share of residents where the RO+BG count and the official population have the same reference date."""
    key, title = "vergleich_eu2_anteil_amtlich", "EU-2-Anteil mit amtlicher Einwohnerzahl (nur gleicher Stichtag)"
    rows = runner.run("vergleich_eu2_amtlich")
    if rows.empty:
        return ViewResult(key, title, None, pd.DataFrame(), "–", "–", "Es liegen keine EU-2-Zahlen für Hagen oder "
                          "Vergleichsstädte vor.", False, [], {})
    rows["period"] = [_date(p) for p in rows["period"]]
    rows = rows.sort_values("is_derived").drop_duplicates(["area_id", "period", "eu2_source"])
    usable = rows[rows["einwohner"].notna()]
    table = pd.DataFrame({
        "Gebiet": rows["area_name"], "Stichtag": [fmt.date(p) for p in rows["period"]],
        "EU-2 (RO+BG)": [("ca. " if a else "") + fmt.number(v) for v, a in zip(rows["eu2"], rows["approx"], strict=True)],
        "Quelle EU-2": rows["eu2_source"],
        "amtl. Einwohner:innen": [fmt.number(v) if v == v and v is not None else "–" for v in rows["einwohner"]],
        "Anteil": [fmt.percent(100 * e / p, 1) if p == p and p else "kein Anteil" for e, p in
                   zip(rows["eu2"], rows["einwohner"], strict=True)],
    })
    reasons = []
    for r in rows[rows["einwohner"].isna()].itertuples():
        have = r.einwohner_dates or "keinem Stichtag"
        reasons.append(f"{r.area_name}: EU-2-Zahl vom {fmt.date(r.period)}, amtliche Einwohnerzahl nur zum {have} – "
                       "kein Anteil (verschiedene Stichtage).")
    fig = None
    if not usable.empty:
        shares = [100 * e / p for e, p in zip(usable["eu2"], usable["einwohner"], strict=True)]
        fig = go.Figure(go.Bar(x=[f"{n} ({fmt.date(d)})" for n, d in zip(usable["area_name"], usable["period"],
                                                                           strict=True)],
                               y=shares, text=[fmt.percent(s, 1) for s in shares], textposition="outside"))
        fig.update_layout(title=title, separators=fmt.PLOTLY_SEPARATORS, yaxis_title="%", showlegend=False)
        sentence = "EU-2-Anteil dort, wo beide Zahlen denselben Stichtag haben: " + "; ".join(
            f"{n} {fmt.percent(s, 1)} am {fmt.date(d)}" for n, s, d in zip(usable["area_name"], shares,
                                                                           usable["period"], strict=True)) + "."
    else:
        sentence = ("Für keine Stadt haben EU-2-Zahl und amtliche Einwohnerzahl denselben Stichtag – deshalb wird "
                    "kein Anteil berechnet (die Zahlen stehen mit ihren eigenen Stichtagen in der Tabelle).")
    sources = sorted(set(rows["eu2_source"]) | set(usable["einwohner_source"]))
    return ViewResult(key, title, fig, table, "; ".join(sources),
                      "; ".join(f"{n} {fmt.date(d)}" for n, d in zip(rows["area_name"], rows["period"], strict=True)),
                      sentence, False, reasons, {})
