"""The render progress bar: takes done, minutes of audio rendered, time left."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from audiobook.mastering.master import MasterReport


class RenderProgress:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._console = Console(stderr=True)
        self._progress = Progress(
            TextColumn("rendering"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("takes  {task.fields[minutes]:.1f} min audio"),
            TimeRemainingColumn(),
            console=self._console,
            disable=not enabled,
        )
        self._task = None

    def __enter__(self) -> RenderProgress:
        if self.enabled:
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._progress.stop()

    def update(self, done: int, total: int, audio_seconds: float) -> None:
        if not self.enabled:
            return
        if self._task is None:  # the takes found in the store start the bar, so they do not count as speed
            self._task = self._progress.add_task("render", total=total, completed=done, minutes=audio_seconds / 60)
            return
        self._progress.update(self._task, completed=done, total=total, minutes=audio_seconds / 60)

    def chapter_done(self, master: MasterReport) -> None:
        if self.enabled:
            self._progress.console.print(
                f"{master.path}  {master.duration_s / 60:.1f} min  RMS {master.rms_dbfs:.1f} dB  peak {master.peak_dbfs:.1f} dBFS",
                soft_wrap=True,  # one line per chapter, however long its path: no wrap at the console's width
            )
