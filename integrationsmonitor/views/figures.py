"""Generic Plotly figure builders: tidy frame in, go.Figure out (input untouched, no Streamlit).

German separators and the layout for a projector are set once in ``base_layout``; a column that the caller
names but the frame lacks raises a KeyError naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from integrationsmonitor import formatting
from integrationsmonitor.views import theme  # noqa: F401 - installs the monitor's default Plotly template
from integrationsmonitor.views.theme import FONT, PALETTE, STATUS, SYMBOLS  # noqa: F401 - re-exported

EXAMPLE_SUFFIX = " – Beispieldaten"


def require_columns(frame: pd.DataFrame, *columns: str | None) -> None:
    """Raise a KeyError naming every requested column the frame does not have."""
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise KeyError(f"Spalte(n) fehlen im Datenrahmen: {', '.join(missing)} (vorhanden: {', '.join(frame.columns)})")


def base_layout(fig: go.Figure, *, title: str, y_title: str = "", x_title: str = "", height: int = 460) -> go.Figure:
    """Title, height and axis titles; German separators, fonts, white background and the legend below the plot
    come from the monitor's default template (``theme``), which every new figure carries in its layout, so it
    looks the same on screen, in the PDF and on a slide."""
    fig.update_layout(title_text=title, height=height, separators=formatting.PLOTLY_SEPARATORS,
                      xaxis_title_text=x_title, yaxis_title_text=y_title)
    return fig


def _hover_value(value: float | None, unit: str, approx: bool, suppressed: bool) -> str:
    return formatting.value_with_unit(None if pd.isna(value) else value, unit, approx=approx, suppressed=suppressed)


def time_series(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    unit: str = "",
    y_title: str = "",
    example: str | None = None,
    approx: str | None = None,
    suppressed: str | None = None,
    target: float | None = None,
    target_due: dt.date | None = None,
    events: Sequence[tuple[dt.date, str]] = (),
    rangemode_zero: bool = True,
) -> go.Figure:
    """Line chart, one line per value of ``series`` (e.g. the source: never merged into one line).

    Series with example data are dashed and carry "Beispieldaten" in the legend; approximate values ("ca.")
    get open markers and "ca." in the hover; suppressed values are gaps with "·" in the hover. A target is a
    horizontal line (with its deadline in the label and a vertical line at the deadline); events are
    vertical annotations.
    """
    require_columns(frame, x, y, series, example, approx, suppressed)
    fig = go.Figure()
    data = frame.sort_values([series, x])
    for i, (name, part) in enumerate(data.groupby(series, sort=False)):
        is_example = bool(part[example].any()) if example else False
        flags_approx = part[approx].fillna(False).astype(bool) if approx else pd.Series(False, index=part.index)
        flags_supp = part[suppressed].fillna(False).astype(bool) if suppressed else pd.Series(False, index=part.index)
        hover = [
            f"{formatting.date(p)}: {_hover_value(v, unit, a, s)}"
            for p, v, a, s in zip(part[x], part[y], flags_approx, flags_supp, strict=True)
        ]
        color, symbol = PALETTE[i % len(PALETTE)], SYMBOLS[i % len(SYMBOLS)]  # series told apart by symbol too
        fig.add_trace(go.Scatter(
            x=list(part[x]), y=[None if pd.isna(v) else float(v) for v in part[y]],
            mode="lines+markers", name=f"{name}{EXAMPLE_SUFFIX if is_example else ''}",
            line=dict(color=color, width=3, dash="dash" if is_example else "solid"),
            marker=dict(size=[11 if a else 8 for a in flags_approx],
                        symbol=[f"{symbol}-open" if a else symbol for a in flags_approx],
                        line=dict(width=2, color=color)),
            text=hover, hovertemplate="%{text}<extra>" + str(name) + "</extra>", connectgaps=False,
        ))
    if target is not None:
        label = f"Zielwert {formatting.value_with_unit(target, unit)}"
        if target_due is not None:
            label += f" bis {formatting.date(target_due)}"
        fig.add_hline(y=target, line=dict(color="#111827", width=2, dash="dot"),
                      annotation_text=label, annotation_position="top left")
    if target_due is not None:
        _vertical(fig, target_due, f"Frist {formatting.date(target_due)}", color="#b91c1c", row=0)
    dates = list(data[x]) if len(data) else []
    lo, hi = (min(dates), max(dates)) if dates else (None, None)
    for n, (when, text) in enumerate(events):
        if lo is not None and lo <= when <= hi:
            _vertical(fig, when, text, color="#6b7280", row=n % 3 + 1)
    if rangemode_zero:
        fig.update_yaxes(rangemode="tozero")
    fig.update_layout(showlegend=True)  # even one line: the legend names its source (and "Beispieldaten")
    return base_layout(fig, title=title, y_title=y_title or unit)


def _vertical(fig: go.Figure, when: dt.date, text: str, *, color: str, row: int) -> None:
    """A vertical line with a short label at the top (staggered so that labels do not overlap)."""
    fig.add_shape(type="line", x0=when, x1=when, yref="paper", y0=0, y1=1,
                  line=dict(color=color, width=1.5, dash="dash"))
    fig.add_annotation(x=when, yref="paper", y=1 - 0.07 * row, text=text, showarrow=False, xanchor="left",
                       font=dict(size=13, color=color), bgcolor="rgba(255,255,255,0.85)")


def status_bars(
    frame: pd.DataFrame,
    *,
    group: str,
    category: str,
    count: str,
    title: str,
    order: Sequence[str],
    labels: dict[str, str],
    icons: dict[str, str],
    colors: dict[str, str],
    group_order: Sequence[str] | None = None,
) -> go.Figure:
    """Horizontal stacked bars: per group the count of each category, labelled with icon + word + count."""
    require_columns(frame, group, category, count)
    groups = list(group_order) if group_order is not None else list(dict.fromkeys(frame[group]))
    fig = go.Figure()
    for cat in order:
        part = frame[frame[category] == cat].groupby(group)[count].sum()
        values = [int(part.get(g, 0)) for g in groups]
        style = STATUS.get(cat, {})
        name = f"{icons.get(cat, '')} {labels.get(cat, cat)}".strip()
        fig.add_trace(go.Bar(
            y=groups, x=values, orientation="h", name=name,
            marker=dict(color=colors.get(cat, "#6b7280"), line=dict(color="#ffffff", width=1.5),
                        pattern=dict(shape=style.get("pattern", ""), fgcolor="#ffffff", fgopacity=0.45, size=9,
                                     solidity=0.15)),
            # a white mark (✓ ! ✗ ?) and the count on the bar: readable on every status colour (≥ 4.5 : 1)
            text=[f"{style.get('mark', '')} {v}".strip() if v else "" for v in values], textposition="inside",
            insidetextanchor="middle", textfont=dict(color="#ffffff", size=16, weight="bold"),
            hovertemplate="%{y}: %{x} " + name + "<extra></extra>",
        ))
    fig.update_layout(barmode="stack")
    base_layout(fig, title=title, x_title="Anzahl Leitziele", height=max(300, 80 + 48 * len(groups)))
    fig.update_yaxes(autorange="reversed", tickformat=None, title_text="")
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig
