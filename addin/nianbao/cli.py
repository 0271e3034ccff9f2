"""The ``nianbao`` command line: argument parsing, exit codes, and Chinese errors.

Each command lives in ``nianbao.commands.<name>`` with ``register(subparsers)``
and ``run(args) -> int``; their heavy imports happen inside ``run``.  ``COMMANDS`` lists them
in the order of the help.
"""
from __future__ import annotations

import argparse
import os
import sys

from . import faults
from .commands import addin, check, demo, export, import_, new, register, review
from .errors import InputError
from .safetext import TerminalStream

# Commands in the order they are listed in the help.
COMMANDS = (demo, new, check, export, import_, review, register, addin)

_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：命令行有误：%(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "expected at least one argument": "至少需要一个值",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


argparse._ = _zh  # argparse looks its messages up through this module global


def _width(text: str) -> int:
    """Columns a text takes in a terminal: CJK and full-width characters take two."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NO_LINE_START = set("、，。；：！？）」』》”’")  # closing punctuation stays at the end of its line


def wrap_help(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns: Chinese text breaks between any two characters, a run of
    Latin letters, digits and ``_./-%`` (an option value such as ``city_dept``) never inside."""
    import re
    tokens = re.findall(r"[A-Za-z0-9_./\\%:-]+|\s+|.", " ".join(text.split()))
    lines: list[str] = []
    line = ""
    for tok in tokens:
        if tok.isspace():
            tok = " "
        if line and _width(line) + _width(tok) > width and tok not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = "" if tok == " " else tok
        else:
            line += tok
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with Chinese-aware wrapping (see ``wrap_help``)."""

    def _split_lines(self, text, width):
        return wrap_help(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap_help(text, width))


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):  # exit code 2 with a Chinese message
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：命令行有误：{message}\n请运行「{self.prog} -h」查看用法。\n")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    parser = Parser(prog="nianbao", description="政府信息公开工作年度报告：填表、校验勾稽关系、导出 Word 报告。")
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}", help="显示版本号")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    _utf8_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    previous = _stop_on_sigterm()
    try:
        return args.run(args)
    except InputError as e:
        print(f"无法处理：{e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. head
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except MemoryError:
        print("无法处理：输入过大，内存不足。", file=sys.stderr)
        return 2
    except OSError as e:  # the user's files: a read-only disk, no permission, a full disk, a name too long
        print(f"无法处理：{faults.os_error_text(e)}", file=sys.stderr)
        return 2
    except Exception:  # a fault of the program, never exit code 1 (that means "the report has errors")
        print(faults.report_fault(argv if argv is not None else sys.argv[1:]), file=sys.stderr)
        return faults.EXIT_FAULT
    finally:
        _restore_sigterm(previous)


def _stop_on_sigterm():
    """SIGTERM stops a command as Ctrl-C does: through its clean-up (temporary files removed, the
    LibreOffice child stopped), not at once with everything left behind.  Returns the handler before."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        return None

    def stop(signum, frame):
        raise KeyboardInterrupt
    try:
        return signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):
        return None


def _restore_sigterm(previous) -> None:
    import signal
    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except (ValueError, OSError):
            pass


def _utf8_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    # No text from a report (an agency name with ESC sequences) can rewrite the terminal.
    if not isinstance(sys.stdout, TerminalStream):
        sys.stdout = TerminalStream(sys.stdout)
    if not isinstance(sys.stderr, TerminalStream):
        sys.stderr = TerminalStream(sys.stderr)


def entry() -> None:  # console script
    sys.exit(main())
