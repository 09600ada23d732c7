"""Report editions: freeze two data states, compare them value by value, survive a rebuild."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import duckdb
import pytest

from integrationsmonitor.__main__ import main
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import editions
from integrationsmonitor.queries import QueryRunner

KEY = list(editions.OBS_KEY)


def _public(db: Path):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select * from observation_public").df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def two_states(built_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """State A = the built database; state B = A after a data update: one value revised, one new point, one cell
    newly suppressed, one Leitziel status changed."""
    folder = tmp_path_factory.mktemp("states")
    a, b = folder / "a.duckdb", folder / "b.duckdb"
    shutil.copy(built_db, a)
    shutil.copy(built_db, b)
    con = duckdb.connect(str(b))
    rows = con.execute("select indicator_id, area_id, period, nationality, source from observation "
                   "where value is not null and not suppressed order by all limit 3").fetchall()
    revised, supp, template = rows[0], rows[1], rows[2]
    where = "indicator_id = ? and area_id = ? and period = ? and nationality = ? and source = ?"
    con.execute(f"update observation set value = value + 7 where {where}", list(revised))  # noqa: S608
    con.execute(f"update observation set suppressed = true where {where}", list(supp))  # noqa: S608
    con.execute(f"create temp table t as select * from observation where {where}", list(template))  # noqa: S608
    con.execute("update t set period = date '2011-03-15', value = 42")
    con.execute("insert into observation select * from t")
    lz = con.execute("select leitziel_id, category from leitziel_status order by leitziel_id limit 1").fetchone()
    new_cat = "nicht_auf_kurs" if lz[1] != "nicht_auf_kurs" else "auf_kurs"
    con.execute("update leitziel_status set category = ?, label = ? where leitziel_id = ?",
                [new_cat, "geändert im Test", lz[0]])
    con.close()
    return {"a": a, "b": b, "revised": revised, "suppressed": supp, "leitziel": lz[0], "new_category": new_cat}


@pytest.fixture()
def edition_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IMH_EDITIONS_DIR", str(tmp_path / "editions"))
    return tmp_path / "editions"


def _freeze(db: Path, name: str, directory: Path) -> editions.Edition:
    runner = QueryRunner(db, REPO_ROOT / "queries")
    try:
        return editions.freeze(runner, name, directory=directory)
    finally:
        runner.close()


def test_diff_between_two_data_states_value_by_value(two_states, edition_dir: Path):
    ea = _freeze(two_states["a"], "Sitzung März", edition_dir)
    eb = _freeze(two_states["b"], "Sitzung Juni", edition_dir)
    d = editions.diff(ea, eb)
    pa = _public(two_states["a"]).set_index(KEY)
    pb = _public(two_states["b"]).set_index(KEY)
    # independent comparison on the two databases' public rows
    new_keys = set(pb.index) - set(pa.index)
    assert {tuple(r[k] for k in KEY) for r in d.new} == {(i, a, str(p)[:10], n, s) for i, a, p, n, s in new_keys}
    assert len(new_keys) == 1
    common = pa.index.intersection(pb.index)
    both = pa.loc[common].merge(pb.loc[common], left_index=True, right_index=True, suffixes=("_a", "_b"))
    changed = both[(both.suppressed_a == both.suppressed_b) & both.value_a.notna() & both.value_b.notna()
                   & (both.value_a != both.value_b)]
    assert len(d.revised) == len(changed) == 1
    rev = d.revised[0]
    exp_key = changed.index[0]
    assert tuple(rev[k] for k in KEY) == (*exp_key[:2], str(exp_key[2])[:10], *exp_key[3:])
    assert rev["wert_alt"] == changed.value_a.iloc[0] and rev["wert_neu"] == changed.value_b.iloc[0]
    assert rev["wert_neu"] - rev["wert_alt"] == pytest.approx(7)
    assert rev["revidiert"] is True
    # the newly suppressed cell is reported without any value
    assert [tuple(r[k] for k in KEY)[:2] for r in d.suppression_changed] == [two_states["suppressed"][:2]]
    assert all("wert_neu" not in r and "value" not in r for r in d.suppression_changed)
    assert not d.removed
    assert [(r["leitziel_id"], r["jetzt_kategorie"]) for r in d.leitziel_status] == [
        (two_states["leitziel"], two_states["new_category"])]
    assert d.counts()["revidiert"] == 1 and not d.empty
    frames = editions.diff_frames(d)
    assert list(frames["Revidierte Werte"].columns[:3]) == ["Indikator", "Gebiet", "Stichtag"]
    assert editions.diff(ea, ea).empty


def test_edition_stores_no_suppressed_value_and_matches_database(two_states, edition_dir: Path):
    eb = _freeze(two_states["b"], "Nur B", edition_dir)
    public = _public(two_states["b"])
    assert len(eb.observations) == len(public)
    assert eb.db_sha256 == editions.file_sha256(two_states["b"])
    frozen_supp = [r for r in eb.observations if r["suppressed"]]
    assert len(frozen_supp) == int(public.suppressed.sum()) >= 1
    assert all(r["value"] is None and r["numerator"] is None for r in frozen_supp)


def test_editions_survive_rebuild_and_are_listed(two_states, edition_dir: Path, tmp_path: Path):
    db = tmp_path / "weg.duckdb"
    shutil.copy(two_states["a"], db)
    _freeze(db, "Integrationsrat 12.03.2027", edition_dir)
    db.unlink()  # the database is rebuilt / gone: the edition stays
    (edition_dir / "index.json").unlink()  # even the index is rebuilt from the files
    listed = editions.list_editions()
    assert [e["slug"] for e in listed] == ["integrationsrat-12-03-2027"]
    assert len(editions.load("Integrationsrat 12.03.2027").observations) == listed[0]["observations"]
    with pytest.raises(editions.EditionError, match="gibt es schon"):
        _freeze(two_states["a"], "Integrationsrat 12.03.2027", edition_dir)
    with pytest.raises(editions.EditionError, match="gibt es nicht"):
        editions.load("unbekannt")


def test_cli_freeze_list_compare(two_states, edition_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("IMH_DB", str(two_states["a"]))
    assert main(["ausgabe", "einfrieren", "Stand A"]) == 0
    monkeypatch.setenv("IMH_DB", str(two_states["b"]))
    assert main(["ausgabe", "einfrieren", "Stand B", "--berichtsstand", "2027-03-12"]) == 0
    assert main(["ausgaben"]) == 0
    out = capsys.readouterr().out
    assert "stand-a" in out and "12.03.2027" in out
    assert main(["ausgaben", "vergleichen", "stand-a", "stand-b"]) == 0
    out = capsys.readouterr().out
    assert "revidiert: 1" in out and "neu: 1" in out
    assert main(["ausgaben", "vergleichen", "stand-a", "fehlt"]) == 1


def test_page_lists_freezes_and_compares(two_states, edition_dir: Path, monkeypatch: pytest.MonkeyPatch):
    from streamlit.testing.v1 import AppTest

    _freeze(two_states["a"], "Sitzung März", edition_dir)
    _freeze(two_states["b"], "Sitzung Juni", edition_dir)
    monkeypatch.setenv("IMH_DB", str(two_states["b"]))
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "sitzungspaket.py"), default_timeout=60).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["revidiert"] == "1" and metrics["neu"] == "1" and metrics["Leitziel-Status geändert"] == "1"
    assert any(s.value == "Revidierte Werte" for s in at.subheader)
    # the public page only reads editions: freezing, naming and deleting are in the Datenpflege (tests/test_internal_writes.py)
    assert not [t for t in at.text_input if t.key == "ausgabe_name"]
    assert not [b for b in at.button if b.label in ("Ausgabe einfrieren", "Löschen")]


# ------------------------------------------------------------------------------------ names, reasons, packages
def test_default_berichtsstand_is_the_day_of_freezing(two_states, edition_dir: Path):
    ed = _freeze(two_states["a"], "Heute", edition_dir)
    assert ed.berichtsstand == dt.date.today().isoformat()


def test_comparison_tables_show_names_and_german_formats(two_states, edition_dir: Path):
    d = editions.diff(_freeze(two_states["a"], "A", edition_dir), _freeze(two_states["b"], "B", edition_dir))
    frames = editions.diff_frames(d)
    con = duckdb.connect(str(two_states["b"]), read_only=True)
    area_names = dict(con.execute("select id, name from area").fetchall())
    ind_names = dict(con.execute("select id, name from indicator").fetchall())
    con.close()
    revised = frames["Revidierte Werte"].iloc[0]
    ind, area, period = two_states["revised"][:3]
    assert revised["Indikator"] == ind_names[ind] and revised["Indikator"] != ind
    assert revised["Gebiet"].startswith(area_names[area]) and area not in revised["Gebiet"]
    assert revised["Stichtag"] == period.strftime("%d.%m.%Y")
    for frame in frames.values():
        for col in ("Gebiet", "Staatsangehörigkeit", "Indikator"):
            if col in frame:
                assert not frame[col].isin(["05914000", "_T", "RO+BG", *ind_names]).any(), col
        if "Stichtag" in frame:
            assert frame["Stichtag"].str.fullmatch(r"\d{2}\.\d{2}\.\d{4}").all()
    assert editions.comparison_line(d).startswith("Ausgabe „A“ (")


@pytest.fixture(scope="module")
def flipped(two_states, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """State C = A with one indicator's status and latest value changed, and its Leitziel's status with it."""
    c = tmp_path_factory.mktemp("flip") / "c.duckdb"
    shutil.copy(two_states["a"], c)
    con = duckdb.connect(str(c))
    lz, ind = con.execute("select leitziel_id, indicator_id from leitziel_indicator order by all limit 1").fetchone()
    old = con.execute("select category from indicator_status where indicator_id = ?", [ind]).fetchone()[0]
    new = "nicht_auf_kurs" if old != "nicht_auf_kurs" else "auf_kurs"
    label = {"nicht_auf_kurs": "nicht auf Kurs", "auf_kurs": "auf Kurs"}[new]
    con.execute("update indicator_status set category = ?, label = ?, latest_value = 1234.5 where indicator_id = ?",
                [new, label, ind])
    con.execute("update leitziel_status set category = ?, label = ? where leitziel_id = ?", [new, label, lz])
    name = con.execute("select name from indicator where id = ?", [ind]).fetchone()[0]
    con.close()
    return {"db": c, "leitziel": lz, "indicator": ind, "name": name, "label": label}


def test_status_change_is_explained_by_the_indicator_that_moved_it(two_states, flipped, edition_dir: Path):
    d = editions.diff(_freeze(two_states["a"], "Vorher", edition_dir), _freeze(flipped["db"], "Nachher", edition_dir))
    reasons = editions.explain_status_changes(d)
    assert len(reasons) == 1
    text = reasons[0]
    assert f"Indikator „{flipped['name']}“" in text and flipped["indicator"] not in text.split("(")[-1]
    assert f"→ {'✘' if flipped['label'] == 'nicht auf Kurs' else '✔'} {flipped['label']}" in text
    assert "1.234,5" in text  # the value that moved it, German
    table = editions.diff_frames(d)["Statusänderungen Leitziele"]
    assert table["Erklärung"].tolist() == reasons


def test_package_from_a_frozen_edition_is_rebuilt_exactly(two_states, flipped, edition_dir: Path, tmp_path: Path):
    import openpyxl

    from integrationsmonitor.exports import content as model
    from integrationsmonitor.exports import sitzungspaket as package

    live = tmp_path / "live.duckdb"
    shutil.copy(flipped["db"], live)
    _freeze(two_states["a"], "Integrationsrat März", edition_dir)
    _freeze(live, "Integrationsrat Juni", edition_dir)
    con = duckdb.connect(str(live))  # the live data move on after freezing: the edition's package must not
    con.execute("update leitziel_status set label = 'nach dem Einfrieren geändert'")
    con.close()
    plan = [model.PlanItem.of(model.SECTION_OVERVIEW, "status_uebersicht")]
    texts = []
    for _ in range(2):
        data, _result = package.edition_package("Integrationsrat Juni", plan=plan, directory=edition_dir)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = sorted(zf.namelist())
            pdf = tmp_path / "p.pdf"
            pdf.write_bytes(zf.read(next(n for n in names if n.endswith(".pdf"))))
            wb = openpyxl.load_workbook(io.BytesIO(zf.read(next(n for n in names if n.endswith(".xlsx")))))
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        cells = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
        texts.append((names, text, cells))
    assert texts[0] == texts[1]
    names, text, cells = texts[0]
    assert all("integrationsrat-juni" in n for n in names)
    first = text.split("\f")[0]
    assert "Ausgabe: Integrationsrat Juni" in first and f"Berichtsstand: {dt.date.today():%d.%m.%Y}" in first
    assert "Vergleich: Ausgabe „Integrationsrat März“" in first
    assert "nach dem Einfrieren geändert" not in text
    assert "Statusänderungen Leitziele" in cells and "Warum sich der Status" in text
    assert flipped["name"] in text


def test_tampered_database_copy_is_refused(two_states, edition_dir: Path):
    ed = _freeze(two_states["a"], "Echt", edition_dir)
    copy = editions.database_path(ed.slug, edition_dir)
    copy.chmod(0o644)
    with open(copy, "ab") as fh:
        fh.write(b"x")
    with pytest.raises(editions.EditionError, match="passt nicht zur Prüfsumme"):
        editions.frozen_runner(ed, edition_dir)


def test_deleting_an_edition_removes_its_database_copy(two_states, edition_dir: Path):
    ed = _freeze(two_states["a"], "Weg damit", edition_dir)
    copy = editions.database_path(ed.slug, edition_dir)
    assert copy.exists() and editions.file_sha256(copy) == ed.db_sha256
    editions.delete("Weg damit", edition_dir)
    assert not copy.exists() and not (edition_dir / f"{ed.slug}.json.gz").exists()


def test_cli_exports_the_comparison_as_workbook(two_states, edition_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path, capsys):
    import openpyxl

    monkeypatch.setenv("IMH_DB", str(two_states["a"]))
    assert main(["ausgabe", "einfrieren", "Export A"]) == 0
    monkeypatch.setenv("IMH_DB", str(two_states["b"]))
    assert main(["ausgabe", "einfrieren", "Export B"]) == 0
    out = tmp_path / "vergleich.xlsx"
    assert main(["ausgaben", "vergleichen", "export-a", "export-b", "--out", str(out)]) == 0
    assert "Vergleich gespeichert" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Übersicht" and "Revidierte Werte" in wb.sheetnames
    counts = {r[0]: r[1] for r in wb["Übersicht"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert counts["revidiert"] == 1 and counts["neu"] == 1  # typed numbers, not text
    assert all(len(ws.tables) == 1 for ws in wb.worksheets)
