"""``nianbao review``: a batch of generated units (JSON and workbooks) with planted problems.

The batch: consistent units of the current format, half as report data JSON, half as workbooks written by
nianbao (no cached values); last year's reports in their own folder, under name variants; a damaged file,
a report in the wrong format, two files of one unit, two units with the same narrative, a unit with a sum
error and a unit missing against last year.  The review workbook is opened by openpyxl and by LibreOffice.
"""
from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportgen
import review_units as ru
from nianbao import cli, formats, loading, office, rules
from nianbao.review import batch, book, checks, names
from nianbao.review.units import FAST, FULL, PARTS, numbers

FID = formats.ids()[-1]
OLD_FID = formats.ids()[0]
YEAR = ru.year_of(FID)
N_UNITS = 8
# This year's names of the units (variants of last year's full names): short forms, brackets, spaces.
VARIANTS = {1: lambda n: n.replace("人民政府办公室", "政府办"),
            2: lambda n: n + "（政务公开办）",
            3: lambda n: " ".join(n)}


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    rng = random.Random(20240)
    this, last = root / "本年", root / "上年"
    full = ru.agency_names(N_UNITS + 1)
    plan = {"root": root, "this": this, "last": last, "files": {}}
    for i, name in enumerate(full):
        prev = ru.unit_report(rng, FID, YEAR - 1, name)
        ru.write_unit(prev, last, f"上年-{i:02d}", as_workbook=i % 3 == 0)
        if i == N_UNITS:  # missing this year
            plan["missing"] = name
            continue
        cur = ru.unit_report(rng, FID, YEAR, VARIANTS.get(i, lambda n: n)(name), previous=prev)
        sub = this / ("乡镇" if i % 2 else "部门")
        plan["files"][i] = ru.write_unit(cur, sub, f"单位{i:02d}", as_workbook=i % 2 == 0)
    # Planted problems.
    bad = ru.unit_report(rng, FID, YEAR, "问题县人民政府办公室")
    t3 = bad.fmt.requests
    key = f"{t3.key}.new.{t3.total_column}"
    bad.set(key, bad.number(key) + 7)  # T3-2: the row no longer adds up
    plan["error"] = ru.write_unit(bad, this, "有错误", as_workbook=True)  # the total typed over its formula
    (this / "损坏.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    plan["damaged"] = this / "损坏.xlsx"
    wrong = ru.unit_report(rng, OLD_FID, YEAR, "旧格式县人民政府办公室")
    plan["wrong"] = ru.write_unit(wrong, this, "旧格式", as_workbook=False)
    dup = loading.load(plan["files"][0]).report
    dup.agency = dup.agency.replace("人民政府办公室", "政府办公室")
    plan["duplicate"] = ru.write_unit(dup, this / "重复", "再次报送", as_workbook=False)
    a = ru.unit_report(rng, FID, YEAR, "甲镇人民政府")
    b = ru.unit_report(rng, FID, YEAR, "乙镇人民政府")
    b.sections = json.loads(json.dumps(a.sections))
    plan["copies"] = (ru.write_unit(a, this, "甲镇", as_workbook=False), ru.write_unit(b, this, "乙镇", as_workbook=True))
    return plan


@pytest.fixture(scope="module")
def reviewed(batch_dir):
    return batch.run([batch_dir["this"]], previous_dir=batch_dir["last"], jobs=2)


def _unit(review, path):
    return next(u for u in review.units if Path(u.path) == Path(path).resolve())


def test_names_fold_full_and_short_forms_and_brackets():
    assert names.normalize("某某县人民政府办公室") == names.normalize("某某县政府办")
    assert names.normalize("某某县人民政府办公室（某某县政务公开办）") == names.normalize("某某县政府办公室")
    assert names.normalize(" 某某县 人民政府办公室 ") == names.normalize("某某县政府办")
    assert names.normalize("某某县人民政府办公室") != names.normalize("某某市人民政府办公室")
    assert names.normalize("某某县商务局") != names.normalize("某某县政府办")


def test_every_planted_problem_shows_in_its_status(reviewed, batch_dir):
    status = {Path(u.path).name: u.status for u in reviewed.units}
    assert status[batch_dir["damaged"].name] == batch.UNREADABLE
    assert status[batch_dir["wrong"].name] == batch.WRONG_FORMAT
    assert status[batch_dir["duplicate"].name] == batch.DUPLICATE
    assert status[Path(batch_dir["files"][0]).name] == batch.DUPLICATE
    assert {status[p.name] for p in batch_dir["copies"]} == {batch.COPIED}
    assert status[batch_dir["error"].name] == batch.HAS_ERRORS
    others = [Path(p).name for i, p in batch_dir["files"].items() if i != 0]
    assert {status[n] for n in others} == {batch.PASSED}
    assert _unit(reviewed, batch_dir["damaged"]).error
    assert any(f.rule == "T3-2" for f in _unit(reviewed, batch_dir["error"]).findings)


def test_last_year_matched_by_name_variants_and_missing_unit_listed(reviewed, batch_dir):
    assert [m.agency for m in reviewed.missing] == [batch_dir["missing"]]
    for i in VARIANTS:
        unit = _unit(reviewed, batch_dir["files"][i])
        assert unit.previous is not None and Path(unit.previous).parent == batch_dir["last"].resolve()
    unmatched = {Path(u.path).name for u in reviewed.unmatched}
    assert Path(batch_dir["files"][1]).name not in unmatched
    assert batch_dir["error"].name in unmatched  # a new unit: no last year's report
    # X-1 ran: a unit whose 上年结转 does not follow last year's is found.
    assert not any(f.rule == "X-1" for u in reviewed.units for f in u.findings)


def test_cross_year_rule_runs_per_unit(batch_dir, tmp_path):
    src = loading.load(batch_dir["files"][4]).report
    t3 = src.fmt.requests
    key = f"{t3.key}.carried_over.{t3.part_columns[0]}"
    src.set(key, src.number(key) + 1)
    out = ru.write_unit(src, tmp_path, "改动", as_workbook=False)
    got = batch.run([out], previous_dir=batch_dir["last"], jobs=1)
    assert any(f.rule == "X-1" and key in f.cells for f in got.units[0].findings)


def test_summed_tables_equal_the_sum_of_the_inputs(reviewed, batch_dir):
    counted = [p for i, p in batch_dir["files"].items()] + [batch_dir["error"], *batch_dir["copies"]]
    expected: dict = {}
    for p in counted:
        for k, v in numbers(loading.load(p).report).items():
            expected[k] = expected.get(k, 0) + v
    assert reviewed.summed.units == len(counted)
    assert reviewed.summed.values == pytest.approx(expected)
    t3 = reviewed.fmt.requests
    assert reviewed.summed.values[f"{t3.key}.new.{t3.total_column}"] > 0


def test_review_workbook_sheets_links_and_summed_cells(reviewed, tmp_path):
    out = tmp_path / "审核.xlsx"
    book.write(reviewed, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:5] == [book.OVERVIEW, book.FINDINGS, book.SUMMED, book.MISSING, book.METRICS]
    ov = wb[book.OVERVIEW]
    header = next(r for r in range(1, 6) if ov.cell(r, 1).value == "单位")
    rows = [[c.value for c in row] for row in ov.iter_rows(min_row=header + 1)]
    assert len(rows) == len(reviewed.units)
    names = [c.value for c in ov[header]]
    status, errors = names.index("状态"), names.index("错误数")
    assert rows[0][status] == batch.UNREADABLE and rows[-1][status] == batch.PASSED
    # An unreadable file counts its one R-0 error, as the review JSON does.
    from nianbao.review import data as review_data
    assert rows[0][errors] == 1 == review_data.to_json(reviewed)["reports"][0]["errors"]
    assert ov.auto_filter.ref and ov.freeze_panes
    linked = [ov.cell(r, 1).hyperlink for r in range(header + 1, header + 1 + len(rows))]
    assert all(h is not None and h.location.startswith(f"'{book.FINDINGS}'!A") for h in linked)
    fl = wb[book.FINDINGS]
    target = int(linked[0].location.split("!A")[1])
    assert fl.cell(target, 3).value == checks.UNREADABLE
    ws = wb[book.SUMMED]
    for key, cell in book.summed_cells(reviewed.fmt).items():
        want = reviewed.summed.values.get(key, "—")
        assert ws[cell].value == (pytest.approx(want) if want != "—" else want), key
    missing = [c.value for c in wb[book.MISSING]["A"]]
    assert any(v == loading.load(next(Path(reviewed.previous_dir).glob("上年-08*"))).report.agency for v in missing)
    assert len(wb[book.METRICS]._charts) == 2


def test_metrics_follow_their_definitions(reviewed):
    fmt = reviewed.fmt
    t3, t4 = fmt.requests, fmt.appeals
    v = reviewed.summed.values
    total = reviewed.total_metrics()
    results = v[f"{t3.key}.{t3.results_total}.{t3.total_column}"]
    assert total["disclosed_rate"] == pytest.approx(
        (v[f"{t3.key}.disclosed.{t3.total_column}"] + v[f"{t3.key}.partly_disclosed.{t3.total_column}"]) / results)
    group = t4.groups[0][0]
    assert total["review_corrected_rate"] == pytest.approx(
        v[f"{t4.key}.{group}.corrected"] / v[f"{t4.key}.{group}.{t4.total_member}"])


def test_summed_report_passes_when_every_unit_passes_and_not_otherwise(reviewed, batch_dir):
    good = [p for i, p in batch_dir["files"].items() if i != 0] + list(batch_dir["copies"])
    clean = batch.run(good, jobs=2)
    assert clean.summed.units == len(good)
    assert not [f for f in clean.summed_findings if f.is_error]
    t3 = reviewed.fmt.requests
    planted = f"{t3.key}.new.{t3.total_column}"
    assert any(f.is_error and planted in f.cells for f in reviewed.summed_findings)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reportgen.consistent_report(FID), min_size=1, max_size=5))
def test_property_sum_of_passing_reports_passes_every_error_rule(reports):
    summed = batch.Summed(FID, YEAR)
    for rep in reports:
        rep.year = YEAR
        assert not [f for f in rules.check(rep) if f.is_error]
        summed.add(numbers(rep))
    errors = [f for f in rules.check(summed.report("汇总")) if f.is_error]
    assert errors == []


def test_parent_equal_to_the_sum_passes_and_one_changed_cell_is_named(reviewed, batch_dir, tmp_path):
    parent = reviewed.summed.report("某某市人民政府")
    same = ru.write_unit(parent, tmp_path, "本级", as_workbook=True)
    got = batch.run([batch_dir["this"]], parent=same, jobs=2)
    assert got.parent_differences == []
    fmt = parent.fmt
    t3 = fmt.requests
    key = f"{t3.key}.disclosed.{t3.part_columns[0]}"
    parent.set(key, parent.number(key) + 3)
    changed = ru.write_unit(parent, tmp_path, "本级改动", as_workbook=True)
    got = batch.run([batch_dir["this"]], parent=changed, jobs=2)
    assert [f.cells for f in got.parent_differences] == [(key,)]
    diff = got.parent_differences[0]
    assert diff.severity == "warning" and diff.actual - diff.expected == 3
    from nianbao import workbook
    assert diff.locations == (workbook.address(fmt.id, key),)
    out = tmp_path / "审核.xlsx"
    book.write(got, out)
    ws = openpyxl.load_workbook(out)[book.PARENT]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5) if r[0].value]
    assert len(rows) == 1 and rows[0][2] == workbook.address(fmt.id, key) and rows[0][5] == 3


def test_fast_reader_gives_the_same_findings_as_the_full_reader(batch_dir, tmp_path):
    books = sorted(batch_dir["this"].rglob("单位*.xlsx")) + [batch_dir["copies"][1], batch_dir["error"]]
    saved = office.convert_many(books, "xlsx", tmp_path / "lo")  # LibreOffice stores every formula's result
    fast = batch.run([tmp_path / "lo"], jobs=2, fast=True)
    full = batch.run([tmp_path / "lo"], jobs=2, fast=False)
    assert {u.reader for u in fast.units} == {FAST}
    assert {u.reader for u in full.units} == {FULL}
    assert [(u.path, u.findings, u.metrics) for u in fast.units] == [(u.path, u.findings, u.metrics) for u in full.units]
    assert fast.summed.values == full.summed.values
    assert len(saved) == len(books)
    # Workbooks written by nianbao have no cached totals: read from the sheets' XML, same findings.
    fresh = batch.run(books, jobs=2, fast=True)
    slow = batch.run(books, jobs=2, fast=False)
    assert {u.reader for u in fresh.units} == {PARTS}
    assert [(u.path, u.findings) for u in fresh.units] == [(u.path, u.findings) for u in slow.units]
    assert fresh.summed.values == slow.summed.values
    assert any(f.rule == "T3-2" for u in fresh.units for f in u.findings)


def test_review_workbook_opens_in_libreoffice_with_its_charts(reviewed, tmp_path):
    out = tmp_path / "审核.xlsx"
    book.write(reviewed, out)
    pdf, = office.convert_many([out], "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 10_000
    again, = office.convert_many([out], "xlsx", tmp_path / "lo")
    with zipfile.ZipFile(again) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 2
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames[:5] == [book.OVERVIEW, book.FINDINGS, book.SUMMED, book.MISSING, book.METRICS]


def test_cli_outputs_json_and_docx_and_exit_codes(batch_dir, tmp_path, capsys):
    out, docx = tmp_path / "审核.xlsx", tmp_path / "审核汇总.docx"
    code = cli.main(["review", str(batch_dir["this"]), "--previous-dir", str(batch_dir["last"]), "-o", str(out),
                     "--docx", str(docx), "--json", "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 1  # units with errors
    data = json.loads(captured.out)
    assert data["schema"] == "nianbao/review@1" and data["units"] == len(data["reports"])
    assert data["missing"][0]["agency"] == batch_dir["missing"]
    assert data["statuses"][batch.UNREADABLE] == 1
    assert "读取" in captured.err and "Traceback" not in captured.err
    from docx import Document
    doc = Document(docx)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "问题县人民政府办公室" in text and batch_dir["missing"] in text
    assert len(doc.tables) == 3
    # The output exists: refused without --force (exit 2), replaced with it.
    assert cli.main(["review", str(batch_dir["this"]), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err


def test_cli_exit_0_when_every_unit_passes_and_2_when_nothing_is_readable(batch_dir, tmp_path, capsys):
    good = [str(p) for i, p in batch_dir["files"].items() if i not in (0,)]
    assert cli.main(["review", *good, "-o", str(tmp_path / "a.xlsx")]) == 0
    assert cli.main(["review", str(batch_dir["damaged"]), "-o", str(tmp_path / "b.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "无法读取" in err and "Traceback" not in err
    assert not (tmp_path / "b.xlsx").exists()
    empty = tmp_path / "空"
    empty.mkdir()
    assert cli.main(["review", str(empty), "-o", str(tmp_path / "c.xlsx")]) == 2


def test_collect_walks_folders_skips_lock_files_and_the_output(batch_dir, tmp_path):
    folder = tmp_path / "收件"
    (folder / "子" / "孙").mkdir(parents=True)
    src = Path(batch_dir["files"][1])
    (folder / "子" / "孙" / src.name).write_bytes(src.read_bytes())
    (folder / "~$锁定.xlsx").write_bytes(b"lock")
    (folder / "说明.docx.tmp").write_bytes(b"x")
    out = folder / "审核.xlsx"
    out.write_bytes(b"previous output")
    got = batch.collect([folder], exclude=[out])
    assert [Path(p).name for p in got] == [src.name]
    missing = tmp_path / "没有这个文件.json"
    review = batch.run([missing, src], jobs=1)
    assert [u.status for u in review.ordered()] == [batch.UNREADABLE, batch.PASSED]
    assert "不存在" in review.ordered()[0].error
