"""Elections in the open election-data standard: reader checks, turnout recomputed independently, update path."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from integrationsmonitor.__main__ import main
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.ingest import wahlen

ELECTIONS = REPO_ROOT / "data" / "raw" / "wahlen"
CODES = {"1": "SB1", "2": "SB2", "3": "SB3", "4": "SB4", "5": "SB5"}
# names as the city's files write them (hand-made, not from the catalogue)
NAMES = {"hagen-mitte": "SB1", "hagen-nord": "SB2", "hohenlimburg": "SB3", "eilpe-dahl": "SB4",
         "eilpe/dahl": "SB4", "haspe": "SB5"}
SHIPPED = {  # folder → (election id in the database, postal votes assignable to Stadtbezirke)
    "kommunalwahl-2025": ("kommunalwahl-2025-09-14", True),
    "kommunalwahl-2020": ("kommunalwahl-2020-09-13", True),
    "bundestagswahl-2021": ("bundestagswahl-2021-09-26", False),
    "europawahl-2019": ("europawahl-2019-05-26", False),
}
KIND = {"kommunalwahl-2025": "kommunalwahl", "kommunalwahl-2020": "kommunalwahl",
        "bundestagswahl-2021": "bundestagswahl", "europawahl-2019": "europawahl"}


# --- independent recomputation: plain csv module arithmetic on the raw files ---------------------------------


def _rows(folder: Path, role: str) -> list[dict[str, str]]:
    path = next(folder.glob(f"*_{role}_*.csv"))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _recompute(folder: Path) -> dict[str, dict[str, float]]:
    """Per Stadtbezirk and city: electorate, polling-station voters and voters incl. postal (A2-weighted split)."""
    params = _rows(folder, "Wahlparameter")[0]
    level = next((f"gebiet-ebene-{n}" for n in range(2, 6)
                  if params.get(f"gebiet-ebene-{n}-bezeichnung", "").lower().startswith("stadtbezirk")), None)
    areas = _rows(folder, "Wahlgebietseinteilungen")
    results = {r["bezirk-nr"]: r for r in _rows(folder, "Wahlergebnisse")}

    def district(row: dict[str, str]) -> str:
        value = row[f"{level}-nr"] if level else row["bezirk-nr"][0]
        return CODES.get(value.lstrip("0")) or NAMES[value.lower()]

    polling = [r for r in areas if r["bezirk-art"] == "W"]
    postal = [r for r in areas if r["bezirk-art"] == "B"]
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in polling:
        res = results[r["bezirk-nr"]]
        for key in (district(r), "05914000"):
            out[key]["A"] += int(res["A"])
            out[key]["B_urne"] += int(res["B"])
            out[key]["B"] += int(res["B"])
    for r in postal:
        out["05914000"]["B"] += int(results[r["bezirk-nr"]]["B"])
    # postal district → its polling districts: BRIEFWAHLBEZIRK-NR, or (version 0.2) the shared Wahlbezirk
    if "BRIEFWAHLBEZIRK-NR" in areas[0]:
        members = {p["bezirk-nr"]: [r for r in polling if r["BRIEFWAHLBEZIRK-NR"] == p["bezirk-nr"]] for p in postal}
    elif level and level != "gebiet-ebene-2":
        members = {p["bezirk-nr"]: [r for r in polling if r["gebiet-ebene-2-nr"] == p["gebiet-ebene-2-nr"]]
                   for p in postal}
    else:
        return out
    for nr, rows in members.items():
        weight = sum(int(results[r["bezirk-nr"]]["A2"]) for r in rows)
        for r in rows:
            out[district(r)]["B"] += int(results[nr]["B"]) * int(results[r["bezirk-nr"]]["A2"]) / weight
    return out


@pytest.fixture(scope="module")
def con(built_db: Path):
    connection = duckdb.connect(str(built_db), read_only=True)
    yield connection
    connection.close()


def _values(con, indicator: str, period: str) -> dict[str, float]:
    return dict(con.execute("select area_id, value from observation where indicator_id = ? and period = ? "
                            "and area_id not like '%-%'", [indicator, period]).fetchall())


@pytest.mark.parametrize("folder", sorted(SHIPPED))
def test_turnout_by_stadtbezirk_equals_independent_recomputation(con, folder: str) -> None:
    election_id, assignable = SHIPPED[folder]
    period = election_id[-10:]
    expected = _recompute(ELECTIONS / folder)
    kind = KIND[folder]
    electorate = _values(con, f"wahlberechtigte_{kind}", period)
    urne = _values(con, f"wahlbeteiligung_urne_{kind}", period)
    total = _values(con, f"wahlbeteiligung_{kind}", period)
    assert set(electorate) == {"05914000", "SB1", "SB2", "SB3", "SB4", "SB5"}
    for area, numbers in expected.items():
        assert electorate[area] == numbers["A"]
        assert urne[area] == pytest.approx(100 * numbers["B_urne"] / numbers["A"], abs=0.005)
    assert total["05914000"] == pytest.approx(100 * expected["05914000"]["B"] / expected["05914000"]["A"], abs=0.005)
    if assignable:
        assert set(total) == set(electorate)
        for area, numbers in expected.items():
            assert total[area] == pytest.approx(100 * numbers["B"] / numbers["A"], abs=0.005)
        # the postal votes allocated to the districts add up to the city's postal votes
        assert sum(expected[a]["B"] for a in CODES.values()) == pytest.approx(expected["05914000"]["B"])
    else:
        assert set(total) == {"05914000"}  # no district turnout incl. postal votes is invented
        note = con.execute("select postal_note from election where id = ?", [election_id]).fetchone()[0]
        assert "nur der ganzen Stadt" in note


def test_readme_sample_kommunalwahl_2025(con) -> None:
    row = con.execute("select value from observation where indicator_id = 'wahlbeteiligung_kommunalwahl' "
                      "and area_id = '05914000' and period = '2025-09-14'").fetchone()
    assert row[0] == pytest.approx(47.93, abs=0.005)  # 68.133 / 142.145
    a, b = con.execute("select sum(wahlberechtigte) filter (where bezirk_art = 'W'), sum(waehlende) "
                       "from election_district where election_id = 'kommunalwahl-2025-09-14'").fetchone()
    assert (a, b) == (142145, 68133)


def test_published_results_are_never_suppressed_or_crossed(con) -> None:
    suppressed, with_counts = con.execute(
        "select count(*) filter (where suppressed), count(*) filter (where numerator is not null "
        "or denominator is not null) from observation where indicator_id like 'wahl%'").fetchone()
    assert (suppressed, with_counts) == (0, 0)
    units = {u for (u,) in con.execute("select distinct unit from indicator where id like 'wahl%'").fetchall()}
    assert units == {"%", "Wahlberechtigte"}  # not a count unit of the confidentiality rules


def test_indicators_per_kind_linked_to_participation_goals(con) -> None:
    links = con.execute("select indicator_id, list(leitziel_id order by leitziel_id) from leitziel_indicator "
                        "where indicator_id like 'wahl%' group by 1 order by 1").fetchall()
    ids = [i for i, _ in links]
    assert ids == sorted(f"{base}_{kind}" for base in ("wahlbeteiligung", "wahlbeteiligung_urne", "wahlberechtigte")
                         for kind in ("bundestagswahl", "europawahl", "kommunalwahl"))
    assert all(goals == ["TH-IKO-LZ5", "TH-QW-LZ1"] for _, goals in links)
    assert con.execute("select count(*) from indicator where id in "
                       "('wahlbeteiligung', 'wahlberechtigte', 'wahlbeteiligung_urne')").fetchone()[0] == 0


def test_stimmbezirke_are_areas_of_their_election(con) -> None:
    rows = con.execute("select e.id, count(a.id), count(g.area_id) from election e "
                       "left join area a on a.level = 'stimmbezirk' and a.id like e.id || '-%' "
                       "left join geometry g on g.area_id = a.id group by e.id order by e.id").fetchall()
    assert rows == [("bundestagswahl-2021-09-26", 130, 130), ("europawahl-2019-05-26", 130, 130),
                    ("kommunalwahl-2020-09-13", 130, 0), ("kommunalwahl-2025-09-14", 131, 131)]
    # parent: the Stadtbezirk of the Wahlgebietseinteilung; 4201 lies in Hagen-Mitte in 2021 (geometry agrees)
    assert con.execute("select parent_id from area where id = 'bundestagswahl-2021-09-26-4201'").fetchone() == ("SB1",)
    assert con.execute("select parent_id from area where id = 'kommunalwahl-2025-09-14-4205'").fetchone() == ("SB4",)


# --- broken deliveries: each rule reported as file:row:column ------------------------------------------------


def _copy(tmp_path: Path, folder: str = "kommunalwahl-2025") -> Path:
    target = tmp_path / folder
    shutil.copytree(ELECTIONS / folder, target)
    return target


def _edit(folder: Path, role: str, bezirk: str, column: str, value: str) -> int:
    """Set one cell of the row of ``bezirk``; returns the line number (header = 1)."""
    path = next(folder.glob(f"*_{role}_*.csv"))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split(";")
        if cells[header.index("bezirk-nr")] == bezirk:
            cells[header.index(column)] = value
            lines[number - 1] = ";".join(cells)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number
    raise AssertionError(bezirk)


def _problems(folder: Path) -> list[str]:
    _, problems = wahlen.read_folder(folder, CODES, NAMES, f"raw/wahlen/{folder.name}")
    return [str(p) for p in problems]


def test_shipped_elections_have_no_problems() -> None:
    for folder in SHIPPED:
        assert _problems(ELECTIONS / folder) == []


@pytest.mark.parametrize(("column", "value", "rule"), [
    ("A1", "912", "A = 1055, aber A1 + A2 + A3 = 1056"),
    ("C", "2", "B = 116, aber C + D = 117"),
    ("D1", "21", "D = 115, aber D1 + … + D13 = 116"),
])
def test_sum_rules_are_located(tmp_path: Path, column: str, value: str, rule: str) -> None:
    folder = _copy(tmp_path)
    row = _edit(folder, "Wahlergebnisse", "1011", column, value)
    problems = _problems(folder)
    assert len(problems) == 1 and rule in problems[0]
    shown = "raw/wahlen/kommunalwahl-2025/05914000_14.09.2025_Wahl der Vertretung der Gemeinde (Rat der Stadt Hagen)"
    assert problems[0].startswith(f"{shown}_Wahlergebnisse_V0-3_15.09.2025 090313 809.csv:{row}:")


def test_more_voters_than_electorate_in_a_polling_district(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    for column, value in (("A1", "10"), ("A2", "5"), ("A", "15")):  # A = A1 + A2 + A3 still holds
        row = _edit(folder, "Wahlergebnisse", "1011", column, value)
    problems = _problems(folder)
    assert len(problems) == 1 and f"csv:{row}:B: Bezirk 1011: 116 Wählende bei 15 Wahlberechtigten" in problems[0]


def test_postal_districts_need_no_electorate(tmp_path: Path) -> None:
    # a Briefwahlbezirk has A = 0 and B > 0 in the city's files: that is no error (checked on the shipped file)
    rows = {r["bezirk-nr"]: r for r in _rows(ELECTIONS / "kommunalwahl-2025", "Wahlergebnisse")}
    assert rows["6001"]["A"] == "0" and int(rows["6001"]["B"]) > 0
    assert _problems(ELECTIONS / "kommunalwahl-2025") == []


def test_polling_district_without_postal_district_and_unknown_stadtbezirk(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    row_postal = _edit(folder, "Wahlgebietseinteilungen", "1012", "BRIEFWAHLBEZIRK-NR", "")
    row_unknown = _edit(folder, "Wahlgebietseinteilungen", "2111", "gebiet-ebene-3-nr", "Hagen-Süd")
    row_missing = _edit(folder, "Wahlgebietseinteilungen", "3161", "BRIEFWAHLBEZIRK-NR", "6999")
    problems = _problems(folder)
    joined = "\n".join(problems)
    assert f"_Wahlgebietseinteilungen_V0-3_15.09.2025 090926 093.csv:{row_postal}:BRIEFWAHLBEZIRK-NR: " \
           "Urnenwahlbezirk 1012 ist keinem Briefwahlbezirk zugeordnet" in joined
    assert f".csv:{row_unknown}:gebiet-ebene-3-nr: unbekannter Stadtbezirk 'Hagen-Süd'" in joined
    assert f".csv:{row_missing}:BRIEFWAHLBEZIRK-NR: Urnenwahlbezirk 3161: Briefwahlbezirk 6999 gibt es" in joined
    assert len(problems) == 3


def test_unknown_first_digit_without_stadtbezirk_level(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "europawahl-2019")  # Stadtbezirk level present: the digit is only cross-checked
    params = next(folder.glob("*_Wahlparameter_*.csv"))
    params.write_text(params.read_text(encoding="utf-8").replace(";Stadtbezirk;Wahlbezirk", ";Ortsteil;Wahlbezirk"),
                      encoding="utf-8")  # now no level is a Stadtbezirk: the first digit decides
    results = next(folder.glob("*_Wahlergebnisse_*.csv"))
    results.write_text(results.read_text(encoding="utf-8").replace(";1011;1011 Volkspark;", ";7011;7011 Volkspark;"),
                       encoding="utf-8")
    einteilung = next(folder.glob("*_Wahlgebietseinteilungen_*.csv"))
    einteilung.write_text(einteilung.read_text(encoding="utf-8").replace(";1011;1011 Volkspark;",
                                                                         ";7011;7011 Volkspark;"), encoding="utf-8")
    problems = _problems(folder)
    assert any(":2:bezirk-nr: Urnenwahlbezirk 7011: erste Ziffer nennt keinen bekannten Stadtbezirk" in p
               for p in problems)


def test_unsupported_version_and_missing_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_params = next(folder.glob("*_Wahlparameter_*.csv"))
    _edit_params.write_text(_edit_params.read_text(encoding="utf-8").replace("\n0.3;", "\n0.4;"), encoding="utf-8")
    assert any("Wahlparameter_V0-3_15.09.2025 090307 839.csv:2:version: Version '0.4'" in p for p in _problems(folder))
    next(folder.glob("*_Wahlgebietseinteilungen_*.csv")).unlink()
    assert any("Datei „…_Wahlgebietseinteilungen_…csv“ fehlt" in p for p in _problems(folder))


def test_kind_and_date_come_from_the_files() -> None:
    assert wahlen.identify_kind("Wahl zum Deutschen Bundestag")[0] == "bundestagswahl"
    assert wahlen.identify_kind("Ratswahl", "Wahl der Vertretung der Stadt Hagen")[0] == "kommunalwahl"
    assert wahlen.identify_kind("Wahl des Landtags Nordrhein-Westfalen")[0] == "landtagswahl"
    assert wahlen.identify_kind("BV-Wahl")[0] == "bezirksvertretungswahl"
    assert wahlen.identify_kind("Bürgerentscheid Radverkehr") == ("buergerentscheid-radverkehr",
                                                                  "Bürgerentscheid Radverkehr")


# --- a new election through `update`: no code change ---------------------------------------------------------


def _new_election(tmp_path: Path) -> Path:
    """The Europawahl 2019 files re-dated and renamed as a Landtagswahl 2022 (an election the build never saw)."""
    source = ELECTIONS / "europawahl-2019"
    target = tmp_path / "lieferung"
    target.mkdir()
    for path in source.iterdir():
        name = path.name.replace("20190526_Europawahl", "20220515_Landtagswahl")
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".csv":
            text = text.replace("26.05.2019;Europawahl", "15.05.2022;Landtagswahl NRW")
            text = text.replace(";Landtagswahl NRW;Europawahl;", ";Landtagswahl NRW;Wahl zum Landtag NRW;")
        (target / name).write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def template(data_template) -> Path:
    """The repository's data, built once per session (``settings`` in conftest gives each test its copy)."""
    return data_template(today=None)


def test_new_election_folder_and_zip_through_update(settings, tmp_path: Path, capsys) -> None:
    folder = _new_election(tmp_path)
    assert main(["update", str(folder)]) == 0
    out = capsys.readouterr().out
    # 130 Stimmbezirke × 2 + 5 Stadtbezirke × 2 + city × 3 new figures, nothing of the shipped data changes
    assert "Prüfung bestanden" in out and "273 neu, 0 geändert, 0 entfernt" in out
    assert "Landtagswahl 15.05.2022" in out
    assert not (settings.data_dir / "raw" / "wahlen" / "landtagswahl-2022-05-15").exists()  # preview only
    archive = tmp_path / "ltw.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.iterdir():
            zf.write(path, f"ordner/{path.name}")
    assert main(["update", str(archive), "--publish"]) == 0
    assert (settings.data_dir / "raw" / "wahlen" / "landtagswahl-2022-05-15").is_dir()
    connection = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        value = connection.execute("select value from observation where indicator_id = "
                                   "'wahlbeteiligung_landtagswahl' and area_id = '05914000'").fetchone()[0]
        kinds = connection.execute("select kind_label from election where id = 'landtagswahl-2022-05-15'").fetchone()
    finally:
        connection.close()
    assert value == pytest.approx(100 * 72691 / 130560, abs=0.005) and kinds == ("Landtagswahl",)


def test_broken_election_upload_is_reported_and_nothing_published(settings, tmp_path: Path, capsys) -> None:
    folder = _new_election(tmp_path)
    row = _edit(folder, "Wahlergebnisse", "1011", "B", "999")
    before = settings.db_path.read_bytes()
    assert main(["update", str(folder), "--publish"]) == 1
    err = capsys.readouterr().err
    assert f"raw/wahlen/landtagswahl-2022-05-15/05914000_20220515_Landtagswahl_Wahlergebnisse_V0-3_" \
           f"20210616T092400.csv:{row}:B: Bezirk 1011: B = 999, aber C + D = 250" in err
    assert settings.db_path.read_bytes() == before


def test_zip_without_election_files_is_refused(settings, tmp_path: Path, capsys) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("notiz.txt", "hallo")
    archive = tmp_path / "leer.zip"
    archive.write_bytes(buffer.getvalue())
    assert main(["update", str(archive)]) == 1  # no election inside: the ordinary delivery check refuses it
    assert capsys.readouterr().err
    assert not (settings.data_dir / "raw" / "wahlen" / "notiz.txt").exists()
    assert not wahlen.is_election_zip(archive.read_bytes())
    assert wahlen.unpack_zip(archive.read_bytes(), tmp_path / "x", "leer.zip")[1][0].message == \
        "ZIP enthält keine Datei „…_Wahlergebnisse_…csv“"


def test_datenpflege_page_previews_then_publishes_an_election_and_restore_undoes_it(settings, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from integrationsmonitor.build import update

    monkeypatch.setenv("IMH_ADMIN_PASSWORD", "geheim")
    folder = _new_election(tmp_path)
    staged = update.stage_election([(p.name, p.read_bytes()) for p in sorted(folder.iterdir())], settings)
    assert update.validate(staged) == []
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "datenpflege.py"), default_timeout=120)
    at.run()
    at.text_input[0].input("geheim")  # log in like a person would
    at.button[0].click().run()
    at.session_state["staged"] = staged
    at.run()
    assert not at.exception
    assert any("Prüfung bestanden. Änderungen: 273 neu, 0 geändert, 0 entfernt" in s.value for s in at.success)
    target = settings.data_dir / "raw" / "wahlen" / "landtagswahl-2022-05-15"
    assert not target.exists()  # preview first: nothing published yet
    next(b for b in at.button if b.label == "Veröffentlichen").click().run()
    assert not at.exception and target.is_dir()
    versions = update.list_versions(settings)
    assert versions and versions[0].manifest["wahlen"] == sorted(SHIPPED)
    update.restore(versions[0].name, settings)
    assert not target.exists()
    assert sorted(p.name for p in (settings.data_dir / "raw" / "wahlen").iterdir()) == sorted(SHIPPED)


def test_methodology_page_lists_election_sources_and_licences(built_db: Path) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "pages" / "methodik.py"), default_timeout=90).run()
    assert not at.exception
    sources = next(d.value for d in at.dataframe if "Datei" in d.value.columns)
    rows = sources[sources["Datei"].str.startswith("raw/wahlen/kommunalwahl-2025/")]
    assert len(rows) == 5  # four standard files and the Stimmbezirk geometry, each with its licence
    assert set(rows["Lizenz"].str.contains("MPL-2.0")) == {True}
    geo_row = sources[sources["Datei"] == "geo/hagen_stadtbezirke.geojson"].iloc[0]
    assert geo_row["Namensnennung"] == "Bezirksgrenzen: Stadt Hagen, über github.com/fhswf/wahlkarte (MPL-2.0)"
    assert "Summen über die Wahlbezirke (aus den Wahlergebnissen)" in set(sources["Titel"])
    elections = next(d.value for d in at.dataframe if "Zurechnung der Briefwahl" in d.value.columns)
    assert list(elections["Briefwahl je Stadtbezirk"]) == ["ja", "nur Stadt", "ja", "nur Stadt"]
    text = " ".join(m.value for m in at.markdown)
    assert "Beteiligung im Wahllokal" in text and "Untergrenze" in text


def test_geojson_without_stimmbezirk_numbers_is_left_aside(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "kommunalwahlbezirke.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"Wahlbezirk": "09"},
         "geometry": {"type": "Polygon", "coordinates": [[[7.4, 51.3], [7.5, 51.3], [7.5, 51.4], [7.4, 51.3]]]}}]}),
        encoding="utf-8")
    elections, problems = wahlen.read_folder(folder, CODES, NAMES, "raw/wahlen/x")
    assert problems == [] and len(elections[0].geometry) == 131  # ebene_6.geojson is still used
    assert any("kommunalwahlbezirke.geojson enthält keine Stimmbezirksnummern" in n for n in elections[0].notes)
    (folder / "ebene_6.geojson").unlink()
    elections, problems = wahlen.read_folder(folder, CODES, NAMES, "raw/wahlen/x")
    assert problems == [] and elections[0].geometry == {}  # the turnout still loads, without a map of its own


def test_a_file_published_twice_counts_once_but_two_different_ones_are_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    results = next(folder.glob("*_Wahlergebnisse_*.csv"))
    twin = results.with_name(results.stem + "_1.csv")
    shutil.copy(results, twin)
    elections, problems = wahlen.read_folder(folder, CODES, NAMES, "raw/wahlen/x")
    assert problems == [] and any(twin.name in n for n in elections[0].notes)
    twin.write_text(twin.read_text(encoding="utf-8-sig").replace(";1055;116;", ";1055;117;"), encoding="utf-8")
    _, problems = wahlen.read_folder(folder, CODES, NAMES, "raw/wahlen/x")
    assert any("mehr als eine, inhaltlich verschiedene Datei „…_Wahlergebnisse_…“" in str(p) for p in problems)


def test_an_election_day_with_two_elections_is_staged_as_two(settings, tmp_path: Path) -> None:
    from integrationsmonitor.build import update

    folder = _new_election(tmp_path)
    for path in (ELECTIONS / "kommunalwahl-2025").iterdir():
        shutil.copy(path, folder / path.name)
    staged = update.stage_election([(p.name, p.read_bytes()) for p in sorted(folder.iterdir())], settings)
    try:
        assert staged.problems == []
        assert sorted(p.name for p in staged.files) == ["kommunalwahl-2025-09-14", "landtagswahl-2022-05-15"]
        assert staged.replaced == ["kommunalwahl-2025"]  # the re-delivered Kommunalwahl replaces the shipped one
        geo_files = {p.name for p in staged.files[1].iterdir() if p.suffix == ".geojson"}
        assert geo_files == {"ebene_6.geojson", "europawahl-geojson6.geojson"}  # the folder's geometry goes along
    finally:
        update.discard(staged)


def test_without_stadtbezirk_level_the_area_decides_over_the_first_digit(tmp_path: Path) -> None:
    from shapely.geometry import shape

    folder = _copy(tmp_path, "europawahl-2019")
    params = next(folder.glob("*_Wahlparameter_*.csv"))
    params.write_text(params.read_text(encoding="utf-8").replace(";Stadtbezirk;Wahlbezirk", ";Ortsteil;Wahlbezirk"),
                      encoding="utf-8")  # no level is a Stadtbezirk: the first digit places a Stimmbezirk …
    for path in folder.iterdir():  # … and 1082 Springe (in Hagen-Mitte) is renumbered 4082 everywhere
        text = path.read_text(encoding="utf-8-sig")
        text = text.replace(";1082;1082 Springe", ";4082;4082 Springe").replace('"1082"', '"4082"')
        path.write_text(text, encoding="utf-8")
    raw = json.loads((REPO_ROOT / "data" / "geo" / "hagen_stadtbezirke.geojson").read_text(encoding="utf-8"))
    shapes = {CODES[str(f["properties"]["Bez_Nr"])]: shape(f["geometry"]) for f in raw["features"]}
    elections, problems = wahlen.read_folder(folder, CODES, NAMES, "raw/wahlen/x", shapes)
    assert problems == []
    springe = next(b for b in elections[0].bezirke if b.nr == "4082")
    assert springe.stadtbezirk == "SB1"  # its area lies in Hagen-Mitte, not in Eilpe/Dahl (digit 4)
    assert any(n.startswith("Stimmbezirk 4082 liegt zu ") and "in SB1, obwohl die erste Ziffer der Nummer SB4" in n
               for n in elections[0].notes)
    other = next(b for b in elections[0].bezirke if b.nr == "4221")
    assert other.stadtbezirk == "SB4"


def test_other_files_in_the_election_folder_are_named_and_not_loaded(settings, tmp_path: Path, capsys) -> None:
    folder = _new_election(tmp_path)
    (folder / "Hinweise zur Wahl.pdf").write_bytes(b"%PDF-1.4 ...")
    assert main(["update", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Nicht verwendet (keine Datei einer Wahl): Hinweise zur Wahl.pdf" in out and "Prüfung bestanden" in out
