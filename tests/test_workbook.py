"""The workbook face: building from the format definition, reading back, carry-over, bad input.

LibreOffice checks of the native formulas are in test_workbook_libreoffice.py; pycel evaluates
them here in a few fast cases.
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pycel import ExcelCompiler

import workbook_cases as cases

PYCEL_PLUGINS = ["pycel_functions"]
from nianbao import bound, cli, examples, formats, model, rules, workbook
from nianbao.errors import InputError
from nianbao.formats.base import TEXT

pytestmark = pytest.mark.heavy(30)  # seconds run alone: handed out first (conftest.py)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [n for n in examples.EXAMPLES if examples.path(n).is_file()]


def run_cli(*argv: str, capsys=None) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- round trip
@pytest.mark.parametrize("name", EXAMPLES)
def test_round_trip_examples(name, tmp_path):
    rep = examples.load(name)
    out = tmp_path / "book.xlsx"
    assert workbook.write(rep, out) == []  # the examples' totals agree: every total stays a formula
    back, locate = workbook.read(out)
    assert back.to_dict() == rep.to_dict()
    assert json.dumps(back.to_dict(), ensure_ascii=False, sort_keys=True) == \
        json.dumps(rep.to_dict(), ensure_ascii=False, sort_keys=True)


def test_both_formats_and_the_seed_example_are_covered():
    assert "seed" in EXAMPLES
    assert {examples.load(n).format for n in EXAMPLES} | {"2019", "2021"} == {"2019", "2021"}


@pytest.mark.parametrize("seed", range(12))
def test_round_trip_generated_reports_with_messy_values(seed, tmp_path):
    rep = cases.generate(1000 + seed, errors=3)
    rep.set(next(f.key for f in rep.fmt.fields() if f.kind != TEXT), "１２")
    out = tmp_path / "book.xlsx"
    workbook.write(rep, out)
    back, _ = workbook.read(out)
    assert back.to_dict() == rep.to_dict()


def test_messy_cells_are_read_as_typed_and_checked_without_crash(tmp_path):
    rep = examples.load("seed")
    messy = {"requests.new.natural": "１４", "requests.new.commercial": " 2 ", "requests.new.research": "/",
             "requests.new.nonprofit": "—", "requests.new.legal": "无", "requests.new.other": "abc",
             "active.licensing.change": "+5", "appeals.review.upheld": -1, "appeals.review.corrected": 1.5}
    for k, v in messy.items():
        rep.set(k, v)
    out = tmp_path / "messy.xlsx"
    workbook.write(rep, out)
    back, locate = workbook.read(out)
    for k, v in messy.items():
        assert back.get(k) == v
    findings = rules.check(back, locate=locate)
    v1 = {f.cells[0]: f for f in findings if f.rule == "V-1"}
    assert v1["requests.new.other"].severity == "error"
    assert list(v1["requests.new.other"].locations) == ["表三!I7"]
    assert v1["requests.new.natural"].severity == "warning"   # full-width digits: accepted with a warning
    assert v1["appeals.review.upheld"].severity == "error"
    assert "requests.new.research" not in v1                   # "/" is a blank: V-2, not V-1
    assert any(f.rule == "V-2" and "requests.new.research" in f.cells for f in findings)


# ---------------------------------------------------------------- locations
@pytest.mark.parametrize("format_id", formats.ids())
def test_every_value_cell_is_located_where_the_value_is_written(format_id, tmp_path):
    rep = model.empty_report(format_id, 2020 if format_id == "2019" else 2024)
    computed = workbook.computed_cells(format_id)
    for i, f in enumerate(rep.fmt.fields()):
        if f.key not in computed:
            rep.set(f.key, f"v{i}" if f.kind == TEXT else i)
    for _ in range(2):  # totals of totals: （七）总计's own 总计
        for key, parts in computed.items():
            rep.set(key, workbook.numeric_sum([rep.get(k) for k in parts]))
    out = tmp_path / "b.xlsx"
    workbook.write(rep, out)
    wb = openpyxl.load_workbook(out)
    for f in rep.fmt.fields():
        sheet, cell = workbook.address(format_id, f.key).split("!")
        value = wb[sheet][cell].value
        if f.key in computed:
            assert value == workbook.total_formula(format_id, f.key)
        else:
            assert value == rep.get(f.key)
    assert workbook.address(format_id, "requests.nope.total") is None


def test_findings_carry_sheet_and_cell(tmp_path, capsys):
    rep = examples.load("seed")
    rep.set("requests.results_total.natural", 20)  # typed over the （七）总计 formula
    out = tmp_path / "b.xlsx"
    assert workbook.write(rep, out) == ["requests.results_total.natural", "requests.results_total.total"]
    code, stdout, _ = run_cli("check", str(out), "--json", capsys=capsys)
    assert code == 1
    data = json.loads(stdout)
    t33 = next(f for f in data["findings"] if f["rule"] == "T3-3" and f["cells"][0].endswith(".natural"))
    assert t33["locations"][0] == "表三!D28"
    assert t33["expected"] == 14 and t33["actual"] == 20


# ---------------------------------------------------------------- layout from the definition
@pytest.mark.parametrize("format_id", formats.ids())
def test_tables_are_drawn_from_the_layout(format_id, tmp_path):
    out = tmp_path / "t.xlsx"
    workbook.write_template(format_id, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == list(workbook.sheet_order(formats.get(format_id)))
    assert wb[workbook.SHEET_CALC].sheet_state == "hidden"
    fmt = formats.get(format_id)
    for t in fmt.tables():
        ws = wb[t.sheet]
        layout = t.layout()
        merges = {str(m) for m in ws.merged_cells.ranges}
        for c in layout.cells:
            r, col = workbook.TABLE_TOP + c.row, workbook.TABLE_LEFT + c.col
            cell = ws.cell(r, col)
            if c.rowspan > 1 or c.colspan > 1:
                end = ws.cell(r + c.rowspan - 1, col + c.colspan - 1).coordinate
                assert f"{cell.coordinate}:{end}" in merges
            if c.role == "value":
                computed = c.key in workbook.computed_cells(format_id)
                assert cell.protection.locked == computed          # inputs unlocked, formulas locked
                if computed:
                    assert str(cell.value).startswith("=IF(COUNT(")
            else:
                assert cell.value == c.text and cell.protection.locked
        assert ws.protection.sheet and not ws.protection.password
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1  # A4, one page wide
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.freeze_panes
        assert ws["A2"].value.startswith("=IF(")  # the status line
        kinds = {dv.type for dv in ws.data_validations.dataValidation}
        assert "whole" in kinds and all(dv.error and dv.prompt for dv in ws.data_validations.dataValidation)
    t3 = wb[formats.get(format_id).requests.sheet]
    assert t3["A4"].value == fmt.requests.note  # the 勾稽 note in the corner


@pytest.mark.parametrize("format_id", formats.ids())
def test_formula_cells_are_the_totals(format_id):
    fmt = formats.get(format_id)
    computed = workbook.computed_cells(format_id)
    t3, t4 = fmt.requests, fmt.appeals
    want = {f"requests.{r.key}.total" for r in t3.rows}
    want |= {f"requests.{t3.results_total}.{c}" for c in t3.part_columns}
    want |= {f"appeals.{g}.total" for g, _ in t4.groups}
    assert set(computed) == want
    formula = workbook.total_formula(format_id, "requests.new.total")
    assert formula.startswith("=IF(COUNT(D7:I7)+SUM('计算'!") and "SUM(D7:I7)+SUM('计算'!" in formula
    # Workbooks of earlier releases (SUM alone) are still recognised when read.
    old = '=IF(COUNT(D7:I7)=0,"",SUM(D7:I7))'
    assert workbook.cells.legacy_total_formula(format_id, "requests.new.total") == old
    assert workbook.formulas.is_total_formula(format_id, "requests.new.total", old)


@pytest.mark.parametrize("format_id", formats.ids())
def test_check_rows_cover_every_sum_rule_instance_and_value_block(format_id):
    fmt = formats.get(format_id)
    rows = workbook.check_rows(format_id)
    assert [r.check for r in rows if r.check] == fmt.sum_checks()
    v1 = [r for r in rows if r.rule == "V-1"]
    assert sorted(k for r in v1 for k in r.keys) == sorted(f.key for f in fmt.fields() if f.kind != TEXT)
    assert {r.rule for r in rows} == {"T3-1", "T3-2", "T3-3", "T4-1", "V-1"}


# ---------------------------------------------------------------- pycel: the native formulas, fast
def _pycel_results(path: Path, fmt_id: str, xl=None):
    xl = xl or ExcelCompiler(filename=str(path), plugins=PYCEL_PLUGINS)
    n = len(workbook.check_rows(fmt_id))
    return xl, [xl.evaluate(f"{workbook.SHEET_CHECKS}!C{workbook.CHECK_TOP + i}") for i in range(n)]


@pytest.mark.parametrize("seed", [3, 17])
def test_pycel_check_sheet_agrees_with_rules(seed, tmp_path):
    rep = cases.generate(seed, errors=3)
    out = tmp_path / "b.xlsx"
    workbook.write(rep, out)
    _, results = _pycel_results(out, rep.format)
    assert cases.compare(rep, rules.check(rep), results) == []


def test_pycel_typing_into_cells_updates_checks_and_status(tmp_path):
    rep = examples.load("seed")
    out = tmp_path / "seed.xlsx"
    workbook.write(rep, out)
    xl, results = _pycel_results(out, rep.format)
    assert set(results) == {"通过"}
    assert xl.evaluate("表三!A2") == "本表校验：通过"
    xl.set_value(workbook.address("2019", "requests.disclosed.natural"), 6)  # 5 → 6
    rep.set("requests.disclosed.natural", 6)
    rep.set("requests.disclosed.total", 6)            # the formula total follows
    rep.set("requests.results_total.natural", 15)     # and so does （七）总计
    rep.set("requests.results_total.total", 17)
    _, results = _pycel_results(out, rep.format, xl)
    assert cases.compare(rep, rules.check(rep), results) == []
    assert xl.evaluate("表三!A2") == "本表有2处错误，见校验表"  # T3-1 自然人列 and 总计列
    assert xl.evaluate(f"{workbook.SHEET_CHECKS}!A2") == "表格内共有2处错误，请按下表改正"


CLASSES = [("１２", 2), (" 7 ", 2), ("+5", 2), ("1,234", 2), ("3.0", 2), ("/", 0), ("—", 0), ("无", 0), (" ", 0),
           ("abc", 3), ("12件", 3), (".5", 3), ("3-", 3), ("+-3", 3), ("1.5.2", 3), (-1, 3), (2.5, 3), (4, 1),
           (4.0, 1), ("8\n", 2), ("\t8", 3), ("1\r\n", 2), ("\n", 0), ("①", 3), ("１２\u3000", 2), ("\xa09", 3)]
# (an empty cell: pycel cannot empty a cell again; the LibreOffice tests cover it)


def test_pycel_cell_classes_match_as_number(tmp_path):
    out = tmp_path / "b.xlsx"
    workbook.write(model.empty_report("2021", 2024), out)
    xl = ExcelCompiler(filename=str(out), plugins=PYCEL_PLUGINS)
    key = "requests.new.natural"
    status = f"{workbook.SHEET_CALC}!{openpyxl.utils.get_column_letter(workbook.C_STATUS)}" \
             f"{workbook.calc_rows('2021')[key]}"
    xl.evaluate(status)  # places the cells in pycel's map
    for text, want in CLASSES:
        xl.set_value(workbook.address("2021", key), text)
        py = {"blank": 0, "ok": 1, "text-number": 2, "invalid": 3}[model.as_number(text, "count")[1]]
        assert (xl.evaluate(status), py) == (want, want), text


# ---------------------------------------------------------------- typed-over totals and recomputation
def test_typed_over_totals_are_kept_and_marked(tmp_path, capsys):
    rep = examples.load("seed")
    rep.set("requests.new.total", None)         # a blank 总计 with parts filled in
    rep.set("appeals.review.total", 3)          # disagrees with its parts (1)
    src = tmp_path / "r.json"
    model.save_json(rep, src)
    out = tmp_path / "b.xlsx"
    code, stdout, _ = run_cli("new", "--from", str(src), "-o", str(out), capsys=capsys)
    assert code == 0 and "2 个总计与各项之和不一致" in stdout
    ws = openpyxl.load_workbook(out)["表四"]
    cell = ws[workbook.address("2019", "appeals.review.total").split("!")[1]]
    assert cell.value == 3 and cell.fill.start_color.rgb.endswith(workbook.styles.FILL_TYPED)
    assert cell.comment is not None and not cell.protection.locked
    back, _ = workbook.read(out)
    assert back.to_dict() == rep.to_dict()
    found = {(f.rule, f.cells[0]) for f in rules.check(back) if f.cells}
    assert ("T4-1", "appeals.review.total") in found and ("T3-2", "requests.new.total") in found


def test_openpyxl_saved_book_recomputes_totals_and_keeps_typed_ones(tmp_path):
    rep = examples.load("seed")
    out = tmp_path / "b.xlsx"
    workbook.write(rep, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["表三"]
    ws[workbook.address("2019", "requests.disclosed.natural").split("!")[1]] = 7   # a leaf: 5 → 7
    ws[workbook.address("2019", "requests.partly_disclosed.total").split("!")[1]] = 9  # typed over a formula
    wb.save(out)  # openpyxl stores no results for the formulas
    back, locate = workbook.read(out)
    assert back.get("requests.disclosed.total") == 7           # recomputed from the leaves
    assert back.get("requests.results_total.natural") == 16
    assert back.get("requests.partly_disclosed.total") == 9     # the typed number wins
    found = {(f.rule, f.cells[0]): f for f in rules.check(back, locate=locate) if f.cells}
    assert found[("T3-2", "requests.partly_disclosed.total")].locations[0] == "表三!J10"
    assert ("T3-1", "requests.results_total.natural") in found


def test_read_grids_takes_bulk_values(tmp_path):
    """The add-in's path: one bulk read of each sheet's values (formula cells hold their results)."""
    rep = examples.load("seed")
    out = tmp_path / "b.xlsx"
    workbook.write(rep, out)
    wb = openpyxl.load_workbook(out)
    grids = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    for key in workbook.computed_cells("2019"):  # what Excel shows in the formula cells
        sheet, r, c = workbook.positions("2019")[key]
        parts = [rep.get(k) for k in workbook.computed_cells("2019")[key]]
        grids[sheet][r - 1][c - 1] = "" if workbook.numeric_sum(parts) is None else float(rep.get(key))
    back, locate = workbook.read_grids(grids, "book.xlsx")
    assert back.to_dict() == rep.to_dict()
    assert locate("requests.new.total") == "表三!J7"


# ---------------------------------------------------------------- nianbao new
def test_new_blank_workbook_defaults(tmp_path, capsys):
    out = tmp_path / "n.xlsx"
    code, stdout, _ = run_cli("new", "--year", "2020", "--agency", "某县商务局", "--level", "县级政府部门", "-o", str(out),
                              capsys=capsys)
    assert code == 0 and "2019年格式" in stdout
    rep, _ = workbook.read(out)
    assert (rep.format, rep.year, rep.agency, rep.level) == ("2019", 2020, "某县商务局", "county_dept")
    assert [i["heading"] for i in rep.sections["overview"]] == list(rep.fmt.sections[1].subheadings)
    out21 = tmp_path / "n21.xlsx"
    assert run_cli("new", "--year", "2025", "-o", str(out21))[0] == 0
    assert workbook.read(out21)[0].format == "2021"


def test_new_from_last_year_carries_over(tmp_path, capsys):
    last = examples.load(EXAMPLES[-1]) if "example2021" in EXAMPLES else examples.load("seed")
    for c in last.fmt.requests.part_columns:
        last.set(f"requests.carry_forward.{c}", 2)
    last.set("requests.carry_forward.total", 12)  # 6 columns × 2
    prev = tmp_path / "last.xlsx"
    workbook.write(last, prev)
    before = sha(prev)
    out = tmp_path / "next.xlsx"
    code, stdout, _ = run_cli("new", "--from", str(prev), "-o", str(out), capsys=capsys)
    assert code == 0 and "结转" in stdout
    assert sha(prev) == before
    rep, _ = workbook.read(out)
    assert rep.year == last.year + 1 and rep.agency == last.agency and rep.contact == last.contact
    for c in rep.fmt.requests.columns:
        assert rep.get(f"requests.carried_over.{c.key}") == last.get(f"requests.carry_forward.{c.key}")
    headings = [i["heading"] for i in last.sections.get("overview", []) if isinstance(i, dict)]
    assert [i["heading"] for i in rep.sections["overview"]] == headings
    # Only the drafted paragraphs bound to the tables: last year's text is not carried.
    assert all(bound.is_bound(p) for i in rep.sections["overview"] for p in i["paragraphs"])
    assert "上年结转12件" in "".join(p for i in rep.sections["overview"] for p in i["paragraphs"])
    assert rep.previous == str(prev.resolve())
    x1 = [f for f in rules.check(rep, workbook.read(prev)[0]) if f.rule == "X-1"]
    assert x1 == []
    if rep.format == "2021" and last.format == "2021":  # the X-2 baseline on 基本信息
        ws = openpyxl.load_workbook(out)[workbook.SHEET_INFO]
        values = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)
                  if str(ws.cell(r, 1).value or "").startswith("上年现行有效件数")]
        assert values == [last.get("active.rules.in_force"), last.get("active.normative_docs.in_force")]


def test_new_from_2019_json_to_2019_carries_item_counts(tmp_path):
    last = examples.load("seed")  # 2020, 2019 format
    src = tmp_path / "seed.json"
    model.save_json(last, src)
    out = tmp_path / "y.xlsx"
    assert cli.main(["new", "--from", str(src), "--year", "2021", "--format", "2019", "-o", str(out)]) == 0
    rep, _ = workbook.read(out)
    assert rep.get("active.licensing.prev_items") == 8 - 1
    assert rep.get("active.other_services.prev_items") == 3 + 5
    assert not [f for f in rules.check(rep, last) if f.rule in ("X-1", "X-3") and "prev_items" in f.cells[0]]


@pytest.mark.parametrize("argv, words", [
    (["--year", "2019", "--from", "SRC"], ["不衔接"]),
    (["--format", "2021", "--from", "SRC"], ["不能用 --format 2021"]),
    (["--level", "村委会"], ["--level", "无法识别"]),
])
def test_new_refuses_unusable_requests(argv, words, tmp_path, capsys):
    src = tmp_path / "seed.json"
    model.save_json(examples.load("seed"), src)
    argv = [str(src) if a == "SRC" else a for a in argv]
    code, _, err = run_cli("new", *argv, "-o", str(tmp_path / "o.xlsx"), capsys=capsys)
    assert code == 2 and all(w in err for w in words)
    assert not (tmp_path / "o.xlsx").exists()


def test_new_never_overwrites_its_input(tmp_path, capsys):
    book = tmp_path / "b.xlsx"
    workbook.write(examples.load("seed"), book)
    before = sha(book)
    code, _, err = run_cli("new", "--from", str(book), "-o", str(book), capsys=capsys)
    assert code == 2 and "同一个文件" in err and sha(book) == before
    code, _, err = run_cli("new", "-o", str(tmp_path / "x.docx"), capsys=capsys)
    assert code == 2 and ".xlsx" in err


def test_demo_writes_the_seed_workbook(tmp_path, capsys):
    code, stdout, _ = run_cli("demo", "-o", str(tmp_path), capsys=capsys)
    assert code == 0
    books = list(tmp_path.glob("*.xlsx"))
    assert len(books) == 1 and str(books[0].name) in stdout
    assert workbook.read(books[0])[0].to_dict() == examples.load("seed").to_dict()


# ---------------------------------------------------------------- bad input
def _damaged(tmp_path: Path) -> dict[str, tuple[Path, list[str]]]:
    good = tmp_path / "good.xlsx"
    workbook.write(examples.load("seed"), good)
    cases_ = {}
    p = tmp_path / "garbage.xlsx"
    p.write_bytes(b"not a zip at all")
    cases_["garbage"] = (p, ["损坏"])
    p = tmp_path / "truncated.xlsx"
    p.write_bytes(good.read_bytes()[:3000])
    cases_["truncated"] = (p, ["损坏"])
    p = tmp_path / "nosheet.xlsx"
    wb = openpyxl.load_workbook(good)
    del wb["表四"]
    wb.save(p)
    cases_["missing sheet"] = (p, ["缺少工作表「表四」"])
    p = tmp_path / "year.xlsx"
    wb = openpyxl.load_workbook(good)
    wb[workbook.SHEET_INFO]["B4"] = "二〇二〇年"
    wb.save(p)
    cases_["text year"] = (p, ["基本信息!B4", "报告年度"])
    p = tmp_path / "moved.xlsx"
    wb = openpyxl.load_workbook(good)
    wb["表三"].insert_rows(9)
    wb.save(p)
    cases_["inserted row"] = (p, ["表三!", "结构被改动"])
    p = tmp_path / "section.xlsx"
    wb = openpyxl.load_workbook(good)
    wb[workbook.SHEET_TEXT][f"A{workbook.TEXT_TOP}"] = "七、附件"
    wb.save(p)
    cases_["unknown section"] = (p, [f"正文!A{workbook.TEXT_TOP}", "七、附件"])
    p = tmp_path / "format.xlsx"
    wb = openpyxl.load_workbook(good)
    wb[workbook.SHEET_INFO]["B5"] = "2030"
    wb.save(p)
    cases_["format"] = (p, ["基本信息!B5", "报告格式"])
    p = tmp_path / "notxlsx.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    cases_["zip but not a workbook"] = (p, ["工作簿"])
    return cases_


def test_bad_workbooks_exit_2_with_a_chinese_message(tmp_path, capsys):
    for name, (path, words) in _damaged(tmp_path).items():
        before = sha(path)
        code, out, err = run_cli("check", str(path), capsys=capsys)
        assert code == 2, name
        assert err.startswith("无法处理：") and path.name in err and "Traceback" not in err, name
        assert all(w in err for w in words), (name, err)
        assert sha(path) == before, name
        with pytest.raises(InputError):
            workbook.read(path)


def test_text_in_a_value_cell_is_a_finding_not_a_failure(tmp_path, capsys):
    good = tmp_path / "b.xlsx"
    workbook.write(examples.load("seed"), good)
    wb = openpyxl.load_workbook(good)
    wb["表三"]["D9"] = "五件"
    wb.save(good)
    code, out, _ = run_cli("check", str(good), capsys=capsys)
    assert code == 1 and "V-1［表三!D9］" in out and "五件" in out


# ---------------------------------------------------------------- templates
def describe(wb) -> dict:
    """Everything a user sees or relies on in a workbook, for comparison (not the zip bytes)."""
    out = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = {c.coordinate: (c.value, c.protection.locked, c.fill.start_color.rgb, c.number_format)
                 for row in ws.iter_rows() for c in row if c.value is not None or c.has_style}
        out[ws.title] = {
            "state": ws.sheet_state,
            "cells": cells,
            "merges": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted((str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.error,
                                   dv.prompt) for dv in ws.data_validations.dataValidation),
            "conditional": sorted((str(cf.sqref), tuple(tuple(r.formula) for r in cf.rules))
                                  for cf in ws.conditional_formatting),
            "protected": ws.protection.sheet,
            "freeze": ws.freeze_panes,
            "print": (ws.print_area, ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.fitToWidth),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        }
    return out


@pytest.mark.parametrize("format_id", formats.ids())
def test_templates_match_the_code(format_id):
    stored = ROOT / "templates" / formats.get(format_id).workbook_template
    wb, _ = workbook.build(None, format_id)
    fresh = openpyxl.load_workbook(io.BytesIO(workbook.to_bytes(wb)))
    assert describe(openpyxl.load_workbook(stored)) == describe(fresh), (
        f"{stored.name} 与代码生成的不一致：请运行 python -m nianbao.workbook --templates templates/")


def test_template_reads_as_a_blank_report_once_the_year_is_filled(tmp_path):
    p = tmp_path / "t.xlsx"
    wb = openpyxl.load_workbook(ROOT / "templates" / formats.get("2021").workbook_template)
    with pytest.raises(InputError, match="报告年度"):
        workbook.read(ROOT / "templates" / formats.get("2021").workbook_template)
    wb[workbook.SHEET_INFO]["B4"] = 2025
    wb.save(p)
    rep, _ = workbook.read(p)
    assert rep.format == "2021" and all(rep.get(f.key) is None for f in rep.fmt.fields())


def test_written_workbook_gets_the_usual_file_mode(tmp_path):
    """Written through a temporary file, but not left private to the writer (mkstemp makes 0600)."""
    import os
    mask = os.umask(0o022)
    try:
        out = tmp_path / "b.xlsx"
        workbook.write(examples.load("seed"), out)
        assert out.stat().st_mode & 0o777 == 0o644
        assert not list(tmp_path.glob(".~*"))  # no temporary file left behind
    finally:
        os.umask(mask)
