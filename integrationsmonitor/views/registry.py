"""A *view* is one figure the monitor shows: chart + table + Quelle/Stand + reading sentence.

Pages render views, the committee package exports them and presentation mode steps through them —
so every figure is produced once, by a pure function ``(runner, **params) -> ViewResult``, and looks
the same on screen, on a slide and in the PDF. View functions register themselves with ``@view``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import theme  # noqa: F401 - installs the monitor's default Plotly template


@dataclass
class ViewResult:
    """Everything needed to show one figure anywhere (screen, PDF, PPTX, XLSX, presentation)."""

    key: str                     # registry key, e.g. "eu2_zeitreihe"
    title: str                   # German title
    figure: go.Figure | None     # None when there is nothing honest to draw (then ``sentence`` says why)
    table: pd.DataFrame          # the numbers behind the figure, German column headers incl. unit
    source: str                  # "Quelle: …" text without the prefix
    stand: str                   # reference date(s), German format, e.g. "31.12.2022"
    sentence: str                # generated plain-language reading aid (Lesehilfe)
    example_data: bool = False   # True if any number shown is example data
    footnotes: list[str] = field(default_factory=list)  # e.g. "· = geheim gehalten (weniger als 3 Fälle)"
    params: dict[str, object] = field(default_factory=dict)  # the parameters that produced it (for permalinks)

    @property
    def source_line(self) -> str:
        line = f"Quelle: {self.source} · Stand: {self.stand}"
        return line + (" · BEISPIELDATEN" if self.example_data else "")


ViewFunction = Callable[..., ViewResult]
REGISTRY: dict[str, ViewFunction] = {}


def view(key: str) -> Callable[[ViewFunction], ViewFunction]:
    """Register a view function under ``key`` (unique)."""

    def register(func: ViewFunction) -> ViewFunction:
        if key in REGISTRY and REGISTRY[key] is not func:
            raise ValueError(f"View {key!r} ist doppelt registriert")
        REGISTRY[key] = func
        return func

    return register


def render(key: str, runner: QueryRunner, **params: object) -> ViewResult:
    """Produce a registered view."""
    load_all()
    if key not in REGISTRY:
        raise KeyError(f"unbekannte Ansicht {key!r}")
    return REGISTRY[key](runner, **params)


def accepted(key: str, **candidates: object) -> dict[str, object]:
    """The subset of ``candidates`` that the view ``key`` takes as parameters (for pages that offer the same
    filters to a changing set of views)."""
    import inspect

    load_all()
    names = inspect.signature(REGISTRY[key]).parameters
    return {k: v for k, v in candidates.items() if k in names}


def load_all() -> None:
    """Import every module that registers views (kept here, so exports and pages see the same set)."""
    from integrationsmonitor.views import eu2, leitziele, quartiere, vergleich  # noqa: F401 - registers views
