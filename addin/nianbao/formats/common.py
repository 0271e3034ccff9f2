"""Parts shared by both official formats: table 三's rows and columns, table 四, the sections, the rules."""
from __future__ import annotations

import re

from .base import (SENTENCE_FEES, Amount, AppealsTable, BoundSentence, Choice, Claim, CrossLink, Filled, GridColumn,
                   GridRow, Positive, RegisterColumn, RegisterSheet, RuleInfo, Section, Words)

REQUESTS_TITLE = "收到和处理政府信息公开申请情况"
REQUESTS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
REQUESTS_HEADER = "申请人情况"
RESULTS = "三、本年度办理结果"

LEGAL = "法人或其他组织"
REQUEST_COLUMNS = (
    GridColumn("natural", ("自然人",)),
    GridColumn("commercial", (LEGAL, "商业企业")),
    GridColumn("research", (LEGAL, "科研机构")),
    GridColumn("nonprofit", (LEGAL, "社会公益组织")),
    GridColumn("legal", (LEGAL, "法律服务机构")),
    GridColumn("other", (LEGAL, "其他")),
    GridColumn("total", ("总计",)),
)

WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
REJECTED = "（五）不予处理"
OTHER = "（六）其他处理"


def request_rows(other_rows: tuple[GridRow, ...]) -> tuple[GridRow, ...]:
    """Table 三's rows; the formats differ only in the （六）其他处理 rows."""
    return (
        GridRow("new", ("一、本年新收政府信息公开申请数量",)),
        GridRow("carried_over", ("二、上年结转政府信息公开申请数量",)),
        GridRow("disclosed", (RESULTS, "（一）予以公开")),
        GridRow("partly_disclosed", (RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
        GridRow("withheld_state_secret", (RESULTS, WITHHELD, "1.属于国家秘密")),
        GridRow("withheld_law", (RESULTS, WITHHELD, "2.其他法律行政法规禁止公开")),
        GridRow("withheld_safety", (RESULTS, WITHHELD, "3.危及“三安全一稳定”")),
        GridRow("withheld_third_party", (RESULTS, WITHHELD, "4.保护第三方合法权益")),
        GridRow("withheld_internal", (RESULTS, WITHHELD, "5.属于三类内部事务信息")),
        GridRow("withheld_process", (RESULTS, WITHHELD, "6.属于四类过程性信息")),
        GridRow("withheld_enforcement", (RESULTS, WITHHELD, "7.属于行政执法案卷")),
        GridRow("withheld_query", (RESULTS, WITHHELD, "8.属于行政查询事项")),
        GridRow("unavailable_not_held", (RESULTS, UNAVAILABLE, "1.本机关不掌握相关政府信息")),
        GridRow("unavailable_needs_creation", (RESULTS, UNAVAILABLE, "2.没有现成信息需要另行制作")),
        GridRow("unavailable_unclear", (RESULTS, UNAVAILABLE, "3.补正后申请内容仍不明确")),
        GridRow("rejected_petition", (RESULTS, REJECTED, "1.信访举报投诉类申请")),
        GridRow("rejected_duplicate", (RESULTS, REJECTED, "2.重复申请")),
        GridRow("rejected_publication", (RESULTS, REJECTED, "3.要求提供公开出版物")),
        GridRow("rejected_excessive", (RESULTS, REJECTED, "4.无正当理由大量反复申请")),
        GridRow("rejected_confirmation", (RESULTS, REJECTED, "5.要求行政机关确认或重新出具已获取信息")),
        *other_rows,
        GridRow("results_total", (RESULTS, "（七）总计")),
        GridRow("carry_forward", ("四、结转下年度继续办理",)),
    )


APPEALS = AppealsTable(
    title="政府信息公开行政复议、行政诉讼情况",
    groups=(
        ("review", ("行政复议",)),
        ("litigation_direct", ("行政诉讼", "未经复议直接起诉")),
        ("litigation_after_review", ("行政诉讼", "复议后起诉")),
    ),
    members=(("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
             ("pending", "尚未审结"), ("total", "总计")),
)

OVERVIEW_SUBHEADINGS = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理",
                        "（四）政府信息公开平台建设", "（五）监督保障")

SECTIONS = (
    Section("preamble", ""),
    Section("overview", "一、总体情况", subheadings=OVERVIEW_SUBHEADINGS),
    Section("active", "二、主动公开政府信息情况", table="active"),
    Section("requests", "三、收到和处理政府信息公开申请情况", table="requests"),
    Section("appeals", "四、政府信息公开行政复议、行政诉讼情况", table="appeals"),
    Section("problems", "五、存在的主要问题及改进情况"),
    Section("other_matters", "六、其他需要报告的事项", fee_text=True),
)

SEVERITY_ZH = {"error": "错误", "warning": "提示"}

# The rule catalogue (format.md §6).  Rule ids are part of the contract.
RULES = {r.id: r for r in (
    RuleInfo("T3-1", "error", "申请情况表勾稽关系（第一项加第二项等于第三项加第四项）"),
    RuleInfo("T3-2", "error", "申请情况表每行各类申请人之和等于总计"),
    RuleInfo("T3-3", "error", "办理结果各项之和等于（七）总计"),
    RuleInfo("T4-1", "error", "行政复议、行政诉讼各项之和等于总计"),
    RuleInfo("V-1", "error", "数值单元格须为规定类型的数字",
             cases=(("text_number", "warning"),)),  # numeric text: usable, counted as a number, but should be a number
    RuleInfo("S-1", "error", "报告格式与报告年度相符"),
    RuleInfo("X-1", "error", "上年结转等于上年报告的结转下年度", needs_previous=True),
    RuleInfo("V-2", "warning", "数值单元格不应空白，应填0"),
    RuleInfo("V-3", "warning", "行政事业性收费金额（万元）是否合理"),
    RuleInfo("X-2", "warning", "现行有效件数与上年衔接", needs_previous=True),
    RuleInfo("X-3", "warning", "对外公开总数量、项目数量与上年衔接", needs_previous=True),
    RuleInfo("P-1", "warning", "无规章制定权的机关填报了规章"),
    RuleInfo("P-2", "warning", "信息处理费：基本信息、表三（六）2与第六部分相符"),
    RuleInfo("N-1", "warning", "正文数字与表格不符"),
    RuleInfo("N-2", "warning", "正文与上年报告雷同", needs_previous=True),
    RuleInfo("N-3", "warning", "正文某部分没有内容（导出时印出「（待填写）」）"),
    # Import findings: what a published report (.docx/.html/.txt …) prints that cannot be imported as is.
    RuleInfo("I-1", "warning", "已发布报告印有格式中没有的行或列（未导入）", stage="import"),
    RuleInfo("I-2", "error", "已发布报告的数值无法按所印位置读取（未导入）", stage="import"),
    RuleInfo("I-3", "warning", "已发布报告中没有找到格式规定的表格或行", stage="import"),
    RuleInfo("I-4", "warning", "已发布报告的标题中没有报告年度", stage="import"),
    # Importers (published documents read back): run-together digits and values in the wrong column.
    RuleInfo("I-5", "warning", "导入：数字粘连或错列，已按勾稽关系唯一确定", stage="import"),
    RuleInfo("I-6", "error", "导入：数字粘连或错列，无法唯一确定，未作推断", stage="import"),
    RuleInfo("I-7", "warning", "导入：行名印错，已按编号和在分组中的位置确定所属行", stage="import"),
    # Batch review (nianbao review): what only many units' reports together show.
    RuleInfo("R-0", "error", "文件无法读取", stage="review"),
    RuleInfo("R-1", "warning", "同一单位报送了多个文件", stage="review"),
    RuleInfo("R-2", "error", "报告年度或格式与本批不符", stage="review"),
    RuleInfo("R-3", "warning", "正文与其他单位雷同", stage="review"),
    RuleInfo("R-4", "warning", "本级报告与各单位汇总不符", stage="review"),
    # The registers (台账) of a workbook in register mode: rows the counts of 表三、表四 cannot take as they are.
    RuleInfo("L-1", "error", "台账：有结果而无办结（结案）日期，或有日期而无结果", needs_register=True),
    RuleInfo("L-2", "error", "台账：日期缺失、不是日期或与报告年度不符（收到晚于年底、办结早于收到）", needs_register=True),
    RuleInfo("L-3", "error", "台账：申请人类型、办理结果、类别或结果不是下拉列表中的值", needs_register=True),
    RuleInfo("L-4", "error", "台账：编号重复", needs_register=True),
    RuleInfo("L-5", "warning", "台账：报告年度开始前已办结（不计入本年度）", needs_register=True),
    RuleInfo("L-6", "error", "台账模式：表三、表四的数与台账计数不符（公式被改写）", needs_register=True),
)}


# ---------------------------------------------------------------- registers (台账)
_RECEIVED = ("收到日期", "受理日期", "登记日期", "申请日期", "收件日期", "接收日期", "收到时间", "受理时间", "登记时间",
             "申请时间", "收案日期", "立案日期")
APPLICATIONS = RegisterSheet("applications", "依申请台账", "requests", (
    RegisterColumn("id", "编号", "id", ("序号", "登记号", "申请编号", "受理编号", "登记编号", "流水号"), 12),
    RegisterColumn("received", "收到日期", "date", _RECEIVED, 12),
    RegisterColumn("applicant", "申请人", "private", ("申请人姓名", "申请人名称", "申请人姓名或名称", "姓名"), 18),
    RegisterColumn("applicant_type", "申请人类型", "choice",
                   ("申请人类别", "申请主体类型", "申请人性质", "申请人身份", "申请主体", "申请人情况"), 14),
    RegisterColumn("content", "申请内容", "private", ("申请事项", "所需信息", "申请公开的内容", "申请信息内容", "所需政府信息"), 30),
    RegisterColumn("result", "办理结果", "choice",
                   ("答复结果", "处理结果", "答复情况", "办理情况", "答复类型", "答复方式", "办理结果类型"), 44),
    RegisterColumn("closed", "办结日期", "date",
                   ("答复日期", "答复时间", "办结时间", "办理完成日期", "完成日期", "答复办结日期"), 12),
    RegisterColumn("note", "备注", "private", ("说明",), 24),
))
CASES = RegisterSheet("cases", "复议诉讼台账", "appeals", (
    RegisterColumn("id", "编号", "id", ("序号", "案号", "案件编号", "登记号"), 12),
    RegisterColumn("category", "类别", "choice", ("案件类别", "案件类型", "类型", "案由类别"), 20),
    RegisterColumn("received", "收到日期", "date", _RECEIVED, 12),
    RegisterColumn("result", "结果", "choice", ("审理结果", "结案结果", "处理结果", "裁判结果", "复议结果", "诉讼结果"), 14),
    RegisterColumn("closed", "结案日期", "date", ("审结日期", "办结日期", "结案时间", "审结时间", "裁决日期"), 12),
    RegisterColumn("note", "备注", "private", ("说明", "案情"), 30),
))
REGISTERS = (APPLICATIONS, CASES)

# Words other registers write for the drop-down values (the drop-down's own labels always match).
REGISTER_ALIASES = {
    ("applications", "applicant_type"): {
        "natural": ("个人", "公民", "群众", "自然人申请", "个人申请"),
        "commercial": ("企业", "公司", "企业法人", "商业企业法人"),
        "research": ("科研单位", "研究机构", "高校", "高等院校", "学校"),
        "nonprofit": ("公益组织", "社会组织", "社会团体", "协会", "基金会"),
        "legal": ("律师事务所", "律所", "律师", "法律服务"),
        "other": ("其他组织", "其他法人", "其他法人或其他组织"),
    },
    ("applications", "result"): {
        "disclosed": ("同意公开", "予以公开", "全部公开", "公开"),
        "partly_disclosed": ("部分公开", "部分予以公开", "部分同意公开"),
        "withheld_state_secret": ("国家秘密", "涉及国家秘密"),
        "withheld_law": ("法律法规禁止公开", "其他法律行政法规禁止公开"),
        "withheld_safety": ("危及三安全一稳定", "三安全一稳定"),
        "withheld_third_party": ("保护第三方合法权益", "涉及第三方合法权益", "涉及商业秘密", "涉及个人隐私"),
        "withheld_internal": ("内部事务信息", "三类内部事务信息", "内部事务"),
        "withheld_process": ("过程性信息", "四类过程性信息"),
        "withheld_enforcement": ("行政执法案卷", "执法案卷"),
        "withheld_query": ("行政查询事项", "查询事项"),
        "unavailable_not_held": ("信息不存在", "本机关不掌握", "不掌握", "本机关不掌握相关政府信息", "非本机关掌握",
                                 "政府信息不存在"),
        "unavailable_needs_creation": ("需要另行制作", "没有现成信息", "需另行制作"),
        "unavailable_unclear": ("申请内容不明确", "补正后仍不明确", "内容不明确"),
        "rejected_petition": ("信访举报投诉", "信访类", "信访举报投诉类"),
        "rejected_duplicate": ("重复申请",),
        "rejected_publication": ("公开出版物", "要求提供公开出版物"),
        "rejected_excessive": ("大量反复申请", "无正当理由大量反复申请"),
        "rejected_confirmation": ("要求确认或重新出具", "要求确认或重新出具已获取信息"),
        "other_no_correction": ("逾期不补正", "逾期未补正", "无正当理由逾期不补正"),
        "other_no_fee": ("逾期未缴费", "逾期未缴纳费用", "未缴纳信息处理费"),
        "other_misc": ("其他处理", "其他"),
        "other_handling": ("其他处理", "其他"),
    },
    ("cases", "category"): {
        "review": ("复议", "行政复议案件"),
        "litigation_direct": ("直接起诉", "行政诉讼（未经复议直接起诉）", "未经复议起诉"),
        "litigation_after_review": ("复议后诉讼", "行政诉讼（复议后起诉）", "经复议后起诉"),
    },
    ("cases", "result"): {
        "upheld": ("维持", "驳回", "维持原决定", "驳回诉讼请求", "驳回复议申请"),
        "corrected": ("纠正", "撤销", "确认违法", "责令履行", "责令重新答复", "撤销重作"),
        "other": ("其他", "终止", "撤诉", "调解", "和解"),
    },
}


# ---------------------------------------------------------------- cross-year links
def carry_over_links(requests) -> tuple[CrossLink, ...]:
    """X-1: every column's 二、上年结转 equals last year's 四、结转下年度继续办理."""
    k = lambda row, col: f"{requests.key}.{row}.{col}"  # noqa: E731
    return tuple(CrossLink(
        "X-1", k("carried_over", c.key), (k("carry_forward", c.key),),
        f"{c.labels[-1]}列：本年「二、上年结转」为{{actual}}，但{{year}}年度报告「四、结转下年度继续办理」为{{expected}}",
        what=f"上年结转（{c.labels[-1]}）") for c in requests.columns)


def in_force_links(active, rows=("rules", "normative_docs")) -> tuple[CrossLink, ...]:
    """X-2 (2021 format): 现行有效件数 = last year's 现行有效件数 + 本年制发 − 本年废止."""
    out = []
    for row in rows:
        k = lambda col: f"{active.key}.{row}.{col}"  # noqa: E731
        label = next(r.label for b in active.blocks for r in b.rows if r.key == row)
        out.append(CrossLink(
            "X-2", k("in_force"), (k("in_force"),),
            f"{label}：上年现行有效{{prev[0]}}件＋本年制发{{plus[0]}}件－本年废止{{minus[0]}}件＝{{expected}}件，"
            f"但现行有效件数填报为{{actual}}件；如有到期失效等情况请在正文说明",
            plus=(k("issued"),), minus=(k("repealed"),), what=f"上年现行有效件数（{label}）"))
    return tuple(out)


def total_public_links(active, rows=("rules", "normative_docs"),
                       item_rows=("licensing", "other_services", "penalty", "coercion", "fees")) -> tuple[CrossLink, ...]:
    """X-3 (2019 format): 对外公开总数量 and 上一年项目数量 follow on from last year's report."""
    label = {r.key: r.label for b in active.blocks for r in b.rows}
    out = []
    for row in rows:
        k = lambda col: f"{active.key}.{row}.{col}"  # noqa: E731
        out.append(CrossLink(
            "X-3", k("total_public"), (k("total_public"),),
            f"{label[row]}：上年对外公开总数量{{prev[0]}}＋本年新公开{{plus[0]}}＝{{expected}}，"
            f"但对外公开总数量填报为{{actual}}", plus=(k("published"),), what=f"上年对外公开总数量（{label[row]}）"))
    for row in item_rows:
        k = lambda col: f"{active.key}.{row}.{col}"  # noqa: E731
        out.append(CrossLink(
            "X-3", k("prev_items"), (k("prev_items"), k("change")),
            f"{label[row]}：上年报告的上一年项目数量{{prev[0]}}与本年增/减{{prev[1]}}之和为{{expected}}，"
            f"但本年「上一年项目数量」填报为{{actual}}", what=f"上一年项目数量（{label[row]}）"))
    return tuple(out)


# ---------------------------------------------------------------- narrative claims (N-1)
NUM = r"(\d+|[零〇一二两三四五六七八九十百]+)"
OFF_TOPIC = ("复议", "诉讼", "咨询", "留言", "建议", "提案", "信访", "热线", "投诉")
# Words showing the number counts one kind of applicant only (「收到自然人申请14件」), not the total.
ONE_APPLICANT_KIND = ("自然人", "法人", "企业", "组织", "机构")


# Other words a report uses for a result row of table 三 (the row's own words, without its number, are
# always used).
RESULT_SYNONYMS = {"（一）予以公开": ("同意公开",)}
# Words of a sentence that show its numbers count something else than this report's applications and cases:
# cases filed for the record, cases the agency heard as the reviewing body.
APPEALS_ELSEWHERE = ("备案", "审理", "受理", "办理", "复议机关", "代理")


def _result_groups(requests) -> list[tuple[str, tuple[str, ...]]]:
    """(group label, the rows it sums) of the results part of table 三 (（一）…（六）), from the definition;
    the total row (（七）总计) and the rows outside the results are left out."""
    groups: dict[str, list[str]] = {}
    for row in requests.rows:
        if len(row.labels) >= 2 and row.labels[0] == RESULTS and row.key != requests.results_total:
            groups.setdefault(row.labels[1], []).append(row.key)
    return [(label, tuple(keys)) for label, keys in groups.items()]


def _row_words(label: str) -> tuple[str, ...]:
    """「（二）部分公开（区分处理的，…）」 → 「部分公开」: the label without its number and its note."""
    core = re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", label)
    core = re.sub(r"[（(].*$", "", core)
    return (core,) + RESULT_SYNONYMS.get(label, ())


def claims(requests, appeals) -> tuple[Claim, ...]:
    """The phrasings of the narrative compared with table 三 and 四 (rule N-1)."""
    r = lambda row: f"{requests.key}.{row}.{requests.total_column}"  # noqa: E731
    a = lambda group: f"{appeals.key}.{group}.{appeals.total_member}"  # noqa: E731
    parts = []
    for label, rows in _result_groups(requests):
        words = _row_words(label)
        parts.append(Claim(
            f"「{words[0]}」的申请", r"(?:" + "|".join(map(re.escape, words)) + r")[^。；;，,\d]{0,12}?" + NUM + r"\s*件",
            tuple(r(k) for k in rows), off_topic=OFF_TOPIC + ONE_APPLICANT_KIND, rank=2, words=words))
    return tuple(parts) + (
        Claim("本年新收政府信息公开申请",
              r"(?:收到|新收|受理|接收|接到)[^。；;，,]{0,25}?申请[^。；;，,\d]{0,12}?" + NUM + r"\s*[件个宗]",
              (r("new"),), alternatives=((r("new"), r("carried_over")),),
              alternative_names=("本年新收与上年结转之和",), alternative_words=(("结转",),),
              off_topic=OFF_TOPIC + ONE_APPLICANT_KIND),
        Claim("办结（答复）的申请", r"(?:办结|答复|办理完毕|作出答复)[^。；;，,\d]{0,12}?" + NUM + r"\s*件",
              (r(requests.results_total),), needs_word="申请", off_topic=OFF_TOPIC + ONE_APPLICANT_KIND),
        Claim("上年结转的申请", r"上一?年度?结转[^。；;，,\d]{0,10}?" + NUM + r"\s*件",
              (r("carried_over"),), off_topic=("复议", "诉讼"), rank=2),
        Claim("结转下年度办理的申请",
              r"(?:结转(?:至|到)?下一?年度?|转(?:入|至|到)?下一?年度?)[^。；;，,\d]{0,10}?" + NUM + r"\s*件",
              (r("carry_forward"),), off_topic=("复议", "诉讼"), rank=2),
        Claim("行政复议", r"行政复议[^。；;，,\d]{0,10}?" + NUM + r"\s*[件起宗个]", (a("review"),),
              off_topic=("诉讼",), sentence_off_topic=APPEALS_ELSEWHERE),
        Claim("行政诉讼", r"行政诉讼[^。；;，,\d]{0,10}?" + NUM + r"\s*[件起宗个]",
              (a("litigation_direct"), a("litigation_after_review")), off_topic=("复议",),
              sentence_off_topic=APPEALS_ELSEWHERE),
    )


# ---------------------------------------------------------------- sentences bound to the tables
# Drafted by a new workbook in the register of published reports; their numbers are the tables' (the
# workbook writes them as formulas).  Their wording is read by the N-1 claims above as meant: 「收到…申请N件」
# is 本年新收, 「上年结转M件」, 「结转下年度继续办理J件」, 「行政复议N件」, 「行政诉讼N件」 (both kinds).
# Parts whose number is 0 are left out, and a year without any says so (「未收到」「未发生」).
APPLICATIONS_HEADING = OVERVIEW_SUBHEADINGS[1]  # （二）依申请公开


def _w(text: str) -> Words:
    return Words(text)


def listing(items, lead: str, sep: str = "、", otherwise: str = "") -> Choice:
    """「lead + item、item…」 over the items ((keys, wording before, wording after)) whose sum is above 0,
    separated by ``sep`` (a separator only after an item shown); ``otherwise`` when none is."""
    all_keys = tuple(k for keys, _, _ in items for k in keys)
    parts = []
    for i, (keys, before, after) in enumerate(items):
        earlier = tuple(k for ks, _, _ in items[:i] for k in ks)
        body = (_w(before), Amount(keys), _w(after))
        if earlier:
            body = (Choice(Positive(earlier), (_w(sep),), (_w(""),)),) + body
        parts.append(Choice(Positive(keys), body, (_w(""),)))
    return Choice(Positive(all_keys), (_w(lead), *parts), (_w(otherwise),))


def result_groups(requests) -> list[tuple[str, tuple[str, ...]]]:
    """Table 三's results as reports name them (予以公开, 部分公开, 不予公开 …): the numbered groups of
    三、本年度办理结果 with their leaf rows, the number and the parenthesised note left out."""
    groups: dict[str, list[str]] = {}
    for key in requests.result_leaves:
        label = requests.row(key).labels[1]
        name = re.sub(r"^（[一二三四五六七八九十]+）", "", label).split("（")[0]
        groups.setdefault(name, []).append(key)
    return [(name, tuple(keys)) for name, keys in groups.items()]


def sentences(requests, appeals) -> tuple[BoundSentence, ...]:
    """The drafted paragraphs bound to tables 三 and 四, and the standard 信息处理费 sentence."""
    r = lambda row: f"{requests.key}.{row}.{requests.total_column}"  # noqa: E731
    new, carried, closed, forward = r("new"), r("carried_over"), r(requests.results_total), r("carry_forward")
    results = [((tuple(r(k) for k in keys)), name, "件") for name, keys in result_groups(requests)]
    applications = (
        Choice(Positive((new,)), (_w("全年共收到政府信息公开申请"), Amount((new,)), _w("件")),
               (Choice(Positive((carried,)), (_w("全年未收到新的政府信息公开申请"),),
                       (_w("全年未收到政府信息公开申请"),)),)),
        Choice(Positive((carried,)), (_w("，上年结转"), Amount((carried,)), _w("件")), (_w(""),)),
        Choice(Positive((closed,)), (_w("；办结"), Amount((closed,)), _w("件"), listing(results, "，其中")),
               (_w(""),)),
        Choice(Positive((forward,)), (_w("；结转下年度继续办理"), Amount((forward,)), _w("件")), (_w(""),)),
        _w("。"),
    )
    a = lambda group, member: f"{appeals.key}.{group}.{member}"  # noqa: E731
    review, litigation = appeals.groups[0][0], [g for g, _ in appeals.groups[1:]]  # 行政复议; the 行政诉讼 kinds

    def outcomes(groups):
        return [(tuple(a(g, m) for g in groups), appeals.member_label(m), "件") for m in appeals.part_members]

    review_total = (a(review, appeals.total_member),)
    litigation_total = tuple(a(g, appeals.total_member) for g in litigation)
    appeal_words = (
        Choice(Positive(review_total + litigation_total), (
            Choice(Positive(review_total),
                   (_w("政府信息公开行政复议"), Amount(review_total), _w("件"), listing(outcomes([review]), "，其中")),
                   (_w("未发生政府信息公开行政复议案件"),)),
            _w("；"),
            Choice(Positive(litigation_total),
                   (_w("政府信息公开行政诉讼"), Amount(litigation_total), _w("件"), listing(outcomes(litigation), "，其中")),
                   (_w("未发生政府信息公开行政诉讼案件"),)),
            _w("。")),
            (_w("全年未发生政府信息公开行政复议、行政诉讼案件。"),)),
    )
    notices, amount, collected = "fees.notices", "fees.notice_amount_yuan", "fees.collected_yuan"
    fees = (Choice(Filled(notices), (
        Choice(Positive((notices, collected)), (
            _w("本年度共发出收费通知"), Amount((notices,)), _w("件"),
            Choice(Filled(amount), (_w("，总金额"), Amount((amount,), 2), _w("元")), (_w(""),)),
            Choice(Filled(collected), (_w("，实际收取"), Amount((collected,), 2), _w("元")), (_w(""),)),
            _w("。")),
            (_w("本年度未收取信息处理费。"),)),), (_w(""),)),)
    fee_section = next(s.key for s in SECTIONS if s.fee_text)

    def framed(body: tuple) -> tuple:
        """An empty literal first and last: where the clerk writes words before or after the sentence
        (the formula keeps its structure, so the paragraph stays bound)."""
        return (_w(""), *body, _w(""))
    return (
        BoundSentence("applications", "依申请公开情况", "overview", APPLICATIONS_HEADING, framed(applications)),
        BoundSentence("appeals", "行政复议、行政诉讼情况", "overview", APPLICATIONS_HEADING, framed(appeal_words)),
        BoundSentence(SENTENCE_FEES, "信息处理费", fee_section, None, framed(fees)),
    )
