"""AppTest for the pages Quartiere and Südosteuropa (EU-2): defaults, filter combinations, invalid URL values,
the comparison switch, and numbers shown equal to the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_page
from streamlit.testing.v1 import AppTest

from integrationsmonitor import formatting as fmt
from integrationsmonitor.queries import QueryRunner


def _run(page: str, built_db: Path, **params: str) -> AppTest:
    return run_page(page, **params)


def _text(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.caption, *at.warning])


@pytest.mark.parametrize("params", [
    {}, {"indikator": "zuzuege.BG", "stichtag": "2020-12-31", "bezirk": "SB3"},
    {"indikator": "auslaenderanteil._T", "bezirk": "SB5", "vergleich": "hagen"},
    {"vergleich": "nrw"}, {"vergleich": "vergleichsstaedte"},
])
def test_quartiere_filters(built_db: Path, params: dict[str, str]) -> None:
    at = _run("pages/quartiere.py", built_db, **params)
    text = _text(at)
    assert "Beispieldaten" in text and "Quelle:" in text
    if params.get("vergleich") in ("nrw", "vergleichsstaedte"):
        assert "keinen vergleichbaren Wert" in text


def test_quartiere_invalid_url_gives_german_warning(built_db: Path) -> None:
    at = _run("pages/quartiere.py", built_db, bezirk="SB9", stichtag="kein-datum", indikator="unsinn")
    warnings = " ".join(w.value for w in at.warning)
    assert "Ungültiger Wert für Stadtbezirk" in warnings and "Ungültiger Wert für Stichtag" in warnings
    assert "Ungültiger Wert für Indikator" in warnings


def test_quartiere_map_values_equal_database(built_db: Path, runner: QueryRunner) -> None:
    import datetime as dt

    at = _run("pages/quartiere.py", built_db, indikator="eu2_anteil.RO+BG", stichtag="2024-12-31", bezirk="SB1")
    rows = runner.run("quartier_karte", indikator="eu2_anteil", nationalitaet="RO+BG", stichtag=dt.date(2024, 12, 31))
    top = rows[rows["level"] == "stadtbezirk"].sort_values("value").iloc[-1]
    assert f"{top['area_name']} mit {fmt.value_with_unit(top['value'], '%')}" in _text(at)


@pytest.mark.parametrize("vergleich", ["bezirk", "hagen", "nrw", "vergleichsstaedte"])
def test_suedosteuropa_switch(built_db: Path, vergleich: str) -> None:
    at = _run("pages/suedosteuropa.py", built_db, vergleich=vergleich)
    text = _text(at)
    assert "Quelle:" in text
    if vergleich == "nrw":
        assert "Für NRW liegt keine veröffentlichte Zahl" in text
    if vergleich == "vergleichsstaedte":
        assert "Duisburg" in text and "Dortmund" in text


def test_suedosteuropa_switch_by_widget(built_db: Path) -> None:
    at = _run("pages/suedosteuropa.py", built_db)
    at.radio(key="w_vergleich").set_value("nrw").run()
    assert not at.exception
    assert at.query_params["vergleich"] == ["nrw"] or at.query_params["vergleich"] == "nrw"


def test_suedosteuropa_real_numbers_equal_database(built_db: Path, runner: QueryRunner) -> None:
    at = _run("pages/suedosteuropa.py", built_db, bezirk="SB2", stichtag="2016-12-31")
    rows = runner.run("eu2_stadt_quellen")
    ro = rows[rows["nationality"] == "RO"].sort_values("period").iloc[-1]
    assert fmt.number(ro["value"]) in _text(at)


def test_suedosteuropa_invalid_url(built_db: Path) -> None:
    at = _run("pages/suedosteuropa.py", built_db, bezirk="XYZ", vergleich="mond")
    warnings = " ".join(w.value for w in at.warning)
    assert "Ungültiger Wert für Gebiet" in warnings and "Ungültiger Wert für Vergleichen mit" in warnings
