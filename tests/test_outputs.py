"""No command replaces a file the user did not name as the thing to replace (files.prepare_output).

Every command that writes — new, export (.docx and .pdf), addin run, demo — goes through the one
check: an existing output is refused (exit 2, Chinese message, file untouched) unless --force; an
output equal to an input, or of the wrong kind for the command, is refused even with --force.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import pytest

from nianbao import examples, files, workbook
from nianbao.addin import actions
from nianbao.addin.file_access import XlsxAccess
from nianbao.cli import main
from nianbao.commands import demo
from nianbao.errors import InputError

NOW = dt.datetime(2025, 1, 15, 9, 30, 12)


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "年报 2020.xlsx"
    workbook.write(examples.load("seed"), path)
    return path


def fresh(seed_book: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / seed_book.name
    shutil.copyfile(seed_book, dest)
    return dest


# ---------------------------------------------------------------- the mechanism
def test_prepare_output_refuses_an_existing_file_unless_forced(tmp_path):
    target = tmp_path / "a.xlsx"
    assert files.prepare_output(target, suffixes=(".xlsx",)) == target  # new file: fine
    target.write_bytes(b"filled")
    with pytest.raises(InputError) as e:
        files.prepare_output(target, suffixes=(".xlsx",))
    assert "已存在" in str(e.value) and "--force" in str(e.value) and str(target) in str(e.value)
    assert files.prepare_output(target, suffixes=(".xlsx",), force=True) == target
    assert target.read_bytes() == b"filled"  # checking never writes


def test_prepare_output_refuses_an_input_and_the_wrong_kind_even_when_forced(tmp_path):
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"x")
    with pytest.raises(InputError, match="同一个文件"):
        files.prepare_output(tmp_path / "sub" / ".." / "book.xlsx", inputs=(book,), force=True)
    with pytest.raises(InputError, match=r"\.xlsx"):
        files.prepare_output(tmp_path / "report.json", suffixes=(".xlsx",), force=True)
    with pytest.raises(InputError, match="文件夹"):
        files.prepare_output(tmp_path, force=True)


def test_prepare_output_refuses_a_read_only_file_even_when_forced(tmp_path):
    target = tmp_path / "ro.docx"
    target.write_bytes(b"x")
    os.chmod(target, stat.S_IREAD)
    try:
        with pytest.raises(InputError, match="只读"):
            files.prepare_output(target, suffixes=(".docx",), force=True)
    finally:
        os.chmod(target, stat.S_IREAD | stat.S_IWRITE)


# ---------------------------------------------------------------- new
def test_new_does_not_replace_a_filled_workbook(capsys, seed_book, tmp_path):
    filled = fresh(seed_book, tmp_path)
    before = filled.read_bytes()
    code, out, err = run(capsys, "new", "--year", "2025", "-o", filled)
    assert code == 2 and "已存在" in err and "--force" in err and str(filled) in err
    assert filled.read_bytes() == before
    code, out, err = run(capsys, "new", "--year", "2025", "-o", filled, "--force")
    assert code == 0
    assert workbook.read(filled)[0].year == 2025


def test_new_refuses_its_input_as_output_even_with_force(capsys, seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    before = book.read_bytes()
    code, _, err = run(capsys, "new", "--from", book, "-o", book, "--force")
    assert code == 2 and "同一个文件" in err
    assert book.read_bytes() == before


@pytest.mark.parametrize("year", ["2018", "1995"])
def test_new_refuses_years_before_the_first_format(capsys, tmp_path, year):
    code, out, err = run(capsys, "new", "--year", year, "-o", tmp_path / "x.xlsx")
    assert code == 2 and "早于" in err and year in err
    assert not (tmp_path / "x.xlsx").exists()


def test_new_refuses_years_after_next_year(capsys, tmp_path):
    year = dt.date.today().year + 2
    code, out, err = run(capsys, "new", "--year", year, "-o", tmp_path / "x.xlsx")
    assert code == 2 and "晚于" in err
    assert run(capsys, "new", "--year", year - 1, "-o", tmp_path / "x.xlsx")[0] == 0


# ---------------------------------------------------------------- export
def test_export_does_not_replace_a_report_unless_forced(capsys, seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    out = tmp_path / "报告.docx"
    out.write_bytes(b"edited in Word")
    code, _, err = run(capsys, "export", book, "-o", out)
    assert code == 2 and "已存在" in err and out.read_bytes() == b"edited in Word"
    code, _, err = run(capsys, "export", book, "-o", out, "--force")
    assert code == 0 and out.read_bytes()[:2] == b"PK"


def test_export_refuses_an_existing_pdf_before_writing_anything(capsys, seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    out = tmp_path / "报告.docx"
    out.with_suffix(".pdf").write_bytes(b"%PDF old")
    code, _, err = run(capsys, "export", book, "-o", out, "--pdf")
    assert code == 2 and ".pdf" in err and "已存在" in err
    assert not out.exists()  # refused before the Word report was written
    assert out.with_suffix(".pdf").read_bytes() == b"%PDF old"


def test_export_says_an_old_pdf_beside_is_not_current(capsys, seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    out = tmp_path / "报告.docx"
    out.write_bytes(b"old")
    out.with_suffix(".pdf").write_bytes(b"%PDF old")
    code, _, err = run(capsys, "export", book, "-o", out, "--force")
    assert code == 0
    assert "报告.pdf" in err and "不一致" in err


# ---------------------------------------------------------------- addin run
def test_addin_run_check_refuses_to_rewrite_its_input(capsys, seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    before = book.read_bytes()
    code, _, err = run(capsys, "addin", "run", "check", book, "-o", book, "--force")
    assert code == 2 and "同一个文件" in err
    assert book.read_bytes() == before
    assert "校验结果" not in workbook.load_book(before, str(book)).sheetnames


def test_addin_run_check_refuses_the_wrong_kind_and_an_existing_output(capsys, seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    report_json = tmp_path / "findings.json"
    report_json.write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "addin", "run", "check", book, "-o", report_json)
    assert code == 2 and ".xlsx" in err and report_json.read_text(encoding="utf-8") == "{}"
    code, _, err = run(capsys, "addin", "run", "check", book)
    assert code in (0, 1)
    checked = book.with_name(f"{book.stem}（已校验）.xlsx")
    assert checked.exists()
    code, _, err = run(capsys, "addin", "run", "check", book)  # the checked copy is there now
    assert code == 2 and "已存在" in err
    assert run(capsys, "addin", "run", "check", book, "--force")[0] in (0, 1)


def test_addin_run_export_keeps_an_existing_report_and_names_each_file_once(capsys, seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    code, out, _ = run(capsys, "addin", "run", "export", book)
    first = [line for line in out.splitlines() if ".docx" in line]
    assert code == 0 and len(first) == 1  # one line for one file
    docx = next(tmp_path.glob("*.docx"))
    docx.write_bytes(b"edited in Word")
    code, out, _ = run(capsys, "addin", "run", "export", book)
    assert code == 0 and docx.read_bytes() == b"edited in Word"
    assert len(list(tmp_path.glob("*.docx"))) == 2 and "为免覆盖" in out
    code, out, _ = run(capsys, "addin", "run", "export", book, "--force")
    assert code == 0 and docx.read_bytes()[:2] == b"PK"


def test_ribbon_export_takes_a_new_name_beside_an_existing_report(seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    first = actions.run_export(XlsxAccess(book), now=NOW).written
    second = actions.run_export(XlsxAccess(book), now=NOW).written
    assert first != second and first.exists() and second.exists()
    assert second.name.startswith(first.stem) and "20250115-093012" in second.name


def test_new_year_workbook_and_word_report_names_tell_apart(seed_book, tmp_path):
    from nianbao import word
    book = fresh(seed_book, tmp_path)
    made = actions.run_new_year(XlsxAccess(book), now=NOW).written
    next_report = workbook.read(made)[0]
    report_name = Path(word.default_name(next_report))
    assert made.suffix == ".xlsx" and made.stem != report_name.stem
    assert made.stem.endswith("年报工作簿") and report_name.stem.endswith("年度报告")


def test_addin_run_output_only_for_check(capsys, seed_book, tmp_path):
    book = fresh(seed_book, tmp_path)
    code, _, err = run(capsys, "addin", "run", "export", book, "-o", tmp_path / "x.docx")
    assert code == 2 and "-o" in err
    assert not (tmp_path / "x.docx").exists()


# ---------------------------------------------------------------- demo
def test_demo_does_not_replace_changed_files_unless_forced(capsys, tmp_path):
    outdir = tmp_path / "demo"
    assert run(capsys, "demo", "-o", outdir)[0] == 0
    written = sorted(p for p in outdir.iterdir())
    # The demo's files, and the record of them that lets a second run replace them (and only them).
    assert written and all(not p.name.startswith(".") for p in written if p.name != demo.MARK)
    xlsx = next(p for p in written if p.suffix == ".xlsx")
    xlsx.write_bytes(b"mine")
    code, _, err = run(capsys, "demo", "-o", outdir)
    assert code == 2 and "已存在" in err and xlsx.read_bytes() == b"mine"
    assert sorted(outdir.iterdir()) == written  # nothing half-written, no scratch folder left
    assert run(capsys, "demo", "-o", outdir, "--force")[0] == 0
    assert xlsx.read_bytes()[:2] == b"PK"


# ---------------------------------------------------------------- help
def test_help_never_breaks_an_option_value_and_shows_plain_percent(capsys, monkeypatch):
    from nianbao.model import LEVELS
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(["new", "-h"])
    new_help = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["addin", "install", "-h"])
    install_help = capsys.readouterr().out
    flat = new_help.split()
    for level in LEVELS:
        assert any(level in word for word in flat), level
    assert "%USERPROFILE%" in install_help and "%%" not in install_help


# ---------------------------------------------------------------- the two check sheets
def test_result_sheet_says_its_role_and_is_laid_out(seed_book, tmp_path):
    import openpyxl
    book = fresh(seed_book, tmp_path)
    out = tmp_path / "checked.xlsx"
    actions.run_check(XlsxAccess(book, save_to=out), now=NOW)
    wb = openpyxl.load_workbook(out)
    ws = wb[actions.RESULT_SHEET]
    assert "全部规则" in ws["A1"].value and "「校验」表" in ws["A3"].value
    assert ws.column_dimensions["D"].width >= 60 and ws.column_dimensions["C"].width >= 20
    assert ws.column_dimensions["H"].hidden and ws.column_dimensions["I"].hidden
    header = actions.TABLE_ROW
    assert ws.cell(header, 4).value == "问题" and ws.cell(header, 5).value == "说明"
    assert all(ws.cell(r, 4).alignment.wrap_text for r in range(header + 1, ws.max_row + 1)
               if ws.cell(r, 4).value)
    checks = wb[workbook.SHEET_CHECKS]
    assert "表格内" in checks["A1"].value and "校验结果" in checks["A3"].value
