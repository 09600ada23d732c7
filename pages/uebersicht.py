"""Übersicht: the catalogue of the Integrationskonzept (replaced by the full overview page)."""

import streamlit as st

from integrationsmonitor import ui

st.title("Integrationsmonitor Hagen")
st.caption("Integrationskonzept der Stadt Hagen: 3 Handlungsfelder, 27 Leitziele")
catalog = ui.query("katalog_leitziele")
for hf, rows in catalog.groupby("handlungsfeld", sort=False):
    st.header(f"Handlungsfeld {hf}")
    for block, lz in rows.groupby("block", sort=False):
        st.subheader(block)
        for r in lz.itertuples():
            label = f"Leitziel {r.number}" if r.numbered else "Leitziel"
            st.markdown(f"**{label}:** {r.text}")
