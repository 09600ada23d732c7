"""Catalogue deliveries through ``update`` (issue 15 §3, issue 13 §2 last bullet) and the delivery of 2026-12.

The delivery ``lieferung_2026-12_veroeffentlichte_zahlen.csv`` names measures and source kinds the catalogue does
not know: ``update`` must say which, where, and how to add them; a catalogue delivery uploaded with it adds them
(preview first), and ``restore`` takes catalogue and data back together.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import db_rows as _q

from integrationsmonitor.__main__ import main
from integrationsmonitor.build import official, update
from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT

TODAY = dt.date(2026, 11, 25)
DELIVERY = REPO_ROOT / "data" / "raw" / "lieferung_2026-12_veroeffentlichte_zahlen.csv"
CATALOGUE = REPO_ROOT / "data" / "raw" / "katalog_2026-12.csv"
BENCH = REPO_ROOT / "data" / "raw" / "vergleichszahlen_2026-12.csv"
HEADER = "art;code;name;einheit;richtung;typ;quellentyp;adjektiv;beschreibung\n"
PUBLISHED = "figure_id;area;period;measure;nationality;value;unit;source_kind;source_url;note\n"


@pytest.fixture(scope="module")
def template(data_template) -> Path:
    """The repository's data *without* the 2026-12 delivery, its catalogue delivery and the new benchmark rows
    B08–B12 (the state before)."""
    return data_template(without=(DELIVERY.name, CATALOGUE.name, BENCH.name), today=TODAY)


def test_delivery_alone_says_what_is_unknown_and_how_to_add_it(settings):
    staged = update.stage([(DELIVERY.name, DELIVERY.read_bytes())], settings)
    problems = update.validate(staged, today=TODAY)
    unknown = sorted((p.row, p.column) for p in problems if "Merkmal" in p.message)
    # rows N18–N22 of the file (header = line 1): three new measures
    assert unknown == [(19, "measure"), (20, "measure"), (21, "measure"), (22, "measure"), (23, "measure")]
    gaps = official.gap_report(staged.data_dir)
    assert set(gaps.measures) == {"mindestsicherungsquote", "mindestsicherungsquote_unter_18", "sgb2_quote"}
    assert gaps.measures["sgb2_quote"] == ("raw/" + DELIVERY.name, 23, "%")
    assert "Zensus 2022" in gaps.source_kinds and gaps.source_kinds["Zensus 2022"][1] == 2
    template = gaps.template()
    assert "indikator;sgb2_quote;;%;;K;;;" in template and "quellenart;Zensus 2022;;;;;zensus;;" in template
    assert "über `update` hochladen" in gaps.how_to()
    update.discard(staged)


def test_delivery_with_catalogue_delivery_publishes_and_restore_rolls_both_back(settings):
    before = _q(settings.db_path, "select count(*) from indicator")[0][0]
    staged = update.stage([(DELIVERY.name, DELIVERY.read_bytes()), (CATALOGUE.name, CATALOGUE.read_bytes())],
                          settings)
    assert update.validate(staged, today=TODAY) == []
    lines = official.preview_lines(staged.db_path, settings.db_path)
    assert any(line.startswith("Neu im Katalog") and "sgb2_quote" in line for line in lines)
    assert not any(line.startswith("Neue Gebiete") for line in lines)  # the Kreise are published already
    changes = update.diff(settings.db_path, staged.db_path)
    new = {key for _, key, _ in changes.new}
    assert ("einwohner", "05914000", "2022-05-15", "_T", "Zensus 2022") in new
    assert ("sgb2_quote", "05914000", "2018-12-31", "_T", "Bundesagentur für Arbeit (SGB-II-Quote)") in new
    kept = update.publish(staged, settings)
    db = settings.db_path
    again = update.stage([(DELIVERY.name, DELIVERY.read_bytes())], settings)  # the same once more: nothing new
    assert update.validate(again, today=TODAY) == []
    assert not any(line.startswith("Neu im Katalog") for line in official.preview_lines(again.db_path, db))
    update.discard(again)
    assert _q(db, "select count(*) from indicator")[0][0] == before + 3
    assert _q(db, "select kind from source_kind where source = 'Zensus 2022'") == [("zensus",)]
    assert _q(db, "select value from observation where indicator_id = 'mindestsicherungsquote_unter_18' "
                  "and period = '2018-12-31'") == [(28.2,)]
    # the real naturalisations 2011/2012 replace the example series for Hagen (no longer shown next to it)
    assert _q(db, "select count(*) from observation where indicator_id = 'einbuergerungen' and is_example") == [(0,)]
    assert _q(db, "select example_rows from example_superseded where indicator_id = 'einbuergerungen'") == [(10,)]
    update.restore(kept.name, settings)
    assert _q(db, "select count(*) from indicator")[0][0] == before
    assert _q(db, "select count(*) from indicator where id = 'sgb2_quote'") == [(0,)]
    assert not (settings.data_dir / "raw" / CATALOGUE.name).exists()
    assert not (settings.data_dir / "raw" / DELIVERY.name).exists()
    # the restored state builds again to the same catalogue (nothing of the delivery left in data/)
    build(settings.data_dir, settings.data_dir / "again.duckdb", today=TODAY)
    assert _q(settings.data_dir / "again.duckdb", "select count(*) from indicator")[0][0] == before


def test_bad_catalogue_rows_are_named_precisely(settings):
    text = HEADER + "\n".join([
        "indikator;einwohner;Einwohner;Personen;steigend;K;;;doppelt",
        "indikator;neue_quote;Neue Quote;%;aufwärts;K;;;falsche Richtung",
        "staatsangehoerigkeit;Mar;Marokko;;;;;marokkanische;",
        "quellenart;Neue Quelle;;;;;irgendwas;;",
        "sonstiges;x;;;;;;;",
    ]) + "\n"
    staged = update.stage([("katalog_fehler.csv", text.encode())], settings)
    problems = [p for p in update.validate(staged, today=TODAY) if p.file == "raw/katalog_fehler.csv"]
    where = {(p.row, p.column): p.message for p in problems}
    assert where[(2, "code")] == "Indikator 'einwohner' gibt es schon"
    assert where[(3, "richtung")] == "unbekannte Richtung 'aufwärts'"
    assert where[(4, "code")] == "Code 'Mar' ist kein ISO-3166-Code"
    assert where[(5, "quellentyp")] == "unbekannter Quellentyp 'irgendwas'"
    assert where[(6, "art")] == "unbekannte Art 'sonstiges'"
    update.discard(staged)


def test_new_nationality_through_catalogue_delivery(settings):
    figures = PUBLISHED + "M01;Hagen;2024-12-31;auslaender;MA;1234;Personen;IT.NRW Ausländerstatistik;" \
                          "https://example.org/ma;\n"
    staged = update.stage([("ma.csv", figures.encode())], settings)
    assert any(p.column == "nationality" and "'MA'" in p.message for p in update.validate(staged, today=TODAY))
    assert "MA" in official.gap_report(staged.data_dir).nationalities
    update.discard(staged)
    catalogue = HEADER + "staatsangehoerigkeit;MA;Marokko;;;;;marokkanische;\n"
    staged = update.stage([("ma.csv", figures.encode()), ("katalog_ma.csv", catalogue.encode())], settings)
    assert update.validate(staged, today=TODAY) == []
    assert _q(staged.db_path, "select name, kind from nationality where code = 'MA'") == [("Marokko", "staat")]
    update.discard(staged)


def test_cli_update_prints_the_gaps_and_a_template(settings, capsys):
    assert main(["update", str(DELIVERY)]) == 1
    err = capsys.readouterr().err
    assert "Noch nicht im Katalog:" in err and "Merkmal 'sgb2_quote' (Einheit %)" in err
    assert "Vorlage Katalogergänzung:" in err and "quellenart;Zensus 2022;;;;;zensus;;" in err


def test_benchmark_figures_2026_are_loaded(built_db):
    """vergleichszahlen.csv + vergleichszahlen_2026-12.csv = shared benchmark_figures.csv (B08–B12 are the new rows);
    Herne and Märkischer Kreis exist as areas only because the Kreise table created them."""
    candidates = [REPO_ROOT.parent / "shared", REPO_ROOT.parent.parent / "shared"]
    shared = next((c / "data" / "benchmark_figures.csv" for c in candidates
                   if (c / "data" / "benchmark_figures.csv").exists()), None)
    if shared is not None:  # the shared copy beside the repository: nothing of it is missing here
        ours = {line for name in ("vergleichszahlen.csv", BENCH.name)
                for line in (REPO_ROOT / "data" / "raw" / name).read_text(encoding="utf-8").splitlines()}
        assert set(shared.read_text(encoding="utf-8").splitlines()) <= ours
    rows = _q(built_db, "select o.figure_id, a.name, o.value from observation o join area a on a.id = o.area_id "
                        "where o.figure_id in ('B08', 'B11', 'B12') order by o.figure_id")
    assert rows == [("B08", "Herne", 19.0), ("B11", "Märkischer Kreis", 9.7), ("B12", "Nordrhein-Westfalen", 29357.0)]


def test_datenpflege_page_lists_the_gaps_and_the_official_preview(settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from integrationsmonitor.serving import auth

    monkeypatch.setenv("IMH_ADMIN_PASSWORD", "geheim")
    staged = update.stage([(DELIVERY.name, DELIVERY.read_bytes())], settings)
    update.validate(staged, today=TODAY)
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "datenpflege.py"), default_timeout=120)
    at.session_state[auth.SESSION_KEY] = True
    at.session_state["staged"] = staged
    at.run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Noch nicht im Katalog" in warning and "Merkmal 'sgb2_quote'" in warning
    assert "Quellenart 'Zensus 2022'" in warning
    update.discard(staged)
    signs = Path(__file__).parent / "fixtures" / "genesis" / "73111-01-01-4_de_flat.csv"
    staged = update.stage([(signs.name, signs.read_bytes())], settings)
    assert update.validate(staged, today=TODAY) == []
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "datenpflege.py"), default_timeout=120)
    at.session_state[auth.SESSION_KEY] = True
    at.session_state["staged"] = staged
    at.run()
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "Amtliche Tabelle 73111-01-01-4" in info and "„…“ 2×" in info and "(bleiben Zeichen, nie 0)" in info
    assert "nicht zugeordnet – Wertmerkmal LSNW01" in info
    update.discard(staged)
