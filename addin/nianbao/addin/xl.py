"""The xlwings adapter: what the ribbon buttons and worksheet functions call inside Excel.

This is the only module that imports xlwings, and it does so inside functions:
every ribbon click starts a new Python (``RunPython`` in macros/NianbaoRibbon.bas),
so importing this module must stay cheap (benchmarks/bench_import.py).  The work
itself is in :mod:`nianbao.addin.actions`, over :class:`XlwingsAccess`: one bulk
read per sheet, one write per block, one colour call per fill colour.

Entry points named in the VBA (keep the names; the VBA calls them by name):
``check()``, ``export()``, ``publish()``, ``new_year()``, ``unlink()``, ``show_help()`` (ribbon) and the
worksheet functions ``NB_STATUS(caller, *tables)`` / ``NB_FINDINGS(caller, *tables)`` (through the
xlwings UDF server; see ``__getattr__`` below).
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..safetext import excel_literal

ADDRESS_LIMIT = 250  # Excel refuses range address strings longer than 255 characters


# ---------------------------------------------------------------- xlwings access
class XlwingsAccess:
    """:class:`~nianbao.addin.actions.WorkbookAccess` over a live workbook in Excel (an ``xw.Book``)."""

    def __init__(self, book):
        self.book = book

    @property
    def path(self) -> Path:
        name = self.book.fullname
        if "://" in name:  # opened from OneDrive / SharePoint by its web address
            from ..errors import InputError
            raise InputError("本工作簿打开自网络位置（OneDrive / SharePoint 网址），请先另存到本机文件夹，再使用此功能")
        return Path(name)

    def read_grids(self) -> dict[str, list[list[Any]]]:
        from ..workbook.cells import SHEET_TEXT
        grids = {}
        for sheet in self.book.sheets:
            last = sheet.used_range.last_cell
            rng = sheet.range((1, 1), (last.row, last.column))
            # err_to_str: cell errors (#VALUE!) arrive as text so rule V-1 can name them.
            values = rng.options(ndim=2, err_to_str=True).value
            grids[sheet.name] = values
            if sheet.name == SHEET_TEXT:
                text_formulas = rng.formula
        if SHEET_TEXT in grids:
            _bound_formulas(grids, text_formulas, self.path)
        return grids

    def clear_sheet(self, sheet: str) -> None:
        names = [s.name for s in self.book.sheets]
        if sheet in names:
            with _unprotected(self.book.sheets[sheet]):
                self.book.sheets[sheet].clear_contents()
        else:
            if self.book.api.ProtectStructure:  # Excel refuses a new sheet; say why instead of a COM error
                from ..errors import InputError
                raise InputError(f"本工作簿的结构受保护（「审阅 → 保护工作簿」），无法新建「{sheet}」表。请先撤销工作簿保护"
                                 f"（有密码时需输入密码），或先自己新建一个名为「{sheet}」的工作表，再试")
            self.book.sheets.add(sheet, after=self.book.sheets[len(names) - 1])

    def write_range(self, sheet: str, top_left: str, rows: list[list[Any]]) -> None:
        width = max((len(r) for r in rows), default=0)
        block = [[excel_literal(v) for v in r] + [None] * (width - len(r)) for r in rows]
        sht = self.book.sheets[sheet]
        with _unprotected(sht):
            sht.range(top_left).value = block

    def lay_out(self, sheet: str, widths: dict[str, float], wrap: tuple[str, ...] = (),
                hidden: tuple[str, ...] = ()) -> None:
        sht = self.book.sheets[sheet]
        with _unprotected(sht):
            for col, width in widths.items():
                sht.range(f"{col}:{col}").column_width = width
            for col in wrap:
                sht.range(f"{col}:{col}").api.WrapText = True
            for col in hidden:
                sht.range(f"{col}:{col}").api.EntireColumn.Hidden = True

    def colours(self, cells: list[str]) -> dict[str, Any]:
        from .actions import split_cell as _split
        out = {}
        for cell in cells:
            sheet, addr = _split(cell)
            out[cell] = self.book.sheets[sheet].range(addr).color
        return out

    def colour(self, cells: list[str], rgb) -> None:
        from .actions import split_cell as _split
        by_sheet: dict[str, list[str]] = {}
        for cell in cells:
            sheet, addr = _split(cell)
            by_sheet.setdefault(sheet, []).append(addr)
        for sheet, addrs in by_sheet.items():
            sht = self.book.sheets[sheet]
            with _unprotected(sht):
                for chunk in _address_chunks(addrs):
                    sht.range(chunk).color = rgb

    def message(self, text: str) -> None:
        from .actions import TITLE
        self.book.app.alert(text, title=TITLE)

    def open_file(self, path: Path) -> None:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            self.book.app.books.open(str(path))
        else:
            open_with_system(path)

    def save(self) -> None:
        """Nothing: the user decides when to save the workbook."""

    def formulas(self) -> dict[str, str]:
        out = {}
        for sheet in self.book.sheets:
            used = sheet.used_range
            texts = used.formula  # one read per sheet (a value cell gives its value)
            if not isinstance(texts, (list, tuple)):  # a one-cell sheet: Excel gives the text itself
                texts = [[texts]]
            for i, row in enumerate(texts):
                for j, text in enumerate(row):
                    if isinstance(text, str) and text.startswith("="):
                        out[f"{sheet.name}!{_col(used.column + j)}{used.row + i}"] = text
        return out

    def freeze(self, cells: list[str]) -> None:
        from .actions import split_cell as _split
        xl_links = 1  # xlExcelLinks
        for cell in cells:
            sheet_name, addr = _split(cell)
            sht = self.book.sheets[sheet_name]
            api = sht.range(addr).api
            # the whole area the formula fills: a dynamic array's spill, a legacy array, or the cell
            area = api.SpillingToRange if getattr(api, "HasSpill", False) else \
                api.CurrentArray if api.HasArray else api
            with _unprotected(sht):
                values = area.Value
                area.ClearContents()
                # a result is text (a finding may quote what a clerk typed, 「=…」 included): never a formula
                area.Value = tuple(tuple(excel_literal(v) for v in row) for row in values) \
                    if isinstance(values, tuple) else excel_literal(values)
        try:  # the link to the add-in's file, now used by no formula
            for link in self.book.api.LinkSources(xl_links) or ():
                if str(link).lower().endswith("nianbao.xlam"):
                    self.book.api.BreakLink(Name=link, Type=xl_links)
        except Exception:  # noqa: BLE001 - no links (LinkSources gives None) or Excel refuses: values stay
            pass


def _col(n: int) -> str:
    from ..workbook.cells import col_letter
    return col_letter(n)


def _bound_formulas(grids: dict, formulas, path: Path) -> None:
    """The 「正文」 cells holding a bound sentence's formula get the formula instead of Excel's result, so that
    the reader knows the paragraph is bound (and next year's workbook keeps the clerk's wording)."""
    from ..errors import InputError
    from ..workbook import read_format
    from ..workbook.bound import keep_recognised
    try:
        fmt = read_format(grids, str(path))
    except InputError:
        return  # not one of our workbooks: the reader says so
    rows = [formulas] if isinstance(formulas, str) else [list(r) if isinstance(r, (list, tuple)) else [r]
                                                        for r in formulas or []]
    keep_recognised(grids, rows, fmt)


def _address_chunks(addrs: list[str]) -> list[str]:
    """Comma-joined address lists each short enough for one Range call."""
    chunks, current = [], ""
    for a in addrs:
        if current and len(current) + 1 + len(a) > ADDRESS_LIMIT:
            chunks.append(current)
            current = a
        else:
            current = f"{current},{a}" if current else a
    if current:
        chunks.append(current)
    return chunks


# Sheet.Protection's Allow* options, in the order of Worksheet.Protect's keyword arguments.
PROTECTION_OPTIONS = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
                      "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
                      "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
                      "AllowUsingPivotTables")


def protection_state(api) -> dict[str, Any] | None:
    """How a sheet is protected, as ``Worksheet.Protect`` keyword arguments (None: not protected)."""
    state = dict(Contents=bool(api.ProtectContents), DrawingObjects=bool(api.ProtectDrawingObjects),
                 Scenarios=bool(api.ProtectScenarios))
    if not any(state.values()):
        return None
    state["UserInterfaceOnly"] = bool(api.ProtectionMode)
    p = api.Protection
    state.update({name: bool(getattr(p, name)) for name in PROTECTION_OPTIONS})
    return state


@contextmanager
def _unprotected(sheet):
    """Lift a password-less sheet protection for a write, then restore it exactly as it was.

    ``Unprotect("")`` fails at once on a sheet with a password (``Unprotect()`` with no argument
    would ask the user for it, and re-protecting without one would silently remove the password);
    such a sheet is left untouched and the user is told, in Chinese, what to do.
    """
    api = sheet.api
    state = protection_state(api)
    if state is not None:
        try:
            api.Unprotect("")
        except Exception:  # a password: leave the sheet as it is and say why
            from ..errors import InputError
            raise InputError(f"工作表「{sheet.name}」设置了密码保护，无法写入或标色。请先在「审阅 → 撤销工作表保护」"
                             f"中输入密码撤销保护，完成后可再设置保护") from None
    try:
        yield
    finally:
        if state is not None:
            api.Protect(**state)


def open_with_system(path: Path) -> None:
    """Open a file with its usual program (Word for .docx)."""
    import subprocess
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # noqa: S606 - a file we just wrote
    elif sys.platform == "darwin":
        subprocess.Popen(["open", str(path)])
    else:
        subprocess.Popen(["xdg-open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------- ribbon entry points
def _caller_access() -> XlwingsAccess:
    import xlwings as xw
    return XlwingsAccess(xw.Book.caller())


def _run(action_name: str) -> None:
    access = _caller_access()
    from . import actions as addin_actions
    try:
        getattr(addin_actions, action_name)(access)
    except Exception as e:  # a Chinese box rather than xlwings' English traceback dialog
        import traceback
        traceback.print_exc()
        access.message(f"操作未完成，出现意外错误：{type(e).__name__}：{e}\n"
                       f"请将此信息和工作簿发给技术支持人员。")


def check() -> None:
    """Ribbon 校验."""
    _run("run_check")


def export() -> None:
    """Ribbon 导出Word."""
    _run("run_export")


def publish() -> None:
    """Ribbon 网页和一图读懂."""
    _run("run_publish")


def new_year() -> None:
    """Ribbon 新建下一年度."""
    _run("run_new_year")


def unlink() -> None:
    """Ribbon 函数转为数值."""
    _run("run_unlink")


def show_help() -> None:
    """Ribbon 使用说明."""
    _run("run_help")


# ---------------------------------------------------------------- worksheet functions
def _book_of(caller):
    """The workbook of the calling cell (an xlwings Range)."""
    return caller.sheet.book


def _blocks(tables) -> list:
    """The ranges passed to a worksheet function as (sheet, row, column, values): one read each."""
    from ..errors import InputError
    blocks = []
    for rng in tables:
        if rng is None or not hasattr(rng, "sheet"):
            raise InputError("函数的参数应为单元格区域（如 '表三'!A1:J31），请按「使用说明」中的公式填写")
        # err_to_str: cell errors (#VALUE!) arrive as text so rule V-1 can name them.
        values = rng.options(ndim=2, err_to_str=True).value
        blocks.append((rng.sheet.name, rng.row, rng.column, values))
    return blocks


def nb_status(caller, *tables) -> str:
    """=NB_STATUS(ranges…): 「通过」 or 「N处错误，M处提示」 for the judged ranges of the caller's workbook."""
    from . import functions
    from ..errors import InputError
    try:
        blocks = _blocks(tables)
    except InputError as e:  # arguments that are not ranges
        return f"无法校验：{e}"
    return functions.status(blocks, _book_of(caller).fullname)


def nb_findings(caller, *tables) -> list[list[str]]:
    """=NB_FINDINGS(ranges…): 规则/级别/位置/说明 rows for the judged ranges (spills)."""
    from . import functions
    from ..errors import InputError
    from ..findings_text import HEADER
    try:
        blocks = _blocks(tables)
    except InputError as e:
        return [list(HEADER), ["", "", "", f"无法校验：{e}"]]
    return functions.table(blocks, _book_of(caller).fullname)


# Worksheet function name -> implementation.  The xlwings UDF server looks the
# name up on this module and needs it decorated with ``xw.func``; decorating at
# import time would import xlwings on every ribbon click, so it happens on first
# access instead (PEP 562 module __getattr__).  Not volatile: Excel recalculates a
# function when the ranges passed to it change (macros/NianbaoUdf.bas).  The ranges
# arrive as xlwings Range objects (``xw.arg(..., xw.Range)``): sheet, position and values.
UDFS = {"NB_STATUS": nb_status, "NB_FINDINGS": nb_findings}


def __getattr__(name: str):
    impl = UDFS.get(name)
    if impl is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import xlwings as xw

    def udf(caller, *tables):
        return impl(caller, *tables)

    udf.__name__ = udf.__qualname__ = name
    udf.__doc__ = impl.__doc__
    udf.__module__ = __name__
    func = xw.arg("tables", xw.Range)(xw.func(volatile=False)(udf))
    globals()[name] = func
    return func


def __dir__():
    return sorted(list(globals()) + list(UDFS))
