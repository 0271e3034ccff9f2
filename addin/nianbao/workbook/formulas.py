"""The rule-to-formula compiler: the 「校验」 and 「计算」 sheets' native formulas, from the format's rules."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import formats
from ..formats import RULES
from ..formats.base import COUNT, KIND_NAMES, MONEY, SIGNED, TEXT, Field, SumCheck
from ..model import BLANK_MARKS, SPACE_CHARS, TEXT_NUMBER_MAP
from ..rules.values import total_parts
from .cells import (CALC_TOP, CHECK_TOP, SHEET_CALC, SHEET_CHECKS, col_letter, computed_cells, legacy_total_formula,
                    positions, range_list, sheet_ref)

# ---------------------------------------------------------------- the check sheet
@dataclass(frozen=True)
class CheckRow:
    """One row of 「校验」: a rule instance the workbook decides with a native formula."""

    rule: str
    table: str
    description: str
    keys: tuple[str, ...]
    check: SumCheck | None = None   # the sum rule instance (T3-1, T3-2, T3-3, T4-1)
    label: str = ""                 # V-1: the table row / group checked


@lru_cache(maxsize=None)
def check_rows(format_id: str) -> tuple[CheckRow, ...]:
    """Every rule instance of 「校验」, in sheet order (table by table)."""
    fmt = formats.get(format_id)
    out: list[CheckRow] = []
    for t in fmt.tables():
        for chk in fmt.sum_checks():
            if chk.target.split(".")[0] == t.key:
                out.append(CheckRow(chk.rule, t.key, f"{RULES[chk.rule].title}（{chk.scope}）", chk.keys, chk))
        blocks: dict[str, list[Field]] = {}
        for f in t.fields():
            if f.kind != TEXT:
                blocks.setdefault(f.row, []).append(f)
        for row, fields in blocks.items():
            label = fields[0].row_label
            out.append(CheckRow("V-1", t.key, f"{RULES['V-1'].title}（{t.sheet}「{label}」）",
                                tuple(f.key for f in fields), label=label))
    return tuple(out)


@lru_cache(maxsize=None)
def calc_rows(format_id: str) -> dict[str, int]:
    """Data key → row of 「计算」 for every numeric value cell."""
    fmt = formats.get(format_id)
    keys = [f.key for f in fmt.fields() if f.kind != TEXT]
    return {k: CALC_TOP + i for i, k in enumerate(keys)}


# Columns of 「计算」
(C_KEY, C_REF, C_KIND, C_TRIM, C_NORM, C_BARE, C_DIGITS, C_STATUS, C_VALUE, C_BAD, C_TEXTNUM,
 C_FAIL, C_REPORTED, C_TEXTVALUE) = range(1, 15)
CALC_HEADERS = ("数据键", "单元格", "类型", "去空格文本", "规范化文本", "去符号文本", "去数字后", "状态(0空 1数 2文本数 3无效)",
                "计算值", "无效", "文本数字", "所在规则不通过", "按V-1报告", "文本数字的值")
# model.normalize_text_number and model.is_blank, spelled in Excel: the same characters, the same order.
_NORMALIZE = TEXT_NUMBER_MAP
_SPACES = [(ch, "") for ch in SPACE_CHARS]


def text_literal(text: str) -> str:
    """An Excel text literal; control characters as CHAR(n), the same in every code page."""
    if len(text) == 1 and ord(text) < 32:
        return f"CHAR({ord(text)})"
    return '"' + text.replace('"', '""') + '"'


def _substitute(expr: str, pairs) -> str:
    for old, new in pairs:
        expr = f"SUBSTITUTE({expr},{text_literal(old)},{text_literal(new)})"
    return expr


def _kind_ok(kind: str, v: str) -> str:
    if kind == COUNT:
        return f"AND({v}>=0,{v}=INT({v}))"
    if kind == SIGNED:
        return f"{v}=INT({v})"
    if kind == MONEY:
        return f"{v}>=0"
    raise ValueError(kind)


def _calc_formulas(kind: str, x: str, row: int) -> dict[int, str]:
    """Formulas of one 「计算」 row classifying the value cell ``x`` as ``model.as_number`` does.

    Text is reduced step by step in its own columns (spaces removed, full-width characters made
    ASCII, the sign removed, the digits removed) so that each formula stays short.
    """
    t, n, b, g, s = (f"{col_letter(c)}{row}" for c in (C_TRIM, C_NORM, C_BARE, C_DIGITS, C_STATUS))
    blank = "OR(" + ",".join(f"{t}={text_literal(m)}" for m in sorted({"", *BLANK_MARKS})) + ")"
    textnum = (f'AND(LEN({b})>0,LEFT({b},1)<>".",RIGHT({b},1)<>".",'
               f'LEN({b})-LEN(SUBSTITUTE({b},".",""))<=1,{g}="")')
    status = (f"=IF(ISBLANK({x}),0,IF(ISERROR({x}),3,IF(ISLOGICAL({x}),3,IF(ISNUMBER({x}),"
              f"IF({_kind_ok(kind, x)},1,3),IF({blank},0,IF({textnum},IF({_kind_ok(kind, f'VALUE({n})')},2,3),3))))))")
    return {
        C_TRIM: f'=IF(ISTEXT({x}),{_substitute(x, _SPACES)},"")',
        C_NORM: f"={_substitute(t, _NORMALIZE)}",
        C_BARE: f'=IF(OR(LEFT({n},1)="+",LEFT({n},1)="-"),MID({n},2,LEN({n})),{n})',
        C_DIGITS: "=" + _substitute(f'SUBSTITUTE({b},".","")', [(str(i), "") for i in range(10)]),
        C_STATUS: status,
        C_VALUE: f"=IF({s}=1,{x},IF({s}=2,VALUE({n}),0))",
        C_BAD: f"=IF({s}=3,1,0)",
        C_TEXTNUM: f"=IF({s}=2,1,0)",
        C_TEXTVALUE: f"=IF({s}=2,VALUE({n}),0)",
    }


@lru_cache(maxsize=None)
def total_formula(format_id: str, key: str) -> str:
    """A computed cell's formula: Excel's SUM of its parts plus the parts typed as numeric text (from
    「计算」, read as ``model.as_number`` reads them), so the workbook shows the total every rule and the
    export use; blank while no part holds a number."""
    pos = positions(format_id)
    parts = computed_cells(format_id)[key]
    rng = range_list([pos[k][1:] for k in parts])
    # Each 「计算」 cell named on its own, not as a range: LibreOffice, recalculating a file on load, may
    # read a range of a column of alike formulas before it has computed them (0), a cell it never does.
    rows = calc_rows(format_id)
    cells = lambda col: ",".join(sheet_ref(SHEET_CALC, r, col) for r in sorted(rows[k] for k in parts))  # noqa: E731
    texts = f"SUM({cells(C_TEXTNUM)})"
    values = f"SUM({cells(C_TEXTVALUE)})"
    return f'=IF(COUNT({rng})+{texts}=0,"",SUM({rng})+{values})'


def _norm_formula(f: str) -> str:
    return re.sub(r"[\s$']", "", f).upper().lstrip("=")  # quotes around sheet names: LibreOffice drops them


@lru_cache(maxsize=None)
def _total_formulas(format_id: str, key: str) -> tuple[str, str]:
    return _norm_formula(total_formula(format_id, key)), _norm_formula(legacy_total_formula(format_id, key))


def is_total_formula(format_id: str, key: str, text: str) -> bool:
    """Whether ``text`` is the formula nianbao writes (or wrote, ``cells.legacy_total_formula``) for the
    computed cell ``key``."""
    return _norm_formula(text) in _total_formulas(format_id, key)


def _calc_list(format_id: str, keys, col: int) -> str:
    rows = calc_rows(format_id)
    return range_list(sorted((rows[k], col) for k in keys), SHEET_CALC)


def _message_expr(template: str, left: str, right: str) -> str:
    parts = re.split(r"(\{left\}|\{right\})", template)
    out = []
    for p in parts:
        if p == "{left}":
            out.append(left)
        elif p == "{right}":
            out.append(right)
        elif p:
            out.append(text_literal(p))
    return "&".join(out)


INVALID_NOTE = "无法校验：所涉单元格中有不符合要求的数值，请先按V-1改正"


@lru_cache(maxsize=None)
def check_formula(format_id: str, row: CheckRow) -> str:
    """The native 结果 formula of a 「校验」 row: 「通过」, 「错误：…」, 「提示：…」 or 「无法校验：…」."""
    bad = f"SUM({_calc_list(format_id, row.keys, C_BAD)})"
    if row.check is not None:
        left = f"SUM({_calc_list(format_id, row.check.left, C_VALUE)})"
        right = f"SUM({_calc_list(format_id, row.check.right, C_VALUE)})"
        msg = _message_expr(row.check.message, left, right)
        return (f'=IF({bad}>0,{text_literal(INVALID_NOTE)},IF({left}={right},"通过",'
                f'"错误："&{msg}&"（相差"&ABS({left}-{right})&"）"))')
    fmt = formats.get(format_id)
    kinds = "或".join(dict.fromkeys(KIND_NAMES[fmt.field(k).kind] for k in row.keys))
    textnum = f"SUM({_calc_list(format_id, row.keys, C_TEXTNUM)})"
    reported = f"SUM({_calc_list(format_id, row.keys, C_REPORTED)})"
    return (f'=IF({reported}>0,"错误：「{row.label}」有"&{reported}&"个单元格不是{kinds}",'
            f'IF({bad}>0,{text_literal(TOTAL_INVALID_NOTE.format(label=row.label))},'
            f'IF({textnum}>0,"提示：「{row.label}」有"&{textnum}&"个单元格是文本格式的数字，已按数字计算，请改为数字格式",'
            f'"通过")))')


TOTAL_INVALID_NOTE = "无法校验：「{label}」的合计所含单元格中有不符合要求的数值，请先按其他行的V-1改正"


def fail_count_formula(format_id: str, row: CheckRow, r: int) -> str:
    """The hidden 不通过 cell of 「校验」 row ``r``: how many errors the row counts, as ``nianbao check``
    counts them — one for a failing sum rule, one per reported cell for V-1."""
    if row.check is not None:
        return f'=IF(LEFT(C{r},2)="错误",1,0)'
    return f'=IF(LEFT(C{r},2)="错误",SUM({_calc_list(format_id, row.keys, C_REPORTED)}),0)'


def _reported_formula(format_id: str, key: str, parts: frozenset[str]) -> str:
    """Column 「按V-1报告」 of 「计算」: 1 where V-1 reports the cell (``rules.values.invalid_cells``)."""
    rows = calc_rows(format_id)
    bad = f"{col_letter(C_BAD)}{rows[key]}"
    if not parts:
        return f"={bad}"
    return f"=IF(AND({bad}=1,SUM({_calc_list(format_id, parts, C_BAD)})=0),1,0)"


@lru_cache(maxsize=None)
def calc_sheet(format_id: str) -> tuple[tuple[int, tuple[tuple[int, Any], ...]], ...]:
    """The contents of 「计算」 (the same for every workbook of a format): (row, ((column, value), ...))."""
    fmt = formats.get(format_id)
    pos = positions(format_id)
    totals = total_parts(fmt)
    membership: dict[str, list[int]] = {}
    for i, row in enumerate(check_rows(format_id)):
        for k in row.keys:
            membership.setdefault(k, []).append(CHECK_TOP + i)
    out = []
    for key, r in calc_rows(format_id).items():
        sheet, er, ec = pos[key]
        kind = fmt.field(key).kind
        cells = {C_KEY: key, C_REF: f"{sheet}!{col_letter(ec)}{er}", C_KIND: kind}
        cells.update(_calc_formulas(kind, sheet_ref(sheet, er, ec, absolute=True), r))
        flags = range_list([(cr, 5) for cr in sorted(membership.get(key, []))], SHEET_CHECKS)
        cells[C_FAIL] = f"=IF(SUM({flags})>0,1,0)" if flags else 0
        cells[C_REPORTED] = _reported_formula(format_id, key, totals.get(key, frozenset()))
        out.append((r, tuple(sorted(cells.items()))))
    return tuple(out)
