"""Faults of the program itself (exit code 3) and the operating system's errors on the user's files
(exit code 2), in Chinese."""
from __future__ import annotations

import datetime
import os
import tempfile
import traceback

from .files import describe_os_error
from .safetext import one_line

EXIT_FAULT = 3


def os_error_text(e: OSError) -> str:
    """「文件「…」：磁盘空间已满」: an OSError on a user's file as a one-line Chinese message."""
    names = [n for n in (e.filename, e.filename2) if n]
    reason = describe_os_error(e)
    if not names:
        return f"读写文件时出错：{reason}"
    shown = one_line(os.fsdecode(names[0]))
    if len(shown) > 200:
        shown = shown[:120] + "…" + shown[-60:]
    return f"文件「{shown}」：{reason}" + ("（请换一个较短的文件名或文件夹）" if "过长" in reason else "")


def report_fault(argv: list[str]) -> str:
    """Write the traceback of the exception being handled to a log file in the temp folder; the Chinese
    lines telling the user it is a fault of the program and where the details are."""
    from . import __version__
    detail = (f"nianbao {__version__}  {datetime.datetime.now().isoformat(timespec='seconds')}\n"
              f"argv: {argv!r}\n\n{traceback.format_exc()}")
    try:
        fd, log = tempfile.mkstemp(prefix="nianbao-fault-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as fh:
            fh.write(detail)
        where = f"详细信息已写入：{log}"
    except OSError:
        where = "详细信息无法写入临时文件夹"
    return (f"程序内部错误：这是 nianbao 本身的缺陷，不是您的文件有误（退出码 {EXIT_FAULT}）。{where}。\n"
            "请把该文件和所用的输入文件一起反馈给维护者。")
