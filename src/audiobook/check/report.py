"""Reports of the check gate: a table per file, JSON, JUnit XML and loudness plots.

JSON (``--json``) is a list with one object per file::

    {"file": "ch01.mp3", "pass": false,
     "metrics": {"integrated_lufs": -19.2, ..., "noise_floor_dbfs": "-inf", "bitrate_kbps": null, ...},
     "failures": [{"rule": "noise_floor_dbfs.finite", "value": "-inf", "limit": true}]}

JSON has no infinities, so minus infinity (digital silence, or no gated block) is written as the
string ``"-inf"`` (and plus infinity as ``"inf"``); ``null`` means not measurable here (the bitrate
of a WAV, the noise floor of a file shorter than 0.4 s). Other numbers are rounded to 3 decimals.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from audiobook.atomic import atomic_path, write_text_atomic
from audiobook.check.gate import CheckReport, check_metrics
from audiobook.check.measure import METRICS, measure_file
from audiobook.check.spec import Limit, Spec, load_spec
from audiobook.errors import InputError


def json_value(value: object) -> object:
    """A metric or limit as JSON allows it: -inf as "-inf", NaN as null, floats to 3 decimals."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, tuple):
        return [json_value(item) for item in value]
    number = float(value)  # numpy scalars too
    if math.isnan(number):
        return None
    if math.isinf(number):
        return "-inf" if number < 0 else "inf"
    return round(number, 3)


def report_dict(report: CheckReport) -> dict:
    """One file's report as the JSON object documented in this module."""
    return {
        "file": report.file,
        "pass": report.passed,
        "metrics": {name: json_value(value) for name, value in report.metrics.as_dict().items()},
        "failures": [
            {"rule": f.rule, "value": json_value(f.value), "limit": json_value(f.limit)} for f in report.failures
        ],
    }


def to_json(reports: Sequence[CheckReport]) -> str:
    """The JSON list of reports (strict JSON: no NaN or Infinity tokens)."""
    return json.dumps([report_dict(r) for r in reports], indent=2, allow_nan=False)


def format_value(value: object, unit: str = "") -> str:
    """A metric for people: 1 decimal for dB, 2 for seconds, words for booleans and gaps."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list)):
        return " or ".join(format_value(item, unit) for item in value)
    if isinstance(value, int):
        return f"{value}"
    number = float(value)
    if math.isinf(number):
        return "-inf" if number < 0 else "inf"
    text = f"{number:.2f}" if unit == "s" else f"{number:.1f}"
    return f"{text} {unit}".strip()


def _limit_text(limits: list[Limit], unit: str) -> str:
    parts = []
    bounds = {limit.kind: limit.value for limit in limits}
    if "min" in bounds and "max" in bounds:
        low = format_value(bounds["min"], unit).removesuffix(unit).strip()
        parts.append(f"{low} .. {format_value(bounds['max'], unit)}")
    elif "min" in bounds:
        parts.append(f">= {format_value(bounds['min'], unit)}")
    elif "max" in bounds:
        parts.append(f"<= {format_value(bounds['max'], unit)}")
    if "one_of" in bounds:
        parts.append(" or ".join(format_value(v) for v in bounds["one_of"]))
    if "equals" in bounds:
        parts.append(f"= {format_value(bounds['equals'])}")
    if bounds.get("finite"):
        parts.append("not silence" if unit.startswith("dB") else "measurable")
    return ", ".join(parts)


def table_rows(report: CheckReport) -> list[tuple[str, str, str, str, str]]:
    """(metric, value, limit, margin, verdict) for every metric, in report order."""
    broken = {f.rule for f in report.failures}
    rows = []
    for name, unit in METRICS.items():
        value = report.metrics.metric(name)
        limits = report.spec.limits_for(name)
        margins = [m for m in (limit.margin(value) for limit in limits) if m is not None]
        margin = format_value(min(margins), unit) if margins else ""
        if margin and not margin.startswith("-"):
            margin = "+" + margin
        if not limits:
            verdict = ""
        else:
            verdict = "FAIL" if any(limit.rule in broken for limit in limits) else "pass"
        rows.append((name, format_value(value, unit), _limit_text(limits, unit), margin, verdict))
    return rows


def render_table(report: CheckReport, console: object) -> None:
    """Print one file's table with rich to ``console`` (a rich Console)."""
    from rich.table import Table

    verdict = "[green]PASS[/green]" if report.passed else "[red]FAIL[/red]"
    table = Table(title=f"{report.file}  {verdict}  (spec {report.spec.name})", title_justify="left")
    for column in ("metric", "value", "limit", "margin"):
        table.add_column(column, justify="left" if column in ("metric", "limit") else "right")
    table.add_column("", justify="left")
    for name, value, limit, margin, result in table_rows(report):
        style = {"FAIL": "[red]FAIL[/red]", "pass": "[green]pass[/green]"}.get(result, "")
        table.add_row(name, value, limit, margin, style)
    console.print(table)  # type: ignore[attr-defined]


def junit_xml(reports: Sequence[CheckReport], spec_name: str) -> str:
    """JUnit XML: one testsuite, one testcase per file, each broken rule a <failure>."""
    failed = sum(1 for r in reports if not r.passed)
    suite = ElementTree.Element(
        "testsuite", name=f"audiobook check ({spec_name})", tests=str(len(reports)), failures=str(failed), errors="0"
    )
    for report in reports:
        case = ElementTree.SubElement(suite, "testcase", classname=f"audiobook.check.{spec_name}", name=report.file)
        for failure in report.failures:
            unit = METRICS.get(failure.rule.split(".")[0], "")
            message = f"{failure.rule}: {format_value(failure.value, unit)} (limit {format_value(failure.limit)})"
            node = ElementTree.SubElement(case, "failure", message=message, type=failure.rule)
            node.text = message
        out = ElementTree.SubElement(case, "system-out")
        out.text = json.dumps(report_dict(report)["metrics"])
    ElementTree.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suite, encoding="unicode") + "\n"


def plot_report(report: CheckReport, folder: Path) -> Path:
    """Write ``<folder>/<file name>.png``: short-term loudness and peaks over time against the limits."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics, spec = report.metrics, report.spec
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True, constrained_layout=True)
    times, lufs = metrics.short_term_series
    finite = lufs > -120 if len(lufs) else lufs.astype(bool)
    top.plot(times[finite], lufs[finite], color="tab:blue", linewidth=1.0, label="short-term loudness (3 s)")
    bands = [("integrated_lufs", "integrated", "tab:green"), ("max_short_term_lufs", "max short-term", "tab:red"),
             ("rms_dbfs", "whole-file RMS", "tab:purple")]  # fmt: skip
    for metric, label, colour in bands:
        for limit in spec.limits_for(metric):
            if limit.kind in ("min", "max"):
                top.axhline(limit.value, color=colour, linestyle="--", linewidth=1.0,
                            label=f"{label} {limit.kind} {limit.value:g}")  # fmt: skip
    if math.isfinite(metrics.integrated_lufs):
        top.axhline(metrics.integrated_lufs, color="tab:green", linewidth=0.8, alpha=0.6,
                    label=f"integrated {metrics.integrated_lufs:.1f} LUFS")  # fmt: skip
    if math.isfinite(metrics.rms_dbfs) and spec.limits_for("rms_dbfs"):
        top.axhline(metrics.rms_dbfs, color="tab:purple", linewidth=0.8, alpha=0.6,
                    label=f"RMS {metrics.rms_dbfs:.1f} dBFS")  # fmt: skip
    top.set_ylabel("LUFS / dBFS")
    top.set_ylim(bottom=max(-70.0, top.get_ylim()[0]))
    top.grid(True, alpha=0.3)
    top.legend(loc="lower right", fontsize=8)
    ptimes, peaks = metrics.peak_series
    shown = peaks > -120 if len(peaks) else peaks.astype(bool)
    bottom.plot(ptimes[shown], peaks[shown], color="tab:orange", linewidth=0.8, label="sample peak per 0.1 s")
    for metric, label, colour in (("sample_peak_dbfs", "sample peak", "tab:red"), ("true_peak_dbtp", "true peak", "black")):
        for limit in spec.limits_for(metric):
            if limit.kind == "max":
                bottom.axhline(limit.value, color=colour, linestyle="--", linewidth=1.0, label=f"{label} max {limit.value:g}")
    if math.isfinite(metrics.true_peak_dbtp):
        bottom.axhline(metrics.true_peak_dbtp, color="black", linewidth=0.8, alpha=0.5,
                       label=f"true peak {metrics.true_peak_dbtp:.1f} dBTP")  # fmt: skip
    for limit in spec.limits_for("noise_floor_dbfs"):
        if limit.kind == "max":
            bottom.axhline(limit.value, color="tab:gray", linestyle=":", linewidth=1.0, label=f"noise floor max {limit.value:g}")
    bottom.set_ylabel("dBFS")
    bottom.set_xlabel("time (s)")
    bottom.set_ylim(bottom=-80.0, top=max(0.5, bottom.get_ylim()[1]))
    bottom.grid(True, alpha=0.3)
    bottom.legend(loc="lower right", fontsize=8)
    verdict = "PASS" if report.passed else "FAIL: " + ", ".join(f.rule for f in report.failures)
    fig.suptitle(f"{Path(report.file).name} - spec {spec.name} - {verdict}", fontsize=10)
    out = folder / f"{Path(report.file).name}.png"
    with atomic_path(out) as tmp:
        fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)
    return out


@dataclass
class CheckRun:
    """The outcome of ``audiobook check``: reports, files that could not be read, and the exit code."""

    reports: list[CheckReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """2 if any input was unreadable, else 1 if any file failed, else 0."""
        if self.errors:
            return 2
        return 0 if all(r.passed for r in self.reports) else 1


def run_check(
    files: Sequence[str | Path],
    spec: str | Path = "acx",
    junit: str | Path | None = None,
    plot_dir: str | Path | None = None,
) -> CheckRun:
    """Check every file against ``spec``; write the JUnit file and plots when asked.

    A spec that cannot be loaded raises InputError; an unreadable file is recorded in ``errors``
    (one line each) and the other files are still checked.
    """
    loaded: Spec = load_spec(spec)
    if not files:
        raise InputError("check: no files given")
    run = CheckRun()
    for file in files:
        try:
            metrics = measure_file(file)
        except InputError as err:
            run.errors.append(str(err))
            continue
        run.reports.append(CheckReport(str(file), loaded, metrics, check_metrics(metrics, loaded)))
    if junit:
        write_text_atomic(Path(junit), junit_xml(run.reports, loaded.name))
    if plot_dir:
        for report in run.reports:
            plot_report(report, Path(plot_dir))
    return run


def print_run(run: CheckRun, as_json: bool = False) -> None:
    """Print a run for a person (a table per file and a summary) or as JSON; errors go to stderr."""
    import sys

    from rich.console import Console

    for error in run.errors:
        print(f"audiobook: error: {error}", file=sys.stderr)
    if as_json:
        print(to_json(run.reports))
        return
    console = Console(highlight=False)
    for report in run.reports:
        render_table(report, console)
    passed = sum(1 for r in run.reports if r.passed)
    unreadable = f", {len(run.errors)} unreadable" if run.errors else ""
    console.print(f"{len(run.reports)} checked: {passed} pass, {len(run.reports) - passed} fail{unreadable}")
