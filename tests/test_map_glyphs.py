"""The map's label glyphs are served by the app (static/glyphs/): the files exist, hold the font stack the map asks
for, and every character the labels use has a glyph whose bitmap has the size MapLibre checks."""

from __future__ import annotations

from pathlib import Path

from integrationsmonitor.config import REPO_ROOT
from integrationsmonitor.views import mapfigure

GLYPHS = REPO_ROOT / "static" / "glyphs" / mapfigure.LABEL_FONT


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """Protocol-buffer wire format, read by hand (varint and length-delimited fields only)."""
    out, i = [], 0
    while i < len(data):
        key, i = _varint(data, i)
        if key & 7 == 0:
            value, i = _varint(data, i)
        elif key & 7 == 2:
            length, i = _varint(data, i)
            value, i = data[i:i + length], i + length
        else:
            raise AssertionError(f"unerwarteter Feldtyp {key & 7}")
        out.append((key >> 3, value))
    return out


def _glyphs(path: Path) -> tuple[bytes, bytes, dict[int, dict[int, int | bytes]]]:
    (tag, stack), = _fields(path.read_bytes())
    assert tag == 1
    fields = _fields(stack)
    name = next(v for f, v in fields if f == 1)
    rng = next(v for f, v in fields if f == 2)
    glyphs = {}
    for f, v in fields:
        if f == 3:
            g = dict(_fields(v))
            glyphs[g[1]] = g
    return name, rng, glyphs


def test_map_style_asks_the_app_for_the_glyphs():
    assert mapfigure.MAP_STYLE["glyphs"] == "/app/static/glyphs/{fontstack}/{range}.pbf"
    assert (REPO_ROOT / "static" / "glyphs").is_dir()
    assert "enableStaticServing = true" in (REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")


def test_glyph_ranges_cover_the_labels():
    name, rng, glyphs = _glyphs(GLYPHS / "0-255.pbf")
    assert name == b"DejaVu Sans Book" and rng == b"0-255"
    for ch in "Hagen-Mitte Eilpe/Dahl Hohenlimburg 7,2 % · äöüßÄÖÜ keine Daten":
        g = glyphs[ord(ch)]
        if ch == " ":
            assert 2 not in g and g[7] > 0  # no bitmap, but an advance
            continue
        width, height = g[3], g[4]
        assert width > 0 and height > 0, ch
        assert len(g[2]) == (width + 6) * (height + 6), ch  # 3 px border, MapLibre rejects other sizes
        assert max(g[2]) > 191 > min(g[2]), ch  # inside (≥ 192) and outside the outline
    _, rng, dashes = _glyphs(GLYPHS / "8192-8447.pbf")
    assert rng == b"8192-8447" and ord("–") in dashes and ord("„") in dashes
