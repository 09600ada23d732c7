"""The page caches in ui.py: a view is made once per (key, parameters, data stamp) and shared; a changed
database file is seen by the next call without a restart; the Parquet backend is used when configured."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from types import MappingProxyType

import duckdb
import pytest

from integrationsmonitor.serving import ui
from integrationsmonitor.views import index


@pytest.fixture()
def db_copy(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "kopie.duckdb"
    shutil.copy(built_db, copy)
    monkeypatch.setenv("IMH_DB", str(copy))
    return copy


def _counting(monkeypatch: pytest.MonkeyPatch, key: str) -> list[dict]:
    original = index.VIEWS[key]
    calls: list[dict] = []

    def counted(runner, **params):
        calls.append(params)
        return original.function(runner, **params)

    counting = dataclasses.replace(original, function=counted)
    monkeypatch.setattr(index, "VIEWS", MappingProxyType({**index.VIEWS, key: counting}))
    return calls


def test_view_is_made_once_per_parameters_and_shared(db_copy: Path, monkeypatch: pytest.MonkeyPatch):
    calls = _counting(monkeypatch, "eu2_fluktuation")
    first = ui.view("eu2_fluktuation", stichtag="2022-12-31")
    again = ui.view("eu2_fluktuation", stichtag="2022-12-31")
    other = ui.view("eu2_fluktuation", stichtag="2021-12-31")
    assert again is first  # shared object, no copy, no second computation
    assert other is not first
    assert calls == [{"stichtag": "2022-12-31"}, {"stichtag": "2021-12-31"}]


def test_changed_database_is_seen_without_restart(db_copy: Path, monkeypatch: pytest.MonkeyPatch):
    calls = _counting(monkeypatch, "eu2_fluktuation")
    before_view = ui.view("eu2_fluktuation", stichtag="2022-12-31")
    before_id = ui.query("build_manifest")["build_id"].iloc[0]
    staged = db_copy.with_suffix(".neu")  # what a rebuild does, in small: a new file swapped in atomically
    shutil.copy(db_copy, staged)
    with duckdb.connect(str(staged)) as con:
        con.execute("update build_manifest set build_id = 'neu-gebaut'")
    os.replace(staged, db_copy)
    assert ui.query("build_manifest")["build_id"].iloc[0] == "neu-gebaut" != before_id
    after_view = ui.view("eu2_fluktuation", stichtag="2022-12-31")
    assert after_view is not before_view
    assert len(calls) == 2
    assert after_view.table.equals(before_view.table)  # same data, freshly made


def test_query_results_are_copies_a_page_cannot_spoil(db_copy: Path):
    first = ui.query("paket_stadtbezirke")
    first.loc[:, first.columns[0]] = "verändert"
    assert (ui.query("paket_stadtbezirke")[first.columns[0]] != "verändert").all()


def test_runner_for_pages_uses_the_configured_backend(db_copy: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    from integrationsmonitor import backends

    backends.export_parquet(db_copy, str(tmp_path / "parquet"))
    monkeypatch.setenv("IMH_BACKEND", "parquet")
    monkeypatch.setenv("IMH_PARQUET_DIR", str(tmp_path / "parquet"))
    runner = ui.runner()
    assert isinstance(runner.backend, backends.ParquetRunner)
    with duckdb.connect(str(db_copy), read_only=True) as con:
        expected = con.execute("select build_id from build_manifest").fetchone()[0]
    assert ui.query("build_manifest")["build_id"].iloc[0] == expected


def test_package_is_made_once_per_selection_and_data_stand(db_copy: Path, monkeypatch: pytest.MonkeyPatch):
    from integrationsmonitor.exports import sitzungspaket as package

    made: list[list[str]] = []

    def fake_make_package(runner, out, bezirke, **kwargs):
        made.append(list(bezirke))
        return f"ZIP {','.join(bezirke)} {runner.build_id()}".encode(), None

    monkeypatch.setattr(package, "make_package", fake_make_package)
    first = ui.package_zip(("SB1", "SB2"))
    assert ui.package_zip(("SB1", "SB2")) == first
    assert ui.package_zip(("SB2",)) != first
    assert made == [["SB1", "SB2"], ["SB2"]]
    build_id = ui.query("build_manifest")["build_id"].iloc[0]
    assert first == f"ZIP SB1,SB2 {build_id}".encode()


def test_one_view_for_two_districts_on_one_page(built_db: Path):
    """show_view can show the same view twice with different parameters (no duplicate widget key)."""
    from streamlit.testing.v1 import AppTest

    def page():
        from integrationsmonitor.serving import ui

        for bezirk in ("SB1", "SB2"):
            ui.show_view(ui.view("quartier_zeitreihe", bezirk=bezirk))

    at = AppTest.from_function(page).run(timeout=60)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2


def test_a_rerun_that_started_before_the_swap_does_not_replace_the_new_runner(db_copy: Path):
    old_stamp = ui._current()[1]
    before = ui.runner().backend
    staged = db_copy.with_suffix(".neu")
    shutil.copy(db_copy, staged)
    os.replace(staged, db_copy)
    new_runner = ui.runner().backend
    assert new_runner is not before
    assert ui._runner(str(db_copy), old_stamp) is new_runner  # the late caller gets the current runner
    assert ui.runner().backend is new_runner
    assert len(new_runner.run("build_manifest")) == 1  # still open


def test_closing_waits_for_a_query_still_running(built_db: Path):
    import threading

    from integrationsmonitor.config import REPO_ROOT
    from integrationsmonitor.queries import QueryRunner

    runner = QueryRunner(built_db, REPO_ROOT / "queries")
    expected = len(runner.run("ausgabe_beobachtungen"))
    batches = runner.iter_batches("ausgabe_beobachtungen", batch_rows=100)
    first = next(batches)  # a session is in the middle of reading …
    closer = threading.Thread(target=runner.close)
    closer.start()  # … when the data are swapped and the old runner is closed
    rows = len(first) + sum(len(b) for b in batches)
    closer.join(timeout=10)
    assert rows == expected and not closer.is_alive()
    with pytest.raises(Exception):  # noqa: B017 - closed now: any further query fails
        runner.run("build_manifest")
