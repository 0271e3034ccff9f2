"""nianbao review INPUT... -o OUT.xlsx [--previous-dir DIR] [--parent REPORT] [--docx OUT.docx] [--json]"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("review", help="批量审核多个单位的报告：总览、问题清单、汇总表、缺报单位、指标",
                       description="一次审核多个单位的年度报告（文件或文件夹，文件夹按子文件夹逐级查找），"
                                   "写出审核工作簿：每个单位一行的总览、全部问题、三张统计表的汇总、"
                                   "与上年相比缺报的单位、监督指标和图表。"
                                   "退出码：0 全部没有错误，1 有单位有错误或无法读取，2 没有任何可读取的文件或参数有误。")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="报告文件或文件夹（工作簿、报告数据 JSON、已发布的报告）")
    p.add_argument("-o", "--output", metavar="OUT.xlsx", help="审核工作簿的输出路径")
    p.add_argument("--previous-dir", metavar="DIR", help="上年各单位报告所在的文件夹：按单位名称对应，做与上年的衔接校验并列出缺报单位")
    p.add_argument("--parent", metavar="REPORT", help="本级政府自己的报告：与各单位之和逐项比较")
    p.add_argument("--docx", metavar="OUT.docx", help="同时写出公文格式的 Word 审核汇总")
    p.add_argument("--json", action="store_true", help="把完整的审核结果以 JSON 输出到标准输出（review JSON）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.add_argument("--jobs", type=int, metavar="N", help="同时使用的进程数（默认：全部处理器核心）")
    p.set_defaults(run=run)


def _outputs(args) -> list[Path]:
    """The outputs, checked before anything is read: never one of the inputs, nor a file found inside an
    input folder (a unit's submitted report), with or without --force; then the one rule of every
    command that writes (``files.prepare_output``)."""
    from ..errors import InputError
    from ..files import prepare_output, same_file
    from ..review import batch
    outs = [Path(o) for o in (args.output, args.docx) if o]
    if not outs and not args.json:
        raise InputError("请用 -o 指定审核工作簿的输出路径（如 -o 审核结果.xlsx），或用 --json 输出到屏幕")
    if args.output and Path(args.output).suffix.lower() != ".xlsx":
        raise InputError("审核工作簿的文件名应以 .xlsx 结尾", path=args.output)
    if args.docx and Path(args.docx).suffix.lower() != ".docx":
        raise InputError("Word 审核汇总的文件名应以 .docx 结尾", path=args.docx)
    if args.output and args.docx and same_file(Path(args.output), Path(args.docx)):
        raise InputError("审核工作簿和 Word 审核汇总不能写到同一个文件", path=args.docx)
    found = batch.collect([*args.inputs, *([args.previous_dir] if args.previous_dir else [])])
    named = [*args.inputs, *([args.parent] if args.parent else [])]
    for o in outs:
        for i in named:
            if same_file(o, Path(i)):
                raise InputError("输出文件不能是审核的输入文件之一（输入文件不会被改动），请另选输出文件名", path=str(o))
        if os.path.lexists(o) and any(same_file(o, Path(f)) for f in found):
            raise InputError("输出文件是输入文件夹中要审核的一份报告，不能被替换（加 --force 也不行）。"
                             "请把审核结果写到输入文件夹以外", path=str(o))
        prepare_output(o, inputs=named, force=args.force)
    return outs


class _Progress:
    """Progress on stderr: a bar on a terminal (tqdm), a line every tenth of the work otherwise."""

    def __init__(self):
        self.bar = None
        self.what = None
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.tty:
            if self.what != what:
                self.close()
                from tqdm import tqdm
                self.bar, self.what = tqdm(total=total, desc=what, unit="份", file=sys.stderr, leave=False), what
            self.bar.update(1)
            return
        self.what = what
        step = max(1, total // 10)
        if done == total or done % step == 0:
            print(f"[{done}/{total}] {what}……", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def run(args) -> int:
    from ..errors import InputError
    from ..review import batch, book, data, summary
    if args.jobs is not None and args.jobs < 1:
        raise InputError("--jobs 应为不小于1的整数")
    outs = _outputs(args)
    if args.parent and not Path(args.parent).is_file():
        raise InputError("本级报告文件不存在", path=args.parent)
    progress = _Progress()
    try:
        review = batch.run(args.inputs, previous_dir=args.previous_dir, parent=args.parent, jobs=args.jobs,
                           progress=progress, exclude=outs)
    finally:
        progress.close()
    if not review.readable:
        first = next((u for u in review.units if u.error), None)
        raise InputError(f"{len(review.units)} 个文件都无法读取" + (f"（例如「{first.path}」：{first.error}）" if first else ""))
    if args.output:
        print("[写出] 审核工作簿……", file=sys.stderr)
        book.write(review, args.output)
    if args.docx:
        if review.summed is None or not review.summed.units:
            print("注意：没有可汇总的报告，未写出 Word 审核汇总。", file=sys.stderr)
        else:
            summary.write(review, args.docx)
    if args.json:
        json.dump(data.to_json(review), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    counts = review.by_status()
    line = "，".join(f"{s} {counts[s]}" for s in batch.STATUSES if counts.get(s))
    print(f"审核完成：{len(review.units)} 个文件（{line}）。", file=sys.stderr)
    if review.previous_dir is not None:
        print(f"与上年相比缺报 {len(review.missing)} 个单位；{len(review.unmatched)} 个单位未找到上年报告。", file=sys.stderr)
    if review.parent is not None:
        print(f"本级报告与各单位之和：{len(review.parent_differences)} 处不同。", file=sys.stderr)
    for o in (args.output, args.docx):
        if o and Path(o).exists():
            print(f"已写出：{o}", file=sys.stderr)
    return 1 if review.has_errors else 0
