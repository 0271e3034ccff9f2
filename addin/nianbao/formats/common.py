"""Parts shared by both official formats: table 三's rows and columns, table 四, the sections, the rules."""
from __future__ import annotations

import re

from .base import AppealsTable, Claim, CrossLink, GridColumn, GridRow, RuleInfo, Section

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
)}


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
