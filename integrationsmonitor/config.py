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
