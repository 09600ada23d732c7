"""Reader for election results in the open election-data standard ("Offene Wahldaten", versions 0.2 and 0.3).

One election = the files the city's election software publishes for it, in one folder or zip:
``…_Wahlergebnisse_…csv`` (one row per Wahlbezirk: A1 A2 A3 A B C D D1…), ``…_Wahlgebietseinteilungen_…csv``
(which Urnenwahlbezirk belongs to which Briefwahlbezirk and Stadtbezirk), ``…_Wahlparameter_…csv`` (names of the
levels), ``…_Stimmzettel_…csv`` (the lists) and optionally a GeoJSON with the Stimmbezirke (property ``BEZIRKSNUM``).
The kind of election and its date come from the files' content (``wahl-name``, ``wahl-datum``), never from code:
a new election loads without a code change. Only electorate and voters are loaded, never party results.

Every defect is a :class:`Problem` with file, row (as in a spreadsheet, header = 1) and column.
No streamlit import here.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from integrationsmonitor.problems import Problem

ROLES = ("Wahlergebnisse", "Wahlgebietseinteilungen", "Wahlparameter", "Stimmzettel")
REQUIRED_ROLES = ("Wahlergebnisse", "Wahlgebietseinteilungen", "Wahlparameter")
VERSIONS = ("0.2", "0.3")
GEO_SUFFIXES = (".geojson", ".json")
POSTAL_ESTIMATE_SHARE = 0.05  # at most 5 % of the postal voters may sit in postal districts spanning Stadtbezirke
MAX_ZIP_BYTES = 50 * 1024 * 1024
SOURCE_NOTE = "Stadt Hagen, Wahlergebnisse (votemanager, Offene Wahldaten)"

# kind id, German label, words in wahl-name / wahl-bezeichnung / file name (checked in this order)
KINDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("bundestagswahl", "Bundestagswahl", ("bundestag",)),
    ("europawahl", "Europawahl", ("europa",)),
    ("landtagswahl", "Landtagswahl", ("landtag",)),
    ("integrationsratswahl", "Integrationsratswahl", ("integrationsrat",)),
    ("bezirksvertretungswahl", "Bezirksvertretungswahl", ("bezirksvertretung", "bv-wahl")),
    ("ruhrparlamentswahl", "Wahl zum Ruhrparlament (RVR)", ("rvr", "ruhrparlament", "regionalverband")),
    ("oberbuergermeisterstichwahl", "Oberbürgermeister-Stichwahl", ("stichwahl",)),
    ("oberbuergermeisterwahl", "Oberbürgermeisterwahl", ("oberbürgermeister", "oberbuergermeister", "ob-wahl")),
    ("buergermeisterwahl", "Bürgermeisterwahl", ("bürgermeister", "buergermeister")),
    ("kommunalwahl", "Kommunalwahl (Rat)", ("ratswahl", "rat der stadt", "vertretung der gemeinde",
                                            "vertretung der stadt", "gemeinderat")),
)


@dataclass(frozen=True)
class Bezirk:
    """One row of the results: an Urnenwahlbezirk (W) or a Briefwahlbezirk (B), with its place in the hierarchy."""

    nr: str
    name: str
    art: str  # "W" Urnenwahlbezirk | "B" Briefwahlbezirk
    stadtbezirk: str | None  # area id (SB1 …), None for postal districts that span several or none
    briefwahlbezirk: str | None  # for W: the postal district its postal voters are counted in
    wahlberechtigte: int  # A
    waehlende: int  # B
    mit_wahlschein: int  # A2 (Wahlberechtigte mit Wahlscheinvermerk)
    file: str
    row: int


@dataclass
class Election:
    """One election as delivered: identification, districts (no party results) and optional geometry."""

    key: str  # e.g. "kommunalwahl-2025-09-14"
    kind: str
    kind_label: str
    name: str  # wahl-name as published
    date: dt.date
    version: str
    authority: str
    bezirke: list[Bezirk] = field(default_factory=list)
    geometry: dict[str, BaseGeometry] = field(default_factory=dict)  # Stimmbezirk nr → shape (EPSG:4326)
    geometry_file: str = ""
    files: list[Path] = field(default_factory=list)
    folder: str = ""
    postal_assignable: bool = False
    postal_note: str = ""
    postal_shares: dict[str, dict[str, float]] = field(default_factory=dict)  # B nr → {SB: share}
    notes: list[str] = field(default_factory=list)  # facts worth saying that are no error

    @property
    def label(self) -> str:
        return f"{self.kind_label} {self.date:%d.%m.%Y}"

    @property
    def short(self) -> str:
        return f"{self.kind_label} {self.date.year}"

    def urne(self) -> list[Bezirk]:
        return [b for b in self.bezirke if b.art == "W"]

    def brief(self) -> list[Bezirk]:
        return [b for b in self.bezirke if b.art == "B"]


@dataclass
class Turnout:
    """Turnout of one area: electorate, voters (incl. postal where assignable) and polling-station voters."""

    area_id: str
    wahlberechtigte: int
    waehlende: float | None  # incl. postal votes; None where postal votes cannot be assigned
    waehlende_urne: int  # voters at the polling stations only

    @property
    def beteiligung(self) -> float | None:
        if self.waehlende is None or not self.wahlberechtigte:
            return None
        return 100.0 * self.waehlende / self.wahlberechtigte

    @property
    def beteiligung_urne(self) -> float | None:
        return 100.0 * self.waehlende_urne / self.wahlberechtigte if self.wahlberechtigte else None


# --- files ---------------------------------------------------------------------------------------------------


def role(path: Path) -> str | None:
    """Which of the standard's files this is, from its name (``…_Wahlergebnisse_…``)."""
    for role in ROLES:
        if f"_{role}_" in path.name or path.stem.endswith(f"_{role}"):
            return role
    return None


def _prefix(path: Path, role: str) -> str:
    """The part of the name before the role: the same for all files of one election."""
    return path.name.split(f"_{role}")[0]


def groups(folder: Path) -> dict[str, dict[str, list[Path]]]:
    """Files of a folder grouped per election (name prefix) and role; geometry files under role 'geo'."""
    found: dict[str, dict[str, list[Path]]] = defaultdict(lambda: defaultdict(list))
    geo_files = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        kind = role(path)
        if kind and path.suffix.lower() == ".csv":
            found[_prefix(path, kind)][kind].append(path)
        elif path.suffix.lower() in GEO_SUFFIXES:
            geo_files.append(path)
    for roles in found.values():
        roles["geo"] = list(geo_files)
    return {k: dict(v) for k, v in found.items()}


def is_election_folder(folder: Path) -> bool:
    return folder.is_dir() and any(role(p) == "Wahlergebnisse" for p in folder.iterdir() if p.is_file())


def is_election_zip(data: bytes) -> bool:
    """True for a zip that holds a file of the standard (…_Wahlergebnisse_… etc.)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(role(Path(n)) for n in archive.namelist())
    except zipfile.BadZipFile:
        return False


def unpack_zip(data: bytes, target: Path, shown: str) -> tuple[Path | None, list[Problem]]:
    """Extract an election zip safely (flat, no paths outside ``target``, size-limited) into ``target``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None, [Problem(shown, None, None, "keine lesbare ZIP-Datei", "ZIP mit den Dateien einer Wahl")]
    problems: list[Problem] = []
    total = 0
    target.mkdir(parents=True, exist_ok=True)
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = Path(info.filename.replace("\\", "/")).name
            total += info.file_size
            if total > MAX_ZIP_BYTES:
                return None, [Problem(shown, None, None, "ZIP-Inhalt ist zu groß",
                                      f"höchstens {MAX_ZIP_BYTES // (1024 * 1024)} MB entpackt")]
            if not name or name.startswith(".") or name.startswith("__MACOSX"):
                continue
            with archive.open(info) as src, (target / name).open("wb") as dst:
                shutil.copyfileobj(src, dst)
    if not is_election_folder(target):
        problems.append(Problem(shown, None, None, "ZIP enthält keine Datei „…_Wahlergebnisse_…csv“",
                                "die Dateien einer Wahl im Format Offene Wahldaten"))
    return (target if not problems else None), problems


def _read_rows(path: Path, shown: str, problems: list[Problem]) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a `;`-separated standard file (UTF-8 with optional BOM, else cp1252)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        lines = list(reader)
    except csv.Error as exc:
        problems.append(Problem(shown, None, None, f"CSV nicht lesbar: {exc}", "Semikolon-getrennte Datei"))
        return [], []
    if not lines:
        problems.append(Problem(shown, None, None, "Datei ist leer", "Kopfzeile und Datenzeilen"))
        return [], []
    header = [h.strip() for h in lines[0]]
    rows = []
    for row_no, values in enumerate(lines[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(Problem(shown, row_no, None, f"{len(values)} Felder statt {len(header)}",
                                    "so viele Felder wie in der Kopfzeile"))
            continue
        rows.append({"__row__": str(row_no), **{h: v.strip() for h, v in zip(header, values, strict=True)}})
    return header, rows


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
                                 .replace("ß", "ss"))
    return re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().casefold()).strip("-")[:40] or "wahl"


def identify_kind(*texts: str) -> tuple[str, str]:
    """Kind id and German label of an election from its published names (falls back to the name itself)."""
    for text in texts:  # wahl-name first, then wahl-bezeichnung, then the file name
        folded = text.casefold()
        for kind, label, words in KINDS:
            if any(word in folded for word in words):
                return kind, label
    name = next((t for t in texts if t.strip()), "Wahl")
    return _slug(name), name.strip()


def _parse_date(value: str) -> dt.date | None:
    for pattern in ("%d.%m.%Y", "%Y%m%d", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


# --- reading one election ------------------------------------------------------------------------------------


@dataclass
class _Context:
    shown: Mapping[Path, str]
    district_codes: Mapping[str, str]  # "1" → "SB1"
    district_lookup: Mapping[str, str]  # casefolded name/alias → "SB1"
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    by_digit: set[str] = field(default_factory=set)  # Urnenwahlbezirke placed by the first digit of their number

    def add(self, path: Path, row: int | None, column: str | None, message: str, expected: str = "") -> None:
        self.problems.append(Problem(self.shown[path], row, column, message, expected))


def read_election(
    files: Mapping[str, list[Path]],
    district_codes: Mapping[str, str],
    district_lookup: Mapping[str, str],
    shown: Mapping[Path, str],
    district_shapes: Mapping[str, BaseGeometry] | None = None,
) -> tuple[Election | None, list[Problem]]:
    """Read and check one election (its files by role); returns the election (or None) and every problem."""
    ctx = _Context(shown, district_codes, district_lookup)
    any_file = next(p for paths in files.values() for p in paths)
    files = {role_: _unique(paths, ctx) for role_, paths in files.items()}
    for needed in REQUIRED_ROLES:
        if not files.get(needed):
            ctx.add(any_file, None, None, f"Datei „…_{needed}_…csv“ fehlt zu dieser Wahl",
                    "Wahlergebnisse, Wahlgebietseinteilungen, Wahlparameter (Offene Wahldaten)")
        elif len(files[needed]) > 1:
            ctx.add(files[needed][1], None, None, f"mehr als eine, inhaltlich verschiedene Datei „…_{needed}_…“ "
                    f"für dieselbe Wahl ({', '.join(p.name for p in files[needed])})",
                    "je Wahl genau eine Datei je Art")
    if ctx.problems:
        return None, ctx.problems
    param_path = files["Wahlparameter"][0]
    params = _read_parameters(param_path, ctx)
    if params is None:
        return None, ctx.problems
    election = Election(**params, files=[p for paths in files.values() for p in paths])
    levels = _level_names(params, param_path)
    einteilung = _read_einteilungen(files["Wahlgebietseinteilungen"][0], election, levels, ctx)
    _read_results(files["Wahlergebnisse"][0], files["Wahlgebietseinteilungen"][0], election, einteilung, ctx)
    for other in ("Wahlgebietseinteilungen", "Wahlergebnisse", "Stimmzettel"):
        for path in files.get(other, []):
            _check_same_election(path, election, ctx)
    geo_files = files.get("geo", [])
    if geo_files:
        _read_geometry(geo_files, election, district_shapes or {}, ctx)
    _assign_postal(election, ctx, files["Wahlgebietseinteilungen"][0])
    election.notes = ctx.notes
    return (election if not ctx.problems else None), ctx.problems


def _unique(paths: list[Path], ctx: _Context) -> list[Path]:
    """Byte-identical copies of one file (the city sometimes publishes a file twice) count once, with a note."""
    if len(paths) < 2:
        return paths
    seen: dict[bytes, Path] = {}
    for path in paths:
        seen.setdefault(path.read_bytes(), path)
    kept = list(seen.values())
    dropped = [p.name for p in paths if p not in kept]
    if dropped:
        ctx.notes.append(f"Gleiche Datei mehrfach geliefert, einmal verwendet: {', '.join(dropped)}.")
    return kept


def _read_parameters(path: Path, ctx: _Context) -> dict | None:
    header, rows = _read_rows(path, ctx.shown[path], ctx.problems)
    missing = [c for c in ("version", "wahl-datum", "wahl-name") if c not in header]
    if missing:
        ctx.add(path, 1, missing[0], "Spalte fehlt: " + ", ".join(missing), "Kopfzeile der Wahlparameter (Offene Wahldaten)")
        return None
    if len(rows) != 1:
        ctx.add(path, None, None, f"{len(rows)} Datenzeilen", "genau eine Zeile Wahlparameter")
        if not rows:
            return None
    row = rows[0]
    row_no = int(row["__row__"])
    version = row["version"].strip()
    if version not in VERSIONS:
        ctx.add(path, row_no, "version", f"Version {version!r} des Standards wird nicht unterstützt",
                "0.2 oder 0.3")
    date = _parse_date(row["wahl-datum"])
    if date is None:
        ctx.add(path, row_no, "wahl-datum", f"kein Datum: {row['wahl-datum']!r}", "TT.MM.JJJJ")
        return None
    kind, label = identify_kind(row.get("wahl-name", ""), row.get("wahl-bezeichnung", ""), path.name)
    return {"key": f"{kind}-{date.isoformat()}", "kind": kind, "kind_label": label, "name": row["wahl-name"],
            "date": date, "version": version, "authority": row.get("wahl-behoerde-gs", "")}


def parameters_key(path: Path) -> str | None:
    """The election id (kind-date) a Wahlparameter file names, or None if it cannot be read."""
    params = _read_parameters(path, _Context({path: path.name}, {}, {}))
    return params["key"] if params else None


def _level_names(params: dict, path: Path) -> dict[str, str]:
    """The names of the levels gebiet-ebene-2 … -5 from the Wahlparameter row."""
    _, rows = _read_rows(path, "", [])
    row = rows[0] if rows else {}
    return {f"gebiet-ebene-{n}": row.get(f"gebiet-ebene-{n}-bezeichnung", "") for n in range(2, 6)}


def _stadtbezirk_level(levels: Mapping[str, str]) -> str | None:
    """The level named "Stadtbezirk(e)" in the Wahlparameter, if any."""
    for level, name in levels.items():
        if name.casefold().startswith("stadtbezirk"):
            return level
    return None


def _district_of(value: str, ctx: _Context) -> str | None:
    """Area id of a Stadtbezirk as written in the files: its number (1 … 5) or its name/alias."""
    key = value.strip()
    if key.lstrip("0") in ctx.district_codes:
        return ctx.district_codes[key.lstrip("0")]
    return ctx.district_lookup.get(key.casefold())


def _known(ctx: _Context) -> str:
    return ", ".join(f"{code} ({area})" for code, area in ctx.district_codes.items())


@dataclass
class _Row:
    art: str
    stadtbezirk: str | None
    briefwahlbezirk: str | None
    middle: str  # the level between Stimmbezirk and Stadtbezirk (Wahlbezirk), '' if none
    row: int


def _read_einteilungen(path: Path, election: Election, levels: Mapping[str, str], ctx: _Context) -> dict[str, _Row]:
    header, rows = _read_rows(path, ctx.shown[path], ctx.problems)
    for column in ("bezirk-nr", "bezirk-art"):
        if column not in header:
            ctx.add(path, 1, column, f"Spalte {column} fehlt", "Kopfzeile der Wahlgebietseinteilungen")
            return {}
    sb_level = _stadtbezirk_level(levels)
    postal_column = next((h for h in header if h.casefold() == "briefwahlbezirk-nr"), None)
    middle_level = "gebiet-ebene-2" if sb_level and sb_level != "gebiet-ebene-2" else None
    result: dict[str, _Row] = {}
    for row in rows:
        row_no = int(row["__row__"])
        nr = row["bezirk-nr"].strip()
        art = row["bezirk-art"].strip().upper()
        if nr in result:
            ctx.add(path, row_no, "bezirk-nr", f"Bezirk {nr} kommt doppelt vor", "jede Bezirksnummer einmal")
            continue
        if art not in ("W", "B"):
            ctx.add(path, row_no, "bezirk-art", f"unbekannte Bezirksart {art!r}",
                    "W (Urnenwahlbezirk) oder B (Briefwahlbezirk)")
            continue
        stadtbezirk = _stadtbezirk_for(row, nr, art, sb_level, path, row_no, ctx)
        postal = (row.get(postal_column) or "").strip() if postal_column else None
        if art == "B" and postal == nr:
            postal = None
        result[nr] = _Row(art, stadtbezirk, postal or None, row.get(f"{middle_level}-nr", "") if middle_level else "",
                          row_no)
    for nr, info in result.items():
        if info.art != "W":
            continue
        if postal_column and not info.briefwahlbezirk:
            ctx.add(path, info.row, postal_column, f"Urnenwahlbezirk {nr} ist keinem Briefwahlbezirk zugeordnet",
                    "Nummer eines Briefwahlbezirks (bezirk-art B)")
        elif info.briefwahlbezirk and (info.briefwahlbezirk not in result or result[info.briefwahlbezirk].art != "B"):
            ctx.add(path, info.row, postal_column, f"Urnenwahlbezirk {nr}: Briefwahlbezirk {info.briefwahlbezirk} "
                    "gibt es in der Datei nicht", "Nummer eines Briefwahlbezirks (bezirk-art B)")
    return result


def _stadtbezirk_for(row: Mapping[str, str], nr: str, art: str, sb_level: str | None, path: Path, row_no: int,
                     ctx: _Context) -> str | None:
    """Stadtbezirk of a row: the Stadtbezirk level if the election has one, else the first digit of the number."""
    by_digit = ctx.district_codes.get(nr[:1]) if art == "W" and len(nr) == 4 else None
    if sb_level is None or not row.get(f"{sb_level}-nr", "").strip():
        if art == "W" and by_digit is None:
            ctx.add(path, row_no, "bezirk-nr", f"Urnenwahlbezirk {nr}: erste Ziffer nennt keinen bekannten "
                    "Stadtbezirk", f"vierstellige Nummer, erste Ziffer eine von {_known(ctx)}")
        if art == "W":
            ctx.by_digit.add(nr)
        return by_digit
    column = f"{sb_level}-nr"
    value = row[column]
    area = _district_of(value, ctx)
    if area is None:
        ctx.add(path, row_no, column, f"unbekannter Stadtbezirk {value!r}", f"einer von {_known(ctx)}")
        return None
    if art == "W" and by_digit is not None and by_digit != area:
        ctx.notes.append(f"Stimmbezirk {nr} gehört laut Wahlgebietseinteilung ({ctx.shown[path]}, Zeile {row_no}) "
                         f"zu {area}, obwohl die erste Ziffer der Nummer {by_digit} nennt; maßgeblich ist die "
                         "Einteilung der Stadt.")
    return area


def _int(row: Mapping[str, str], column: str, path: Path, ctx: _Context, blank_zero: bool = False) -> int | None:
    raw = (row.get(column) or "").strip()
    if raw == "" and blank_zero:
        return 0
    if not re.fullmatch(r"\d+", raw):
        ctx.add(path, int(row["__row__"]), column, f"keine Anzahl: {raw!r}", "ganze Zahl ≥ 0")
        return None
    return int(raw)


def _read_results(path: Path, einteilung_path: Path, election: Election, einteilung: Mapping[str, _Row],
                  ctx: _Context) -> None:
    header, rows = _read_rows(path, ctx.shown[path], ctx.problems)
    needed = ("bezirk-nr", "A1", "A2", "A3", "A", "B", "C", "D")
    missing = [c for c in needed if c not in header]
    if missing:
        ctx.add(path, 1, missing[0], "Spalte(n) fehlen: " + ", ".join(missing), "Kopfzeile der Wahlergebnisse")
        return
    list_columns = {prefix: [h for h in header if re.fullmatch(rf"{prefix}\d+", h)] for prefix in ("D", "F")}
    seen: set[str] = set()
    for row in rows:
        row_no = int(row["__row__"])
        nr = row["bezirk-nr"].strip()
        if nr in seen:
            ctx.add(path, row_no, "bezirk-nr", f"Bezirk {nr} kommt doppelt vor", "jede Bezirksnummer einmal")
            continue
        seen.add(nr)
        info = einteilung.get(nr)
        if info is None:
            ctx.add(path, row_no, "bezirk-nr", f"Bezirk {nr} fehlt in den Wahlgebietseinteilungen",
                    "jeder Bezirk in beiden Dateien")
            continue
        numbers = {c: _int(row, c, path, ctx) for c in ("A1", "A2", "A3", "A", "B", "C", "D")}
        if any(v is None for v in numbers.values()):
            continue
        _check_sums(row, numbers, list_columns, info.art, nr, path, ctx)
        election.bezirke.append(Bezirk(nr, row.get("bezirk-name", nr).strip(), info.art, info.stadtbezirk,
                                       info.briefwahlbezirk, numbers["A"], numbers["B"], numbers["A2"],
                                       ctx.shown[path], row_no))
    for nr, info in einteilung.items():
        if nr not in seen:
            ctx.add(einteilung_path, info.row, "bezirk-nr", f"Bezirk {nr} fehlt in den Wahlergebnissen",
                    "jeder Bezirk in beiden Dateien")


def _check_sums(row: Mapping[str, str], n: Mapping[str, int], list_columns: Mapping[str, list[str]], art: str,
                nr: str, path: Path, ctx: _Context) -> None:
    """The arithmetic the standard implies: A = A1+A2+A3, B = C+D, D = ΣDi, B ≤ A (polling districts)."""
    row_no = int(row["__row__"])
    where = f"Bezirk {nr}: "
    if n["A"] != n["A1"] + n["A2"] + n["A3"]:
        ctx.add(path, row_no, "A", f"{where}A = {n['A']}, aber A1 + A2 + A3 = {n['A1'] + n['A2'] + n['A3']}",
                "A = A1 + A2 + A3 (Wahlberechtigte)")
    if n["B"] != n["C"] + n["D"]:
        ctx.add(path, row_no, "B", f"{where}B = {n['B']}, aber C + D = {n['C'] + n['D']}",
                "B = C + D (Wählende = ungültige + gültige Stimmen)")
    if list_columns["D"]:
        votes = [_int(row, c, path, ctx, blank_zero=True) for c in list_columns["D"]]
        if None not in votes and sum(votes) != n["D"]:  # type: ignore[arg-type]
            ctx.add(path, row_no, "D", f"{where}D = {n['D']}, aber D1 + … + D{len(votes)} = {sum(votes)}",  # type: ignore[arg-type]
                    "D = Summe der Stimmen aller Listen")
    if {"E", "F"} <= set(row) and list_columns["F"]:  # second vote (Bundestag): B = E + F, F = ΣFi
        e, f = _int(row, "E", path, ctx), _int(row, "F", path, ctx)
        second = [_int(row, c, path, ctx, blank_zero=True) for c in list_columns["F"]]
        if e is not None and f is not None and n["B"] != e + f:
            ctx.add(path, row_no, "B", f"{where}B = {n['B']}, aber E + F = {e + f}", "B = E + F (Zweitstimmen)")
        if f is not None and None not in second and sum(second) != f:  # type: ignore[arg-type]
            ctx.add(path, row_no, "F", f"{where}F = {f}, aber F1 + … = {sum(second)}",  # type: ignore[arg-type]
                    "F = Summe der Zweitstimmen")
    if art == "W" and n["B"] > n["A"]:
        ctx.add(path, row_no, "B", f"{where}{n['B']} Wählende bei {n['A']} Wahlberechtigten",
                "B ≤ A in jedem Urnenwahlbezirk")


def _check_same_election(path: Path, election: Election, ctx: _Context) -> None:
    """Every file names the same election (date and name) as the Wahlparameter."""
    _, rows = _read_rows(path, ctx.shown[path], [])
    for row in rows[:1]:
        date = _parse_date(row.get("wahl-datum", ""))
        if date is not None and date != election.date:
            ctx.add(path, int(row["__row__"]), "wahl-datum", f"Datum {date:%d.%m.%Y} passt nicht zur Wahl vom "
                    f"{election.date:%d.%m.%Y} (Wahlparameter)", "alle Dateien einer Wahl mit demselben Datum")
        if row.get("wahl-name", election.name).strip() != election.name.strip():
            ctx.add(path, int(row["__row__"]), "wahl-name", f"Wahl {row['wahl-name']!r} statt {election.name!r}",
                    "alle Dateien einer Wahl mit demselben wahl-name")


# --- postal votes --------------------------------------------------------------------------------------------


def _assign_postal(election: Election, ctx: _Context, einteilung_path: Path) -> None:
    """Which Stadtbezirke each Briefwahlbezirk's Urnenwahlbezirke lie in; decides if Stadtbezirk turnout exists.

    The link Urnenwahlbezirk → Briefwahlbezirk is the column BRIEFWAHLBEZIRK-NR or, where the file has none
    (version 0.2), the Wahlbezirk level both share when each Wahlbezirk has exactly one postal district.
    """
    urne, brief = election.urne(), election.brief()
    if not brief:
        election.postal_assignable, election.postal_note = True, "ohne Briefwahlbezirke"
        return
    links = {b.nr: b.briefwahlbezirk for b in urne}
    if not all(links.values()):
        links = _links_via_middle(election, einteilung_path, ctx)
    if not links or not all(links.values()):
        election.postal_note = ("Die Wahlgebietseinteilung ordnet die Urnenwahlbezirke keinem Briefwahlbezirk zu; "
                                "die Briefwahl lässt sich nur der ganzen Stadt zurechnen.")
        return
    shares: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    weight: dict[str, float] = defaultdict(float)
    for b in urne:
        postal = links[b.nr]
        shares[postal][b.stadtbezirk or "?"] += b.mit_wahlschein
        weight[postal] += b.mit_wahlschein
    postal_votes = {b.nr: b.waehlende for b in brief}
    unlinked = [nr for nr in postal_votes if nr not in shares]
    split = {nr: dict(parts) for nr, parts in shares.items() if len(parts) > 1}
    total = sum(postal_votes.values()) or 1
    split_votes = sum(postal_votes.get(nr, 0) for nr in split) + sum(postal_votes[nr] for nr in unlinked)
    election.postal_shares = {
        nr: {sb: (v / weight[nr] if weight[nr] else 1 / len(parts)) for sb, v in parts.items()}
        for nr, parts in shares.items()}
    if unlinked or split_votes / total > POSTAL_ESTIMATE_SHARE:
        election.postal_note = (
            f"{len(split) + len(unlinked)} von {len(brief)} Briefwahlbezirken umfassen Urnenwahlbezirke in mehreren "
            f"Stadtbezirken ({_de_pct(split_votes / total)} der Briefwählenden); die Briefwahl lässt sich nur der "
            "ganzen Stadt zurechnen.")
        return
    election.postal_assignable = True
    if split:
        names = ", ".join(f"{nr} ({postal_votes.get(nr, 0)} Wählende)" for nr in sorted(split))
        election.postal_note = (
            f"Briefwahl über die Briefwahlbezirke den Stadtbezirken ihrer Urnenwahlbezirke zugerechnet; "
            f"Briefwahlbezirk {names} umfasst mehrere Stadtbezirke und ist anteilig nach den Wahlberechtigten mit "
            "Wahlscheinvermerk (A2) verteilt.")
    else:
        election.postal_note = ("Briefwahl über die Briefwahlbezirke den Stadtbezirken ihrer Urnenwahlbezirke "
                                "zugerechnet (jeder Briefwahlbezirk liegt in einem Stadtbezirk).")


def _links_via_middle(election: Election, path: Path, ctx: _Context) -> dict[str, str | None]:
    """Version 0.2: Urnenwahlbezirk → the one Briefwahlbezirk of its Wahlbezirk (gebiet-ebene-2), if unique."""
    _, rows = _read_rows(path, ctx.shown[path], [])
    middle = {r["bezirk-nr"].strip(): r.get("gebiet-ebene-2-nr", "").strip() for r in rows}
    postal_by_middle: dict[str, list[str]] = defaultdict(list)
    for b in election.brief():
        postal_by_middle[middle.get(b.nr, "")].append(b.nr)
    links: dict[str, str | None] = {}
    for b in election.urne():
        candidates = postal_by_middle.get(middle.get(b.nr, ""), [])
        links[b.nr] = candidates[0] if len(candidates) == 1 and middle.get(b.nr) else None
    return links


def _de_pct(share: float) -> str:
    return f"{share * 100:.1f} %".replace(".", ",")


def turnout(election: Election, city_id: str) -> tuple[Turnout, list[Turnout]]:
    """City and Stadtbezirk turnout; postal votes allocated Briefwahlbezirk → Urnenwahlbezirke → Stadtbezirk."""
    urne = election.urne()
    postal_total = sum(b.waehlende for b in election.brief())
    city = Turnout(city_id, sum(b.wahlberechtigte for b in urne), sum(b.waehlende for b in urne) + postal_total,
                   sum(b.waehlende for b in urne))
    districts: dict[str, Turnout] = {}
    for b in urne:
        t = districts.setdefault(b.stadtbezirk or "?", Turnout(b.stadtbezirk or "?", 0, 0.0, 0))
        t.wahlberechtigte += b.wahlberechtigte
        t.waehlende_urne += b.waehlende
        t.waehlende = (t.waehlende or 0) + b.waehlende
    if election.postal_assignable:
        for b in election.brief():
            for sb, share in election.postal_shares.get(b.nr, {}).items():
                districts[sb].waehlende = (districts[sb].waehlende or 0) + b.waehlende * share
    else:
        for t in districts.values():
            t.waehlende = None
    return city, [districts[k] for k in sorted(districts)]


# --- Stimmbezirk geometry ------------------------------------------------------------------------------------

STIMMBEZIRK_TOLERANCE = 0.05  # union of a district's Stimmbezirke vs. its boundary: ≤ 5 % symmetric difference


def _number_property(props: Mapping[str, object]) -> str | None:
    if "BEZIRKSNUM" in props:
        return "BEZIRKSNUM"
    return next((k for k in props if "bezirksnum" in k.casefold()), None)


def _read_geometry(paths: list[Path], election: Election, district_shapes: Mapping[str, BaseGeometry],
                   ctx: _Context) -> None:
    """Stimmbezirk shapes by number; checked against the results and the Stadtbezirk boundaries.

    A GeoJSON without Stimmbezirk numbers (e.g. the 26 Kommunalwahlbezirke) is no Stimmbezirk geometry: it is
    left aside with a note; the first file with numbers (BEZIRKSNUM) is checked strictly.
    """
    features = None
    for candidate in paths:
        try:
            data = json.loads(candidate.read_text(encoding="utf-8-sig"))
            found = data["features"]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
            ctx.add(candidate, None, None, f"GeoJSON nicht lesbar ({exc})", "GeoJSON-FeatureCollection")
            continue
        if not any(_number_property(f.get("properties") or {}) for f in found if isinstance(f, dict)):
            ctx.notes.append(f"{ctx.shown[candidate]} enthält keine Stimmbezirksnummern (BEZIRKSNUM) und wird nicht "
                             "als Stimmbezirksgrenze verwendet.")
        elif features is None:
            path, features = candidate, found
        else:
            ctx.notes.append(f"{ctx.shown[candidate]}: Stimmbezirksgrenzen stehen schon in {ctx.shown[path]}; "
                             "diese Datei wird nicht verwendet.")
    if features is None:
        return
    shown = ctx.shown[path]
    urne = {b.nr: b for b in election.urne()}
    for index, feat in enumerate(features, start=1):
        props = feat.get("properties") or {}
        key = _number_property(props)
        if key is None:
            ctx.add(path, index, "BEZIRKSNUM", f"Feature {index}: Eigenschaft BEZIRKSNUM fehlt",
                    "vierstellige Stimmbezirksnummer")
            continue
        nr = str(props[key]).strip()
        nr = nr[:-2] if nr.endswith(".0") else nr
        try:
            geom = shape(feat["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError):
            ctx.add(path, index, "geometry", f"Feature {index} (Stimmbezirk {nr}): Geometrie nicht lesbar",
                    "Polygon/MultiPolygon")
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        if nr not in urne:
            ctx.add(path, index, key, f"Feature {index}: Stimmbezirk {nr} gibt es in den Wahlergebnissen nicht",
                    "Nummer eines Urnenwahlbezirks dieser Wahl")
            continue
        if nr in election.geometry:
            election.geometry[nr] = shapely.union_all([election.geometry[nr], geom])  # parts delivered separately
        else:
            election.geometry[nr] = geom
    missing = sorted(set(urne) - set(election.geometry))
    if missing:
        ctx.add(path, None, "BEZIRKSNUM", f"{len(missing)} Urnenwahlbezirk(e) ohne Geometrie: "
                + ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""), "eine Fläche je Urnenwahlbezirk")
    election.geometry_file = shown
    _place_by_geometry(election, district_shapes, ctx)
    _check_against_districts(election, district_shapes, path, ctx)


def _place_by_geometry(election: Election, district_shapes: Mapping[str, BaseGeometry], ctx: _Context) -> None:
    """Where the Einteilung names no Stadtbezirk, the Stimmbezirk's area decides over the first digit."""
    if not district_shapes:
        return
    for index, b in enumerate(election.bezirke):
        geom = election.geometry.get(b.nr)
        if b.art != "W" or b.nr not in ctx.by_digit or geom is None or geom.area == 0:
            continue
        shares = {area: geom.intersection(shape_).area / geom.area for area, shape_ in district_shapes.items()}
        best = max(sorted(shares), key=shares.get)
        if best != b.stadtbezirk and shares[best] > 0.5:
            ctx.notes.append(f"Stimmbezirk {b.nr} liegt zu {_de_pct(shares[best])} in {best}, obwohl die erste "
                             f"Ziffer der Nummer {b.stadtbezirk} nennt; die Einteilung nennt keine Stadtbezirke, "
                             f"zugeordnet wird er {best}.")
            election.bezirke[index] = dataclasses.replace(b, stadtbezirk=best)


def _check_against_districts(election: Election, district_shapes: Mapping[str, BaseGeometry], path: Path,
                             ctx: _Context) -> None:
    by_district: dict[str, list[BaseGeometry]] = defaultdict(list)
    for b in election.urne():
        if b.nr in election.geometry and b.stadtbezirk:
            by_district[b.stadtbezirk].append(election.geometry[b.nr])
    for area, parts in sorted(by_district.items()):
        boundary = district_shapes.get(area)
        if boundary is None or boundary.is_empty:
            continue
        union = shapely.union_all(parts)
        share = union.symmetric_difference(boundary).area / boundary.area
        if share > STIMMBEZIRK_TOLERANCE:
            ctx.add(path, None, "geometry", f"Die Stimmbezirke von {area} weichen um {_de_pct(share)} der Fläche "
                    "von der Grenze des Stadtbezirks ab", f"höchstens {_de_pct(STIMMBEZIRK_TOLERANCE)} Abweichung")


def read_folder(
    folder: Path,
    district_codes: Mapping[str, str],
    district_lookup: Mapping[str, str],
    shown_prefix: str,
    district_shapes: Mapping[str, BaseGeometry] | None = None,
) -> tuple[list[Election], list[Problem]]:
    """Every election in one folder (usually one; the city's folders may hold several of one election day)."""
    problems: list[Problem] = []
    elections = []
    found = groups(folder)
    if not found:
        return [], [Problem(f"{shown_prefix}", None, None, "keine Datei „…_Wahlergebnisse_…csv“ im Ordner",
                            "die Dateien einer Wahl im Format Offene Wahldaten")]
    for roles in found.values():
        shown = {p: f"{shown_prefix}/{p.name}" for paths in roles.values() for p in paths}
        election, found_problems = read_election(roles, district_codes, district_lookup, shown, district_shapes)
        problems += found_problems
        if election is not None:
            election.folder = shown_prefix
            elections.append(election)
    return elections, problems


def staging_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="imh-wahl-"))
