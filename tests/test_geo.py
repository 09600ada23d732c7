"""Tests for the map geometries (geo.py) and the choropleth figure (mapfigure.py)."""

from __future__ import annotations

import json
import math
import shutil
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import box, mapping, shape

from integrationsmonitor.ingest import geo
from integrationsmonitor.ingest.geo import SCHEMATIC_LABEL, GeoFeature, feature_collection, load_geometries
from integrationsmonitor.views.mapfigure import choropleth_map

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
NAMES = {
    "SB1": "Hagen-Mitte",
    "SB2": "Hagen-Nord",
    "SB3": "Hohenlimburg",
    "SB4": "Eilpe/Dahl",
    "SB5": "Haspe",
}
HAGEN_BOUNDS = (7.37, 51.26, 7.61, 51.42)


def _fmt(value: float) -> str:
    return f"{value:.1f} %".replace(".", ",")


# --- independent reference: Krüger n-series forward projection (Karney 2011) ------------------


def _utm32_forward(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GRS80 → UTM 32N via the Krüger series, a different method than geo's Snyder inverse."""
    a, f, k0 = 6378137.0, 1 / 298.257222101, 0.9996
    n = f / (2 - f)
    big_a = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    alpha = [
        n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16 + 41 * n**4 / 180,
        13 * n**2 / 48 - 3 * n**3 / 5 + 557 * n**4 / 1440,
        61 * n**3 / 240 - 103 * n**4 / 140,
        49561 * n**4 / 161280,
    ]
    phi, dlam = np.radians(lat), np.radians(lon) - math.radians(9.0)
    c = 2 * math.sqrt(n) / (1 + n)
    t = np.sinh(np.arctanh(np.sin(phi)) - c * np.arctanh(c * np.sin(phi)))
    xi = np.arctan2(t, np.cos(dlam))
    eta = np.arctanh(np.sin(dlam) / np.sqrt(1 + t**2))
    east = eta + sum(al * np.cos(2 * j * xi) * np.sinh(2 * j * eta) for j, al in enumerate(alpha, 1))
    north = xi + sum(al * np.sin(2 * j * xi) * np.cosh(2 * j * eta) for j, al in enumerate(alpha, 1))
    return 500000 + k0 * big_a * east, k0 * big_a * north


def test_utm_inverse_agrees_with_independent_forward_to_centimetres() -> None:
    lon, lat = np.meshgrid(np.linspace(6.0, 12.0, 13), np.linspace(47.0, 55.0, 17))
    east, north = _utm32_forward(lon.ravel(), lat.ravel())
    lon2, lat2 = geo.utm32_to_lonlat(east, north)
    # 1e-7° is ~1 cm; the requirement is < 1 m
    assert np.max(np.abs(lon2 - lon.ravel())) < 1e-7
    assert np.max(np.abs(lat2 - lat.ravel())) < 1e-7


def test_utm_inverse_known_points() -> None:
    lon, lat = geo.utm32_to_lonlat(500000.0, 0.0)
    assert float(lon) == pytest.approx(9.0, abs=1e-12) and float(lat) == pytest.approx(0.0, abs=1e-12)
    # Hagen centre: roughly E 396 000 / N 5 691 000 ↔ lon ≈ 7.47–7.51, lat ≈ 51.36
    lon, lat = geo.utm32_to_lonlat(396000.0, 5691000.0)
    assert float(lon) == pytest.approx(7.49, abs=0.04)
    assert float(lat) == pytest.approx(51.36, abs=0.01)


# --- schematic layout ------------------------------------------------------------------------


CODES = {"1": "SB1", "2": "SB2", "3": "SB3", "4": "SB4", "5": "SB5"}
WAHLKARTE = "Bezirksgrenzen: Stadt Hagen, über github.com/fhswf/wahlkarte (MPL-2.0)"


@pytest.fixture(scope="module")
def schematic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped geo folder without the real boundary file: the schematic fallback."""
    folder = tmp_path_factory.mktemp("schematisch")
    for name in ("hagen_stadt.geojson", "stadtbezirke_schematisch.csv"):
        shutil.copy(GEO_DIR / name, folder)
    return folder


@pytest.fixture(scope="module")
def schematic(schematic_dir: Path) -> geo.GeoResult:
    return load_geometries(schematic_dir, NAMES)


def test_schematic_districts_tile_the_city(schematic: geo.GeoResult) -> None:
    assert schematic.problems == []
    city = [f for f in schematic.features if f.level == "stadt"]
    districts = [f for f in schematic.features if f.level == "stadtbezirk"]
    assert [f.area_id for f in city] == ["05914000"]
    assert [f.area_id for f in districts] == list(NAMES)
    assert [f.name for f in districts] == list(NAMES.values())
    shapes = [shape(f.geometry) for f in districts]
    assert all(s.is_valid and not s.is_empty and s.geom_type in ("Polygon", "MultiPolygon") for s in shapes)
    city_shape = shape(city[0].geometry)
    for a, b in combinations(shapes, 2):
        assert a.intersection(b).area < 1e-6 * city_shape.area
    assert shapely.union_all(shapes).area == pytest.approx(city_shape.area, rel=0.01)
    assert shapely.union_all(shapes).symmetric_difference(city_shape).area < 0.01 * city_shape.area


def test_schematic_flags_source_and_attribution(schematic: geo.GeoResult) -> None:
    for feature in schematic.features:
        assert feature.attribution == "© GeoBasis-DE / BKG 2013 (Daten verändert)"
        assert feature.licence.startswith("Datenlizenz Deutschland")
        assert feature.schematic is (feature.level == "stadtbezirk")
    district = schematic.features[1]
    assert district.source == (
        "Schematische Einteilung, erzeugt aus ungefähren Bezirksschwerpunkten "
        "(stadtbezirke_schematisch.csv) innerhalb der amtlichen Stadtgrenze"
    )


def test_output_is_rounded_and_deterministic(schematic: geo.GeoResult, schematic_dir: Path) -> None:
    again = load_geometries(schematic_dir, NAMES)
    assert again.features == schematic.features
    coords = shapely.get_coordinates(shape(schematic.features[0].geometry))
    assert np.allclose(coords, np.round(coords, 5), atol=1e-12, rtol=0)
    assert 50 < len(coords) < 540  # simplified, but still a recognisable outline


def test_feature_collection_ids(schematic: geo.GeoResult) -> None:
    fc = feature_collection(schematic.features)
    assert fc["type"] == "FeatureCollection"
    assert [f["id"] for f in fc["features"]] == ["05914000", *NAMES]
    assert fc["features"][1]["properties"]["name"] == "Hagen-Mitte"
    assert fc["features"][1]["properties"]["schematic"] is True
    json.dumps(fc)  # serialisable


def test_schematic_csv_defects_are_located(tmp_path: Path) -> None:
    shutil.copy(GEO_DIR / "hagen_stadt.geojson", tmp_path)
    (tmp_path / "stadtbezirke_schematisch.csv").write_text(
        "gebiet;name;lon;lat;hinweis\n"
        "SB1;Hagen-Mitte;7.475;51.357;x\n"
        "SB9;Unbekannt;7.475;51.392;x\n"
        "SB3;Hohenlimburg;7,570;abc;x\n"
        "SB4;Eilpe/Dahl;8.505;51.310;x\n"
        "SB5;Haspe;7.405;51.345;x\n",
        encoding="utf-8",
    )
    result = load_geometries(tmp_path, NAMES)
    where = {(p.file, p.row, p.column) for p in result.problems}
    assert ("stadtbezirke_schematisch.csv", 3, "gebiet") in where
    assert ("stadtbezirke_schematisch.csv", 4, "lat") in where
    assert ("stadtbezirke_schematisch.csv", 5, "lon") in where
    assert any("SB2" in p.message and "fehlt" in p.message for p in result.problems)
    assert {f.area_id for f in result.features if f.level == "stadtbezirk"} == {"SB1", "SB5"}


# --- real boundaries (stadtbezirke.geojson) ---------------------------------------------------


def _strips_25832() -> list[dict]:
    """Five 2.4 km × 10 km rectangles in EPSG:25832 across Hagen."""
    return [mapping(box(388000 + i * 2400, 5684000, 390400 + i * 2400, 5694000)) for i in range(5)]


def _write_districts(directory: Path, features: list[dict], **top: object) -> Path:
    shutil.copy(GEO_DIR / "hagen_stadt.geojson", directory)
    path = directory / "hagen_stadtbezirke.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", **top, "features": features}), encoding="utf-8")
    return path


def _feature(props: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": json.loads(json.dumps(geometry))}


EPSG_25832 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}
OSM = "© OpenStreetMap-Mitwirkende"


def test_real_boundaries_are_used_and_reprojected(tmp_path: Path) -> None:
    props = [
        {"gebiet": "SB5"},
        {"Bez_Nr": 1, "BEZEICHNUN": "Mitte (anders geschrieben)"},
        {"gebiet": "SB2"},
        {"Bez_Nr": "4", "BEZEICHNUN": "Eilpe-Dahl"},
        {"gebiet": "SB3"},
    ]
    _write_districts(
        tmp_path,
        [_feature(p, g) for p, g in zip(props, _strips_25832(), strict=True)],
        crs=EPSG_25832,
        attribution=OSM,
        license="ODbL 1.0",
    )
    result = load_geometries(tmp_path, NAMES, district_codes=CODES)
    districts = [f for f in result.features if f.level == "stadtbezirk"]
    assert [f.area_id for f in districts] == list(NAMES)
    # five strips do not cover the city: the union check says so (and nothing else is wrong)
    assert [p.column for p in result.problems] == ["geometry"]
    assert "weichen um" in result.problems[0].message and "Stadtgrenze" in result.problems[0].message
    for feature in districts:
        assert feature.schematic is False
        assert feature.attribution == OSM and feature.licence == "ODbL 1.0"
        minx, miny, maxx, maxy = shape(feature.geometry).bounds
        assert HAGEN_BOUNDS[0] < minx < maxx < HAGEN_BOUNDS[2]
        assert HAGEN_BOUNDS[1] < miny < maxy < HAGEN_BOUNDS[3]
    # first strip (SB5) starts at E 388 000 → about 7.39° E
    assert shape(districts[4].geometry).bounds[0] == pytest.approx(7.3904, abs=0.001)


def test_unknown_district_is_reported_with_file_feature_and_property(tmp_path: Path) -> None:
    strips = _strips_25832()
    props = [
        {"gebiet": "SB1"},
        {"gebiet": "SB2"},
        {"BEZEICHNUN": "Hohenlimburg"},
        {"Bez_Nr": 7},
        {"gebiet": "SB5"},
    ]
    _write_districts(
        tmp_path,
        [_feature(p, g) for p, g in zip(props, strips, strict=True)],
        crs=EPSG_25832,
        attribution=OSM,
    )
    result = load_geometries(tmp_path, NAMES, district_codes=CODES)
    by_row = {p.row: p for p in result.problems if p.row is not None}
    # a name alone is never used to join: feature 3 is refused although "Hohenlimburg" is a district name
    problem = by_row[3]
    assert (problem.file, problem.row, problem.column) == ("hagen_stadtbezirke.geojson", 3, "Bez_Nr")
    assert "Feature 3" in problem.message and "Hohenlimburg" in problem.message and "1 (Hagen-Mitte)" in problem.expected
    assert str(problem).startswith("hagen_stadtbezirke.geojson:3:Bez_Nr: ")
    assert str(by_row[4]) .startswith("hagen_stadtbezirke.geojson:4:Bez_Nr: Feature 4: unbekannte Stadtbezirksnummer 7")
    assert any("SB3" in p.message and "fehlt" in p.message for p in result.problems)
    assert all(not f.schematic for f in result.features)  # no silent fallback to the schematic layout


def test_projected_coordinates_without_crs_are_reported(tmp_path: Path) -> None:
    features = [_feature({"gebiet": k}, g) for k, g in zip(NAMES, _strips_25832(), strict=True)]
    _write_districts(tmp_path, features, attribution=OSM)
    result = load_geometries(tmp_path, NAMES, district_codes=CODES)
    crs_problems = [p for p in result.problems if p.column == "crs"]
    assert len(crs_problems) == 5
    assert "projiziert" in crs_problems[0].message and "kein Koordinatensystem" in crs_problems[0].message


def test_crs_attribution_duplicates_and_geometry_defects(tmp_path: Path) -> None:
    strips = _strips_25832()
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[388000, 5684000], [390000, 5694000], [390000, 5684000], [388000, 5694000], [388000, 5684000]]
        ],
    }
    features = [
        _feature({"gebiet": "SB1"}, strips[0]),
        _feature({"gebiet": "SB1"}, strips[1]),
        _feature({"gebiet": "SB2"}, {"type": "Point", "coordinates": [390000, 5690000]}),
        _feature({"gebiet": "SB3"}, bowtie),
    ]
    _write_districts(tmp_path, features, crs=EPSG_25832)
    result = load_geometries(tmp_path, NAMES)
    messages = [(p.row, p.column, p.message) for p in result.problems]
    assert any(row == 2 and "doppelt" in msg for row, _, msg in messages)
    assert any(row == 3 and col == "geometry" and "Point" in msg for row, col, msg in messages)
    assert any(col == "attribution" for _, col, _ in messages)
    sb3 = [f for f in result.features if f.area_id == "SB3"]
    assert sb3 and shape(sb3[0].geometry).is_valid  # bow-tie repaired by make_valid

    _write_districts(
        tmp_path, features, crs={"type": "name", "properties": {"name": "EPSG:31467"}}, attribution=OSM
    )
    result = load_geometries(tmp_path, NAMES)
    assert any(p.column == "crs" and "31467" in p.message for p in result.problems)


# --- map figure -------------------------------------------------------------------------------


def _figure(features: list[GeoFeature], **kwargs: object):
    values = {"SB1": 41.2, "SB2": 30.5, "SB3": None, "SB4": 22.1, "SB5": 35.0}
    return choropleth_map(
        features,
        values,
        title="Anteil",
        value_label="Anteil",
        value_format=_fmt,
        suppressed={"SB5"},
        **kwargs,
    )


def test_map_suppressed_and_missing_are_grey_never_zero(schematic: geo.GeoResult) -> None:
    fig = _figure(schematic.features)
    value_trace, grey_trace = fig.data[0], fig.data[1]
    assert value_trace.type == grey_trace.type == "choroplethmap"
    assert list(value_trace.locations) == ["SB1", "SB2", "SB4"]
    assert list(value_trace.z) == [41.2, 30.5, 22.1]
    grey = {row[0]: row[2] for row in grey_trace.customdata}
    assert grey == {"SB3": "keine Daten", "SB5": "· (geheim gehalten)"}
    assert not grey_trace.showscale
    assert [row[0] for row in value_trace.customdata] == ["SB1", "SB2", "SB4"]
    assert value_trace.customdata[0][2] == "Anteil: 41,2 %"
    labels = [t for t in fig.data if t.type == "scattermap" and t.mode == "text"]
    texts = [txt for t in labels for txt in t.text]
    assert "Haspe<br>·" in texts and "Hagen-Mitte<br>41,2 %" in texts
    assert not any("0,0" in txt for txt in texts)


def test_map_layout_and_annotations(schematic: geo.GeoResult) -> None:
    fig = _figure(schematic.features, example_data=True, highlight="SB1")
    layout = fig.layout
    style = layout.map.style  # white background; label glyphs from the app itself, never a font server
    assert style["layers"][0]["paint"]["background-color"] == "#FFFFFF"
    assert style["glyphs"].startswith("/app/static/glyphs/") and "{fontstack}" in style["glyphs"]
    labels = [t for t in fig.data if t.type == "scattermap" and t.mode == "text"]
    assert labels and all(t.textfont.family == "DejaVu Sans Book" for t in labels)
    assert layout.separators == ",."
    assert layout.clickmode == "event+select"
    assert layout.uirevision
    assert 9.8 < layout.map.zoom < 10.8
    assert 7.45 < layout.map.center.lon < 7.52 and 51.31 < layout.map.center.lat < 51.37
    texts = [a.text for a in layout.annotations]
    assert SCHEMATIC_LABEL in texts
    assert "Beispieldaten" in texts
    assert any("© GeoBasis-DE / BKG 2013" in t for t in texts)
    lines = [t for t in fig.data if t.type == "scattermap" and t.mode == "lines"]
    assert len(lines) == 2  # city outline + highlighted district
    assert max(t.line.width for t in lines) > min(t.line.width for t in lines)


def test_map_without_schematic_has_no_schematic_label(schematic: geo.GeoResult) -> None:
    real = [
        GeoFeature(f.area_id, f.level, f.name, f.geometry, False, f.source, "© Test", f.licence)
        for f in schematic.features
    ]
    fig = _figure(real)
    texts = [a.text for a in fig.layout.annotations]
    assert SCHEMATIC_LABEL not in texts and "Beispieldaten" not in texts
    assert any("© Test" in t for t in texts)


def test_modules_do_not_import_streamlit_or_express() -> None:
    package = Path(geo.__file__).parents[1]
    for name in ("ingest/geo.py", "views/mapfigure.py"):
        source = (package / name).read_text(encoding="utf-8")
        assert "import streamlit" not in source and "plotly.express" not in source


# --- the shipped real boundaries (hagen_stadtbezirke.geojson from github.com/fhswf/wahlkarte) -------------

PROVENANCE = geo.Provenance(WAHLKARTE, "Mozilla Public License 2.0 (MPL-2.0)", "Stadt Hagen über fhswf/wahlkarte")


@pytest.fixture(scope="module")
def real() -> geo.GeoResult:
    return load_geometries(GEO_DIR, NAMES, district_codes=CODES, provenance=PROVENANCE)


def _raw_districts() -> dict[int, object]:
    data = json.loads((GEO_DIR / "hagen_stadtbezirke.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["Bez_Nr"]: shape(f["geometry"]) for f in data["features"]}


def test_shipped_boundaries_load_by_number_with_attribution(real: geo.GeoResult) -> None:
    assert real.problems == []
    districts = [f for f in real.features if f.level == "stadtbezirk"]
    assert [f.area_id for f in districts] == list(NAMES)
    assert [f.name for f in districts] == list(NAMES.values())  # "Eilpe/Dahl" from the catalogue, not the file
    assert all(not f.schematic and f.attribution == WAHLKARTE and "MPL-2.0" in f.licence for f in districts)
    # the raw file's district 1 is Hagen-Mitte: its simplified outline covers the same ground (≈ 20,5 km²)
    raw = _raw_districts()
    mitte = shape(districts[0].geometry)
    assert mitte.symmetric_difference(raw[1]).area < 0.02 * raw[1].area
    assert shape(districts[3].geometry).symmetric_difference(raw[4]).area < 0.02 * raw[4].area


def test_shipped_boundaries_are_simplified_with_shared_borders(real: geo.GeoResult) -> None:
    districts = [shape(f.geometry) for f in real.features if f.level == "stadtbezirk"]
    raw_vertices = sum(len(shapely.get_coordinates(g)) for g in _raw_districts().values())
    vertices = sum(len(shapely.get_coordinates(g)) for g in districts)
    assert raw_vertices == 15080 and vertices < raw_vertices / 5
    # shared borders stay shared: no gaps, no overlaps between neighbours after simplification
    for a, b in combinations(districts, 2):
        assert a.intersection(b).area < 1e-9
    assert bool(shapely.coverage_is_valid(np.array(districts, dtype=object)))


def test_real_map_has_attribution_and_no_schematic_label(real: geo.GeoResult) -> None:
    fig = _figure(real.features)
    texts = [a.text for a in fig.layout.annotations]
    assert SCHEMATIC_LABEL not in texts
    quelle = next(t for t in texts if t.startswith("Karte: "))
    assert WAHLKARTE in quelle and "© GeoBasis-DE / BKG 2013" in quelle
    assert len(fig.to_json()) < 60_000  # simplified once in the build (measured ≈ 34 kB, raw ≈ 0,6 MB)


def _write_raw(directory: Path, features: list[dict]) -> None:
    shutil.copy(GEO_DIR / "hagen_stadt.geojson", directory)
    data = json.loads((GEO_DIR / "hagen_stadtbezirke.geojson").read_text(encoding="utf-8"))
    data["features"] = features
    (directory / "hagen_stadtbezirke.geojson").write_text(json.dumps(data), encoding="utf-8")


def _raw_features() -> list[dict]:
    return json.loads((GEO_DIR / "hagen_stadtbezirke.geojson").read_text(encoding="utf-8"))["features"]


def test_missing_district_and_union_are_reported(tmp_path: Path) -> None:
    features = [f for f in _raw_features() if f["properties"]["Bez_Nr"] != 3]
    _write_raw(tmp_path, features)
    result = load_geometries(tmp_path, NAMES, district_codes=CODES, provenance=PROVENANCE)
    messages = [str(p) for p in result.problems]
    assert messages == ["hagen_stadtbezirke.geojson:Bez_Nr: Stadtbezirk SB3 (Hohenlimburg) fehlt "
                        "(erwartet: alle Stadtbezirke: SB1, SB2, SB3, SB4, SB5)"]


def test_shrunk_district_breaks_the_union_check(tmp_path: Path) -> None:
    features = _raw_features()
    for feat in features:
        if feat["properties"]["Bez_Nr"] == 4:  # Eilpe/Dahl ≈ 51 km² of 159 km² → keep only a small box
            cx, cy = shape(feat["geometry"]).representative_point().coords[0]
            feat["geometry"] = mapping(box(cx - 0.005, cy - 0.005, cx + 0.005, cy + 0.005))
    _write_raw(tmp_path, features)
    result = load_geometries(tmp_path, NAMES, district_codes=CODES, provenance=PROVENANCE)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.file, problem.column) == ("hagen_stadtbezirke.geojson", "geometry")
    assert "weichen um" in problem.message and "höchstens 3,0 %" in problem.expected
    share = float(problem.message.split("weichen um ")[1].split(" %")[0].replace(",", "."))
    assert 25 < share < 40  # about 51 km² of 159 km² are missing


def test_overlapping_districts_are_reported(tmp_path: Path) -> None:
    features = _raw_features()
    by_nr = {f["properties"]["Bez_Nr"]: f for f in features}
    grown = shape(by_nr[5]["geometry"]).buffer(0.01)  # Haspe grows ~1 km into its neighbours
    by_nr[5]["geometry"] = mapping(grown)
    _write_raw(tmp_path, features)
    result = load_geometries(tmp_path, NAMES, district_codes=CODES, provenance=PROVENANCE)
    overlaps = [p for p in result.problems if "überlappen" in p.message]
    assert overlaps and all("SB5 (Haspe)" in p.message for p in overlaps)
    assert any("SB1 (Hagen-Mitte) und SB5 (Haspe)" in p.message for p in overlaps)


def test_boundary_file_without_attribution_anywhere_is_refused(tmp_path: Path) -> None:
    _write_raw(tmp_path, _raw_features())
    result = load_geometries(tmp_path, NAMES, district_codes=CODES)
    assert [(p.column, "Quellenangabe fehlt" in p.message) for p in result.problems] == [("attribution", True)]
