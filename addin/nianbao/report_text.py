"""Human-readable (Chinese) rendering of findings for the terminal."""
from __future__ import annotations

from .rules import Finding, summary

SEVERITY_ZH = {"error": "错误", "warning": "提示"}


def describe(report) -> str:
    return f"{report.agency or '（未填机关名称）'} {report.year}年度报告（{report.format}年格式）"


def render(findings: list[Finding], report, file: str, limit: int | None = None) -> str:
    errors, warnings = summary(findings)
    lines = [f"检查：{file}", f"报告：{describe(report)}"]
    if not findings:
        lines.append("结果：全部通过，没有发现问题。")
        return "\n".join(lines)
    lines.append(f"结果：{errors} 处错误，{warnings} 处提示。")
    shown = findings if limit is None else findings[:limit]
    for f in shown:
        where = "、".join(f.locations[:3]) + ("等" if len(f.locations) > 3 else "") if f.locations else ""
        where = f"［{where}］" if where else ""
        lines.append(f"  {SEVERITY_ZH[f.severity]} {f.rule}{where} {f.message}")
    if len(shown) < len(findings):
        lines.append(f"  ……另有 {len(findings) - len(shown)} 条，请用 nianbao check 查看全部。")
    if errors:
        lines.append("错误须改正后再发布；提示请逐条核对。")
    else:
        lines.append("没有错误；提示请逐条核对。")
    return "\n".join(lines)
