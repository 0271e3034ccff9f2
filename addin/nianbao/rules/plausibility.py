"""Plausibility rules: P-1 (规章 by an agency that cannot make them), P-2 (fee notices sent, section 六
silent about 信息处理费).  The cells they read are tagged with roles in the format definition."""
from __future__ import annotations

from ..findings import Finding
from ..formats.base import ROLE_FEE_NOTICES, ROLE_RULE_MAKING
from ..model import LEVELS
from .base import Check, Context, fmt_num

# Only 国务院部门 and 省级 / 设区的市 people's governments may make 规章.
NO_RULE_MAKING = {"province_dept", "city_dept", "county", "county_dept", "township"}
FEE_WORDS = ("信息处理费", "收费", "收取费用", "缴纳费用")
# 「行政事业性收费」 is table 二's fee line, not the 信息处理费 of applications.
NOT_FEE_WORDS = ("行政事业性收费",)


def check_rule_making(ctx: Context) -> list[Finding]:
    """P-1: 规章 made or repealed by an agency without the power to make them."""
    report = ctx.report
    if report.level not in NO_RULE_MAKING:
        return []
    out = []
    for key in report.fmt.role(ROLE_RULE_MAKING):
        if report.number(key):
            f = report.fmt.field(key)
            out.append(ctx.finding("P-1", f"「{f.label}」为{fmt_num(report.number(key))}，但{LEVELS[report.level]}"
                                          f"没有规章制定权，请核对是否应填入「行政规范性文件」", [key],
                                   expected=0, actual=report.number(key)))
    return out


def check_fee_report(ctx: Context) -> list[Finding]:
    """P-2: fee notices were sent (（六）2.) but section 六 says nothing about 信息处理费."""
    report = ctx.report
    keys = [k for k in report.fmt.role(ROLE_FEE_NOTICES) if report.number(k)]
    if not keys:
        return []
    text = report.narrative_text(("other_matters",))
    for word in NOT_FEE_WORDS:
        text = text.replace(word, "")
    if any(w in text for w in FEE_WORDS):
        return []
    n = sum(report.number(k) for k in keys)
    return [ctx.finding("P-2", f"表三「申请人逾期未按收费通知要求缴纳费用」共{fmt_num(n)}件，"
                               f"说明发出过收费通知，但「六、其他需要报告的事项」未说明信息处理费的收取情况", keys,
                        actual=n)]


CHECKS = (Check(("P-1",), check_rule_making), Check(("P-2",), check_fee_report))
