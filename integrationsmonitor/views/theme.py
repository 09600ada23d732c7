"""The monitor's Plotly template ("imh"): plotly_white's look plus German separators, readable fonts and a
colour-blind-safe palette, registered once and made the default for every figure the monitor draws.

Why a template of its own: assigning ``template="plotly_white"`` copies and validates the whole built-in
template (all 24 trace types) on every figure — about 6 ms each, most of a figure's build time. This one
carries only the layout and the two trace types the monitor uses, so a new figure starts from it for free.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go
import plotly.io as pio
from babel.dates import get_day_names, get_month_names

from integrationsmonitor.formatting import LOCALE, PLOTLY_SEPARATORS

NAME = "imh"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=16, color="#1f2937")  # ticks too: 14.7 : 1
# Colour-blind-safe palette (Okabe–Ito hues, darkened where needed): every colour ≥ 4.5 : 1 against the white
# background (lines and bars need 3 : 1, WCAG 1.4.11). Meaning is never carried by colour alone: each series also
# has its own marker symbol (SYMBOLS), example data are dashed, states have patterns and marks (STATUS).
PALETTE = ("#0072B2", "#C0470B", "#007A5E", "#A8437E", "#8A5A00", "#3B5BA9", "#000000", "#6B4C9A")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "hexagon")
# Status of a Leitziel: colour (≥ 4.5 : 1 against white, white text on it ≥ 4.5 : 1), fill pattern and a mark that
# is drawn in white on the bar (the emoji icons ✅ ⚠️ ❌ vanish on green, orange and red bars).
STATUS = {
    "auf_kurs": {"color": "#1a7f37", "pattern": "", "mark": "✓"},
    "gefaehrdet": {"color": "#a35200", "pattern": "/", "mark": "!"},
    "nicht_auf_kurs": {"color": "#b91c1c", "pattern": "x", "mark": "✗"},
    "keine_daten": {"color": "#6b7280", "pattern": ".", "mark": "?"},
}
# Bars of one area among others: the selected district, the city, the rest — told apart by colour and pattern.
AREA_BAR = {
    "selected": {"color": "#08519c", "pattern": "x"},
    "city": {"color": "#b35806", "pattern": "/"},
    "other": {"color": "#737373", "pattern": ""},
}
TEXT_COLOR = "#1f2937"  # 14.7 : 1 on white: titles, ticks, legend


def _template() -> go.layout.Template:
    white = pio.templates["plotly_white"]
    layout = white.layout.to_plotly_json()
    keep = {k: layout[k] for k in ("autotypenumbers", "hovermode", "paper_bgcolor", "plot_bgcolor", "coloraxis",
                                   "colorscale", "xaxis", "yaxis", "shapedefaults", "annotationdefaults")
            if k in layout}
    axis = {"tickfont": {"color": "#1f2937"}, "title": {"font": {"color": "#1f2937"}}, "linecolor": "#6b7280",
            # numbers in full with German grouping ("700.000"), never Plotly's English SI suffixes ("700k")
            "exponentformat": "none", "separatethousands": True}
    keep["xaxis"] = {**keep.get("xaxis", {}), **axis, "gridcolor": "#f3f4f6"}
    keep["yaxis"] = {**keep.get("yaxis", {}), **axis, "tickformat": ",~r", "gridcolor": "#e5e7eb",
                     "zerolinecolor": "#6b7280"}
    data = white.data.to_plotly_json()
    return go.layout.Template(
        layout=dict(
            keep,
            separators=PLOTLY_SEPARATORS,
            font=FONT,
            colorway=list(PALETTE),
            margin=dict(l=70, r=30, t=70, b=40),
            legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
            hoverlabel=dict(font_size=15, align="left"),
            title=dict(x=0, xanchor="left", font=dict(size=20)),
        ),
        data={k: data[k] for k in ("scatter", "bar") if k in data},
    )


def _week(width: str) -> list[str]:
    names = get_day_names(width, locale=LOCALE)
    return [names[6]] + [names[i] for i in range(6)]  # Plotly counts from Sunday, Babel from Monday


#: Plotly's German locale for the browser (``config.locales``, used by ``serving.chrome.chart_config``): month and
#: day names from Babel, German separators, and the toolbar and hover strings Plotly shows itself. Streamlit
#: ships no Plotly locale module; passing it in the chart's config is enough (no script to load).
PLOTLY_LOCALE = {
    "dictionary": {
        "Autoscale": "Automatisch skalieren", "Box Select": "Rechteckauswahl", "Download plot": "Diagramm herunterladen",
        "Download plot as a png": "Diagramm als PNG herunterladen",
        "Download plot as a PNG": "Diagramm als PNG herunterladen", "Lasso Select": "Lassoauswahl",
        "Double-click to zoom back out": "Doppelklick: zurück zur Gesamtansicht", "Pan": "Verschieben",
        "Produced with Plotly.js": "Erstellt mit Plotly.js", "Reset": "Zurücksetzen",
        "Reset axes": "Achsen zurücksetzen", "Reset view": "Ansicht zurücksetzen",
        "Show closest data on hover": "Nächsten Wert beim Überfahren zeigen", "Snapshot succeeded": "Bild erstellt",
        "Sorry, there was a problem downloading your snapshot!": "Das Bild konnte nicht heruntergeladen werden.",
        "Taking snapshot - this may take a few seconds": "Bild wird erstellt – das kann einige Sekunden dauern",
        "Toggle Spike Lines": "Hilfslinien ein/aus", "Zoom": "Zoomen", "Zoom in": "Vergrößern",
        "Zoom out": "Verkleinern", "Compare data on hover": "Werte beim Überfahren vergleichen",
        "Toggle show closest data on hover": "Nächsten Wert beim Überfahren ein/aus", "trace": "Reihe",
        "lat:": "Breite:", "lon:": "Länge:", "new text": "neuer Text",
    },
    "format": {
        "days": _week("wide"), "shortDays": _week("abbreviated"),
        "months": list(get_month_names("wide", locale=LOCALE).values()),
        "shortMonths": list(get_month_names("abbreviated", locale=LOCALE).values()),
        "date": "%d.%m.%Y", "decimal": ",", "thousands": ".",
    },
}


def file_stem(title: str) -> str:
    """A file name from a chart title, keeping every filter it names:
    'Ausländer:innen – Bulgarien nach Stadtbezirk, 31.12.2024' → 'Ausländer-innen_Bulgarien_nach_Stadtbezirk_31.12.2024'."""
    text = re.sub(r"[:/\\]", "-", title.replace(": ", "_"))  # "Rumänien: Haspe" → "Rumänien_Haspe"
    text = re.sub(r"[^\w.\-]+", "_", text.replace(" – ", "_").replace("–", "-"))
    return re.sub(r"_{2,}", "_", text).strip("_.-")[:120] or "Abbildung"


def install() -> None:
    """Register the template and make it Plotly's default (idempotent)."""
    if NAME not in pio.templates:
        pio.templates[NAME] = _template()
    pio.templates.default = NAME


install()
