"""Cross-year rules X-1 (error), X-2 and X-3 (warnings), evaluated from the format's ``CrossLink``
declarations (the same declarations carry next year's values over)."""
from __future__ import annotations

from ..findings import Finding
from .base import Check, Context, fmt_num, usable


def check_links(ctx: Context) -> list[Finding]:
    report, previous = ctx.report, ctx.previous
    out = []
    for link in report.fmt.links:
        if not link.applies_to(previous.fmt):
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
    return out


CHECKS = (Check(("X-1", "X-2", "X-3"), check_links, needs_previous=True),)
