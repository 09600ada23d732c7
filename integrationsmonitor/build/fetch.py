"""``python -m integrationsmonitor abrufen [TABELLE …]``: fetch configured tables and hand them to ``update``.

The tables and their database come from ``data/catalog/genesis.yaml`` (``tabellen`` with ``datenbank``); the host
from the same file, overridable per database by ``IMH_GENESIS_HOST_<DATENBANK>`` (tests point it at a local
server with recorded answers). What is fetched goes through exactly the path of a manual delivery: stage →
check → preview, and only with ``--publish`` into the published database.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests

from integrationsmonitor.config import Settings
from integrationsmonitor.ingest.catalog import load_catalog
from integrationsmonitor.ingest.genesis_client import FetchError, GenesisClient, token_for
from integrationsmonitor.ingest.official import load_mapping

HOST_ENV = "IMH_GENESIS_HOST_"


@dataclass
class Fetched:
    uploads: list[tuple[str, bytes]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # what happened, German, one line per table
    errors: list[str] = field(default_factory=list)


def fetch(codes: list[str], settings: Settings, env: Mapping[str, str] | None = None,
          session: requests.Session | None = None) -> Fetched:
    """Fetch the named tables (all configured ones if none is named); never raises for one failing table."""
    env = os.environ if env is None else env
    cat, _ = load_catalog(settings.data_dir / "catalog")
    mapping, problems = load_mapping(settings.data_dir / "catalog", cat)
    out = Fetched()
    if problems:
        out.errors += [str(p) for p in problems]
        return out
    wanted = codes or [t["code"] for t in mapping.tables if t.get("datenbank") and t.get("werte")]
    for code in wanted:
        table = mapping.table(code)
        if table is None:
            known = ", ".join(t["code"] for t in mapping.tables)
            out.errors.append(f"Tabelle {code} ist nicht in data/catalog/genesis.yaml eingetragen (bekannt: {known}). "
                              "Erst die Zuordnung eintragen, dann abrufen.")
            continue
        database = table.get("datenbank", "")
        db = mapping.databases.get(database) or {}
        host = env.get(HOST_ENV + database.upper()) or db.get("host")
        if not host:
            out.errors.append(f"Tabelle {code}: keine Datenbank mit Adresse eingetragen.")
            continue
        try:
            client = GenesisClient(host, token_for(database, env), session, label=db.get("name", database))
            answer = client.tablefile(table["code"])
        except FetchError as exc:
            out.errors.append(f"Tabelle {code}: {exc}")
            continue
        out.uploads.append((answer.name, answer.content))
        out.lines.append(f"Tabelle {table['code']} von {db.get('name', database)} abgerufen: {answer.name}, "
                         f"{len(answer.content) / 1024:.0f} kB")
    return out
