"""Südosteuropa (EU-2): rumänische und bulgarische Staatsangehörige in Hagen, je Bezirk und im Vergleich."""

import streamlit as st

from integrationsmonitor.config import CITY_ID
from integrationsmonitor.serving import ui
from integrationsmonitor.views import amtlich, eu2, index, vergleich
from integrationsmonitor.views import quartiere as q

ui.ensure_app_navigation()

runner = ui.runner()
st.title("Südosteuropa (EU-2): Rumänien und Bulgarien")


choose = ui.url_choice


periods = eu2.eu2_periods(runner)
areas = {CITY_ID: "Hagen (ganze Stadt)"} | q.district_options(runner)
col1, col2, col3 = st.columns(3)
with col1:
    bezirk = choose("bezirk", "Gebiet", areas, CITY_ID)
with col2:
    stichtag = choose("stichtag", "Stichtag", {p: f"{p[8:10]}.{p[5:7]}.{p[:4]}" for p in periods}, periods[0])
with col3:
    wahl = choose("vergleich", "Vergleichen mit", vergleich.VERGLEICH, "vergleichsstaedte", widget=st.radio)

ui.show_view(ui.view("eu2_stadt_quellen"))
st.subheader(f"Vergleich: {vergleich.VERGLEICH[wahl]}")
gruppe = None
if wahl == "nrw":  # "ähnliche Städte" nach einer veröffentlichten Regel (data/catalog/vergleichsgruppen.yaml)
    gruppe = choose("gruppe", "Ähnliche Städte", amtlich.group_options(runner), amtlich.GROUPS_DEFAULT)
for key in vergleich.eu2_vergleich_views(wahl):
    params = index.spec(key).accepts(dict(stichtag=stichtag, bezirk=bezirk if bezirk != CITY_ID else None,
                                          gruppe=gruppe))
    ui.show_view(ui.view(key, **params))
st.subheader("Fluktuation und Altersstruktur")
ui.show_view(ui.view("eu2_fluktuation", stichtag=stichtag))
ui.show_view(ui.view("eu2_altersstruktur", bezirk=bezirk, stichtag=stichtag))
st.subheader("Leitziele zur Zuwanderung aus Südosteuropa")
leitziele = ui.view("eu2_leitziele")
st.dataframe(leitziele.table, hide_index=True)
ui.show_view(leitziele)
