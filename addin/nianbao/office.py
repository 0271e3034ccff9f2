"""Running LibreOffice headless (conversion to PDF, recalculation of workbooks).

Each call uses its own temporary user profile, so several conversions may run at
once and a user's open LibreOffice is never disturbed.  LibreOffice runs in a process group of its
own with its temporary files inside that profile: when the run is interrupted (Ctrl-C, SIGTERM, a
timeout) the whole group is killed before the temporary folders are removed, so nothing re-creates
them afterwards; what a run killed outright (SIGKILL) left in the temp folder is removed by the next.
"""
from __future__ import annotations

import os
import shutil
import signal
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
# Temporary folders named 「<prefix><pid>-…」 (LibreOffice profiles, conversions to PDF, .doc imports):
# removed by a later run once their process is gone.
SCRATCH_PREFIXES = (PROFILE_PREFIX, "nianbao-pdf-", "nianbao-doc-")


def scratch(prefix: str) -> tempfile.TemporaryDirectory:
    """A temporary folder 「<prefix><pid>-…」 (``prefix`` one of ``SCRATCH_PREFIXES``), after removing
    those that killed earlier runs left behind."""
    sweep_profiles()
    return tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-")


def _profile():
    """A private LibreOffice profile folder in the temp folder, named after this process."""
    return scratch(PROFILE_PREFIX)


def sweep_profiles(tmp: str | os.PathLike | None = None) -> list[Path]:
    """Remove the temporary folders of runs that no longer exist; returns what was removed."""
    removed = []
    for prefix in SCRATCH_PREFIXES:
        for d in Path(tmp or tempfile.gettempdir()).glob(f"{prefix}*-*"):
            pid = d.name[len(prefix):].split("-", 1)[0]
            if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)) or d.is_symlink() \
                    or not d.is_dir():
                continue
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed


def _run(cmd: list[str], profile: str, timeout: float) -> subprocess.CompletedProcess:
    """Run LibreOffice in a process group of its own, its temporary files inside ``profile``; the whole
    group is killed when this returns, times out or is interrupted (the interruption then goes on)."""
    tmp = Path(profile) / "tmp"
    tmp.mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(tmp), TMP=str(tmp), TEMP=str(tmp))
    posix = os.name == "posix"
    # An interruption while the child is being started would leave it running unseen: SIGINT and SIGTERM
    # wait (blocked) until ``proc`` is known, then arrive inside the ``try`` (the child unblocks them).
    held = {signal.SIGINT, signal.SIGTERM}
    masked = posix and hasattr(signal, "pthread_sigmask")
    if masked:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=posix,
                                preexec_fn=(lambda: signal.pthread_sigmask(signal.SIG_UNBLOCK, held)) if masked else None)
    except BaseException:
        if masked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        raise
    try:
        if masked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    finally:
        _stop(proc, posix)


def _stop(proc: subprocess.Popen, posix: bool) -> None:
    """Kill LibreOffice's process group (soffice starts soffice.bin, which may outlive it) and reap it."""
    if posix:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif proc.poll() is None:
        proc.kill()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass


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
            proc = _run(cmd, profile, timeout)
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
            proc = _run(cmd, profile, timeout)
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
