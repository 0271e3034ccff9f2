"""The review workbook: 总览, 问题清单, 汇总表, 缺报单位, 指标 (and 本级对比 with a parent report), in the
report workbook's own styles; the summed tables drawn by the report workbook's table code."""
from __future__ import annotations

import io
from copy import copy
from pathlib import Path

from ..files import atomic_write
from ..formats import SEVERITY_ZH
from ..formats.base import MONEY, TEXT
from ..model import LEVELS
from ..safetext import put
from ..workbook import col_letter, draw_table, table_heights, table_widths
from ..workbook.styles import FILL_FAIL, FILL_HEADER, FILL_TYPED, make_styles, register_named, text_width
from . import checks, metrics
from .batch import COPIED, DUPLICATE, HAS_ERRORS, PASSED, UNREADABLE, WRONG_FORMAT, Review

OVERVIEW, FINDINGS, SUMMED, MISSING, METRICS, PARENT = "总览", "问题清单", "汇总表", "缺报单位", "指标", "本级对比"
FILL_PASSED = "E2EFDA"
STATUS_FILL = {UNREADABLE: FILL_FAIL, HAS_ERRORS: FILL_FAIL, WRONG_FORMAT: FILL_TYPED, DUPLICATE: FILL_TYPED, COPIED: FILL_TYPED,
               PASSED: FILL_PASSED}
KIND_ZH = {"json": "报告数据 JSON", "workbook": "年报工作簿", "docx": "Word 文档", "doc": "Word 97-2003 文档",
           "html": "网页", "txt": "文本", "pdf": "PDF"}
TOP_UNITS_IN_CHART = 30


def _fill(color: str):
    from openpyxl.styles import PatternFill
    return PatternFill("solid", start_color=color, end_color=color)


def _header(ws, row: int, names, widths=None) -> None:
    for j, name in enumerate(names, 1):
        ws.cell(row, j, name).style = "nb-header"
    if widths:
        for j, w in enumerate(widths, 1):
            ws.column_dimensions[col_letter(j)].width = w


def _title(ws, text: str, st, span: int, note: str | None = None) -> int:
    ws.cell(1, 1, text).font = st["title"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=span)
    if note:
        ws.cell(2, 1, note).alignment = st["left"]
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=span)
        # Rows are not grown by Excel or LibreOffice on opening: as many lines as the note needs (about
        # 120 character units across the merged columns of the narrowest sheet).
        ws.row_dimensions[2].height = 15 * max(2, -(-int(text_width(note) * 1.1) // 120))
    return 4 if note else 3


def _page(ws, landscape: bool = True, title_rows: str | None = None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


_STAMPS: dict = {}


def _row(ws, r: int, values, centered=()) -> None:
    """One table row in the named styles 「nb-row」 / 「nb-row-center」.  The style of the first cell of
    each kind is copied to the others (assigning a named style by name looks it up every time, which
    is most of the time of a large review)."""
    stamps = _STAMPS.setdefault(id(ws.parent), {})
    for j, v in enumerate(values, 1):
        cell = put(ws.cell(r, j), v)  # unit names, files and messages come from the inputs: text, never a formula
        name = "nb-row-center" if j in centered else "nb-row"
        stamp = stamps.get(name)
        if stamp is None:
            cell.style = name
            stamps[name] = copy(cell._style)
        else:
            cell._style = copy(stamp)


def build(review: Review):
    """The review workbook (an openpyxl ``Workbook``)."""
    from openpyxl import Workbook
    st = make_styles()
    wb = Workbook()
    register_named(wb, st)
    try:
        first_finding = _findings(wb, review, st)
        _overview(wb.active, review, st, first_finding)
        wb.move_sheet(OVERVIEW, offset=-(len(wb.sheetnames) - 1))
        _summed(wb, review, st)
        _missing(wb, review, st)
        _metrics(wb, review, st)
        if review.parent is not None:
            _parent(wb, review, st)
    finally:
        _STAMPS.pop(id(wb), None)
    wb.active = 0
    return wb


def _overview(ws, review: Review, st, first_finding: dict[str, int]) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink
    ws.title = OVERVIEW
    counts = review.by_status()
    summary = "，".join(f"{s} {counts[s]} 个" for s in (PASSED, HAS_ERRORS, COPIED, WRONG_FORMAT, DUPLICATE, UNREADABLE)
                       if counts.get(s))
    top = _title(ws, f"{review.year or ''}年度政府信息公开工作年度报告审核总览（共 {len(review.units)} 个文件）", st, 8,
                 f"{summary}。按问题由重到轻排列；点击单位名称查看该单位的全部问题（「{FINDINGS}」表）。"
                 f"汇总见「{SUMMED}」，缺报见「{MISSING}」，指标见「{METRICS}」。文件位于：{review.base()}")
    names = ("单位", "层级", "年度", "格式", "错误数", "提示数", "已说明", "状态", "文件")
    _header(ws, top, names, (34, 16, 8, 8, 8, 8, 8, 10, 48))
    link_font = Font(name="宋体", size=11, color="0563C1", underline="single")
    r = top
    for u in review.ordered():
        r += 1
        _row(ws, r, (u.name, LEVELS.get(u.level, "") if u.level else "", u.year, u.format, u.errors, u.warnings,
                     u.explained, u.status, review.shown_path(u.path)), centered=(3, 4, 5, 6, 7, 8))
        ws.cell(r, 8).fill = _fill(STATUS_FILL.get(u.status, FILL_HEADER))
        target = first_finding.get(u.path)
        if target:
            cell = ws.cell(r, 1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{FINDINGS}'!A{target}",
                                       display=str(u.name))
            cell.font = link_font
    ws.auto_filter.ref = f"A{top}:I{max(r, top + 1)}"
    ws.freeze_panes = ws.cell(top + 1, 2)
    _page(ws, title_rows=f"{top}:{top}")


FINDING_WIDTHS = (30, 28, 7, 30, 7, 24, 80, 40)


def _lines(value, width: float) -> int:
    """Lines a wrapped text needs in a column of ``width``."""
    if value is None:
        return 1
    return max(1, -(-int(text_width(str(value)) * 1.1) // int(width - 1)))


def _findings(wb, review: Review, st) -> dict[str, int]:
    """问题清单; returns each unit's first row (the 总览 links point there)."""
    ws = wb.create_sheet(FINDINGS)
    top = _title(ws, "问题清单（每行一个问题；可按单位、规则、级别筛选；「单位说明」是单位在工作簿「说明」表中"
                     "对该问题的说明）", st, 8)
    _header(ws, top, ("单位", "文件", "规则", "规则名称", "级别", "位置", "问题", "单位说明"), FINDING_WIDTHS)
    first: dict[str, int] = {}
    r = top
    units = review.ordered() + ([review.parent] if review.parent is not None else [])
    for u in units:
        name = u.name if u is not review.parent else f"本级：{u.name}"
        for f in u.shown:
            r += 1
            first.setdefault(u.path, r)
            where = "、".join(f.locations[:4]) + ("等" if len(f.locations) > 4 else "")
            level = "已说明" if f.settled else SEVERITY_ZH[f.severity]
            values = (name, review.shown_path(u.path), f.rule, checks.title(f.rule), level, where,
                      f.message, f.explained)
            _row(ws, r, values, centered=(3, 5))
            lines = max(_lines(v, w) for v, w in zip(values, FINDING_WIDTHS))
            if lines > 1:  # LibreOffice and Excel do not grow rows of a file they did not lay out
                ws.row_dimensions[r].height = 14.5 * lines
            if f.is_error:
                ws.cell(r, 5).fill = _fill(FILL_FAIL)
    if r == top:
        ws.cell(top + 1, 1, "没有发现问题。").style = "nb-row"
        r = top + 1
    ws.auto_filter.ref = f"A{top}:H{r}"
    ws.freeze_panes = ws.cell(top + 1, 1)
    _page(ws, title_rows=f"{top}:{top}")
    return first


def _summed(wb, review: Review, st) -> None:
    ws = wb.create_sheet(SUMMED)
    fmt = review.fmt
    summed = review.summed
    if fmt is None or summed is None:
        _title(ws, "汇总表", st, 6, "没有可汇总的报告。")
        return
    errors = sum(1 for f in review.summed_findings if f.is_error)
    status = "汇总数据校验：通过（各项勾稽关系成立）" if not errors else \
        f"汇总数据校验：有{errors}处错误（来自有错误的单位，见「{OVERVIEW}」）"
    layouts = [(t, t.layout()) for t in fmt.tables()]
    width = max(lay.cols for _, lay in layouts)
    _title(ws, f"{summed.year}年度 {summed.units} 个单位的统计表汇总（{fmt.id}年格式）", st, width,
           f"{status}。只计入本批年度与格式相符的单位，同一单位的多份文件只计一次；文字填报的单元格不汇总（显示「—」）。")
    widths: dict[int, float] = {}
    values = summed.values
    tops = summed_tops(fmt)
    for table, layout in layouts:
        top = tops[table.key]
        heading = next(s.heading for s in fmt.sections if s.table == table.key)
        ws.cell(top - 1, 1, heading).font = st["bold"]

        def put_value(cell, c, _fmt=fmt):
            kind = _fmt.field(c.key).kind
            if kind == TEXT:
                cell.value = "—"
            else:
                v = values.get(c.key, 0)
                cell.value = round(v, 4) if isinstance(v, float) else v
            cell.style = "nb-row-center"
            if kind == MONEY:
                cell.number_format = "0.00##"

        draw_table(ws, layout, top, 1, put_value)
        w = table_widths(table, layout)
        for i, x in w.items():
            widths[i] = max(widths.get(i, 0), x)
        for row, h in table_heights(layout, w).items():
            ws.row_dimensions[top + row].height = h
    for i, w in widths.items():
        ws.column_dimensions[col_letter(1 + i)].width = w
    top = tops[None]
    if review.summed_findings:
        ws.cell(top, 1, "汇总数据的校验结果").font = st["bold"]
        for f in review.summed_findings:
            top += 1
            put(ws.cell(top, 1), f"{SEVERITY_ZH[f.severity]} {f.rule} {f.message}")
    _page(ws)


SUMMED_TOP = 5  # the first table's heading row in 汇总表 (rows 1-2: title and status)


def summed_tops(fmt) -> dict:
    """Excel row of layout row 0 of each table in 「汇总表」 (key None: the row after the last table)."""
    out: dict = {}
    top = SUMMED_TOP
    for t in fmt.tables():
        out[t.key] = top + 1
        top += 1 + t.layout().rows + 1
    out[None] = top
    return out


def summed_cells(fmt) -> dict[str, str]:
    """Data key → the cell of 「汇总表」 holding its sum (e.g. 「D12」)."""
    tops = summed_tops(fmt)
    return {c.key: f"{col_letter(1 + c.col)}{tops[t.key] + c.row}" for t in fmt.tables()
            for c in t.layout().value_cells()}


def _missing(wb, review: Review, st) -> None:
    ws = wb.create_sheet(MISSING)
    if review.previous_dir is None:
        _title(ws, "缺报单位", st, 4, "未指定上年报告文件夹（--previous-dir），无法比较缺报单位。")
        ws.column_dimensions["A"].width = 100
        return
    top = _title(ws, f"缺报单位：上年报告中有、本年没有报送的单位（{len(review.missing)} 个）", st, 4,
                 f"上年报告文件夹：{review.previous_dir}。单位按规范化的名称对应（全称与简称、「人民政府办公室」与「政府办」、括号内容不计）。")
    _header(ws, top, ("单位（上年名称）", "上年年度", "上年文件", "说明"), (36, 10, 70, 40))
    r = top
    for ident in review.missing:
        r += 1
        _row(ws, r, (ident.agency, ident.year, ident.path, "本年未报送"), centered=(2,))
    for ident in review.previous_unreadable:
        r += 1
        _row(ws, r, ("（无法读取）", None, ident.path, ident.error), centered=(2,))
    if r == top:
        r += 1
        ws.cell(r, 1, "没有缺报的单位。").style = "nb-row"
    r += 2
    ws.cell(r, 1, f"本年报送、但在上年报告中找不到的单位（{len(review.unmatched)} 个；未做与上年的衔接校验）").font = st["bold"]
    r += 1
    _header(ws, r, ("单位", "本年年度", "本年文件", "说明"))
    for u in review.unmatched:
        r += 1
        _row(ws, r, (u.name, u.year, u.path, "新增单位，或名称与上年不同"), centered=(2,))
    ws.freeze_panes = ws.cell(top + 1, 1)
    _page(ws)


def _metric_value(m, v):
    return v if v is not None else "—"


def _metrics(wb, review: Review, st) -> None:
    from openpyxl.chart import BarChart, Reference
    ws = wb.create_sheet(METRICS)
    n = len(metrics.METRICS)
    top = _title(ws, "监督指标", st, n + 1, "各指标按下列定义计算；分母为0时显示「—」。合计行按汇总表计算（不是各单位比率的平均）。")
    ws.cell(top, 1, "指标").style = "nb-header"
    ws.cell(top, 2, "定义").style = "nb-header"
    ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=n + 1)
    for i, m in enumerate(metrics.METRICS, 1):
        ws.cell(top + i, 1, m.name).style = "nb-row"
        ws.cell(top + i, 2, m.definition).style = "nb-row"
        ws.merge_cells(start_row=top + i, start_column=2, end_row=top + i, end_column=n + 1)
    r = top + n + 2
    head = r
    _header(ws, r, ("单位", *(m.name for m in metrics.METRICS)), (34, *([16] * n)))
    readable = [u for u in review.ordered() if u.readable and u.metrics]
    units = [u for u in readable if u.in_sum]  # the rows above 合计 are exactly the units it sums
    left_out = [u for u in readable if not u.in_sum]
    for u in units:
        r += 1
        _metric_row(ws, r, u.name, u.metrics)
    r += 1
    total = review.total_metrics()
    _metric_row(ws, r, f"合计（汇总表，{len(units)} 个单位）", total)
    for j in range(1, n + 2):
        ws.cell(r, j).font = st["bold"]
    ws.auto_filter.ref = f"A{head}:{col_letter(n + 1)}{r}"
    if left_out:
        r += 2
        ws.cell(r, 1, f"未计入合计的单位（{len(left_out)} 个：年度或格式与本批不符，或同一单位的另一份文件）").font = st["bold"]
        for u in left_out:
            r += 1
            _metric_row(ws, r, f"{u.name}（{u.status}，{u.year}年度）", u.metrics)
    # Chart data: findings by rule, and the units with the most applications.
    c0 = n + 3
    by_rule: dict[str, list[int]] = {}
    for u in review.units:
        for f in u.shown:
            by_rule.setdefault(f.rule, [0, 0])[0 if f.is_error else 1] += 1
    _header_at(ws, head, c0, ("规则", "错误", "提示"))
    rr = head
    for rule in sorted(by_rule):
        rr += 1
        ws.cell(rr, c0, rule).style = "nb-row-center"
        ws.cell(rr, c0 + 1, by_rule[rule][0]).style = "nb-row-center"
        ws.cell(rr, c0 + 2, by_rule[rule][1]).style = "nb-row-center"
    if by_rule:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.title, chart.y_axis.title = "各规则的问题数", "问题数"
        chart.add_data(Reference(ws, min_col=c0 + 1, max_col=c0 + 2, min_row=head, max_row=rr), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=c0, min_row=head + 1, max_row=rr))
        chart.height, chart.width = 8, 16
        _axes_shown(chart)
        for series, colour in zip(chart.series, ("C00000", "8EA9DB")):  # errors red, warnings light blue
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        ws.add_chart(chart, f"{col_letter(c0 + 4)}{head}")
    apart, charted = applications_chart_units(units)
    c1 = c0
    rr += 2
    head2 = rr
    _header_at(ws, head2, c1, ("单位", "申请量"))
    for u in charted:
        rr += 1
        put(ws.cell(rr, c1), u.name).style = "nb-row"
        ws.cell(rr, c1 + 1, u.metrics.get("applications") or 0).style = "nb-row-center"
    if charted:
        chart = BarChart()
        chart.type = "bar"
        more = len(units) - len(apart) > len(charted)
        title = f"各单位本年新收申请量（前{len(charted)}个）" if more else "各单位本年新收申请量"
        if apart:
            title += "\n（另列：" + "、".join(f"{u.name}{u.metrics.get('applications') or 0}件" for u in apart) + "）"
        chart.title = title
        chart.add_data(Reference(ws, min_col=c1 + 1, min_row=head2, max_row=rr), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=c1, min_row=head2 + 1, max_row=rr))
        chart.legend = None
        chart.x_axis.scaling.orientation = "maxMin"  # the largest at the top, in the order of the table
        _labelled(chart)
        _axes_shown(chart)
        chart.x_axis.tickLblSkip = 1  # every unit named, none skipped
        chart.height, chart.width = max(8, 0.9 * len(charted) + 3), 18
        ws.add_chart(chart, f"{col_letter(c0 + 4)}{head + 18}")
    if apart:
        rr += 1
        put(ws.cell(rr + 1, c1), "另列（申请量远大于其他单位）：").font = st["bold"]
        for i, u in enumerate(apart, 2):
            put(ws.cell(rr + i, c1), u.name).style = "nb-row"
            ws.cell(rr + i, c1 + 1, u.metrics.get("applications") or 0).style = "nb-row-center"
    ws.column_dimensions[col_letter(c0)].width = 24
    ws.freeze_panes = ws.cell(head + 1, 2)
    _page(ws)


OUTLIER_FACTOR = 3  # a unit with this many times the applications of the next is charted apart


def applications_chart_units(units) -> tuple[list, list]:
    """(units shown apart, units charted): the units by applications, largest first; the leading ones with
    more than ``OUTLIER_FACTOR`` times the next (the government's own office, typically) stand apart, so
    that the bars of the others can be read."""
    ranked = sorted(units, key=lambda u: (-(u.metrics.get("applications") or 0), u.name))
    apart = []
    while len(ranked) - len(apart) > 2:
        here = ranked[len(apart)].metrics.get("applications") or 0
        after = ranked[len(apart) + 1].metrics.get("applications") or 0
        if after > 0 and here > OUTLIER_FACTOR * after:
            apart.append(ranked[len(apart)])
        else:
            break
    return apart, ranked[len(apart):][:TOP_UNITS_IN_CHART]


def _labelled(chart) -> None:
    """Every bar labelled with its value."""
    from openpyxl.chart.label import DataLabelList
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(chart.dataLabels, flag, False)


def _axes_shown(chart) -> None:
    """openpyxl hides chart axes unless told otherwise (``delete``); show both, with their labels."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _metric_row(ws, r: int, name: str, values: dict) -> None:
    _row(ws, r, (name, *(_metric_value(m, values.get(m.id)) for m in metrics.METRICS)),
         centered=range(2, len(metrics.METRICS) + 2))
    for j, m in enumerate(metrics.METRICS, 2):
        if m.ratio:
            ws.cell(r, j).number_format = "0.0%"


def _header_at(ws, row: int, col: int, names) -> None:
    for j, name in enumerate(names):
        ws.cell(row, col + j, name).style = "nb-header"


def _parent(wb, review: Review, st) -> None:
    ws = wb.create_sheet(PARENT)
    p = review.parent
    diffs = review.parent_differences
    if not p.readable:
        _title(ws, "本级报告与各单位汇总的比较", st, 6, f"本级报告无法读取：{p.error}")
        return
    note = ("本级报告与各单位之和一致。" if not diffs else
            f"有 {len(diffs)} 个单元格与各单位之和不同。本级报告可能包含本批以外的单位，因此只作提示，请逐项核实。")
    top = _title(ws, f"本级报告「{p.name}」与 {review.summed.units if review.summed else 0} 个单位汇总的比较", st, 6,
                 f"{note} 文件：{p.path}")
    _header(ws, top, ("表", "项目", "位置", "本级报告", "各单位之和", "差额"), (8, 60, 16, 12, 12, 12))
    r = top
    fmt = review.fmt
    for f in diffs:
        if not f.cells:
            r += 1
            _row(ws, r, ("", f.message, "", "", "", ""))
            continue
        field = fmt.field(f.cells[0])
        r += 1
        _row(ws, r, (fmt.table(field.table).sheet, field.label, "、".join(f.locations), f.actual, f.expected,
                     round(f.actual - f.expected, 4)), centered=(1, 3, 4, 5, 6))
    ws.freeze_panes = ws.cell(top + 1, 1)
    _page(ws)


def to_bytes(review: Review) -> bytes:
    buf = io.BytesIO()
    build(review).save(buf)
    return buf.getvalue()


def write(review: Review, path: str | Path) -> None:
    atomic_write(path, to_bytes(review))
