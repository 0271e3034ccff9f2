"""The Word summary of a review: the summed report rendered with the official Word template (公文 style,
the summed tables in the official layout), its sections saying what was reviewed, which units have errors
and what they are, and which units are missing."""
from __future__ import annotations

from pathlib import Path

from ..formats import SEVERITY_ZH
from .batch import COPIED, DUPLICATE, HAS_ERRORS, PASSED, UNREADABLE, WRONG_FORMAT, Review

MAX_LINES_PER_UNIT = 8
# The summary is printed with the report template, whose section headings speak of one agency's own
# work; a review's sections say what was reviewed instead (same numbering, keyed by section).
REVIEW_HEADINGS = {"overview": "审核概况和主要指标", "problems": "各单位报告存在的问题",
                   "other_matters": "缺报单位和本级报告比对"}
TITLE_END = "汇总审核情况"


def summary_report(review: Review, title: str | None = None):
    """The summed report with the review's findings as its narrative."""
    summed = review.summed
    # Two title lines that each fit a line of 2号 type: 「<年度>年度政府信息公开工作年度报告」 / 「汇总审核情况」.
    rep = summed.report(f"{summed.year}{summed.report('').fmt.title_suffix}" if title is None else "")
    rep.title = title or TITLE_END
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
        findings = [f for f in u.shown if not f.settled] or list(u.shown)
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


def review_headings(fmt) -> dict[str, str]:
    """Printed heading of the report template → the review's heading of the same section and number."""
    out = {}
    for section in fmt.sections:
        if section.key in REVIEW_HEADINGS and section.heading:
            number = section.heading.split("、", 1)[0]
            out[section.heading] = f"{number}、{REVIEW_HEADINGS[section.key]}"
    return out


def render(review: Review) -> bytes:
    """The summary as .docx bytes: the report template rendered, its narrative headings a review's."""
    import io

    from docx import Document

    from ..word import render as render_report
    rep = summary_report(review)
    doc = Document(io.BytesIO(render_report(rep)))
    headings = review_headings(rep.fmt)
    for para in doc.paragraphs:
        new = headings.get(para.text.strip())
        if new and para.runs:
            para.runs[0].text = new
            for run in para.runs[1:]:
                run.text = ""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write(review: Review, path: str | Path) -> Path:
    from ..errors import InputError
    from ..files import atomic_write
    out = Path(path)
    try:
        atomic_write(out, render(review))
    except OSError as e:
        raise InputError(f"无法写出 Word 汇总（{e.strerror or e}）", path=str(out)) from None
    return out
