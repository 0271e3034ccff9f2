"""Sum rules T3-1, T3-2, T3-3, T4-1, evaluated from the format's ``SumCheck`` declarations (the same
declarations the workbook compiles into Excel formulas)."""
from __future__ import annotations

from typing import Any

from ..findings import Finding
from ..formats.base import SumCheck
from ..model import Report
from .base import Check, Context, fmt_num


def evaluate_sum(report: Report, check: SumCheck, ctx: Context | None = None) -> tuple[Any, Any] | None:
    """(left sum, right sum) of a sum check, or None where a cell is unusable; each cell read once (through
    ``ctx`` when given, which keeps the readings for the other rules)."""
    ctx = ctx if ctx is not None else Context(report)
    if not ctx.usable(check.keys):
        return None
    left = sum(ctx.number(k) for k in check.left)
    right = sum(ctx.number(k) for k in check.right)
    return left, right


def check_sums(ctx: Context) -> list[Finding]:
    out = []
    for chk in ctx.report.fmt.sum_checks():
        res = evaluate_sum(ctx.report, chk, ctx)
        if res is None or res[0] == res[1]:
            continue
        left, right = res
        cells = [chk.target] + [k for k in chk.keys if k != chk.target]
        out.append(ctx.finding(chk.rule, chk.message.format(left=fmt_num(left), right=fmt_num(right)),
                               cells, expected=left, actual=right))
    return out


CHECKS = (Check(("T3-1", "T3-2", "T3-3", "T4-1"), check_sums),)
