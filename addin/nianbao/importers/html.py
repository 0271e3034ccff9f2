"""Reading an .html/.htm page (as saved from a government site) into the document model.

Encoding: a byte-order mark, else the page's own ``<meta charset>`` when it names a text encoding of
the web (GB2312 and GBK read as their superset GB18030), else UTF-8 when the bytes are valid UTF-8, else GB18030.  Inline markup
(``<font>``, ``<span>`` …) that splits words and numbers into pieces is joined; block elements and
``<br>`` end a paragraph or a line of a cell; ``rowspan``/``colspan`` become spans; a table holding
other tables is a layout table and its cells are read as blocks.  Scripts, styles, forms and the
page head are skipped.  The page's article is found by its structure first (``importers.article``): what lies
around the block holding the title and the tables is not read.
"""
from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from ..errors import InputError
from . import MAX_BLOCKS, MAX_CELLS, MAX_DEPTH, MAX_TEXT_CHARS
from .document import Cell, Document, GridBudget, Paragraph, Table
from . import article
from .meta import page_titles
from .text import clean

SKIP = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "select", "option",
        "textarea", "button", "svg", "math", "map"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
         "header", "footer", "nav", "aside", "main", "blockquote", "pre", "center", "form", "fieldset", "address",
         "figure", "figcaption", "hr", "body", "html", "caption", "tbody", "thead", "tfoot", "tr", "td", "th"}
HEAD_ONLY = {"meta", "link", "base"}  # the metadata of a page head (with SKIP's title, style, script)
MAX_SPAN = 1000
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# The text encodings a page may name (those of the web, by Python's canonical codec names): a codec that
# is not a text encoding (rot13, base64, zlib, hex, unicode_escape, undefined …) is never applied to the
# page's bytes; the page is then read by detection.
_TEXT_ENCODINGS = frozenset(codecs.lookup(n).name for n in (
    "utf-8", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950",
    "euc_jp", "shift_jis", "cp932", "iso2022_jp", "euc_kr", "cp949", "ascii", "koi8_r", "koi8_u", "mac_roman",
    "cp874", *(f"iso8859_{i}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16)),
    *(f"cp{i}" for i in range(1250, 1259))))


def decode(raw: bytes, path: str) -> str:
    """The page's text, by BOM, meta charset, valid UTF-8 or GB18030 (in this order)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return _decode(raw[len(bom):], enc, path)
    m = _META.search(raw[:8192])
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030"):
            name = "gb18030"
        try:
            name = codecs.lookup(name).name
        except LookupError:
            name = ""
        if name not in _TEXT_ENCODINGS:
            name = ""
        if name:
            try:
                return raw.decode(name)
            except UnicodeDecodeError:
                pass  # the meta lies (a page re-saved in another encoding): fall through
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(raw, "gb18030", path)


def _decode(raw: bytes, enc: str, path: str) -> str:
    try:
        return raw.decode(enc)
    except UnicodeDecodeError:
        raise InputError(f"网页的文字编码无法识别（按 {enc} 读取失败）", path=path) from None


def read_document(path: str, raw: bytes) -> Document:
    text = decode(raw, path)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"网页过大（超过 {MAX_TEXT_CHARS // 1024 // 1024} M 个字符）", path=path)
    text = _XML_DECL.sub("", text)
    if not text.strip():
        raise InputError("网页是空的", path=path)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False,
                                  recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        raise InputError("不是可读取的网页（HTML）", path=path) from None
    reader = _Reader(path)
    # libxml2's HTML parser does not know the HTML5 elements: a page or fragment that starts with
    # <style> and then <article>/<section>/<header> gets them put inside <head>.  Read them there.
    head = root.find("head")
    if head is not None:
        for child in head:
            if _tag(child) not in SKIP | HEAD_ONLY:
                reader.blocks_of(child, 1)
    body = root.find("body")
    article.prune(body)  # the report's article, not the page around it
    reader.blocks_of(body if body is not None else root, 0)
    reader.flush()
    return Document(path=path, kind="html", blocks=tuple(reader.blocks), titles=page_titles(root))


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.blocks: list = []
        self.buf: list[str] = []
        self.paragraphs = 0
        self.tables = 0
        self.cells = 0
        self.grid = GridBudget(path, "网页")

    def _deep(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise InputError(f"网页元素嵌套层数过多（超过 {MAX_DEPTH} 层），无法读取", path=self.path)

    def _add(self, block) -> None:
        if len(self.blocks) >= MAX_BLOCKS:
            raise InputError(f"网页段落和表格过多（超过 {MAX_BLOCKS} 个），无法读取", path=self.path)
        self.blocks.append(block)

    def flush(self) -> None:
        text = clean("".join(self.buf))
        self.buf = []
        for line in text.split("\n"):
            if line.strip():
                self.paragraphs += 1
                self._add(Paragraph(line.strip(), f"第{self.paragraphs}段"))

    def blocks_of(self, el, depth: int) -> None:
        self._deep(depth)
        tag = _tag(el)
        if tag in SKIP:
            self._tail(el)
            return
        if tag == "table":
            self.flush()
            self.table(el, depth + 1)
            self._tail(el)
            return
        if tag == "br":
            self.buf.append("\n")
            self._tail(el)
            return
        block = tag in BLOCK
        if block:
            self.flush()
        if el.text:
            self.buf.append(_ws(el.text))
        for child in el:
            self.blocks_of(child, depth + 1)
        if block:
            self.flush()
        self._tail(el)

    def _tail(self, el) -> None:
        if el.tail:
            self.buf.append(_ws(el.tail))

    # ------------------------------------------------------------ tables
    def _rows(self, table):
        """The table's own rows (not those of nested tables)."""
        for child in table:
            t = _tag(child)
            if t == "tr":
                yield child
            elif t in ("tbody", "thead", "tfoot"):
                for tr in child:
                    if _tag(tr) == "tr":
                        yield tr

    def table(self, table, depth: int) -> None:
        rows = list(self._rows(table))
        nested = any(_tag(d) == "table" for d in table.iterdescendants())
        if nested:  # a layout table: read its cells as blocks
            for tr in rows:
                for td in tr:
                    if _tag(td) in ("td", "th"):
                        self.blocks_of(td, depth + 1)
                        self.flush()
            return
        self.tables += 1
        where = f"表{self.tables}"
        taken: set[tuple[int, int]] = set()
        cells = []
        width = 0
        for r, tr in enumerate(rows):
            col = 0
            for td in tr:
                if _tag(td) not in ("td", "th"):
                    continue
                while (r, col) in taken:
                    col += 1
                rs = _span(td.get("rowspan"))
                cs = _span(td.get("colspan"))
                rs = max(1, min(rs, len(rows) - r))
                self.grid.charge(rs, cs)  # before the span is expanded
                for i in range(r, r + rs):
                    for k in range(col, col + cs):
                        taken.add((i, k))
                cells.append(Cell(r, col, self._cell_text(td, depth + 1), rs, cs))
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise InputError(f"网页表格单元格过多（超过 {MAX_CELLS} 个），无法读取", path=self.path)
                col += cs
                width = max(width, col)
        if cells:
            width = max([width] + [k + 1 for _, k in taken])
            self.grid.charge(len(rows), width)
            self._add(Table(cells=tuple(cells), rows=len(rows), cols=width, where=where))

    def _cell_text(self, td, depth: int) -> str:
        parts: list[str] = []
        self._inline(td, parts, depth, top=True)
        return clean("".join(parts))

    def _inline(self, el, parts: list[str], depth: int, top: bool = False) -> None:
        self._deep(depth)
        tag = _tag(el)
        if tag in SKIP:
            if el.tail:
                parts.append(_ws(el.tail))
            return
        if tag == "br":
            parts.append("\n")
        else:
            block = tag in BLOCK and not top
            if block:
                parts.append("\n")
            if el.text:
                parts.append(_ws(el.text))
            for child in el:
                self._inline(child, parts, depth + 1)
            if block:
                parts.append("\n")
        if el.tail and not top:
            parts.append(_ws(el.tail))


def _ws(text: str) -> str:
    """HTML white space: runs of spaces and line breaks are one space (NBSP stays a space)."""
    return re.sub(r"[ \t\r\n\f]+", " ", text)


def _span(value: str | None) -> int:
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        n = 1
    return max(1, min(n, MAX_SPAN))
