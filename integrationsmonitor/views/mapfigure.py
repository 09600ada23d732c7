"""Choropleth map of Hagen's Stadtbezirke (plotly graph_objects, offline ``white-bg`` style).

Areas without a value ("keine Daten") or with a suppressed value ("·", geheim gehalten) are drawn
in light grey in their own trace, never as 0. No streamlit import here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence

import plotly.graph_objects as go
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb
from shapely.geometry import shape

from integrationsmonitor.ingest.geo import SCHEMATIC_LABEL, GeoFeature, feature_collection
from integrationsmonitor.views import theme  # noqa: F401 - installs the monitor's default Plotly template

# Sequential, colour-blind-safe (ColorBrewer Blues), without the near-white end so the lightest
# class still differs from the white background and the grey "keine Daten" areas.
COLORSCALE = [[0.0, "#deebf7"], [0.25, "#9ecae1"], [0.5, "#6baed6"], [0.75, "#3182bd"], [1.0, "#08519c"]]
NO_DATA_COLOR = "#e6e6e6"
OUTLINE_COLOR = "#333333"
BORDER_COLOR = "#4b5563"  # around the grey "keine Daten" areas: 5.2 : 1 against their fill (WCAG 1.4.11)
HIGHLIGHT_COLOR = "#111111"
SUPPRESSED_MARK = "·"
SUPPRESSED_TEXT = "· (geheim gehalten)"
NO_DATA_TEXT = "keine Daten"
EXAMPLE_LABEL = "Beispieldaten"
UIREVISION = "integrationsmonitor-karte"
HOVER = "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
# Plotly's "white-bg" style, but with the label glyphs served by the app itself (static/glyphs/, made by
# scripts/make_map_glyphs.py): the built-in styles load them from fonts.openmaptiles.org — a third-party request
# on every visit, and no labels in a room without internet. Relative URL: resolved against the page's address.
LABEL_FONT = "DejaVu Sans Book"
MAP_STYLE = {
    "version": 8,
    "sources": {},
    "glyphs": "/app/static/glyphs/{fontstack}/{range}.pbf",
    "layers": [{"id": "white-bg", "type": "background", "paint": {"background-color": "#FFFFFF"}}],
}


def _is_number(value: float | None) -> bool:
    """True for finite numbers (None/NaN/inf count as missing)."""
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def _view(features: Sequence[GeoFeature], height: int) -> tuple[dict, float]:
    """Centre and Web-Mercator zoom so the features' bounds fit the map height (≈ 10.3 for Hagen)."""
    bounds = [shape(f.geometry).bounds for f in features]
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    frac_y = (merc(north) - merc(south)) / (2 * math.pi)
    frac_x = (east - west) / 360
    usable = max(height - 60, 100) * 0.95  # margins, title and a little air
    zoom_y = math.log2(usable / (512 * frac_y)) if frac_y > 0 else 12.0
    zoom_x = math.log2(1.6 * usable / (512 * frac_x)) if frac_x > 0 else 12.0  # width ≈ 1.6 × height
    center = {"lon": round((west + east) / 2, 5), "lat": round((south + north) / 2, 5)}
    return center, round(min(zoom_x, zoom_y, 16.0), 2)


def _lines(features: Sequence[GeoFeature]) -> tuple[list[float | None], list[float | None]]:
    """All ring coordinates of the features as one lon/lat polyline, rings separated by None."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in features:
        geom = feature.geometry
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                lons += [pt[0] for pt in ring] + [None]
                lats += [pt[1] for pt in ring] + [None]
    return lons, lats


def _text_color(value: float, zmin: float, zmax: float) -> str:
    """Black or white label text, whichever reads better on the area's fill colour."""
    t = 0.5 if zmax <= zmin else (value - zmin) / (zmax - zmin)
    colour = sample_colorscale(COLORSCALE, [min(max(t, 0.0), 1.0)])[0]
    rgb = unlabel_rgb(colour) if colour.startswith("rgb") else hex_to_rgb(colour)
    luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255
    return "white" if luminance < 0.5 else "#1a1a1a"


def _value_trace(
    areas: list[GeoFeature],
    values: Mapping[str, float],
    value_label: str,
    value_format: Callable[[float], str],
    zrange: tuple[float, float],
    texts: Mapping[str, str] | None = None,
) -> go.Choroplethmap:
    """Coloured areas for districts with a publishable value."""
    zmin, zmax = zrange
    ticks = [zmin] if zmax <= zmin else [zmin + (zmax - zmin) * i / 4 for i in range(5)]
    return go.Choroplethmap(
        geojson=feature_collection(areas),
        locations=[a.area_id for a in areas],
        z=[values[a.area_id] for a in areas],
        featureidkey="id",
        customdata=[[a.area_id, a.name, (texts or {}).get(a.area_id) or f"{value_label}: {value_format(values[a.area_id])}"]
                    for a in areas],
        hovertemplate=HOVER,
        colorscale=COLORSCALE,
        zmin=zmin,
        zmax=zmax if zmax > zmin else zmin + 1,
        # each area's outline contrasts with its own fill (dark on light classes, white on dark ones)
        marker={"line": {"color": [_text_color(values[a.area_id], zmin, zmax) for a in areas], "width": 1.5},
                "opacity": 0.95},
        colorbar={
            "title": {"text": value_label, "side": "right"},
            "tickvals": ticks,
            "ticktext": [value_format(t) for t in ticks],
            "thickness": 14,
            "len": 0.75,
        },
        name=value_label,
        showlegend=False,
    )


def _grey_trace(areas: list[GeoFeature], suppressed: Collection[str]) -> go.Choroplethmap:
    """Light-grey areas for suppressed values ("·") and missing data; z is only a dummy colour index."""
    return go.Choroplethmap(
        geojson=feature_collection(areas),
        locations=[a.area_id for a in areas],
        z=[1] * len(areas),
        featureidkey="id",
        customdata=[
            [a.area_id, a.name, SUPPRESSED_TEXT if a.area_id in suppressed else NO_DATA_TEXT] for a in areas
        ],
        hovertemplate=HOVER,
        colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
        zmin=0,
        zmax=1,
        showscale=False,
        marker={"line": {"color": BORDER_COLOR, "width": 1.2}, "opacity": 0.95},
        name="keine Werte",
        showlegend=False,
    )


def _line_trace(features: Sequence[GeoFeature], color: str, width: float, name: str) -> go.Scattermap:
    """Outline of the features as a non-interactive line."""
    lons, lats = _lines(features)
    return go.Scattermap(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": color, "width": width},
        hoverinfo="skip",
        name=name,
        showlegend=False,
    )


def _label_traces(
    areas: list[GeoFeature], labels: Mapping[str, str], colors: Mapping[str, str]
) -> list[go.Scattermap]:
    """Name + value at each area's representative point; one trace per text colour."""
    traces = []
    for color in sorted(set(colors.values())):
        chosen = [a for a in areas if colors[a.area_id] == color]
        points = [shape(a.geometry).representative_point() for a in chosen]
        traces.append(
            go.Scattermap(
                lon=[round(p.x, 5) for p in points],
                lat=[round(p.y, 5) for p in points],
                mode="text",
                text=[f"{a.name}<br>{labels[a.area_id]}" for a in chosen],
                textfont={"size": 12, "color": color, "family": LABEL_FONT},
                textposition="middle center",
                hoverinfo="skip",
                name="Beschriftung",
                showlegend=False,
            )
        )
    return traces


def _annotations(features: Sequence[GeoFeature], example_data: bool) -> list[dict]:
    """Schematic warning (top left), example-data badge (top right) and attribution (bottom right)."""
    notes = []
    box = {
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "bgcolor": "rgba(255,255,255,0.92)",
        "borderpad": 4,
    }
    if any(f.schematic for f in features):
        notes.append(
            {
                **box,
                "text": SCHEMATIC_LABEL,
                "x": 0.01,
                "y": 0.99,
                "xanchor": "left",
                "yanchor": "top",
                "bordercolor": "#8c2d04",
                "borderwidth": 1,
                "font": {"size": 13, "color": "#8c2d04"},
                "name": "schematisch",
            }
        )
    if example_data:
        notes.append(
            {
                **box,
                "text": EXAMPLE_LABEL,
                "x": 0.01,
                "y": 0.90,
                "xanchor": "left",
                "yanchor": "top",
                "bordercolor": "#b30000",
                "borderwidth": 2,
                "font": {"size": 15, "color": "#b30000", "weight": "bold"},
                "name": "beispieldaten",
            }
        )
    attributions = list(dict.fromkeys(f.attribution for f in features if f.attribution))
    notes.append(
        {
            **box,
            "text": "Karte: " + " · ".join(attributions),
            "x": 0.99,
            "y": 0.01,
            "xanchor": "right",
            "yanchor": "bottom",
            "font": {"size": 10, "color": "#444444"},
            "name": "quelle",
        }
    )
    return notes


def choropleth_map(
    features: Sequence[GeoFeature],
    values: Mapping[str, float | None],
    *,
    title: str,
    value_label: str,
    value_format: Callable[[float], str],
    suppressed: Collection[str] = (),
    highlight: str | None = None,
    example_data: bool = False,
    height: int = 520,
    labels: bool = True,
    context: Sequence[GeoFeature] = (),
    value_texts: Mapping[str, str] | None = None,
) -> go.Figure:
    """Choropleth of the Stadtbezirke with city outline, labels, attribution and notes.

    ``value_texts`` (optional) replaces the formatted colour value in the labels and hovers, e.g. "1.837 (2,3 je 100
    Einw.)" when the colour is a rate and the count should stand beside it.

    Every district trace carries ``customdata = [area_id, name, hover text]`` so a click handler
    can read ``points[i]["customdata"][0]`` (or ``location``). ``labels=False`` leaves out the name/value
    labels (many small areas, e.g. Stimmbezirke); ``context`` areas (e.g. the Stadtbezirke around the
    Stimmbezirke) are drawn as thin outlines only.
    """
    areas = [f for f in features if f.level != "stadt"]
    outline = [f for f in features if f.level == "stadt"]
    suppressed = set(suppressed)
    with_value = [a for a in areas if a.area_id not in suppressed and _is_number(values.get(a.area_id))]
    without = [a for a in areas if a not in with_value]
    numbers = {a.area_id: float(values[a.area_id]) for a in with_value}  # type: ignore[arg-type]
    zrange = (min(numbers.values()), max(numbers.values())) if numbers else (0.0, 1.0)

    texts: dict[str, str] = {}
    colors: dict[str, str] = {}
    if labels:
        texts = {a.area_id: (value_texts or {}).get(a.area_id) or value_format(numbers[a.area_id]) for a in with_value}
        texts |= {a.area_id: SUPPRESSED_MARK if a.area_id in suppressed else NO_DATA_TEXT for a in without}
        colors = {a.area_id: _text_color(numbers[a.area_id], *zrange) for a in with_value}
        colors |= {a.area_id: "#1a1a1a" for a in without}

    fig = go.Figure()
    if with_value:
        fig.add_trace(_value_trace(with_value, numbers, value_label, value_format, zrange, value_texts))
    if without:
        fig.add_trace(_grey_trace(without, suppressed))
    if context:
        fig.add_trace(_line_trace(context, OUTLINE_COLOR, 1.2, "Stadtbezirksgrenzen"))
    if outline:
        fig.add_trace(_line_trace(outline, OUTLINE_COLOR, 2.0, "Stadtgrenze"))
    highlighted = [a for a in areas if a.area_id == highlight]
    if highlighted:
        fig.add_trace(_line_trace(highlighted, HIGHLIGHT_COLOR, 4.0, "Auswahl"))
    for trace in _label_traces(areas, texts, colors) if labels else []:
        fig.add_trace(trace)

    center, zoom = (
        _view(outline or areas, height) if (outline or areas) else ({"lon": 7.49, "lat": 51.34}, 10.3)
    )
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        map={"style": MAP_STYLE, "center": center, "zoom": zoom, "fitbounds": False},
        height=height,
        margin={"l": 4, "r": 4, "t": 40 if title else 4, "b": 4},
        separators=",.",
        uirevision=UIREVISION,
        clickmode="event+select",
        showlegend=False,
        annotations=_annotations([*features, *context], example_data),
        paper_bgcolor="white",
    )
    return fig


def clicked_area(selection: object, areas: Collection[str]) -> str | None:
    """The area id of the first clicked map area among ``areas``: ``customdata[0]``, else ``location``.

    ``selection`` is Streamlit's chart selection state, as a mapping or with attributes; anything else is no click.
    """
    try:
        points = selection["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        points = getattr(getattr(selection, "selection", None), "points", None) or []
    for point in points or []:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        area = (data[0] if data else None) or (point.get("location") if isinstance(point, Mapping) else None)
        if area in areas:
            return str(area)
    return None
