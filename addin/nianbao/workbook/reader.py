"""Reading the report workbook's sheet values back into report data (pure: grids in, report out)."""
from __future__ import annotations

import math
import re
from typing import Any, Callable

from .. import formats
from ..errors import InputError
from ..formats.base import ReportFormat
from ..model import LEVELS, Report, normalize_text_number
from .bound import render_paragraphs
from .cells import (INFO_FIELDS, INFO_TOP, SHEET_INFO, SHEET_TEXT, TABLE_LEFT, TABLE_TOP, TEXT_TOP,
                    col_letter, read_sheets,
                    computed_cells, locator, narrative_sections, numeric_sum, positions, total_formula)

Grids = dict[str, list[list[Any]]]


def grid_value(grid: list[list[Any]], row: int, col: int) -> Any:
    """Value at Excel (row, col), 1-based; None outside the grid."""
    if row - 1 < len(grid):
        line = grid[row - 1]
        if line is not None and col - 1 < len(line):
            return line[col - 1]
    return None


def clean_value(v: Any) -> Any:
    """A cell value as report data: numbers (whole floats as int), text, or None for empty."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if not math.isfinite(v):  # 1e309 typed in a cell: not a number any output can hold
            return "#NUM!"
        return int(v) if v.is_integer() else v
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        return v if v != "" else None
    return str(v)


def _text(v: Any) -> str | None:
    v = clean_value(v)
    if v is None:
        return None
    return str(v)


def cell_where(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{col_letter(col)}{row}"


def require_sheet(grids: Grids, name: str, source: str) -> list[list[Any]]:
    if name not in grids:
        raise InputError(f"缺少工作表「{name}」。这不是 nianbao 生成的年报工作簿，或工作表被删除、改名了"
                         f"（应有：{'、'.join(read_sheets())}）", path=source)
    return grids[name] or []


def read_format(grids: Grids, source: str) -> ReportFormat:
    info = require_sheet(grids, SHEET_INFO, source)
    row = INFO_TOP + [f for f, _ in INFO_FIELDS].index("format")
    v = _text(grid_value(info, row, 2))
    if v not in formats.FORMATS:
        raise InputError(f"「报告格式」应为{formats.ids_text()}，实际为「{v or '空'}」", path=source,
                         where=cell_where(SHEET_INFO, row, 2))
    return formats.get(v)


def _check_structure(grids: Grids, fmt: ReportFormat, source: str) -> None:
    """The label cells must stand where the format definition puts them."""
    info = require_sheet(grids, SHEET_INFO, source)
    for i, (_, label) in enumerate(INFO_FIELDS):
        got = _text(grid_value(info, INFO_TOP + i, 1))
        if (got or "").strip() != label:
            raise InputError(f"单元格应为「{label}」，实际为「{got or '空'}」：「{SHEET_INFO}」表的结构被改动"
                             f"（插入或删除了行？），无法读取", path=source, where=cell_where(SHEET_INFO, INFO_TOP + i, 1))
    for t in fmt.tables():
        name = t.sheet
        grid = require_sheet(grids, name, source)
        for c in t.layout().cells:
            if c.role == "value":
                continue
            r, col = TABLE_TOP + c.row, TABLE_LEFT + c.col
            got = _text(grid_value(grid, r, col))
            if (got or "").strip() != c.text:
                raise InputError(f"单元格应为「{c.text}」，实际为「{got or '空'}」：表格结构被改动（插入或删除了行列？），"
                                 f"无法按{fmt.id}年格式读取", path=source, where=cell_where(name, r, col))


def _read_info(grids: Grids, fmt: ReportFormat, source: str) -> dict[str, Any]:
    info = require_sheet(grids, SHEET_INFO, source)
    out: dict[str, Any] = {}
    for i, (fid, label) in enumerate(INFO_FIELDS):
        r = INFO_TOP + i
        where = cell_where(SHEET_INFO, r, 2)
        raw = clean_value(grid_value(info, r, 2))
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
    grid = require_sheet(grids, SHEET_TEXT, source)
    by_name = {v: k for k, v in narrative_sections(fmt).items()}
    sections: dict[str, list] = {}
    current: str | None = None
    last: tuple[str, str | None] | None = None  # (section, heading) of the previous paragraph row
    for r in range(TEXT_TOP, len(grid) + 1):
        name, heading, text = (_text(grid_value(grid, r, c)) for c in (1, 2, 3))
        if name is None and heading is None and text is None:
            continue
        if name is not None:
            key = by_name.get(name.strip())
            if key is None:
                raise InputError(f"「部分」无法识别：「{name}」，应为：{'、'.join(by_name)}", path=source,
                                 where=cell_where(SHEET_TEXT, r, 1))
            current = key
        if current is None:
            raise InputError("请在「部分」列选择这一段属于正文的哪一部分", path=source, where=cell_where(SHEET_TEXT, r, 1))
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
    fmt = read_format(grids, source)
    _check_structure(grids, fmt, source)
    info = _read_info(grids, fmt, source)
    rep = Report(format=fmt.id, year=info["year"], agency=info.get("agency") or "", level=info.get("level"),
                 title=info.get("title"), previous=info.get("previous"))
    rep.contact = {k.split(".")[1]: v for k, v in info.items() if k.startswith("contact.") and v is not None}
    rep.fees = {k.split(".")[1]: v for k, v in info.items() if k.startswith("fees.")}
    for key, (sheet, r, c) in positions(fmt.id).items():
        rep.set(key, clean_value(grid_value(grids[sheet], r, c)))
    rep.sections = _read_text(grids, fmt, source)
    from .register import read_register
    rep.register = read_register(grids, fmt, source)
    render_paragraphs(rep)  # bound paragraphs: their text for the values just read
    return rep, locator(fmt.id)


def _normal_formula(f: str) -> str:
    return re.sub(r"[\s$]", "", f).upper().lstrip("=")


def resolve_formulas(grids: Grids, fmt: ReportFormat, cached: Callable[[], Grids], source: str = "") -> None:
    """Replace formula text in the value cells by its value: our total formulas are recomputed from the
    cells they sum (openpyxl-saved files have no stored results), our register formulas counted from the
    registers' rows (``workbook.register``); other formulas take the stored result."""
    from .register import formula_values
    pos = positions(fmt.id)
    computed = computed_cells(fmt.id)
    done: dict[str, Any] = dict(formula_values(grids, fmt, source))

    def value(key: str) -> Any:
        if key in done:
            return done[key]
        sheet, r, c = pos[key]
        v = grid_value(grids[sheet], r, c)
        if isinstance(v, str) and v.startswith("="):
            if key in computed and _normal_formula(v) == _normal_formula(total_formula(fmt.id, key)):
                v = numeric_sum([clean_value(value(k)) for k in computed[key]])
            else:
                v = grid_value(cached().get(sheet, []), r, c)
                if v is None:
                    v = grid_value(grids[sheet], r, c)  # no stored result: keep the formula text (V-1)
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

