"""Seite in Arbeit."""

import streamlit as st

st.info("Diese Seite wird gerade aufgebaut.")
