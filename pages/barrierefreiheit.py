"""Erklärung zur Barrierefreiheit (§ 10b BGG NRW, BITV NRW). The text is data: data/catalog/barrierefreiheit.md."""

import streamlit as st

from integrationsmonitor.serving import chrome, ui

ui.ensure_app_navigation()

st.title("Erklärung zur Barrierefreiheit")
st.markdown(chrome.accessibility_statement())
