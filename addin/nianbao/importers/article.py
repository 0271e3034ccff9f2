"""The article of a web page, found by the page's structure: the block that holds the report's title and its
tables; what lies outside it (top bar, navigation, breadcrumb, sidebar, footer) and the blocks inside it made
of links only (share buttons, related articles, attachment lists) are not the report.

Works on the parsed page (lxml) before the HTML reader walks it; a page without a title or tables to anchor
on is left whole.
"""
from __future__ import annotations

import re

from . import meta

MAX_TITLE_CHARS = 80
LINK_SHARE = 0.6        # a block whose text is mostly link text is navigation, not the report
MAX_LINK_BLOCK = 400
MAX_TITLE_CANDIDATES = 2000   # title-like elements looked at (a page repeating a title-like line is not read on)    # characters: a long block is text even where it holds many links
_BLOCKS = ("div", "ul", "ol", "dl", "section", "aside", "nav", "footer", "header", "p", "table", "td", "span")


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _text(el) -> str:
    return re.sub(r"\s+", "", el.text_content() or "")


class _Sizes:
    """Characters of text (white space left out) under each element, and of link text, counted in one pass from
    the leaves up (no element's text is gathered more than once)."""

    def __init__(self, root):
        self.text: dict[int, int] = {}
        self.links: dict[int, int] = {}
        self.tables: dict[int, int] = {}   # tables in the element's subtree, itself included
        self.digits: dict[int, int] = {}   # digits in its text
        # the element proxies are kept alive, so that id() names the same element for as long as this lives
        self.elements = list(root.iter())
        for el in reversed(self.elements):
            own = _count(el.text) if _tag(el) not in ("script", "style") else 0
            d = _digits(el.text)
            n, k, t = own, 0, int(_tag(el) == "table")
            for child in el:
                n += self.text.get(id(child), 0) + _count(child.tail)
                k += self.links.get(id(child), 0)
                t += self.tables.get(id(child), 0)
                d += self.digits.get(id(child), 0) + _digits(child.tail)
            if _tag(el) == "a":
                k = n
            self.text[id(el)], self.links[id(el)], self.tables[id(el)], self.digits[id(el)] = n, k, t, d


def _digits(text) -> int:
    return sum(ch.isdigit() for ch in text) if text else 0


def _count(text) -> int:
    return len(re.sub(r"\s+", "", text)) if text else 0


def _data_tables(body, sizes: "_Sizes") -> list:
    """Tables holding no other table and at least three rows with a number: the report's tables (each
    element looked at once: the tables counted are disjoint)."""
    out = []
    for t in body.iter("table"):
        if sizes.tables.get(id(t), 0) != 1:
            continue
        numeric = sum(1 for tr in t.iter("tr") if sizes.digits.get(id(tr), 0))
        if numeric >= 3:
            out.append(t)
    return out


def _title_element(body, sizes: _Sizes, before=None):
    """The smallest element whose whole text is the report's title (with its year), above ``before``."""
    best = None
    looked = 0
    for el in body.iter():
        if not _tag(el) or _tag(el) in ("script", "style", "a", "option", "title"):
            continue
        if before is not None and el is before:
            break
        if not 4 <= sizes.text.get(id(el), 0) <= MAX_TITLE_CHARS:
            continue
        t = _text(el)
        if not t or len(t) > MAX_TITLE_CHARS or not ("公开" in t or "公開" in t):
            continue
        looked += 1
        if looked > MAX_TITLE_CANDIDATES:
            break
        parsed = meta.parse_title(t)
        if parsed is not None and parsed[0] is not None and meta._TITLE_END.search(t.translate(meta._TRADITIONAL)):
            best = el   # the last one above the tables (a site header or a breadcrumb comes first)
    return best


def _ancestors(el) -> list:
    out = []
    while el is not None:
        out.append(el)
        el = el.getparent()
    return out


def _common(elements):
    paths = [list(reversed(_ancestors(e))) for e in elements]
    common = None
    for level in zip(*paths):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _link_block(el, sizes: _Sizes) -> bool:
    n = sizes.text.get(id(el), 0)
    if not n or n > MAX_LINK_BLOCK:
        return False
    return sizes.links.get(id(el), 0) >= LINK_SHARE * n


def prune(body) -> None:
    """Remove from ``body`` (in place) what is not the article: everything beside the block holding the title
    and the tables, and link-only blocks inside it."""
    if body is None:
        return
    sizes = _Sizes(body)
    tables = _data_tables(body, sizes)
    title = _title_element(body, sizes, tables[0] if tables else None)
    anchors = ([title] if title is not None else []) + tables
    if len(anchors) < 2 and not (title is not None and not tables):
        return
    article = _common(anchors) if len(anchors) > 1 else _text_block(title, sizes)
    if article is None or article is body:
        _drop_link_blocks(body, anchors, sizes)
        return
    # keep the article's ancestors, drop their other children (navigation, sidebar, footer …)
    node = article
    while node is not None and node is not body:
        parent = node.getparent()
        if parent is None:
            break
        for sibling in list(parent):
            if sibling is not node and _tag(sibling) in _BLOCKS + ("form", "iframe", "li", "tr", "th"):
                _remove(sibling)
        node = parent
    _drop_link_blocks(article, anchors, sizes)


def _text_block(title, sizes: _Sizes):
    """For a page without tables: the block around the title holding the text (the nearest ancestor with
    several paragraphs)."""
    el = title.getparent()
    while el is not None:
        if sizes.text.get(id(el), 0) > 20 * max(1, sizes.text.get(id(title), 0)):
            return el
        el = el.getparent()
    return None


def _drop_link_blocks(root, keep, sizes: _Sizes) -> None:
    alive = [a for k in keep for a in _ancestors(k)] + [x for k in keep for x in k.iter()]
    protected = {id(a) for a in alive}
    for el in list(root.iter(*_BLOCKS)):
        if id(el) in protected or el.getparent() is None:
            continue
        if _tag(el) in ("div", "ul", "ol", "dl", "section", "aside", "nav", "footer", "header", "p") and _link_block(el, sizes):
            _remove(el)


def _remove(el) -> None:
    """Remove ``el`` but keep its tail text (the text after it belongs to its parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
