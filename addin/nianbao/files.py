"""Reading and writing the user's files: one read with limits, one atomic write."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

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
    import tempfile  # not at module level: the ribbon's check never writes a file and should not pay for it
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


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def prepare_output(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike | None] = (),
                   suffixes: Iterable[str] = (), force: bool = False) -> Path:
    """Check an output path before anything is written to it; the one rule for every command that writes.

    Refused (InputError, exit 2): an output that is one of the ``inputs`` (never written, even with
    ``force``); a name not ending in one of ``suffixes`` (the wrong kind of file for the command); a
    folder; an existing file unless ``force`` (the user asked to replace it); a read-only existing file
    (even with ``force``).  Returns the path.
    """
    p = Path(path)
    wanted = tuple(s.lower() for s in suffixes)
    if wanted and p.suffix.lower() not in wanted:
        kinds = " / ".join(wanted)
        raise InputError(f"输出文件应以 {kinds} 结尾（本命令写出的是 {kinds} 文件）", path=str(p))
    for other in inputs:
        if other is not None and str(other) != "" and _same_file(p, Path(other)):
            raise InputError("输出文件不能与输入文件是同一个文件（输入文件不会被改动），请另选输出文件名", path=str(p))
    if p.is_dir():
        raise InputError("输出位置是一个文件夹，请给出文件名", path=str(p))
    if p.exists() or p.is_symlink():
        if not force:
            raise InputError("文件已存在，为免覆盖未写出任何内容。请另选输出文件名，或加 --force 替换这个文件",
                             path=str(p))
        if not (os.access(p, os.W_OK) and p.stat().st_mode & 0o222):
            raise InputError("文件已存在且为只读，未替换。如确要替换，请先取消它的只读属性", path=str(p))
    return p
