"""The ``Source`` record: a report as read from somewhere, and how to point at a value in it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from .findings import Finding
from .model import Report

# Kinds of source: our own files, and published reports read by the importers.
JSON, WORKBOOK, DOCX, DOC, HTML, TXT, PDF = "json", "workbook", "docx", "doc", "html", "txt", "pdf"


def _nowhere(key: str) -> str | None:
    return None


@dataclass(frozen=True)
class Source:
    """A report read from ``path``.

    ``locator`` maps a data key to the place of its value in the file (``表三!D7`` in a workbook,
    ``表3 第12行第4列`` in a document), None where there is none (JSON).  ``findings`` are what reading
    itself found (an importer's notes on the printed document); the rules add theirs on top.
    """

    report: Report
    path: str
    kind: str
    locator: Callable[[str], str | None] = _nowhere
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = field(default=())  # Chinese lines for the user (e.g. how a file was converted)

    def locate(self, key: str) -> str | None:
        where = self.locator(key)
        if where and self.kind == PDF:
            return pdf_place(self.report, key, where)
        return where

    def own_findings(self) -> tuple[Finding, ...]:
        """What reading found, its places worded as ``locate`` words them."""
        if self.kind != PDF:
            return self.findings
        return tuple(replace(f, locations=tuple(readable_pdf_place(w) for w in f.locations)) for f in self.findings)


# 「第4页 表3 第4行第5列」 as the PDF reader names a printed cell: the third table found on page 4.
_PDF_CELL = re.compile(r"^第(\d+)页 表(\d+)(?: 第(\d+)行(?:第(\d+)列)?)?$")


def readable_pdf_place(where: str) -> str:
    """A place in a PDF as a clerk reads it: 「第4页第3个表格 第4行第5列」 (「表3」 would read as the official
    表三)."""
    m = _PDF_CELL.match(where or "")
    if not m:
        return where
    page, table, row, col = m.groups()
    out = f"第{page}页第{table}个表格"
    if row:
        out += f" 第{row}行" + (f"第{col}列" if col else "")
    return out


def pdf_place(report: Report, key: str, where: str) -> str:
    """The place of a data key's value in a PDF: the official table and the row and column labels, and the
    page (「表四 行政复议 / 总计（第4页）」); a place the format does not name, as ``readable_pdf_place``."""
    m = _PDF_CELL.match(where or "")
    fmt = report.fmt
    if m is None or not fmt.has(key):
        return readable_pdf_place(where)
    f = fmt.field(key)
    return f"{fmt.table(f.table).sheet} {f.label}（第{m.group(1)}页）"
