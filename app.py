"""Integrationsmonitor Hagen — entry point: page config and navigation only.

Streamlit's own navigation list is hidden (its markup fails the accessibility check: list items outside a list);
``chrome.navigation`` draws the same pages as plain links (after the page's content, so that its first chart is
sent first; on a session's first view of the start page only once its first chart is drawn, see
serving/progressive.py); ``chrome.start`` sets the German tab title and language for the page (CHART_PAGES: pages
whose Plotly bundle is requested right away).
"""

import streamlit as st

from integrationsmonitor.serving import chrome, progressive, ui

st.set_page_config(page_title=chrome.SITE, page_icon="📊", layout="wide")

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
    "Über diese Seite": [
        st.Page("pages/barrierefreiheit.py", title="Erklärung zur Barrierefreiheit", icon="♿",
                url_path="barrierefreiheit"),
    ],
}

CHART_PAGES = {"", "uebersicht", "leitziele", "quartiere", "suedosteuropa", "praesentation"}

# An unknown address gets a German page instead of Streamlit's English "Page not found" dialog.
missing = ui.missing_page(ui.requested_page(), [p.url_path for pages in PAGES.values() for p in pages])
lost = [st.Page("pages/nicht_gefunden.py", title="Seite nicht gefunden", icon="❓", url_path=missing)] if missing else []
page = st.navigation({**PAGES, "": lost} if lost else PAGES, position="hidden")
chrome.start(page, charts=page.url_path in CHART_PAGES, css=progressive.CSS)
run = ui.PageRun()
try:
    with ui.page_guard(run):  # visitors see a German notice, never a traceback (details in the server log)
        page.run()
finally:
    # sent after the content, shown in the sidebar as always; a placeholder while the start page's first view
    # waits for its chart to be drawn (serving/progressive.py)
    chrome.navigation(PAGES, links=not run.rest_deferred)
    if not run.rest_deferred:
        progressive.whole_page_sent()
