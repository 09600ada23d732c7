"""The only module that imports Streamlit: cached connection, query results and views for the pages.

Three caches, all keyed by the data *stamp* (inode, size, mtime of the DuckDB file, or of the Parquet
export's manifest), so a rebuild that swaps the file is seen by the next rerun without a restart:

* ``_runner``: one read-only QueryRunner per stamp (the backend IMH_BACKEND asks for);
* ``_query``: query results per (name, parameters) — ``st.cache_data``, every caller gets its own copy;
* ``_view``: finished views (figure, table, sentence) per (key, parameters) — ``st.cache_resource``,
  shared by all sessions without copying. A ViewResult is therefore read-only once made: pages render it,
  they never change it.

Pages get a :class:`CachedRunner` from :func:`runner`: it has the QueryRunner's ``run`` but answers
from the query cache, so option lists and anything else a page asks on every rerun cost no database trip.

Full garbage collections (Streamlit's after every rerun, ``runner.postScriptGC``, and Python's own) cost
time in proportion to the objects Python tracks — most of them the modules of pandas, Plotly and Streamlit,
which live as long as the process. :func:`_freeze_long_lived_objects` moves them out of the collector's sight
once, when this module is first imported (measured with postScriptGC on: 13 → 39 reruns/s; the option itself
is off in .streamlit/config.toml, see bench/README.md).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import gc
import html
import logging
import re
import threading
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn

import duckdb
import pandas as pd
import streamlit as st

from integrationsmonitor import backends
from integrationsmonitor.config import Settings
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import index
from integrationsmonitor.views.result import ViewResult

Stamp = tuple[int, int, int]


def _freeze_long_lived_objects() -> None:
    """Import everything the pages use (the view modules pull in figures, maps and Plotly), collect once, then
    freeze: objects alive now (modules, classes, registries) are never collected anyway, so later collections
    need not walk them again."""
    gc.collect()
    gc.freeze()


_freeze_long_lived_objects()


LOG = logging.getLogger(__name__)
MAINTENANCE = ("**Wartungsarbeiten:** Die Daten des Integrationsmonitors können gerade nicht gelesen werden. "
               "Die Statistikstelle ist informiert; bitte versuchen Sie es später noch einmal.")
PAGE_ERROR = ("Diese Seite kann gerade nicht angezeigt werden. Die Statistikstelle ist informiert; bitte versuchen "
              "Sie es später noch einmal oder wählen Sie eine andere Seite.")
#: what a damaged, truncated or unreadable data file raises (DuckDB file or Parquet export)
DATA_ERRORS: tuple[type[BaseException], ...] = (duckdb.Error, OSError, backends.ExportError)


def maintenance(exc: BaseException) -> NoReturn:
    """Visitors see a German maintenance notice, never a traceback or a server path; details go to the log."""
    LOG.error("Daten nicht lesbar, Wartungshinweis angezeigt: %s", exc, exc_info=exc)
    st.warning(MAINTENANCE, icon="🛠️")
    st.stop()


def _is_data_error(exc: BaseException) -> bool:
    """A damaged or unreadable data file — also when QueryRunner has wrapped DuckDB's error in a QueryError."""
    return isinstance(exc, DATA_ERRORS) or isinstance(exc.__cause__, DATA_ERRORS)


@contextlib.contextmanager
def _readable() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        if _is_data_error(exc):
            maintenance(exc)
        raise


class PageStopped(BaseException):  # noqa: N818 - a signal, not an error
    """A page ends here on purpose (see :func:`stop_page`). A BaseException like Streamlit's own stop: no
    ``except Exception`` in a page can swallow it and run on (e.g. past the login gate)."""


class RestDeferred(PageStopped):
    """The page ended after its first chart; the rest follows in the next run (serving/progressive.py)."""


@dataclasses.dataclass
class PageRun:
    """What app.py learns from :func:`page_guard` about the page's run."""

    rest_deferred: bool = False


_GUARDED = contextvars.ContextVar("imh_page_guarded", default=False)


def stop_page(*, rest_deferred: bool = False) -> NoReturn:
    """End the page here, like ``st.stop()`` — but inside app.py's :func:`page_guard` only the page ends: what
    app.py sends after the page (the navigation) still reaches the browser. ``st.stop()`` would end the whole
    run. A page run on its own (tests) falls back to ``st.stop()``. ``rest_deferred``: the page ended after its
    first chart and will send the rest in the next run (app.py sends a placeholder navigation meanwhile)."""
    if _GUARDED.get():
        raise RestDeferred if rest_deferred else PageStopped
    st.stop()
    raise AssertionError("st.stop() kehrt nicht zurück")  # pragma: no cover


@contextlib.contextmanager
def page_guard(run: PageRun | None = None) -> Iterator[PageRun]:
    """Around the whole page (app.py): any other error becomes a German notice; the traceback goes to the log
    (``client.showErrorDetails = "none"`` in .streamlit/config.toml hides details even if something slips by).
    ``run`` (yielded) records how the page ended."""
    run = run or PageRun()
    token = _GUARDED.set(True)
    try:
        yield run
    except RestDeferred:
        run.rest_deferred = True
    except PageStopped:
        pass
    except Exception as exc:  # noqa: BLE001 - last line of defence for visitors; st.stop/st.rerun are not Exceptions
        if _is_data_error(exc):
            maintenance(exc)
        LOG.error("Fehler beim Anzeigen einer Seite: %s", exc, exc_info=exc)
        st.error(PAGE_ERROR, icon="⚠️")
    finally:
        _GUARDED.reset(token)


def settings() -> Settings:
    return Settings.from_env()


def _data_path(s: Settings) -> Path:
    """The file whose stamp says which data the pages see (database, or the Parquet export manifest)."""
    if s.backend == "parquet":
        return Path(s.parquet_dir) / backends.MANIFEST
    return s.db_path


def _stamp(path: Path) -> Stamp:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


_RUNNERS: dict[str, tuple[Stamp, QueryRunner]] = {}
_RUNNERS_LOCK = threading.Lock()


def _runner(data_path: str, stamp: Stamp) -> QueryRunner:
    """One runner per data path, for the file as it is now. ``stamp`` is what the caller saw: a rerun that began
    just before a swap (older stamp) gets the current runner instead of replacing it. When the file has changed,
    the old runner is closed once the queries still running on it are done — DuckDB shares one database
    instance per path, so while the old connection stays open a new one would still read the swapped-out file."""
    with _RUNNERS_LOCK:
        current = _RUNNERS.get(data_path)
        if current is not None and current[0] == stamp:
            return current[1]
        actual = _stamp(Path(data_path))
        if current is not None and current[0] == actual:
            return current[1]
        if current is not None:
            current[1].close()
        made = backends.make_runner(settings())
        _RUNNERS[data_path] = (actual, made)
        return made


def _current() -> tuple[str, Stamp]:
    """Path and stamp of the data in use; stops the page with a German message if there is none."""
    s = settings()
    path = _data_path(s)
    if not path.exists():
        st.error(
            f"Die Datenbank {path} fehlt. Bitte einmal `python -m integrationsmonitor build` ausführen "
            "(oder das Dashboard mit `make start` starten, das baut sie automatisch)."
        )
        st.stop()
    return str(path), _stamp(path)


@st.cache_data(max_entries=2048, show_spinner=False)
def _query(name: str, params: tuple[tuple[str, object], ...], data_path: str, stamp: Stamp) -> pd.DataFrame:
    return _runner(data_path, stamp).run(name, **dict(params))


@st.cache_resource(max_entries=512, show_spinner=False)
def _view(key: str, params: tuple[tuple[str, object], ...], data_path: str, stamp: Stamp) -> ViewResult:
    return index.render(key, CachedRunner(data_path, stamp), **dict(params))


class CachedRunner:
    """A QueryRunner for pages: ``run`` answers from the query cache; everything else is the real runner's."""

    def __init__(self, data_path: str, stamp: Stamp):
        self._data_path, self._stamp = data_path, stamp

    def run(self, name: str, **params: object) -> pd.DataFrame:
        with _readable():
            return _query(name, tuple(sorted(params.items())), self._data_path, self._stamp)

    @property
    def backend(self) -> QueryRunner:
        """The real runner behind the cache (DuckDB file or Parquet export)."""
        with _readable():
            return _runner(self._data_path, self._stamp)

    def __getattr__(self, attr: str):  # db_path, queries_dir, names(), sql(), iter_batches() …
        return getattr(self.backend, attr)


def package_zip(bezirke, edition: str | None = None) -> bytes:
    """The committee package (ZIP with PDF, PPTX, XLSX) for these district profiles, of the live data or of a
    frozen edition: built one at a time and once per (data stamp, edition, districts) — a second click or
    another session waits for the running build and gets the same bytes."""
    from integrationsmonitor.exports import sitzungspaket as package

    data_path, stamp = _current()
    return package.cached_package(CachedRunner(data_path, stamp), (data_path, stamp), tuple(bezirke), edition)


def html_table(frame: pd.DataFrame, label: str) -> None:
    """A small table of text as plain HTML: a real ``<table>`` with column headers (read aloud like any table,
    every column visible at 1.280 px). For the start page: st.table/st.dataframe make the browser load and run
    ~1 MB of Arrow code (arrowFormatUtils, moment …) right while it draws the first chart."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    st.html(f'<table class="imh-table" aria-label="{html.escape(label)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def warm_package_renderer() -> None:
    """Start the chart renderer in the background when the Sitzungspaket page opens (returns at once): the click
    on "erzeugen" then does not wait for chromium to start (3–4 s on this machine). It stays up for later packages;
    if it cannot start, the click gets the renderer's German message."""
    from integrationsmonitor.exports import images

    images.warm_up()


def ensure_app_navigation() -> None:
    """Call first on every page. With a folder named ``pages/`` next to app.py, Streamlit runs a permalink
    (``/quartiere?bezirk=SB2``) on a freshly started server as a bare file page — without app.py's navigation,
    page titles and layout — until app.py has run once in the process. Switch the process to app.py's
    navigation and rerun; the URL keeps its page and parameters."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


#: pages offered on the "not found" page (file, title, icon)
PUBLIC_PAGES = (("pages/uebersicht.py", "Übersicht", "🏠"), ("pages/leitziele.py", "Leitziele", "🎯"),
                ("pages/quartiere.py", "Quartiere", "🗺️"), ("pages/suedosteuropa.py", "Südosteuropa (EU-2)", "🇪🇺"),
                ("pages/methodik.py", "Daten & Methodik", "📚"),
                ("pages/sitzungspaket.py", "Sitzungspaket & Berichtsstände", "🗂️"),
                ("pages/praesentation.py", "Präsentation", "📽️"))
_PAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")


def requested_page() -> str:
    """The address the browser asked for (Streamlit's intended page name); '' for the start page or a switch
    by page id."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:
        return ""
    return manager.intended_page_name or ""


def missing_page(requested: str, known: Iterable[str]) -> str | None:
    """``requested`` if no page has that address and it can name a page (one path segment of letters, digits,
    - and _); otherwise None. Streamlit would show its English "Page not found" dialog for it."""
    if not requested or requested in set(known) or not _PAGE_NAME.fullmatch(requested):
        return None
    return requested


def echo_path() -> str:
    """The unknown address, safe to quote in Markdown."""
    from integrationsmonitor import urlparams

    return urlparams.echo(requested_page())


def public_base_url() -> str:
    """The address links and citation lines name: IMH_BASIS_URL if it is configured, otherwise the address the
    browser used to reach this server (scheme, host and base path of ``st.context.url``) — never a fixed
    ``localhost:8501`` that no reader can open."""
    if base_url_configured():
        return settings().base_url
    return base_from_browser_url(getattr(st.context, "url", "") or "", requested_page()) or settings().base_url


def base_url_configured() -> bool:
    """True if IMH_BASIS_URL names an address other than the built-in default."""
    import dataclasses

    default = next(f.default for f in dataclasses.fields(Settings) if f.name == "base_url")
    return settings().base_url != str(default).rstrip("/")


def base_from_browser_url(url: str, page: str = "") -> str:
    """'https://monitor.hagen.de/imh/sitzungspaket?x=1' with page 'sitzungspaket' → 'https://monitor.hagen.de/imh'."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    path = parts.path.rstrip("/")
    if page and path.endswith("/" + page):
        path = path[: -len(page) - 1]
    return f"{parts.scheme}://{parts.netloc}{path}"


def runner() -> CachedRunner:
    return CachedRunner(*_current())


def query(name: str, **params: object) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with bound parameters; cached until the database changes."""
    return runner().run(name, **params)


def view(key: str, **params: object) -> ViewResult:
    """A registered view, made once per (key, parameters, data stamp) and shared by all sessions."""
    with _readable():
        return _view(key, tuple(sorted(params.items())), *_current())


def show_view(result, *, chart_key: str | None = None, select: bool = False, extras: bool = True,
              **config: object) -> None:
    """Render a ViewResult the same way on every page: chart, source line, reading sentence, footnotes, and the
    numbers behind the chart as a real table (keyboard and screen reader). The chart is named by its title; the
    reading sentence is tied to it as its description (``chrome``'s script sets ``aria-describedby``).
    ``chart_key`` names the chart's widget state, ``select`` reruns on a click (the map), ``extras=False`` leaves
    out the data table and the downloads (the start page's first view sends them in its next run, see
    serving/progressive.py), ``config`` adds to the Plotly config."""
    from integrationsmonitor.serving import chrome

    if result.example_data:
        st.warning("**Beispieldaten** – keine amtlichen Zahlen (siehe Daten & Methodik).", icon="🧪")
    params = repr(sorted(result.params.items())).encode()  # the same view twice, e.g. for two districts
    key = f"{result.key}_{zlib.crc32(params):08x}"
    with st.container(key=f"diagramm_{key}"):
        if result.figure is not None:
            selection = {"on_select": "rerun", "selection_mode": "points"} if select else {}
            st.plotly_chart(result.figure, width="stretch", key=chart_key or f"chart_{key}", theme=None,
                            config=chrome.chart_config(filename=result.file_stem, **config),
                            alt=f"Diagramm: {result.title}", **selection)
        st.caption(result.source_line)
        with st.container(key=f"lesehilfe_{key}"):
            st.markdown(result.sentence)
        for note in result.footnotes:
            st.caption(note)
        if not extras:
            return
        if result.figure is not None and not result.table.empty:
            # the table is sent only once the expander is opened (a rerun): the page and its first chart do not
            # wait for tables nobody opened
            data = st.expander(f"Daten zum Diagramm „{result.title}“ als Tabelle", key=f"tabelle_{key}",
                               on_change="rerun")
            if data.open:
                data.table(result.table)
        if not result.table.empty:
            # the file is named like the chart's picture: title and Stand, i.e. every filter that changes the
            # numbers (nationality, district, reference date); the widget key stays unique per view call
            download_buttons(result.table, result.file_stem, sheet=result.title, key=key,
                             labels=(f"„{result.title}“ als CSV herunterladen",  # distinct names per page
                                     f"„{result.title}“ als XLSX herunterladen"))


_WRITTEN = "_url_geschrieben"  # URL values this session wrote itself (param → text)


def write_url(param: str, value: object) -> None:
    """Put a filter value into the address and remember that this session wrote it."""
    text = str(value)
    st.query_params[param] = text
    st.session_state.setdefault(_WRITTEN, {})[param] = text


def from_link(param: str) -> bool:
    """True if the address holds a value for ``param`` that this session did not write (a link, a bookmark)."""
    raw = st.query_params.get(param)
    return raw is not None and st.session_state.get(_WRITTEN, {}).get(param) != raw


def warn_once(param: str, warning: str | None) -> None:
    """Show a German warning about a link's value once per value (not again on every rerun)."""
    raw = st.query_params.get(param)
    if warning and st.session_state.get(f"warned_{param}") != raw:
        st.warning(warning, icon="⚠️")
        st.session_state[f"warned_{param}"] = raw


def url_pick(param: str, valid: list[str], default: str, name: str, labels: dict[str, str] | None = None) -> str:
    """The address's value for ``param`` if valid. An invalid value from a link: the default and one German
    warning. An invalid value the page wrote itself (a filter change made it stale, e.g. the Stichtag of the
    previous indicator): the nearest valid value, silently — normal use never warns."""
    from integrationsmonitor import urlparams
    from integrationsmonitor.views.quartiere import validate_choice

    raw = st.query_params.get(param)
    if raw is None or raw == "" or raw in valid:
        return raw if raw in valid else default
    if not from_link(param):
        return urlparams.nearest(raw, valid, default)
    value, warning = validate_choice(raw, valid, default, name, labels)
    warn_once(param, warning)
    return value


def url_choice(param: str, label: str, options: dict[str, str], default: str, widget=st.selectbox) -> str:
    """URL parameter → validated value (:func:`url_pick`) → widget → back into the URL."""
    key = f"w_{param}"
    value = url_pick(param, list(options), default, label, options)
    if st.session_state.get(key) not in options or st.session_state.get(f"url_{param}") != value:
        st.session_state[key] = value
    chosen = widget(label, list(options), format_func=options.get, key=key)
    write_url(param, chosen)
    st.session_state[f"url_{param}"] = chosen
    return chosen


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(table: pd.DataFrame, name: str, sheet: str | None = None, labels=None, columns=None,
                     key: str | None = None) -> None:
    """CSV (German spreadsheets) and XLSX download of a table, saved as ``name``.csv/.xlsx. The files are made
    only when clicked (deferred download), so a rerun does not pay for workbooks nobody asked for. Without
    ``labels`` the buttons are named by the file (``quellen.csv herunterladen``): several tables on one page get
    distinct names. ``key`` (default: ``name``) keeps the widgets apart."""
    from functools import partial

    labels = labels or (f"{name}.csv herunterladen", f"{name}.xlsx herunterladen")

    from integrationsmonitor.exports import downloads

    c1, c2 = columns or st.columns(2)  # wide enough for the full button names (they name the table)
    c1.download_button(labels[0], partial(downloads.csv_bytes, table), f"{name}.csv", "text/csv",
                       key=f"dl_{key or name}_csv")
    c2.download_button(labels[1], partial(downloads.xlsx_bytes, table, sheet or name), f"{name}.xlsx", XLSX_MIME,
                       key=f"dl_{key or name}_xlsx")


def catalog_gaps(staged) -> None:
    """Datenpflege: what the delivery names that the catalogue does not know, and a template to add it."""
    from integrationsmonitor.build import official

    gaps = official.gap_report(staged.data_dir)
    if not gaps:
        return
    st.warning("Noch nicht im Katalog:\n\n" + "\n".join(f"- {line}" for line in gaps.lines()), icon="📇")
    st.markdown(gaps.how_to())
    st.download_button("Vorlage Katalogergänzung (CSV)", gaps.template().encode("utf-8"),
                       file_name="katalog_ergaenzung.csv", mime="text/csv")


def official_preview(staged, published=None) -> None:
    """Datenpflege: official tables read (mapped, not mapped, signs) and catalogue additions of the delivery."""
    from integrationsmonitor.build import official

    lines = official.preview_lines(staged.db_path, published)
    if lines:
        st.info("\n".join(f"- {line.strip()}" for line in lines), icon="🏛️")
    catalog_gaps(staged)

