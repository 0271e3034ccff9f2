"""The Word summary of a review: the summed report rendered with the official Word template (公文 style,
the summed tables in the official layout), its sections saying what was reviewed, which units have errors
and what they are, and which units are missing."""
from __future__ import annotations

from pathlib import Path

from ..formats import SEVERITY_ZH
from .batch import COPIED, DUPLICATE, HAS_ERRORS, PASSED, UNREADABLE, WRONG_FORMAT, Review
from . import checks

MAX_LINES_PER_UNIT = 8


def summary_report(review: Review, title: str | None = None):
    """The summed report with the review's findings as its narrative."""
    summed = review.summed
    rep = summed.report("")
    rep.title = title or f"{summed.year}年度政府信息公开工作年度报告汇总审核情况"
    counts = review.by_status()
    status = "、".join(f"{s}{counts[s]}个" for s in (PASSED, HAS_ERRORS, COPIED, WRONG_FORMAT, DUPLICATE, UNREADABLE)
                      if counts.get(s))
    errors = sum(1 for f in review.summed_findings if f.is_error)
    preamble = [f"本次共收到{len(review.units)}个文件，审核结果为：{status}。下列统计表为{summed.units}个单位"
                f"（{summed.year}年度、{summed.format}年格式，同一单位多份文件只计一次）报告的合计"
                + ("，合计数据各项勾稽关系成立。" if not errors else f"，合计数据有{errors}处勾稽关系错误（来自有错误的单位）。")]
    overview = []
    total = review.total_metrics()
    from . import metrics
    lines = []
    for m in metrics.METRICS:
        v = total.get(m.id)
        text = "—" if v is None else (f"{v:.1%}" if m.ratio else f"{v:g}")
        lines.append(f"{m.name}：{text}（{m.definition}）。")
    overview.append({"heading": "（一）主要指标", "paragraphs": lines})
    problems = []
    for u in review.ordered():
        if u.status == PASSED:
            continue
        findings = [f for f in (u.findings if u.readable else (checks.unreadable(u.error or ""),))]
        shown = [f for f in findings if f.is_error] or findings
        text = "；".join(f"{SEVERITY_ZH[f.severity]}{f.rule}：{f.message}" for f in shown[:MAX_LINES_PER_UNIT])
        more = f"；另有{len(shown) - MAX_LINES_PER_UNIT}处" if len(shown) > MAX_LINES_PER_UNIT else ""
        problems.append(f"{u.name}（{Path(u.path).name}，{u.status}）：{text}{more}。")
    if not problems:
        problems.append("所有单位的报告均通过校验。")
    other = []
    if review.previous_dir is not None:
        if review.missing:
            other.append("与上年相比未报送的单位（" + str(len(review.missing)) + "个）："
                         + "、".join(i.agency for i in review.missing) + "。")
        else:
            other.append("与上年相比，没有缺报的单位。")
    if review.parent is not None:
        n = len(review.parent_differences)
        other.append(f"本级报告「{review.parent.name}」与各单位合计" + ("一致。" if not n else f"有{n}处不同（见审核工作簿「本级对比」表）。"))
    rep.sections = {"preamble": preamble, "overview": overview, "problems": problems, "other_matters": other}
    return rep


def write(review: Review, path: str | Path) -> Path:
    from ..word import export
    return export(summary_report(review), path)
