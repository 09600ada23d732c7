"""German everywhere (issue 16, §3) and presentation mode and citations (§8): the browser gets Plotly's German
locale and only the download button, file names carry the filters, unknown addresses get a German page, slides
size their chart to the screen and have an exit, citation links use the public address. Literal expectations."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import citation, presentation
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.serving import chrome, ui
from integrationsmonitor.views import figures, index, theme


def test_browser_charts_get_the_german_locale_and_only_the_download():
    config = chrome.chart_config(filename="Ausländer-innen_Bulgarien_31.12.2024")
    assert config["locale"] == "de" and config["displaylogo"] is False
    german = config["locales"]["de"]
    assert german["format"]["shortMonths"] == ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.",
                                               "Okt.", "Nov.", "Dez."]
    assert german["format"]["months"][9] == "Oktober"
    assert german["format"]["shortDays"][0] == "So." and german["format"]["days"][1] == "Montag"
    assert (german["format"]["decimal"], german["format"]["thousands"]) == (",", ".")
    assert german["dictionary"]["Download plot as a png"] == "Diagramm als PNG herunterladen"
    assert config["modeBarButtons"] == [["toImage"]]
    assert config["toImageButtonOptions"]["filename"] == "Ausländer-innen_Bulgarien_31.12.2024"


def test_file_names_carry_the_filters():
    assert theme.file_stem("Ausländer:innen – Bulgarien nach Stadtbezirk 31.12.2024") == \
        "Ausländer-innen_Bulgarien_nach_Stadtbezirk_31.12.2024"
    assert theme.file_stem("") == "Abbildung"


def test_view_file_stem_names_nationality_and_date(runner: QueryRunner):
    karte = index.render("quartier_karte", runner, indikator="auslaender.BG", stichtag="2024-12-31")
    assert karte.file_stem == "Ausländer-innen_Bulgarien_nach_Stadtbezirk_31.12.2024"


@pytest.mark.parametrize(("requested", "missing"), [
    ("gibtsnicht", "gibtsnicht"), ("", None), ("quartiere", None), ("a/b", None), ("<script>", None),
])
def test_unknown_address_gets_the_german_page(requested: str, missing: str | None):
    assert ui.missing_page(requested, ["uebersicht", "quartiere"]) == missing


@pytest.mark.parametrize(("url", "page", "base"), [
    ("https://monitor.hagen.de/sitzungspaket?x=1", "sitzungspaket", "https://monitor.hagen.de"),
    ("https://stadt.example/imh/sitzungspaket", "sitzungspaket", "https://stadt.example/imh"),
    ("http://10.0.0.5:8501/", "", "http://10.0.0.5:8501"),
    ("", "", ""),
])
def test_citation_base_from_the_browser_address(url: str, page: str, base: str):
    assert ui.base_from_browser_url(url, page) == base


def test_citation_uses_the_configured_address_and_the_index_names(runner: QueryRunner,
                                                                   monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IMH_BASIS_URL", "https://monitor.hagen.de/")
    karte = index.render("quartier_karte", runner, indikator="auslaender.BG", stichtag="2024-12-31", bezirk="SB2")
    assert citation.view_link(karte) == ("https://monitor.hagen.de/quartiere?ansicht=quartier_karte&bezirk=SB2"
                                         "&indikator=auslaender.BG&stichtag=2024-12-31")
    assert "localhost" not in citation.view_citation(karte)


def test_projector_figure_takes_the_slide_height_and_keeps_legend_below_axis():
    fig = figures.time_series(
        __import__("pandas").DataFrame({"period": [__import__("datetime").date(2020 + i, 12, 31) for i in range(3)],
                                        "value": [1.0, 2.0, 3.0], "source": ["A", "B", "C"]}),
        x="period", y="value", series="source", title="T")
    big = presentation.projector_figure(fig)
    assert big.layout.height is None and big.layout.title.text is None
    assert big.layout.legend.yref == "container" and big.layout.legend.yanchor == "bottom"
    assert big.layout.xaxis.tickfont.size == presentation.PROJECTOR_TICKS
    assert fig.layout.height is not None  # the screen figure is untouched
    assert isinstance(big, go.Figure)


def test_slide_css_sizes_the_chart_to_the_viewport():
    assert "100vh" in presentation.SLIDE_CSS and "st-key-folie_inhalt" in presentation.SLIDE_CSS


def test_presentation_has_an_exit_to_the_dashboard(built_db: Path):
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "praesentation.py"), default_timeout=90)
    at.query_params["folge"] = "integrationsrat"
    at.query_params["folie"] = "2"
    at.run()
    assert not at.exception
    assert "[✖ Präsentation beenden](uebersicht)" in [m.value for m in at.markdown]
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert '"locale": "de"' in charts[0].proto.config and '"displayModeBar": false' in charts[0].proto.config
