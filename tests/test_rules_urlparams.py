"""URL values at their bounds (urlparams): just inside is taken, just outside falls back with a German message."""

from __future__ import annotations

import datetime as dt

import pytest

from integrationsmonitor import urlparams

D = dt.date


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("12", 12), ("+5", 5), (" 7 ", 7), (["3", "4", "5"], 5)])
def test_pick_int_inside(raw, expected):
    assert urlparams.pick_int(raw, 2, name="Folie", lo=1, hi=12) == (expected, None)


@pytest.mark.parametrize("raw", ["0", "13", "-1"])
def test_pick_int_outside_bounds(raw):
    value, warning = urlparams.pick_int(raw, 2, name="Folie", lo=1, hi=12)
    assert value == 2
    assert warning == (f"Der Link enthält für „Folie“ die Zahl {int(raw)}, erlaubt ist 1 bis 12. "
                       "Angezeigt wird stattdessen 2.")


def test_pick_int_open_bounds_in_message():
    assert urlparams.pick_int("0", 5, name="Jahr", lo=1)[1] == (
        "Der Link enthält für „Jahr“ die Zahl 0, erlaubt ist 1 bis …. Angezeigt wird stattdessen 5.")
    assert urlparams.pick_int("99", 5, name="Jahr", hi=10)[1] == (
        "Der Link enthält für „Jahr“ die Zahl 99, erlaubt ist … bis 10. Angezeigt wird stattdessen 5.")
    assert urlparams.pick_int("-999", 5, name="Jahr") == (-999, None)


def test_pick_int_length_limit_is_twelve_characters():
    assert urlparams.pick_int("123456789012", 0, name="n") == (123456789012, None)
    value, warning = urlparams.pick_int("1234567890123", 0, name="n")
    assert value == 0
    assert warning == ("Der Link enthält einen ungültigen Wert für „n“: „1234567890123“. "
                       "Angezeigt wird stattdessen „0“.")


@pytest.mark.parametrize("raw", ["1.5", "zwölf", "1e3", "٣", "--1"])
def test_pick_int_not_a_number(raw):
    value, warning = urlparams.pick_int(raw, 4, name="Folie", lo=1, hi=12)
    assert value == 4 and warning is not None and warning.startswith("Der Link enthält einen ungültigen Wert für „Folie“")


@pytest.mark.parametrize("raw", [None, "", "  ", []])
def test_pick_int_missing_is_silent(raw):
    assert urlparams.pick_int(raw, 4, name="Folie", lo=1, hi=12) == (4, None)


def test_pick_max_raw_length_bound():
    inside = "a" * urlparams.MAX_RAW
    outside = "a" * (urlparams.MAX_RAW + 1)
    valid = [inside, outside, "b"]
    assert urlparams.MAX_RAW == 200
    assert urlparams.pick(inside, valid, "b", name="x") == (inside, None)
    value, warning = urlparams.pick(outside, valid, "b", name="x")
    assert value == "b" and warning is not None


def test_pick_values():
    assert urlparams.pick("RO", ["RO", "BG"], "BG", name="Staat") == ("RO", None)
    assert urlparams.pick(None, ["RO"], "RO", name="Staat") == ("RO", None)
    assert urlparams.pick("", ["RO"], "RO", name="Staat") == ("RO", None)
    assert urlparams.pick(["BG", "RO"], ["RO", "BG"], "BG", name="Staat") == ("RO", None)  # the last one counts
    assert urlparams.pick("XX", ["RO"], "RO", name="Staat", label="Rumänien") == (
        "RO", "Der Link enthält einen ungültigen Wert für „Staat“: „XX“. Angezeigt wird stattdessen „Rumänien“.")


def test_default_label_is_echoed_up_to_80_characters():
    label80, label81 = "L" * 80, "L" * 81
    assert urlparams.pick("x", ["a"], "a", name="n", label=label80)[1].endswith(f"„{label80}“.")
    assert urlparams.pick("x", ["a"], "a", name="n", label=label81)[1].endswith(f"„{label80}…“.")


def test_echo_limit_and_escaping():
    forty = "a" * 40
    assert urlparams.echo(forty) == forty
    assert urlparams.echo(forty + "b") == forty + "…"
    assert urlparams.echo("[x](y)") == r"\[x\]\(y\)"
    assert urlparams.echo("a\nb\tc\x00d") == "a b c d"
    assert urlparams.echo("abcdef", limit=3) == "abc…"


@pytest.mark.parametrize(("text", "expected"), [
    ("31.12.2022", D(2022, 12, 31)),
    ("2022-12-31", D(2022, 12, 31)),
    ("1.2.2023", D(2023, 2, 1)),
    (" 2022-01-05 ", D(2022, 1, 5)),
    ("31.02.2022", None),
    ("2022-13-01", None),
    ("2022-1-5", None),
    ("31.12.22", None),
    ("heute", None),
    ("٢٠٢٢-١٢-٣١", None),   # Arabic-Indic digits are not read as a date
    ("٣١.١٢.٢٠٢٢", None),
])
def test_parse_date(text, expected):
    assert urlparams.parse_date(text) == expected


def test_pick_date_bounds_inclusive():
    lo, hi = D(2020, 1, 1), D(2022, 12, 31)
    default = D(2021, 6, 30)
    assert urlparams.pick_date("01.01.2020", default, name="Stichtag", lo=lo, hi=hi) == (lo, None)
    assert urlparams.pick_date("31.12.2022", default, name="Stichtag", lo=lo, hi=hi) == (hi, None)
    for outside in ("31.12.2019", "01.01.2023"):
        value, warning = urlparams.pick_date(outside, default, name="Stichtag", lo=lo, hi=hi)
        assert value == default
        assert warning == (f"Für „Stichtag“ gibt es zum {outside} keine Daten. "
                           "Angezeigt wird stattdessen der 30.06.2021.")


def test_pick_date_valid_list_and_garbage():
    valid = [D(2022, 12, 31), D(2023, 12, 31)]
    assert urlparams.pick_date("2023-12-31", valid[0], name="Stichtag", valid=valid) == (valid[1], None)
    assert urlparams.pick_date("30.12.2023", valid[0], name="Stichtag", valid=valid)[0] == valid[0]
    value, warning = urlparams.pick_date("gestern", valid[0], name="Stichtag", valid=valid)
    assert value == valid[0]
    assert warning == ("Der Link enthält einen ungültigen Wert für „Stichtag“: „gestern“. "
                       "Angezeigt wird stattdessen „31\\.12\\.2022“.")  # Markdown-escaped
    assert urlparams.pick_date(None, valid[0], name="Stichtag") == (valid[0], None)
    assert urlparams.pick_date(" ", valid[0], name="Stichtag") == (valid[0], None)


def test_pick_date_length_limit_twenty():
    padded = "31.12.2022".rjust(20)  # 20 characters: still read
    assert urlparams.pick_date(padded, D(2020, 1, 1), name="S") == (D(2022, 12, 31), None)
    value, warning = urlparams.pick_date("31.12.2022".rjust(21), D(2020, 1, 1), name="S")
    assert value == D(2020, 1, 1) and warning is not None


def test_pick_many():
    valid = ["SB1", "SB2", "SB3"]
    assert urlparams.pick_many("SB2,SB1", valid, ["SB1"], name="Gebiete") == (["SB2", "SB1"], None)
    assert urlparams.pick_many("SB2, SB2 ,,SB3", valid, ["SB1"], name="Gebiete") == (["SB2", "SB3"], None)
    assert urlparams.pick_many("SB2,XX", valid, ["SB1"], name="Gebiete") == (
        ["SB2"], "Unbekannte Werte für „Gebiete“ wurden ignoriert: „XX“.")
    assert urlparams.pick_many("XX,YY", valid, ["SB1"], name="Gebiete") == (
        ["SB1"], "Der Link enthält einen ungültigen Wert für „Gebiete“: „XX,YY“. Angezeigt wird stattdessen „SB1“.")
    assert urlparams.pick_many(None, valid, ["SB1", "SB2"], name="Gebiete") == (["SB1", "SB2"], None)
    assert urlparams.pick_many("", valid, ["SB1", "SB2"], name="Gebiete") == (["SB1", "SB2"], None)
    assert urlparams.pick_many("  ", valid, ["SB1"], name="Gebiete") == (["SB1"], None)
    assert urlparams.pick_many("SB1,XX,YY", valid, ["SB2"], name="Gebiete") == (
        ["SB1"], "Unbekannte Werte für „Gebiete“ wurden ignoriert: „XX, YY“.")
    assert urlparams.pick_many("XX", valid, ["SB1", "SB2"], name="Gebiete")[1] == (
        "Der Link enthält einen ungültigen Wert für „Gebiete“: „XX“. Angezeigt wird stattdessen „SB1, SB2“.")
    assert urlparams.pick_many("SB1;SB3", valid, ["SB2"], name="Gebiete", sep=";") == (["SB1", "SB3"], None)


def test_pick_many_length_bound():
    valid = ["SB1"]
    inside = ",".join(["SB1"] * 1000)  # 3999 characters
    assert len(inside) == 3999
    assert urlparams.pick_many(inside, valid, ["SB1"], name="G") == (["SB1"], None)
    exactly = inside + "x"  # 4000 characters: still read (the unknown entry is reported)
    assert urlparams.pick_many(exactly, valid, ["SB1"], name="G")[1].startswith("Unbekannte Werte")
    outside = exactly + "y"  # 4001 characters: refused as a whole
    assert urlparams.pick_many(outside, valid, ["SB1", "SB2"], name="G") == (
        ["SB1", "SB2"], "Der Link enthält einen ungültigen Wert für „G“: „SB1,SB1,SB1,SB1,SB1,SB1,SB1,SB1,SB1,SB1,…“. "
        "Angezeigt wird stattdessen „SB1, SB2“.")
