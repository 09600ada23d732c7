"""The view index: every view is listed once with its page, and its permalink opens that page on exactly that
view with exactly its parameters (AppTest), so "Link und Zitierzeile" never cites another figure."""

from __future__ import annotations

import ast
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import citation
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.serving import ui
from integrationsmonitor.views import index
from integrationsmonitor.views.result import FrozenFigureError

# Written down by hand: the pages and what they show (a view added without a page entry fails here).
EXPECTED_PAGES = {
    "uebersicht": {"status_uebersicht"},
    "leitziele": {"indikator_zeitreihe", "vergleich_migrationshintergrund"},
    "quartiere": {"quartier_karte", "quartier_steckbrief", "quartier_zeitreihe", "quartier_vergleich",
                  "stimmbezirk_karte", "stimmbezirk_steckbrief"},
    "suedosteuropa": {"eu2_stadt_quellen", "eu2_bezirke_zeitreihe", "eu2_anteil_bezirke", "eu2_fluktuation",
                      "eu2_altersstruktur", "eu2_leitziele", "vergleich_eu2_staedte", "vergleich_eu2_index",
                      "vergleich_eu2_nrw", "vergleich_auslaender_nrw", "vergleich_amtliche_bevoelkerung",
                      "vergleich_eu2_anteil_amtlich"},
}


def _nav_paths() -> set[str]:
    """url_path of every page in app.py's navigation (read from the source, not from the index)."""
    tree = ast.parse((REPO_ROOT / "app.py").read_text(encoding="utf-8"))
    paths = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "Page":
            target = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else ""
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            paths.add(kw.get("url_path") or Path(str(target)).stem)
    return paths


def test_every_view_is_listed_under_its_page() -> None:
    got: dict[str, set[str]] = {}
    for key, spec in index.VIEWS.items():
        assert spec.key == key
        got.setdefault(spec.page, set()).add(key)
    assert got == EXPECTED_PAGES
    assert set(got) <= _nav_paths()


def test_unknown_view_and_parameter_are_refused(runner: QueryRunner) -> None:
    with pytest.raises(KeyError, match="unbekannte Ansicht"):
        index.render("gibt_es_nicht", runner)
    with pytest.raises(TypeError, match="ab"):
        index.render("indikator_zeitreihe", runner, indikator="auslaender", ab=2015)  # the URL name, not the view's


def test_indicator_link_uses_the_page_names() -> None:
    spec = index.VIEWS["indikator_zeitreihe"]
    assert spec.url({"indikator": "auslaender", "gebiet": "05914000", "ab_jahr": 2016}) == {
        "ansicht": "indikator_zeitreihe", "indikator": "auslaender", "gebiet": "05914000", "ab": 2016}
    assert index.VIEWS["status_uebersicht"].page == "uebersicht"
    assert index.VIEWS["vergleich_eu2_index"].url({}) == {"ansicht": "vergleich_eu2_index",
                                                          "vergleich": "vergleichsstaedte"}


CASES = [(key, dict(spec.example)) for key, spec in index.VIEWS.items()] + [
    ("indikator_zeitreihe", {"indikator": "auslaender", "gebiet": "05914000", "ab_jahr": 2016}),
    ("quartier_karte", {"indikator": "auslaender.BG", "stichtag": "2016-12-31", "bezirk": "SB3"}),
    ("eu2_altersstruktur", {"bezirk": "SB4", "stichtag": "2018-12-31"}),
    ("status_uebersicht", {"handlungsfeld": "TH"}),
]


@pytest.mark.parametrize(("key", "params"), CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_permalink_opens_exactly_that_view(key: str, params: dict, runner: QueryRunner, built_db: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = index.render(key, runner, **params)
    link = citation.view_link(wanted, base="https://monitor.hagen.de")
    parts = urlsplit(link)
    assert parts.netloc == "monitor.hagen.de" and parts.path == f"/{index.VIEWS[key].page}"

    shown: list[tuple[str, dict]] = []
    real_view = ui.view

    def recording(k: str, **p: object):
        result = real_view(k, **p)
        shown.append((result.key, dict(result.params)))
        return result

    monkeypatch.setattr(ui, "view", recording)
    at = AppTest.from_file(str(REPO_ROOT / "pages" / f"{parts.path.strip('/')}.py"), default_timeout=60)
    for name, value in parse_qsl(parts.query):
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    url_warnings = [w.value for w in at.warning if "Beispiel" not in w.value]  # example-data notes are content
    assert not url_warnings, url_warnings
    expected = {k: str(v) for k, v in wanted.params.items()}
    assert (key, expected) in [(k, {n: str(v) for n, v in p.items()}) for k, p in shown], shown


def test_shared_results_cannot_be_changed(runner: QueryRunner) -> None:
    first = index.render("eu2_altersstruktur", runner, bezirk="SB1")
    with pytest.raises(AttributeError):
        first.title = "anders"
    with pytest.raises(TypeError):
        first.params["bezirk"] = "SB2"
    with pytest.raises(AttributeError):
        first.footnotes.append("x")
    with pytest.raises(FrozenFigureError):
        first.figure.update_layout(title="anders")
    table = first.table
    table.iloc[0, 0] = "überschrieben"
    table["neu"] = 1
    assert "neu" not in first.table.columns and first.table.iloc[0, 0] != "überschrieben"
