"""Reading an old Word .doc or a WPS .wps: converted to .docx by LibreOffice, then read as a .docx."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from .. import office
from ..errors import InputError
from . import docx

KIND = "doc"


def _need_soffice(path: str) -> None:
    if not office.find_soffice():
        raise InputError(f"导入{Path(path).suffix.lower()}文件需要 LibreOffice（soffice 程序），但本机未找到。"
                         "请安装 LibreOffice，或设置环境变量 NIANBAO_SOFFICE 指向 soffice；"
                         "也可以用 Word 或 WPS 把文件另存为 .docx 后再导入。", path=path)


def read_documents(items: list[tuple[str, bytes]]) -> list:
    """Several .doc/.wps files converted in one LibreOffice run (much faster than one run each)."""
    if not items:
        return []
    _need_soffice(items[0][0])
    with office.scratch("nianbao-doc-") as tmp:
        srcs = []
        for i, (path, raw) in enumerate(items):
            src = Path(tmp) / f"report-{i:05d}{Path(path).suffix.lower()}"
            src.write_bytes(raw)
            srcs.append(src)
        outs = office.convert_many(srcs, "docx", Path(tmp) / "out", recalc=False)
        return [dataclasses.replace(docx.read_document(path, out.read_bytes()), kind=KIND)
                for (path, _), out in zip(items, outs)]


def read_document(path: str, raw: bytes):
    _need_soffice(path)
    with office.scratch("nianbao-doc-") as tmp:
        # a copy under a plain name: the original is never touched, and odd names cannot confuse LibreOffice
        src = Path(tmp) / ("report" + Path(path).suffix.lower())
        src.write_bytes(raw)
        out = office.convert(src, "docx", Path(tmp) / "out")
        converted = docx.read_document(path, out.read_bytes())
    return dataclasses.replace(converted, kind=KIND)
