"""Bad-input corpus: every malformed delivery is refused precisely and leaves the published database untouched.

tests/fixtures/bad/ holds one defect per file; README.md there maps each file to the expected message
fragment, row and column. Each file goes through the build (as an additional raw file) and through the
update workflow of the Datenpflege page; the database file's sha256 must not change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import DB_NAME, PUBLISHED_ONLY

from integrationsmonitor.build import update
from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT, Settings
from integrationsmonitor.problems import ValidationError

BAD = Path(__file__).parent / "fixtures" / "bad"
TODAY = dt.date(2026, 11, 25)


def expectations() -> dict[str, tuple[str, int | None, str | None]]:
    table = {}
    for line in (BAD / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("Datei", "---") and not cells[0].startswith("riesig"):
            table[cells[0]] = (cells[2], int(cells[3]) if cells[3] else None, cells[4] or None)
    return table


EXPECTED = expectations()
FILES = sorted(p.name for p in BAD.iterdir() if p.name not in ("README.md", "_erzeugen.py"))


@pytest.fixture(scope="module")
def published(data_template, tmp_path_factory) -> Settings:
    """A small published installation: the catalogue, geometries and the real raw files (the session's build of
    them), copied once for this module."""
    data = tmp_path_factory.mktemp("bad") / "data"
    shutil.copytree(data_template(raw=PUBLISHED_ONLY, today=TODAY), data)
    return Settings(data, data / DB_NAME, REPO_ROOT / "queries", 3, 30)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corpus_is_complete():
    assert len(FILES) >= 40
    assert set(FILES) == set(EXPECTED), "README.md und Ordnerinhalt stimmen nicht überein"


def assert_precise(problems, name: str) -> None:
    fragment, row, column = EXPECTED[name]
    matching = [p for p in problems if fragment in p.message and p.file.endswith(Path(name).stem + Path(p.file).suffix)]
    assert matching, f"{name}: erwartet {fragment!r}, bekommen {[str(p) for p in problems]}"
    assert any(p.row == row and p.column == column for p in matching), \
        f"{name}: erwartet Zeile {row}, Spalte {column}: {[str(p) for p in matching]}"
    for p in matching:
        assert p.expected or "leer" in p.message, f"{name}: Meldung ohne 'erwartet': {p}"


@pytest.mark.parametrize("name", FILES)
def test_bad_file_is_refused_precisely_and_database_unchanged(name, published, tmp_path):
    before = sha(published.db_path)
    delivery = tmp_path / name
    shutil.copyfile(BAD / name, delivery)
    with pytest.raises(ValidationError) as exc:
        build(published.data_dir, published.db_path, extra_files=[delivery], today=TODAY)
    assert_precise(exc.value.problems, name)
    assert f"raw/{name}" in exc.value.report()
    # the same file through the Datenpflege workflow
    staged = update.stage([(name, (BAD / name).read_bytes())], published)
    try:
        problems = update.validate(staged, today=TODAY)
        assert problems, name
        assert staged.db_path is None
        with pytest.raises(ValueError):
            update.publish(staged, published)
    finally:
        update.discard(staged)
    assert sha(published.db_path) == before
    assert sorted(p.name for p in (published.data_dir / "raw").iterdir()) == [
        "hagen_veroeffentlichte_zahlen.csv", "vergleichszahlen.csv"]


def test_huge_file_is_refused(published, tmp_path):
    before = sha(published.db_path)
    huge = tmp_path / "riesig.csv"
    row = "einbuergerungen;05914000;31.12.2025;_T;412;;;Statistikstelle Hagen;;nein\n"
    with huge.open("w", encoding="utf-8") as fh:
        fh.write("indikator;gebiet;stichtag;staatsangehoerigkeit;wert;zaehler;nenner;quelle;hinweis;beispieldaten\n")
        fh.write(row * (21 * 1024 * 1024 // len(row) + 1))
    with pytest.raises(ValidationError) as exc:
        build(published.data_dir, published.db_path, extra_files=[huge], today=TODAY)
    assert any("MB groß" in p.message and p.file == "raw/riesig.csv" for p in exc.value.problems)
    _, problems = update.check_upload("riesig.csv", huge.read_bytes())
    assert "MB groß" in problems[0].message
    assert sha(published.db_path) == before


def test_formula_text_reaches_xlsx_exports_only_as_text():
    """Even if a formula-like text got past validation, the XLSX download writes it as a text cell, not a formula."""
    import io
    import zipfile

    import pandas as pd
    from openpyxl import load_workbook

    from integrationsmonitor.exports import downloads

    hostile = ['=HYPERLINK("http://example.org","klick")', "@SUMME(A1:A9)", "+cmd|' /C calc'!A0", "-(1+1)*cmd"]
    data = downloads.xlsx_bytes(pd.DataFrame({"Hinweis": hostile, "Wert": [1, 2, 3, 4]}), "Daten")
    ws = load_workbook(io.BytesIO(data))["Daten"]
    for row, text in enumerate(hostile, start=2):
        cell = ws.cell(row=row, column=1)
        assert cell.value == text and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in zf.read(n) or b"<f " in zf.read(n) for n in sheets)
