"""Server-side chart images (kaleido + Debian's chromium): one browser for a whole batch.

Figures are rendered as they are on screen (same layout, template and separators), only at a fixed size; a
batch starts ONE kaleido server (~0.1–0.2 s per PNG instead of ~3 s with a fresh browser each time).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator

import plotly.graph_objects as go

log = logging.getLogger(__name__)

SLIDE_SIZE = (1280, 720)   # 16:9, for slides and presentation
PAGE_SIZE = (1100, 620)    # for the A4 PDF


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


def png(fig: go.Figure, width: int, height: int, scale: float = 1.0) -> bytes:
    """PNG bytes of one figure at the given size (uses the running server if there is one)."""
    import kaleido

    printable = go.Figure(fig)  # copy: the caller's figure is not touched
    printable.update_layout(width=width, height=height)
    if printable.layout.paper_bgcolor is None:
        printable.update_layout(paper_bgcolor="white")
    return kaleido.calc_fig_sync(printable, opts={"format": "png", "width": width, "height": height,
                                                  "scale": scale})


def pngs(figs: Iterable[go.Figure], width: int, height: int, scale: float = 1.0) -> list[bytes]:
    """Render a batch with one browser."""
    with image_server():
        return [png(f, width, height, scale) for f in figs]
