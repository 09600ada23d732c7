"""Build glue for official statistics and catalogue deliveries: which raw file is what, loading, preview text.

``read_inputs`` in the pipeline hands the raw files here first: catalogue deliveries extend the catalogue, then
GENESIS flat files are mapped (their Kreise become areas) — only then are the other deliveries read, so that a
published figure may name a new measure, source kind or Kreis in the same update.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from integrationsmonitor.ingest import catalog_delivery, genesis, official
from integrationsmonitor.ingest.catalog import Catalog
from integrationsmonitor.problems import Problem

SQL_DIR = Path(__file__).parent / "sql"


@dataclass
class Loaded:
    """Results of the first pass over the raw files."""

    official: official.OfficialLoad = field(default_factory=official.OfficialLoad)
    additions: catalog_delivery.Additions = field(default_factory=catalog_delivery.Additions)
    files: list[tuple[str, str, int]] = field(default_factory=list)
    rest: list[tuple[Path, str]] = field(default_factory=list)  # the ordinary deliveries, for the pipeline
    groups: list[dict] = field(default_factory=list)  # comparison groups (vergleichsgruppen.yaml)


def first_pass(paths: list[tuple[Path, str]], cat: Catalog, catalog_dir: Path,
               today=None) -> tuple[Loaded, list[Problem]]:
    """Catalogue deliveries, then GENESIS files; everything else is returned in ``rest``."""
    deliveries = [(p, rel) for p, rel in paths if catalog_delivery.is_catalog_delivery(p)]
    flat = [(p, rel) for p, rel in paths if (p, rel) not in deliveries and genesis.is_ffcsv_file(p)]
    loaded = Loaded(rest=[(p, rel) for p, rel in paths if (p, rel) not in deliveries and (p, rel) not in flat])
    loaded.additions, problems = catalog_delivery.apply_deliveries(deliveries, cat)
    for path, rel in deliveries:
        n = sum(1 for r in loaded.additions.rows if r["file"] == rel)
        loaded.files.append((rel, hashlib.sha256(path.read_bytes()).hexdigest(), n))
    loaded.official, official_problems = official.load_official(flat, cat, catalog_dir, today)
    loaded.files += loaded.official.files
    loaded.groups, group_problems = load_groups(catalog_dir)
    return loaded, problems + official_problems + group_problems


def load_groups(catalog_dir: Path) -> tuple[list[dict], list[Problem]]:
    """Comparison groups: a list of official keys or a size class, each with the rule published on the page."""
    import yaml

    path = catalog_dir / "vergleichsgruppen.yaml"
    if not path.exists():
        return [], []
    name = "catalog/vergleichsgruppen.yaml"
    rows, problems = [], []
    for pos, group in enumerate((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("gruppen") or [],
                                start=1):
        where = f"gruppen[{pos}]"
        missing = [k for k in ("id", "name", "regel") if not group.get(k)]
        problems += [Problem(name, None, f"{where}.{k}", "Pflichtfeld fehlt", k) for k in missing]
        keys = group.get("schluessel") or []
        low, high = group.get("einwohner_von"), group.get("einwohner_bis")
        if not keys and (low is None or high is None):
            problems.append(Problem(name, None, where, "weder Schlüsselliste noch Größenklasse",
                                    "schluessel: [...] oder einwohner_von und einwohner_bis"))
        if missing:
            continue
        base = {"group_id": group["id"], "name": group["name"], "rule": " ".join(str(group["regel"]).split()),
                "min_persons": low, "max_persons": high, "position": pos}
        bad = [k for k in keys if official.area_id_for_key(str(k)) is None]
        problems += [Problem(name, None, f"{where}.schluessel", f"Schlüssel {k!r} nicht lesbar", "z. B. \"05914\"")
                     for k in bad]
        rows += [{**base, "area_id": official.area_id_for_key(str(k))} for k in keys if k not in bad] or \
            [{**base, "area_id": None}]
    return rows, problems


def load(con: duckdb.DuckDBPyConnection, loaded: Loaded, cat: Catalog) -> None:
    """Create and fill the official tables (called after the catalogue is loaded)."""
    con.execute((SQL_DIR / "official_schema.sql").read_text(encoding="utf-8"))
    _frame_insert(con, "official_table", loaded.official.tables)
    _frame_insert(con, "official_value", loaded.official.values)
    _frame_insert(con, "official_unmapped", loaded.official.unmapped)
    _frame_insert(con, "comparison_group", loaded.groups)
    _frame_insert(con, "catalog_addition", [{"file": r["file"], "row": r["row"], "kind": r["art"], "code": r["code"],
                                             "name": r["name"]} for r in loaded.additions.rows])
    kinds = {s["quellenart"]: (s["typ"], s.get("hinweis", "")) for s in (cat.source_kinds if cat else [])}
    for t in loaded.official.tables:
        kinds.setdefault(t["source"], (t["source_kind"] or "fachstatistik", f"Tabelle {t['table_code']}"))
    _frame_insert(con, "source_kind", [{"source": k, "kind": v[0], "note": v[1]} for k, v in sorted(kinds.items())])
    for t in loaded.official.tables:  # describe the flat files in source_file (title, publisher, licence)
        con.execute("update source_file set title = ?, publisher = ?, stand = ?, licence = ?, attribution = ?, "
                    "note = ? where path = ?",
                    [f"{t['title']} (Tabelle {t['table_code']})", t["database"] or "amtliche Statistik", t["stand"],
                     t["licence"], t["attribution"], f"GENESIS-Flat-File, {t['cells']} Werte, davon "
                     f"{t['mapped_cells']} zugeordnet, {t['sign_cells']} Zeichen statt Zahl", t["file"]])


def derive(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((SQL_DIR / "official_derive.sql").read_text(encoding="utf-8"))


def _frame_insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = [c[0] for c in con.execute(f"select * from {table} limit 0").description]  # noqa: S608 - own names
    frame = pd.DataFrame(rows)  # noqa: F841 - read by DuckDB's replacement scan
    quoted = ", ".join(f'"{c}"' for c in columns)
    con.execute(f"insert into {table} ({quoted}) select {quoted} from frame")  # noqa: S608 - own constant names


# ----------------------------------------------------------------------------- preview
def _old(old_db: Path | None, sql: str) -> list[tuple]:
    """Rows of the published database (empty if there is none or it has no official tables yet)."""
    if old_db is None or not Path(old_db).exists():
        return []
    con = duckdb.connect(str(old_db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()


def preview_lines(db: Path, old_db: Path | None = None) -> list[str]:
    """German lines for the preview: per flat file what was read, mapped and not mapped, whether it is new or
    replaces a stored table; areas and catalogue entries that are new against the published database."""
    old_tables = dict(_old(old_db, "select file, cells from official_table"))
    old_areas = {r[0] for r in _old(old_db, "select id from area")}
    old_additions = set(_old(old_db, "select kind, code from catalog_addition"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        lines = []
        for code, file, title, cells, mapped, signs, in_cat, source in con.execute(
                "select table_code, file, title, cells, mapped_cells, sign_cells, in_catalog, source "
                "from official_table order by file").fetchall():
            signs_by = con.execute("select sign, count(*) from official_value where file = ? and sign <> '' "
                                   "group by sign order by sign", [file]).fetchall()
            sign_text = ", ".join(f"„{s}“ {n}×" for s, n in signs_by)
            state = ("neu" if file not in old_tables else
                     "unverändert gespeichert" if old_tables[file] == cells else
                     f"ersetzt die bisherige Datei ({old_tables[file]} Werte)")
            lines.append(f"Amtliche Tabelle {code} ({title}), {file} [{state}]: {cells} Werte gespeichert, davon "
                         f"{mapped} zugeordnet" + (f"; Zeichen statt Zahl: {sign_text} (bleiben Zeichen, nie 0)"
                                                   if signs else "")
                         + f". Quelle: {source}" + ("" if in_cat else " – Tabelle nicht in genesis.yaml, nur gespeichert"))
            for kind, item, label, n in con.execute(
                    "select kind, code, label, cells from official_unmapped where file = ? order by kind, code",
                    [file]).fetchall():
                lines.append(f"  nicht zugeordnet – {kind} {item} ({label}): {n} Werte")
        created = [r[0] for r in con.execute("select id from area where note like '%angelegt aus Tabelle%' "
                                             "order by id").fetchall()]
        new_areas = [a for a in created if a not in old_areas] if old_db else created
        if new_areas:
            lines.append(f"Neue Gebiete aus amtlichen Tabellen: {len(new_areas)} (Kreise und kreisfreie Städte mit "
                         "amtlichem Namen und Schlüssel)")
        additions = [(k, c) for k, c in con.execute("select kind, code from catalog_addition order by kind, code")
                     .fetchall() if (k, c) not in old_additions]
        if additions:
            by_kind: dict[str, list[str]] = {}
            for kind, code in additions:
                by_kind.setdefault(kind, []).append(code)
            lines.append("Neu im Katalog (Katalogergänzung): " + "; ".join(f"{k}: {', '.join(c)}"
                                                                           for k, c in by_kind.items()))
        return lines
    finally:
        con.close()


def gap_report(data_dir: Path) -> catalog_delivery.Gaps:
    """What the staged deliveries name that the catalogue (incl. catalogue deliveries) does not know."""
    from integrationsmonitor.ingest.catalog import load_catalog

    if not (data_dir / "raw").is_dir() or not (data_dir / "catalog").is_dir():
        return catalog_delivery.Gaps()
    cat, _ = load_catalog(data_dir / "catalog")
    paths = [(p, f"raw/{p.name}") for p in sorted((data_dir / "raw").iterdir())
             if p.is_file() and p.suffix.lower() in {".csv", ".xlsx"}]
    deliveries = [(p, rel) for p, rel in paths if catalog_delivery.is_catalog_delivery(p)]
    catalog_delivery.apply_deliveries(deliveries, cat)
    flat = [(p, rel) for p, rel in paths if (p, rel) not in deliveries and genesis.is_ffcsv_file(p)]
    official.load_official(flat, cat, data_dir / "catalog")  # Kreise of the official tables become areas
    rest = [(p, rel) for p, rel in paths if (p, rel) not in deliveries and (p, rel) not in flat]
    return catalog_delivery.find_gaps(rest, cat)


def gap_text(gaps: catalog_delivery.Gaps) -> str:
    if not gaps:
        return ""
    return "\n".join(["Noch nicht im Katalog:", *(f"  - {line}" for line in gaps.lines()), gaps.how_to(),
                      "Vorlage Katalogergänzung:", gaps.template().rstrip("\n")])


def prepare_upload(name: str, data: bytes) -> tuple[str, bytes, list[Problem]]:
    """A GENESIS ZIP is unpacked; a flat file gets the stable name ``genesis_<Tabelle>.csv`` so that a newer
    download of the same table replaces the older one. Other uploads pass unchanged."""
    if data[:4] == b"PK\x03\x04":
        try:
            import io
            import zipfile

            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                is_xlsx = "[Content_Types].xml" in zf.namelist()
        except Exception:  # noqa: BLE001 - the upload check reports a broken archive precisely
            return name, data, []
        if is_xlsx:
            return name, data, []
        result = genesis.unpack_zip(Path(name).name, data)
        if isinstance(result, Problem):
            return name, data, [result]
        inner, data = result
        name = inner if genesis.table_code_from_name(inner)[0] else name
    head = data[:4096].decode("utf-8-sig", errors="replace")
    if genesis.is_ffcsv_header(head.splitlines()[0] if head else ""):
        code, _ = genesis.table_code_from_name(name)
        if code:
            return f"genesis_{code}.csv", data, []
    return name, data, []
