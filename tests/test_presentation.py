"""Presentation mode (AppTest): named sequence from the URL, stepping with the buttons, source line on every
slide, invalid URL values fall back with a German warning; the shipped sequences reference existing views."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import citation, presentation
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import index
from integrationsmonitor.views.result import ViewResult

PAGE = str(REPO_ROOT / "pages" / "praesentation.py")


def _make(n: int):
    def func(runner: QueryRunner, faktor: int = 1) -> ViewResult:
        manifest = runner.run("build_manifest")
        fig = go.Figure(go.Bar(x=["A", "B"], y=[n * faktor, n + 1]))
        return ViewResult(f"test_praes_{n}", f"Testfolie {n} × {faktor}", fig, pd.DataFrame({"x": [n]}),
                                f"Testquelle {n}", str(manifest["status_date"].iloc[0]), f"Lesehilfe {n}.",
                                example_data=n == 2)
    return func


TEST_VIEWS = {f"test_praes_{n}": index.ViewSpec(f"test_praes_{n}", _make(n), "praesentation",
                                                MappingProxyType({"faktor": "faktor"})) for n in (1, 2, 3)}


@pytest.fixture(autouse=True)
def test_views(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "VIEWS", MappingProxyType({**index.VIEWS, **TEST_VIEWS}))


@pytest.fixture()
def sequences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_db: Path) -> Path:
    path = tmp_path / "praesentationen.yaml"
    path.write_text(
        "folgen:\n"
        "  test:\n"
        "    titel: Testfolge\n"
        "    folien:\n"
        "      - ansicht: test_praes_1\n"
        "        parameter: {faktor: 5}\n"
        "      - ansicht: test_praes_2\n"
        "      - ansicht: gibt_es_nicht\n"
        "      - ansicht: test_praes_3\n"
        "  zweite:\n"
        "    titel: Zweite Folge\n"
        "    folien:\n"
        "      - ansicht: test_praes_3\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("IMH_PRAESENTATIONEN", str(path))
    return path


def _page(**params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _source_captions(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("Quelle: ")]


def test_steps_through_the_sequence_with_buttons(sequences: Path):
    at = _page(folge="test")
    assert not at.exception and not at.warning
    assert at.title[0].value == "Testfolie 1 × 5"
    assert len(_source_captions(at)) == 1 and "Testquelle 1" in _source_captions(at)[0]
    assert at.button(key="zurueck").disabled and not at.button(key="weiter").disabled
    assert any("Folie 1 von 3" in m.value for m in at.markdown)
    assert any("gibt_es_nicht" in c.value for c in at.caption)  # skipped slide is named
    at.button(key="weiter").click().run()
    assert at.title[0].value == "Testfolie 2 × 1"
    assert at.query_params["folie"] == ["2"] or at.query_params["folie"] == "2"
    assert "BEISPIELDATEN" in _source_captions(at)[0]
    at.button(key="weiter").click().run()
    assert at.title[0].value == "Testfolie 3 × 1" and at.button(key="weiter").disabled
    assert len(_source_captions(at)) == 1
    at.button(key="zurueck").click().run()
    assert at.title[0].value == "Testfolie 2 × 1"


def test_url_addresses_a_slide_and_invalid_values_fall_back(sequences: Path):
    at = _page(folge="test", folie="3")
    assert at.title[0].value == "Testfolie 3 × 1" and not at.warning
    at = _page(folge="test", folie="99")
    assert "Folie 99 gibt es nicht" in at.warning[0].value and at.title[0].value == "Testfolie 1 × 5"
    at = _page(folge="test", folie="abc")
    assert "keine Foliennummer" in at.warning[0].value
    at = _page(folge="unbekannt")
    assert "„unbekannt“ gibt es nicht" in at.warning[0].value and at.title[0].value == "Testfolie 1 × 5"
    assert not at.exception


def test_sidebar_hidden_and_large_type_by_static_css(sequences: Path):
    assert "st.html(presentation.SLIDE_CSS)" in Path(PAGE).read_text(encoding="utf-8")
    source = presentation.SLIDE_CSS
    assert '[data-testid="stSidebar"]' in source and "display: none" in source
    at = _page(folge="zweite")
    assert at.title[0].value == "Testfolie 3 × 1"
    fig = presentation.projector_figure(index.render("test_praes_1", QueryRunner(*_runner_args())).figure)
    assert fig.layout.font.size >= 20 and fig.layout.xaxis.tickfont.size >= 20


def _runner_args():
    from integrationsmonitor.config import Settings

    s = Settings.from_env()
    return s.db_path, s.queries_dir


def test_shipped_sequences_reference_registered_views():
    seqs = presentation.load_sequences(REPO_ROOT / "data" / "catalog" / "praesentationen.yaml")
    assert seqs and all(s.slides for s in seqs.values())
    assert all(not s.skipped for s in seqs.values()), [s.skipped for s in seqs.values()]


def test_shipped_sequence_first_slide_renders(built_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("IMH_PRAESENTATIONEN", raising=False)
    at = _page(folge="suedosteuropa")
    assert not at.exception and at.title and _source_captions(at)


def test_permalink_and_citation():
    link = citation.permalink("praesentation", {"folie": 2, "folge": "test", "leer": None}, base="https://x.de/")
    assert link == "https://x.de/praesentation?folge=test&folie=2"
    import datetime as dt

    line = citation.citation("IT.NRW", "31.12.2022", link, retrieved=dt.date(2027, 3, 12))
    assert line == f"Quelle: IT.NRW, Stand: 31.12.2022, abgerufen am 12.03.2027, {link}"
