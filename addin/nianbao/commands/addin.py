"""nianbao addin build [-o DIR] | install [--file XLAM] | run ACTION BOOK [-o OUT]"""
from __future__ import annotations

import os
import sys
from pathlib import Path

CONF_KEY_INTERPRETER = "INTERPRETER_WIN"
# xlwings puts the workbook's folder first on sys.path unless this is false: a stray nianbao.py or
# openpyxl.py beside a clerk's workbook would then be imported instead of the add-in's own modules.
CONF_KEY_WORKBOOK_PATH = "ADD_WORKBOOK_TO_PYTHONPATH"
# Folders xlwings puts before everything else on sys.path (the worksheet functions' Python starts in
# whatever folder Excel is in, often the clerk's last-opened folder, and Python searches it first).
CONF_KEY_PYTHONPATH = "PYTHONPATH"


def register(sub) -> None:
    p = sub.add_parser("addin", help="Excel 加载项：生成 nianbao.xlam、在 Windows 上安装、在命令行运行按钮功能",
                       description="Excel 加载项（「政务公开年报」选项卡）。build 生成 nianbao.xlam；install 在 Windows "
                                   "上安装到 Excel 启动文件夹并指向当前 Python；run 不用 Excel，直接对工作簿文件执行按钮的功能。")
    p.set_defaults(run=lambda args: (p.print_help(), 0)[1])
    ops = p.add_subparsers(dest="addin_command", metavar="操作", parser_class=type(p))

    b = ops.add_parser("build", help="生成加载项 nianbao.xlam（任何系统均可）",
                       description="以已安装的 xlwings 自带的功能区加载项为底本，写入 macros/ 中的 VBA 模块和功能区定义，"
                                   "生成 nianbao.xlam。")
    b.add_argument("-o", "--output", metavar="DIR", default=str(Path("build") / "addin"),
                   help="输出文件夹（默认 ./build/addin）")
    b.set_defaults(run=run_build)

    i = ops.add_parser("install", help="在 Windows 上安装加载项，并让它使用当前的 Python",
                       description="把 nianbao.xlam 复制到 Excel 的启动文件夹（XLSTART），并在 %USERPROFILE%\\.nianbao\\"
                                   "nianbao.conf 中写入当前 Python 解释器的路径。其他系统上只说明如何操作。")
    i.add_argument("--file", metavar="XLAM", help="要安装的加载项文件（默认现场生成）")
    i.set_defaults(run=run_install)

    r = ops.add_parser("run", help="不用 Excel，对工作簿文件执行按钮的功能（校验 / 导出Word / 网页和一图读懂 / 新建下一年度 / "
                                   "函数转为数值）",
                       description="与 Excel 中「政务公开年报」选项卡的按钮相同的功能，直接作用于工作簿文件："
                                   "check 校验并把结果写入「校验结果」表、标色；export 在工作簿旁导出 Word 报告；"
                                   "publish 在工作簿旁导出网页（.html）和「一图读懂」图片（.png、.svg）；"
                                   "new-year 在工作簿旁新建下一年度工作簿；unlink 把 =NB_STATUS、=NB_FINDINGS 函数换成"
                                   "它们保存的结果（便于发送）。退出码：0 完成，1 校验有错误，2 工作簿无法使用。")
    r.add_argument("action", choices=("check", "export", "publish", "new-year", "unlink"),
                   help="check、export、publish、new-year 或 unlink")
    r.add_argument("book", metavar="BOOK", help="年报工作簿（.xlsx / .xlsm）")
    r.add_argument("-o", "--output", metavar="OUT.xlsx",
                   help="check：写入校验结果的工作簿（默认在原工作簿旁另存为「…（已校验）.xlsx」）；unlink：转换后的"
                        "工作簿（默认「…（发送用）.xlsx」）。都不改动原文件，不能是原工作簿本身，已存在时不覆盖，除非加 --force")
    r.add_argument("--force", action="store_true",
                   help="替换已存在的输出文件（check 的输出工作簿；export 的同名 Word 报告、publish 的同名网页和图片、new-year 的同名工作簿，"
                        "默认另存为带时间的新文件名）")
    r.add_argument("--register", action="store_true",
                   help="new-year：新工作簿用台账模式（本工作簿是台账模式时自动采用，见 docs/register.md）")
    r.set_defaults(run=run_action)


def run_build(args) -> int:
    from ..addin.build import build
    path = build(args.output)
    print(f"已生成加载项：{path}")
    print("在 Windows 上运行「nianbao addin install」安装；说明见 docs/addin.md。")
    return 0


# ---------------------------------------------------------------- install
def xlstart_dir() -> Path:
    """Excel's per-user startup folder (add-ins there load with every Excel start)."""
    appdata = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def conf_path() -> Path:
    """The settings file xlwings' VBA reads for PROJECT_NAME ``nianbao``."""
    from ..addin.build import PROJECT_NAME
    home = os.environ.get("USERPROFILE") or str(Path.home())
    return Path(home) / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def conf_text(settings: dict[str, str], existing: str = "") -> str:
    """The settings file as VBA ``Write #`` writes it: one ``"KEY","VALUE"`` line each.

    Lines of ``existing`` whose key is not in ``settings`` are kept.
    """
    keep = []
    wanted = {k.lower() for k in settings}
    for line in existing.splitlines():
        key = line.split(",", 1)[0].strip().strip('"').lower()
        if line.strip() and key not in wanted:
            keep.append(line)
    for key, value in settings.items():
        if '"' in value:
            raise ValueError(value)
        keep.append(f'"{key}","{value}"')
    return "\r\n".join(keep) + "\r\n"


def ansi_encoding() -> str:
    """The ANSI code page VBA's file I/O uses (GBK on Chinese Windows)."""
    return "mbcs" if sys.platform.startswith("win") else "gbk"


def interpreter() -> str:
    """This Python, as python.exe (xlwings starts pythonw.exe itself for worksheet functions)."""
    exe = Path(sys.executable)
    if exe.name.lower() == "pythonw.exe":
        exe = exe.with_name("python.exe")
    return str(exe)


def module_folders() -> list[str]:
    """Where nianbao and xlwings are installed (site-packages, or the source folder of an editable
    install): put first on the add-in's sys.path, so that nothing in Excel's current folder shadows them."""
    import importlib.util
    out: list[str] = []
    for name in ("nianbao", "xlwings"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folder = str(Path(spec.origin).resolve().parent.parent)
            if folder not in out:
                out.append(folder)
    return out


def install_settings(existing: str = "") -> dict[str, str]:
    """What ``addin install`` writes: this Python, the workbook's folder kept off sys.path, and the
    installed packages first on it (a PYTHONPATH the user set is kept after ours)."""
    ours = module_folders()
    theirs = ""
    for line in existing.splitlines():
        key, _, value = line.partition(",")
        if key.strip().strip('"').upper() == CONF_KEY_PYTHONPATH:
            theirs = value.strip().strip('"')
    paths = ours + [p for p in theirs.split(";") if p and p not in ours]
    return {CONF_KEY_INTERPRETER: interpreter(), CONF_KEY_WORKBOOK_PATH: "False",
            CONF_KEY_PYTHONPATH: ";".join(paths)}


# ---------------------------------------------------------------- the worksheet functions' DLL
def dll_names() -> tuple[str, ...]:
    """The DLLs of the pinned xlwings that Excel loads for worksheet functions (64- and 32-bit Office)."""
    from importlib.metadata import version
    v = version("xlwings")
    return (f"xlwings64-{v}.dll", f"xlwings32-{v}.dll")


def dll_folders(python_exe: Path) -> list[Path]:
    """Where xlwings' VBA looks for its DLL: beside python.exe, then one folder up (a virtualenv)."""
    return [python_exe.parent, python_exe.parent.parent]


def installed_dlls() -> list[Path]:
    """Where pip put xlwings' DLLs (its data files), whatever the install scheme (--user too)."""
    from importlib.metadata import PackageNotFoundError, distribution
    try:
        dist = distribution("xlwings")
    except PackageNotFoundError:
        return []
    names = {n.lower() for n in dll_names()}
    return [Path(dist.locate_file(f)).resolve() for f in (dist.files or []) if Path(str(f)).name.lower() in names]


def is_store_python(python_exe: Path) -> bool:
    """Python from the Microsoft Store (an app alias under WindowsApps, files in a package folder)."""
    text = str(python_exe).lower()
    return "windowsapps" in text or "pythonsoftwarefoundation.python" in text


def dll_check(python_exe: Path, installed: list[Path] | None = None) -> list[str]:
    """Lines for the user when the worksheet functions could not load (empty when all is well)."""
    names = dll_names()
    folders = dll_folders(python_exe)
    if any((folder / name).is_file() for folder in folders for name in names):
        if is_store_python(python_exe):
            return [STORE_PYTHON]
        return []
    found = installed_dlls() if installed is None else installed
    lines = [f"注意：工作表函数 NB_STATUS、NB_FINDINGS 将无法使用：Excel 在 {folders[0]} 和 {folders[1]} 中"
             f"找不到 xlwings 的 {names[0]}（32 位 Office 为 {names[1]}）。"]
    if found:
        lines.append(f"它被安装在了 {found[0].parent}（例如用 pip install --user 安装时）。处理方法（任选其一）：")
        lines.append(f"  · 把该文件夹中的 {'、'.join(names)} 复制到 {folders[0]}；")
    else:
        lines.append("本机没有找到这个文件。处理方法（任选其一）：")
    lines.append("  · 用 python.org 下载的 Python 安装 nianbao，不加 --user（例如在虚拟环境中："
                 "python -m venv C:\\nianbao-env，再用其中的 pip 安装），然后重新运行 nianbao addin install。")
    if is_store_python(python_exe):
        lines.append(STORE_PYTHON)
    lines.append("功能区的按钮（校验、导出Word、新建下一年度）不需要这个文件，照常可用。")
    return lines


STORE_PYTHON = ("注意：当前 Python 来自 Microsoft Store，xlwings 的工作表函数不支持这种 Python（无法启动函数服务），"
                "NB_STATUS、NB_FINDINGS 将显示错误；按钮照常可用。如需工作表函数，请改用 python.org 下载的 Python。")


def write_conf(path: Path, settings: dict[str, str], encoding: str) -> None:
    from ..errors import InputError
    from ..files import atomic_write
    existing = ""
    if path.exists():
        existing = path.read_bytes().decode(encoding, errors="replace")
    try:
        data = conf_text(settings, existing).encode(encoding)
    except UnicodeEncodeError:
        raise InputError("Python 的安装路径含有当前系统代码页（ANSI）无法表示的字符，Excel 无法读取。"
                         "请把 Python 安装到只含英文字母和数字的路径（例如 C:\\Python311）后重试",
                         path=settings.get(CONF_KEY_INTERPRETER)) from None
    atomic_write(path, data, replace=True)  # our own settings file, updated in place


def run_install(args) -> int:
    if not sys.platform.startswith("win"):
        print(NOT_WINDOWS)
        return 0
    import shutil
    import tempfile

    from ..errors import InputError
    target_dir = xlstart_dir()
    with tempfile.TemporaryDirectory(prefix="nianbao-install-") as tmp:
        if args.file:
            source = Path(args.file)
            if not source.is_file():
                raise InputError("加载项文件不存在", path=args.file)
        else:
            from ..addin.build import build
            source = build(tmp)
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / "nianbao.xlam"
        try:
            shutil.copyfile(source, target)
        except PermissionError:
            raise InputError("无法覆盖已安装的加载项：请先关闭所有 Excel 窗口再运行本命令", path=str(target)) from None
    conf = conf_path()
    encoding = ansi_encoding()
    existing = conf.read_bytes().decode(encoding, errors="replace") if conf.is_file() else ""
    write_conf(conf, install_settings(existing), encoding)
    print(f"已安装加载项：{target}")
    print(f"已写入设置：{conf}（Python：{interpreter()}；不把工作簿所在文件夹加入模块搜索路径）")
    for line in dll_check(Path(interpreter())):
        print(line)
    print("请重新打开 Excel，功能区会出现「政务公开年报」选项卡。如未出现或按钮无反应，请按 docs/addin.md 检查"
          "宏安全设置、受信任位置和 Defender 规则。")
    return 0


NOT_WINDOWS = """Excel 加载项只能在 Windows 版 Excel 中安装和使用（xlwings 的 RunPython 需要 Windows；WPS 不支持 xlwings）。
请在使用 Excel 的 Windows 电脑上：
  1. 安装 Python（3.10 或更高，建议安装到只含英文字母的路径）和 nianbao；
  2. 在命令提示符中运行：nianbao addin install
  3. 重新打开 Excel，功能区出现「政务公开年报」选项卡。
在本机可以：
  · 运行「nianbao addin build」生成 nianbao.xlam，拷贝到 Windows 电脑后用「nianbao addin install --file nianbao.xlam」安装；
  · 不用 Excel，直接使用同样的功能：nianbao addin run check 年报.xlsx（或 export、new-year），以及 nianbao check / export / new。
详见 docs/addin.md。"""


# ---------------------------------------------------------------- run
# Actions that write a changed copy of the workbook (never the workbook itself): the copy's name ending.
SAVED_COPY = {"check": "（已校验）", "unlink": "（发送用）"}


def run_action(args) -> int:
    from ..addin.actions import ACTIONS
    from ..addin.file_access import XlsxAccess
    from ..errors import InputError
    from ..files import prepare_output
    from ..loading import WORKBOOK_SUFFIXES
    book = Path(args.book)
    save_to = None
    if args.action in SAVED_COPY:
        out = Path(args.output) if args.output else book.with_name(f"{book.stem}{SAVED_COPY[args.action]}{book.suffix}")
        # The checked copy is the same kind of workbook as the book (an .xlsm keeps its macros).
        kinds = (book.suffix.lower(),) if book.suffix.lower() in WORKBOOK_SUFFIXES else WORKBOOK_SUFFIXES
        save_to = prepare_output(out, inputs=(book,), suffixes=kinds, force=args.force)
    elif args.output:
        raise InputError(f"-o 只用于 check 和 unlink；{args.action} 把文件写在工作簿旁，文件名见其说明", path=args.output)
    access = XlsxAccess(book, save_to=save_to)
    kwargs = {} if args.action in SAVED_COPY else {"replace": args.force}
    if getattr(args, "register", False):
        if args.action != "new-year":
            raise InputError("--register 只用于 new-year（新建下一年度）")
        kwargs["register"] = True
    outcome = ACTIONS[args.action](access, **kwargs)
    for text in access.messages:  # what Excel would show in its message box (it names the written file)
        print(text, file=sys.stderr if outcome.unusable else sys.stdout)
    if outcome.unusable:
        return 2
    if args.action == "check":
        print(f"校验结果已写入：{save_to}（「校验结果」表）")
        return 0 if outcome.ok else 1
    if args.action == "unlink" and access.saved:
        print(f"已写入：{save_to}")
    return 0
