"""Draw Bedside's app icons (a crescent moon over a bed) as PNGs next to ``icon.svg``.

The PNGs are committed; run this again only after changing the mark:

    python tools/make_icons.py

The geometry below is the same as in ``src/bedside/web/static/icons/icon.svg`` (a 512 grid).
Shapes are drawn four times larger and scaled down, which smooths their edges.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "src" / "bedside" / "web" / "static" / "icons"
NIGHT = "#0f1320"  # --bg in bedside.css (dark)
MOON = "#f2b872"  # --accent
BED = "#e7e9f1"  # --text
PILLOW = "#a4abc0"  # --muted
SCALE = 4

Box = tuple[float, float, float, float]
#: (kind, box on the 512 grid, colour), painted in order.
SHAPES: list[tuple[str, Box, str]] = [
    ("circle", (256 - 112, 196 - 112, 256 + 112, 196 + 112), MOON),
    ("circle", (306 - 100, 156 - 100, 306 + 100, 156 + 100), NIGHT),
    ("bar", (96, 292, 124, 420), BED),
    ("bar", (96, 340, 416, 372), BED),
    ("bar", (388, 340, 416, 420), BED),
    ("bar", (138, 312, 210, 340), PILLOW),
]


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The mark at ``size`` pixels; ``maskable`` fills the square and keeps to the safe zone."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = big / 512
    if maskable:
        pen.rectangle((0, 0, big, big), fill=NIGHT)
        shrink, offset = 0.72, big * 0.14  # everything inside the central 80 % circle
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=96 * unit, fill=NIGHT)
        shrink, offset = 1.0, 0.0
    for kind, (x0, y0, x1, y1), colour in SHAPES:
        box = [offset + v * unit * shrink for v in (x0, y0, x1, y1)]
        if kind == "circle":
            pen.ellipse(box, fill=colour)
        else:
            radius = min(box[2] - box[0], box[3] - box[1]) / 2
            pen.rounded_rectangle(box, radius=radius, fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write every PNG the manifest and the layout link to."""
    outputs = {
        "icon-192.png": (192, False),
        "icon-512.png": (512, False),
        "icon-maskable-512.png": (512, True),
        "apple-touch-icon.png": (180, True),  # iOS rounds the corners itself
    }
    for name, (size, maskable) in outputs.items():
        draw(size, maskable=maskable).save(ICONS / name, optimize=True)
        sys.stdout.write(f"wrote {ICONS / name}\n")


if __name__ == "__main__":
    main()
