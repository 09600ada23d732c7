"""Seeded, deterministic EXAMPLE data (Beispieldaten) for figures that no public source has.

``write_example_data(data_dir)`` reads the real published figures
(``raw/hagen_veroeffentlichte_zahlen.csv``) and the catalogue (``catalog/``) below ``data_dir`` and writes

* ``raw/beispiel_bevoelkerung.csv`` – residents by Stadtbezirk, 31.12. of 2012…2024, nationality,
  age group and sex. The city sums per year and nationality follow the real figures: every published
  figure at exactly 31.12. of a year is reproduced exactly (register figure preferred where two sources
  give one for the same date); between and around the published dates the series are piecewise-linear
  interpolations with plausible, documented extrapolation factors. All splits (city → districts → age
  groups → sex) use the largest-remainder method, so every sum is exact.
* ``raw/beispiel_indikatoren.csv`` – yearly series for indicators without a public source, among them
  Zuzüge/Fortzüge of Romanian and Bulgarian nationals per district that balance exactly with the stock
  changes of the population file.

The numbers are INVENTED apart from the real totals they are tied to; every row is marked
``beispieldaten = ja``. Only the standard library (plus PyYAML for the catalogue) is used; every random
draw comes from ``random.Random`` seeded with the seed and a label, so each output is byte-identical on
every run and changing one series does not shift the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import yaml

from integrationsmonitor.config import CITY_ID

DEFAULT_SEED = 20261125
YEARS = tuple(range(2012, 2025))
INDICATOR_YEARS = tuple(range(2015, 2025))
CITY = CITY_ID
DISTRICTS = ("SB1", "SB2", "SB3", "SB4", "SB5")
NAMED_FOREIGN = ("RO", "BG", "TR", "SY", "IT", "GR", "PL", "UA")
OTHER = "XX"
EU2 = "RO+BG"  # nationality of the EU-2 indicators (as the build reads eu2_* and sgb2_quote_eu2)
NATIONALITIES = ("DE", *NAMED_FOREIGN, OTHER)
SEXES = ("m", "w")
AGE_CODES = ("00-05", "06-17", "18-29", "30-49", "50-64", "65+")
MIN_OTHER_SHARE = 0.20  # "übrige Staaten" never below 20 % of all foreigners

REAL_FILE = "hagen_veroeffentlichte_zahlen.csv"
POPULATION_FILE = "beispiel_bevoelkerung.csv"
INDICATOR_FILE = "beispiel_indikatoren.csv"
POPULATION_HEADER = (
    "gebiet",
    "stichtag",
    "staatsangehoerigkeit",
    "altersgruppe",
    "geschlecht",
    "personen",
    "quelle",
    "beispieldaten",
)
INDICATOR_HEADER = (
    "indikator",
    "gebiet",
    "stichtag",
    "staatsangehoerigkeit",
    "wert",
    "zaehler",
    "nenner",
    "quelle",
    "hinweis",
    "beispieldaten",
)
# Indicators that come from the real file or are derived in the build, and those deliberately without data.
EXCLUDED_INDICATORS = frozenset(
    {
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
)

# ---------------------------------------------------------------------------------------------------------
# Assumptions for the population series (all invented; documented here in one place)
# ---------------------------------------------------------------------------------------------------------
TOTAL_FOREIGN = "_T"  # key for "all foreigners"
RESIDENTS = "einwohner"  # key for "all residents"

# Years before the first published figure: value = ratio × first published value (at 31.12. of the year).
BACKCAST: dict[str, dict[int, float]] = {
    "RO": {2012: 0.44, 2013: 0.68},
    "BG": {2012: 0.50, 2013: 0.72},
    # few Syrians before 2015, then the refugee immigration of 2015/16
    "SY": {2012: 0.035, 2013: 0.06, 2014: 0.15, 2015: 0.52, 2016: 0.82, 2017: 0.92, 2018: 0.985},
    # small, slowly growing community before 2022
    "UA": {
        2012: 0.190,
        2013: 0.192,
        2014: 0.198,
        2015: 0.205,
        2016: 0.208,
        2017: 0.210,
        2018: 0.213,
        2019: 0.216,
        2020: 0.219,
        2021: 0.222,
    },
}
# Years after the last published figure: value = factor × last published value (at 31.12. of the year).
FORECAST: dict[str, dict[int, float]] = {
    TOTAL_FOREIGN: {2023: 1.035, 2024: 1.060},
    RESIDENTS: {2021: 1.0003, 2022: 1.0008, 2023: 0.9965, 2024: 0.9918},
    "RO": {2023: 1.040, 2024: 1.075},
    "BG": {2023: 1.040, 2024: 1.080},
    "TR": {2023: 0.993, 2024: 0.985},
    "SY": {2023: 1.020, 2024: 1.025},
    "IT": {2023: 1.000, 2024: 0.995},
    "GR": {2023: 1.010, 2024: 1.015},
    "PL": {2023: 1.005, 2024: 1.005},
    "UA": {2023: 1.170, 2024: 1.220},
}
# Share of residents per district changes by this many share points per year (drift around the real figures).
DISTRICT_DRIFT = {"SB1": 0.0004, "SB2": -0.0001, "SB3": -0.0002, "SB4": -0.0001, "SB5": 0.0}
# Concentration of a nationality relative to the district's share of all residents.
CONCENTRATION: dict[str, dict[str, float]] = {
    #       Mitte  Nord  Hohenl. Eilpe/Dahl Haspe
    "RO": {"SB1": 2.00, "SB2": 0.70, "SB3": 0.15, "SB4": 0.15, "SB5": 0.80},
    "BG": {"SB1": 1.90, "SB2": 0.80, "SB3": 0.15, "SB4": 0.15, "SB5": 0.90},
    "TR": {"SB1": 1.30, "SB2": 1.10, "SB3": 0.70, "SB4": 0.40, "SB5": 1.10},
    "SY": {"SB1": 1.50, "SB2": 0.90, "SB3": 0.50, "SB4": 0.50, "SB5": 0.90},
    "IT": {"SB1": 1.20, "SB2": 1.00, "SB3": 0.90, "SB4": 0.60, "SB5": 1.10},
    "GR": {"SB1": 1.30, "SB2": 0.90, "SB3": 0.60, "SB4": 0.50, "SB5": 1.20},
    "PL": {"SB1": 1.00, "SB2": 1.00, "SB3": 1.00, "SB4": 0.90, "SB5": 1.00},
    "UA": {"SB1": 1.20, "SB2": 0.90, "SB3": 0.80, "SB4": 0.70, "SB5": 0.90},
    "XX": {"SB1": 1.40, "SB2": 0.80, "SB3": 0.60, "SB4": 0.50, "SB5": 0.80},
}
# Age profiles (weights for AGE_CODES): EU-2 and Syrians young, Turks/Italians/Greeks older, Germans oldest.
AGE_PROFILE: dict[str, tuple[float, ...]] = {
    "DE": (5, 11, 12, 22, 22, 28),
    "RO": (11, 20, 24, 32, 10, 3),
    "BG": (11, 21, 23, 31, 11, 3),
    "TR": (4, 10, 16, 28, 24, 18),
    "SY": (13, 25, 26, 27, 7, 2),
    "IT": (3, 8, 13, 28, 26, 22),
    "GR": (3, 9, 14, 28, 25, 21),
    "PL": (5, 11, 18, 38, 20, 8),
    "UA": (5, 12, 16, 33, 22, 12),
    "XX": (7, 14, 24, 34, 14, 7),
}
# Germans under 18 per district relative to the city profile. A district's Bundestag electorate (Germans aged
# 18+ with main residence, 26.09.2021, data/raw/wahlen/bundestagswahl-2021) is a lower bound for its German
# residents aged 18+: with the city profile Hagen-Nord had fewer German adults (26.834) than voters on the
# register (27.084); fewer German children there (and in Hagen-Mitte) keep every district above that bound.
DE_MINORS_BY_DISTRICT = {"SB1": 0.92, "SB2": 0.80, "SB3": 1.0, "SB4": 1.0, "SB5": 1.0}
UA_REFUGEE_PROFILE = (8, 22, 13, 34, 14, 9)  # from 2022: many women and children
MALE_SHARE = {
    "DE": 0.49,
    "RO": 0.53,
    "BG": 0.52,
    "TR": 0.51,
    "SY": 0.56,
    "IT": 0.55,
    "GR": 0.53,
    "PL": 0.50,
    "UA": 0.42,
    "XX": 0.54,
}


# ---------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------
def _rng(seed: int, label: str) -> random.Random:
    """An independent, reproducible random stream per purpose (str seeds are hashed with SHA-512)."""
    return random.Random(f"{seed}/{label}")


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split the non-negative integer ``total`` in proportion to ``weights``; the parts sum to ``total``.

    Ties in the remainders go to the earlier position, so the result is deterministic.
    """
    if total < 0:
        raise ValueError(f"negative total {total}")
    weights = [max(float(w), 0.0) for w in weights]
    s = sum(weights)
    if s <= 0:
        weights, s = [1.0] * len(weights), float(len(weights))
    quotas = [total * w / s for w in weights]
    parts = [int(q) for q in quotas]
    rest = total - sum(parts)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _de_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _de_number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = f"{0:.{decimals}f}"  # no "-0,0"
    return text.replace(".", ",")


def _interpolate(points: Mapping[dt.date, float], day: dt.date) -> float:
    """Piecewise-linear interpolation through ``points`` (flat outside their range)."""
    dates = sorted(points)
    if day <= dates[0]:
        return points[dates[0]]
    if day >= dates[-1]:
        return points[dates[-1]]
    for left, right in itertools.pairwise(dates):
        if left <= day <= right:
            frac = (day.toordinal() - left.toordinal()) / (right.toordinal() - left.toordinal())
            return points[left] + frac * (points[right] - points[left])
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------------------
# Reading the inputs
# ---------------------------------------------------------------------------------------------------------
def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh, delimiter=";")]


def _is_register(source_kind: str) -> bool:
    return "melderegister" in source_kind.casefold()


def _published_points(
    rows: list[dict[str, str]],
    measure: str,
    nationality: str,
    skip_source: Callable[[str], bool] = lambda _s: False,
) -> dict[dt.date, int]:
    """City figures for one measure and nationality by date; the register wins where two sources disagree."""
    chosen: dict[dt.date, tuple[bool, int]] = {}
    for row in rows:
        if row["area"] != "Hagen" or row["measure"] != measure or row["nationality"] != nationality:
            continue
        if skip_source(row["source_kind"]):
            continue
        day = dt.date.fromisoformat(row["period"])
        value = round(float(row["value"]))
        register = _is_register(row["source_kind"])
        if day not in chosen or (register and not chosen[day][0]):
            chosen[day] = (register, value)
    return {day: value for day, (_reg, value) in chosen.items()}


def _district_reference(
    rows: list[dict[str, str]], areas: list[dict[str, str]]
) -> tuple[dt.date, dict[str, int]]:
    """The published residents per Stadtbezirk at the date for which most districts are published."""
    lookup: dict[str, str] = {}
    for area in areas:
        if area["ebene"] == "stadtbezirk":
            for key in [area["id"], area["name"], *filter(None, area.get("aliase", "").split("|"))]:
                lookup[key.strip().casefold()] = area["id"]
    by_date: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        area_id = lookup.get(row["area"].casefold())
        if area_id and row["measure"] == "einwohner" and not row["nationality"]:
            day = dt.date.fromisoformat(row["period"])
            by_date.setdefault(day, {})[area_id] = round(float(row["value"]))
    complete = {day: vals for day, vals in by_date.items() if set(vals) == set(DISTRICTS)}
    if not complete:
        raise ValueError(f"{REAL_FILE}: kein Stichtag mit Einwohnerzahlen für alle Stadtbezirke {DISTRICTS}")
    day = max(complete)
    return day, complete[day]


# ---------------------------------------------------------------------------------------------------------
# Population
# ---------------------------------------------------------------------------------------------------------
def _shape(points: dict[dt.date, int], key: str) -> dict[dt.date, float]:
    """Published points plus the assumed values at 31.12. of the years before/after them."""
    if not points:
        raise ValueError(f"{REAL_FILE}: keine veröffentlichte Zahl für {key!r}")
    first, last = min(points), max(points)
    shape: dict[dt.date, float] = {day: float(v) for day, v in points.items()}
    for year in YEARS:
        day = _year_end(year)
        if day < first:
            shape[day] = BACKCAST.get(key, {}).get(year, 1.0) * points[first]
        elif day > last:
            shape[day] = FORECAST.get(key, {}).get(year, 1.0) * points[last]
    return shape


def _yearly(shape: dict[dt.date, float], points: dict[dt.date, int]) -> tuple[dict[int, int], set[int]]:
    """Values at 31.12. of every year (exact where published) and the set of years with a published value."""
    values = {year: max(0, round(_interpolate(shape, _year_end(year)))) for year in YEARS}
    anchored = {year for year in YEARS if _year_end(year) in points}
    for year in anchored:
        values[year] = points[_year_end(year)]
    return values, anchored


def _city_totals(rows: list[dict[str, str]]) -> dict[int, dict[str, int]]:
    """City totals per year: residents, every nationality incl. DE and XX.

    The named nationalities are interpolated between their published figures. The "übrige Staaten" (XX)
    are interpolated between the values implied at every date with a published total of foreigners
    (total − interpolated named nationalities), so the total follows all published totals – exactly at
    31.12., approximately at other dates – and XX has no artificial dips where a named group jumps.
    """
    named: dict[str, dict[int, int]] = {}
    named_shape: dict[str, dict[dt.date, float]] = {}
    named_anchored: dict[str, set[int]] = {}
    for nat in NAMED_FOREIGN:
        points = _published_points(rows, "auslaender", nat)
        named_shape[nat] = _shape(points, nat)
        named[nat], named_anchored[nat] = _yearly(named_shape[nat], points)
    total_points = _published_points(rows, "auslaender", "")
    total_shape = _shape(total_points, TOTAL_FOREIGN)
    last_total = max(total_points)
    other_shape = {
        day: value - sum(_interpolate(named_shape[nat], day) for nat in NAMED_FOREIGN)
        for day, value in total_shape.items()
        if day <= last_total
    }
    foreign_anchored = {year for year in YEARS if _year_end(year) in total_points}
    # census-based IT.NRW figures differ from the register; the example data imitate the register
    resident_points = _published_points(rows, "einwohner", "", skip_source=lambda s: s.startswith("IT.NRW"))
    residents, _ = _yearly(_shape(resident_points, RESIDENTS), resident_points)
    result: dict[int, dict[str, int]] = {}
    for year in YEARS:
        values = {nat: named[nat][year] for nat in NAMED_FOREIGN}
        if year in foreign_anchored:
            foreign = total_points[_year_end(year)]
        elif _year_end(year) > last_total:
            foreign = round(_interpolate(total_shape, _year_end(year)))
        else:
            foreign = sum(values.values()) + round(_interpolate(other_shape, _year_end(year)))
        minimum = round(MIN_OTHER_SHARE * foreign)
        other = foreign - sum(values.values())
        if other < minimum:
            if year not in foreign_anchored:
                foreign += minimum - other
            else:
                free = [n for n in NAMED_FOREIGN if year not in named_anchored[n]]
                cut = min(minimum - other, sum(values[n] for n in free))
                for nat, part in zip(free, largest_remainder(cut, [values[n] for n in free]), strict=True):
                    values[nat] -= part
            other = foreign - sum(values.values())
        if other < minimum:
            raise ValueError(
                f"{year}: veröffentlichte Zahlen lassen zu wenige übrige Ausländer:innen ({other})"
            )
        values[OTHER] = other
        values["DE"] = residents[year] - foreign
        if values["DE"] < 0:
            raise ValueError(f"{year}: mehr Ausländer:innen als Einwohner:innen")
        values[RESIDENTS] = residents[year]
        result[year] = values
    return result


def _age_weights(nat: str, year: int, rng: random.Random, district: str | None = None) -> list[float]:
    base = list(UA_REFUGEE_PROFILE if nat == "UA" and year >= 2022 else AGE_PROFILE[nat])
    if nat == "DE" and district is not None:
        factor = DE_MINORS_BY_DISTRICT[district]
        base[0] *= factor
        base[1] *= factor
    t = year - 2012
    if nat in ("TR", "IT", "GR", "DE"):  # ageing of the long-established groups
        base[0] *= max(0.5, 1 - 0.015 * t)
        base[4] *= 1 + 0.015 * t
        base[5] *= 1 + 0.025 * t
    if nat == "SY" and year >= 2017:  # births and growing-up after the arrival of 2015/16
        base[0] *= 1 + 0.05 * (year - 2016)
        base[1] *= 1 + 0.03 * (year - 2016)
        base[2] *= max(0.6, 1 - 0.04 * (year - 2016))
    if nat in ("RO", "BG"):  # families follow the first, mostly male, arrivals
        base[0] *= 1 + 0.02 * t
        base[1] *= 1 + 0.03 * t
    return [w * max(0.5, 1 + rng.gauss(0, 0.05)) for w in base]


def _male_share(nat: str, year: int, age: str, rng: random.Random) -> float:
    share = MALE_SHARE[nat]
    if nat == "SY":  # family reunification after 2016 evens out the sexes
        share -= 0.004 * max(0, year - 2016)
    if nat == "UA" and year >= 2022 and age in ("18-29", "30-49", "50-64"):
        share = 0.30
    if age in ("00-05", "06-17"):
        share = 0.51
    elif age == "65+":
        share -= 0.07
    elif age == "18-29" and nat in ("RO", "BG", "SY", "XX"):
        share += 0.04  # more men among recent arrivals
    share += rng.gauss(0, 0.015)
    return min(0.8, max(0.2, share))


def _district_shares(reference_day: dt.date, reference: dict[str, int], year: int) -> list[float]:
    total = sum(reference.values())
    dt_years = (_year_end(year).toordinal() - reference_day.toordinal()) / 365.25
    shares = [max(0.001, reference[d] / total + DISTRICT_DRIFT[d] * dt_years) for d in DISTRICTS]
    return [s / sum(shares) for s in shares]


def _district_weights(nat: str, year: int, pop_shares: list[float], rng: random.Random) -> list[float]:
    weights = []
    for share, district in zip(pop_shares, DISTRICTS, strict=True):
        factor = CONCENTRATION[nat][district]
        if district == "SB1" and nat in ("RO", "BG"):
            factor *= 1 + 0.012 * (year - 2012)  # EU-2 concentrate ever more in Hagen-Mitte
        if district == "SB1" and nat == "SY" and year > 2016:
            factor *= 1 - 0.01 * (year - 2016)  # Syrians spread out after the first years
        weights.append(share * factor * max(0.8, 1 + rng.gauss(0, 0.02)))
    return weights


def build_population(
    rows: list[dict[str, str]], areas: list[dict[str, str]], seed: int
) -> dict[tuple[int, str, str, str, str], int]:
    """Persons per (year, district, nationality, age group, sex)."""
    totals = _city_totals(rows)
    reference_day, reference = _district_reference(rows, areas)
    rng_district = _rng(seed, "bevoelkerung/stadtbezirke")
    rng_age = _rng(seed, "bevoelkerung/alter")
    rng_sex = _rng(seed, "bevoelkerung/geschlecht")
    cells: dict[tuple[int, str, str, str, str], int] = {}
    for year in YEARS:
        city = totals[year]
        pop_shares = _district_shares(reference_day, reference, year)
        residents = dict(zip(DISTRICTS, largest_remainder(city[RESIDENTS], pop_shares), strict=True))
        by_district: dict[str, dict[str, int]] = {d: {} for d in DISTRICTS}
        for nat in (*NAMED_FOREIGN, OTHER):
            parts = largest_remainder(city[nat], _district_weights(nat, year, pop_shares, rng_district))
            for district, part in zip(DISTRICTS, parts, strict=True):
                by_district[district][nat] = part
        for district in DISTRICTS:
            german = residents[district] - sum(by_district[district].values())
            if german < 0:
                raise ValueError(f"{year} {district}: negative Zahl Deutscher")
            by_district[district]["DE"] = german
        for district in DISTRICTS:
            for nat in NATIONALITIES:
                ages = largest_remainder(by_district[district][nat], _age_weights(nat, year, rng_age, district))
                for age, persons in zip(AGE_CODES, ages, strict=True):
                    male = _male_share(nat, year, age, rng_sex)
                    m, w = largest_remainder(persons, [male, 1 - male])
                    cells[(year, district, nat, age, "m")] = m
                    cells[(year, district, nat, age, "w")] = w
    return cells


# ---------------------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------------------
Row = tuple[
    str, str, dt.date, str, str, str, str, str
]  # indikator, gebiet, stichtag, nat, wert, z, n, hinweis


def _trend(
    rng: random.Random,
    start: float,
    end: float,
    sd: float,
    years: Sequence[int] = INDICATOR_YEARS,
    bumps: Mapping[int, float] | None = None,
    lo: float = 0.0,
    hi: float | None = None,
) -> dict[int, float]:
    """Linear trend from ``start`` to ``end`` with Gaussian noise and optional one-off bumps."""
    out = {}
    for i, year in enumerate(years):
        value = (
            start
            + (end - start) * i / max(1, len(years) - 1)
            + rng.gauss(0, sd)
            + (bumps or {}).get(year, 0.0)
        )
        value = max(lo, value)
        out[year] = value if hi is None else min(hi, value)
    return out


def _whole(values: Mapping[int, float]) -> dict[int, int]:
    """A trend of counts: the same years, each value rounded to a whole number."""
    return {y: round(v) for y, v in values.items()}


def _simple(
    ind: str,
    values: Mapping[int, float],
    decimals: int,
    day: Callable[[int], dt.date] = _year_end,
    hint: Callable[[int], str] = lambda _y: "",
) -> list[Row]:
    return [
        (ind, CITY, day(y), "_T", _de_number(v, decimals), "", "", hint(y)) for y, v in sorted(values.items())
    ]


def _ratio(ind: str, area: str, day: dt.date, nat: str, zaehler: int, nenner: int, hint: str = "") -> Row:
    wert = _de_number(100 * zaehler / nenner, 1) if nenner else ""
    return (ind, area, day, nat, wert, str(zaehler), str(nenner), hint)


def _rates(
    ind: str,
    rates: Mapping[int, float],
    nenner: Callable[[int], int],
    nat: str = "_T",
    day: Callable[[int], dt.date] = _year_end,
    hint: Callable[[int], str] = lambda _y: "",
) -> list[Row]:
    """City rows of a share given in per cent per year: nenner(year) cases, of which rate % (rounded) count."""
    rows = []
    for year, rate in rates.items():
        n = nenner(year)
        rows.append(_ratio(ind, CITY, day(year), nat, round(n * rate / 100), n, hint(year)))
    return rows


def _stock(
    cells: Mapping[tuple[int, str, str, str, str], int],
    year: int,
    district: str | None,
    nats: Sequence[str],
    ages: Sequence[str] = AGE_CODES,
) -> int:
    districts = DISTRICTS if district is None else (district,)
    return sum(cells[(year, d, n, a, s)] for d in districts for n in nats for a in ages for s in SEXES)


def build_indicators(cells: Mapping[tuple[int, str, str, str, str], int], seed: int) -> list[Row]:
    rows: list[Row] = []

    def rng(label: str) -> random.Random:
        return _rng(seed, f"indikatoren/{label}")

    # --- Bildung ---------------------------------------------------------------------------------------
    r = rng("schulen_demokratieprogramm")
    schools, best = {}, 0.0
    for year, value in _trend(r, 8, 19, 0.8).items():
        best = max(best, round(value))  # titles are rarely withdrawn
        schools[year] = best
    rows += _simple("schulen_demokratieprogramm", schools, 0)
    r = rng("demokratieprojekte")  # growth until 2020, then stagnation
    projects = {
        **_trend(r, 12, 20, 0.6, years=range(2015, 2021)),
        **_trend(r, 20, 20, 0.15, years=range(2021, 2025)),
    }
    rows += _simple("demokratieprojekte", _whole(projects), 0)

    r = rng("eltern_kind_angebote")
    groups = {"SB1": (10, 16), "SB2": (5, 8), "SB3": (2, 3), "SB4": (1, 2), "SB5": (4, 6)}
    per_district = {d: _whole(_trend(r, *groups[d], 0.6, lo=0)) for d in DISTRICTS}
    for year in INDICATOR_YEARS:
        day = _year_end(year)
        rows.append(
            (
                "eltern_kind_angebote",
                CITY,
                day,
                "_T",
                str(sum(per_district[d][year] for d in DISTRICTS)),
                "",
                "",
                "",
            )
        )
        rows += [
            ("eltern_kind_angebote", d, day, "_T", str(per_district[d][year]), "", "", "") for d in DISTRICTS
        ]

    # Schuleingangsuntersuchung: children examined ~ one sixth of the 0-5-year-olds; need rises (wrong way)
    r = rng("sprachfoerderbedarf_seu")
    base_rate = {
        "SB1": (0.30, 0.335),
        "SB2": (0.18, 0.20),
        "SB3": (0.06, 0.065),
        "SB4": (0.025, 0.025),
        "SB5": (0.20, 0.225),
    }
    seu: dict[tuple[int, str], tuple[int, int]] = {}
    for d in DISTRICTS:
        rates = _trend(r, *base_rate[d], 0.0)
        for year in INDICATOR_YEARS:
            examined = round(
                _stock(cells, year - 1, d, NATIONALITIES, ("00-05",)) / 6 * (0.96 + r.gauss(0, 0.01))
            )
            noise = r.gauss(0, 0.35 if d == "SB4" else 0.06)
            seu[(year, d)] = (max(0, round(examined * rates[year] * (1 + noise))), examined)
    small = sorted((z, year, d) for (year, d), (z, n) in seu.items() if d == "SB4")
    for z, year, d in small[:2]:  # on purpose: at least two district-years with fewer than 3 children
        if z >= 3:
            seu[(year, d)] = (2, seu[(year, d)][1])
    for year in INDICATOR_YEARS:
        hint = f"Untersuchungsjahrgang {year}"
        zs = [seu[(year, d)] for d in DISTRICTS]
        rows.append(
            _ratio(
                "sprachfoerderbedarf_seu",
                CITY,
                _year_end(year),
                "_T",
                sum(z for z, _ in zs),
                sum(n for _, n in zs),
                hint,
            )
        )
        rows += [
            _ratio("sprachfoerderbedarf_seu", d, _year_end(year), "_T", *seu[(year, d)], hint)
            for d in DISTRICTS
        ]

    rows += _simple(
        "integrationskurs_b1", _trend(rng("integrationskurs_b1"), 56.0, 47.5, 1.2), 1
    )  # wrong way
    r = rng("schulen_elternberatung")
    for year, value in _trend(r, 22, 41, 1.0).items():
        rows.append(
            _ratio(
                "schulen_elternberatung",
                CITY,
                _year_end(year),
                "_T",
                round(value),
                59 if year >= 2020 else 58,
            )
        )
    rows += _simple(
        "sprachsensible_angebote",
        _whole(_trend(rng("sprachsensible_angebote"), 15, 32, 1.5)),
        0,
    )
    # --- Arbeit und Qualifizierung -----------------------------------------------------------------------
    rows += _simple(
        "massnahmen_teilnehmende_auslaender",
        _trend(rng("massnahmen_teilnehmende_auslaender"), 22.0, 31.0, 0.8),
        1,
    )
    r = rng("abgaenger_ohne_abschluss_auslaender")  # improves until 2019, then stagnates
    leavers = _trend(r, 290, 420, 12)
    rates = {
        **_trend(r, 15.0, 13.2, 0.5, years=range(2015, 2020)),
        **_trend(r, 13.0, 13.0, 0.1, years=range(2020, 2025)),
    }
    rows += _rates(
        "abgaenger_ohne_abschluss_auslaender",
        rates,
        lambda y: round(leavers[y]),
        day=lambda y: dt.date(y, 7, 31),
        hint=lambda y: f"Schuljahr {y - 1}/{str(y)[2:]}",
    )
    rows += _simple(
        "beratungsverzeichnis_eintraege",
        _whole(_trend(rng("beratungsverzeichnis_eintraege"), 60, 140, 4,
                      bumps={2021: -12, 2022: -15, 2023: -14, 2024: -18})),
        0,
    )
    rows += _simple(
        "svb_quote_auslaender",
        _trend(rng("svb_quote_auslaender"), 28.0, 38.5, 0.6),
        1,
        day=lambda y: dt.date(y, 6, 30),
        hint=lambda _y: "Stichtag 30.06.",
    )
    unemployed = _trend(
        rng("arbeitslose_auslaender"),
        3300,
        4700,
        90,
        bumps={2016: 500, 2017: 600, 2018: 250, 2020: 450, 2021: 300},
    )  # wrong way
    rows += _simple(
        "arbeitslose_auslaender",
        _whole(unemployed),
        0,
        hint=lambda _y: "Jahresdurchschnitt",
    )
    # --- Transparenz, Beratung -----------------------------------------------------------------------------
    # 8 core figures; target "100 % bis Ende 2018" missed on purpose
    available = dict(zip(INDICATOR_YEARS, (2, 2, 3, 3, 4, 4, 4, 5, 5, 6), strict=True))
    rows += [
        _ratio("eu2_datenverfuegbarkeit", CITY, _year_end(y), EU2, z, 8, "8 Kernkennzahlen")
        for y, z in available.items()
    ]
    rows += _simple(
        "erstberatungen_neuzugewanderte",
        _trend(rng("erstberatungen_neuzugewanderte"), 18.0, 27.0, 1.0, bumps={2020: -4.0}),
        1,
    )
    r = rng("kita_quote_auslaender")  # stagnates; nenner = half of the foreign 0-5-year-olds on 31.12. before
    kita_rate = {"SB1": 0.66, "SB2": 0.74, "SB3": 0.78, "SB4": 0.80, "SB5": 0.72}
    foreign = (*NAMED_FOREIGN, OTHER)
    for year in INDICATOR_YEARS:
        day = dt.date(year, 3, 1)
        parts = []
        for d in DISTRICTS:
            n = round(_stock(cells, year - 1, d, foreign, ("00-05",)) / 2)
            rate = min(0.98, kita_rate[d] - 0.002 * (year - 2015) + r.gauss(0, 0.02))
            parts.append((d, round(n * rate), n))
        rows.append(
            _ratio(
                "kita_quote_auslaender",
                CITY,
                day,
                "_T",
                sum(p[1] for p in parts),
                sum(p[2] for p in parts),
                "Stichtag 01.03.",
            )
        )
        rows += [_ratio("kita_quote_auslaender", d, day, "_T", z, n, "Stichtag 01.03.") for d, z, n in parts]
    r = rng("fortbildungsquote_ikk")
    staff = _trend(r, 2860, 2950, 15)
    rows += _rates("fortbildungsquote_ikk", _trend(r, 4.0, 14.0, 0.5), lambda y: round(staff[y]))
    rows += _simple(
        "einbuergerungen",
        _whole(_trend(rng("einbuergerungen"), 330, 1050, 25,
                      bumps={2016: -90, 2017: -120, 2018: -110, 2019: -100, 2020: -230, 2021: -170, 2022: -110,
                             2024: 120})),
        0,
    )
    # --- Wohnen, Ehrenamt ----------------------------------------------------------------------------------
    rows += _simple(
        "angebotsmiete", _trend(rng("angebotsmiete"), 5.20, 6.40, 0.04), 2, hint=lambda _y: "nettokalt"
    )
    rows += _simple(
        "gefoerderte_wohnungen", _trend(rng("gefoerderte_wohnungen"), 9.6, 6.8, 0.15), 1
    )  # wrong way
    r = rng("engagementquote_mh")  # survey every three years; target 33,3 %
    for year, rate, n in ((2016, 17.0, 384), (2019, 20.0, 412), (2022, 22.0, 437)):
        z = round(n * (rate + r.gauss(0, 0.4)) / 100)
        rows.append(_ratio("engagementquote_mh", CITY, _year_end(year), "_T", z, n, f"Bürgerumfrage {year}"))
    rows += _simple(
        "ehrenamtsprojekte_eu2",
        _whole(_trend(rng("ehrenamtsprojekte_eu2"), 2, 7, 0.3,
                      bumps={2021: -0.5, 2022: -1.2, 2023: -1.4, 2024: -1.8})),
        0,
    )
    rows += _simple(
        "mehrsprachige_materialien",
        _whole(_trend(rng("mehrsprachige_materialien"), 4, 25, 1.2)),
        0,
    )
    r = rng("sgb2_quote_eu2")  # nenner: Romanians and Bulgarians below 65 in the population file
    rows += _rates(
        "sgb2_quote_eu2",
        _trend(r, 36.0, 27.5, 0.7),
        lambda y: _stock(cells, y, None, ("RO", "BG"), AGE_CODES[:-1]),
        nat=EU2,
        hint=lambda _y: "unter 65 Jahren",
    )
    rows += _simple(
        "beratungen_arbeitnehmerrechte",
        _whole(_trend(rng("beratungen_arbeitnehmerrechte"), 120, 380, 12, bumps={2020: -90, 2021: -40})),
        0,
    )
    rows += _migration(cells, rng("wanderung"))
    return rows


def _migration(cells: Mapping[tuple[int, str, str, str, str], int], r: random.Random) -> list[Row]:
    """Zuzüge/Fortzüge of RO and BG per district: stock(t) − stock(t−1) = zuzuege(t) − fortzuege(t)."""
    rows: list[Row] = []
    turnover = {"RO": 0.17, "BG": 0.19}
    for nat in ("RO", "BG"):
        for year in YEARS[1:]:
            day = _year_end(year)
            flows = []
            for d in DISTRICTS:
                before, after = _stock(cells, year - 1, d, (nat,)), _stock(cells, year, d, (nat,))
                change = after - before
                fort = round(before * max(0.08, turnover[nat] + r.gauss(0, 0.02)))
                minimum_in = round(0.05 * before)
                if fort + change < minimum_in:
                    fort = minimum_in - change
                flows.append((d, fort + change, fort))
            hint = "einschließlich Saldo aus Geburten und Sterbefällen"
            rows.append(("zuzuege", CITY, day, nat, str(sum(f[1] for f in flows)), "", "", hint))
            rows += [("zuzuege", d, day, nat, str(z), "", "", hint) for d, z, _ in flows]
            rows.append(("fortzuege", CITY, day, nat, str(sum(f[2] for f in flows)), "", "", ""))
            rows += [("fortzuege", d, day, nat, str(f), "", "", "") for d, _, f in flows]
    return rows


# ---------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------
def _check_catalog(data_dir: Path, indicator_ids: set[str]) -> None:
    catalog = data_dir / "catalog"
    doc = yaml.safe_load((catalog / "indikatoren.yaml").read_text(encoding="utf-8"))
    known = {ind["id"] for ind in doc["indikatoren"]}
    unknown = sorted(indicator_ids - known)
    if unknown:
        raise ValueError(f"Beispieldaten für unbekannte Indikatoren: {unknown}")
    excluded = sorted(indicator_ids & EXCLUDED_INDICATORS)
    if excluded:
        raise ValueError(f"Beispieldaten für ausgeschlossene Indikatoren: {excluded}")
    ages = tuple(row["code"] for row in _read_csv(catalog / "altersgruppen.csv"))
    if ages != AGE_CODES:
        raise ValueError(f"altersgruppen.csv: erwartet {AGE_CODES}, gefunden {ages}")
    nats = {row["code"] for row in _read_csv(catalog / "staatsangehoerigkeiten.csv")}
    if missing := sorted({*NATIONALITIES, EU2} - nats):
        raise ValueError(f"staatsangehoerigkeiten.csv: es fehlen {missing}")


def _write(path: Path, header: Sequence[str], rows: list[Sequence[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_example_data(data_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``raw/beispiel_bevoelkerung.csv`` and ``raw/beispiel_indikatoren.csv`` below ``data_dir``.

    Reads ``raw/hagen_veroeffentlichte_zahlen.csv`` and ``catalog/`` from the same ``data_dir``;
    returns the paths written. Deterministic: the same inputs and seed give byte-identical files.
    """
    data_dir = Path(data_dir)
    real = _read_csv(data_dir / "raw" / REAL_FILE)
    areas = _read_csv(data_dir / "catalog" / "gebiete.csv")
    source = f"Beispieldaten (erzeugt mit integrationsmonitor.example_data, Seed {seed})"

    cells = build_population(real, areas, seed)
    population_rows = [
        (d, _de_date(_year_end(y)), nat, age, sex, str(cells[(y, d, nat, age, sex)]), source, "ja")
        for y in YEARS
        for d in DISTRICTS
        for nat in sorted(NATIONALITIES)
        for age in AGE_CODES
        for sex in SEXES
    ]
    indicators = build_indicators(cells, seed)
    _check_catalog(data_dir, {row[0] for row in indicators})
    order = {ind: i for i, ind in enumerate(dict.fromkeys(row[0] for row in indicators))}
    area_order = {CITY: 0, **{d: i + 1 for i, d in enumerate(DISTRICTS)}}
    indicators.sort(key=lambda row: (order[row[0]], row[3], area_order[row[1]], row[2]))
    indicator_rows = [
        (ind, area, _de_date(day), nat, wert, z, n, source, hint, "ja")
        for ind, area, day, nat, wert, z, n, hint in indicators
    ]
    population_path = data_dir / "raw" / POPULATION_FILE
    indicator_path = data_dir / "raw" / INDICATOR_FILE
    _write(population_path, POPULATION_HEADER, population_rows)
    _write(indicator_path, INDICATOR_HEADER, indicator_rows)
    return [population_path, indicator_path]
