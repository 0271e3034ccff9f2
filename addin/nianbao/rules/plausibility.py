"""Plausibility rules: P-1 (规章 by an agency that cannot make them), P-2 (the 信息处理费 fields, table 三
row （六）2 and section 六 disagree).  The cells they read are tagged with roles in the format definition."""
from __future__ import annotations

import re

from ..findings import Finding
from ..formats.base import COUNT, MONEY, ROLE_FEE_NOTICES, ROLE_RULE_MAKING
from ..model import FEES_KEYS, LEVELS, as_number
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


# A count of fee notices stated in section 六: 「发出收费通知2件」, 「收费通知书3份」.
_NOTICE_CLAIM = re.compile(r"收费通知(?:书|单)?[^0-9０-９，。；、\n]{0,4}?([0-9０-９]+)\s*(?:件|份|次)")
_NONE_COLLECTED = ("未收取", "没有收取", "未实际收取", "未发出收费通知", "没有发出收费通知")
FEE_NOTICES, FEE_NOTICE_AMOUNT, FEE_COLLECTED = (f"fees.{k}" for k in FEES_KEYS)


def fee_fields(report) -> dict[str, float | int | None]:
    """The 信息处理费 fields of 「基本信息」 / JSON ``fees`` as numbers (None where not filled in)."""
    out = {}
    for key, kind in zip((FEE_NOTICES, FEE_NOTICE_AMOUNT, FEE_COLLECTED), (COUNT, MONEY, MONEY)):
        value, status = as_number((report.fees or {}).get(key.split(".", 1)[1]), kind)
        out[key] = value if status in ("ok", "text-number") else None
    return out


def _yuan(v) -> str:
    return f"{fmt_num(v)}元"


def check_fee_report(ctx: Context) -> list[Finding]:
    """P-2: the 信息处理费 fields, table 三 row （六）2 and section 六 tell the same story.

    - the fields among themselves: notices without an amount, an amount without notices, more collected
      than noticed;
    - the fields against （六）2: every application closed there had a fee notice sent;
    - section 六: when it has text, it must say something about 信息处理费 where fees were noticed or
      collected, and a count of notices it states must be the fields' (when section 六 is empty, the
      Word report writes the standard sentence from the fields, so only an unfilled fee part is reported).
    """
    report = ctx.report
    out: list[Finding] = []
    fees = fee_fields(report)
    notices, amount, collected = fees[FEE_NOTICES], fees[FEE_NOTICE_AMOUNT], fees[FEE_COLLECTED]
    filled = any(v is not None for v in fees.values())
    closed_keys = [k for k in report.fmt.role(ROLE_FEE_NOTICES) if report.number(k)]
    closed = sum(report.number(k) for k in closed_keys)
    closed_label = "表三「（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用」"

    # The fields among themselves.
    if notices and amount == 0:
        out.append(ctx.finding("P-2", f"信息处理费：发出收费通知{fmt_num(notices)}件，但收费通知金额为0元，请核对",
                               [FEE_NOTICES, FEE_NOTICE_AMOUNT], actual=amount))
    if notices == 0 and (amount or collected):
        out.append(ctx.finding("P-2", f"信息处理费：发出收费通知为0件，但填报了"
                                      f"{'收费通知金额' + _yuan(amount) if amount else '实际收取' + _yuan(collected)}，"
                                      f"请核对", [FEE_NOTICES, FEE_NOTICE_AMOUNT if amount else FEE_COLLECTED],
                               actual=notices))
    elif amount is not None and collected is not None and collected > amount:
        out.append(ctx.finding("P-2", f"信息处理费：实际收取{_yuan(collected)}，多于收费通知金额{_yuan(amount)}，请核对",
                               [FEE_COLLECTED, FEE_NOTICE_AMOUNT], expected=amount, actual=collected))
    if notices and collected is None:
        out.append(ctx.finding("P-2", f"信息处理费：发出收费通知{fmt_num(notices)}件，但「实际收取金额」未填写"
                                      f"（未收取请填0），报告第六部分需要说明实际收取情况", [FEE_COLLECTED]))

    # The fields against table 三 （六）2.
    if closed and filled and (notices or 0) < closed:
        out.append(ctx.finding("P-2", f"{closed_label}共{fmt_num(closed)}件，每件都发出过收费通知，但「基本信息」"
                                      f"填报的发出收费通知为{fmt_num(notices or 0)}件，请核对",
                               closed_keys + [FEE_NOTICES], expected=closed, actual=notices))

    # Section 六.
    text = report.narrative_text(("other_matters",))
    for word in NOT_FEE_WORDS:
        text = text.replace(word, "")
    mentions = any(w in text for w in FEE_WORDS)
    if not mentions and (closed or notices or amount or collected) and (text.strip() or not filled):
        if closed:
            out.append(ctx.finding("P-2", f"{closed_label}共{fmt_num(closed)}件，说明发出过收费通知，但「六、其他需要报告的事项」"
                                          f"未说明信息处理费的收取情况", closed_keys, actual=closed))
        else:
            out.append(ctx.finding("P-2", f"「基本信息」填报了信息处理费（发出收费通知{fmt_num(notices or 0)}件），"
                                          f"但「六、其他需要报告的事项」未说明信息处理费的收取情况", [FEE_NOTICES],
                                   actual=notices))
    if mentions and notices is not None:
        for m in _NOTICE_CLAIM.finditer(text):
            said = int(m.group(1).translate(_FULL_WIDTH))
            if said != notices:
                out.append(ctx.finding("P-2", f"「六、其他需要报告的事项」写「{m.group(0)}」，但「基本信息」填报的发出收费通知"
                                              f"为{fmt_num(notices)}件", [FEE_NOTICES], expected=notices, actual=said))
        if collected and any(w in text for w in _NONE_COLLECTED):
            out.append(ctx.finding("P-2", f"「六、其他需要报告的事项」说未收取信息处理费，但「基本信息」填报的实际收取金额为"
                                          f"{_yuan(collected)}", [FEE_COLLECTED], expected=0, actual=collected))
    return out


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


CHECKS = (Check(("P-1",), check_rule_making), Check(("P-2",), check_fee_report))
