"""L-1 … L-6: the rows of a workbook's registers (台账) that its counts cannot take as they are.

Each finding names the register row's cell (``依申请台账!G12``); messages cite row numbers, dates and 编号,
never what was typed in a text column (a name typed in the wrong column would travel with the finding).
L-6: the tables' counts that no longer follow the register.
"""
from __future__ import annotations

from .. import register as reg
from ..findings import Finding, make
from ..safetext import one_line
from .base import Check, Context

_SHOWN = 30  # characters of a typed value repeated in a message


def _shown(v) -> str:
    text = one_line(str(v))
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _date_words(sheet) -> tuple[str, str]:
    return sheet.column("received").title, sheet.column("closed").title


def check_register(ctx: Context) -> list[Finding]:
    report = ctx.report
    register = report.register
    if register is None:
        return []
    fmt = report.fmt
    bounds = reg.year_serials(report.year)
    out: list[Finding] = []
    for sheet in fmt.registers:
        got, closed_word = _date_words(sheet)
        result_word = sheet.column("result").title
        labels = {c.key: {label for _, label in reg.choices(fmt, sheet.key, c.key)}
                  for c in sheet.columns if c.kind == "choice"}
        seen: dict[str, int] = {}
        index = {c.key: sheet.index(c.key) for c in sheet.columns}
        width = len(sheet.columns)
        choice_keys = list(labels.items())
        start, nxt = bounds[reg.START], bounds[reg.NEXT]
        for row in register.of(sheet.key):
            n = row.number
            cells = row.cells if len(row.cells) >= width else tuple(row.cells) + (None,) * width
            get = lambda key: cells[index[key]]  # noqa: E731
            where = lambda key: (row.where(sheet, key),)  # noqa: E731
            received_v, closed_v, result_v = get("received"), get("closed"), get("result")
            received, closed = reg.serial(received_v), reg.serial(closed_v)
            # L-4 duplicate 编号
            ident = get("id")
            if not reg.blank(ident):
                text = str(ident).strip()
                if text in seen:
                    out.append(make("L-4", f"{sheet.sheet}第{n}行：编号「{_shown(text)}」与第{seen[text]}行重复",
                                    locations=where("id")))
                else:
                    seen[text] = n
            # L-3 drop-down values
            for key, allowed in choice_keys:
                v = get(key)
                title = sheet.column(key).title
                if reg.blank(v):
                    if key != "result":
                        out.append(make("L-3", f"{sheet.sheet}第{n}行：「{title}」未填写，本行不计入任何一列",
                                        locations=where(key)))
                elif not isinstance(v, str) or v not in allowed:
                    out.append(make("L-3", f"{sheet.sheet}第{n}行：「{title}」填写的内容不是下拉列表中的值，"
                                           f"本行不计入表格，请从下拉列表选择", locations=where(key)))
            # L-2 dates
            if reg.blank(received_v):
                out.append(make("L-2", f"{sheet.sheet}第{n}行：没有{got}，本行不计入表格", locations=where("received")))
            elif received is None:
                out.append(make("L-2", f"{sheet.sheet}第{n}行：{got}不是日期，本行不计入表格"
                                       f"（请输入日期，如 2025-03-08）", locations=where("received")))
            elif received >= nxt:
                out.append(make("L-2", f"{sheet.sheet}第{n}行：{got}{reg.to_date(received_v)}晚于{report.year}年度，"
                                       f"本行不计入本年度", locations=where("received")))
            if not reg.blank(closed_v) and closed is None:
                out.append(make("L-2", f"{sheet.sheet}第{n}行：{closed_word}不是日期"
                                       f"（请输入日期，如 2025-03-08）", locations=where("closed")))
            elif closed is not None and received is not None and int(closed) < int(received):
                out.append(make("L-2", f"{sheet.sheet}第{n}行：{closed_word}{reg.to_date(closed_v)}早于"
                                       f"{got}{reg.to_date(received_v)}", locations=where("closed")))
            # L-1 result and close date together
            if not reg.blank(result_v) and reg.blank(closed_v):
                out.append(make("L-1", f"{sheet.sheet}第{n}行：已填{result_word}，但没有{closed_word}"
                                       f"（按尚未办结计）", locations=where("closed")))
            elif reg.blank(result_v) and not reg.blank(closed_v) and closed is not None \
                    and closed < nxt and closed >= start:
                out.append(make("L-1", f"{sheet.sheet}第{n}行：已填{closed_word}，但没有{result_word}，"
                                       f"本行不计入任何结果", locations=where("result")))
            # L-5 closed before the year began
            if closed is not None and closed < start and (received is None or int(closed) >= int(received)):
                out.append(make("L-5", f"{sheet.sheet}第{n}行：{report.year}年度开始前已{closed_word[:2]}"
                                       f"（{reg.to_date(closed_v)}），不计入本年度", locations=where("closed")))
    return out


def check_counts(ctx: Context) -> list[Finding]:
    """L-6: in register mode every cell a register fills holds the register's count (a count typed over
    its formula, or a formula changed, no longer follows the register)."""
    report = ctx.report
    if report.register is None:
        return []
    out = []
    for key, want in reg.counts(report.fmt, report.year, report.register).items():
        got = report.get(key)
        if got != want:
            f = report.fmt.field(key)
            out.append(ctx.finding("L-6", f"「{f.label}」为{_number(got)}，按台账计数应为{want}：这个单元格的公式被改写了，"
                                          f"请用「nianbao register switch」重写工作簿，或在台账中登记", [key],
                                   expected=want, actual=got))
    return out


def _number(v) -> str:
    return "空白" if v is None else (str(v) if isinstance(v, (int, float)) else "非数字")


CHECKS = (Check(("L-1", "L-2", "L-3", "L-4", "L-5"), check_register), Check(("L-6",), check_counts))
