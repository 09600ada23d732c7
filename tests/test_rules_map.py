"""The map joins districts by id, never by name (views.mapfigure, ingest.geo.feature_collection).

Handmade squares whose names differ from their ids; the test resolves plotly's ``featureidkey`` on the
GeoJSON the way plotly does and checks that every coloured location finds exactly its own geometry.
"""

from __future__ import annotations

import plotly.graph_objects as go

from integrationsmonitor.ingest.geo import GeoFeature, feature_collection
from integrationsmonitor.views import mapfigure
from integrationsmonitor.views.mapfigure import (
    NO_DATA_COLOR,
    NO_DATA_TEXT,
    SUPPRESSED_TEXT,
    choropleth_map,
)


def _square(x: float, y: float, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(area_id: str, name: str, x: float, level: str = "stadtbezirk") -> GeoFeature:
    return GeoFeature(area_id, level, name, _square(x, 51.3), False, "Test", "© Test", "CC0")


CITY = GeoFeature("05914000", "stadt", "Hagen", _square(7.40, 51.29, 0.1), False, "Test", "© Test", "CC0")
DISTRICTS = [_feature("SB1", "Mitte", 7.41), _feature("SB2", "Haspe", 7.43), _feature("SB3", "Eilpe", 7.45),
             _feature("SB4", "Hohenlimburg", 7.47)]


def _resolve(feature: dict, key: str) -> object:
    value: object = feature
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _joined(trace) -> dict[str, dict]:
    """location → geometry of the feature plotly would colour for it."""
    out = {}
    for loc in trace.locations:
        hits = [f for f in trace.geojson["features"] if _resolve(f, trace.featureidkey) == loc]
        assert len(hits) == 1, f"{loc}: {len(hits)} Flächen"
        out[loc] = hits[0]["geometry"]
    return out


def _map() -> go.Figure:
    return choropleth_map([CITY, *DISTRICTS], {"SB1": 5.0, "SB2": 10.0, "SB3": 7.0, "SB4": None},
                          title="Test", value_label="Anteil", value_format=lambda v: f"{v:.0f}",
                          suppressed={"SB3"})


def test_feature_collection_uses_the_area_id():
    fc = feature_collection(DISTRICTS[:2])
    assert [f["id"] for f in fc["features"]] == ["SB1", "SB2"]
    assert [f["properties"]["name"] for f in fc["features"]] == ["Mitte", "Haspe"]
    assert fc["features"][0]["geometry"] == _square(7.41, 51.3)
    assert fc["type"] == "FeatureCollection" and fc["features"][0]["type"] == "Feature"


def test_coloured_districts_join_their_own_geometry_by_id():
    values = _map().data[0]
    assert isinstance(values, go.Choroplethmap)
    assert values.featureidkey == "id"
    assert list(values.locations) == ["SB1", "SB2"]
    assert list(values.z) == [5.0, 10.0]
    assert _joined(values) == {"SB1": _square(7.41, 51.3), "SB2": _square(7.43, 51.3)}
    assert (values.zmin, values.zmax) == (5.0, 10.0)
    assert [list(c) for c in values.customdata] == [["SB1", "Mitte", "Anteil: 5"], ["SB2", "Haspe", "Anteil: 10"]]


def test_suppressed_and_missing_districts_are_grey_and_joined_by_id():
    grey = _map().data[1]
    assert list(grey.locations) == ["SB3", "SB4"]
    assert _joined(grey) == {"SB3": _square(7.45, 51.3), "SB4": _square(7.47, 51.3)}
    assert [list(c) for c in grey.customdata] == [["SB3", "Eilpe", SUPPRESSED_TEXT],
                                                  ["SB4", "Hohenlimburg", NO_DATA_TEXT]]
    assert grey.colorscale[0][1] == NO_DATA_COLOR and grey.showscale is False


def test_labels_and_outline():
    fig = _map()
    outline = [t for t in fig.data if getattr(t, "name", "") == "Stadtgrenze"]
    assert len(outline) == 1 and outline[0].lon[:5] == (7.40, 7.50, 7.50, 7.40, 7.40)
    texts = sorted(t for trace in fig.data if getattr(trace, "mode", None) == "text" for t in trace.text)
    assert texts == ["Eilpe<br>·", "Haspe<br>10", "Hohenlimburg<br>keine Daten", "Mitte<br>5"]


def test_single_value_gets_a_range_of_one():
    fig = choropleth_map(DISTRICTS[:1], {"SB1": 4.0}, title="", value_label="Wert", value_format=str)
    assert (fig.data[0].zmin, fig.data[0].zmax) == (4.0, 5.0)
    assert fig.data[0].colorbar.tickvals == (4.0,)
    assert len(fig.data) == 2   # values + labels, no grey trace, no outline


def test_value_trace_scale_and_style():
    values = _map().data[0]
    assert values.colorscale == tuple(tuple(step) for step in mapfigure.COLORSCALE)
    assert values.colorbar.tickvals == (5.0, 6.25, 7.5, 8.75, 10.0)
    assert values.colorbar.ticktext == ("5", "6", "8", "9", "10")
    assert (values.colorbar.title.text, values.colorbar.title.side) == ("Anteil", "right")
    assert (values.colorbar.thickness, values.colorbar.len) == (14, 0.75)
    assert values.marker.opacity == 0.95 and len(values.marker.line.color) == 2   # one outline colour per area
    assert values.hovertemplate == "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
    assert (values.name, values.showlegend) == ("Anteil", False)


def test_grey_trace_style():
    grey = _map().data[1]
    assert list(grey.z) == [1, 1]
    assert grey.colorscale == ((0.0, NO_DATA_COLOR), (1.0, NO_DATA_COLOR))
    assert (grey.zmin, grey.zmax, grey.showscale, grey.showlegend) == (0, 1, False, False)
    assert (grey.marker.line.color, grey.marker.opacity) == (mapfigure.BORDER_COLOR, 0.95)
    assert grey.hovertemplate == "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
    assert grey.name == "keine Werte" and grey.featureidkey == "id"


def test_feature_collection_properties():
    fc = feature_collection([CITY])
    assert fc["features"][0]["properties"] == {"name": "Hagen", "schematic": False, "level": "stadt"}


def test_clicked_area_reads_customdata_then_location_of_known_areas_only():
    """One reader for both map levels (quartiere.district_from_selection, stimmbezirke.stimmbezirk_from_selection)."""
    from types import SimpleNamespace

    from integrationsmonitor.views import quartiere, stimmbezirke

    areas = ["SB1", "SB2"]
    # the first point names an unknown area, the second one is read: customdata wins over location
    event = {"selection": {"points": [{"customdata": ["X9"]}, {"customdata": ["SB2", "Nord"], "location": "SB1"}]}}
    assert mapfigure.clicked_area(event, areas) == "SB2"
    assert mapfigure.clicked_area({"selection": {"points": [{"customdata": [], "location": "SB1"}]}}, areas) == "SB1"
    # Streamlit's state object with attributes instead of keys
    state = SimpleNamespace(selection=SimpleNamespace(points=[{"location": "SB2"}]))
    assert mapfigure.clicked_area(state, areas) == "SB2"
    for nothing in (None, {}, {"selection": {"points": []}}, "SB1", {"selection": {"points": ["SB1"]}}):
        assert mapfigure.clicked_area(nothing, areas) is None
    assert quartiere.district_from_selection(state, areas) == "SB2"
    assert stimmbezirke.stimmbezirk_from_selection(state, ["SB1"]) is None
