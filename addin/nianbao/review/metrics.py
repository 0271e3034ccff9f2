"""The ratios supervisors read from a batch of reports, defined on the format's tables.

Each metric is (id, Chinese name, definition, function of a value lookup); a ratio whose denominator is 0 is
None (shown as 「—」).  The same definitions serve every unit and the batch total.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..formats.base import ReportFormat
from ..formats.common import WITHHELD

Number = Callable[[str], float]


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    definition: str
    ratio: bool
    compute: Callable[[ReportFormat, Number], float | None]


def _t3(fmt: ReportFormat, row: str) -> str:
    t3 = fmt.requests
    return f"{t3.key}.{row}.{t3.total_column}"


def _t4(fmt: ReportFormat, group: str, member: str) -> str:
    return f"{fmt.appeals.key}.{group}.{member}"


def _div(a: float, b: float) -> float | None:
    return a / b if b else None


def _withheld_rows(fmt: ReportFormat) -> list[str]:
    return [r.key for r in fmt.requests.rows if len(r.labels) == 3 and r.labels[1] == WITHHELD]


def _applications(fmt, n):
    return n(_t3(fmt, "new"))


def _disclosed(fmt, n):
    return _div(n(_t3(fmt, "disclosed")) + n(_t3(fmt, "partly_disclosed")), n(_t3(fmt, fmt.requests.results_total)))


def _withheld(fmt, n):
    return _div(sum(n(_t3(fmt, r)) for r in _withheld_rows(fmt)), n(_t3(fmt, fmt.requests.results_total)))


def _carry(fmt, n):
    return _div(n(_t3(fmt, "carry_forward")), n(_t3(fmt, "new")) + n(_t3(fmt, "carried_over")))


def _review_corrected(fmt, n):
    t4 = fmt.appeals
    g = t4.groups[0][0]
    return _div(n(_t4(fmt, g, "corrected")), n(_t4(fmt, g, t4.total_member)))


def _litigation_corrected(fmt, n):
    t4 = fmt.appeals
    groups = [g for g, _ in t4.groups[1:]]
    return _div(sum(n(_t4(fmt, g, "corrected")) for g in groups), sum(n(_t4(fmt, g, t4.total_member)) for g in groups))


METRICS = (
    Metric("applications", "申请量", "表三「一、本年新收政府信息公开申请数量」的总计", False, _applications),
    Metric("disclosed_rate", "予以公开率",
           "表三（一）予以公开与（二）部分公开之和，除以（七）总计（总计列）", True, _disclosed),
    Metric("withheld_rate", "不予公开率", "表三（三）不予公开各项之和，除以（七）总计（总计列）", True, _withheld),
    Metric("carry_rate", "结转率",
           "表三「四、结转下年度继续办理」，除以「一、本年新收」与「二、上年结转」之和（总计列）", True, _carry),
    Metric("review_corrected_rate", "行政复议纠错率", "表四行政复议「结果纠正」除以行政复议「总计」", True,
           _review_corrected),
    Metric("litigation_corrected_rate", "行政诉讼纠错率",
           "表四行政诉讼（未经复议直接起诉与复议后起诉）「结果纠正」之和，除以两者「总计」之和", True,
           _litigation_corrected),
)


def compute(fmt: ReportFormat, number: Number) -> dict[str, float | None]:
    """Every metric for one report (or a sum), from a lookup key → number (blank and text count 0)."""
    return {m.id: m.compute(fmt, number) for m in METRICS}
