"""NAIVE baseline of the Südosteuropa (EU-2) page: raw CSVs via pandas on every rerun, pandas
aggregation, one trace per district. Only for bench/."""

import plotly.graph_objects as go
import streamlit as st

from bench.naive import _raw

st.title("Südosteuropa (naive Vergleichsversion)")
pop = _raw.population()
districts = _raw.districts_of_hagen()
area = st.selectbox("Gebiet", ["Hagen", *districts.values()], key="gebiet")
ids = list(districts) if area == "Hagen" else [k for k, v in districts.items() if v == area]
rows = pop[pop["gebiet"].isin(ids)]  # pandas filtering on the freshly read raw rows, every rerun
series = {}
for year, group in rows.groupby("jahr"):
    series[year] = [group["personen"].sum(), group.loc[group["staatsangehoerigkeit"] == "RO", "personen"].sum(),
                    group.loc[group["staatsangehoerigkeit"] == "BG", "personen"].sum()]
years = sorted(series)
fig = go.Figure()
fig.add_trace(go.Scatter(x=years, y=[series[y][1] for y in years], name="Rumänien"))
fig.add_trace(go.Scatter(x=years, y=[series[y][2] for y in years], name="Bulgarien"))
fig.update_layout(separators=",.")
st.plotly_chart(fig, key="verlauf")
share = go.Figure(go.Bar(x=years, y=[100 * (series[y][1] + series[y][2]) / series[y][0] for y in years]))
st.plotly_chart(share, key="anteil")
st.dataframe(pop[pop["gebiet"].isin(ids) & pop["staatsangehoerigkeit"].isin(["RO", "BG"])])
