"""The only module that imports Streamlit: cached connection and query results for the pages.

The read-only connection is cached per database file *stamp* (inode, size, mtime), and query results
per (query name, parameters, stamp): a rebuild swaps the file, changes the stamp, and is seen by the
next rerun without a restart.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from .config import Settings
from .queries import QueryRunner


def settings() -> Settings:
    return Settings.from_env()


def _stamp(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _runner(db_path: str, queries_dir: str, stamp: tuple[int, int, int]) -> QueryRunner:
    return QueryRunner(Path(db_path), Path(queries_dir))


def runner() -> QueryRunner:
    s = settings()
    if not s.db_path.exists():
        st.error(
            f"Die Datenbank {s.db_path} fehlt. Bitte einmal `python -m integrationsmonitor build` ausführen "
            "(oder das Dashboard mit `make start` starten, das baut sie automatisch)."
        )
        st.stop()
    return _runner(str(s.db_path), str(s.queries_dir), _stamp(s.db_path))


@st.cache_data(max_entries=2048, show_spinner=False)
def _query(name: str, params: tuple[tuple[str, object], ...], db_path: str, stamp: tuple[int, int, int]) -> pd.DataFrame:
    return _runner(db_path, str(settings().queries_dir), stamp).run(name, **dict(params))


def query(name: str, **params: object) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with bound parameters; cached until the database changes."""
    s = settings()
    runner()  # stops the page with a German message if the database is missing
    return _query(name, tuple(sorted(params.items())), str(s.db_path), _stamp(s.db_path))


def show_view(result) -> None:  # result: views.ViewResult
    """Render a ViewResult the same way on every page: chart, source line, reading sentence, footnotes."""
    if result.example_data:
        st.warning("**Beispieldaten** – keine amtlichen Zahlen (siehe Daten & Methodik).", icon="🧪")
    if result.figure is not None:
        st.plotly_chart(result.figure, use_container_width=True, key=f"chart_{result.key}",
                        config={"displaylogo": False, "locale": "de"})
    st.caption(result.source_line)
    st.markdown(result.sentence)
    for note in result.footnotes:
        st.caption(note)


def url_choice(param: str, label: str, options: dict[str, str], default: str, widget=st.selectbox) -> str:
    """URL parameter → validated value (German warning + default if invalid) → widget → back into the URL."""
    from .viewlib.quartiere import validate_choice

    key = f"w_{param}"
    value, warning = validate_choice(st.query_params.get(param), list(options), default, label, options)
    if warning and st.session_state.get(f"warned_{param}") != st.query_params.get(param):
        st.warning(warning)
        st.session_state[f"warned_{param}"] = st.query_params.get(param)
    if st.session_state.get(key) not in options or st.session_state.get(f"url_{param}") != value:
        st.session_state[key] = value
    chosen = widget(label, list(options), format_func=options.get, key=key)
    st.query_params[param] = chosen
    st.session_state[f"url_{param}"] = chosen
    return chosen
