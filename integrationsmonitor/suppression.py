"""Statistical confidentiality: counts below the threshold are suppressed in every view and export.

Primary suppression: a count (unit Personen or another count unit) below the threshold, and a rate whose
numerator is below it. Secondary suppression and the small-denominator mark are applied here too, so that
every page and export that reads ``observation_public`` gets the same protection.
"""

from __future__ import annotations

import duckdb

COUNT_UNITS_SQL = "('Personen', 'Anzahl', 'Schulen', 'Projekte', 'Gruppen', 'Angebote', 'Einträge', 'Verfahren', 'Kontakte')"


def apply(con: duckdb.DuckDBPyConnection, threshold: int, small_denominator: int) -> None:
    """Mark suppressed and uncertain observations in place (called by the build)."""
    con.execute(
        f"""
        update observation o set suppressed = true
        from indicator i
        where i.id = o.indicator_id and i.unit in {COUNT_UNITS_SQL}
          and o.value is not null and o.value > 0 and o.value < $t
        """,  # noqa: S608 - constant list of units
        {"t": threshold},
    )
    con.execute(
        "update observation set suppressed = true where numerator is not null and numerator > 0 and numerator < $t",
        {"t": threshold},
    )
    con.execute(
        "update observation set uncertain = true where denominator is not null and denominator < $n",
        {"n": small_denominator},
    )
