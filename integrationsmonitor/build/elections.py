"""Elections in the build: data/raw/wahlen/<folder>/ → turnout indicators, Stimmbezirk areas and geometries.

Each election's Stimmbezirke are an area set of their own (level ``stimmbezirk``, ids that contain the election,
parent = the Stadtbezirk of the city's Wahlgebietseinteilung). Indicators per kind of election are expanded from
the templates in catalog/indikatoren.yaml (``wahlart: vorlage``), so that only like is compared with like
(Kommunalwahl with Kommunalwahl) and a new kind of election needs no code change. Published results: never
suppressed, never combined with confidential counts (no numerator/denominator in ``observation``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from integrationsmonitor.ingest import geo, wahlen
from integrationsmonitor.ingest.catalog import Catalog
from integrationsmonitor.problems import Problem

CITY_ID = "05914000"
TEMPLATE_KEY = "wahlart"
TEMPLATE_VALUE = "vorlage"
TURNOUT = "wahlbeteiligung"
TURNOUT_URNE = "wahlbeteiligung_urne"
ELECTORATE = "wahlberechtigte"
STIMMBEZIRK_TOLERANCE_DEG = 0.0002
STIMMBEZIRK_ATTRIBUTION = "Stimmbezirksgrenzen: Stadt Hagen, über github.com/fhswf/wahlkarte (MPL-2.0)"


@dataclass
class ElectionInputs:
    elections: list[wahlen.Election] = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)
    areas: list[tuple] = field(default_factory=list)
    geometries: list[geo.GeoFeature] = field(default_factory=list)
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, shown as raw/wahlen/…)


def election_folders(data_dir: Path) -> list[Path]:
    root = data_dir / "raw" / "wahlen"
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")) if root.is_dir() else []


def district_maps(catalog: Catalog) -> tuple[dict[str, str], dict[str, str]]:
    """District number → area id, and every name/alias (casefolded) of a Stadtbezirk → area id."""
    codes = {a["amtlicher_schluessel"]: a["id"] for a in catalog.areas
             if a["ebene"] == "stadtbezirk" and a["amtlicher_schluessel"]}
    lookup = {k: v for k, v in catalog.area_lookup().items() if v in codes.values()}
    return codes, lookup


def read_elections(data_dir: Path, catalog: Catalog, district_features: list[geo.GeoFeature]) -> tuple[
        ElectionInputs, list[Problem]]:
    """Read every election folder under raw/wahlen/ and turn it into observations, areas and geometries."""
    codes, lookup = district_maps(catalog)
    shapes = {f.area_id: f.shape() for f in district_features if f.level == "stadtbezirk" and not f.schematic}
    result = ElectionInputs()
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for folder in election_folders(data_dir):
        shown = f"raw/wahlen/{folder.name}"
        found, folder_problems = wahlen.read_folder(folder, codes, lookup, shown, shapes)
        problems += folder_problems
        for election in found:
            if election.key in seen:
                problems.append(Problem(shown, None, None, f"{election.label} ist schon in {seen[election.key]} "
                                        "geliefert", "jede Wahl nur einmal unter raw/wahlen/"))
                continue
            seen[election.key] = shown
            result.elections.append(election)
            result.files += [(p, f"{shown}/{p.name}") for p in election.files]
    kinds = {e.kind: e.kind_label for e in result.elections}
    problems += expand_indicators(catalog, kinds)
    for election in result.elections:
        result.observations += observations(election)
        result.areas += stimmbezirk_areas(election)
        result.geometries += stimmbezirk_geometries(election)
    return result, problems


def indicator_id(base: str, kind: str) -> str:
    return f"{base}_{kind.replace('-', '_')}"


def expand_indicators(catalog: Catalog, kinds: Mapping[str, str]) -> list[Problem]:
    """Replace the template indicators by one indicator per kind of election present in the data."""
    templates = [i for i in catalog.indicators if str(i.get(TEMPLATE_KEY, "")) == TEMPLATE_VALUE]
    catalog.indicators[:] = [i for i in catalog.indicators if str(i.get(TEMPLATE_KEY, "")) != TEMPLATE_VALUE]
    missing = {TURNOUT, TURNOUT_URNE, ELECTORATE} - {t["id"] for t in templates}
    if kinds and missing:
        return [Problem("catalog/indikatoren.yaml", None, "wahlart", "Vorlage(n) für Wahlindikatoren fehlen: "
                        + ", ".join(sorted(missing)), f"Einträge mit {TEMPLATE_KEY}: {TEMPLATE_VALUE}")]
    for kind, label in sorted(kinds.items()):
        for template in templates:
            ind = copy.deepcopy(template)
            ind.pop(TEMPLATE_KEY, None)
            ind["id"] = indicator_id(template["id"], kind)
            ind["name"] = f"{template['name']} – {label}"
            ind["definition"] = f"{template['definition']} Wahl: {label}."
            catalog.indicators.append(ind)
    return []


DERIVED_FROM = "election_district"  # sums over the Wahlbezirke: traced via the table election_district


def _obs(indicator: str, area: str, election: wahlen.Election, value: float | None, note: str,
         approx: bool = False, bezirk: wahlen.Bezirk | None = None) -> dict:
    """One figure; a Stimmbezirk figure points at its row of the results file, a sum at election_district."""
    return {
        "indicator_id": indicator, "area_id": area, "period": election.date, "nationality": "_T",
        "value": None if value is None else round(value, 2), "numerator": None, "denominator": None,
        "source": f"{wahlen.SOURCE_NOTE}: {election.label}", "source_url": "", "note": note,
        "figure_id": None, "is_example": False, "is_approx": approx, "is_rounded": False,
        "date_uncertain": False, "file": bezirk.file if bezirk else DERIVED_FROM, "row": bezirk.row if bezirk else None,
    }


def observations(election: wahlen.Election) -> list[dict]:
    """Turnout (incl. postal where assignable), polling-station turnout and electorate: city, districts, Stimmbezirke."""
    kind = election.kind
    city, districts = wahlen.turnout(election, CITY_ID)
    split = {sb for shares in election.postal_shares.values() if len(shares) > 1 for sb in shares}
    rows = [
        _obs(indicator_id(TURNOUT, kind), CITY_ID, election, city.beteiligung, "Wählende einschließlich Briefwahl"),
        _obs(indicator_id(TURNOUT_URNE, kind), CITY_ID, election, city.beteiligung_urne,
             "nur Wählende in den Wahllokalen (ohne Briefwahl)"),
        _obs(indicator_id(ELECTORATE, kind), CITY_ID, election, city.wahlberechtigte, ""),
    ]
    for t in districts:
        if t.area_id == "?":
            continue
        if election.postal_assignable:
            rows.append(_obs(indicator_id(TURNOUT, kind), t.area_id, election, t.beteiligung, election.postal_note,
                             approx=t.area_id in split))
        rows.append(_obs(indicator_id(TURNOUT_URNE, kind), t.area_id, election, t.beteiligung_urne,
                         "nur Wählende in den Wahllokalen (ohne Briefwahl). " + election.postal_note))
        rows.append(_obs(indicator_id(ELECTORATE, kind), t.area_id, election, t.wahlberechtigte, ""))
    for b in election.urne():
        area = stimmbezirk_id(election, b.nr)
        rate = 100.0 * b.waehlende / b.wahlberechtigte if b.wahlberechtigte else None
        rows.append(_obs(indicator_id(TURNOUT_URNE, kind), area, election, rate,
                         "nur Wählende im Wahllokal (ohne Briefwahl)", bezirk=b))
        rows.append(_obs(indicator_id(ELECTORATE, kind), area, election, b.wahlberechtigte, "", bezirk=b))
    return rows


def stimmbezirk_id(election: wahlen.Election, nr: str) -> str:
    return f"{election.key}-{nr}"


def _name(election: wahlen.Election, b: wahlen.Bezirk) -> str:
    name = b.name.removeprefix("Stadt Hagen - ").strip()
    return name if name.startswith(b.nr) else f"{b.nr} {name}"


def stimmbezirk_areas(election: wahlen.Election) -> list[tuple]:
    """(id, level, name, parent, official code, note) of every Urnenwahlbezirk of the election."""
    return [(stimmbezirk_id(election, b.nr), "stimmbezirk", _name(election, b), b.stadtbezirk, b.nr,
             f"Stimmbezirk der {election.label}") for b in election.urne()]


def stimmbezirk_geometries(election: wahlen.Election) -> list[geo.GeoFeature]:
    """Stimmbezirk shapes of the election, simplified together (shared borders stay shared)."""
    numbers = [b.nr for b in election.urne() if b.nr in election.geometry]
    if not numbers:
        return []
    simplified = _simplify(np.array([election.geometry[n] for n in numbers], dtype=object))
    names = {b.nr: _name(election, b) for b in election.urne()}
    return [geo.GeoFeature(stimmbezirk_id(election, nr), "stimmbezirk", names[nr], geo.geometry_dict(shape_),
                           False, f"Stimmbezirke der {election.label}: {election.geometry_file}",
                           STIMMBEZIRK_ATTRIBUTION, "Mozilla Public License 2.0 (MPL-2.0)")
            for nr, shape_ in zip(numbers, simplified, strict=True) if not shape_.is_empty]


def _simplify(shapes: np.ndarray) -> list[BaseGeometry]:
    try:
        valid = bool(shapely.coverage_is_valid(shapes))
    except shapely.errors.GEOSException:
        valid = False
    out = shapely.coverage_simplify(shapes, STIMMBEZIRK_TOLERANCE_DEG) if valid else [
        g.simplify(STIMMBEZIRK_TOLERANCE_DEG, preserve_topology=True) for g in shapes]
    return [geo.finish(g) for g in out]


ELECTION_COLUMNS = ("id", "kind", "kind_label", "name", "election_date", "version", "postal_assignable",
                    "postal_note", "notes", "folder", "geometry_file", "stimmbezirke")


def election_rows(inputs: ElectionInputs) -> list[tuple]:
    return [(e.key, e.kind, e.kind_label, e.name, e.date, e.version, e.postal_assignable, e.postal_note,
             " ".join(e.notes), e.folder, e.geometry_file, len(e.urne())) for e in inputs.elections]


def district_rows(inputs: ElectionInputs) -> list[tuple]:
    """Electorate and voters of every Wahlbezirk as delivered (no party results)."""
    return [(e.key, b.nr, b.art, b.name, b.stadtbezirk, b.briefwahlbezirk, b.wahlberechtigte, b.waehlende,
             b.mit_wahlschein, stimmbezirk_id(e, b.nr) if b.art == "W" else None, b.file, b.row)
            for e in inputs.elections for b in e.bezirke]
