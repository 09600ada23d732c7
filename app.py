"""Integrationsmonitor Hagen — entry point: page config and navigation only."""

import streamlit as st

st.set_page_config(page_title="Integrationsmonitor Hagen", page_icon="📊", layout="wide")

PAGES = {
    "Monitor": [
        st.Page("pages/uebersicht.py", title="Übersicht", icon="🏠", default=True, url_path="uebersicht"),
        st.Page("pages/leitziele.py", title="Leitziele", icon="🎯", url_path="leitziele"),
        st.Page("pages/quartiere.py", title="Quartiere", icon="🗺️", url_path="quartiere"),
        st.Page("pages/suedosteuropa.py", title="Südosteuropa (EU-2)", icon="🇪🇺", url_path="suedosteuropa"),
        st.Page("pages/methodik.py", title="Daten & Methodik", icon="📚", url_path="methodik"),
    ],
    "Sitzungen": [
        st.Page("pages/sitzungspaket.py", title="Sitzungspaket & Berichtsstände", icon="🗂️", url_path="sitzungspaket"),
        st.Page("pages/praesentation.py", title="Präsentation", icon="📽️", url_path="praesentation"),
    ],
    "Intern": [
        st.Page("pages/datenpflege.py", title="Datenpflege (Statistikstelle)", icon="🔒", url_path="datenpflege"),
    ],
}

st.navigation(PAGES).run()
