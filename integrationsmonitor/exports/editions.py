"""Report editions (Berichtsstände): freeze all public figures and statuses, list them, compare two.

An edition is stored OUTSIDE the database (it must survive rebuilds) as ``<dir>/<slug>.json.gz`` plus an index
``<dir>/index.json``; the folder is ``data/editions`` or ``$IMH_EDITIONS_DIR``. Only ``observation_public`` is
read: suppressed cells are frozen as suppressed (value null), never with their value. Next to it a read-only
copy of the database (``<slug>.duckdb``, checked against the frozen SHA-256) lets the committee package be
rebuilt exactly as it was for that edition.

The default Berichtsstand of a new edition is the day it is frozen (not the build date, which every edition of
one build would share). Comparisons show names, German dates and numbers, and explain each Leitziel status
change by the indicator statuses and values that moved it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from integrationsmonitor import formatting
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


def _all_rows(runner: QueryRunner, name: str) -> list[dict]:
    """Every row of a query, however many (streamed in batches past the page cap)."""
    return [r for batch in runner.iter_batches(name) for r in _records(batch)]


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
    links: list[dict] = field(default_factory=list)   # Leitziel × indicator as frozen
    names: list[dict] = field(default_factory=list)   # kind, id, German name as frozen

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
        berichtsstand=(berichtsstand or dt.date.today()).isoformat()[:10],
        created_at=dt.datetime.now().isoformat(timespec="microseconds"),  # also orders same-day editions
        db_sha256=file_sha256(runner.db_path), build_id=str(manifest["build_id"]),
        # every public observation, however many: streamed in batches, not capped like a page query
        observations=[r for batch in runner.iter_batches("ausgabe_beobachtungen") for r in _records(batch)],
        indicator_status=_records(runner.run("ausgabe_indikator_status")),
        leitziel_status=_records(runner.run("paket_leitziel_status")[["leitziel_id", "category", "label", "basis",
                                                                       "is_example"]]),
        links=_records(runner.run("paket_leitziel_indikatoren")[["leitziel_id", "indicator_id"]]),
        names=_all_rows(runner, "ausgabe_namen"),  # every area (all German Kreise): streamed, not capped
    )
    directory.mkdir(parents=True, exist_ok=True)
    copy_tmp = directory / f".{slug}.duckdb.tmp"
    shutil.copyfile(runner.db_path, copy_tmp)
    if file_sha256(copy_tmp) != edition.db_sha256:
        copy_tmp.unlink()
        raise EditionError(f"Die Datenbank {runner.db_path} hat sich beim Einfrieren geändert – bitte erneut versuchen.")
    copy_tmp.chmod(0o444)  # the frozen database is never written again
    os.replace(copy_tmp, database_path(slug, directory))
    payload = {"format": FORMAT_VERSION, **edition.__dict__}
    tmp = path.with_name(f".{path.name}.tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    os.replace(tmp, path)  # atomic: a half-written edition never appears
    _write_index(directory)
    return edition


def delete(slug_or_name: str, directory: Path | None = None) -> None:
    """Remove an edition (internal area only: pages/datenpflege.py after login, never the public pages)."""
    directory = Path(directory or editions_dir())
    path = directory / f"{slugify(slug_or_name)}.json.gz"
    if not path.exists():
        raise EditionError(f"Die Ausgabe „{slug_or_name}“ gibt es nicht (gesucht: {path}).")
    path.unlink()
    database_path(slugify(slug_or_name), directory).unlink(missing_ok=True)  # its frozen database copy too
    _write_index(directory)


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


def database_path(slug: str, directory: Path | None = None) -> Path:
    return Path(directory or editions_dir()) / f"{slug}.duckdb"


def frozen_runner(edition: Edition, directory: Path | None = None) -> QueryRunner:
    """A read-only runner on the edition's database copy (checked against the frozen checksum)."""
    path = database_path(edition.slug, directory)
    if not path.exists():
        raise EditionError(f"Zur Ausgabe „{edition.name}“ gibt es keine Datenbankkopie ({path.name}); sie wurde vor "
                           "dieser Funktion eingefroren – das Paket kann nur aus dem aktuellen Datenstand erzeugt "
                           "werden.")
    if file_sha256(path) != edition.db_sha256:
        raise EditionError(f"Die Datenbankkopie {path.name} passt nicht zur Prüfsumme der Ausgabe „{edition.name}“ "
                           "– sie wurde verändert.")
    return QueryRunner(path, Settings.from_env().queries_dir)


def previous(edition: Edition, directory: Path | None = None) -> Edition | None:
    """The edition listed just before ``edition`` (by Berichtsstand, then creation), if any."""
    rows = list_editions(directory)
    slugs = [e["slug"] for e in rows]
    if edition.slug not in slugs or slugs.index(edition.slug) == 0:
        return None
    return load(slugs[slugs.index(edition.slug) - 1], directory)


@dataclass(frozen=True)
class Names:
    """German names for the ids of indicators, areas, nationalities and Leitziele."""

    table: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[dict]) -> Names:
        return cls({(r["kind"], r["id"]): r["name"] for r in rows})

    @classmethod
    def from_runner(cls, runner: QueryRunner) -> Names:
        return cls.from_rows(_all_rows(runner, "ausgabe_namen"))

    def __call__(self, kind: str, ident: object) -> str:
        if ident is None:
            return formatting.MISSING
        name = self.table.get((kind, str(ident)))
        if kind == "leitziel" and name:
            return f"{name} ({ident})"
        return name or str(ident)


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
    names: Names = field(default_factory=Names)
    links: dict[str, list[str]] = field(default_factory=dict)    # Leitziel → indicators (newer edition)
    indicators_a: dict[str, dict] = field(default_factory=dict)  # indicator → frozen status row
    indicators_b: dict[str, dict] = field(default_factory=dict)

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
        names=Names.from_rows(b.names or a.names),
        links=_links(b.links or a.links),
        indicators_a={r["indicator_id"]: r for r in a.indicator_status},
        indicators_b={r["indicator_id"]: r for r in b.indicator_status},
    )


def _links(rows: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["leitziel_id"], []).append(r["indicator_id"])
    return out


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


def _day(value: object) -> str:
    if value is None:
        return formatting.MISSING
    return formatting.date(dt.date.fromisoformat(str(value)[:10]))


def _num(value: object) -> str:
    if value is None:
        return formatting.MISSING
    number = float(value)
    return formatting.number(number, 0 if number.is_integer() else (1 if abs(number) >= 10 else 2))


def _yes(value: object) -> str:
    return "ja" if value else "nein"


def _status(category: object, label: object) -> str:
    from integrationsmonitor.exports.content import status_text

    if category is None and label in (None, "–"):
        return "– (nicht vorhanden)"
    return status_text(category if isinstance(category, str) else None, label if isinstance(label, str) else None)


def comparison_line(d: EditionDiff) -> str:
    """'Ausgabe „A“ (31.12.2025) → Ausgabe „B“ (31.12.2026)'."""
    return (f"Ausgabe „{d.a['name']}“ ({_day(d.a['berichtsstand'])}) → Ausgabe „{d.b['name']}“ "
            f"({_day(d.b['berichtsstand'])})")


def _latest(row: dict | None) -> str:
    if not row or row.get("latest_period") is None:
        return "kein Wert"
    value = formatting.SUPPRESSED if row.get("latest_suppressed") else _num(row.get("latest_value"))
    return f"letzter Wert {_day(row['latest_period'])}: {value}"


def explain_status_changes(d: EditionDiff, names: Names | None = None) -> list[str]:
    """One German sentence per Leitziel whose status changed: which indicators moved it, with their values."""
    names = names or d.names
    out = []
    for change in d.leitziel_status:
        lz = change["leitziel_id"]
        head = (f"{names('leitziel', lz)}: {_status(change['vorher_kategorie'], change['vorher'])} → "
                f"{_status(change['jetzt_kategorie'], change['jetzt'])}")
        reasons = []
        for ind in d.links.get(lz, []):
            before, after = d.indicators_a.get(ind), d.indicators_b.get(ind)
            if (before or {}).get("category") == (after or {}).get("category") and \
                    (before or {}).get("latest_value") == (after or {}).get("latest_value"):
                continue
            reasons.append(f"Indikator „{names('indicator', ind)}“ "
                           f"{_status((before or {}).get('category'), (before or {}).get('label'))} "
                           f"({_latest(before)}) → {_status((after or {}).get('category'), (after or {}).get('label'))} "
                           f"({_latest(after)})")
            revised = [r for r in d.revised if r["indicator_id"] == ind][:2]
            reasons += [f"Wert {names('area', r['area_id'])} zum {_day(r['period'])} revidiert: "
                        f"{_num(r['wert_alt'])} → {_num(r['wert_neu'])}" for r in revised]
        if not reasons:
            reasons.append("kein Indikatorwert und kein Indikatorstatus hat sich geändert – geändert haben sich die "
                           "Zuordnung der Indikatoren oder die Bewertung des Leitziels selbst")
        out.append(f"{head}, weil: " + "; ".join(reasons) + ".")
    return out


def diff_frames(d: EditionDiff, names: Names | None = None) -> dict[str, pd.DataFrame]:
    """German tables of a diff (names, German dates and numbers), for the page, the CLI and the package."""
    names = names or d.names

    def key_cols(r: dict) -> dict[str, str]:
        return {"Indikator": names("indicator", r["indicator_id"]), "Gebiet": names("area", r["area_id"]),
                "Stichtag": _day(r["period"]), "Staatsangehörigkeit": names("nationality", r["nationality"]),
                "Quelle": r["source"]}

    def value(r: dict) -> str:
        return formatting.SUPPRESSED if r.get("suppressed") else _num(r.get("value"))

    key_names = ["Indikator", "Gebiet", "Stichtag", "Staatsangehörigkeit", "Quelle"]
    status_cols = ["Status vorher", "Status jetzt"]
    return {
        "Neue Datenpunkte": pd.DataFrame(
            [{**key_cols(r), "Wert": value(r), "Beispieldaten": _yes(r.get("is_example"))} for r in d.new],
            columns=[*key_names, "Wert", "Beispieldaten"]),
        "Revidierte Werte": pd.DataFrame(
            [{**key_cols(r), "Wert vorher": _num(r["wert_alt"]), "Wert jetzt": _num(r["wert_neu"]),
              "revidiert": "⚑ ja", "Beispieldaten": _yes(r.get("is_example"))} for r in d.revised],
            columns=[*key_names, "Wert vorher", "Wert jetzt", "revidiert", "Beispieldaten"]),
        "Entfallene Datenpunkte": pd.DataFrame(
            [{**key_cols(r), "Wert": value(r), "Beispieldaten": _yes(r.get("is_example"))} for r in d.removed],
            columns=[*key_names, "Wert", "Beispieldaten"]),
        "Geheimhaltung geändert": pd.DataFrame(
            [{**key_cols(r), "vorher geheim": _yes(r["vorher_geheim"]), "jetzt geheim": _yes(r["jetzt_geheim"])}
             for r in d.suppression_changed],
            columns=[*key_names, "vorher geheim", "jetzt geheim"]),
        "Statusänderungen Leitziele": pd.DataFrame(
            [{"Leitziel": names("leitziel", r["leitziel_id"]),
              "Status vorher": _status(r["vorher_kategorie"], r["vorher"]),
              "Status jetzt": _status(r["jetzt_kategorie"], r["jetzt"]), "Erklärung": text}
             for r, text in zip(d.leitziel_status, explain_status_changes(d, names), strict=True)],
            columns=["Leitziel", *status_cols, "Erklärung"]),
        "Statusänderungen Indikatoren": pd.DataFrame(
            [{"Indikator": names("indicator", r["indicator_id"]),
              "Status vorher": _status(r["vorher_kategorie"], r["vorher"]),
              "Status jetzt": _status(r["jetzt_kategorie"], r["jetzt"])} for r in d.indicator_status],
            columns=["Indikator", *status_cols]),
    }
