"""nianbao new [--format 2021|2019] [--year Y] [--agency NAME] [--level LEVEL] [--from FILE] -o OUT.xlsx"""
from __future__ import annotations

import datetime
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("new", help="新建年报工作簿（官方表格、自动合计、内置校验公式）",
                       description="新建年报工作簿。--from 给出同一年度的报告数据（.json）时按其内容填好；"
                                   "给出上一年度的报告（工作簿或 JSON）时，结转「上年结转」、现行有效件数、机关信息和正文小标题；新建的工作簿在正文中起草数字与表格绑定的段落。")
    from .. import formats
    p.add_argument("--format", choices=formats.ids()[::-1],
                   help=f"报告格式（默认按报告年度：{formats.choices_text()}）")
    p.add_argument("--year", type=int, metavar="Y", help="报告年度（统计数据所属年度）")
    p.add_argument("--agency", metavar="NAME", help="机关名称")
    p.add_argument("--level", metavar="LEVEL",
                   help="机关层级：state_council_dept、province、province_dept、city、city_dept、county、"
                        "county_dept、township、other，或其中文名称")
    p.add_argument("--from", dest="source", metavar="FILE",
                   help="同一年度的报告数据（.json），或上一年度的报告（.xlsx / .json）")
    p.add_argument("-o", "--output", metavar="OUT.xlsx", required=True,
                   help="要写出的工作簿（已存在时不覆盖，除非加 --force）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时替换它（默认拒绝，以免覆盖已填好的工作簿）")
    p.add_argument("--register", action="store_true",
                   help="台账模式：加入「依申请台账」「复议诉讼台账」，表三、表四按台账自动计数（公式）；"
                        "由台账模式的上年工作簿新建时自动采用，并结转尚未办结的申请和案件")
    p.set_defaults(run=run)


def default_year(today: datetime.date | None = None) -> int:
    """Reports are written early in the following year: before July the report year is last year."""
    today = today or datetime.date.today()
    return today.year - 1 if today.month <= 6 else today.year


def _level(value: str | None):
    from ..errors import InputError
    from ..model import LEVELS
    if value is None:
        return None
    if value in LEVELS:
        return value
    names = {v: k for k, v in LEVELS.items()}
    if value in names:
        return names[value]
    raise InputError(f"--level「{value}」无法识别，可选：" + "、".join(f"{k}（{v}）" for k, v in LEVELS.items()))


def check_year(year: int, today: datetime.date | None = None) -> None:
    """Refuse a report year no official format covers, or one that has not begun (InputError)."""
    from .. import formats
    from ..errors import InputError
    first = formats.first_year()
    last = (today or datetime.date.today()).year + 1
    if year < first:
        raise InputError(f"报告年度 {year} 早于第一种官方格式的适用年度（{first}年度，{formats.choices_text()}），"
                         f"本工具不支持 {first} 年度以前的报告")
    if year > last:
        raise InputError(f"报告年度 {year} 晚于明年（{last}年度），请检查 --year 或来源报告的年度")


def run(args) -> int:
    from .. import carryover, formats, loading, workbook
    from ..errors import InputError
    from ..files import prepare_output
    from ..model import empty_report
    out = prepare_output(args.output, inputs=(args.source,), suffixes=(".xlsx",), force=args.force)
    if args.year is not None:
        check_year(args.year)
    level = _level(args.level)
    from ..safetext import illegal_char
    if args.agency is not None and illegal_char(args.agency):
        raise InputError(f"--agency（机关名称）含有不能写入工作簿的控制字符 {illegal_char(args.agency)}，请删除后重试")
    previous = None
    missing: tuple[str, ...] = ()
    if args.source:
        src_path = Path(args.source)
        source = loading.load(args.source).report
        year = args.year
        if year is None:
            year = source.year if src_path.suffix.lower() == ".json" else source.year + 1
        from ..model import MAX_YEAR
        if year > MAX_YEAR:
            raise InputError(f"--from 的报告是 {source.year} 年度，不能再结转到下一年度（年度上限为 {MAX_YEAR} 年）",
                             path=args.source)
        if year == source.year:
            if args.format and args.format != source.format:
                raise InputError(f"报告数据为{source.format}年格式，不能用 --format {args.format} 填入另一种格式的表格",
                                 path=args.source)
            report = source
            action = f"已按报告数据填好 {report.year} 年度工作簿"
        elif year == source.year + 1:
            fid = args.format or formats.id_for_year(year)
            carried = carryover.carry_over(source, year, fid)
            report = carried.report
            missing = carried.missing
            previous = source
            report.previous = str(src_path.resolve())
            action = f"已从 {source.year} 年度报告结转到 {year} 年度新工作簿"
        else:
            raise InputError(f"--from 的报告是 {source.year} 年度，与新工作簿的 {year} 年度不衔接："
                             f"同一年度则按其填好，上一年度则结转", path=args.source)
        if args.agency is not None:
            report.agency = args.agency
        if level is not None:
            report.level = level
    else:
        year = args.year if args.year is not None else default_year()
        fid = args.format or formats.id_for_year(year)
        report = empty_report(fid, year, agency=args.agency or "", level=level)
        carryover.start_sections(report)
        action = f"已新建 {year} 年度空白工作簿"
    check_year(report.year)
    fmt = report.fmt
    registered = _register_mode(args, report, previous, source if args.source else None)
    if registered is not None:
        typed = _write_register(report, out, previous, registered)
    else:
        typed = workbook.write(report, out, previous=previous)
    print(f"{action}（{fmt.id}年格式，{fmt.notice}）：{out}")
    if registered is not None:
        print(registered["message"])
    if not fmt.covers(report.year):
        print(f"注意：{report.year}年度报告应使用{formats.id_for_year(report.year)}年格式，"
              f"当前为{fmt.id}年格式（规则 S-1 会报错）。")
    if missing:
        print(f"注意：上年报告（{previous.format}年格式）没有以下数据，未能结转，请手工填写：{'、'.join(missing)}。")
    if typed:
        locs = "、".join(workbook.address(fmt.id, k) for k in typed[:6]) + ("等" if len(typed) > 6 else "")
        print(f"注意：来源数据中有 {len(typed)} 个总计与各项之和不一致，已按原值保留并标为橙色（{locs}），"
              f"「校验」表会列出差异。")
    return 0


def _register_mode(args, report, previous, source) -> dict | None:
    """Register mode (``--register``, or last year's workbook kept registers): the rows carried from last
    year's registers (every application and case still open at its year's end) and what to tell the user."""
    from .. import register as reg
    last = previous
    same = source if previous is None else None  # a report of the same year (its registers kept as they are)
    if not args.register and (last is None or last.register is None) and (same is None or same.register is None):
        return None
    rows: dict = {}
    carried = {}
    if same is not None and same.register is not None:
        from ..workbook.register import rows_of
        rows = rows_of(same)
    if last is not None and last.register is not None:
        open_ = reg.open_rows(last.fmt, last.year, last.register)
        rows = reg.carry_rows(last.fmt, report.fmt, open_)
        carried = {k: len(v) for k, v in rows.items()}
    same_year = same is not None and same.register is None
    names = "」「".join(s.sheet for s in report.fmt.registers)
    lines = [f"台账模式：表三、表四按「{names}」自动计数。"]
    if carried:
        lines.append("已结转上年尚未办结的申请 {} 件、案件 {} 件（保留原收到日期）。".format(
            carried.get("applications", 0), carried.get("cases", 0)))
    elif last is not None:
        lines.append("上年报告没有台账：请把上年底尚未办结的申请按原收到日期登记到「依申请台账」，"
                     "否则「上年结转」按台账计为0，与上年的「结转下年度继续办理」不符（规则 X-1 会指出）。")
    return {"rows": rows, "keep_typed": same_year, "message": "".join(lines)}


def _write_register(report, out, previous, registered) -> list[str]:
    from ..workbook.register import write_register
    typed, kept = write_register(report, out, previous=previous, rows=registered["rows"],
                                 keep_typed=registered["keep_typed"])
    if kept:
        registered["message"] += (f"报告数据中表三、表四原有的 {kept} 个数已列在「原填报数」表中备查，"
                                  f"表格改为按台账计数。")
    return typed
