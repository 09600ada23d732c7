"""Sample values for the named parameters of queries/*.sql (benchmarks and the backend test).

A parameter gets a value by name: first a fixed default for the usual names (Hagen, all nationalities,
…); otherwise a value from a column of the same name (or without an ``_id``/``_von``/``_bis`` suffix) in
the database; dates as the latest period. Unknown names raise KeyError so a new query is noticed.
"""

from __future__ import annotations

import datetime as dt

DEFAULTS = {
    "gebiet": "05914000", "bezirk": "SB1", "indikator": "auslaenderanteil", "nationalitaet": "_T", "schwelle": 3,
    "indikatoren": ["auslaender", "einwohner", "eu2_bestand"],
    "wahl": "kommunalwahl-2025-09-14", "stimmbezirk": "kommunalwahl-2025-09-14-1011",
}
QUERIES = {  # name -> SQL giving the value from the database itself
    "stichtag": "select max(period) from area_population",
    "leitziel": "select min(id) from leitziel",
    "ids": "select list(id order by id) from leitziel",
    "quelle": "select min(source) from observation where indicator_id = 'einwohner' and area_id = '05914000'",
}


def sample_params(con, names) -> dict:
    """con: a DuckDB connection on the built database (read-only is fine)."""
    out = {}
    columns = con.execute("select table_name, column_name, data_type from information_schema.columns").fetchall()
    for name in sorted(names):
        if name in DEFAULTS:
            value = DEFAULTS[name]
        elif name in QUERIES:
            value = con.execute(QUERIES[name]).fetchone()[0]
        else:
            value = _from_column(con, columns, name)
        if value is KeyError:
            raise KeyError(f"keine Beispielbelegung für Parameter ${name}")
        out[name] = value
    return out


def _from_column(con, columns, name):
    candidates = [name, name.removesuffix("_id"), name.removesuffix("_von"), name.removesuffix("_bis"),
                  name.removeprefix("min_"), name.removeprefix("max_")]
    for cand in candidates:
        for table, column, _dtype in columns:
            if column == cand or column == f"{cand}_id" or (cand == "period" and column == "period"):
                # table/column names come from information_schema, never from input
                sql = f'select "{column}" from "{table}" where "{column}" is not null group by 1 order by count(*) desc, 1 desc limit 1'  # noqa: S608, E501
                row = con.execute(sql).fetchone()
                if row is not None:
                    v = row[0]
                    return v if not isinstance(v, dt.datetime) else v.date()
    if "datum" in name or "date" in name or "stichtag" in name or "period" in name:
        return con.execute("select max(period) from observation").fetchone()[0]
    return KeyError
