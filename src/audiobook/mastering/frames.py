"""Blocks of audio as the meters take them: float32 samples shaped (frames, channels)."""

from __future__ import annotations

import numpy as np


def as_frames(block: np.ndarray, channels: int) -> np.ndarray:
    """``block`` as float32 (frames, channels); a 1-D block is one channel. ValueError on a wrong shape."""
    samples = np.asarray(block, dtype=np.float32)
    if samples.ndim == 1:
        samples = samples[:, None]
    if samples.ndim != 2 or samples.shape[1] != channels:
        raise ValueError(f"expected blocks shaped (frames, {channels}), got {samples.shape}")
    return samples
