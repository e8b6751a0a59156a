"""Delivery specs: TOML files of limits per metric plus the targets the mastering chain aims for.

A spec file has a ``name``, a ``description``, a ``[limits]`` table and a ``[target]`` table::

    [limits]
    rms_dbfs = { min = -23.0, max = -18.0 }   # inclusive bounds
    noise_floor_dbfs = { max = -60.0, finite = true }
    sample_rate = { one_of = [44100] }
    cbr = { equals = true }

    [target]
    rms_dbfs = -20.0

Limit keys: ``min`` and ``max`` (numbers, inclusive), ``one_of`` (a list of allowed values),
``equals`` (one allowed value), ``finite`` (true: the metric must be measured and not +/-inf).
Metric names are those of :data:`audiobook.check.measure.METRICS`. The shipped specs live in
``audiobook/check/specs/`` (``acx``, ``ebu-r128``); any other argument is read as a path.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from audiobook.check.measure import METRICS
from audiobook.errors import InputError

LIMIT_KINDS = ("min", "max", "one_of", "equals", "finite")


@dataclass(frozen=True)
class Limit:
    """One rule on one metric: ``kind`` is one of LIMIT_KINDS and ``value`` its bound."""

    metric: str
    kind: str
    value: float | bool | tuple

    @property
    def rule(self) -> str:
        """The rule's name in reports, e.g. ``rms_dbfs.min``."""
        return f"{self.metric}.{self.kind}"

    def passes(self, measured: float | bool | None) -> bool:
        """Whether a measured value keeps this rule; an unmeasured value (None) keeps none."""
        if measured is None or (isinstance(measured, float) and math.isnan(measured)):
            return False
        if self.kind == "min":
            return measured >= self.value
        if self.kind == "max":
            return measured <= self.value
        if self.kind == "one_of":
            return measured in self.value
        if self.kind == "equals":
            return measured == self.value
        return not self.value or math.isfinite(float(measured))  # finite

    def margin(self, measured: float | bool | None) -> float | None:
        """How far inside the bound the value is (negative: outside), for min and max rules only."""
        if self.kind not in ("min", "max") or measured is None or isinstance(measured, bool):
            return None
        return measured - self.value if self.kind == "min" else self.value - measured


@dataclass(frozen=True)
class Spec:
    """A delivery spec: its limits, and the ``target`` values a mastering chain aims for."""

    name: str
    description: str
    limits: tuple[Limit, ...]
    target: dict[str, float | int | bool | str] = field(default_factory=dict)
    source: str = ""

    def limits_for(self, metric: str) -> list[Limit]:
        """The rules this spec sets on ``metric`` (empty when it sets none)."""
        return [limit for limit in self.limits if limit.metric == metric]


def builtin_specs() -> list[str]:
    """Names of the specs shipped with the package."""
    folder = resources.files("audiobook.check") / "specs"
    return sorted(entry.name[: -len(".toml")] for entry in folder.iterdir() if entry.name.endswith(".toml"))


def load_spec(name_or_path: str | Path) -> Spec:
    """Load a shipped spec by name (``acx``, ``ebu-r128``) or a spec file by path (InputError if bad)."""
    text_name = str(name_or_path)
    if text_name in builtin_specs():
        resource = resources.files("audiobook.check") / "specs" / f"{text_name}.toml"
        return parse_spec(resource.read_text(encoding="utf-8"), source=f"{text_name} (built in)")
    path = Path(name_or_path)
    if not path.is_file():
        known = ", ".join(builtin_specs())
        raise InputError(f"{path}: no such spec file (built-in specs: {known})")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read spec file ({err})") from err
    return parse_spec(text, source=str(path))


def parse_spec(text: str, source: str = "<spec>") -> Spec:
    """Parse the TOML text of a spec; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{source}: not valid TOML ({err})") from err
    unknown = set(data) - {"name", "description", "limits", "target"}
    if unknown:
        raise InputError(f"{source}: unknown key '{sorted(unknown)[0]}' (expected name, description, limits, target)")
    name = data.get("name", Path(source).stem)
    description = data.get("description", "")
    if not isinstance(name, str) or not isinstance(description, str):
        raise InputError(f"{source}: 'name' and 'description' must be strings")
    limits_table = data.get("limits", {})
    if not isinstance(limits_table, dict):
        raise InputError(f"{source}: 'limits' must be a table")
    limits: list[Limit] = []
    for metric, rules in limits_table.items():
        if metric not in METRICS:
            raise InputError(f"{source}: unknown metric 'limits.{metric}' (known: {', '.join(METRICS)})")
        if not isinstance(rules, dict) or not rules:
            raise InputError(f"{source}: 'limits.{metric}' must be a table such as {{ max = -3.0 }}")
        for kind, value in rules.items():
            limits.append(_limit(source, metric, kind, value))
    target = data.get("target", {})
    if not isinstance(target, dict):
        raise InputError(f"{source}: 'target' must be a table")
    for key, value in target.items():
        if not isinstance(value, (int, float, bool, str)):
            raise InputError(f"{source}: 'target.{key}' must be a number, true/false or a string")
    return Spec(name=name, description=description, limits=tuple(limits), target=dict(target), source=source)


def _limit(source: str, metric: str, kind: str, value: object) -> Limit:
    where = f"{source}: 'limits.{metric}.{kind}'"
    if kind not in LIMIT_KINDS:
        raise InputError(f"{where} is not a limit (use one of {', '.join(LIMIT_KINDS)})")
    if kind in ("min", "max"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"{where} must be a number")
        return Limit(metric, kind, float(value))
    if kind == "one_of":
        if not isinstance(value, list) or not value:
            raise InputError(f"{where} must be a non-empty list")
        return Limit(metric, kind, tuple(value))
    if kind == "finite":
        if not isinstance(value, bool):
            raise InputError(f"{where} must be true or false")
        return Limit(metric, kind, value)
    if not isinstance(value, (int, float, bool, str)):
        raise InputError(f"{where} must be a number, true/false or a string")
    return Limit(metric, kind, value)
