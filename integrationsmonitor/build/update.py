"""Data update workflow of the statistics office: upload → validation report → preview → publish → restore.

Used by the CLI (``python -m integrationsmonitor update|versions|restore``) and by pages/datenpflege.py.

* **stage**: uploaded files are checked for size and *content* (CSV = text, XLSX = ZIP container with
  ``[Content_Types].xml``; anything else is refused, whatever its name says) and written into a fresh staging
  folder that mirrors ``data/`` (catalog and geometries of the live data; raw files = the live ones, an
  uploaded file with the same name replaces its namesake).
* **validate + preview**: the staging folder is built into a staging database (same code as the real
  build); every problem comes back with file, row and column; the preview compares the staging database
  with the published one (new, changed and removed figures by key).
* **publish**: the published database is kept as ``data/versions/<timestamp>-<build_id>.duckdb`` with a
  JSON manifest and a copy of the raw files it was built from; then the staging database is swapped in with
  ``os.replace`` (atomic) and the uploaded files are copied into ``data/raw``.
* **restore**: a version is swapped back the same way (the current state is kept as a version first, so a
  restore can itself be undone) — the restored database is byte-identical to the kept one.
* **one publisher at a time**: publish, restore and the build of the live database run under an OS-level file
  lock (``filelock``, ``data/.veroeffentlichen.lock``); a second publisher waits (German message) up to
  ``IMH_SPERRE_WARTEN`` seconds, then gives up with nothing changed. A delivery checked against a database that
  has been replaced since is refused (it would drop the other delivery): check it again.
* **housekeeping**: ``data/versions`` keeps the newest ``IMH_VERSIONEN_BEHALTEN`` versions; leftovers of killed
  runs (``.tmp`` files, half-written versions, staging copies of the raw data in the temp folder) are removed at
  the next build, update or restore.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import filelock

from integrationsmonitor import config
from integrationsmonitor.build import official
from integrationsmonitor.build.pipeline import BuildResult, build
from integrationsmonitor.config import Settings
from integrationsmonitor.ingest import wahlen
from integrationsmonitor.ingest.readers import MAX_FILE_BYTES
from integrationsmonitor.problems import Problem, ValidationError
from integrationsmonitor.queries import QueryRunner

MAX_UPLOAD_BYTES = MAX_FILE_BYTES
SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
LOCK_NAME = ".veroeffentlichen.lock"
STAGING_PREFIX = "imh-lieferung-"
PID_FILE = ".prozess"


class PublishError(Exception):
    """Publishing or restoring is not possible right now (German message; nothing was changed)."""


class StaleDelivery(PublishError):
    """The published database changed after the delivery was checked."""


class JumpsNotConfirmed(PublishError):
    """A headline figure jumps beyond the configured factor and nobody confirmed it."""


# ----------------------------------------------------------------------------- one publisher at a time
_LOCKS: dict[str, filelock.FileLock] = {}


def _lock(settings: Settings) -> filelock.FileLock:
    """One lock object per lock file and process: re-entrant in the thread that holds it; other threads and
    other processes wait (the OS lock is per open file, and every thread opens its own)."""
    path = str((settings.data_dir / LOCK_NAME).resolve())
    if path not in _LOCKS:
        _LOCKS[path] = filelock.FileLock(path, thread_local=True)
    return _LOCKS[path]


@contextlib.contextmanager
def publisher_lock(settings: Settings, wait: float | None = None,
                   on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the publisher lock; waits up to ``wait`` seconds (IMH_SPERRE_WARTEN) with a German message."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    wait = config.publish_wait_seconds() if wait is None else wait
    lock = _lock(settings)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if on_wait is not None:
            on_wait(f"Eine andere Veröffentlichung, Wiederherstellung oder ein Neuaufbau läuft gerade – es wird bis "
                    f"zu {_factor(wait)} Sekunden gewartet …")
        try:
            lock.acquire(timeout=wait)
        except filelock.Timeout:
            raise PublishError(
                f"Eine andere Veröffentlichung läuft noch (Sperre {settings.data_dir / LOCK_NAME}); nach "
                f"{_factor(wait)} Sekunden abgebrochen. Es wurde nichts geändert – bitte später erneut versuchen.") from None
    try:
        yield
    finally:
        lock.release()


def _disk_message(exc: OSError, what: str) -> str:
    if exc.errno == errno.ENOSPC:
        reason = "Auf dem Datenträger ist kein Speicherplatz mehr frei"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = "Der Datenträger oder Ordner ist schreibgeschützt"
    else:
        reason = f"Schreibfehler ({exc.strerror or exc})"
    where = f" ({exc.filename})" if exc.filename else ""
    return (f"{what} nicht möglich: {reason}{where}. Es wurde nichts veröffentlicht oder wiederhergestellt, und es "
            "bleibt keine halbe Datei zurück. Bitte Platz schaffen bzw. Schreibrechte prüfen (alte Versionen: "
            "IMH_VERSIONEN_BEHALTEN) und erneut versuchen.")


@dataclass
class Staged:
    """A staging area: the files as uploaded and, once validated, the database built from them."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    db_path: Path | None = None
    build: BuildResult | None = None
    base_build_id: str | None = None  # the published database the delivery was checked against
    replaced: list[str] = field(default_factory=list)  # election folders under raw/wahlen/ a delivery replaces
    skipped: list[str] = field(default_factory=list)  # files of an election folder that are not election data

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"


@dataclass
class Diff:
    """Differences between two databases, by key (figures and population cells)."""

    new: list[tuple] = field(default_factory=list)
    changed: list[tuple] = field(default_factory=list)  # (kind, key, old, new)
    removed: list[tuple] = field(default_factory=list)

    def rows(self) -> list[dict]:
        """One row per difference, German columns, for a table on the page or the CLI."""
        out = []
        for change, items in (("neu", self.new), ("geändert", self.changed), ("entfernt", self.removed)):
            for item in items:
                kind, key, old, new = item if change == "geändert" else (*item[:2], None, None)
                if change == "neu":
                    new = item[2]
                if change == "entfernt":
                    old = item[2]
                out.append({"Änderung": change, "Art": kind, "Schlüssel": " · ".join(str(k) for k in key),
                            "bisher": old, "neu": new})
        return out

    def summary(self) -> str:
        return f"{len(self.new)} neu, {len(self.changed)} geändert, {len(self.removed)} entfernt"


# ----------------------------------------------------------------------------- content checks
def sniff(data: bytes) -> str | None:
    """'csv', 'xlsx' or None, decided by content (never by the file name)."""
    if data[:4] == b"PK\x03\x04":
        try:
            import io

            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        return "xlsx" if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names) else None
    head = data[:65536]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text: the reader reports the encoding precisely
    if head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8", b"MZ", b"\x7fELF", b"\x1f\x8b")):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 64 KiB boundary
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return None
    return "csv"


def check_upload(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Safe file name for an upload (suffix from its content) or problems."""
    display = Path(name).name or "upload"
    if len(data) > MAX_UPLOAD_BYTES:
        return None, [Problem(display, None, None, f"Datei ist {len(data) / 1e6:.1f} MB groß",
                              f"höchstens {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")]
    if not data:
        return None, [Problem(display, None, None, "Datei ist leer", "eine Kopfzeile und mindestens eine Datenzeile")]
    kind = sniff(data)
    if kind is None:
        return None, [Problem(display, None, None, "Dateiinhalt ist weder CSV-Text noch eine Excel-Datei (XLSX)",
                              "CSV (Text, Semikolon) oder XLSX")]
    suffix = Path(display).suffix.lower().lstrip(".")
    if suffix in ("csv", "xlsx") and suffix != kind:
        return None, [Problem(display, None, None, f"Endung .{suffix}, aber der Inhalt ist "
                              f"{'CSV-Text' if kind == 'csv' else 'eine Excel-Datei'}",
                              "Endung passend zum Inhalt (.csv für Text, .xlsx für Excel)")]
    stem = SAFE_NAME.sub("_", Path(display).stem).strip("._") or "upload"
    return f"{stem[:80]}.{kind}", []


# ----------------------------------------------------------------------------- stage / validate / diff
def stage(uploads: list[tuple[str, bytes]], settings: Settings, staging_root: Path | None = None) -> Staged:
    """Write uploads into a new staging folder that mirrors data/; content and size are checked first."""
    if staging_root is None:
        folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX))
    else:
        folder = staging_root / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    staged = Staged(folder, base_build_id=current_build_id(settings))
    try:
        _fill_staging(staged, uploads, settings)
    except OSError as exc:  # disk full or read-only temp folder: no half staging copy stays behind
        shutil.rmtree(folder, ignore_errors=True)
        raise PublishError(_disk_message(exc, "Prüfen der Lieferung")) from exc
    return staged


def _fill_staging(staged: Staged, uploads: list[tuple[str, bytes]], settings: Settings) -> None:
    folder = staged.folder
    data = staged.data_dir
    (data / "raw").mkdir(parents=True, exist_ok=False)
    (folder / PID_FILE).write_text(str(os.getpid()), encoding="utf-8")  # whose copy: removed once that one is gone
    for sub in ("catalog", "geo"):
        shutil.copytree(settings.data_dir / sub, data / sub)
    for path in sorted((settings.data_dir / "raw").iterdir()):
        if path.is_file():
            shutil.copy2(path, data / "raw" / path.name)
            os.chmod(data / "raw" / path.name, 0o644)
    if (settings.data_dir / "raw" / "wahlen").is_dir():  # elections (Offene Wahldaten), one folder each
        shutil.copytree(settings.data_dir / "raw" / "wahlen", data / "raw" / "wahlen")
    for name, content in uploads:
        name, content, zip_problems = official.prepare_upload(name, content)  # GENESIS ZIP → flat file, stable name
        staged.problems += zip_problems
        safe, problems = check_upload(name, content)
        staged.problems += problems
        if safe is None:
            continue
        target = data / "raw" / safe
        for other in (data / "raw").glob(f"{Path(safe).stem}.*"):  # a .csv replaces an .xlsx of the same name
            other.unlink()
        target.write_bytes(content)
        staged.files.append(target)


ELECTION_SUFFIXES = {".csv", ".geojson", ".json"}


def stage_election(uploads: list[tuple[str, bytes]], settings: Settings, staging_root: Path | None = None) -> Staged:
    """Stage the files of one election (a zip, or the files of its folder) into raw/wahlen/<election id>/.

    The folder is named after the election found in the files (kind and date from the Wahlparameter), so that
    a new election needs no code change and a corrected re-delivery replaces the earlier one.
    """
    staged = stage([], settings, staging_root)
    incoming = staged.folder / "eingang"
    incoming.mkdir()
    for name, content in uploads:
        display = Path(name).name
        if len(content) > wahlen.MAX_ZIP_BYTES:
            staged.problems.append(Problem(display, None, None, f"Datei ist {len(content) / 1e6:.1f} MB groß",
                                           f"höchstens {wahlen.MAX_ZIP_BYTES // (1024 * 1024)} MB"))
        elif content[:4] == b"PK\x03\x04":
            _, problems = wahlen.unpack_zip(content, incoming, display)
            staged.problems += problems
        elif Path(display).suffix.lower() in ELECTION_SUFFIXES and sniff(content) == "csv":
            (incoming / display).write_bytes(content)
        else:  # e.g. a PDF or README next to the city's files: not loaded, said so
            staged.skipped.append(display)
    if staged.problems:
        return staged
    elections = _elections_in(incoming)
    if not elections:
        staged.problems.append(Problem("(Upload)", None, None, "keine Datei „…_Wahlparameter_…csv“ mit Wahldatum "
                                       "gefunden", "die Dateien einer Wahl im Format Offene Wahldaten"))
        return staged
    root = staged.data_dir / "raw" / "wahlen"
    root.mkdir(parents=True, exist_ok=True)
    for key, paths in sorted(elections.items()):  # usually one; an election day may bring several
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            if key in _election_keys(folder):
                shutil.rmtree(folder)
                staged.replaced.append(folder.name)
        target = root / key
        target.mkdir()
        for path in paths:
            shutil.copy2(path, target / path.name)
        staged.files.append(target)
    return staged


def _elections_in(folder: Path) -> dict[str, list[Path]]:
    """Election id → its files (plus the folder's geometry files) for every election found in ``folder``."""
    out: dict[str, list[Path]] = {}
    for roles in wahlen.groups(folder).values():
        key = next((wahlen.parameters_key(p) for p in roles.get("Wahlparameter", [])), None)
        if key:
            out[key] = sorted({p for paths in roles.values() for p in paths})
    return out


def _election_keys(folder: Path) -> set[str]:
    """Election ids (kind-date) named by the Wahlparameter files of a folder."""
    keys = set()
    for path in folder.glob("*_Wahlparameter_*.csv"):
        key = wahlen.parameters_key(path)
        if key:
            keys.add(key)
    return keys


def validate(staged: Staged, today: dt.date | None = None) -> list[Problem]:
    """Build the staging database; returns every problem (empty list = valid)."""
    if staged.problems:
        return staged.problems
    if not staged.files:
        staged.problems = [Problem("(Upload)", None, None, "keine Datei hochgeladen", "mindestens eine CSV- oder XLSX-Datei")]
        return staged.problems
    db = staged.folder / "staging.duckdb"
    try:
        staged.build = build(staged.data_dir, db, today=today)
    except ValidationError as exc:
        staged.problems = exc.problems
        return staged.problems
    except (OSError, duckdb.IOException) as exc:
        reason = _disk_message(exc if isinstance(exc, OSError) else OSError(errno.EIO, str(exc)), "Prüfen")
        staged.problems = [Problem("(Prüfung)", None, None, reason, "freier Speicherplatz im Temp-Ordner")]
        return staged.problems
    staged.db_path = db
    return []


OBS_KEY = "indicator_id, area_id, cast(period as varchar), nationality, source"
POP_KEY = "area_id, cast(period as varchar), nationality, age_group, sex"


def _snapshot(db: Path) -> dict[tuple, float | None]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out: dict[tuple, float | None] = {}
        for *key, value in con.execute(f"select {OBS_KEY}, value from observation").fetchall():  # noqa: S608
            out[("Kennzahl", tuple(key))] = value
        for *key, value in con.execute(f"select {POP_KEY}, persons from population").fetchall():  # noqa: S608
            out[("Bevölkerung", tuple(key))] = value
        return out
    finally:
        con.close()


def diff(old_db: Path | None, new_db: Path) -> Diff:
    old = _snapshot(old_db) if old_db and old_db.exists() else {}
    new = _snapshot(new_db)
    result = Diff()
    for k in sorted(new.keys() - old.keys(), key=repr):
        result.new.append((k[0], k[1], new[k]))
    for k in sorted(old.keys() - new.keys(), key=repr):
        result.removed.append((k[0], k[1], old[k]))
    for k in sorted(old.keys() & new.keys(), key=repr):
        if old[k] != new[k]:
            result.changed.append((k[0], k[1], old[k], new[k]))
    return result


# ----------------------------------------------------------------------------- versions
@dataclass(frozen=True)
class Version:
    name: str
    db_path: Path
    manifest: dict

    @property
    def label(self) -> str:
        m = self.manifest
        return f"{m.get('kept_at', '?')} · Build {str(m.get('build_id', '?'))[:8]} · {m.get('reason', '')}"


def versions_dir(settings: Settings) -> Path:
    return settings.data_dir / "versions"


def list_versions(settings: Settings) -> list[Version]:
    folder = versions_dir(settings)
    if not folder.is_dir():
        return []
    out = []
    for db in sorted(folder.glob("*.duckdb"), reverse=True):
        manifest_path = db.with_suffix(".json")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
        out.append(Version(db.stem, db, manifest))
    return out


def _build_id(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("select build_id from build_manifest limit 1").fetchone()
        return row[0] if row else "unbekannt"
    finally:
        con.close()


def current_build_id(settings: Settings) -> str | None:
    """Build id of the published database (None if there is none yet, its sha256 if it cannot be read)."""
    if not settings.db_path.exists():
        return None
    try:
        return _build_id(settings.db_path)
    except duckdb.Error:
        return _sha256(settings.db_path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def keep_version(settings: Settings, reason: str) -> Version | None:
    """Copy the published database and the raw files it came from into data/versions/. A write error (disk full,
    read-only) removes whatever was written so far and raises PublishError with a German message."""
    db = settings.db_path
    if not db.exists():
        return None
    folder = versions_dir(settings)
    name = f"{dt.datetime.now():%Y%m%d-%H%M%S-%f}-{_build_id(db)[:12]}"
    tmp = folder / f".{name}.tmp"
    raw_copy = folder / f"{name}.raw"
    manifest_path = folder / f"{name}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, tmp)
        raw_copy.mkdir()
        raw_files = {}
        for path in sorted((settings.data_dir / "raw").iterdir()):
            if path.is_file():
                shutil.copyfile(path, raw_copy / path.name)
                raw_files[path.name] = _sha256(path)
        elections = settings.data_dir / "raw" / "wahlen"
        if elections.is_dir():  # the election folders the database was built from
            shutil.copytree(elections, raw_copy / "wahlen")
        manifest = {"version": name, "build_id": _build_id(db),
                    "kept_at": dt.datetime.now().isoformat(timespec="seconds"), "reason": reason,
                    "sha256": _sha256(tmp), "raw_files": raw_files,
                    "wahlen": sorted(p.name for p in elections.iterdir() if p.is_dir()) if elections.is_dir() else []}
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / f"{name}.duckdb")
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        manifest_path.unlink(missing_ok=True)
        shutil.rmtree(raw_copy, ignore_errors=True)
        raise PublishError(_disk_message(exc, "Sichern der bisherigen Datenbank")) from exc
    return Version(name, folder / f"{name}.duckdb", manifest)


def prune_versions(settings: Settings, keep: int | None = None) -> list[str]:
    """Delete all but the newest ``keep`` versions (IMH_VERSIONEN_BEHALTEN); returns the names deleted."""
    keep = config.versions_keep() if keep is None else keep
    removed = []
    for version in list_versions(settings)[keep:]:  # newest first
        version.db_path.unlink(missing_ok=True)
        version.db_path.with_suffix(".json").unlink(missing_ok=True)
        shutil.rmtree(version.db_path.with_suffix(".raw"), ignore_errors=True)
        removed.append(version.name)
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftover(path: Path, pid: int | None, max_age_s: float) -> bool:
    if pid is not None:
        return not _pid_alive(pid)
    try:
        return time.time() - path.stat().st_mtime > max_age_s
    except OSError:
        return False


def cleanup_leftovers(settings: Settings, temp_dir: Path | None = None, max_age_s: float = 86400) -> list[Path]:
    """Remove what killed runs leave behind: ``.tmp`` files of swaps and builds next to the database and in
    data/raw, half-written versions, and staging copies of the raw data in the temp folder whose process is gone
    (or, without a process note, older than a day). Call under the publisher lock; returns what was removed."""
    removed: list[Path] = []
    db = settings.db_path
    build_tmp = re.compile(rf"^\.{re.escape(db.name)}\.(?:(\d+)\.)?[0-9a-f]{{8}}\.tmp(?:\.wal)?$")
    for path in db.parent.glob(f".{db.name}.*"):
        m = build_tmp.match(path.name)  # with a pid: a build's file; without: a swap's (only ever under the lock)
        if m and (m.group(1) is None or not _pid_alive(int(m.group(1)))):
            removed.append(path)
    raw = settings.data_dir / "raw"
    removed += [p for p in raw.glob(".*.tmp")] if raw.is_dir() else []
    folder = versions_dir(settings)
    if folder.is_dir():
        removed += list(folder.glob(".*.tmp"))
        removed += [p for p in folder.glob("*.raw") if not p.with_suffix(".duckdb").exists()]
        removed += [p for p in folder.glob("*.json") if not p.with_suffix(".duckdb").exists()]
    for staging in Path(temp_dir or tempfile.gettempdir()).glob(f"{STAGING_PREFIX}*"):
        note = staging / PID_FILE
        try:
            pid = int(note.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            pid = None
        if staging.is_dir() and _leftover(staging, pid, max_age_s):
            removed.append(staging)
    for path in removed:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return removed


def _swap_in(source: Path, target: Path, copy: bool) -> None:
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        if copy:
            shutil.copyfile(source, tmp)
        else:
            shutil.move(source, tmp)
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _swap_in_folder(source: Path, target: Path) -> None:
    """Copy a folder next to its target, then rename it into place (the old one is removed first)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        shutil.copytree(source, tmp)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def publish(staged: Staged, settings: Settings, confirm_jumps: bool = False,
            on_wait: Callable[[str], None] | None = None, wait: float | None = None) -> Version | None:
    """Keep the current database as a version, swap in the staged one, copy the uploads into data/raw — under the
    publisher lock, only if the published database is still the one the delivery was checked against, and only
    with ``confirm_jumps`` where a headline figure jumps beyond the configured factor."""
    if staged.db_path is None or staged.problems:
        raise ValueError("nur eine fehlerfrei geprüfte Lieferung kann veröffentlicht werden")
    with publisher_lock(settings, wait=wait, on_wait=on_wait):
        if current_build_id(settings) != staged.base_build_id:
            raise StaleDelivery(
                "Seit der Prüfung dieser Lieferung wurde eine andere veröffentlicht oder eine Version wiederhergestellt. "
                "Veröffentlicht würde sonst ein Stand ohne die andere Änderung – bitte die Lieferung erneut prüfen. "
                "Es wurde nichts geändert.")
        jumps = headline_jumps(settings.db_path, staged.db_path, settings.queries_dir)
        if jumps and not confirm_jumps:
            raise JumpsNotConfirmed(
                f"{len(jumps)} Kennzahl(en) ändern sich um mehr als das {_factor(config.jump_factor())}-Fache "
                f"({'; '.join(j.text() for j in jumps)}). Bitte prüfen und ausdrücklich bestätigen "
                "(Datenpflege: Häkchen „Sprünge geprüft“, Kommandozeile: --spruenge-bestaetigen). "
                "Es wurde nichts veröffentlicht.")
        kept = keep_version(settings, "vor Veröffentlichung von " + ", ".join(p.name for p in staged.files))
        raw = settings.data_dir / "raw"
        try:
            for folder_name in staged.replaced:  # a re-delivered election replaces its earlier folder
                shutil.rmtree(raw / "wahlen" / folder_name, ignore_errors=True)
            for path in staged.files:
                if path.is_dir():  # an election: raw/wahlen/<id>/
                    _swap_in_folder(path, raw / "wahlen" / path.name)
                else:
                    _swap_in(path, raw / path.name, copy=True)
            _swap_in(staged.db_path, settings.db_path, copy=False)
        except OSError as exc:
            raise PublishError(_disk_message(exc, "Veröffentlichen")) from exc
        for path in (p for p in staged.files if p.is_file()):  # a .csv replaces an .xlsx of the same name
            for other in raw.glob(f"{path.stem}.*"):
                if other.name != path.name:
                    other.unlink()
        shutil.rmtree(staged.folder, ignore_errors=True)
        prune_versions(settings)
    return kept


def restore(name: str, settings: Settings, on_wait: Callable[[str], None] | None = None,
            wait: float | None = None) -> Version | None:
    """Swap a kept version back in (database and raw files); the current state is kept first."""
    with publisher_lock(settings, wait=wait, on_wait=on_wait):
        matches = [v for v in list_versions(settings) if v.name == name]
        if not matches:
            raise KeyError(f"Version {name!r} nicht gefunden")
        version = matches[0]
        if version.manifest.get("sha256") and _sha256(version.db_path) != version.manifest["sha256"]:
            raise ValueError(f"Version {name!r} ist beschädigt (Prüfsumme stimmt nicht)")
        kept = keep_version(settings, f"vor Wiederherstellung von {name}")
        raw_copy = version.db_path.with_suffix(".raw")
        raw = settings.data_dir / "raw"
        try:
            if raw_copy.is_dir():
                wanted = {p.name for p in raw_copy.iterdir() if p.is_file()}
                for path in (p for p in raw_copy.iterdir() if p.is_file()):
                    _swap_in(path, raw / path.name, copy=True)
                if "wahlen" in version.manifest:  # kept since elections are delivered: restore that tree too
                    if (raw_copy / "wahlen").is_dir():
                        _swap_in_folder(raw_copy / "wahlen", raw / "wahlen")
                    else:
                        shutil.rmtree(raw / "wahlen", ignore_errors=True)
                for path in raw.iterdir():
                    if path.is_file() and path.suffix.lower() in {".csv", ".xlsx"} and path.name not in wanted:
                        path.unlink()
            _swap_in(version.db_path, settings.db_path, copy=True)
        except OSError as exc:
            raise PublishError(_disk_message(exc, "Wiederherstellen")) from exc
        prune_versions(settings, keep=max(config.versions_keep(), 1))
    return kept


# ----------------------------------------------------------------------------- plausibility of headline figures
@dataclass(frozen=True)
class Jump:
    """A headline figure whose latest value changes by more than the configured factor (or disappears)."""

    label: str
    before: float
    before_period: dt.date
    after: float | None  # None: the new database no longer has this figure at all
    after_period: dt.date | None

    def text(self) -> str:
        from integrationsmonitor import formatting

        new = ("entfällt" if self.after is None
               else f"{_number(self.after)} ({formatting.date(self.after_period)})")
        return f"{self.label}: bisher {_number(self.before)} ({formatting.date(self.before_period)}), neu {new}"

    def row(self) -> dict:
        from integrationsmonitor import formatting

        return {"Kennzahl": self.label, "bisher": self.before, "Stand bisher": formatting.date(self.before_period),
                "neu": self.after, "Stand neu": formatting.date(self.after_period) if self.after_period else "entfällt",
                "Faktor": round(self.after / self.before, 2) if self.before and self.after is not None else None}


def _number(value: float) -> str:
    from integrationsmonitor import formatting

    return formatting.number(value, 0 if float(value).is_integer() else 1)


def _factor(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _headline(db: Path, queries_dir: Path) -> dict[tuple, tuple]:
    runner = QueryRunner(db, queries_dir)
    try:
        frame = runner.run("lieferung_kennzahlen")
    finally:
        runner.close()
    out = {}
    for row in frame.itertuples(index=False):
        if row.value is not None and row.value == row.value:  # NaN: suppressed
            label = row.indicator_name + (" (Beispieldaten)" if row.is_example else "")
            out[(row.indicator_id, bool(row.is_example))] = (label, float(row.value), _day(row.period))
    return out


def _day(value) -> dt.date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def headline_jumps(old_db: Path | None, new_db: Path, queries_dir: Path, factor: float | None = None) -> list[Jump]:
    """Headline figures (residents, foreigners, their share, Romanians and Bulgarians) whose latest value in
    ``new_db`` differs from the published one by more than ``factor`` (IMH_SPRUNG_FAKTOR) up or down."""
    if old_db is None or not Path(old_db).exists():
        return []
    factor = config.jump_factor() if factor is None else factor
    before, after = _headline(Path(old_db), queries_dir), _headline(new_db, queries_dir)
    jumps = []
    for key, (label, old, old_period) in before.items():
        if key not in after:  # a replaced file without this figure: the start page would lose it
            jumps.append(Jump(label, old, old_period, None, None))
            continue
        _, new, new_period = after[key]
        if old > 0 and not (1 / factor <= new / old <= factor):
            jumps.append(Jump(label, old, old_period, new, new_period))
    return jumps


def discard(staged: Staged) -> None:
    shutil.rmtree(staged.folder, ignore_errors=True)


def report_rows(problems: list[Problem], limit: int | None = None) -> list[dict]:
    """The validation report as table rows (Datei, Zeile, Spalte, Problem, Erwartet): the first ``limit``
    (IMH_PRUEFBERICHT_MAX) problems; :func:`report_counts` counts all of them per kind."""
    limit = config.report_limit() if limit is None else limit
    return [{"Datei": p.file, "Zeile": p.row, "Spalte": p.column or "", "Problem": p.message, "Erwartet": p.expected}
            for p in problems[:limit]]


def report_counts(problems: list[Problem]) -> list[dict]:
    """How many problems of each kind (for the summary under a capped report)."""
    from integrationsmonitor.problems import capped

    return [{"Anzahl": n, "Art des Problems": kind} for kind, n in capped(problems, 0)[1]]
