"""Helpers for the rule and property tests: zero-filled reports and random consistent reports.

Not a test module (no ``test_`` prefix); the tests import it as ``reportgen``.
"""
from __future__ import annotations

import copy

from hypothesis import strategies as st

from nianbao import formats
from nianbao.formats.base import COUNT, MONEY, SIGNED, TEXT
from nianbao.model import Report, empty_report

YEAR = {"2019": 2020, "2021": 2024}


def zero_report(format_id: str = "2021", year: int | None = None, level: str | None = None) -> Report:
    """A report of ``format_id`` with every value cell filled with 0 (text cells with 「0万元」)."""
    rep = empty_report(format_id, year or YEAR[format_id], agency="测试机关", level=level)
    for f in rep.fmt.fields():
        rep.set(f.key, "0万元" if f.kind == TEXT else 0)
    return rep


def put(report: Report, cells: dict) -> Report:
    """Set cells given as {"requests.new.natural": 3, ...}; returns the report."""
    for key, value in cells.items():
        report.set(key, value)
    return report


def clone(report: Report) -> Report:
    return copy.deepcopy(report)


# ---------------------------------------------------------------- hypothesis
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _spell(value: int, how: int):
    """Ways a correct whole number may stand in a cell: a number, a float, numeric text, full-width
    text, and for 0 a blank or a blank mark (blanks count as 0 and only give V-2 warnings)."""
    if how == 1:
        return float(value)
    if how == 2:
        return str(value)
    if how == 3:
        return str(value).translate(_FULL_WIDTH)
    if how == 4 and value == 0:
        return None
    if how == 5 and value == 0:
        return "/"
    return value


@st.composite
def consistent_report(draw, format_id: str, spelled: bool = True) -> Report:
    """A random report of ``format_id`` that satisfies every error rule (T3-1..3, T4-1, V-1, S-1).

    Table 三 is sparse (a few non-zero result rows per column) to keep examples cheap to draw.
    With ``spelled``, some numbers are written as floats, text, full-width text or blanks (for 0).
    """
    fmt = formats.get(format_id)
    rep = empty_report(format_id, draw(st.integers(min_value=fmt.first_year,
                                                   max_value=fmt.last_year or fmt.first_year + 10)))
    values: dict[str, int | float | str] = {}
    for f in fmt.active.fields():
        if f.kind == COUNT:
            values[f.key] = draw(st.integers(min_value=0, max_value=10_000))
        elif f.kind == SIGNED:
            values[f.key] = draw(st.integers(min_value=-50, max_value=50))
        elif f.kind == MONEY:
            values[f.key] = draw(st.integers(min_value=0, max_value=999_999)) / 100
        else:
            values[f.key] = draw(st.sampled_from(["0万元", "2807.19万元", "12.5"]))
    t3 = fmt.requests
    k = lambda row, col: f"requests.{row}.{col}"  # noqa: E731
    totals = {row.key: 0 for row in t3.rows}
    for c in t3.part_columns:
        column = dict.fromkeys(t3.result_leaves, 0)
        column.update(draw(st.dictionaries(st.sampled_from(t3.result_leaves), st.integers(1, 30), max_size=5)))
        results = sum(column.values())
        carry_forward = draw(st.integers(min_value=0, max_value=10))
        carried_over = draw(st.integers(min_value=0, max_value=results + carry_forward))
        column.update({t3.results_total: results, "carry_forward": carry_forward,
                       "carried_over": carried_over, "new": results + carry_forward - carried_over})
        for row, v in column.items():
            values[k(row, c)] = v
            totals[row] += v
    for row, v in totals.items():
        values[k(row, t3.total_column)] = v
    t4 = fmt.appeals
    for g, _ in t4.groups:
        parts = [draw(st.integers(min_value=0, max_value=20)) for _ in t4.part_members]
        for m, v in zip(t4.part_members, parts):
            values[f"appeals.{g}.{m}"] = v
        values[f"appeals.{g}.{t4.total_member}"] = sum(parts)
    if spelled:
        numbers = dict(values)
        whole = [key for key, v in numbers.items() if fmt.field(key).kind in (COUNT, SIGNED) and v >= 0]
        for key, how in draw(st.lists(st.tuples(st.sampled_from(whole), st.integers(1, 5)), max_size=15)):
            values[key] = _spell(numbers[key], how)
    for key, v in values.items():
        rep.set(key, v)
    # Section 六 reports 信息处理费 (P-2 looks for it when fee notices were sent).
    rep.sections = {"other_matters": ["本年度发出收费通知的情况及信息处理费的收取情况见上表。"]}
    return rep


# ---------------------------------------------------------------- narratives of random length
# Sentences in the style of the reports, with every kind of punctuation a report uses.
SENTENCES = (
    "严格落实《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”。",
    "全年主动公开政府信息1268条，其中政策文件、解读材料和重点领域信息均按时发布。",
    "解读材料与政策文件同步起草、同步审签、同步发布，丰富解读形式。",
    "依申请公开答复质量不高。下一步，将加强法律审核，规范答复文书。",
    "对照主动公开基本目录，逐项核对公开内容、公开时限、公开方式和公开主体；",
    "完善受理、登记、拟办、会商、审核、送达等环节的流程管理：",
    "按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费。",
    "门户网站（http://www.example.gov.cn/）“政府信息公开”专栏运行平稳……",
    "全年未发生因公开不当导致的失泄密事件，也未发生被追责的情况！",
    "各单位是否按期更新栏目？已纳入年度绩效考核，每季度通报一次。",
    "组织开展业务培训2期，培训工作人员160余人次——覆盖全部乡镇（街道）。",
    "政务新媒体“示例发布”发布信息1845条、回应关切37次。",
)


def random_paragraph(rng, low: int = 1, high: int = 8) -> str:
    return "".join(rng.choice(SENTENCES) for _ in range(rng.randint(low, high)))


def random_sections(rng, fmt) -> dict:
    """Sections with narratives of random length (``rng`` is a ``random.Random``), so that the
    tables fall anywhere on their page; sections 五 and 六 are now and then left empty."""
    overview_subheadings = next(s.subheadings for s in fmt.sections if s.key == "overview")
    overview = [random_paragraph(rng) for _ in range(rng.randint(0, 2))]
    for heading in overview_subheadings[:rng.randint(0, len(overview_subheadings))]:
        overview.append({"heading": heading, "paragraphs": [random_paragraph(rng) for _ in range(rng.randint(1, 3))]})
    sections = {"preamble": [random_paragraph(rng, 1, 4) for _ in range(rng.randint(0, 2))], "overview": overview}
    if rng.random() < 0.8:
        sections["problems"] = [random_paragraph(rng) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.6:
        sections["other_matters"] = [random_paragraph(rng, 1, 4) for _ in range(rng.randint(1, 3))]
    return sections


def random_fees(rng) -> dict:
    """Fee fields: not filled in, no notice, or some notices with their amounts."""
    kind = rng.randrange(3)
    if kind == 0:
        return {}
    if kind == 1:
        return {"notices": 0, "notice_amount_yuan": 0, "collected_yuan": 0}
    notices = rng.randint(1, 9)
    amount = rng.randint(1, 50) * 10 * notices
    return {"notices": notices, "notice_amount_yuan": amount, "collected_yuan": rng.randint(0, amount // 10) * 10}
