"""Benchmarks side by side — pure logic, no Streamlit: which figures are comparable, index, rank, sentences.

Rules (issue 8, "like with like only"):
- A *series* is one area × one measure × one source. Different sources (register, state statistics, police
  counts) are never merged into one series, even for the same area and date; they are drawn distinguishably.
- The measure is the indicator *and* its nationality group. A source-given sum of Romanians and Bulgarians
  (``RO+BG``) and a sum the build formed from RO and BG of the same source and date are the same measure
  ("EU-2-Summe"); a single nationality (RO or BG) is another measure and is never compared with a sum.
- Each value keeps its own date: nothing is interpolated. An index needs a *common base year* in which every
  series has a value (its first value of that year = 100); ranks need one common reference date.
- Rounded or approximate values are marked "ca.", values with an uncertain date are footnoted.

Adding a comparison city or figure needs no code change: deliver a CSV with the columns of
``data/raw/vergleichszahlen.csv`` into ``data/raw/`` (the area must exist in ``data/catalog/gebiete.csv``, by
name or alias) and rebuild; the views read every area of level ``land``, ``vergleichsstadt`` and ``kreis``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from integrationsmonitor import formatting as fmt
from integrationsmonitor.config import CITY_ID

EU2_SUM = "RO+BG"
EU2_MEASURE = "eu2_summe"

NATIONALITY_TEXT = {
    "RO": "rumänische Staatsangehörige",
    "BG": "bulgarische Staatsangehörige",
    EU2_SUM: "rumänische und bulgarische Staatsangehörige (Summe)",
    "_T": "Ausländer:innen insgesamt",
    "EU": "EU-Ausländer:innen",
}


def measure_of(indicator_id: str, nationality: str) -> str:
    """Measure key: indicator and nationality group; every RO+BG count is the one EU-2 sum measure."""
    if nationality == EU2_SUM and indicator_id in ("auslaender", "eu2_bestand"):
        return EU2_MEASURE
    return f"{indicator_id}:{nationality}"


@dataclass(frozen=True)
class Obs:
    """One published figure, as read from observation_public (real comparison rows)."""

    area_id: str
    area_name: str
    level: str
    indicator_id: str
    nationality: str
    period: dt.date
    value: float | None
    unit: str
    source: str
    is_approx: bool = False
    is_rounded: bool = False
    date_uncertain: bool = False
    is_derived: bool = False
    is_example: bool = False
    source_url: str = ""
    note: str = ""

    @property
    def measure(self) -> str:
        return measure_of(self.indicator_id, self.nationality)

    @property
    def approx(self) -> bool:
        """Shown with "ca.": rounded or approximate in the source."""
        return self.is_approx or self.is_rounded

    def text(self) -> str:
        """The value as shown: German format, "ca." where approximate."""
        return fmt.value_with_unit(self.value, self.unit, approx=self.approx, suppressed=self.value is None)


@dataclass(frozen=True)
class Series:
    """One area × measure × source, points in date order (never merged across sources)."""

    area_id: str
    area_name: str
    level: str
    measure: str
    source: str
    unit: str
    points: tuple[Obs, ...]

    @property
    def label(self) -> str:
        return f"{self.area_name} ({self.source})"

    def in_year(self, year: int) -> Obs | None:
        """The first value dated in ``year`` (each value keeps its own date)."""
        hits = [p for p in self.points if p.period.year == year and p.value is not None]
        return hits[0] if hits else None


def obs_from_records(records: Iterable[dict]) -> list[Obs]:
    """Obs from query rows (dicts with the column names of queries/vergleich_reihen.sql)."""
    out = []
    for r in records:
        period = r["period"]
        if isinstance(period, dt.datetime):
            period = period.date()
        elif hasattr(period, "to_pydatetime"):
            period = period.to_pydatetime().date()
        value = r.get("value")
        value = None if value is None or value != value else float(value)
        out.append(Obs(
            area_id=r["area_id"], area_name=r["area_name"], level=r["level"], indicator_id=r["indicator_id"],
            nationality=r["nationality"], period=period, value=value, unit=r.get("unit") or "",
            source=r["source"], is_approx=bool(r.get("is_approx")), is_rounded=bool(r.get("is_rounded")),
            date_uncertain=bool(r.get("date_uncertain")), is_derived=bool(r.get("is_derived")),
            is_example=bool(r.get("is_example")), source_url=r.get("source_url") or "", note=r.get("note") or "",
        ))
    return out


def build_series(rows: Iterable[Obs]) -> list[Series]:
    """Group figures into series by area, measure and source. Same date twice in one series: the figure
    the source gave itself wins over a sum the build formed."""
    groups: dict[tuple[str, str, str], dict[dt.date, Obs]] = {}
    for obs in rows:
        key = (obs.area_id, obs.measure, obs.source)
        by_date = groups.setdefault(key, {})
        old = by_date.get(obs.period)
        if old is None or (old.is_derived and not obs.is_derived):
            by_date[obs.period] = obs
    series = []
    for (area_id, measure, source), by_date in groups.items():
        points = tuple(by_date[d] for d in sorted(by_date))
        first = points[0]
        series.append(Series(area_id, first.area_name, first.level, measure, source, first.unit, points))
    return sorted(series, key=lambda s: (s.area_id != CITY_ID, s.area_name, s.source))


@dataclass
class Selection:
    """Series that may be drawn together, and the areas left out with the reason (a German sentence)."""

    measure: str
    series: list[Series]
    excluded: list[str] = field(default_factory=list)


def select_measure(series: Sequence[Series], measure: str) -> Selection:
    """Keep the series of one measure; say for every other area why it is not shown (e.g. only RO, no sum)."""
    chosen = [s for s in series if s.measure == measure]
    shown = {s.area_id for s in chosen}
    excluded = []
    for area_id in dict.fromkeys(s.area_id for s in series if s.area_id not in shown):
        others = [s for s in series if s.area_id == area_id]
        what = ", ".join(sorted({measure_label(s.measure) for s in others}))
        excluded.append(f"{others[0].area_name}: nur {what} veröffentlicht – nicht vergleichbar mit "
                        f"{measure_label(measure)}.")
    return Selection(measure, chosen, excluded)


def measure_label(measure: str) -> str:
    if measure == EU2_MEASURE:
        return NATIONALITY_TEXT[EU2_SUM]
    indicator, _, nationality = measure.partition(":")
    if indicator == "auslaender":
        return NATIONALITY_TEXT.get(nationality, f"Ausländer:innen ({nationality})")
    return indicator if nationality in ("", "_T") else f"{indicator} ({nationality})"


# --- index on a common base ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexPoint:
    series: Series
    obs: Obs
    index: float


@dataclass
class IndexResult:
    base_year: int | None
    points: list[IndexPoint]
    reason: str = ""  # why there is no index (base_year None)


def common_base_year(series: Sequence[Series]) -> int | None:
    """First year in which every series has a value; None if there is none."""
    if not series:
        return None
    years = [{p.period.year for p in s.points if p.value is not None} for s in series]
    common = set.intersection(*years)
    return min(common) if common else None


def index_on_common_base(series: Sequence[Series]) -> IndexResult:
    """Index = value / value in the base year × 100, for each series from its base value on.

    Only series with at least two values carry growth; the base year must hold a value for each of them.
    """
    growing = [s for s in series if sum(p.value is not None for p in s.points) >= 2]
    if len(growing) < 2:
        return IndexResult(None, [], "Kein Index: weniger als zwei Reihen mit mindestens zwei Werten derselben "
                                     "Quelle.")
    year = common_base_year(growing)
    if year is None:
        return IndexResult(None, [], "Kein Index: es gibt kein Jahr, in dem alle Reihen einen Wert haben.")
    points = []
    for s in growing:
        base = s.in_year(year)
        assert base is not None and base.value
        for p in s.points:
            if p.value is not None and p.period >= base.period:
                points.append(IndexPoint(s, p, round(100.0 * p.value / base.value, 1)))
    return IndexResult(year, points)


def index_sentence(result: IndexResult) -> str:
    """'Bezogen auf 2014 (= 100) erreichte …' — the last index value of every series, with its date."""
    if result.base_year is None:
        return result.reason
    parts = []
    for s in dict.fromkeys(p.series for p in result.points):
        last = [p for p in result.points if p.series is s][-1]
        ca = "ca. " if any(p.obs.approx for p in result.points if p.series is s) else ""
        parts.append(f"{s.label} {ca}{fmt.number(last.index, 1)} am {fmt.date(last.obs.period)}")
    return (f"Bezogen auf den jeweils ersten Wert im Jahr {result.base_year} (= 100) erreichte: "
            + "; ".join(parts) + ". Die Werte stehen an ihren eigenen Stichtagen, nichts ist interpoliert.")


# --- rank ---------------------------------------------------------------------------------------------------


@dataclass
class Rank:
    position: int | None  # 1 = highest; None when no rank is possible
    n: int
    sentence: str


def rank(values: Sequence[Obs], target_area_id: str, *, what: str, area_word: str = "Vergleichsgebieten") -> Rank:
    """Competition rank (ties share a place) of the target area among figures of one measure and one date."""
    usable = [v for v in values if v.value is not None]
    measures = {v.measure for v in usable}
    periods = {v.period for v in usable}
    target = next((v for v in usable if v.area_id == target_area_id), None)
    if target is None:
        return Rank(None, len(usable), "Kein Rang: für das gewählte Gebiet liegt kein Wert vor.")
    if len(measures) > 1:
        return Rank(None, len(usable), "Kein Rang: die Werte messen Verschiedenes.")
    if len(periods) > 1:
        dates = ", ".join(f"{v.area_name} {fmt.date(v.period)}" for v in usable)
        return Rank(None, len(usable), f"Kein Rang: die Werte haben verschiedene Stichtage ({dates}).")
    n = len(usable)
    position = 1 + sum(1 for v in usable if v.value > target.value)
    tied = sum(1 for v in usable if v.value == target.value) > 1
    if position == 1:
        place = "den höchsten"
    elif position == n or (tied and position + sum(v.value == target.value for v in usable) - 1 == n):
        place = "den niedrigsten"
    else:
        place = f"den {position}.-höchsten"
    if tied:
        place += " (gleichauf mit anderen)"
    ca = " Werte mit „ca.“ sind gerundet." if any(v.approx for v in usable) else ""
    sentence = (f"Mit {target.text()} hat {target.area_name} unter den {n} {area_word} {place} "
                f"{what}.{ca}")
    return Rank(position, n, sentence)


# --- change and growth sentences ---------------------------------------------------------------------------


def previous_year(series: Series, obs: Obs) -> Obs | None:
    """The figure of the same series exactly one year earlier (same day and month), if published."""
    try:
        target = obs.period.replace(year=obs.period.year - 1)
    except ValueError:  # 29 February
        target = obs.period.replace(year=obs.period.year - 1, day=28)
    return next((p for p in series.points if p.period == target and p.value is not None), None)


def change_percent(new: float, old: float) -> float | None:
    return None if not old else 100.0 * (new - old) / old


def latest_sentence(series: Series, place: str = "in Hagen") -> str:
    """'Am 31.12.2022 lebten 4.855 rumänische Staatsangehörige in Hagen (Quelle: IT.NRW …).' + change."""
    values = [p for p in series.points if p.value is not None]
    if not values:
        return f"Für {series.label} liegt kein Wert vor."
    last = values[-1]
    who = measure_label(series.measure)
    text = f"Am {fmt.date(last.period)} lebten {last.text()} {who} {place} (Quelle: {series.source})"
    prev = previous_year(series, last)
    if prev is not None:
        change = change_percent(last.value, prev.value)
        direction = "mehr" if change > 0 else "weniger"
        ca = "ca. " if (last.approx or prev.approx) else ""
        text += f", {ca}{fmt.number(abs(change), 1)} % {direction} als ein Jahr zuvor"
    if last.date_uncertain:
        text += "; der Stichtag ist nicht sicher belegt"
    return text + "."


def footnotes(obs: Iterable[Obs]) -> list[str]:
    """Footnotes for flags and sources of the figures shown."""
    obs = list(obs)
    notes = []
    if any(o.approx for o in obs):
        notes.append("ca. = in der Quelle gerundet oder ungefähr angegeben („rund“, „etwa“).")
    if any(o.date_uncertain for o in obs):
        notes.append("Stichtag unsicher: Die Quelle nennt den Stichtag nicht genau (z. B. Datum des "
                     "Zeitungsberichts oder erschlossenes Jahr) – markiert mit „*“.")
    if any(o.is_derived and o.measure == EU2_MEASURE for o in obs):
        notes.append("RO+BG: Summe aus den getrennt veröffentlichten Zahlen für Rumänien und Bulgarien "
                     "(gleiche Quelle, gleicher Stichtag).")
    sources = sorted({o.source for o in obs})
    if len(sources) > 1:
        notes.append("Verschiedene Quellen (Melderegister, Landesstatistik, Polizeizählungen) zählen "
                     "unterschiedlich; sie sind als getrennte Linien gezeichnet: " + "; ".join(sources) + ".")
    return notes


def stand_text(obs: Iterable[Obs]) -> str:
    """Stand for every area shown: 'Hagen 31.12.2022; Duisburg 01.02.2016 …'."""
    latest: dict[str, Obs] = {}
    for o in obs:
        if o.value is not None and (o.area_name not in latest or o.period > latest[o.area_name].period):
            latest[o.area_name] = o
    return "; ".join(f"{name} {fmt.date(o.period)}{'*' if o.date_uncertain else ''}"
                     for name, o in latest.items())
