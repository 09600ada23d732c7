"""Read GENESIS flat-file CSV ("ffcsv") of the statistical offices into typed cells.

The format (Regionalstatistik, Landesdatenbank NRW, GENESIS-Online, Zensus 2022 database): ``;``-separated,
UTF-8 with BOM, one row per value, columns ``statistics_code; statistics_label; time_code; time_label; time;``
then per variable ``N_variable_code; N_variable_label; N_variable_attribute_code; N_variable_attribute_label``
(any number of variables), then ``value; value_unit; value_variable_code; value_variable_label`` and, where
quality signs were requested, ``value_q``. The column names are the same in the German and the English download;
labels differ (``Stichtag``/``Reference date``, ``männlich``/``male``), codes do not. German values use a decimal
comma, English ones a decimal point; neither uses thousands separators.

Values may be replaced by the offices' signs (``-`` nothing, ``.`` unknown or secret, ``x`` not meaningful,
``/`` too uncertain, ``…`` or ``...`` not yet available). A sign is kept exactly as delivered (``sign``) and the
number is ``None`` — never 0. Time is a date (``STAG``), a year (``JAHR``, read as 31.12.) or another period code
(kept as text; ``period`` is then the end of the period where it can be read, else ``None``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from integrationsmonitor.ingest.readers import MAX_FILE_BYTES, decode
from integrationsmonitor.problems import Problem

HEAD = ("statistics_code", "statistics_label", "time_code", "time_label", "time")
TAIL = ("value", "value_unit", "value_variable_code", "value_variable_label")
QUALITY = "value_q"
VARIABLE_PARTS = ("variable_code", "variable_label", "variable_attribute_code", "variable_attribute_label")
VARIABLE_COLUMN = re.compile(r"^(\d+)_(variable_code|variable_label|variable_attribute_code|variable_attribute_label)$")
#: the offices' signs instead of a number (GENESIS "Zeichenerklärung")
SIGNS = {
    "-": "nichts vorhanden (genau null) bzw. keine Angabe",
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "x": "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    "/": "keine Angabe, da Zahlenwert nicht sicher genug",
    "…": "Angabe fällt später an",
    "...": "Angabe fällt später an",
}
GERMAN_TIME_LABELS = {"stichtag", "jahr", "semester", "quartal", "monat", "halbjahr", "schuljahr", "zeit",
                      "wintersemester", "sommersemester", "berichtszeitraum"}
ENGLISH_TIME_LABELS = {"reference date", "year", "semester", "quarter", "month", "half-year", "half year",
                       "school year", "time", "reference period"}
INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
DECIMAL_POINT = re.compile(r"^[+-]?\d+\.\d+$")
FILE_NAME = re.compile(r"^(?P<code>[0-9A-Z]+(?:-[0-9A-Z]+)+)(?:_\d+)?(?:_(?P<lang>de|en))?_flat", re.IGNORECASE)
STABLE_NAME = re.compile(r"^genesis_(?P<code>[0-9A-Z]+(?:-[0-9A-Z]+)+)\.csv$", re.IGNORECASE)


@dataclass(frozen=True)
class Variable:
    """One classifying variable of the table (``N_variable_*``) and the attribute a cell has on it."""

    code: str
    label: str
    attribute_code: str
    attribute_label: str


@dataclass(slots=True)
class Cell:
    """One value of the flat file: a number or a sign, with its time, variables and value variable."""

    row: int
    time_code: str
    time: str
    period: dt.date | None
    variables: tuple[Variable, ...]
    value: float | None
    sign: str
    unit: str
    value_variable_code: str
    value_variable_label: str
    quality: str

    @property
    def shown(self) -> str:
        """The value as delivered: the sign, or the number without a trailing ',0'."""
        if self.sign:
            return self.sign
        return format(self.value, "g") if self.value is not None else ""


@dataclass
class GenesisTable:
    """A read flat file: what the header says, and every cell (signs included)."""

    file: str
    table_code: str | None
    language: str | None  # 'de', 'en' or None (not recognisable)
    statistics_code: str = ""
    statistics_label: str = ""
    variable_count: int = 0
    has_quality: bool = False
    cells: list[Cell] = field(default_factory=list)

    @property
    def variable_codes(self) -> list[str]:
        """Codes of the classifying variables, in column order (from the first cell)."""
        return [v.code for v in self.cells[0].variables] if self.cells else []

    @property
    def value_variables(self) -> dict[str, str]:
        return {c.value_variable_code: c.value_variable_label for c in self.cells}


# ----------------------------------------------------------------------------- detection
def is_ffcsv_header(first_line: str) -> bool:
    """True for the header of a GENESIS flat file (checked on column names, never on the file name)."""
    names = {c.strip().strip('"').lstrip("\ufeff").casefold() for c in first_line.split(";")}
    return {"statistics_code", "time_code", "value", "value_variable_code"} <= names


def is_ffcsv_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    text = head.decode("utf-8-sig", errors="replace")
    return is_ffcsv_header(text.splitlines()[0] if text else "")


def table_code_from_name(name: str) -> tuple[str | None, str | None]:
    """(table code, language) from a download's file name like ``12411-01-01-4_1773175772751_de_flat.csv``."""
    m = FILE_NAME.match(Path(name).name) or STABLE_NAME.match(Path(name).name)
    if not m:
        return None, None
    if "lang" not in m.groupdict():
        return m.group("code").upper(), None
    return m.group("code").upper(), (m.group("lang") or "").lower() or None


def unpack_zip(name: str, data: bytes, limit: int = MAX_FILE_BYTES) -> tuple[str, bytes] | Problem:
    """The flat file inside the ZIP archive the interface answers with (exactly one ``*.csv``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [i for i in zf.infolist() if i.filename.lower().endswith(".csv") and not i.is_dir()]
            if len(members) != 1:
                return Problem(name, None, None, f"ZIP-Archiv enthält {len(members)} CSV-Dateien",
                               "genau eine Flat-File-CSV-Datei (…_flat.csv)")
            info = members[0]
            if info.file_size > limit:
                return Problem(name, None, None, f"entpackte Datei {info.filename} ist {info.file_size / 1e6:.1f} MB "
                               "groß", f"höchstens {limit // (1024 * 1024)} MB")
            with zf.open(info) as fh:
                content = fh.read(limit + 1)
            if len(content) > limit:
                return Problem(name, None, None, "entpackte Datei ist größer als angegeben", "ein unbeschädigtes ZIP")
            return Path(info.filename).name, content
    except (zipfile.BadZipFile, NotImplementedError, OSError) as exc:
        return Problem(name, None, None, f"ZIP-Archiv nicht lesbar ({exc})", "ZIP-Archiv der GENESIS-Schnittstelle")


# ----------------------------------------------------------------------------- reading
def read_genesis(path: Path, display_name: str | None = None) -> tuple[GenesisTable | None, list[Problem]]:
    """Read one flat file; returns (table or None, problems with file:row:column)."""
    name = display_name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(name, None, None, f"Datei ist {size / 1e6:.1f} MB groß", "höchstens 20 MB")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, None, None, f"Datei nicht lesbar: {exc.strerror}")]
    return parse_genesis(data, name, source_name=path.name)


def parse_genesis(data: bytes, name: str, source_name: str | None = None) -> tuple[GenesisTable | None, list[Problem]]:
    text, problems = decode(data, name)
    if text is None:
        return None, problems
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    try:
        records = list(reader)
    except csv.Error as exc:
        return None, problems + [Problem(name, reader.line_num, None, f"CSV nicht lesbar: {exc}")]
    if not records:
        return None, problems + [Problem(name, 1, None, "Kopfzeile fehlt", "Flat-File-CSV mit statistics_code; …")]
    header = [c.strip().lstrip("\ufeff").casefold() for c in records[0]]
    layout, header_problems = _layout(header, name)
    problems += header_problems
    if layout is None:
        return None, problems
    code, lang = table_code_from_name(source_name or name)
    table = GenesisTable(name, code, lang, variable_count=len(layout.variables), has_quality=layout.quality is not None)
    body = [(n, r) for n, r in enumerate(records[1:], start=2) if len(r) > 1 or (r and r[0].strip())]
    if not body:
        return None, problems + [Problem(name, None, None, "keine Datenzeilen", "mindestens eine Zeile unter der Kopfzeile")]
    table.statistics_code = body[0][1][layout.index["statistics_code"]].strip() if len(body[0][1]) == len(header) else ""
    table.statistics_label = body[0][1][layout.index["statistics_label"]].strip() if table.statistics_code else ""
    if table.language is None:
        table.language = _language(body, layout)
    seen: dict[tuple, int] = {}
    variables: dict[tuple[str, ...], Variable] = {}  # a few thousand distinct attributes, shared by all cells
    for line_no, record in body:
        cell, row_problems = _cell(record, line_no, layout, table, variables)
        problems += row_problems
        if cell is None:
            continue
        key = (cell.time, cell.value_variable_code, *map(id, cell.variables))  # variables are shared objects
        first = seen.setdefault(key, line_no)
        if first != line_no:
            problems.append(Problem(name, line_no, None, f"doppelte Zelle – dieselbe Zeit, dieselben Merkmale und "
                                    f"dasselbe Wertmerkmal schon in Zeile {first}", "jede Zelle genau einmal"))
            continue
        table.cells.append(cell)
    return table, problems


@dataclass(frozen=True)
class _Layout:
    index: dict[str, int]
    variables: list[tuple[int, int, int, int]]  # column positions of code, label, attribute code, attribute label
    quality: int | None
    width: int


def _layout(header: list[str], name: str) -> tuple[_Layout | None, list[Problem]]:
    problems: list[Problem] = []
    index: dict[str, int] = {}
    groups: dict[int, dict[str, int]] = {}
    for pos, col in enumerate(header):
        m = VARIABLE_COLUMN.match(col)
        if m:
            groups.setdefault(int(m.group(1)), {})[m.group(2)] = pos
        elif col in (*HEAD, *TAIL, QUALITY):
            if col in index:
                problems.append(Problem(name, 1, col, "Spalte kommt mehrfach vor", "jede Spalte genau einmal"))
            index[col] = pos
        else:
            problems.append(Problem(name, 1, col or "(leer)", "unbekannte Spalte im GENESIS-Flat-File",
                                    "statistics_code … time, N_variable_code …, value, value_unit, value_variable_code, "
                                    "value_variable_label, value_q"))
    for col in (*HEAD, *TAIL):
        if col not in index:
            problems.append(Problem(name, 1, col, "Spalte fehlt (GENESIS-Flat-File)", ", ".join((*HEAD, *TAIL))))
    variables = []
    for number in sorted(groups):
        parts = groups[number]
        missing = [p for p in VARIABLE_PARTS if p not in parts]
        for part in missing:
            problems.append(Problem(name, 1, f"{number}_{part}", f"Spalte fehlt zu Merkmal {number}",
                                    ", ".join(f"{number}_{p}" for p in VARIABLE_PARTS)))
        if not missing:
            variables.append(tuple(parts[p] for p in VARIABLE_PARTS))
    if sorted(groups) != list(range(1, len(groups) + 1)):
        problems.append(Problem(name, 1, None, f"Merkmale nicht lückenlos nummeriert: {sorted(groups)}",
                                "1_variable_…, 2_variable_…, … ohne Lücke"))
    if problems:
        return None, problems
    return _Layout(index, variables, index.get(QUALITY), len(header)), []


def _language(body: list[tuple[int, list[str]]], layout: _Layout) -> str | None:
    labels = {r[layout.index["time_label"]].strip().casefold() for _, r in body[:50] if len(r) == layout.width}
    if labels & GERMAN_TIME_LABELS:
        return "de"
    if labels & ENGLISH_TIME_LABELS:
        return "en"
    return None


def _cell(record: list[str], line_no: int, layout: _Layout, table: GenesisTable,
          cache: dict[tuple[str, ...], Variable]) -> tuple[Cell | None, list[Problem]]:
    name = table.file
    if len(record) != layout.width:
        return None, [Problem(name, line_no, None, f"Zeile hat {len(record)} Felder", f"{layout.width} Felder wie die "
                              "Kopfzeile")]
    cells = [c.strip() for c in record]
    problems: list[Problem] = []
    ix = layout.index
    if cells[ix["statistics_code"]] != table.statistics_code:
        problems.append(Problem(name, line_no, "statistics_code", f"andere Statistik {cells[ix['statistics_code']]!r}",
                                f"{table.statistics_code!r} wie in der ersten Zeile (eine Statistik je Datei)"))
    value, sign, problem = parse_value(cells[ix["value"]], table.language)
    if problem:
        problems.append(Problem(name, line_no, "value", problem[0], problem[1]))
    period, problem = parse_time(cells[ix["time_code"]], cells[ix["time"]])
    if problem:
        problems.append(Problem(name, line_no, "time", problem[0], problem[1]))
    for pos in (ix["value_variable_code"],):
        if not cells[pos]:
            problems.append(Problem(name, line_no, "value_variable_code", "Wertmerkmal fehlt", "Code wie BEVSTD"))
    if problems:
        return None, problems
    variables = []
    for c, lbl, ac, al in layout.variables:
        key = (cells[c], cells[lbl], cells[ac], cells[al])
        var = cache.get(key)
        if var is None:
            var = cache[key] = Variable(*key)
        variables.append(var)
    variables = tuple(variables)
    return Cell(line_no, cells[ix["time_code"]], cells[ix["time"]], period, variables, value, sign,
                cells[ix["value_unit"]], cells[ix["value_variable_code"]], cells[ix["value_variable_label"]],
                cells[layout.quality] if layout.quality is not None else ""), []


def parse_value(text: str, language: str | None) -> tuple[float | None, str, tuple[str, str] | None]:
    """(number, sign, problem). A sign gives (None, sign, None); a number ('' as sign); else a problem."""
    s = text.strip()
    if s in SIGNS:
        return None, s, None
    if not s:
        return None, "", ("Wert fehlt", "eine Zahl oder ein Zeichen der amtlichen Statistik (-, ., x, /, …)")
    if INTEGER.match(s):
        return float(s), "", None
    if DECIMAL_COMMA.match(s):
        if language == "en":
            return None, "", (f"Dezimalkomma {text!r} in einer englischen Datei", "Dezimalpunkt, z. B. 12.5")
        return float(s.replace(",", ".")), "", None
    if DECIMAL_POINT.match(s):
        if language == "de":
            return None, "", (f"Punkt in {text!r} in einer deutschen Datei (Tausenderpunkt oder Dezimalpunkt?)",
                              "Dezimalkomma ohne Tausendertrennzeichen, z. B. 12,5")
        return float(s), "", None
    return None, "", (f"weder Zahl noch Zeichen der amtlichen Statistik: {text!r}",
                      "eine Zahl ohne Tausendertrennzeichen oder eines der Zeichen -, ., x, /, …")


QUARTER = re.compile(r"^(\d{4})[-_ ]?(?:Q|QU|QUART)(\d)$", re.IGNORECASE)
HALF = re.compile(r"^(\d{4})[-_ ]?(?:S|H|HJ|HJAHR)(\d)$", re.IGNORECASE)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^\d{4}$")
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_time(time_code: str, text: str) -> tuple[dt.date | None, tuple[str, str] | None]:
    """The end date of the period: STAG a date, JAHR 31.12., quarters/halves/months their last day.

    Other period codes (e.g. school years) give ``None`` without a problem; they are kept as text."""
    s = text.strip()
    code = time_code.strip().upper()
    try:
        if m := ISO.match(s):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        if m := GERMAN.match(s):
            return dt.date(int(m[3]), int(m[2]), int(m[1])), None
        if code == "STAG":
            return None, (f"Stichtag {text!r} ist kein Datum", "JJJJ-MM-TT wie 2024-12-31")
        if YEAR.match(s):
            return dt.date(int(s), 12, 31), None
        if m := MONTH.match(s):
            return _month_end(int(m[1]), int(m[2])), None
        if m := QUARTER.match(s):
            return _month_end(int(m[1]), 3 * int(m[2])), None
        if m := HALF.match(s):
            return _month_end(int(m[1]), 6 * int(m[2])), None
    except ValueError:
        return None, (f"unmögliches Datum {text!r}", "ein Kalenderdatum, z. B. 2024-12-31")
    if code == "JAHR":
        return None, (f"Jahr {text!r} ist keine Jahreszahl", "JJJJ wie 2019")
    if not s:
        return None, ("Zeitangabe fehlt", "Datum, Jahr oder Zeitraum")
    return None, None


def _month_end(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(month)
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)
