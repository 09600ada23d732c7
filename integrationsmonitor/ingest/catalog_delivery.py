"""Catalogue deliveries: new indicators (measures), source kinds and nationalities through the checked path.

A catalogue delivery is a small CSV the statistics office uploads through ``update`` like any other delivery
(preview first). It lands in ``data/raw/`` beside the data it describes, so a kept version holds catalogue and
data together and ``restore`` rolls both back at once. Columns (``;``, UTF-8)::

    art;code;name;einheit;richtung;typ;quellentyp;adjektiv;beschreibung

* ``art = indikator``: ``code`` = indicator id (a-z, 0-9, _), ``name``, ``einheit`` (Personen, %, …),
  ``richtung`` (steigend|fallend|neutral), ``typ`` (K Kontext | E Ergebnis | U Umsetzung), ``beschreibung`` =
  definition.
* ``art = quellenart``: ``code`` = the source text exactly as in ``source_kind``, ``quellentyp`` (see
  ``SOURCE_TYPES``), ``beschreibung``.
* ``art = staatsangehoerigkeit``: ``code`` = ISO 3166-1 alpha-2, ``name`` (state), ``adjektiv``.

A delivery only adds: an entry that exists already is refused with its place, never overwritten silently.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from integrationsmonitor.ingest.catalog import DIRECTIONS, INDICATOR_TYPES, Catalog
from integrationsmonitor.ingest.readers import PUBLISHED, decode, normalise_header, read_table
from integrationsmonitor.problems import Problem

COLUMNS = ("art", "code", "name", "einheit", "richtung", "typ", "quellentyp", "adjektiv", "beschreibung")
KINDS = ("indikator", "quellenart", "staatsangehoerigkeit")
SOURCE_TYPES = {
    "melderegister": "Melderegister einer Stadt (Einwohnerregister)",
    "fortschreibung": "amtliche Bevölkerungsfortschreibung (IT.NRW/Destatis)",
    "zensus": "Zensus (Zählung zu einem Stichtag)",
    "auslaenderstatistik": "Ausländerstatistik (Ausländerzentralregister)",
    "mikrozensus": "Mikrozensus (Stichprobe)",
    "fachstatistik": "amtliche Fachstatistik (Einbürgerung, Sozialberichte, Bundesagentur für Arbeit, …)",
    "verwaltung": "Verwaltungsangabe einer Stadt oder Behörde",
    "polizei": "Polizeiliche Zählung",
    "presse": "Presse ohne erkennbare amtliche Quelle",
    "beispieldaten": "Beispieldaten (keine echte Zahl)",
}
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]{1,60}$")
ISO2 = re.compile(r"^[A-Z]{2}$")
KNOWN_MEASURES = {"einwohner", "auslaender"}


def is_catalog_delivery_header(first_line: str) -> bool:
    names = {normalise_header(c.lstrip("\ufeff")) for c in first_line.split(";")}
    return {"art", "code", "name"} <= names and "value" not in names


def is_catalog_delivery(path: Path) -> bool:
    try:
        head = path.read_bytes()[:2048].decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    return is_catalog_delivery_header(head.splitlines()[0] if head else "")


@dataclass
class Additions:
    """What catalogue deliveries added (shown in the preview and stored as ``catalog_addition``)."""

    rows: list[dict] = field(default_factory=list)  # file, row, art, code, name

    def summary(self) -> str:
        if not self.rows:
            return ""
        parts = []
        for kind, label in (("indikator", "Indikator(en)"), ("quellenart", "Quellenart(en)"),
                            ("staatsangehoerigkeit", "Staatsangehörigkeit(en)")):
            codes = [r["code"] for r in self.rows if r["art"] == kind]
            if codes:
                parts.append(f"{len(codes)} {label}: {', '.join(codes)}")
        return "Neu im Katalog (Katalogergänzung): " + "; ".join(parts)


def apply_deliveries(paths: list[tuple[Path, str]], cat: Catalog) -> tuple[Additions, list[Problem]]:
    """Read every catalogue delivery and add its entries to ``cat``; every defect with file:row:column."""
    additions = Additions()
    problems: list[Problem] = []
    for path, rel in paths:
        text, file_problems = decode(path.read_bytes(), rel)
        problems += file_problems
        if text is None:
            continue
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        header = [normalise_header(c) for c in records[0]] if records else []
        missing = [c for c in COLUMNS if c not in header]
        extra = [c for c in header if c not in COLUMNS]
        for col in missing:
            problems.append(Problem(rel, 1, col, "Spalte fehlt (Katalogergänzung)", ";".join(COLUMNS)))
        for col in extra:
            problems.append(Problem(rel, 1, col or "(leer)", "unbekannte Spalte (Katalogergänzung)", ";".join(COLUMNS)))
        if missing or extra:
            continue
        for line_no, record in enumerate(records[1:], start=2):
            if not any(c.strip() for c in record):
                continue
            if len(record) != len(header):
                problems.append(Problem(rel, line_no, None, f"Zeile hat {len(record)} Felder",
                                        f"{len(header)} Felder wie die Kopfzeile"))
                continue
            row = {col: cell.strip() for col, cell in zip(header, record, strict=True)}
            row_problems = _add(row, rel, line_no, cat)
            problems += row_problems
            if not row_problems:
                additions.rows.append({"file": rel, "row": line_no, "art": row["art"], "code": row["code"],
                                       "name": row["name"]})
    return additions, problems


def _add(row: dict, file: str, line: int, cat: Catalog) -> list[Problem]:
    kind = row["art"].casefold()
    p = []

    def bad(column: str, message: str, expected: str) -> None:
        p.append(Problem(file, line, column, message, expected))

    if kind not in KINDS:
        bad("art", f"unbekannte Art {row['art']!r}", ", ".join(KINDS))
        return p
    code = row["code"]
    if kind == "indikator":
        if not INDICATOR_ID.match(code):
            bad("code", f"Indikator-ID {code!r} nicht zulässig", "Kleinbuchstaben, Ziffern, _ (z. B. sgb2_quote)")
        elif code in cat.indicator_ids or code in KNOWN_MEASURES:
            bad("code", f"Indikator {code!r} gibt es schon", "eine neue ID (eine Ergänzung ändert nichts Bestehendes)")
        for column in ("name", "einheit", "beschreibung"):
            if not row[column]:
                bad(column, "Wert fehlt", f"{column} des Indikators")
        if row["richtung"] not in DIRECTIONS:
            bad("richtung", f"unbekannte Richtung {row['richtung']!r}", ", ".join(sorted(DIRECTIONS)))
        if (row["typ"] or "K") not in INDICATOR_TYPES:
            bad("typ", f"unbekannter Typ {row['typ']!r}", "K (Kontext), E (Ergebnis) oder U (Umsetzung)")
        if not p:
            cat.indicators.append({
                "id": code, "name": row["name"], "definition": row["beschreibung"], "einheit": row["einheit"],
                "typ": row["typ"] or "K", "richtung": row["richtung"], "quelle": f"Katalogergänzung {file}",
                "datenhalter": "laut Lieferung", "raumebene": "stadt", "aktualisierung": "laut Lieferung",
                "leitziele": [], "eu2": False, "datenluecke": "",
            })
    elif kind == "quellenart":
        if code in cat.source_kind_names:
            bad("code", f"Quellenart {code!r} gibt es schon", "eine neue Quellenart")
        if row["quellentyp"] not in SOURCE_TYPES:
            bad("quellentyp", f"unbekannter Quellentyp {row['quellentyp']!r}", ", ".join(SOURCE_TYPES))
        if not p:
            cat.source_kinds.append({"quellenart": code, "typ": row["quellentyp"], "hinweis": row["beschreibung"],
                                     "herkunft": file})
    else:
        if not ISO2.match(code):
            bad("code", f"Code {code!r} ist kein ISO-3166-Code", "zwei Großbuchstaben, z. B. MA")
        elif code in cat.nationality_codes:
            bad("code", f"Staatsangehörigkeit {code!r} gibt es schon", "ein neuer Code")
        if not row["name"]:
            bad("name", "Wert fehlt", "Name des Staates, z. B. Marokko")
        if not p:
            cat.nationalities.append({"code": code, "name": row["name"], "adjektiv": row["adjektiv"], "art": "staat",
                                      "hinweis": f"Katalogergänzung {file}"})
    return p


# ----------------------------------------------------------------------------- what the catalogue does not know
@dataclass
class Gaps:
    """Codes in deliveries the catalogue does not know yet, with where they first occur."""

    measures: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # code → (file, row, unit)
    source_kinds: dict[str, tuple[str, int]] = field(default_factory=dict)
    nationalities: dict[str, tuple[str, int]] = field(default_factory=dict)
    areas: dict[str, tuple[str, int]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.measures or self.source_kinds or self.nationalities or self.areas)

    def lines(self) -> list[str]:
        out = []
        for code, (file, row, unit) in self.measures.items():
            out.append(f"Merkmal {code!r} (Einheit {unit or '?'}) ist noch kein Indikator – zuerst in {file} Zeile {row}")
        for code, (file, row) in self.source_kinds.items():
            out.append(f"Quellenart {code!r} ist noch nicht im Katalog – zuerst in {file} Zeile {row}")
        for code, (file, row) in self.nationalities.items():
            out.append(f"Staatsangehörigkeit {code!r} ist noch nicht im Katalog – zuerst in {file} Zeile {row}")
        for code, (file, row) in self.areas.items():
            out.append(f"Gebiet {code!r} ist unbekannt – zuerst in {file} Zeile {row}. Kreise und kreisfreie Städte "
                       "kommen mit einer amtlichen Kreise-Tabelle (z. B. 12411-01-01-4) automatisch; sonst eine Zeile "
                       "in data/catalog/gebiete.csv")
        return out

    def how_to(self) -> str:
        return ("So ergänzen: die Vorlage unten als CSV speichern (z. B. katalog_ergaenzung.csv), leere Felder "
                "ausfüllen (einheit, richtung steigend|fallend|neutral, typ K|E|U, quellentyp "
                + "|".join(SOURCE_TYPES) + ") und zusammen mit der Lieferung über `update` hochladen – die "
                "Vorschau zeigt dann, was neu in den Katalog kommt; `restore` nimmt Katalog und Daten gemeinsam "
                "zurück.")

    def template(self) -> str:
        rows = [";".join(COLUMNS)]
        for code, (_, _, unit) in self.measures.items():
            rows.append(f"indikator;{code};;{unit};;K;;;")
        for code in self.source_kinds:
            rows.append(f"quellenart;{code};;;;;{_guess_type(code)};;")
        for code in self.nationalities:
            rows.append(f"staatsangehoerigkeit;{code};;;;;;;")
        return "\n".join(rows) + "\n"


def _guess_type(source: str) -> str:
    low = source.casefold()
    for word, kind in (("zensus", "zensus"), ("melderegister", "melderegister"), ("fortschreibung", "fortschreibung"),
                       ("ausländerstatistik", "auslaenderstatistik"), ("mikrozensus", "mikrozensus"),
                       ("polizei", "polizei")):
        if word in low:
            return kind
    return ""


def find_gaps(raw_paths: list[tuple[Path, str]], cat: Catalog) -> Gaps:
    """Scan published-figure deliveries for measures, source kinds and nationalities the catalogue lacks."""
    gaps = Gaps()
    measures = cat.indicator_ids | KNOWN_MEASURES
    sources = cat.source_kind_names
    nationalities = cat.nationality_codes
    areas = cat.area_lookup()
    for path, rel in raw_paths:
        table, _ = read_table(path, display_name=rel)
        if table is None or table.format is not PUBLISHED:
            continue
        for line_no, cells in table.rows:
            measure, source, nat = cells.get("measure", ""), cells.get("source_kind", ""), cells.get("nationality", "")
            if measure and measure not in measures:
                gaps.measures.setdefault(measure, (rel, line_no, cells.get("unit", "")))
            if source and source not in sources:
                gaps.source_kinds.setdefault(source, (rel, line_no))
            if nat and nat not in nationalities:
                gaps.nationalities.setdefault(nat, (rel, line_no))
            area = cells.get("area", "")
            if area and area.casefold() not in areas:
                gaps.areas.setdefault(area, (rel, line_no))
    return gaps
