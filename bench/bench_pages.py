"""Rerun time per page under AppTest after a filter change (p50/p95 over ≥ 30 reruns).

Runs in its own process (``python -m bench.bench_pages --db … --json out.json``) so Streamlit's caches and
the ``runner.postScriptGC`` option start fresh. Pages are enumerated from app.py (st.Page entries) and opened
through the app's navigation (AppTest.from_file("app.py") + switch_page). A "filter change" sets the first
selectbox/radio/multiselect/select_slider/segmented control with more than one option to its next option
(by widget key when it has one) and runs; a page without such a widget is timed as a plain rerun and marked.
The naive baseline pages in bench/naive/ are run as standalone scripts the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bench.common import pages_from_app, summary_ms
from integrationsmonitor.config import REPO_ROOT

NAIVE = {"quartiere": "bench/naive/quartiere.py", "suedosteuropa": "bench/naive/suedosteuropa.py"}


class _Label(str):
    """A widget option given by its displayed label (what the browser sends as the widget state)."""


def _patch_apptest() -> None:
    """AppTest's select_index sets the *label* as value and then fails to format it for widgets with a
    format_func ("None is not in list"); the browser sends the label as string_value. Let a _Label through."""
    from streamlit.testing.v1 import element_tree as et

    for cls in (et.Selectbox, et.Radio):
        original = cls.index

        def index(self, original=original):
            if isinstance(self._value, _Label):
                return self.options.index(str(self._value))
            return original.fget(self)

        cls.index = property(index)


def _filter_widget(at):
    for kind in ("selectbox", "radio", "select_slider", "multiselect"):
        for w in getattr(at, kind, []):
            options = list(getattr(w, "options", []) or [])
            if len(options) > 1 and not getattr(w, "disabled", False):
                return kind, w.key, options
    return None


def _set_next(at, kind, key, options, i):
    widgets = [w for w in getattr(at, kind) if w.key == key] if key else list(getattr(at, kind))
    w = widgets[0]
    option = options[i % len(options)]
    if kind == "multiselect":
        w.set_value([option])
    elif kind == "select_slider":
        w.set_value(option)
    else:
        w.set_value(_Label(w.options[i % len(w.options)]))
    return option


def time_page(at, reruns: int) -> dict:
    """Rerun times after filter changes. Each rerun is also filed as *kalt* (this filter value is asked for the
    first time in this process: views and queries are computed) or *warm* (asked before: served from the
    shared caches), so the report shows both what the first visitor and what everyone after pays."""
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    errors = len(at.exception)
    widget = _filter_widget(at)
    times, cold, warm = [], [], []
    seen: set[str] = set()
    note = ""
    for i in range(1, reruns + 1):
        option = None
        if widget:
            kind, key, options = widget
            try:
                option = str(_set_next(at, kind, key, options, i))
            except Exception as exc:  # noqa: BLE001 - AppTest refuses some widget states; fall back to reruns
                note = f" (Filter nicht setzbar: {type(exc).__name__}: {exc}; danach reine Reruns)"
                widget = None
        t0 = time.perf_counter()
        try:
            at.run()
        except Exception as exc:  # noqa: BLE001
            note = f" (Filter nicht setzbar: {type(exc).__name__}: {exc}; danach reine Reruns)"
            widget = None
            errors += 1
            continue
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        (warm if option is None or option in seen else cold).append(elapsed)
        if option is not None:
            seen.add(option)
        errors += len(at.exception)
    out = summary_ms(times)
    out.update(first_ms=first * 1000, errors=errors, cold=summary_ms(cold), warm=summary_ms(warm),
               filter=(f"{widget[0]}:{widget[1]}" if widget else "kein Filter (reiner Rerun)") + note)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--reruns", type=int, default=30)
    ap.add_argument("--naive-reruns", type=int, default=30, help="0 = skip the naive baseline pages")
    ap.add_argument("--gc", choices=["true", "false"], default="true")
    ap.add_argument("--json", required=True)
    args = ap.parse_args()
    os.environ["IMH_DB"] = args.db
    os.environ["IMH_DATA_DIR"] = args.data_dir
    os.chdir(REPO_ROOT)
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    config.set_option("runner.postScriptGC", args.gc == "true")
    _patch_apptest()
    results = {}
    for page in pages_from_app():
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
        at.run()
        at.switch_page(page["path"])
        try:
            results[page["url_path"]] = time_page(at, args.reruns)
        except Exception as exc:  # noqa: BLE001 - report, don't abort the whole benchmark
            results[page["url_path"]] = {"error": f"{type(exc).__name__}: {exc}"}
    for name, script in NAIVE.items() if args.naive_reruns else ():
        at = AppTest.from_file(str(REPO_ROOT / script), default_timeout=300)
        try:
            results[f"naiv:{name}"] = time_page(at, args.naive_reruns)
        except Exception as exc:  # noqa: BLE001
            results[f"naiv:{name}"] = {"error": f"{type(exc).__name__}: {exc}"}
    Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
