"""Views of the Leitziele: an indicator's time series (per source) and the status roll-up per block."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from integrationsmonitor import formatting, wording
from integrationsmonitor.config import CITY_ID
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.status import CATEGORY_ICON, CATEGORY_LABEL, CATEGORY_ORDER
from integrationsmonitor.views import figures, sentences, theme
from integrationsmonitor.views.result import ViewResult

CITY = CITY_ID
STATUS_COLORS = {cat: style["color"] for cat, style in theme.STATUS.items()}  # contrast: views/theme.py
RESIDENT_SUBJECTS = {"einwohner": "Einwohner:innen", "auslaender": "Ausländer:innen",
                     "eu2_bestand": "Staatsangehörige Rumäniens und Bulgariens"}


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value  # already a date


FLAG_TEXT = {"is_example": "Beispieldaten", "is_approx": "ca.", "is_rounded": "gerundet",
             "date_uncertain": "Datum unsicher", "is_derived": "abgeleitet", "suppressed": "geheim gehalten",
             "uncertain": "kleine Basis – unsicher"}


def _flags(row: pd.Series) -> str:
    return ", ".join(text for column, text in FLAG_TEXT.items() if row[column])


def default_nationality(frame: pd.DataFrame, preferred: str | None) -> str | None:
    """The nationality shown by default: the status series', else all ('_T'), else RO+BG, else the first."""
    available = list(dict.fromkeys(frame["nationality"]))
    for candidate in (preferred, "_T", "RO+BG"):
        if candidate in available:
            return candidate
    return available[0] if available else None


def indikator_zeitreihe(runner: QueryRunner, indikator: str, gebiet: str = CITY,
                        nationalitaet: str | None = None, ab_jahr: int | None = None) -> ViewResult:
    """Time series of one indicator in one area; the source is a series dimension, never merged.

    ``ab_jahr`` limits the period shown to reference dates from that year on (the URL filter "ab").
    """
    meta = runner.run("indikator_stammdaten", indikator=indikator)
    if meta.empty:
        raise KeyError(f"unbekannter Indikator {indikator!r}")
    m = meta.iloc[0]
    area = runner.run("indikator_gebiet", gebiet=gebiet)
    if area.empty:
        raise KeyError(f"unbekanntes Gebiet {gebiet!r}")
    place = area["name"].iloc[0]
    params = {"indikator": indikator, "gebiet": gebiet, "nationalitaet": nationalitaet, "ab_jahr": ab_jahr}
    data = runner.run("indikator_zeitreihe", indikator=indikator, gebiet=gebiet)
    if ab_jahr is not None and not data.empty:
        data = data[[_date(p).year >= ab_jahr for p in data["period"]]]
    title = f"{m['name']} – {place}"
    if data.empty:
        gap = m["data_gap"] or f"Für dieses Gebiet liegen keine Werte vor (räumliche Ebene: {m['spatial_level']})."
        return ViewResult("indikator_zeitreihe", title, None, pd.DataFrame(), m["source"], "–",
                          sentences.no_data(m["name"], m["holder"]) + " " + gap, params=params)
    available = list(dict.fromkeys(data["nationality"]))
    several = len(available) > 1
    together = several and nationalitaet not in available and not (
        {m["status_nationality"], "_T", "RO+BG"} & set(available))
    if together:  # e.g. Zuzüge: only RO and BG exist, none is "the" series — show both, never just the first
        data = data.copy()
        data["series"] = data["nationality_name"] + " – " + data["source"]
        nat_names = list(dict.fromkeys(data["nationality_name"]))
        title += f" ({' und '.join(nat_names)})"
        nat_name = " und ".join(nat_names)
    else:
        nat = nationalitaet if nationalitaet in available else default_nationality(data, m["status_nationality"])
        data = data[data["nationality"] == nat].copy()
        data["series"] = data["source"]
        nat_name = data["nationality_name"].iloc[0]
        if several and nat != "_T":
            title += f" ({nat_name})"
    data["period"] = [_date(p) for p in data["period"]]
    events = [(_date(r.date), r.label) for r in runner.run("indikator_ereignisse", gebiet=gebiet).itertuples()]
    target = None if pd.isna(m["target_value"]) else float(m["target_value"])
    due = _date(m["target_due"]) if target is not None else None
    fig = figures.time_series(
        data, x="period", y="value", series="series", title=title, unit=m["unit"], example="is_example",
        approx="is_approx", suppressed="suppressed", target=target, target_due=due, events=events,
        rangemode_zero=m["unit"] != "€/m²",
    )
    table = pd.DataFrame({
        "Stichtag": [formatting.date(p) for p in data["period"]],
        "Staatsangehörigkeit": data["nationality_name"],
        "Quelle": data["source"],
        f"Wert ({m['unit']})": [formatting.value_with_unit(None if pd.isna(v) else v, m["unit"], approx=a,
                                                           suppressed=s)
                                for v, a, s in zip(data["value"], data["is_approx"], data["suppressed"], strict=True)],
        "Wert (Zahl)": data["value"],
        "Kennzeichen": [_flags(r) for _, r in data.iterrows()],
        "Beleg": data["figure_id"].fillna(""),
    }).reset_index(drop=True)
    stand_parts = []
    for source, part in data.groupby("source", sort=False):
        stand_parts.append((max(part["period"]), source, bool(part["is_example"].any())))
    stand_parts.sort(key=lambda t: (t[2], t[0]), reverse=False)
    latest_overall = max(p for p, _, _ in stand_parts)
    stand = formatting.date(latest_overall)
    if len(stand_parts) > 1:
        stand += " (je Quelle: " + "; ".join(f"{s}: {formatting.date(p)}" for p, s, _ in stand_parts) + ")"
    sources = "; ".join(dict.fromkeys(data["source"]))
    if together:
        sentence = " ".join(_series_sentence(part, pd.concat([m, pd.Series({"name": f"{m['name']} – {name}"})])
                                             .groupby(level=0).last(), place, name)
                            for name, part in data.groupby("nationality_name", sort=False))
    else:
        sentence = _series_sentence(data, m, place, nat_name)
    footnotes = []
    if data["suppressed"].any():
        threshold = int(runner.run("build_manifest")["suppression_threshold"].iloc[0])
        footnotes.append(f"{formatting.SUPPRESSED} = geheim gehalten (weniger als {threshold} "
                         "Fälle oder rückrechenbar).")
    if data["is_approx"].any():
        footnotes.append("ca. = die Quelle nennt nur einen ungefähren Wert (offene Punkte im Diagramm).")
    if data["date_uncertain"].any():
        footnotes.append("Bei einzelnen Werten ist der Stichtag nicht sicher (siehe Kennzeichen in der Tabelle).")
    if data["is_rounded"].any():
        footnotes.append("Gerundete Werte: die Quelle rundet (z. B. auf Vielfache von 5).")
    if data["source"].nunique() > 1:
        footnotes.append("Jede Quelle ist eine eigene Linie – Melderegister und IT.NRW-Ausländerstatistik zählen "
                         "unterschiedlich und werden nicht zu einer Reihe verbunden.")
    if events:
        footnotes.append("Senkrechte Linien: Ereignisse (z. B. volle Arbeitnehmerfreizügigkeit für Rumänien und "
                         "Bulgarien ab 01.01.2014).")
    return ViewResult("indikator_zeitreihe", title, fig, table, sources, stand, sentence,
                      example_data=bool(data["is_example"].any()), footnotes=footnotes, params=params)


def _series_sentence(data: pd.DataFrame, meta: pd.Series, place: str, nat_name: str) -> str:
    """Read the most recent real series (else the example series): latest value and change to the one before."""
    usable = data[data["value"].notna()]
    if usable.empty:
        return f"Alle Werte für „{meta['name']}“ in {place} sind geheim gehalten."
    real = usable[~usable["is_example"]]
    pick = real if not real.empty else usable
    latest_source = pick.sort_values("period").iloc[-1]["source"]
    series = pick[pick["source"] == latest_source].sort_values("period")
    last = series.iloc[-1]
    prev = series.iloc[-2] if len(series) > 1 else None
    prefix = "Beispieldaten: " if bool(last["is_example"]) else ""
    if meta["indicator_id"] in RESIDENT_SUBJECTS:
        subject = RESIDENT_SUBJECTS[meta["indicator_id"]]
        if meta["indicator_id"] == "auslaender" and nat_name != "insgesamt":
            subject = f"Staatsangehörige ({nat_name})"
        text = sentences.count_change(subject, place, float(last["value"]), last["period"],
                                      None if prev is None else float(prev["value"]),
                                      None if prev is None else prev["period"], approx=bool(last["is_approx"]))
    else:
        text = sentences.value_change(meta["name"], place, float(last["value"]), last["period"], meta["unit"],
                                      None if prev is None else float(prev["value"]),
                                      None if prev is None else prev["period"], approx=bool(last["is_approx"]))
    return f"{prefix}{text} (Quelle: {latest_source})"


def status_uebersicht(runner: QueryRunner, handlungsfeld: str | None = None) -> ViewResult:
    """Status of the Leitziele counted per block (stacked bars with icon + word): never an average."""
    counts = runner.run("status_zaehlung_block")
    if handlungsfeld:
        counts = counts[counts["handlungsfeld_id"] == handlungsfeld]
    counts = counts.copy()
    counts["gruppe"] = counts["handlungsfeld"] + " · " + counts["block"]
    groups = list(dict.fromkeys(counts["gruppe"]))
    fig = figures.status_bars(counts, group="gruppe", category="category", count="leitziele",
                              title="Status der Leitziele je Block (Anzahl)", order=CATEGORY_ORDER,
                              labels=CATEGORY_LABEL, icons=CATEGORY_ICON, colors=STATUS_COLORS, group_order=groups)
    wide = (counts.pivot_table(index=["handlungsfeld", "block", "block_position", "hf_position"],
                               columns="category", values="leitziele", aggfunc="sum", fill_value=0)
            .reset_index().sort_values(["hf_position", "block_position"]))
    table = pd.DataFrame({"Handlungsfeld": wide["handlungsfeld"], "Block": wide["block"]})
    for cat in CATEGORY_ORDER:
        table[f"{CATEGORY_ICON[cat]} {CATEGORY_LABEL[cat]}"] = (
            wide[cat].astype(int) if cat in wide.columns else 0)
    table["Leitziele"] = table.iloc[:, 2:].sum(axis=1)
    table = table.reset_index(drop=True)
    total = counts.groupby("category")["leitziele"].sum().to_dict()
    stamp = runner.run("status_stichtag")
    stand = formatting.date(_date(stamp["status_date"].iloc[0])) if not stamp.empty else "–"
    example = bool(counts.loc[counts["category"] != "keine_daten", "is_example"].any())
    return ViewResult(
        "status_uebersicht", "Status der Leitziele je Block", fig, table,
        "Integrationsmonitor Hagen – Statusregel (siehe Daten & Methodik)", stand,
        sentences.status_counts({k: int(v) for k, v in total.items()}),
        example_data=example,
        footnotes=["Gezählt wird je Leitziel der schlechteste Status seiner Ergebnisindikatoren (sonst der "
                   "Umsetzungsindikatoren) – ein rotes Leitziel wird nie weggemittelt."],
        params={"handlungsfeld": handlungsfeld},
    )


CHANGE_DECIMALS = {"%": 1, "Indexpunkte": 1, "je 100 Zugezogene": 1, "€/m²": 2}
TYPE_LABEL = {"E": "Ergebnisindikator", "U": "Umsetzungsindikator", "K": "Kontextindikator"}


def _d(value: object) -> str:
    return formatting.date(_date(None if value is None or pd.isna(value) else pd.Timestamp(value)))


def _value_stand(value: object, unit: str, period: object, suppressed: bool) -> str:
    if suppressed:
        return f"{formatting.SUPPRESSED} ({_d(period)})"
    if value is None or pd.isna(value):
        return formatting.MISSING
    return f"{formatting.value_with_unit(float(value), unit)} ({_d(period)})"


def _kind_of_data(observations: int, examples: int) -> str:
    if observations == 0:
        return "keine Daten"
    if examples == observations:
        return "🧪 Beispieldaten"
    if examples:
        return "veröffentlichte Zahlen und 🧪 Beispieldaten"
    return "veröffentlichte Zahlen"


def indikatoren(indicators: pd.DataFrame) -> pd.DataFrame:
    """Display table of a Leitziel's indicators (query leitziel_indikatoren): values with Stand, target, status."""
    return pd.DataFrame({
        "Indikator": indicators["name"],
        "Art": indicators["type"].map(TYPE_LABEL),
        "Basiswert": [_value_stand(v, u, p, s) for v, u, p, s in zip(
            indicators["baseline_value"], indicators["unit"], indicators["baseline_period"],
            indicators["baseline_suppressed"], strict=True)],
        "Letzter Wert": [_value_stand(v, u, p, s) for v, u, p, s in zip(
            indicators["latest_value"], indicators["unit"], indicators["latest_period"],
            indicators["latest_suppressed"], strict=True)],
        "Zielwert": [("kein Zielwert beschlossen" if pd.isna(t) else
                      formatting.value_with_unit(t, u) + (f" bis {_d(d)}" if not pd.isna(d) else " (ohne Frist)"))
                     for t, u, d in zip(indicators["target_value"], indicators["unit"], indicators["target_due"],
                                        strict=True)],
        "Status": [f"{CATEGORY_ICON.get(c, '⬜')} {lbl}" for c, lbl in
                   zip(indicators["category"], indicators["label"], strict=True)],
        "Daten": [_kind_of_data(n, e) for n, e in zip(indicators["observations"],
                                                      indicators["example_observations"], strict=True)],
    })


CURRENT_DAYS = 400  # a series is "current" if its latest value is at most about a year older than the newest


def is_current(changes: pd.DataFrame) -> pd.Series:
    """True for series whose latest reference date lies within about a year of the newest one of their kind
    (published figures and example data each measured against their own newest date)."""
    latest = pd.to_datetime(changes["latest_period"])
    newest = latest.groupby(changes["is_example"]).transform("max")
    return (newest - latest).dt.days <= CURRENT_DAYS


def veraenderungen(changes: pd.DataFrame) -> pd.DataFrame:
    """Display table 'what changed' (query uebersicht_veraenderungen): each series' latest value against its
    previous reference date, the change columns first so they are visible on a 1.280 px screen."""
    return pd.DataFrame({
        "Indikator": changes["indicator_name"],
        "Veränderung": [(f"{'+' if c > 0 else ('−' if c < 0 else '±')}"
                         f"{formatting.number(abs(c), CHANGE_DECIMALS.get(u, 0))}"
                         f"{' Prozentpunkte' if u == '%' else ''}" if not pd.isna(c) else formatting.SUPPRESSED)
                        for c, u in zip(changes["change"], changes["unit"], strict=True)],
        "Veränderung in %": [formatting.signed_percent(p) if u != "%" else "–"
                             for p, u in zip(changes["change_percent"], changes["unit"], strict=True)],
        "Zeitraum": [f"{_d(a)} → {_d(b)}" for a, b in zip(changes["previous_period"], changes["latest_period"],
                                                         strict=True)],
        "Letzter Stand": [formatting.value_with_unit(v, u, approx=a, suppressed=pd.isna(v))
                          for v, u, a in zip(changes["latest_value"], changes["unit"], changes["is_approx"],
                                             strict=True)],
        "Vorheriger Stand": [formatting.value_with_unit(v, u, approx=a, suppressed=pd.isna(v))
                             for v, u, a in zip(changes["previous_value"], changes["unit"], changes["is_approx"],
                                                strict=True)],
        "Quelle": [wording.public_source(s) for s in changes["source"]],
        "Daten": ["🧪 Beispieldaten" if e else "veröffentlichte Zahl" for e in changes["is_example"]],
    })


def year_range(series: pd.DataFrame) -> tuple[int, int]:
    """First and last year of a time series frame (column period)."""
    years = [_date(p).year for p in series["period"]]
    return min(years), max(years)
