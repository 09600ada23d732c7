"""Generic Plotly figure builders: tidy frame in, go.Figure out (input untouched, no Streamlit).

German separators and the layout for a projector are set once in ``base_layout``; a column that the caller
names but the frame lacks raises a KeyError naming it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from integrationsmonitor import formatting, wording
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


def hidden_marks(x: Sequence, hidden: Sequence[bool], *, name: str = "", offsetgroup: str | None = None) -> go.Scatter:
    """The sign "·" where a bar is hidden (statistical confidentiality): the bar itself is a gap (y = None), never
    a bar of height 0; this text trace puts "·" on the baseline of its slot, with "geheim gehalten" as hover."""
    xs = [v for v, h in zip(x, hidden, strict=True) if h]
    return go.Scatter(x=xs, y=[0] * len(xs), mode="text", text=[formatting.SUPPRESSED] * len(xs),
                      textposition="top center", textfont={"size": 18}, showlegend=False, name=name,
                      offsetgroup=offsetgroup, cliponaxis=False,
                      hovertemplate=f"%{{x}}: {formatting.SUPPRESSED} geheim gehalten<extra>{name}</extra>")


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
    dotted line named in the legend (with its deadline), a deadline inside the data range a vertical line;
    events are vertical lines labelled above the plot. Nothing written inside the plot can hide a point, the
    time axis ends at the data and names each year-end (see :func:`time_axis`).
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
        label = wording.public_source(str(name))
        fig.add_trace(go.Scatter(
            x=list(part[x]), y=[None if pd.isna(v) else float(v) for v in part[y]],
            mode="lines+markers", name=f"{label}{EXAMPLE_SUFFIX if is_example and 'Beispieldaten' not in label else ''}",
            line=dict(color=color, width=3, dash="dash" if is_example else "solid"),
            marker=dict(size=[11 if a else 8 for a in flags_approx],
                        symbol=[f"{symbol}-open" if a else symbol for a in flags_approx],
                        line=dict(width=2, color=color)),
            text=hover, hovertemplate="%{text}<extra>" + label + "</extra>", connectgaps=False,
        ))
    dates = [_as_date(d) for d in data[x]] if len(data) else []
    lo, hi = (min(dates), max(dates)) if dates else (None, None)
    if target is not None and lo is not None:
        label = f"Zielwert {formatting.value_with_unit(target, unit)}"
        if target_due is not None:
            label += f" bis {formatting.date(target_due)}"
        fig.add_trace(go.Scatter(x=[lo, hi], y=[target, target], mode="lines", name=label, hoverinfo="skip",
                                 line=dict(color="#111827", width=2, dash="dot")))
    marks = [(when, text, "#6b7280") for when, text in events if lo is not None and lo <= when <= hi]
    if target_due is not None and lo is not None and lo <= target_due <= hi:
        marks.append((target_due, f"Frist {formatting.date(target_due)}", "#b91c1c"))
    event_lines(fig, marks, lo, hi)
    if not rangemode_zero:  # otherwise finish() draws the values from 0
        fig.update_yaxes(rangemode="normal")
    fig.update_layout(showlegend=True)  # even one line: the legend names its source (and "Beispieldaten")
    base_layout(fig, title=title, y_title=y_title or unit)
    return finish(fig)


def _as_date(value: object) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value  # type: ignore[return-value]


EVENT_ROW = 22      # px per row of event labels above the plot
EVENT_BASE_PX = 2   # the lowest row's distance above the plot (row n sits at EVENT_BASE_PX + n × row height)
EVENT_FONT = 13     # px of an event label on screen
EVENT_NAME = "ereignis"  # name of an event label's annotation
TOP_MARGIN = 70     # px for the title (template margin.t)
LINE_HEIGHT = 1.3   # px of a text row per px of its font (DejaVu Sans: ascent + descent ≈ 1,16 em, plus air)
EVENT_GAP_PX = 8    # above the title, and between the labels and the plot
EVENT_BOX_PX = 4    # an annotation's box around its text: Plotly's borderpad (1) and borderwidth (1), both sides


def event_lines(fig: go.Figure, marks: Sequence[tuple[dt.date, str, str]], lo: dt.date | None,
                hi: dt.date | None) -> None:
    """Vertical dashed lines with their labels *above* the plot area (rows staggered, anchored towards the
    inside), so that a label never covers a data point; the top margin grows by one row per label row."""
    if not marks or lo is None or hi is None:
        return
    span = max((hi - lo).days, 1)
    rows = min(len(marks), 3)
    for n, (when, text, color) in enumerate(sorted(marks)):
        row = rows - 1 - n % rows
        right_half = (when - lo).days / span > 0.6
        fig.add_shape(type="line", x0=when, x1=when, yref="paper", y0=0, y1=1,
                      line=dict(color=color, width=1.5, dash="dash"))
        fig.add_annotation(x=when, yref="paper", y=1, yanchor="bottom", yshift=EVENT_BASE_PX + EVENT_ROW * row,
                           text=text, showarrow=False, xanchor="right" if right_half else "left",
                           font=dict(size=EVENT_FONT, color=color), name=EVENT_NAME)
    fig.update_layout(margin_t=TOP_MARGIN + EVENT_ROW * rows)


def larger_event_labels(fig: go.Figure, size: int, *, title_px: int = 0, copy: bool = True) -> go.Figure:
    """The figure with its event labels (:func:`event_lines`) at ``size`` px — for the committee package and the
    projector, where every text is larger — in rows spaced for that size, and a top margin that holds them
    below a title of ``title_px`` (0: no title), which then sits at the very top. Without event labels the figure
    is returned as it is; otherwise a copy (the caller's figure is untouched) — ``copy=False``: the figure itself
    is changed (a caller that already works on its own copy, e.g. the projector's)."""
    if not any(a.name == EVENT_NAME for a in fig.layout.annotations):
        return fig
    out = go.Figure(fig) if copy else fig
    row_px = max(EVENT_ROW, math.ceil(size * LINE_HEIGHT) + EVENT_BOX_PX)
    rows = 0
    for label in out.layout.annotations:
        if label.name == EVENT_NAME:
            row = round(((label.yshift or EVENT_BASE_PX) - EVENT_BASE_PX) / EVENT_ROW)  # as event_lines placed it
            rows = max(rows, row + 1)
            label.update(yshift=EVENT_BASE_PX + row_px * row, font_size=size)
    out.update_layout(margin_t=title_px + row_px * rows + EVENT_GAP_PX)
    if title_px:
        out.update_layout(title=dict(yref="container", y=1, yanchor="top", pad_t=EVENT_GAP_PX))
    return out


# --- every figure, once at the end (builders and ViewResult) ----------------------------------------------------

MAX_TICKS = 12          # year labels ("2022") on one axis
MAX_DATE_TICKS = 7      # date labels ("31.12.2022") on one axis
LEGEND_WIDTH = 1000     # px assumed for the legend rows (a chart on a 1.280 px screen)
LEGEND_ROW = 26         # px per legend row


def _is_date(value: object) -> bool:
    return isinstance(value, (dt.date, pd.Timestamp)) or (isinstance(value, str) and bool(
        _ISO.fullmatch(value)))


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([ T].*)?")


def _thin(items: list, limit: int) -> list:
    """At most ``limit`` items, evenly spaced, always keeping the newest."""
    step = -(-len(items) // limit)
    return items[::-1][::step][::-1]


def date_ticks(dates: Sequence[dt.date]) -> tuple[list[str], list[str]]:
    """Tick positions (ISO) and German labels for a time axis of reference dates.

    Ticks sit exactly on year-ends (31.12.) inside the data range, so a value dated 31.12.2022 stands on its
    own tick. If every date is a year-end the label is the year ("2022"), otherwise the date ("31.12.2022").
    Without a year-end in range the data dates themselves are the ticks. Labels never depend on a locale."""
    days = sorted(set(dates))
    if not days:
        return [], []
    year_ends = [dt.date(y, 12, 31) for y in range(days[0].year, days[-1].year + 1)
                 if days[0] <= dt.date(y, 12, 31) <= days[-1]]
    all_year_end = all((d.month, d.day) == (12, 31) for d in days)
    if not year_ends:
        ticks = _thin(days, MAX_DATE_TICKS)
        return [d.isoformat() for d in ticks], [formatting.date(d) for d in ticks]
    ticks = _thin(year_ends, MAX_TICKS if all_year_end else MAX_DATE_TICKS)
    labels = [str(d.year) if all_year_end else formatting.date(d) for d in ticks]
    return [d.isoformat() for d in ticks], labels


def _axis_dates(fig: go.Figure, axis: str) -> list[dt.date]:
    ref = "x" if axis == "xaxis" else "x" + axis.removeprefix("xaxis")
    out: list[dt.date] = []
    for trace in fig.data:
        if getattr(trace, "xaxis", None) not in (None, ref) or getattr(trace, "x", None) is None:
            continue
        if getattr(trace, "hoverinfo", None) == "skip" and getattr(trace, "mode", None) == "lines" \
                and len(trace.x) == 2:
            continue  # target line: spans the data, adds no date
        values = [v for v in trace.x if v is not None]
        if values and all(_is_date(v) for v in values):
            out += [_as_date(v) for v in values]
    return out


def time_axis(fig: go.Figure, dates: Sequence[dt.date], axis: str = "xaxis") -> go.Figure:
    """Explicit German ticks at year-ends (:func:`date_ticks`) and a range that ends at the data (a small
    margin either side), so no axis runs on into empty years."""
    days = sorted(set(dates))
    if not days:
        return fig
    span = (days[-1] - days[0]).days
    tickvals, ticktext = date_ticks(days)
    share = 0.03 if all(len(t) == 4 for t in ticktext) else 0.06  # room for half a label at either end
    pad = dt.timedelta(days=max(45, round(span * share)) if span else 180)
    fig.update_layout({axis: dict(type="date", tickmode="array", tickvals=tickvals, ticktext=ticktext,
                                  automargin=True,
                                  range=[(days[0] - pad).isoformat(), (days[-1] + pad).isoformat()],
                                  hoverformat="%d.%m.%Y")})
    return fig


def legend_rows(names: Sequence[str], width: int = LEGEND_WIDTH, font_size: int = 16) -> int:
    """Rows a horizontal legend needs: Plotly wraps long legends into a grid whose columns are as wide as the
    widest entry (estimated: 40 px symbol + 0.55 em per character)."""
    if not names:
        return 0
    widest = 40 + 0.55 * font_size * max(len(n) for n in names)
    per_row = max(1, int(width // widest))
    return -(-len(names) // per_row)


def legend_below(fig: go.Figure, *, width: int = LEGEND_WIDTH, font_size: int = 16) -> go.Figure:
    """The legend at the bottom of the figure (below the axis title, never over it) and the figure taller by
    its rows, so that many sources do not squash the plot."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    if not names or fig.layout.showlegend is False:
        return fig
    rows = legend_rows(names, width, font_size)
    base = fig.layout.height or 460
    grown = fig.layout.meta.get("legend_rows", 0) if isinstance(fig.layout.meta, dict) else 0
    fig.update_layout(height=base + LEGEND_ROW * (rows - grown), meta={"legend_rows": rows},
                      legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left",
                                  font_size=font_size))
    return fig


def finish(fig: go.Figure | None) -> go.Figure | None:
    """What every chart of the monitor gets, once, wherever it was built: German year-end ticks and a range
    ending at the data on every date axis, public source names in the legend, the legend below. Idempotent;
    maps (no cartesian axes) are left as they are."""
    if fig is None:
        return None
    if any(t.type in ("choroplethmap", "scattermap", "choroplethmapbox", "scattermapbox") for t in fig.data):
        return fig
    for trace in fig.data:
        if trace.name:
            trace.name = wording.public_text(trace.name)
    axes = {"xaxis"} | {k for k in fig.layout.to_plotly_json() if k.startswith("xaxis")}
    for axis in sorted(axes):
        dates = _axis_dates(fig, axis)
        if dates:
            time_axis(fig, dates, axis)
    values_from_zero(fig)
    wrap_category_labels(fig)
    bar_label_room(fig)
    return legend_below(fig)


def values_from_zero(fig: go.Figure) -> None:
    """Every value axis of a line chart starts at 0: a line of counts or shares that starts above 0 makes a small
    change look like a collapse (Plotly's bars start at 0 by themselves). A chart that chose its axis' range
    itself keeps it — an index is read against its 100 (``rangemode="normal"``), a fixed range stays fixed.
    Markers without lines (a scatter of two indicators) are left as they are."""
    for trace in fig.data:
        if trace.type != "scatter" or "lines" not in (trace.mode or "lines"):
            continue
        name = "yaxis" + (trace.yaxis or "y").removeprefix("y")
        axis = fig.layout[name]
        if axis.rangemode is None and axis.range is None:
            fig.update_layout({name: {"rangemode": "tozero"}})


# --- bar labels outside the bars: never cut, never shrunk ----------------------------------------------------------

LABEL_FONT_PX = 21      # the largest size a bar label gets (exports raise every chart text to 21 px)
CHAR_PX = 0.6           # px per character and px of font size of a label (digits, "%", ",")
TICK_CHAR_PX = 0.55     # the same for words (category names)
LABEL_PAD_PX = 12       # Plotly's gap between bar end and label, plus a little air
# px of the narrowest chart with export fonts: lower than the exported picture (960 px) and about as tight as the
# screen at 200 % zoom (≈ 600 px with 16 px labels)
REFERENCE_WIDTH = 800
REFERENCE_HEIGHT = 460  # px of a chart on screen; exports are at least 540 high
MIN_AXIS_PX = 180       # the value axis is never assumed shorter
WRAP_CHARS = 36         # category labels longer than LONG_LABEL wrap into lines of at most this many characters
LONG_LABEL = 40


def _wrapped(label: str) -> str:
    if len(label) <= LONG_LABEL:
        return label
    return "<br>".join(textwrap.wrap(label, WRAP_CHARS, break_long_words=False))


def _categories_of_horizontal_bars(fig: go.Figure) -> dict[str, list[str]]:
    """Layout name of each category axis of horizontal bars → its categories in order."""
    out: dict[str, list[str]] = {}
    for trace in fig.data:
        if trace.type == "bar" and trace.orientation == "h" and trace.y is not None \
                and all(isinstance(v, str) for v in trace.y):
            names = out.setdefault("yaxis" + (trace.yaxis or "y").removeprefix("y"), [])
            names += [c for c in trace.y if c not in names]
    return out


def wrap_category_labels(fig: go.Figure) -> None:
    """Long category names of horizontal bars (e.g. "Wahlbeteiligung im Wahllokal (ohne Briefwahl) –
    Kommunalwahl (Rat)") wrap into lines, so they do not take the width the bars and their labels need.
    Only the tick text changes: the categories (hover, table) keep their names."""
    for name, categories in _categories_of_horizontal_bars(fig).items():
        if any(len(c) > LONG_LABEL for c in categories) and getattr(fig.layout, name).ticktext is None:
            fig.update_layout({name: dict(tickmode="array", tickvals=categories,
                                          ticktext=[_wrapped(c) for c in categories])})


def _outside(trace: object) -> bool:
    position = trace.textposition
    positions = [position] if isinstance(position, str) else list(position or [])
    return trace.type == "bar" and trace.text is not None and "outside" in positions


def _numbers(values: Sequence | None) -> list[float]:
    return [float(v) for v in (list(values) if values is not None else [])
            if isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)]


def _label_px(trace: object, horizontal: bool) -> float:
    """Room a label needs beyond its bar end along the value axis (for the largest font it gets)."""
    size = max(trace.textfont.size or 0, LABEL_FONT_PX)
    texts = [trace.text] if isinstance(trace.text, str) else [str(t) for t in list(trace.text) if t is not None]
    longest = max((len(t) for t in texts), default=0)
    return LABEL_PAD_PX + (CHAR_PX * size * longest if horizontal else 1.3 * size)


def _value_axis_px(fig: go.Figure, horizontal: bool) -> float:
    """A low estimate of the value axis' length in px at the narrowest rendering."""
    margin = fig.layout.margin
    if horizontal:
        lines = [line for cats in _categories_of_horizontal_bars(fig).values() for c in cats
                 for line in _wrapped(c).split("<br>")]
        tick_px = TICK_CHAR_PX * LABEL_FONT_PX * max((len(line) for line in lines), default=4)
        sides = (70 if margin.l is None else margin.l) + (30 if margin.r is None else margin.r)  # template's
        return max(MIN_AXIS_PX, REFERENCE_WIDTH - tick_px - sides - 20)
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    legend = LEGEND_ROW * meta.get("legend_rows", 1)
    return max(MIN_AXIS_PX, (fig.layout.height or REFERENCE_HEIGHT) - (margin.t or TOP_MARGIN) - (margin.b or 40)
               - legend - 80)


def _value_axis(trace: object, horizontal: bool) -> str:
    return (trace.xaxis or "x") if horizontal else (trace.yaxis or "y")


def bar_label_room(fig: go.Figure) -> None:
    """Bars labelled outside their end get a value axis long enough for the longest label beyond the longest
    bar (estimated at the narrowest rendering, the exported picture), labels drawn beyond the plot area rather
    than clipped at its edge, and labels that keep their size (Plotly would shrink a label wider than its bar
    below the export's minimum font). So no label is cut off — on screen, on a slide or in an export."""
    for horizontal in (True, False):
        traces = [t for t in fig.data if _outside(t) and (t.orientation == "h") == horizontal]
        for axis in sorted({_value_axis(t, horizontal) for t in traces}):
            on_axis = [t for t in traces if _value_axis(t, horizontal) == axis]
            _extend_range(fig, axis, on_axis, horizontal)
            for trace in on_axis:
                trace.update(cliponaxis=False, constraintext="inside")


def _extend_range(fig: go.Figure, axis: str, traces: list, horizontal: bool) -> None:
    columns = [list(v) if (v := t.x if horizontal else t.y) is not None else [] for t in traces]
    values = [v for column in columns for v in _numbers(column)]
    if fig.layout.barmode in ("stack", "relative"):
        values += [sum(_numbers(stack)) for stack in zip(*columns, strict=False)]
    if not values:
        return
    share = min(0.6, max(_label_px(t, horizontal) for t in traces) / _value_axis_px(fig, horizontal))
    hi, lo = max(max(values), 0.0) / (1 - share), min(min(values), 0.0) / (1 - share)
    name = axis[0] + "axis" + axis[1:]
    current = getattr(fig.layout, name).range
    if current is not None and None not in current:
        hi, lo = max(hi, *current), min(lo, *current)
    fig.update_layout({name: dict(range=[lo, hi], autorange=False)})


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
    room_for_labels(fig, groups, [t.name for t in fig.data])
    return fig


# the browser's fallback for the theme's font where it is not installed (Debian: DejaVu Sans, one of the widest
# sans-serif fonts — a narrower one leaves a little room to the left, it never needs more)
WIDE_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TICK_GAP_PX = 36       # tick label to plot area, axis line included: Plotly's automargin, measured in Chromium (+3)
# Plotly wraps a legend below the plot at about half the chart's width (measured: the status legend's four
# entries in two rows of two at 1.280 and 1.366 px)
LEGEND_WRAP_PX = LEGEND_WIDTH // 2
X_AXIS_PX = 62         # x tick labels and axis title above the legend (automargin: 110 px with two legend rows, +4)


@functools.cache
def _wide_font(size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(WIDE_SANS), size) if WIDE_SANS.exists() else None


def text_px(text: str, size: int) -> float:
    """Width of ``text`` at ``size`` px in a wide sans-serif font (DejaVu Sans where installed, else a generous
    estimate per character)."""
    font = _wide_font(size)
    return font.getlength(text) if font is not None else 0.62 * size * len(text)


def room_for_labels(fig: go.Figure, categories: Sequence[str], legend: Sequence[str]) -> None:
    """Margins that already hold a horizontal bar chart's category labels (left) and its axis and legend
    (bottom) on a normal screen. Plotly's automargin stays on — but when it has to grow a margin it draws the
    chart a second time: ~40 % of the status chart's drawing time (bench/README.md, issue 17). Where labels,
    fonts or a narrow screen need more room (exports, the projector, 200 % zoom), automargin still grows them."""
    lines = [line for c in categories for line in _wrapped(str(c)).split("<br>")]
    size = FONT["size"]
    fig.update_layout(margin_l=math.ceil(max((text_px(line, size) for line in lines), default=0) + TICK_GAP_PX),
                      margin_b=X_AXIS_PX + LEGEND_ROW * legend_rows([n for n in legend if n], LEGEND_WRAP_PX,
                                                                    font_size=size))
