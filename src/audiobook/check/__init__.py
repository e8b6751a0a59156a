"""check stage: delivery specs and the ``audiobook check`` gate with its reports.

Library use::

    from audiobook.check import check_file, load_spec
    report = check_file("chapter-01.mp3", load_spec("acx"))
    report.passed, report.failures, report.metrics.rms_dbfs
"""

from audiobook.check.gate import CheckReport, Failure, check_file, check_metrics
from audiobook.check.measure import METRICS, FileMetrics, measure_file, mp3_facts
from audiobook.check.spec import Limit, Spec, builtin_specs, load_spec

__all__ = [
    "METRICS",
    "CheckReport",
    "Failure",
    "FileMetrics",
    "Limit",
    "Spec",
    "builtin_specs",
    "check_file",
    "check_metrics",
    "load_spec",
    "measure_file",
    "mp3_facts",
]
