"""The rule engine: plain functions over report data, each returning findings.

Each rule id of format.md §6 has one function here.  The sum rules (T3-1, T3-2,
T3-3, T4-1) are evaluated from the format's declarative ``SumCheck`` instances,
the same instances the workbook compiles into Excel formulas.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable

from . import narrative
from .formats import RULES
from .formats.base import COUNT, MONEY, SIGNED, SumCheck
from .model import Report, as_number

Locate = Callable[[str], "str | None"]


@dataclass
class Finding:
    """One problem found in a report."""

    rule: str
    severity: str
    message: str
    cells: list[str] = field(default_factory=list)
    expected: Any = None
    actual: Any = None
    locations: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "cells": self.cells,
                "locations": self.locations, "expected": self.expected, "actual": self.actual}


def _finding(rule: str, message: str, cells: Iterable[str] = (), expected=None, actual=None,
             severity: str | None = None) -> Finding:
    return Finding(rule, severity or RULES[rule].severity, message, list(cells), expected, actual)


def _fmt_num(v) -> str:
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


# ---------------------------------------------------------------- value rules
def check_values(report: Report) -> list[Finding]:
    """V-1 (unusable values, per cell) and V-2 (blank cells, one finding per table row)."""
    out: list[Finding] = []
    fmt = report.fmt
    blanks: dict[tuple[str, str], list[str]] = {}
    for f in fmt.fields():
        raw = report.get(f.key)
        value, status = as_number(raw, f.kind)
        if status == "blank":
            blanks.setdefault((f.table, f.row), []).append(f.key)
        elif status == "invalid":
            want = {COUNT: "不小于0的整数", SIGNED: "整数（可带+/-号）", MONEY: "不小于0的数字（单位：万元）"}[f.kind]
            out.append(_finding("V-1", f"「{f.label}」填报为「{raw}」，应为{want}", [f.key], actual=raw))
        elif status == "text-number":
            out.append(_finding("V-1", f"「{f.label}」填报为文本「{raw}」，已按数字{_fmt_num(value)}计算；"
                                        f"请改为数字格式", [f.key], expected=value, actual=raw,
                                 severity="warning"))
    for (table, row), keys in blanks.items():
        first = fmt.field(keys[0])
        cols = "、".join(fmt.field(k).column_label for k in keys)
        if len(keys) == 1:
            msg = f"「{first.label}」为空，官方表格要求填写0"
        else:
            msg = f"「{first.row_label}」行有{len(keys)}个单元格为空（{cols}），官方表格要求填写0"
        out.append(_finding("V-2", msg, keys, expected=0))
    return out


def _usable(report: Report, keys: Iterable[str]) -> bool:
    """True when no cell among ``keys`` holds an unusable value (V-1 reports those)."""
    fmt = report.fmt
    return all(as_number(report.get(k), fmt.field(k).kind)[1] != "invalid" for k in keys)


def evaluate_sum(report: Report, check: SumCheck) -> tuple[Any, Any] | None:
    """(left sum, right sum) of a sum check, or None where a cell is unusable."""
    if not _usable(report, check.keys):
        return None
    left = sum(report.number(k) for k in check.left)
    right = sum(report.number(k) for k in check.right)
    return left, right


def check_sums(report: Report) -> list[Finding]:
    """T3-1, T3-2, T3-3, T4-1."""
    out = []
    for chk in report.fmt.sum_checks():
        res = evaluate_sum(report, chk)
        if res is None or res[0] == res[1]:
            continue
        left, right = res
        cells = [chk.target] + [k for k in chk.keys if k != chk.target]
        out.append(_finding(chk.rule, chk.message.format(left=_fmt_num(left), right=_fmt_num(right)),
                            cells, expected=left, actual=right))
    return out


# ---------------------------------------------------------------- other rules
def check_format_year(report: Report) -> list[Finding]:
    """S-1: the format must match the report year."""
    fmt = report.fmt
    if fmt.covers(report.year):
        return []
    from . import formats
    want = formats.id_for_year(report.year)
    return [_finding("S-1", f"{report.year}年度报告应使用{want}年格式（{formats.get(want).notice}），"
                            f"当前表格为{fmt.id}年格式（{fmt.notice}）", [], expected=want, actual=fmt.id)]


def check_fee_amount(report: Report) -> list[Finding]:
    """V-3: 行政事业性收费 (万元) with too many decimals, or so large it was probably entered in 元."""
    key = "active.fees.amount_wan"
    if not report.fmt.has(key):
        return []
    value, status = as_number(report.get(key), MONEY)
    if status not in ("ok", "text-number") or value is None:
        return []
    # Decimal places as written; repr() is the shortest exact form, but may use an exponent (1e-05).
    exact = Decimal(repr(float(value))).normalize()
    exponent = exact.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    if decimals > 4:
        return [_finding("V-3", f"行政事业性收费金额{exact:f}万元的小数超过4位，请核对单位是否为万元",
                         [key], actual=value)]
    if value >= 100000:
        return [_finding("V-3", f"行政事业性收费金额{_fmt_num(value)}万元（即{_fmt_num(value / 10000)}亿元）偏大，"
                                f"请核对是否误按「元」填报（本栏单位为万元）", [key], actual=value)]
    return []


# Only 国务院部门 and 省级 / 设区的市 people's governments may make 规章.
NO_RULE_MAKING = {"province_dept", "city_dept", "county", "county_dept", "township"}
# Fields that say the agency itself made or repealed 规章 this year.
RULE_MAKING_FIELDS = {"2019": ("made",), "2021": ("issued", "repealed")}


def check_rule_making(report: Report) -> list[Finding]:
    """P-1: 规章 made by an agency without the power to make them."""
    if report.level not in NO_RULE_MAKING:
        return []
    from .model import LEVELS
    out = []
    for col in RULE_MAKING_FIELDS[report.format]:
        key = f"active.rules.{col}"
        if report.number(key):
            f = report.fmt.field(key)
            out.append(_finding("P-1", f"「{f.label}」为{_fmt_num(report.number(key))}，但{LEVELS[report.level]}"
                                       f"没有规章制定权，请核对是否应填入「行政规范性文件」", [key],
                                expected=0, actual=report.number(key)))
    return out


FEE_WORDS = ("信息处理费", "收费", "收取费用", "缴纳费用")


def check_fee_report(report: Report) -> list[Finding]:
    """P-2: fee notices were sent (（六）2.) but section 六 says nothing about 信息处理费."""
    key = "requests.other_no_fee.total"
    if not report.fmt.has(key) or not report.number(key):
        return []
    # 「行政事业性收费」 is table 二's fee line, not the 信息处理费 of applications.
    text = report.narrative_text(("other_matters",)).replace("行政事业性收费", "")
    if any(w in text for w in FEE_WORDS):
        return []
    return [_finding("P-2", f"表三「申请人逾期未按收费通知要求缴纳费用」共{_fmt_num(report.number(key))}件，"
                            f"说明发出过收费通知，但「六、其他需要报告的事项」未说明信息处理费的收取情况", [key],
                     actual=report.number(key))]


def check_previous(report: Report, previous: Report) -> list[Finding]:
    """X-1 (error), X-2 / X-3 (warnings): links to last year's report."""
    out = []
    t3 = report.fmt.requests
    for c in t3.columns:
        this_key = f"requests.carried_over.{c.key}"
        prev_key = f"requests.carry_forward.{c.key}"
        if not (_usable(report, [this_key]) and _usable(previous, [prev_key])):
            continue
        this, prev = report.number(this_key), previous.number(prev_key)
        if this != prev:
            out.append(_finding("X-1", f"{c.labels[-1]}列：本年「二、上年结转」为{_fmt_num(this)}，"
                                       f"但{previous.year}年度报告「四、结转下年度继续办理」为{_fmt_num(prev)}",
                                [this_key], expected=prev, actual=this))
    if report.format == "2021" and previous.format == "2021":
        for row, label in (("rules", "规章"), ("normative_docs", "行政规范性文件")):
            k = lambda c: f"active.{row}.{c}"  # noqa: E731
            if not (_usable(report, [k("in_force"), k("issued"), k("repealed")])
                    and _usable(previous, [k("in_force")])):
                continue
            expected = previous.number(k("in_force")) + report.number(k("issued")) - report.number(k("repealed"))
            actual = report.number(k("in_force"))
            if expected != actual:
                out.append(_finding("X-2", f"{label}：上年现行有效{_fmt_num(previous.number(k('in_force')))}件"
                                           f"＋本年制发{_fmt_num(report.number(k('issued')))}件"
                                           f"－本年废止{_fmt_num(report.number(k('repealed')))}件＝{_fmt_num(expected)}件，"
                                           f"但现行有效件数填报为{_fmt_num(actual)}件；如有到期失效等情况请在正文说明",
                                    [k("in_force")], expected=expected, actual=actual))
    if report.format == "2019" and previous.format == "2019":
        for row in ("rules", "normative_docs"):
            k = f"active.{row}.total_public"
            p = f"active.{row}.published"
            if not (_usable(report, [k, p]) and _usable(previous, [k])):
                continue
            expected = previous.number(k) + report.number(p)
            actual = report.number(k)
            if expected != actual:
                label = report.fmt.field(k).row_label
                out.append(_finding("X-3", f"{label}：上年对外公开总数量{_fmt_num(previous.number(k))}＋本年新公开"
                                           f"{_fmt_num(report.number(p))}＝{_fmt_num(expected)}，但对外公开总数量填报为"
                                           f"{_fmt_num(actual)}", [k], expected=expected, actual=actual))
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            k = f"active.{row}.prev_items"
            pk, pc = f"active.{row}.prev_items", f"active.{row}.change"
            if not (_usable(report, [k]) and _usable(previous, [pk, pc])):
                continue
            expected = previous.number(pk) + previous.number(pc)
            actual = report.number(k)
            if expected != actual:
                label = report.fmt.field(k).row_label
                out.append(_finding("X-3", f"{label}：上年报告的上一年项目数量{_fmt_num(previous.number(pk))}"
                                           f"与本年增/减{_fmt_num(previous.number(pc))}之和为{_fmt_num(expected)}，"
                                           f"但本年「上一年项目数量」填报为{_fmt_num(actual)}", [k],
                                    expected=expected, actual=actual))
    out += narrative.check_repetition(report, previous)
    return out


# ---------------------------------------------------------------- the engine
ORDER = {r: i for i, r in enumerate(RULES)}


def check(report: Report, previous: Report | None = None, locate: Locate | None = None) -> list[Finding]:
    """Run every rule; those that need last year's report run when ``previous`` is given.

    ``locate`` maps a data key to a ``sheet!cell`` location (workbook input).
    """
    findings: list[Finding] = []
    findings += check_format_year(report)
    findings += check_sums(report)
    findings += check_values(report)
    findings += check_fee_amount(report)
    findings += check_rule_making(report)
    findings += check_fee_report(report)
    findings += narrative.check_numbers(report)
    if previous is not None:
        findings += check_previous(report, previous)
    findings.sort(key=lambda f: (f.severity != "error", ORDER.get(f.rule, 99)))
    if locate is not None:
        for f in findings:
            f.locations = [loc for loc in (locate(k) for k in f.cells) if loc]
    return findings


def summary(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity == "error")
    return errors, len(findings) - errors


def findings_json(findings: list[Finding], report: Report, file: str) -> dict:
    """The findings JSON of contract.md."""
    errors, warnings = summary(findings)
    return {"file": file, "format": report.format, "year": report.year, "agency": report.agency,
            "ok": errors == 0, "errors": errors, "warnings": warnings,
            "findings": [f.to_dict() for f in findings]}
