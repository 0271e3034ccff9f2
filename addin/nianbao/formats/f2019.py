"""The 2019 format (国办公开办函〔2019〕60号，试行), report years 2019 and 2020."""
from .base import (COUNT, ROLE_RULE_MAKING, SIGNED, TEXT, ActiveBlock, ActiveColumn, ActiveRow, ActiveTable, GridRow, ReportFormat,
                   RequestsTable)
from .common import (APPEALS, OTHER, REQUEST_COLUMNS, REQUESTS_HEADER, REQUESTS_NOTE, REQUESTS_TITLE, RESULTS,
                     REGISTER_ALIASES, REGISTERS, SECTIONS, carry_over_links, claims, sentences, request_rows, total_public_links)

_C = ActiveColumn
_ITEMS = ("信息内容", 1), ("上一年项目数量", 1), ("本年增/减", 1), ("处理决定数量", 1)


def _items_row(key: str, label: str) -> ActiveRow:
    return ActiveRow(key, label, (_C("prev_items", COUNT), _C("change", SIGNED), _C("decisions", COUNT)))


ACTIVE = ActiveTable(
    title="主动公开政府信息情况",
    width=4,
    blocks=(
        ActiveBlock("第二十条第（一）项",
                    (("信息内容", 1), ("本年新制作数量", 1), ("本年新公开数量", 1), ("对外公开总数量", 1)),
                    (ActiveRow("rules", "规章",
                               (_C("made", COUNT), _C("published", COUNT), _C("total_public", COUNT))),
                     ActiveRow("normative_docs", "规范性文件",
                               (_C("made", COUNT), _C("published", COUNT), _C("total_public", COUNT))))),
        ActiveBlock("第二十条第（五）项", _ITEMS,
                    (_items_row("licensing", "行政许可"), _items_row("other_services", "其他对外管理服务事项"))),
        ActiveBlock("第二十条第（六）项", _ITEMS,
                    (_items_row("penalty", "行政处罚"), _items_row("coercion", "行政强制"))),
        ActiveBlock("第二十条第（八）项", (("信息内容", 1), ("上一年项目数量", 1), ("本年增/减", 2)),
                    (ActiveRow("fees", "行政事业性收费", (_C("prev_items", COUNT), _C("change", SIGNED, 2))),)),
        ActiveBlock("第二十条第（九）项", (("信息内容", 1), ("采购项目数量", 1), ("采购总金额", 2)),
                    (ActiveRow("procurement", "政府集中采购", (_C("items", COUNT), _C("amount", TEXT, 2))),)),
    ),
)

REQUESTS = RequestsTable(
    title=REQUESTS_TITLE, note=REQUESTS_NOTE, header=REQUESTS_HEADER, results_label=RESULTS,
    columns=REQUEST_COLUMNS,
    rows=request_rows((GridRow("other_handling", (RESULTS, OTHER)),)),
)

FORMAT = ReportFormat(
    id="2019", notice="国办公开办函〔2019〕60号", first_year=2019, last_year=2020,
    active=ACTIVE, requests=REQUESTS, appeals=APPEALS, sections=SECTIONS,
    title_suffix="年度政府信息公开工作年度报告",
    links=carry_over_links(REQUESTS) + total_public_links(ACTIVE),
    roles={ROLE_RULE_MAKING: ("active.rules.made",)},
    claims=claims(REQUESTS, APPEALS), sentences=sentences(REQUESTS, APPEALS),
    registers=REGISTERS, register_aliases=REGISTER_ALIASES,
    word_template="年报模板-2019.docx", workbook_template="年报模板-2019.xlsx")
