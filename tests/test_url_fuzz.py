"""Hostile and careless URL parameters: 1.000 generated cases never give a traceback or an SQL error.

* 940 cases against the validators the pages use for their URL parameters (integrationsmonitor.urlparams,
  the Quartiere/Südosteuropa choice check, the presentation's slide number): the value is always valid,
  a warning is German text in which the URL value is quoted harmlessly.
* 36 cases of hostile values bound into every parametrised query in queries/ (bound parameters only:
  at worst a conversion error, never a parser error, and the database is not changed).
* 24 full AppTest runs across the pages with hostile query parameters: no exception element, no traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from integrationsmonitor import urlparams
from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.exports import presentation
from integrationsmonitor.queries import QueryError
from integrationsmonitor.views import quartiere

SEED = 20261125
PARAMS = ["handlungsfeld", "leitziel", "indikator", "gebiet", "bezirk", "stichtag", "folge", "folie", "vergleich",
          "ansicht", "staatsangehoerigkeit", "jahr", "von", "bis", "quelle"]
HOSTILE = [
    "' OR 1=1 --", "'; DROP TABLE observation; --", "\" OR \"\"=\"", "1; select * from build_manifest",
    "$name", "?", "%27%20OR%201%3D1", "') union select password from users --", "\\'; attach '/tmp/x.db' as x; --",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</div><iframe src=//evil.example>",
    "[klick](javascript:alert(1))", "![x](http://evil.example/t.png)", "**fett** _kursiv_ `code`", "# Überschrift",
    "${7*7}", "{{7*7}}", "../../etc/passwd", "A" * 5000, "ä" * 300, "😀" * 50, "\u202eRTL\u202c", "\u200b",
    "\r\nX-Header: 1", "NaN", "inf", "-1", "0", "99999999999999999999", "1e309", "0x1F", "31.02.2023",
    "2023-13-45", "0000-00-00", "31.12.99999", "29.02.2023", "2022-12-31", "31.12.2022", "", " ", "SB1", "SB9",
    "05914000", "_T", "RO+BG", "LZ1", "1", "2", "12", "None", "null", "undefined", "true", "[]", "{}",
]
VALID = ["HF1", "HF2", "HF3", "alle", "SB1", "SB2", "05914000", "einwohner", "auslaender", "eu2_anteil"]


def hostile_value(rng: random.Random, allow_control: bool = True) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        value = rng.choice(HOSTILE)
    elif kind == 1:
        value = rng.choice(HOSTILE) + rng.choice(HOSTILE)
    elif kind == 2:
        value = rng.choice(VALID) + rng.choice(["'", "\"", ";", "--", " ", "%00", "<b>", ")"])
    elif kind == 3:
        value = "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(1, 80)))
    elif kind == 4:
        value = f"{rng.randrange(-40, 80)}.{rng.randrange(-3, 15)}.{rng.randrange(-1, 10000)}"
    else:
        value = rng.choice(VALID)
    if not allow_control:
        value = "".join(ch for ch in value if ch.isprintable())
    return value


def assert_safe_warning(warning: str | None) -> None:
    if warning is None:
        return
    assert isinstance(warning, str) and len(warning) < 400
    assert not re.search(r"(?<!\\)\]\(", warning), warning  # no Markdown link or image from the URL
    assert not re.search(r"(?<!\\)<", warning), warning  # no raw tag
    assert "\n" not in warning and "\r" not in warning


def test_validators_with_940_generated_cases():
    rng = random.Random(SEED)
    valid = ["alle", "HF1", "HF2", "HF3"]
    dates = [dt.date(2022, 12, 31), dt.date(2023, 12, 31)]
    for i in range(940):
        raw = hostile_value(rng)
        target = i % 7
        if target == 0:
            value, warning = urlparams.pick(raw, valid, "alle", name="Handlungsfeld")
            assert value in valid
            assert_safe_warning(warning)
        elif target == 1:
            value, warning = urlparams.pick_int(raw, 1, name="Folie", lo=1, hi=12)
            assert 1 <= value <= 12
            assert_safe_warning(warning)
        elif target == 2:
            value, warning = urlparams.pick_date(raw, dates[-1], name="Stichtag", valid=dates)
            assert value in dates
            assert_safe_warning(warning)
        elif target == 3:
            values, warning = urlparams.pick_many(raw, valid, ["alle"], name="Handlungsfelder")
            assert values and set(values) <= set(valid)
            assert_safe_warning(warning)
        elif target == 4:
            value, warning = quartiere.validate_choice(raw, ["SB1", "SB2"], "SB1", "Stadtbezirk",
                                                       {"SB1": "Hagen-Mitte", "SB2": "Hagen-Nord"})
            assert value in ("SB1", "SB2")
            assert warning is None or isinstance(warning, str)
        elif target == 5:
            index, warning = presentation.parse_slide_number(raw, 8)
            assert 0 <= index < 8
            assert warning is None or isinstance(warning, str)
        else:
            assert urlparams.echo(raw).count("\n") == 0
            assert len(urlparams.echo(raw)) <= 2 * urlparams.MAX_ECHO + 2


def test_echo_neutralises_markdown_and_long_values():
    shown = urlparams.echo("![x](http://evil.example/t.png) <script>" + "A" * 100)
    assert "\\!\\[x\\]\\(" in shown and "\\<script\\>" in shown and shown.endswith("…")
    _, warning = urlparams.pick("[klick](javascript:alert(1))", ["a"], "a", name="Leitziel")
    assert_safe_warning(warning)
    assert urlparams.pick_date("31.02.2023", dt.date(2022, 12, 31), name="Stichtag")[0] == dt.date(2022, 12, 31)
    assert urlparams.pick_date("31.12.2023", dt.date(2022, 12, 31), name="Stichtag")[0] == dt.date(2023, 12, 31)
    value, warning = urlparams.pick_int("٣", 1, name="Folie")
    assert value == 1 and warning


def test_hostile_values_are_bound_never_parsed(runner, built_db):
    """36 cases: hostile strings as every parameter of every parametrised query."""
    before = hashlib.sha256(Path(built_db).read_bytes()).hexdigest()
    rng = random.Random(SEED + 1)
    names = [n for n in runner.names() if runner.sql(n)[1]]
    assert names, "keine parametrisierten Abfragen gefunden"
    for case in range(36):
        name = names[case % len(names)]
        params = {p: hostile_value(rng) for p in runner.sql(name)[1]}
        try:
            runner.run(name, **params)
        except QueryError as exc:
            text = str(exc)
            assert "Parser Error" not in text and "syntax error" not in text, text
            assert "Catalog Error" not in text, text
    assert hashlib.sha256(Path(built_db).read_bytes()).hexdigest() == before


def test_pages_contain_no_sql():
    for path in [*sorted((REPO_ROOT / "pages").glob("*.py")), REPO_ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        assert "import duckdb" not in text and ".execute(" not in text, path.name
        assert "unsafe_allow_html=True" not in text or "format(" not in text, path.name


PAGES = ["uebersicht", "leitziele", "quartiere", "suedosteuropa", "praesentation", "methodik", "sitzungspaket"]


def app_cases() -> list[tuple[str, dict[str, str]]]:
    rng = random.Random(SEED + 2)
    cases = []
    for i in range(24):
        page = PAGES[i % len(PAGES)]
        params = {p: hostile_value(rng, allow_control=False)[:300] for p in rng.sample(PARAMS, 4)}
        cases.append((page, params))
    return cases


@pytest.mark.parametrize(("page", "params"), app_cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_pages_with_hostile_url_parameters(page, params, built_db):
    path = REPO_ROOT / "pages" / f"{page}.py"
    at = AppTest.from_file(str(path), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, f"{page} {params!r}: {[e.value for e in at.exception]}"
    texts = [e.value for e in [*at.error, *at.warning, *at.markdown, *at.caption] if isinstance(e.value, str)]
    assert not any("Traceback" in t or "duckdb" in t.casefold() for t in texts), page
