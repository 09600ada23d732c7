"""Seite nicht gefunden: eine deutsche Seite für unbekannte Adressen (statt Streamlits „Page not found“)."""

import streamlit as st

from integrationsmonitor.serving import ui

ui.ensure_app_navigation()

st.title("Seite nicht gefunden")
st.markdown(f"Unter der Adresse „/{ui.echo_path()}“ gibt es im Integrationsmonitor keine Seite. "
            "Vielleicht ist der Link veraltet oder unvollständig. Diese Seiten gibt es:")
for page, label, icon in ui.PUBLIC_PAGES:
    st.page_link(page, label=label, icon=icon)
