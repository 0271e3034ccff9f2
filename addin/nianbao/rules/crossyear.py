"""Cross-year rules X-1 (error), X-2 and X-3 (warnings), evaluated from the format's ``CrossLink``
declarations (the same declarations carry next year's values over)."""
from __future__ import annotations

from ..findings import Finding
from ..model import is_blank
from .base import Check, Context, fmt_num, usable

PREVIOUS_BLANK = "previous_blank"  # the catalogued case: last year's cell is empty (上年未填)


def check_links(ctx: Context) -> list[Finding]:
    """Each link decided on last year's values; a link whose last-year cell is empty is not decided (a blank
    is not a zero): one warning per rule names those cells (上年未填)."""
    report, previous = ctx.report, ctx.previous
    out = []
    unfilled: dict[str, list] = {}
    for link in report.fmt.links:
        if not link.applies_to(previous.fmt):
            continue
        if any(is_blank(previous.get(k)) for k in link.previous):
            unfilled.setdefault(link.rule, []).append(link)
            continue
        if not (usable(report, (link.target, *link.plus, *link.minus)) and usable(previous, link.previous)):
            continue
        prev = [previous.number(k) for k in link.previous]
        plus = [report.number(k) for k in link.plus]
        minus = [report.number(k) for k in link.minus]
        expected = sum(prev) + sum(plus) - sum(minus)
        actual = report.number(link.target)
        if expected == actual:
            continue
        show = lambda vs: [fmt_num(v) for v in vs]  # noqa: E731
        message = link.message.format(year=previous.year, prev=show(prev), plus=show(plus), minus=show(minus),
                                      expected=fmt_num(expected), actual=fmt_num(actual))
        out.append(ctx.finding(link.rule, message, [link.target], expected=expected, actual=actual))
    for rule, links in unfilled.items():
        blank = [k for link in links for k in link.previous if is_blank(previous.get(k))]
        names = "、".join(f"「{previous.fmt.field(k).label}」" for k in blank[:3]) + ("等" if len(blank) > 3 else "")
        out.append(ctx.finding(rule, f"上年（{previous.year}年度）报告的{names}{len(blank)}个单元格为空（上年未填），"
                                     f"无法核对与上年的衔接，本项未作判断；请补全上年报告，或核实后填写",
                               [link.target for link in links], case=PREVIOUS_BLANK))
    return out


CHECKS = (Check(("X-1", "X-2", "X-3"), check_links, needs_previous=True),)
