"""nianbao export FILE [-o OUT.docx] [--template T.docx] [--pdf] [--html | --html-page] [--figure] [--strict] [--keep-blank] [--list-vars]"""
from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("export", help="导出公文格式的 Word 报告（可同时导出 PDF、网页和「一图读懂」图片）",
                       description="把报告数据（.json）或年报工作簿（.xlsx）导出为公文格式（GB/T 9704）的 Word 报告，"
                                   "含三张官方表格。发现错误时仍会导出（供预览，每页页眉印有「（校验未通过，仅供核对）」）并列出错误；加 --strict 则不导出。"
                                   "退出码：0 已导出，1 有错误且使用了 --strict，2 输入文件或模板无法使用"
                                   "（或要求 PDF 但无法转换）。")
    p.add_argument("file", metavar="FILE", nargs="?", help="报告数据 JSON 或年报工作簿")
    p.add_argument("-o", "--output", metavar="OUT.docx",
                   help="输出文件（默认：与输入文件同一文件夹，「<机关><年度>年度政府信息公开工作年度报告.docx」）")
    p.add_argument("--template", metavar="T.docx", help="使用自己的 Word 模板（docxtpl 语法，在安全沙箱中渲染）")
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 导出 PDF（与 Word 报告同名）")
    p.add_argument("--html", action="store_true",
                   help="同时写出网页（与 Word 报告同名的 .html）：供网站发布的文章片段，含三张表格（合并单元格、手机上可左右滑动）")
    p.add_argument("--html-page", action="store_true", help="同 --html，但写出完整的网页（含 <head>），可直接打开")
    p.add_argument("--figure", action="store_true",
                   help="同时写出「一图读懂」图片（与 Word 报告同名加「（一图读懂）」的 .png，另有供印刷的 .svg）")
    p.add_argument("--strict", action="store_true", help="报告有错误、或有部分没有内容（将印出「（待填写）」）时不导出（退出码 1）")
    p.add_argument("--force", action="store_true",
                   help="输出的 Word 报告（及 --pdf、--html、--figure 的文件）已存在时替换它（默认拒绝，以免覆盖改过的报告）")
    p.add_argument("--previous", metavar="FILE",
                   help="上一年度的报告，用于衔接校验（不给出时使用报告中记录的上年度文件）")
    p.add_argument("--keep-blank", action="store_true", help="空白单元格保持空白（默认写为 0）")
    p.add_argument("--list-vars", action="store_true",
                   help="列出模板可用的全部变量及其中文说明（给出 FILE 时只列该报告格式的变量）")
    p.set_defaults(run=run)


def list_vars(format_id: str | None) -> str:
    from .. import word
    names = word.variables(format_id)
    width = max(len(n) for n, _ in names)
    lines = ["Word 报告模板可用的变量（在模板中写作 {{ 变量名 }}；列表用 {%p for … %} 循环）：", ""]
    lines += [f"  {name.ljust(width)}  {desc}" for name, desc in names]
    return "\n".join(lines)


EMPTY_SECTION_RULE = "N-3"  # a section that would print 「（待填写）」: --strict refuses it too


def run(args) -> int:
    from ..errors import InputError
    if args.list_vars:
        fid = None
        if args.file:
            from .. import loading
            fid = loading.load(args.file).report.format
        print(list_vars(fid))
        return 0
    if not args.file:
        raise InputError("缺少要导出的文件 FILE（报告数据 .json 或年报工作簿 .xlsx）。用法：nianbao export FILE [-o OUT.docx]")

    from .. import loading, word
    from ..files import prepare_output
    from ..findings_text import render
    source = loading.load(args.file)
    report = source.report
    src = Path(args.file)
    out = Path(args.output) if args.output else src.parent / word.default_name(report)
    inputs = (src, args.template, args.previous)
    out = prepare_output(out, inputs=inputs, suffixes=(".docx",), force=args.force)
    pdf_path = out.with_suffix(".pdf")
    if args.pdf:
        prepare_output(pdf_path, inputs=inputs, suffixes=(".pdf",), force=args.force)
    html = bool(args.html or args.html_page)
    if html:
        from .. import web
        html_path = web.default_name(out)
        prepare_output(html_path, inputs=inputs, suffixes=(".html",), force=args.force)
    figure_paths: tuple = ()
    if args.figure:
        from .. import figure  # imported only here: no other command pays for the drawing library
        figure_paths = figure.default_names(out)
        figure.check_fonts()  # no Chinese font: say so before anything is written
    for p in figure_paths:
        prepare_output(p, inputs=inputs, suffixes=(p.suffix,), force=args.force)

    verdict = loading.assess(source, args.previous)
    for note in verdict.notes:
        print(note, file=sys.stderr)
    findings = list(verdict.findings)
    errors = verdict.errors
    if findings:  # errors in full (they come first), warnings only counted
        print(render(findings, report, args.file, limit=errors))
    unfilled = [f for f in findings if f.rule == EMPTY_SECTION_RULE]
    if (errors or unfilled) and args.strict:
        why = f"有 {errors} 处错误" if errors else f"有 {len(unfilled)} 个部分没有内容（将印出「（待填写）」）"
        print(f"{why}，已按 --strict 停止，未导出报告。", file=sys.stderr)
        return 1
    written = word.export(report, out, template=args.template, keep_blank=args.keep_blank, draft=bool(errors))
    print(f"已写出：{written}")
    if html:
        print(f"已写出：{web.export(report, html_path, page=args.html_page, keep_blank=args.keep_blank, draft=bool(errors))}")
    if args.figure:
        for p in figure.export(report, *figure_paths, draft=bool(errors)):
            print(f"已写出：{p}")
    if errors:
        print("注意：报告仍有错误，本次导出仅供预览，改正后请重新导出。")
    if not args.pdf and pdf_path.exists():
        print(f"注意：旁边的「{pdf_path.name}」是以前导出的 PDF，与刚写出的 Word 报告不一致；"
              f"请加 --pdf --force 重新导出，或删除它。", file=sys.stderr)
    if args.pdf:
        try:
            pdf = word.to_pdf(written, pdf_path)
        except InputError as e:
            stale = f"旁边原有的「{pdf_path.name}」仍是旧版本，与新的 Word 报告不一致。" if pdf_path.exists() else ""
            print(f"Word 报告已写出，但无法生成 PDF：{e}{stale}", file=sys.stderr)
            return 2
        print(f"已写出：{pdf}")
    return 0
