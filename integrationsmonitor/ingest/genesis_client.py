"""A thin client for the GENESIS REST interface (Regionalstatistik, Landesdatenbank NRW, GENESIS-Online, Zensus).

Why not ``pystatis`` (CorrelAid, PyPI 0.5.5): it knows three of the four databases (no Landesdatenbank NRW),
keeps credentials in a ``config.ini`` it writes into the home directory at import time, caches downloads in its
own cache folder and hands tables back as parsed DataFrames — we need the *raw* flat file (ZIP) byte for byte to
put it through the same check → preview → publish path as a manual download, the token only from the
environment or ``secrets.toml``, and the host chosen per table. What is left is two POST requests; they are here.

Request (GENESIS-Webservice 2020 REST, token login): ``POST <host>data/tablefile`` with the headers
``username: <token>``, ``password: ''`` and the form fields ``name``, ``area=all``, ``format=ffcsv``,
``compress=false``, ``language``, ``quality=on`` (optional ``startyear``, ``endyear``). The answer is the flat
file inside a ZIP archive (or, on an error, a JSON document with ``Status``). The token is never logged, printed
or part of an error message.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

TIMEOUT = (10, 300)
TOKEN_ENV = "IMH_GENESIS_TOKEN"
SECRETS_ENV = "IMH_SECRETS"


class FetchError(Exception):
    """A fetch failed; the message is German and safe to show (it never contains the token)."""


@dataclass(frozen=True)
class Answer:
    name: str  # file name the interface gave (Content-Disposition) or <table>_<lang>_flat.zip
    content: bytes


def token_for(database: str, env: Mapping[str, str] | None = None, secrets_path: Path | None = None) -> str:
    """Token from ``IMH_GENESIS_TOKEN_<DATENBANK>``, ``IMH_GENESIS_TOKEN`` or ``[genesis]`` in secrets.toml."""
    env = os.environ if env is None else env
    for key in (f"{TOKEN_ENV}_{database.upper()}", TOKEN_ENV):
        if env.get(key, "").strip():
            return env[key].strip()
    path = secrets_path or Path(env.get(SECRETS_ENV, ".streamlit/secrets.toml"))
    if path.is_file():
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FetchError(f"{path} ist kein gültiges TOML ({type(exc).__name__}); Token nicht lesbar") from None
        section = doc.get("genesis") or {}
        token = (section.get(database) or {}).get("token") if isinstance(section.get(database), dict) else None
        token = token or section.get("token")
        if token:
            return str(token).strip()
    raise FetchError(f"Kein Token für die Datenbank {database!r}: Umgebungsvariable {TOKEN_ENV}_{database.upper()} "
                     f"oder {TOKEN_ENV} setzen oder in .streamlit/secrets.toml eintragen: [genesis] token = \"…\" "
                     f"(bzw. [genesis.{database}] token = \"…\"). Einen Token gibt es nach der Registrierung beim "
                     "Datenbankanbieter (siehe README, Abschnitt Amtliche Statistik).")


class GenesisClient:
    """POST requests against one database host; ``session`` is replaceable for recorded responses in tests."""

    def __init__(self, host: str, token: str, session: requests.Session | None = None, label: str = ""):
        self.host = host if host.endswith("/") else host + "/"
        self._token = token
        self.session = session or requests.Session()
        self.label = label or self.host

    def __repr__(self) -> str:  # never show the token
        return f"GenesisClient({self.host!r})"

    def _post(self, endpoint: str, form: dict[str, str]) -> requests.Response:
        headers = {"username": self._token, "password": "", "Content-Type": "application/x-www-form-urlencoded"}
        try:
            response = self.session.post(self.host + endpoint, data=form, headers=headers, timeout=TIMEOUT)
        except requests.exceptions.Timeout:
            raise FetchError(f"{self.label}: keine Antwort innerhalb von {TIMEOUT[1]} s ({endpoint}). Später erneut "
                             "versuchen oder die Tabelle im Browser herunterladen und mit `update` liefern.") from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"{self.label} ist nicht erreichbar ({type(exc).__name__}). Netzverbindung prüfen oder "
                             "die Tabelle im Browser als Flat-File-CSV herunterladen und mit `update` liefern.") from None
        if response.status_code in (401, 403):
            raise FetchError(f"{self.label}: Anmeldung abgelehnt (HTTP {response.status_code}) – Token prüfen.")
        if response.status_code >= 400:
            raise FetchError(f"{self.label}: Fehler HTTP {response.status_code} bei {endpoint}.")
        return response

    def tablefile(self, name: str, language: str = "de", startyear: str | None = None) -> Answer:
        form = {"name": name, "area": "all", "compress": "false", "format": "ffcsv", "language": language,
                "quality": "on"}
        if startyear:
            form["startyear"] = startyear
        response = self._post("data/tablefile", form)
        content = response.content
        is_zip = content[:4] == b"PK\x03\x04"
        if not is_zip:
            _raise_status(content, self.label, name)
        disposition = response.headers.get("Content-Disposition", "")
        filename = disposition.split("filename=")[-1].strip('"; ') if "filename=" in disposition else ""
        return Answer(filename or f"{name}_{language}_flat.{'zip' if is_zip else 'csv'}", content)

    def metadata(self, name: str, language: str = "de") -> dict:
        response = self._post("metadata/table", {"name": name, "area": "all", "language": language})
        try:
            doc = response.json()
        except ValueError:
            raise FetchError(f"{self.label}: Metadaten zu {name} sind kein JSON.") from None
        _check_status(doc.get("Status") or {}, self.label, name)
        return doc


def _raise_status(content: bytes, label: str, name: str) -> None:
    """A non-ZIP answer: a flat file as plain CSV is fine; a JSON status is turned into a German message."""
    head = content[:200].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"statistics_code"):
        return
    try:
        doc = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FetchError(f"{label}: Antwort zu {name} ist weder ZIP noch Flat-File noch JSON.") from None
    _check_status(doc.get("Status") or {}, label, name)
    raise FetchError(f"{label}: Antwort zu {name} enthält keine Tabelle.")


def _check_status(status: dict, label: str, name: str) -> None:
    code = status.get("Code")
    content = status.get("Content", "")
    if code in (0, 22) and str(status.get("Type", "")).casefold() not in ("fehler", "error"):
        return
    if code == 98:
        raise FetchError(f"{label}: Tabelle {name} ist für einen direkten Abruf zu groß (Status 98). Mit "
                         "startyear eingrenzen oder im Browser als Hintergrundauftrag abrufen.")
    if code == 90 or code == 104:
        raise FetchError(f"{label}: Tabelle {name} gibt es dort nicht (Status {code}: {content}).")
    raise FetchError(f"{label}: Status {code} zu {name}: {content}")
