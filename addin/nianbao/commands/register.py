"""nianbao register switch BOOK.xlsx -o OUT.xlsx | nianbao register import 台账.xlsx --into BOOK.xlsx -o OUT.xlsx"""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("register", help="台账模式：表三、表四按依申请台账和复议诉讼台账自动计数",
                       description="把年报工作簿切换为台账模式（表三、表四的填报单元格改为按「依申请台账」「复议诉讼台账」"
                                   "计数的公式），或把已有的台账（任意 .xlsx）导入工作簿的台账。原工作簿不改动，写出新工作簿。")
    actions = p.add_subparsers(dest="action", metavar="switch|import", required=True)
    s = actions.add_parser("switch", help="把填数的工作簿切换为台账模式（原填的数列在「原填报数」表中）")
    s.add_argument("book", metavar="BOOK.xlsx", help="年报工作簿")
    s.add_argument("-o", "--output", metavar="OUT.xlsx", required=True, help="写出的工作簿（已存在时不覆盖，除非加 --force）")
    s.add_argument("--force", action="store_true", help="输出文件已存在时替换它")
    s.set_defaults(run=run_switch)
    i = actions.add_parser("import", help="导入已有的台账（表头含收到/受理日期、申请人类型、答复/办理结果等）")
    i.add_argument("ledger", metavar="台账.xlsx", help="已有的台账工作簿（.xlsx）")
    i.add_argument("--into", metavar="BOOK.xlsx", required=True, help="年报工作簿（台账行加在它已有的台账之后）")
    i.add_argument("-o", "--output", metavar="OUT.xlsx", required=True, help="写出的工作簿（已存在时不覆盖，除非加 --force）")
    i.add_argument("--force", action="store_true", help="输出文件已存在时替换它")
    i.set_defaults(run=run_import)


def _book(path: str):
    """The report of one of our workbooks (InputError for any other file), and last year's if recorded."""
    from pathlib import Path

    from .. import loading
    from ..errors import InputError
    if Path(path).suffix.lower() not in loading.WORKBOOK_SUFFIXES:
        raise InputError("应为年报工作簿（.xlsx / .xlsm）", path=path)
    source = loading.load(path)
    previous = loading.find_previous(source).source
    return source.report, (previous.report if previous is not None else None)


def _write(report, previous, out, rows, keep_typed: bool) -> tuple[list[str], int]:
    from ..workbook.register import write_register
    return write_register(report, out, previous=previous, rows=rows, keep_typed=keep_typed)


def _summary(report, kept: int) -> list[str]:
    from .. import register as reg
    lines = []
    if kept:
        lines.append(f"表三、表四原填的 {kept} 个数已列在「原填报数」表中（台账模式下表格按台账计数，这些数不再使用），"
                     f"可与台账计数逐项核对。")
    counts = reg.counts(report.fmt, report.year, report.register) if report.register is not None else {}
    if counts:
        t3 = report.fmt.requests
        new = sum(v for k, v in counts.items() if k.split(".")[1] == t3.new_row and k.split(".")[0] == t3.key)
        lines.append(f"按台账计数：{report.year}年度本年新收申请 {new} 件。运行 nianbao check 查看台账的校验结果（规则 L-1～L-6）。")
    return lines


def run_switch(args) -> int:
    from ..files import prepare_output
    out = prepare_output(args.output, inputs=(args.book,), suffixes=(".xlsx",), force=args.force)
    report, previous = _book(args.book)
    from ..workbook.register import rows_of
    already = report.register is not None
    _, kept = _write(report, previous, out, rows_of(report), keep_typed=not already)
    print(f"{'工作簿已是台账模式，已重写' if already else '已切换为台账模式'}：{out}")
    for line in _summary(report, kept):
        print(line)
    return 0


def run_import(args) -> int:
    from .. import register as reg
    from ..errors import InputError
    from ..files import prepare_output
    from ..workbook.foreign import read_foreign
    from ..workbook.register import rows_of
    out = prepare_output(args.output, inputs=(args.ledger, args.into), suffixes=(".xlsx",), force=args.force)
    report, previous = _book(args.into)
    got = read_foreign(args.ledger, report.fmt)
    rows = rows_of(report)
    keep_typed = report.register is None
    for key, new in got.rows.items():
        rows[key] = list(rows.get(key, [])) + list(new)
        if len(rows[key]) > reg.MAX_ROWS:
            raise InputError(f"导入后台账超过 {reg.MAX_ROWS} 行的上限", path=args.ledger)
    report.register = reg.Register({k: [reg.Row(reg.FIRST_ROW + i, tuple(c)) for i, c in enumerate(v)]
                                    for k, v in rows.items()})
    kept = _write(report, previous, out, rows, keep_typed)[1]
    fmt = report.fmt
    print(f"已导入台账：{args.ledger} → {out}")
    for name, (key, top) in got.sheets.items():
        print(f"  工作表「{name}」（表头在第{top}行）→ 「{fmt.register(key).sheet}」")
    for key, new in got.rows.items():
        print(f"  {fmt.register(key).sheet}：导入 {len(new)} 行")
    if got.problems:
        rows_named = sorted({(p.sheet, p.row) for p in got.problems})
        print(f"有 {len(rows_named)} 行的内容无法对应到下拉列表或日期，已按原文导入，请在工作簿中改正"
              f"（nianbao check 以规则 L-2、L-3 指出）：")
        from ..safetext import one_line
        for p in got.problems:
            print(f"  「{p.sheet}」第{p.row}行 {p.column}「{one_line(p.text)[:40]}」：{p.reason}")
    else:
        print("每一行的类型、结果和日期都已对应。")
    for line in _summary(report, kept):
        print(line)
    return 1 if got.problems else 0
