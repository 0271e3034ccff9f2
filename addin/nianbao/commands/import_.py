"""nianbao import REPORT [-o OUT.xlsx | --json] [--force]"""
from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("import", help="导入已发布的报告（.docx .doc .wps .pdf .html .txt）或年报工作簿为报告数据",
                       description="按官方格式定义读取已发布的年度报告（Word、WPS、PDF、网页、文本），得到报告数据："
                                   "三张表的全部数值、报告年度、机关名称和正文。每个数值记录其在原文件中的位置。"
                                   "也接受年报工作簿（填数或台账模式，台账模式按台账计数）和报告数据 JSON。"
                                   "退出码：0 已导入，2 文件无法读取。")
    p.add_argument("report", metavar="REPORT", help="已发布的报告文件（.docx / .doc / .wps / .pdf / .html / .htm / .txt），"
                                                    "或年报工作簿（.xlsx / .xlsm）、报告数据（.json）")
    out = p.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", metavar="OUT.xlsx", help="写出年报工作簿（.xlsx）")
    out.add_argument("--json", action="store_true", help="把报告数据（JSON）输出到标准输出")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p.set_defaults(run=run)


def run(args) -> int:
    from .. import model
    from ..errors import InputError
    from ..formats import RULES, SEVERITY_ZH
    if args.output and Path(args.output).suffix.lower() != ".xlsx":  # before the (slow) reading
        raise InputError("输出文件应为 .xlsx 年报工作簿（报告数据 JSON 请用 --json）", path=args.output)
    from .. import loading
    source = loading.load(args.report)  # a published report, one of our workbooks (typed or register mode), report data
    report = source.report
    if args.output:
        from .. import workbook
        from ..files import prepare_output
        out = prepare_output(args.output, inputs=(args.report,), suffixes=(".xlsx",), force=args.force)
        workbook.write(report, str(out))
    elif args.json:
        sys.stdout.write(model.dumps(report))
    read = sum(1 for f in report.fmt.fields() if report.get(f.key) is not None)
    lines = [f"导入：{args.report}",
             f"报告：{report.agency or '（未识别机关名称）'} {report.year}年度（{report.format}年格式，{report.fmt.notice}）",
             f"读到 {read} 个数值（共 {len(report.fmt.fields())} 个单元格），"
             f"正文 {sum(1 for _ in report.narrative())} 段"]
    lines += [f"说明：{note}" for note in source.notes[1:]]  # where the year and agency came from, cell notes
    if source.findings:
        lines.append(f"导入发现 {len(source.findings)} 处问题：")
        for f in source.findings:
            where = f"［{'、'.join(f.locations[:3])}］" if f.locations else ""
            lines.append(f"  {SEVERITY_ZH[f.severity]} {f.rule}（{RULES[f.rule].title}）{where} {f.message}")
    else:
        lines.append("导入没有发现问题。")
    if args.output:
        lines.append(f"已写出工作簿：{args.output}")
    elif not args.json:
        lines.append("（未指定输出：用 -o 文件.xlsx 写出工作簿，或 --json 输出报告数据）")
    lines.append("表格数值请用 nianbao check 校验。")
    print("\n".join(lines), file=sys.stderr)
    return 0
