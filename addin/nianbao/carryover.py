"""Next year's report from last year's: what the cross-year links carry over."""
from __future__ import annotations

from dataclasses import dataclass

from .bound import draft, wording
from .formats.base import CrossLink, ReportFormat
from .model import Report, empty_report


def skeleton(fmt: ReportFormat) -> dict[str, list]:
    """The narrative structure of a new report: the customary sub-headings, no paragraphs yet."""
    return {s.key: [{"heading": h, "paragraphs": []} for h in s.subheadings]
            for s in fmt.sections if s.table is None and s.subheadings}


def start_sections(report: Report) -> None:
    """A blank new report's narrative: the customary sub-headings and the drafted paragraphs bound to the
    tables (``bound.draft``)."""
    report.sections = skeleton(report.fmt)
    draft(report)


@dataclass(frozen=True)
class CarryOver:
    """Next year's report, and what of last year's could not be carried into it."""

    report: Report
    missing: tuple[str, ...] = ()  # Chinese names of the linked values last year's report does not have


def link_value(link: CrossLink, previous: Report):
    """The carried value of a link without this year's terms: last year's cell as it is (blank stays
    blank), or the sum of last year's cells."""
    if len(link.previous) == 1:
        return previous.get(link.previous[0])
    return sum(previous.number(k) for k in link.previous)


def baselines(fmt: ReportFormat, previous: Report | None) -> list[tuple[str, object]]:
    """(last year's data key, its value or None) for every link that needs this year's terms too: the
    workbook keeps these values of last year for reference (e.g. last year's 现行有效件数, rule X-2)."""
    out: list[tuple[str, object]] = []
    for link in fmt.links:
        if link.carried:
            continue
        usable = previous is not None and link.applies_to(previous.fmt)
        for k in link.previous:
            if k not in dict(out) and (fmt.has(k) or usable):
                out.append((k, previous.get(k) if usable else None))
    return out


def carry_over(previous: Report, year: int, format_id: str) -> CarryOver:
    """A new report for ``year`` with what the cross-year links of its format carry from last year's.

    Every link of the new format that applies to last year's report and has no terms of this year is
    carried (上年结转 from 结转下年度, rule X-1; 上一年项目数量 in the 2019 format, X-3); links with this
    year's terms (现行有效件数, X-2) keep last year's values as baselines when the workbook is written
    with ``previous``.  Links that last year's report cannot feed (a 2019 report has no 现行有效件数)
    are named in ``missing``.  The agency, its level and contact details and the narrative sub-headings
    (paragraphs left empty) come along too, and the paragraphs bound to the tables are drafted again, in
    last year's wording where the clerk changed it.
    """
    rep = empty_report(format_id, year, agency=previous.agency, level=previous.level)
    rep.contact = dict(previous.contact)
    fmt = rep.fmt
    missing: list[str] = []
    for link in fmt.links:
        if not link.applies_to(previous.fmt):
            missing.append(link.what)
        elif link.carried:
            rep.set(link.target, link_value(link, previous))
    sections: dict[str, list] = {}
    for key, items in (previous.sections or {}).items():
        heads = [{"heading": i["heading"], "paragraphs": []} for i in items
                 if isinstance(i, dict) and i.get("heading")]
        if heads:
            sections[key] = heads
    rep.sections = sections or skeleton(fmt)
    draft(rep, wording(previous.sections))
    return CarryOver(rep, tuple(dict.fromkeys(missing)))
