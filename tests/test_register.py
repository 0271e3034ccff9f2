"""The registers (台账): tables 三 and 四 counted from the clerk's rows.

* the Python face (``nianbao.register.counts``, what ``check`` reads from a register-mode workbook) equals
  the counts computed independently here, row by row (both formats, random rows, dates at the year's edges);
* T3-1, T3-2, T3-3 and T4-1 hold by construction for rows the register rules accept; a two-year chain
  (``new --from`` last year's register workbook) makes X-1 true with nothing typed;
* the register rules name the register row; a typed workbook switches to register mode keeping its numbers;
* ``import BOOK.xlsx --json`` prints report data of a workbook; the applicants' names never leave it;
* a foreign register in many header variants is imported, every row mapped or reported by row number.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import registergen as gen
from nianbao import cli, formats, loading, model, rules
from nianbao import register as reg
from nianbao.workbook import cached
from nianbao.workbook import register as wr

SUM_RULES = {"T3-1", "T3-2", "T3-3", "T4-1"}
FORMAT_YEARS = gen.format_years()


def _register(fmt, apps, cases) -> reg.Register:
    return reg.Register({"applications": [reg.Row(i + 2, r) for i, r in enumerate(apps)],
                         "cases": [reg.Row(i + 2, r) for i, r in enumerate(cases)]})


def _book(tmp_path, fid, year, apps, cases, name="book.xlsx", agency="某市某局"):
    rep = model.empty_report(fid, year, agency=agency)
    path = tmp_path / name
    wr.write_register(rep, path, rows={"applications": apps, "cases": cases})
    return path


# ---------------------------------------------------------------- the Python face = the definitions
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fy=st.sampled_from(FORMAT_YEARS), n=st.integers(0, 400), m=st.integers(0, 60), seed=st.integers(0, 10**6),
       messy=st.booleans())
def test_python_counts_equal_the_definitions(fy, n, m, seed, messy):
    fid, year = fy
    fmt = formats.get(fid)
    apps = gen.application_rows(fmt, year, n, seed, messy)
    cases = gen.case_rows(fmt, year, m, seed + 1, messy)
    got = reg.counts(fmt, year, _register(fmt, apps, cases))
    assert got == gen.independent_counts(fmt, year, apps, cases)


@pytest.mark.parametrize("fy", FORMAT_YEARS)
def test_workbook_read_back_counts_and_the_readers_agree(tmp_path, fy):
    """A written register workbook read as ``check`` reads it (formulas counted in Python) and as the
    review's fast XML reader reads it: the same counts, equal to the definitions."""
    fid, year = fy
    fmt = formats.get(fid)
    apps = gen.application_rows(fmt, year, 1500, 7)
    cases = gen.case_rows(fmt, year, 200, 8)
    path = _book(tmp_path, fid, year, apps, cases)
    want = gen.independent_counts(fmt, year, apps, cases)
    full = loading.load(path).report
    assert {k: full.get(k) for k in want} == want
    fast = cached.read_parts(path)
    assert fast is not None and fast[0].to_dict() == full.to_dict()
    assert len(full.register) == 1700
    # the openpyxl reader (the add-in's file access) reads the same
    from nianbao.files import read_limited
    from nianbao.workbook import opening
    slow = opening.read_grids(opening.read_book_grids(read_limited(str(path), 10**8), str(path)), str(path))[0]
    assert slow.to_dict() == full.to_dict()
    assert [r.number for r in slow.register.of("applications")] == [r.number for r in full.register.of("applications")]
    # the totals are the sums of the counts (T3-2, T3-3 and T4-1 by construction)
    found = {f.rule for f in rules.check(full)}
    assert not found & {"T3-2", "T3-3", "T4-1"}


@settings(max_examples=25, deadline=None)
@given(fy=st.sampled_from(FORMAT_YEARS), n=st.integers(0, 300), m=st.integers(0, 40), seed=st.integers(0, 10**6))
def test_sum_rules_hold_by_construction_for_accepted_rows(fy, n, m, seed):
    fid, year = fy
    fmt = formats.get(fid)
    apps = gen.application_rows(fmt, year, n, seed, messy=False)
    cases = gen.case_rows(fmt, year, m, seed + 1, messy=False)
    rep = model.empty_report(fid, year)
    rep.register = _register(fmt, apps, cases)
    for k, v in reg.counts(fmt, year, rep.register).items():
        rep.set(k, v)
    t3, t4 = fmt.requests, fmt.appeals
    for r in t3.rows:  # the workbook's total formulas
        rep.set(f"{t3.key}.{r.key}.{t3.total_column}", sum(rep.number(f"{t3.key}.{r.key}.{c}") for c in t3.part_columns))
    for c in t3.columns:
        rep.set(f"{t3.key}.{t3.results_total}.{c.key}", sum(rep.number(f"{t3.key}.{r}.{c.key}") for r in t3.result_leaves))
    for g, _ in t4.groups:
        rep.set(f"{t4.key}.{g}.{t4.total_member}", sum(rep.number(f"{t4.key}.{g}.{m}") for m in t4.part_members))
    found = rules.check(rep)
    assert not [f for f in found if f.rule in SUM_RULES]
    assert not [f for f in found if f.rule.startswith("L-") and f.rule != "L-5"]


def test_two_year_chain_makes_x1_true_with_nothing_typed(tmp_path):
    fid, year = FORMAT_YEARS[-1]
    fmt = formats.get(fid)
    apps = gen.application_rows(fmt, year, 800, 11, messy=False)
    cases = gen.case_rows(fmt, year, 60, 12, messy=False)
    first = _book(tmp_path, fid, year, apps, cases, "y1.xlsx")
    second = tmp_path / "y2.xlsx"
    assert cli.main(["new", "--from", str(first), "-o", str(second)]) == 0
    # next year's clerk registers new applications (no hand-typed count anywhere)
    wb = openpyxl.load_workbook(second)
    ws = wb[fmt.register("applications").sheet]
    more = gen.application_rows(fmt, year + 1, 200, 13, messy=False, start=5000)
    more = [r for r in more if isinstance(r[1], dt.date) and r[1].year == year + 1]
    top = ws.max_row
    for i, row in enumerate(more, top + 1):
        for j, v in enumerate(row, 1):
            ws.cell(i, j, v)
    wb.save(second)
    last, this = loading.load(first), loading.load(second)
    carried = reg.open_rows(fmt, year, last.report.register)
    assert len(this.report.register.of("applications")) == len(carried["applications"]) + len(more)
    assert len(this.report.register.of("cases")) == len(carried["cases"])
    found = loading.assess(this).findings
    assert [f for f in found if f.rule == "X-1"] == []
    t3 = fmt.requests
    for c in t3.columns:
        assert this.report.get(f"{t3.key}.{t3.carried_row}.{c.key}") == last.report.get(f"{t3.key}.{t3.forward_row}.{c.key}")
    assert sum(last.report.number(f"{t3.key}.{t3.forward_row}.{c}") for c in t3.part_columns) > 0
    # a carried row changed by hand breaks the chain, and X-1 says so
    wb = openpyxl.load_workbook(second)
    wb[fmt.register("applications").sheet].cell(2, 2, dt.date(year + 1, 2, 1))
    wb.save(second)
    found = loading.assess(loading.load(second)).findings
    assert any(f.rule == "X-1" for f in found)


# ---------------------------------------------------------------- register rules
def test_register_rules_name_the_row(tmp_path):
    fid, year = FORMAT_YEARS[-1]
    fmt = formats.get(fid)
    t3 = fmt.requests
    ok = t3.result_option(t3.result_leaves[0])
    d = dt.date
    apps = [
        ("A1", d(year, 2, 1), "甲", "自然人", "x", ok, d(year, 2, 10), None),           # row 2 fine
        ("A2", d(year, 2, 1), "乙", "自然人", "x", ok, None, None),                      # 3: L-1 no close date
        ("A3", d(year, 2, 1), "丙", "自然人", "x", None, d(year, 3, 1), None),           # 4: L-1 no result
        ("A4", d(year + 1, 1, 2), "丁", "自然人", "x", None, None, None),                # 5: L-2 after the year
        ("A5", d(year, 5, 1), "戊", "自然人", "x", ok, d(year, 4, 1), None),             # 6: L-2 closed before received
        ("A6", d(year, 5, 1), "己", "企业", "x", None, None, None),                      # 7: L-3 not a drop-down value
        ("A1", d(year, 5, 1), "庚", "自然人", "x", None, None, None),                    # 8: L-4 duplicate of row 2
        ("A8", d(year - 2, 5, 1), "辛", "自然人", "x", ok, d(year - 1, 3, 1), None),     # 9: L-5 closed before the year
        ("A9", "去年", "壬", "自然人", "x", None, None, None),                           # 10: L-2 not a date
    ]
    path = _book(tmp_path, fid, year, apps, [])
    src = loading.load(path)
    found = [(f.rule, f.locations) for f in loading.assess(src).findings if f.rule.startswith("L-")]
    sheet = fmt.register("applications").sheet
    assert ("L-1", (f"{sheet}!G3",)) in found and ("L-1", (f"{sheet}!F4",)) in found
    assert ("L-2", (f"{sheet}!B5",)) in found and ("L-2", (f"{sheet}!G6",)) in found
    assert ("L-2", (f"{sheet}!B10",)) in found
    assert ("L-3", (f"{sheet}!D7",)) in found
    assert ("L-4", (f"{sheet}!A8",)) in found
    assert ("L-5", (f"{sheet}!G9",)) in found
    assert not [x for x in found if x[1][0].endswith("2") and x[1][0][-2].isalpha()]  # row 2 is clean
    # the rules are catalogued and a check finds them by the workbook's cell
    for rule, _ in found:
        assert rule in formats.RULES
    assert not [x for x in found if x[0] == "L-6"]
    # a count typed over its formula no longer follows the register: L-6 names the table cell
    from nianbao import workbook
    key = f"{t3.key}.{t3.new_row}.{t3.part_columns[0]}"
    sheet, r, c = workbook.positions(fid)[key]
    wb = openpyxl.load_workbook(path)
    wb[sheet].cell(r, c, 99)
    wb.save(path)
    six = [f for f in loading.assess(loading.load(path)).findings if f.rule == "L-6"]
    assert [(f.locations, f.expected, f.actual) for f in six] == [((workbook.address(fid, key),), 5, 99)]


def test_typed_workbook_switches_keeping_typed_numbers(tmp_path, capsys):
    from nianbao import examples
    rep = examples.load("seed")
    typed = tmp_path / "typed.xlsx"
    model.save_json(rep, tmp_path / "seed.json")
    assert cli.main(["new", "--from", str(tmp_path / "seed.json"), "-o", str(typed)]) == 0
    out = tmp_path / "reg.xlsx"
    before = typed.read_bytes()
    assert cli.main(["register", "switch", str(typed), "-o", str(out)]) == 0
    assert typed.read_bytes() == before  # the input is never modified
    said = capsys.readouterr().out
    fmt = rep.fmt
    kept = [k for k in reg.counted_keys(fmt) if rep.get(k) not in (None, "")]
    assert f"{len(kept)} 个数" in said and "原填报数" in said
    wb = openpyxl.load_workbook(out)
    listed = {wb[wr.SHEET_TYPED].cell(r, 1).value: wb[wr.SHEET_TYPED].cell(r, 3).value
              for r in range(3, wb[wr.SHEET_TYPED].max_row + 1)}
    from nianbao import workbook
    assert listed == {workbook.address(fmt.id, k): rep.get(k) for k in kept}
    key = kept[0]
    sheet, r, c = workbook.positions(fmt.id)[key]
    assert wb[sheet].cell(r, c).value == wr.formula(fmt, key)
    back = loading.load(out).report
    assert back.get(key) == 0 and back.register is not None and len(back.register) == 0
    # everything else is as it was
    t2 = fmt.active
    assert back.sections == rep.sections
    assert all(back.get(f.key) == rep.get(f.key) for f in t2.fields())
    # switching again refuses to overwrite without --force
    assert cli.main(["register", "switch", str(typed), "-o", str(out)]) == 2


def test_import_prints_report_data_of_a_workbook(tmp_path, capsys):
    fid, year = FORMAT_YEARS[0]
    fmt = formats.get(fid)
    apps = gen.application_rows(fmt, year, 50, 3)
    path = _book(tmp_path, fid, year, apps, [])
    capsys.readouterr()
    assert cli.main(["import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    want = gen.independent_counts(fmt, year, apps, [])
    assert {k: model.from_dict(data).get(k) for k in want} == want


# ---------------------------------------------------------------- privacy
def test_applicant_names_never_leave_the_workbook(tmp_path, capsys):
    fid, year = FORMAT_YEARS[-1]
    fmt = formats.get(fid)
    secret = "隐私测试姓名甲乙丙"
    content = "隐私测试申请内容丁戊"
    apps = [(f"P{i}", dt.date(year, 3, 1), secret, "自然人", content, None, None, content) for i in range(5)]
    apps += [(f"Q{i}", dt.date(year, 3, 1), secret, secret, content, secret, secret, None) for i in range(3)]
    cases = [("C1", "行政复议", dt.date(year, 4, 1), None, None, secret)]
    folder = tmp_path / "units"
    folder.mkdir()
    path = _book(folder, fid, year, apps, cases, agency="某县某局")
    docx = tmp_path / "r.docx"
    outs = []
    for argv in (["export", str(path), "-o", str(docx)], ["check", str(path), "--json"], ["check", str(path)],
                 ["import", str(path), "--json"],
                 ["review", str(folder), "-o", str(tmp_path / "rv.xlsx"), "--json", "--docx", str(tmp_path / "rv.docx")]):
        cli.main(argv)
        cap = capsys.readouterr()
        outs.append(cap.out + cap.err)
    assert all(secret not in o and content not in o for o in outs)
    assert "L-3" in outs[1]  # the rows with names typed in the wrong columns were checked
    for f in (docx, tmp_path / "rv.xlsx", tmp_path / "rv.docx"):
        with zipfile.ZipFile(f) as z:
            for name in z.namelist():
                text = z.read(name).decode("utf-8", "replace")
                assert secret not in text and content not in text, (f.name, name)
    logs = list(Path(tempfile_dir()).glob("nianbao*.log"))
    for log in logs:
        assert secret not in log.read_text(encoding="utf-8", errors="replace")


def tempfile_dir():
    import tempfile
    return tempfile.gettempdir()


# ---------------------------------------------------------------- a register kept elsewhere
VARIANTS = [  # (header titles in the order written, rows above the header, sheet name)
    (["编号", "收到日期", "申请人", "申请人类型", "申请内容", "办理结果", "办结日期", "备注"], 0, "台账"),
    (["序号", "受理日期", "申请人姓名", "申请人类别", "申请事项", "答复结果", "答复日期"], 2, "2024年依申请公开"),
    (["登记号", "登记日期", "申请人名称", "申请主体类型", "处理结果", "办结时间"], 1, "Sheet1"),
    (["申请日期", "申请人身份", "所需信息", "答复类型", "答复时间", "序号"], 3, "登记簿"),
    (["受理编号", "收件日期", "申请人", "申请人性质", "办理情况", "完成日期", "说明"], 0, "受理"),
    (["流水号", "接收日期\n（年月日）", "申请人", "申请人类型（自然人/法人）", "答复情况", "办理完成日期"], 4, "明细"),
    (["申请编号", "收到时间", "申请人", "申请主体", "答复方式", "答复办结日期"], 0, "依申请"),
]
FREE_TYPES = ["个人", "公民", "企业", "有限公司", "律师事务所", "高校", "社会组织", "其他组织", "自然人"]
FREE_RESULTS = ["同意公开", "部分公开", "信息不存在", "本机关不掌握", "不予公开（国家秘密）", "重复申请", "信访举报投诉",
                "逾期不补正", "予以公开", ""]
UNMAPPABLE = {"types": ["街道", "不详"], "results": ["不予公开", "已回复", "转办"]}


def _foreign(path: Path, titles, skip, sheet, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for i in range(skip):
        ws.cell(i + 1, 1, "某某局政府信息公开申请登记台账" if i == 0 else None)
    for j, t in enumerate(titles, 1):
        ws.cell(skip + 1, j, t)
    for i, row in enumerate(rows, skip + 2):
        for j, t in enumerate(titles, 1):
            ws.cell(i, j, row.get(_kind(t)))
    wb.save(path)


def _kind(title: str) -> str:
    t = title.replace("\n", "")
    for k, words in (("result", ("结果", "情况", "方式", "答复类型")), ("type", ("类型", "类别", "身份", "性质", "申请主体")),
                     ("closed", ("答复日期", "答复时间", "办结", "完成")), ("received", ("收到", "受理日期", "登记日期",
                                                                                      "申请日期", "收件", "接收")),
                     ("id", ("编号", "序号", "登记号", "流水号")), ("name", ("申请人",))):
        if any(w in t for w in words):
            return k
    return "other"


@pytest.mark.parametrize("variant", range(len(VARIANTS)))
def test_foreign_register_every_row_mapped_or_reported(tmp_path, variant, capsys):
    titles, skip, sheet = VARIANTS[variant]
    fid, year = FORMAT_YEARS[-1]
    fmt = formats.get(fid)
    rng = random.Random(variant)
    rows, bad = [], set()
    for i in range(40):
        received = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360))
        typ, res = rng.choice(FREE_TYPES), rng.choice(FREE_RESULTS)
        closed = received + dt.timedelta(days=10) if res else None
        date_form = rng.choice(["date", "text", "cn"])
        rec = {"date": received, "text": received.strftime("%Y/%m/%d"),
               "cn": f"{received.year}年{received.month}月{received.day}日"}[date_form]
        if rng.random() < 0.15:
            typ = rng.choice(UNMAPPABLE["types"])
            bad.add(i)
        if rng.random() < 0.15 and res:
            res = rng.choice(UNMAPPABLE["results"])
            bad.add(i)
        rows.append({"id": f"N{i}", "received": rec, "name": "某申请人", "type": typ, "result": res or None,
                     "closed": closed})
    foreign = tmp_path / "台账.xlsx"
    _foreign(foreign, titles, skip, sheet, rows)
    book = tmp_path / "book.xlsx"
    assert cli.main(["new", "--year", str(year), "--format", fid, "-o", str(book)]) == 0
    out = tmp_path / "out.xlsx"
    capsys.readouterr()
    code = cli.main(["register", "import", str(foreign), "--into", str(book), "-o", str(out)])
    said = capsys.readouterr().out
    reported = {int(line.split("第")[1].split("行")[0]) for line in said.splitlines() if line.startswith("  「")}
    assert reported == {skip + 2 + i for i in bad}
    assert code == (1 if bad else 0)
    back = loading.load(out).report
    got = back.register.of("applications")
    assert len(got) == len(rows)  # nothing dropped
    labels = {label for _, label in reg.choices(fmt, "applications", "applicant_type")}
    for i, row in enumerate(got):
        typ = row.get(fmt.register("applications"), "applicant_type")
        assert (typ in labels) or i in bad
        assert reg.to_date(row.get(fmt.register("applications"), "received")) is not None
    # free text mapped as the format's rows
    mapped = {rows[i]["result"]: got[i].get(fmt.register("applications"), "result") for i in range(len(rows))
              if i not in bad and rows[i]["result"]}
    t3 = fmt.requests
    expect = {"同意公开": "disclosed", "予以公开": "disclosed", "信息不存在": "unavailable_not_held",
              "本机关不掌握": "unavailable_not_held", "不予公开（国家秘密）": "withheld_state_secret",
              "部分公开": "partly_disclosed", "重复申请": "rejected_duplicate", "信访举报投诉": "rejected_petition",
              "逾期不补正": "other_no_correction"}
    for text, label in mapped.items():
        assert label == t3.result_option(expect[text]), text
    assert book.exists() and foreign.exists()
    if variant == 0:  # into a workbook in register mode: the rows come after its own; the same 编号 twice is L-4
        twice = tmp_path / "twice.xlsx"
        cli.main(["register", "import", str(foreign), "--into", str(out), "-o", str(twice)])
        again = loading.load(twice)
        assert len(again.report.register.of("applications")) == 2 * len(rows)
        dup = [f for f in loading.assess(again).findings if f.rule == "L-4"]
        assert len(dup) == len(rows)


def test_foreign_workbook_without_a_register_is_refused(tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "姓名"
    wb.active["B1"] = "电话"
    foreign = tmp_path / "x.xlsx"
    wb.save(foreign)
    book = tmp_path / "book.xlsx"
    cli.main(["new", "--year", str(FORMAT_YEARS[-1][1]), "-o", str(book)])
    assert cli.main(["register", "import", str(foreign), "--into", str(book), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "没有找到台账" in capsys.readouterr().err
    assert not (tmp_path / "o.xlsx").exists()


def test_register_beyond_its_limit_is_refused_naming_the_cell(tmp_path, capsys):
    fid, year = FORMAT_YEARS[-1]
    path = _book(tmp_path, fid, year, [], [])
    wb = openpyxl.load_workbook(path)
    fmt = formats.get(fid)
    ws = wb[fmt.register("cases").sheet]
    ws.cell(reg.FIRST_ROW + reg.MAX_ROWS, 1, "X")
    wb.save(path)
    assert cli.main(["check", str(path)]) == 2
    assert f"{fmt.register('cases').sheet}!A{reg.FIRST_ROW + reg.MAX_ROWS}" in capsys.readouterr().err


# ---------------------------------------------------------------- the ribbon's 新建下一年度 and the contract
def test_ribbon_new_year_keeps_register_mode_like_new_from(tmp_path):
    from nianbao.addin import actions
    from nianbao.addin.file_access import XlsxAccess
    fid, year = FORMAT_YEARS[-1]
    fmt = formats.get(fid)
    apps = gen.application_rows(fmt, year, 300, 21, messy=False)
    cases = gen.case_rows(fmt, year, 30, 22, messy=False)
    folder = tmp_path / "年报"
    folder.mkdir()
    book = _book(folder, fid, year, apps, cases)
    outcome = actions.run_new_year(XlsxAccess(book), now=dt.datetime(2030, 1, 1))
    assert "台账模式" in outcome.message
    cli_book = tmp_path / "cli.xlsx"
    assert cli.main(["new", "--from", str(book), "-o", str(cli_book)]) == 0
    mine, theirs = loading.load(outcome.written).report, loading.load(cli_book).report
    assert mine.tables == theirs.tables
    for key in ("applications", "cases"):
        assert [r.cells for r in mine.register.of(key)] == [r.cells for r in theirs.register.of(key)]
    want = reg.open_rows(fmt, year, loading.load(book).report.register)
    assert [(r.cells[0], reg.to_date(r.cells[1])) for r in mine.register.of("applications")] == \
        [(r.cells[0], reg.to_date(r.cells[1])) for r in want["applications"]] and want["applications"]


def test_contract_header_and_drop_downs_from_the_format(tmp_path):
    for fid, year in FORMAT_YEARS:
        fmt = formats.get(fid)
        path = tmp_path / f"{fid}.xlsx"
        assert cli.main(["new", "--year", str(year), "--format", fid, "--register", "-o", str(path)]) == 0
        wb = openpyxl.load_workbook(path)
        for sheet in fmt.registers:
            ws = wb[sheet.sheet]
            header = [c.value for c in ws[1]]
            assert [c.title for c in sheet.columns] == header
            for c in sheet.columns:
                letter = reg.col_letter(header.index(c.title) + 1)
                dvs = [dv for dv in ws.data_validations.dataValidation if f"{letter}2:" in str(dv.sqref)]
                if c.kind == "date":
                    assert [dv.type for dv in dvs] == ["date"]
                elif c.kind == "choice":
                    assert [dv.type for dv in dvs] == ["list"]
                    ref = dvs[0].formula1
                    opts_sheet, rng = ref.split("!")
                    cells = wb[opts_sheet.strip("'")][rng.replace("$", "")]
                    assert [row[0].value for row in cells] == [label for _, label in reg.choices(fmt, sheet.key, c.key)]
        # the drop-down labels are the format's: the table's columns and result rows as printed
        t3 = fmt.requests
        assert [label for _, label in reg.choices(fmt, "applications", "result")] == \
            [" / ".join(r.labels[1:]) for r in t3.rows if r.key in t3.result_leaves]


def test_new_from_a_register_workbook_of_the_same_year_keeps_its_registers(tmp_path):
    fid, year = FORMAT_YEARS[0]
    fmt = formats.get(fid)
    apps = gen.application_rows(fmt, year, 120, 31)
    cases = gen.case_rows(fmt, year, 12, 32)
    book = _book(tmp_path, fid, year, apps, cases)
    again = tmp_path / "again.xlsx"
    assert cli.main(["new", "--from", str(book), "--year", str(year), "-o", str(again)]) == 0
    a, b = loading.load(book).report, loading.load(again).report
    assert a.tables == b.tables and len(b.register) == len(apps) + len(cases)
    assert {k: b.get(k) for k in reg.counted_keys(fmt)} == gen.independent_counts(fmt, year, apps, cases)


def test_addin_run_new_year_with_register_from_a_typed_workbook(tmp_path, capsys):
    fid, year = FORMAT_YEARS[-1]
    book = tmp_path / "typed.xlsx"
    assert cli.main(["new", "--year", str(year), "--format", fid, "-o", str(book)]) == 0
    assert cli.main(["addin", "run", "new-year", str(book), "--register"]) == 0
    said = capsys.readouterr().out
    assert "本工作簿没有台账" in said
    written = next(p for p in tmp_path.glob("*.xlsx") if p != book)
    nxt = loading.load(written).report
    assert nxt.year == year + 1 and nxt.register is not None and len(nxt.register) == 0
    assert cli.main(["addin", "run", "export", str(book), "--register"]) == 2


def test_a_full_register_fits_the_limit_of_one_sheet_part(tmp_path):
    """MAX_ROWS rows of an ordinary register (short texts, as the benchmark's), as nianbao writes them, stay
    under the XML part limit every reader applies (rows with long texts take more: docs/register.md)."""
    from nianbao import zipparts
    fid, year = FORMAT_YEARS[-1]
    fmt = formats.get(fid)
    n = 1000
    apps = [(f"2025-{i:05d}", dt.date(year, 1, 1), "李建国", "自然人", "申请公开某项目批复文件",
             fmt.requests.result_option(fmt.requests.result_leaves[0]), dt.date(year, 12, 31), None)
            for i in range(n)]
    path = _book(tmp_path, fid, year, apps, [])
    empty = _book(tmp_path, fid, year, [], [], "empty.xlsx")
    sheet = fmt.register("applications").sheet

    def part_size(p):
        wb = openpyxl.load_workbook(p, read_only=True)
        index = wb.sheetnames.index(sheet) + 1
        with zipfile.ZipFile(p) as z:
            return z.getinfo(f"xl/worksheets/sheet{index}.xml").file_size

    per_row = (part_size(path) - part_size(empty)) / n
    assert part_size(empty) + per_row * reg.MAX_ROWS < zipparts.MAX_XML_PART_BYTES
