"""A colour per character: distinct, and dark enough to read as text on white paper.

Every colour has a contrast ratio of at least 4.5:1 against white (WCAG 2.1, success criterion 1.4.3,
"contrast minimum" for normal text), so a speaker's name printed in their colour stays readable on
a laser printer too. The first colours come from a hand-picked palette; past it, hues step round the
colour wheel by the golden angle and are darkened until they pass.
"""

from __future__ import annotations

import colorsys

NARRATOR_COLOUR = "#4a4a4a"
MIN_CONTRAST = 4.5

PALETTE = (
    "#1f5fa8",  # blue
    "#b3261e",  # red
    "#2e7d32",  # green
    "#7b3fa0",  # purple
    "#a34e00",  # burnt orange
    "#00707a",  # teal
    "#ad1457",  # magenta
    "#5d4a1f",  # umber
    "#3949ab",  # indigo
    "#6b6b00",  # olive
    "#8e3b46",  # wine
    "#2f6f4f",  # pine
)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour, 0 (black) .. 1 (white)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of ``colour`` against white, 1..21."""
    return 1.05 / (relative_luminance(colour) + 0.05)


def _hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


def generated_colour(index: int) -> str:
    """The ``index``-th colour past the palette: golden-angle hues, darkened to pass on white."""
    hue = (0.61 + index * 0.381966) % 1.0
    lightness = 0.42
    colour = _hex(*colorsys.hls_to_rgb(hue, lightness, 0.65))
    while contrast_on_white(colour) < MIN_CONTRAST and lightness > 0.05:
        lightness -= 0.02
        colour = _hex(*colorsys.hls_to_rgb(hue, lightness, 0.65))
    return colour


def assign_colours(names: list[str]) -> dict[str, str]:
    """A colour for each name, in order: the palette first, then generated colours."""
    return {
        name: PALETTE[i] if i < len(PALETTE) else generated_colour(i - len(PALETTE)) for i, name in enumerate(names)
    }
