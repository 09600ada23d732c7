"""Presentation mode: named sequences of saved views (data/catalog/praesentationen.yaml), validated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import yaml

from integrationsmonitor.config import Settings
from integrationsmonitor.urlparams import echo
from integrationsmonitor.views import index


@dataclass(frozen=True)
class Slide:
    key: str
    params: dict[str, object]


@dataclass(frozen=True)
class Sequence:
    name: str
    title: str
    slides: list[Slide]
    skipped: list[str]          # German notes on slides whose view is not registered


def sequences_file() -> Path:
    """data/catalog/praesentationen.yaml, or the file named by $IMH_PRAESENTATIONEN."""
    return Settings.from_env().presentations_file


def load_sequences(path: Path | None = None) -> dict[str, Sequence]:
    """All named sequences; slides whose view is not registered are left out with a note."""
    doc = yaml.safe_load(Path(path or sequences_file()).read_text(encoding="utf-8")) or {}
    out: dict[str, Sequence] = {}
    for name, spec in (doc.get("folgen") or {}).items():
        slides, skipped = [], []
        for item in spec.get("folien") or []:
            key = item.get("ansicht")
            if key in index.VIEWS:
                slides.append(Slide(key, dict(item.get("parameter") or {})))
            else:
                skipped.append(f"Ansicht „{key}“ ist nicht vorhanden – Folie ausgelassen.")
        out[str(name)] = Sequence(str(name), str(spec.get("titel") or name), slides, skipped)
    return out


def parse_slide_number(raw: object, count: int) -> tuple[int, str | None]:
    """URL value ?folie=<n> (1-based) → index 0..count-1 and an optional German warning."""
    if raw is None or raw == "":
        return 0, None
    try:
        number = int(str(raw))
    except ValueError:
        return 0, f"„{echo(raw)}“ ist keine Foliennummer – Folie 1 wird gezeigt."
    if not 1 <= number <= max(count, 1):
        return 0, f"Folie {number} gibt es nicht (1–{count}) – Folie 1 wird gezeigt."
    return number - 1, None


def projector_figure(fig: go.Figure) -> go.Figure:
    """A copy of the figure with type large enough for the back of the room and high contrast."""
    big = go.Figure(fig)
    big.update_layout(font={"size": 22, "color": "#000000"}, height=560, title=None,
                      legend={"font": {"size": 20, "color": "#000000"}}, paper_bgcolor="white", plot_bgcolor="white",
                      margin={"l": 70, "r": 30, "t": 30, "b": 120})
    big.update_xaxes(tickfont={"size": 20, "color": "#000000"}, title_font={"size": 22, "color": "#000000"}, linecolor="#000000", gridcolor="#cccccc")
    big.update_yaxes(tickfont={"size": 20, "color": "#000000"}, title_font={"size": 22, "color": "#000000"}, linecolor="#000000", gridcolor="#cccccc")
    return big
