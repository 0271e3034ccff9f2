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
    p.add_argument("--force", action="store_true", help="文件夹中已有示例文件时替换它们（默认拒绝）")
    p.set_defaults(run=run)


def write_steps(report, outdir: Path, force: bool = False) -> list[Path]:
    """Run every step into a scratch folder inside ``outdir``, then move the files into ``outdir``:
    nothing is written there unless every file may be (``files.prepare_output``)."""
    import importlib
    import shutil
    import tempfile

    from ..errors import InputError
    from ..files import move_into_place, prepare_output
    if outdir.exists() and not outdir.is_dir():
        raise InputError("输出位置是一个文件，不是文件夹", path=str(outdir))
    outdir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".nianbao-demo-", dir=str(outdir)))
    try:
        made = []
        for module, func in STEPS:
            mod = importlib.import_module(f"nianbao.{module}")
            made.append(Path(getattr(mod, func)(report, scratch)))
        targets = [prepare_output(outdir / p.name, force=force) for p in made]
        for p, target in zip(made, targets):
            move_into_place(p, target)
        return targets
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(args) -> int:
    from .. import examples, loading
    from ..findings_text import render
    from ..source import JSON, Source
    report = examples.load("seed")
    outdir = Path(args.output)
    checked = Source(report, f"内置示例：{examples.EXAMPLES['seed']}", JSON)
    for written in write_steps(report, outdir, args.force):
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
