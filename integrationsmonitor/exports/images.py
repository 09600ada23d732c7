"""Server-side chart images (kaleido + Debian's chromium): one persistent browser for all figures.

Figures are rendered as they are on screen (same layout, template and separators), only at a fixed size and
with export fonts: every text is at least ``EXPORT_MIN_FONT_PX`` CSS pixels, so that on a slide (picture at
least ``MIN_PICTURE_WIDTH_IN`` wide) no chart text is below 14 pt. A batch starts ONE kaleido server (~0.15–0.3 s
per PNG instead of ~3 s with a fresh browser each time); in the dashboard process it stays running. PNGs are
kept by content, so a second package with the same figures renders none of them again.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import Future

import numpy as np
import plotly.graph_objects as go

from integrationsmonitor.exports import renderer
from integrationsmonitor.status import CATEGORY_ICON
from integrationsmonitor.views import figures

PRINT_ICON = {"auf_kurs": "✔", "gefaehrdet": "⚠", "nicht_auf_kurs": "✘", "keine_daten": "○"}

log = logging.getLogger(__name__)

SLIDE_SIZE = (960, 540)    # 16:9 in CSS pixels, rendered at scale 2 (1920 × 1080)
IMAGE_SCALE = 2
EXPORT_MIN_FONT_PX = 21    # every text of an exported chart, in CSS pixels of SLIDE_SIZE
MIN_CHART_PT = 14          # smallest chart text on a slide
# 14 pt = EXPORT_MIN_FONT_PX px × (picture width in pt / SLIDE_SIZE[0]) → the narrowest picture a slide may use:
MIN_PICTURE_WIDTH_IN = MIN_CHART_PT * SLIDE_SIZE[0] / (72 * EXPORT_MIN_FONT_PX)

_lock = threading.Lock()
_depth = 0                  # nesting of image_server blocks
_cache: OrderedDict[str, bytes] = OrderedDict()
CACHE_SIZE = 160
stats = {"rendered": 0, "cached": 0}


@contextlib.contextmanager
def image_server(keep: bool = False) -> Iterator[None]:
    """Keep the shared renderer for the block: started at the first figure, stopped when the outermost block
    ends — unless ``keep`` (the dashboard: the next package finds the browser running) or it ran before the block."""
    global _depth
    with _lock:
        outermost, was_running = _depth == 0, renderer.running()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
        if outermost and not was_running and not keep:
            renderer.stop()


def printable_text(text: str) -> str:
    """Status emoji of the screen → symbols that DejaVu Sans has (the server's chromium has no emoji font)."""
    for category, icon in CATEGORY_ICON.items():
        text = text.replace(icon, PRINT_ICON[category]).replace(icon.replace("\ufe0f", ""), PRINT_ICON[category])
    return text.replace("\ufe0f", "")


def _printable(obj: object) -> object:
    if isinstance(obj, str):
        return printable_text(obj)
    if isinstance(obj, dict):
        return {k: _printable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_printable(v) for v in obj]
    return obj


def _raise_fonts(obj: object, minimum: float) -> None:
    """Every explicit font size below ``minimum`` is raised to it (titles, ticks, legends, annotations …)."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in ("font", "tickfont", "titlefont", "insidetextfont", "outsidetextfont", "textfont") and \
                    isinstance(value, dict) and isinstance(value.get("size"), (int, float)):
                value["size"] = max(value["size"], minimum)
            elif key == "size" and isinstance(value, list) and obj.get("family") is not None:
                obj[key] = [max(v, minimum) if isinstance(v, (int, float)) else v for v in value]
            _raise_fonts(value, minimum)
    elif isinstance(obj, list):
        for value in obj:
            _raise_fonts(value, minimum)


def export_figure(fig: go.Figure, width: int, height: int) -> dict:
    """The figure as it is exported: printable symbols, fixed size, white paper, fonts ≥ EXPORT_MIN_FONT_PX,
    bar labels never clipped, event labels in rows for their export size below the title. The caller's figure is
    untouched."""
    # the title is exported at EXPORT_MIN_FONT_PX (the theme's 20 px are raised) unless the figure asks for more
    title_font = max(fig.layout.title.font.size or 0, EXPORT_MIN_FONT_PX)
    title_px = math.ceil(title_font * figures.LINE_HEIGHT) + figures.EVENT_GAP_PX if fig.layout.title.text else 0
    fig = figures.larger_event_labels(fig, EXPORT_MIN_FONT_PX, title_px=title_px)
    data = _printable(copy.deepcopy(fig.to_dict()))
    layout = data.setdefault("layout", {})
    layout["width"], layout["height"] = width, height
    layout.setdefault("paper_bgcolor", "white")
    layout["font"] = {**layout.get("font", {}), "size": max(layout.get("font", {}).get("size", 0),
                                                            EXPORT_MIN_FONT_PX)}
    template = layout.get("template")
    if isinstance(template, dict):
        _raise_fonts(template.get("layout", {}), EXPORT_MIN_FONT_PX)
    _raise_fonts(layout, EXPORT_MIN_FONT_PX)
    for trace in data.get("data", []):
        _raise_fonts(trace, EXPORT_MIN_FONT_PX)
        if trace.get("type", "scatter") in ("bar", "scatter") and (trace.get("text") is not None
                                                                 or trace.get("texttemplate")):
            trace["cliponaxis"] = False  # labels next to bars and points may reach into the margin, never cut
    for axis in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        layout[axis] = {**layout[axis], "automargin": True}
    for axis in _date_axes(data):
        spec = layout.setdefault(axis, {})
        if not spec.get("tickformat") and spec.get("ticktext") is None:
            spec["tickformat"] = GERMAN_DATE_TICKS  # never Plotly's English "Sep 30, 2021"
    _fit_legend(data)
    return data


LEGEND_ONE_COLUMN = 4   # legend entries an exported chart lists one per row
LEGEND_LABEL_CHARS = 28  # of EXPORT_MIN_FONT_PX text: what fits in half the plot width beside the symbol


def _fit_legend(data: dict) -> None:
    """Many series (e.g. one per source) would make a one-per-row legend taller than the plot at the fixed export
    size: list them in two columns, each name shortened to what fits there (the full names stand in the source
    line and the table below the figure)."""
    named = [t for t in data.get("data", []) if t.get("showlegend", True) is not False and t.get("name")]
    if len(named) <= LEGEND_ONE_COLUMN or data["layout"].get("showlegend") is False:
        return
    legend = data["layout"].setdefault("legend", {})
    legend.update(orientation="h", entrywidthmode="fraction", entrywidth=0.5, xanchor="left", x=0)
    for trace in named:
        name = str(trace["name"])
        if len(name) > LEGEND_LABEL_CHARS:
            trace["name"] = name[:LEGEND_LABEL_CHARS - 1].rstrip() + "…"


GERMAN_DATE_TICKS = "%d.%m.%Y"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _is_date(value: object) -> bool:
    return isinstance(value, (dt.date, np.datetime64)) or (isinstance(value, str) and bool(_ISO_DAY.match(value)))


def _date_axes(data: dict) -> set[str]:
    """Layout names of the axes that show dates (declared type 'date' or date values in a trace)."""
    layout = data.get("layout", {})
    out = {k for k, v in layout.items() if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict)
           and v.get("type") == "date"}
    for trace in data.get("data", []):
        for dim in ("x", "y"):
            values = trace.get(dim)
            if values is None or isinstance(values, dict):
                continue
            first = next((v for v in list(values)[:5] if v is not None), None)
            if _is_date(first):
                ref = trace.get(f"{dim}axis", dim)
                out.add(f"{dim}axis{ref[1:]}")
    return out


def _key(data: dict, scale: float) -> str:
    return hashlib.sha256(json.dumps([data, scale], sort_keys=True, default=str).encode()).hexdigest()


def _remember(key: str, image: bytes) -> None:
    with _lock:
        stats["rendered"] += 1
        _cache[key] = image
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def warm_up() -> None:
    """Start the renderer in the background (inside an :func:`image_server` block, so it is stopped with it)."""
    renderer.warm_up()


def submit(fig: go.Figure, width: int, height: int, scale: float = 1.0) -> Future:
    """Queue one figure's PNG and return at once (the future gives the bytes): the browser draws while the caller
    computes the next figure. From the cache if the same figure was drawn before; collect with :func:`collect`."""
    data = export_figure(fig, width, height)
    key = _key(data, scale)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            stats["cached"] += 1
            done: Future = Future()
            done.set_result(_cache[key])
            return done
    future = renderer.submit(data, {"format": "png", "width": width, "height": height, "scale": scale})
    future.add_done_callback(lambda f: f.cancelled() or f.exception() is not None or _remember(key, f.result()))
    return future


def collect(futures: list[Future]) -> list[bytes]:
    """The PNG bytes of queued figures, in order (German :class:`renderer.RenderError` if the renderer failed)."""
    return renderer.wait(futures)


def png(fig: go.Figure, width: int, height: int, scale: float = 1.0) -> bytes:
    """PNG bytes of one figure at the given size (uses the running renderer if there is one; cached by content)."""
    return pngs([fig], width, height, scale)[0]


def pngs(figs: list[go.Figure], width: int, height: int, scale: float = 1.0) -> list[bytes]:
    """PNGs of many figures, drawn by the renderer's tabs in parallel (a lone call stops the browser it started;
    inside :func:`image_server` one browser serves several batches)."""
    with image_server():
        return collect([submit(f, width, height, scale) for f in figs])
