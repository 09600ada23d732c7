"""Paths and settings, each overridable by an environment variable (documented in README)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_VERSION = 1
#: Hagen's official municipality key (AGS), the id of the whole city in every table
CITY_ID = "05914000"


@dataclass(frozen=True)
class Settings:
    """Runtime settings; read once from the environment."""

    data_dir: Path
    db_path: Path
    queries_dir: Path
    suppression_threshold: int
    small_denominator: int

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("IMH_DATA_DIR", REPO_ROOT / "data"))
        return cls(
            data_dir=data_dir,
            db_path=Path(os.environ.get("IMH_DB", data_dir / "integrationsmonitor.duckdb")),
            queries_dir=Path(os.environ.get("IMH_QUERIES_DIR", REPO_ROOT / "queries")),
            suppression_threshold=int(os.environ.get("IMH_GEHEIMHALTUNG_SCHWELLE", "3")),
            small_denominator=int(os.environ.get("IMH_KLEINER_NENNER", "30")),
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
