"""NAIVE baseline of the Quartiere page: raw CSVs via pandas on every rerun, filtering in pandas,
unsimplified geometry rebuilt on
every rerun. Only for bench/ — shows what the real page is measured against."""

import plotly.graph_objects as go
import streamlit as st

from bench.naive import _raw
from integrationsmonitor.ingest import geo

st.title("Quartiere (naive Vergleichsversion)")
pop = _raw.population()
districts = _raw.districts_of_hagen()
years = sorted(pop["jahr"].unique())
year = st.selectbox("Jahr", [str(y) for y in years], index=len(years) - 1, key="jahr")
nat = st.selectbox("Staatsangehörigkeit", ["alle Ausländer:innen", "RO", "BG", "TR", "SY", "UA"], key="nat")
sel = pop[pop["jahr"] == int(year)]  # pandas filtering on the freshly read raw rows, every rerun
values = {}
for area_id in districts:
    rows = sel[sel["gebiet"] == area_id]
    total = rows["personen"].sum()
    if nat == "alle Ausländer:innen":
        foreign = rows.loc[rows["staatsangehoerigkeit"] != "DE", "personen"].sum()
    else:
        foreign = rows.loc[rows["staatsangehoerigkeit"] == nat, "personen"].sum()
    values[area_id] = 100 * foreign / total if total else None
features = geo.load_geometries(_raw.data_dir() / "geo", districts, tolerance_deg=0.0).features  # unsimplified
collection = geo.feature_collection([f for f in features if f.area_id in districts])
fig = go.Figure(go.Choroplethmap(geojson=collection, locations=list(values), z=list(values.values()),
                                 featureidkey="id", colorscale="Blues"))
fig.update_layout(map={"style": "white-bg", "center": {"lat": 51.36, "lon": 7.47}, "zoom": 10},
                  separators=",.", height=600)
st.plotly_chart(fig, key="karte")
st.dataframe(sel)
