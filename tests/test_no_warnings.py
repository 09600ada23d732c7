"""No warnings for normal use (issue 16, §2): a filter change never produces "Ungültiger Wert … in der Adresse";
a value the page wrote itself that a filter change made stale becomes the nearest valid one, silently. A link's
invalid value still warns (tests in test_pages_*)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_page
from streamlit.testing.v1 import AppTest

from integrationsmonitor import urlparams


def _page(name: str, **params: str) -> AppTest:
    return run_page(f"pages/{name}.py", timeout=90, **params)


def _filter_messages(at: AppTest) -> list[str]:
    """Warnings and notes other than the example-data banners ("Beispieldaten", "Beispielhafte Zuordnung")."""
    return [m.value for m in [*at.warning, *at.info] if "Beispiel" not in m.value]


def _widget(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def test_nearest_date_and_default():
    dates = ["2024-03-01", "2023-03-01", "2015-03-01"]
    assert urlparams.nearest("2012-12-31", dates, "2024-03-01") == "2015-03-01"
    assert urlparams.nearest("2023-12-31", dates, "2015-03-01") == "2024-03-01"  # 61 days against 305
    assert urlparams.nearest("2023-09-01", ["2023-03-01", "2024-03-01"], "x") == "2024-03-01"  # tie → newer
    assert urlparams.nearest("SB9", ["SB1", "SB2"], "SB1") == "SB1"


def test_quartiere_indicator_change_keeps_silent_and_takes_the_nearest_stichtag(built_db: Path):
    at = _page("quartiere")
    at.selectbox(key="w_indikator").set_value("auslaender.BG").run()
    at.selectbox(key="w_stichtag").set_value("2016-12-31").run()
    assert _filter_messages(at) == []
    at.selectbox(key="w_indikator").set_value("kita_quote_auslaender._T").run()  # dates 01.03.2015 … 01.03.2024
    assert not at.exception
    assert _filter_messages(at) == []
    assert at.selectbox(key="w_stichtag").value == "2017-03-01"  # 60 days after 31.12.2016 (vs 305 before)
    assert at.query_params["stichtag"] in ("2017-03-01", ["2017-03-01"])
    at.selectbox(key="w_indikator").set_value("zuzuege.RO").run()  # from 31.12.2013 on
    assert _filter_messages(at) == [] and at.selectbox(key="w_stichtag").value == "2016-12-31"
    at.selectbox(key="w_bezirk").set_value("SB4").run()
    at.radio(key="w_vergleich").set_value("hagen").run()
    assert _filter_messages(at) == []


def test_quartiere_link_with_a_stale_stichtag_still_warns(built_db: Path):
    at = _page("quartiere", indikator="kita_quote_auslaender._T", stichtag="2016-12-31")
    assert any("Ungültiger Wert für Stichtag" in m for m in _filter_messages(at))


def test_leitziele_changes_never_warn(built_db: Path):
    at = _page("leitziele")
    _widget(at.radio, "Handlungsfeld").set_value("AA").run()
    _widget(at.selectbox, "Leitziel").set_value("AA-TR-LZ4").run()
    _widget(at.selectbox, "Zeitreihe für Indikator").set_value("zuzuege").run()
    assert _filter_messages(at) == []
    _widget(at.selectbox, "Leitziel").set_value("AA-TR-LZ3").run()  # has no "zuzuege": the indicator is stale
    assert not at.exception and _filter_messages(at) == []
    assert _widget(at.selectbox, "Zeitreihe für Indikator").value in ("arbeitslose_auslaender", "svb_quote_auslaender")
    _widget(at.radio, "Handlungsfeld").set_value("BI").run()  # the Leitziel is not in this field
    assert not at.exception and _filter_messages(at) == []
    assert _widget(at.selectbox, "Leitziel").value.startswith("BI-")
    _widget(at.radio, "Handlungsfeld").set_value("alle").run()
    assert _filter_messages(at) == []


def test_leitziele_year_of_the_previous_indicator_is_clamped_silently(built_db: Path):
    at = _page("leitziele", leitziel="TH-IKO-LZ2")
    _widget(at.selectbox, "Zeitreihe für Indikator").set_value("sprachfoerderbedarf_seu").run()
    slider = _widget(at.slider, "Zeitraum ab Jahr")
    slider.set_value(slider.max).run()
    _widget(at.selectbox, "Zeitreihe für Indikator").set_value("kita_quote_auslaender").run()
    assert not at.exception and _filter_messages(at) == []


@pytest.mark.parametrize(("label", "value"), [("Gebiet", "SB2"), ("Stichtag", "2019-12-31")])
def test_suedosteuropa_filter_changes_never_warn(built_db: Path, label: str, value: str):
    at = _page("suedosteuropa")
    _widget(at.selectbox, label).set_value(value).run()
    _widget(at.radio, "Vergleichen mit").set_value("bezirk").run()
    assert not at.exception and _filter_messages(at) == []
