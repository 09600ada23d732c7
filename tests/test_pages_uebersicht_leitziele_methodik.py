"""AppTest: Übersicht, Leitziele, Daten & Methodik render on default and filter combinations; numbers = database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import run_page
from streamlit.testing.v1 import AppTest

from integrationsmonitor import formatting, status


def _page(name: str, **params: str) -> AppTest:
    return run_page(f"pages/{name}.py", **params)


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [str(m.value) for m in at.metric] + [h.value for h in at.header]
    parts += [h.value for h in at.subheader] + [e.label for e in at.expander]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def con(built_db: Path):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def test_uebersicht_counts_and_headline_figures_equal_database(con):
    at = _page("uebersicht")
    text = _texts(at)
    for hf_id, name in con.execute("select id, name from handlungsfeld").fetchall():
        counts = dict(con.execute(
            "select s.category, count(*) from leitziel l join leitziel_status s on s.leitziel_id = l.id "
            "where l.handlungsfeld_id = ? group by 1", [hf_id]).fetchall())
        for cat in status.CATEGORY_ORDER:
            assert f"{status.CATEGORY_ICON[cat]} {status.CATEGORY_LABEL[cat]}: **{counts.get(cat, 0)}**" in text, name
    # headline: latest real (non-example) figure for Hagen per indicator, with source and Stand
    metrics = {m.label: m.value for m in at.metric}
    for ind in ("einwohner", "auslaender"):
        name, value, period, source, approx = con.execute(
            "select i.name, o.value, o.period, o.source, o.is_approx from observation_public o "
            "join indicator i on i.id = o.indicator_id where o.indicator_id = ? and o.area_id = '05914000' "
            "and o.nationality = '_T' and not o.is_example order by o.period desc, o.source limit 1", [ind]).fetchone()
        assert metrics[name] == formatting.value_with_unit(value, "Personen", approx=approx)
        # the source in its public wording (no working notes like "via Wikipedia infobox mirror")
        public = source.split(" (via ")[0]
        assert f"Quelle: {public} · Stand: {formatting.date(period)}" in text
    # the status chart: bar totals equal the number of Leitziele per category
    assert len(at.get("plotly_chart")) == 1
    assert "Von 27 Leitzielen" in text


def _html_table(markup: str) -> pd.DataFrame:
    """The cells of a plain HTML table as text (lxml, independent of the code that wrote it)."""
    import lxml.html

    table = lxml.html.fromstring(markup)
    header = [th.text_content() for th in table.iter("th")]
    rows = [[td.text_content() for td in tr.iter("td")] for tr in table.iter("tr")]
    return pd.DataFrame([r for r in rows if r], columns=header)


def test_uebersicht_changes_table_equals_database(con):
    at = _page("uebersicht")
    current, older = [_html_table(h.proto.body) for h in at.get("html") if "Zeitraum" in h.proto.body]
    table = pd.concat([current, older])
    real = con.execute(
        "select count(*) from (select indicator_id, nationality, source from observation_public "
        "where area_id = '05914000' and nationality in ('_T', 'RO+BG') group by all having count(*) >= 2)"
    ).fetchone()[0]
    assert len(table) == real
    # the change columns come right after the indicator (visible at 1.280 px), newest reference dates first
    assert list(current.columns[:4]) == ["Indikator", "Veränderung", "Veränderung in %", "Zeitraum"]
    for part in (current[current["Daten"] == "veröffentlichte Zahl"], current[current["Daten"] != "veröffentlichte Zahl"]):
        ends = [dt.datetime.strptime(z.split(" → ")[1], "%d.%m.%Y").date() for z in part["Zeitraum"]]
        assert ends == sorted(ends, reverse=True)
    # a series whose last value lies more than 400 days before the newest of its kind is not news: only the
    # expander "Ältere Reihen" lists it (published figures and example data each against their own newest date)
    def end(z: str) -> dt.date:
        return dt.datetime.strptime(z.split(" → ")[1], "%d.%m.%Y").date()

    for kind in (lambda d: d == "veröffentlichte Zahl", lambda d: d != "veröffentlichte Zahl"):
        now = [end(z) for z, d in zip(current["Zeitraum"], current["Daten"], strict=True) if kind(d)]
        old = [end(z) for z, d in zip(older["Zeitraum"], older["Daten"], strict=True) if kind(d)]
        newest = max(now)
        assert all((newest - e).days <= 400 for e in now) and all((newest - e).days > 400 for e in old)
    assert len(older) >= 1
    row = table[(table["Indikator"] == "Ausländer:innen") & (table["Quelle"] == "IT.NRW Ausländerstatistik")].iloc[0]
    latest, prev = con.execute(
        "select value from observation_public where indicator_id = 'auslaender' and area_id = '05914000' and "
        "nationality = '_T' and source = 'IT.NRW Ausländerstatistik' order by period desc limit 2").fetchall()
    assert row["Veränderung"] == "+" + formatting.number(latest[0] - prev[0])
    assert "Beispieldaten" in set(table["Daten"].str.replace("🧪 ", ""))


@pytest.mark.parametrize("params", [{"handlungsfeld": "TH"}, {"handlungsfeld": "BI"}, {"handlungsfeld": "kaputt"}])
def test_uebersicht_filter_combinations(params):
    at = _page("uebersicht", **params)
    if params["handlungsfeld"] == "kaputt":
        assert any("ungültigen Wert" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 1


def test_leitziele_default_and_detail_values_equal_database(con):
    at = _page("leitziele", leitziel="AA-TR-LZ4")
    text = _texts(at)
    official = con.execute("select text from leitziel where id = 'AA-TR-LZ4'").fetchone()[0]
    assert f"> {official}" in text  # verbatim
    label, category = con.execute(
        "select label, category from leitziel_status where leitziel_id = 'AA-TR-LZ4'").fetchone()
    assert f"Status: {status.CATEGORY_ICON[category]} {label}" in text
    assert status.RULE_TEXT["frist_abgelaufen"] in text  # the indicator with the 2018 deadline
    indicator_table = at.dataframe[1].value
    expected = con.execute("select count(*) from leitziel_indicator where leitziel_id = 'AA-TR-LZ4'").fetchone()[0]
    assert len(indicator_table) == expected
    row = indicator_table[indicator_table["Indikator"] == "Verfügbarkeit der EU-2-Kernkennzahlen"].iloc[0]
    target, due = con.execute("select value, due from target where indicator_id = 'eu2_datenverfuegbarkeit'").fetchone()
    assert row["Zielwert"] == f"{formatting.value_with_unit(target, '%')} bis {formatting.date(due)}"
    latest, period = con.execute("select latest_value, latest_period from indicator_status "
                                 "where indicator_id = 'eu2_datenverfuegbarkeit'").fetchone()
    assert row["Letzter Wert"] == f"{formatting.value_with_unit(latest, '%')} ({formatting.date(period)})"
    assert "Beispielhafte Zuordnung" in text  # measures are flagged example assignments
    assert len(at.get("plotly_chart")) == 1
    assert any(c.value.startswith("Quelle: ") and "Stand: " in c.value for c in at.caption)


def test_leitziele_chart_values_equal_database(con):
    at = _page("leitziele", leitziel="AA-TR-LZ4", indikator="auslaender", gebiet="05914000")
    chart = at.get("plotly_chart")[0]
    import json
    spec = json.loads(chart.proto.spec)
    traces = {t["name"]: t for t in spec["data"]}
    rows = con.execute("select period, value from observation_public where indicator_id = 'auslaender' and "
                       "area_id = '05914000' and nationality = '_T' and source = 'IT.NRW Ausländerstatistik' "
                       "order by period").fetchall()
    assert traces["IT.NRW Ausländerstatistik"]["y"] == [v for _, v in rows]
    assert any(name.endswith("Beispieldaten") for name in traces)
    assert any("Arbeitnehmerfreizügigkeit" in a.get("text", "") for a in spec["layout"]["annotations"])


def test_leitziele_data_gap_and_invalid_parameters():
    at = _page("leitziele", leitziel="BI-ELT-LZ1")
    assert any("Datenlücke" in i.value and "Datenhalter" in i.value for i in at.info)
    at = _page("leitziele", leitziel="GIBTESNICHT", handlungsfeld="XX", gebiet="SB9")
    warnings = " ".join(w.value for w in at.warning)
    assert "ungültigen Wert" in warnings and "GIBTESNICHT" in warnings and "XX" in warnings
    at = _page("leitziele", handlungsfeld="TH", leitziel="TH-EA-LZ1", gebiet="SB9")
    assert any("SB9" in w.value for w in at.warning)
    assert "Mindestens 1/3" in _texts(at)
    assert len(at.get("plotly_chart")) >= 1


def test_methodik_tables_equal_database_and_downloads(con):
    at = _page("methodik")
    text = _texts(at)
    tables = [d.value for d in at.dataframe]
    n_ind = con.execute("select count(*) from indicator").fetchone()[0]
    assert any(len(t) == n_ind and "Definition" in t.columns for t in tables)
    for note in con.execute("select text from catalog_note").fetchall():
        assert note[0] in text
    assert "9 thematischen" in text
    examples = con.execute("select count(*) from (select indicator_id, source from observation_public "
                           "where is_example group by all)").fetchone()[0]
    assert any(len(t) == examples and "Gebiete" in t.columns for t in tables)
    build_id = con.execute("select build_id from build_manifest").fetchone()[0]
    assert any(build_id in set(t.get("Wert", [])) for t in tables)
    assert "„·“" in text and "unter **3**" in text
    # every table has a CSV and an XLSX download
    buttons = [b for b in at.get("download_button")]
    assert len(buttons) == 2 * len(tables)


def test_leitziele_never_shows_a_suppressed_value(con):
    """Baseline/latest values of the status series that are suppressed in the public view appear as '·'."""
    rows = con.execute(
        "select li.leitziel_id, i.name, s.baseline_period from leitziel_indicator li "
        "join indicator i on i.id = li.indicator_id join indicator_status s on s.indicator_id = i.id "
        "join observation o on o.indicator_id = s.indicator_id and o.area_id = s.area_id "
        " and o.nationality = s.nationality and o.source = s.source and o.period = s.baseline_period "
        "where o.suppressed limit 1").fetchall()
    assert rows, "die Testdaten sollten einen geheim gehaltenen Basiswert enthalten"
    leitziel, name, period = rows[0]
    at = _page("leitziele", leitziel=leitziel)
    table = at.dataframe[1].value
    cell = table[table["Indikator"] == name].iloc[0]["Basiswert"]
    assert cell == f"{formatting.SUPPRESSED} ({formatting.date(period)})"


def test_leitziele_period_filter_from_url(con):
    import json

    at = _page("leitziele", leitziel="AA-TR-LZ4", indikator="auslaender", gebiet="05914000", ab="2020")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    shown = sum(len(t["y"]) for t in spec["data"])
    expected = con.execute("select count(*) from observation_public where indicator_id = 'auslaender' and "
                           "area_id = '05914000' and nationality = '_T' and year(period) >= 2020").fetchone()[0]
    assert shown == expected
    assert all(x[:4] >= "2020" for t in spec["data"] for x in t["x"])
    at = _page("leitziele", leitziel="AA-TR-LZ4", indikator="auslaender", ab="1800")
    assert any("ab Jahr" in w.value for w in at.warning)


def _state_key(at: AppTest, label_start: str) -> tuple[object, str]:
    box = next(e for e in at.expander if e.label.startswith(label_start))
    return box, box.proto.id.split("-", 2)[2]  # the widget key after Streamlit's "$$ID-<hash>-" prefix


def test_status_chart_comes_first_and_tables_are_sent_only_when_opened(con):
    """The first chart as early as possible: the status chart leads the page, and neither the chart's data table
    nor the block tables travel to the browser before someone opens them — then they are complete."""
    at = _page("uebersicht")
    headers = [h.value for h in at.header]
    assert headers.index("Status der Leitziele") < headers.index("Hagen in Zahlen")
    data, data_key = _state_key(at, "Daten zum Diagramm")
    assert len(data.table) == 0
    # the concept's 10 blocks (Bildung 4, Ausbildung und Arbeit 2, Teilhabe 4)
    blocks = [e for e in at.expander if e.label.startswith(("Bildung ·", "Ausbildung und Arbeit ·", "Teilhabe ·"))]
    assert len(blocks) == 10 and not any(len(b.dataframe) for b in blocks)
    block, block_key = _state_key(at, blocks[0].label)
    at.session_state[data_key] = True
    at.session_state[block_key] = True
    at.run()
    data, _ = _state_key(at, "Daten zum Diagramm")
    table = data.table[0].value
    assert table["Leitziele"].sum() == 27  # the Integrationskonzept's 27 Leitziele, each counted once
    block, _ = _state_key(at, blocks[0].label)
    shown = set(block.dataframe[0].value["Leitziel"])
    name = blocks[0].label.split(" · ", 1)[1].split(" – ", 1)[0]
    expected = {r[0] for r in con.execute(
        "select l.id from leitziel l join block b on b.id = l.block_id where b.name = ?", [name]).fetchall()}
    assert expected and shown == expected
