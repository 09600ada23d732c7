"""Every setting of the monitor in one place: each ``IMH_*`` environment variable is read here and nowhere else
(a test checks it), with its default and meaning listed in ``VARIABLES`` and in README's table "Einstellungen".

Constants that several stages share (the city's key, the count units) live here too, so they are written once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_VERSION = 1
#: Hagen's official municipality key (AGS), the id of the whole city in every table
CITY_ID = "05914000"
#: units whose values are counts of persons or cases: integers, subject to confidentiality
COUNT_UNITS = frozenset({"Personen", "Anzahl", "Schulen", "Projekte", "Gruppen", "Angebote", "Einträge", "Verfahren",
                         "Kontakte"})

#: variable → (default as text, meaning); README's table "Einstellungen" lists the same names
VARIABLES: dict[str, tuple[str, str]] = {
    "IMH_DATA_DIR": ("data", "Datenordner (raw/, catalog/, geo/, versions/, editions/)"),
    "IMH_DB": ("<IMH_DATA_DIR>/integrationsmonitor.duckdb", "Datenbankdatei"),
    "IMH_QUERIES_DIR": ("queries", "Ordner der SQL-Abfragen der Oberfläche"),
    "IMH_GEHEIMHALTUNG_SCHWELLE": ("3", "Fallzahlen unter diesem Wert werden beim Build geheim gehalten („·“); "
                                        "Seiten und Exporte lesen den Wert aus dem Build-Protokoll"),
    "IMH_SCHUTZBEREICH": ("3", "Schutzbereich der Geheimhaltung in Personen: jede verborgene Zahl lässt sich aus "
                               "allem Veröffentlichten höchstens auf ein so breites Intervall eingrenzen (mindestens "
                               "die Schwelle); steht im Build-Protokoll"),
    "IMH_KLEINER_NENNER": ("30", "Quoten mit kleinerem Nenner gelten als unsicher"),
    "IMH_BACKEND": ("duckdb", "Datenquelle der Seiten: duckdb (Datei) oder parquet (Export für mehrere Server)"),
    "IMH_PARQUET_DIR": ("", "Ordner oder URL des Parquet-Exports (nur mit IMH_BACKEND=parquet)"),
    "IMH_EDITIONS_DIR": ("<IMH_DATA_DIR>/editions", "Ordner der eingefrorenen Berichtsstände"),
    "IMH_PRAESENTATIONEN": ("<IMH_DATA_DIR>/catalog/praesentationen.yaml", "Folgen des Präsentationsmodus"),
    "IMH_BASIS_URL": ("http://localhost:8501", "öffentliche Adresse des Dashboards (für Links und Zitierzeilen)"),
    "IMH_ADMIN_PASSWORD": ("", "lokales Passwort der Datenpflege (nur ohne OIDC; nie in Git)"),
    "IMH_ADMIN_EMAILS": ("", "mit OIDC: kommagetrennte Konten, die die Datenpflege nutzen dürfen (leer = alle)"),
    "IMH_ANMELDEVERSUCHE": ("<IMH_DATA_DIR>/.anmeldeversuche.json", "fehlgeschlagene Anmeldungen je Konto und "
                                                                     "Adresse (serverweit, übersteht Neustarts)"),
    "IMH_VERSIONEN_BEHALTEN": ("10", "so viele frühere Datenbankstände behält data/versions"),
    "IMH_SPERRE_WARTEN": ("120", "Sekunden, die ein zweites Veröffentlichen auf das erste wartet (0 = sofort ablehnen)"),
    "IMH_SPRUNG_FAKTOR": ("1,5", "Kennzahlen, die sich um mehr als diesen Faktor ändern, brauchen eine Bestätigung"),
    "IMH_PRUEFBERICHT_MAX": ("200", "Prüfberichte nennen so viele Beanstandungen einzeln, dann je Art nur die Anzahl"),
    "IMH_XLSX_MAX_ENTPACKT_MB": ("100", "größte entpackte Größe einer XLSX-Lieferung (Schutz vor Zip-Bomben)"),
    "IMH_MAX_ZEILEN": ("1000000", "höchstens so viele Datenzeilen je gelieferter Datei"),
    "IMH_KONTAKT_BARRIEREFREIHEIT": ("", "Kontakt für Rückmeldungen in der Erklärung zur Barrierefreiheit "
                                         "(leer = allgemeiner Kontakt der Stadt)"),
}


@dataclass(frozen=True)
class Settings:
    """Runtime settings, read from the environment (or a given mapping, for tests)."""

    data_dir: Path
    db_path: Path
    queries_dir: Path
    suppression_threshold: int
    small_denominator: int
    protection_range: int = 3
    backend: str = "duckdb"
    parquet_dir: str = ""
    editions_dir: Path = Path("data/editions")
    presentations_file: Path = Path("data/catalog/praesentationen.yaml")
    base_url: str = "http://localhost:8501"
    admin_password: str = field(default="", repr=False)
    admin_emails: frozenset[str] = frozenset()
    accessibility_contact: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("IMH_DATA_DIR", REPO_ROOT / "data"))
        return cls(
            data_dir=data_dir,
            db_path=Path(env.get("IMH_DB", data_dir / "integrationsmonitor.duckdb")),
            queries_dir=Path(env.get("IMH_QUERIES_DIR", REPO_ROOT / "queries")),
            suppression_threshold=int(env.get("IMH_GEHEIMHALTUNG_SCHWELLE", "3")),
            small_denominator=int(env.get("IMH_KLEINER_NENNER", "30")),
            protection_range=int(env.get("IMH_SCHUTZBEREICH", "3")),
            backend=env.get("IMH_BACKEND", "duckdb").strip().lower(),
            parquet_dir=env.get("IMH_PARQUET_DIR", "").strip(),
            editions_dir=Path(env.get("IMH_EDITIONS_DIR", data_dir / "editions")),
            presentations_file=Path(env.get("IMH_PRAESENTATIONEN", data_dir / "catalog" / "praesentationen.yaml")),
            base_url=env.get("IMH_BASIS_URL", "http://localhost:8501").strip().rstrip("/"),
            admin_password=env.get("IMH_ADMIN_PASSWORD", ""),
            admin_emails=frozenset(e.strip().casefold() for e in env.get("IMH_ADMIN_EMAILS", "").split(",")
                                   if e.strip()),
            accessibility_contact=env.get("IMH_KONTAKT_BARRIEREFREIHEIT", "").strip(),
        )


# ----------------------------------------------------------------------------- deliveries, publishing, operation
# Plain settings read at the time of use (so tests and a running server see a changed environment); documented in
# the README table. A malformed value stops with a German message instead of silently using the default.
def env_number(name: str, default: float, minimum: float = 0) -> float:
    """A number from the environment (German decimal comma accepted), at least ``minimum``."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"Umgebungsvariable {name}={text!r} ist keine Zahl") from None
    if value < minimum:
        raise ValueError(f"Umgebungsvariable {name}={text!r} ist kleiner als {minimum:g}")
    return value


def versions_keep() -> int:
    """How many kept database versions data/versions holds; older ones are deleted after each publish/restore."""
    return int(env_number("IMH_VERSIONEN_BEHALTEN", 10, minimum=1))


def publish_wait_seconds() -> float:
    """How long a second publisher waits for the first one before it gives up (0 = refuse at once)."""
    return env_number("IMH_SPERRE_WARTEN", 120)


def jump_factor() -> float:
    """A headline figure that changes by more than this factor (up or down) must be confirmed before publishing."""
    return env_number("IMH_SPRUNG_FAKTOR", 1.5, minimum=1)


def report_limit() -> int:
    """Validation reports list the first so many problems, then only a count per kind of problem."""
    return int(env_number("IMH_PRUEFBERICHT_MAX", 200, minimum=1))


def xlsx_max_unpacked_bytes() -> int:
    """Largest total uncompressed size of an XLSX container (zip bombs are refused before parsing)."""
    return int(env_number("IMH_XLSX_MAX_ENTPACKT_MB", 100, minimum=1) * 1024 * 1024)


def max_rows() -> int:
    """Most data rows one delivered file may have."""
    return int(env_number("IMH_MAX_ZEILEN", 1_000_000, minimum=1))


def login_attempts_file() -> Path:
    """Failed logins per account and client address (server-wide, survives reloads and restarts)."""
    default = Settings.from_env().data_dir / ".anmeldeversuche.json"
    return Path(os.environ.get("IMH_ANMELDEVERSUCHE", default))
