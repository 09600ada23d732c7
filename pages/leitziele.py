"""Leitziele: every Leitziel with its official text, status (+ rule), indicators, trend, measures and data gaps."""

import pandas as pd
import streamlit as st

from integrationsmonitor import formatting, status, urlparams
from integrationsmonitor.config import CITY_ID
from integrationsmonitor.serving import ui
from integrationsmonitor.views import leitziele as tables

ui.ensure_app_navigation()

TYPE_LABEL = tables.TYPE_LABEL
CITY = CITY_ID


def _date(value) -> str:
    return formatting.date(None if pd.isna(value) else pd.Timestamp(value).date())


def _url(param: str, valid: list[str], default: str, name: str) -> str:
    """A link's invalid value warns once; a value this page wrote and a filter change made stale does not."""
    if not ui.from_link(param):
        value = st.query_params.get(param)
        return value if value in valid else default
    value, warning = urlparams.pick(st.query_params.get(param), valid, default, name=name)
    ui.warn_once(param, warning)
    return value


st.title("🎯 Leitziele")
st.caption("Die 27 Leitziele des Integrationskonzepts im Wortlaut, mit Status, Indikatoren, Maßnahmen und Datenlücken.")

catalog = ui.query("leitziel_status_liste")
fields = dict(zip(catalog["handlungsfeld_id"], catalog["handlungsfeld"], strict=False))
hf_options = ["alle", *fields]
hf = _url("handlungsfeld", hf_options, "alle", "Handlungsfeld")
hf = st.radio("Handlungsfeld", hf_options, index=hf_options.index(hf), horizontal=True,
              format_func=lambda k: "alle Handlungsfelder" if k == "alle" else fields[k])
shown = catalog if hf == "alle" else catalog[catalog["handlungsfeld_id"] == hf]
ui.write_url("handlungsfeld", hf)

ids = list(shown["leitziel_id"])
all_ids = list(catalog["leitziel_id"])
raw = st.query_params.get("leitziel")
if raw is None and st.query_params.get("indikator"):  # a permalink to an indicator: open a Leitziel that has it
    links = ui.query("paket_leitziel_indikatoren")
    raw = next((lz for lz, ind in zip(links["leitziel_id"], links["indicator_id"], strict=True)
                if ind == st.query_params.get("indikator") and lz in ids), None)
if raw in all_ids and raw not in ids:
    if ui.from_link("leitziel"):
        st.info(f"Leitziel {raw} gehört nicht zum gewählten Handlungsfeld; angezeigt wird das erste Leitziel des "
                "Felds.")
    raw = None
leitziel = raw if raw in ids else (_url("leitziel", all_ids, ids[0], "Leitziel") if raw is not None else ids[0])
if leitziel not in ids:
    leitziel = ids[0]
labels = {r.leitziel_id: f"{r.leitziel_id} · {r.block}: {r.text[:90]}{'…' if len(r.text) > 90 else ''}"
          for r in shown.itertuples()}
leitziel = st.selectbox("Leitziel", ids, index=ids.index(leitziel), format_func=labels.get,
                        placeholder="Bitte wählen …")
ui.write_url("leitziel", leitziel)

with st.expander(f"Status aller {len(shown)} Leitziele im Überblick", expanded=False):
    overview = pd.DataFrame({
        "Leitziel": shown["leitziel_id"],
        "Block": shown["block"],
        "Status": [f"{status.CATEGORY_ICON[c]} {lbl}" for c, lbl in zip(shown["category"], shown["label"], strict=True)],
        "Beispieldaten": ["ja" if e else "nein" for e in shown["is_example"]],
        "Wortlaut": shown["text"],
    })
    st.dataframe(overview, hide_index=True, width="stretch")

row = catalog[catalog["leitziel_id"] == leitziel].iloc[0]
st.header(f"{row['handlungsfeld']} · {row['block']} · Leitziel {row['number']}")
st.markdown(f"> {row['text']}")
st.caption("Wortlaut aus dem Integrationskonzept der Stadt Hagen.")
icon = status.CATEGORY_ICON[row["category"]]
st.subheader(f"Status: {icon} {row['label']}")
st.markdown(f"Grundlage: **{row['basis']}** – je Leitziel zählt der schlechteste Status seiner Ergebnisindikatoren, "
            "gibt es keine, der schlechteste seiner Umsetzungsindikatoren.")
if row["is_example"]:
    st.warning("**Beispieldaten** – der Status beruht auf Beispieldaten, nicht auf amtlichen Zahlen.", icon="🧪")

indicators = ui.query("leitziel_indikatoren", leitziel=leitziel)
st.subheader("Indikatoren")
table = tables.indikatoren(indicators)
st.dataframe(table, hide_index=True, width="stretch")

for ind in indicators.itertuples():
    with st.expander(f"{ind.name} – {TYPE_LABEL[ind.type]}", expanded=False):
        st.markdown(f"**Definition:** {ind.definition}")
        st.markdown(f"**Quelle:** {ind.source} · **Datenhalter:** {ind.holder} · **Raumebene:** {ind.spatial_level} "
                    f"· **Turnus:** {ind.update_cycle}")
        rule = ind.rule if isinstance(ind.rule, str) else "keine_daten"
        st.markdown(f"**Status:** {status.CATEGORY_ICON.get(ind.category, '⬜')} {ind.label} – "
                    f"Regel: {status.RULE_TEXT.get(rule, '')}")
        if ind.observations == 0:
            st.info(f"**Datenlücke:** {ind.data_gap or 'Es liegen keine Werte vor.'} **Datenhalter:** {ind.holder}",
                    icon="🕳️")

with_data = [r.indicator_id for r in indicators.itertuples() if r.observations > 0]
if with_data:
    names = dict(zip(indicators["indicator_id"], indicators["name"], strict=True))
    default = with_data[0]
    chosen = _url("indikator", with_data, default, "Indikator") if st.query_params.get("indikator") else default
    chosen = st.selectbox("Zeitreihe für Indikator", with_data, index=with_data.index(chosen),
                          format_func=names.get)
    ui.write_url("indikator", chosen)
    areas = ui.query("indikator_gebiete", indikator=chosen)
    area_ids = list(areas["area_id"])
    area_names = dict(zip(areas["area_id"], areas["name"], strict=True))
    raw_area = st.query_params.get("gebiet")
    if raw_area and raw_area not in area_ids and not ui.from_link("gebiet"):
        raw_area = None  # the area of the previous indicator: silently the city
    if raw_area and raw_area not in area_ids:
        st.warning(f"Für das Gebiet „{urlparams.echo(raw_area)}“ gibt es zu diesem Indikator keine Werte; angezeigt wird "
                   f"{area_names.get(CITY, area_ids[0])}.", icon="⚠️")
        raw_area = None
    area_default = CITY if CITY in area_ids else area_ids[0]
    gebiet = st.selectbox("Gebiet", area_ids, index=area_ids.index(raw_area or area_default),
                          format_func=area_names.get)
    ui.write_url("gebiet", gebiet)
    first_year, last_year = tables.year_range(ui.query("indikator_zeitreihe", indikator=chosen, gebiet=gebiet))
    ab, warning = urlparams.pick_int(st.query_params.get("ab"), first_year, name="ab Jahr", lo=first_year,
                                     hi=last_year)
    if warning and not ui.from_link("ab"):  # the year of the previous indicator: the nearest year in range
        ab, warning = min(max(int(st.query_params.get("ab")), first_year), last_year), None
    ui.warn_once("ab", warning)
    if last_year > first_year:
        ab = st.slider("Zeitraum ab Jahr", first_year, last_year, ab)
    ui.write_url("ab", ab)
    result = ui.view("indikator_zeitreihe", indikator=chosen, gebiet=gebiet, ab_jahr=ab if ab > first_year else None)
    ui.show_view(result)
    with st.expander("Tabelle zur Zeitreihe"):
        st.dataframe(result.table, hide_index=True, width="stretch")
else:
    st.info("Für keinen Indikator dieses Leitziels liegen Werte vor – siehe Datenlücken oben.", icon="🕳️")

if "anteil_migrationshintergrund" in set(indicators["indicator_id"]):
    st.subheader("Vergleich mit anderen Städten")
    ui.show_view(ui.view("vergleich_migrationshintergrund"))

st.subheader("Maßnahmen")
measures = ui.query("leitziel_massnahmen", leitziel=leitziel)
if measures.empty:
    st.markdown("Diesem Leitziel ist im Monitor noch keine Maßnahme zugeordnet.")
else:
    if measures["is_example"].any():
        st.warning("**Beispielhafte Zuordnung** – die Maßnahmen sind bekannte Hagener Programme; ihre Zuordnung "
                   "zu diesem Leitziel ist ein Beispiel, kein Beschluss.", icon="🧪")
    st.dataframe(pd.DataFrame({
        "Maßnahme": measures["title"], "Federführung": measures["lead"], "Status": measures["status"],
        "Beginn": [_date(d) for d in measures["start_date"]], "Ende": [_date(d) for d in measures["end_date"]],
        "Hinweis": measures["note"],
    }), hide_index=True, width="stretch")
