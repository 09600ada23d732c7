"""Confidentiality against inference (issue 13, point 1–3): what a reader can narrow a "·" down to.

The reader's knowledge is written down here from the public views alone, independently of
``integrationsmonitor.build.audit``: every shown figure, the sums a reader can form, every "·" an integer ≥ 1 (the
methodology says "·" is never 0). The interval of each hidden cell is computed with this file's own small MILP
(scipy's HiGHS) and must be at least the protection range from the build manifest wide.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
from conftest import DB_NAME
from scipy.optimize import Bounds, LinearConstraint, milp
from streamlit.testing.v1 import AppTest

from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT, Settings
from integrationsmonitor.exports import editions
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import eu2

CITY = "05914000"
DISTRICTS = ["SB1", "SB2", "SB3", "SB4", "SB5"]
BIG = 10**6
STATUS_DATE = dt.date(2026, 11, 25)


def reader_intervals(equations: list[tuple[dict, float]], hidden: set) -> dict:
    """min and max of every hidden cell over all integer tables ≥ 1 that satisfy ``equations``.

    An equation is ({cell: coefficient}, constant): sum(coefficient * cell) = constant, with published cells
    already moved into the constant."""
    cells = sorted(hidden, key=repr)
    index = {c: i for i, c in enumerate(cells)}
    rows = [(eq, rhs) for eq, rhs in equations if any(c in index for c in eq)]
    a = np.zeros((len(rows), len(cells)))
    b = np.zeros(len(rows))
    for r, (eq, rhs) in enumerate(rows):
        b[r] = rhs
        for c, coef in eq.items():
            a[r, index[c]] += coef
    out = {}
    for c in cells:
        bounds = []
        for sense in (1, -1):
            objective = np.zeros(len(cells))
            objective[index[c]] = sense
            res = milp(objective, constraints=[LinearConstraint(a, b, b)] if rows else [],
                       integrality=np.ones(len(cells)), bounds=Bounds(1, BIG))
            assert res.status == 0, res.message
            bounds.append(round(sense * res.fun))
        out[c] = tuple(bounds)
    return out


def _equation(published: dict, hidden: set, terms: list[tuple[object, int]]) -> tuple[dict, float] | None:
    """sum(coef * cell) = 0 with the published cells moved to the right; None if a cell is not shown at all."""
    if any(c not in published and c not in hidden for c, _ in terms):
        return None
    eq: dict = {}
    rhs = 0.0
    for c, coef in terms:
        if c in hidden:
            eq[c] = eq.get(c, 0) + coef
        else:
            rhs -= coef * published[c]
    return eq, rhs


def _protection_range(runner: QueryRunner) -> int:
    return int(runner.run("build_manifest")["protection_range"].iloc[0])


def eu2_reader(runner: QueryRunner, period: dt.date) -> tuple[dict, set, list]:
    """What the EU-2 age structure page (every district and the city) and the Quartiere figures show for one date."""
    published, hidden = {}, set()
    for area in [*DISTRICTS, CITY]:
        rows = runner.run("eu2_altersstruktur", bezirk=area, stichtag=period)
        for r in rows.itertuples():
            cell = ("alter", area, r.nationality, r.age_group)
            if r.suppressed:
                hidden.add(cell)
            else:
                published[cell] = float(r.persons)
    con = duckdb.connect(str(runner.db_path), read_only=True)
    try:
        for ind, area, nat, value, suppressed in con.execute(
                "select indicator_id, area_id, nationality, value, suppressed from observation_public "
                "where period = $p and source_file = 'population' and ((indicator_id = 'auslaender' and "
                "nationality in ('RO', 'BG')) or indicator_id = 'eu2_bestand')", {"p": period}).fetchall():
            cell = (ind, area, nat)
            if suppressed:
                hidden.add(cell)
            else:
                published[cell] = float(value)
    finally:
        con.close()
    ages = sorted({c[3] for c in published | dict.fromkeys(hidden) if c[0] == "alter"})
    terms = []
    for nat in ("RO", "BG"):
        for area in [*DISTRICTS, CITY]:  # age groups add up to the nationality's total
            terms.append([(("auslaender", area, nat), -1), *((("alter", area, nat, g), 1) for g in ages)])
        for g in ages:  # city = sum of districts, per age group and in total
            terms.append([(("alter", CITY, nat, g), -1), *((("alter", d, nat, g), 1) for d in DISTRICTS)])
        terms.append([(("auslaender", CITY, nat), -1), *((("auslaender", d, nat), 1) for d in DISTRICTS)])
    for area in [*DISTRICTS, CITY]:
        terms.append([(("eu2_bestand", area, "RO+BG"), -1), (("auslaender", area, "RO"), 1),
                      (("auslaender", area, "BG"), 1)])
    equations = [eq for t in terms if (eq := _equation(published, hidden, t)) is not None]
    return published, hidden, equations


def test_hohenlimburg_bulgarians_2012_cannot_be_pinned_from_the_age_structure(runner: QueryRunner):
    """The audit's example: BG in Hohenlimburg on 31.12.2012 are 5, the age structure showed five "·" and 65+ = 0,
    so each "·" was exactly 1. Now every hidden cell of what the two pages show stays in a range of at least
    the protection range."""
    period = dt.date(2012, 12, 31)
    published, hidden, equations = eu2_reader(runner, period)
    bg_sb3 = {c for c in hidden if c[:3] == ("alter", "SB3", "BG")}
    assert bg_sb3, "Die Beispieldaten enthalten verborgene Altersgruppen (BG, Hohenlimburg, 2012)"
    width = _protection_range(runner)
    assert width >= 3
    intervals = reader_intervals(equations, hidden)
    narrow = {c: iv for c, iv in intervals.items() if iv[1] - iv[0] < width}
    assert not narrow, f"eingrenzbar auf weniger als {width} Personen: {sorted(narrow.items(), key=repr)[:5]}"


def test_reader_check_is_not_toothless():
    """The published example exactly: total 5, five hidden age groups, 65+ = 0 → each is 1."""
    hidden = {("alter", g) for g in "abcde"}
    published = {("alter", "f"): 0.0, ("total",): 5.0}
    eq = _equation(published, hidden, [(("total",), -1), *((c, 1) for c in sorted(hidden)), (("alter", "f"), 1)])
    assert eq is not None
    assert set(reader_intervals([eq], hidden).values()) == {(1, 1)}


def test_every_hidden_cell_of_the_eu2_pages_keeps_its_range(runner: QueryRunner):
    """All dates: no hidden EU-2 age or total cell can be narrowed below the protection range."""
    width = _protection_range(runner)
    periods = sorted({dt.date.fromisoformat(p) for p in eu2.eu2_periods(runner)})
    checked = 0
    for period in periods:
        _, hidden, equations = eu2_reader(runner, period)
        for cell, (lo, hi) in reader_intervals(equations, hidden).items():
            checked += 1
            assert hi - lo >= width, f"{period} {cell}: nur {lo}…{hi}"
    assert checked


# ----------------------------------------------------------------------------- point 2: frozen editions
def _raw_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return rows[0], rows[1:]


def _public(db: Path) -> dict[tuple, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {tuple(r[:5]): (r[5], r[6]) for r in con.execute(
            "select indicator_id, area_id, period, nationality, source, value, suppressed from observation_public"
        ).fetchall()}
    finally:
        con.close()


def test_a_cell_hidden_in_a_frozen_edition_stays_hidden_after_a_revision(tmp_path: Path, data_template):
    """Edition A hides a district's 2; a routine revision raises it to 7 (and the city by 5). Published in the
    next release, B's value minus the change of the city total would give A's hidden 2 back. It stays hidden."""
    data = tmp_path / "data"
    shutil.copytree(data_template(), data, ignore=shutil.ignore_patterns("*.duckdb"))
    settings = Settings.from_env({"IMH_DATA_DIR": str(data)})
    db_a, db_b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    shutil.copyfile(data_template() / DB_NAME, db_a)  # A = the build of these files with no editions (once per session)
    public_a = _public(db_a)
    header, rows = _raw_rows(data / "raw" / "beispiel_indikatoren.csv")
    col = {name: i for i, name in enumerate(header)}
    by_key = {(r[col["indikator"]], r[col["gebiet"]], r[col["stichtag"]], r[col["staatsangehoerigkeit"]]): r
              for r in rows}
    target = city_row = None
    for (ind, area, day, nat), row in by_key.items():
        city = by_key.get((ind, CITY, day, nat))
        key = (ind, area, dt.datetime.strptime(day, "%d.%m.%Y").date(), nat, row[col["quelle"]])
        if (area in DISTRICTS and city is not None and row[col["wert"]] == "2" and not row[col["zaehler"]]
                and public_a.get(key, (None, False))[1]):
            target, city_row = row, city
            break
    assert target is not None, "Beispieldaten: ein verborgener Bezirkswert 2 mit Stadtwert"
    edition_dir = data / "editions"
    editions.freeze(QueryRunner(db_a, REPO_ROOT / "queries"), "Sitzung Frühjahr", directory=edition_dir)
    target[col["wert"]] = "7"
    city_row[col["wert"]] = str(int(float(city_row[col["wert"]])) + 5)
    with (data / "raw" / "beispiel_indikatoren.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\n").writerows([header, *rows])
    build(data, db_b, today=STATUS_DATE, settings=settings)
    public_b = _public(db_b)
    key = (target[col["indikator"]], target[col["gebiet"]],
           dt.datetime.strptime(target[col["stichtag"]], "%d.%m.%Y").date(), target[col["staatsangehoerigkeit"]],
           target[col["quelle"]])
    value_b, hidden_b = public_b[key]
    assert hidden_b, f"{key}: in Ausgabe A verborgen (2), nach der Revision veröffentlicht ({value_b})"
    # and generally: nothing that edition A hid is shown by B (the revised value is 7, not 0)
    shown_again = [k for k, (_, hidden) in public_a.items() if hidden and k in public_b and not public_b[k][1]
                   and public_b[k][0] != 0]
    assert not shown_again, f"früher verborgen, jetzt gezeigt: {shown_again[:3]}"


# ----------------------------------------------------------------------------- point 3: never drawn as 0
def _hidden_age_cell(built_db: Path) -> tuple[str, str]:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        area, period = con.execute(
            "select area_id, period from population_suppressed where nationality in ('RO', 'BG') and sex = '_T' "
            "and age_group <> '_T' and area_id like 'SB%' order by period, area_id limit 1").fetchone()
    finally:
        con.close()
    return area, period.isoformat()


def _bars_with_sign(fig) -> list[tuple]:
    return [(trace.name, y, text) for trace in fig.data if trace.type == "bar"
            for y, text in zip(trace.y, trace.text, strict=True)]


def test_hidden_age_groups_are_gaps_with_the_sign_not_bars_of_zero(runner: QueryRunner, built_db: Path):
    area, period = _hidden_age_cell(built_db)
    result = eu2.eu2_altersstruktur(runner, bezirk=area, stichtag=period)
    bars = _bars_with_sign(result.figure)
    hidden = [(name, y) for name, y, text in bars if text == "·"]
    assert hidden, "die gewählte Altersstruktur hat verborgene Zellen"
    assert all(y is None for _, y in hidden), f"verborgene Zellen als Balken gezeichnet: {hidden}"
    for trace in result.figure.data:
        if trace.type == "bar":
            assert "0" not in str(trace.hovertemplate or "").split("<extra>")[0].replace("%{", "")


def test_hidden_turnover_is_a_gap_with_the_sign(runner: QueryRunner):
    drawn_zero = []
    seen_hidden = 0
    for period in eu2.eu2_periods(runner):
        result = eu2.eu2_fluktuation(runner, stichtag=period)
        for name, y, text in _bars_with_sign(result.figure):
            if text == "·":
                seen_hidden += 1
                if y is not None:
                    drawn_zero.append((period, name, y))
    assert seen_hidden, "die Beispieldaten enthalten verborgene Zu-/Fortzüge"
    assert not drawn_zero, f"verborgene Fluktuation als Balken: {drawn_zero[:3]}"


# ----------------------------------------------------------------------------- the range is published
@pytest.fixture(scope="module")
def db_range_6(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("schutzbereich") / "r6.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IMH_SCHUTZBEREICH", "6")
        mp.setenv("IMH_EDITIONS_DIR", str(db.parent / "keine_ausgaben"))
        build(REPO_ROOT / "data", db, today=STATUS_DATE)
    return db


def test_a_wider_range_is_kept_and_published_from_the_manifest(db_range_6: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IMH_SCHUTZBEREICH", "3")  # the server's setting differs from the build's
    runner = QueryRunner(db_range_6, REPO_ROOT / "queries")
    assert _protection_range(runner) == 6
    _, hidden, equations = eu2_reader(runner, dt.date(2012, 12, 31))
    assert all(hi - lo >= 6 for lo, hi in reader_intervals(equations, hidden).values())
    monkeypatch.setenv("IMH_DB", str(db_range_6))
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "methodik.py"), default_timeout=60).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Bereich von **6 Personen**" in text and "**3 Personen**" not in text


def test_a_value_shown_in_a_frozen_edition_protects_nothing():
    """Total 20 = a + b + c with a = 2 hidden and b = 8 as its complement: a lies in 1…9. If an earlier edition
    showed b = 8, the reader knows it: a is 2 again, and another cell (c) has to be hidden instead."""
    from integrationsmonitor.build import audit

    total, a, b, c = ("T",), ("a",), ("b",), ("c",)
    values = {total: 20, a: 2, b: 8, c: 10}
    relation = [(total, -1), (a, 1), (b, 1), (c, 1)]
    rule = audit.Rule.of(3, 3)
    assert audit.audit(audit.Table(values, [relation]), {a, b}, rule) == []
    known = audit.Table(values, [relation], known={b})
    assert [e.key for e in audit.audit(known, {a, b}, rule)] == [a]
    hidden, unprotected = audit.protect(known, {a, b}, rule)
    assert not unprotected and c in hidden
    assert reader_intervals([({a: 1, c: 1}, 12.0)], {a, c})[a] == (1, 11)
