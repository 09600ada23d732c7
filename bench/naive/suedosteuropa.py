"""NAIVE baseline of the Südosteuropa (EU-2) page: raw CSVs via pandas on every rerun, Python-loop
aggregation, one trace per district. Only for bench/."""

import plotly.graph_objects as go
import streamlit as st

from bench.naive import _raw

st.title("Südosteuropa (naive Vergleichsversion)")
pop = _raw.population()
districts = _raw.districts_of_hagen()
area = st.selectbox("Gebiet", ["Hagen", *districts.values()], key="gebiet")
ids = list(districts) if area == "Hagen" else [k for k, v in districts.items() if v == area]
series: dict[int, list[int]] = {}
for _, r in pop.iterrows():  # aggregate row by row in Python, every rerun
    if r["gebiet"] not in ids:
        continue
    s = series.setdefault(r["jahr"], [0, 0, 0])
    s[0] += r["personen"]
    if r["staatsangehoerigkeit"] == "RO":
        s[1] += r["personen"]
    if r["staatsangehoerigkeit"] == "BG":
        s[2] += r["personen"]
years = sorted(series)
fig = go.Figure()
fig.add_trace(go.Scatter(x=years, y=[series[y][1] for y in years], name="Rumänien"))
fig.add_trace(go.Scatter(x=years, y=[series[y][2] for y in years], name="Bulgarien"))
fig.update_layout(separators=",.")
st.plotly_chart(fig, key="verlauf")
share = go.Figure(go.Bar(x=years, y=[100 * (series[y][1] + series[y][2]) / series[y][0] for y in years]))
st.plotly_chart(share, key="anteil")
st.dataframe(pop[pop["gebiet"].isin(ids) & pop["staatsangehoerigkeit"].isin(["RO", "BG"])])
