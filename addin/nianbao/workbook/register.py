"""The registers (台账) in the report workbook: the sheets 「依申请台账」「复议诉讼台账」 with their drop-downs
and date validation, the COUNTIFS formulas of tables 三 and 四 in register mode, and reading the rows back.

Kept apart from ``writer``: a workbook is built as usual (``writer.build``), then given its registers
(``add_registers``) and, in register mode, the formulas (``use_register_formulas``).  The formulas are
compiled from the terms of ``nianbao.register`` — the same terms the Python face counts with.
"""
from __future__ import annotations

import datetime as _dt
import re
from copy import copy
from pathlib import Path
from typing import Any

from .. import register as reg
from ..errors import InputError
from ..files import atomic_write
from ..formats.base import ReportFormat
from ..model import Report
from ..safetext import put
from .cells import (INFO_FIELDS, INFO_TOP, SHEET_INFO, col_letter, computed_cells, info_address, positions,
                    total_formula)

SHEET_OPTIONS = "台账选项"   # hidden: the drop-down lists, one column each
SHEET_TYPED = "原填报数"     # the numbers typed in tables 三 and 四 before a workbook switched to register mode
DATE_FORMAT = "yyyy-mm-dd"
FIRST_DATE, LAST_DATE = _dt.date(1990, 1, 1), _dt.date(2200, 12, 31)


def register_sheets(fmt: ReportFormat | None = None) -> tuple[str, ...]:
    """The register sheet names (of one format, or of every registered format)."""
    from .. import formats
    fmts = [fmt] if fmt is not None else list(formats.FORMATS.values())
    return tuple(dict.fromkeys(s.sheet for f in fmts for s in f.registers))


# ---------------------------------------------------------------- formulas
def _abs(address: str) -> str:
    sheet, cell = address.split("!")
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    return f"'{sheet}'!${m.group(1)}${m.group(2)}"


def _range(sheet, key: str) -> str:
    col = col_letter(sheet.index(key) + 1)
    return f"'{sheet.sheet}'!${col}${reg.FIRST_ROW}:${col}${reg.FIRST_ROW + reg.MAX_ROWS - 1}"


def _criterion(label: str) -> str:
    """A COUNTIFS criterion matching exactly ``label`` (wildcards escaped)."""
    text = re.sub(r"([*?~])", r"~\1", label)
    return '"' + text.replace('"', '""') + '"'


def formula(fmt: ReportFormat, key: str) -> str | None:
    """The native formula of a value cell in register mode (None for cells no register fills)."""
    spec = reg.cell_terms(fmt, key)
    if spec is None:
        return None
    reg_key, terms = spec
    sheet = fmt.register(reg_key)
    year = _abs(info_address("year"))
    bound = {reg.START: f"DATE({year},1,1)", reg.NEXT: f"DATE({year}+1,1,1)"}
    parts = []
    for term in terms:
        args = []
        for c in term:
            rng = _range(sheet, c.column)
            if c.op == "eq":
                args.append(f"{rng},{_criterion(c.arg)}")
            elif c.op == "blank":
                args.append(f'{rng},""')
            else:
                args.append(f'{rng},"{">=" if c.op == "ge" else "<"}"&{bound[c.arg]}')
        parts.append(f"COUNTIFS({','.join(args)})")
    return "=" + "+".join(parts)


def _normal(f: str) -> str:
    return re.sub(r"[\s$]", "", f).upper().lstrip("=")


# ---------------------------------------------------------------- reading
def _value(grid: list, row: int, col: int) -> Any:
    if row - 1 < len(grid):
        line = grid[row - 1]
        if line is not None and col - 1 < len(line):
            return line[col - 1]
    return None


def read_register(grids: dict, fmt: ReportFormat, source: str) -> reg.Register | None:
    """The rows of the workbook's registers, None when it has no register sheet.

    Columns are found by their titles in the header row (the contract), so a clerk may reorder them or
    add columns of their own; rows past the limit are refused, never cut silently."""
    if not any(s.sheet in grids for s in fmt.registers):
        return None
    rows: dict[str, list[reg.Row]] = {}
    for sheet in fmt.registers:
        grid = grids.get(sheet.sheet) or []
        header = [str(v).strip() if v is not None else ""
                  for v in (grid[reg.HEADER_ROW - 1][:reg.MAX_COLS] if grid and grid[reg.HEADER_ROW - 1] else [])]
        where: list[int | None] = []
        for c in sheet.columns:
            if c.title in header:
                where.append(header.index(c.title) + 1)
            elif c.kind == "private" or not grid:
                where.append(None)
            else:
                raise InputError(f"「{sheet.sheet}」表第{reg.HEADER_ROW}行（表头）缺少「{c.title}」列，无法按台账计数"
                                 f"（表头应有：{'、'.join(x.title for x in sheet.columns)}）", path=source,
                                 where=f"{sheet.sheet}!A{reg.HEADER_ROW}")
        out = []
        for r in range(reg.FIRST_ROW, len(grid) + 1):
            line = grid[r - 1] or ()
            width = len(line)
            cells = tuple(line[c - 1] if c and c <= width else None for c in where)
            if cells.count(None) + cells.count("") == len(cells):
                continue
            if r >= reg.FIRST_ROW + reg.MAX_ROWS:
                raise InputError(f"「{sheet.sheet}」超过 {reg.MAX_ROWS} 行的上限（第 {r} 行仍有内容），无法读取；"
                                 f"请把往年已办结的行移到另一个工作簿", path=source, where=f"{sheet.sheet}!A{r}")
            out.append(reg.Row(r, cells))
        rows[sheet.key] = out
    return reg.Register(rows)


def report_year(grids: dict) -> int | None:
    """The report year as typed in 「基本信息」 (None when it is not a year; the reader then says so)."""
    row = INFO_TOP + [f for f, _ in INFO_FIELDS].index("year")
    v = _value(grids.get(SHEET_INFO) or [], row, 2)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, str):
        m = re.fullmatch(r"\s*(\d{4})\s*(年度?)?\s*", v)
        v = int(m.group(1)) if m else None
    return v if isinstance(v, int) and not isinstance(v, bool) and 1990 <= v <= 2200 else None


def formula_values(grids: dict, fmt: ReportFormat, source: str) -> dict[str, int]:
    """Data key → count, for the value cells holding the register formula (as ``new --register`` wrote
    it): what Excel would compute, counted in Python from the rows."""
    if not any(s.sheet in grids for s in fmt.registers):
        return {}
    pos = positions(fmt.id)
    ours = {}
    for key in reg.counted_keys(fmt):
        sheet, r, c = pos[key]
        v = _value(grids.get(sheet) or [], r, c)
        if isinstance(v, str) and v.startswith("=") and _normal(v) == _normal(formula(fmt, key)):
            ours[key] = True
    year = report_year(grids)
    if not ours or year is None:
        return {}
    register = read_register(grids, fmt, source)
    counted = reg.counts(fmt, year, register)
    return {k: counted[k] for k in ours}


def has_registers(raw: bytes) -> bool:
    """The workbook names a register sheet (looked up in its list of sheets, nothing else parsed)."""
    import io
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            info = z.getinfo("xl/workbook.xml")
            if info.file_size > 1024 * 1024:
                return False
            book = z.read(info).decode("utf-8", "replace")
    except Exception:  # not a zip, or damaged: the full reader gives the message
        return False
    return any(f'name="{name}"' in book for name in register_sheets())


# ---------------------------------------------------------------- writing
def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    thin = Side(style="thin", color="000000")
    return {"border": Border(left=thin, right=thin, top=thin, bottom=thin),
            "bold": Font(name="黑体", size=11, bold=True), "font": Font(name="宋体", size=11),
            "fill": PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7"),
            "center": Alignment(horizontal="center", vertical="center", wrap_text=True)}


def _option_lists(wb, fmt: ReportFormat) -> dict[tuple[str, str], str]:
    """The hidden sheet of drop-down lists; returns (register, column) → the list's range."""
    ws = wb.create_sheet(SHEET_OPTIONS)
    out = {}
    col = 1
    for sheet in fmt.registers:
        for c in sheet.columns:
            if c.kind != "choice":
                continue
            labels = [label for _, label in reg.choices(fmt, sheet.key, c.key)]
            put(ws.cell(1, col), f"{sheet.sheet}·{c.title}")
            for i, label in enumerate(labels, 2):
                put(ws.cell(i, col), label)
            letter = col_letter(col)
            out[(sheet.key, c.key)] = f"'{SHEET_OPTIONS}'!${letter}$2:${letter}${len(labels) + 1}"
            ws.column_dimensions[letter].width = 40
            col += 1
    ws.sheet_state = "hidden"
    return out


def _date_validation(title: str):
    from openpyxl.worksheet.datavalidation import DataValidation
    dv = DataValidation(type="date", operator="between", formula1=str(int(reg.serial(FIRST_DATE))),
                        formula2=str(int(reg.serial(LAST_DATE))), allow_blank=True, showErrorMessage=True,
                        showInputMessage=True, errorStyle="stop")
    dv.errorTitle, dv.error = "输入有误", f"「{title}」请输入日期，如 2025-03-08。"
    dv.promptTitle, dv.prompt = title, "输入日期，如 2025-03-08"
    return dv


def _list_validation(title: str, source: str, blank_means: str = ""):
    from openpyxl.worksheet.datavalidation import DataValidation
    dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                        showInputMessage=True, errorStyle="stop")
    dv.errorTitle, dv.error = "输入有误", f"「{title}」请从下拉列表中选择。"
    dv.promptTitle, dv.prompt = title, "从下拉列表中选择" + (f"；{blank_means}" if blank_means else "")
    return dv


def _named_styles(wb, st) -> None:
    """The register rows' cell styles (named: one assignment per cell)."""
    from openpyxl.styles import Alignment, NamedStyle
    have = set(wb.named_styles)
    for name, align, number in (("nb-reg", "left", "@"), ("nb-reg-choice", "left", "General"),
                                ("nb-reg-date", "center", DATE_FORMAT)):
        if name in have:
            continue
        wb.add_named_style(NamedStyle(name=name, font=st["font"], border=st["border"], number_format=number,
                                      alignment=Alignment(horizontal=align, vertical="center")))


def add_registers(wb, fmt: ReportFormat, rows: dict[str, list[tuple]] | None = None) -> None:
    """Add the register sheets (after the tables), with ``rows`` (register key → cells in column order)."""
    st = _styles()
    _named_styles(wb, st)
    lists = _option_lists(wb, fmt)
    last_table = max(wb.sheetnames.index(t.sheet) for t in fmt.tables())
    last_row = reg.FIRST_ROW + reg.MAX_ROWS - 1
    for n, sheet in enumerate(fmt.registers):
        ws = wb.create_sheet(sheet.sheet, last_table + 1 + n)
        for i, c in enumerate(sheet.columns, 1):
            cell = ws.cell(reg.HEADER_ROW, i, c.title)
            cell.font, cell.fill, cell.border, cell.alignment = st["bold"], st["fill"], st["border"], st["center"]
            letter = col_letter(i)
            ws.column_dimensions[letter].width = c.width
            span = f"{letter}{reg.FIRST_ROW}:{letter}{last_row}"
            if c.kind == "date":
                ws.column_dimensions[letter].number_format = DATE_FORMAT
                dv = _date_validation(c.title)
            elif c.kind == "choice":
                pending = (c.key == "result" and sheet.key == "cases")
                dv = _list_validation(c.title, lists[(sheet.key, c.key)],
                                      f"尚未审结的不填" if pending else ("尚未办结的不填" if c.key == "result" else ""))
            else:
                ws.column_dimensions[letter].number_format = "@"
                dv = None
            if dv is not None:
                dv.add(span)
                ws.add_data_validation(dv)
        kinds = [("nb-reg-date" if c.kind == "date" else "nb-reg-choice" if c.kind == "choice" else "nb-reg")
                 for c in sheet.columns]
        protos: list = []  # each column's style, looked up once and copied (a named style lookup per cell is slow)
        for r, cells in enumerate((rows or {}).get(sheet.key, ()), reg.FIRST_ROW):
            for i, v in enumerate(cells[:len(kinds)], 1):
                cell = put(ws.cell(r, i), _as_cell(v))
                if len(protos) < i:
                    cell.style = kinds[i - 1]
                    protos.append(cell._style)
                else:
                    cell._style = copy(protos[i - 1])
        ws.freeze_panes = f"A{reg.FIRST_ROW}"
        ws.auto_filter.ref = f"A{reg.HEADER_ROW}:{col_letter(len(sheet.columns))}{reg.HEADER_ROW}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{reg.HEADER_ROW}:{reg.HEADER_ROW}"


def _as_cell(v: Any) -> Any:
    """A register value as a cell value: dates stay dates (a date and time keeps its time)."""
    if isinstance(v, _dt.datetime) and v.time() == _dt.time():
        return v.date()
    return v


def use_register_formulas(wb, fmt: ReportFormat) -> list[str]:
    """Register mode: every value cell of tables 三 and 四 that a register fills becomes its COUNTIFS
    formula (locked, grey as the totals).  Returns the keys changed."""
    pos = positions(fmt.id)
    changed = []
    for key in reg.counted_keys(fmt):
        sheet, r, c = pos[key]
        cell = wb[sheet].cell(r, c)
        cell.value = formula(fmt, key)
        cell.style = "nb-computed"
        changed.append(key)
    for key in computed_cells(fmt.id):  # totals are sums of the counts again (no typed total survives)
        if fmt.field(key).table in (fmt.requests.key, fmt.appeals.key):
            sheet, r, c = pos[key]
            cell = wb[sheet].cell(r, c)
            cell.value, cell.comment = total_formula(fmt.id, key), None
            cell.style = "nb-computed"
    from .cells import SHEET_CHECKS
    from .writer import unseen_rules_line
    if SHEET_CHECKS in wb.sheetnames:
        wb[SHEET_CHECKS]["A3"] = unseen_rules_line(fmt, register=True)
        wb[SHEET_CHECKS].row_dimensions[3].height = 90
    for t in (fmt.requests, fmt.appeals):  # the data validations of typed counts no longer apply
        ws = wb[t.sheet]
        ws.data_validations.dataValidation = []
        note = ws.cell(3, 1)
        note.value = (f"本表由「{'」「'.join(s.sheet for s in fmt.registers)}」自动计数（台账模式）：灰色单元格为公式，"
                      f"请在台账中逐件登记，不要在本表填数。红色表示所在校验不通过，详见「校验」表。")
    return changed


def typed_numbers(wb, fmt: ReportFormat, report: Report) -> int:
    """The sheet 「原填报数」: every number typed in tables 三 and 四 before the switch to register mode,
    with its cell and label, for comparison with the register's counts.  Returns how many it lists."""
    from ..workbook.cells import address
    keys = [k for k in reg.counted_keys(fmt) if report.get(k) not in (None, "")]
    if not keys:
        return 0
    ws = wb.create_sheet(SHEET_TYPED)
    st = _styles()
    ws["A1"] = "切换为台账模式之前表三、表四中填写的数（供与台账计数核对；台账模式下表格按台账计数，这些数不再使用）"
    ws["A1"].font = st["bold"]
    for i, h in enumerate(("单元格", "项目", "原填报数", "台账计数"), 1):
        c = ws.cell(2, i, h)
        c.font, c.fill, c.border = st["bold"], st["fill"], st["border"]
    pos = positions(fmt.id)
    for r, key in enumerate(keys, 3):
        sheet, row, col = pos[key]
        f = fmt.field(key)
        put(ws.cell(r, 1), address(fmt.id, key))
        put(ws.cell(r, 2), f"{fmt.table(f.table).sheet} {f.label}")
        put(ws.cell(r, 3), report.get(key))
        ws.cell(r, 4, f"='{sheet}'!{col_letter(col)}{row}")
        for i in range(1, 5):
            ws.cell(r, i).border = st["border"]
    for letter, w in zip("ABCD", (12, 64, 12, 12)):
        ws.column_dimensions[letter].width = w
    ws.merge_cells("A1:D1")
    ws["A1"].alignment = st["center"]
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    return len(keys)


def build_register(report: Report, previous: Report | None = None, rows: dict[str, list[tuple]] | None = None,
                   keep_typed: bool = False):
    """The workbook of ``report`` in register mode with ``rows``; ``keep_typed`` lists the numbers the
    report had in tables 三 and 四 on 「原填报数」.  Returns (workbook, typed-over keys, numbers kept)."""
    from .writer import build
    fmt = report.fmt
    wb, typed = build(report, previous=previous)
    add_registers(wb, fmt, rows)
    use_register_formulas(wb, fmt)
    kept = typed_numbers(wb, fmt, report) if keep_typed else 0
    typed = [k for k in typed if fmt.field(k).table not in (fmt.requests.key, fmt.appeals.key)]
    return wb, typed, kept


def write_register(report: Report, path: str | Path, previous: Report | None = None,
                   rows: dict[str, list[tuple]] | None = None, keep_typed: bool = False) -> tuple[list[str], int]:
    """Write the workbook of ``report`` in register mode (temporary file, then rename)."""
    from .writer import to_bytes
    wb, typed, kept = build_register(report, previous, rows, keep_typed)
    atomic_write(path, to_bytes(wb))
    return typed, kept


def rows_of(report: Report) -> dict[str, list[tuple]]:
    """A report's register rows as cells (for writing them again)."""
    if report.register is None:
        return {}
    return {s.key: [r.cells for r in report.register.of(s.key)] for s in report.fmt.registers}


__all__ = ["SHEET_OPTIONS", "SHEET_TYPED", "add_registers", "build_register", "formula", "formula_values",
           "has_registers", "read_register", "register_sheets", "rows_of", "typed_numbers",
           "use_register_formulas", "write_register"]
