"""The fast path for workbooks saved by Excel, WPS or LibreOffice: their formulas' cached results read
with python-calamine (much faster than openpyxl), no formula parsed.

``read_cached`` returns None when the file's totals carry no cached results (a workbook written by
nianbao itself, or by another program that does not compute): the caller then uses the full reader
(``workbook.read``), which recomputes our totals from their parts.  Either way the report is the same.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError
from ..files import read_limited
from ..model import Report
from .cells import MAX_WORKBOOK_BYTES, computed_cells, numeric_sum, positions, read_sheets
from .reader import Grids, clean_value, grid_value, read_format, read_grids, require_sheet


def available() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def _cell(v: Any) -> Any:
    """A calamine value as openpyxl gives it: empty cells None, whole numbers int."""
    if isinstance(v, str):
        return v if v != "" else None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def cached_grids(raw: bytes, path: str) -> Grids:
    """The report sheets' values as stored in the file (formula cells: their cached results)."""
    from python_calamine import CalamineWorkbook
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = set(book.sheet_names)
        grids: Grids = {}
        for name in read_sheets():
            if name not in names:
                continue
            sheet = book.get_sheet_by_name(name)
            top, left = sheet.start or (0, 0)
            rows = [[None] * left + [_cell(v) for v in line] for line in sheet.to_python(skip_empty_area=False)]
            grids[name] = [[] for _ in range(top)] + rows
    except InputError:
        raise
    except Exception as e:  # calamine raises its own kinds for damaged parts; never a traceback
        raise InputError(f"无法打开工作簿：文件已损坏，或不是 Excel 工作簿（.xlsx / .xlsm）（{type(e).__name__}）",
                         path=path) from None
    return grids


def has_cached_totals(grids: Grids, format_id: str) -> bool:
    """Every total whose parts hold a number has a stored result (a file saved by a program that computes)."""
    pos = positions(format_id)
    for key, parts in computed_cells(format_id).items():
        sheet, r, c = pos[key]
        if grid_value(grids.get(sheet, []), r, c) is None:
            values = [clean_value(grid_value(grids.get(pos[k][0], []), pos[k][1], pos[k][2])) for k in parts]
            if numeric_sum(values) is not None:
                return False
    return True


def read_cached(path: str | Path) -> tuple[Report, Callable[[str], str | None]] | None:
    """The report of a workbook from its cached values, or None when its totals have none."""
    path = str(path)
    raw = read_limited(path, MAX_WORKBOOK_BYTES)
    grids = cached_grids(raw, path)
    fmt = read_format(grids, path)
    for t in fmt.tables():
        require_sheet(grids, t.sheet, path)
    if not has_cached_totals(grids, fmt.id):
        return None
    return read_grids(grids, path)
