"""Reading an old Word .doc or a WPS .wps: converted to .docx by LibreOffice, then read as a .docx."""
from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from .. import office
from ..errors import InputError
from . import docx

KIND = "doc"


def read_document(path: str, raw: bytes):
    if not office.find_soffice():
        raise InputError(f"导入{Path(path).suffix.lower()}文件需要 LibreOffice（soffice 程序），但本机未找到。"
                         "请安装 LibreOffice，或设置环境变量 NIANBAO_SOFFICE 指向 soffice；"
                         "也可以用 Word 或 WPS 把文件另存为 .docx 后再导入。", path=path)
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        # a copy under a plain name: the original is never touched, and odd names cannot confuse LibreOffice
        src = Path(tmp) / ("report" + Path(path).suffix.lower())
        src.write_bytes(raw)
        out = office.convert(src, "docx", Path(tmp) / "out")
        converted = docx.read_document(path, out.read_bytes())
    return dataclasses.replace(converted, kind=KIND)
