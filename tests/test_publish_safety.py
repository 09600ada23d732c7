"""One publisher at a time, and failures while publishing (issue 13 §3, §5): two real publishing processes at
once, a lock held by another process, a delivery checked against a database replaced since, disk full or
read-only while a version is written, leftovers of killed runs, and the number of kept versions."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from conftest import PUBLISHED_ONLY

from integrationsmonitor.__main__ import main
from integrationsmonitor.build import update
from integrationsmonitor.config import REPO_ROOT, Settings

TODAY = dt.date(2026, 11, 25)
HEADER = "indikator;gebiet;stichtag;staatsangehoerigkeit;wert;zaehler;nenner;quelle;hinweis;beispieldaten\n"


def delivery(area: str, value: int) -> bytes:
    return f"{HEADER}einbuergerungen;{area};31.12.2025;_T;{value};;;Statistikstelle Hagen;;nein\n".encode()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def naturalisations(db: Path) -> dict[str, float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select area_id, value from observation where indicator_id = 'einbuergerungen' "
                           "and source = 'Statistikstelle Hagen' and period = date '2025-12-31'").fetchall()
    finally:
        con.close()
    return dict(rows)


@pytest.fixture(scope="module")
def template(data_template) -> Path:
    """Catalogue, geometries and the two files of published figures (no example data), built once per session."""
    return data_template(raw=PUBLISHED_ONLY, today=TODAY)



def publish(settings: Settings, name: str, content: bytes, **kwargs) -> update.Version | None:
    staged = update.stage([(name, content)], settings)
    assert update.validate(staged, today=TODAY) == []
    return update.publish(staged, settings, **kwargs)


# ----------------------------------------------------------------------------- §3 one publisher at a time
def test_two_publishing_processes_at_once_lose_nothing(settings, tmp_path):
    files = {}
    for area, value in (("SB1", 101), ("SB2", 202)):
        files[area] = tmp_path / f"lieferung_{area.lower()}.csv"
        files[area].write_bytes(delivery(area, value))
    env = {**os.environ, "IMH_DATA_DIR": str(settings.data_dir), "IMH_DB": str(settings.db_path)}
    procs = [subprocess.Popen([sys.executable, "-m", "integrationsmonitor", "update", str(path), "--publish"],
                              cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for path in files.values()]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert [rc for rc, _, _ in results] == [0, 0], results
    assert all("Veröffentlicht" in out for _, out, _ in results)
    assert naturalisations(settings.db_path) == {"SB1": 101, "SB2": 202}
    assert any("es wird bis zu 120 Sekunden gewartet" in out for _, out, _ in results)  # the second one waited
    raw = sorted(p.name for p in (settings.data_dir / "raw").iterdir())
    assert raw == ["hagen_veroeffentlichte_zahlen.csv", "lieferung_sb1.csv", "lieferung_sb2.csv", "vergleichszahlen.csv"]
    versions = update.list_versions(settings)  # newest first: kept before the second publish holds the first one
    assert len(versions) == 2
    assert naturalisations(versions[1].db_path) == {}
    assert list(naturalisations(versions[0].db_path).values()) in ([101], [202])
    assert len(versions[0].manifest["raw_files"]) == 3


def test_a_publisher_gives_up_with_a_german_message_while_another_holds_the_lock(settings, tmp_path, capsys,
                                                                                   monkeypatch):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, filelock; lock = filelock.FileLock(sys.argv[1]); lock.acquire(); "
         "print('gesperrt', flush=True); time.sleep(60)", str(settings.data_dir / update.LOCK_NAME)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "gesperrt"
        monkeypatch.setenv("IMH_SPERRE_WARTEN", "0,5")
        path = tmp_path / "lieferung.csv"
        path.write_bytes(delivery("SB1", 101))
        before = sha(settings.db_path)
        assert main(["update", str(path), "--publish"]) == 1
        captured = capsys.readouterr()
        assert "es wird bis zu 0,5 Sekunden gewartet" in captured.out
        assert "Eine andere Veröffentlichung läuft noch" in captured.err and "nach 0,5 Sekunden abgebrochen" in captured.err
        assert sha(settings.db_path) == before and not (settings.data_dir / "raw" / "lieferung.csv").exists()
        with pytest.raises(update.PublishError):
            update.restore("egal", settings, wait=0)
    finally:
        holder.kill()
        holder.wait()
    assert main(["update", str(path), "--publish"]) == 0  # once the other one is gone


def test_a_delivery_checked_before_another_was_published_is_refused(settings):
    first = update.stage([("a.csv", delivery("SB1", 101))], settings)
    second = update.stage([("b.csv", delivery("SB2", 202))], settings)
    assert update.validate(first, today=TODAY) == [] and update.validate(second, today=TODAY) == []
    update.publish(first, settings)
    with pytest.raises(update.StaleDelivery) as exc:
        update.publish(second, settings)
    assert "bitte die Lieferung erneut prüfen" in str(exc.value)
    assert naturalisations(settings.db_path) == {"SB1": 101}
    assert not (settings.data_dir / "raw" / "b.csv").exists()
    update.discard(second)


# ----------------------------------------------------------------------------- §5 disk full, leftovers, pruning
@pytest.mark.parametrize(("code", "text"), [(errno.ENOSPC, "kein Speicherplatz mehr frei"),
                                            (errno.EROFS, "schreibgeschützt")])
def test_disk_full_while_keeping_a_version_leaves_no_partial_file(settings, monkeypatch, code, text):
    real_copy = shutil.copyfile
    versions = settings.data_dir / "versions"

    def failing_copy(src, dst, *args, **kwargs):
        if Path(dst).parent == versions:  # half of the file is written, then the disk is full
            Path(dst).write_bytes(Path(src).read_bytes()[:1000])
            raise OSError(code, os.strerror(code), str(dst))
        return real_copy(src, dst, *args, **kwargs)

    before = sha(settings.db_path)
    staged = update.stage([("lieferung.csv", delivery("SB1", 101))], settings)
    assert update.validate(staged, today=TODAY) == []
    monkeypatch.setattr(update.shutil, "copyfile", failing_copy)
    with pytest.raises(update.PublishError) as exc:
        update.publish(staged, settings)
    assert text in str(exc.value) and "keine halbe Datei" in str(exc.value)
    assert sorted(p.name for p in versions.iterdir()) == []
    assert sha(settings.db_path) == before
    assert not (settings.data_dir / "raw" / "lieferung.csv").exists()
    update.discard(staged)


def test_versions_are_pruned_to_the_configured_number(settings, monkeypatch):
    monkeypatch.setenv("IMH_VERSIONEN_BEHALTEN", "2")
    kept = [publish(settings, f"l{i}.csv", delivery(f"SB{i}", 100 + i)).name for i in (1, 2, 3)]
    names = [v.name for v in update.list_versions(settings)]
    assert names == [kept[2], kept[1]]
    files = sorted(p.name for p in (settings.data_dir / "versions").iterdir())
    assert files == sorted(f"{n}{suffix}" for n in kept[1:] for suffix in (".duckdb", ".json", ".raw"))


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_build_removes_leftovers_of_killed_runs_and_keeps_those_of_running_ones(settings, tmp_path, monkeypatch,
                                                                              capsys):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead, alive = _dead_pid(), os.getpid()
    data, versions = settings.data_dir, settings.data_dir / "versions"
    versions.mkdir()
    leftovers = [data / f".integrationsmonitor.duckdb.{dead}.0badc0de.tmp",
                 data / f".integrationsmonitor.duckdb.{dead}.0badc0de.tmp.wal",
                 data / ".integrationsmonitor.duckdb.1234abcd.tmp",
                 data / "raw" / ".lieferung.csv.1234abcd.tmp",
                 versions / ".20261130-120000-000001-abc.tmp",
                 versions / "20261130-120000-000001-abc.json"]
    for path in leftovers:
        path.write_bytes(b"x" * 100)
    (versions / "20261130-120000-000001-abc.raw").mkdir()
    leftovers.append(versions / "20261130-120000-000001-abc.raw")
    killed = temp / f"{update.STAGING_PREFIX}tot"
    running = temp / f"{update.STAGING_PREFIX}laeuft"
    for folder, pid in ((killed, dead), (running, alive)):
        (folder / "data" / "raw").mkdir(parents=True)
        (folder / "data" / "raw" / "kopie.csv").write_bytes(b"x" * 100)
        (folder / update.PID_FILE).write_text(str(pid))
    leftovers.append(killed)
    still_building = data / f".integrationsmonitor.duckdb.{alive}.0badc0de.tmp"
    still_building.write_bytes(b"x")
    assert main(["build"]) == 0
    assert "Aufgeräumt: 8 Rest(e) abgebrochener Läufe entfernt" in capsys.readouterr().out
    assert [p for p in leftovers if p.exists()] == []
    assert running.is_dir() and still_building.exists()
    # `make start` runs `ensure`: with the database present it only tidies up
    late = data / "raw" / ".spaet.csv.0badc0de.tmp"
    late.write_bytes(b"x")
    assert main(["ensure"]) == 0
    assert not late.exists() and still_building.exists()


def test_disk_full_while_staging_a_delivery_leaves_no_copy_in_the_temp_folder(settings, tmp_path, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    real_copy = shutil.copy2

    def failing_copy(src, dst, *args, **kwargs):
        if Path(src).name == "vergleichszahlen.csv":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(update.shutil, "copy2", failing_copy)
    with pytest.raises(update.PublishError, match="kein Speicherplatz mehr frei"):
        update.stage([("lieferung.csv", delivery("SB1", 101))], settings)
    assert list(temp.iterdir()) == []
