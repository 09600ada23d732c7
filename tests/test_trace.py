"""From a figure to its raw rows: the trace query names file and line of every input, and those lines — read
here with the csv module, independently of the build — add up to the published figure."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from integrationsmonitor.__main__ import main
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.queries import QueryRunner

EXAMPLE_SOURCE = "Beispieldaten (erzeugt mit integrationsmonitor.example_data, Seed 20261125)"


def _lines(rel: str) -> list[list[str]]:
    """The file as the office delivered it: line n of the file is element n-1 (header = line 1)."""
    with open(REPO_ROOT / "data" / rel, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def test_derived_city_total_traces_to_the_population_lines(runner: QueryRunner) -> None:
    rows = runner.run("herkunft_beobachtung", indikator="auslaender", gebiet="05914000",
                      stichtag=dt.date(2022, 12, 31), nationalitaet="BG", quelle=EXAMPLE_SOURCE)
    assert set(rows["input_table"]) == {"population"} and len(rows) > 10
    total = 0
    for r in rows.itertuples():
        line = _lines(r.source_file)[r.source_row - 1]
        header = _lines(r.source_file)[0]
        record = dict(zip(header, line, strict=True))
        assert record["stichtag"] == "31.12.2022" and record["staatsangehoerigkeit"] == "BG"
        assert record["gebiet"] in {"SB1", "SB2", "SB3", "SB4", "SB5"}
        total += int(record["personen"])
    published = runner.run("indikator_zeitreihe", indikator="auslaender", gebiet="05914000")
    value = published[(published["nationality"] == "BG") & (published["source"] == EXAMPLE_SOURCE)
                      & (published["period"].astype(str).str[:10] == "2022-12-31")]["value"].iloc[0]
    assert total == value


def test_real_eu2_sum_traces_to_its_romanian_and_bulgarian_rows(runner: QueryRunner) -> None:
    rows = runner.run("herkunft_beobachtung", indikator="eu2_bestand", gebiet="05914000",
                      stichtag=dt.date(2022, 12, 31), nationalitaet="RO+BG", quelle="IT.NRW Ausländerstatistik")
    assert sorted(rows["nationality"]) == ["BG", "RO"]
    for r in rows.itertuples():
        header, *_ = _lines(r.source_file)
        record = dict(zip(header, _lines(r.source_file)[r.source_row - 1], strict=True))
        assert record["nationality"] == r.nationality and record["period"] == "2022-12-31"
        assert float(record["value"]) == r.value
    assert rows["value"].sum() == 7165  # the sum the monitor publishes (RO 4.855 + BG 2.310 in the raw file)


def test_cli_prints_file_and_line(built_db: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("IMH_DB", str(built_db))
    assert main(["herkunft", "eu2_bestand", "05914000", "31.12.2022", "RO+BG",
                 "--quelle", "IT.NRW Ausländerstatistik"]) == 0
    out = capsys.readouterr().out
    assert "7.165 (öffentlich), 2 Rohzeile(n)" in out and "data/raw/hagen_veroeffentlichte_zahlen.csv:" in out
    assert main(["herkunft", "eu2_bestand", "05914000", "32.12.2022"]) == 2
