"""Shared fixtures: data folders with their database built from the repository's data/ into temporary folders,
each distinct one once per test session (a build with the confidentiality audit takes seconds)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import duckdb
import pytest

from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT, Settings
from integrationsmonitor.queries import QueryRunner

STATUS_DATE = dt.date(2026, 11, 25)
DB_NAME = "integrationsmonitor.duckdb"
PUBLISHED_ONLY = ("hagen_veroeffentlichte_zahlen.csv", "vergleichszahlen.csv")  # the published figures, no examples

DataTemplate = Callable[..., Path]


@pytest.fixture(scope="session")
def data_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataTemplate]:
    """``data_template(raw=None, without=(), extra=None, today=STATUS_DATE)`` → a data folder: the repository's
    ``catalog/`` and ``geo/``, its ``raw/`` (only the files named in ``raw``, minus ``without``, plus ``extra`` =
    {name in raw/: source file}) and ``integrationsmonitor.duckdb`` built from them (``today=None``: the real date),
    with the default settings whatever the environment says. Built once per session for each distinct recipe and
    shared by all test modules: never write into it, take a copy (fixture ``settings``, ``shutil.copytree``). At the
    end of the session every template must still be as built (a test that wrote into one fails the run)."""
    built: dict[tuple, Path] = {}
    as_built: dict[Path, dict[str, str]] = {}

    def make(raw: Iterable[str] | None = None, without: Iterable[str] = (), extra: Mapping[str, Path] | None = None,
             today: dt.date | None = STATUS_DATE) -> Path:
        key = (None if raw is None else tuple(raw), tuple(sorted(without)), tuple(sorted((extra or {}).items())),
               today)
        if key not in built:
            built[key] = _build_template(tmp_path_factory.mktemp("tpl") / "data", *key)
            as_built[built[key]] = _contents(built[key])
        return built[key]

    yield make
    changed = {str(root): sorted(set(files.items()) ^ set(_contents(root).items()))[:5]
               for root, files in as_built.items() if _contents(root) != files}
    assert not changed, f"ein Test hat in eine gemeinsame Vorlage geschrieben (Kopie nehmen): {changed}"


def _contents(root: Path) -> dict[str, str]:
    """Every file below ``root`` (relative path) → SHA-256 of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _build_template(root: Path, raw: tuple[str, ...] | None, without: tuple[str, ...],
                    extra: tuple[tuple[str, Path], ...], today: dt.date | None) -> Path:
    for sub in ("catalog", "geo"):
        shutil.copytree(REPO_ROOT / "data" / sub, root / sub)
    if raw is None:
        shutil.copytree(REPO_ROOT / "data" / "raw", root / "raw")
    else:
        (root / "raw").mkdir()
        for name in raw:
            shutil.copyfile(REPO_ROOT / "data" / "raw" / name, root / "raw" / name)
    for name in without:
        (root / "raw" / name).unlink()
    for name, source in extra:
        shutil.copyfile(source, root / "raw" / name)
    build(root, root / DB_NAME, today=today, settings=Settings.from_env({"IMH_DATA_DIR": str(root)}))
    return root


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build once per test session from data/ itself (never the shipped data/*.duckdb); IMH_DB points at it.

    Not a ``data_template()``: built in place, the map sources name their files as ``data/geo/…`` like the real
    installation does (a copy outside the repository names only the file)."""
    db = tmp_path_factory.mktemp("db") / "test.duckdb"
    build(REPO_ROOT / "data", db, today=STATUS_DATE)
    os.environ["IMH_DB"] = str(db)
    return db


def db_rows(db: Path, sql: str, params: list | dict | None = None) -> list[tuple]:
    """The rows of one query on a database file, opened read only and closed again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def run_page(page: str, timeout: float = 60, first_view: bool = False, **params: str):
    """One AppTest run of a page file (``pages/x.py``) with URL parameters; fails on any exception shown. Unless
    ``first_view``, the session's first chart counts as drawn already (the browser reports that, see
    serving/progressive.py; AppTest has no browser): the start page is sent whole."""
    from streamlit.testing.v1 import AppTest

    from integrationsmonitor.serving import progressive

    at = AppTest.from_file(str(REPO_ROOT / page), default_timeout=timeout)
    if not first_view:
        at.session_state[progressive.DRAWN] = True
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture(scope="session")
def runner(built_db: Path) -> QueryRunner:
    return QueryRunner(built_db, REPO_ROOT / "queries")


@pytest.fixture
def settings(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private working copy of the module's ``template`` data folder (each delivery test module names its recipe
    of ``data_template`` as ``template``), with IMH_DATA_DIR and IMH_DB pointing at it."""
    data = tmp_path / "data"
    shutil.copytree(template, data)
    monkeypatch.setenv("IMH_DATA_DIR", str(data))
    monkeypatch.setenv("IMH_DB", str(data / DB_NAME))
    return Settings.from_env()
