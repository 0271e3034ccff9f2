"""Opening a workbook file (size limits, damaged files) and resolving its formulas: one function for the
command line and the add-in's file access alike."""
from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Callable

from ..errors import InputError
from .. import formats, zipparts
from ..files import read_limited
from ..model import MAX_PARAGRAPHS, Report
from .cells import MAX_WORKBOOK_BYTES, SHEET_INFO, SHEET_TEXT, TABLE_LEFT, TABLE_TOP, TEXT_TOP, read_sheets
from .bound import keep_bound_formulas
from .reader import Grids, read_format, read_grids, require_sheet, resolve_formulas
from .register import has_registers, register_sheets
from .. import register as register_rows

# Rows and columns read of each sheet: only the ranges the format definition names (plus room for the
# paragraphs of 「正文」 and the add-in's result sheet); a cell far outside is never reached.
MAX_TEXT_ROWS = MAX_PARAGRAPHS  # paragraphs of 「正文」
MAX_OTHER_ROWS = 10000    # any other sheet read (the add-in's 「校验结果」)
MAX_OTHER_COLS = 26
INFO_ROWS, INFO_COLS = 200, 4
TEXT_COLS = 3


def sheet_bounds(name: str) -> tuple[int, int]:
    """(last row, last column) read of sheet ``name``, from the format definitions."""
    tables = [(TABLE_TOP + t.layout().rows, TABLE_LEFT + t.layout().cols)
              for f in formats.FORMATS.values() for t in f.tables() if t.sheet == name]
    if tables:
        return max(r for r, _ in tables), max(c for _, c in tables)
    if name == SHEET_INFO:
        return INFO_ROWS, INFO_COLS
    if name in register_sheets():
        return register_rows.FIRST_ROW + register_rows.MAX_ROWS - 1, register_rows.MAX_COLS
    if name == SHEET_TEXT:
        return TEXT_TOP + MAX_TEXT_ROWS, TEXT_COLS
    return MAX_OTHER_ROWS, MAX_OTHER_COLS


# A workbook loaded whole (the add-in's file access keeps every sheet to save it back): openpyxl holds
# ~15 bytes per byte of sheet XML, so the sheets together are bounded lower than a read-only load's.
MAX_EDIT_SHEETS_BYTES = 16 * 1024 * 1024


def load_book(raw: bytes, path: str, *, data_only: bool = False, read_only: bool = True, keep_vba: bool = False,
              sheets: tuple[str, ...] | None = None):
    """An openpyxl workbook from a file's bytes; a damaged or foreign file becomes an InputError.

    Before parsing: an encrypted or old binary workbook is named as such, and the zip package is read
    through ``zipparts`` (limits, damaged parts named).  A read-only load given ``sheets`` holds those
    sheets only (the others' parts are left out, never parsed); a whole load is refused when its sheets
    together exceed ``MAX_EDIT_SHEETS_BYTES``."""
    import zipfile

    import openpyxl
    kind = zipparts.ole_kind(raw)
    if kind == "encrypted":
        raise InputError("工作簿设置了打开密码（已加密），无法读取。请在 Excel 中打开，"
                         "「文件 → 信息 → 保护工作簿 → 用密码进行加密」清除密码后另存，再试", path=path)
    if kind == "legacy":
        raise InputError("这是旧版 Excel 97-2003 工作簿（.xls 格式），无法读取。请在 Excel 或 WPS 中"
                         "「另存为」Excel 工作簿（.xlsx）后再试", path=path)
    zf = zipparts.check(raw, path, "工作簿")
    parts = _sheet_parts(zf)
    if read_only and sheets is not None and parts:
        drop = {part for name, part in parts.items() if name not in sheets}
        if drop:
            raw = zipparts.without(zf, drop)
    if not read_only:
        total = sum(zf.getinfo(p).file_size for p in parts.values() if p in zf.NameToInfo)
        if total > MAX_EDIT_SHEETS_BYTES:
            raise InputError(f"工作簿的工作表解压后合计 {total / 1024 / 1024:.0f} MB，超过整体打开的上限 "
                             f"{MAX_EDIT_SHEETS_BYTES // 1024 // 1024} MB（可能有过多或过大的其他工作表）。"
                             f"请删除不需要的工作表后再试，或用 nianbao check 校验", path=path)
    try:
        with warnings.catch_warnings():  # defined names of the sheets left out cannot be located: no matter
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(io.BytesIO(raw), data_only=data_only, read_only=read_only,
                                          keep_vba=keep_vba)
    except ValueError as e:
        if "digits" in str(e) or "digits" in str(e.__context__ or ""):  # a number of more than 4300 digits
            raise InputError("工作簿中有无法读取的数值（位数过多的数字）", path=path) from None
        raise InputError(f"无法打开工作簿：文件已损坏，或不是 Excel 工作簿（.xlsx / .xlsm）（{type(e).__name__}）",
                         path=path) from None
    except (zipfile.BadZipFile, KeyError, TypeError, IndexError, AttributeError, OSError, EOFError) as e:
        raise InputError(f"无法打开工作簿：文件已损坏，或不是 Excel 工作簿（.xlsx / .xlsm）（{type(e).__name__}）",
                         path=path) from None
    except Exception as e:  # openpyxl raises many kinds on damaged parts; never a traceback
        raise InputError(f"无法打开工作簿：文件内容有误或已损坏（{type(e).__name__}）", path=path) from None


def _sheet_parts(zf) -> dict[str, str]:
    """Sheet name → its part in the package, from workbook.xml and its relationships ({} when they
    cannot be read: openpyxl then gives the message)."""
    import posixpath

    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = etree.fromstring(zf.read("xl/workbook.xml"), parser)
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), parser)
    except Exception:  # noqa: BLE001 - a damaged package is openpyxl's to name
        return {}
    targets = {r.get("Id"): r.get("Target") or "" for r in rels}
    out = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(rel_id))
        if target:
            out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return out


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
        last_row, last_col = sheet_bounds(name)
        rows_read, cols_read = last_row + 1, last_col
        if not hasattr(ws, "reset_dimensions"):  # a loaded sheet: never create cells beyond those it has
            rows_read, cols_read = min(rows_read, ws.max_row), min(cols_read, ws.max_column)
        try:
            for line in ws.iter_rows(min_row=1, max_row=rows_read, min_col=1, max_col=cols_read,
                                     values_only=True):
                rows.append([v.text if hasattr(v, "text") and not isinstance(v, str) else v for v in line])
        except ValueError as e:  # e.g. a number of more than 4300 digits
            raise InputError(f"工作表「{name}」中有无法读取的数值（{_reason(e)}）", path=path) from None
        except Exception as e:  # a damaged sheet part; never a traceback
            raise InputError(f"工作表「{name}」已损坏，无法读取（{type(e).__name__}）", path=path) from None
        if len(rows) > last_row:
            if (name == SHEET_TEXT or name in register_sheets()) and any(v not in (None, "") for v in rows[last_row]):
                raise InputError(f"工作表「{name}」超过 {last_row} 行的上限（第 {last_row + 1} 行仍有内容），"
                                 f"无法读取", path=path, where=f"{name}!A{last_row + 1}")
            del rows[last_row:]
        out[name] = rows
    return out


def _reason(e: ValueError) -> str:
    return "位数过多的数字" if "digits" in str(e) else "数值格式有误"


def read_book_grids(raw: bytes, path: str, book=None, all_sheets: bool = False) -> Grids:
    """The report sheets' values as Excel shows them: our totals recomputed from their parts, other
    formulas their stored results (a second parse, only when a formula needs it).

    ``book`` is the workbook already loaded with its formulas (the add-in's file access keeps it to write
    into); without it the file is parsed read-only.  ``all_sheets`` reads every sheet, not only the report's.
    """
    wanted = read_sheets() + register_sheets()
    grids = grids_of(book if book is not None else load_book(raw, path, sheets=wanted), path,
                     None if all_sheets else wanted)
    fmt = read_format(grids, path)
    cache: dict[str, Grids] = {}

    def cached() -> Grids:
        if "g" not in cache:
            cache["g"] = grids_of(load_book(raw, path, data_only=True, sheets=read_sheets()), path, read_sheets())
        return cache["g"]

    for t in fmt.tables():
        require_sheet(grids, t.sheet, path)
    resolve_formulas(grids, fmt, cached, path)
    keep_bound_formulas(grids, fmt, cached)
    return grids


def read(path: str | Path) -> tuple[Report, Callable[[str], str | None]]:
    """Read one of our workbooks (saved by nianbao, Excel, WPS or LibreOffice) into report data."""
    path = str(path)
    raw = read_limited(path, MAX_WORKBOOK_BYTES)
    if has_registers(raw):  # thousands of register rows: the sheets' XML read directly (openpyxl is slow)
        from .cached import read_parts_raw
        zipparts.check(raw, path, "工作簿")
        got = read_parts_raw(raw, path)
        if got is not None:
            return got
    return read_grids(read_book_grids(raw, path), path)
