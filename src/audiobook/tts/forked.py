"""Run a piece of synthesis in a forked copy of this process.

Engines that carry state from one utterance to the next (espeak-ng's pitch flutter and glottal
phase, Piper's random generators) render each take in a fork of their pristine, just-loaded state:
the same text and voice then give the same samples in any order, in any worker. The child sends its
bytes back through a pipe and exits without cleanup.
"""

from __future__ import annotations

import os
from collections.abc import Callable


class ForkedFailure(Exception):
    """The child raised (the message says what) or died."""


def run_forked(work: Callable[[], bytes]) -> bytes:
    """``work()`` computed in a forked child; raises ForkedFailure when it fails there."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        status = 1
        try:
            os.close(read_end)
            try:
                payload = b"A" + work()
            except Exception as error:  # reported by the parent
                payload = b"E" + f"{error.__class__.__name__}: {error}".encode()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(child, 0)
    if status != 0 or not payload:
        raise ForkedFailure("the rendering process stopped")
    if payload[:1] == b"E":
        raise ForkedFailure(payload[1:].decode(errors="replace"))
    return payload[1:]
