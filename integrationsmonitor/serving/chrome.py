"""What every page gets around its content (called once per run from app.py): German title and language,
our own navigation instead of Streamlit's list, the CSS for contrast and visible focus, German names for the
framework's English controls, and the links that tie each chart to its reading sentence.

Why JavaScript for ``lang``: Streamlit serves one ``index.html`` with ``<html lang="en">`` from its installed
package. Patching that file would be undone by every reinstall (and changes a shared virtualenv); a small script
that the app itself sends on every run survives any reinstall, and a browser test checks the result
(``tests/test_browser.py``). The same script gives the framework's English buttons German names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import streamlit as st

from integrationsmonitor.config import REPO_ROOT, Settings
from integrationsmonitor.views import theme

SITE = "Integrationsmonitor Hagen"
CATALOG = REPO_ROOT / "data" / "catalog"
# where the city's sign-language video goes when it arrives (served by Streamlit's static serving)
SIGN_LANGUAGE_VIDEO = REPO_ROOT / "static" / "video" / "gebaerdensprache.mp4"
DEFAULT_CONTACT = "an die Statistikstelle der Stadt Hagen (Kontakt über www.hagen.de)"
NAV_KEY = "hauptnavigation"

# English accessible names the framework (Streamlit, Plotly, MapLibre) gives its own controls → German.
GERMAN_NAMES: dict[str, str] = {
    "Collapse sidebar": "Seitenleiste einklappen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "Open sidebar": "Seitenleiste öffnen",
    "Close sidebar": "Seitenleiste schließen",
    "Main menu": "Hauptmenü",
    "Map": "Karte der Stadtbezirke (dieselben Werte stehen als Tabelle unter der Karte)",
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild beenden",
    "Download as CSV": "Als CSV herunterladen",
    "Download": "Herunterladen",
    "Search": "Suchen",
    "Clear search": "Suche löschen",
    "Show/hide columns": "Spalten ein- oder ausblenden",
    "Add row": "Zeile hinzufügen",
    "Delete row": "Zeile löschen",
    "Open": "Öffnen",
    "Clear all": "Alles löschen",
    "Clear value": "Auswahl löschen",
    "Running...": "Wird geladen …",
    "Stop": "Anhalten",
    "Rerun": "Neu laden",
    "Show password text": "Passwort anzeigen",
    "Hide password text": "Passwort verbergen",
    "Zoom in": "Vergrößern",
    "Zoom out": "Verkleinern",
    "Reset bearing to north": "Nach Norden ausrichten",
    "Toggle attribution": "Quellenangabe ein- oder ausblenden",
}

# Plotly's own locale dictionary for the few controls left in the chart toolbar (config["locales"]).
PLOTLY_LOCALE = {
    "de": {
        "dictionary": {
            "Download plot as a PNG": "Diagramm als PNG herunterladen",
            "Download plot": "Diagramm herunterladen",
            "Reset axes": "Achsen zurücksetzen",
            "Autoscale": "Automatisch skalieren",
            "Reset view": "Ansicht zurücksetzen",
            "Zoom in": "Vergrößern",
            "Zoom out": "Verkleinern",
            "Produced with Plotly.js": "Erstellt mit Plotly.js",
            "Double-click to zoom back out": "Doppelklick zoomt zurück",
        },
        # month and day names from Babel ("Okt. 2014" wherever Plotly writes a date itself), German separators
        "format": theme.PLOTLY_LOCALE["format"],
    }
}
PLOTLY_LOCALE["de"]["dictionary"] = {**theme.PLOTLY_LOCALE["dictionary"], **PLOTLY_LOCALE["de"]["dictionary"]}


def chart_config(filename: str | None = None, **extra: object) -> dict:
    """Plotly config for every chart: German toolbar with only the image download (no zoom/pan buttons that
    a keyboard user cannot reach anyway), no Plotly logo. ``filename`` names the downloaded image (e.g.
    ``ViewResult.file_stem``, which carries every filter of the chart)."""
    config: dict = {"displaylogo": False, "locale": "de", "locales": PLOTLY_LOCALE, "modeBarButtons": [["toImage"]]}
    if filename:
        config["toImageButtonOptions"] = {"format": "png", "scale": 2, "filename": filename}
    return config | extra


CSS = """
<style>
/* text ≥ 4.5:1 — Streamlit's captions are its text colour at 60 % opacity: #828180 on white (3.88:1);
   #55534f is 7.6:1 */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *,
[data-testid="stWidgetLabel"] small, .stTooltipIcon {color: #55534f !important;}
[data-testid="stCaptionContainer"] {opacity: 1 !important;}
[data-testid="stMarkdownContainer"] blockquote {color: #2f2d2b !important; opacity: 1 !important;}
/* focus always visible (keyboard) */
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible,
summary:focus-visible, [tabindex]:focus-visible, [role="button"]:focus-visible, [role="tab"]:focus-visible,
[role="radio"]:focus-visible, canvas:focus-visible {
  outline: 3px solid #0b4f9c !important; outline-offset: 2px !important;}
.st-key-hauptnavigation a[data-testid="stPageLink-NavLink"] p {color: #1f2937;}
.st-key-hauptnavigation .imh-nav-section {font-weight: 700; margin: 0.6rem 0 0 0; color: #1f2937;}
</style>
"""

_SCRIPT = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const names = __NAMES__;
  const apply = () => {
    if (doc.documentElement.lang !== "de") doc.documentElement.lang = "de";
    for (const attr of ["aria-label", "title", "data-title"]) {
      doc.querySelectorAll("[" + attr + "]").forEach((el) => {
        const german = names[el.getAttribute(attr)];
        if (german) el.setAttribute(attr, german);
      });
    }
    const nav = doc.querySelector(".st-key-__NAV__");
    if (nav && nav.getAttribute("role") !== "navigation") {
      nav.setAttribute("role", "navigation");
      nav.setAttribute("aria-label", "Seiten des Monitors");
    }
    // every chart: its reading sentence (the element after it in its keyed container) describes it
    doc.querySelectorAll("[class*='st-key-diagramm_']").forEach((box, i) => {
      const chart = box.querySelector("[data-testid='stPlotlyChart']");
      const sentence = box.querySelector("[class*='st-key-lesehilfe_']");
      if (!chart || !sentence) return;
      if (!sentence.id) sentence.id = "lesehilfe-" + i + "-" + Math.random().toString(36).slice(2, 8);
      if (chart.getAttribute("aria-describedby") !== sentence.id) chart.setAttribute("aria-describedby", sentence.id);
      if (!chart.getAttribute("role")) chart.setAttribute("role", "figure");
    });
  };
  apply();
  if (!doc.__imhObserver) {
    doc.__imhObserver = new MutationObserver(() => apply());
    doc.__imhObserver.observe(doc.body, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["aria-label", "title", "data-title"]});
  }
})();
</script>
"""


def script() -> str:
    return _SCRIPT.replace("__NAMES__", json.dumps(GERMAN_NAMES, ensure_ascii=False)).replace("__NAV__", NAV_KEY)


def page_title(title: str) -> str:
    """The browser tab's title: page first (tabs and screen readers show the start), then the site."""
    return f"{title} – {SITE}"


def start(page, sections: Mapping[str, Sequence]) -> None:
    """Title, language, CSS, scripts and the navigation for the page about to run (``page`` = st.Page)."""
    st.set_page_config(page_title=page_title(page.title))
    st.html(CSS)
    st.html(script(), unsafe_allow_javascript=True)
    with st.sidebar, st.container(key=NAV_KEY):
        for section, pages in sections.items():
            st.markdown(f"<div class='imh-nav-section'>{section}</div>", unsafe_allow_html=True)
            for p in pages:
                st.page_link(p)


def accessibility_statement() -> str:
    """The Erklärung zur Barrierefreiheit (Markdown) with the feedback contact from IMH_KONTAKT_BARRIEREFREIHEIT."""
    contact = Settings.from_env().accessibility_contact or DEFAULT_CONTACT
    return (CATALOG / "barrierefreiheit.md").read_text(encoding="utf-8").replace("{kontakt}", contact)


def easy_language() -> None:
    """The start page's short explanation in Leichte Sprache, the link to the declaration and the place for the
    sign-language video (shown once the city has put it at static/video/gebaerdensprache.mp4)."""
    with st.expander("Leichte Sprache: Was ist diese Seite?  ·  Gebärden·sprache"):
        st.markdown((CATALOG / "leichte_sprache.md").read_text(encoding="utf-8"))
        st.markdown("♿ [Zur Erklärung zur Barriere·freiheit](barrierefreiheit)")
        st.markdown("**Video in Gebärden·sprache**")
        if SIGN_LANGUAGE_VIDEO.exists():
            st.video(str(SIGN_LANGUAGE_VIDEO))
        else:
            st.markdown("Hier kommt bald ein Video in Deutscher Gebärden·sprache.")
