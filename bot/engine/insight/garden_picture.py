"""Drawing the garden with Pillow (imported only by /garden: chat start-up never pays for it)."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from bot.domain.insight.garden import MARGIN, WIDTH, Garden, Plant

ImageFontType = ImageFont.FreeTypeFont | ImageFont.ImageFont

SKY = (247, 244, 235)
SOIL = (224, 211, 186)
INK = (52, 48, 40)
MUTED = (120, 112, 98)
STEM = (86, 120, 64)
WILTED_STEM = (140, 120, 80)
# Freshness scale: just talked, due, well overdue.
FRESH = (76, 160, 84)
DUE = (226, 190, 60)
OVERDUE = (150, 96, 56)
# Fonts that cover most names (DejaVu is in most Linux images); Pillow's own otherwise.
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


@cache
def font(size: int, *, bold: bool = False) -> ImageFontType:
    """A scalable font of `size` pixels, the best one available."""
    try:
        return ImageFont.truetype(FONT_FILES[bold], size)
    except OSError:
        return ImageFont.load_default(size=size)


def colour(overdue: float) -> tuple[int, int, int]:
    """Green when fresh, yellow when due, brown when overdue (overdue: time / cadence)."""
    if overdue <= 1.0:
        return _mix(FRESH, DUE, overdue)
    return _mix(DUE, OVERDUE, min(1.0, overdue - 1.0))


def draw_png(garden: Garden) -> bytes:
    """The garden as PNG bytes."""
    image = Image.new("RGB", (garden.width, garden.height), SKY)
    pen = ImageDraw.Draw(image)
    _header(pen, garden)
    for bed in garden.beds:
        pen.text(
            (MARGIN, bed.top + 6),
            f"{bed.title} ({len(bed.plants)})",
            font=font(22, bold=True),
            fill=INK,
        )
        ground = bed.top + 34
        pen.rounded_rectangle(
            (MARGIN - 10, ground, WIDTH - MARGIN + 10, bed.top + bed.height + 6), 12, fill=SOIL
        )
        if not bed.plants:
            pen.text(
                (MARGIN + 10, ground + 20),
                "Nothing planted yet. Log a meeting and your first plant grows here.",
                font=font(20),
                fill=MUTED,
            )
        for plant in bed.plants:
            _plant(pen, plant, bed.cell)
        # Names last, so no neighbouring flower covers one.
        for plant in bed.plants:
            if plant.labelled:
                _label(pen, plant.name, plant.x, plant.y + 4, bed.cell - 6)
    _footer(pen, garden)
    out = io.BytesIO()
    # Default compression: optimize=True takes 3-4 times as long for a 10% smaller file.
    image.save(out, format="PNG")
    return out.getvalue()


def _header(pen: ImageDraw.ImageDraw, garden: Garden) -> None:
    pen.text((MARGIN, 24), "Your garden", font=font(34, bold=True), fill=INK)
    if garden.empty:
        summary = "No one here yet."
    else:
        people = "person" if garden.total == 1 else "people"
        summary = f"{garden.total} {people}; {garden.wilting} wilting (past their rhythm)"
    pen.text((MARGIN, 68), summary, font=font(20), fill=MUTED)
    # The legend: what colour and size mean.
    x = WIDTH - MARGIN - 430
    for n, (label, value) in enumerate((("fresh", 0.0), ("due", 1.0), ("overdue", 2.0))):
        cx = x + n * 110
        pen.ellipse((cx, 30, cx + 22, 52), fill=colour(value), outline=INK)
        pen.text((cx + 28, 31), label, font=font(18), fill=INK)
    pen.text((x, 64), "bigger = closer · drooping = drifting", font=font(18), fill=MUTED)


def _footer(pen: ImageDraw.ImageDraw, garden: Garden) -> None:
    y = garden.height - 60
    if garden.unlabelled:
        note = (
            f"{garden.unlabelled} small plants are shown without names at this size; "
            "/find or /people lists everyone."
        )
    elif garden.empty:
        note = "Each person you log becomes a plant: size for closeness, colour for freshness."
    else:
        note = "Colour is time since you last talked, against how often you meant to."
    pen.text((MARGIN, y), note, font=font(18), fill=MUTED)


def _plant(pen: ImageDraw.ImageDraw, plant: Plant, cell: int) -> None:
    r = plant.radius
    x, ground = plant.x, plant.y
    # Tall enough to look like a plant, never taller than its cell (the flower stays inside).
    room = cell - (26 if plant.labelled else 8) - r * 1.05
    height = max(r * 0.8, min(max(r * 2.2, cell * 0.55 * plant.closeness), room))
    width = max(1, r // 4)
    if plant.wilting:
        # The stem arcs over and the flower hangs to one side, still inside its cell.
        lean = min(r * 0.9, cell * 0.22)
        stem = _curve((x, ground), (x, ground - height), (x + lean, ground - height * 0.7))
        pen.line(stem, fill=WILTED_STEM, width=width, joint="curve")
        head = (x + lean, ground - height * 0.62)
        _leaf(pen, x - r * 0.45, ground - height * 0.25, r * 0.7, WILTED_STEM, droop=True)
    else:
        pen.line([(x, ground), (x, ground - height)], fill=STEM, width=width)
        head = (x, ground - height)
        _leaf(pen, x - r * 0.55, ground - height * 0.35, r * 0.8, STEM, droop=False)
        _leaf(pen, x + r * 0.55, ground - height * 0.55, r * 0.8, STEM, droop=False)
    hx, hy = head
    petal = r * 0.5
    fill = colour(plant.overdue)
    for dx, dy in ((-petal, 0), (petal, 0), (0, -petal), (0, petal)):
        pen.ellipse((hx + dx - petal, hy + dy - petal, hx + dx + petal, hy + dy + petal), fill=fill)
    centre = r * 0.33
    pen.ellipse((hx - centre, hy - centre, hx + centre, hy + centre), fill=(250, 236, 180))


def _curve(
    start: tuple[float, float], control: tuple[float, float], end: tuple[float, float]
) -> list[tuple[float, float]]:
    """Points along a quadratic curve from `start` to `end`, pulled towards `control`."""
    steps = 12
    points = []
    for n in range(steps + 1):
        t = n / steps
        points.append(
            (
                (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0],
                (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1],
            )
        )
    return points


def _leaf(
    pen: ImageDraw.ImageDraw,
    x: float,
    y: float,
    size: float,
    fill: tuple[int, int, int],
    *,
    droop: bool,
) -> None:
    half = size / 2
    box = (
        x - half,
        y - half * (0.4 if droop else 0.5),
        x + half,
        y + half * (0.9 if droop else 0.5),
    )
    pen.ellipse(box, fill=fill)


def _label(pen: ImageDraw.ImageDraw, name: str, x: int, y: int, room: int) -> None:
    face = font(15)
    text = name
    while text and pen.textlength(text, font=face) > room:
        text = text[:-2].rstrip() + "…" if len(text) > 2 else ""
    if text:
        pen.text((x, y), text, font=face, fill=INK, anchor="ma")


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )
