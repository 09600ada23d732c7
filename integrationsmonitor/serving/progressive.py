"""The start page's first chart before everything else on it.

Measured (bench/README.md, issue 17): the browser builds every element of a page on its one main thread, and it
does so while it compiles Plotly's 4,7 MB bundle — so the 90 elements below the Übersicht's status chart (cards,
block list, headline figures, tables, downloads, the navigation links) delayed the chart by ~0,5 s on this
machine. No single element is to blame; each costs a few milliseconds.

So a session's first view of the start page ends right after the chart, its source line and its reading
sentence (:func:`chart_first`). A small script (JavaScript in the page itself, no iframe, no third-party code)
reports as soon as the chart is drawn, by pressing a hidden button — or after :data:`FALLBACK_MS` at
the latest, if it never is (the page must not hang on a broken chart) — and the rerun that report starts sends
the whole page. Should the reporter's own script never run, the fragment around it sends the rest after
:data:`SERVER_FALLBACK_S` (Streamlit's fragment timer, part of its main bundle). The session remembers it:
every later run (a filter, another page, coming back) sends whole pages at once — as does a session that started
on another page (its navigation is there already). Nothing is left out; the rest arrives ~0,3 s after the chart
instead of before it.
"""

from __future__ import annotations

import streamlit as st

#: session_state: this session's first chart has been drawn (set when the reporter's button is pressed)
DRAWN = "imh_erstes_diagramm_gezeichnet"
REPORTER = "imh_erstes_diagramm"  # key of the container around the reporter (hidden by CSS below)
BUTTON = REPORTER + "_knopf"  # key of the button its script presses
FALLBACK_MS = 3000
#: the server's own fallback, should the reporter never press (its script or the button's chunk failed): the
#: fragment around it reruns after this many seconds and then sends the rest itself
SERVER_FALLBACK_S = 6.0
#: how many animation frames (~10 s at 60 Hz) the script looks for a button that is mounted after the chart
LATE_BUTTON_FRAMES = 600
_ARMED = "imh_erstes_diagramm_wartet"

#: the reporter's CSS class (Streamlit's ``st-key-`` + key of the container around the button and the script)
BOX_CLASS = "st-key-" + REPORTER
#: sent with every page's first element (app.py → ``chrome.start``), before any reporter exists: pressed by its
#: script, the reporter is never seen and never focused
CSS = f".{BOX_CLASS} {{display: none !important;}}"

# Runs in the page (st.html, not an iframe; its chunk is already loaded for chrome.start's CSS): waits for Plotly's
# drawing surface, then for the next two frames (the chart is on screen before the browser gets busy with the
# rest), and presses the hidden button once — a button, because its code (1 kB) is all but part of Streamlit's main
# bundle, where a components.v2 reporter pulled ~200 kB of Arrow code in while the browser compiled Plotly's.
_JS = """<script>(() => {
  let sent = false;
  const button = () => document.querySelector(".BOX_CLASS button");
  const drawn = () => document.querySelector(".js-plotly-plot .main-svg") !== null;
  const report = (tries = 0) => {
    if (sent) return;
    const b = button();
    if (!b) { if (tries < LATE_BUTTON_FRAMES) requestAnimationFrame(() => report(tries + 1)); return; }
    sent = true;
    observer.disconnect();
    clearTimeout(timer);
    b.click();
  };
  const painted = () => {
    observer.disconnect();  // seen once is enough
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(report, 0)));
  };
  const observer = new MutationObserver(() => { if (drawn()) painted(); });
  const timer = setTimeout(report, FALLBACK_MS);
  observer.observe(document.body, { subtree: true, childList: true });
  if (drawn()) painted();
})();</script>""".replace("LATE_BUTTON_FRAMES", str(LATE_BUTTON_FRAMES)).replace(
    "FALLBACK_MS", str(FALLBACK_MS)).replace("BOX_CLASS", BOX_CLASS)


def holds_back(result) -> bool:
    """True if this run sends only the chart of ``result`` (a ViewResult) and what belongs to it: the session's
    first view, and there is a chart to wait for. Pages pass ``extras=not holds_back(result)`` to
    ``ui.show_view``."""
    return result.figure is not None and not st.session_state.get(DRAWN, False)


def _mark_drawn() -> None:
    st.session_state[DRAWN] = True


def whole_page_sent() -> None:
    """app.py, after a page was sent whole with its navigation: the session has its frame, later first charts
    need not wait (and the sidebar's page links are never swapped for the plain ones again)."""
    _mark_drawn()


def chart_first(result) -> None:
    """Call right after the page's first chart (``result``: its ViewResult). If :func:`holds_back`: mount the
    reporter and end the page here (``ui.stop_page(rest_deferred=True)``: app.py then sends only a plain
    placeholder navigation); the reporter's rerun sends the whole page. Otherwise (no chart to wait for, or not
    the first view) nothing happens and the page goes on."""
    from integrationsmonitor.serving import ui

    if not holds_back(result):
        return
    st.session_state[_ARMED] = False
    _report()
    ui.stop_page(rest_deferred=True)


@st.fragment(run_every=SERVER_FALLBACK_S)
def _report() -> None:
    """The reporter inside a fragment: its report reruns only this fragment, which then asks for the whole
    page; the fragment's timer (Streamlit's own, not the reporter's JavaScript) does the same if no report came.
    Once the whole page is sent the fragment is gone, and its timer with it."""
    if st.session_state.get(DRAWN) or st.session_state.get(_ARMED):
        _mark_drawn()
        st.rerun(scope="app")
    st.session_state[_ARMED] = True
    with st.container(key=REPORTER):  # hidden (CSS): no one but the script presses it
        st.html(_JS, unsafe_allow_javascript=True)
        st.button("Erstes Diagramm gezeichnet", key=BUTTON, on_click=_mark_drawn)
