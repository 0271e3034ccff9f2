"""What only a batch shows, as findings: the review's own rules (R-…), catalogued like the report rules.

R-0 a file that cannot be read; R-1 two files of one unit; R-2 a unit in the wrong year or format for the
batch; R-3 two units' narratives mostly the same; R-4 a parent report's cell differs from its units' sum.
"""
from __future__ import annotations

from pathlib import Path

from ..findings import Finding, make
from ..formats import RULES as CATALOGUE
from ..formats.base import TEXT
from ..source import Source

UNREADABLE, DUPLICATE, WRONG_FORMAT, COPIED, PARENT = "R-0", "R-1", "R-2", "R-3", "R-4"
RULES = {k: r for k, r in CATALOGUE.items() if r.stage == "review"}  # catalogued with the report rules


def title(rule: str) -> str:
    info = CATALOGUE.get(rule)
    return info.title if info else rule


def _make(rule: str, message: str, cells=(), expected=None, actual=None, locations=()) -> Finding:
    return make(rule, message, cells, expected, actual, locations=locations)


def _file(unit) -> str:
    return Path(unit.path).name


def unreadable(message: str) -> Finding:
    return _make(UNREADABLE, message)


def duplicate(unit, others, counted) -> Finding:
    names = "、".join(f"「{_file(o)}」" for o in others)
    note = "本文件计入汇总" if counted is unit else f"汇总只计入「{_file(counted)}」"
    return _make(DUPLICATE, f"「{unit.name}」{unit.year}年度的报告还有{names}，请确认哪一份为准（{note}）",
                 actual=[o.path for o in others])


def wrong_format(unit, year: int, format_id: str) -> Finding:
    if unit.year != year:
        text = f"报告年度为{unit.year}年，本批报告为{year}年度"
    else:
        text = f"{year}年度报告应使用{format_id}年格式，此报告为{unit.format}年格式"
    return _make(WRONG_FORMAT, f"{text}，未计入汇总", expected={"year": year, "format": format_id},
                 actual={"year": unit.year, "format": unit.format})


def copied(unit, other, share: float) -> Finding:
    return _make(COPIED, f"正文有{share:.0%}的内容与「{other.name}」（{_file(other)}）的报告相同"
                         f"（仅数字不同的句子也计入），可能相互套用", expected=0.5, actual=round(share, 3))


def parent_differences(parent: Source, summed) -> list[Finding]:
    """A warning per cell of the parent report that differs from the sum of the units (a government's
    report may include units not in the batch, so this is not an error)."""
    report = parent.report
    if report.format != summed.format:
        return [_make(PARENT, f"本级报告为{report.format}年格式，各单位汇总为{summed.format}年格式，无法逐项比较")]
    fmt = report.fmt
    out = []
    for f in fmt.fields():
        if f.kind == TEXT:
            continue
        mine, total = report.number(f.key), summed.values.get(f.key, 0)
        if round(mine - total, 4) != 0:
            table = fmt.table(f.table)
            out.append(_make(PARENT, f"{table.sheet}「{f.label}」：本级报告为{_num(mine)}，{summed.units}个单位之和为"
                                     f"{_num(total)}（相差{_num(mine - total)}）",
                             (f.key,), expected=total, actual=mine,
                             locations=tuple(loc for loc in (parent.locate(f.key),) if loc)))
    return out


def _num(v) -> str:
    if isinstance(v, float):
        v = round(v, 4)
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)
