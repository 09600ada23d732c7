"""The start page's first view sends its status chart first and the rest once the browser has drawn it
(serving/progressive.py). AppTest has no browser: the report is the press of the hidden button; the real
round trip through Chromium is in tests/test_browser.py (test_first_view_*)."""

from __future__ import annotations

import lxml.html
from streamlit.testing.v1 import AppTest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.serving import progressive

# app.py's pages in order, written out here (not read from app.py): title → address
PAGES = {"Übersicht": "uebersicht", "Leitziele": "leitziele", "Quartiere": "quartiere",
         "Südosteuropa (EU-2)": "suedosteuropa", "Daten & Methodik": "methodik",
         "Sitzungspaket & Berichtsstände": "sitzungspaket", "Präsentation": "praesentation",
         "Datenpflege (Statistikstelle)": "datenpflege", "Erklärung zur Barrierefreiheit": "barrierefreiheit"}


def _app(built_db) -> AppTest:
    return AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)


def _whole(at: AppTest) -> dict:
    return {"metrics": len(at.metric), "downloads": len(at.get("download_button")),
            "blocks": len([e for e in at.expander if e.label.startswith(("Bildung ·", "Teilhabe ·"))]),
            "links": [link.proto.label for link in at.sidebar.get("page_link")],
            "reporter": len([b for b in at.button if b.key == progressive.BUTTON])}


def test_first_view_ends_after_the_chart_with_its_source_and_sentence(built_db):
    at = _app(built_db).run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.get("plotly_chart")) == 1
    assert at.title[0].value == "📊 Integrationsmonitor Hagen"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Quelle:") and "Stand:" in c for c in captions), captions  # the chart's source line
    assert any("Von 27 Leitzielen" in m.value for m in at.markdown)  # its reading sentence
    assert at.radio[0].label == "Diagramm für"
    (easy,) = [e for e in at.expander if e.label.startswith("Leichte Sprache")]
    assert not easy.children  # closed: its text comes with the rest (below)
    # nothing below the chart yet, and the reporter that asks for it
    assert _whole(at) == {"metrics": 0, "downloads": 0, "blocks": 0, "links": [], "reporter": 1}
    assert not [h for h in at.header if h.value == "Hagen in Zahlen"]


def test_first_view_has_every_page_as_a_plain_link_meanwhile(built_db):
    at = _app(built_db).run()
    (nav,) = [h.proto.body for h in at.sidebar.get("html")]
    tree = lxml.html.fromstring(nav)
    assert tree.tag == "nav" and tree.get("aria-label") == "Seiten des Monitors"
    links = {a.findall("span")[-1].text_content(): a.get("href") for a in tree.iter("a")}
    # the start page (app.py's default) lives at the root of the app
    assert links == {**{title: f"./{address}" for title, address in PAGES.items()}, "Übersicht": "./"}
    assert [d.text_content() for d in tree.find_class("imh-nav-section")] == [
        "Monitor", "Sitzungen", "Intern", "Über diese Seite"]


def test_after_the_report_the_whole_page_comes_and_stays(built_db):
    at = _app(built_db).run()
    at.button(key=progressive.BUTTON).click().run()  # what the reporter's script does once the chart is drawn
    assert at.session_state[progressive.DRAWN]
    assert not at.exception
    whole = _whole(at)
    assert whole == {"metrics": 3, "downloads": 4, "blocks": 8, "links": list(PAGES), "reporter": 0}, whole
    (easy,) = [e for e in at.expander if e.label.startswith("Leichte Sprache")]
    assert "Integrations·monitor Hagen" in easy.markdown[0].value
    assert [h.value for h in at.header] == ["Status der Leitziele", "Hagen in Zahlen",
                                           "Was hat sich seit dem letzten Stand geändert?"]
    at.radio[0].set_value("TH").run()  # a filter later in the session: whole at once, no second wait
    assert _whole(at)["metrics"] == 3 and _whole(at)["reporter"] == 0


def test_other_pages_are_never_held_back_nor_a_session_that_started_there(built_db):
    at = _app(built_db)
    at.switch_page("pages/leitziele.py")
    at.run()
    assert not at.exception
    assert [link.proto.label for link in at.sidebar.get("page_link")] == list(PAGES)
    assert not [b for b in at.button if b.key == progressive.BUTTON]
    at.switch_page("pages/uebersicht.py")  # then the start page, in the same session: whole at once
    at.run()
    assert not at.exception
    whole = _whole(at)
    assert whole == {"metrics": 3, "downloads": 4, "blocks": 8, "links": list(PAGES), "reporter": 0}, whole


def test_a_page_without_a_chart_is_not_held_back(monkeypatch):
    """Nothing would ever be drawn: the whole page comes at once (and not only after the fallback)."""
    from types import SimpleNamespace

    import streamlit as st

    monkeypatch.setattr(st, "session_state", {})  # a new session
    assert progressive.holds_back(SimpleNamespace(figure=object()))
    assert not progressive.holds_back(SimpleNamespace(figure=None))
    st.session_state[progressive.DRAWN] = True
    assert not progressive.holds_back(SimpleNamespace(figure=object()))


def test_the_report_marks_the_session(monkeypatch):
    import streamlit as st

    monkeypatch.setattr(st, "session_state", {})  # the callback only writes the flag
    progressive._mark_drawn()
    assert st.session_state == {progressive.DRAWN: True}
