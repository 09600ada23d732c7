"""What a GENESIS table means, read from ``data/catalog/genesis.yaml``: cells → indicator, area, dimensions, source.

Every cell of every flat file is kept (``values``: numbers *and* signs, mapped or not). Cells a rule of the
mapping hits become figures of the monitor: all dimensions in ``values`` (with sex and age group), the totals
(sex and age group ``_T``, a number, not a sign) also as ``observations`` for the build. Region keys become areas
(Kreise of a Kreise table automatically, with official name and key). What no rule covers is listed in
``unmapped`` (variable, attribute or value variable, with the number of cells) for the preview — never dropped
silently. The source of a figure is the table's source string, a dimension of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from integrationsmonitor.ingest.catalog import Catalog
from integrationsmonitor.ingest.genesis import Cell, GenesisTable, read_genesis
from integrationsmonitor.ingest.validate import COUNT_UNITS
from integrationsmonitor.problems import Problem

TOTAL = "_T"
MAPPING_FILE = "genesis.yaml"
DIMENSION_FIELDS = ("staatsangehoerigkeit", "geschlecht", "altersgruppe")
RULE_FIELDS = {"wertmerkmal", "indikator", "einheiten", *DIMENSION_FIELDS}
TABLE_FIELDS = {"code", "datenbank", "titel", "statistik", "merkmale", "quellenart", "stand", "quelle", "lizenz",
                "namensnennung", "summen", "werte", "zuordnung", "url"}
SEXES = {TOTAL, "m", "w", "d", "x"}
CITY_WORDS = ("kreisfreie stadt", "stadtkreis", "district-free city", "district-free town", "urban district",
              "independent city")  # German and English labels of a kreisfreie Stadt
SIGN_ZERO = "-"  # "nothing there": counts as 0 in a sum of Kreise
TABLE_URL = {
    "regionalstatistik": "https://www.regionalstatistik.de/genesis/online?operation=table&code={code}",
    "landesdatenbank_nrw": "https://www.landesdatenbank.nrw.de/ldbnrw/online?operation=table&code={code}",
    "genesis_online": "https://www-genesis.destatis.de/datenbank/online/table/{code}",
    "zensus": "https://ergebnisse.zensus2022.de/datenbank/online/table/{code}",
}


@dataclass
class Mapping:
    region_variables: set[str]
    databases: dict[str, dict]
    dimensions: dict[str, dict]
    tables: list[dict]

    def table(self, code: str | None) -> dict | None:
        return next((t for t in self.tables if code and t["code"].upper() == code.upper()), None)

    def table_for(self, gt: GenesisTable) -> dict | None:
        """By table code (file name); otherwise the one table with the file's statistics code and variables."""
        by_code = self.table(gt.table_code)
        if by_code is not None or gt.table_code:
            return by_code
        candidates = [t for t in self.tables if str(t.get("statistik")) == gt.statistics_code
                      and list(t.get("merkmale") or []) == gt.variable_codes]
        return candidates[0] if len(candidates) == 1 else None


@dataclass
class OfficialLoad:
    """Everything read from the delivered flat files, ready for the build."""

    tables: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (path, sha256, cells stored)


# ----------------------------------------------------------------------------- the mapping file
def load_mapping(catalog_dir: Path, cat: Catalog) -> tuple[Mapping, list[Problem]]:
    path = catalog_dir / MAPPING_FILE
    if not path.exists():
        return Mapping(set(), {}, {}, []), []
    name = f"catalog/{MAPPING_FILE}"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return Mapping(set(), {}, {}, []), [Problem(name, None, None, f"YAML nicht lesbar: {exc}")]
    mapping = Mapping(set(doc.get("regionalmerkmale") or []), doc.get("datenbanken") or {},
                      doc.get("merkmale") or {}, doc.get("tabellen") or [])
    return mapping, _check_mapping(mapping, cat, name)


def _check_mapping(mapping: Mapping, cat: Catalog, name: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for pos, table in enumerate(mapping.tables, start=1):
        where = f"tabellen[{pos}]"
        for key in sorted(set(table) - TABLE_FIELDS):
            problems.append(Problem(name, None, f"{where}.{key}", "unbekanntes Feld", ", ".join(sorted(TABLE_FIELDS))))
        for key in ("code", "quelle", "quellenart"):
            if not table.get(key):
                problems.append(Problem(name, None, f"{where}.{key}", "Pflichtfeld fehlt", key))
        if table.get("code") in seen:
            problems.append(Problem(name, None, f"{where}.code", f"Tabelle {table['code']} doppelt", "jede Tabelle einmal"))
        seen.add(table.get("code"))
        if table.get("datenbank") and table["datenbank"] not in mapping.databases:
            problems.append(Problem(name, None, f"{where}.datenbank", f"unbekannte Datenbank {table['datenbank']!r}",
                                    ", ".join(mapping.databases)))
        for rpos, rule in enumerate(table.get("werte") or [], start=1):
            rwhere = f"{where}.werte[{rpos}]"
            for key in sorted(set(rule) - RULE_FIELDS):
                problems.append(Problem(name, None, f"{rwhere}.{key}", "unbekanntes Feld", ", ".join(sorted(RULE_FIELDS))))
            if rule.get("indikator") not in cat.indicator_ids:
                problems.append(Problem(name, None, f"{rwhere}.indikator", f"unbekannter Indikator "
                                        f"{rule.get('indikator')!r}", "eine ID aus indikatoren.yaml oder einer "
                                        "Katalogergänzung"))
            if not rule.get("wertmerkmal"):
                problems.append(Problem(name, None, f"{rwhere}.wertmerkmal", "Pflichtfeld fehlt", "z. B. BEVSTD"))
    for code, dim in mapping.dimensions.items():
        if (dim or {}).get("feld") not in DIMENSION_FIELDS:
            problems.append(Problem(name, None, f"merkmale.{code}.feld", f"unbekanntes Feld {dim.get('feld')!r}",
                                    ", ".join(DIMENSION_FIELDS)))
    return problems


# ----------------------------------------------------------------------------- areas from region keys
def area_id_for_key(key: str) -> str | None:
    """DG, two-digit Land, five-digit Kreis (+ '000' as the city's AGS), eight-digit AGS, twelve-digit ARS."""
    k = key.strip()
    if k == "DG":
        return "DG"
    if not k.isdigit():
        return None
    if len(k) == 2:
        return k
    if len(k) == 5:
        return k + "000"
    if len(k) == 8:
        return k
    if len(k) == 12:
        return k[:5] + k[9:]
    return None


def _new_area(key: str, label: str, table_code: str, known: set[str]) -> dict:
    area_id = area_id_for_key(key)
    low = label.casefold()
    city = any(word in low for word in CITY_WORDS)
    if key == "DG":
        level, name, parent = "bund", "Deutschland", ""
    elif len(key) == 2:
        level, name, parent = "land", label, ""
    elif len(key) == 5:
        level = "vergleichsstadt" if city else "kreis"
        name = label.split(",")[0].strip() if city else label
        parent = key[:2] if key[:2] in known else ""
    else:
        level = "vergleichsstadt" if city else "gemeinde"
        name = label.split(",")[0].strip() if city else label
        parent = key[:2] if key[:2] in known else ""
    aliases = "|".join(dict.fromkeys(a for a in (label,) if a and a != name))
    return {"id": area_id, "ebene": level, "name": name, "uebergeordnet": parent, "amtlicher_schluessel": key,
            "aliase": aliases, "hinweis": f"{label} (amtlicher Schlüssel {key}, angelegt aus Tabelle {table_code})"}


# ----------------------------------------------------------------------------- cells → figures
def load_official(paths: list[tuple[Path, str]], cat: Catalog, catalog_dir: Path,
                  today: dt.date | None = None) -> tuple[OfficialLoad, list[Problem]]:
    """Read and map every flat file; new areas are appended to ``cat.areas`` (so later files can name them)."""
    import hashlib

    mapping, problems = load_mapping(catalog_dir, cat)
    out = OfficialLoad()
    if problems:
        return out, problems
    for path, rel in paths:
        table, file_problems = read_genesis(path, rel)
        problems += file_problems
        if table is None:
            continue
        config = mapping.table_for(table)
        problems += _map_table(table, config, mapping, cat, out, today or dt.date.today())
        out.files.append((rel, hashlib.sha256(path.read_bytes()).hexdigest(), len(table.cells)))
    return out, problems


def _source(table: GenesisTable, config: dict | None) -> str:
    if config:
        return str(config["quelle"])
    code = table.table_code or "Code unbekannt"
    return f"{table.statistics_label or 'amtliche Statistik'} (Tabelle {code}, nicht im Katalog zugeordnet)"


def _map_table(table: GenesisTable, config: dict | None, mapping: Mapping, cat: Catalog,
               out: OfficialLoad, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    code = (config or {}).get("code") or table.table_code or f"Statistik {table.statistics_code}"
    source = _source(table, config)
    rules = defaultdict(list)
    for rule in (config or {}).get("werte") or []:
        rules[rule["wertmerkmal"]].append(rule)
    dims = {**mapping.dimensions, **((config or {}).get("zuordnung") or {})}
    known_areas = {a["id"] for a in cat.areas}
    indicator_units = {i["id"]: i["einheit"] for i in cat.indicators}
    url = (config or {}).get("url") or TABLE_URL.get((config or {}).get("datenbank", ""), "").format(code=code)
    unmapped: Counter = Counter()
    new_areas: dict[str, dict] = {}
    mapped_rows = sign_rows = 0
    if config is None:
        unmapped[("Tabelle", code, table.statistics_label)] = len(table.cells)
    for cell in table.cells:
        region = next((v for v in cell.variables if v.code in mapping.region_variables), None)
        row = _value_row(table, code, cell, region, source)
        sign_rows += bool(cell.sign)
        out.values.append(row)
        if config is None:
            continue
        target, reason = _target(cell, region, rules, dims, mapping)
        if target is None:
            unmapped[reason] += 1
            continue
        rule, dim_values = target
        area_id = area_id_for_key(region.attribute_code)
        if area_id is None:
            problems.append(Problem(table.file, cell.row, _column(table, region.code, "attribute_code"),
                                    f"Regionalschlüssel {region.attribute_code!r} nicht lesbar",
                                    "DG, zweistellig (Land), fünfstellig (Kreis), acht- oder zwölfstellig (Gemeinde)"))
            continue
        if rule.get("einheiten") and cell.unit not in rule["einheiten"]:
            problems.append(Problem(table.file, cell.row, "value_unit", f"Einheit {cell.unit!r} für "
                                    f"{rule['indikator']}", f"eine von {', '.join(rule['einheiten'])} (Zuordnung in "
                                    f"genesis.yaml, Tabelle {code})"))
            continue
        if cell.period is None:
            problems.append(Problem(table.file, cell.row, "time", f"Zeitangabe {cell.time!r} ({cell.time_code}) nicht "
                                    "als Stichtag lesbar", "Datum, Jahr, Monat, Quartal oder Halbjahr"))
            continue
        if cell.period > today:
            problems.append(Problem(table.file, cell.row, "time", f"Stichtag {cell.period:%d.%m.%Y} liegt nach "
                                    f"heute ({today:%d.%m.%Y})", "ein vergangener Stichtag"))
            continue
        if (cell.value is not None and indicator_units.get(rule["indikator"]) in COUNT_UNITS
                and not float(cell.value).is_integer()):
            problems.append(Problem(table.file, cell.row, "value", f"Anzahl mit Nachkommastellen {str(cell.value).replace('.', ',')} für "
                                    f"{rule['indikator']}", "eine ganze Zahl (Anzahl Personen)"))
            continue
        if area_id not in known_areas and area_id not in new_areas:
            new_areas[area_id] = _new_area(region.attribute_code, region.attribute_label, code,
                                           known_areas | set(new_areas))
        row.update(area_id=area_id, indicator_id=rule["indikator"], mapped=True, **dim_values)
        mapped_rows += 1
        if not cell.sign and dim_values["sex"] == TOTAL and dim_values["age_group"] == TOTAL:
            out.observations.append(_observation(row, cell, table, source, url))
    cat.areas.extend(new_areas.values())
    out.areas.extend(new_areas.values())
    problems += _sums(table, config, code, source, url, out, cat, indicator_units)
    for (kind, item, label), n in sorted(unmapped.items()):
        out.unmapped.append({"file": table.file, "table_code": code, "kind": kind, "code": item, "label": label,
                             "cells": n})
    out.tables.append({
        "table_code": code, "file": table.file, "statistics_code": table.statistics_code,
        "statistics_label": table.statistics_label, "title": (config or {}).get("titel", table.statistics_label),
        "database": (config or {}).get("datenbank", ""), "language": table.language or "",
        "source": source, "source_kind": (config or {}).get("quellenart", ""), "stand": str((config or {}).get("stand", "")),
        "licence": (config or {}).get("lizenz", ""), "attribution": (config or {}).get("namensnennung", ""),
        "url": url, "variables": ", ".join(table.variable_codes), "cells": len(table.cells), "mapped_cells": mapped_rows,
        "sign_cells": sign_rows, "in_catalog": config is not None,
    })
    return problems


def _column(table: GenesisTable, variable_code: str, part: str) -> str:
    codes = table.variable_codes
    return f"{codes.index(variable_code) + 1}_variable_{part}" if variable_code in codes else "value"


def _value_row(table: GenesisTable, code: str, cell: Cell, region, source: str) -> dict:
    others = [v for v in cell.variables if v is not region]
    return {
        "table_code": code, "file": table.file, "row": cell.row, "statistics_code": table.statistics_code,
        "time_code": cell.time_code, "time": cell.time, "period": cell.period,
        "region_key": region.attribute_code if region else None, "region_name": region.attribute_label if region else None,
        "attributes": "; ".join(f"{v.code}={v.attribute_code or TOTAL} ({v.attribute_label})" for v in others),
        "value_variable_code": cell.value_variable_code, "value_variable_label": cell.value_variable_label,
        "value": cell.value, "sign": cell.sign, "unit": cell.unit, "quality": cell.quality, "source": source,
        "area_id": None, "indicator_id": None, "nationality": None, "sex": None, "age_group": None,
        "mapped": False, "is_derived": False,
    }


def _target(cell: Cell, region, rules: dict, dims: dict, mapping: Mapping):
    """((rule, dimension values), None) or (None, reason) — the reason is what the preview lists."""
    candidates = rules.get(cell.value_variable_code)
    if not candidates:
        return None, ("Wertmerkmal", cell.value_variable_code, cell.value_variable_label)
    if region is None:
        return None, ("Regionalmerkmal", "(keines)", "Tabelle ohne Regionalmerkmal " + "/".join(sorted(
            mapping.region_variables)[:3]) + " …")
    rule = candidates[0]
    values = {"nationality": rule.get("staatsangehoerigkeit", TOTAL), "sex": rule.get("geschlecht", TOTAL),
              "age_group": rule.get("altersgruppe", TOTAL)}
    field_to_key = {"staatsangehoerigkeit": "nationality", "geschlecht": "sex", "altersgruppe": "age_group"}
    for var in cell.variables:
        if var is region:
            continue
        dim = dims.get(var.code)
        if dim is None:
            return None, ("Merkmal", var.code, var.label)
        werte = {str(k): str(v) for k, v in (dim.get("werte") or {}).items()}
        if var.attribute_code not in werte:
            return None, ("Ausprägung", f"{var.code}={var.attribute_code or '(leer)'}", var.attribute_label)
        values[field_to_key[dim["feld"]]] = werte[var.attribute_code]
    return (rule, values), None


def _observation(row: dict, cell: Cell, table: GenesisTable, source: str, url: str) -> dict:
    return {
        "indicator_id": row["indicator_id"], "area_id": row["area_id"], "period": cell.period,
        "nationality": row["nationality"], "value": cell.value, "value_column": "value", "numerator": None,
        "denominator": None, "source": source, "source_url": url,
        "note": f"amtliche Tabelle {row['table_code']}" + (f", Qualität {cell.quality}" if cell.quality else ""),
        "figure_id": "", "is_example": False, "is_approx": False, "is_rounded": False, "date_uncertain": False,
        "is_derived": False, "file": table.file, "row": cell.row,
    }


def _sums(table: GenesisTable, config: dict | None, code: str, source: str, url: str, out: OfficialLoad,
          cat: Catalog, units: dict[str, str]) -> list[Problem]:
    """Land/Bund totals as sums of the Kreise, where the table has no row of its own for them."""
    if not config or not config.get("summen"):
        return []
    mine = [r for r in out.values if r["file"] == table.file and r["mapped"]]
    present = {r["region_key"] for r in mine}
    known = {a["id"] for a in cat.areas}
    for target, spec in config["summen"].items():
        target = str(target)
        label = spec.get("name", target) if isinstance(spec, dict) else str(spec)
        expected = spec.get("kreise") if isinstance(spec, dict) else None
        if target in present:
            continue
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for r in mine:
            key = r["region_key"] or ""
            if len(key) == 5 and (target == "DG" or key.startswith(target)):
                groups[(r["indicator_id"], r["period"], r["nationality"], r["sex"], r["age_group"],
                        r["value_variable_code"], r["unit"])].append(r)
        for (indicator, period, nat, sex, age, _vvar, _unit), parts in groups.items():
            if units.get(indicator) not in COUNT_UNITS:
                continue
            blocked = [p for p in parts if p["sign"] and p["sign"] != SIGN_ZERO]
            if blocked:
                out.unmapped.append({"file": table.file, "table_code": code, "kind": "Summe nicht gebildet",
                                     "code": target, "label": f"{len(blocked)} Kreis(e) mit Zeichen statt Zahl, z. B. "
                                     f"{blocked[0]['region_name']} ({blocked[0]['sign']})", "cells": len(blocked)})
                continue
            numbered = sum(1 for p in parts if not p["sign"])
            if expected is not None and numbered != int(expected):
                out.unmapped.append({"file": table.file, "table_code": code, "kind": "Summe nicht gebildet",
                                     "code": target, "label": f"{numbered} statt {expected} Kreise mit Zahl "
                                     f"({period_text(period)}) – Ausschnitt der Tabelle?", "cells": numbered})
                continue
            counted = [p for p in parts if not p["sign"]]
            area_id = area_id_for_key(target)
            if area_id not in known:
                new = _new_area(target, "Deutschland" if target == "DG" else target, code, known)
                cat.areas.append(new)
                out.areas.append(new)
                known.add(area_id)
            value = float(sum(p["value"] for p in counted))
            note = f"{label}: {len(counted)} Kreise und kreisfreie Städte (Tabelle {code})"
            row = {**parts[0], "row": None, "region_key": target, "region_name": label, "value": value, "sign": "",
                   "quality": "", "area_id": area_id, "is_derived": True,
                   "attributes": parts[0]["attributes"]}
            out.values.append(row)
            if sex == TOTAL and age == TOTAL:
                out.observations.append({
                    "indicator_id": indicator, "area_id": area_id, "period": period, "nationality": nat,
                    "value": value, "value_column": "value", "numerator": None, "denominator": None,
                    "source": source, "source_url": url, "note": note, "figure_id": "", "is_example": False,
                    "is_approx": False, "is_rounded": False, "date_uncertain": False, "is_derived": True,
                    "file": table.file, "row": min(p["row"] for p in parts)})
    return []


def period_text(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
