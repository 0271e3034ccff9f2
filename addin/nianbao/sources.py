"""Reading a report from a file the user names: report JSON, one of our workbooks, or a published report.

``load(path)`` returns the report and a ``locate`` function mapping data keys to
``sheet!cell`` (None for JSON input).  Files are read once, here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .errors import InputError
from .model import Report, load_json

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load(path: str) -> tuple[Report, Callable[[str], str | None] | None]:
    suffix = Path(path).suffix.lower()
    if Path(path).is_dir():
        raise InputError("这是一个文件夹，不是文件：请提供报告数据（.json）或年报工作簿（.xlsx / .xlsm）", path=path)
    if suffix == ".json":
        return load_json(path), None
    if suffix in WORKBOOK_SUFFIXES:
        try:
            from . import workbook
        except ImportError:  # the workbook face is not installed in this build
            raise InputError("此版本尚不支持读取 Excel 工作簿，请使用报告数据 JSON 文件", path=path) from None
        return workbook.read(path)
    from . import importers
    if suffix in importers.SUFFIXES:  # a published report (.docx, .html …): imported by the format definition
        source = importers.read(path)
        return source.report, source.locator
    raise InputError(f"无法识别的文件类型「{suffix or '无扩展名'}」：请提供报告数据（.json）、年报工作簿（.xlsx / .xlsm）"
                     f"或已发布的报告（{' '.join(importers.SUFFIXES)}）", path=path)


def previous_path(report: Report, report_path: str | Path) -> Path | None:
    """Last year's file as recorded in the report (基本信息 sheet or JSON ``previous``).

    A relative path is taken from the report's folder.  When the recorded file is
    gone (the folder was moved or copied to another computer), a file of the same
    name beside the report is used instead.
    """
    text = (report.previous or "").strip().strip('"').strip()
    if not text:
        return None
    p = Path(text)
    here = Path(report_path).parent
    if not p.is_absolute():
        p = here / p
    if not p.exists():
        beside = here / Path(text.replace("\\", "/")).name
        if beside.is_file():
            return beside
    return p
