"""Run a piece of synthesis in a forked copy of this process.

Engines that carry state from one utterance to the next (espeak-ng's pitch flutter and glottal
phase, Piper's random generators) render each take in a fork of their pristine, just-loaded state:
the same text and voice then give the same samples in any order, in any worker. The child sends its
bytes back through a pipe and exits without cleanup.

Ctrl-C reaches every process of the terminal's process group, the child too: the child ignores it
(the parent stops the build and speaks for it; an interrupt inside an engine's C callback would
otherwise be printed as ignored and the take finished anyway), and a parent interrupted while it
waits kills and reaps its child before the interrupt goes on.
"""

from __future__ import annotations

import os
import signal
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
            signal.signal(signal.SIGINT, signal.SIG_IGN)
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
    try:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
    except BaseException:  # interrupted: the child goes too
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        raise
    _, status = os.waitpid(child, 0)
    if status != 0 or not payload:
        raise ForkedFailure("the rendering process stopped")
    if payload[:1] == b"E":
        raise ForkedFailure(payload[1:].decode(errors="replace"))
    return payload[1:]
