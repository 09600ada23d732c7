"""Integrationsmonitor Hagen — entry point: page config and navigation only."""

import streamlit as st

st.set_page_config(page_title="Integrationsmonitor Hagen", page_icon="📊", layout="wide")

PAGES = [
    st.Page("pages/uebersicht.py", title="Übersicht", icon="🏠", default=True, url_path="uebersicht"),
]

st.navigation(PAGES).run()
