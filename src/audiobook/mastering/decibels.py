"""Decibels and linear values."""

from __future__ import annotations

import math


def db_to_gain(db: float) -> float:
    """Linear amplitude gain of ``db`` decibels."""
    return float(10 ** (db / 20))


def to_db(value: float, scale: float) -> float:
    """``scale * log10(value)`` (scale 20 for amplitudes, 10 for powers); -inf for zero."""
    return scale * math.log10(value) if value > 0 else -math.inf
