"""Frozen editions (Berichtsstände) as further releases of the same tables, read by the build.

An edition froze ``observation_public``: its hidden cells (suppressed, value null) and its published values. A
later build keeps every once-hidden cell hidden (otherwise differencing the two releases around a routine
revision gives the old value away), and treats values an edition showed as known to every reader: a cell a
reader can look up in an old edition protects nothing when it is hidden now.

The file format is written by ``integrationsmonitor.exports.editions`` (``<slug>.json.gz``, key ``observations``);
only the columns named here are read, so that the build does not depend on the export stage.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

from integrationsmonitor.build.suppression import Frozen, ObsKey
from integrationsmonitor.problems import Problem, ValidationError


def read_frozen(directory: Path) -> Frozen:
    """Hidden cells and published count values of every edition in ``directory`` (none if it does not exist)."""
    frozen = Frozen()
    if not directory.is_dir():
        return frozen
    for path in sorted(directory.glob("*.json.gz")):
        for row in _observations(path):
            _add(frozen, row)
    return frozen


def _observations(path: Path) -> list[dict]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return list(json.load(fh).get("observations", []))
    except (OSError, ValueError, AttributeError) as exc:
        raise ValidationError([Problem(f"editions/{path.name}", None, None,
                                       f"Berichtsstand nicht lesbar ({exc}); ohne ihn ließe sich nicht prüfen, "
                                       "welche Zellen früher geheim gehalten wurden")]) from exc


def _add(frozen: Frozen, row: dict) -> None:
    period = dt.date.fromisoformat(str(row["period"])[:10])
    rest = (row["area_id"], period, row["nationality"], row["source"])
    count: ObsKey = (row["indicator_id"], *rest)
    numerator: ObsKey = (f"{row['indicator_id']}#zaehler", *rest)
    if row.get("suppressed"):
        frozen.hidden |= {count, numerator}
        return
    if row.get("value") is not None:
        frozen.published[count] = float(row["value"])
    if row.get("numerator") is not None:
        frozen.published[numerator] = float(row["numerator"])
