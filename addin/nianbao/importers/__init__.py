"""Importers: published reports (.docx, .doc/.wps, .html, .txt, .pdf) into report data.

Each reader makes a ``document.Document``; one matcher (``match.to_source``) maps it to report data by
the format definition.  ``read(path)`` is the entry point: it checks the file, picks the reader by the
file's suffix and returns a ``nianbao.source.Source``.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError

# Suffix → reader module (inside this package) and the Source kind it gives.
READERS = {
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "doc",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
    ".pdf": "pdf",
}
SUFFIXES = tuple(READERS)

MAX_FILE_BYTES = 50 * 1024 * 1024   # a published report is a few MB at most
MAX_TEXT_CHARS = 20 * 1024 * 1024   # decoded text of an .html or .txt
MAX_BLOCKS = 200_000                # paragraphs and tables of one document
MAX_CELLS = 200_000                 # table cells of one document
MAX_DEPTH = 400                     # nesting of elements (html, docx)


def reader(path: str):
    """The reader module for ``path``'s suffix; InputError naming the kinds accepted otherwise."""
    suffix = Path(path).suffix.lower()
    name = READERS.get(suffix)
    if name is None:
        raise InputError(f"无法导入「{suffix or '无扩展名'}」文件：可导入的已发布报告为 {'、'.join(SUFFIXES)}",
                         path=path)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as e:
        if e.name != f"{__name__}.{name}":
            raise
        raise InputError(f"此版本尚不支持导入「{suffix}」文件", path=path) from None


def read_raw(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    from ..files import read_limited
    return read_limited(path, limit)


def read_document(path: str):
    """The ``Document`` of a published report (no matching)."""
    mod = reader(path)
    return mod.read_document(path, read_raw(path))


def read(path: str):
    """A published report as a ``Source``: its report data, where each value was printed, and the
    importer's findings.  Raises InputError (exit 2) for a file that cannot be read at all."""
    from .match import to_source
    return to_source(read_document(str(path)))


def read_many(paths) -> list:
    """``read`` for many files; .doc/.wps files are converted together in one LibreOffice run."""
    from .match import to_source
    paths = [str(p) for p in paths]
    docs: dict[str, object] = {}
    batch = [p for p in paths if READERS.get(Path(p).suffix.lower()) == "doc"]
    if batch:
        mod = reader(batch[0])
        for p, d in zip(batch, mod.read_documents([(p, read_raw(p)) for p in batch])):
            docs[p] = d
    return [to_source(docs[p]) if p in docs else read(p) for p in paths]
