"""Floor for the browser benchmark: the smallest Streamlit app with one Plotly chart (no data, no monitor code).

Time to its first chart is what Streamlit + Plotly.js cost in this browser on this machine; the monitor's own
first-chart time is read against it (bench/bench_browser.py)."""

import plotly.graph_objects as go
import streamlit as st

st.title("Untergrenze")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))
