"""The 2021 format (国办公开办函〔2021〕30号), report years 2021 onwards."""
from .base import (COUNT, MONEY, ROLE_FEE_AMOUNT, ROLE_FEE_NOTICES, ROLE_RULE_MAKING, ActiveBlock, ActiveColumn, ActiveRow, ActiveTable, GridRow,
                   ReportFormat, RequestsTable)
from .common import (APPEALS, OTHER, REQUEST_COLUMNS, REQUESTS_HEADER, REQUESTS_NOTE, REQUESTS_TITLE, RESULTS,
                     REGISTER_ALIASES, REGISTERS, SECTIONS, carry_over_links, claims, sentences, in_force_links, request_rows)

_C = ActiveColumn
_DECISIONS = ("信息内容", 1), ("本年处理决定数量", 3)

ACTIVE = ActiveTable(
    title="主动公开政府信息情况",
    width=4,
    blocks=(
        ActiveBlock("第二十条第（一）项",
                    (("信息内容", 1), ("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)),
                    (ActiveRow("rules", "规章", (_C("issued", COUNT), _C("repealed", COUNT), _C("in_force", COUNT))),
                     ActiveRow("normative_docs", "行政规范性文件",
                               (_C("issued", COUNT), _C("repealed", COUNT), _C("in_force", COUNT))))),
        ActiveBlock("第二十条第（五）项", _DECISIONS,
                    (ActiveRow("licensing", "行政许可", (_C("decisions", COUNT, 3),)),)),
        ActiveBlock("第二十条第（六）项", _DECISIONS,
                    (ActiveRow("penalty", "行政处罚", (_C("decisions", COUNT, 3),)),
                     ActiveRow("coercion", "行政强制", (_C("decisions", COUNT, 3),)))),
        ActiveBlock("第二十条第（八）项", (("信息内容", 1), ("本年收费金额（单位：万元）", 3)),
                    (ActiveRow("fees", "行政事业性收费", (_C("amount_wan", MONEY, 3),)),)),
    ),
)

REQUESTS = RequestsTable(
    title=REQUESTS_TITLE, note=REQUESTS_NOTE, header=REQUESTS_HEADER, results_label=RESULTS,
    columns=REQUEST_COLUMNS,
    rows=request_rows((
        GridRow("other_no_correction", (RESULTS, OTHER,
                                        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")),
        GridRow("other_no_fee", (RESULTS, OTHER,
                                 "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")),
        GridRow("other_misc", (RESULTS, OTHER, "3.其他")),
    )),
)

FORMAT = ReportFormat(
    id="2021", notice="国办公开办函〔2021〕30号", first_year=2021, last_year=None,
    active=ACTIVE, requests=REQUESTS, appeals=APPEALS, sections=SECTIONS,
    links=carry_over_links(REQUESTS) + in_force_links(ACTIVE),
    roles={ROLE_FEE_AMOUNT: ("active.fees.amount_wan",),
           ROLE_RULE_MAKING: ("active.rules.issued", "active.rules.repealed"),
           ROLE_FEE_NOTICES: ("requests.other_no_fee.total",)},
    claims=claims(REQUESTS, APPEALS), sentences=sentences(REQUESTS, APPEALS),
    registers=REGISTERS, register_aliases=REGISTER_ALIASES,
    word_template="年报模板-2021.docx", workbook_template="年报模板-2021.xlsx")
