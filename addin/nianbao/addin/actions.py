"""What the Excel add-in's buttons and worksheet functions do, over any open workbook.

The ribbon (``nianbao.xl``, inside Excel through xlwings) and the command line
(``nianbao addin run``, over a file through openpyxl) call the same ``run_*``
functions.  They reach the workbook only through :class:`WorkbookAccess`: one bulk
read of every sheet, a few writes, one colour call per fill colour, a message and
opening a file.  Everything else is the project's plain functions on report data.

Findings go to their own sheet, 「校验结果」, created on the first check and
overwritten by every check; the workbook's own 「校验」 sheet (formulas) is not
touched.  The cells a check coloured are remembered on that sheet (with their
earlier fill), so the next check can give them back their fill first.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from ..errors import InputError
from ..files import allow_replace
from ..findings_text import HEADER, findings_table, first_findings, status_text, summary_line  # noqa: F401

RESULT_SHEET = "校验结果"
TITLE = "政务公开年报"
ERROR_FILL = (255, 153, 153)    # red, as the workbook's own failing-rule formatting
WARNING_FILL = (216, 191, 216)  # light purple (yellow marks input cells)
# Layout of the result sheet (row 1 = Excel row 1).
TABLE_ROW = 4          # header row of the findings table
MEMO_COLUMN = "H"      # where the coloured cells and their earlier fill are kept
MEMO_HEADER = ["已标色单元格", "原底色"]
MEMO_NOTE = "（H、I 两列供下次校验时恢复单元格原底色，请勿修改）"
MEMO_COLUMNS = ("H", "I")
# The findings table's columns (规则, 级别, 位置, 说明): widths, and the columns whose text wraps.
RESULT_WIDTHS = {"A": 8, "B": 7, "C": 30, "D": 100}
RESULT_WRAP = ("C", "D")
RESULT_ROLE = ("本表含全部规则（包括与上年度报告衔接、正文与表格一致），错误数以本表为准；工作簿自带的「校验」表是随填写"
               "自动计算的表格内公式，只含表格内能判断的规则，错误数可能较少。")
MESSAGE_FINDINGS = 5
MESSAGE_WIDTH = 90

RGB = tuple[int, int, int]


class WorkbookAccess(Protocol):
    """The few things the add-in does to an open workbook.

    Cells are named ``"sheet!A1"``; colours are ``(r, g, b)`` or ``None`` (no fill).
    """

    @property
    def path(self) -> Path:
        """Full path of the workbook file (a bare name when it was never saved)."""

    def read_grids(self) -> dict[str, list[list[Any]]]:
        """Every sheet's values, one bulk read per sheet: row 0 is Excel row 1, column 0 is A."""

    def clear_sheet(self, sheet: str) -> None:
        """Empty a sheet's values (keeping its formats), creating the sheet at the end if missing."""

    def write_range(self, sheet: str, top_left: str, rows: list[list[Any]]) -> None:
        """Write a block of values with its top-left cell at ``top_left`` (e.g. ``"A1"``)."""

    def lay_out(self, sheet: str, widths: dict[str, float], wrap: tuple[str, ...] = (),
                hidden: tuple[str, ...] = ()) -> None:
        """Column widths (by letter), columns whose text wraps, and columns to hide."""

    def colours(self, cells: list[str]) -> dict[str, RGB | None]:
        """The current fill colour of each cell."""

    def colour(self, cells: list[str], rgb: RGB | None) -> None:
        """Give all ``cells`` one fill colour (``None`` removes the fill)."""

    def message(self, text: str) -> None:
        """Tell the user something (a message box in Excel)."""

    def open_file(self, path: Path) -> None:
        """Open a written file for the user (Excel opens a workbook, Word a report)."""

    def save(self) -> None:
        """Keep what was written (a file access saves; Excel leaves saving to the user)."""

    def formulas(self) -> dict[str, str]:
        """Every formula of every sheet: ``"sheet!A1"`` -> its text."""

    def freeze(self, cells: list[str]) -> None:
        """Replace the formula in each cell (with all the cells it spills into) by the values it shows."""


@dataclass
class Outcome:
    """What a run did, for callers and tests."""

    ok: bool                       # no rule errors (check), or the file was written
    findings: list = field(default_factory=list)
    written: Path | None = None
    message: str = ""
    unusable: bool = False         # the workbook could not be read (or was never saved)


# ---------------------------------------------------------------- reading
def read_source(access: WorkbookAccess):
    """The workbook's report as a ``Source``, from one bulk read of the workbook (InputError in Chinese)."""
    from .. import loading
    grids = access.read_grids()
    return loading.from_workbook_grids(grids, access.path), grids


def assess(access: WorkbookAccess):
    """(the verdict, the sheets' values): every rule, last year's file found as ``nianbao check`` finds it."""
    from .. import loading
    source, grids = read_source(access)
    return loading.assess(source), grids


# ---------------------------------------------------------------- check
def coloured_cells(findings) -> dict[str, RGB]:
    """The cells to colour and their fill (an error's red wins over a warning's purple)."""
    from ..formats import sum_rule_ids
    sum_rules = sum_rule_ids()  # the first location states the wrong total; the parts stay uncoloured
    out: dict[str, RGB] = {}
    for f in findings:
        locs = f.locations[:1] if f.rule in sum_rules else f.locations
        fill = ERROR_FILL if f.severity == "error" else WARNING_FILL
        for loc in locs:
            if out.get(loc) != ERROR_FILL:
                out[loc] = fill
    return out


def split_cell(cell: str) -> tuple[str, str]:
    """``"表三!D7"`` -> ``("表三", "D7")`` (quotes around the sheet name and ``$`` signs dropped)."""
    sheet, _, addr = cell.rpartition("!")
    return sheet.strip("'"), addr.replace("$", "")


def _hex(rgb: RGB | None) -> str:
    return "" if rgb is None else "%02X%02X%02X" % tuple(int(c) for c in rgb[:3])


def _unhex(text: Any) -> RGB | None:
    t = str(text or "").strip().lstrip("#")
    if len(t) != 6:
        return None
    try:
        return int(t[0:2], 16), int(t[2:4], 16), int(t[4:6], 16)
    except ValueError:
        return None


def _memo(grids: dict) -> dict[str, RGB | None]:
    """Cells coloured by the last check, with their fill before it (from the result sheet)."""
    grid = grids.get(RESULT_SHEET) or []
    col = ord(MEMO_COLUMN) - ord("A")
    out: dict[str, RGB | None] = {}
    for row in grid[TABLE_ROW:]:
        cell = row[col] if len(row) > col else None
        if isinstance(cell, str) and "!" in cell:
            out[cell] = _unhex(row[col + 1] if len(row) > col + 1 else None)
    return out


def _group(cells: dict[str, RGB | None]) -> dict[RGB | None, list[str]]:
    groups: dict[RGB | None, list[str]] = {}
    for cell, rgb in cells.items():
        groups.setdefault(rgb, []).append(cell)
    return groups


def _first_findings(findings, limit: int = MESSAGE_FINDINGS) -> list[str]:
    return first_findings(findings, limit, MESSAGE_WIDTH)


def _guard(access: WorkbookAccess, action: Callable[[], Outcome]) -> Outcome:
    """Run an action; unusable input becomes a Chinese message instead of a traceback."""
    try:
        if not Path(access.path).is_absolute():
            raise InputError("请先保存本工作簿（文件 → 另存为），再使用此功能")
        return action()
    except InputError as e:
        text = f"无法完成：{e}"
        access.message(text)
        return Outcome(False, message=text, unusable=True)


def run_check(access: WorkbookAccess, now: _dt.datetime | None = None) -> Outcome:
    """The 校验 button: all rules, findings to 「校验结果」, offending cells coloured, a summary box."""
    return _guard(access, lambda: _check(access, now or _dt.datetime.now()))


def _check(access: WorkbookAccess, now: _dt.datetime) -> Outcome:
    verdict, grids = assess(access)
    report, findings = verdict.report, list(verdict.findings)
    note = "\n".join(verdict.notes)
    old = _memo(grids)
    new = coloured_cells(findings)
    # Earlier fill of every cell coloured now: remembered if the last check coloured it too.
    unknown = [c for c in new if c not in old]
    before = dict(access.colours(unknown)) if unknown else {}
    before.update({c: old[c] for c in new if c in old})
    restore = {c: rgb for c, rgb in old.items() if c not in new}

    rows: list[list[Any]] = [
        [f"校验结果（全部规则；由「{TITLE}」选项卡的「校验」按钮或 nianbao addin run check 生成，每次校验时覆盖）"],
        [f"{summary_line(report, findings)}；校验时间：{now:%Y-%m-%d %H:%M}"],
        [(note or ("已与上年度报告做衔接校验。" if verdict.previous is not None else
                   "未设置上年度文件：如在「基本信息」表填写上年度工作簿路径，可同时校验与上年的衔接。"))
         + RESULT_ROLE],
    ]
    rows += findings_table(findings)
    memo = [[MEMO_NOTE, ""], list(MEMO_HEADER)] + [[c, _hex(before.get(c))] for c in new]
    access.clear_sheet(RESULT_SHEET)
    access.write_range(RESULT_SHEET, "A1", rows)
    access.write_range(RESULT_SHEET, f"{MEMO_COLUMN}{TABLE_ROW - 1}", memo)
    access.lay_out(RESULT_SHEET, RESULT_WIDTHS, wrap=RESULT_WRAP, hidden=MEMO_COLUMNS)
    for rgb, cells in _group(restore).items():
        access.colour(cells, rgb)
    for rgb, cells in _group(new).items():
        access.colour(cells, rgb)
    access.save()

    lines = [summary_line(report, findings)]
    if findings:
        lines.append("")
        lines += _first_findings(findings)
        lines.append("")
        lines.append(f"全部结果见「{RESULT_SHEET}」表；有问题的单元格已标色（红色为错误，紫色为提示）。")
    if note:
        lines.append(note)
    text = "\n".join(lines)
    access.message(text)
    return Outcome(verdict.errors == 0, findings, None, text)


# ---------------------------------------------------------------- export
def is_locked(path: Path) -> bool:
    """True when the file exists and another program (Word, WPS, LibreOffice) has it open."""
    if not path.exists():
        return False
    name = path.name
    lock_names = {f".~lock.{name}#", "~$" + name, "~$" + name[1:], "~$" + name[2:]}
    if any((path.parent / n).exists() for n in lock_names if len(n) > 2):
        return True
    try:  # Windows refuses a write handle while Word has the file open
        with open(path, "r+b"):
            pass
    except OSError:
        return True
    return False


def with_time_suffix(path: Path, now: _dt.datetime) -> Path:
    """``name-YYYYMMDD-HHMMSS.ext`` beside ``path`` (a counter is added if that exists too)."""
    stem = f"{path.stem}-{now:%Y%m%d-%H%M%S}"
    candidate = path.with_name(stem + path.suffix)
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{stem}-{n}{path.suffix}")
        n += 1
    return candidate


def run_export(access: WorkbookAccess, now: _dt.datetime | None = None, replace: bool = False) -> Outcome:
    """The 导出Word button: the Word report next to the workbook, then open it.

    A report of the same name is never overwritten (it may have been edited in Word): the new one gets
    a name with the time, unless ``replace`` (``nianbao addin run export --force``) and it is not open.
    """
    return _guard(access, lambda: _export(access, now or _dt.datetime.now(), replace))


def _export(access: WorkbookAccess, now: _dt.datetime, replace: bool = False) -> Outcome:
    from .. import word
    verdict, _ = assess(access)
    report, findings = verdict.report, list(verdict.findings)
    note = "\n".join(verdict.notes)
    usual = Path(access.path).parent / Path(word.default_name(report)).name
    locked = is_locked(usual)
    renamed = locked or (usual.exists() and not replace)
    target = with_time_suffix(usual, now) if renamed else usual
    if not renamed and replace:
        allow_replace(target)
    try:
        written = Path(word.export(report, target, draft=bool(verdict.errors)))
    except PermissionError:  # opened in the meantime, or a read-only file or folder entry
        renamed = locked = True
        written = Path(word.export(report, with_time_suffix(usual, now), draft=bool(verdict.errors)))
    lines = [f"已导出 Word 报告：{written}"]
    if renamed:
        lines.append("（同名报告正在被打开或无法覆盖，已另存为带时间的新文件名。）" if locked else
                     "（同名报告已存在，为免覆盖其中可能做过的修改，已另存为带时间的新文件名。）")
    if verdict.errors:
        lines.append(f"注意：报告还有 {status_text(findings)}，请改正后重新导出再发布。")
        lines += _first_findings([f for f in findings if f.is_error], 3)
    elif findings:
        lines.append(f"校验：{status_text(findings)}（无错误；提示请逐条核对）。")
    if note:
        lines.append(note)
    text = "\n".join(lines)
    access.open_file(written)
    access.message(text)
    return Outcome(True, findings, written, text)


# ---------------------------------------------------------------- web page and 一图读懂
def run_publish(access: WorkbookAccess, now: _dt.datetime | None = None, replace: bool = False) -> Outcome:
    """The 网页和一图读懂 button: beside the workbook, the web page for the website (.html) and the
    一图读懂 picture (.png, and .svg for print) under the Word report's name, then open the picture.

    As for the Word report, existing files are never overwritten: the new ones get a name with the time
    (all three the same), unless ``replace`` (``nianbao addin run publish --force``) and none is open.
    """
    return _guard(access, lambda: _publish(access, now or _dt.datetime.now(), replace))


def _publish(access: WorkbookAccess, now: _dt.datetime, replace: bool = False) -> Outcome:
    from .. import figure, web, word  # the drawing library is imported by figure.export, on this click only
    verdict, _ = assess(access)
    report, findings = verdict.report, list(verdict.findings)
    usual = Path(access.path).parent / Path(word.default_name(report)).name

    def names(docx: Path) -> list[Path]:
        return [web.default_name(docx), *figure.default_names(docx)]

    taken = [p for p in names(usual) if p.exists()]
    renamed = bool(taken) and (not replace or any(is_locked(p) for p in taken))
    base = usual
    if renamed:  # one time suffix for all three (a counter when those exist too)
        stem, n = f"{usual.stem}-{now:%Y%m%d-%H%M%S}", 1
        base = usual.with_name(stem + usual.suffix)
        while any(p.exists() for p in names(base)):
            n += 1
            base = usual.with_name(f"{stem}-{n}{usual.suffix}")
    html, png, svg = names(base)
    if replace and not renamed:
        for p in taken:  # the user asked for them to be replaced (--force)
            allow_replace(p)
    figure.check_fonts()
    draft = bool(verdict.errors)
    web.export(report, html, draft=draft)
    figure.export(report, png, svg, draft=draft)
    lines = [f"已导出网页：{html}", f"已导出「一图读懂」图片：{png}（供印刷的矢量图：{svg.name}）",
             "网页是供网站发布的文章片段（标题、正文和三张表格），可把它的内容粘贴到网站编辑器的源代码模式中。"]
    if renamed:
        lines.append("（同名文件已存在，为免覆盖，已另存为带时间的新文件名。）")
    if verdict.errors:
        lines.append(f"注意：报告还有 {status_text(findings)}，网页和图片均印有「（校验未通过，仅供核对）」，请改正后重新导出再发布。")
    text = "\n".join(lines)
    access.open_file(png)
    access.message(text)
    return Outcome(True, findings, png, text)


# ---------------------------------------------------------------- new year
WORKBOOK_NAME_END = "年报工作簿"   # a workbook's name ends so; its Word report's ends in 「年度报告」
REPORT_NAME_END = "年度报告"


def workbook_name(report) -> str:
    """「<机关><年度>年度政府信息公开工作年报工作簿.xlsx」: the Word report's name with its own ending,
    so the workbook and the report it exports cannot be mistaken for each other."""
    from .. import word
    stem = Path(word.default_name(report)).stem
    if stem.endswith(REPORT_NAME_END):
        stem = stem[: -len(REPORT_NAME_END)]
    return f"{stem}{WORKBOOK_NAME_END}.xlsx"


def next_year_path(next_report, book_path: Path) -> Path:
    """Next year's workbook beside this one: 「<机关><年度>年度政府信息公开工作年报工作簿.xlsx」."""
    return book_path.parent / workbook_name(next_report)


def run_new_year(access: WorkbookAccess, now: _dt.datetime | None = None, replace: bool = False,
                 register: bool | None = None) -> Outcome:
    """The 新建下一年度 button: next year's workbook carried over from this one, then open it.

    The same as ``nianbao new --from THIS.xlsx``, from the values Excel shows now (unsaved edits
    included), and with this workbook recorded as last year's file for the next checks.  A workbook of
    the same name is never overwritten (a new name with the time is taken) unless ``replace``.
    ``register``: next year's workbook in register mode (default: when this one is).
    """
    return _guard(access, lambda: _new_year(access, now or _dt.datetime.now(), replace, register))


def _new_year(access: WorkbookAccess, now: _dt.datetime, replace: bool = False,
              register: bool | None = None) -> Outcome:
    from .. import carryover, formats, workbook
    report = read_source(access)[0].report
    book_path = Path(access.path)
    year = report.year + 1
    from ..errors import InputError
    from ..model import MAX_YEAR
    if year > MAX_YEAR:
        raise InputError(f"报告年度已是 {report.year} 年，不能再新建下一年度（年度上限为 {MAX_YEAR} 年）",
                         path=str(access.path), where=workbook.info_address("year"))
    carried = carryover.carry_over(report, year, formats.id_for_year(year))
    nxt = carried.report
    nxt.previous = str(book_path)
    target = next_year_path(nxt, book_path)
    renamed = target.exists() and not (replace and not is_locked(target) and target != book_path)
    if renamed:  # never overwrite a workbook someone may already have filled in
        target = with_time_suffix(target, now)
    elif replace:
        allow_replace(target)
    registered = write_next_year(report, nxt, target, register)
    lines = [f"已新建 {year} 年度工作簿：{target}",
             "已结转：上年结转申请数、现行有效件数基数、机关信息和正文小标题，并起草了数字与表格绑定的正文段落；本工作簿已作为上年度文件填入新工作簿的"
             "「基本信息」表，校验时会自动检查与上年的衔接。"]
    if registered:
        lines.append(registered)
    if carried.missing:
        lines.append(f"本年度报告（{report.format}年格式）没有以下数据，未能结转，请手工填写：{'、'.join(carried.missing)}。")
    if renamed:
        lines.append("（同名工作簿已存在，为免覆盖，已使用带时间的新文件名。）")
    text = "\n".join(lines)
    access.open_file(target)
    access.message(text)
    return Outcome(True, [], target, text)


def write_next_year(report, nxt, target: Path, register: bool | None = None) -> str:
    """Write next year's workbook; in register mode (``register``, or by default when this year's workbook
    kept registers) with every application and case still open at this year's end carried into its
    registers.  Returns the line telling what was carried ('' in typed mode)."""
    from .. import register as reg
    from .. import workbook
    if register is None:
        register = report.register is not None
    if not register:
        workbook.write(nxt, target, previous=report)
        return ""
    from ..workbook.register import write_register
    rows = reg.carry_rows(report.fmt, nxt.fmt, reg.open_rows(report.fmt, report.year, report.register))
    write_register(nxt, target, previous=report, rows=rows)
    if report.register is None:
        return ("台账模式：新年度的表三、表四按台账自动计数。本工作簿没有台账：请把本年底尚未办结的申请按原收到日期登记到新工作簿的"
                "「依申请台账」，否则「上年结转」按台账计为0，与本年的「结转下年度继续办理」不符（规则 X-1 会指出）。")
    return (f"台账模式：已结转尚未办结的申请 {len(rows.get('applications', []))} 件、"
            f"案件 {len(rows.get('cases', []))} 件（保留原收到日期），新年度的表三、表四按台账自动计数。")


# ---------------------------------------------------------------- help
HELP_TEXT = """「政务公开年报」选项卡
· 校验：按官方格式的全部规则（勾稽关系、空白单元格、正文与表格一致等）检查本工作簿。结果写入「校验结果」表，有问题的单元格标色（红色为错误，紫色为提示）。在「基本信息」表填写上年度工作簿路径后，还会检查与上年的衔接（上年结转、现行有效件数）。
· 导出Word：在本工作簿所在文件夹生成公文格式的 Word 报告并打开。同名报告正在打开时，另存为带时间的新文件名。
· 网页和一图读懂：在本工作簿所在文件夹生成供网站发布的网页（.html，含三张表格）和「一图读懂」图片（.png，另有供印刷的 .svg），并打开图片。
· 新建下一年度：以本工作簿为上年度生成下一年度的工作簿并打开。
· 函数转为数值：把本工作簿中的 NB_STATUS、NB_FINDINGS 函数换成当前结果，发给别人（别的电脑、WPS、LibreOffice）之前使用。
工作表函数：在括号中各区域以外的空白单元格（例如新建一个工作表）输入下面一行（按 Ctrl+C 可复制本提示框的文字）：
{status}
显示「通过」或「N处错误，M处提示」；把 NB_STATUS 换成 NB_FINDINGS 则列出全部问题（规则、级别、位置、说明）。括号中是要校验的各表区域，这些单元格改动时函数自动重算。
无法运行时：请查看 nianbao 文档 docs/addin.md（安装、宏安全设置、受信任位置、Defender 规则、常见问题）。"""


def help_text() -> str:
    from .functions import formula
    guide = Path(__file__).resolve().parents[3] / "docs" / "addin.md"
    text = HELP_TEXT.format(status=formula("NB_STATUS"))
    if guide.is_file():
        text += f"\n完整说明：{guide}"
    return text


def run_help(access: WorkbookAccess) -> Outcome:
    """The 使用说明 button."""
    text = help_text()
    access.message(text)
    return Outcome(True, message=text)


# ---------------------------------------------------------------- the functions' links
NB_FUNCTION = re.compile(r"\bNB_(?:STATUS|FINDINGS)\s*\(", re.IGNORECASE)


def run_unlink(access: WorkbookAccess) -> Outcome:
    """The 函数转为数值 button: every =NB_STATUS / =NB_FINDINGS formula replaced by the values it shows.

    A workbook holding those formulas links to the add-in's file; on a PC where the add-in sits
    elsewhere or is missing, in WPS and in LibreOffice they show #NAME? and Excel asks to update links.
    The workbook's own 「校验」 sheet (native formulas) keeps checking everywhere.
    """
    return _guard(access, lambda: _unlink(access))


def _unlink(access: WorkbookAccess) -> Outcome:
    cells = [cell for cell, text in access.formulas().items() if NB_FUNCTION.search(text)]
    if not cells:
        text = "本工作簿中没有 NB_STATUS、NB_FINDINGS 函数，无需转换，可以直接发送。"
        access.message(text)
        return Outcome(True, message=text)
    access.freeze(cells)
    access.save()
    text = (f"已把 {len(cells)} 个 NB_STATUS、NB_FINDINGS 函数换成当前显示的结果（{'、'.join(cells[:5])}"
            f"{'等' if len(cells) > 5 else ''}），工作簿不再链接到加载项，在别的电脑、WPS 和 LibreOffice 中打开不会"
            f"显示 #NAME? 或询问更新链接。换成的结果不再随表格变化；工作簿自带的「校验」表照常自动校验。"
            f"请保存后再发送。")
    access.message(text)
    return Outcome(True, message=text)


ACTIONS = {"check": run_check, "export": run_export, "publish": run_publish, "new-year": run_new_year,
           "unlink": run_unlink}

