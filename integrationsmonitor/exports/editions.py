"""Report editions (Berichtsstände): freeze all public figures and statuses, list them, compare two.

An edition is stored OUTSIDE the database (it must survive rebuilds) as ``<dir>/<slug>.json.gz`` plus an index
``<dir>/index.json``; the folder is ``data/editions`` or ``$IMH_EDITIONS_DIR``. Only ``observation_public`` is
read: suppressed cells are frozen as suppressed (value null), never with their value.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from integrationsmonitor.config import Settings
from integrationsmonitor.queries import QueryRunner

OBS_KEY = ("indicator_id", "area_id", "period", "nationality", "source")
FORMAT_VERSION = 1


class EditionError(Exception):
    """An edition cannot be frozen, found or read (German message)."""


def editions_dir() -> Path:
    return Settings.from_env().editions_dir


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("ß", "ss")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug:
        raise EditionError(f"Der Name {name!r} ergibt keinen gültigen Dateinamen.")
    return slug[:80]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _json_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return _json_value(value.item())
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    cols = list(frame.columns)
    return [{c: _json_value(v) for c, v in zip(cols, row, strict=True)} for row in frame.itertuples(index=False)]


@dataclass
class Edition:
    """One frozen Berichtsstand."""

    name: str
    slug: str
    berichtsstand: str          # ISO date
    created_at: str             # ISO timestamp
    db_sha256: str
    build_id: str
    observations: list[dict] = field(default_factory=list)
    indicator_status: list[dict] = field(default_factory=list)
    leitziel_status: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {"name": self.name, "slug": self.slug, "berichtsstand": self.berichtsstand,
                "created_at": self.created_at, "db_sha256": self.db_sha256, "build_id": self.build_id,
                "observations": len(self.observations)}


def freeze(runner: QueryRunner, name: str, berichtsstand: dt.date | None = None, directory: Path | None = None,
           overwrite: bool = False) -> Edition:
    """Freeze the current database state as a named edition and store it durably."""
    directory = Path(directory or editions_dir())
    slug = slugify(name)
    path = directory / f"{slug}.json.gz"
    if path.exists() and not overwrite:
        raise EditionError(f"Eine Ausgabe „{name}“ ({slug}) gibt es schon – bitte einen anderen Namen wählen.")
    manifest = runner.run("build_manifest").iloc[0]
    edition = Edition(
        name=name.strip(), slug=slug,
        berichtsstand=(berichtsstand or manifest["status_date"]).isoformat()[:10],
        created_at=dt.datetime.now().isoformat(timespec="microseconds"),  # also orders same-day editions
        db_sha256=file_sha256(runner.db_path), build_id=str(manifest["build_id"]),
        # every public observation, however many: streamed in batches, not capped like a page query
        observations=[r for batch in runner.iter_batches("ausgabe_beobachtungen") for r in _records(batch)],
        indicator_status=_records(runner.run("ausgabe_indikator_status")),
        leitziel_status=_records(runner.run("paket_leitziel_status")[["leitziel_id", "category", "label", "basis",
                                                                       "is_example"]]),
    )
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT_VERSION, **edition.__dict__}
    tmp = path.with_name(f".{path.name}.tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    os.replace(tmp, path)  # atomic: a half-written edition never appears
    _write_index(directory)
    return edition


def _write_index(directory: Path) -> None:
    entries = []
    for p in sorted(directory.glob("*.json.gz")):
        try:
            entries.append(load(p.name.removesuffix(".json.gz"), directory).summary())
        except EditionError:
            continue
    entries.sort(key=lambda e: (e["berichtsstand"], e["created_at"]))
    tmp = directory / ".index.json.tmp"
    tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, directory / "index.json")


def list_editions(directory: Path | None = None) -> list[dict]:
    """All editions, oldest Berichtsstand first (from the index; rebuilt if missing)."""
    directory = Path(directory or editions_dir())
    index = directory / "index.json"
    if not directory.exists():
        return []
    if not index.exists():
        _write_index(directory)
    return json.loads(index.read_text(encoding="utf-8"))


def load(slug_or_name: str, directory: Path | None = None) -> Edition:
    directory = Path(directory or editions_dir())
    path = directory / f"{slugify(slug_or_name)}.json.gz"
    if not path.exists():
        raise EditionError(f"Die Ausgabe „{slug_or_name}“ gibt es nicht (gesucht: {path}).")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            payload = json.load(fh)
    except (OSError, ValueError) as exc:
        raise EditionError(f"Die Ausgabe {path.name} ist nicht lesbar: {exc}") from exc
    payload.pop("format", None)
    return Edition(**payload)


@dataclass
class EditionDiff:
    """What changed between two editions ("seit der letzten Sitzung")."""

    a: dict
    b: dict
    new: list[dict]              # data points in b, not in a
    removed: list[dict]          # data points in a, not in b
    revised: list[dict]          # same key, different value → "revidiert" (old + new value)
    suppression_changed: list[dict]  # same key, now / no longer suppressed (no values shown)
    indicator_status: list[dict]  # status category changed
    leitziel_status: list[dict]

    @property
    def empty(self) -> bool:
        return not (self.new or self.removed or self.revised or self.suppression_changed
                    or self.indicator_status or self.leitziel_status)

    def counts(self) -> dict[str, int]:
        return {"neu": len(self.new), "entfallen": len(self.removed), "revidiert": len(self.revised),
                "Geheimhaltung geändert": len(self.suppression_changed),
                "Indikator-Status geändert": len(self.indicator_status),
                "Leitziel-Status geändert": len(self.leitziel_status)}


def _key(row: dict) -> tuple:
    return tuple(row.get(k) for k in OBS_KEY)


def _same(x: object, y: object) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return math.isclose(float(x), float(y), rel_tol=1e-12, abs_tol=1e-12)


def diff(a: Edition, b: Edition) -> EditionDiff:
    """Compare edition ``a`` (older) with ``b`` (newer), value by value."""
    old = {_key(r): r for r in a.observations}
    new = {_key(r): r for r in b.observations}
    added = [new[k] for k in new if k not in old]
    removed = [old[k] for k in old if k not in new]
    revised, supp = [], []
    for k in new.keys() & old.keys():
        ra, rb = old[k], new[k]
        if bool(ra.get("suppressed")) != bool(rb.get("suppressed")):
            supp.append({**{c: rb.get(c) for c in OBS_KEY}, "vorher_geheim": bool(ra.get("suppressed")),
                         "jetzt_geheim": bool(rb.get("suppressed"))})
        elif not _same(ra.get("value"), rb.get("value")):
            revised.append({**{c: rb.get(c) for c in OBS_KEY}, "wert_alt": ra.get("value"),
                            "wert_neu": rb.get("value"), "revidiert": True, "is_example": rb.get("is_example")})
    revised.sort(key=lambda r: tuple(str(r[c]) for c in OBS_KEY))
    supp.sort(key=lambda r: tuple(str(r[c]) for c in OBS_KEY))
    return EditionDiff(
        a=a.summary(), b=b.summary(), new=added, removed=removed, revised=revised, suppression_changed=supp,
        indicator_status=_status_changes(a.indicator_status, b.indicator_status, "indicator_id"),
        leitziel_status=_status_changes(a.leitziel_status, b.leitziel_status, "leitziel_id"),
    )


def _status_changes(rows_a: list[dict], rows_b: list[dict], key: str) -> list[dict]:
    old = {r[key]: r for r in rows_a}
    out = []
    for r in rows_b:
        before = old.get(r[key])
        if before is None or before.get("category") != r.get("category"):
            out.append({key: r[key], "vorher": before.get("label") if before else "–",
                        "vorher_kategorie": before.get("category") if before else None,
                        "jetzt": r.get("label"), "jetzt_kategorie": r.get("category")})
    return out


def diff_frames(d: EditionDiff) -> dict[str, pd.DataFrame]:
    """German tables of a diff, for the page, the CLI and exports."""
    names = {"indicator_id": "Indikator", "area_id": "Gebiet", "period": "Stichtag", "nationality":
             "Staatsangehörigkeit", "source": "Quelle", "value": "Wert", "wert_alt": "Wert vorher",
             "wert_neu": "Wert jetzt", "revidiert": "revidiert", "vorher_geheim": "vorher geheim",
             "jetzt_geheim": "jetzt geheim", "leitziel_id": "Leitziel", "vorher": "Status vorher",
             "jetzt": "Status jetzt", "is_example": "Beispieldaten"}
    def frame(rows: list[dict], cols: list[str]) -> pd.DataFrame:
        df = pd.DataFrame(rows, columns=cols)
        return df.rename(columns=names)
    obs_cols = [*OBS_KEY, "value", "is_example"]
    return {
        "Neue Datenpunkte": frame(d.new, obs_cols),
        "Revidierte Werte": frame(d.revised, [*OBS_KEY, "wert_alt", "wert_neu", "revidiert", "is_example"]),
        "Entfallene Datenpunkte": frame(d.removed, obs_cols),
        "Geheimhaltung geändert": frame(d.suppression_changed, [*OBS_KEY, "vorher_geheim", "jetzt_geheim"]),
        "Statusänderungen Leitziele": frame(d.leitziel_status, ["leitziel_id", "vorher", "jetzt"]),
        "Statusänderungen Indikatoren": frame(d.indicator_status, ["indicator_id", "vorher", "jetzt"]),
    }
