"""The 函数转为数值 button / ``nianbao addin run unlink``: a workbook holding =NB_STATUS / =NB_FINDINGS links to
the add-in's file (other PCs, WPS and LibreOffice show #NAME?); the action replaces those formulas by the
results they show, keeping every other formula.

The file case uses a workbook shaped as Excel saves one: the functions' cached results in the cells, a
spilled NB_FINDINGS stored as an array formula, and an external link part naming nianbao.xlam.  The Excel
case goes through the xlwings adapter with a small stand-in for the COM objects it touches."""
from __future__ import annotations

import re
import shutil
import types
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.packaging.relationship import Relationship
from openpyxl.workbook.external_link.external import ExternalBook, ExternalLink
from openpyxl.worksheet.formula import ArrayFormula

from nianbao import examples, workbook
from nianbao.addin import actions, functions, xl
from nianbao.addin.file_access import XlsxAccess
from nianbao.cli import main
from nianbao.safetext import put

STATUS_SHOWN = "0处错误，7处提示"
FINDINGS_SHOWN = [["规则", "级别", "位置", "说明"], ["N-1", "提示", "正文!C3", "=HYPERLINK(\"x\") 与表格不符"]]
ADDIN_PATH = "C:\\Users\\clerk\\AppData\\Roaming\\Microsoft\\Excel\\XLSTART\\nianbao.xlam"


def _as_excel_saved_it(path: Path) -> None:
    """Give the NB cells the results Excel would have saved with them (openpyxl writes none)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    name = next(n for n, d in parts.items() if n.startswith("xl/worksheets/") and b"NB_STATUS" in d)
    xml = parts[name].decode("utf-8")
    xml, n = re.subn(r'<c r="B2"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?</c>',
                     lambda m: f'<c r="B2"{m.group(1)} t="str"><f>{m.group(2)}</f><v>{STATUS_SHOWN}</v></c>', xml)
    assert n == 1
    xml, n = re.subn(r'<c r="B4"([^>]*)><f t="array" ref="B4:E5">(.*?)</f><v\s*/?>(</v>)?</c>',
                     lambda m: f'<c r="B4"{m.group(1)} t="str"><f t="array" ref="B4:E5">{m.group(2)}</f>'
                               f'<v>{FINDINGS_SHOWN[0][0]}</v></c>', xml)
    assert n == 1
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n_, d in parts.items():
            z.writestr(n_, d)


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Path:
    """The seed's workbook with a sheet of NB functions, as Excel saves it."""
    path = tmp_path_factory.mktemp("unlink") / "年报.xlsx"
    workbook.write(examples.load("seed"), path)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("状态")
    ranges = ",".join(functions.judged_ranges())
    ws["A2"] = "校验状态"
    ws["B2"] = f"=[1]!NB_STATUS({ranges})"
    ws["B4"] = ArrayFormula("B4:E5", f"=[1]!NB_FINDINGS({ranges})")
    for j, v in enumerate(FINDINGS_SHOWN[0][1:], start=3):
        put(ws.cell(4, j), v)
    for j, v in enumerate(FINDINGS_SHOWN[1], start=2):  # the spilled results Excel saved, as text
        put(ws.cell(5, j), v)
    link = ExternalLink(externalBook=ExternalBook(id="rId1"))
    link.file_link = Relationship(type="externalLinkPath", Target=ADDIN_PATH, TargetMode="External", Id="rId1")
    wb._external_links.append(link)
    wb.save(path)
    _as_excel_saved_it(path)
    return path


def _formulas(path: Path) -> dict[str, str]:
    return XlsxAccess(path).formulas()


def test_unlink_replaces_the_functions_by_their_results_and_keeps_the_rest(linked, tmp_path, capsys):
    book = tmp_path / linked.name
    shutil.copyfile(linked, book)
    before = _formulas(book)
    nb = sorted(c for c, f in before.items() if "NB_" in f)
    assert nb == ["状态!B2", "状态!B4"]
    original = book.read_bytes()

    assert main(["addin", "run", "unlink", str(book)]) == 0
    out = capsys.readouterr().out
    sent = tmp_path / "年报（发送用）.xlsx"
    assert f"已写入：{sent}" in out and "2 个 NB_STATUS、NB_FINDINGS 函数" in out
    assert book.read_bytes() == original  # the workbook itself is untouched

    after = _formulas(sent)
    assert not [f for f in after.values() if actions.NB_FUNCTION.search(f)]
    # every other formula (the tables' totals, the 「校验」 sheet) is kept as it was
    assert after == {c: f for c, f in before.items() if c not in nb}
    ws = openpyxl.load_workbook(sent)["状态"]
    assert ws["B2"].value == STATUS_SHOWN and ws["B2"].data_type == "s"
    shown = [[ws.cell(r, c).value for c in range(2, 6)] for r in (4, 5)]
    assert shown == FINDINGS_SHOWN
    with zipfile.ZipFile(sent) as z:
        names = z.namelist()
        assert not [n for n in names if n.startswith("xl/externalLinks/")]
        assert b"nianbao.xlam" not in b"".join(z.read(n) for n in names)
    with zipfile.ZipFile(linked) as z:  # the link was there to remove
        assert any(b"nianbao.xlam" in z.read(n) for n in z.namelist() if n.startswith("xl/externalLinks/"))
    # the copy is still a report workbook nianbao reads the same way
    assert workbook.read(sent)[0].to_dict() == workbook.read(book)[0].to_dict()


def test_unlink_without_functions_writes_nothing(tmp_path, capsys):
    book = tmp_path / "年报.xlsx"
    workbook.write(examples.load("seed"), book)
    assert main(["addin", "run", "unlink", str(book)]) == 0
    assert "没有 NB_STATUS、NB_FINDINGS 函数" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["年报.xlsx"]


def test_unlink_never_replaces_an_existing_copy(linked, tmp_path, capsys):
    book = tmp_path / linked.name
    shutil.copyfile(linked, book)
    existing = tmp_path / "年报（发送用）.xlsx"
    existing.write_bytes(b"keep")
    assert main(["addin", "run", "unlink", str(book)]) == 2
    assert existing.read_bytes() == b"keep"
    assert main(["addin", "run", "unlink", str(book), "--force"]) == 0
    assert existing.read_bytes() != b"keep"


# ---------------------------------------------------------------- in Excel, through the xlwings adapter
class Area:
    """A COM Range: values, and the formula that fills it (a spill or a legacy array)."""

    def __init__(self, sheet, cells):
        self.sheet, self.cells = sheet, cells

    @property
    def Value(self):
        if len(self.cells) == 1:
            return self.sheet.values.get(self.cells[0])
        rows = sorted({r for r, _ in self.cells})
        cols = sorted({c for _, c in self.cells})
        return tuple(tuple(self.sheet.values.get((r, c)) for c in cols) for r in rows)

    @Value.setter
    def Value(self, values):
        assert not self.sheet.protected, "write to a protected sheet"
        rows = values if isinstance(values, tuple) else ((values,),)
        for (r, c) in self.cells:
            r0, c0 = self.cells[0]
            self.sheet.values[(r, c)] = rows[r - r0][c - c0]
            self.sheet.formulas.pop((r, c), None)

    def ClearContents(self):
        assert not self.sheet.protected, "clear on a protected sheet"
        if self.cells[0] in self.sheet.spills and len(self.cells) == 1:
            raise AssertionError("clearing only the anchor of a spill")
        for cell in self.cells:
            self.sheet.values.pop(cell, None)
            self.sheet.formulas.pop(cell, None)

    @property
    def HasSpill(self):
        return self.cells[0] in self.sheet.spills

    @property
    def SpillingToRange(self):
        return Area(self.sheet, self.sheet.spills[self.cells[0]])

    @property
    def HasArray(self):
        return False


class Sheet:
    def __init__(self, book, name, values, formulas, spills=None):
        self.book, self.name = book, name
        self.values, self.formulas, self.spills = values, formulas, spills or {}
        self.protected = True
        p = types.SimpleNamespace(**{k: False for k in xl.PROTECTION_OPTIONS})
        self.api = types.SimpleNamespace(ProtectContents=True, ProtectDrawingObjects=True, ProtectScenarios=True,
                                         ProtectionMode=False, Protection=p,
                                         Unprotect=lambda pw: setattr(self, "protected", False),
                                         Protect=lambda **kw: setattr(self, "protected", True))

    @property
    def used_range(self):
        cells = set(self.values) | set(self.formulas)
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        sheet = self

        class Used:
            row, column = min(rows), min(cols)

            @property
            def formula(self):  # as COM gives it: a tuple of rows, or the text itself for one cell
                grid = tuple(tuple(sheet.formulas.get((r, c), sheet.values.get((r, c)))
                                   for c in range(min(cols), max(cols) + 1)) for r in range(min(rows), max(rows) + 1))
                return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid
        return Used()

    def range(self, addr):
        from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
        col, row = coordinate_from_string(addr)
        return types.SimpleNamespace(api=Area(self, [(row, column_index_from_string(col))]))


def test_unlink_in_excel_freezes_the_spill_and_breaks_the_link(tmp_path, fake_book):
    book = fake_book
    import sys
    sys.modules["xlwings"].Book = types.SimpleNamespace(caller=lambda: book)
    exec("import nianbao.addin.xl as m; m.unlink()", {})
    status, other = book.sheets
    assert status.values[(2, 2)] == STATUS_SHOWN and (2, 2) not in status.formulas
    shown = [[status.values[(r, c)] for c in range(2, 6)] for r in (4, 5)]
    # text Excel would read as a formula is written with the apostrophe that keeps it text
    assert shown == [[("'" + v if v.startswith("=") else v) for v in row] for row in FINDINGS_SHOWN]
    assert status.formulas == {} and status.protected  # protected again afterwards
    assert other.formulas == {(1, 1): "=SUM(B1:B3)"}  # other formulas untouched
    assert book.broken == [ADDIN_PATH]
    assert "2 个 NB_STATUS、NB_FINDINGS 函数" in book.alerts[0]


@pytest.fixture
def fake_book(monkeypatch, tmp_path):
    import sys
    mod = types.ModuleType("xlwings")
    mod.func = lambda **kw: (lambda f: f)
    monkeypatch.setitem(sys.modules, "xlwings", mod)
    book = types.SimpleNamespace(fullname=str(tmp_path / "年报.xlsx"), alerts=[], broken=[])
    values = {(2, 1): "校验状态", (2, 2): STATUS_SHOWN}
    spill = [(r, c) for r in (4, 5) for c in range(2, 6)]
    for (r, c) in spill:
        values[(r, c)] = FINDINGS_SHOWN[r - 4][c - 2]
    ranges = ",".join(functions.judged_ranges())
    status = Sheet(book, "状态", values, {(2, 2): f"=NB_STATUS({ranges})", (4, 2): f"=NB_FINDINGS({ranges})"},
                   spills={(4, 2): spill})
    other = Sheet(book, "表三", {}, {(1, 1): "=SUM(B1:B3)"})  # a one-cell sheet

    class Sheets(list):
        def __getitem__(self, key):
            return next(s for s in self if s.name == key) if isinstance(key, str) else list.__getitem__(self, key)

    book.sheets = Sheets([status, other])
    book.app = types.SimpleNamespace(alert=lambda text, title=None: book.alerts.append(text))
    book.api = types.SimpleNamespace(LinkSources=lambda kind: (ADDIN_PATH,) if kind == 1 else None,
                                     BreakLink=lambda Name, Type: book.broken.append(Name))
    return book


def test_libreoffice_shows_name_errors_before_and_the_results_after(linked, tmp_path):
    """A real engine (LibreOffice, every formula recalculated on load): the functions Excel saved show
    #NAME? there; in the copy for sending they are the results, and the 「校验」 sheet's native formulas
    compute the same as in the original."""
    from nianbao import office
    book = tmp_path / "原件.xlsx"
    shutil.copyfile(linked, book)
    assert main(["addin", "run", "unlink", str(book), "-o", str(tmp_path / "发送.xlsx")]) == 0
    outs = office.convert_many([book, tmp_path / "发送.xlsx"], office.CSV_ALL_SHEETS, tmp_path / "csv")

    def sheet(prefix: Path, name: str) -> str:
        return (prefix.parent / f"{prefix.name}-{name}.csv").read_text(encoding="utf-8")

    before, after = outs
    assert "#NAME?" in sheet(before, "状态")
    assert "#NAME?" not in sheet(after, "状态") and STATUS_SHOWN in sheet(after, "状态")
    assert "N-1,提示,正文!C3," in sheet(after, "状态") and "与表格不符" in sheet(after, "状态")
    assert "Err:" not in sheet(after, "状态")  # a quoted 「=…」 stays text
    assert sheet(after, "校验") == sheet(before, "校验") and "通过" in sheet(after, "校验")


UNOPENABLE = ("xlsx-empty", "xlsx-random", "xlsx-renamed-docx", "xlsx-encrypted", "xls-renamed-xlsx",
              "xlsx-part-bomb-ratio", "xlsx-directory", "xlsx-symlink-dev-zero", "xlsx-too-big")


def test_unlink_on_hostile_files_says_why_and_changes_nothing(tmp_path, capsys):
    """Files of the hostile-input corpus (tests/bad_corpus.py) that no command can open: unlink reads
    them through the same limited loader, so it refuses each with the corpus's Chinese message."""
    import bad_corpus as corpus
    base = corpus.make_base(tmp_path / "base")
    cases = {c.id: c for c in corpus.workbook_cases()}
    for case_id in UNOPENABLE:
        case = cases[case_id]
        folder = tmp_path / case_id
        folder.mkdir()
        f = case.build(folder, base)
        before = sorted(p.name for p in folder.iterdir())
        digest = f.read_bytes()[:4096] if f.is_file() and not f.is_symlink() else None
        assert main(["addin", "run", "unlink", str(f)]) == 2, case_id
        err = capsys.readouterr().err
        assert err.startswith("无法") and all(s in err for s in case.says), (case_id, err)
        assert "Traceback" not in err
        assert sorted(p.name for p in folder.iterdir()) == before  # nothing written beside it
        if digest is not None:
            assert f.read_bytes()[:4096] == digest
