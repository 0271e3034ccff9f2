"""nianbao check FILE [--previous FILE] [--json]"""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("check", help="校验报告：勾稽关系、空白单元格、与上年衔接、正文与表格一致",
                       description="对报告数据（.json）、年报工作簿（.xlsx）或已发布的报告（.docx、.doc、.wps、.html、.txt、.pdf）运行全部校验规则。"
                                   "退出码：0 无错误（可有提示），1 有错误，2 输入文件无法使用。")
    p.add_argument("file", metavar="FILE", help="报告数据 JSON、年报工作簿或已发布的报告（.docx/.doc/.wps/.html/.txt/.pdf）")
    p.add_argument("--previous", metavar="FILE", help="上一年度的报告（JSON、工作簿或已发布的报告），用于衔接校验；不给出时使用报告中记录的上年度文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出校验结果（findings JSON）")
    p.set_defaults(run=run)


def run(args) -> int:
    from .. import loading, rules
    from ..findings_text import render
    verdict = loading.assess(loading.load(args.file), args.previous)
    for note in verdict.notes:
        print(note, file=sys.stderr)
    findings = list(verdict.findings)
    if args.json:
        json.dump(rules.findings_json(findings, verdict.report, args.file, verdict.lapsed), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render(findings, verdict.report, args.file, lapsed=verdict.lapsed))
    return 1 if verdict.errors else 0
