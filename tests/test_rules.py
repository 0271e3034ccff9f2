"""Every rule of format.md §6: a failing and a passing case, against hand-computed expectations."""
from __future__ import annotations

import json
import re

import pytest

from nianbao import examples, formats, rules
from nianbao.rules import narrative
from nianbao.model import empty_report, from_dict
from reportgen import clone, put, zero_report

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(report, previous=None):
    return rules.check(report, previous)


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


def assert_message(finding, *numbers):
    """The message is Chinese and states each number (as a whole token, not inside a longer number)."""
    assert CJK.search(finding.message), finding.message
    for n in numbers:
        assert re.search(rf"(?<![\d.]){re.escape(str(n))}(?![\d.])", finding.message), (n, finding.message)


def r(row, col):
    return f"requests.{row}.{col}"


# ---------------------------------------------------------------- the examples
def test_seed_has_no_errors_and_only_v2_for_its_blank_cells():
    raw = json.loads(examples.path("seed").read_bytes())
    blank = {f"{t}.{row}.{col}" for t, rows in raw["tables"].items() for row, cols in rows.items()
             for col, v in cols.items() if v is None}
    assert len(blank) == 147  # the seed's table 三 has 161 cells, 14 of them filled; 二 and 四 have none blank
    findings = run(examples.load("seed"))
    assert {f.rule for f in findings} == {"V-2"}
    assert all(f.severity == "warning" for f in findings)
    flagged = [k for f in findings for k in f.cells]
    assert len(flagged) == len(set(flagged))
    # Every blank cell but the totals of blank parts (formulas in the workbook; their parts are listed).
    from nianbao.rules.values import total_parts
    totals = {k for k, parts in total_parts(examples.load("seed").fmt).items() if parts & blank}
    assert set(flagged) == blank - totals and totals
    # One finding per table row that has blanks it reports.
    assert len(findings) == len({k.rsplit(".", 1)[0] for k in blank - totals})


def test_seed_numbers_as_in_format_md():
    seed = examples.load("seed")
    assert seed.number(r("new", "natural")) == 14 and seed.number(r("new", "total")) == 16
    assert seed.number(r("results_total", "total")) == 16
    assert seed.get("active.procurement.amount") == "2807.19万元"
    assert seed.get("active.licensing.change") == -1
    assert seed.number("appeals.review.total") == 1


def test_example_2021_passes_every_rule():
    assert run(examples.load("example2021")) == []


def test_example_2021_against_itself_as_previous_year():
    """With itself as last year: X-1 fires where 上年结转 differs from 结转下年度, X-2 where documents changed,
    and N-2 because the narrative is identical."""
    ex = examples.load("example2021")
    findings = run(ex, clone(ex))
    x1 = only(findings, "X-1")
    # carried_over natural 5 / carry_forward natural 6, commercial 1/1, legal 1/0, other 0/1, total 7/8.
    assert {f.cells[0]: (f.expected, f.actual) for f in x1} == {
        r("carried_over", "natural"): (6, 5), r("carried_over", "legal"): (0, 1),
        r("carried_over", "other"): (1, 0), r("carried_over", "total"): (8, 7)}
    x2 = only(findings, "X-2")
    assert [(list(f.cells), f.expected, f.actual) for f in x2] == [(["active.normative_docs.in_force"], 52, 48)]
    assert only(findings, "N-2")[0].actual == 1.0


# ---------------------------------------------------------------- T3-1
def test_t3_1_fails_when_new_plus_carried_differs_from_results_plus_carry_forward():
    rep = put(zero_report("2021"), {
        r("new", "natural"): 5, r("new", "total"): 5,
        r("disclosed", "natural"): 3, r("disclosed", "total"): 3,
        r("results_total", "natural"): 3, r("results_total", "total"): 3,
        r("carry_forward", "natural"): 1, r("carry_forward", "total"): 1,
    })
    findings = run(rep)
    assert {f.rule for f in findings} == {"T3-1"}
    by_target = {f.cells[0]: f for f in findings}
    assert set(by_target) == {r("results_total", "natural"), r("results_total", "total")}
    f = by_target[r("results_total", "natural")]
    assert f.severity == "error"
    assert (f.expected, f.actual) == (5, 4)  # 5 + 0 against 3 + 1
    assert set(f.cells) == {r("new", "natural"), r("carried_over", "natural"), r("results_total", "natural"),
                            r("carry_forward", "natural")}
    assert "自然人列" in f.message
    assert_message(f, 5, 4)


def test_t3_1_passes_when_balanced():
    rep = put(zero_report("2021"), {
        r("new", "natural"): 5, r("new", "total"): 5,
        r("carried_over", "natural"): 2, r("carried_over", "total"): 2,
        r("disclosed", "natural"): 4, r("disclosed", "total"): 4,
        r("results_total", "natural"): 4, r("results_total", "total"): 4,
        r("carry_forward", "natural"): 3, r("carry_forward", "total"): 3,
    })
    assert run(rep) == []


# ---------------------------------------------------------------- T3-2
def test_t3_2_fails_when_a_row_does_not_add_up():
    rep = put(zero_report("2019"), {
        r("new", "natural"): 3, r("new", "commercial"): 2, r("new", "total"): 6,
        r("disclosed", "natural"): 3, r("disclosed", "commercial"): 2, r("disclosed", "total"): 6,
        r("results_total", "natural"): 3, r("results_total", "commercial"): 2, r("results_total", "total"): 6,
    })
    findings = run(rep)
    assert {f.rule for f in findings} == {"T3-2"}
    by_target = {f.cells[0]: f for f in findings}
    assert set(by_target) == {r("new", "total"), r("disclosed", "total"), r("results_total", "total")}
    f = by_target[r("new", "total")]
    assert (f.severity, f.expected, f.actual) == ("error", 5, 6)
    assert len(f.cells) == 7 and all(k.startswith("requests.new.") for k in f.cells)
    assert "「一、本年新收政府信息公开申请数量」行" in f.message
    assert_message(f, 5, 6)


def test_t3_2_passes():
    rep = put(zero_report("2019"), {
        r("new", "natural"): 3, r("new", "commercial"): 2, r("new", "total"): 5,
        r("other_handling", "natural"): 3, r("other_handling", "commercial"): 2, r("other_handling", "total"): 5,
        r("results_total", "natural"): 3, r("results_total", "commercial"): 2, r("results_total", "total"): 5,
    })
    assert run(rep) == []


# ---------------------------------------------------------------- T3-3
def test_t3_3_fails_when_results_do_not_add_up_to_the_stated_total():
    # The real case of format.md: result rows add up to 26 against a stated （七） of 20; T3-1 still holds.
    rep = put(zero_report("2021"), {
        r("new", "natural"): 20, r("new", "total"): 20,
        r("disclosed", "natural"): 20, r("disclosed", "total"): 20,
        r("unavailable_not_held", "natural"): 6, r("unavailable_not_held", "total"): 6,
        r("results_total", "natural"): 20, r("results_total", "total"): 20,
    })
    findings = run(rep)
    assert {f.rule for f in findings} == {"T3-3"}
    by_target = {f.cells[0]: f for f in findings}
    f = by_target[r("results_total", "natural")]
    assert f.message == "自然人列：办理结果各项之和为26，（七）总计填报为20"
    assert (f.severity, f.expected, f.actual) == ("error", 26, 20)
    assert r("unavailable_not_held", "natural") in f.cells and r("other_no_fee", "natural") in f.cells
    assert len(f.cells) == 22  # 21 leaf rows + the stated total
    assert by_target[r("results_total", "total")].message == "总计列：办理结果各项之和为26，（七）总计填报为20"
    assert len(findings) == 2


def test_t3_3_passes_with_every_leaf_row_counted():
    rep = zero_report("2021")
    leaves = rep.fmt.requests.result_leaves
    for i, row in enumerate(leaves, start=1):
        put(rep, {r(row, "legal"): i, r(row, "total"): i})
    n = len(leaves) * (len(leaves) + 1) // 2
    put(rep, {r("new", "legal"): n, r("new", "total"): n,
              r("results_total", "legal"): n, r("results_total", "total"): n})
    rep.sections = {"other_matters": ["本年度发出收费通知若干件，未实际收取信息处理费。"]}  # for P-2
    assert run(rep) == []


# ---------------------------------------------------------------- T4-1
def test_t4_1_fails():
    rep = put(zero_report("2021"), {"appeals.review.upheld": 1, "appeals.review.corrected": 1,
                                    "appeals.review.pending": 1, "appeals.review.total": 2,
                                    "appeals.litigation_after_review.other": 2,
                                    "appeals.litigation_after_review.total": 3})
    findings = run(rep)
    assert [f.rule for f in findings] == ["T4-1", "T4-1"]
    review, after = findings
    assert review.cells[0] == "appeals.review.total"
    assert (review.severity, review.expected, review.actual) == ("error", 3, 2)
    assert set(review.cells) == {f"appeals.review.{m}" for m in ("upheld", "corrected", "other", "pending", "total")}
    assert review.message.startswith("行政复议：")
    assert_message(review, 3, 2)
    assert after.cells[0] == "appeals.litigation_after_review.total"
    assert (after.expected, after.actual) == (2, 3)
    assert "复议后起诉" in after.message


def test_t4_1_passes():
    rep = put(zero_report("2019"), {"appeals.litigation_direct.upheld": 2, "appeals.litigation_direct.pending": 1,
                                    "appeals.litigation_direct.total": 3})
    assert run(rep) == []


# ---------------------------------------------------------------- V-1
@pytest.mark.parametrize("key, value", [
    (r("new", "natural"), "十四"),
    (r("new", "natural"), -3),
    (r("new", "natural"), 1.5),
    (r("new", "natural"), "12件"),
    ("appeals.review.total", "#REF!"),
    ("active.normative_docs.in_force", -1),
    ("active.fees.amount_wan", -0.5),
    ("active.fees.amount_wan", "八十万"),
])
def test_v1_fails_on_unusable_values(key, value):
    rep = put(zero_report("2021"), {key: value})
    findings = run(rep)
    assert [(f.rule, f.severity, list(f.cells)) for f in findings] == [("V-1", "error", [key])]
    f = findings[0]
    assert f.actual == value
    assert_message(f, value)
    # The sums that involve the cell are not evaluated on a value that cannot be read.
    assert not only(findings, "T3-1") and not only(findings, "T3-2")


@pytest.mark.parametrize("key, value", [(r("new", "natural"), "十四"), (r("new", "natural"), -3)])
def test_v1_on_2019_cells(key, value):
    rep = put(zero_report("2019"), {key: value, "active.licensing.change": 1.5})
    findings = run(rep)
    assert sorted(f.cells[0] for f in findings if f.rule == "V-1") == ["active.licensing.change", key]
    change = next(f for f in findings if list(f.cells) == ["active.licensing.change"])
    assert "整数" in change.message and change.severity == "error"


def test_v1_numeric_text_is_a_warning_and_the_number_is_used():
    rep = put(zero_report("2021"), {r("new", "natural"): "１２", r("new", "total"): 12,
                                    r("disclosed", "natural"): 12, r("disclosed", "total"): "12",
                                    r("results_total", "natural"): 12, r("results_total", "total"): 12})
    findings = run(rep)
    assert [(f.rule, f.severity) for f in findings] == [("V-1", "warning"), ("V-1", "warning")]
    f = next(f for f in findings if list(f.cells) == [r("new", "natural")])
    assert (f.expected, f.actual) == (12, "１２")
    assert_message(f, 12)
    # Spoil a sum: the numeric text is used in it.
    put(rep, {r("new", "total"): 13})
    t32 = only(run(rep), "T3-2")
    assert [(f.cells[0], f.expected, f.actual) for f in t32] == [(r("new", "total"), 12, 13)]


def test_v1_signed_change_accepts_signs_in_2019():
    rep = put(zero_report("2019"), {"active.licensing.change": -1, "active.other_services.change": "+5",
                                    "active.fees.change": 0})
    findings = run(rep)
    assert [(f.rule, f.severity, list(f.cells)) for f in findings] == [
        ("V-1", "warning", ["active.other_services.change"])]


def test_v1_passes_on_whole_numbers_and_money():
    rep = put(zero_report("2021"), {"active.fees.amount_wan": 86.42, "active.licensing.decisions": 5149.0,
                                    "active.normative_docs.in_force": 11})
    assert run(rep) == []


# ---------------------------------------------------------------- V-2
def test_v2_one_finding_per_row_listing_the_blank_cells():
    rep = put(zero_report("2021"), {r("withheld_law", "research"): None, r("withheld_law", "nonprofit"): None,
                                    r("withheld_law", "legal"): "/",
                                    r("withheld_law", "total"): "无", "appeals.review.other": "—",
                                    "active.fees.amount_wan": ""})
    findings = run(rep)
    assert all(f.rule == "V-2" and f.severity == "warning" for f in findings)
    by_first = {f.cells[0]: f for f in findings}
    assert len(findings) == 4
    row = by_first[r("withheld_law", "research")]
    # The 总计 of blank parts is a formula the clerk cannot type into: its blank parts are reported.
    assert list(row.cells) == [r("withheld_law", "research"), r("withheld_law", "nonprofit")]
    assert row.expected == 0 and row.actual is None
    assert "2个单元格为空" in row.message and "科研机构、社会公益组织" in row.message
    assert r("withheld_law", "total") not in {k for f in findings for k in f.cells}
    # A blank mark is reported as what it is, its text in ``actual``.
    slash = by_first[r("withheld_law", "legal")]
    assert (list(slash.cells), slash.actual, slash.expected) == ([r("withheld_law", "legal")], "/", 0)
    assert "「/」" in slash.message and "为空" not in slash.message
    dash = by_first["appeals.review.other"]
    assert dash.actual == "—" and "「—」" in dash.message and "0" in dash.message
    empty = by_first["active.fees.amount_wan"]
    assert list(empty.cells) == ["active.fees.amount_wan"] and "为空" in empty.message


def test_v2_leaves_out_the_totals_of_a_new_workbook(tmp_path):
    from nianbao import loading, workbook
    from nianbao.rules.values import total_parts
    fmt = formats.get(formats.id_for_year(2021))
    path = tmp_path / "new.xlsx"
    workbook.write(empty_report(fmt.id, 2021), path)
    v2 = [f for f in loading.assess(loading.load(path)).findings if f.rule == "V-2"]
    flagged = {k for f in v2 for k in f.cells}
    assert flagged and not flagged & set(total_parts(fmt))
    leaves = {f.key for f in fmt.fields() if f.kind != "text"} - set(total_parts(fmt))
    assert leaves <= flagged


def test_v2_passes_with_explicit_zeros():
    assert run(zero_report("2019")) == []


# ---------------------------------------------------------------- V-3
@pytest.mark.parametrize("amount, fires", [
    (86.42, False), (86.4213, False), (0, False), (99999.99, False),
    (86.42135, True),          # 5 decimals
    (0.00001, True),           # 5 decimals, written by Python as 1e-05
    (123456, True),            # probably entered in 元
    ("0.123456", True),        # numeric text with 6 decimals
])
def test_v3_fee_amount(amount, fires):
    rep = put(zero_report("2021"), {"active.fees.amount_wan": amount})
    v3 = only(run(rep), "V-3")
    if not fires:
        assert v3 == []
        return
    assert len(v3) == 1
    f = v3[0]
    assert (f.severity, list(f.cells)) == ("warning", ["active.fees.amount_wan"])
    assert "万元" in f.message


def test_v3_decimals_message_states_the_amount_as_written():
    rep = put(zero_report("2021"), {"active.fees.amount_wan": 0.00001})
    f = only(run(rep), "V-3")[0]
    assert "0.00001万元" in f.message and "4位" in f.message


def test_v3_large_amount_message_states_the_amount():
    rep = put(zero_report("2021"), {"active.fees.amount_wan": 123456})
    f = only(run(rep), "V-3")[0]
    assert f.actual == 123456
    assert_message(f, 123456)
    assert "元" in f.message


@pytest.mark.parametrize("level, amount, fires", [
    ("county", 35000, True), ("county_dept", 35000, True), ("township", 1500, True),
    ("province", 35000, False), ("state_council_dept", 500000, False), (None, 35000, False),
    ("county", 800, False), ("city_dept", 60000, True), ("other", 35000, False),
])
def test_v3_bound_depends_on_the_level(level, amount, fires):
    rep = put(zero_report("2021", level=level), {"active.fees.amount_wan": amount})
    v3 = only(run(rep), "V-3")
    assert bool(v3) == fires
    if fires and level != "other":
        from nianbao.model import LEVELS
        assert LEVELS[level] in v3[0].message


# ---------------------------------------------------------------- S-1
@pytest.mark.parametrize("format_id, year, want", [("2019", 2021, "2021"), ("2019", 2024, "2021"),
                                                   ("2021", 2020, "2019"), ("2021", 2019, "2019")])
def test_s1_fails_when_format_does_not_match_year(format_id, year, want):
    findings = run(zero_report(format_id, year))
    assert [f.rule for f in findings] == ["S-1"]
    f = findings[0]
    assert (f.severity, f.expected, f.actual) == ("error", want, format_id)
    assert_message(f, year)
    assert f"{want}年格式" in f.message


@pytest.mark.parametrize("format_id, year", [("2019", 2019), ("2019", 2020), ("2021", 2021), ("2021", 2026)])
def test_s1_passes(format_id, year):
    assert run(zero_report(format_id, year)) == []


# ----------------------------------------------------------------
def test_x1_fails_when_carried_over_differs_from_last_years_carry_forward():
    prev = put(zero_report("2019", 2020), {
        r("new", "natural"): 2, r("new", "total"): 2,
        r("carry_forward", "natural"): 2, r("carry_forward", "total"): 2})
    this = zero_report("2021", 2021)
    findings = run(this, prev)
    x1 = only(findings, "X-1")
    assert [(list(f.cells), f.expected, f.actual, f.severity) for f in x1] == [
        ([r("carried_over", "natural")], 2, 0, "error"), ([r("carried_over", "total")], 2, 0, "error")]
    assert "2020年度报告" in x1[0].message
    assert_message(x1[0], 2, 0)
    assert {f.rule for f in findings} == {"X-1"}


def test_x1_passes_and_needs_previous():
    prev = put(zero_report("2021", 2023), {
        r("new", "natural"): 2, r("new", "total"): 2,
        r("carry_forward", "natural"): 2, r("carry_forward", "total"): 2})
    this = put(zero_report("2021", 2024), {
        r("carried_over", "natural"): 2, r("carried_over", "total"): 2,
        r("disclosed", "natural"): 2, r("disclosed", "total"): 2,
        r("results_total", "natural"): 2, r("results_total", "total"): 2})
    assert run(this, prev) == []
    # Without last year's report the rule cannot run.
    assert run(put(clone(this), {r("carried_over", "natural"): 9, r("carried_over", "total"): 9,
                                 r("carry_forward", "natural"): 7, r("carry_forward", "total"): 7})) == []


# ----------------------------------------------------------------
def test_x2_fails_when_in_force_does_not_follow_last_year():
    prev = put(zero_report("2021", 2023), {"active.normative_docs.in_force": 40})
    this = put(zero_report("2021", 2024), {"active.normative_docs.issued": 6, "active.normative_docs.repealed": 2,
                                           "active.normative_docs.in_force": 45})
    findings = run(this, prev)
    assert [(f.rule, f.severity, list(f.cells), f.expected, f.actual) for f in findings] == [
        ("X-2", "warning", ["active.normative_docs.in_force"], 44, 45)]
    assert_message(findings[0], 40, 6, 2, 44, 45)
    assert "行政规范性文件" in findings[0].message


def test_x2_passes():
    prev = put(zero_report("2021", 2023), {"active.normative_docs.in_force": 40, "active.rules.in_force": 3})
    this = put(zero_report("2021", 2024), {"active.normative_docs.issued": 6, "active.normative_docs.repealed": 2,
                                           "active.normative_docs.in_force": 44, "active.rules.in_force": 3})
    assert run(this, prev) == []


# ----------------------------------------------------------------
def test_x3_fails_on_total_public_and_prev_items():
    prev = put(zero_report("2019", 2019), {"active.rules.total_public": 2,
                                           "active.licensing.prev_items": 8, "active.licensing.change": -1})
    this = put(zero_report("2019", 2020), {"active.rules.published": 1, "active.rules.total_public": 2,
                                           "active.licensing.prev_items": 8})
    findings = run(this, prev)
    assert {f.rule for f in findings} == {"X-3"}
    by_cell = {f.cells[0]: f for f in findings}
    assert set(by_cell) == {"active.rules.total_public", "active.licensing.prev_items"}
    f = by_cell["active.rules.total_public"]
    assert (f.severity, f.expected, f.actual) == ("warning", 3, 2)
    assert_message(f, 3, 2)
    f = by_cell["active.licensing.prev_items"]
    assert (f.expected, f.actual) == (7, 8)
    assert_message(f, 8, -1, 7)


def test_x3_passes():
    prev = put(zero_report("2019", 2019), {"active.rules.total_public": 2,
                                           "active.licensing.prev_items": 8, "active.licensing.change": -1})
    this = put(zero_report("2019", 2020), {"active.rules.published": 1, "active.rules.total_public": 3,
                                           "active.licensing.prev_items": 7, "active.licensing.change": 2})
    assert run(this, prev) == []


# ---------------------------------------------------------------- P-1
@pytest.mark.parametrize("level", ["county", "county_dept", "township", "province_dept", "city_dept"])
def test_p1_fails_for_agencies_without_rule_making_power(level):
    rep = put(zero_report("2021", level=level), {"active.rules.issued": 1, "active.rules.repealed": 2})
    findings = run(rep)
    assert [(f.rule, f.severity, list(f.cells), f.expected, f.actual) for f in findings] == [
        ("P-1", "warning", ["active.rules.issued"], 0, 1), ("P-1", "warning", ["active.rules.repealed"], 0, 2)]
    assert_message(findings[0], 1)
    assert "规章" in findings[0].message


def test_p1_fails_on_2019_made():
    rep = put(zero_report("2019", level="county"), {"active.rules.made": 3, "active.rules.total_public": 3,
                                                    "active.rules.published": 3})
    findings = run(rep)
    assert [(f.rule, list(f.cells), f.actual) for f in findings] == [("P-1", ["active.rules.made"], 3)]


@pytest.mark.parametrize("level", ["state_council_dept", "province", "city", None])
def test_p1_passes_for_agencies_that_may_make_rules(level):
    rep = put(zero_report("2021", level=level), {"active.rules.issued": 1, "active.rules.in_force": 11})
    assert run(rep) == []


def test_p1_passes_for_a_county_with_zero_rules():
    # 现行有效 规章 are not counted: P-1 looks at what the agency made or repealed itself.
    assert run(put(zero_report("2021", level="county"), {"active.rules.in_force": 2})) == []


# ---------------------------------------------------------------- P-2
def _fee_report(other_matters):
    rep = put(zero_report("2021"), {
        r("new", "natural"): 2, r("new", "total"): 2,
        r("other_no_fee", "natural"): 2, r("other_no_fee", "total"): 2,
        r("results_total", "natural"): 2, r("results_total", "total"): 2})
    rep.sections = {"overview": ["本年度共发出收费通知2件，收取信息处理费0元。"], "other_matters": other_matters}
    return rep


def test_p2_fails_when_section_six_is_silent_about_fees():
    findings = run(_fee_report(["本年度无其他需要报告的事项。"]))
    assert [(f.rule, f.severity, list(f.cells), f.actual) for f in findings] == [
        ("P-2", "warning", [r("other_no_fee", "total")], 2)]
    assert_message(findings[0], 2)
    assert "信息处理费" in findings[0].message
    # Section 六 missing altogether (the fee text in 一 does not count).
    assert [f.rule for f in run(_fee_report([]))] == ["P-2"]
    # 「行政事业性收费」 (table 二's fee line) is not a word about 信息处理费.
    assert [f.rule for f in run(_fee_report(["本年度行政事业性收费情况见表二。"]))] == ["P-2"]


@pytest.mark.parametrize("text", ["本机关本年度发出收费通知2件，未实际收取信息处理费。", "本年度未收取费用。"])
def test_p2_passes_when_section_six_reports_fees(text):
    assert run(_fee_report([text])) == []


def test_p2_passes_without_fee_notices():
    assert run(zero_report("2021")) == []


# ---------------------------------------------------------------- N-1
def _n1_report():
    """new 16 (+ carried over 2), results 15, carry forward 3, review 1, litigation 1 + 2."""
    rep = put(zero_report("2021"), {
        r("new", "natural"): 16, r("new", "total"): 16,
        r("carried_over", "natural"): 2, r("carried_over", "total"): 2,
        r("disclosed", "natural"): 15, r("disclosed", "total"): 15,
        r("results_total", "natural"): 15, r("results_total", "total"): 15,
        r("carry_forward", "natural"): 3, r("carry_forward", "total"): 3,
        "appeals.review.pending": 1, "appeals.review.total": 1,
        "appeals.litigation_direct.upheld": 1, "appeals.litigation_direct.total": 1,
        "appeals.litigation_after_review.pending": 2, "appeals.litigation_after_review.total": 2,
    })
    assert run(rep) == []
    return rep


N1_FAILING = [
    # (text, cells, table value, stated number)
    ("全年共收到政府信息公开申请20件。", ["requests.new.total"], 16, 20),
    ("本年度新收政府信息公开申请二十件。", ["requests.new.total"], 16, 20),
    ("2024年我单位受理依申请公开事项17件，全部按期办结。", ["requests.new.total"], 16, 17),
    ("全年接到各类政府信息公开申请共计十九件。", ["requests.new.total"], 16, 19),
    ("本年度共收到申请16件，办结14件。", ["requests.results_total.total"], 15, 14),
    ("对收到的政府信息公开申请，均依法答复12件。", ["requests.results_total.total"], 15, 12),
    ("上年结转5件，已全部办结。", ["requests.carried_over.total"], 2, 5),
    ("结转下年度继续办理4件。", ["requests.carry_forward.total"], 3, 4),
    ("结转至下一年度办理一件。", ["requests.carry_forward.total"], 3, 1),
    ("全年发生政府信息公开行政复议2件。", ["appeals.review.total"], 1, 2),
    ("被提起行政诉讼5起。", ["appeals.litigation_direct.total", "appeals.litigation_after_review.total"], 3, 5),
]


@pytest.mark.parametrize("text, cells, table, stated", N1_FAILING, ids=[t for t, *_ in N1_FAILING])
def test_n1_fails_when_the_text_contradicts_the_tables(text, cells, table, stated):
    rep = _n1_report()
    rep.sections = {"overview": [{"heading": "（二）依申请公开", "paragraphs": [text]}]}
    findings = run(rep)
    assert [f.rule for f in findings] == ["N-1"]
    f = findings[0]
    assert (f.severity, list(f.cells), f.expected, f.actual) == ("warning", cells, table, stated)
    assert_message(f, table, stated)
    assert "正文" in f.message


N1_PASSING = [
    "全年共收到政府信息公开申请16件。",
    "本年度新收政府信息公开申请十六件，加上年结转2件，共计受理申请18件。",
    "受理政府信息公开申请18件（含上年结转）。",   # new + carried over is also accepted
    "本年度共收到申请16件，办结15件。",
    "上年结转2件。结转下年度继续办理3件。",
    "全年发生政府信息公开行政复议1件，行政诉讼3件。",
    # The seed's sentence about messages answered: not about applications.
    "2020年答复门户网站咨询留言、政务服务网投诉咨询、政务服务热线、闪电山东网民留言事项共573条。",
    "受理政府信息公开申请16件，答复网民留言573件。",
    "全年收到人大代表建议40件、政协提案12件。",
    "全年办理群众来信12件，答复网上咨询30件。",
    # A count of one kind of applicant is not the total.
    "全年共收到自然人申请14件、法人或其他组织申请2件。",
    "本年度办结自然人申请13件、企业申请2件。",
]


@pytest.mark.parametrize("text", N1_PASSING)
def test_n1_passes_when_the_text_agrees_or_is_about_something_else(text):
    rep = _n1_report()
    rep.sections = {"other_matters": [text]}
    assert only(run(rep), "N-1") == []


def test_n1_does_not_fire_on_the_seed():
    seed = examples.load("seed")
    assert "573条" in seed.narrative_text()
    assert only(run(seed), "N-1") == []
    claims = {(c.name, n) for c, n, _ in narrative.find_claims(seed.narrative_text(), seed.fmt.claims)}
    assert claims == {("本年新收政府信息公开申请", 16)}


def test_n1_reports_each_contradiction_once():
    rep = _n1_report()
    rep.sections = {"overview": ["收到政府信息公开申请20件。", "全年收到政府信息公开申请20件。"],
                    "problems": ["行政复议3件。"]}
    findings = only(run(rep), "N-1")
    assert [(f.cells[0], f.actual) for f in findings] == [("requests.new.total", 20), ("appeals.review.total", 3)]


@pytest.mark.parametrize("token, value", [("16", 16), ("十六", 16), ("二十", 20), ("十", 10), ("一百零二", 102),
                                          ("两", 2), ("三百", 300), ("〇", 0)])
def test_chinese_numbers(token, value):
    assert narrative.cn_number(token) == value


# ---------------------------------------------------------------- N-2
def _narrative_report(year, sentences):
    rep = zero_report("2021", year)
    rep.sections = {"overview": list(sentences)}
    return rep


LAST_YEAR = ["2023年，本机关认真贯彻落实政府信息公开条例，持续加大主动公开力度。",
             "全年通过门户网站主动公开政府信息1200条，及时回应社会关切。",
             "严格执行保密审查制度，坚持先审查后公开的原则。"]


def test_n2_fails_when_the_text_repeats_last_year():
    prev = _narrative_report(2023, LAST_YEAR)
    # Only the year and the numbers changed: still the same text.
    this = _narrative_report(2024, [s.replace("2023", "2024").replace("1200", "1350") for s in LAST_YEAR])
    findings = run(this, prev)
    assert [(f.rule, f.severity) for f in findings] == [("N-2", "warning")]
    f = findings[0]
    assert (f.expected, f.actual) == (0.5, 1.0)
    assert "100%" in f.message and "2023年度" in f.message and "雷同" in f.message


def test_n2_passes_when_mostly_new():
    prev = _narrative_report(2023, LAST_YEAR)
    this = _narrative_report(2024, [
        LAST_YEAR[2],
        "2024年，本机关围绕优化营商环境，集中公开惠企政策和办事指南，并逐项配发图解。",
        "新建政策文件库，对现行有效的行政规范性文件实行统一检索和动态更新。",
        "组织开展政务公开专题培训，覆盖各科室及所属单位。"])
    ratio = narrative.repetition_ratio(this.narrative_text(), prev.narrative_text())
    assert 0 < ratio < 0.5
    assert run(this, prev) == []


def test_n2_needs_text_on_both_sides():
    prev = _narrative_report(2023, [])
    this = _narrative_report(2024, LAST_YEAR)
    assert run(this, prev) == []


# ---------------------------------------------------------------- the engine
def test_findings_sorted_errors_first_and_json_shape():
    rep = put(zero_report("2021", level="county"), {
        "active.rules.issued": 1, r("new", "natural"): "十四", "appeals.review.total": 1})
    findings = run(rep)
    assert [f.severity for f in findings] == sorted((f.severity for f in findings), key=lambda s: s != "error")
    assert [f.rule for f in findings] == ["T4-1", "V-1", "P-1"]
    data = rules.findings_json(findings, rep, "年报.json")
    assert (data["file"], data["format"], data["year"], data["ok"], data["errors"], data["warnings"]) == (
        "年报.json", "2021", 2024, False, 2, 1)
    for f in data["findings"]:
        assert set(f) == {"rule", "severity", "message", "cells", "locations", "expected", "actual"}
    json.dumps(data, ensure_ascii=False)


def test_locations_come_from_the_locate_function():
    rep = put(zero_report("2021"), {"appeals.review.total": 1})
    findings = rules.check(rep, locate=lambda key: f"四!{key.split('.')[-1]}" if key.endswith("total") else None)
    assert list(findings[0].locations) == ["四!total"]


def test_numeric_text_in_the_seed_is_a_v1_warning_only():
    seed = examples.load("seed")
    data = seed.to_dict()
    data["tables"]["requests"]["new"]["natural"] = "１４"
    findings = run(from_dict(data))
    v1 = only(findings, "V-1")
    assert [(f.severity, f.expected) for f in v1] == [("warning", 14)]


# ---------------------------------------------------------------- P-2 with the fee fields
def _fees(rep, **fees):
    rep.fees = dict(fees)
    return rep


def test_p2_fee_fields_filled_but_collected_left_blank_is_reported():
    # 2 notices, 300 元 typed, section 六 empty: not 「全部通过」.
    rep = _fees(zero_report("2021"), notices=2, notice_amount_yuan=300)
    findings = run(rep)
    assert [f.rule for f in findings] == ["P-2"]
    assert findings[0].cells == ("fees.collected_yuan",) and "实际收取" in findings[0].message


def test_p2_fee_fields_complete_and_section_six_empty_pass():
    # The Word report writes the standard sentence from the fields.
    assert run(_fees(zero_report("2021"), notices=2, notice_amount_yuan=300, collected_yuan=300)) == []
    assert run(_fees(zero_report("2021"), notices=0, notice_amount_yuan=0, collected_yuan=0)) == []


def test_p2_fee_fields_disagree_among_themselves():
    more = run(_fees(zero_report("2021"), notices=1, notice_amount_yuan=100, collected_yuan=150))
    assert [(f.rule, f.expected, f.actual) for f in more] == [("P-2", 100, 150)]
    assert "多于" in more[0].message
    none_sent = run(_fees(zero_report("2021"), notices=0, notice_amount_yuan=0, collected_yuan=50))
    assert [f.rule for f in none_sent] == ["P-2"] and "0件" in none_sent[0].message
    no_amount = run(_fees(zero_report("2021"), notices=3, notice_amount_yuan=0, collected_yuan=0))
    assert [f.rule for f in no_amount] == ["P-2"] and "金额为0元" in no_amount[0].message


def test_p2_fee_fields_against_table_three():
    rep = _fees(_fee_report(["本年度发出收费通知1件，实际收取信息处理费0元。"]),
                notices=1, notice_amount_yuan=100, collected_yuan=0)
    findings = run(rep)
    assert [f.rule for f in findings] == ["P-2"]
    f = findings[0]
    assert (f.expected, f.actual) == (2, 1) and "fees.notices" in f.cells and r("other_no_fee", "total") in f.cells
    enough = _fees(_fee_report(["本年度发出收费通知2件，实际收取信息处理费0元。"]),
                   notices=2, notice_amount_yuan=100, collected_yuan=0)
    assert run(enough) == []


def test_p2_section_six_against_the_fee_fields():
    rep = _fees(zero_report("2021"), notices=2, notice_amount_yuan=300, collected_yuan=300)
    rep.sections = {"other_matters": ["本年度无其他需要报告的事项。"]}
    silent = run(rep)
    assert [f.rule for f in silent] == ["P-2"] and "未说明信息处理费" in silent[0].message
    rep.sections = {"other_matters": ["本年度共发出收费通知３件，收取信息处理费300元。"]}
    wrong_count = run(rep)
    assert [(f.rule, f.expected, f.actual) for f in wrong_count] == [("P-2", 2, 3)]
    rep.sections = {"other_matters": ["本年度发出收费通知2件，未收取信息处理费。"]}
    said_none = run(rep)
    assert [(f.rule, f.actual) for f in said_none] == [("P-2", 300)]
    rep.sections = {"other_matters": ["本年度发出收费通知2件，收取信息处理费300元。"]}
    assert run(rep) == []


def test_p2_locates_the_fee_fields_in_the_workbook(tmp_path):
    from nianbao import loading, workbook
    rep = _fees(zero_report("2021"), notices=2, notice_amount_yuan=300)
    path = tmp_path / "fees.xlsx"
    workbook.write(rep, path)
    verdict = loading.assess(loading.load(path))
    p2 = [f for f in verdict.findings if f.rule == "P-2"]
    assert len(p2) == 1 and p2[0].locations == (workbook.info_address("fees.collected_yuan"),)


# ---------------------------------------------------------------- N-1: counts, not idioms; both readings
@pytest.mark.parametrize("text", [
    "受理申请实行“三个一”工作机制，确保依法答复。",
    "受理申请后在3个工作日内登记。",
    "对收到的申请实行「一件一档」管理。",
    "接到申请后从两个方面核查。",
])
def test_n1_does_not_take_idioms_or_measures_for_counts(text):
    rep = _n1_report()
    rep.sections = {"other_matters": [text]}
    assert only(run(rep), "N-1") == []
    assert list(narrative.find_claims(text, rep.fmt.claims)) == []


def test_n1_still_reads_a_count_followed_by_punctuation_or_words():
    rep = _n1_report()
    for text in ("全年收到申请二十件，全部办结。", "全年收到申请20件。", "收到申请三件（均为自然人）"):
        rep.sections = {"other_matters": [text]}
        assert [f.actual for f in only(run(rep), "N-1")] in ([20], [3]), text


def test_n1_a_sum_with_carried_over_not_named_is_a_warning_explaining_both_readings():
    rep = _n1_report()  # new 16, carried over 2
    rep.sections = {"other_matters": ["全年共收到政府信息公开申请18件。"]}
    findings = only(run(rep), "N-1")
    assert len(findings) == 1
    f = findings[0]
    assert (f.expected, f.actual) == (16, 18)
    assert "本年新收与上年结转之和" in f.message and "改为16件" in f.message
    assert set(f.cells) == {"requests.new.total", "requests.carried_over.total"}


def test_n2_a_new_workbook_with_only_the_carried_over_headings_is_not_a_copy(tmp_path):
    from nianbao import carryover, loading, workbook
    from nianbao.cli import main
    last = tmp_path / "last.xlsx"
    workbook.write(examples.load("seed"), last)
    this = tmp_path / "this.xlsx"
    assert main(["new", "--from", str(last), "-o", str(this)]) == 0
    verdict = loading.assess(loading.load(this))
    assert verdict.previous is not None  # last year's file was found and compared
    assert only(list(verdict.findings), "N-2") == []
    # The same with report data: the format's headings (also typed as paragraphs) are not copied text.
    prev = _narrative_report(2023, LAST_YEAR)
    prev.sections.update(carryover.skeleton(prev.fmt))
    new = zero_report("2021", 2024)
    new.sections = carryover.skeleton(new.fmt)
    heading = next(s.heading for s in new.fmt.sections if s.heading)
    new.sections["problems"] = [heading]
    prev.sections["problems"] = [heading]
    assert run(new, prev) == []
    assert narrative.written_text(new) == ""
