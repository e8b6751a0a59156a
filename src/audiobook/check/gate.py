"""The check gate: compare a file's metrics with a spec's limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audiobook.check.measure import FileMetrics, measure_file
from audiobook.check.spec import Spec, load_spec


@dataclass(frozen=True)
class Failure:
    """A broken rule: ``rule`` is ``metric.kind`` (e.g. ``rms_dbfs.min``), with the value and the limit."""

    rule: str
    value: float | int | bool | None
    limit: float | int | bool | tuple


@dataclass(eq=False)
class CheckReport:
    """The verdict on one file: its metrics, the rules it broke, and whether it passes."""

    file: str
    spec: Spec
    metrics: FileMetrics
    failures: list[Failure]

    @property
    def passed(self) -> bool:
        """True when the file keeps every rule of the spec."""
        return not self.failures


def check_metrics(metrics: FileMetrics, spec: Spec, skip: tuple[str, ...] = ()) -> list[Failure]:
    """The rules of ``spec`` that ``metrics`` break, in spec order; metrics named in ``skip`` are not checked.

    ``skip`` lets a caller check a WAV master against a delivery spec's levels only, e.g.
    ``skip=("bitrate_kbps", "cbr")``.
    """
    failures = []
    for limit in spec.limits:
        if limit.metric in skip:
            continue
        value = metrics.metric(limit.metric)
        if not limit.passes(value):
            failures.append(Failure(rule=limit.rule, value=value, limit=limit.value))
    return failures


def check_file(path: str | Path, spec: Spec | str) -> CheckReport:
    """Measure ``path`` and judge it against ``spec`` (a Spec, a built-in name or a spec file path)."""
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    metrics = measure_file(path)
    return CheckReport(file=str(path), spec=spec, metrics=metrics, failures=check_metrics(metrics, spec))
