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


MARK = ".nianbao-demo"  # in the output folder: name and digest of each file the demo wrote there


def _digest(path: Path) -> str:
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _own_files(outdir: Path) -> dict[str, str]:
    """The files an earlier demo wrote into ``outdir`` and nobody changed since: name → digest."""
    import json
    mark = outdir / MARK
    try:
        recorded = json.loads(mark.read_text("utf-8")) if mark.is_file() and mark.stat().st_size < 65536 else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    own = {}
    for name, digest in recorded.items():
        p = outdir / str(name)
        if isinstance(digest, str) and Path(str(name)).name == name and p.is_file() and not p.is_symlink():
            try:
                if _digest(p) == digest:
                    own[name] = digest
            except OSError:
                pass
    return own


def write_steps(report, outdir: Path, force: bool = False, replaced: list | None = None) -> list[Path]:
    """Run every step into a scratch folder inside ``outdir``, then move the files into ``outdir``:
    nothing is written there unless every file may be (``files.prepare_output``).  The demo's own files
    from an earlier run (recorded in ``MARK``, unchanged since) are replaced and listed in ``replaced``;
    any other file of the same name is refused unless ``force``."""
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
        own = _own_files(outdir)
        targets = [prepare_output(outdir / p.name, force=force or p.name in own) for p in made]
        if replaced is not None:
            replaced += [t for t in targets if t.exists()]
        digests = {p.name: _digest(p) for p in made}
        for p, target in zip(made, targets):
            move_into_place(p, target)
        import json

        from ..files import atomic_write
        atomic_write(outdir / MARK, json.dumps(digests, ensure_ascii=False, indent=1), replace=True)  # its own record
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
    replaced: list[Path] = []
    for written in write_steps(report, outdir, args.force, replaced):
        print(f"已写出：{written}" + ("（替换了上次演示写出的同名文件）" if written in replaced else ""))
        if Path(written).suffix.lower() in loading.WORKBOOK_SUFFIXES:
            # Check what a user would check: the workbook just written, read back.
            checked = loading.load(str(written))
    verdict = loading.assess(checked)
    text = render(list(verdict.findings), verdict.report, checked.path, limit=12)
    if checked.kind != JSON:
        text = text.replace("完整清单请运行 nianbao check 查看。", f"完整清单请运行：nianbao check \"{checked.path}\"")
    print(text)
    return 0
