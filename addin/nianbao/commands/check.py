"""nianbao check FILE [--previous FILE] [--json]"""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("check", help="校验报告：勾稽关系、空白单元格、与上年衔接、正文与表格一致",
                       description="对报告数据（.json）或年报工作簿（.xlsx）运行全部校验规则。"
                                   "退出码：0 无错误（可有提示），1 有错误，2 输入文件无法使用。")
    p.add_argument("file", metavar="FILE", help="报告数据 JSON 或年报工作簿")
    p.add_argument("--previous", metavar="FILE", help="上一年度的报告（JSON 或工作簿），用于衔接校验")
    p.add_argument("--json", action="store_true", help="以 JSON 输出校验结果（findings JSON）")
    p.set_defaults(run=run)


def run(args) -> int:
    from .. import rules, sources
    from ..report_text import render
    report, locate = sources.load(args.file)
    previous = None
    prev_path = args.previous
    if not prev_path and report.previous:
        recorded = sources.previous_path(report, args.file)
        if recorded.is_file():
            prev_path = str(recorded)
        else:
            print(f"注意：报告中记录的上年度文件「{report.previous}」不存在，本次未做与上年的衔接校验"
                  f"（可用 --previous 指定）。", file=sys.stderr)
    if prev_path:
        previous, _ = sources.load(prev_path)
        if previous.year != report.year - 1:
            print(f"注意：上年报告「{prev_path}」是{previous.year}年度的，本报告是{report.year}年度，"
                  f"衔接校验按所给文件进行。", file=sys.stderr)
    findings = rules.check(report, previous, locate)
    if args.json:
        json.dump(rules.findings_json(findings, report, args.file), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render(findings, report, args.file))
    errors, _ = rules.summary(findings)
    return 1 if errors else 0
