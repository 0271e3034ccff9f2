"""S-1: the tables' format must be the one the report year uses."""
from __future__ import annotations

from .. import formats
from ..findings import Finding
from .base import Check, Context


def check_format_year(ctx: Context) -> list[Finding]:
    report = ctx.report
    fmt = report.fmt
    if fmt.covers(report.year):
        return []
    want = formats.for_year(report.year)
    return [ctx.finding("S-1", f"{report.year}年度报告应使用{want.id}年格式（{want.notice}），"
                               f"当前表格为{fmt.id}年格式（{fmt.notice}）", [], expected=want.id, actual=fmt.id)]


CHECKS = (Check(("S-1",), check_format_year),)
