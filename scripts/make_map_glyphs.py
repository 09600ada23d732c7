"""Generate the map's label glyphs (MapLibre SDF glyph PBFs) into static/glyphs/, so the map never asks a
font server on the internet (Plotly's map styles point at fonts.openmaptiles.org).

    python scripts/make_map_glyphs.py [--font /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]

The output is committed (static/glyphs/DejaVu Sans Book/<range>.pbf); rerun only to change the font or ranges.
Format as MapLibre expects it (the format of the "glyphs" URL in a style): a protobuf ``glyphs`` message with one
``fontstack`` holding, per code point, a signed-distance-field bitmap rendered at 24 px with a 3 px border
(edge at value 192, 8 px radius — the conventions of Mapbox's TinySDF/fontnik). Rendered with Pillow at 4× and
sampled down, distances computed exactly (brute force; a few seconds).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
FONTSTACK = "DejaVu Sans Book"
DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
RANGES = (0, 256, 8192)  # Basic Latin + Latin-1 (ä ö ü ß ·), Latin Extended-A, punctuation (– „ “ …)
SIZE, BORDER, RADIUS, CUTOFF, SCALE = 24, 3, 8.0, 0.25, 4


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, value: int | bytes, signed: bool = False) -> bytes:
    if isinstance(value, bytes):
        return _varint(number << 3 | 2) + _varint(len(value)) + value
    if signed:
        value = (value << 1) ^ (value >> 31)  # zigzag (sint32)
    return _varint(number << 3) + _varint(value)


def _sdf(mask: np.ndarray) -> np.ndarray:
    """Signed distance (pixels of ``mask``) from each pixel centre to the glyph outline; negative inside."""
    inside = mask > 127
    edge = inside & ~(np.roll(inside, 1, 0) & np.roll(inside, -1, 0) & np.roll(inside, 1, 1) & np.roll(inside, -1, 1))
    outside_edge = ~inside & (np.roll(inside, 1, 0) | np.roll(inside, -1, 0) | np.roll(inside, 1, 1)
                              | np.roll(inside, -1, 1))
    points = np.argwhere(edge | outside_edge).astype(np.float32)
    if not len(points):
        return np.full(mask.shape, RADIUS * SCALE * 2, dtype=np.float32)
    ys, xs = np.indices(mask.shape, dtype=np.float32)
    grid = np.stack([ys.ravel(), xs.ravel()], axis=1)
    best = np.full(len(grid), np.inf, dtype=np.float32)
    for chunk in np.array_split(points, max(1, len(points) // 256)):
        d = np.sqrt(((grid[:, None, :] - chunk[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        best = np.minimum(best, d)
    dist = best.reshape(mask.shape) - 0.5
    return np.where(inside, -dist, dist)


def _glyph(font: ImageFont.FreeTypeFont, big: ImageFont.FreeTypeFont, code: int) -> bytes:
    ch = chr(code)
    advance = round(font.getlength(ch))
    left, top, right, bottom = font.getbbox(ch, anchor="ls")  # relative to the baseline
    width, height = max(0, right - left), max(0, bottom - top)
    fields = _field(1, code)
    if width and height:
        pad = BORDER * SCALE
        canvas = Image.new("L", ((width + 2 * BORDER) * SCALE, (height + 2 * BORDER) * SCALE), 0)
        ImageDraw.Draw(canvas).text((pad - left * SCALE, pad - top * SCALE), ch, font=big, fill=255, anchor="ls")
        dist = _sdf(np.asarray(canvas)) / SCALE
        dist = dist[SCALE // 2::SCALE, SCALE // 2::SCALE]  # pixel centres of the 24 px bitmap
        values = np.clip(np.round(255 - 255 * (dist / RADIUS + CUTOFF)), 0, 255).astype(np.uint8)
        fields += _field(2, values.tobytes())
    fields += (_field(3, width) + _field(4, height) + _field(5, left, signed=True)
               + _field(6, -top - SIZE, signed=True) + _field(7, advance))
    return fields


def build_range(font_path: Path, start: int) -> bytes:
    basic = ImageFont.Layout.BASIC  # glyph by glyph, no shaping (raqm rejects bidi controls)
    font = ImageFont.truetype(str(font_path), SIZE, layout_engine=basic)
    big = ImageFont.truetype(str(font_path), SIZE * SCALE, layout_engine=basic)
    cmap = TTFont(str(font_path)).getBestCmap()
    glyphs = b"".join(_field(3, _glyph(font, big, c)) for c in range(start, start + 256) if c in cmap)
    stack = _field(1, FONTSTACK.encode()) + _field(2, f"{start}-{start + 255}".encode()) + glyphs
    return _field(1, stack)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--font", type=Path, default=DEFAULT_FONT)
    args = ap.parse_args()
    out = REPO / "static" / "glyphs" / FONTSTACK
    out.mkdir(parents=True, exist_ok=True)
    for start in RANGES:
        path = out / f"{start}-{start + 255}.pbf"
        path.write_bytes(build_range(args.font, start))
        print(f"{path.relative_to(REPO)}: {path.stat().st_size} Bytes")


if __name__ == "__main__":
    main()
