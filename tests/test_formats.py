"""The format definitions against format.md: field counts, labels, keys and the printed layouts."""
from __future__ import annotations

import pytest

from nianbao import formats
from nianbao.formats import RULES
from nianbao.formats.base import COUNT, MONEY, SIGNED, TEXT

F2019 = formats.get("2019")
F2021 = formats.get("2021")
BOTH = [F2019, F2021]

RESULTS = "三、本年度办理结果"
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
REJECTED = "（五）不予处理"
OTHER = "（六）其他处理"

# format.md §4, transcribed: (key, label path).
ROWS_COMMON_HEAD = [
    ("new", ("一、本年新收政府信息公开申请数量",)),
    ("carried_over", ("二、上年结转政府信息公开申请数量",)),
    ("disclosed", (RESULTS, "（一）予以公开")),
    ("partly_disclosed", (RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    ("withheld_state_secret", (RESULTS, WITHHELD, "1.属于国家秘密")),
    ("withheld_law", (RESULTS, WITHHELD, "2.其他法律行政法规禁止公开")),
    ("withheld_safety", (RESULTS, WITHHELD, "3.危及“三安全一稳定”")),
    ("withheld_third_party", (RESULTS, WITHHELD, "4.保护第三方合法权益")),
    ("withheld_internal", (RESULTS, WITHHELD, "5.属于三类内部事务信息")),
    ("withheld_process", (RESULTS, WITHHELD, "6.属于四类过程性信息")),
    ("withheld_enforcement", (RESULTS, WITHHELD, "7.属于行政执法案卷")),
    ("withheld_query", (RESULTS, WITHHELD, "8.属于行政查询事项")),
    ("unavailable_not_held", (RESULTS, UNAVAILABLE, "1.本机关不掌握相关政府信息")),
    ("unavailable_needs_creation", (RESULTS, UNAVAILABLE, "2.没有现成信息需要另行制作")),
    ("unavailable_unclear", (RESULTS, UNAVAILABLE, "3.补正后申请内容仍不明确")),
    ("rejected_petition", (RESULTS, REJECTED, "1.信访举报投诉类申请")),
    ("rejected_duplicate", (RESULTS, REJECTED, "2.重复申请")),
    ("rejected_publication", (RESULTS, REJECTED, "3.要求提供公开出版物")),
    ("rejected_excessive", (RESULTS, REJECTED, "4.无正当理由大量反复申请")),
    ("rejected_confirmation", (RESULTS, REJECTED, "5.要求行政机关确认或重新出具已获取信息")),
]
ROWS_COMMON_TAIL = [
    ("results_total", (RESULTS, "（七）总计")),
    ("carry_forward", ("四、结转下年度继续办理",)),
]
ROWS_2021 = ROWS_COMMON_HEAD + [
    ("other_no_correction", (RESULTS, OTHER, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")),
    ("other_no_fee", (RESULTS, OTHER, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")),
    ("other_misc", (RESULTS, OTHER, "3.其他")),
] + ROWS_COMMON_TAIL
ROWS_2019 = ROWS_COMMON_HEAD + [("other_handling", (RESULTS, OTHER))] + ROWS_COMMON_TAIL

LEGAL = "法人或其他组织"
COLUMNS = [
    ("natural", ("自然人",)),
    ("commercial", (LEGAL, "商业企业")),
    ("research", (LEGAL, "科研机构")),
    ("nonprofit", (LEGAL, "社会公益组织")),
    ("legal", (LEGAL, "法律服务机构")),
    ("other", (LEGAL, "其他")),
    ("total", ("总计",)),
]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# format.md §3: block title, header labels, rows (key, label, [(column key, kind)]).
ACTIVE_2021 = [
    ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], [
        ("rules", "规章", [("issued", COUNT), ("repealed", COUNT), ("in_force", COUNT)]),
        ("normative_docs", "行政规范性文件", [("issued", COUNT), ("repealed", COUNT), ("in_force", COUNT)])]),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [
        ("licensing", "行政许可", [("decisions", COUNT)])]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], [
        ("penalty", "行政处罚", [("decisions", COUNT)]),
        ("coercion", "行政强制", [("decisions", COUNT)])]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [
        ("fees", "行政事业性收费", [("amount_wan", MONEY)])]),
]
_ITEMS = [("prev_items", COUNT), ("change", SIGNED), ("decisions", COUNT)]
ACTIVE_2019 = [
    ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], [
        ("rules", "规章", [("made", COUNT), ("published", COUNT), ("total_public", COUNT)]),
        ("normative_docs", "规范性文件", [("made", COUNT), ("published", COUNT), ("total_public", COUNT)])]),
    ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], [
        ("licensing", "行政许可", _ITEMS), ("other_services", "其他对外管理服务事项", _ITEMS)]),
    ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], [
        ("penalty", "行政处罚", _ITEMS), ("coercion", "行政强制", _ITEMS)]),
    ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"], [
        ("fees", "行政事业性收费", [("prev_items", COUNT), ("change", SIGNED)])]),
    ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"], [
        ("procurement", "政府集中采购", [("items", COUNT), ("amount", TEXT)])]),
]

APPEAL_GROUPS = [("review", ("行政复议",)), ("litigation_direct", ("行政诉讼", "未经复议直接起诉")),
                 ("litigation_after_review", ("行政诉讼", "复议后起诉"))]
APPEAL_MEMBERS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
                  ("pending", "尚未审结"), ("total", "总计")]


# ---------------------------------------------------------------- counts and keys
@pytest.mark.parametrize("fmt, active, requests, appeals", [(F2019, 22, 161, 15), (F2021, 10, 175, 15)],
                         ids=["2019", "2021"])
def test_field_counts(fmt, active, requests, appeals):
    assert len(fmt.active.fields()) == active
    assert len(fmt.requests.fields()) == requests
    assert len(fmt.appeals.fields()) == appeals
    assert len(fmt.fields()) == active + requests + appeals


@pytest.mark.parametrize("fmt", BOTH, ids=["2019", "2021"])
def test_keys_unique_and_well_formed(fmt):
    keys = [f.key for f in fmt.fields()]
    assert len(keys) == len(set(keys))
    for f in fmt.fields():
        assert f.key == f"{f.table}.{f.row}.{f.column}"
        assert f.table in ("active", "requests", "appeals")
        assert fmt.has(f.key) and fmt.field(f.key) is f
    assert not fmt.has("requests.new.legal_person")
    # Row keys within table 三 are unique too (column keys: covered by the unique field keys).
    for t in fmt.tables():
        rows = [r.key for r in getattr(t, "rows", ())]
        assert len(rows) == len(set(rows))


@pytest.mark.parametrize("fmt", BOTH, ids=["2019", "2021"])
def test_layout_value_cells_are_exactly_the_fields(fmt):
    for t in fmt.tables():
        layout_keys = [c.key for c in t.layout().value_cells()]
        assert len(layout_keys) == len(set(layout_keys))
        assert sorted(layout_keys) == sorted(f.key for f in t.fields())


@pytest.mark.parametrize("fmt", BOTH, ids=["2019", "2021"])
def test_layout_covers_the_grid_exactly_once(fmt):
    for t in fmt.tables():
        layout = t.layout()
        covered: dict[tuple[int, int], int] = {}
        for c in layout.cells:
            assert c.rowspan >= 1 and c.colspan >= 1
            for r in range(c.row, c.row + c.rowspan):
                for col in range(c.col, c.col + c.colspan):
                    covered[(r, col)] = covered.get((r, col), 0) + 1
        assert set(covered) == {(r, c) for r in range(layout.rows) for c in range(layout.cols)}, t.key
        assert set(covered.values()) == {1}, t.key


# ---------------------------------------------------------------- labels (format.md)
@pytest.mark.parametrize("fmt, rows", [(F2019, ROWS_2019), (F2021, ROWS_2021)], ids=["2019", "2021"])
def test_requests_rows_and_labels(fmt, rows):
    t = fmt.requests
    assert [(r.key, r.labels) for r in t.rows] == rows
    assert [(c.key, c.labels) for c in t.columns] == COLUMNS
    assert t.note == NOTE
    assert t.header == "申请人情况"
    assert t.title == "收到和处理政府信息公开申请情况"
    assert "results_total" not in t.result_leaves and "carry_forward" not in t.result_leaves
    assert len(t.result_leaves) == (22 if fmt.id == "2021" else 20) - 1


def test_requests_row_labels_for_humans():
    t = F2021.requests
    assert t.row_label("withheld_state_secret") == "（三）不予公开1.属于国家秘密"
    assert t.row_label("disclosed") == "（一）予以公开"
    assert t.row_label("new") == "一、本年新收政府信息公开申请数量"
    assert t.column_label("commercial") == "商业企业"


@pytest.mark.parametrize("fmt, blocks", [(F2019, ACTIVE_2019), (F2021, ACTIVE_2021)], ids=["2019", "2021"])
def test_active_blocks_and_labels(fmt, blocks):
    got = []
    for b in fmt.active.blocks:
        got.append((b.title, [h for h, _ in b.header],
                    [(r.key, r.label, [(c.key, c.kind) for c in r.columns]) for r in b.rows]))
    assert got == blocks
    assert fmt.active.title == "主动公开政府信息情况"


def test_active_field_labels():
    assert F2021.field("active.rules.issued").label == "规章 / 本年制发件数"
    assert F2021.field("active.fees.amount_wan").label == "行政事业性收费 / 本年收费金额（单位：万元）"
    assert F2021.field("active.licensing.decisions").column_label == "本年处理决定数量"
    assert F2019.field("active.normative_docs.total_public").label == "规范性文件 / 对外公开总数量"
    assert F2019.field("active.fees.change").column_label == "本年增/减"


@pytest.mark.parametrize("fmt", BOTH, ids=["2019", "2021"])
def test_appeals_groups_and_members(fmt):
    t = fmt.appeals
    assert [(g, p) for g, p in t.groups] == APPEAL_GROUPS
    assert [(m, label) for m, label in t.members] == APPEAL_MEMBERS
    assert t.title == "政府信息公开行政复议、行政诉讼情况"


@pytest.mark.parametrize("fmt", BOTH, ids=["2019", "2021"])
def test_sections(fmt):
    assert [(s.key, s.heading) for s in fmt.sections] == [
        ("preamble", ""),
        ("overview", "一、总体情况"),
        ("active", "二、主动公开政府信息情况"),
        ("requests", "三、收到和处理政府信息公开申请情况"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other_matters", "六、其他需要报告的事项"),
    ]
    assert fmt.sections[1].subheadings == ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理",
                                           "（四）政府信息公开平台建设", "（五）监督保障")


# ---------------------------------------------------------------- layouts (format.md merges)
def _spans(layout):
    """{(row, col): (text, rowspan, colspan, role)} of the non-value cells."""
    return {(c.row, c.col): (c.text, c.rowspan, c.colspan, c.role) for c in layout.cells if c.role != "value"}


def _value_at(layout):
    return {(c.row, c.col): (c.key, c.rowspan, c.colspan) for c in layout.value_cells()}


@pytest.mark.parametrize("fmt", BOTH, ids=["2019", "2021"])
def test_requests_layout_header(fmt):
    lay = fmt.requests.layout()
    s = _spans(lay)
    assert lay.cols == 10 and lay.header_rows == 3
    assert lay.rows == 3 + (25 if fmt.id == "2021" else 23)
    assert s[(0, 0)] == (NOTE, 3, 3, "note")            # top-left block: 3 label columns x 3 header rows
    assert s[(0, 3)] == ("申请人情况", 1, 7, "header")  # spans the 7 value columns
    assert s[(1, 3)] == ("自然人", 2, 1, "header")      # spans 2 header rows
    assert s[(1, 4)] == (LEGAL, 1, 5, "header")         # spans 5 columns
    assert [s[(2, c)][0] for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert s[(1, 9)] == ("总计", 2, 1, "header")


def test_requests_layout_rows_2021():
    lay = F2021.requests.layout()
    s = _spans(lay)
    assert s[(3, 0)] == ("一、本年新收政府信息公开申请数量", 1, 3, "label")
    assert s[(4, 0)] == ("二、上年结转政府信息公开申请数量", 1, 3, "label")
    assert s[(5, 0)] == (RESULTS, 22, 1, "label")       # vertical merge over the 22 result rows
    assert s[(5, 1)][1:] == (1, 2, "label") and s[(5, 1)][0] == "（一）予以公开"
    assert s[(6, 1)][1:] == (1, 2, "label")
    assert s[(7, 1)] == (WITHHELD, 8, 1, "label")
    assert s[(7, 2)] == ("1.属于国家秘密", 1, 1, "label")
    assert s[(15, 1)] == (UNAVAILABLE, 3, 1, "label")
    assert s[(18, 1)] == (REJECTED, 5, 1, "label")
    assert s[(23, 1)] == (OTHER, 3, 1, "label")
    assert s[(24, 2)][0].startswith("2.申请人逾期未按收费通知")
    assert s[(26, 1)] == ("（七）总计", 1, 2, "label")
    assert s[(27, 0)] == ("四、结转下年度继续办理", 1, 3, "label")
    v = _value_at(lay)
    assert v[(3, 3)] == ("requests.new.natural", 1, 1)
    assert v[(3, 9)] == ("requests.new.total", 1, 1)
    assert v[(24, 3)] == ("requests.other_no_fee.natural", 1, 1)
    assert v[(27, 9)] == ("requests.carry_forward.total", 1, 1)


def test_requests_layout_rows_2019():
    s = _spans(F2019.requests.layout())
    assert s[(5, 0)] == (RESULTS, 20, 1, "label")       # 20 result rows in the 2019 format
    assert s[(23, 1)] == (OTHER, 1, 2, "label")          # （六）其他处理 is one row
    assert s[(24, 1)] == ("（七）总计", 1, 2, "label")
    assert s[(25, 0)] == ("四、结转下年度继续办理", 1, 3, "label")


@pytest.mark.parametrize("fmt", BOTH, ids=["2019", "2021"])
def test_appeals_layout(fmt):
    lay = fmt.appeals.layout()
    s = _spans(lay)
    assert (lay.rows, lay.cols, lay.header_rows) == (4, 15, 3)
    assert s[(0, 0)] == ("行政复议", 1, 5, "header")
    assert s[(0, 5)] == ("行政诉讼", 1, 10, "header")
    for j, (_, label) in enumerate(APPEAL_MEMBERS):
        assert s[(1, j)] == (label, 2, 1, "header")       # each review member spans 2 rows
        assert s[(2, 5 + j)] == (label, 1, 1, "header")
        assert s[(2, 10 + j)] == (label, 1, 1, "header")
    assert s[(1, 5)] == ("未经复议直接起诉", 1, 5, "header")
    assert s[(1, 10)] == ("复议后起诉", 1, 5, "header")
    v = _value_at(lay)
    assert [v[(3, j)][0] for j in range(15)] == [
        f"appeals.{g}.{m}" for g, _ in APPEAL_GROUPS for m, _ in APPEAL_MEMBERS]


def test_active_layout_2021():
    lay = F2021.active.layout()
    s = _spans(lay)
    v = _value_at(lay)
    assert (lay.rows, lay.cols) == (14, 4)
    for r, title in ((0, "第二十条第（一）项"), (4, "第二十条第（五）项"), (7, "第二十条第（六）项"),
                     (11, "第二十条第（八）项")):
        assert s[(r, 0)] == (title, 1, 4, "title")
    assert [s[(1, c)] for c in range(4)] == [("信息内容", 1, 1, "header"), ("本年制发件数", 1, 1, "header"),
                                             ("本年废止件数", 1, 1, "header"), ("现行有效件数", 1, 1, "header")]
    assert s[(2, 0)][0] == "规章" and s[(3, 0)][0] == "行政规范性文件"
    assert [v[(2, c)] for c in (1, 2, 3)] == [("active.rules.issued", 1, 1), ("active.rules.repealed", 1, 1),
                                              ("active.rules.in_force", 1, 1)]
    assert s[(5, 1)] == ("本年处理决定数量", 1, 3, "header")
    assert v[(6, 1)] == ("active.licensing.decisions", 1, 3)
    assert s[(8, 1)] == ("本年处理决定数量", 1, 3, "header")
    assert v[(9, 1)] == ("active.penalty.decisions", 1, 3)
    assert v[(10, 1)] == ("active.coercion.decisions", 1, 3)
    assert s[(12, 1)] == ("本年收费金额（单位：万元）", 1, 3, "header")
    assert s[(13, 0)][0] == "行政事业性收费"
    assert v[(13, 1)] == ("active.fees.amount_wan", 1, 3)


# ---------------------------------------------------------------- years, rules catalogue, sum checks
def test_format_for_year():
    assert formats.id_for_year(2019) == "2019" and formats.id_for_year(2020) == "2019"
    assert formats.id_for_year(2021) == "2021" and formats.id_for_year(2026) == "2021"
    assert F2019.covers(2020) and not F2019.covers(2021)
    assert F2021.covers(2021) and F2021.covers(2030) and not F2021.covers(2020)
    assert F2019.notice == "国办公开办函〔2019〕60号" and F2021.notice == "国办公开办函〔2021〕30号"
    with pytest.raises(KeyError):
        formats.get("2022")


def test_rule_catalogue():
    errors = {"T3-1", "T3-2", "T3-3", "T4-1", "V-1", "S-1", "X-1", "I-2", "I-6", "R-0", "R-2", "L-1", "L-2", "L-3", "L-4",
              "L-6"}
    warnings = {"V-2", "V-3", "X-2", "X-3", "P-1", "P-2", "N-1", "N-2", "N-3", "I-1", "I-3", "I-4", "I-5", "I-7", "R-1",
                "R-3", "R-4",
                "L-5"}
    assert set(RULES) == errors | warnings
    assert {r.id for r in RULES.values() if r.severity == "error"} == errors
    assert {r.id for r in RULES.values() if r.needs_previous} == {"X-1", "X-2", "X-3", "N-2"}
    assert {r.id for r in RULES.values() if r.needs_register} == {"L-1", "L-2", "L-3", "L-4", "L-5", "L-6"}


@pytest.mark.parametrize("fmt", BOTH, ids=["2019", "2021"])
def test_sum_checks_cover_table_three_and_four(fmt):
    checks = fmt.sum_checks()
    by_rule: dict[str, list] = {}
    for c in checks:
        by_rule.setdefault(c.rule, []).append(c)
        assert c.target in c.keys
        assert all(fmt.has(k) for k in c.keys)
    assert len(by_rule["T3-1"]) == 7 and len(by_rule["T3-3"]) == 7
    assert len(by_rule["T3-2"]) == len(fmt.requests.rows)
    assert len(by_rule["T4-1"]) == 3
    # T3-3 for the natural column sums exactly the leaf result rows.
    nat = next(c for c in by_rule["T3-3"] if c.target == "requests.results_total.natural")
    assert nat.left == tuple(f"requests.{r}.natural" for r in fmt.requests.result_leaves)
    # Every cell of table 三 takes part in T3-2, and in T3-1 or T3-3 for its column.
    t3 = fmt.requests
    assert {f.key for f in t3.fields()} == {k for c in by_rule["T3-2"] for k in c.keys}
    t31 = {k for c in by_rule["T3-1"] for k in c.keys}
    t33 = {k for c in by_rule["T3-3"] for k in c.keys}
    for col, _ in COLUMNS:
        for row in ("new", "carried_over", "results_total", "carry_forward"):
            assert f"requests.{row}.{col}" in t31
        for row in t3.result_leaves + ("results_total",):
            assert f"requests.{row}.{col}" in t33
