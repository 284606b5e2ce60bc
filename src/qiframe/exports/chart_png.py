"""A run chart drawn as a small PNG image, for documents that cannot hold a live chart (Word, HTML).

Deliberately simple: an RGB canvas, straight lines, square markers and a 3×5 pixel font for the numbers
on the value axis, written out with zlib as one PNG image. The points are blue, points that belong to a
shift or a trend orange, the median a dashed grey line and the target, when there is one, a dashed green
line. Dates are not drawn: the document prints them beside the image.
"""

from __future__ import annotations

import struct
import zlib

from qiframe.analysis.runchart import RunChart

WHITE, GREY, DARK, BLUE, ORANGE, GREEN = (
    (255, 255, 255),
    (150, 150, 150),
    (60, 60, 60),
    (31, 94, 168),
    (214, 110, 20),
    (40, 140, 60),
)
GLYPHS = {  # 3 columns × 5 rows, row by row
    "0": "111101101101111",
    "1": "010110010010111",
    "2": "111001111100111",
    "3": "111001111001111",
    "4": "101101111001001",
    "5": "111100111001111",
    "6": "111100111101111",
    "7": "111001001001001",
    "8": "111101111101111",
    "9": "111101111001111",
    ".": "000000000000010",
    "-": "000000111000000",
}


class Canvas:
    """An RGB image held as rows of bytes."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(WHITE) * (width * height))

    def dot(self, x: int, y: int, colour: tuple[int, int, int], size: int = 1) -> None:
        half = size // 2
        for yy in range(y - half, y - half + size):
            for xx in range(x - half, x - half + size):
                if 0 <= xx < self.width and 0 <= yy < self.height:
                    i = (yy * self.width + xx) * 3
                    self.pixels[i : i + 3] = bytes(colour)

    def line(self, x0: int, y0: int, x1: int, y1: int, colour, width: int = 2, dash: int = 0) -> None:
        """A straight line (Bresenham); `dash` > 0 draws dashes that long with gaps as long."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err, step = dx + dy, 0
        while True:
            if not dash or (step // dash) % 2 == 0:
                self.dot(x0, y0, colour, width)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy
            step += 1

    def text(self, x: int, y: int, text: str, colour=DARK, scale: int = 2) -> None:
        """Digits, points and minus signs; the text's top-left corner at (x, y)."""
        for ch in text:
            glyph = GLYPHS.get(ch)
            if glyph:
                for n, bit in enumerate(glyph):
                    if bit == "1":
                        for a in range(scale):
                            for b in range(scale):
                                self.dot(x + (n % 3) * scale + a, y + (n // 3) * scale + b, colour)
            x += 4 * scale

    def png(self) -> bytes:
        raw = b"".join(
            b"\x00" + bytes(self.pixels[r * self.width * 3 : (r + 1) * self.width * 3])
            for r in range(self.height)
        )

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (
                struct.pack(">I", len(data))
                + kind
                + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
            )

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def number(value: float) -> str:
    return f"{value:.4g}" if not float(value).is_integer() else str(int(value))


def draw(chart: RunChart, target: float | None = None, width: int = 640, height: int = 260) -> bytes:
    """The run chart as PNG bytes."""
    canvas = Canvas(width, height)
    median = chart.median if chart.median is not None else 0.0
    left, right, top, bottom = 56, 16, 14, 20
    values = list(chart.values)
    low = min(values + ([target] if target is not None else []))
    high = max(values + ([target] if target is not None else []))
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad

    def y_of(v: float) -> int:
        return round(top + (high - v) / (high - low) * (height - top - bottom))

    def x_of(i: int) -> int:
        span = max(len(values) - 1, 1)
        return round(left + 8 + i * (width - left - right - 16) / span)

    canvas.line(left, top, left, height - bottom, DARK, 1)
    canvas.line(left, height - bottom, width - right, height - bottom, DARK, 1)
    for i in range(len(values)):
        canvas.line(x_of(i), height - bottom, x_of(i), height - bottom + 4, DARK, 1)
    marks = [median] + ([target] if target is not None else [])
    for v in (min(values), max(values), *marks):
        label = number(v)
        canvas.text(left - 6 - 8 * len(label), y_of(v) - 5, label)
        canvas.line(left - 4, y_of(v), left, y_of(v), DARK, 1)
    if target is not None:
        canvas.line(left, y_of(target), width - right, y_of(target), GREEN, 2, dash=10)
    canvas.line(left, y_of(median), width - right, y_of(median), GREY, 2, dash=6)
    flagged = {i for s in chart.signals if s.kind in ("shift", "trend") for i in range(s.first, s.last + 1)}
    points = [(x_of(i), y_of(v)) for i, v in enumerate(values)]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        canvas.line(x0, y0, x1, y1, BLUE, 2)
    for i, (x, y) in enumerate(points):
        canvas.dot(x, y, ORANGE if i in flagged else BLUE, 8)
    return canvas.png()
