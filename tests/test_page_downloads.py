"""Download buttons for every view table on Leitziele, Quartiere and Südosteuropa; their files are typed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import downloads
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import index


@pytest.mark.parametrize(("page", "views"), [("pages/leitziele.py", 1), ("pages/quartiere.py", 4),
                                             ("pages/suedosteuropa.py", 5)])
def test_every_view_on_the_page_has_csv_and_xlsx_download(built_db: Path, page: str, views: int) -> None:
    at = AppTest.from_file(str(REPO_ROOT / page), default_timeout=90).run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    csv_labels = [label for label in labels if label.endswith("“ als CSV herunterladen")]
    xlsx_labels = [label for label in labels if label.endswith("“ als XLSX herunterladen")]
    assert len(csv_labels) >= views and len(csv_labels) == len(xlsx_labels)
    assert len(set(labels)) == len(labels)  # each button names its table (accessible name, WCAG 2.4.6)


def test_district_profile_download_has_typed_values_and_dates(runner: QueryRunner) -> None:
    result = index.render("quartier_steckbrief", runner, bezirk="SB1")
    rows = list(csv.reader(io.StringIO(downloads.csv_bytes(result.table).decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    stichtag = header.index("Stichtag")
    assert all(dt.datetime.strptime(r[stichtag], "%d.%m.%Y") for r in rows[1:])
    district = header.index("Hagen-Mitte")
    assert not any("." in r[district].split(",")[0] for r in rows[1:])  # no "1.837": plain numbers for Excel
    ws = load_workbook(io.BytesIO(downloads.xlsx_bytes(result.table, "Steckbrief")))["Steckbrief"]
    values = [c.value for c in ws[ws.cell(1, district + 1).column_letter][1:len(rows)]]
    assert all(isinstance(v, (int, float)) or v in ("·", "–") for v in values)
    assert any(isinstance(v, float) and v < 1 for v in values)  # shares are fractions with a % format


def _download_names(page: str, monkeypatch: pytest.MonkeyPatch, **params: str) -> dict[str, str]:
    """Button label → file name the browser saves, for every download button of the page with these URL
    parameters (the name of a deferred download is registered with Streamlit's media file manager)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    names: dict[str, str] = {}
    original = MediaFileManager.add_deferred

    def recording(self, *args, **kwargs):
        file_id = original(self, *args, **kwargs)
        names[file_id] = kwargs.get("file_name")
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    at = AppTest.from_file(str(REPO_ROOT / page), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return {b.label: names[b.proto.deferred_file_id] for b in at.get("download_button")}


def test_download_file_names_carry_nationality_district_and_date(built_db: Path, monkeypatch) -> None:
    """The CSV/XLSX of a view is named like its chart picture (title and Stand): two filter choices, two names."""
    label = "„{}“ als {} herunterladen"
    bg = _download_names("pages/quartiere.py", monkeypatch, bezirk="SB1", indikator="auslaender.BG",
                         stichtag="2024-12-31")
    karte = "Ausländer:innen – Bulgarien nach Stadtbezirk"
    assert bg[label.format(karte, "CSV")] == "Ausländer-innen_Bulgarien_nach_Stadtbezirk_31.12.2024.csv"
    assert bg[label.format(karte, "XLSX")] == "Ausländer-innen_Bulgarien_nach_Stadtbezirk_31.12.2024.xlsx"
    ro = _download_names("pages/quartiere.py", monkeypatch, bezirk="SB3", indikator="auslaender.RO",
                         stichtag="2023-12-31")
    karte = "Ausländer:innen – Rumänien nach Stadtbezirk"
    assert ro[label.format(karte, "CSV")] == "Ausländer-innen_Rumänien_nach_Stadtbezirk_31.12.2023.csv"
    steckbrief = [name for text, name in ro.items() if text.startswith("„Steckbrief")]
    assert sorted(steckbrief) == ["Steckbrief_Hohenlimburg_31.12.2023.csv", "Steckbrief_Hohenlimburg_31.12.2023.xlsx"]
    vergleich = [name for text, name in ro.items() if "im Vergleich" in text and text.endswith("CSV herunterladen")]
    assert vergleich == ["Ausländer-innen_Rumänien_Hohenlimburg_im_Vergleich_Bezirk_31.12.2023.csv"], ro
    assert len(set(bg.values())) == len(bg) and len(set(ro.values())) == len(ro)  # no two files alike
