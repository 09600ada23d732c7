"""Quartiere: Karte der Stadtbezirke (oder der Stimmbezirke einer Wahl), Steckbrief, Vergleichsschalter. Filter in der URL."""

import streamlit as st

from integrationsmonitor.serving import ui
from integrationsmonitor.views import quartiere as q
from integrationsmonitor.views import stimmbezirke as sb

ui.ensure_app_navigation()

runner = ui.runner()
st.title("Quartiere")


choose = ui.url_choice

ebene = choose("ebene", "Ebene", sb.LEVELS, "stadtbezirk", widget=st.radio)
if ebene == "stimmbezirk":
    wahlen = sb.election_options(runner)
    if not wahlen:
        st.info("Es ist keine Wahl mit Stimmbezirksgrenzen geladen (Datenpflege: Wahlergebnisse liefern).")
        ui.stop_page()
    col1, col2 = st.columns(2)
    with col1:
        wahl = choose("wahl", "Wahl", wahlen, next(iter(wahlen)))
    with col2:
        merkmal = choose("merkmal", "Merkmal", sb.MERKMALE, "urne")
    stimmbezirke = sb.stimmbezirk_options(runner, wahl)
    if sb.belongs_to_other_election(st.query_params.get("stimmbezirk"), wahl, wahlen):
        del st.query_params["stimmbezirk"]  # the Stimmbezirk of the election shown before: start anew, no warning
    clicked = sb.stimmbezirk_from_selection(st.session_state.get("karte_stimmbezirke"), list(stimmbezirke))
    if clicked and clicked != st.session_state.get("last_click_stimmbezirk"):
        st.session_state["last_click_stimmbezirk"] = clicked
        st.query_params["stimmbezirk"] = clicked
    stimmbezirk = choose("stimmbezirk", "Stimmbezirk (oder in der Karte anklicken)", stimmbezirke,
                         next(iter(stimmbezirke)))
    karte = ui.view("stimmbezirk_karte", wahl=wahl, merkmal=merkmal)
    st.plotly_chart(karte.figure, on_select="rerun", selection_mode="points", key="karte_stimmbezirke",
                    config={"displaylogo": False, "locale": "de", "scrollZoom": False})
    st.caption(karte.source_line)
    st.markdown(karte.sentence)
    for note in karte.footnotes:
        st.caption(note)
    steckbrief = ui.view("stimmbezirk_steckbrief", wahl=wahl, stimmbezirk=stimmbezirk)
    st.header(steckbrief.title)
    st.dataframe(steckbrief.table, hide_index=True)
    ui.show_view(steckbrief)
    ui.stop_page()


districts = q.district_options(runner)
clicked = q.district_from_selection(st.session_state.get("karte"), list(districts))
if clicked and clicked != st.session_state.get("last_click"):
    st.session_state["last_click"] = clicked
    st.query_params["bezirk"] = clicked

indicators = q.indicator_options(runner)
col1, col2, col3 = st.columns(3)
with col1:
    indikator = choose("indikator", "Indikator", indicators, q.DEFAULT_INDICATOR
                       if q.DEFAULT_INDICATOR in indicators else next(iter(indicators)))
periods = q.period_options(runner, indikator)
with col2:
    stichtag = choose("stichtag", "Stichtag", {p: views_date for p, views_date in
                                               ((p, p[8:10] + "." + p[5:7] + "." + p[:4]) for p in periods)},
                      periods[0])
with col3:
    bezirk = choose("bezirk", "Stadtbezirk (oder in der Karte anklicken)", districts, next(iter(districts)))

karte = ui.view("quartier_karte", indikator=indikator, stichtag=stichtag, bezirk=bezirk)
ui.show_view(karte, chart_key="karte", select=True, scrollZoom=False)

st.header(f"Steckbrief {districts[bezirk]}")
steckbrief = ui.view("quartier_steckbrief", bezirk=bezirk, stichtag=stichtag)
st.dataframe(steckbrief.table, hide_index=True)
ui.show_view(steckbrief)
ui.show_view(ui.view("quartier_zeitreihe", bezirk=bezirk, indikator=indikator))
st.subheader("Vergleich")
vergleich = choose("vergleich", "Vergleichen mit", q.VERGLEICH, "bezirk", widget=st.radio)
ui.show_view(ui.view("quartier_vergleich", bezirk=bezirk, indikator=indikator, stichtag=stichtag,
                          vergleich=vergleich))
