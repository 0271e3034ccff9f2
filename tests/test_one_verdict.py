"""One verdict everywhere: the same planted-mistake workbook gives the same error count from
``nianbao check``, ``nianbao export --strict``, ``nianbao addin run check``, ``nianbao addin run export``
and the workbook's own 「校验」 sheet recalculated by LibreOffice — or that sheet's one line names the rules
it cannot see (those needing last year's report).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from nianbao import examples, formats, office, rules, workbook
from nianbao.cli import main
from nianbao.model import empty_report

YEAR_ROW = "requests.new.natural"


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def set_cells(path: Path, values: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for where, value in values.items():
        sheet, addr = where.split("!")
        wb[sheet][addr] = value
    wb.save(path)


def errors_in(text: str) -> int:
    """The N of 「N处错误」 / 「N 处错误」 in a command's output (the first one)."""
    m = re.search(r"(\d+)\s*处错误", text)
    assert m, text
    return int(m.group(1))


def seed_carrying_zero():
    """The seed with its blank 结转下年度继续办理 cells filled with 0 (a blank last-year cell is not
    decided on: X-1 says 上年未填)."""
    rep = examples.load("seed")
    for f in rep.fmt.fields():
        if f.row == "carry_forward" and rep.get(f.key) is None:
            rep.set(f.key, 0)
    return rep


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> dict[str, Path]:
    """Last year's workbook (the seed, 2020), this year's carried over from it (recording it as last
    year's file), and mistakes planted as a clerk makes them: a wrong 上年结转 (X-1, which only the full
    check sees), a typed 1.5 in a leaf cell inside three computed totals, a word in a number cell, and
    a leaf changed so that T3-1 fails."""
    d = tmp_path_factory.mktemp("planted")
    last = d / "2020.xlsx"
    workbook.write(seed_carrying_zero(), last)
    this = d / "2021.xlsx"
    assert main(["new", "--from", str(last), "-o", str(this)]) == 0
    fid = formats.id_for_year(2021)
    a = lambda key: workbook.address(fid, key)  # noqa: E731
    set_cells(this, {
        a("requests.carried_over.natural"): 5,       # last year carried 0 forward: X-1
        a("requests.disclosed.commercial"): 1.5,     # V-1 once, not once per total containing it
        a("requests.disclosed.research"): "若干",     # V-1
        a("requests.new.legal"): 2,                  # T3-1 法律服务机构列
    })
    alone = d / "alone.xlsx"  # the same mistakes without last year's file
    shutil.copyfile(this, alone)
    set_cells(alone, {workbook.info_address("previous"): None})
    return {"this": this, "alone": alone}


def full_counts(capsys, book: Path, tmp_path: Path) -> dict[str, int]:
    code, out, _ = run(capsys, "check", book, "--json")
    data = json.loads(out)
    assert code == 1
    counts = {"check": data["errors"]}
    code, out, err = run(capsys, "export", book, "-o", tmp_path / f"{book.stem}.docx", "--strict")
    assert code == 1 and not (tmp_path / f"{book.stem}.docx").exists()
    counts["export --strict"] = errors_in(err.split("已按 --strict")[0].splitlines()[-1])
    code, out, _ = run(capsys, "addin", "run", "check", book, "-o", tmp_path / f"{book.stem}-checked.xlsx")
    assert code == 1
    counts["addin run check"] = errors_in(out)
    code, out, _ = run(capsys, "addin", "run", "export", book)
    assert code == 0
    counts["addin run export"] = errors_in(out)
    return counts, data


def sheet_lines(books: list[Path], tmp_path: Path) -> list[tuple[str, str]]:
    """(count line, unseen-rules line) of 「校验」 after LibreOffice recalculated the workbook."""
    saved = office.convert_many(books, "xlsx", tmp_path / "lo")
    out = []
    for path in saved:
        ws = openpyxl.load_workbook(path, data_only=True)[workbook.SHEET_CHECKS]
        out.append((str(ws["A2"].value), str(ws["A3"].value)))
    return out


def test_every_face_gives_the_same_error_count(capsys, planted, tmp_path):
    this_counts, this = full_counts(capsys, planted["this"], tmp_path)
    alone_counts, alone = full_counts(capsys, planted["alone"], tmp_path)
    assert len(set(this_counts.values())) == 1, this_counts
    assert len(set(alone_counts.values())) == 1, alone_counts
    x1 = [f for f in this["findings"] if f["rule"] == "X-1"]
    assert x1 and this["errors"] == alone["errors"] + len(x1)
    v1 = [f for f in alone["findings"] if f["rule"] == "V-1" and f["severity"] == "error"]
    assert len(v1) == 2  # the 1.5 and the word, not the totals computed from the 1.5

    (this_count, this_unseen), (alone_count, alone_unseen) = sheet_lines([planted["this"], planted["alone"]],
                                                                         tmp_path)
    # Without last year's file the sheet sees every error the full check sees.
    assert errors_in(alone_count) == alone["errors"]
    # With it, the sheet counts what it can see and its one line names the rules it cannot.
    assert errors_in(this_count) == this["errors"] - len(x1)
    unseen = {f["rule"] for f in this["findings"]} - {row.rule for row in workbook.check_rows("2021")}
    assert unseen and all(rule in this_unseen for rule in unseen)
    assert "上年度" in this_unseen


def test_export_strict_refuses_on_an_error_only_last_years_file_shows(capsys, tmp_path):
    """X-1 alone: the report is consistent in itself, only its 上年结转 disagrees with last year's."""
    last = tmp_path / "2020.xlsx"
    workbook.write(seed_carrying_zero(), last)
    this = tmp_path / "2021.xlsx"
    assert main(["new", "--from", str(last), "-o", str(this)]) == 0
    fid = formats.id_for_year(2021)
    a = lambda key: workbook.address(fid, key)  # noqa: E731
    set_cells(this, {a("requests.carried_over.natural"): 1, a("requests.carry_forward.natural"): 1})
    code, out, _ = run(capsys, "check", this, "--json")
    data = json.loads(out)
    assert code == 1 and {f["rule"] for f in data["findings"] if f["severity"] == "error"} == {"X-1"}
    out_docx = tmp_path / "报告.docx"
    code, _, err = run(capsys, "export", this, "-o", out_docx, "--strict")
    assert code == 1 and "--strict" in err and not out_docx.exists()


def test_a_typed_decimal_is_one_v1_error_and_its_totals_cannot_be_decided():
    fmt = formats.get(formats.id_for_year(2021))
    rep = empty_report(fmt.id, 2021)
    for f in fmt.fields():
        rep.set(f.key, 0)
    parts = rules.values.total_parts(fmt)
    leaf = "requests.disclosed.natural"
    containing = [k for k, p in parts.items() if leaf in p]
    rep.set(leaf, 1.5)
    # The totals as the workbook computes them from their parts (1.5 flows into three of them).
    for total in ("requests.disclosed.total", "requests.results_total.natural", "requests.results_total.total"):
        rep.set(total, 1.5)
    found = rules.check(rep)
    v1 = [f for f in found if f.rule == "V-1"]
    assert [f.cells for f in v1] == [(leaf,)]
    assert len(containing) >= 2
    # No sum rule is decided over the unusable cell (the 校验 sheet says 无法校验 for them).
    assert not [f for f in found if f.rule.startswith("T3")]
    # A total that is wrong on its own is still reported.
    for total in ("requests.results_total.natural", "requests.results_total.total", leaf):
        rep.set(total, 0)
    rep.set("requests.disclosed.total", 2.5)
    assert [f.cells for f in rules.check(rep) if f.rule == "V-1"] == [("requests.disclosed.total",)]
