"""Reading a .docx into the document model.

The XML is read directly (zip part size limits, lxml without entities or network): paragraphs and
tables in reading order, ``gridSpan``/``vMerge`` merges as spans, content controls opened, text boxes
read as blocks of their own (the first of Word's alternative renderings only), tracked changes
accepted (insertions kept, deletions and moved-away text dropped).  A table holding other tables is a
layout table: its cells are read as blocks in reading order instead.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from .. import zipparts
from ..errors import InputError
from . import MAX_BLOCKS, MAX_CELLS, MAX_DEPTH
from .document import Cell, Document, GridBudget, Paragraph, Table
from .text import clean

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = ("http://schemas.microsoft.com/office/word/2010/wordprocessingShape",)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, T, TAB, BR, CR, SDT, SDTCONTENT = (_w(t) for t in ("p", "tbl", "tr", "tc", "t", "tab", "br", "cr",
                                                                 "sdt", "sdtContent"))
DEL, MOVEFROM, DELTEXT, TXBX = _w("del"), _w("moveFrom"), _w("delText"), _w("txbxContent")
FALLBACK = f"{{{MC}}}Fallback"
# Containers whose content is read as-is (tracked insertions, moves in, hyperlinks, smart tags, fields).
SKIP = {DEL, MOVEFROM, DELTEXT, FALLBACK, _w("instrText"), _w("delInstrText"), _w("pPr"), _w("rPr"),
        _w("tblPr"), _w("trPr"), _w("tcPr"), _w("tblGrid"), _w("sectPr"), _w("sdtPr")}

PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True,
                      remove_pis=True)


def xml_part(zf: zipfile.ZipFile, name: str, path: str) -> etree._Element:
    """Parse one part of the package (read through ``zipparts``: limits, damage named) with a safe parser."""
    data = zipparts.read(zf, name, path, WHAT)
    try:
        return etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS))
    except etree.XMLSyntaxError as e:
        raise InputError(f"Word 文档的 {name} 不是有效的 XML（第{e.lineno}行附近）", path=path) from None


WHAT = "Word 文档"


def read_document(path: str, raw: bytes) -> Document:
    try:
        zipfile.ZipFile(io.BytesIO(raw)).close()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InputError("不是有效的 .docx 文档（无法作为压缩包打开）；旧版 .doc 文件请使用 .doc 扩展名", path=path) from None
    zf = zipparts.check(raw, path, WHAT, read_all=False)
    with zf:
        if "word/document.xml" not in zf.NameToInfo:
            raise InputError("不是有效的 Word 文档（缺少 word/document.xml）", path=path)
        root = xml_part(zf, "word/document.xml", path)
    body = root.find(_w("body"))
    if body is None:
        raise InputError("Word 文档没有正文（document.xml 中缺少 body）", path=path)
    reader = _Reader(path)
    reader.blocks_of(body, 0)
    return Document(path=path, kind="docx", blocks=tuple(reader.blocks))


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.blocks: list = []
        self.paragraphs = 0
        self.tables = 0
        self.cells = 0
        self.grid = GridBudget(path, "Word 文档")

    def _deep(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise InputError(f"Word 文档嵌套层数过多（超过 {MAX_DEPTH} 层），无法读取", path=self.path)

    def _add(self, block) -> None:
        if len(self.blocks) >= MAX_BLOCKS:
            raise InputError(f"Word 文档段落和表格过多（超过 {MAX_BLOCKS} 个），无法读取", path=self.path)
        self.blocks.append(block)

    # ------------------------------------------------------------ blocks
    def blocks_of(self, container, depth: int) -> None:
        """Paragraphs and tables of a body, cell, text box or content control, in order."""
        self._deep(depth)
        for el in container:
            tag = el.tag
            if tag == P:
                self.paragraph(el, depth + 1)
            elif tag == TBL:
                self.table(el, depth + 1)
            elif tag in SKIP or not isinstance(tag, str):
                continue
            else:  # sdt, customXml, ins, moveTo … around whole blocks
                self.blocks_of(el, depth + 1)

    def paragraph(self, p, depth: int) -> None:
        parts: list[str] = []
        boxes: list = []
        self._runs(p, parts, boxes, depth)
        self.paragraphs += 1
        text = clean("".join(parts))
        if text:
            self._add(Paragraph(text, f"第{self.paragraphs}段"))
        for box in boxes:
            self.blocks_of(box, depth + 1)

    def _runs(self, el, parts: list[str], boxes: list, depth: int) -> None:
        self._deep(depth)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP:
                continue
            if tag == T:
                parts.append(child.text or "")
            elif tag == TAB:
                parts.append(" ")
            elif tag in (BR, CR):
                parts.append("\n")
            elif tag == TXBX:
                boxes.append(child)
            else:
                self._runs(child, parts, boxes, depth + 1)

    # ------------------------------------------------------------ tables
    def _has_nested(self, tbl) -> bool:
        for tc in tbl.iter(TC):
            for el in tc.iter(TBL):
                if el is not tbl:
                    return True
        return False

    def table(self, tbl, depth: int) -> None:
        self._deep(depth)
        rows = [tr for tr in self._rows(tbl)]
        if self._has_nested(tbl):  # a layout table: its cells' content, in reading order
            for tr in rows:
                for tc in self._cells_of(tr):
                    self.blocks_of(tc, depth + 1)
            return
        self.tables += 1
        where = f"表{self.tables}"
        cells: dict[tuple[int, int], dict] = {}
        open_merge: dict[int, dict] = {}  # grid column → the cell a vMerge continues
        width = 0
        for r, tr in enumerate(rows):
            col = max(0, _int(_prop(tr, "trPr", "gridBefore"), 0))
            self.grid.charge(1, col)  # before any span of the row is expanded
            for tc in self._cells_of(tr):
                span = max(1, _int(_prop(tc, "tcPr", "gridSpan"), 1))
                self.grid.charge(1, span)
                vmerge = _vmerge(tc)
                if vmerge == "continue" and col in open_merge and open_merge[col]["colspan"] == span:
                    above = open_merge[col]
                    above["rowspan"] = r - above["row"] + 1
                    extra = self._text(tc, depth + 1)
                    if extra:
                        above["text"] = (above["text"] + "\n" + extra).strip()
                else:
                    cell = {"row": r, "col": col, "colspan": span, "rowspan": 1, "text": self._text(tc, depth + 1)}
                    cells[(r, col)] = cell
                    for k in range(col, col + span):
                        open_merge.pop(k, None)
                    if vmerge == "restart":
                        open_merge[col] = cell
                    self.cells += 1
                    if self.cells > MAX_CELLS:
                        raise InputError(f"Word 文档表格单元格过多（超过 {MAX_CELLS} 个），无法读取", path=self.path)
                col += span
            width = max(width, col)
            # a column with no vMerge in this row ends any merge there
            covered = set()
            col = max(0, _int(_prop(tr, "trPr", "gridBefore"), 0))
            for tc in self._cells_of(tr):
                span = max(1, _int(_prop(tc, "tcPr", "gridSpan"), 1))
                if _vmerge(tc) is None:
                    covered.update(range(col, col + span))
                col += span
            for k in covered:
                open_merge.pop(k, None)
        if not rows or not cells:
            return
        self.grid.charge(len(rows), width)
        self._add(Table(cells=tuple(Cell(c["row"], c["col"], c["text"], c["rowspan"], c["colspan"])
                                    for c in cells.values()),
                        rows=len(rows), cols=width, where=where))

    def _rows(self, tbl):
        """The table's rows (inside content controls too), deleted rows left out."""
        for el in tbl:
            if el.tag == TR:
                trpr = el.find(_w("trPr"))
                if trpr is not None and trpr.find(DEL) is not None:
                    continue
                yield el
            elif el.tag in (SDT, SDTCONTENT, _w("customXml")):
                yield from self._rows(el)

    def _cells_of(self, tr):
        for el in tr:
            if el.tag == TC:
                tcpr = el.find(_w("tcPr"))
                if tcpr is not None and tcpr.find(_w("cellDel")) is not None:
                    continue
                yield el
            elif el.tag in (SDT, SDTCONTENT, _w("customXml")):
                yield from self._cells_of(el)

    def _text(self, tc, depth: int) -> str:
        """A cell's text: its paragraphs (and text boxes) joined by line breaks."""
        lines: list[str] = []
        self._cell_lines(tc, lines, depth)
        return clean("\n".join(lines))

    def _cell_lines(self, el, lines: list[str], depth: int) -> None:
        self._deep(depth)
        for child in el:
            tag = child.tag
            if tag == P:
                parts: list[str] = []
                boxes: list = []
                self._runs(child, parts, boxes, depth + 1)
                lines.append("".join(parts))
                for box in boxes:
                    self._cell_lines(box, lines, depth + 1)
            elif isinstance(tag, str) and tag not in SKIP and tag != TBL:
                self._cell_lines(child, lines, depth + 1)


def _prop(el, holder: str, name: str) -> str | None:
    pr = el.find(_w(holder))
    if pr is None:
        return None
    node = pr.find(_w(name))
    if node is None:
        return None
    return node.get(_w("val"))


def _vmerge(tc) -> str | None:
    pr = tc.find(_w("tcPr"))
    node = pr.find(_w("vMerge")) if pr is not None else None
    if node is None:
        return None
    return "restart" if node.get(_w("val")) == "restart" else "continue"


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
