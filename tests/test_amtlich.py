"""Official figures in the views (issue 15 §3, §5): Übersicht, like-with-like comparisons, methodology.

Expected numbers were read off the shipped download by hand (awk, sorted by population) — see the comments."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest
from conftest import run_page

from integrationsmonitor.build.pipeline import build
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import amtlich, index

SOURCE = "IT.NRW/Destatis Fortschreibung (Regionalstatistik 12411-01-01-4, Stand 31.03.2025)"


def test_uebersicht_shows_official_population_of_hagen_with_source(runner):
    figures = runner.run("uebersicht_kennzahlen")
    real = figures[(figures["indicator_id"] == "einwohner") & ~figures["is_example"]].iloc[0]
    assert (real["value"], pd.Timestamp(real["period"]).date(), real["source"]) == (
        190384.0, dt.date(2024, 12, 31), SOURCE)


def test_population_comparison_one_table_one_date_one_source(runner):
    result = index.render("vergleich_amtliche_bevoelkerung", runner, gruppe="ruhr")
    table = result.table
    assert list(table["Gebiet"][:3]) == ["Hagen", "Nordrhein-Westfalen", "Deutschland"]
    assert list(table["Einwohner:innen"][:3]) == ["190.384", "18.034.454", "83.577.140"]
    assert len(table) == 3 + 10  # Hagen, NRW, DE + the other ten RVR kreisfreie Städte
    rows = dict(zip(table["Gebiet"], table["Rang unter kreisfreien Städten NRW"], strict=True))
    # 23 kreisfreie Städte in NRW by population 31.12.2024: Dortmund 3rd, Hagen 16th, Herne 21st, Bottrop 22nd
    assert (rows["Dortmund"], rows["Hagen"], rows["Herne"], rows["Bottrop"], rows["Deutschland"]) == (
        "3", "16", "21", "22", "")
    assert "Unter den 23 kreisfreien Städten in NRW ist Hagen nach Einwohnerzahl die 16.-größte." in result.sentence
    assert "1,1\u00a0% der Einwohner:innen NRWs" in result.sentence  # 190.384 / 18.034.454 = 1,06 %
    assert result.source == SOURCE and result.stand == "31.12.2024"
    assert any(n.startswith("„Ähnliche Städte“ = Kreisfreie Städte im Ruhrgebiet: Die elf kreisfreien Städte")
               for n in result.footnotes)


def test_size_class_group_follows_its_published_rule(runner):
    result = amtlich.vergleich_amtliche_bevoelkerung(runner, gruppe="groesse")
    members = set(result.table["Gebiet"][3:]) | {"Hagen"}
    # kreisfreie Städte NRW with 150.000–250.000 inhabitants on 31.12.2024 (from the download, by hand)
    assert members == {"Krefeld", "Oberhausen", "Hagen", "Hamm", "Mülheim an der Ruhr", "Leverkusen", "Solingen",
                       "Herne"}
    assert any("150.000 und 250.000" in n for n in result.footnotes)


def test_eu2_share_only_where_count_and_population_share_a_date(runner):
    result = amtlich.vergleich_eu2_anteil_amtlich(runner)
    assert result.figure is None and "kein Anteil" in result.sentence
    assert any(n.startswith("Dortmund: EU-2-Zahl vom 31.12.2018, amtliche Einwohnerzahl nur zum 31.12.2024")
               for n in result.footnotes)


def test_eu2_share_is_formed_on_a_common_date(tmp_path):
    root = tmp_path / "data"
    for sub in ("catalog", "geo", "raw"):
        shutil.copytree(REPO_ROOT / "data" / sub, root / sub)
    (root / "raw" / "eu2_2024.csv").write_text(
        "figure_id;area;period;measure;nationality;value;unit;source_kind;source_url;note\n"
        "T01;Herne;2024-12-31;auslaender;RO;4000;Personen;IT.NRW Ausländerstatistik;https://example.org/a;\n"
        "T02;Herne;2024-12-31;auslaender;BG;1233;Personen;IT.NRW Ausländerstatistik;https://example.org/a;\n",
        encoding="utf-8")
    db = root / "t.duckdb"
    build(root, db, today=dt.date(2026, 11, 25))
    result = amtlich.vergleich_eu2_anteil_amtlich(QueryRunner(db, REPO_ROOT / "queries"))
    herne = result.table[result.table["Gebiet"] == "Herne"].iloc[0]
    # 5.233 / 155.851 (Herne, 31.12.2024) = 3,36 %
    assert (herne["EU-2 (RO+BG)"], herne["amtl. Einwohner:innen"], herne["Anteil"]) == ("5.233", "155.851", "3,4\u00a0%")
    assert "Herne 3,4\u00a0% am 31.12.2024" in result.sentence


@pytest.mark.parametrize(("indicator", "level", "state"), [
    ("einwohner", "stadt", "echt und Beispiel"), ("einwohner", "kreis", "echt"),
    ("einbuergerungen", "stadt", "echt"), ("sgb2_quote_eu2", "stadt", "nur Beispieldaten"),
    ("sgb2_quote", "vergleichsstadt", "echt"),
])
def test_methodology_lists_real_and_example_per_level(runner, indicator, level, state):
    rows = runner.run("methodik_datenlage")
    row = rows[(rows["indicator_id"] == indicator) & (rows["level"] == level)].iloc[0]
    assert row["state"] == state


def test_example_naturalisations_are_replaced_by_the_real_ones(runner):
    rows = runner.run("methodik_datenlage")
    row = rows[(rows["indicator_id"] == "einbuergerungen") & (rows["level"] == "stadt")].iloc[0]
    assert (row["real_values"], row["example_values"], row["superseded_values"]) == (2, 0, 10)


def test_signs_are_shown_as_signs_in_the_comparison(tmp_path):
    """A Kreise table in which the office gave "." for Herne: the table and the footnote show ".", never 0."""
    root = tmp_path / "data"
    for sub in ("catalog", "geo", "raw"):
        shutil.copytree(REPO_ROOT / "data" / sub, root / sub)
    raw = root / "raw" / "genesis_12411-01-01-4.csv"
    text = raw.read_text(encoding="utf-8-sig")
    text = "\n".join(line.replace(";155851;", ";.;") for line in text.splitlines()) + "\n"
    raw.write_text("\ufeff" + text, encoding="utf-8")
    (root / "raw" / "vergleichszahlen_2026-12.csv").unlink()
    db = root / "t.duckdb"
    build(root, db, today=dt.date(2026, 11, 25))
    result = amtlich.vergleich_amtliche_bevoelkerung(QueryRunner(db, REPO_ROOT / "queries"), gruppe="ruhr")
    herne = result.table[result.table["Gebiet"] == "Herne"].iloc[0]
    assert (herne["Einwohner:innen"], herne["Rang unter kreisfreien Städten NRW"]) == (".", "")
    assert "Herne „.“" in result.footnotes[-1]
    # Herne's "." is secret/unknown: no NRW total is formed from a table with a hidden Kreis
    assert {"Nordrhein-Westfalen", "Deutschland"}.isdisjoint(result.table["Gebiet"])
    assert "Unter den 22 kreisfreien Städten in NRW ist Hagen nach Einwohnerzahl die 16.-größte." in result.sentence


def test_uebersicht_page_and_comparison_page_show_the_official_figures(built_db):
    from streamlit.testing.v1 import AppTest

    at = run_page("pages/uebersicht.py", timeout=120)
    assert "190.384" in [str(m.value) for m in at.metric]
    assert f"Quelle: {SOURCE} · Stand: 31.12.2024" in [c.value for c in at.caption]
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "suedosteuropa.py"), default_timeout=120)
    at.query_params["vergleich"] = "nrw"
    at.query_params["gruppe"] = "groesse"
    at.run()
    assert not at.exception
    texts = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    assert "die 16.-größte" in texts and "150.000 und 250.000" in texts
