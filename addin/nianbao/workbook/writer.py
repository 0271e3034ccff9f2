"""Writing the report workbook from the format definition (openpyxl)."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

from .. import formats
from ..carryover import baselines
from ..files import atomic_write
from ..formats.base import COUNT, MONEY, TEXT, ReportFormat
from ..model import LEVELS, Report
from ..safetext import put
from .cells import (CHECK_TOP, INFO_FIELDS, INFO_TOP, SHEET_CALC, SHEET_CHECKS,
                    SHEET_INFO, SHEET_TEXT, STATUS_CELL, TABLE_LEFT, TABLE_TOP, TEXT_TOP, col_letter, computed_cells, locator,
                    narrative_sections, numeric_sum, sheet_ref, total_formula)
from .formulas import (CALC_HEADERS, C_FAIL, calc_rows, calc_sheet, check_formula, check_rows, fail_count_formula,
                       text_literal)
from .bound import BOUND_HINT, blank_sections, put_paragraph
from .styles import make_styles, protect, register_named, text_width, validation

TYPED_NOTE = ("此处原为自动计算的公式。来源数据中的数值与各项之和不一致，已按来源数据原样保留，"
              "以便「校验」表指出差异；核实后请改正。")




def _write_table(wb, fmt: ReportFormat, table, report: Report | None, st) -> list[str]:
    """Draw one official table; returns the keys typed over their formula."""
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.worksheet.cell_range import MultiCellRange
    ws = wb.create_sheet(table.sheet)
    layout = table.layout()
    heading = next(s.heading for s in fmt.sections if s.table == table.key)
    last_col = TABLE_LEFT + layout.cols - 1
    ws.cell(1, TABLE_LEFT, heading).font = st["title"]
    ws.merge_cells(start_row=1, start_column=TABLE_LEFT, end_row=1, end_column=last_col)
    ws.cell(1, TABLE_LEFT).alignment = st["center"]
    ws.cell(3, TABLE_LEFT, "黄色单元格为填报项（没有请填0）；灰色单元格自动计算；橙色单元格为导入的原值（与公式不符）；"
                           "红色表示所在校验不通过，详见「校验」表。").font = st["font"]
    ws.merge_cells(start_row=3, start_column=TABLE_LEFT, end_row=3, end_column=last_col)
    ws.cell(3, TABLE_LEFT).alignment = st["left"]
    ws.row_dimensions[3].height = 30
    computed = computed_cells(fmt.id)
    typed: list[str] = []
    validations: dict[str, Any] = {}

    def put_value(cell, c) -> None:
        kind = fmt.field(c.key).kind
        value = report.get(c.key) if report is not None else None
        if c.key in computed:
            expected = numeric_sum([report.get(k) for k in computed[c.key]]) if report is not None else None
            if report is None or _same(value, expected):
                cell.value = total_formula(fmt.id, c.key)
                cell.style = "nb-computed"
                return
            typed.append(c.key)
            put(cell, value)
            cell.style = "nb-typed-money" if kind == MONEY else "nb-typed"
            cell.comment = Comment(TYPED_NOTE, "nianbao", width=300, height=110)
        else:
            put(cell, value)
            cell.style = {TEXT: "nb-input-text", MONEY: "nb-input-money"}.get(kind, "nb-input")
        if kind != TEXT:
            validations.setdefault(kind, []).append(cell.coordinate)

    draw_table(ws, layout, TABLE_TOP, TABLE_LEFT, put_value)
    for kind, coords in validations.items():
        dv = validation(kind)
        dv.sqref = MultiCellRange(" ".join(coords))
        ws.add_data_validation(dv)
    # Status line and the colouring of failing cells.
    rows = [i for i, row in enumerate(check_rows(fmt.id)) if row.table == table.key]
    first, last = CHECK_TOP + rows[0], CHECK_TOP + rows[-1]
    n = f"SUM('{SHEET_CHECKS}'!$E${first}:$E${last})"
    ws[STATUS_CELL] = f'=IF({n}=0,"本表校验：通过","本表有"&{n}&"处错误，见校验表")'
    ws[STATUS_CELL].font = st["bold"]
    ws.merge_cells(start_row=2, start_column=TABLE_LEFT, end_row=2, end_column=last_col)
    # One rule per table row: its value cells are consecutive rows of 「计算」, so the flag of the cell
    # being formatted is found from its column.
    calc = calc_rows(fmt.id)
    runs: dict[int, list[tuple[int, int, int]]] = {}
    for c in layout.value_cells():
        if c.key in calc:
            runs.setdefault(c.row, []).append((TABLE_LEFT + c.col, TABLE_LEFT + c.col + c.colspan - 1, calc[c.key]))
    flags = f"'{SHEET_CALC}'!${col_letter(C_FAIL)}:${col_letter(C_FAIL)}"
    for row, cells in runs.items():
        r = TABLE_TOP + row
        first_col, _, first_calc = cells[0]
        # Column → 「计算」 row: merged value cells (table 二) span several columns, so map by position.
        if all(cl == first_col + i and cr == cl and k == first_calc + i for i, (cl, cr, k) in enumerate(cells)):
            where = f"{first_calc}+COLUMN()-{first_col}"
            rng = f"{col_letter(first_col)}{r}:{col_letter(cells[-1][1])}{r}"
            ws.conditional_formatting.add(rng, FormulaRule(formula=[f"INDEX({flags},{where})=1"],
                                                           fill=st["fill"]["fail"]))
        else:
            for cl, cr, k in cells:
                ws.conditional_formatting.add(f"{col_letter(cl)}{r}:{col_letter(cr)}{r}", FormulaRule(
                    formula=[f"{sheet_ref(SHEET_CALC, k, C_FAIL, absolute=True)}=1"], fill=st["fill"]["fail"]))
    widths = table_widths(table, layout)
    for i, w in widths.items():
        ws.column_dimensions[col_letter(TABLE_LEFT + i)].width = w
    for row, height in table_heights(layout, widths).items():
        ws.row_dimensions[TABLE_TOP + row].height = height
    # Freeze headers, print on A4 fitted to the width, repeat the header rows.
    label_cols = min((c.col for c in layout.value_cells()), default=0) if table.key == "requests" else 0
    ws.freeze_panes = ws.cell(TABLE_TOP + layout.header_rows, TABLE_LEFT + label_cols)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = table.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{col_letter(last_col)}{TABLE_TOP + layout.rows - 1}"
    if layout.header_rows:
        ws.print_title_rows = f"{TABLE_TOP}:{TABLE_TOP + layout.header_rows - 1}"
    protect(ws)
    return typed


LAYOUT_STYLES = {"header": "nb-header", "title": "nb-title", "note": "nb-note", "label": "nb-label"}


def draw_table(ws, layout, top: int, left: int, put_value: Callable[[Any, Any], None]) -> None:
    """Draw an official table's printed grid (``table.layout()``) with layout row 0 at Excel row ``top``
    and column 0 at ``left``: merges, labels and headers in the named styles (``styles.register_named``);
    ``put_value(cell, layout_cell)`` fills each value cell.  The report workbook and the review workbook
    both draw their tables with it."""
    for c in layout.cells:
        r, col = top + c.row, left + c.col
        cell = ws.cell(r, col)
        merge(ws, r, col, r + c.rowspan - 1, col + c.colspan - 1)
        if c.role != "value":
            cell.value = c.text
            cell.style = LAYOUT_STYLES.get(c.role, "nb-label")
            continue
        put_value(cell, c)


def table_widths(table, layout) -> dict[int, float]:
    """Column widths (layout column → Excel width) from the labels standing alone in a column."""
    widths: dict[int, float] = {}
    for c in layout.cells:
        w = text_width(c.text) * 1.1 + 2 if c.colspan == 1 and c.role != "note" else 0
        widths[c.col] = max(widths.get(c.col, 8), min(w, 44 if c.role == "label" else 16))
    if table.key == "requests":  # the 勾稽 note stands in the label columns' corner
        widths[0] = max(widths[0], 10)
    return widths


def table_heights(layout, widths: dict[int, float]) -> dict[int, float]:
    """Row heights (layout row → points) for wrapped labels (Excel does not grow rows of files it did not
    lay out itself)."""
    lines: dict[int, int] = {}
    for c in layout.cells:
        if c.rowspan == 1 and c.text:
            room = sum(widths.get(c.col + k, 8) for k in range(c.colspan))
            lines[c.row] = max(lines.get(c.row, 1), -(-int(text_width(c.text) * 1.1) // int(room - 1)))
    return {row: 15 * n for row, n in lines.items() if n > 1}


def merge(ws, r1: int, c1: int, r2: int, c2: int, edge: str | None = "nb-edge") -> None:
    """Merge a block, giving the covered cells the bordered ``edge`` style (Excel draws a merged
    block's border from them).  Cheaper than ``ws.merge_cells``, which copies styles cell by cell."""
    from openpyxl.worksheet.merge import MergedCellRange
    if r2 == r1 and c2 == c1:
        return
    if edge is not None:
        for rr in range(r1, r2 + 1):
            for cc in range(c1, c2 + 1):
                if (rr, cc) != (r1, c1):
                    ws.cell(rr, cc).style = edge
    ws.merged_cells.add(MergedCellRange(ws, f"{col_letter(c1)}{r1}:{col_letter(c2)}{r2}"))


def _same(value: Any, expected: Any) -> bool:
    if value is None or expected is None:
        return value is None and expected is None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return value == expected


def _write_calc(wb, fmt: ReportFormat, st) -> None:
    ws = wb.create_sheet(SHEET_CALC)
    for i, h in enumerate(CALC_HEADERS, 1):
        ws.cell(1, i, h).font = st["bold"]
    for r, cells in calc_sheet(fmt.id):
        for col, value in cells:
            ws.cell(r, col, value)
    for i, w in enumerate((34, 10, 8, 12, 12, 12, 8, 10, 10, 6, 6, 8), 1):
        ws.column_dimensions[col_letter(i)].width = w
    ws.sheet_state = "hidden"
    protect(ws)


def unseen_rules_line(fmt: ReportFormat, register: bool = False) -> str:
    """The one line of 「校验」 naming the rules its formulas cannot decide (from the rule catalogue), so
    that a smaller error count than the full check's is explained rather than contradicting it (the
    register rules only in a workbook in register mode)."""
    from ..formats import RULES, SEVERITY_ZH
    seen = {row.rule for row in check_rows(fmt.id)}
    unseen = [r for r in RULES.values() if r.id not in seen and r.stage == "check"
              and (register or not r.needs_register)]
    parts = []
    for severity in ("error", "warning"):
        names = [f"{r.id}「{r.title}」" + ("（需要上年度报告）" if r.needs_previous else "")
                 for r in unseen if r.severity == severity]
        if names:
            parts.append(f"{SEVERITY_ZH[severity]}：" + "；".join(names))
    return ("本表只含表格内公式能判断的规则。以下规则要用到上年度报告、正文或基本信息等，不在本表中，所以本表的错误数"
            "可能少于完整校验（「校验」按钮写出的「校验结果」表）——" + "。".join(parts) + "。")


def _write_checks(wb, fmt: ReportFormat, st) -> None:
    ws = wb.create_sheet(SHEET_CHECKS)
    ws["A1"] = ("校验（表格内公式，随填写自动计算，无需加载项；在 Excel、WPS、LibreOffice 中均可用）")
    ws["A1"].font = st["title"]
    rows = check_rows(fmt.id)
    last = CHECK_TOP + len(rows) - 1
    n = f"SUM($E${CHECK_TOP}:$E${last})"
    ws["A2"] = f'=IF({n}=0,"表格内的{len(rows)}项校验全部通过","表格内共有"&{n}&"处错误，请按下表改正")'
    ws["A2"].font = st["bold"]
    ws["A3"] = unseen_rules_line(fmt)
    ws["A3"].alignment = st["left"]
    for cell in ("A1", "A2", "A3"):
        ws.merge_cells(f"{cell}:D{cell[1:]}")
    ws.row_dimensions[3].height = 75
    for i, h in enumerate(("规则", "说明", "结果", "位置", "不通过"), 1):
        c = ws.cell(CHECK_TOP - 1, i, h)
        c.font, c.fill, c.border, c.alignment = st["bold"], st["fill"]["header"], st["border"], st["center"]
    pos_of = locator(fmt.id)
    for i, row in enumerate(rows):
        r = CHECK_TOP + i
        locs = [pos_of(k) for k in ((row.check.target,) if row.check else row.keys)]
        values = (row.rule, row.description, check_formula(fmt.id, row),
                  "、".join(locs) if len(locs) <= 2 else f"{locs[0]}～{locs[-1].split('!')[1]}",
                  fail_count_formula(fmt.id, row, r))
        for j, v in enumerate(values, 1):
            ws.cell(r, j, v).style = "nb-row-center" if j in (1, 5) else "nb-row"
        ws.row_dimensions[r].height = 30  # two lines: long descriptions and error messages wrap
    from openpyxl.formatting.rule import FormulaRule
    ws.conditional_formatting.add(f"C{CHECK_TOP}:C{last}",
                                  FormulaRule(formula=[f'LEFT(C{CHECK_TOP},2)="错误"'], fill=st["fill"]["fail"]))
    ws.conditional_formatting.add(f"C{CHECK_TOP}:C{last}",
                                  FormulaRule(formula=[f'LEFT(C{CHECK_TOP},2)="提示"'], fill=st["fill"]["input"]))
    for col, w in zip("ABCDE", (7, 62, 92, 22, 7)):
        ws.column_dimensions[col].width = w
    ws.column_dimensions["E"].hidden = True
    ws.freeze_panes = ws.cell(CHECK_TOP, 1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{CHECK_TOP - 1}:{CHECK_TOP - 1}"
    protect(ws)


def _info_value(report: Report | None, field_id: str) -> Any:
    if report is None:
        return None
    if field_id == "agency":
        return report.agency or None
    if field_id == "year":
        return report.year or None
    if field_id == "format":
        return report.format
    if field_id == "level":
        return LEVELS.get(report.level) if report.level else None
    if field_id in ("title", "previous"):
        return getattr(report, field_id)
    group, key = field_id.split(".")
    return getattr(report, group).get(key)


def _write_info(wb, fmt: ReportFormat, report: Report | None, previous: Report | None, st) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    ws = wb.active
    ws.title = SHEET_INFO
    ws["A1"] = "政府信息公开工作年度报告 · 基本信息"
    ws["A1"].font = st["title"]
    ws.merge_cells("A1:C1")
    templates = "、".join(f"「{f.workbook_template}」" for f in formats.FORMATS.values())
    ws["A2"] = (f"黄色单元格为填报项。报告格式由工作簿决定，不能在此修改：如需另一种格式，请另用该格式的年报模板工作簿"
                f"（{templates}）；「政务公开年报」选项卡的「新建下一年度」会自动选用下一年度应使用的格式。")
    ws["A2"].alignment = st["left"]
    ws.merge_cells("A2:C2")
    ws.row_dimensions[2].height = 45
    for i, (fid, label) in enumerate(INFO_FIELDS):
        r = INFO_TOP + i
        a = ws.cell(r, 1, label)
        a.font, a.alignment, a.border = st["font"], st["left"], st["border"]
        b = put(ws.cell(r, 2), _info_value(report, fid) if report is not None else (fmt.id if fid == "format" else None))
        b.font, b.alignment, b.border = st["font"], st["left"], st["border"]
        if fid == "format":
            b.value = fmt.id
            b.number_format = "@"
            b.fill = st["fill"]["computed"]
            ws.cell(r, 3, f"{fmt.notice}（适用于{fmt.first_year}年度"
                          f"{'至' + str(fmt.last_year) + '年度' if fmt.last_year else '及以后'}的报告）")
            continue
        b.fill, b.protection = st["fill"]["input"], st["unlocked"]
        if fid == "year":
            dv = DataValidation(type="whole", operator="between", formula1="1990", formula2="2200",
                                showErrorMessage=True, errorTitle="输入有误", error="报告年度应为四位年份，如 2025。")
            dv.add(b.coordinate)
            ws.add_data_validation(dv)
        elif fid == "level":
            dv = DataValidation(type="list", formula1=text_literal(",".join(LEVELS.values())), allow_blank=True,
                                showErrorMessage=True, errorTitle="输入有误", error="请从下拉列表中选择机关层级。")
            dv.add(b.coordinate)
            ws.add_data_validation(dv)
        elif fid.startswith("fees."):
            dv = validation(COUNT if fid == "fees.notices" else MONEY)
            dv.error = "请填写不小于0的数字。"
            dv.add(b.coordinate)
            ws.add_data_validation(dv)
        else:
            b.number_format = "@"  # 邮政编码、电话 stay text
    r = INFO_TOP + len(INFO_FIELDS) + 1
    rows = baselines(fmt, previous)
    if rows:
        ws.cell(r, 1, "上年数据（供参考；由上年工作簿新建下一年度时自动填入）").font = st["bold"]
        for i, (key, value) in enumerate(rows, 1):
            f = fmt.field(key) if fmt.has(key) else previous.fmt.field(key)
            a = ws.cell(r + i, 1, f"上年{f.column_label}（{f.row_label}）")
            a.border, a.font = st["border"], st["font"]
            b = put(ws.cell(r + i, 2), value)
            b.border, b.fill, b.protection = st["border"], st["fill"]["input"], st["unlocked"]
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 46
    ws.column_dimensions["C"].width = 60
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    protect(ws)


TEXT_WIDTH = 100       # column 「段落」 of 「正文」, in Excel's character units
LINE_HEIGHT = 15.0     # points per line of 11 pt 宋体
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def paragraph_height(text: str, width: float = TEXT_WIDTH) -> float:
    """Row height (points) that shows a wrapped paragraph whole: Excel does not size rows itself when it
    opens a file, so a long paragraph would show as one cut-off line.  A CJK character takes two
    character units (a little more, for the cell's margins)."""
    import math
    import unicodedata
    per_line = max(1.0, width - 4)
    lines = 0
    for line in (text or "").split("\n"):
        units = sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in line)
        lines += max(1, math.ceil(units / per_line))
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)


def _write_text(wb, fmt: ReportFormat, report: Report | None, st) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    ws = wb.create_sheet(SHEET_TEXT)
    ws["A1"] = "正文：每行一段。可插入行增加段落；「小标题」可空；三个表格的部分不在此填写。" + BOUND_HINT
    ws["A1"].font = st["bold"]
    ws.merge_cells("A1:C1")
    for i, h in enumerate(("部分", "小标题", "段落"), 1):
        c = ws.cell(TEXT_TOP - 1, i, h)
        c.font, c.fill, c.border, c.alignment = st["bold"], st["fill"]["header"], st["border"], st["center"]
    names = narrative_sections(fmt)
    rows: list[tuple[str, str | None, str]] = []
    sections = report.sections if report is not None else blank_sections(fmt)
    for key in names:
        items = sections.get(key) or []
        before = len(rows)
        for item in items:
            if isinstance(item, str):
                rows.append((key, None, item))
            else:
                paras = item.get("paragraphs") or []
                for p in paras or [""]:
                    rows.append((key, item.get("heading"), p))
        if len(rows) == before:
            rows.append((key, None, ""))  # a place to start typing; an empty paragraph reads back as nothing
    for i, (key, heading, text) in enumerate(rows):
        r = TEXT_TOP + i
        for j, v in enumerate((names[key], heading, text or None), 1):
            put(ws.cell(r, j), v).style = "nb-para"
        put_paragraph(ws.cell(r, 3), fmt, text)  # a bound paragraph: its formula
        ws.row_dimensions[r].height = paragraph_height(text or "", TEXT_WIDTH)
    dv = DataValidation(type="list", formula1=text_literal(",".join(names.values())), allow_blank=True,
                        showErrorMessage=True, errorTitle="输入有误", error="请从下拉列表中选择正文的部分。")
    dv.add(f"A{TEXT_TOP}:A{TEXT_TOP + len(rows) + 500}")
    ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = TEXT_WIDTH
    ws.freeze_panes = f"A{TEXT_TOP}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def build(report: Report | None, format_id: str | None = None, previous: Report | None = None):
    """The workbook (an openpyxl ``Workbook``) for ``report``, or a blank template of ``format_id``.

    Returns (workbook, keys typed over their formula).
    """
    from openpyxl import Workbook
    fid = report.format if report is not None else format_id
    fmt = formats.get(fid)
    st = make_styles()
    wb = Workbook()
    register_named(wb, st)
    _write_info(wb, fmt, report, previous, st)
    _write_text(wb, fmt, report, st)
    typed: list[str] = []
    for t in fmt.tables():
        typed += _write_table(wb, fmt, t, report, st)
    _write_checks(wb, fmt, st)
    _write_calc(wb, fmt, st)
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores no results: have Excel/WPS compute on open
    return wb, typed


def to_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(report: Report, path: str | Path, previous: Report | None = None) -> list[str]:
    """Write ``report`` as a workbook (temporary file, then rename).

    ``previous`` (last year's report) fills the reference values of 「基本信息」.  Returns the keys of
    totals kept as typed numbers because they disagree with the sum of their parts.
    """
    wb, typed = build(report, previous=previous)
    atomic_write(path, to_bytes(wb))
    return typed


def write_template(format_id: str, path: str | Path) -> None:
    wb, _ = build(None, format_id)
    atomic_write(path, to_bytes(wb), replace=True)  # the shipped templates, regenerated in place


def demo_step(report: Report, outdir: str | Path) -> Path:
    """``nianbao demo``: the seed's workbook."""
    out = Path(outdir) / f"{report.year}年度年报工作簿-{report.agency}.xlsx"
    write(report, out)
    return out


def write_templates(outdir: str | Path) -> list[Path]:
    """The ready templates of both formats (``python -m nianbao.workbook --templates templates/``)."""
    out = []
    for fmt in formats.FORMATS.values():
        p = Path(outdir) / fmt.workbook_template
        write_template(fmt.id, p)
        out.append(p)
    return out
