"""Comparison rules (issue 8) on the shipped data and on a fixture delivered through the usual update path."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import comparison as cmp
from integrationsmonitor.views import index as views

FIXTURE = Path(__file__).parent / "fixtures" / "vergleich" / "zwei_quellen_und_summe.csv"
RAW = REPO_ROOT / "data" / "raw" / "vergleichszahlen.csv"


@pytest.fixture(scope="module")
def fixture_runner(tmp_path_factory: pytest.TempPathFactory) -> QueryRunner:
    """data/ plus one extra comparison CSV (same columns as vergleichszahlen.csv) — no code change."""
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(REPO_ROOT / "data", data, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.duckdb"))
    shutil.copy(FIXTURE, data / "raw" / FIXTURE.name)
    db = data / "fixture.duckdb"
    build(data, db, today=dt.date(2026, 11, 25))
    return QueryRunner(db, REPO_ROOT / "queries")


def _series(runner: QueryRunner, indicators: list[str]) -> list[cmp.Series]:
    rows = runner.run("vergleich_reihen", indikatoren=indicators).to_dict("records")
    return cmp.build_series(cmp.obs_from_records(rows))


def test_two_sources_same_area_and_date_stay_two_series(fixture_runner: QueryRunner) -> None:
    duisburg_ro = [s for s in _series(fixture_runner, ["auslaender"])
                   if s.area_name == "Duisburg" and s.measure == "auslaender:RO"]
    at_date = [(s.source, p.value) for s in duisburg_ro for p in s.points if p.period == dt.date(2019, 12, 31)]
    assert sorted(at_date) == [("IT.NRW Ausländerstatistik", 8100.0), ("Stadt Duisburg Einwohnerregister (Test)",
                                                                        8000.0)]
    assert all(len({p.source for p in s.points}) == 1 for s in duisburg_ro)


def test_sum_is_never_compared_with_a_single_nationality(fixture_runner: QueryRunner) -> None:
    series = _series(fixture_runner, ["auslaender", "eu2_bestand"])
    single = cmp.select_measure(series, "auslaender:RO")
    assert "Gelsenkirchen" not in {s.area_name for s in single.series}
    assert any(text.startswith("Gelsenkirchen") for text in single.excluded)
    sums = cmp.select_measure(series, cmp.EU2_MEASURE)
    assert all(p.nationality == "RO+BG" for s in sums.series for p in s.points)
    assert "Gelsenkirchen" in {s.area_name for s in sums.series}
    # a rank between a sum and a single nationality is refused
    ge = next(s for s in sums.series if s.area_name == "Gelsenkirchen").points[0]
    du = next(s for s in single.series if s.area_name == "Duisburg").points[0]
    assert cmp.rank([ge, du], ge.area_id, what="Zahl").position is None


def _raw_rows() -> list[dict[str, str]]:
    with RAW.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_rank_and_sentence_equal_independent_computation(runner: QueryRunner) -> None:
    raw = [r for r in _raw_rows() if r["measure"] == "anteil_migrationshintergrund"]
    values = {r["area"]: float(r["value"]) for r in raw}
    expected_rank = 1 + sum(v > values["Hagen"] for v in values.values())
    result = views.render("vergleich_migrationshintergrund", runner)
    rows = cmp.obs_from_records(runner.run("vergleich_reihen", indikatoren=["anteil_migrationshintergrund"])
                                .to_dict("records"))
    # Hagen's older shares (2010–2014, other methods, delivery 2026-12) have other dates: rank on the common one
    common = {dt.date.fromisoformat(r["period"]) for r in raw}
    rank = cmp.rank([o for o in rows if o.period in common], cmp.CITY_ID,
                    what="Anteil der Bevölkerung mit Migrationshintergrund")
    assert (rank.position, rank.n) == (expected_rank, len(raw))
    hagen = f"{values['Hagen']:.1f}".replace(".", ",")
    assert result.sentence.startswith(f"Mit {hagen}\u00a0% hat Hagen unter den {len(raw)} Vergleichsgebieten den "
                                      "höchsten")
    assert len(result.table) == len(raw)
    assert "ca." in " ".join(result.table["Wert"])  # "rund 40 Prozent" is marked


def test_index_equals_independent_computation(runner: QueryRunner) -> None:
    raw = [r for r in _raw_rows() if r["measure"] == "auslaender" and r["area"] == "NRW"]
    base = next(float(r["value"]) for r in sorted(raw, key=lambda r: r["period"]) if r["period"].startswith("2014"))
    expected = {dt.date.fromisoformat(r["period"]): round(100 * float(r["value"]) / base, 1) for r in raw
                if r["period"] >= "2014"}
    result = views.render("vergleich_auslaender_nrw", runner)
    got = {}
    for stichtag, gebiet, index in zip(result.table["Stichtag"], result.table["Gebiet"], result.table["Index"],
                                       strict=True):
        if gebiet == "Nordrhein-Westfalen":
            got[dt.datetime.strptime(stichtag.rstrip("*"), "%d.%m.%Y").date()] = float(index.replace(",", "."))
    assert got == expected
    assert "2014 (= 100)" in result.sentence


def test_no_common_base_year_means_no_index() -> None:
    def obs(area: str, year: int, source: str) -> cmp.Obs:
        return cmp.Obs(area, area, "vergleichsstadt", "auslaender", "RO+BG", dt.date(year, 6, 30), 100.0 + year,
                       "Personen", source)

    series = cmp.build_series([obs("A", 2010, "x"), obs("A", 2011, "x"), obs("B", 2012, "y"), obs("B", 2013, "y")])
    result = cmp.index_on_common_base(series)
    assert result.base_year is None and result.points == [] and "kein Jahr" in result.reason


def test_eu2_index_uses_each_series_own_dates(runner: QueryRunner) -> None:
    result = views.render("vergleich_eu2_index", runner)
    if result.figure is None:
        assert result.sentence.startswith("Kein Index")
        return
    for trace in result.figure.data:
        assert trace.y[0] == 100.0  # every series starts at its own base value


def test_no_comparable_nrw_eu2_figure_gives_a_sentence(runner: QueryRunner) -> None:
    result = views.render("vergleich_eu2_nrw", runner)
    nrw_eu2 = [r for r in _raw_rows() if r["area"] == "NRW" and r["nationality"] in ("RO", "BG", "RO+BG")]
    assert (result.figure is None) == (not nrw_eu2)
    if not nrw_eu2:
        assert "nicht möglich" in result.sentence
