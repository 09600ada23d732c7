"""Shared fixtures: a database built from the repository's data/ into a temporary folder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.queries import QueryRunner

STATUS_DATE = dt.date(2026, 11, 25)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build once per test session from data/ (never the shipped data/*.duckdb); IMH_DB points at it."""
    db = tmp_path_factory.mktemp("db") / "test.duckdb"
    build(REPO_ROOT / "data", db, today=STATUS_DATE)
    os.environ["IMH_DB"] = str(db)
    return db


@pytest.fixture(scope="session")
def runner(built_db: Path) -> QueryRunner:
    return QueryRunner(built_db, REPO_ROOT / "queries")
