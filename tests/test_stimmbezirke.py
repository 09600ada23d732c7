"""The second map level: each election's Stimmbezirke on the page Quartiere, with the Stimmbezirk Steckbrief."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import run_page
from streamlit.testing.v1 import AppTest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import stimmbezirke as sb

KW25 = "kommunalwahl-2025-09-14"
ELECTIONS = REPO_ROOT / "data" / "raw" / "wahlen"


def _raw(folder: str, nr: str) -> dict[str, str]:
    path = next((ELECTIONS / folder).glob("*_Wahlergebnisse_*.csv"))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(r for r in csv.DictReader(handle, delimiter=";") if r["bezirk-nr"] == nr)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}\xa0%".replace(".", ",")  # German format with a non-breaking space


def _run(built_db: Path, **params: str) -> AppTest:
    return run_page("pages/quartiere.py", timeout=90, **params)


def _text(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.caption, *at.warning, *at.header])


def test_stimmbezirk_level_map_and_steckbrief(built_db: Path) -> None:
    at = _run(built_db, ebene="stimmbezirk", wahl=KW25, stimmbezirk=f"{KW25}-4205")
    raw = _raw("kommunalwahl-2025", "4205")  # 833 Wahlberechtigte, 148 Wählende im Wahllokal
    text = _text(at)
    assert "Steckbrief Stimmbezirk 4205 Franzstraße" in text
    assert f"gaben bei der Kommunalwahl (Rat) 14.09.2025 {_pct(int(raw['B']), int(raw['A']))} der 833 " in text
    table = at.dataframe[0].value
    assert list(table.columns) == ["Kennzahl", "4205 Franzstraße", "Eilpe/Dahl", "Hagen (Stadt)"]
    assert table.iloc[2, 1:].tolist() == ["833", "12.940", "142.145"]
    assert table.iloc[1, 1] == "nur für die Stadt" and table.iloc[1, 3] == "47,9\xa0%"
    assert "Zeitreihen gibt es deshalb nur für die Stadtbezirke" in text
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    attribution = next(a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("Karte: "))
    assert "Bezirksgrenzen: Stadt Hagen, über github.com/fhswf/wahlkarte (MPL-2.0)" in attribution
    assert "Stimmbezirksgrenzen: Stadt Hagen" in attribution and "© GeoBasis-DE / BKG 2013" in attribution
    assert not [w for w in at.warning if "Ungültig" in w.value]


def test_other_election_resets_the_stimmbezirk_without_warning(built_db: Path) -> None:
    at = _run(built_db, ebene="stimmbezirk", wahl="europawahl-2019-05-26", stimmbezirk=f"{KW25}-4205")
    assert not [w for w in at.warning if "Ungültig" in w.value]
    assert str(at.query_params["stimmbezirk"]).startswith("europawahl-2019-05-26-")
    table = at.dataframe[0].value
    assert table.iloc[1, 1] == "nur für die Stadt" and table.iloc[1, 2] == "nur für die Stadt"  # postal: city only


def test_unknown_stimmbezirk_in_the_url_gives_a_german_warning(built_db: Path) -> None:
    at = _run(built_db, ebene="stimmbezirk", wahl=KW25, stimmbezirk="gibt-es-nicht")
    assert any("Ungültiger Wert für Stimmbezirk" in w.value for w in at.warning)


def test_choosing_another_stimmbezirk_reruns_the_steckbrief(built_db: Path) -> None:
    at = _run(built_db, ebene="stimmbezirk", wahl=KW25)
    box = next(s for s in at.selectbox if s.key == "w_stimmbezirk")
    box.set_value(f"{KW25}-3163").run()
    assert not at.exception
    raw = _raw("kommunalwahl-2025", "3163")
    assert f"{_pct(int(raw['B']), int(raw['A']))} der" in _text(at) and "3163 Herbeck" in _text(at)


def test_click_on_a_stimmbezirk_is_read_from_the_selection() -> None:
    options = [f"{KW25}-1011", f"{KW25}-1012"]
    event = {"selection": {"points": [{"customdata": [f"{KW25}-1012", "1012 Theater", "…"]}]}}
    assert sb.stimmbezirk_from_selection(event, options) == f"{KW25}-1012"
    assert sb.stimmbezirk_from_selection({"selection": {"points": [{"customdata": ["SB1"]}]}}, options) is None
    assert sb.belongs_to_other_election(f"{KW25}-1011", "europawahl-2019-05-26", {KW25: "", "europawahl-2019-05-26": ""})


@pytest.mark.parametrize("wahl", [KW25, "bundestagswahl-2021-09-26", "europawahl-2019-05-26"])
def test_map_of_every_election_stays_small_and_shows_every_stimmbezirk(runner: QueryRunner, wahl: str) -> None:
    karte = sb.stimmbezirk_karte(runner, wahl=wahl)
    choropleth = [t for t in karte.figure.data if t.type == "choroplethmap"]
    assert sum(len(t.locations) for t in choropleth) == (131 if wahl == KW25 else 130)
    assert len(karte.figure.to_json()) <= 300_000  # budget of the issue (measured ≈ 140 kB)


def test_time_series_only_for_stable_areas(runner: QueryRunner) -> None:
    rows = runner.run("quartier_zeitreihe", indikator="wahlbeteiligung_urne_kommunalwahl", nationalitaet="_T")
    assert set(rows["level"]) == {"stadt", "stadtbezirk"}
    assert sorted({str(p)[:10] for p in rows["period"]}) == ["2020-09-13", "2025-09-14"]


def test_stadtbezirk_level_offers_turnout_like_with_like(runner: QueryRunner, built_db: Path) -> None:
    from integrationsmonitor.views import quartiere as q

    options = q.indicator_options(runner)
    assert "wahlbeteiligung_kommunalwahl._T" in options  # postal votes assignable to the districts
    assert "wahlbeteiligung_bundestagswahl._T" not in options  # only for the whole city
    assert "wahlbeteiligung_urne_bundestagswahl._T" in options
    at = _run(built_db, indikator="wahlbeteiligung_kommunalwahl._T", stichtag="2025-09-14", bezirk="SB3")
    assert "hatte Hohenlimburg mit 56,2\xa0% den höchsten" in _text(at)
