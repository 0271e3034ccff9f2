"""Findings in Chinese for people: the terminal report, the add-in's table, status line and message box.

Every face counts findings with ``findings.count`` and renders them here.
"""
from __future__ import annotations

from .explanations import lapse_note
from .findings import Finding, count, count_explained
from .formats import RULES, SEVERITY_ZH
from .safetext import one_line

HEADER = ["规则", "级别", "位置", "问题"]
EXPLAINED_HEADER = "说明"  # the add-in's 「校验结果」: the clerk's reason for keeping a finding

def describe(report) -> str:
    return f"{one_line(report.agency) or '（未填机关名称）'} {report.year}年度报告（{report.format}年格式）"


def render(findings: list[Finding], report, file: str, limit: int | None = None, lapsed=()) -> str:
    """The terminal report: errors and the warnings to resolve, then the explained warnings apart
    (「已说明」 with the reason), then the explanations that lapsed."""
    errors, warnings = count(findings)
    explained = count_explained(findings)
    settled = [f for f in findings if f.settled]
    findings = [f for f in findings if not f.settled]
    lines = [f"检查：{one_line(file)}", f"报告：{describe(report)}"]
    tail = _explained_lines(settled) + [f"  {one_line(e_note)}" for e_note in _lapse_notes(lapsed)]
    if not findings:
        lines.append("结果：全部通过，没有发现问题。" if not explained else
                     f"结果：没有待处理的问题（{explained} 处提示已说明）。")
        return "\n".join(lines + tail)
    lines.append(f"结果：{errors} 处错误，{warnings} 处提示" + (f"，另有 {explained} 处提示已说明。" if explained else "。"))
    if limit is not None and len(findings) > limit:
        return "\n".join(lines + _grouped(findings, limit) + tail)
    lines += [_line(f) for f in findings]
    lines += tail
    if errors:
        lines.append("错误须改正后再发布；提示请逐条核对。")
    else:
        lines.append("没有错误；提示请逐条核对。")
    return "\n".join(lines)


def _line(f: Finding) -> str:
    where = "、".join(f.locations[:3]) + ("等" if len(f.locations) > 3 else "") if f.locations else ""
    where = f"［{where}］" if where else ""
    note = f"（说明：{one_line(f.explained)}）" if f.explained is not None and f.is_error else ""
    return f"  {SEVERITY_ZH[f.severity]} {f.rule}{where} {f.message}{note}"


def _explained_lines(settled: list[Finding]) -> list[str]:
    """The explained warnings, apart: 「已说明」 with the clerk's reason."""
    if not settled:
        return []
    lines = [f"已说明（{len(settled)} 处提示，理由见「说明」表，不计入待处理的提示）："]
    for f in settled:
        where = f"［{f.locations[0]}{'等' if len(f.locations) > 1 else ''}］" if f.locations else ""
        lines.append(f"  已说明 {f.rule}{where} {f.message}——说明：{one_line(f.explained)}")
    return lines


def _lapse_notes(lapsed) -> list[str]:
    return [lapse_note(e) for e in lapsed]


def _grouped(findings: list[Finding], limit: int) -> list[str]:
    """A short summary: every error, then the warnings counted by rule with a first example each."""
    errors = [f for f in findings if f.is_error]
    lines = [_line(f) for f in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"  ……另有 {len(errors) - limit} 处错误。")
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        if f.severity == "warning":
            by_rule.setdefault(f.rule, []).append(f)
    for rule, items in by_rule.items():
        title = RULES[rule].title if rule in RULES else rule
        cells = sum(max(1, len(f.cells)) for f in items) if rule == "V-2" else len(items)
        unit = "个单元格" if rule == "V-2" else "处"
        first = items[0]
        where = f"［{first.locations[0]}］" if first.locations else ""
        lines.append(f"  提示 {rule}（{title}）：{cells}{unit}，例如{where}：{first.message}")
    lines.append("  完整清单请运行 nianbao check 查看。")
    lines.append("错误须改正后再发布；提示请逐条核对。" if errors else "没有错误；提示请逐条核对。")
    return lines


def status_text(findings) -> str:
    """「通过」, or 「N处错误，M处提示」 (and 「K处已说明」 for explained warnings)."""
    errors, warnings = count(findings)
    explained = count_explained(findings)
    if not errors and not warnings:
        return f"通过（{explained}处提示已说明）" if explained else "通过"
    return f"{errors}处错误，{warnings}处提示" + (f"，{explained}处已说明" if explained else "")


def findings_table(findings) -> list[list[str]]:
    """Header 规则/级别/位置/说明 and one row per finding (the add-in's 「校验结果」, NB_FINDINGS)."""
    rows = [list(HEADER)]
    for f in findings:
        rows.append([f.rule, SEVERITY_ZH.get(f.severity, f.severity), "、".join(f.locations) or None, f.message])
    if not findings:
        rows.append(["", "", "", "全部通过，没有发现问题"])
    return rows


def result_table(findings) -> list[list[str]]:
    """「校验结果」: the findings table with a fifth column 说明 holding each finding's explanation (the clerk
    types a reason there; the next check keeps it in sheet 「说明」)."""
    rows = findings_table(findings)
    rows[0] = rows[0] + [EXPLAINED_HEADER]
    for row, f in zip(rows[1:], findings):
        row.append(f.explained)
    return rows


def summary_line(report, findings) -> str:
    return f"报告：{describe(report)}；结果：{status_text(findings)}"


def first_findings(findings, limit: int = 5, width: int = 90) -> list[str]:
    """The first findings, one short line each (a message box has little room)."""
    lines = []
    for f in findings[:limit]:
        where = f"［{f.locations[0]}{'等' if len(f.locations) > 1 else ''}］" if f.locations else ""
        text = f"{SEVERITY_ZH.get(f.severity, f.severity)} {f.rule}{where} {f.message}"
        lines.append(text if len(text) <= width else text[:width - 1] + "…")
    if len(findings) > limit:
        lines.append(f"……另有 {len(findings) - limit} 条")
    return lines
