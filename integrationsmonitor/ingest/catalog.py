"""The catalogue (Handlungsfelder, Blöcke, Leitziele, Indikatoren, Gebiete, …) read from data/catalog/."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from integrationsmonitor.problems import Problem

INDICATOR_TYPES = {"K", "E", "U"}
DIRECTIONS = {"steigend", "fallend", "neutral"}
INDICATOR_FIELDS = (
    "id", "name", "definition", "einheit", "typ", "richtung", "quelle", "datenhalter", "raumebene",
    "aktualisierung", "leitziele",
)


@dataclass(frozen=True)
class Leitziel:
    id: str
    block_id: str
    handlungsfeld_id: str
    number: int
    numbered: bool
    text: str


@dataclass(frozen=True)
class Block:
    id: str
    handlungsfeld_id: str
    name: str
    position: int


@dataclass(frozen=True)
class Target:
    indicator_id: str
    value: float
    due: dt.date | None
    decided_by: str


@dataclass
class Catalog:
    """Everything in data/catalog/, validated as a whole."""

    handlungsfelder: list[tuple[str, str, int]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    leitziele: list[Leitziel] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    nationalities: list[dict] = field(default_factory=list)
    age_groups: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    figure_flags: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    source_kinds: list[dict] = field(default_factory=list)  # quellenarten.csv + catalogue deliveries

    def area_lookup(self) -> dict[str, str]:
        """Map every id, name and alias (case-insensitive) to the area id."""
        lookup: dict[str, str] = {}
        for area in self.areas:
            keys = [area["id"], area["name"], *filter(None, (area.get("aliase") or "").split("|"))]
            for key in keys:
                lookup[key.strip().casefold()] = area["id"]
        return lookup

    @property
    def indicator_ids(self) -> set[str]:
        return {ind["id"] for ind in self.indicators}

    @property
    def nationality_codes(self) -> set[str]:
        return {n["code"] for n in self.nationalities}

    @property
    def source_kind_names(self) -> set[str]:
        return {s["quellenart"] for s in self.source_kinds}

    @property
    def age_group_codes(self) -> set[str]:
        return {a["code"] for a in self.age_groups}


def read_semicolon_csv(path: Path) -> list[dict]:
    """Read a catalogue CSV (`;`, UTF-8 with optional BOM); empty cells become ''."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh, delimiter=";")]


def load_catalog(catalog_dir: Path) -> tuple[Catalog, list[Problem]]:
    """Load and check the catalogue; returns it with every problem found."""
    cat = Catalog()
    problems: list[Problem] = []
    _load_leitziele(catalog_dir / "leitziele.yaml", cat)
    problems += _load_indicators(catalog_dir / "indikatoren.yaml", cat)
    cat.areas = read_semicolon_csv(catalog_dir / "gebiete.csv")
    cat.nationalities = read_semicolon_csv(catalog_dir / "staatsangehoerigkeiten.csv")
    cat.age_groups = read_semicolon_csv(catalog_dir / "altersgruppen.csv")
    cat.events = read_semicolon_csv(catalog_dir / "ereignisse.csv")
    cat.figure_flags = read_semicolon_csv(catalog_dir / "kennzeichnungen.csv")
    measures = catalog_dir / "massnahmen.csv"
    cat.measures = read_semicolon_csv(measures) if measures.exists() else []
    cat.sources = read_semicolon_csv(catalog_dir / "quellen.csv")
    kinds = catalog_dir / "quellenarten.csv"
    cat.source_kinds = read_semicolon_csv(kinds) if kinds.exists() else []
    problems += _check_references(catalog_dir, cat)
    return cat, problems


def _load_leitziele(path: Path, cat: Catalog) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    cat.notes = [(n["id"], n["text"]) for n in doc.get("hinweise", [])]
    for hf_pos, hf in enumerate(doc["handlungsfelder"], start=1):
        cat.handlungsfelder.append((hf["id"], hf["name"], hf_pos))
        for b_pos, block in enumerate(hf["bloecke"], start=1):
            cat.blocks.append(Block(block["id"], hf["id"], block["name"], b_pos))
            for lz in block["leitziele"]:
                cat.leitziele.append(
                    Leitziel(
                        id=f"{block['id']}-LZ{lz['nummer']}",
                        block_id=block["id"],
                        handlungsfeld_id=hf["id"],
                        number=int(lz["nummer"]),
                        numbered=bool(lz.get("nummeriert", True)),
                        text=" ".join(str(lz["text"]).split()),
                    )
                )


def _load_indicators(path: Path, cat: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for pos, ind in enumerate(doc["indikatoren"], start=1):
        where = f"indikatoren[{pos}]"
        for key in INDICATOR_FIELDS:
            if key not in ind or ind[key] in (None, ""):
                problems.append(Problem(path.name, None, f"{where}.{key}", "Pflichtfeld fehlt", key))
        if ind.get("typ") not in INDICATOR_TYPES:
            problems.append(Problem(path.name, None, f"{where}.typ", f"unbekannter Typ {ind.get('typ')!r}", "K, E oder U"))
        if ind.get("richtung") not in DIRECTIONS:
            problems.append(
                Problem(path.name, None, f"{where}.richtung", f"unbekannte Richtung {ind.get('richtung')!r}",
                        "steigend, fallend oder neutral")
            )
        ind.setdefault("eu2", False)
        ind.setdefault("datenluecke", "")
        cat.indicators.append(ind)
        if ind.get("ziel"):
            due = ind["ziel"].get("frist")
            cat.targets.append(
                Target(ind["id"], float(ind["ziel"]["wert"]), due if isinstance(due, dt.date) else None,
                       ind["ziel"].get("beschlossen_durch", ""))
            )
    return problems


def _check_references(catalog_dir: Path, cat: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    lz_ids = {lz.id for lz in cat.leitziele}
    seen: set[str] = set()
    for ind in cat.indicators:
        if ind["id"] in seen:
            problems.append(Problem("indikatoren.yaml", None, "id", f"Indikator-ID {ind['id']!r} doppelt", "eindeutige IDs"))
        seen.add(ind["id"])
        for lz in ind.get("leitziele") or []:
            if lz not in lz_ids:
                problems.append(
                    Problem("indikatoren.yaml", None, f"{ind['id']}.leitziele", f"unbekanntes Leitziel {lz!r}",
                            "eine ID aus leitziele.yaml, z. B. TH-EA-LZ1")
                )
    area_ids = {a["id"] for a in cat.areas}
    for row_no, area in enumerate(cat.areas, start=2):
        if area["uebergeordnet"] and area["uebergeordnet"] not in area_ids:
            problems.append(Problem("gebiete.csv", row_no, "uebergeordnet", f"unbekanntes Gebiet {area['uebergeordnet']!r}"))
    for row_no, m in enumerate(cat.measures, start=2):
        if m.get("leitziel") not in lz_ids:
            problems.append(Problem("massnahmen.csv", row_no, "leitziel", f"unbekanntes Leitziel {m.get('leitziel')!r}"))
    return problems
