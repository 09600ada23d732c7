"""A *view* is one figure the monitor shows: chart + table + Quelle/Stand + reading sentence.

Pages render views, the committee package exports them and presentation mode steps through them — so every
figure is produced once, by a pure function ``(runner, **params) -> ViewResult``, and looks the same on screen,
on a slide and in the PDF. The functions are listed in ``views/index.py``.

A ViewResult is cached once and shared by every session, so it is immutable: attributes cannot be reassigned,
``footnotes`` is a tuple, ``params`` a read-only mapping, ``table`` hands out a copy-on-write copy (changing it
never reaches the cached frame) and ``figure`` is frozen (changing it raises).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import pandas as pd
import plotly.graph_objects as go

from integrationsmonitor import wording
from integrationsmonitor.views import (
    figures,
    theme,  # noqa: F401 - installs the monitor's default Plotly template
)


class FrozenFigureError(TypeError):
    """Raised when code tries to change a figure that belongs to a shared ViewResult."""


class FrozenFigure(go.Figure):
    """A go.Figure whose data and layout can no longer change. Copy it (``go.Figure(fig)``) to modify."""

    def _refuse(self, *args, **kwargs):
        raise FrozenFigureError("Diese Abbildung gehört zu einer geteilten Ansicht; bitte go.Figure(fig) kopieren.")

    _relayout_child = _refuse
    _restyle_child = _refuse
    _dispatch_layout_change_callbacks = _refuse
    _dispatch_trace_change_callbacks = _refuse
    add_traces = _refuse
    plotly_relayout = _refuse
    plotly_restyle = _refuse
    plotly_update = _refuse
    batch_update = _refuse
    update = _refuse

    def __setattr__(self, name: str, value: object) -> None:
        if name in ("data", "layout", "frames"):
            self._refuse()
        super().__setattr__(name, value)


def freeze_figure(fig: go.Figure | None) -> go.Figure | None:
    """The same figure object, from now on refusing every change (no copy, no cost)."""
    if fig is not None and not isinstance(fig, FrozenFigure):
        fig.__class__ = FrozenFigure
        # In batch mode plotly leaves a child's properties unchanged and only reports the edit to the figure,
        # which refuses it: so a refused change leaves nothing half-done behind.
        fig._in_batch_mode = True
    return fig


def _public_table(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells in their public wording (source names without working notes, see :mod:`wording`)."""
    texts = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    if not texts:
        return table
    out = table.copy()
    for column in texts:
        out[column] = [wording.public_text(v) if isinstance(v, str) else v for v in out[column]]
    return out


class ViewResult:
    """Everything needed to show one figure anywhere (screen, PDF, PPTX, XLSX, presentation).

    Made public on construction, whichever view made it: source names lose their working notes
    (:mod:`wording`) in the source line, title, sentence, Stand, footnotes and table; the figure is finished by
    :func:`figures.finish` (German year-end ticks, axis ending at the data, legend below) before it is frozen."""

    __slots__ = ("key", "title", "figure", "_table", "source", "stand", "sentence", "example_data", "footnotes",
                 "params", "_frozen")

    def __init__(self, key: str, title: str, figure: go.Figure | None, table: pd.DataFrame, source: str,
                 stand: str, sentence: str, example_data: bool = False, footnotes: Iterable[str] = (),
                 params: Mapping[str, object] | None = None) -> None:
        if figure is not None and not isinstance(figure, FrozenFigure):
            figures.finish(figure)
        self.key = key                      # index key, e.g. "eu2_zeitreihe"
        self.title = wording.public_text(title)  # German title
        self.figure = freeze_figure(figure)  # None when there is nothing honest to draw (``sentence`` says why)
        # the numbers behind the figure, German column headers incl. unit
        self._table = _public_table(table.copy(deep=False))
        self.source = wording.public_source(source)  # "Quelle: …" text without the prefix
        self.stand = wording.public_text(stand)  # reference date(s), German format, e.g. "31.12.2022"
        self.sentence = wording.public_text(sentence)  # generated plain-language reading aid (Lesehilfe)
        self.example_data = bool(example_data)  # True if any number shown is example data
        self.footnotes = tuple(wording.public_text(n) for n in footnotes)  # "· = geheim gehalten (…)"
        self.params = MappingProxyType(dict(params or {}))  # the parameters that produced it (for permalinks)
        self._frozen = True

    def __setattr__(self, name: str, value: object) -> None:
        if getattr(self, "_frozen", False):
            raise AttributeError(f"ViewResult ist unveränderlich (Feld {name!r})")
        object.__setattr__(self, name, value)

    @property
    def table(self) -> pd.DataFrame:
        """A copy-on-write copy of the table: changing it never changes the shared result."""
        return self._table.copy(deep=False)

    @property
    def file_stem(self) -> str:
        """File name (without extension) for this figure's downloads: its title and Stand, so it names every
        filter that changes the numbers."""
        return theme.file_stem(f"{self.title} {self.stand.split(' ')[0]}")

    @property
    def source_line(self) -> str:
        line = f"Quelle: {self.source} · Stand: {self.stand}"
        return line + (" · BEISPIELDATEN" if self.example_data else "")

    def with_params(self, params: Mapping[str, object]) -> ViewResult:
        """The same result with other permalink parameters (a new object; this one stays as it is)."""
        return ViewResult(self.key, self.title, self.figure, self._table, self.source, self.stand, self.sentence,
                          self.example_data, self.footnotes, params)

    def __repr__(self) -> str:
        return f"ViewResult({self.key!r}, {self.title!r}, params={dict(self.params)!r})"
