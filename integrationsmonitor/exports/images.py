"""Server-side chart images (kaleido + Debian's chromium): one browser for a whole batch.

Figures are rendered as they are on screen (same layout, template and separators), only at a fixed size; a
batch starts ONE kaleido server (~0.1–0.2 s per PNG instead of ~3 s with a fresh browser each time).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import plotly.graph_objects as go

from integrationsmonitor.status import CATEGORY_ICON

PRINT_ICON = {"auf_kurs": "✔", "gefaehrdet": "⚠", "nicht_auf_kurs": "✘", "keine_daten": "○"}

log = logging.getLogger(__name__)

SLIDE_SIZE = (960, 540)    # 16:9 in CSS pixels, rendered at scale 2 (1920 × 1080): screen layout, larger type
IMAGE_SCALE = 2


@contextlib.contextmanager
def image_server() -> Iterator[None]:
    """Start one kaleido server for the block; stop it afterwards (nested use is harmless)."""
    import kaleido

    started = False
    if not kaleido._global_server.is_running():  # noqa: SLF001 - kaleido 1.x has no public "is running"
        kaleido.start_sync_server(silence_warnings=True)
        started = True
    try:
        yield
    finally:
        if started:
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


def png(fig: go.Figure, width: int, height: int, scale: float = 1.0) -> bytes:
    """PNG bytes of one figure at the given size (uses the running server if there is one)."""
    import kaleido

    printable = go.Figure(_printable(fig.to_dict()))  # a copy with printable symbols; the caller's is untouched
    printable.update_layout(width=width, height=height)
    if printable.layout.paper_bgcolor is None:
        printable.update_layout(paper_bgcolor="white")
    return kaleido.calc_fig_sync(printable, opts={"format": "png", "width": width, "height": height,
                                                  "scale": scale})

