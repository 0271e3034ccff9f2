"""nianbao demo [-o DIR]: the main job on the embedded seed report."""
from __future__ import annotations

from pathlib import Path

# Steps that write the demo's files, each ``(module, function)`` taking (report, outdir) and
# returning the written path.  The workbook and Word faces add theirs here.
STEPS: tuple[tuple[str, str], ...] = (
    ("workbook", "demo_step"),
    ("word", "write_into"),
)


def register(sub) -> None:
    p = sub.add_parser("demo", help="示例：用内置的山东省商务厅2020年度报告演示校验、工作簿和 Word 报告",
                       description="用内置示例（山东省商务厅2020年度政府信息公开工作报告，2019年格式）演示：写出工作簿和"
                                   " Word 报告，并打印校验结果。")
    p.add_argument("-o", "--output", metavar="DIR", default="nianbao-demo", help="输出文件夹（默认 ./nianbao-demo）")
    p.set_defaults(run=run)


def run(args) -> int:
    import importlib

    from .. import examples, loading
    from ..findings_text import render
    from ..source import JSON, Source
    report = examples.load("seed")
    outdir = Path(args.output)
    checked = Source(report, f"内置示例：{examples.EXAMPLES['seed']}", JSON)
    for module, func in STEPS:
        mod = importlib.import_module(f"nianbao.{module}")
        written = getattr(mod, func)(report, outdir)
        print(f"已写出：{written}")
        if Path(written).suffix.lower() in loading.WORKBOOK_SUFFIXES:
            # Check what a user would check: the workbook just written, read back.
            checked = loading.load(str(written))
    verdict = loading.assess(checked)
    text = render(list(verdict.findings), verdict.report, checked.path, limit=12)
    if checked.kind != JSON:
        text = text.replace("完整清单请运行 nianbao check 查看。", f"完整清单请运行：nianbao check \"{checked.path}\"")
    print(text)
    return 0
