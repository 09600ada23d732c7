"""Alternative storage backends behind the same QueryRunner interface (same queries/*.sql, same results).

* ``duckdb`` (default): the DuckDB file built by ``python -m integrationsmonitor build``.
* ``parquet``: the same tables exported as (partitioned) Parquet files — locally or on object storage
  (``s3://…``/``gs://…`` with DuckDB's httpfs extension) — and read by an in-memory DuckDB through views
  over ``read_parquet``. This is how a larger deployment (several cities, the whole state) can keep one
  shared data set while every app replica holds only a small in-memory catalogue of views.

Selected by configuration: ``IMH_BACKEND=parquet`` and ``IMH_PARQUET_DIR=<dir or URL>``. Export with
``python -m integrationsmonitor.backends export <database.duckdb> <parquet_dir>``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import duckdb

from integrationsmonitor.config import Settings
from integrationsmonitor.queries import QueryRunner

MANIFEST = "_schema.json"
# Big tables are written as hive partitions (one folder per value); everything else as one file each.
PARTITIONS = {"observation": ("indicator_id",), "population": ("period",)}


def _lit(text: str) -> str:
    """A SQL string literal (paths only; values always travel as bound parameters)."""
    return "'" + str(text).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class ExportError(ValueError):
    """A Parquet export that cannot be served (missing, damaged or not shaped like an export of this app)."""


#: tables holding unsuppressed values: a public export writes the contents of their ``<table>_public`` view instead
SENSITIVE = ("observation", "population", "area_population")
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TYPE = re.compile(r"^[A-Z][A-Z0-9_ ]{0,30}(\(\d{1,3}(, ?\d{1,3})?\))?(\[\])?$")


def _source_select(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], views: set[str],
                   internal: bool) -> str:
    """What the export writes for ``table``: the table itself, or (public export) its public view's contents."""
    public = f"{table}_public"
    if internal or (table not in SENSITIVE and public not in views):
        return f"select * from {_ident(table)}"  # noqa: S608 - catalogue name
    if public not in views:
        raise ExportError(f"Tabelle {table} hat keine öffentliche Sicht {public}; öffentlicher Export abgebrochen")
    return f"select {', '.join(map(_ident, columns))} from {_ident(public)}"  # noqa: S608 - catalogue names


def export_parquet(db_path: Path, out_dir: str | Path, internal: bool = False) -> dict:
    """Write the tables and views of the DuckDB file as Parquet plus a manifest of names and column types (data
    only, no SQL). By default the export is public: tables with unsuppressed values (observation, population,
    area_population) are written with the contents of their ``*_public`` view — suppressed cells empty, as on
    the pages. ``internal=True`` writes the raw tables (for internal replicas only)."""
    out = str(out_dir).rstrip("/")
    if "://" not in out:
        Path(out).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where not internal order by table_oid").fetchall()]
        views = [r[0] for r in con.execute(
            "select view_name from duckdb_views() where not internal and schema_name = 'main' "
            "order by view_oid").fetchall()]
        manifest: dict = {"format": 2, "internal": internal, "tables": {}}
        for table in [*tables, *views]:  # views are written as tables: the reader never needs their SQL
            if not NAME.match(table):
                raise ExportError(f"Tabellenname {table!r} ist für den Export nicht zulässig")
            columns = con.execute(
                "select column_name, data_type from information_schema.columns where table_name = ? "
                "order by ordinal_position", [table]).fetchall()
            select = _source_select(con, table, [c for c, _ in columns], set(views), internal)
            n = con.execute(f"select count(*) from ({select})").fetchone()[0]  # noqa: S608
            partition = list(PARTITIONS.get(table, ())) if n else []
            target = f"{out}/{table}" if partition else f"{out}/{table}.parquet"
            options = "FORMAT parquet, COMPRESSION zstd"
            if partition:
                options += f", PARTITION_BY ({', '.join(map(_ident, partition))}), OVERWRITE_OR_IGNORE"
            con.execute(f"copy ({select}) to {_lit(target)} ({options})")  # noqa: S608
            manifest["tables"][table] = {"columns": columns, "partition": partition, "rows": n}
    finally:
        con.close()
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    if "://" in out:
        raise NotImplementedError("Manifest auf Objektspeicher: mit dem Werkzeug des Anbieters hochladen")
    (Path(out) / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


def _checked_tables(manifest: object) -> dict[str, tuple[list[tuple[str, str]], list[str]]]:
    """The manifest's tables, each name, column and type checked against a strict pattern: the manifest is data,
    and nothing from it reaches SQL except names and types of this shape (no statements, no expressions)."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise ExportError("Manifest des Parquet-Exports hat keinen Abschnitt 'tables'")
    out = {}
    for table, spec in manifest["tables"].items():
        if not isinstance(table, str) or not NAME.match(table) or not isinstance(spec, dict):
            raise ExportError(f"Manifest des Parquet-Exports: unzulässiger Tabellenname {str(table)[:40]!r}")
        columns = []
        for item in spec.get("columns", []):
            if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
                    and NAME.match(item[0]) and TYPE.match(item[1])):
                raise ExportError(f"Manifest des Parquet-Exports: unzulässige Spalte in {table}: {str(item)[:60]!r}")
            columns.append((item[0], item[1]))
        partition = spec.get("partition", [])
        if not isinstance(partition, list) or not set(partition) <= {c for c, _ in columns}:
            raise ExportError(f"Manifest des Parquet-Exports: unzulässige Partitionierung in {table}")
        if not columns:
            raise ExportError(f"Manifest des Parquet-Exports: Tabelle {table} ohne Spalten")
        out[table] = (columns, partition)
    return out


class ParquetRunner(QueryRunner):
    """Runs the same queries/*.sql over Parquet files through views in an in-memory DuckDB. Only the app's own
    SQL runs: the manifest contributes checked table names and column types, never statements."""

    def __init__(self, parquet_dir: str | Path, queries_dir: Path):
        self.parquet_dir = str(parquet_dir).rstrip("/")
        self.db_path = Path(self.parquet_dir) / MANIFEST  # what ui.py stamps to notice a new export
        self.queries_dir = Path(queries_dir)
        self._init_cursors()
        try:
            manifest = json.loads(Path(self.db_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ExportError(f"Manifest des Parquet-Exports nicht lesbar: {exc}") from exc
        tables = _checked_tables(manifest)
        self._con = duckdb.connect(":memory:")
        for table, (columns, partition) in tables.items():
            if partition:
                source = (f"read_parquet({_lit(self.parquet_dir + '/' + table + '/**/*.parquet')}, "
                          "hive_partitioning = true, hive_types_autocast = false)")
            else:
                source = f"read_parquet({_lit(self.parquet_dir + '/' + table + '.parquet')})"
            # explicit casts restore the original types (partition values come back as text) and column order
            select = ", ".join(f"cast({_ident(c)} as {t}) as {_ident(c)}" for c, t in columns)
            self._con.execute(f"create view {_ident(table)} as select {select} from {source}")  # noqa: S608


def make_runner(settings: Settings | None = None) -> QueryRunner:
    """The QueryRunner the configuration asks for (IMH_BACKEND = duckdb | parquet)."""
    settings = settings or Settings.from_env()
    backend, parquet_dir = settings.backend, settings.parquet_dir
    if backend == "duckdb":
        return QueryRunner(settings.db_path, settings.queries_dir)
    if backend == "parquet":
        if not parquet_dir:
            raise ValueError("IMH_BACKEND=parquet braucht IMH_PARQUET_DIR (Ordner oder URL des Parquet-Exports)")
        return ParquetRunner(parquet_dir, settings.queries_dir)
    raise ValueError(f"unbekanntes IMH_BACKEND {backend!r} (erlaubt: duckdb, parquet)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--intern"]
    if len(args) != 3 or args[0] != "export":
        sys.exit("Aufruf: python -m integrationsmonitor.backends export <datenbank.duckdb> <parquet_ordner> [--intern]"
                 "\n(--intern: auch ungeschützte Rohwerte exportieren – nur für interne Server)")
    internal = "--intern" in sys.argv
    m = export_parquet(Path(args[1]), args[2], internal=internal)
    print(f"{len(m['tables'])} Tabellen und Sichten nach {args[2]} exportiert "
          f"({'intern: mit Rohwerten' if internal else 'öffentlich: geheim gehaltene Werte leer'})")
