"""What every page gets around its content (called once per run from app.py): German title and language,
our own navigation instead of Streamlit's list, the CSS for contrast and visible focus, German names for the
framework's English controls, and the links that tie each chart to its reading sentence.

Why JavaScript for ``lang``: Streamlit serves one ``index.html`` with ``<html lang="en">`` from its installed
package. Patching that file would be undone by every reinstall (and changes a shared virtualenv); a small script
that the app itself sends on every run survives any reinstall, and a browser test checks the result
(``tests/test_browser.py``). It also loads ``static/a11y.js``, which gives the framework's English controls German
names (the list is there), marks the navigation as a landmark and ties each chart to its reading sentence.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import streamlit as st

from integrationsmonitor.config import REPO_ROOT, Settings
from integrationsmonitor.views import theme

SITE = "Integrationsmonitor Hagen"
CATALOG = REPO_ROOT / "data" / "catalog"
# where the city's sign-language video goes when it arrives (served by Streamlit's static serving)
SIGN_LANGUAGE_VIDEO = REPO_ROOT / "static" / "video" / "gebaerdensprache.mp4"
DEFAULT_CONTACT = "die Statistikstelle der Stadt Hagen (Kontakt über www.hagen.de)"
NAV_KEY = "hauptnavigation"

# English accessible names the framework (Streamlit, Plotly, MapLibre) gives its own controls → German.

# English visible texts of the framework's links and buttons → German

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
/* radio buttons and checkboxes hide their input: the ring goes on the label around it */
label:has(> input:focus-visible), label:has(input[type="radio"]:focus-visible),
label:has(input[type="checkbox"]:focus-visible) {outline: 3px solid #0b4f9c !important; outline-offset: 2px;}
.st-key-hauptnavigation a[data-testid="stPageLink-NavLink"] p {color: #1f2937;}
/* ui.html_table: plain tables of the start page */
table.imh-table {border-collapse: collapse; width: 100%; font-size: 0.875rem; color: #1f2937;}
table.imh-table th, table.imh-table td {border-bottom: 1px solid #d1d5db; padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top;}
table.imh-table th {font-weight: 600; border-bottom: 2px solid #6b7280;}
.st-key-hauptnavigation .imh-nav-section, .imh-nav-plain .imh-nav-section {font-weight: 700; margin: 0.6rem 0 0 0;
  color: #1f2937;}
.imh-nav-plain a {display: flex; gap: 0.5rem; align-items: center; padding: 0.5rem 0.5rem 0.5rem 1rem;
  font-size: 0.875rem; line-height: 1.25rem; color: #1f2937; text-decoration: none;}
</style>
"""

def page_title(title: str) -> str:
    """The browser tab's title: page first (tabs and screen readers show the start), then the site."""
    return f"{title} – {SITE}"


def _plotly_chunk() -> str | None:
    """Path (under the server root) of Streamlit's lazily loaded Plotly bundle in the installed version."""
    found = sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return f"/static/js/{found[0].name}" if found else None


PLOTLY_CHUNK = _plotly_chunk()
A11Y_SCRIPT = "/app/static/a11y.js"  # served by Streamlit's static serving (.streamlit/config.toml)


def _early_script(charts: bool) -> str:
    """Sent before the page's content: the language at once; static/a11y.js (German names for the framework's
    English controls, the navigation landmark, chart descriptions — cached by the browser, so it costs the page
    nothing after the first visit); on pages with charts the Plotly bundle (≈ 4,7 MB to parse) requested now
    instead of when the first chart's data arrive."""
    lines = ['document.documentElement.lang = "de";', f"import({json.dumps(A11Y_SCRIPT)}).catch(() => null);"]
    if charts and PLOTLY_CHUNK:
        lines.append(f"import({json.dumps(PLOTLY_CHUNK)}).catch(() => null);")
    return "<script>" + "".join(lines) + "</script>"


def start(page, *, charts: bool = True, css: str = "") -> None:
    """Before the page (``page`` = the st.Page about to run): its title, the language, CSS (:data:`CSS` and the
    rules in ``css``, e.g. ``progressive.CSS``) and script."""
    st.set_page_config(page_title=page_title(page.title))
    more = f"<style>{css}</style>" if css else ""
    st.html(CSS + more + _early_script(charts), unsafe_allow_javascript=True)  # one element before the content


def navigation(sections: Mapping[str, Sequence], *, links: bool = True) -> None:
    """Our navigation in the sidebar. app.py draws it after the page's content (in a ``finally``, so a page that
    stops early — e.g. at the login — still gets it): where it sits on screen does not depend on when it is sent,
    and the page's first chart then does not wait behind 14 navigation elements in the browser.

    ``links=False`` (the start page's first view, serving/progressive.py): the same pages as one plain HTML
    element — the sidebar has its final shape at once (no jump of the page when the navigation arrives) and the
    links work (as full page loads) — until the next run, a moment later, replaces it with the page links."""
    with st.sidebar:
        if not links:
            st.html(plain_navigation(sections))
            return
        with st.container(key=NAV_KEY):
            for section, pages in sections.items():
                # st.html, not Markdown with HTML: that would load a 190 kB HTML parser (rehype-raw) into every page
                st.html(f"<div class='imh-nav-section'>{html.escape(section)}</div>")
                for p in pages:
                    st.page_link(p)


def plain_navigation(sections: Mapping[str, Sequence]) -> str:
    """The navigation as plain HTML: a ``nav`` landmark, per section a heading line and one link per page
    (relative addresses, so the app works under any base path)."""
    parts = ['<nav class="imh-nav-plain" aria-label="Seiten des Monitors">']
    for section, pages in sections.items():
        parts.append(f"<div class='imh-nav-section'>{html.escape(section)}</div>")
        parts += [f'<a href="./{html.escape(p.url_path)}"><span aria-hidden="true">{html.escape(p.icon or "")}</span>'
                  f"<span>{html.escape(p.title)}</span></a>" for p in pages]
    return "".join(parts) + "</nav>"


def accessibility_statement() -> str:
    """The Erklärung zur Barrierefreiheit (Markdown) with the feedback contact from IMH_KONTAKT_BARRIEREFREIHEIT."""
    contact = Settings.from_env().accessibility_contact or DEFAULT_CONTACT
    return (CATALOG / "barrierefreiheit.md").read_text(encoding="utf-8").replace("{kontakt}", contact)


def one_sentence_per_line(text: str) -> str:
    """Markdown whose every line stays a line on screen (a hard break at each line end): Leichte Sprache puts each
    sentence on its own line, and Markdown would run a paragraph's lines together into one block of text."""
    return "\n\n".join("  \n".join(line.rstrip() for line in block.splitlines())
                       for block in re.split(r"\n\s*\n", text.strip()))


def easy_language(*, body: bool = True) -> None:
    """The start page's short explanation in Leichte Sprache, the link to the declaration and the place for the
    sign-language video (shown once the city has put it at static/video/gebaerdensprache.mp4). ``body=False``:
    only the closed expander (the start page's first view, serving/progressive.py: its text is sent with the rest
    of the page, ~0,3 s later — nothing changes on screen, the expander is closed)."""
    box = st.expander("Leichte Sprache: Was ist diese Seite?  ·  Gebärden·sprache")
    if not body:
        return
    with box:
        # one text element (it sits above the first chart: each element is work for the browser)
        text = [(CATALOG / "leichte_sprache.md").read_text(encoding="utf-8").strip(),
                "♿ [Zur Erklärung zur Barriere·freiheit](barrierefreiheit)", "**Video in Gebärden·sprache**"]
        if not SIGN_LANGUAGE_VIDEO.exists():
            text.append("Hier kommt bald ein Video in Deutscher Gebärden·sprache.")
        st.markdown(one_sentence_per_line("\n\n".join(text)))
        if SIGN_LANGUAGE_VIDEO.exists():
            st.video(str(SIGN_LANGUAGE_VIDEO))
