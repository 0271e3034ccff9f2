"""The Excel workbook face: build the report workbook from the format definition, read it back.

Sheets (names are part of the add-in's interface, see ``SHEET_*`` and ``TABLE_SHEETS``):

* 「基本信息」 agency, year, level, contact, format, fees, last year's file (label in A, value in B);
* 「正文」 one row per narrative paragraph: 部分 / 小标题 / 段落;
* 「表二」「表三」「表四」 the official tables, drawn from ``table.layout()`` (labels, merges, the 勾稽 note),
  layout cell (r, c) at Excel row ``TABLE_TOP + r``, column ``TABLE_LEFT + c``;
* 「校验」 one row per rule instance decidable inside the workbook (``check_rows``), its 结果 a native
  formula compiled from the format's ``SumCheck`` instances;
* 「计算」 (hidden) one row per numeric value cell: how Excel classifies the cell (blank / number /
  numeric text / unusable, the same classes as ``model.as_number``) and its value for the sums.

``write(report, path)`` builds the workbook; ``read(path)`` and ``read_grids(grids, source)`` read it
back into report data plus a ``locate(key) -> "表三!D7"`` function.  ``read_grids`` takes each sheet's
values as a 2-D list (row 0 = Excel row 1, column 0 = column A), exactly what one bulk
``sheet.used_range.value`` read gives in xlwings.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from . import formats
from .errors import InputError
from .formats import RULES
from .formats.base import COUNT, KIND_NAMES, MONEY, SIGNED, TEXT, Field, ReportFormat, SumCheck
from .model import (BLANK_MARKS, CONTACT_LABELS, FEES_LABELS, LEVELS, SPACE_CHARS, TEXT_NUMBER_MAP, Report,
                    atomic_write, read_limited)

# ---------------------------------------------------------------- sheet names and positions
SHEET_INFO = "基本信息"
SHEET_TEXT = "正文"
TABLE_SHEETS = {"active": "表二", "requests": "表三", "appeals": "表四"}
SHEET_CHECKS = "校验"
SHEET_CALC = "计算"
SHEET_ORDER = (SHEET_INFO, SHEET_TEXT, *TABLE_SHEETS.values(), SHEET_CHECKS, SHEET_CALC)

TABLE_TOP = 4      # Excel row of layout row 0 (rows 1-3: heading, status line, legend)
TABLE_LEFT = 1     # Excel column of layout column 0
STATUS_CELL = "A2"  # the 「本表校验：…」 line of each table sheet
CHECK_TOP = 5      # first rule row of 「校验」 (columns: 规则, 说明, 结果, 位置, hidden flag)
CALC_TOP = 2       # first value row of 「计算」
TEXT_TOP = 3       # first paragraph row of 「正文」 (row 2 holds the column headers)
PREAMBLE_NAME = "前言（标题后的开头段落）"
MAX_WORKBOOK_BYTES = 30 * 1024 * 1024

# 「基本信息」: (id, label); the value sits in column B of the same row, starting at INFO_TOP.
INFO_TOP = 3
INFO_FIELDS: tuple[tuple[str, str], ...] = (
    ("agency", "机关名称"),
    ("year", "报告年度"),
    ("format", "报告格式"),
    ("level", "机关层级"),
    ("title", "报告标题（可不填，默认按报告年度生成）"),
    *((f"contact.{k}", label) for k, label in CONTACT_LABELS.items()),
    *((f"fees.{k}", label) for k, label in FEES_LABELS.items()),
    ("previous", "上年度报告文件（路径，用于与上年衔接的校验）"),
)
# Last year's 现行有效件数 (2021 format, rule X-2), kept for reference below the fields above.
BASELINE_ROWS = ("rules", "normative_docs")

# Fills: input (yellow), computed (grey), typed over a formula (orange), failing (red).
FILL_INPUT = "FFF2CC"
FILL_COMPUTED = "E7E6E6"
FILL_TYPED = "F8CBAD"
FILL_HEADER = "DDEBF7"
FILL_FAIL = "FF9999"
TYPED_NOTE = ("此处原为自动计算的公式。来源数据中的数值与各项之和不一致，已按来源数据原样保留，"
              "以便「校验」表指出差异；核实后请改正。")


def sheet_of(table_key: str) -> str:
    return TABLE_SHEETS[table_key]


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(n)


@lru_cache(maxsize=None)
def positions(format_id: str) -> dict[str, tuple[str, int, int]]:
    """Data key → (sheet, Excel row, Excel column), 1-based, for every value cell of the format."""
    fmt = formats.get(format_id)
    out = {}
    for t in fmt.tables():
        for c in t.layout().value_cells():
            out[c.key] = (sheet_of(t.key), TABLE_TOP + c.row, TABLE_LEFT + c.col)
    return out


def address(format_id: str, key: str) -> str | None:
    """``"表三!D7"`` for a data key, None for keys the format has no cell for."""
    pos = positions(format_id).get(key)
    return f"{pos[0]}!{_col(pos[2])}{pos[1]}" if pos else None


def locator(format_id: str) -> Callable[[str], str | None]:
    """The ``locate(key)`` function for workbooks of ``format_id``."""
    return lambda key: address(format_id, key)


def _ref(sheet: str, row: int, col: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"'{sheet}'!{d}{_col(col)}{d}{row}"


@lru_cache(maxsize=None)
def computed_cells(format_id: str) -> dict[str, tuple[str, ...]]:
    """Cells the workbook computes with a formula: total key → the part keys it sums.

    Derived from the sum rules whose right side is one stated total (T3-2, T3-3, T4-1); a cell named
    by two rules (（七）总计 / 总计) takes the first, the row sum.
    """
    fmt = formats.get(format_id)
    out: dict[str, tuple[str, ...]] = {}
    for chk in fmt.sum_checks():
        if len(chk.right) == 1 and chk.target == chk.right[0] and chk.target not in out:
            out[chk.target] = chk.left
    return out


def _range_list(cells: list[tuple[int, int]], sheet: str | None = None) -> str:
    """Excel references for (row, col) cells, runs along a row or a column merged into ranges."""
    parts: list[str] = []
    cells = list(cells)
    i = 0
    pre = f"'{sheet}'!" if sheet else ""
    while i < len(cells):
        j = i
        r0, c0 = cells[i]
        while j + 1 < len(cells) and (
                (cells[j + 1] == (cells[j][0], cells[j][1] + 1) and cells[j + 1][0] == r0)
                or (cells[j + 1] == (cells[j][0] + 1, cells[j][1]) and cells[j + 1][1] == c0)):
            j += 1
        first, last = cells[i], cells[j]
        a = f"{_col(first[1])}{first[0]}"
        parts.append(f"{pre}{a}" if i == j else f"{pre}{a}:{_col(last[1])}{last[0]}")
        i = j + 1
    return ",".join(parts)


def total_formula(format_id: str, key: str) -> str:
    """The formula of a computed cell: blank while none of its parts holds a number."""
    pos = positions(format_id)
    parts = [pos[k][1:] for k in computed_cells(format_id)[key]]
    rng = _range_list(parts)
    return f'=IF(COUNT({rng})=0,"",SUM({rng}))'


def numeric_sum(values: list[Any]) -> int | float | None:
    """What a total formula computes: the sum of the parts that are numbers, None when there are none."""
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return sum(nums) if nums else None


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
            out.append(CheckRow("V-1", t.key, f"{RULES['V-1'].title}（{sheet_of(t.key)}「{label}」）",
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
 C_FAIL) = range(1, 13)
CALC_HEADERS = ("数据键", "单元格", "类型", "去空格文本", "规范化文本", "去符号文本", "去数字后", "状态(0空 1数 2文本数 3无效)",
                "计算值", "无效", "文本数字", "所在规则不通过")
# model.normalize_text_number and model.is_blank, spelled in Excel: the same characters, the same order.
_NORMALIZE = TEXT_NUMBER_MAP
_SPACES = [(ch, "") for ch in SPACE_CHARS]


def _q(text: str) -> str:
    """An Excel text literal; control characters as CHAR(n), the same in every code page."""
    if len(text) == 1 and ord(text) < 32:
        return f"CHAR({ord(text)})"
    return '"' + text.replace('"', '""') + '"'


def _substitute(expr: str, pairs) -> str:
    for old, new in pairs:
        expr = f"SUBSTITUTE({expr},{_q(old)},{_q(new)})"
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
    t, n, b, g, s = (f"{_col(c)}{row}" for c in (C_TRIM, C_NORM, C_BARE, C_DIGITS, C_STATUS))
    blank = "OR(" + ",".join(f"{t}={_q(m)}" for m in sorted({"", *BLANK_MARKS})) + ")"
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
    }


def _calc_list(format_id: str, keys, col: int) -> str:
    rows = calc_rows(format_id)
    return _range_list(sorted((rows[k], col) for k in keys), SHEET_CALC)


def _message_expr(template: str, left: str, right: str) -> str:
    parts = re.split(r"(\{left\}|\{right\})", template)
    out = []
    for p in parts:
        if p == "{left}":
            out.append(left)
        elif p == "{right}":
            out.append(right)
        elif p:
            out.append(_q(p))
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
        return (f'=IF({bad}>0,{_q(INVALID_NOTE)},IF({left}={right},"通过",'
                f'"错误："&{msg}&"（相差"&ABS({left}-{right})&"）"))')
    fmt = formats.get(format_id)
    kinds = "或".join(dict.fromkeys(KIND_NAMES[fmt.field(k).kind] for k in row.keys))
    textnum = f"SUM({_calc_list(format_id, row.keys, C_TEXTNUM)})"
    return (f'=IF({bad}>0,"错误：「{row.label}」有"&{bad}&"个单元格不是{kinds}",'
            f'IF({textnum}>0,"提示：「{row.label}」有"&{textnum}&"个单元格是文本格式的数字，已按数字计算，请改为数字格式",'
            f'"通过"))')


# ---------------------------------------------------------------- writing
def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "font": Font(name="宋体", size=11),
        "bold": Font(name="黑体", size=11, bold=True),
        "title": Font(name="黑体", size=14, bold=True),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "top": Alignment(horizontal="left", vertical="top", wrap_text=True),
        "fill": {k: PatternFill("solid", start_color=v, end_color=v) for k, v in
                 (("input", FILL_INPUT), ("computed", FILL_COMPUTED), ("typed", FILL_TYPED),
                  ("header", FILL_HEADER), ("fail", FILL_FAIL))},
        "unlocked": Protection(locked=False),
        "locked": Protection(locked=True),
    }


NAMED = ("nb-label", "nb-header", "nb-title", "nb-note", "nb-input", "nb-input-text", "nb-input-money",
         "nb-computed", "nb-typed", "nb-typed-money", "nb-edge", "nb-row", "nb-row-center", "nb-para")


def _register_named(wb, st) -> None:
    """Named cell styles: one assignment per cell instead of five (openpyxl hashes every style part)."""
    from openpyxl.styles import NamedStyle
    spec = {
        "nb-label": dict(alignment=st["left"]),
        "nb-header": dict(alignment=st["center"], fill=st["fill"]["header"]),
        "nb-title": dict(alignment=st["center"], fill=st["fill"]["header"], font=st["bold"]),
        "nb-note": dict(alignment=st["center"]),
        "nb-input": dict(alignment=st["center"], fill=st["fill"]["input"], protection=st["unlocked"]),
        "nb-input-text": dict(alignment=st["center"], fill=st["fill"]["input"], protection=st["unlocked"],
                              number_format="@"),
        "nb-input-money": dict(alignment=st["center"], fill=st["fill"]["input"], protection=st["unlocked"],
                               number_format="0.00##"),
        "nb-computed": dict(alignment=st["center"], fill=st["fill"]["computed"]),
        "nb-typed": dict(alignment=st["center"], fill=st["fill"]["typed"], protection=st["unlocked"]),
        "nb-typed-money": dict(alignment=st["center"], fill=st["fill"]["typed"], protection=st["unlocked"],
                               number_format="0.00##"),
        "nb-edge": dict(),
        "nb-row": dict(alignment=st["left"]),
        "nb-row-center": dict(alignment=st["center"]),
        "nb-para": dict(alignment=st["top"], number_format="@"),
    }
    for name in NAMED:
        ns = NamedStyle(name=name, font=st["font"], border=st["border"], protection=st["locked"])
        for k, v in spec[name].items():
            setattr(ns, k, v)
        wb.add_named_style(ns)


def _protect(ws) -> None:
    """Sheet protection without a password: locked cells cannot be changed, unlocked ones can."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False  # allowed: widening a column does not harm the data
    p.formatRows = False


def _width(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _validation(kind: str):
    from openpyxl.worksheet.datavalidation import DataValidation
    common = dict(allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop")
    if kind == COUNT:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", **common)
        dv.error, dv.prompt = "请填写不小于0的整数（没有发生请填0，不要填「/」「—」或「无」）。", "填写不小于0的整数；没有请填0。"
    elif kind == SIGNED:
        dv = DataValidation(type="whole", operator="between", formula1="-999999999", formula2="999999999", **common)
        dv.error, dv.prompt = "请填写整数，减少时填负数（如 -1），没有变化填0。", "填写整数：增加为正，减少为负，无变化填0。"
    else:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", **common)
        dv.error, dv.prompt = "请填写不小于0的数字，单位为万元，可有小数（如 12.5）。", "单位：万元，可有小数；没有请填0。"
    dv.errorTitle, dv.promptTitle = "输入有误", "填写说明"
    return dv


def _write_table(wb, fmt: ReportFormat, table, report: Report | None, st) -> list[str]:
    """Draw one official table; returns the keys typed over their formula."""
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.worksheet.cell_range import MultiCellRange
    ws = wb.create_sheet(sheet_of(table.key))
    layout = table.layout()
    heading = next(s.heading for s in fmt.sections if s.table == table.key)
    last_col = TABLE_LEFT + layout.cols - 1
    ws.cell(1, TABLE_LEFT, heading).font = st["title"]
    ws.merge_cells(start_row=1, start_column=TABLE_LEFT, end_row=1, end_column=last_col)
    ws.cell(1, TABLE_LEFT).alignment = st["center"]
    ws.cell(3, TABLE_LEFT, "黄色单元格为填报项（没有请填0）；灰色单元格自动计算；橙色单元格为导入的原值（与公式不符）；"
                           "红色表示所在校验不通过，详见「校验」表。").font = st["font"]
    ws.merge_cells(start_row=3, start_column=TABLE_LEFT, end_row=3, end_column=last_col)
    ws.cell(3, TABLE_LEFT).alignment = st["left"]
    ws.row_dimensions[3].height = 30
    computed = computed_cells(fmt.id)
    typed: list[str] = []
    validations: dict[str, Any] = {}
    for c in layout.cells:
        r, col = TABLE_TOP + c.row, TABLE_LEFT + c.col
        cell = ws.cell(r, col)
        _merge(ws, r, col, r + c.rowspan - 1, col + c.colspan - 1)
        if c.role != "value":
            cell.value = c.text
            cell.style = {"header": "nb-header", "title": "nb-title", "note": "nb-note"}.get(c.role, "nb-label")
            continue
        kind = fmt.field(c.key).kind
        value = report.get(c.key) if report is not None else None
        if c.key in computed:
            expected = numeric_sum([report.get(k) for k in computed[c.key]]) if report is not None else None
            if report is None or _same(value, expected):
                cell.value = total_formula(fmt.id, c.key)
                cell.style = "nb-computed"
                continue
            typed.append(c.key)
            cell.value = value
            cell.style = "nb-typed-money" if kind == MONEY else "nb-typed"
            cell.comment = Comment(TYPED_NOTE, "nianbao", width=300, height=110)
        else:
            cell.value = value
            cell.style = {TEXT: "nb-input-text", MONEY: "nb-input-money"}.get(kind, "nb-input")
        if kind != TEXT:
            validations.setdefault(kind, []).append(cell.coordinate)
    for kind, coords in validations.items():
        dv = _validation(kind)
        dv.sqref = MultiCellRange(" ".join(coords))
        ws.add_data_validation(dv)
    # Status line and the colouring of failing cells.
    rows = [i for i, row in enumerate(check_rows(fmt.id)) if row.table == table.key]
    first, last = CHECK_TOP + rows[0], CHECK_TOP + rows[-1]
    n = f"SUM('{SHEET_CHECKS}'!$E${first}:$E${last})"
    ws[STATUS_CELL] = f'=IF({n}=0,"本表校验：通过","本表有"&{n}&"处错误，见校验表")'
    ws[STATUS_CELL].font = st["bold"]
    ws.merge_cells(start_row=2, start_column=TABLE_LEFT, end_row=2, end_column=last_col)
    # One rule per table row: its value cells are consecutive rows of 「计算」, so the flag of the cell
    # being formatted is found from its column.
    calc = calc_rows(fmt.id)
    runs: dict[int, list[tuple[int, int, int]]] = {}
    for c in layout.value_cells():
        if c.key in calc:
            runs.setdefault(c.row, []).append((TABLE_LEFT + c.col, TABLE_LEFT + c.col + c.colspan - 1, calc[c.key]))
    flags = f"'{SHEET_CALC}'!${_col(C_FAIL)}:${_col(C_FAIL)}"
    for row, cells in runs.items():
        r = TABLE_TOP + row
        first_col, _, first_calc = cells[0]
        # Column → 「计算」 row: merged value cells (table 二) span several columns, so map by position.
        if all(cl == first_col + i and cr == cl and k == first_calc + i for i, (cl, cr, k) in enumerate(cells)):
            where = f"{first_calc}+COLUMN()-{first_col}"
            rng = f"{_col(first_col)}{r}:{_col(cells[-1][1])}{r}"
            ws.conditional_formatting.add(rng, FormulaRule(formula=[f"INDEX({flags},{where})=1"],
                                                           fill=st["fill"]["fail"]))
        else:
            for cl, cr, k in cells:
                ws.conditional_formatting.add(f"{_col(cl)}{r}:{_col(cr)}{r}", FormulaRule(
                    formula=[f"{_ref(SHEET_CALC, k, C_FAIL, absolute=True)}=1"], fill=st["fill"]["fail"]))
    # Column widths from the labels standing alone in a column.
    widths: dict[int, float] = {}
    for c in layout.cells:
        w = _width(c.text) * 1.1 + 2 if c.colspan == 1 and c.role != "note" else 0
        widths[c.col] = max(widths.get(c.col, 8), min(w, 44 if c.role == "label" else 16))
    if table.key == "requests":  # the 勾稽 note stands in the label columns' corner
        widths[0] = max(widths[0], 10)
    for i, w in widths.items():
        ws.column_dimensions[_col(TABLE_LEFT + i)].width = w
    # Row heights for wrapped labels (Excel does not grow rows of files it did not lay out itself).
    lines: dict[int, int] = {}
    for c in layout.cells:
        if c.rowspan == 1 and c.text:
            room = sum(widths.get(c.col + k, 8) for k in range(c.colspan))
            lines[c.row] = max(lines.get(c.row, 1), -(-int(_width(c.text) * 1.1) // int(room - 1)))
    for row, n in lines.items():
        if n > 1:
            ws.row_dimensions[TABLE_TOP + row].height = 15 * n
    # Freeze headers, print on A4 fitted to the width, repeat the header rows.
    label_cols = min((c.col for c in layout.value_cells()), default=0) if table.key == "requests" else 0
    ws.freeze_panes = ws.cell(TABLE_TOP + layout.header_rows, TABLE_LEFT + label_cols)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if table.key == "active" else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{_col(last_col)}{TABLE_TOP + layout.rows - 1}"
    if layout.header_rows:
        ws.print_title_rows = f"{TABLE_TOP}:{TABLE_TOP + layout.header_rows - 1}"
    _protect(ws)
    return typed


def _merge(ws, r1: int, c1: int, r2: int, c2: int, edge: str | None = "nb-edge") -> None:
    """Merge a block, giving the covered cells the bordered ``edge`` style (Excel draws a merged
    block's border from them).  Cheaper than ``ws.merge_cells``, which copies styles cell by cell."""
    from openpyxl.worksheet.merge import MergedCellRange
    if r2 == r1 and c2 == c1:
        return
    if edge is not None:
        for rr in range(r1, r2 + 1):
            for cc in range(c1, c2 + 1):
                if (rr, cc) != (r1, c1):
                    ws.cell(rr, cc).style = edge
    ws.merged_cells.add(MergedCellRange(ws, f"{_col(c1)}{r1}:{_col(c2)}{r2}"))


def _same(value: Any, expected: Any) -> bool:
    if value is None or expected is None:
        return value is None and expected is None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return value == expected


@lru_cache(maxsize=None)
def calc_sheet(format_id: str) -> tuple[tuple[int, tuple[tuple[int, Any], ...]], ...]:
    """The contents of 「计算」 (the same for every workbook of a format): (row, ((column, value), ...))."""
    fmt = formats.get(format_id)
    pos = positions(format_id)
    membership: dict[str, list[int]] = {}
    for i, row in enumerate(check_rows(format_id)):
        for k in row.keys:
            membership.setdefault(k, []).append(CHECK_TOP + i)
    out = []
    for key, r in calc_rows(format_id).items():
        sheet, er, ec = pos[key]
        kind = fmt.field(key).kind
        cells = {C_KEY: key, C_REF: f"{sheet}!{_col(ec)}{er}", C_KIND: kind}
        cells.update(_calc_formulas(kind, _ref(sheet, er, ec, absolute=True), r))
        flags = _range_list([(cr, 5) for cr in sorted(membership.get(key, []))], SHEET_CHECKS)
        cells[C_FAIL] = f"=IF(SUM({flags})>0,1,0)" if flags else 0
        out.append((r, tuple(sorted(cells.items()))))
    return tuple(out)


def _write_calc(wb, fmt: ReportFormat, st) -> None:
    ws = wb.create_sheet(SHEET_CALC)
    for i, h in enumerate(CALC_HEADERS, 1):
        ws.cell(1, i, h).font = st["bold"]
    for r, cells in calc_sheet(fmt.id):
        for col, value in cells:
            ws.cell(r, col, value)
    for i, w in enumerate((34, 10, 8, 12, 12, 12, 8, 10, 10, 6, 6, 8), 1):
        ws.column_dimensions[_col(i)].width = w
    ws.sheet_state = "hidden"
    _protect(ws)


def _write_checks(wb, fmt: ReportFormat, st) -> None:
    ws = wb.create_sheet(SHEET_CHECKS)
    ws["A1"] = "校验结果（公式自动计算，无需加载项；在 Excel、WPS、LibreOffice 中均可用）"
    ws["A1"].font = st["title"]
    rows = check_rows(fmt.id)
    last = CHECK_TOP + len(rows) - 1
    n = f"SUM($E${CHECK_TOP}:$E${last})"
    ws["A2"] = f'=IF({n}=0,"全部{len(rows)}项校验通过","共有"&{n}&"处错误，请按下表改正")'
    ws["A2"].font = st["bold"]
    ws["A3"] = ("本表只含表格内可判断的规则（T3-1、T3-2、T3-3、T4-1、V-1）。与上年报告衔接（X-1、X-2、X-3）、"
                "空白单元格（V-2）、正文与表格一致（N-1）等其余规则，请用「nianbao check 本工作簿」或加载项的「校验」按钮。")
    ws["A3"].alignment = st["left"]
    for cell in ("A1", "A2", "A3"):
        ws.merge_cells(f"{cell}:D{cell[1:]}")
    ws.row_dimensions[3].height = 45
    for i, h in enumerate(("规则", "说明", "结果", "位置", "不通过"), 1):
        c = ws.cell(CHECK_TOP - 1, i, h)
        c.font, c.fill, c.border, c.alignment = st["bold"], st["fill"]["header"], st["border"], st["center"]
    pos_of = locator(fmt.id)
    for i, row in enumerate(rows):
        r = CHECK_TOP + i
        locs = [pos_of(k) for k in ((row.check.target,) if row.check else row.keys)]
        values = (row.rule, row.description, check_formula(fmt.id, row),
                  "、".join(locs) if len(locs) <= 2 else f"{locs[0]}～{locs[-1].split('!')[1]}",
                  f'=IF(LEFT(C{r},2)="错误",1,0)')
        for j, v in enumerate(values, 1):
            ws.cell(r, j, v).style = "nb-row-center" if j in (1, 5) else "nb-row"
        ws.row_dimensions[r].height = 30  # two lines: long descriptions and error messages wrap
    from openpyxl.formatting.rule import FormulaRule
    ws.conditional_formatting.add(f"C{CHECK_TOP}:C{last}",
                                  FormulaRule(formula=[f'LEFT(C{CHECK_TOP},2)="错误"'], fill=st["fill"]["fail"]))
    ws.conditional_formatting.add(f"C{CHECK_TOP}:C{last}",
                                  FormulaRule(formula=[f'LEFT(C{CHECK_TOP},2)="提示"'], fill=st["fill"]["input"]))
    for col, w in zip("ABCDE", (7, 62, 92, 22, 7)):
        ws.column_dimensions[col].width = w
    ws.column_dimensions["E"].hidden = True
    ws.freeze_panes = ws.cell(CHECK_TOP, 1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{CHECK_TOP - 1}:{CHECK_TOP - 1}"
    _protect(ws)


def _info_value(report: Report | None, field_id: str) -> Any:
    if report is None:
        return None
    if field_id == "agency":
        return report.agency or None
    if field_id == "year":
        return report.year or None
    if field_id == "format":
        return report.format
    if field_id == "level":
        return LEVELS.get(report.level) if report.level else None
    if field_id in ("title", "previous"):
        return getattr(report, field_id)
    group, key = field_id.split(".")
    return getattr(report, group).get(key)


def _write_info(wb, fmt: ReportFormat, report: Report | None, previous: Report | None, st) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    ws = wb.active
    ws.title = SHEET_INFO
    ws["A1"] = "政府信息公开工作年度报告 · 基本信息"
    ws["A1"].font = st["title"]
    ws.merge_cells("A1:C1")
    ws["A2"] = "黄色单元格为填报项。报告格式由工作簿决定，不能修改：如需另一种格式，请用 nianbao new --format 新建。"
    ws["A2"].alignment = st["left"]
    ws.merge_cells("A2:C2")
    ws.row_dimensions[2].height = 30
    for i, (fid, label) in enumerate(INFO_FIELDS):
        r = INFO_TOP + i
        a = ws.cell(r, 1, label)
        a.font, a.alignment, a.border = st["font"], st["left"], st["border"]
        b = ws.cell(r, 2, _info_value(report, fid) if report is not None else (fmt.id if fid == "format" else None))
        b.font, b.alignment, b.border = st["font"], st["left"], st["border"]
        if fid == "format":
            b.value = fmt.id
            b.number_format = "@"
            b.fill = st["fill"]["computed"]
            ws.cell(r, 3, f"{fmt.notice}（适用于{fmt.first_year}年度"
                          f"{'至' + str(fmt.last_year) + '年度' if fmt.last_year else '及以后'}的报告）")
            continue
        b.fill, b.protection = st["fill"]["input"], st["unlocked"]
        if fid == "year":
            dv = DataValidation(type="whole", operator="between", formula1="1990", formula2="2200",
                                showErrorMessage=True, errorTitle="输入有误", error="报告年度应为四位年份，如 2025。")
            dv.add(b.coordinate)
            ws.add_data_validation(dv)
        elif fid == "level":
            dv = DataValidation(type="list", formula1=_q(",".join(LEVELS.values())), allow_blank=True,
                                showErrorMessage=True, errorTitle="输入有误", error="请从下拉列表中选择机关层级。")
            dv.add(b.coordinate)
            ws.add_data_validation(dv)
        elif fid.startswith("fees."):
            dv = _validation(COUNT if fid == "fees.notices" else MONEY)
            dv.error = "请填写不小于0的数字。"
            dv.add(b.coordinate)
            ws.add_data_validation(dv)
        else:
            b.number_format = "@"  # 邮政编码、电话 stay text
    r = INFO_TOP + len(INFO_FIELDS) + 1
    if fmt.id == "2021":
        ws.cell(r, 1, "上年数据（供参考，「nianbao new --from 上年文件」自动填入）").font = st["bold"]
        for i, row in enumerate(BASELINE_ROWS, 1):
            f = fmt.field(f"active.{row}.in_force")
            a = ws.cell(r + i, 1, f"上年{f.column_label}（{f.row_label}）")
            a.border, a.font = st["border"], st["font"]
            v = previous.get(f.key) if previous is not None and previous.format == fmt.id else None
            b = ws.cell(r + i, 2, v)
            b.border, b.fill, b.protection = st["border"], st["fill"]["input"], st["unlocked"]
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 46
    ws.column_dimensions["C"].width = 60
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(ws)


def narrative_sections(fmt: ReportFormat) -> dict[str, str]:
    """Narrative section key → the name shown in 「正文」 column 部分."""
    return {s.key: (s.heading or PREAMBLE_NAME) for s in fmt.sections if s.table is None}


def _write_text(wb, fmt: ReportFormat, report: Report | None, st) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    ws = wb.create_sheet(SHEET_TEXT)
    ws["A1"] = "正文：每行一段。可插入行增加段落；「小标题」可空；三个表格的部分不在此填写。"
    ws["A1"].font = st["bold"]
    ws.merge_cells("A1:C1")
    for i, h in enumerate(("部分", "小标题", "段落"), 1):
        c = ws.cell(TEXT_TOP - 1, i, h)
        c.font, c.fill, c.border, c.alignment = st["bold"], st["fill"]["header"], st["border"], st["center"]
    names = narrative_sections(fmt)
    rows: list[tuple[str, str | None, str]] = []
    sections = report.sections if report is not None else {}
    for key in names:
        items = sections.get(key) or []
        before = len(rows)
        for item in items:
            if isinstance(item, str):
                rows.append((key, None, item))
            else:
                paras = item.get("paragraphs") or []
                for p in paras or [""]:
                    rows.append((key, item.get("heading"), p))
        if len(rows) == before:
            rows.append((key, None, ""))  # a place to start typing; an empty paragraph reads back as nothing
    for i, (key, heading, text) in enumerate(rows):
        r = TEXT_TOP + i
        for j, v in enumerate((names[key], heading, text or None), 1):
            ws.cell(r, j, v).style = "nb-para"
    dv = DataValidation(type="list", formula1=_q(",".join(names.values())), allow_blank=True,
                        showErrorMessage=True, errorTitle="输入有误", error="请从下拉列表中选择正文的部分。")
    dv.add(f"A{TEXT_TOP}:A{TEXT_TOP + len(rows) + 500}")
    ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 100
    ws.freeze_panes = f"A{TEXT_TOP}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def build(report: Report | None, format_id: str | None = None, previous: Report | None = None):
    """The workbook (an openpyxl ``Workbook``) for ``report``, or a blank template of ``format_id``.

    Returns (workbook, keys typed over their formula).
    """
    from openpyxl import Workbook
    fid = report.format if report is not None else format_id
    fmt = formats.get(fid)
    st = _styles()
    wb = Workbook()
    _register_named(wb, st)
    _write_info(wb, fmt, report, previous, st)
    _write_text(wb, fmt, report, st)
    typed: list[str] = []
    for t in fmt.tables():
        typed += _write_table(wb, fmt, t, report, st)
    _write_checks(wb, fmt, st)
    _write_calc(wb, fmt, st)
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores no results: have Excel/WPS compute on open
    return wb, typed


def to_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(report: Report, path: str | Path, previous: Report | None = None) -> list[str]:
    """Write ``report`` as a workbook (temporary file, then rename).

    ``previous`` (last year's report) fills the reference values of 「基本信息」.  Returns the keys of
    totals kept as typed numbers because they disagree with the sum of their parts.
    """
    wb, typed = build(report, previous=previous)
    atomic_write(path, to_bytes(wb))
    return typed


def write_template(format_id: str, path: str | Path) -> None:
    wb, _ = build(None, format_id)
    atomic_write(path, to_bytes(wb))


def demo_step(report: Report, outdir: str | Path) -> Path:
    """``nianbao demo``: the seed's workbook."""
    out = Path(outdir) / f"{report.year}年度年报工作簿-{report.agency}.xlsx"
    write(report, out)
    return out


# ---------------------------------------------------------------- new workbooks
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
    from .model import empty_report
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


# ---------------------------------------------------------------- reading
Grids = dict[str, list[list[Any]]]


def _grid_value(grid: list[list[Any]], row: int, col: int) -> Any:
    """Value at Excel (row, col), 1-based; None outside the grid."""
    if row - 1 < len(grid):
        line = grid[row - 1]
        if line is not None and col - 1 < len(line):
            return line[col - 1]
    return None


def _clean(v: Any) -> Any:
    """A cell value as report data: numbers (whole floats as int), text, or None for empty."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return int(v) if v.is_integer() else v
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        return v if v != "" else None
    return str(v)


def _text(v: Any) -> str | None:
    v = _clean(v)
    if v is None:
        return None
    return str(v)


def _where(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{_col(col)}{row}"


def _sheet(grids: Grids, name: str, source: str) -> list[list[Any]]:
    if name not in grids:
        raise InputError(f"缺少工作表「{name}」。这不是 nianbao 生成的年报工作簿，或工作表被删除、改名了"
                         f"（应有：{'、'.join(SHEET_ORDER[:-1])}）", path=source)
    return grids[name] or []


def _read_format(grids: Grids, source: str) -> ReportFormat:
    info = _sheet(grids, SHEET_INFO, source)
    row = INFO_TOP + [f for f, _ in INFO_FIELDS].index("format")
    v = _text(_grid_value(info, row, 2))
    if v not in formats.FORMAT_IDS:
        raise InputError(f"「报告格式」应为「2019」或「2021」，实际为「{v or '空'}」", path=source,
                         where=_where(SHEET_INFO, row, 2))
    return formats.get(v)


def _check_structure(grids: Grids, fmt: ReportFormat, source: str) -> None:
    """The label cells must stand where the format definition puts them."""
    info = _sheet(grids, SHEET_INFO, source)
    for i, (_, label) in enumerate(INFO_FIELDS):
        got = _text(_grid_value(info, INFO_TOP + i, 1))
        if (got or "").strip() != label:
            raise InputError(f"单元格应为「{label}」，实际为「{got or '空'}」：「{SHEET_INFO}」表的结构被改动"
                             f"（插入或删除了行？），无法读取", path=source, where=_where(SHEET_INFO, INFO_TOP + i, 1))
    for t in fmt.tables():
        name = sheet_of(t.key)
        grid = _sheet(grids, name, source)
        for c in t.layout().cells:
            if c.role == "value":
                continue
            r, col = TABLE_TOP + c.row, TABLE_LEFT + c.col
            got = _text(_grid_value(grid, r, col))
            if (got or "").strip() != c.text:
                raise InputError(f"单元格应为「{c.text}」，实际为「{got or '空'}」：表格结构被改动（插入或删除了行列？），"
                                 f"无法按{fmt.id}年格式读取", path=source, where=_where(name, r, col))


def _read_info(grids: Grids, fmt: ReportFormat, source: str) -> dict[str, Any]:
    info = _sheet(grids, SHEET_INFO, source)
    out: dict[str, Any] = {}
    for i, (fid, label) in enumerate(INFO_FIELDS):
        r = INFO_TOP + i
        where = _where(SHEET_INFO, r, 2)
        raw = _clean(_grid_value(info, r, 2))
        if fid == "year":
            year = raw
            if isinstance(year, str) and re.fullmatch(r"\s*\d{4}\s*(年度?)?\s*", year):
                year = int(re.search(r"\d{4}", year).group())
            if not isinstance(year, int) or not 1990 <= year <= 2200:
                raise InputError(f"「{label}」应为四位年份（如 2025），实际为「{raw if raw is not None else '空'}」",
                                 path=source, where=where)
            out["year"] = year
        elif fid == "level":
            if raw is None:
                out["level"] = None
            else:
                names = {v: k for k, v in LEVELS.items()}
                text = str(raw).strip()
                if text in LEVELS:
                    out["level"] = text
                elif text in names:
                    out["level"] = names[text]
                else:
                    raise InputError(f"「{label}」无法识别：「{text}」，请从下拉列表选择（{'、'.join(LEVELS.values())}）",
                                     path=source, where=where)
        elif fid.startswith("fees."):
            if raw is None:
                continue
            if isinstance(raw, str):
                from .model import normalize_text_number
                t = normalize_text_number(raw)
                try:
                    raw = float(t) if "." in t else int(t)
                except ValueError:
                    raise InputError(f"「{label}」应为不小于0的数字，实际为「{raw}」", path=source, where=where) from None
            if raw < 0:
                raise InputError(f"「{label}」应为不小于0的数字，实际为「{raw}」", path=source, where=where)
            out[fid] = raw
        elif fid != "format":
            out[fid] = _text(raw)
    return out


def _read_text(grids: Grids, fmt: ReportFormat, source: str) -> dict[str, list]:
    grid = _sheet(grids, SHEET_TEXT, source)
    by_name = {v: k for k, v in narrative_sections(fmt).items()}
    sections: dict[str, list] = {}
    current: str | None = None
    last: tuple[str, str | None] | None = None  # (section, heading) of the previous paragraph row
    for r in range(TEXT_TOP, len(grid) + 1):
        name, heading, text = (_text(_grid_value(grid, r, c)) for c in (1, 2, 3))
        if name is None and heading is None and text is None:
            continue
        if name is not None:
            key = by_name.get(name.strip())
            if key is None:
                raise InputError(f"「部分」无法识别：「{name}」，应为：{'、'.join(by_name)}", path=source,
                                 where=_where(SHEET_TEXT, r, 1))
            current = key
        if current is None:
            raise InputError("请在「部分」列选择这一段属于正文的哪一部分", path=source, where=_where(SHEET_TEXT, r, 1))
        items = sections.setdefault(current, [])
        heading = heading.strip() if heading and heading.strip() else None
        if heading is None:
            if text is not None:
                items.append(text)
            last = None
            continue
        if last == (current, heading) and items and isinstance(items[-1], dict):
            if text is not None:
                items[-1]["paragraphs"].append(text)
        else:
            items.append({"heading": heading, "paragraphs": [text] if text is not None else []})
        last = (current, heading)
    return {k: v for k, v in sections.items() if v}


def read_grids(grids: Grids, source: str) -> tuple[Report, Callable[[str], str | None]]:
    """Report data from the sheets' values (row 0 = Excel row 1, column 0 = column A).

    Formula cells must hold their computed values (as Excel gives them).  Raises InputError (Chinese,
    naming sheet and cell) when the workbook is not one of ours or its structure was changed.
    """
    fmt = _read_format(grids, source)
    _check_structure(grids, fmt, source)
    info = _read_info(grids, fmt, source)
    rep = Report(format=fmt.id, year=info["year"], agency=info.get("agency") or "", level=info.get("level"),
                 title=info.get("title"), previous=info.get("previous"))
    rep.contact = {k.split(".")[1]: v for k, v in info.items() if k.startswith("contact.") and v is not None}
    rep.fees = {k.split(".")[1]: v for k, v in info.items() if k.startswith("fees.")}
    for key, (sheet, r, c) in positions(fmt.id).items():
        rep.set(key, _clean(_grid_value(grids[sheet], r, c)))
    rep.sections = _read_text(grids, fmt, source)
    return rep, locator(fmt.id)


def _normal_formula(f: str) -> str:
    return re.sub(r"[\s$]", "", f).upper().lstrip("=")


def _resolve_formulas(grids: Grids, fmt: ReportFormat, cached: Callable[[], Grids]) -> None:
    """Replace formula text in the value cells by its value: our total formulas are recomputed from the
    cells they sum (openpyxl-saved files have no stored results); other formulas take the stored result."""
    pos = positions(fmt.id)
    computed = computed_cells(fmt.id)
    done: dict[str, Any] = {}

    def value(key: str) -> Any:
        if key in done:
            return done[key]
        sheet, r, c = pos[key]
        v = _grid_value(grids[sheet], r, c)
        if isinstance(v, str) and v.startswith("="):
            if key in computed and _normal_formula(v) == _normal_formula(total_formula(fmt.id, key)):
                v = numeric_sum([_clean(value(k)) for k in computed[key]])
            else:
                v = _grid_value(cached().get(sheet, []), r, c)
                if v is None:
                    v = _grid_value(grids[sheet], r, c)  # no stored result: keep the formula text (V-1)
        done[key] = v
        return v

    for key in pos:
        value(key)
    for key, v in done.items():
        sheet, r, c = pos[key]
        grid = grids[sheet]
        while len(grid) < r:
            grid.append([])
        line = grid[r - 1]
        while len(line) < c:
            line.append(None)
        line[c - 1] = v


def _load(raw: bytes, path: str, data_only: bool):
    import zipfile

    import openpyxl
    try:
        return openpyxl.load_workbook(io.BytesIO(raw), data_only=data_only, read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError, OSError, EOFError) as e:
        raise InputError(f"无法打开工作簿：文件已损坏，或不是 Excel 工作簿（.xlsx / .xlsm）（{type(e).__name__}）",
                         path=path) from None
    except Exception as e:  # openpyxl raises many kinds on damaged parts; never a traceback
        raise InputError(f"无法打开工作簿：文件内容有误（{type(e).__name__}）", path=path) from None


READ_SHEETS = (SHEET_INFO, SHEET_TEXT, *TABLE_SHEETS.values())  # 校验 and 计算 are never read


def _grids(wb, path: str = "", sheets: tuple[str, ...] | None = None) -> Grids:
    """The values of ``sheets`` (default: every sheet) of an openpyxl workbook; a read-only workbook
    parses only the sheets asked for."""
    out: Grids = {}
    for name in (wb.sheetnames if sheets is None else sheets):
        if name not in wb.sheetnames:
            continue
        rows = []
        ws = wb[name]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # do not trust the stored sheet size (some writers get it wrong)
        try:
            for line in ws.iter_rows(values_only=True):
                rows.append([v.text if hasattr(v, "text") and not isinstance(v, str) else v for v in line])
        except Exception as e:  # a damaged sheet part; never a traceback
            raise InputError(f"工作表「{name}」已损坏，无法读取（{type(e).__name__}）", path=path) from None
        out[name] = rows
    return out


# Public names for adapters that load the workbook themselves (the add-in's file access).
grids_of = _grids
resolve_formulas = _resolve_formulas
read_format = _read_format


def read(path: str | Path) -> tuple[Report, Callable[[str], str | None]]:
    """Read one of our workbooks (saved by nianbao, Excel, WPS or LibreOffice) into report data."""
    path = str(path)
    raw = read_limited(path, MAX_WORKBOOK_BYTES)
    grids = _grids(_load(raw, path, data_only=False), path, READ_SHEETS)
    fmt = _read_format(grids, path)
    cache: dict[str, Grids] = {}

    def cached() -> Grids:
        if "g" not in cache:
            cache["g"] = _grids(_load(raw, path, data_only=True), path, READ_SHEETS)
        return cache["g"]

    for t in fmt.tables():
        _sheet(grids, sheet_of(t.key), path)
    _resolve_formulas(grids, fmt, cached)
    return read_grids(grids, path)


# ---------------------------------------------------------------- templates and pictures
TEMPLATE_NAMES = {"2021": "年报模板-2021.xlsx", "2019": "年报模板-2019.xlsx"}


def write_templates(outdir: str | Path) -> list[Path]:
    """The ready templates of both formats (``python -m nianbao.workbook --templates templates/``)."""
    out = []
    for fid, name in TEMPLATE_NAMES.items():
        p = Path(outdir) / name
        write_template(fid, p)
        out.append(p)
    return out


def render_sheets(report: Report, outdir: str | Path, prefix: str = "sheet-") -> list[Path]:
    """PNG pictures of the table sheets and the check sheet, rendered by LibreOffice (for the docs)."""
    import shutil
    import subprocess
    import tempfile

    from . import office
    outdir = Path(outdir)
    names = {"active": "table2", "requests": "table3", "appeals": "table4", "checks": "checks"}
    written = []
    with tempfile.TemporaryDirectory(prefix="nianbao-img-") as tmp:
        books = []
        for key, stem in names.items():
            wb, _ = build(report)
            keep = SHEET_CHECKS if key == "checks" else sheet_of(key)
            for ws in wb.worksheets:
                ws.sheet_state = "visible" if ws.title == keep else "hidden"
                if ws.title != keep:  # LibreOffice prints a hidden sheet that has a print area
                    from openpyxl.worksheet.print_settings import PrintArea
                    ws._print_area = PrintArea()
                    ws._print_rows = ws._print_cols = None
            wb.active = wb.sheetnames.index(keep)
            p = Path(tmp) / f"{prefix}{stem}.xlsx"
            p.write_bytes(to_bytes(wb))
            books.append(p)
        pdfs = office.convert_many(books, "pdf", tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        for pdf in pdfs:
            subprocess.run(["pdftoppm", "-r", "90", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                            str(Path(tmp) / pdf.stem)], check=True)
            target = outdir / f"{pdf.stem}.png"
            shutil.copyfile(Path(tmp) / f"{pdf.stem}.png", target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse
    p = argparse.ArgumentParser(prog="python -m nianbao.workbook", description="生成年报工作簿模板与示意图。")
    p.add_argument("--templates", metavar="DIR", help="写出两种格式的空白模板到 DIR")
    p.add_argument("--images", metavar="DIR", help="用 LibreOffice 把示例工作簿的各表渲染为 PNG，写到 DIR")
    args = p.parse_args(argv)
    if args.templates:
        for path in write_templates(args.templates):
            print(f"已写出：{path}")
    if args.images:
        from . import examples
        for path in render_sheets(examples.load("seed"), args.images):
            print(f"已写出：{path}")
    if not (args.templates or args.images):
        p.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
