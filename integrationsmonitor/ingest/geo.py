"""Geometries for Hagen's maps: the official city outline and the five Stadtbezirke.

Real Stadtbezirk boundaries are read from ``hagen_stadtbezirke.geojson`` (joined on the city's district number
``Bez_Nr``, never on the name) and checked against the city outline; only without that file a
schematic layout is generated (Voronoi cells of approximate district centroids, clipped to the
official city outline). Every defect in the inputs is reported as a :class:`Problem`.
No streamlit import here; plain Python + shapely + numpy.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import voronoi_diagram

from integrationsmonitor.config import CITY_ID
from integrationsmonitor.problems import Problem

SCHEMATIC_LABEL = "Schematische Darstellung – keine amtlichen Grenzen"

CITY_FILE = "hagen_stadt.geojson"
DISTRICT_FILE = "hagen_stadtbezirke.geojson"
NUMBER_PROPERTY = "Bez_Nr"  # the city's own district number (1 Hagen-Mitte … 5 Haspe)
UNION_TOLERANCE = 0.03  # union of the districts vs. city outline: symmetric difference ≤ 3 % of the outline
OVERLAP_TOLERANCE = 0.001  # two districts may share at most 0,1 % of the smaller one's area
SCHEMATIC_FILE = "stadtbezirke_schematisch.csv"
NO_ATTRIBUTION = "Quelle nicht angegeben"
NO_LICENCE = "Lizenz nicht angegeben"
GRID = 1e-5  # output precision in degrees (~1 m); coordinates are snapped to this grid

_PROJECT_ROOT = Path(__file__).resolve().parents[2]

# --- ETRS89 / UTM zone 32N (EPSG:25832) -> geographic (EPSG:4326) -----------------------------

_A = 6378137.0  # GRS80 semi-major axis
_F = 1 / 298.257222101  # GRS80 flattening
_K0 = 0.9996
_LON0 = math.radians(9.0)  # central meridian of zone 32
_FALSE_EASTING = 500000.0


def utm32_to_lonlat(easting: Any, northing: Any) -> tuple[np.ndarray, np.ndarray]:
    """Inverse transverse Mercator (Snyder 1987, eq. 8-18..8-25) for EPSG:25832.

    Accepts scalars or arrays; returns (lon, lat) in degrees. Error well below 1 mm within
    the zone (|lon - 9°| <= 3°), far below the 1 m needed here.
    """
    e_arr = np.asarray(easting, dtype=float)
    n_arr = np.asarray(northing, dtype=float)
    e2 = _F * (2 - _F)
    ep2 = e2 / (1 - e2)
    mu = (n_arr / _K0) / (_A * (1 - e2 / 4 - 3 * e2**2 / 64 - 5 * e2**3 / 256))
    e1 = (1 - math.sqrt(1 - e2)) / (1 + math.sqrt(1 - e2))
    phi1 = (
        mu
        + (3 * e1 / 2 - 27 * e1**3 / 32) * np.sin(2 * mu)
        + (21 * e1**2 / 16 - 55 * e1**4 / 32) * np.sin(4 * mu)
        + (151 * e1**3 / 96) * np.sin(6 * mu)
        + (1097 * e1**4 / 512) * np.sin(8 * mu)
    )
    sin1, cos1, tan1 = np.sin(phi1), np.cos(phi1), np.tan(phi1)
    c1 = ep2 * cos1**2
    t1 = tan1**2
    n1 = _A / np.sqrt(1 - e2 * sin1**2)
    r1 = _A * (1 - e2) / (1 - e2 * sin1**2) ** 1.5
    d = (e_arr - _FALSE_EASTING) / (n1 * _K0)
    lat = phi1 - (n1 * tan1 / r1) * (
        d**2 / 2
        - (5 + 3 * t1 + 10 * c1 - 4 * c1**2 - 9 * ep2) * d**4 / 24
        + (61 + 90 * t1 + 298 * c1 + 45 * t1**2 - 252 * ep2 - 3 * c1**2) * d**6 / 720
    )
    lon = (
        _LON0
        + (
            d
            - (1 + 2 * t1 + c1) * d**3 / 6
            + (5 - 2 * c1 + 28 * t1 - 3 * c1**2 + 8 * ep2 + 24 * t1**2) * d**5 / 120
        )
        / cos1
    )
    return np.degrees(lon), np.degrees(lat)


def _reproject_25832(geom: BaseGeometry) -> BaseGeometry:
    """Transform a shapely geometry from EPSG:25832 to EPSG:4326."""

    def _xy(coords: np.ndarray) -> np.ndarray:
        lon, lat = utm32_to_lonlat(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, _xy)


# --- public data types -------------------------------------------------------------------------


@dataclass(frozen=True)
class GeoFeature:
    """One map area with its geometry (EPSG:4326, GeoJSON dict) and provenance."""

    area_id: str
    level: str  # "stadt" | "stadtbezirk"
    name: str
    geometry: dict
    schematic: bool
    source: str
    attribution: str
    licence: str

    def shape(self) -> BaseGeometry:
        """The geometry as a shapely object."""
        return shape(self.geometry)


@dataclass
class GeoResult:
    """Loaded features (city first, then districts in ``district_names`` order) and all problems."""

    features: list[GeoFeature] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- helpers -----------------------------------------------------------------------------------


def _display_path(path: Path) -> str:
    """Path as shown to people: relative to the project root if possible."""
    try:
        return path.resolve().relative_to(_PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def _round_coords(obj: Any) -> Any:
    """Round nested coordinate lists to 5 decimals; tuples become lists (JSON-like)."""
    if isinstance(obj, (list, tuple)):
        return [_round_coords(item) for item in obj]
    return round(float(obj), 5) + 0.0  # + 0.0 turns -0.0 into 0.0


def _geometry_dict(geom: BaseGeometry) -> dict:
    """GeoJSON geometry dict with coordinates rounded to 5 decimals."""
    geo = mapping(geom)
    return {"type": geo["type"], "coordinates": _round_coords(geo["coordinates"])}


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygonal parts of a geometry (e.g. after make_valid/intersection)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _finish(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the 1e-5° output grid (keeps validity, shared edges stay shared), polygons only."""
    snapped = _polygonal(shapely.set_precision(geom, GRID))
    return shapely.normalize(snapped)


def _norm_name(text: str) -> str:
    """Case- and whitespace-insensitive key for comparing district names."""
    return re.sub(r"\s+", "", str(text)).casefold()


def _known(district_names: Mapping[str, str]) -> str:
    """Human-readable list of known district ids and names."""
    return ", ".join(f"{k} ({v})" for k, v in district_names.items())


def _read_json(path: Path, shown: str, problems: list[Problem]) -> dict | None:
    """Parse a GeoJSON FeatureCollection; report unreadable or malformed files."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, None, None, f"Datei nicht lesbar: {exc}", "UTF-8-GeoJSON"))
        return None
    except json.JSONDecodeError as exc:
        problems.append(Problem(shown, exc.lineno, None, f"kein gültiges JSON: {exc.msg}", "GeoJSON"))
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(
            Problem(shown, None, None, "keine GeoJSON-FeatureCollection", '"type": "FeatureCollection"')
        )
        return None
    if not isinstance(data.get("features"), list):
        problems.append(Problem(shown, None, None, 'Mitglied "features" fehlt oder ist keine Liste', "Liste"))
        return None
    return data


# --- city outline ------------------------------------------------------------------------------


def _load_city(geo_dir: Path, tolerance: float, problems: list[Problem]) -> GeoFeature | None:
    """Read and simplify the official city outline (level "stadt")."""
    path = geo_dir / CITY_FILE
    shown = _display_path(path)
    if not path.exists():
        problems.append(
            Problem(shown, None, None, "Datei mit der Stadtgrenze fehlt", "GeoJSON der Stadt Hagen")
        )
        return None
    data = _read_json(path, shown, problems)
    if data is None:
        return None
    polys = []
    for index, feat in enumerate(data["features"]):
        geom = _feature_geometry(feat, shown, index, problems)
        if geom is not None:
            polys.append(geom)
    if not polys:
        problems.append(
            Problem(shown, None, None, "keine Flächengeometrie für die Stadtgrenze", "ein Polygon")
        )
        return None
    outline = _finish(shapely.union_all(polys).simplify(tolerance, preserve_topology=True))
    attribution = _text_member(data, ("attribution",))
    if not attribution:
        problems.append(
            Problem(shown, None, "attribution", "Quellenangabe fehlt", "Namensnennung der Quelle")
        )
    feature = GeoFeature(
        area_id=CITY_ID,
        level="stadt",
        name="Hagen",
        geometry=_geometry_dict(outline),
        schematic=False,
        source=f"Amtliche Stadtgrenze Hagen ({shown}), für die Kartendarstellung vereinfacht",
        attribution=attribution or NO_ATTRIBUTION,
        licence=_text_member(data, ("license", "licence")) or NO_LICENCE,
    )
    return feature


def _text_member(data: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """First non-empty string among the given top-level keys."""
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _feature_geometry(feat: Any, shown: str, index: int, problems: list[Problem]) -> BaseGeometry | None:
    """Shapely polygon(s) of one feature, repaired if possible; None (and a Problem) otherwise."""
    row = index + 1
    geo = feat.get("geometry") if isinstance(feat, dict) else None
    if not isinstance(geo, dict):
        problems.append(
            Problem(shown, row, "geometry", f"Feature {row}: Geometrie fehlt", "Polygon/MultiPolygon")
        )
        return None
    if geo.get("type") not in ("Polygon", "MultiPolygon"):
        problems.append(
            Problem(
                shown,
                row,
                "geometry",
                f"Feature {row}: Geometrietyp {geo.get('type')!r} ist keine Fläche",
                "Polygon/MultiPolygon",
            )
        )
        return None
    try:
        geom = shape(geo)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        problems.append(
            Problem(
                shown,
                row,
                "geometry",
                f"Feature {row}: Geometrie nicht lesbar ({exc})",
                "gültige GeoJSON-Koordinaten",
            )
        )
        return None
    if geom.is_empty:
        problems.append(Problem(shown, row, "geometry", f"Feature {row}: Geometrie ist leer", "Fläche"))
        return None
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        geom = _polygonal(shapely.make_valid(geom))
        if geom.is_empty or not geom.is_valid:
            problems.append(
                Problem(
                    shown,
                    row,
                    "geometry",
                    f"Feature {row}: ungültige Geometrie, nicht reparierbar ({reason})",
                    "gültiges Polygon",
                )
            )
            return None
    return geom


# --- real Stadtbezirke -------------------------------------------------------------------------

_ACCEPTED_CRS = "CRS84, EPSG:4326 oder EPSG:25832"


def _crs_code(data: Mapping[str, Any], shown: str, problems: list[Problem]) -> int | None:
    """EPSG code from the top-level ``crs`` member (absent = 4326); None if unsupported."""
    crs = data.get("crs")
    if crs is None:
        return 4326
    props = crs.get("properties", {}) if isinstance(crs, dict) else {}
    props = props if isinstance(props, dict) else {}
    text = str(props.get("name") or props.get("code") or "")
    if text.upper().endswith("CRS84"):
        return 4326
    match = re.search(r"EPSG.*?(\d+)\s*$", text.upper()) or re.fullmatch(r"\s*(\d+)\s*", text)
    code = int(match.group(1)) if match else None
    if code in (4326, 25832):
        return code
    problems.append(
        Problem(
            shown, None, "crs", f"Koordinatensystem {text or crs!r} wird nicht unterstützt", _ACCEPTED_CRS
        )
    )
    return None


def _looks_projected(geom: BaseGeometry) -> bool:
    """True if coordinates are clearly not degrees."""
    minx, miny, maxx, maxy = geom.bounds
    return max(abs(minx), abs(miny), abs(maxx), abs(maxy)) > 1000


def _match_district(
    props: Mapping[str, Any], district_names: Mapping[str, str], codes: Mapping[str, str], shown: str, row: int,
    problems: list[Problem],
) -> tuple[str | None, str]:
    """District id of a feature via its number ``Bez_Nr`` (or the area id ``gebiet``), never via the name.

    Returns (area id or None, the property that was used); a Problem if the key is missing or unknown.
    """
    known = ", ".join(f"{code} ({district_names[area]})" for code, area in codes.items()) or _known(district_names)
    number = props.get(NUMBER_PROPERTY)
    if number not in (None, ""):
        key = str(number).strip()
        key = key[:-2] if key.endswith(".0") else key  # a number written as 4.0
        if key in codes:
            return codes[key], NUMBER_PROPERTY
        problems.append(Problem(shown, row, NUMBER_PROPERTY,
                                f"Feature {row}: unbekannte Stadtbezirksnummer {number!r}", known))
        return None, NUMBER_PROPERTY
    gebiet = props.get("gebiet")
    if gebiet not in (None, ""):
        if str(gebiet).strip() in district_names:
            return str(gebiet).strip(), "gebiet"
        problems.append(
            Problem(shown, row, "gebiet", f"Feature {row}: unbekannter Stadtbezirk {gebiet!r}",
                    _known(district_names))
        )
        return None, "gebiet"
    name = props.get("BEZEICHNUN") or props.get("name")
    hint = f" (Name {name!r} wird nicht zur Zuordnung verwendet)" if name else ""
    problems.append(
        Problem(
            shown, row, NUMBER_PROPERTY,
            f'Feature {row}: Eigenschaft "{NUMBER_PROPERTY}" fehlt{hint}',
            f"Stadtbezirksnummer, eine von {known}",
        )
    )
    return None, NUMBER_PROPERTY


@dataclass(frozen=True)
class Provenance:
    """Attribution and licence of a geometry file when the file itself does not carry them (quellen.csv)."""

    attribution: str = ""
    licence: str = ""
    source: str = ""


def _load_real_districts(
    path: Path,
    district_names: Mapping[str, str],
    codes: Mapping[str, str],
    city: BaseGeometry | None,
    tolerance: float,
    provenance: Provenance,
    problems: list[Problem],
) -> list[GeoFeature]:
    """Read real Stadtbezirk boundaries, reproject, check against the city outline and simplify them."""
    shown = _display_path(path)
    data = _read_json(path, shown, problems)
    if data is None:
        return []
    epsg = _crs_code(data, shown, problems)
    if epsg is None:
        return []
    geoms: dict[str, BaseGeometry] = {}
    for index, feat in enumerate(data["features"]):
        row = index + 1
        props = feat.get("properties") if isinstance(feat, dict) else None
        area_id, key = _match_district(
            props if isinstance(props, dict) else {}, district_names, codes, shown, row, problems
        )
        geom = _feature_geometry(feat, shown, index, problems)
        if area_id is None or geom is None:
            continue
        if area_id in geoms:
            problems.append(
                Problem(shown, row, key, f"Feature {row}: Stadtbezirk {area_id} ({district_names[area_id]}) "
                        "kommt doppelt vor", "jeder Stadtbezirk genau einmal")
            )
            continue
        geom = _to_wgs84(geom, epsg, data.get("crs") is not None, shown, row, problems)
        if geom is not None:
            geoms[area_id] = geom
    _check_districts(geoms, district_names, city, shown, problems)
    simplified = _simplify_coverage(geoms, tolerance)
    attribution = _text_member(data, ("attribution",)) or provenance.attribution
    if not attribution:
        problems.append(
            Problem(
                shown,
                None,
                "attribution",
                'Quellenangabe fehlt (Mitglied "attribution" oder Spalte namensnennung in catalog/quellen.csv)',
                "Namensnennung, z. B. „© OpenStreetMap-Mitwirkende“",
            )
        )
    licence = _text_member(data, ("license", "licence")) or provenance.licence or NO_LICENCE
    source = _text_member(data, ("source",)) or provenance.source or shown
    return [
        GeoFeature(
            area_id,
            "stadtbezirk",
            district_names[area_id],
            _geometry_dict(simplified[area_id]),
            False,
            f"Stadtbezirksgrenzen: {source}",
            attribution or NO_ATTRIBUTION,
            licence,
        )
        for area_id in district_names
        if area_id in simplified and not simplified[area_id].is_empty
    ]


def _to_wgs84(
    geom: BaseGeometry, epsg: int, crs_given: bool, shown: str, row: int, problems: list[Problem]
) -> BaseGeometry | None:
    """Reproject if needed; report coordinates that do not fit the declared CRS."""
    projected = _looks_projected(geom)
    if epsg == 4326 and projected:
        message = (
            f"Feature {row}: Koordinaten sind offenbar projiziert (Meter), aber kein Koordinatensystem "
            "angegeben"
            if not crs_given
            else f"Feature {row}: Koordinaten sind offenbar projiziert (Meter), angegeben ist aber EPSG:4326"
        )
        problems.append(
            Problem(
                shown,
                row,
                "crs",
                message,
                'Mitglied "crs" mit EPSG:25832 oder Koordinaten in Grad (EPSG:4326)',
            )
        )
        return None
    if epsg == 25832:
        if not projected:
            problems.append(
                Problem(
                    shown,
                    row,
                    "crs",
                    f"Feature {row}: Koordinaten sehen nach Grad aus, angegeben ist aber EPSG:25832",
                    "UTM-Koordinaten in Metern",
                )
            )
            return None
        geom = _reproject_25832(geom)
    return geom


def _check_districts(
    geoms: Mapping[str, BaseGeometry],
    district_names: Mapping[str, str],
    city: BaseGeometry | None,
    shown: str,
    problems: list[Problem],
) -> None:
    """Every district present, districts inside the city, no overlaps, union ≈ city outline."""
    for area_id, name in district_names.items():
        if area_id not in geoms:
            problems.append(
                Problem(
                    shown,
                    None,
                    NUMBER_PROPERTY,
                    f"Stadtbezirk {area_id} ({name}) fehlt",
                    "alle Stadtbezirke: " + ", ".join(district_names),
                )
            )
    _check_overlaps(geoms, district_names, shown, problems)
    if city is None:
        return
    for area_id, geom in geoms.items():
        overlap = geom.intersection(city).area / geom.area if geom.area else 0.0
        if overlap < 0.5:
            problems.append(
                Problem(
                    shown,
                    None,
                    "geometry",
                    f"Stadtbezirk {area_id} liegt überwiegend außerhalb der Stadtgrenze Hagen "
                    f"({overlap * 100:.0f} % innerhalb) – falsches Koordinatensystem oder vertauschte Achsen?",
                    "Flächen innerhalb der Stadt Hagen",
                )
            )
    if geoms and len(geoms) == len(district_names):
        union = shapely.union_all(list(geoms.values()))
        share = union.symmetric_difference(city).area / city.area
        if share > UNION_TOLERANCE:
            problems.append(
                Problem(
                    shown,
                    None,
                    "geometry",
                    f"Die Stadtbezirke zusammen weichen um {_pct(share)} der Fläche von der Stadtgrenze ab "
                    f"(Vereinigung {_pct(union.area / city.area)} der Stadtfläche) – fehlt ein Teil, oder "
                    "passen die Grenzen nicht zur Stadt?",
                    f"höchstens {_pct(UNION_TOLERANCE)} Abweichung von der Stadtgrenze (data/geo/{CITY_FILE})",
                )
            )


def _pct(share: float) -> str:
    """0.0173 → '1,7 %' (German)."""
    return f"{share * 100:.1f} %".replace(".", ",")


def _check_overlaps(
    geoms: Mapping[str, BaseGeometry], district_names: Mapping[str, str], shown: str, problems: list[Problem]
) -> None:
    """Report every pair of districts that overlap by more than OVERLAP_TOLERANCE of the smaller one."""
    ids = sorted(geoms)
    for i, first in enumerate(ids):
        for second in ids[i + 1:]:
            shared = geoms[first].intersection(geoms[second]).area
            smaller = min(geoms[first].area, geoms[second].area)
            if smaller and shared / smaller > OVERLAP_TOLERANCE:
                problems.append(
                    Problem(
                        shown,
                        None,
                        "geometry",
                        f"Stadtbezirke {first} ({district_names[first]}) und {second} ({district_names[second]}) "
                        f"überlappen sich ({_pct(shared / smaller)} der kleineren Fläche)",
                        "Stadtbezirke ohne Überschneidung",
                    )
                )


def _simplify_coverage(geoms: Mapping[str, BaseGeometry], tolerance: float) -> dict[str, BaseGeometry]:
    """Simplify all districts together so shared borders stay shared (falls back to per-area)."""
    ids = list(geoms)
    if not ids:
        return {}
    arr = np.array([geoms[i] for i in ids], dtype=object)
    try:
        coverage_ok = bool(shapely.coverage_is_valid(arr))
    except shapely.errors.GEOSException:
        coverage_ok = False
    if coverage_ok:
        simplified = shapely.coverage_simplify(arr, tolerance)
    else:
        simplified = [g.simplify(tolerance, preserve_topology=True) for g in arr]
    return {i: _finish(g) for i, g in zip(ids, simplified, strict=True)}


# --- schematic Stadtbezirke --------------------------------------------------------------------


def _read_centroids(
    path: Path, district_names: Mapping[str, str], bounds: tuple[float, ...], problems: list[Problem]
) -> dict[str, Point]:
    """Validated approximate district centroids from the schematic CSV."""
    shown = _display_path(path)
    if not path.exists():
        problems.append(
            Problem(
                shown,
                None,
                None,
                "Datei mit den Bezirksschwerpunkten fehlt",
                "CSV gebiet;name;lon;lat;hinweis",
            )
        )
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=";")
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(shown, None, None, f"Datei nicht lesbar: {exc}", "UTF-8-CSV mit ';'"))
        return {}
    missing_cols = [c for c in ("gebiet", "lon", "lat") if c not in header]
    if missing_cols:
        problems.append(
            Problem(
                shown, 1, None, "Spalte(n) fehlen: " + ", ".join(missing_cols), "gebiet;name;lon;lat;hinweis"
            )
        )
        return {}
    points: dict[str, Point] = {}
    for row_no, row in enumerate(rows, start=2):
        point = _centroid_row(row, row_no, shown, district_names, bounds, problems)
        if point is None:
            continue
        area_id = row["gebiet"].strip()
        if area_id in points:
            problems.append(
                Problem(
                    shown,
                    row_no,
                    "gebiet",
                    f"Stadtbezirk {area_id} kommt doppelt vor",
                    "jeder Stadtbezirk genau einmal",
                )
            )
            continue
        twin = next((k for k, p in points.items() if p.equals(point)), None)
        if twin is not None:
            problems.append(
                Problem(
                    shown,
                    row_no,
                    "lon",
                    f"gleiche Koordinaten wie {twin}",
                    "verschiedene Schwerpunkte je Stadtbezirk",
                )
            )
            continue
        points[area_id] = point
    for area_id, name in district_names.items():
        if area_id not in points:
            problems.append(
                Problem(
                    shown,
                    None,
                    "gebiet",
                    f"Stadtbezirk {area_id} ({name}) fehlt",
                    "alle Stadtbezirke: " + ", ".join(district_names),
                )
            )
    return points


def _centroid_row(
    row: Mapping[str, str | None],
    row_no: int,
    shown: str,
    district_names: Mapping[str, str],
    bounds: tuple[float, ...],
    problems: list[Problem],
) -> Point | None:
    """One validated CSV row → point, or None with Problems."""
    ok = True
    area_id = (row.get("gebiet") or "").strip()
    if area_id not in district_names:
        problems.append(
            Problem(shown, row_no, "gebiet", f"unbekannter Stadtbezirk {area_id!r}", _known(district_names))
        )
        ok = False
    coords = {}
    for column, lo, hi in (("lon", bounds[0], bounds[2]), ("lat", bounds[1], bounds[3])):
        raw = (row.get(column) or "").strip()
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            problems.append(Problem(shown, row_no, column, f"keine Zahl: {raw!r}", "Dezimalzahl in Grad"))
            ok = False
            continue
        if not (math.isfinite(value) and lo <= value <= hi):
            problems.append(
                Problem(
                    shown,
                    row_no,
                    column,
                    f"{value} liegt außerhalb der Stadt Hagen",
                    f"zwischen {lo:.3f} und {hi:.3f}",
                )
            )
            ok = False
        coords[column] = value
    return Point(coords["lon"], coords["lat"]) if ok else None


def _schematic_districts(points: Mapping[str, Point], city: BaseGeometry) -> dict[str, BaseGeometry]:
    """Voronoi cells of the centroids, clipped to the city: the districts tile the city exactly."""
    ids = sorted(points)
    if len(ids) == 1:
        return {ids[0]: city}
    cells = voronoi_diagram(MultiPoint([points[i] for i in ids]), envelope=city.envelope)
    clipped: dict[str, BaseGeometry] = {}
    for area_id in ids:
        cell = next(c for c in cells.geoms if c.covers(points[area_id]))
        clipped[area_id] = _polygonal(cell.intersection(city))
    return {area_id: _finish(geom) for area_id, geom in _merge_slivers(clipped).items()}


def _merge_slivers(areas: dict[str, BaseGeometry], max_share: float = 0.05) -> dict[str, BaseGeometry]:
    """Give small detached parts of an area (< max_share of it) to the neighbour with the longest border.

    Clipping Voronoi cells to a concave outline can cut off tiny islands; moving them keeps the
    tiling exact while every schematic district stays one contiguous shape.
    """
    result = dict(areas)
    for area_id in sorted(areas):
        parts = sorted(getattr(result[area_id], "geoms", [result[area_id]]), key=lambda g: -g.area)
        keep = [parts[0]]
        for part in parts[1:]:
            border = {
                other: part.boundary.intersection(geom.boundary).length
                for other, geom in result.items()
                if other != area_id
            }
            target = max(sorted(border), key=lambda other: border[other], default=None)
            if part.area >= max_share * result[area_id].area or target is None or border[target] == 0:
                keep.append(part)
                continue
            result[target] = _polygonal(shapely.union_all([result[target], part], grid_size=GRID))
        result[area_id] = shapely.union_all(keep)
    return result


def _load_schematic(
    geo_dir: Path, district_names: Mapping[str, str], city: GeoFeature, problems: list[Problem]
) -> list[GeoFeature]:
    """Schematic district layout from approximate centroids."""
    path = geo_dir / SCHEMATIC_FILE
    outline = city.shape()
    points = _read_centroids(path, district_names, outline.bounds, problems)
    if not points:
        return []
    geoms = _schematic_districts(points, outline)
    source = (
        "Schematische Einteilung, erzeugt aus ungefähren Bezirksschwerpunkten "
        f"({_display_path(path)}) innerhalb der amtlichen Stadtgrenze"
    )
    return [
        GeoFeature(
            area_id,
            "stadtbezirk",
            district_names[area_id],
            _geometry_dict(geoms[area_id]),
            True,
            source,
            city.attribution,
            city.licence,
        )
        for area_id in district_names
        if area_id in geoms and not geoms[area_id].is_empty
    ]


# --- public API --------------------------------------------------------------------------------


def load_geometries(
    geo_dir: Path,
    district_names: Mapping[str, str],
    tolerance_deg: float = 0.0004,
    district_codes: Mapping[str, str] | None = None,
    provenance: Provenance | None = None,
) -> GeoResult:
    """City outline plus Stadtbezirke (real if ``hagen_stadtbezirke.geojson`` exists, else schematic).

    ``district_codes`` maps the city's district number (``Bez_Nr``) to the area id (from
    catalog/gebiete.csv, column amtlicher_schluessel); ``provenance`` supplies attribution and licence when the boundary file has none.
    """
    geo_dir = Path(geo_dir)
    problems: list[Problem] = []
    codes = dict(district_codes or {})
    city = _load_city(geo_dir, tolerance_deg, problems)
    features: list[GeoFeature] = [city] if city else []
    real_path = geo_dir / DISTRICT_FILE
    if real_path.exists():
        outline = city.shape() if city else None
        features += _load_real_districts(real_path, district_names, codes, outline, tolerance_deg,
                                         provenance or Provenance(), problems)
    elif city is not None:
        features += _load_schematic(geo_dir, district_names, city, problems)
    return GeoResult(features=features, problems=problems)


def feature_collection(features: Iterable[GeoFeature]) -> dict:
    """GeoJSON FeatureCollection; feature ``id`` = area_id (for plotly's ``featureidkey="id"``)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f.area_id,
                "properties": {"name": f.name, "schematic": f.schematic, "level": f.level},
                "geometry": f.geometry,
            }
            for f in features
        ],
    }


# public names for other stages (the build simplifies Stimmbezirk coverages the same way)
geometry_dict = _geometry_dict
finish = _finish
