"""The xlwings adapter (nianbao.addin.xl) end to end, with a stand-in for xlwings.

Real xlwings cannot reach Excel on Linux, so these tests put a small fake ``xlwings``
module in ``sys.modules``: ``Book.caller()`` returns a book that holds the values
Excel would show (read from a real workbook file) and records what the adapter
writes, colours and shows.  The ribbon functions are called exactly as the VBA calls
them (``import nianbao.addin.xl as m; m.check()``) and must give what the file-based run
gives.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import sys
import types
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from nianbao.addin import actions
from nianbao import examples, workbook
from nianbao.addin import functions, xl
from nianbao.errors import InputError
from nianbao.addin.file_access import XlsxAccess

PLANTED = "requests.results_total.natural"


def _cell(addr: str) -> tuple[int, int]:
    col, row = coordinate_from_string(addr)
    return row, column_index_from_string(col)


class FakeRange:
    def __init__(self, sheet, address=None, first=None, last=None):
        self.sheet = sheet
        self.address = address
        self.first, self.last = first, last
        self.options_used = {}

    def options(self, **kw):
        self.options_used = kw
        return self

    @property
    def row(self):
        return self.first[0]

    @property
    def column(self):
        return self.first[1]

    @property
    def last_cell(self):
        r = FakeRange(self.sheet, first=self.last, last=self.last)
        return r

    @property
    def value(self):
        (r0, c0), (r1, c1) = self.first, self.last
        self.sheet.book.reads.append((self.sheet.name, self.options_used))
        return [[self.sheet.get(r, c) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]

    @property
    def formula(self):
        """The cells' formulas (the values read hold formulas already where the file has them)."""
        (r0, c0), (r1, c1) = self.first, self.last
        return tuple(tuple("" if self.sheet.get(r, c) is None else str(self.sheet.get(r, c)) for c in range(c0, c1 + 1))
                     for r in range(r0, r1 + 1))

    @value.setter
    def value(self, block):
        self.sheet.book.calls.append(("write", self.sheet.name, self.address))
        r0, c0 = _cell(self.address)
        for i, row in enumerate(block):
            for j, v in enumerate(row):
                self.sheet.set(r0 + i, c0 + j, v)

    @property
    def color(self):
        return self.sheet.colors.get(_cell(self.address))

    @color.setter
    def color(self, rgb):
        assert len(self.address) <= 255, "Excel refuses longer address strings"
        self.sheet.book.calls.append(("color", self.sheet.name, self.address, rgb))
        for a in self.address.split(","):
            if rgb is None:
                self.sheet.colors.pop(_cell(a), None)
            else:
                self.sheet.colors[_cell(a)] = tuple(rgb)


class FakeColumns:
    """Whole columns (``"D:D"``): width, wrapping and hiding, recorded on the sheet."""

    def __init__(self, sheet, address):
        self.sheet, self.address = sheet, address
        layout = sheet.layout.setdefault(address, {})
        self.api = types.SimpleNamespace(EntireColumn=types.SimpleNamespace())
        self._layout = layout

    @property
    def column_width(self):
        return self._layout.get("width")

    @column_width.setter
    def column_width(self, width):
        self.sheet._guard()
        self._layout["width"] = width

    def settle(self):
        """What was set through ``api`` (read after the calls)."""
        if getattr(self.api, "WrapText", None):
            self._layout["wrap"] = True
        if getattr(self.api.EntireColumn, "Hidden", None):
            self._layout["hidden"] = True


class FakeApi:
    """A worksheet's protection as Excel keeps it: ProtectContents / ProtectDrawingObjects /
    ProtectScenarios / ProtectionMode, the Protection.Allow* options, and an optional password.
    ``Unprotect()`` without an argument would make Excel ask the user for the password."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.password = ""
        self.protect_calls: list[dict] = []
        self.unprotect_calls: list = []
        # our workbooks protect their sheets (no password), allowing column widths
        self._set(dict(Contents=True, DrawingObjects=True, Scenarios=True, UserInterfaceOnly=False,
                       **{name: name in ("AllowFormattingColumns", "AllowFormattingRows")
                          for name in xl.PROTECTION_OPTIONS}))

    def _set(self, state: dict):
        self.ProtectContents = state["Contents"]
        self.ProtectDrawingObjects = state["DrawingObjects"]
        self.ProtectScenarios = state["Scenarios"]
        self.ProtectionMode = state["UserInterfaceOnly"]
        self.Protection = types.SimpleNamespace(**{k: state[k] for k in xl.PROTECTION_OPTIONS})

    def state(self) -> dict:
        return dict(Contents=self.ProtectContents, DrawingObjects=self.ProtectDrawingObjects,
                    Scenarios=self.ProtectScenarios, UserInterfaceOnly=self.ProtectionMode,
                    **{k: getattr(self.Protection, k) for k in xl.PROTECTION_OPTIONS})

    def Unprotect(self, *args):
        self.unprotect_calls.append(args)
        if not args:
            raise AssertionError("Unprotect() with no argument: Excel would ask the user for a password")
        if args[0] != self.password:
            raise RuntimeError("The password you supplied is not correct.")  # what COM raises
        self.ProtectContents = self.ProtectDrawingObjects = self.ProtectScenarios = False

    def Protect(self, *args, **kw):
        assert not args and "Password" not in kw  # only password-less sheets are ever re-protected
        self.protect_calls.append(kw)
        self._set(kw)


class FakeSheet:
    def __init__(self, book, name, grid, colors):
        self.book, self.name = book, name
        self.cells = {(r + 1, c + 1): v for r, line in enumerate(grid) for c, v in enumerate(line or [])
                      if v is not None}
        self.colors = colors
        self.api = FakeApi(self)
        self.layout: dict[str, dict] = {}
        self.columns: list[FakeColumns] = []

    def _guard(self):
        assert not self.api.ProtectContents, f"write to protected sheet {self.name}"

    def get(self, r, c):
        return self.cells.get((r, c))

    def set(self, r, c, v):
        self._guard()
        if v is None:
            self.cells.pop((r, c), None)
        else:
            self.cells[(r, c)] = v

    @property
    def used_range(self):
        rows = max((r for r, _ in self.cells), default=1)
        cols = max((c for _, c in self.cells), default=1)
        return FakeRange(self, first=(1, 1), last=(rows, cols))

    def range(self, a, b=None):
        if b is not None:
            return FakeRange(self, first=a, last=b)
        if "," in a or ":" not in a:
            if "," not in a:
                r, c = _cell(a)
                return FakeRange(self, address=a, first=(r, c), last=(r, c))
            if self.api.ProtectContents:
                raise AssertionError("colour on a protected sheet")
            return FakeRange(self, address=a)
        first, _, last = a.partition(":")
        if first.isalpha() and first == last:
            self._guard()
            col = FakeColumns(self, a)
            self.columns.append(col)
            return col
        raise NotImplementedError(a)

    def clear_contents(self):
        self._guard()
        self.cells.clear()


class FakeSheets(list):
    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return list.__getitem__(self, key)

    def add(self, name, after=None):
        sheet = FakeSheet(self.book, name, [], {})
        sheet.api.ProtectContents = sheet.api.ProtectDrawingObjects = sheet.api.ProtectScenarios = False
        self.insert(self.index(after) + 1, sheet)
        return sheet


_SHOWN: dict = {}


def _shown(path: Path) -> list[tuple[str, list, dict]]:
    """(sheet, values, fills) of a workbook file as Excel would show it; read once per file content."""
    key = (path.read_bytes(),)
    if key not in _SHOWN:
        wb = openpyxl.load_workbook(path)
        try:
            grids = XlsxAccess(path).read_grids()
        except InputError:  # not one of our workbooks: its plain values
            grids = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
        sheets = []
        for name, grid in grids.items():
            colors = {}
            for row in wb[name].iter_rows():
                for c in row:
                    if c.fill is not None and c.fill.fill_type == "solid" and isinstance(c.fill.fgColor.rgb, str):
                        h = c.fill.fgColor.rgb[-6:]
                        colors[(c.row, c.column)] = (int(h[:2], 16), int(h[2:4], 16), int(h[4:], 16))
            sheets.append((name, grid, colors))
        _SHOWN.clear()
        _SHOWN[key] = sheets
    return copy.deepcopy(_SHOWN[key])


class FakeBook:
    """What Excel shows of an open workbook: the values of ``path`` as our reader resolves them."""

    def __init__(self, path: Path):
        self.fullname = str(path)
        self.reads, self.calls, self.alerts, self.opened = [], [], [], []
        self.sheets = FakeSheets()
        self.sheets.book = self
        for name, grid, colors in _shown(path):
            self.sheets.append(FakeSheet(self, name, grid, colors))
        self.app = types.SimpleNamespace(alert=lambda text, title=None: self.alerts.append((title, text)),
                                         books=types.SimpleNamespace(open=self.opened.append))
        self.api = types.SimpleNamespace(ProtectStructure=False)


@pytest.fixture
def fake_xlwings(monkeypatch):
    """Install a fake ``xlwings`` whose ``Book.caller()`` returns the book set on it."""
    mod = types.ModuleType("xlwings")
    state = {}
    mod.Book = types.SimpleNamespace(caller=lambda: state["book"])
    mod.func = lambda **kw: (lambda f: f)
    mod.arg = lambda *a, **kw: (lambda f: f)
    mod.Range = FakeRange
    monkeypatch.setitem(sys.modules, "xlwings", mod)
    return state


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("xl")
    path = d / "seed.xlsx"
    workbook.write(examples.load("seed"), path)
    sheet, addr = workbook.address("2019", PLANTED).split("!")
    wb = openpyxl.load_workbook(path)
    wb[sheet][addr] = 99
    wb.save(path)
    return path


def run_ribbon(command: str):
    """Run a RunPython command string the way xlwings does (a fresh namespace)."""
    exec(command, {})


def test_check_button_in_excel_matches_the_file_run(planted, tmp_path, fake_xlwings):
    book_path = tmp_path / planted.name
    shutil.copyfile(planted, book_path)
    book = FakeBook(book_path)
    fake_xlwings["book"] = book
    run_ribbon("import nianbao.addin.xl as m; m.check()")

    # One bulk read per sheet, cell errors as text.
    assert sorted(name for name, _ in book.reads) == sorted(s.name for s in book.sheets[:-1])
    assert all(opts == {"ndim": 2, "err_to_str": True} for _, opts in book.reads)
    # The findings block equals the one the file-based run writes.
    file_access = XlsxAccess(book_path)
    outcome = actions.run_check(file_access, now=dt.datetime.now())
    ws = openpyxl.load_workbook(book_path)[actions.RESULT_SHEET]
    result = book.sheets[actions.RESULT_SHEET]
    for r in range(actions.TABLE_ROW, actions.TABLE_ROW + len(outcome.findings) + 1):
        for c in range(1, 5):
            assert result.get(r, c) == ws.cell(r, c).value, (r, c)
    # The message box: title, counts, first findings.
    assert len(book.alerts) == 1
    title, text = book.alerts[0]
    assert title == "政务公开年报" and text == file_access.messages[0]
    assert actions.status_text(outcome.findings) in text
    # Colours: the wrong total red; one colour call per fill colour (per sheet, per 255 characters).
    sheet, addr = workbook.address("2019", PLANTED).split("!")
    assert book.sheets[sheet].colors[_cell(addr)] == actions.ERROR_FILL
    colour_calls = [c for c in book.calls if c[0] == "color"]
    groups: dict = {}
    for cell, fill in actions.coloured_cells(outcome.findings).items():
        sheet_name, a = cell.split("!")
        groups.setdefault((sheet_name, fill), []).append(a)
    assert {(c[1], c[3]) for c in colour_calls} == set(groups)
    assert len(colour_calls) == sum(len(xl._address_chunks(v)) for v in groups.values())
    assert sorted(a for c in colour_calls for a in c[2].split(",")) == sorted(a for v in groups.values() for a in v)
    # Sheets were protected again afterwards.
    assert all(s.api.ProtectContents for s in book.sheets if s.name != actions.RESULT_SHEET)
    # The result sheet is laid out as in the file run: widths, wrapped text, bookkeeping columns hidden.
    for col in result.columns:
        col.settle()
    for col, width in actions.RESULT_WIDTHS.items():
        assert result.layout[f"{col}:{col}"]["width"] == width
        assert ws.column_dimensions[col].width == width
    for col in actions.RESULT_WRAP:
        assert result.layout[f"{col}:{col}"]["wrap"]
    for col in actions.MEMO_COLUMNS:
        assert result.layout[f"{col}:{col}"]["hidden"] and ws.column_dimensions[col].hidden


def test_export_publish_and_new_year_buttons_open_what_they_wrote(planted, tmp_path, fake_xlwings, monkeypatch):
    book_path = tmp_path / planted.name
    shutil.copyfile(planted, book_path)
    book = FakeBook(book_path)
    fake_xlwings["book"] = book
    started = []
    monkeypatch.setattr(xl, "open_with_system", started.append)
    run_ribbon("import nianbao.addin.xl as m; m.export()")
    from nianbao import word
    docx = tmp_path / word.default_name(examples.load("seed"))
    assert started == [docx] and docx.is_file()
    run_ribbon("import nianbao.addin.xl as m; m.publish()")
    from nianbao import figure
    png = figure.default_names(docx)[0]
    assert started == [docx, png] and png.is_file() and docx.with_suffix(".html").is_file()
    run_ribbon("import nianbao.addin.xl as m; m.new_year()")
    new = tmp_path / "山东省商务厅2021年度政府信息公开工作年报工作簿.xlsx"
    assert book.opened == [str(new)] and new.is_file()
    assert book.alerts[0][1].startswith(f"已导出 Word 报告：{docx}") and "处错误" in book.alerts[0][1]
    assert book.alerts[1][1].startswith(f"已导出网页：{docx.with_suffix('.html')}")
    assert book.alerts[2][1].startswith(f"已新建 2021 年度工作簿：{new}")
    run_ribbon("import nianbao.addin.xl as m; m.show_help()")
    assert "NB_STATUS" in book.alerts[-1][1]


def test_an_unexpected_error_becomes_a_chinese_message(planted, tmp_path, fake_xlwings, monkeypatch):
    book = FakeBook(planted)
    fake_xlwings["book"] = book

    def broken(access, now=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(actions, "run_check", broken)
    run_ribbon("import nianbao.addin.xl as m; m.check()")
    assert book.alerts[0][1].startswith("操作未完成") and "boom" in book.alerts[0][1]


def judged(book) -> list[FakeRange]:
    """The ranges of the formula 「使用说明」 shows, as Excel hands them to the function (Range objects)."""
    out = []
    for ref in functions.judged_ranges():
        sheet, _, area = ref.rpartition("!")
        first, _, last = area.partition(":")
        out.append(book.sheets[sheet.strip("'")].range(_cell(first), _cell(last)))
    return out


def caller_cell(book) -> FakeRange:
    return book.sheets[0].range("Z1")


def test_worksheet_functions_judge_the_ranges_they_are_given(planted, fake_xlwings):
    functions._cache.clear()
    book = FakeBook(planted)
    findings = list(actions.assess(XlsxAccess(planted))[0].findings)
    status = xl.nb_status(caller_cell(book), *judged(book))
    assert re.fullmatch(r"\d+处错误，\d+处提示", status) and status == actions.status_text(findings)
    table = xl.nb_findings(caller_cell(book), *judged(book))
    assert table == actions.findings_table(findings)
    assert table[0] == ["规则", "级别", "位置", "说明"] and len(table) == len(findings) + 1
    # One read per range passed, nothing else of the workbook (no other sheet, no used range).
    assert len(book.reads) == 2 * len(functions.judged_ranges())
    assert {name for name, _ in book.reads} == {r.rpartition("!")[0].strip("'") for r in functions.judged_ranges()}
    assert all(opts == {"ndim": 2, "err_to_str": True} for _, opts in book.reads)
    # Through the names the VBA uses (decorated lazily; the fake decorators are the identity).
    xl.__dict__.pop("NB_STATUS", None)
    assert xl.NB_STATUS(caller_cell(book), *judged(book)) == status
    assert not book.calls  # functions only read


def test_the_same_tables_are_judged_once(planted, fake_xlwings, monkeypatch):
    from nianbao import loading
    functions._cache.clear()
    judged_calls = []
    real = loading.assess
    monkeypatch.setattr(loading, "assess", lambda *a, **kw: judged_calls.append(1) or real(*a, **kw))
    book = FakeBook(planted)
    first = xl.nb_status(caller_cell(book), *judged(book))
    xl.nb_findings(caller_cell(book), *judged(book))
    xl.nb_status(caller_cell(book), *judged(book))
    assert len(judged_calls) == 1  # NB_STATUS and NB_FINDINGS over the same values: one judgement
    # a judged cell changes (Excel recalculates the functions): judged again, with the new answer
    sheet, addr = workbook.address("2019", PLANTED).split("!")
    assert "（七）总计填报为99" in str(xl.nb_findings(caller_cell(book), *judged(book)))
    book.sheets[sheet].cells[_cell(addr)] = 14  # the planted total corrected
    second = xl.nb_status(caller_cell(book), *judged(book))
    assert len(judged_calls) == 2 and second != first
    assert "（七）总计填报为99" not in str(xl.nb_findings(caller_cell(book), *judged(book)))
    assert len(judged_calls) == 2


def test_worksheet_function_on_a_foreign_workbook_says_why(tmp_path, fake_xlwings):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    book = FakeBook(path)
    rng = book.sheets[0].range((1, 1), (5, 5))
    assert xl.nb_status(caller_cell(book), rng).startswith("无法校验：")
    assert xl.nb_findings(caller_cell(book), rng)[1][3].startswith("无法校验：")


def test_worksheet_function_without_ranges_says_what_to_type(planted, fake_xlwings):
    book = FakeBook(planted)
    assert "使用说明" in xl.nb_status(caller_cell(book))  # =NB_STATUS() with no argument
    assert xl.nb_status(caller_cell(book), None).startswith("无法校验：")  # a constant, not a range
    assert "使用说明" in xl.nb_findings(caller_cell(book), 5)[1][3]


def test_address_chunks_stay_under_excels_limit():
    addrs = [f"D{i}" for i in range(1, 400)]
    chunks = xl._address_chunks(addrs)
    assert all(len(c) <= 255 for c in chunks)
    assert ",".join(chunks).split(",") == addrs


def test_a_password_protected_sheet_keeps_its_password_and_gives_a_chinese_message(planted, tmp_path, fake_xlwings):
    book_path = tmp_path / planted.name
    shutil.copyfile(planted, book_path)
    book = FakeBook(book_path)
    fake_xlwings["book"] = book
    sheet, addr = workbook.address("2019", PLANTED).split("!")
    api = book.sheets[sheet].api
    api.password = "保密"
    before = api.state()
    run_ribbon("import nianbao.addin.xl as m; m.check()")
    text = book.alerts[-1][1]
    assert text.startswith("无法完成：") and f"工作表「{sheet}」设置了密码保护" in text and "撤销工作表保护" in text
    assert api.unprotect_calls == [("",)]  # tried without asking the user, failed at once
    assert api.protect_calls == [] and api.password == "保密" and api.state() == before
    assert _cell(addr) not in book.sheets[sheet].colors or \
        book.sheets[sheet].colors[_cell(addr)] != actions.ERROR_FILL  # nothing written to that sheet


def test_a_sheet_is_protected_again_with_its_own_options(planted, tmp_path, fake_xlwings):
    book_path = tmp_path / planted.name
    shutil.copyfile(planted, book_path)
    book = FakeBook(book_path)
    fake_xlwings["book"] = book
    sheet, addr = workbook.address("2019", PLANTED).split("!")
    api = book.sheets[sheet].api
    # protected by the clerk with unusual options: objects editable, rows insertable, filters allowed...
    own = dict(Contents=True, DrawingObjects=False, Scenarios=False, UserInterfaceOnly=True,
               **{name: name in ("AllowInsertingRows", "AllowFiltering", "AllowInsertingHyperlinks")
                  for name in xl.PROTECTION_OPTIONS})
    api._set(own)
    run_ribbon("import nianbao.addin.xl as m; m.check()")
    assert book.sheets[sheet].colors[_cell(addr)] == actions.ERROR_FILL  # the check coloured it
    assert api.unprotect_calls and all(c == ("",) for c in api.unprotect_calls)
    assert api.protect_calls and all(kw == own for kw in api.protect_calls)
    assert api.state() == own


def test_an_unprotected_sheet_stays_unprotected(planted, tmp_path, fake_xlwings):
    book_path = tmp_path / planted.name
    shutil.copyfile(planted, book_path)
    book = FakeBook(book_path)
    fake_xlwings["book"] = book
    sheet, addr = workbook.address("2019", PLANTED).split("!")
    api = book.sheets[sheet].api
    api.ProtectContents = api.ProtectDrawingObjects = api.ProtectScenarios = False
    run_ribbon("import nianbao.addin.xl as m; m.check()")
    assert book.sheets[sheet].colors[_cell(addr)] == actions.ERROR_FILL
    assert api.unprotect_calls == [] and api.protect_calls == []


def test_a_workbook_opened_from_a_web_address_is_asked_to_be_saved_locally(planted, fake_xlwings):
    book = FakeBook(planted)
    book.fullname = "https://example.sharepoint.com/sites/office/Shared Documents/年报.xlsx"
    fake_xlwings["book"] = book
    run_ribbon("import nianbao.addin.xl as m; m.export()")
    assert "请先另存到本机文件夹" in book.alerts[0][1]
    assert not book.calls and not book.opened


def test_help_and_docs_give_the_formula_that_covers_every_sheet_read():
    """The formula to type is derived from the format definitions: every sheet a report is read from,
    each range reaching the last cell the workbook writer fills; 使用说明 and docs/addin.md show it."""
    from nianbao.workbook import cells
    text = functions.formula("NB_STATUS")
    assert text in actions.help_text()
    guide = (Path(__file__).resolve().parents[1] / "docs" / "addin.md").read_text(encoding="utf-8")
    assert text in guide and functions.formula("NB_FINDINGS") in guide
    ranges = functions.judged_ranges()
    assert [r.rpartition("!")[0].strip("'") for r in ranges] == list(cells.read_sheets())
    from nianbao import formats
    for fid in formats.FORMATS:
        for key, (sheet, row, col) in cells.positions(fid).items():
            area = next(r for r in ranges if r.startswith(f"'{sheet}'!"))
            last_col, last_row = re.fullmatch(r".*:([A-Z]+)(\d+)", area).groups()
            assert row <= int(last_row) and col <= column_index_from_string(last_col), (fid, key)


def test_a_protected_workbook_structure_gives_a_chinese_message(planted, tmp_path, fake_xlwings):
    """「保护工作簿」 forbids the new 「校验结果」 sheet: say so, and write or colour nothing."""
    book_path = tmp_path / planted.name
    shutil.copyfile(planted, book_path)
    book = FakeBook(book_path)
    book.api.ProtectStructure = True
    fake_xlwings["book"] = book
    run_ribbon("import nianbao.addin.xl as m; m.check()")
    text = book.alerts[-1][1]
    assert text.startswith("无法完成：") and "结构受保护" in text and "校验结果" in text
    assert actions.RESULT_SHEET not in [s.name for s in book.sheets] and not book.calls


def test_a_changed_previous_year_file_is_judged_again(tmp_path, monkeypatch):
    """The judgement is kept by the values passed and by last year's file as it is on disk."""
    import os

    from nianbao import loading
    functions._cache.clear()
    last = tmp_path / "上年.xlsx"
    workbook.write(examples.load("seed"), last)
    report = examples.load("seed")
    report.previous = str(last)
    this = tmp_path / "本年.xlsx"
    workbook.write(report, this)
    grids = XlsxAccess(this).read_grids()
    blocks = [(name, 1, 1, grids[name]) for name in grids if name in ("基本信息", "正文", "表二", "表三", "表四")]
    judged = []
    real = loading.assess
    monkeypatch.setattr(loading, "assess", lambda *a, **kw: judged.append(1) or real(*a, **kw))
    first = functions.findings(blocks, this)
    assert functions.findings(blocks, this) == first and len(judged) == 1
    st = last.stat()
    os.utime(last, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # saved again
    functions.findings(blocks, this)
    assert len(judged) == 2
