"""The worksheet functions ``=NB_STATUS(…)`` and ``=NB_FINDINGS(…)``, without Excel.

They are not volatile: each takes the ranges it judges as arguments (``formula()`` gives the text to type,
one for every format), so Excel recalculates them when, and only when, a judged cell changes.  Excel hands the add-in
those ranges -- sheet, top-left cell and values -- and nothing else of the workbook is read.  ``grids()``
puts the blocks back where they stand on their sheets; ``findings()`` judges them with every rule, as the
「校验」 button does, and keeps the answer by content, so ``NB_STATUS`` and ``NB_FINDINGS`` over the same
tables cost one judgement.  Cell errors (#VALUE!) arrive as their text, so rule V-1 names them.
"""
from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError

TEXT_ROWS = 1000   # rows of 「正文」 passed to the functions (paragraphs below it would not be judged)
CACHE_SIZE = 16    # judgements kept (a few workbooks, each with its status and findings)

# (sheet, first row, first column, values as rows) -- 1-based, as Excel numbers rows and columns.
Block = tuple[str, int, int, list[list[Any]]]

_cache: OrderedDict[str, tuple] = OrderedDict()


def judged_ranges() -> list[str]:
    """The ranges a workbook passes to the functions: every sheet a report is read from, each to the last
    row and column the workbook writer fills for any registered format (「正文」 to ``TEXT_ROWS``), so
    one formula serves workbooks of every format."""
    from .. import formats
    from ..workbook import cells
    extent: dict[str, tuple[int, int]] = {cells.SHEET_INFO: (cells.INFO_TOP + len(cells.INFO_FIELDS) - 1, 3),
                                          cells.SHEET_TEXT: (TEXT_ROWS, 3)}
    for fmt in formats.FORMATS.values():
        for t in fmt.tables():
            layout = t.layout()
            last = (cells.TABLE_TOP + max(c.row + c.rowspan - 1 for c in layout.cells),
                    cells.TABLE_LEFT + max(c.col + c.colspan - 1 for c in layout.cells))
            old = extent.get(t.sheet, (0, 0))
            extent[t.sheet] = (max(old[0], last[0]), max(old[1], last[1]))
    return [f"'{sheet}'!A1:{cells.col_letter(col)}{row}" for sheet, (row, col) in extent.items()]


def formula(name: str) -> str:
    """``=NB_STATUS('基本信息'!A1:C17,…)``: what to type in a cell of a report workbook."""
    return f"={name}({','.join(judged_ranges())})"


def grids(blocks: Iterable[Block]) -> dict[str, list[list[Any]]]:
    """Each sheet's values with every block at its place (row 0 = Excel row 1, column 0 = column A)."""
    cells: dict[str, dict[tuple[int, int], Any]] = {}
    for sheet, row, col, values in blocks:
        where = cells.setdefault(sheet, {})
        for i, line in enumerate(values):
            for j, v in enumerate(line):
                where[(row - 1 + i, col - 1 + j)] = v
    out = {}
    for sheet, where in cells.items():
        rows = max((r for r, _ in where), default=-1) + 1
        width = max((c for _, c in where), default=-1) + 1
        grid = [[None] * width for _ in range(rows)]
        for (r, c), v in where.items():
            grid[r][c] = v
        out[sheet] = grid
    return out


def _stamp(path: Path | None) -> tuple:
    """Last year's file with its size and time, so that a changed file is read again."""
    if path is None:
        return ()
    try:
        st = os.stat(path)
    except OSError:
        return (str(path),)
    return (str(path), st.st_size, st.st_mtime_ns)


def findings(blocks: Iterable[Block], book_path: str | Path) -> list:
    """Every rule's findings for the judged ranges of the workbook at ``book_path`` (InputError in Chinese
    when they do not hold one of our reports).  Kept by content -- the values, and last year's file as it
    is on disk -- so the same tables are judged once."""
    from .. import loading
    grid = grids(blocks)
    if not grid:
        raise InputError("函数没有收到单元格区域。请按「使用说明」中的公式填写参数（各工作表的区域）")
    key = hashlib.sha256(repr((str(book_path), sorted(grid.items()))).encode("utf-8", "surrogatepass")).hexdigest()
    hit = _cache.get(key)
    if hit is not None and _stamp(hit[1]) == hit[2]:
        _cache.move_to_end(key)
        return list(hit[0])
    source = loading.from_workbook_grids(grid, book_path)
    previous = loading.recorded_previous(source)
    stamp = _stamp(previous)
    found = tuple(loading.assess(source).findings)
    _cache[key] = (found, previous, stamp)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return list(found)


def status(blocks: Iterable[Block], book_path: str | Path) -> str:
    """=NB_STATUS(…): 「通过」, 「N处错误，M处提示」 or 「无法校验：…」."""
    from ..findings_text import status_text
    try:
        return status_text(findings(blocks, book_path))
    except InputError as e:
        return f"无法校验：{e}"


def table(blocks: Iterable[Block], book_path: str | Path) -> list[list[str]]:
    """=NB_FINDINGS(…): the header 规则/级别/位置/说明 and one row per finding (it spills)."""
    from ..findings_text import HEADER, findings_table
    try:
        return findings_table(findings(blocks, book_path))
    except InputError as e:
        return [list(HEADER), ["", "", "", f"无法校验：{e}"]]
