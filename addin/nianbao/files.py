"""Reading and writing the user's files: one read with limits, one atomic write."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Iterable

from .errors import InputError

MAX_JSON_BYTES = 20 * 1024 * 1024


def read_limited(path: str | os.PathLike, limit: int = MAX_JSON_BYTES) -> bytes:
    """Read a whole input file once, refusing missing, unreadable or oversized files, and anything that
    is not a regular file (a folder, a pipe, a device such as /dev/zero, a socket) before reading it."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError("文件不存在", path=str(path)) from None
    except OSError as e:
        raise InputError(f"无法读取文件（{describe_os_error(e)}）", path=str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("这是一个文件夹，不是文件", path=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"这不是普通文件（是{_special_kind(st.st_mode)}），不能作为输入读取", path=str(path))
    if st.st_size > limit:
        raise InputError(f"文件过大（{st.st_size / 1024 / 1024:.1f} MB），超过 {limit // 1024 // 1024} MB 的上限",
                         path=str(path))
    try:
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)  # never more than the limit, even if the file grows meanwhile
    except OSError as e:
        raise InputError(f"无法读取文件（{describe_os_error(e)}）", path=str(path)) from None
    if len(data) > limit:
        raise InputError(f"文件过大，超过 {limit // 1024 // 1024} MB 的上限", path=str(path))
    return data


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道 FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


# Chinese reasons for the operating system's errors on the user's files (reading and writing).
_OS_REASONS = {
    errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "所在磁盘或文件系统是只读的",
    errno.ENOSPC: "磁盘空间已满", errno.ENAMETOOLONG: "文件名或路径过长", errno.ELOOP: "路径中的符号链接形成了循环",
    errno.EISDIR: "这是一个文件夹", errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "已存在同名的文件或文件夹", errno.EBUSY: "文件正被占用", errno.ETXTBSY: "文件正被占用",
    errno.EDQUOT: "磁盘配额已用完", errno.EFBIG: "文件过大", errno.EIO: "磁盘读写出错", errno.EINVAL: "文件名无效",
    errno.EXDEV: "不能跨磁盘移动文件",
}


def describe_os_error(e: OSError) -> str:
    """The reason of an operating-system error in Chinese (never the system's English text)."""
    reason = _OS_REASONS.get(e.errno or 0)
    if reason is None and isinstance(e, PermissionError):
        reason = "没有权限"
    if reason:
        return reason
    return f"系统错误 {e.errno}" if e.errno else "系统错误"


# Outputs the user named to be replaced (``--force``), as real paths: recorded by ``prepare_output`` (or
# ``allow_replace``) when the command line is checked, consulted by the one writer, ``atomic_write``.
_REPLACEABLE: set[str] = set()


def allow_replace(path: str | os.PathLike) -> None:
    """Record that the file at ``path`` may be replaced (the user asked for it)."""
    _REPLACEABLE.add(os.path.realpath(path))


def atomic_write(path: str | os.PathLike, data: bytes | str, *, replace: bool | None = None) -> None:
    """The one writer of the user's files: write a temporary file beside ``path``, then put it in place.

    An existing file is replaced only when the user named it for that (``replace``, or by default when
    ``prepare_output(..., force=True)`` or ``allow_replace`` recorded it); otherwise the temporary file is
    linked into place, which fails rather than replaces when the name was taken meanwhile (another run
    writing the same output): no two writers can both report success for one file.  A symlink to a
    regular file is written through (the link stays); a link to nothing, a device, a pipe or a folder is
    refused.  The file gets the user's usual mode (0666 less the umask; a replaced file keeps no more
    than its own).  An operating-system error becomes an InputError naming ``path``; the temporary file
    never stays behind."""
    import tempfile  # not at module level: the ribbon's check never writes a file and should not pay for it
    p = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"无法写出：所在的文件夹无法使用（{describe_os_error(e)}）", path=str(path)) from None
    existing = _output_target(p)
    real = Path(os.path.realpath(p)) if existing is not None or os.path.islink(p) else p
    key = os.path.realpath(p)
    if replace is None:
        replace = key in _REPLACEABLE
        _REPLACEABLE.discard(key)  # the permission is for one write
    if existing is not None and not replace:
        raise _exists_error(p)
    mode = _new_mode(existing)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~" + p.stem[:40], suffix=p.suffix[:16], dir=str(real.parent))
    except OSError as e:
        raise InputError(f"无法写出（{describe_os_error(e)}）", path=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)  # mkstemp makes the file private (0600); give it the usual mode
        if replace:
            os.replace(tmp, real)
        else:
            _link_new(tmp, real, p)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, FileExistsError):
            raise _exists_error(p) from None
        if isinstance(e, OSError):
            raise InputError(f"无法写出（{describe_os_error(e)}）", path=str(path)) from None
        raise
    try:
        os.unlink(tmp)  # linked into place: the name in place stays
    except FileNotFoundError:  # renamed into place
        pass


def move_into_place(src: str | os.PathLike, path: str | os.PathLike, *, replace: bool | None = None) -> None:
    """Move a finished file (made in a scratch folder) to ``path`` under the rules of ``atomic_write``."""
    data = Path(src).read_bytes()
    atomic_write(path, data, replace=replace)
    os.unlink(src)


def _link_new(tmp: str, real: Path, shown: Path) -> None:
    """Put ``tmp`` at ``real`` only if nothing is there (a hard link fails on an existing name); where the
    file system has no hard links, the name is first taken by exclusive creation, then filled."""
    try:
        os.link(tmp, real)
        return
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
    fd = os.open(real, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # FileExistsError when taken
    os.close(fd)
    try:
        os.replace(tmp, real)  # replaces only the empty file just made, which no one else could take
    except BaseException:
        os.unlink(real)
        raise


def _exists_error(p: Path) -> InputError:
    return InputError("文件已存在，为免覆盖未写出任何内容。请另选输出文件名，或加 --force 替换这个文件", path=str(p))


def _output_target(p: Path) -> os.stat_result | None:
    """What an output path holds: None for nothing, the stat of an existing regular file (through a
    link); InputError for a link to nothing or a loop, a folder, a device, a pipe or a socket."""
    try:
        lst = os.lstat(p)
    except FileNotFoundError:
        return None
    except OSError as e:  # (the last part is not followed: the folders on the way are the trouble)
        raise InputError(f"无法写出：所在的文件夹无法使用（{describe_os_error(e)}）", path=str(p)) from None
    try:
        st = os.stat(p)
    except FileNotFoundError:
        target = os.readlink(p) if stat.S_ISLNK(lst.st_mode) else ""
        raise InputError(f"输出位置是一个符号链接，它指向的「{target}」不存在；请另选输出文件名，或先删除这个链接",
                         path=str(p)) from None
    except OSError as e:
        raise InputError(f"无法写出（{describe_os_error(e)}）", path=str(p)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("无法写出：这个位置已有一个同名的文件夹", path=str(p))
    if not stat.S_ISREG(st.st_mode):
        link = "（经符号链接）" if stat.S_ISLNK(lst.st_mode) else ""
        raise InputError(f"输出位置{link}是{_special_kind(st.st_mode)}，不是普通文件，不能写出（加 --force 也不行）",
                         path=str(p))
    return st


def umask() -> int:
    """The process's umask (read without changing it where the system tells it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _new_mode(existing: os.stat_result | None) -> int:
    """0666 less the umask; a replaced file keeps no more than its own permissions."""
    mode = 0o666 & ~umask()
    if existing is not None:
        mode &= existing.st_mode & 0o666
    return mode


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Are two paths one file (through links), or the same path where they do not exist yet?"""
    a, b = Path(a), Path(b)
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


_same_file = same_file


def prepare_output(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike | None] = (),
                   suffixes: Iterable[str] = (), force: bool = False) -> Path:
    """Check an output path before anything is written to it; the one rule for every command that writes.

    Refused (InputError, exit 2): an output that is one of the ``inputs`` (never written, even with
    ``force``); a name not ending in one of ``suffixes`` (the wrong kind of file for the command); a
    folder, a device, a pipe, a link to nothing; an existing file unless ``force`` (the user asked to
    replace it, which is then recorded for ``atomic_write``); a read-only existing file (even with
    ``force``).  Returns the path.
    """
    p = Path(path)
    wanted = tuple(s.lower() for s in suffixes)
    if wanted and p.suffix.lower() not in wanted:
        kinds = " / ".join(wanted)
        raise InputError(f"输出文件应以 {kinds} 结尾（本命令写出的是 {kinds} 文件）", path=str(p))
    for other in inputs:
        if other is not None and str(other) != "" and same_file(p, Path(other)):
            raise InputError("输出文件不能与输入文件是同一个文件（输入文件不会被改动），请另选输出文件名", path=str(p))
    if p.is_dir():
        raise InputError("输出位置是一个文件夹，请给出文件名", path=str(p))
    existing = _output_target(p)
    if existing is not None:
        if not force:
            raise _exists_error(p)
        if not (os.access(p, os.W_OK) and existing.st_mode & 0o222):
            raise InputError("文件已存在且为只读，未替换。如确要替换，请先取消它的只读属性", path=str(p))
        allow_replace(p)
    return p
