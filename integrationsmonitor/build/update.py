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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from integrationsmonitor.build.pipeline import BuildResult, build
from integrationsmonitor.config import Settings
from integrationsmonitor.ingest.readers import MAX_FILE_BYTES
from integrationsmonitor.problems import Problem, ValidationError

MAX_UPLOAD_BYTES = MAX_FILE_BYTES
SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class Staged:
    """A staging area: the files as uploaded and, once validated, the database built from them."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    db_path: Path | None = None
    build: BuildResult | None = None

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
        folder = Path(tempfile.mkdtemp(prefix="imh-lieferung-"))
    else:
        folder = staging_root / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    staged = Staged(folder)
    data = staged.data_dir
    (data / "raw").mkdir(parents=True, exist_ok=False)
    for sub in ("catalog", "geo"):
        shutil.copytree(settings.data_dir / sub, data / sub)
    for path in sorted((settings.data_dir / "raw").iterdir()):
        if path.is_file():
            shutil.copy2(path, data / "raw" / path.name)
            os.chmod(data / "raw" / path.name, 0o644)
    for name, content in uploads:
        safe, problems = check_upload(name, content)
        staged.problems += problems
        if safe is None:
            continue
        target = data / "raw" / safe
        for other in (data / "raw").glob(f"{Path(safe).stem}.*"):  # a .csv replaces an .xlsx of the same name
            other.unlink()
        target.write_bytes(content)
        staged.files.append(target)
    return staged


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


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def keep_version(settings: Settings, reason: str) -> Version | None:
    """Copy the published database and the raw files it came from into data/versions/."""
    db = settings.db_path
    if not db.exists():
        return None
    folder = versions_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{dt.datetime.now():%Y%m%d-%H%M%S-%f}-{_build_id(db)[:12]}"
    tmp = folder / f".{name}.tmp"
    shutil.copyfile(db, tmp)
    raw_copy = folder / f"{name}.raw"
    raw_copy.mkdir()
    raw_files = {}
    for path in sorted((settings.data_dir / "raw").iterdir()):
        if path.is_file():
            shutil.copyfile(path, raw_copy / path.name)
            raw_files[path.name] = _sha256(path)
    manifest = {"version": name, "build_id": _build_id(db), "kept_at": dt.datetime.now().isoformat(timespec="seconds"),
                "reason": reason, "sha256": _sha256(tmp), "raw_files": raw_files}
    (folder / f"{name}.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / f"{name}.duckdb")
    return Version(name, folder / f"{name}.duckdb", manifest)


def _swap_in(source: Path, target: Path, copy: bool) -> None:
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    if copy:
        shutil.copyfile(source, tmp)
    else:
        shutil.move(source, tmp)
    os.replace(tmp, target)


def publish(staged: Staged, settings: Settings) -> Version | None:
    """Keep the current database as a version, swap in the staged one, copy the uploads into data/raw."""
    if staged.db_path is None or staged.problems:
        raise ValueError("nur eine fehlerfrei geprüfte Lieferung kann veröffentlicht werden")
    kept = keep_version(settings, "vor Veröffentlichung von " + ", ".join(p.name for p in staged.files))
    raw = settings.data_dir / "raw"
    for path in staged.files:
        for other in raw.glob(f"{path.stem}.*"):
            if other.name != path.name:
                other.unlink()
        _swap_in(path, raw / path.name, copy=True)
    _swap_in(staged.db_path, settings.db_path, copy=False)
    shutil.rmtree(staged.folder, ignore_errors=True)
    return kept


def restore(name: str, settings: Settings) -> Version | None:
    """Swap a kept version back in (database and raw files); the current state is kept first."""
    matches = [v for v in list_versions(settings) if v.name == name]
    if not matches:
        raise KeyError(f"Version {name!r} nicht gefunden")
    version = matches[0]
    if version.manifest.get("sha256") and _sha256(version.db_path) != version.manifest["sha256"]:
        raise ValueError(f"Version {name!r} ist beschädigt (Prüfsumme stimmt nicht)")
    kept = keep_version(settings, f"vor Wiederherstellung von {name}")
    raw_copy = version.db_path.with_suffix(".raw")
    raw = settings.data_dir / "raw"
    if raw_copy.is_dir():
        wanted = {p.name for p in raw_copy.iterdir()}
        for path in raw_copy.iterdir():
            _swap_in(path, raw / path.name, copy=True)
        for path in raw.iterdir():
            if path.is_file() and path.suffix.lower() in {".csv", ".xlsx"} and path.name not in wanted:
                path.unlink()
    _swap_in(version.db_path, settings.db_path, copy=True)
    return kept


def discard(staged: Staged) -> None:
    shutil.rmtree(staged.folder, ignore_errors=True)


def report_rows(problems: list[Problem]) -> list[dict]:
    """The validation report as table rows (Datei, Zeile, Spalte, Problem, Erwartet)."""
    return [{"Datei": p.file, "Zeile": p.row, "Spalte": p.column or "", "Problem": p.message, "Erwartet": p.expected}
            for p in problems]
