"""Presentation mode: named sequences of saved views (data/catalog/praesentationen.yaml), validated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import yaml

from integrationsmonitor.config import Settings
from integrationsmonitor.urlparams import echo
from integrationsmonitor.views import figures, index


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


#: Page CSS of presentation mode: no sidebar or header, large black type, and the slide as one column exactly as
#: high as the window (``100vh``): title, source line and navigation take their natural height, the wrapper of the
#: chart container (key ``folie_inhalt``) takes what is left (``flex: 1``) and the chart (``height="stretch"``)
#: fills it. So a slide fits 1.280 × 720 and 1.920 × 1.080 without scrolling however long its source line is
#: (tests/test_browser.py measures every slide at both sizes).
SLIDE_CSS = """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
    .block-container, [data-testid="stMainBlockContainer"] {padding: 0.6rem 1.5rem 0.4rem !important;
        max-width: 100% !important; height: 100vh !important; box-sizing: border-box !important;
        display: flex !important; flex-direction: column !important;}
    [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {gap: 0.35rem !important;
        flex: 1 1 0 !important; min-height: 0 !important;}
    [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > * {flex: 0 0 auto !important;}
    [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > [data-testid="stElementContainer"]:has(
        > [data-testid="stHtml"]) {display: none !important;}
    h1 {font-size: clamp(1.5rem, 2.3vw, 2.6rem) !important; color: #000 !important; line-height: 1.15 !important;
        padding: 0 !important;}
    .stMarkdown p, [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
        font-size: clamp(1rem, 1.25vw, 1.5rem) !important; color: #000 !important; margin-bottom: 0 !important;}
    /* Streamlit pulls a Markdown block up by the paragraph margin set to 0 above: it would overlap the next row */
    [data-testid="stMarkdownContainer"] {margin-bottom: 0 !important;}
    [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"]:has(
        > .st-key-folie_inhalt) {flex: 1 1 0 !important; min-height: 200px !important;}
    .st-key-folie_inhalt, .st-key-folie_inhalt [data-testid="stLayoutWrapper"]:has(
        > [class*="st-key-diagramm_folie_"]),
    .st-key-folie_inhalt [class*="st-key-diagramm_folie_"] {flex: 1 1 0 !important; min-height: 0 !important;}
    /* the reading sentence stays the chart's description for screen readers, the slide shows the chart */
    [class*="st-key-lesehilfe_folie_"] {position: absolute !important; width: 1px !important; height: 1px !important;
        overflow: hidden !important; clip: rect(0 0 0 0) !important; white-space: nowrap !important;}
    .stButton button {padding: 0.2rem 1.4rem !important; border: 2px solid #000 !important;}
    .st-key-folie_beenden p {text-align: right;}
    .stButton button p, [data-testid="stPageLink"] p {font-size: clamp(1rem, 1.2vw, 1.5rem) !important;
        color: #000 !important;}
    </style>"""

PROJECTOR_FONT = 22
PROJECTOR_TICKS = 20
PROJECTOR_LEGEND = 17  # six long source names still fit in three rows at 1.280 px


def projector_figure(fig: go.Figure) -> go.Figure:
    """A copy of the figure with type large enough for the back of the room and high contrast. Its height
    comes from the slide (no fixed height); legend, axis titles and event labels keep their own rows (legend at
    the bottom of the figure, below the axis title), so nothing overlaps."""
    big = go.Figure(fig)
    big.update_layout(font={"size": PROJECTOR_FONT, "color": "#000000"}, height=None, autosize=True, title=None,
                      paper_bgcolor="white", plot_bgcolor="white",
                      margin={"l": 80, "r": 30, "t": max(20, (big.layout.margin.t or 70) - 45), "b": 10})
    if big.layout.legend.yref == "container":
        big.update_layout(legend={"font": {"size": PROJECTOR_LEGEND, "color": "#000000"}})
    big.update_xaxes(tickfont={"size": PROJECTOR_TICKS, "color": "#000000"}, automargin=True,
                     title_font={"size": PROJECTOR_FONT, "color": "#000000"}, linecolor="#000000", gridcolor="#cccccc")
    big.update_yaxes(tickfont={"size": PROJECTOR_TICKS, "color": "#000000"}, automargin=True,
                     title_font={"size": PROJECTOR_FONT, "color": "#000000"}, linecolor="#000000", gridcolor="#cccccc")
    return figures.larger_event_labels(big, PROJECTOR_TICKS, copy=False)  # the room reads them too; big is a copy
