"""Checks of the example data (Beispieldaten), recomputed from the written CSV files.

Only ``write_example_data`` is imported from the generator; every expectation is derived here from the
real published figures, the catalogue and the written files (csv module), not from generator internals.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from integrationsmonitor.build.example_data import write_example_data

REPO_DATA = Path(__file__).resolve().parent.parent / "data"
REAL_FILE = REPO_DATA / "raw" / "hagen_veroeffentlichte_zahlen.csv"
POPULATION = "beispiel_bevoelkerung.csv"
INDICATORS = "beispiel_indikatoren.csv"
CITY = "05914000"
DISTRICTS = ("SB1", "SB2", "SB3", "SB4", "SB5")
NATIONALITIES = ("DE", "RO", "BG", "TR", "SY", "IT", "GR", "PL", "UA", "XX")
NAMED_FOREIGN = ("RO", "BG", "TR", "SY", "IT", "GR", "PL", "UA")
YEARS = range(2012, 2025)
SOURCE = "Beispieldaten (erzeugt mit integrationsmonitor.example_data, Seed 20261125)"
EXCLUDED = {
    "einwohner",
    "auslaender",
    "eu2_bestand",
    "eu2_anteil",
    "auslaenderanteil",
    "anteil_migrationshintergrund",
    "segregationsindex",
    "elternbeteiligung",
    "angebotsverzeichnis_aktualitaet",
    "anerkennungen",
    "beratungsverlauf_dokumentiert",
}
REQUIRED = {
    "schulen_demokratieprogramm",
    "demokratieprojekte",
    "eltern_kind_angebote",
    "sprachfoerderbedarf_seu",
    "integrationskurs_b1",
    "schulen_elternberatung",
    "sprachsensible_angebote",
    "massnahmen_teilnehmende_auslaender",
    "abgaenger_ohne_abschluss_auslaender",
    "beratungsverzeichnis_eintraege",
    "svb_quote_auslaender",
    "arbeitslose_auslaender",
    "eu2_datenverfuegbarkeit",
    "erstberatungen_neuzugewanderte",
    "kita_quote_auslaender",
    "fortbildungsquote_ikk",
    "einbuergerungen",
    "angebotsmiete",
    "gefoerderte_wohnungen",
    "engagementquote_mh",
    "ehrenamtsprojekte_eu2",
    "mehrsprachige_materialien",
    "sgb2_quote_eu2",
    "beratungen_arbeitnehmerrechte",
    "zuzuege",
    "fortzuege",
}
BY_DISTRICT = {
    "eltern_kind_angebote",
    "sprachfoerderbedarf_seu",
    "kita_quote_auslaender",
    "zuzuege",
    "fortzuege",
}
DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
INTEGER = re.compile(r"^(0|[1-9]\d*)$")
DE_NUMBER = re.compile(r"^-?\d+(,\d+)?$")


def _copy_inputs(target: Path) -> Path:
    shutil.copytree(REPO_DATA / "catalog", target / "catalog")
    (target / "raw").mkdir()
    shutil.copy(REAL_FILE, target / "raw" / REAL_FILE.name)
    return target


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d.%m.%Y").date()


def _num(text: str) -> float:
    return float(text.replace(",", "."))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = _copy_inputs(tmp_path_factory.mktemp("gen1"))
    paths = write_example_data(data_dir)
    assert [Path(p) for p in paths] == [data_dir / "raw" / POPULATION, data_dir / "raw" / INDICATORS]
    return data_dir


@pytest.fixture(scope="module")
def population(generated: Path) -> list[dict[str, str]]:
    return _read(generated / "raw" / POPULATION)


@pytest.fixture(scope="module")
def indicators(generated: Path) -> list[dict[str, str]]:
    return _read(generated / "raw" / INDICATORS)


@pytest.fixture(scope="module")
def stock(population: list[dict[str, str]]) -> dict[tuple[int, str, str], int]:
    """Persons per (year, district, nationality)."""
    out: dict[tuple[int, str, str], int] = defaultdict(int)
    for row in population:
        out[(_date(row["stichtag"]).year, row["gebiet"], row["staatsangehoerigkeit"])] += int(row["personen"])
    return out


def _city(stock: dict[tuple[int, str, str], int], year: int, nats: tuple[str, ...]) -> int:
    return sum(stock[(year, d, n)] for d in DISTRICTS for n in nats)


@pytest.fixture(scope="module")
def real() -> list[dict[str, str]]:
    with REAL_FILE.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


# --- determinism -------------------------------------------------------------------------------------------
def test_rerun_is_byte_identical(generated: Path, tmp_path: Path) -> None:
    again = _copy_inputs(tmp_path)
    write_example_data(again)
    for name in (POPULATION, INDICATORS):
        assert (again / "raw" / name).read_bytes() == (generated / "raw" / name).read_bytes(), name


def test_committed_files_equal_fresh_generation(generated: Path) -> None:
    for name in (POPULATION, INDICATORS):
        committed = REPO_DATA / "raw" / name
        assert committed.exists(), (
            f"{committed} fehlt – `python -m integrationsmonitor beispieldaten` ausführen"
        )
        assert committed.read_bytes() == (generated / "raw" / name).read_bytes(), (
            f"{name} weicht von einer frischen Erzeugung ab (von Hand bearbeitet?)"
        )


@pytest.mark.parametrize("name", [POPULATION, INDICATORS])
def test_file_conventions(generated: Path, name: str) -> None:
    raw = (generated / "raw" / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "kein BOM"
    assert b"\r" not in raw, "nur LF-Zeilenenden"
    raw.decode("utf-8")


# --- population --------------------------------------------------------------------------------------------
def test_population_header_and_values(generated: Path, population: list[dict[str, str]]) -> None:
    header = (generated / "raw" / POPULATION).read_text(encoding="utf-8").split("\n", 1)[0]
    assert (
        header == "gebiet;stichtag;staatsangehoerigkeit;altersgruppe;geschlecht;personen;quelle;beispieldaten"
    )
    for row in population:
        assert DATE.match(row["stichtag"]) and row["stichtag"].startswith("31.12."), row
        assert INTEGER.match(row["personen"]), row  # non-negative, no thousands separator
        assert row["quelle"] == SOURCE and row["beispieldaten"] == "ja", row


def test_every_cell_present_once_and_sorted(population: list[dict[str, str]]) -> None:
    with (REPO_DATA / "catalog" / "altersgruppen.csv").open(encoding="utf-8-sig", newline="") as fh:
        ages = [r["code"] for r in csv.DictReader(fh, delimiter=";")]
    keys = [
        (_date(r["stichtag"]), r["gebiet"], r["staatsangehoerigkeit"], r["altersgruppe"], r["geschlecht"])
        for r in population
    ]
    expected = set(
        itertools.product([dt.date(y, 12, 31) for y in YEARS], DISTRICTS, NATIONALITIES, ages, ("m", "w"))
    )
    assert len(keys) == len(set(keys)) == len(expected)
    assert set(keys) == expected
    assert keys == sorted(keys)


def test_no_negative_counts(population: list[dict[str, str]]) -> None:
    assert min(int(r["personen"]) for r in population) >= 0
    assert any(int(r["personen"]) < 3 for r in population), "kleine Zellen sind gewollt"


def _anchors(real: list[dict[str, str]], nationality: str) -> dict[int, int]:
    """Published city figures at exactly 31.12. of 2012…2024; the register wins where two sources exist."""
    chosen: dict[int, tuple[bool, int]] = {}
    for row in real:
        if row["area"] != "Hagen" or row["measure"] != "auslaender" or row["nationality"] != nationality:
            continue
        day = dt.date.fromisoformat(row["period"])
        if (day.month, day.day) != (12, 31) or day.year not in YEARS:
            continue
        register = "Melderegister" in row["source_kind"]
        if day.year not in chosen or (register and not chosen[day.year][0]):
            chosen[day.year] = (register, int(float(row["value"])))
    return {year: value for year, (_r, value) in chosen.items()}


def test_city_sums_equal_published_31_12_figures(real: list[dict[str, str]], stock: dict) -> None:
    foreign = tuple(n for n in NATIONALITIES if n != "DE")
    checked = 0
    for year, value in _anchors(real, "").items():
        assert _city(stock, year, foreign) == value, ("Ausländer insgesamt", year)
        checked += 1
    for nat in NAMED_FOREIGN:
        for year, value in _anchors(real, nat).items():
            assert _city(stock, year, (nat,)) == value, (nat, year)
            checked += 1
    assert checked >= 15
    assert _anchors(real, "UA")[2022] == 1931  # register preferred over IT.NRW (1945)


def test_residents_close_to_register_figures(real: list[dict[str, str]], stock: dict) -> None:
    totals = {dt.date(y, 12, 31): _city(stock, y, NATIONALITIES) for y in YEARS}
    dates = sorted(totals)
    checked = 0
    for row in real:
        if row["area"] != "Hagen" or row["measure"] != "einwohner" or row["source_kind"].startswith("IT.NRW"):
            continue
        day = dt.date.fromisoformat(row["period"])
        if not dates[0] <= day <= dates[-1]:
            continue
        left = max(d for d in dates if d <= day)
        right = min(d for d in dates if d >= day)
        frac = 0 if left == right else (day - left).days / (right - left).days
        value = totals[left] + frac * (totals[right] - totals[left])
        assert abs(value / float(row["value"]) - 1) < 0.01, (row["period"], value, row["value"])
        checked += 1
    assert checked >= 4


def test_district_shares_2020_match_published_figures(real: list[dict[str, str]], stock: dict) -> None:
    with (REPO_DATA / "catalog" / "gebiete.csv").open(encoding="utf-8-sig", newline="") as fh:
        names = {r["name"]: r["id"] for r in csv.DictReader(fh, delimiter=";") if r["ebene"] == "stadtbezirk"}
    published = {
        names[r["area"]]: float(r["value"])
        for r in real
        if r["area"] in names and r["measure"] == "einwohner" and r["period"].startswith("2020-")
    }
    assert set(published) == set(DISTRICTS)
    city = _city(stock, 2020, NATIONALITIES)
    for district, value in published.items():
        share = sum(stock[(2020, district, n)] for n in NATIONALITIES) / city
        assert abs(share / (value / sum(published.values())) - 1) < 0.01, district


def test_plausible_structure(population: list[dict[str, str]], stock: dict) -> None:
    foreign = tuple(n for n in NATIONALITIES if n != "DE")
    for year in YEARS:
        assert _city(stock, year, ("XX",)) >= 0.15 * _city(stock, year, foreign), year
        # EU-2 concentrated in Hagen-Mitte, few in Hohenlimburg and Eilpe/Dahl
        eu2 = {d: stock[(year, d, "RO")] + stock[(year, d, "BG")] for d in DISTRICTS}
        assert eu2["SB1"] > 0.5 * sum(eu2.values())
        assert eu2["SB3"] + eu2["SB4"] < 0.1 * sum(eu2.values())
    young: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in population:
        young[row["staatsangehoerigkeit"]][0] += int(row["personen"]) * (
            row["altersgruppe"] in ("00-05", "06-17")
        )
        young[row["staatsangehoerigkeit"]][1] += int(row["personen"])
    share = {n: a / b for n, (a, b) in young.items()}
    assert share["RO"] > share["TR"] > 0 and share["SY"] > share["DE"] and share["BG"] > share["IT"]


# --- indicators --------------------------------------------------------------------------------------------
def test_indicator_header_and_formats(generated: Path, indicators: list[dict[str, str]]) -> None:
    header = (generated / "raw" / INDICATORS).read_text(encoding="utf-8").split("\n", 1)[0]
    assert (
        header
        == "indikator;gebiet;stichtag;staatsangehoerigkeit;wert;zaehler;nenner;quelle;hinweis;beispieldaten"
    )
    for row in indicators:
        assert DATE.match(row["stichtag"]), row
        assert DE_NUMBER.match(row["wert"]) and "." not in row["wert"], row
        assert _num(row["wert"]) >= 0, row
        for key in ("zaehler", "nenner"):
            assert row[key] == "" or INTEGER.match(row[key]), row
        assert row["gebiet"] in (CITY, *DISTRICTS), row
        assert row["quelle"] == SOURCE and row["beispieldaten"] == "ja", row
    keys = [(r["indikator"], r["gebiet"], r["stichtag"], r["staatsangehoerigkeit"]) for r in indicators]
    assert len(keys) == len(set(keys))


def test_indicator_ids_known_and_not_excluded(indicators: list[dict[str, str]]) -> None:
    doc = yaml.safe_load((REPO_DATA / "catalog" / "indikatoren.yaml").read_text(encoding="utf-8"))
    known = {ind["id"] for ind in doc["indikatoren"]}
    written = {r["indikator"] for r in indicators}
    assert written <= known
    assert not written & EXCLUDED
    assert written == REQUIRED
    for ind in written - BY_DISTRICT:
        assert {r["gebiet"] for r in indicators if r["indikator"] == ind} == {CITY}, ind
    for row in indicators:
        if row["indikator"] in ("zuzuege", "fortzuege"):
            assert row["staatsangehoerigkeit"] in ("RO", "BG"), row
        elif row["indikator"] in ("eu2_datenverfuegbarkeit", "sgb2_quote_eu2"):
            assert row["staatsangehoerigkeit"] == "RO+BG", row
        else:
            assert row["staatsangehoerigkeit"] == "_T", row


def test_ratios_consistent(indicators: list[dict[str, str]]) -> None:
    for row in indicators:
        if row["zaehler"]:
            assert 0 <= int(row["zaehler"]) <= int(row["nenner"]), row
            assert abs(_num(row["wert"]) - 100 * int(row["zaehler"]) / int(row["nenner"])) <= 0.05 + 1e-9, row


def test_city_equals_sum_of_districts(indicators: list[dict[str, str]]) -> None:
    groups: dict[tuple[str, str, str], dict[str, dict[str, str]]] = defaultdict(dict)
    for row in indicators:
        if row["indikator"] in BY_DISTRICT:
            groups[(row["indikator"], row["stichtag"], row["staatsangehoerigkeit"])][row["gebiet"]] = row
    assert groups
    for key, rows in groups.items():
        assert set(rows) == {CITY, *DISTRICTS}, key
        fields = ("zaehler", "nenner") if rows[CITY]["zaehler"] else ("wert",)
        for f in fields:
            assert _num(rows[CITY][f]) == sum(_num(rows[d][f]) for d in DISTRICTS), (key, f)
    seu = [r for r in indicators if r["indikator"] == "sprachfoerderbedarf_seu" and r["gebiet"] != CITY]
    assert sum(int(r["zaehler"]) < 3 for r in seu) >= 2, "kleine Zähler sind gewollt"


def test_migration_balances_with_stock(indicators: list[dict[str, str]], stock: dict) -> None:
    flows = {
        (r["indikator"], r["gebiet"], _date(r["stichtag"]), r["staatsangehoerigkeit"]): int(r["wert"])
        for r in indicators
        if r["indikator"] in ("zuzuege", "fortzuege")
    }
    for nat in ("RO", "BG"):
        for year in range(2013, 2025):
            day = dt.date(year, 12, 31)
            for district in DISTRICTS:
                zu, fort = flows[("zuzuege", district, day, nat)], flows[("fortzuege", district, day, nat)]
                assert zu >= 0 and fort >= 0
                assert stock[(year, district, nat)] - stock[(year - 1, district, nat)] == zu - fort, (
                    nat,
                    year,
                    district,
                )
            change = _city(stock, year, (nat,)) - _city(stock, year - 1, (nat,))
            assert flows[("zuzuege", CITY, day, nat)] - flows[("fortzuege", CITY, day, nat)] == change


def test_series_shapes(indicators: list[dict[str, str]]) -> None:
    def series(ind: str) -> dict[int, float]:
        return {
            _date(r["stichtag"]).year: _num(r["wert"])
            for r in indicators
            if r["indikator"] == ind and r["gebiet"] == CITY
        }

    eu2 = series("eu2_datenverfuegbarkeit")
    assert eu2[2018] < 100 and 20 <= eu2[2015] <= 30 and 70 <= eu2[2024] <= 80  # target 2018 missed
    assert set(series("engagementquote_mh")) == {2016, 2019, 2022}
    assert all(v < 33.3 for v in series("engagementquote_mh").values())
    rent = series("angebotsmiete")
    assert 5.0 <= rent[2015] <= 5.4 and 6.2 <= rent[2024] <= 6.6
    for ind in REQUIRED - {"engagementquote_mh", "zuzuege", "fortzuege"}:
        assert len(series(ind)) >= 8, ind


def _bundestag_2021_electorate() -> dict[str, int]:
    """Wahlberechtigte per Stadtbezirk, Bundestagswahl 26.09.2021, from the city's raw files (plain csv)."""
    folder = REPO_DATA / "raw" / "wahlen" / "bundestagswahl-2021"
    names = {"Hagen-Mitte": "SB1", "Hagen-Nord": "SB2", "Hohenlimburg": "SB3", "Eilpe/Dahl": "SB4", "Haspe": "SB5"}
    with next(folder.glob("*_Wahlgebietseinteilungen_*.csv")).open(encoding="utf-8-sig", newline="") as fh:
        district = {r["bezirk-nr"]: names[r["gebiet-ebene-2-nr"]] for r in csv.DictReader(fh, delimiter=";")
                    if r["bezirk-art"] == "W"}
    out: dict[str, int] = defaultdict(int)
    with next(folder.glob("*_Wahlergebnisse_*.csv")).open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            if r["bezirk-nr"] in district:
                out[district[r["bezirk-nr"]]] += int(r["A"])
    return dict(out)


def test_german_adults_are_not_fewer_than_the_bundestag_electorate(population: list[dict[str, str]]) -> None:
    """A district's Bundestag electorate (Germans 18+, 26.09.2021) is a lower bound for its German residents 18+
    on 31.12.2021 (three months later; moves and deaths aside, hence the 1 % slack)."""
    electorate = _bundestag_2021_electorate()
    assert electorate == {"SB1": 47724, "SB2": 27084, "SB3": 21717, "SB4": 11905, "SB5": 19496}
    adults: dict[str, int] = defaultdict(int)
    for row in population:
        if row["stichtag"] == "31.12.2021" and row["staatsangehoerigkeit"] == "DE" \
                and row["altersgruppe"] not in ("00-05", "06-17"):
            adults[row["gebiet"]] += int(row["personen"])
    for district in DISTRICTS:
        assert adults[district] >= 0.99 * electorate[district], (district, adults[district], electorate[district])
        assert adults[district] <= 1.25 * electorate[district]  # and not wildly above it either
