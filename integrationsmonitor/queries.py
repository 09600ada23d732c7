"""The one door for every question the UI asks: named SQL files in queries/, parameters bound.

A query file names its parameters as ``$name``; the caller must pass exactly those (a missing or an
extra key is an error naming it). Queries run on a read-only connection with a fresh cursor each.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
COMMENT = re.compile(r"--[^\n]*")
STRING = re.compile(r"'(?:[^']|'')*'")
MAX_ROWS = 200_000


class QueryError(Exception):
    """A query could not run; the message names the query and the cause."""


@lru_cache(maxsize=256)
def _read_sql(path: Path, mtime: float) -> tuple[str, frozenset[str]]:
    sql = path.read_text(encoding="utf-8")
    stripped = STRING.sub("''", COMMENT.sub("", sql))
    return sql, frozenset(PARAM.findall(stripped))


class QueryRunner:
    """Runs ``queries/<name>.sql`` against one DuckDB file, read-only."""

    def __init__(self, db_path: Path, queries_dir: Path):
        self.db_path = Path(db_path)
        self.queries_dir = Path(queries_dir)
        self._con = duckdb.connect(str(self.db_path), read_only=True)
        self._init_cursors()

    def _init_cursors(self) -> None:
        """Bookkeeping of open cursors, so that ``close`` can wait for queries still running on them."""
        self._lock = threading.Lock()
        self._open_cursors = 0
        self._no_cursors = threading.Condition(self._lock)

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            self._open_cursors += 1
            return self._con.cursor()

    def _release(self, cursor: duckdb.DuckDBPyConnection) -> None:
        cursor.close()
        with self._lock:
            self._open_cursors -= 1
            self._no_cursors.notify_all()

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.queries_dir.glob("*.sql"))

    def sql(self, name: str) -> tuple[str, frozenset[str]]:
        if not re.fullmatch(r"[a-z0-9_]+", name):
            raise QueryError(f"ungültiger Abfragename {name!r}")
        path = self.queries_dir / f"{name}.sql"
        if not path.is_file():
            raise QueryError(f"Abfrage {name!r} gibt es nicht ({path})")
        return _read_sql(path, path.stat().st_mtime)

    def _checked(self, name: str, params: dict[str, object]) -> str:
        """The SQL of ``name`` once the caller's parameters are exactly the query's (else a QueryError)."""
        sql, expected = self.sql(name)
        missing, extra = expected - params.keys(), params.keys() - expected
        if missing or extra:
            raise QueryError(
                f"Abfrage {name!r}: Parameter passen nicht"
                + (f"; fehlen: {', '.join(sorted(missing))}" if missing else "")
                + (f"; unbekannt: {', '.join(sorted(extra))}" if extra else "")
            )
        return sql

    def run(self, name: str, **params: object) -> pd.DataFrame:
        """Run a named query with exactly its parameters; returns a DataFrame (pandas only at this edge).

        At most MAX_ROWS rows: a page never loads a table it cannot show. Exports use ``iter_batches``."""
        sql = self._checked(name, params)
        cursor = self._cursor()
        try:
            result = cursor.execute(sql, params or None)
            rows = result.fetchmany(MAX_ROWS + 1)
            columns = [d[0] for d in result.description]
        except duckdb.Error as exc:
            raise QueryError(f"Abfrage {name!r} fehlgeschlagen: {exc}") from exc
        finally:
            self._release(cursor)
        if len(rows) > MAX_ROWS:
            raise QueryError(f"Abfrage {name!r} liefert mehr als {MAX_ROWS} Zeilen")
        return pd.DataFrame.from_records(rows, columns=columns)

    def iter_batches(self, name: str, batch_rows: int = 100_000, **params: object) -> Iterator[pd.DataFrame]:
        """Run a named export query without a row cap, streamed: DataFrames of at most ``batch_rows`` rows, in the
        query's order, together exactly its rows (a query without rows yields one empty frame with the columns).

        The parameters are checked at once (as in ``run``); the query runs when the first batch is asked for and
        its cursor is closed when the iteration ends or is abandoned. Cells keep the values DuckDB returns (dtype
        object: int stays int, NULL stays None), so a batch never depends on the rows of its neighbours."""
        if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows < 1:
            raise QueryError(f"Abfrage {name!r}: batch_rows muss eine positive ganze Zahl sein, nicht {batch_rows!r}")
        sql = self._checked(name, params)
        return self._batches(name, sql, params, batch_rows)

    def _batches(self, name: str, sql: str, params: dict[str, object], batch_rows: int) -> Iterator[pd.DataFrame]:
        cursor = self._cursor()
        try:
            first = True
            while True:
                try:
                    if first:
                        result = cursor.execute(sql, params or None)
                        columns = [d[0] for d in result.description]
                    rows = result.fetchmany(batch_rows)
                except duckdb.Error as exc:
                    raise QueryError(f"Abfrage {name!r} fehlgeschlagen: {exc}") from exc
                if not rows and not first:
                    return  # a fetch without rows: the result is used up
                first = False
                yield pd.DataFrame(rows, columns=columns, dtype=object)
        finally:
            self._release(cursor)

    def build_id(self) -> str:
        return self.run("build_manifest")["build_id"].iloc[0]

    def close(self, wait_s: float = 10.0) -> None:
        """Close the connection once the queries still running on it are done (at most ``wait_s`` seconds):
        closing a DuckDB connection also ends the results of its cursors."""
        with self._lock:
            self._no_cursors.wait_for(lambda: self._open_cursors == 0, timeout=wait_s)
            self._con.close()
