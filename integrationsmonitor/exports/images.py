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
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

from integrationsmonitor.status import CATEGORY_ICON

PRINT_ICON = {"auf_kurs": "✔", "gefaehrdet": "⚠", "nicht_auf_kurs": "✘", "keine_daten": "○"}

log = logging.getLogger(__name__)

SLIDE_SIZE = (960, 540)    # 16:9 in CSS pixels, rendered at scale 2 (1920 × 1080)
IMAGE_SCALE = 2
EXPORT_MIN_FONT_PX = 21    # every text of an exported chart, in CSS pixels of SLIDE_SIZE
MIN_CHART_PT = 14          # smallest chart text on a slide
# 14 pt = EXPORT_MIN_FONT_PX px × (picture width in pt / SLIDE_SIZE[0]) → the narrowest picture a slide may use:
MIN_PICTURE_WIDTH_IN = MIN_CHART_PT * SLIDE_SIZE[0] / (72 * EXPORT_MIN_FONT_PX)

_lock = threading.Lock()
_cache: OrderedDict[str, bytes] = OrderedDict()
CACHE_SIZE = 160
RENDER_TIMEOUT_S = 90
RENDER_TABS = 2            # browser tabs drawing in parallel (the machine has two cores)
stats = {"rendered": 0, "cached": 0}


@contextlib.contextmanager
def image_server(keep: bool = False) -> Iterator[None]:
    """Start one kaleido server for the block (nested use is harmless); ``keep`` leaves it running for the next
    batch (the dashboard), otherwise it stops afterwards (CLI, tests)."""
    import kaleido

    started = False
    if not kaleido._global_server.is_running():  # noqa: SLF001 - kaleido 1.x has no public "is running"
        kaleido.start_sync_server(n=RENDER_TABS, silence_warnings=True)
        started = True
    try:
        yield
    finally:
        if started and not keep:
            kaleido.stop_sync_server(silence_warnings=True)


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
    bar labels never clipped. The caller's figure is untouched."""
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
        if trace.get("type") == "bar" and (trace.get("text") is not None or trace.get("texttemplate")):
            trace["cliponaxis"] = False  # labels outside the bars may reach into the margin, never cut
    for axis in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        layout[axis] = {**layout[axis], "automargin": True}
    for axis in _date_axes(data):
        spec = layout.setdefault(axis, {})
        if not spec.get("tickformat") and spec.get("ticktext") is None:
            spec["tickformat"] = GERMAN_DATE_TICKS  # never Plotly's English "Sep 30, 2021"
    return data


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


class RenderError(RuntimeError):
    """The chart renderer (kaleido/chromium) did not answer (German message)."""


def _with_deadline(kaleido, work, seconds: float):
    """Run one call on the kaleido server with a deadline: kaleido's server waits forever when its browser died
    (e.g. chromium failed to start on a busy machine), so the call runs in a daemon thread we can give up on."""
    server = kaleido._global_server  # noqa: SLF001
    if server.is_running() and not server._thread.is_alive():  # noqa: SLF001 - the browser thread died
        server._initialized = False  # noqa: SLF001
        kaleido.start_sync_server(n=RENDER_TABS, silence_warnings=True)
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except Exception as exc:  # noqa: BLE001 - handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True, name="kaleido-call")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        server._initialized = False  # noqa: SLF001 - a stuck server is abandoned; the next call starts a new one
        raise RenderError(f"Der Diagramm-Renderer (Chromium über kaleido) hat nach {seconds:.0f} s nicht "
                          "geantwortet – bitte das Paket erneut erzeugen.")
    if "error" in box:
        raise RenderError(f"Ein Diagramm konnte nicht gezeichnet werden: {box['error']}") from box["error"]
    return box["result"]


def _render(kaleido, data: dict, opts: dict) -> bytes:
    return _with_deadline(kaleido, lambda: kaleido.calc_fig_sync(data, opts=opts), RENDER_TIMEOUT_S)


def _key(data: dict, scale: float) -> str:
    return hashlib.sha256(json.dumps([data, scale], sort_keys=True, default=str).encode()).hexdigest()


def _remember(key: str, image: bytes) -> None:
    with _lock:
        stats["rendered"] += 1
        _cache[key] = image
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def png(fig: go.Figure, width: int, height: int, scale: float = 1.0) -> bytes:
    """PNG bytes of one figure at the given size (uses the running server if there is one; cached by content)."""
    import kaleido

    data = export_figure(fig, width, height)
    key = _key(data, scale)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            stats["cached"] += 1
            return _cache[key]
    image = _render(kaleido, data, {"format": "png", "width": width, "height": height, "scale": scale})
    _remember(key, image)
    return image


def pngs(figs: list[go.Figure], width: int, height: int, scale: float = 1.0) -> list[bytes]:
    """PNGs of many figures: cached ones from memory, the rest in one batch drawn by ``RENDER_TABS`` browser tabs
    in parallel (uses the running server; call inside :func:`image_server`)."""
    import kaleido

    datas = [export_figure(f, width, height) for f in figs]
    keys = [_key(d, scale) for d in datas]
    out: dict[int, bytes] = {}
    with _lock:
        for i, key in enumerate(keys):
            if key in _cache:
                _cache.move_to_end(key)
                stats["cached"] += 1
                out[i] = _cache[key]
    missing = [i for i in range(len(figs)) if i not in out]
    if missing:
        opts = {"format": "png", "width": width, "height": height, "scale": scale}
        with tempfile.TemporaryDirectory(prefix="imh-png-") as tmp:
            jobs = [{"fig": datas[i], "path": str(Path(tmp) / f"{i}.png"), "opts": opts} for i in missing]
            _with_deadline(kaleido, lambda: kaleido.write_fig_from_object_sync(jobs),
                           RENDER_TIMEOUT_S + 5 * len(jobs))
            for i in missing:
                out[i] = (Path(tmp) / f"{i}.png").read_bytes()
                _remember(keys[i], out[i])
    return [out[i] for i in range(len(figs))]
