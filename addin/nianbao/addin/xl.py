"""The xlwings adapter: what the ribbon buttons and worksheet functions call inside Excel.

This is the only module that imports xlwings, and it does so inside functions:
every ribbon click starts a new Python (``RunPython`` in macros/NianbaoRibbon.bas),
so importing this module must stay cheap (benchmarks/bench_import.py).  The work
itself is in :mod:`nianbao.addin.actions`, over :class:`XlwingsAccess`: one bulk
read per sheet, one write per block, one colour call per fill colour.

Entry points named in the VBA (keep the names; the VBA calls them by name):
``check()``, ``export()``, ``publish()``, ``new_year()``, ``show_help()`` (ribbon) and the
worksheet functions ``NB_STATUS(caller)`` / ``NB_FINDINGS(caller)`` (through the
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
        grids = {}
        for sheet in self.book.sheets:
            last = sheet.used_range.last_cell
            rng = sheet.range((1, 1), (last.row, last.column))
            # err_to_str: cell errors (#VALUE!) arrive as text so rule V-1 can name them.
            values = rng.options(ndim=2, err_to_str=True).value
            grids[sheet.name] = values
        return grids

    def clear_sheet(self, sheet: str) -> None:
        names = [s.name for s in self.book.sheets]
        if sheet in names:
            with _unprotected(self.book.sheets[sheet]):
                self.book.sheets[sheet].clear_contents()
        else:
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


@contextmanager
def _unprotected(sheet):
    """Lift a password-less sheet protection for a write, then restore it with its options."""
    api = sheet.api
    protected = bool(api.ProtectContents)
    if protected:
        p = api.Protection
        options = dict(AllowFormattingCells=p.AllowFormattingCells, AllowFormattingColumns=p.AllowFormattingColumns,
                       AllowFormattingRows=p.AllowFormattingRows, AllowInsertingRows=p.AllowInsertingRows,
                       AllowDeletingRows=p.AllowDeletingRows, AllowSorting=p.AllowSorting,
                       AllowFiltering=p.AllowFiltering)
        try:
            api.Unprotect()
        except Exception:  # a password: leave the sheet as it is and say why
            from ..errors import InputError
            raise InputError(f"工作表「{sheet.name}」设置了密码保护，无法写入或标色。请先在「审阅 → 撤销工作表保护」"
                             f"中撤销保护后再试") from None
    try:
        yield
    finally:
        if protected:
            api.Protect(DrawingObjects=True, Contents=True, Scenarios=True, **options)


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


def show_help() -> None:
    """Ribbon 使用说明."""
    _run("run_help")


# ---------------------------------------------------------------- worksheet functions
def _book_of(caller):
    """The workbook of the calling cell (an xlwings Range)."""
    return caller.sheet.book


def nb_status(caller) -> str:
    """=NB_STATUS(): 「通过」 or 「N处错误，M处提示」 for the caller's workbook."""
    from . import actions as addin_actions
    from ..errors import InputError
    try:
        findings = list(addin_actions.assess(XlwingsAccess(_book_of(caller)))[0].findings)
    except InputError as e:
        return f"无法校验：{e}"
    return addin_actions.status_text(findings)


def nb_findings(caller) -> list[list[str]]:
    """=NB_FINDINGS(): 规则/级别/位置/说明 rows for the caller's workbook (spills)."""
    from . import actions as addin_actions
    from ..errors import InputError
    try:
        findings = list(addin_actions.assess(XlwingsAccess(_book_of(caller)))[0].findings)
    except InputError as e:
        return [list(addin_actions.HEADER), ["", "", "", f"无法校验：{e}"]]
    return addin_actions.findings_table(findings)


# Worksheet function name -> implementation.  The xlwings UDF server looks the
# name up on this module and needs it decorated with ``xw.func``; decorating at
# import time would import xlwings on every ribbon click, so it happens on first
# access instead (PEP 562 module __getattr__).
UDFS = {"NB_STATUS": nb_status, "NB_FINDINGS": nb_findings}


def __getattr__(name: str):
    impl = UDFS.get(name)
    if impl is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import xlwings as xw

    def udf(caller):
        return impl(caller)

    udf.__name__ = udf.__qualname__ = name
    udf.__doc__ = impl.__doc__
    udf.__module__ = __name__
    func = xw.func(volatile=True)(udf)
    globals()[name] = func
    return func


def __dir__():
    return sorted(list(globals()) + list(UDFS))
