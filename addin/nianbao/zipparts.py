"""Limits on zip packages (.xlsx, .xlsm, .docx, Word templates), checked from the zip's directory
before any part is parsed: a small file cannot unpack to gigabytes.

The sizes in the directory are binding: Python's zipfile (which openpyxl and python-docx read through)
never returns more bytes than a part declares, and a part that holds more fails its check.
"""
from __future__ import annotations

import io
import zipfile

from .errors import InputError

MAX_XML_PART_BYTES = 16 * 1024 * 1024    # one XML part (a sheet, the shared strings, document.xml)
MAX_PART_BYTES = 64 * 1024 * 1024        # any other part (pictures, embedded objects)
MAX_TOTAL_BYTES = 128 * 1024 * 1024      # everything unpacked
MAX_PARTS = 5000
MAX_RATIO = 100                          # unpacked : packed, for parts above RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: old .xls/.doc, or an encrypted Office file


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check(raw: bytes, path: str, what: str = "文件") -> zipfile.ZipFile:
    """The zip package in ``raw`` after checking every part's declared sizes; InputError (naming the file
    and the part) when it is not a zip or a limit is exceeded."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise InputError(f"无法打开{what}：文件已损坏或不完整（不是有效的 zip 压缩包）", path=path) from None
    if len(infos) > MAX_PARTS:
        raise InputError(f"{what}内部的部件过多（{len(infos)} 个，上限 {MAX_PARTS} 个），无法读取", path=path)
    total = 0
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
    return zf


def ole_kind(raw: bytes) -> str | None:
    """For a Compound File (not a zip): 「encrypted」 for a password-protected Office file (Excel and
    Word keep an encrypted .xlsx/.docx in one), 「legacy」 for an old binary .xls/.doc; None otherwise."""
    if not raw.startswith(OLE_MAGIC):
        return None
    if "EncryptionInfo".encode("utf-16-le") in raw[:4 * 1024 * 1024] or \
            "EncryptedPackage".encode("utf-16-le") in raw:
        return "encrypted"
    return "legacy"
