"""Where things stand in the report workbook: sheet names, Excel rows and columns of every value cell,
and the cells the workbook computes with a formula."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from .. import formats
from ..formats.base import ReportFormat
from ..model import CONTACT_LABELS, FEES_LABELS
from ..register import col_letter  # noqa: F401  (one definition; the register's places use it too)

# ---------------------------------------------------------------- sheet names and positions
SHEET_INFO = "基本信息"
SHEET_TEXT = "正文"
SHEET_CHECKS = "校验"
SHEET_CALC = "计算"
SHEET_NOTES = "说明"  # the clerk's explanations of findings: 规则, 位置, 说明 (optional when reading)
NOTES_HEADER = ("规则", "位置", "说明", "状态")
NOTES_TOP = 3      # first explanation row of 「说明」 (row 1: what the sheet is for, row 2: headers)

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

def sheet_order(fmt: ReportFormat) -> tuple[str, ...]:
    """The report workbook's sheets, in order: the table sheets are named by the format definition."""
    return (SHEET_INFO, SHEET_TEXT, *(t.sheet for t in fmt.tables()), SHEET_NOTES, SHEET_CHECKS, SHEET_CALC)


def required_sheets() -> tuple[str, ...]:
    """The sheets a report is read from, for any registered format (校验 and 计算 are never read)."""
    tables = dict.fromkeys(t.sheet for f in formats.FORMATS.values() for t in f.tables())
    return (SHEET_INFO, SHEET_TEXT, *tables)


def read_sheets() -> tuple[str, ...]:
    """Every sheet read: the report's, and 「说明」 where the workbook has it."""
    return (*required_sheets(), SHEET_NOTES)


def sheet_of(fmt: ReportFormat, table_key: str) -> str:
    return fmt.table(table_key).sheet




@lru_cache(maxsize=None)
def positions(format_id: str) -> dict[str, tuple[str, int, int]]:
    """Data key → (sheet, Excel row, Excel column), 1-based, for every value cell of the format."""
    fmt = formats.get(format_id)
    out = {}
    for t in fmt.tables():
        for c in t.layout().value_cells():
            out[c.key] = (t.sheet, TABLE_TOP + c.row, TABLE_LEFT + c.col)
    return out


def address(format_id: str, key: str) -> str | None:
    """``"表三!D7"`` for a data key, None for keys the format has no cell for."""
    pos = positions(format_id).get(key)
    return f"{pos[0]}!{col_letter(pos[2])}{pos[1]}" if pos else None


def info_address(field_id: str) -> str:
    """``"基本信息!B17"``: where a field of 「基本信息」 (e.g. ``previous``) is typed."""
    row = INFO_TOP + [f for f, _ in INFO_FIELDS].index(field_id)
    return f"{SHEET_INFO}!B{row}"


def locator(format_id: str) -> Callable[[str], str | None]:
    """The ``locate(key)`` function for workbooks of ``format_id``: table cells, and the fields of
    「基本信息」 by their id (e.g. ``fees.notices``)."""
    info = {f for f, _ in INFO_FIELDS}
    return lambda key: address(format_id, key) or (info_address(key) if key in info else None)


def sheet_ref(sheet: str, row: int, col: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"'{sheet}'!{d}{col_letter(col)}{d}{row}"


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


def range_list(cells: list[tuple[int, int]], sheet: str | None = None) -> str:
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
        a = f"{col_letter(first[1])}{first[0]}"
        parts.append(f"{pre}{a}" if i == j else f"{pre}{a}:{col_letter(last[1])}{last[0]}")
        i = j + 1
    return ",".join(parts)


def legacy_total_formula(format_id: str, key: str) -> str:
    """The formula of a computed cell in workbooks written before numeric text counted in totals (Excel's
    SUM alone, which leaves text out); such a cell is still recognised and recomputed when read."""
    pos = positions(format_id)
    parts = [pos[k][1:] for k in computed_cells(format_id)[key]]
    rng = range_list(parts)
    return f'=IF(COUNT({rng})=0,"",SUM({rng}))'


@lru_cache(maxsize=None)
def part_kinds(format_id: str, key: str) -> tuple[str, ...]:
    """The kinds of the parts of the computed cell ``key``, in order."""
    fmt = formats.get(format_id)
    return tuple(fmt.field(k).kind for k in computed_cells(format_id)[key])


def numeric_sum(values: list[Any], kinds: list[str] | None = None) -> int | float | None:
    """What a total formula computes: the numbers among its parts (as Excel's SUM takes them) and the
    numeric text that ``model.as_number`` reads as a number of the part's kind (「3」 counts as 3, as every
    rule and the export count it); None when no part holds a number.  ``kinds``: the parts' kinds
    (default: counts)."""
    from ..formats.base import COUNT
    from ..model import as_number
    nums = []
    for i, v in enumerate(values):
        if isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            nums.append(v)
        elif isinstance(v, str):
            n, status = as_number(v, kinds[i] if kinds else COUNT)
            if status == "text-number":
                nums.append(n)
    return sum(nums) if nums else None


def narrative_sections(fmt: ReportFormat) -> dict[str, str]:
    """Narrative section key → the name shown in 「正文」 column 部分."""
    return {s.key: (s.heading or PREAMBLE_NAME) for s in fmt.sections if s.table is None}
