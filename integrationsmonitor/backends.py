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


def export_parquet(db_path: Path, out_dir: str | Path) -> dict:
    """Write every table of the DuckDB file as Parquet plus a manifest with column types and view SQL."""
    out = str(out_dir).rstrip("/")
    if "://" not in out:
        Path(out).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where not internal order by table_oid").fetchall()]
        views = con.execute(
            "select view_name, sql from duckdb_views() where not internal and schema_name = 'main' "
            "order by view_oid").fetchall()
        manifest: dict = {"tables": {}, "views": [[name, sql] for name, sql in views]}
        for table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns where table_name = ? "
                "order by ordinal_position", [table]).fetchall()
            n = con.execute(f"select count(*) from {_ident(table)}").fetchone()[0]  # noqa: S608 - catalogue name
            partition = list(PARTITIONS.get(table, ())) if n else []
            target = f"{out}/{table}" if partition else f"{out}/{table}.parquet"
            options = "FORMAT parquet, COMPRESSION zstd"
            if partition:
                options += f", PARTITION_BY ({', '.join(map(_ident, partition))}), OVERWRITE_OR_IGNORE"
            con.execute(f"copy (select * from {_ident(table)}) to {_lit(target)} ({options})")  # noqa: S608
            manifest["tables"][table] = {"columns": columns, "partition": partition, "rows": n}
    finally:
        con.close()
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    if "://" in out:
        raise NotImplementedError("Manifest auf Objektspeicher: mit dem Werkzeug des Anbieters hochladen")
    (Path(out) / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


class ParquetRunner(QueryRunner):
    """Runs the same queries/*.sql over Parquet files through views in an in-memory DuckDB."""

    def __init__(self, parquet_dir: str | Path, queries_dir: Path):
        self.parquet_dir = str(parquet_dir).rstrip("/")
        self.db_path = Path(self.parquet_dir) / MANIFEST  # what ui.py stamps to notice a new export
        self.queries_dir = Path(queries_dir)
        self._init_cursors()
        manifest = json.loads(Path(self.db_path).read_text(encoding="utf-8"))
        self._con = duckdb.connect(":memory:")
        for table, spec in manifest["tables"].items():
            if spec["partition"]:
                source = (f"read_parquet({_lit(self.parquet_dir + '/' + table + '/**/*.parquet')}, "
                          "hive_partitioning = true, hive_types_autocast = false)")
            else:
                source = f"read_parquet({_lit(self.parquet_dir + '/' + table + '.parquet')})"
            # explicit casts restore the original types (partition values come back as text) and column order
            select = ", ".join(f"cast({_ident(c)} as {t}) as {_ident(c)}" for c, t in spec["columns"])
            self._con.execute(f"create view {_ident(table)} as select {select} from {source}")  # noqa: S608
        for _name, sql in manifest["views"]:
            self._con.execute(sql)


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
    if len(sys.argv) != 4 or sys.argv[1] != "export":
        sys.exit("Aufruf: python -m integrationsmonitor.backends export <datenbank.duckdb> <parquet_ordner>")
    m = export_parquet(Path(sys.argv[2]), sys.argv[3])
    print(f"{len(m['tables'])} Tabellen, {len(m['views'])} Sichten nach {sys.argv[3]} exportiert")
