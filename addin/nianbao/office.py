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
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as profile:
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
