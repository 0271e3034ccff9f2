"""Next year's report from last year's: what the cross-year links carry over."""
from __future__ import annotations

from .formats.base import ReportFormat
from .model import Report, empty_report


def skeleton(fmt: ReportFormat) -> dict[str, list]:
    """The narrative structure of a new report: the customary sub-headings, no paragraphs yet."""
    return {s.key: [{"heading": h, "paragraphs": []} for h in s.subheadings]
            for s in fmt.sections if s.table is None and s.subheadings}


def carry_over(previous: Report, year: int, format_id: str) -> Report:
    """A new report for ``year`` with what the rules link to last year's report filled in.

    * 上年结转 (table 三, every column) from last year's 结转下年度 (rule X-1);
    * 2019 format followed by 2019: 上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (rule X-3);
    * the agency, its level and contact details, the narrative sub-headings (paragraphs left empty).
    Last year's 现行有效件数 (rule X-2) goes into 「基本信息」 when the workbook is written with
    ``previous``; the report records last year's file in ``previous`` where it was read from a path.
    """
    rep = empty_report(format_id, year, agency=previous.agency, level=previous.level)
    rep.contact = dict(previous.contact)
    fmt = rep.fmt
    for c in fmt.requests.columns:
        src = f"{fmt.requests.key}.carry_forward.{c.key}"
        if previous.fmt.has(src):
            rep.set(f"{fmt.requests.key}.carried_over.{c.key}", previous.get(src))
    if format_id == "2019" and previous.format == "2019":
        for f in fmt.active.fields():
            if f.column == "prev_items":
                change = f"{f.table}.{f.row}.change"
                rep.set(f.key, previous.number(f.key) + previous.number(change))
    sections: dict[str, list] = {}
    for key, items in (previous.sections or {}).items():
        heads = [{"heading": i["heading"], "paragraphs": []} for i in items
                 if isinstance(i, dict) and i.get("heading")]
        if heads:
            sections[key] = heads
    rep.sections = sections or skeleton(fmt)
    return rep
