"""Reading a .txt report into the document model.

Two table layouts are read, both as they come out of copying or converting a Word report:

* one cell per line: a cell's line starts with a tab, a line without the tab right after it continues
  the cell (a line break inside the cell), and an empty line ends the table row;
* one row per line: cells separated by tabs, by ``|``, or by runs of two or more spaces.

Every other line is a paragraph.  Places are line numbers (``第12行``).  Encoding: UTF-8 (with or
without BOM), UTF-16 with BOM, else GB18030.
"""
from __future__ import annotations

import codecs
import re

from ..errors import InputError
from . import MAX_BLOCKS, MAX_CELLS, MAX_TEXT_CHARS
from .document import Cell, Document, Paragraph, Table
from .text import clean

# Marks left by converters at the start of a line (e.g. 「[bookmark: _GoBack]」 from a Word export).
_MARKS = re.compile(r"^\s*(\[bookmark: [^\]]*\]\s*)+")
_NUMBERISH = re.compile(r"^[+\-－＋]?[0-9０-９.,，．%％]+$|^[/／—\-]+$")


def decode(raw: bytes, path: str) -> str:
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("文本文件的编码无法识别（UTF-16 读取失败）", path=path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError("文本文件的编码无法识别（既不是 UTF-8，也不是 GB18030/GBK）", path=path) from None


def split_row(line: str) -> list[str] | None:
    """The cells of a one-row-per-line table line, or None when the line is not such a row."""
    body = line.strip("\r\n")
    if "|" in body or "｜" in body:
        parts = [p.strip() for p in re.split(r"[|｜]", body.strip().strip("|｜"))]
        if len(parts) >= 2:
            return parts
    stripped = body.strip()
    if "\t" in stripped:  # leading tabs are empty cells (a header over row labels)
        parts = [p.strip() for p in body.rstrip().strip(" ").split("\t")]
        if len(parts) >= 2:
            return parts
    parts = [p for p in re.split(r"[ \u3000]{2,}", stripped) if p]
    if len(parts) >= 2 and _NUMBERISH.match(parts[-1]):
        return parts
    return None


def read_document(path: str, raw: bytes) -> Document:
    text = decode(raw, path)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"文本文件过大（超过 {MAX_TEXT_CHARS // 1024 // 1024} M 个字符）", path=path)
    lines = re.split(r"\r\n|\r|\n", text)
    blocks: list = []
    state = {"tables": 0, "cells": 0}

    rows: list[list[tuple[int, str]]] = []   # the table being read: rows of (line number, cell text)
    row: list[list] = []                      # the row being read (one-cell-per-line layout)
    mode = None                               # "cell" | "row" | None

    def add(block) -> None:
        if len(blocks) >= MAX_BLOCKS:
            raise InputError(f"文本文件段落和表格过多（超过 {MAX_BLOCKS} 个）", path=path)
        blocks.append(block)

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append([(n, "\n".join(parts)) for n, parts in row])
        row = []

    def end_table() -> None:
        nonlocal rows, mode
        end_row()
        if rows:
            state["tables"] += 1
            cells = []
            for r, cells_of_row in enumerate(rows):
                for c, (n, t) in enumerate(cells_of_row):
                    cells.append(Cell(r, c, clean(t), where=f"第{n}行"))
            state["cells"] += len(cells)
            if state["cells"] > MAX_CELLS:
                raise InputError(f"文本文件表格单元格过多（超过 {MAX_CELLS} 个）", path=path)
            add(Table(cells=tuple(cells), rows=len(rows), cols=max(len(r) for r in rows),
                      where=f"表{state['tables']}"))
        rows = []
        mode = None

    prev_blank = True
    for i, raw_line in enumerate(lines, start=1):
        line = _MARKS.sub("", raw_line)
        blank = not line.strip(" \t\u3000\u00a0")
        if mode == "cell":
            if line.startswith("\t") and "\t" not in line[1:]:
                if prev_blank:
                    end_row()
                row.append([i, [line[1:]]])
                prev_blank = False
                continue
            if blank:
                if prev_blank:       # two empty lines: the table ends
                    end_table()
                else:
                    end_row()
                prev_blank = True
                continue
            if not prev_blank and row:  # a line break inside the cell
                row[-1][1].append(line)
                continue
            end_table()
        elif mode == "row":
            cells = split_row(line) if not blank else None
            if cells is not None:
                rows.append([(i, c) for c in cells])
                prev_blank = False
                continue
            end_table()
        if blank:
            prev_blank = True
            continue
        if line.startswith("\t") and "\t" not in line[1:]:
            mode = "cell"
            row = [[i, [line[1:]]]]
        else:
            cells = split_row(line)
            if cells is not None:
                mode = "row"
                rows = [[(i, c) for c in cells]]
            else:
                t = clean(line)
                if t:
                    add(Paragraph(t, f"第{i}行"))
        prev_blank = False
    end_table()
    return Document(path=path, kind="txt", blocks=tuple(blocks))
