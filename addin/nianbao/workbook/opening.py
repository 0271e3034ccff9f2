"""Opening a workbook file (size limits, damaged files) and resolving its formulas: one function for the
command line and the add-in's file access alike."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..files import read_limited
from ..model import Report
from .cells import MAX_WORKBOOK_BYTES, read_sheets
from .reader import Grids, read_format, read_grids, require_sheet, resolve_formulas

def load_book(raw: bytes, path: str, *, data_only: bool = False, read_only: bool = True, keep_vba: bool = False):
    """An openpyxl workbook from a file's bytes; a damaged or foreign file becomes an InputError."""
    import zipfile

    import openpyxl
    try:
        return openpyxl.load_workbook(io.BytesIO(raw), data_only=data_only, read_only=read_only, keep_vba=keep_vba)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError, OSError, EOFError) as e:
        raise InputError(f"无法打开工作簿：文件已损坏，或不是 Excel 工作簿（.xlsx / .xlsm）（{type(e).__name__}）",
                         path=path) from None
    except Exception as e:  # openpyxl raises many kinds on damaged parts; never a traceback
        raise InputError(f"无法打开工作簿：文件内容有误（{type(e).__name__}）", path=path) from None


def grids_of(wb, path: str = "", sheets: tuple[str, ...] | None = None) -> Grids:
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


def read_book_grids(raw: bytes, path: str, book=None, all_sheets: bool = False) -> Grids:
    """The report sheets' values as Excel shows them: our totals recomputed from their parts, other
    formulas their stored results (a second parse, only when a formula needs it).

    ``book`` is the workbook already loaded with its formulas (the add-in's file access keeps it to write
    into); without it the file is parsed read-only.  ``all_sheets`` reads every sheet, not only the report's.
    """
    grids = grids_of(book if book is not None else load_book(raw, path), path, None if all_sheets else read_sheets())
    fmt = read_format(grids, path)
    cache: dict[str, Grids] = {}

    def cached() -> Grids:
        if "g" not in cache:
            cache["g"] = grids_of(load_book(raw, path, data_only=True), path, read_sheets())
        return cache["g"]

    for t in fmt.tables():
        require_sheet(grids, t.sheet, path)
    resolve_formulas(grids, fmt, cached)
    return grids


def read(path: str | Path) -> tuple[Report, Callable[[str], str | None]]:
    """Read one of our workbooks (saved by nianbao, Excel, WPS or LibreOffice) into report data."""
    path = str(path)
    raw = read_limited(path, MAX_WORKBOOK_BYTES)
    return read_grids(read_book_grids(raw, path), path)
