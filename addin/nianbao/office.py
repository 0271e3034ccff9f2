"""Running LibreOffice headless (conversion to PDF, recalculation of workbooks).

Each call uses its own temporary user profile, so several conversions may run at
once and a user's open LibreOffice is never disturbed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import InputError

CANDIDATES = ("soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
              "/opt/libreoffice/program/soffice", r"C:\Program Files\LibreOffice\program\soffice.exe")


def find_soffice() -> str | None:
    """The LibreOffice executable, or None when LibreOffice is not installed."""
    env = os.environ.get("NIANBAO_SOFFICE")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for c in CANDIDATES:
        found = shutil.which(c) or (c if os.path.isabs(c) and Path(c).exists() else None)
        if found:
            return found
    return None


PROFILE_PREFIX = "nianbao-lo-"


def _profile():
    """A private LibreOffice profile folder in the temp folder, named after this process; the folders a
    killed earlier run left behind (their process is gone) are removed first."""
    sweep_profiles()
    return tempfile.TemporaryDirectory(prefix=f"{PROFILE_PREFIX}{os.getpid()}-")


def sweep_profiles(tmp: str | os.PathLike | None = None) -> list[Path]:
    """Remove LibreOffice profile folders of runs that no longer exist; returns what was removed."""
    removed = []
    for d in Path(tmp or tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*-*"):
        pid = d.name[len(PROFILE_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)) or not d.is_dir() or d.is_symlink():
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d)
    return removed


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there: keep every folder
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def convert(src: str | os.PathLike, target: str, outdir: str | os.PathLike, timeout: float = 180) -> Path:
    """Convert ``src`` with LibreOffice (``target`` e.g. ``"pdf"`` or ``"xlsx"``); returns the written file.

    The result is written to ``outdir`` under the source's stem.  Raises InputError
    (in Chinese) when LibreOffice is missing or the conversion fails.
    """
    soffice = find_soffice()
    if not soffice:
        raise InputError("未找到 LibreOffice（soffice）。请安装 LibreOffice，或设置环境变量 NIANBAO_SOFFICE 指向 soffice 程序。")
    src = Path(src)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with _profile() as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(outdir), str(src)]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice 转换超时（{timeout:.0f} 秒）", path=str(src)) from None
    ext = target.split(":")[0]
    out = outdir / f"{src.stem}.{ext}"
    if proc.returncode != 0 or not out.exists():
        detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[:300]
        raise InputError(f"LibreOffice 转换为 {ext} 失败{('：' + detail) if detail else ''}", path=str(src))
    return out


# CSV export of every sheet (LibreOffice ≥ 7.2): comma, double quotes, UTF-8, formatted text as shown.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def convert_many(srcs, target: str, outdir: str | os.PathLike, timeout: float = 600,
                 recalc: bool = True) -> list[Path]:
    """Convert many files with one LibreOffice run (much faster than one run per file).

    With ``recalc`` the private profile makes LibreOffice recalculate every formula on load, even
    where the file stores results.  Returns the written files in the order of ``srcs``; for
    ``CSV_ALL_SHEETS`` (every sheet to ``<stem>-<sheet>.csv``, UTF-8) it returns ``outdir/<stem>``,
    the common prefix of each source's files.
    """
    soffice = find_soffice()
    if not soffice:
        raise InputError("未找到 LibreOffice（soffice）。请安装 LibreOffice，或设置环境变量 NIANBAO_SOFFICE 指向 soffice 程序。")
    srcs = [Path(s) for s in srcs]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with _profile() as profile:
        if recalc:
            user = Path(profile) / "user"
            user.mkdir()
            (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(outdir), *map(str, srcs)]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice 批量转换超时（{timeout:.0f} 秒）") from None
    ext = target.split(":")[0]
    if ext == "csv" and target.rstrip().endswith(",-1"):  # every sheet: one file per sheet
        outs = [outdir / s.stem for s in srcs]
        missing = [o for o in outs if not any(outdir.glob(f"{o.name}-*.csv"))]
    else:
        outs = [outdir / f"{s.stem}.{ext}" for s in srcs]
        missing = [o for o in outs if not o.exists()]
    if proc.returncode != 0 or missing:
        detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[:300]
        raise InputError(f"LibreOffice 转换为 {ext} 失败（{len(missing)} 个文件未写出）"
                         f"{('：' + detail) if detail else ''}")
    return outs
