"""GENESIS flat files (issue 15 §1–2): reader, signs, languages, variables, mapping, areas, precise messages.

Expectations come from the files themselves (counted by hand with awk on the shipped download) and from the
statistical offices' published totals, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import DB_NAME
from conftest import db_rows as _q

from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.ingest import genesis
from integrationsmonitor.problems import ValidationError

FIX = Path(__file__).parent / "fixtures" / "genesis"
SHIPPED = REPO_ROOT / "data" / "raw" / "genesis_12411-01-01-4.csv"
TODAY = dt.date(2026, 11, 25)
HEAD = ("statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
        "1_variable_attribute_code;1_variable_attribute_label;{more}value;value_unit;value_variable_code;"
        "value_variable_label{q}\n")
SOURCE = "IT.NRW/Destatis Fortschreibung (Regionalstatistik 12411-01-01-4, Stand 31.03.2025)"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text("\ufeff" + text, encoding="utf-8")
    return path


def _cells(table, key: str, sex: str = "") -> list[genesis.Cell]:
    return [c for c in table.cells if c.variables[0].attribute_code == key and c.variables[1].attribute_code == sex]


# ----------------------------------------------------------------------------- the reader
def test_shipped_download_is_read_completely_with_signs_kept():
    table, problems = genesis.read_genesis(SHIPPED)
    assert problems == []
    assert table.language == "de" and table.statistics_code == "12411" and table.table_code == "12411-01-01-4"
    assert len(table.cells) == 1467  # wc -l minus the header
    assert table.variable_codes == ["KREISE", "GES"]
    hagen = _cells(table, "05914")
    assert [c.value for c in hagen] == [190384.0] and hagen[0].period == dt.date(2024, 12, 31)
    assert hagen[0].unit == "Anzahl" and hagen[0].value_variable_code == "BEVSTD"
    signs = [c for c in table.cells if c.sign]
    assert len(signs) == 222 and {c.sign for c in signs} == {"-"}  # awk: 222 values "-"
    assert all(c.value is None for c in signs)  # a sign is never 0
    aachen_alt = _cells(table, "05313")[0]
    assert aachen_alt.shown == "-" and aachen_alt.value is None


def test_english_labels_same_codes_same_numbers():
    de, p1 = genesis.read_genesis(FIX / "12411-01-01-4_de_flat.csv")
    en, p2 = genesis.read_genesis(FIX / "12411-01-01-4_en_flat.csv")
    assert p1 == p2 == []
    assert (de.language, en.language) == ("de", "en")
    key = lambda c: (c.variables[0].attribute_code, c.variables[1].attribute_code)  # noqa: E731
    assert {key(c): c.value for c in de.cells} == {key(c): c.value for c in en.cells}
    assert {c.variables[1].attribute_label for c in en.cells} == {"male", "female", "Total"}
    assert _cells(en, "05914")[0].value == 190384.0 and _cells(en, "05914", "GESW")[0].value == 96656.0


def test_quality_column_is_kept():
    table, problems = genesis.read_genesis(FIX / "12211-Z-11_de_flat.csv")
    assert problems == [] and table.has_quality
    borken = next(c for c in table.cells if c.variables[0].attribute_code == "05554"
                  and c.variables[1].attribute_code == "LB-INS")
    assert (borken.value, borken.quality, borken.unit) == (166.0, "e", "1000")  # unit as given: thousands
    assert table.cells[0].period == dt.date(2019, 12, 31)  # JAHR 2019 → 31.12.2019


def test_values_that_are_only_signs():
    table, problems = genesis.read_genesis(FIX / "73111-01-01-4_de_flat.csv")
    assert problems == []
    assert [c.sign for c in table.cells] == ["-", ".", "x", "/", "…", "..."] * 2
    assert all(c.value is None for c in table.cells)
    assert [c.shown for c in table.cells[:6]] == ["-", ".", "x", "/", "…", "..."]
    assert {c.unit for c in table.cells} == {"Anzahl", "Tsd. EUR"}


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("10,4", "de", 10.4), ("10.4", "en", 10.4), ("-3", "de", -3.0), ("0", "en", 0.0), ("10,4", None, 10.4),
])
def test_numbers_per_language(text, language, expected):
    assert genesis.parse_value(text, language) == (expected, "", None)


@pytest.mark.parametrize(("text", "language", "fragment"), [
    ("10.4", "de", "Punkt in '10.4' in einer deutschen Datei"),
    ("10,4", "en", "Dezimalkomma '10,4' in einer englischen Datei"),
    ("n.v.", "de", "weder Zahl noch Zeichen"),
    ("", "de", "Wert fehlt"),
])
def test_bad_numbers_are_named(text, language, fragment):
    value, sign, problem = genesis.parse_value(text, language)
    assert value is None and sign == "" and fragment in problem[0]


@pytest.mark.parametrize(("code", "text", "expected"), [
    ("STAG", "2024-12-31", dt.date(2024, 12, 31)), ("STAG", "31.12.2024", dt.date(2024, 12, 31)),
    ("JAHR", "2011", dt.date(2011, 12, 31)), ("SEMEST", "2023-S1", dt.date(2023, 6, 30)),
    ("QUARTG", "2024-Q3", dt.date(2024, 9, 30)), ("MONAT", "2024-02", dt.date(2024, 2, 29)),
    ("SCHJAHR", "2022/23", None),
])
def test_time_codes(code, text, expected):
    assert genesis.parse_time(code, text) == (expected, None)


def test_four_variables_and_precise_messages(tmp_path):
    more = ("2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;"
            "3_variable_code;3_variable_label;3_variable_attribute_code;3_variable_attribute_label;"
            "4_variable_code;4_variable_label;4_variable_attribute_code;4_variable_attribute_label;")
    row = ("12521;Ausländerstatistik;STAG;Stichtag;2023-12-31;KREISE;Kreise und kreisfreie Städte;05914;"
           "Hagen, kreisfreie Stadt;GES;Geschlecht;GESW;weiblich;STAAG;Staatsangehörigkeit;STAAG-RO;Rumänien;"
           "ALTX20;Altersgruppen;{a};Altersgruppe {a};{v};Anzahl;BEVSTD;Bevölkerungsstand;{q}\n")
    text = HEAD.format(more=more, q=";value_q") + row.format(a="ALT000B18", v="512", q="e") + \
        row.format(a="ALT018UM", v="5,12", q="p") + row.format(a="ALT065UM", v="12", q="e").replace("12521;", "12411;") \
        + "12521;zu kurz\n" + row.format(a="", v="/", q="") + row.format(a="ALT000B18", v="7", q="e")
    table, problems = genesis.read_genesis(_write(tmp_path, "12521-01-01-4_de_flat.csv", text))
    assert table.variable_codes == ["KREISE", "GES", "STAAG", "ALTX20"]
    assert [(c.value, c.sign, c.quality) for c in table.cells] == [(512.0, "", "e"), (5.12, "", "p"), (None, "/", "")]
    where = {(p.row, p.column): p.message for p in problems}
    assert where[(4, "statistics_code")].startswith("andere Statistik '12411'")
    assert where[(5, None)] == "Zeile hat 2 Felder"
    assert where[(7, None)].endswith("schon in Zeile 2")  # the same cell twice
    assert all(p.file == "12521-01-01-4_de_flat.csv" for p in problems)


def test_header_problems_name_the_column(tmp_path):
    text = HEAD.format(more="2_variable_code;2_variable_label;", q="").replace("value_unit;", "einheit;")
    table, problems = genesis.read_genesis(_write(tmp_path, "x_flat.csv", text + "1;2;3\n"))
    assert table is None
    msgs = {(p.row, p.column, p.message) for p in problems}
    assert (1, "einheit", "unbekannte Spalte im GENESIS-Flat-File") in msgs
    assert (1, "value_unit", "Spalte fehlt (GENESIS-Flat-File)") in msgs
    assert (1, "2_variable_attribute_code", "Spalte fehlt zu Merkmal 2") in msgs


def test_zip_answer_of_the_interface_is_unpacked(tmp_path):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("12411-01-01-4_de_flat.csv", SHIPPED.read_bytes())
    name, data = genesis.unpack_zip("answer.zip", buf.getvalue())
    assert name == "12411-01-01-4_de_flat.csv" and data == SHIPPED.read_bytes()
    too_big = genesis.unpack_zip("answer.zip", buf.getvalue(), limit=1000)
    assert isinstance(too_big, genesis.Problem) and "MB groß" in too_big.message


# ----------------------------------------------------------------------------- mapping in the build
@pytest.fixture(scope="module")
def official_db(data_template) -> Path:
    """The repository's data plus the English fixture of another table code and the sign-only table (read only)."""
    extra = {"genesis_73111-01-01-4.csv": FIX / "73111-01-01-4_de_flat.csv",
             "genesis_12211-Z-11.csv": FIX / "12211-Z-11_de_flat.csv"}
    return data_template(extra=extra, today=TODAY) / DB_NAME


def test_official_population_of_hagen_nrw_and_germany(official_db):
    rows = _q(official_db, "select area_id, value, is_derived from observation where indicator_id = 'einwohner' "
                           "and period = '2024-12-31' and source = ? and area_id in ('05914000', '05', 'DG', "
                           "'05916000') order by area_id", [SOURCE])
    # Hagen from the file; NRW = 53 Kreise (18.034.454) and Germany = 400 Kreise (83.577.140, Destatis' total)
    assert rows == [("05", 18034454.0, True), ("05914000", 190384.0, False), ("05916000", 155851.0, False),
                    ("DG", 83577140.0, True)]


def test_kreise_become_comparison_areas_with_official_name_and_key(official_db):
    rows = dict((r[0], r[1:]) for r in _q(official_db, "select id, level, name, official_code, parent_id from area "
                                                       "where id in ('05916000', '05962000', '05334002', 'DG', '05913000')"))
    assert rows["05916000"] == ("vergleichsstadt", "Herne", "05916", "05")
    assert rows["05962000"] == ("kreis", "Märkischer Kreis", "05962", "05")
    assert rows["05334002"] == ("vergleichsstadt", "Aachen", "05334002", "05")
    assert rows["DG"][:2] == ("bund", "Deutschland")
    assert rows["05913000"][1] == "Dortmund"  # curated entry of gebiete.csv is kept, not duplicated
    # every five-digit NRW key of the table is an area: 53 Kreise + 2 historical keys (awk over the download)
    assert _q(official_db, "select count(*) from area where id similar to '05[0-9]{3}000'")[0][0] == 55


def test_signs_stored_as_such_and_sex_kept(official_db):
    assert _q(official_db, "select value, sign, mapped from official_value where region_key = '05313' "
                           "and attributes like 'GES=_T%'") == [(None, "-", True)]
    assert _q(official_db, "select count(*) from observation where area_id = '05313000'") == [(0,)]
    assert _q(official_db, "select sex, value from official_value where region_key = '05914' "
                           "and table_code = '12411-01-01-4' order by sex") == [
        ("_T", 190384.0), ("m", 93728.0), ("w", 96656.0)]
    assert _q(official_db, "select count(*), count(value), count(*) filter (where sign <> '') from official_value "
                           "where table_code = '73111-01-01-4'") == [(12, 0, 12)]


def test_unmapped_variables_are_listed_not_dropped(official_db):
    unmapped = _q(official_db, "select table_code, kind, code, cells from official_unmapped order by 1, 2, 3")
    assert ("12211-Z-11", "Wertmerkmal", "LBFMZ01", 20) in unmapped
    assert ("73111-01-01-4", "Wertmerkmal", "EKF002", 4) in unmapped
    assert _q(official_db, "select count(*) from official_value where table_code = '12211-Z-11'") == [(20,)]


def test_source_is_a_dimension_never_mixed(official_db):
    sources = {r[0] for r in _q(official_db, "select distinct source from observation where area_id = '05914000' "
                                             "and indicator_id = 'einwohner' and not is_example")}
    assert SOURCE in sources and "Melderegister Stadt Hagen" in sources
    assert _q(official_db, "select kind from source_kind where source = ?", [SOURCE]) == [("fortschreibung",)]


def test_mapped_cell_with_wrong_unit_is_refused(tmp_path):
    root = tmp_path / "data"
    for sub in ("catalog", "geo", "raw"):
        shutil.copytree(REPO_ROOT / "data" / sub, root / sub)
    text = SHIPPED.read_text(encoding="utf-8-sig").replace(";190384;Anzahl;", ";190,384;1000;")
    (root / "raw" / "genesis_12411-01-01-4.csv").write_text("\ufeff" + text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if ";190,384;" in t)
    with pytest.raises(ValidationError) as exc:
        build(root, tmp_path / "x.duckdb", today=TODAY)
    bad = [p for p in exc.value.problems if p.file == "raw/genesis_12411-01-01-4.csv"]
    assert [(p.row, p.column) for p in bad] == [(line, "value_unit")]
    assert "Einheit '1000' für einwohner" in bad[0].message


def test_duplicate_cell_future_date_and_fraction_in_count(tmp_path):
    root = tmp_path / "data"
    for sub in ("catalog", "geo", "raw"):
        shutil.copytree(REPO_ROOT / "data" / sub, root / sub)
    lines = SHIPPED.read_text(encoding="utf-8-sig").splitlines()
    hagen = next(i for i, t in enumerate(lines) if ";05914;" in t and ";;Insgesamt;" in t)
    herne = next(i for i, t in enumerate(lines) if ";05916;" in t and ";GESM;" in t)
    bochum = next(i for i, t in enumerate(lines) if ";05911;" in t and ";;Insgesamt;" in t)
    lines[herne] = lines[herne].replace("2024-12-31", "2031-12-31")
    lines[bochum] = lines[bochum].replace(";358676;", ";358676,5;")
    lines.append(lines[hagen])  # the same cell twice
    (root / "raw" / SHIPPED.name).write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        build(root, tmp_path / "x.duckdb", today=TODAY)
    found = {(p.row, p.column): p.message for p in exc.value.problems if p.file == f"raw/{SHIPPED.name}"}
    assert found[(len(lines), None)] == f"doppelte Zelle – dieselbe Zeit, dieselben Merkmale und dasselbe Wertmerkmal " \
                                        f"schon in Zeile {hagen + 1}"
    assert found[(herne + 1, "time")] == "Stichtag 31.12.2031 liegt nach heute (25.11.2026)"
    assert found[(bochum + 1, "value")] == "Anzahl mit Nachkommastellen 358676,5 für einwohner"
    assert len(found) == 3


def test_english_download_through_update_replaces_the_german_one_and_a_cutout_gives_no_sum(tmp_path):
    from integrationsmonitor.build import update
    from integrationsmonitor.config import Settings

    root = tmp_path / "data"
    for sub in ("catalog", "geo", "raw"):
        shutil.copytree(REPO_ROOT / "data" / sub, root / sub)
    (root / "raw" / "vergleichszahlen_2026-12.csv").unlink()  # names Kreise the cut-out does not contain
    build(root, root / "pub.duckdb", today=TODAY)
    settings = Settings(root, root / "pub.duckdb", REPO_ROOT / "queries", 3, 30)
    en = FIX / "12411-01-01-4_en_flat.csv"
    staged = update.stage([(en.name, en.read_bytes())], settings)
    assert [p.name for p in staged.files] == ["genesis_12411-01-01-4.csv"]  # replaces the German download
    assert update.validate(staged, today=TODAY) == []
    db = staged.db_path
    assert _q(db, "select value from observation where area_id = '05914000' and source = ?", [SOURCE]) == [(190384.0,)]
    assert _q(db, "select level, name from area where id = '05916000'") == [("vergleichsstadt", "Herne")]
    # 9 Kreise are a cut-out: no NRW or Germany total is formed from them, and the preview says why
    assert _q(db, "select count(*) from observation where area_id in ('05', 'DG') and source = ?", [SOURCE]) == [(0,)]
    assert ("05", "Summe nicht gebildet") in {(r[0], r[1]) for r in _q(db, "select code, kind from official_unmapped")}
    from integrationsmonitor.build import official

    lines = official.preview_lines(db, root / "pub.duckdb")
    assert any("nicht zugeordnet – Summe nicht gebildet 05 (7 statt 53 Kreise mit Zahl" in line for line in lines)
    assert any("[ersetzt die bisherige Datei (1467 Werte)]: 27 Werte gespeichert, davon 27 zugeordnet" in line
               for line in lines)
    update.discard(staged)
