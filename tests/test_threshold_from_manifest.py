"""The confidentiality threshold is a property of the build: recorded in its manifest and read from there by
views, the methodology page and the exports — never from the environment of the server that shows them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import sitzungspaket as package
from integrationsmonitor.exports.content import sign_legend
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import index

STATUS_DATE = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def db_threshold_5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("schwelle") / "s5.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IMH_GEHEIMHALTUNG_SCHWELLE", "5")
        build(REPO_ROOT / "data", db, today=STATUS_DATE)
    return db


def test_manifest_records_the_threshold(db_threshold_5: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMH_GEHEIMHALTUNG_SCHWELLE", "3")  # the server's setting differs from the build's
    runner = QueryRunner(db_threshold_5, REPO_ROOT / "queries")
    assert int(runner.run("build_manifest")["suppression_threshold"].iloc[0]) == 5
    result = index.render("eu2_altersstruktur", runner, bezirk="SB3", stichtag="2014-12-31")
    notes = " ".join(result.footnotes)
    assert "weniger als 5" in notes and "weniger als 3" not in notes
    content = package.gather(runner, [], [package.PlanItem.of("EU-2", "eu2_altersstruktur", bezirk="SB3",
                                                              stichtag="2014-12-31")], images=False)
    assert content.suppression_threshold == 5
    assert "weniger als 5 Fälle" in sign_legend(content.suppression_threshold)[0][1]


def test_methodology_page_reads_the_manifest(db_threshold_5: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMH_DB", str(db_threshold_5))
    monkeypatch.setenv("IMH_GEHEIMHALTUNG_SCHWELLE", "3")
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "methodik.py"), default_timeout=60).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Fallzahlen unter **5**" in text
