"""Turn raw tables into typed records and check them: one function per rule, all problems collected."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from integrationsmonitor import formatting
from integrationsmonitor.config import COUNT_UNITS
from integrationsmonitor.ingest.catalog import Catalog
from integrationsmonitor.ingest.parsing import (
    CellError,
    check_text,
    parse_count,
    parse_date,
    parse_number,
    parse_yes_no,
)
from integrationsmonitor.ingest.readers import OBSERVATIONS, POPULATION, PUBLISHED, RawTable
from integrationsmonitor.problems import Problem

TOTAL = "_T"
SEXES = {"m", "w", "d", "x"}
MEASURE_TO_INDICATOR = {"einwohner": "einwohner", "auslaender": "auslaender"}
APPROX_WORDS = ("APPROXIMATE", "ROUNDED", "etwa", "rund ", "ca.", "circa")
DATE_WORDS = ("YEAR INFERRED", "DATE IS THE ARTICLE", "day not given", "Stand Mitte", "Tag nicht")

Record = dict
Rule = Callable[[list[Record], Catalog], list[Problem]]


# ----------------------------------------------------------------------------- rows → records
def records_from_table(table: RawTable, cat: Catalog, today: dt.date) -> tuple[str, list[Record], list[Problem]]:
    """Parse every row of a table; returns (kind, records, problems). kind is 'observation' or 'population'."""
    cat = _Lookups(cat)  # type: ignore[assignment] - same attributes, computed once per table instead of per row
    if table.format is POPULATION:
        return "population", *_collect(table, lambda n, c: _population_record(table, n, c, cat, today))
    if table.format is OBSERVATIONS:
        return "observation", *_collect(table, lambda n, c: _observation_record(table, n, c, cat, today))
    if table.format is PUBLISHED:
        return "observation", *_collect(table, lambda n, c: _published_record(table, n, c, cat, today))
    raise ValueError(table.format.name)


class _Lookups:
    """The catalogue lookups the row parsers use, computed once per table (per row they cost O(areas))."""

    def __init__(self, cat: Catalog):
        self._areas = cat.area_lookup()
        self.areas = cat.areas
        self.indicators = cat.indicators
        self.indicator_ids = cat.indicator_ids
        self.nationality_codes = cat.nationality_codes
        self.age_group_codes = cat.age_group_codes
        self.units = {i["id"]: i["einheit"] for i in cat.indicators}

    def area_lookup(self) -> dict[str, str]:
        return self._areas


def _collect(table: RawTable, convert) -> tuple[list[Record], list[Problem]]:
    records, problems = [], []
    for line_no, cells in table.rows:
        record, row_problems = convert(line_no, cells)
        problems += row_problems
        if record is not None and not row_problems:
            records.append(record)
    return records, problems


class _Cells:
    """Reads typed cells of one row and remembers every problem with its column."""

    def __init__(self, table: RawTable, line_no: int, cells: dict[str, str]):
        self.table, self.line_no, self.cells = table, line_no, cells
        self.problems: list[Problem] = []

    def get(self, column: str, parse: Callable[[str], object], required: bool = True):
        text = self.cells.get(column, "")
        if not text.strip():
            if required:
                self.problems.append(Problem(self.table.file, self.line_no, column, "Wert fehlt", "ein Wert"))
            return None
        try:
            return parse(text)
        except CellError as exc:
            self.problems.append(Problem(self.table.file, self.line_no, column, str(exc), exc.expected))
            return None

    def code(self, column: str, known: dict[str, str] | set[str], what: str, example: str, default: str | None = None):
        text = self.cells.get(column, "").strip()
        if not text and default is not None:
            return default
        key = text.casefold() if isinstance(known, dict) else text
        if isinstance(known, dict) and key in known:
            return known[key]
        if isinstance(known, set) and text in known:
            return text
        self.problems.append(Problem(self.table.file, self.line_no, column, f"unbekannte(r) {what} {text!r}", example))
        return None

    def text(self, column: str) -> str:
        return self.get(column, check_text, required=False) or ""


def _area_codes(cat: Catalog) -> dict[str, str]:
    return cat.area_lookup()


def _nationality(c: _Cells, cat: Catalog, column: str) -> str | None:
    return c.code(column, cat.nationality_codes, "Staatsangehörigkeit", "ISO-3166-Code wie RO, BG, DE oder _T", TOTAL)


def _population_record(table, line_no, cells, cat: Catalog, today) -> tuple[Record | None, list[Problem]]:
    c = _Cells(table, line_no, cells)
    dec = table.format.decimal
    rec = {
        "area_id": c.code("gebiet", _area_codes(cat), "Gebiet", "ein Gebiet aus gebiete.csv, z. B. SB1 oder Haspe"),
        "period": c.get("stichtag", lambda s: parse_date(s, today)),
        "nationality": _nationality(c, cat, "staatsangehoerigkeit"),
        "age_group": c.code("altersgruppe", cat.age_group_codes, "Altersgruppe", ", ".join(sorted(cat.age_group_codes))),
        "sex": c.code("geschlecht", SEXES, "Geschlecht", "m, w, d oder x"),
        "persons": c.get("personen", lambda s: parse_count(s, dec)),
        "source": c.text("quelle") or "unbekannt",
        "is_example": c.get("beispieldaten", parse_yes_no, required=False) or False,
        "file": table.file,
        "row": line_no,
    }
    _check_percent_cell(c, "personen", "Personen")
    return rec, c.problems


def _observation_record(table, line_no, cells, cat: Catalog, today) -> tuple[Record | None, list[Problem]]:
    c = _Cells(table, line_no, cells)
    dec = table.format.decimal
    note = c.text("hinweis")
    rec = {
        "indicator_id": c.code("indikator", cat.indicator_ids, "Indikator-ID", "eine ID aus indikatoren.yaml"),
        "area_id": c.code("gebiet", _area_codes(cat), "Gebiet", "ein Gebiet aus gebiete.csv, z. B. SB1 oder Haspe"),
        "period": c.get("stichtag", lambda s: parse_date(s, today)),
        "nationality": _nationality(c, cat, "staatsangehoerigkeit"),
        "value": c.get("wert", lambda s: parse_number(s, dec)),
        "value_column": "wert",
        "numerator": c.get("zaehler", lambda s: parse_count(s, dec), required=False),
        "denominator": c.get("nenner", lambda s: parse_count(s, dec), required=False),
        "source": c.text("quelle"),
        "source_url": "",
        "note": note,
        "figure_id": "",
        "is_example": c.get("beispieldaten", parse_yes_no, required=False) or False,
        **_note_flags(note),
        "file": table.file,
        "row": line_no,
    }
    if not rec["source"]:
        c.problems.append(Problem(table.file, line_no, "quelle", "Quelle fehlt", "Name der Quelle"))
    unit = cat.units.get(rec["indicator_id"] or "", "")
    _check_percent_cell(c, "wert", unit)
    _check_whole_count(c, "wert", unit, dec)
    return rec, c.problems


def _published_record(table, line_no, cells, cat: Catalog, today) -> tuple[Record | None, list[Problem]]:
    c = _Cells(table, line_no, cells)
    measures = {**MEASURE_TO_INDICATOR, **{i: i for i in cat.indicator_ids}}
    note = c.text("note")
    unit = c.text("unit")
    rec = {
        "indicator_id": c.code("measure", measures, "Merkmal", "einwohner, auslaender oder eine Indikator-ID"),
        "area_id": c.code("area", _area_codes(cat), "Gebiet", "ein Gebiet aus gebiete.csv, z. B. Hagen oder NRW"),
        "period": c.get("period", lambda s: parse_date(s, today)),
        "nationality": _nationality(c, cat, "nationality"),
        "value": c.get("value", lambda s: parse_number(s, table.format.decimal)),
        "value_column": "value",
        "numerator": None,
        "denominator": None,
        "source": c.text("source_kind"),
        "source_url": c.text("source_url"),
        "note": note,
        "figure_id": c.text("figure_id"),
        "is_example": False,
        **_note_flags(note),
        "file": table.file,
        "row": line_no,
    }
    if rec["value"] is not None and unit in COUNT_UNITS and rec["value"] < 0:
        c.problems.append(Problem(table.file, line_no, "value", f"negative Anzahl {rec['value']:g}", "eine Anzahl ≥ 0"))
    if not rec["figure_id"]:
        c.problems.append(Problem(table.file, line_no, "figure_id", "Kennung fehlt", "eindeutige Kennung je Zahl"))
    if not rec["source"]:
        c.problems.append(Problem(table.file, line_no, "source_kind", "Quelle fehlt", "Name der Quelle"))
    if rec["source_url"] and not URL.match(rec["source_url"]):
        c.problems.append(Problem(table.file, line_no, "source_url", f"keine Web-Adresse: {rec['source_url'][:60]!r}",
                                  "eine Adresse mit http:// oder https://, z. B. https://www.hagen.de/…"))
    count_unit = unit if unit in COUNT_UNITS else cat.units.get(rec["indicator_id"] or "", unit)
    _check_percent_cell(c, "value", count_unit)
    _check_whole_count(c, "value", count_unit, table.format.decimal)
    return rec, c.problems


URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?([/?#]\S*)?$")
THOUSANDS_POINT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def _check_whole_count(c: _Cells, column: str, unit: str, decimal: str) -> None:
    """A count (persons, schools, …) is a whole number; '4.955' in the point format is a thousands separator."""
    text = c.cells.get(column, "").strip()
    if unit not in COUNT_UNITS or not text or any(p.column == column for p in c.problems):
        return
    try:
        value = parse_number(text, decimal)
    except CellError:
        return
    if value.is_integer():
        return
    if decimal == "." and THOUSANDS_POINT.match(text):
        message = (f"Anzahl ({unit}) mit Nachkommastellen {text!r} – vermutlich ein Tausenderpunkt "
                   f"(gemeint {text.replace('.', '')}?)")
        expected = f"eine ganze Zahl ohne Tausendertrennzeichen, z. B. {text.replace('.', '')}"
    else:
        message = f"Anzahl ({unit}) mit Nachkommastellen {text!r}"
        expected = "eine ganze Zahl" + (" ohne Tausendertrennzeichen (Format mit Dezimalpunkt)" if decimal == "." else "")
    c.problems.append(Problem(c.table.file, c.line_no, column, message, expected))


def _check_percent_cell(c: _Cells, column: str, unit: str) -> None:
    """An Excel cell formatted as percent holds a fraction (0,241 shown as 24,1 %): the reader has multiplied by
    100; that is right only where the figure is a percentage."""
    if (c.line_no, column) in c.table.percent_cells and unit != "%":
        c.problems.append(Problem(c.table.file, c.line_no, column,
                                  f"Excel-Zelle im Prozentformat ({c.cells.get(column, '')} %), aber die Einheit ist "
                                  f"{unit or 'keine Prozentangabe'}", "eine Zahl ohne Prozentformat"))


def _note_flags(note: str) -> dict[str, bool]:
    return {
        "is_approx": any(w.casefold() in note.casefold() for w in APPROX_WORDS if w != "ROUNDED"),
        "is_rounded": "ROUNDED" in note or "gerundet" in note.casefold(),
        "date_uncertain": any(w.casefold() in note.casefold() for w in DATE_WORDS),
    }


def apply_figure_flags(records: Iterable[Record], cat: Catalog) -> None:
    """Caveats named per figure in kennzeichnungen.csv (e.g. IT.NRW 2022 rounded to 5)."""
    flags = defaultdict(set)
    for row in cat.figure_flags:
        flags[row["figure_id"]].add(row["kennzeichen"])
    column = {"gerundet": "is_rounded", "ca": "is_approx", "datum_unsicher": "date_uncertain"}
    for rec in records:
        for flag in flags.get(rec.get("figure_id", ""), ()):
            rec[column[flag]] = True


# ----------------------------------------------------------------------------- rules over records
def _duplicate_keys(records: list[Record], fields: tuple[str, ...], label: str) -> list[Problem]:
    """A problem for every record whose key repeats an earlier one, naming where the first one is."""
    seen: dict[tuple, Record] = {}
    problems = []
    for rec in records:
        key = tuple(rec[f] for f in fields)
        first = seen.setdefault(key, rec)
        if first is not rec:
            problems.append(Problem(rec["file"], rec["row"], None, f"doppelter Schlüssel ({label}) – schon in "
                                    f"{first['file']} Zeile {first['row']}", "jede Kombination nur einmal"))
    return problems


def rule_unique_observation_key(records: list[Record], cat: Catalog) -> list[Problem]:
    """One value per indicator, area, date, nationality and source."""
    return _duplicate_keys(records, ("indicator_id", "area_id", "period", "nationality", "source"),
                           "Indikator, Gebiet, Stichtag, Staatsangehörigkeit, Quelle")


def rule_unique_figure_id(records: list[Record], cat: Catalog) -> list[Problem]:
    seen: dict[str, Record] = {}
    problems = []
    for rec in records:
        fid = rec.get("figure_id")
        if not fid:
            continue
        if fid in seen:
            problems.append(Problem(rec["file"], rec["row"], "figure_id",
                                    f"Kennung {fid!r} schon in {seen[fid]['file']} Zeile {seen[fid]['row']}",
                                    "eindeutige Kennung je Zahl"))
        else:
            seen[fid] = rec
    return problems


def rule_example_never_replaces_real(records: list[Record], cat: Catalog) -> list[Problem]:
    """An example value may not sit on the key of a real one (real data come first)."""
    real = {(r["indicator_id"], r["area_id"], r["period"], r["nationality"]) for r in records if not r["is_example"]}
    return [
        Problem(r["file"], r["row"], "beispieldaten",
                "Beispielwert für Indikator, Gebiet, Stichtag und Staatsangehörigkeit, für die eine echte Zahl vorliegt",
                "Beispieldaten nur, wo keine echte Zahl existiert")
        for r in records
        if r["is_example"] and (r["indicator_id"], r["area_id"], r["period"], r["nationality"]) in real
    ]


def rule_counts_not_negative(records: list[Record], cat: Catalog) -> list[Problem]:
    count_ids = {i["id"] for i in cat.indicators if i["einheit"] in COUNT_UNITS}
    return [
        Problem(r["file"], r["row"], r["value_column"],
                f"negative Anzahl {r['value']:g} für {r['indicator_id']}", "eine Anzahl ≥ 0")
        for r in records
        if r["indicator_id"] in count_ids and r["value"] is not None and r["value"] < 0
    ]


def rule_shares_in_range(records: list[Record], cat: Catalog) -> list[Problem]:
    pct_ids = {i["id"] for i in cat.indicators if i["einheit"] == "%"}
    return [
        Problem(r["file"], r["row"], r["value_column"], f"Anteil {r['value']:g} % liegt außerhalb von 0 bis 100", "0 bis 100")
        for r in records
        if r["indicator_id"] in pct_ids and r["value"] is not None and not 0 <= r["value"] <= 100
    ]


def rule_numerator_not_above_denominator(records: list[Record], cat: Catalog) -> list[Problem]:
    problems = []
    for r in records:
        num, den = r.get("numerator"), r.get("denominator")
        if num is not None and den is not None:
            if num > den:
                problems.append(Problem(r["file"], r["row"], "zaehler", f"Zähler {num} größer als Nenner {den}",
                                        "Teil ≤ Gesamtheit"))
            elif den > 0 and abs(100 * num / den - r["value"]) > 0.051:
                problems.append(Problem(r["file"], r["row"], "wert",
                                        f"Wert {r['value']:g} passt nicht zu Zähler/Nenner ({100 * num / den:.1f} %)",
                                        "wert = 100 × zaehler / nenner (auf eine Nachkommastelle)"))
    return problems


def rule_parts_not_above_totals(records: list[Record], cat: Catalog) -> list[Problem]:
    """A nationality ≤ all foreigners; foreigners ≤ residents; a district ≤ its city (same date and source)."""
    value = {}
    for r in records:
        value[(r["indicator_id"], r["area_id"], r["period"], r["nationality"], r["source"])] = r
    parent = {a["id"]: a["uebergeordnet"] for a in cat.areas}
    problems = []
    for (ind, area, period, nat, src), r in value.items():
        checks = []
        if ind == "auslaender" and nat != TOTAL:
            checks.append((("auslaender", area, period, TOTAL, src), "alle Ausländer:innen"))
        if ind == "auslaender" and nat == TOTAL:
            checks.append((("einwohner", area, period, TOTAL, src), "alle Einwohner:innen"))
        if ind in {"einwohner", "auslaender"} and parent.get(area):
            checks.append(((ind, parent[area], period, nat, src), "die übergeordnete Einheit"))
        for key, label in checks:
            total = value.get(key)
            if total is not None and r["value"] > total["value"] and not (total["is_approx"] or r["is_approx"]):
                problems.append(
                    Problem(r["file"], r["row"], r["value_column"],
                            f"Teil {r['value']:g} größer als Summe {total['value']:g} ({label}, "
                            f"{total['file']} Zeile {total['row']})", "Teil ≤ Gesamtheit")
                )
    return problems


def rule_unique_population_key(records: list[Record], cat: Catalog) -> list[Problem]:
    return _duplicate_keys(records, ("area_id", "period", "nationality", "age_group", "sex"),
                           "Gebiet, Stichtag, Staatsangehörigkeit, Alter, Geschlecht")


def rule_population_no_aggregates(records: list[Record], cat: Catalog) -> list[Problem]:
    """Population cells are base cells: totals and sums are derived, never delivered."""
    aggregates = {n["code"] for n in cat.nationalities if n["art"] == "aggregat"} - {"XX"}
    return [
        Problem(r["file"], r["row"], "staatsangehoerigkeit", f"Summencode {r['nationality']!r} in Grunddaten",
                "einzelne Staatsangehörigkeit (ISO-Code) oder XX für übrige")
        for r in records if r["nationality"] in aggregates
    ]


def rule_population_complete_per_date(records: list[Record], cat: Catalog) -> list[Problem]:
    """Every Stichtag has every cell (area × nationality × age group × sex) the Stichtag before it had: a delivery
    with only some nationalities for a new date would otherwise become the city's total population."""
    cells: dict[dt.date, set[tuple]] = defaultdict(set)
    first: dict[dt.date, Record] = {}
    for r in records:
        cells[r["period"]].add((r["area_id"], r["nationality"], r["age_group"], r["sex"]))
        first.setdefault(r["period"], r)
    problems = []
    periods = sorted(cells)
    for before, after in zip(periods, periods[1:], strict=False):
        missing = sorted(cells[before] - cells[after])
        if missing:
            example = ", ".join(" · ".join(cell) for cell in missing[:3])
            rec = first[after]
            problems.append(Problem(
                rec["file"], rec["row"], None,
                f"Bevölkerung am {after:%d.%m.%Y} unvollständig: {formatting.number(len(missing))} von "
                f"{formatting.number(len(cells[before]))} Zellen des Stichtags {before:%d.%m.%Y} fehlen (z. B. {example})",
                "jede Kombination aus Gebiet, Staatsangehörigkeit, Altersgruppe und Geschlecht des vorigen Stichtags "
                "(auch mit 0 Personen)"))
    return problems


OBSERVATION_RULES: tuple[Rule, ...] = (
    rule_unique_observation_key,
    rule_unique_figure_id,
    rule_example_never_replaces_real,
    rule_counts_not_negative,
    rule_shares_in_range,
    rule_numerator_not_above_denominator,
    rule_parts_not_above_totals,
)
POPULATION_RULES: tuple[Rule, ...] = (rule_unique_population_key, rule_population_no_aggregates,
                                      rule_population_complete_per_date)


def check_all(observations: list[Record], population: list[Record], cat: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    for rule in OBSERVATION_RULES:
        problems += rule(observations, cat)
    for rule in POPULATION_RULES:
        problems += rule(population, cat)
    return problems
