"""The xlwings adapter (nianbao.addin.xl) end to end, with a stand-in for xlwings.

Real xlwings cannot reach Excel on Linux, so these tests put a small fake ``xlwings``
module in ``sys.modules``: ``Book.caller()`` returns a book that holds the values
Excel would show (read from a real workbook file) and records what the adapter
writes, colours and shows.  The ribbon functions are called exactly as the VBA calls
them (``import nianbao.addin.xl as m; m.check()``) and must give what the file-based run
gives.
"""
from __future__ import annotations

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
from nianbao.addin import xl
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
    def __init__(self, sheet):
        self.sheet = sheet
        self.ProtectContents = True  # our workbooks protect their sheets (no password)
        self.Protection = types.SimpleNamespace(
            AllowFormattingCells=False, AllowFormattingColumns=True, AllowFormattingRows=True,
            AllowInsertingRows=False, AllowDeletingRows=False, AllowSorting=False, AllowFiltering=False)

    def Unprotect(self):
        self.ProtectContents = False

    def Protect(self, **kw):
        assert kw["AllowFormattingColumns"] is True  # options are given back
        self.ProtectContents = True


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
        sheet.api.ProtectContents = False
        self.insert(self.index(after) + 1, sheet)
        return sheet


class FakeBook:
    """What Excel shows of an open workbook: the values of ``path`` as our reader resolves them."""

    def __init__(self, path: Path):
        self.fullname = str(path)
        self.reads, self.calls, self.alerts, self.opened = [], [], [], []
        wb = openpyxl.load_workbook(path)
        try:
            grids = XlsxAccess(path).read_grids()
        except InputError:  # not one of our workbooks: its plain values
            grids = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
        self.sheets = FakeSheets()
        self.sheets.book = self
        for name, grid in grids.items():
            ws = wb[name]
            colors = {}
            for row in ws.iter_rows():
                for c in row:
                    if c.fill is not None and c.fill.fill_type == "solid" and isinstance(c.fill.fgColor.rgb, str):
                        h = c.fill.fgColor.rgb[-6:]
                        colors[(c.row, c.column)] = (int(h[:2], 16), int(h[2:4], 16), int(h[4:], 16))
            self.sheets.append(FakeSheet(self, name, grid, colors))
        self.app = types.SimpleNamespace(alert=lambda text, title=None: self.alerts.append((title, text)),
                                         books=types.SimpleNamespace(open=self.opened.append))


@pytest.fixture
def fake_xlwings(monkeypatch):
    """Install a fake ``xlwings`` whose ``Book.caller()`` returns the book set on it."""
    mod = types.ModuleType("xlwings")
    state = {}
    mod.Book = types.SimpleNamespace(caller=lambda: state["book"])
    mod.func = lambda **kw: (lambda f: f)
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


def test_export_and_new_year_buttons_open_what_they_wrote(planted, tmp_path, fake_xlwings, monkeypatch):
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
    run_ribbon("import nianbao.addin.xl as m; m.new_year()")
    new = tmp_path / "山东省商务厅2021年度政府信息公开工作年报工作簿.xlsx"
    assert book.opened == [str(new)] and new.is_file()
    assert book.alerts[0][1].startswith(f"已导出 Word 报告：{docx}") and "处错误" in book.alerts[0][1]
    assert book.alerts[1][1].startswith(f"已新建 2021 年度工作簿：{new}")
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


def test_worksheet_functions(planted, fake_xlwings):
    book = FakeBook(planted)
    caller = types.SimpleNamespace(sheet=types.SimpleNamespace(book=book))
    findings = list(actions.assess(XlsxAccess(planted))[0].findings)
    status = xl.nb_status(caller)
    assert re.fullmatch(r"\d+处错误，\d+处提示", status) and status == actions.status_text(findings)
    table = xl.nb_findings(caller)
    assert table == actions.findings_table(findings)
    assert table[0] == ["规则", "级别", "位置", "说明"] and len(table) == len(findings) + 1
    # Through the names the VBA uses (decorated lazily; the fake decorator is the identity).
    xl.__dict__.pop("NB_STATUS", None)
    assert xl.NB_STATUS(caller) == status
    assert not book.calls  # functions only read


def test_worksheet_function_on_a_foreign_workbook_says_why(tmp_path, fake_xlwings):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    book = FakeBook(path)
    caller = types.SimpleNamespace(sheet=types.SimpleNamespace(book=book))
    assert xl.nb_status(caller).startswith("无法校验：")
    assert xl.nb_findings(caller)[1][3].startswith("无法校验：")


def test_address_chunks_stay_under_excels_limit():
    addrs = [f"D{i}" for i in range(1, 400)]
    chunks = xl._address_chunks(addrs)
    assert all(len(c) <= 255 for c in chunks)
    assert ",".join(chunks).split(",") == addrs


def test_a_password_protected_sheet_gives_a_chinese_message(planted, tmp_path, fake_xlwings):
    book_path = tmp_path / planted.name
    shutil.copyfile(planted, book_path)
    book = FakeBook(book_path)
    fake_xlwings["book"] = book
    sheet, _ = workbook.address("2019", PLANTED).split("!")

    def refuse():
        raise RuntimeError("password")  # what COM raises when a password is needed

    book.sheets[sheet].api.Unprotect = refuse
    run_ribbon("import nianbao.addin.xl as m; m.check()")
    text = book.alerts[-1][1]
    assert text.startswith("无法完成：") and f"工作表「{sheet}」设置了密码保护" in text
    assert book.sheets[sheet].api.ProtectContents


def test_a_workbook_opened_from_a_web_address_is_asked_to_be_saved_locally(planted, fake_xlwings):
    book = FakeBook(planted)
    book.fullname = "https://example.sharepoint.com/sites/office/Shared Documents/年报.xlsx"
    fake_xlwings["book"] = book
    run_ribbon("import nianbao.addin.xl as m; m.export()")
    assert "请先另存到本机文件夹" in book.alerts[0][1]
    assert not book.calls and not book.opened
