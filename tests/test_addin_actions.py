"""The add-in's buttons, run on Linux through the same functions the ribbon calls.

The workbook is reached through the openpyxl access (XlsxAccess) over real files; the
results are compared with what the command line (`nianbao check`, `nianbao export`,
`nianbao new --from`) gives for the same files.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nianbao.addin import actions
from nianbao import examples, formats, workbook
from nianbao.cli import main
from nianbao.addin.file_access import XlsxAccess

NOW = dt.datetime(2025, 1, 15, 9, 30, 12)
PLANTED = "requests.results_total.natural"  # a total of table 三


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """The seed and the 2021 example as workbooks, and the seed with a wrong typed-over total."""
    d = tmp_path_factory.mktemp("books")
    out = {}
    for name in ("seed", "example2021"):
        out[name] = d / f"{name}.xlsx"
        workbook.write(examples.load(name), out[name])
    out["planted"] = d / "planted.xlsx"
    shutil.copyfile(out["seed"], out["planted"])
    set_cell(out["planted"], workbook.address("2019", PLANTED), 99)
    return out


def set_cell(path: Path, where: str, value) -> None:
    sheet, addr = where.split("!")
    wb = openpyxl.load_workbook(path)
    wb[sheet][addr] = value
    wb.save(path)


def copy(src: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / (name or src.name)
    shutil.copyfile(src, dest)
    return dest


def cli_findings(capsys, *args) -> dict:
    capsys.readouterr()
    code = main(["check", *map(str, args), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == (1 if data["errors"] else 0)
    return data


def result_rows(path: Path) -> list[list]:
    """The findings table of 「校验结果」 (below its header row)."""
    ws = openpyxl.load_workbook(path)[actions.RESULT_SHEET]
    rows = [[c for c in r[:4]] for r in ws.iter_rows(min_row=actions.TABLE_ROW, values_only=True)]
    assert rows[0] == actions.HEADER
    return [r for r in rows[1:] if any(v is not None for v in r)]


def expected_rows(data: dict) -> list[list]:
    if not data["findings"]:
        return [[None, None, None, "全部通过，没有发现问题"]]
    return [[f["rule"], formats.SEVERITY_ZH[f["severity"]], "、".join(f["locations"]) or None, f["message"]]
            for f in data["findings"]]


def fill(path: Path, where: str):
    sheet, addr = where.split("!")
    f = openpyxl.load_workbook(path)[sheet][addr].fill
    return f.fgColor.rgb[-6:] if f.fill_type == "solid" else None


# ---------------------------------------------------------------- check
@pytest.mark.parametrize("name", ["seed", "example2021", "planted"])
def test_check_writes_the_same_findings_as_nianbao_check(books, tmp_path, capsys, name):
    book = copy(books[name], tmp_path)
    data = cli_findings(capsys, book)
    access = XlsxAccess(book)
    outcome = actions.run_check(access, now=NOW)
    assert [(f.rule, f.severity, f.message, list(f.locations)) for f in outcome.findings] == \
        [(f["rule"], f["severity"], f["message"], f["locations"]) for f in data["findings"]]
    assert result_rows(book) == expected_rows(data)
    assert outcome.ok == data["ok"]
    assert len(access.messages) == 1 and actions.status_text(outcome.findings) in access.messages[0]
    # The checked workbook still reads back as the same report.
    assert cli_findings(capsys, book)["findings"] == data["findings"]


def test_the_planted_error_is_found_coloured_and_counted(books, tmp_path):
    book = copy(books["planted"], tmp_path)
    where = workbook.address("2019", PLANTED)
    before = fill(book, where)
    access = XlsxAccess(book)
    outcome = actions.run_check(access, now=NOW)
    errors = [f for f in outcome.findings if f.severity == "error"]
    assert errors and all(f.rule.startswith("T3") for f in errors)
    assert any(f.locations[0] == where for f in errors)
    assert fill(book, where) == "%02X%02X%02X" % actions.ERROR_FILL
    blank = next(f for f in outcome.findings if f.rule == "V-2")
    assert fill(book, blank.locations[0]) == "%02X%02X%02X" % actions.WARNING_FILL
    assert access.messages[0].startswith("报告：山东省商务厅")
    assert f"{len(errors)}处错误" in access.messages[0]

    # Corrected and checked again: the cell gets its own fill back, the error is gone.
    set_cell(book, where, 14)
    again = actions.run_check(XlsxAccess(book), now=NOW)
    assert not [f for f in again.findings if f.severity == "error"]
    assert fill(book, where) == before
    assert fill(book, blank.locations[0]) == "%02X%02X%02X" % actions.WARNING_FILL  # still blank


def test_a_second_check_overwrites_the_result_sheet(books, tmp_path, capsys):
    book = copy(books["planted"], tmp_path)
    actions.run_check(XlsxAccess(book), now=NOW)
    first = len(result_rows(book))
    set_cell(book, workbook.address("2019", PLANTED), 14)
    actions.run_check(XlsxAccess(book), now=NOW)
    rows = result_rows(book)
    assert len(rows) < first
    assert rows == expected_rows(cli_findings(capsys, book))


def test_check_links_to_last_year_when_the_previous_workbook_is_set(books, tmp_path, capsys):
    folder = tmp_path / "年报"
    last = copy(books["seed"], folder, "2020年度.xlsx")
    # This year's workbook, carried over, then with a 上年结转 that contradicts last year.
    this = folder / "2021年度.xlsx"
    assert main(["new", "--from", str(last), "-o", str(this)]) == 0
    info = openpyxl.load_workbook(this)[workbook.SHEET_INFO]
    prev_row = workbook.INFO_TOP + [f for f, _ in workbook.INFO_FIELDS].index("previous")
    set_cell(this, f"{workbook.SHEET_INFO}!B{prev_row}", "2020年度.xlsx")  # relative to the workbook's folder
    assert info.title == workbook.SHEET_INFO
    set_cell(this, workbook.address("2021", "requests.carried_over.natural"), 5)
    data = cli_findings(capsys, this, "--previous", last)
    assert "X-1" in {f["rule"] for f in data["findings"]}
    access = XlsxAccess(this)
    outcome = actions.run_check(access, now=NOW)
    assert [(f.rule, f.message) for f in outcome.findings] == [(f["rule"], f["message"]) for f in data["findings"]]
    assert result_rows(this) == expected_rows(data)


def test_a_missing_previous_workbook_is_reported_not_fatal(books, tmp_path):
    book = copy(books["seed"], tmp_path)
    prev_row = workbook.INFO_TOP + [f for f, _ in workbook.INFO_FIELDS].index("previous")
    set_cell(book, f"{workbook.SHEET_INFO}!B{prev_row}", "不存在的上年.xlsx")
    access = XlsxAccess(book)
    outcome = actions.run_check(access, now=NOW)
    assert not outcome.unusable
    assert "上年度文件不存在" in access.messages[0]
    assert not any(f.rule.startswith("X-") for f in outcome.findings)


def test_a_workbook_that_is_not_ours_gives_a_chinese_message(tmp_path):
    book = tmp_path / "别的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "无关内容"
    wb.save(book)
    before = book.read_bytes()
    for run in (actions.run_check, actions.run_export, actions.run_new_year):
        access = XlsxAccess(book)
        outcome = run(access, now=NOW)
        assert outcome.unusable and not outcome.ok
        assert access.messages and access.messages[0].startswith("无法完成：") and "Traceback" not in access.messages[0]
    assert book.read_bytes() == before


def test_an_unsaved_workbook_is_asked_to_be_saved_first():
    class Unsaved(XlsxAccess):
        @property
        def path(self):
            return Path("工作簿1")

    access = Unsaved("工作簿1")
    assert actions.run_check(access).unusable
    assert "请先保存" in access.messages[0]


def test_check_from_the_command_line_leaves_the_workbook_alone(books, tmp_path, capsys):
    book = copy(books["planted"], tmp_path)
    before = book.read_bytes()
    assert main(["addin", "run", "check", str(book)]) == 1
    assert book.read_bytes() == before
    checked = book.with_name(f"{book.stem}（已校验）.xlsx")
    assert result_rows(checked) == expected_rows(cli_findings(capsys, book))


# ---------------------------------------------------------------- export
def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


@pytest.mark.parametrize("name", ["seed", "example2021"])
def test_export_writes_the_same_document_as_nianbao_export(books, tmp_path, capsys, name):
    book = copy(books[name], tmp_path / "book")
    cli_out = tmp_path / "cli" / "report.docx"
    cli_out.parent.mkdir()
    assert main(["export", str(book), "-o", str(cli_out)]) == 0
    access = XlsxAccess(book)
    outcome = actions.run_export(access, now=NOW)
    from nianbao import word
    expected = book.parent / word.default_name(examples.load(name))
    assert outcome.written == expected and access.opened == [expected]
    assert document_xml(expected) == document_xml(cli_out)
    assert str(expected) in access.messages[0]


def test_export_with_errors_is_marked_as_not_for_submission(books, tmp_path):
    from nianbao import word
    for name, marked in (("seed", False), ("planted", True)):
        written = actions.run_export(XlsxAccess(copy(books[name], tmp_path / name)), now=NOW).written
        with zipfile.ZipFile(written) as z:
            headers = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/header"))
        assert (word.DRAFT_MARK in headers) == marked, name


@pytest.mark.parametrize("lock", [".~lock.{name}#", "~${name}"])
def test_export_beside_an_open_report_uses_a_time_suffix(books, tmp_path, lock):
    book = copy(books["seed"], tmp_path)
    from nianbao import word
    name = word.default_name(examples.load("seed"))
    first = actions.run_export(XlsxAccess(book), now=NOW).written
    assert first.name == name
    original = first.read_bytes()
    (tmp_path / lock.format(name=name)).write_bytes(b"")  # Word / LibreOffice holds it open
    access = XlsxAccess(book)
    second = actions.run_export(access, now=NOW).written
    assert second.name == name.replace(".docx", "-20250115-093012.docx")
    assert first.read_bytes() == original
    assert document_xml(second) == document_xml(first)
    assert access.opened == [second] and "带时间的新文件名" in access.messages[0]


def test_export_retries_under_a_new_name_when_the_report_cannot_be_replaced(books, tmp_path, monkeypatch):
    from nianbao import word
    book = copy(books["seed"], tmp_path)
    real = word.export
    calls = []

    def refusing(report, out, *a, **kw):
        calls.append(Path(out).name)
        if len(calls) == 1:
            raise PermissionError(13, "Permission denied", str(out))
        return real(report, out, *a, **kw)

    monkeypatch.setattr(word, "export", refusing)
    outcome = actions.run_export(XlsxAccess(book), now=NOW)
    assert calls[1] == calls[0].replace(".docx", "-20250115-093012.docx")
    assert outcome.written.name == calls[1] and outcome.written.is_file()


def test_time_suffix_never_reuses_an_existing_name(tmp_path):
    target = tmp_path / "报告.docx"
    first = actions.with_time_suffix(target, NOW)
    first.write_bytes(b"x")
    assert actions.with_time_suffix(target, NOW) == tmp_path / "报告-20250115-093012-2.docx"


# ---------------------------------------------------------------- web page and 一图读懂
def test_publish_writes_the_same_web_page_and_picture_as_nianbao_export(books, tmp_path, capsys):
    from nianbao import figure, web, word
    book = copy(books["example2021"], tmp_path / "book")
    cli_out = tmp_path / "cli" / "report.docx"
    cli_out.parent.mkdir()
    assert main(["export", str(book), "-o", str(cli_out), "--html", "--figure"]) == 0
    access = XlsxAccess(book)
    outcome = actions.run_publish(access, now=NOW)
    usual = book.parent / word.default_name(examples.load("example2021"))
    html, png, svg = web.default_name(usual), *figure.default_names(usual)
    assert outcome.written == png and access.opened == [png]
    assert html.read_bytes() == web.default_name(cli_out).read_bytes()
    assert [p.read_bytes() for p in (png, svg)] == [p.read_bytes() for p in figure.default_names(cli_out)]
    assert all(str(p) in access.messages[0] or p.name in access.messages[0] for p in (html, png, svg))
    assert not usual.exists()  # no Word report: that is the other button
    # Again: nothing is overwritten; all three take one new name with the time
    again = XlsxAccess(book)
    png2 = actions.run_publish(again, now=NOW).written
    assert png2.name == png.name.replace("（一图读懂）", "-20250115-093012（一图读懂）")
    assert web.default_name(png2.with_name(png2.name.replace("（一图读懂）.png", ".docx"))).exists()
    assert "带时间的新文件名" in again.messages[0]
    # --force replaces them in place
    assert main(["addin", "run", "publish", str(book), "--force"]) == 0
    assert sorted(p.name for p in book.parent.glob("*-20250115-093012*")) == sorted(
        [html.name.replace(".html", "-20250115-093012.html"), png2.name, png2.with_suffix(".svg").name])


def test_publish_with_errors_is_marked_as_a_draft(books, tmp_path):
    from nianbao import figure, web
    outcome = actions.run_publish(XlsxAccess(copy(books["planted"], tmp_path)), now=NOW)
    page = outcome.written.parent.glob("*.html")
    assert figure.DRAFT_MARK in next(page).read_text(encoding="utf-8-sig")
    assert figure.DRAFT_MARK in outcome.written.with_suffix(".svg").read_text(encoding="utf-8")
    assert "校验未通过" in outcome.message and web.CLASS


# ---------------------------------------------------------------- new year
def test_new_year_carries_over_like_nianbao_new_and_opens_the_workbook(books, tmp_path, capsys):
    book = copy(books["seed"], tmp_path / "年报")
    set_cell(book, workbook.address("2019", "requests.carry_forward.natural"), 3)
    access = XlsxAccess(book)
    outcome = actions.run_new_year(access, now=NOW)
    written = outcome.written
    assert written == book.parent / "山东省商务厅2021年度政府信息公开工作年报工作簿.xlsx"
    assert access.opened == [written]
    mine, _ = workbook.read(written)
    cli = tmp_path / "cli.xlsx"
    assert main(["new", "--from", str(book), "-o", str(cli)]) == 0
    theirs, _ = workbook.read(cli)
    assert mine.year == theirs.year == 2021 and mine.format == "2021"
    assert mine.tables == theirs.tables
    assert mine.get("requests.carried_over.natural") == 3
    assert (mine.agency, mine.contact, mine.sections) == (theirs.agency, theirs.contact, theirs.sections)
    assert mine.previous == str(book)  # the next check links back to this workbook
    # Again: the workbook just made is not overwritten.
    again = actions.run_new_year(XlsxAccess(book), now=NOW).written
    assert again.name == "山东省商务厅2021年度政府信息公开工作年报工作簿-20250115-093012.xlsx"


# ---------------------------------------------------------------- worksheet functions' logic
def test_status_text_and_findings_table(books, tmp_path):
    assert actions.status_text([]) == "通过"
    access = XlsxAccess(copy(books["planted"], tmp_path))
    findings = list(actions.assess(access)[0].findings)
    errors = sum(f.severity == "error" for f in findings)
    assert actions.status_text(findings) == f"{errors}处错误，{len(findings) - errors}处提示"
    table = actions.findings_table(findings)
    assert table[0] == ["规则", "级别", "位置", "说明"]
    assert len(table) == len(findings) + 1
    assert table[1][:2] == [findings[0].rule, "错误"]
    assert actions.findings_table([])[1][3] == "全部通过，没有发现问题"


def test_help_text_names_the_buttons_and_functions():
    text = actions.help_text()
    for word in ("校验", "导出Word", "网页和一图读懂", "新建下一年度", "NB_STATUS", "NB_FINDINGS"):
        assert word in text


def test_run_on_a_damaged_file_exits_2_with_a_chinese_message(tmp_path, capsys):
    bad = tmp_path / "年 报.xlsx"
    bad.write_bytes(b"not a zip")
    for action in ("check", "export", "publish", "new-year"):
        assert main(["addin", "run", action, str(bad)]) == 2
        captured = capsys.readouterr()
        assert "无法打开工作簿" in captured.err and "Traceback" not in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["年 报.xlsx"]  # nothing written
    assert bad.read_bytes() == b"not a zip"
