"""Shared fixtures: a database built from the repository's data/ into a temporary folder."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT, Settings
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


@pytest.fixture
def settings(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private working copy of the module's ``template`` data folder (each delivery test module defines its own
    ``template``), with IMH_DATA_DIR and IMH_DB pointing at it."""
    data = tmp_path / "data"
    shutil.copytree(template, data)
    monkeypatch.setenv("IMH_DATA_DIR", str(data))
    monkeypatch.setenv("IMH_DB", str(data / "integrationsmonitor.duckdb"))
    return Settings.from_env()
