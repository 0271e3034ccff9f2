"""What surprised a new user: one reading of a cell, blank last-year cells, this year given as last year,
正文 row heights, the demo run twice, the review's metrics and its Word summary."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from nianbao import examples, loading, model, word, workbook
from nianbao.cli import main
from nianbao.commands import demo
from nianbao.review import batch, book, summary
from nianbao.workbook import cached

PART = "requests.new.commercial"


def filled_book(tmp_path: Path, year: int = 2024, name: str = "a.xlsx") -> Path:
    """A fresh workbook of ``year`` with every typed cell 1 (fees 0)."""
    path = tmp_path / name
    assert main(["new", "--year", str(year), "--agency", "测试局", "-o", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    fid = loading.load(path).report.format
    for key, (sheet, r, c) in workbook.positions(fid).items():
        cell = wb[sheet].cell(r, c)
        if not (isinstance(cell.value, str) and cell.value.startswith("=")):
            cell.value = 0 if "fees" in key else 1
    wb.save(path)
    return path


def test_numeric_text_is_read_one_way_by_every_rule_and_the_export(tmp_path, capsys):
    path = filled_book(tmp_path)
    where = workbook.address("2021", PART)
    wb = openpyxl.load_workbook(path)
    sheet, addr = where.split("!")
    wb[sheet][addr] = "3"
    wb.save(path)
    capsys.readouterr()
    main(["check", str(path), "--json"])
    found = json.loads(capsys.readouterr().out)["findings"]
    v1 = [f for f in found if f["rule"] == "V-1"]
    assert v1 and v1[0]["expected"] == 3
    # No sum rule reads the text differently: the row adds up with 3, as V-1 says it is counted.
    assert not [f for f in found if f["rule"] == "T3-2" and where in f["locations"]]
    rep = loading.load(path).report
    total = rep.get("requests.new.total")
    parts = [k for k in workbook.computed_cells("2021")["requests.new.total"]]
    assert total == sum(model.as_number(rep.get(k), "count")[0] for k in parts)
    # The Word export prints the same numbers: the row adds up.
    ctx = word.context(rep)
    assert int(ctx["requests"].new.total) == sum(int(getattr(ctx["requests"].new, k.split(".")[2])) for k in parts)
    # The fast reader of the review gives the same report (Excel's SUM would have left the text out).
    via = cached.read_parts(path)[0]
    assert via.get("requests.new.total") == total
    # And the workbook's own formula shows that total too (evaluated by pycel, as Excel computes it).
    from pycel import ExcelCompiler
    xl = ExcelCompiler(filename=str(path), plugins=["pycel_functions"])
    assert xl.evaluate(workbook.address("2021", "requests.new.total")) == total


def test_blank_last_year_cells_are_said_not_decided(tmp_path, capsys):
    this = filled_book(tmp_path)
    last = tmp_path / "last.xlsx"
    assert main(["new", "--year", "2023", "--agency", "测试局", "-o", str(last)]) == 0
    capsys.readouterr()
    main(["check", str(this), "--previous", str(last), "--json"])
    data = json.loads(capsys.readouterr().out)
    cross = [f for f in data["findings"] if f["rule"].startswith("X-")]
    assert cross and all(f["severity"] == "warning" and "上年未填" in f["message"] for f in cross)
    assert not any("为0" in f["message"] or "0件" in f["message"] for f in cross)
    assert {f["rule"] for f in cross} == {"X-1", "X-2"} and sum(f["rule"] == "X-1" for f in cross) == 1


def test_previous_of_the_same_or_a_later_year_is_refused(tmp_path, capsys):
    this = filled_book(tmp_path)
    later = filled_book(tmp_path, 2025, "later.xlsx")
    for prev in (this, later):
        capsys.readouterr()
        assert main(["check", str(this), "--previous", str(prev)]) == 2
        err = capsys.readouterr().err
        assert "上年度报告应早于本报告" in err and "2023年度" in err and "Traceback" not in err


def test_paragraph_rows_of_new_workbooks_are_sized_from_their_text(tmp_path):
    blank = tmp_path / "blank.xlsx"
    assert main(["new", "--year", "2024", "-o", str(blank)]) == 0
    src = tmp_path / "seed.json"
    model.save_json(examples.load("seed"), src)
    filled = tmp_path / "filled.xlsx"
    assert main(["new", "--from", str(src), "-o", str(filled)]) == 0
    nxt = tmp_path / "next.xlsx"
    assert main(["new", "--from", str(filled), "--year", "2021", "-o", str(nxt)]) == 0
    for path in (blank, filled, nxt):
        ws = openpyxl.load_workbook(path)[workbook.SHEET_TEXT]
        for r in range(workbook.TEXT_TOP, ws.max_row + 1):
            text = ws.cell(r, 3).value
            dim = ws.row_dimensions[r]
            if not text:  # an empty row grows as it is typed in: no fixed one-line height
                assert not dim.customHeight, (path.name, r)
            elif text.startswith("="):  # a paragraph bound to the tables: sized from its text, not its formula
                assert dim.height is None or dim.height < workbook.writer.paragraph_height(text), (path.name, r)
            else:
                assert dim.height == workbook.writer.paragraph_height(text), (path.name, r)
                if len(text) > 100:
                    assert dim.height > 15


def test_demo_run_again_replaces_its_own_files_only(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["demo", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.count("替换了上次演示写出的同名文件") == 2
    docx = next(out.glob("*.docx"))
    docx.write_bytes(docx.read_bytes() + b"changed by the user")
    assert main(["demo", "-o", str(out)]) == 2  # a file someone changed is not the demo's any more
    assert docx.read_bytes().endswith(b"changed by the user")


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory) -> batch.Review:
    """Units of the batch's year, one of another year, one file twice, one unreadable; one large unit."""
    d = tmp_path_factory.mktemp("mixed")
    seed = examples.load("seed")
    for i, n in enumerate((3119, 40, 25, 12)):
        rep = examples.load("seed")
        rep.agency = f"单位{i}"
        rep.set("requests.new.natural", n)
        parts = workbook.computed_cells(rep.format)["requests.new.total"]
        rep.set("requests.new.total", sum(rep.number(k) for k in parts))
        model.save_json(rep, d / f"u{i}.json")
    shutil.copyfile(d / "u1.json", d / "u1-again.json")
    other = examples.load("seed")
    other.agency, other.year = "别的年度单位", seed.year - 1
    model.save_json(other, d / "old.json")
    (d / "bad.json").write_text("{", "utf-8")
    return batch.run([d], jobs=1)


def test_metrics_rows_add_up_to_their_total(mixed_batch, tmp_path):
    out = tmp_path / "审核.xlsx"
    book.write(mixed_batch, out)
    ws = openpyxl.load_workbook(out)[book.METRICS]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[0] == "单位")
    col = rows[head].index("申请量")
    total_at = next(i for i, r in enumerate(rows) if isinstance(r[0], str) and r[0].startswith("合计"))
    above = [r[col] for r in rows[head + 1:total_at]]
    assert sum(above) == rows[total_at][col] == mixed_batch.total_metrics()["applications"]
    assert len(above) == mixed_batch.summed.units
    names = [r[0] for r in rows[total_at + 1:] if r[0]]
    assert any("别的年度单位" in n for n in names)
    # The chart: sorted, labelled, the outlier apart.
    apart, charted = book.applications_chart_units([u for u in mixed_batch.units if u.in_sum])
    assert [u.agency for u in apart] == ["单位0"]
    values = [u.metrics["applications"] for u in charted]
    assert values == sorted(values, reverse=True)
    chart = openpyxl.load_workbook(out)[book.METRICS]._charts
    assert len(chart) == 2


def test_word_summary_has_a_review_title_and_headings(mixed_batch, tmp_path):
    out = summary.write(mixed_batch, tmp_path / "汇总.docx")
    texts = [p.text for p in Document(str(out)).paragraphs if p.text.strip()]
    assert texts[0].endswith("年度政府信息公开工作年度报告") and texts[1] == summary.TITLE_END
    fmt = mixed_batch.fmt
    report_heads = {s.heading for s in fmt.sections if s.key in summary.REVIEW_HEADINGS}
    assert not report_heads & set(texts)
    assert all(h in texts for h in summary.review_headings(fmt).values())


def test_basic_info_prints_only_its_three_columns_at_a_readable_size(tmp_path):
    path = tmp_path / "seed.xlsx"
    workbook.write(examples.load("seed"), path)
    ws = openpyxl.load_workbook(path)[workbook.SHEET_INFO]
    assert ws.page_setup.orientation == "portrait" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_area.replace("$", "").split("!")[-1].startswith("A1:C")
    # Fitted to portrait A4 (about 100 characters of 11 pt across): the columns printed keep it near 8 pt.
    width = sum(ws.column_dimensions[c].width for c in "ABC")
    assert 11 * 100 / width >= 8
    note = next(ws.cell(r, 3) for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value)
    assert note.alignment.wrap_text


def test_help_names_published_reports_and_new_year_says_what_it_carried(tmp_path, capsys):
    for command in ("check", "export", "new"):
        with pytest.raises(SystemExit):
            main([command, "-h"])
        assert ".pdf" in capsys.readouterr().out, command
    seed = tmp_path / "seed.xlsx"
    workbook.write(examples.load("seed"), seed)  # 2019 format: no 现行有效件数 to carry into 2021
    capsys.readouterr()
    assert main(["addin", "run", "new-year", str(seed)]) == 0
    said = capsys.readouterr().out
    assert "未能结转" in said and "现行有效件数基数" not in said
    assert "上年度报告（本工作簿" in said and "本年度报告" not in said
