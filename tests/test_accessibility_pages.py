"""AppTest: the Erklärung zur Barrierefreiheit (BITV NRW) and the start page's text in Leichte Sprache."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.serving import progressive


def _page(name: str, env: dict[str, str] | None = None, monkeypatch=None) -> str:
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(str(REPO_ROOT / "pages" / f"{name}.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return "\n".join([m.value for m in at.markdown] + [e.label for e in at.expander] + [t.value for t in at.title])


def test_declaration_names_conformity_gaps_feedback_and_the_ombudsstelle(built_db: Path, monkeypatch):
    text = _page("barrierefreiheit", {"IMH_KONTAKT_BARRIEREFREIHEIT": "barrierefreiheit@example.org"}, monkeypatch)
    assert "Erklärung zur Barrierefreiheit" in text
    assert "teilweise vereinbar" in text and "WCAG 2.1" in text and "BITV NRW" in text
    assert "Was noch nicht barrierefrei ist" in text
    assert "barrierefreiheit@example.org" in text  # the operator's feedback contact
    # the enforcement body of NRW with its public contact (§ 10d BGG NRW)
    assert "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen" in text
    assert "ombudsstelle-barrierefreie-it@mags.nrw.de" in text and "www.lbbp.nrw.de/ombudsstelle" in text


def test_declaration_without_a_configured_contact_names_the_statistikstelle(built_db: Path, monkeypatch):
    monkeypatch.delenv("IMH_KONTAKT_BARRIEREFREIHEIT", raising=False)
    text = _page("barrierefreiheit")
    assert "Statistikstelle der Stadt Hagen" in text and "{kontakt}" not in text


def test_start_page_explains_itself_in_leichte_sprache_with_a_place_for_the_video(built_db: Path):
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "uebersicht.py"), default_timeout=60)
    at.session_state[progressive.DRAWN] = True  # the whole page (the first view sends the text ~0,3 s later)
    at.run()
    assert not at.exception
    box = next(e for e in at.expander if e.label.startswith("Leichte Sprache"))
    text = "\n".join(m.value for m in box.markdown)
    assert "Integrations·monitor Hagen" in text  # what the site is
    assert "Klicken Sie auf einen Namen." in text  # how to use it
    assert "(barrierefreiheit)" in text  # where the declaration is: a link to the page
    assert "Gebärden·sprache" in text  # the place for the city's sign-language video
    # Leichte Sprache: short sentences (at most 12 words each), each on its own line — a hard break ("  " at the
    # line's end) after every line of a paragraph, or Markdown runs them together
    sentences = [s for line in text.splitlines() for s in line.split(". ") if s and not s.startswith(("**", "♿"))]
    assert max(len(s.split()) for s in sentences) <= 12, max(sentences, key=lambda s: len(s.split()))
    assert "Diese Seite heißt: Integrations·monitor Hagen.  \nIn Hagen leben viele Menschen" in text
    assert "Die Zahlen gibt es auch als Tabelle.\n\n**Wo finde ich mehr Hilfe?**" in text  # paragraphs stay


def test_one_sentence_per_line_breaks_every_line_and_keeps_paragraphs():
    from integrationsmonitor.serving import chrome

    text = "**Titel**\n\nSatz eins.\nSatz zwei. \n\n\nSatz drei.\n"
    assert chrome.one_sentence_per_line(text) == "**Titel**\n\nSatz eins.  \nSatz zwei.\n\nSatz drei."
