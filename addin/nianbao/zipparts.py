"""The one zip reader for every package (.xlsx, .xlsm, .docx reports, Word templates): limits checked
from the zip's directory before any part is parsed (a small file cannot unpack to gigabytes), then every
part read through once, so that damage (a bad CRC, corrupt deflate data, an encrypted part, an unknown
compression method, a local header naming another file, a declared size smaller than the data) is an
InputError naming the part, never a fault in openpyxl, python-docx or docxtpl later.

The sizes in the directory are binding: Python's zipfile (which openpyxl and python-docx read through)
never returns more bytes than a part declares, and a part that holds more fails its check.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from .errors import InputError

MAX_XML_PART_BYTES = 16 * 1024 * 1024    # one XML part (a sheet, the shared strings, document.xml)
MAX_PART_BYTES = 64 * 1024 * 1024        # any other part (pictures, embedded objects)
MAX_TOTAL_BYTES = 128 * 1024 * 1024      # everything unpacked
MAX_TOTAL_XML_BYTES = 48 * 1024 * 1024   # every XML part together (what a parser turns into objects)
MAX_PARTS = 5000
MAX_RATIO = 100                          # unpacked : packed, for parts above RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: old .xls/.doc, or an encrypted Office file


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


# What Python's zipfile raises for a damaged part: CRC (BadZipFile), deflate data (zlib.error), an
# encrypted part (RuntimeError), an unknown method (NotImplementedError), a header/directory name
# mismatch (BadZipFile), truncated data (EOFError).
DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError,
          OSError, ValueError, KeyError)


def check(raw: bytes, path: str, what: str = "文件", read_all: bool = True) -> zipfile.ZipFile:
    """The zip package in ``raw`` after checking every part's declared sizes and (``read_all``) reading
    every part through once; InputError (naming the file and the part) when it is not a zip, a limit is
    exceeded or a part is damaged."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise InputError(f"无法打开{what}：文件已损坏或不完整（不是有效的 zip 压缩包）", path=path) from None
    if len(infos) > MAX_PARTS:
        raise InputError(f"{what}内部的部件过多（{len(infos)} 个，上限 {MAX_PARTS} 个），无法读取", path=path)
    total = total_xml = 0
    for info in infos:
        size = info.file_size
        xml = info.filename.lower().endswith(XML_SUFFIXES)
        limit = MAX_XML_PART_BYTES if xml else MAX_PART_BYTES
        where = f"部件 {info.filename}"
        if size > limit:
            raise InputError(f"{what}的这一部分解压后有 {_mb(size)}，超过 {_mb(limit)} 的上限，无法读取",
                             path=path, where=where)
        if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"{what}的这一部分压缩比异常（{size // max(info.compress_size, 1)} 倍，上限 {MAX_RATIO} 倍），"
                             f"疑为「压缩炸弹」，拒绝读取", path=path, where=where)
        total += size
        if total > MAX_TOTAL_BYTES:
            raise InputError(f"{what}解压后总大小超过 {_mb(MAX_TOTAL_BYTES)} 的上限，无法读取", path=path)
        if xml:
            total_xml += size
            if total_xml > MAX_TOTAL_XML_BYTES:
                raise InputError(f"{what}中的 XML 部分解压后合计超过 {_mb(MAX_TOTAL_XML_BYTES)} 的上限"
                                 f"（例如有过多或过大的工作表），无法读取", path=path)
    if read_all:
        for info in infos:
            read(zf, info.filename, path, what)
    return zf


def read(zf: zipfile.ZipFile, name: str, path: str, what: str = "文件") -> bytes:
    """One part's bytes (its CRC checked); InputError naming the part when it is missing or damaged."""
    where = f"部件 {name}"
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise InputError(f"{what}不完整：缺少这一部分", path=path, where=where) from None
    if info.flag_bits & 0x1:
        raise InputError(f"{what}的这一部分已加密，无法读取", path=path, where=where)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputError(f"{what}的这一部分使用了不支持的压缩方式（{info.compress_type}），"
                         f"文件可能已损坏", path=path, where=where)
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except DAMAGE:
        raise InputError(f"{what}已损坏：这一部分无法解压（校验和或压缩数据有误）", path=path, where=where) from None
    if len(data) != info.file_size:
        raise InputError(f"{what}已损坏：这一部分的大小与目录中记录的不符", path=path, where=where)
    return data


def without(zf: zipfile.ZipFile, drop: set[str]) -> bytes:
    """The package with the parts ``drop`` left out (stored, not compressed: it lives in memory only and
    is read once).  The parts left were read through by ``check`` already."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for info in zf.infolist():
            if info.filename not in drop:
                out.writestr(info.filename, zf.read(info))
    return buf.getvalue()


def ole_kind(raw: bytes) -> str | None:
    """For a Compound File (not a zip): 「encrypted」 for a password-protected Office file (Excel and
    Word keep an encrypted .xlsx/.docx in one), 「legacy」 for an old binary .xls/.doc; None otherwise."""
    if not raw.startswith(OLE_MAGIC):
        return None
    if "EncryptionInfo".encode("utf-16-le") in raw[:4 * 1024 * 1024] or \
            "EncryptedPackage".encode("utf-16-le") in raw:
        return "encrypted"
    return "legacy"
