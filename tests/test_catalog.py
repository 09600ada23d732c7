"""The catalogue: 27 Leitziele, 7/7/13 per Handlungsfeld, verbatim texts, unique codes, indicators per block."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.ingest.catalog import load_catalog

CATALOG_DIR = REPO_ROOT / "data" / "catalog"


@pytest.fixture(scope="module")
def catalog():
    cat, problems = load_catalog(CATALOG_DIR)
    assert problems == []
    return cat


def _concept_leitziele() -> list[str]:
    """Leitziel texts read independently from the concept's own text file."""
    text = (CATALOG_DIR / "quelle_integrationskonzept.txt").read_text(encoding="utf-8")
    items = re.findall(r"^- Leitziel(?: \d+)?: (.+?)(?=\n\s*\n|\n- |\n\*\*)", text, flags=re.M | re.S)
    return [" ".join(t.split()) for t in items]


def test_27_leitziele_in_three_handlungsfelder(catalog):
    assert len(catalog.leitziele) == 27
    per_field = Counter(lz.handlungsfeld_id for lz in catalog.leitziele)
    assert per_field == {"BI": 7, "AA": 7, "TH": 13}


def test_leitziel_texts_are_verbatim_from_the_concept(catalog):
    concept = _concept_leitziele()
    assert len(concept) == 27
    assert [lz.text for lz in catalog.leitziele] == concept


def test_ten_block_headings_with_unique_codes_and_the_9_vs_10_note(catalog):
    assert len(catalog.blocks) == 10
    assert len({b.id for b in catalog.blocks}) == 10
    names = [b.name for b in catalog.blocks]
    assert sum(n.startswith("Transparenz") for n in names) == 2
    notes = dict(catalog.notes)
    assert "9 thematischen Blöcken" in notes["bloecke-9-oder-10"]


def test_codes_unique(catalog):
    ids = [lz.id for lz in catalog.leitziele]
    assert len(ids) == len(set(ids))
    ind_ids = [i["id"] for i in catalog.indicators]
    assert len(ind_ids) == len(set(ind_ids))


def test_every_block_has_an_indicator(catalog):
    lz_block = {lz.id: lz.block_id for lz in catalog.leitziele}
    covered = {lz_block[lz] for ind in catalog.indicators for lz in ind["leitziele"]}
    assert covered == {b.id for b in catalog.blocks}


def test_every_leitziel_has_an_indicator_and_nm_links_exist(catalog):
    linked = Counter(lz for ind in catalog.indicators for lz in ind["leitziele"])
    assert {lz.id for lz in catalog.leitziele} <= set(linked)
    shared = [i["id"] for i in catalog.indicators if len(i["leitziele"]) > 1]
    assert "beratungsverlauf_dokumentiert" in shared  # Transparenz LZ2 ≈ Transparenz/Vernetzung LZ4


def test_targets_from_the_concept(catalog):
    targets = {t.indicator_id: t for t in catalog.targets}
    ehrenamt = [i for i in catalog.indicators if "TH-EA-LZ1" in i["leitziele"] and i["id"] in targets]
    assert len(ehrenamt) == 1 and targets[ehrenamt[0]["id"]].value == pytest.approx(100 / 3, abs=0.05)
    transparenz = [i for i in catalog.indicators if "AA-TR-LZ4" in i["leitziele"] and i["id"] in targets]
    assert len(transparenz) == 1
    assert targets[transparenz[0]["id"]].due.isoformat() == "2018-12-31"


def test_indicator_metadata_complete(catalog):
    for ind in catalog.indicators:
        assert ind["typ"] in {"K", "E", "U"}
        assert ind["richtung"] in {"steigend", "fallend", "neutral"}
        for key in ("definition", "einheit", "quelle", "datenhalter", "raumebene", "aktualisierung"):
            assert str(ind[key]).strip(), (ind["id"], key)
