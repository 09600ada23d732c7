"""Read delivered statistics (CSV or XLSX, German conventions) into plain rows of text cells.

Every file is decoded, split and checked against one of the known formats; all problems are
collected with file, row and column. Parsing of the cell values happens in ``parsing``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from integrationsmonitor import config, formatting
from integrationsmonitor.problems import Problem

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Format:
    """A delivery format: its columns, key, and its number convention."""

    name: str
    columns: tuple[str, ...]
    decimal: str  # "," (German) or "." (point, as in the shared published-figures files)
    description: str


PUBLISHED = Format(
    "veroeffentlicht",
    ("figure_id", "area", "period", "measure", "nationality", "value", "unit", "source_kind", "source_url", "note"),
    ".",
    "Veröffentlichte Einzelzahlen mit Quelle je Zeile (Dezimalpunkt, Datum ISO)",
)
POPULATION = Format(
    "bevoelkerung",
    ("gebiet", "stichtag", "staatsangehoerigkeit", "altersgruppe", "geschlecht", "personen", "quelle", "beispieldaten"),
    ",",
    "Bevölkerung nach Gebiet, Stichtag, Staatsangehörigkeit, Altersgruppe und Geschlecht",
)
OBSERVATIONS = Format(
    "indikatoren",
    ("indikator", "gebiet", "stichtag", "staatsangehoerigkeit", "wert", "zaehler", "nenner", "quelle", "hinweis",
     "beispieldaten"),
    ",",
    "Indikatorwerte im Langformat (ein Wert je Indikator, Gebiet, Stichtag, Staatsangehörigkeit)",
)
FORMATS = (PUBLISHED, POPULATION, OBSERVATIONS)


@dataclass
class RawTable:
    """The text cells of one delivered file, with the line number of each row."""

    file: str
    format: Format
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # XLSX cells with a percent number format (line, column): Excel shows 24,1 %, the cell holds 0,241; the
    # reader has already multiplied by 100, the record parser refuses them where the unit is not "%"
    percent_cells: set[tuple[int, str]] = field(default_factory=set)


def normalise_header(name: str) -> str:
    """Header cells compare case-, space- and umlaut-insensitively ("Staatsangehörigkeit" = staatsangehoerigkeit)."""
    text = name.strip().strip('"').casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"\s+", "_", text)


def read_table(path: Path, display_name: str | None = None) -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV or XLSX file; returns (table or None, problems)."""
    name = display_name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(name, None, None, f"Datei nicht lesbar: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [Problem(name, None, None, f"Datei ist {size / 1e6:.1f} MB groß", "höchstens 20 MB")]
    if size == 0:
        return None, [Problem(name, None, None, "Datei ist leer", "eine Kopfzeile und mindestens eine Datenzeile")]
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, name)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return None, [Problem(name, None, None, "Endung .xlsx, aber der Inhalt ist keine Excel-Datei", "XLSX (ZIP-Container)")]
    return _read_csv(data, name)


def decode(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (with or without BOM), else Windows-1252; UTF-16 and binary content are refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        return None, [Problem(name, None, None, "Datei ist UTF-16 kodiert oder binär", "Text in UTF-8 oder Windows-1252")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data.startswith(b"\xef\xbb\xbf"):
            line = data.count(b"\n", 0, exc.start) + 1
            guess = " (vermutlich Windows-1252)" if _is_cp1252(data[3:]) else ""
            return None, [Problem(name, line, None, "Datei beginnt mit der UTF-8-Kennung (BOM), ist aber nicht "
                                  f"UTF-8 kodiert: Byte 0x{data[exc.start]:02X} in Zeile {line}{guess}",
                                  "durchgehend UTF-8, oder Windows-1252 ohne BOM")]
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            return None, [Problem(name, None, None, f"Zeichenkodierung unbekannt (Byte {exc.start})", "UTF-8 oder Windows-1252")]
    problems = []
    mojibake = re.search(r"Ã[¤¶¼„–œŸ©ƒ]|â€", text)
    if mojibake:
        line = text.count("\n", 0, mojibake.start()) + 1
        problems.append(
            Problem(name, line, None, f"Zeichen {mojibake.group()!r} sehen doppelt kodiert aus",
                    "Umlaute einmal in UTF-8 oder Windows-1252 kodiert")
        )
    return text, problems


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _too_many_rows(name: str, detail: str) -> Problem:
    limit = formatting.number(config.max_rows())
    return Problem(name, None, None, f"Datei hat mehr als {limit} Datenzeilen ({detail})",
                   f"höchstens {limit} Zeilen je Datei (IMH_MAX_ZEILEN); größere Lieferungen aufteilen")


def _read_csv(data: bytes, name: str) -> tuple[RawTable | None, list[Problem]]:
    text, problems = decode(data, name)
    if text is None:
        return None, problems
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return None, problems + [Problem(name, 1, None, "Kopfzeile fehlt", "Spaltennamen getrennt durch ';'")]
    header_line = lines[0]
    if ";" not in header_line:
        for sep, label in ((",", "Komma"), ("\t", "Tabulator"), ("|", "senkrechter Strich")):
            if sep in header_line:
                return None, problems + [Problem(name, 1, None, f"Trennzeichen ist {label}", "Semikolon ';'")]
    if len(lines) - 1 > config.max_rows():
        return None, problems + [_too_many_rows(name, f"{formatting.number(len(lines) - 1)} Zeilen unter der Kopfzeile")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=False)
    try:
        records = list(reader)
    except csv.Error as exc:
        return None, problems + [Problem(name, reader.line_num, None, f"CSV nicht lesbar: {exc}")]
    return _to_table(records, name, problems)


def check_xlsx_container(data: bytes, name: str) -> list[Problem]:
    """Refuse a zip bomb before any XML is parsed: the ZIP directory states every member's uncompressed size,
    and the sheet's ``<dimension>`` its row count (both are read without unpacking the sheet)."""
    limit = config.xlsx_max_unpacked_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            if unpacked > limit:
                return [Problem(name, None, None, f"Excel-Datei entpackt {formatting.number(unpacked / 1e6)} MB "
                                f"groß ({formatting.number(len(data) / 1e6, 1)} MB gepackt)",
                                f"höchstens {limit // (1024 * 1024)} MB entpackt (IMH_XLSX_MAX_ENTPACKT_MB)")]
            sheets = sorted(i.filename for i in infos if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", i.filename))
            if sheets:
                with zf.open(sheets[0]) as fh:
                    head = fh.read(4096).decode("utf-8", "replace")
                m = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
                if m and int(m.group(1)) - 1 > config.max_rows():
                    rows = formatting.number(int(m.group(1)) - 1)
                    return [_too_many_rows(name, f"laut Tabellenbereich {rows} Zeilen unter der Kopfzeile")]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        return [Problem(name, None, None, f"Excel-Datei nicht lesbar ({type(exc).__name__})", "gültige XLSX-Datei")]
    return []


def _read_xlsx(data: bytes, name: str) -> tuple[RawTable | None, list[Problem]]:
    problems = check_xlsx_container(data, name)
    if problems:
        return None, problems
    import openpyxl  # imported lazily: only XLSX deliveries need it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        return None, [Problem(name, None, None, f"Excel-Datei nicht lesbar ({type(exc).__name__})", "gültige XLSX-Datei")]
    records: list[list[str]] = []
    percent: set[tuple[int, int]] = set()
    try:
        sheet = wb.worksheets[0]
        sheet.reset_dimensions()  # read every row, also past a <dimension> that claims fewer (rows are counted)
        for line_no, row in enumerate(sheet.iter_rows(), start=1):
            if line_no > config.max_rows() + 1:  # a sheet without (or with a false) <dimension>
                return None, [_too_many_rows(name, "Lesen nach dieser Zeilenzahl abgebrochen")]
            cells = []
            for col, cell in enumerate(row):
                value = getattr(cell, "value", None)
                if _is_percent(cell, value):
                    percent.add((line_no, col))
                    value = round(value * 100, 10)
                cells.append(_xlsx_cell(value))
            records.append(cells)
    except Exception as exc:  # noqa: BLE001 - broken XML inside a valid ZIP
        return None, [Problem(name, None, None, f"Excel-Datei nicht lesbar ({type(exc).__name__})", "gültige XLSX-Datei")]
    finally:
        wb.close()
    while records and not any(records[-1]):
        records.pop()
    if not records:
        return None, [Problem(name, None, None, "Excel-Tabelle ist leer", "eine Kopfzeile und mindestens eine Datenzeile")]
    table, problems = _to_table(records, name, [], from_xlsx=True)
    if table is not None:
        header = [normalise_header(c) for c in records[0]]
        table.percent_cells = {(line, header[col]) for line, col in percent if col < len(header)}
    return table, problems


def _is_percent(cell: object, value: object) -> bool:
    """A number shown with a percent format ('0.0%', '0%'; the % outside quoted text)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    fmt = re.sub(r'"[^"]*"|\\.', "", str(getattr(cell, "number_format", "") or ""))
    return "%" in fmt


def _xlsx_cell(value: object) -> str:
    """Render an Excel cell as the text a CSV delivery would contain (decimals marked with '\x00' for later)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", "\x00")
    return str(value)


def _to_table(records: list[list[str]], name: str, problems: list[Problem], from_xlsx: bool = False):
    header = [normalise_header(c) for c in records[0]]
    fmt, header_problems = _match_format(header, name)
    problems = problems + header_problems
    if fmt is None:
        return None, problems
    table = RawTable(name, fmt)
    width = len(header)
    if len(records) < 2:
        problems.append(Problem(name, None, None, "keine Datenzeilen", "mindestens eine Zeile unter der Kopfzeile"))
    elif not any(cell.strip() for record in records[1:] for cell in record):
        problems.append(Problem(name, None, None, f"keine Datenzeilen: unter der Kopfzeile {len(records) - 1} "
                                "leere Zeile(n)", "mindestens eine ausgefüllte Zeile unter der Kopfzeile"))
    for line_no, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != width:
            problems.append(
                Problem(name, line_no, None, f"Zeile hat {len(record)} Felder", f"{width} Felder wie die Kopfzeile")
            )
            continue
        cells = {col: cell.strip() for col, cell in zip(header, record, strict=False)}
        if from_xlsx:
            cells = {k: v.replace("\x00", fmt.decimal) for k, v in cells.items()}
        table.rows.append((line_no, cells))
    return table, problems


def _match_format(header: list[str], name: str) -> tuple[Format | None, list[Problem]]:
    best = max(FORMATS, key=lambda f: len(set(f.columns) & set(header)))
    overlap = set(best.columns) & set(header)
    if len(overlap) < 3:
        known = "; ".join(f"{f.name}: {', '.join(f.columns)}" for f in FORMATS)
        return None, [Problem(name, 1, None, "Kopfzeile passt zu keinem bekannten Format", known)]
    problems = []
    duplicates = {c for c in header if header.count(c) > 1}
    for col in sorted(duplicates):
        problems.append(Problem(name, 1, col, "Spalte kommt mehrfach vor", "jede Spalte genau einmal"))
    missing = [c for c in best.columns if c not in header]
    extra = [c for c in header if c not in best.columns]
    for col in missing:
        problems.append(Problem(name, 1, col, f"Spalte fehlt (Format {best.name})", ", ".join(best.columns)))
    for col in extra:
        problems.append(Problem(name, 1, col or "(leer)", f"unbekannte Spalte (Format {best.name})", ", ".join(best.columns)))
    return (None if problems else best), problems
