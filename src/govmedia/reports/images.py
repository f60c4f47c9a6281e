"""Bar charts as PNG for the Word reports (Word has no chart the way a workbook does).

Drawn with Pillow when it is installed, with a CJK font from the system when one is found (labels in
Chinese); without such a font, category labels are replaced by their position (1, 2, …), which the report's
tables list in the same order. Without Pillow, a plain encoder draws the bars alone, so a report never fails
for want of an imaging library.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache
from pathlib import Path

WIDTH, HEIGHT = 1200, 560
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 80, 30, 40, 90
DEFAULT_COLOR = "#9b1c1c"
AXIS, GRID, TEXT = (80, 80, 80), (225, 225, 225), (33, 37, 41)
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


@cache
def cjk_font_path() -> str | None:
    return next((path for path in FONT_CANDIDATES if Path(path).is_file()), None)


def has_pillow() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True


def labels_are_positions() -> bool:
    """True when the chart's category labels are numbers standing for the rows of the table beside it."""
    return not (has_pillow() and cjk_font_path())


def bar_chart(labels: list[str], values: list[float], colors: list[str] | None = None,
              *, suffix: str = "") -> bytes:
    """A vertical bar chart, one bar per label, with each bar's value above it."""
    colors = colors or [DEFAULT_COLOR] * len(values)
    if has_pillow():
        return _pillow_chart(labels, values, colors, suffix)
    return _plain_chart(values, colors)


def _scale(values: list[float]) -> float:
    top = max([v for v in values if v is not None] + [1])
    step = 10 ** max(0, len(str(int(top))) - 1)
    return float(((int(top) // step) + 1) * step)


def _geometry(n: int) -> tuple[int, int, int]:
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slot = plot_w / max(n, 1)
    bar = max(2, int(slot * 0.6))
    return plot_w, int(slot), bar


def _pillow_chart(labels, values, colors, suffix) -> bytes:
    import io

    from PIL import Image, ImageDraw

    font, small = _font(20), _font(17)
    shown = list(labels) if cjk_font_path() else [str(i) for i in range(1, len(labels) + 1)]
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    top = _scale(values)
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_w, slot, bar = _geometry(len(values))
    base = MARGIN_TOP + plot_h
    for i in range(5):  # grid lines and the y axis's labels
        y = base - plot_h * i / 4
        draw.line([(MARGIN_LEFT, y), (MARGIN_LEFT + plot_w, y)], fill=GRID, width=1)
        text = f"{top * i / 4:g}"
        draw.text((MARGIN_LEFT - 10, y), text, fill=TEXT, font=small, anchor="rm")
    draw.line([(MARGIN_LEFT, MARGIN_TOP), (MARGIN_LEFT, base)], fill=AXIS, width=2)
    draw.line([(MARGIN_LEFT, base), (MARGIN_LEFT + plot_w, base)], fill=AXIS, width=2)
    every = max(1, -(-len(shown) * 90 // plot_w))  # leave labels out rather than overlap them
    for i, value in enumerate(values):
        x = MARGIN_LEFT + slot * i + (slot - bar) / 2
        height = 0 if not value else plot_h * value / top
        if height:
            draw.rectangle([x, base - height, x + bar, base], fill=_rgb(colors[i]))
        if value is not None:
            draw.text((x + bar / 2, base - height - 6), f"{value:g}{suffix}", fill=TEXT, font=small, anchor="ms")
        if i % every == 0:
            draw.text((x + bar / 2, base + 12), _fit(draw, shown[i], font, slot * every - 6), fill=TEXT,
                      font=font, anchor="ma")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@cache
def _font(size: int):
    """The CJK font at ``size`` (loaded once per process: a .ttc is tens of megabytes), or Pillow's own."""
    from PIL import ImageFont

    path = cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def _fit(draw, text: str, font, width: float) -> str:
    while len(text) > 1 and draw.textlength(text, font=font) > width:
        text = text[:-1]
    return text


def _plain_chart(values, colors) -> bytes:
    """Bars and axes only, encoded as PNG by hand (no imaging library)."""
    white = bytes((255, 255, 255))
    rows = [bytearray(white * WIDTH) for _ in range(HEIGHT)]

    def fill(x0, y0, x1, y1, rgb):
        pixel = bytes(rgb)
        for y in range(max(0, int(y0)), min(HEIGHT, int(y1))):
            rows[y][int(x0) * 3:int(x1) * 3] = pixel * (int(x1) - int(x0))

    top = _scale(values)
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_w, slot, bar = _geometry(len(values))
    base = MARGIN_TOP + plot_h
    for i in range(5):
        y = base - plot_h * i / 4
        fill(MARGIN_LEFT, y, MARGIN_LEFT + plot_w, y + 1, GRID)
    for i, value in enumerate(values):
        if value:
            x = MARGIN_LEFT + slot * i + (slot - bar) // 2
            fill(x, base - plot_h * value / top, x + bar, base, _rgb(colors[i]))
    fill(MARGIN_LEFT - 2, MARGIN_TOP, MARGIN_LEFT, base, AXIS)
    fill(MARGIN_LEFT, base, MARGIN_LEFT + plot_w, base + 2, AXIS)
    raw = b"".join(b"\x00" + bytes(row) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
