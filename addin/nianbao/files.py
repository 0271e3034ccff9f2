"""Reading and writing the user's files: one read with limits, one atomic write."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError

MAX_JSON_BYTES = 20 * 1024 * 1024


def read_limited(path: str | os.PathLike, limit: int = MAX_JSON_BYTES) -> bytes:
    """Read a whole input file once, refusing missing, unreadable or oversized files."""
    p = Path(path)
    if not p.exists():
        raise InputError("文件不存在", path=str(path))
    if p.is_dir():
        raise InputError("这是一个文件夹，不是文件", path=str(path))
    try:
        size = p.stat().st_size
        if size > limit:
            raise InputError(f"文件过大（{size // 1024 // 1024} MB），超过 {limit // 1024 // 1024} MB 的上限",
                             path=str(path))
        return p.read_bytes()
    except OSError as e:
        raise InputError(f"无法读取文件（{e.strerror or e}）", path=str(path)) from None


def atomic_write(path: str | os.PathLike, data: bytes | str) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    p = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~" + p.stem[:40], suffix=p.suffix, dir=str(p.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _file_mode(p))  # mkstemp makes the file private (0600); give it the usual mode
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _file_mode(p: Path) -> int:
    """The mode a newly created file would get (0666 less the umask), or that of the file replaced."""
    try:
        return p.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
