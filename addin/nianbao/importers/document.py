"""One document model for every published kind (.docx, .doc/.wps, .html, .txt, .pdf).

A reader turns its file into a ``Document``: paragraphs and tables in reading order, each table a grid
with merges.  One matcher (by the format definition) turns a ``Document`` into report data, so a new
kind of file needs a reader only.  ``where`` texts are Chinese and name the place a user can find
(``表3``, ``第2页 表1``, ``第12行``); a table cell's place is ``Table.cell_where(row, col)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..errors import InputError

# The grid every table's merged cells expand to (rows × columns), over the whole document: charged by
# each reader before a span is expanded, and checked again when the document is made.  An official
# report's tables are a few thousand positions in all.
MAX_GRID_CELLS = 250_000


class GridBudget:
    """The positions a document's tables may still expand to; ``charge`` before expanding."""

    def __init__(self, path: str, what: str):
        self.path, self.what, self.left = path, what, MAX_GRID_CELLS

    def charge(self, rows: int, cols: int) -> None:
        self.left -= max(0, rows) * max(0, cols)
        if self.left < 0:
            raise too_big(self.path, self.what)


def too_big(path: str, what: str) -> InputError:
    return InputError(f"{what}的表格展开后过大（全部表格的行数×列数合计超过 {MAX_GRID_CELLS:,} 个格子，例如有极大的"
                      f"合并单元格 rowspan/colspan、gridSpan，或极宽的一行），不像一份年度报告，已拒绝读取", path=path)


@dataclass(frozen=True)
class Cell:
    """One cell of a table grid (0-based row/col of its top-left corner; merges as spans)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    where: str | None = None  # overrides the table's own cell naming (e.g. a PDF cell's page)


@dataclass(frozen=True)
class Table:
    cells: tuple[Cell, ...]
    rows: int
    cols: int
    where: str  # e.g. 「表3」 or 「第2页 表1」

    def cell_where(self, row: int, col: int) -> str:
        for c in self.cells:
            if c.row == row and c.col == col and c.where:
                return c.where
        return f"{self.where} 第{row + 1}行第{col + 1}列"

    def grid(self) -> list[list[Cell | None]]:
        """rows × cols; every position covered by a merged cell holds that cell."""
        out: list[list[Cell | None]] = [[None] * self.cols for _ in range(self.rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.rowspan, self.rows)):
                for k in range(c.col, min(c.col + c.colspan, self.cols)):
                    out[r][k] = c
        return out


@dataclass(frozen=True)
class Paragraph:
    text: str
    where: str  # e.g. 「第12段」 or 「第5行」


Block = Union[Paragraph, Table]


@dataclass(frozen=True)
class Document:
    path: str
    kind: str  # a kind of nianbao.source (docx, doc, html, txt, pdf)
    blocks: tuple[Block, ...]
    titles: tuple[str, ...] = ()  # the page's own <title> and meta titles (a web page), for importers.meta

    def __post_init__(self) -> None:
        if sum(b.rows * b.cols for b in self.blocks if isinstance(b, Table)) > MAX_GRID_CELLS:
            raise too_big(self.path, "文件")

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
