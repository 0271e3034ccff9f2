"""Read a published PDF report into the document model.

The text layer gives every character with its box; the ruling lines (stroked paths and hairline
rectangles) give the tables.  A table's grid comes from the positions of its lines, its merged cells
from the borders that are missing, and each character goes to the cell its centre lies in — numbers
are never counted to guess columns.  A table that runs on over a page break is joined into one (a
repeated header row is dropped, a merged cell cut by the break is made whole again).  Page numbers and
running headers/footers are dropped; the remaining lines are joined into paragraphs.

Reading is bounded: file size, page count, objects and characters per page, the expanded size of
every compressed stream (checked before the PDF engine sees the file) and the time spent.
"""
from __future__ import annotations

import bisect
import ctypes
import re
import time
import zlib
from dataclasses import dataclass, field

from ..errors import InputError
from .document import MAX_GRID_CELLS, Cell, Document, Paragraph, Table

MAX_BYTES = 50 * 1024 * 1024          # file size
MAX_PAGES = 200
MAX_OBJECTS_PER_PAGE = 50_000         # page objects (paths, texts, images), forms included
MAX_CHARS_PER_PAGE = 50_000
MAX_STREAM_BYTES = 64 * 1024 * 1024   # one compressed stream, expanded
MAX_EXPANDED_BYTES = 256 * 1024 * 1024  # all compressed streams, expanded
MAX_SECONDS = 30.0
MAX_TABLE_GRID = 40_000               # grid positions (rows × columns) of one table, stitched pages included

_LINE_TOL = 2.0       # points: two ruling lines closer than this are one
_MIN_LINE = 3.0       # points: shorter segments are not ruling lines
_HAIRLINE = 2.0       # points: a filled rectangle this thin is a line
_MAX_GLYPH = 60.0     # points: a character box larger than this is not a report's text
_MARGIN_TOP = 0.07    # share of the page height where running headers live
_MARGIN_BOTTOM = 0.09

_PAGE_NUMBER = re.compile(r"^[-－—–‒_\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／共]\s*\d{1,4}\s*页?)?[-－—–‒_\s]*$")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x3000 <= o <= 0x303F or 0x20000 <= o <= 0x2FFFF)


# ---------------------------------------------------------------- limits before parsing
_STREAM = re.compile(rb"stream\r?\n")


def _check_streams(raw: bytes, path: str) -> None:
    """Refuse a file whose compressed streams expand beyond the limits (a "zip bomb")."""
    total = 0
    pos = 0
    while True:
        m = _STREAM.search(raw, pos)
        if not m:
            return
        start = m.end()
        end = raw.find(b"endstream", start)
        if end < 0:
            end = len(raw)
        pos = end
        data = raw[start:end]
        for _layer in range(3):  # a stream may be compressed more than once
            if len(data) < 2 or data[0] & 0x0F != 8 or ((data[0] << 8) | data[1]) % 31:
                break  # not a zlib stream
            d = zlib.decompressobj()
            out = []
            size = 0
            chunk = data
            try:
                while chunk:
                    piece = d.decompress(chunk, 1 << 20)
                    size += len(piece)
                    total += len(piece)
                    if size > MAX_STREAM_BYTES or total > MAX_EXPANDED_BYTES:
                        raise InputError(
                            f"PDF 中有压缩数据流解压后超过 {MAX_STREAM_BYTES // (1024 * 1024)} MB"
                            f"（或全部超过 {MAX_EXPANDED_BYTES // (1024 * 1024)} MB），"
                            "不像正常的年度报告，已拒绝读取", path=path)
                    if len(out) < 4:
                        out.append(piece)
                    chunk = d.unconsumed_tail
                    if d.eof:
                        break
            except zlib.error:
                break
            data = b"".join(out)  # only the start matters for a further layer


# ---------------------------------------------------------------- page content
@dataclass
class _Char:
    ch: str
    x0: float
    y0: float  # top-down page coordinates: y grows downwards
    x1: float
    y1: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class _Seg:
    """A horizontal (y0 == y1) or vertical (x0 == x1) ruling line, top-down coordinates."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) < abs(self.x1 - self.x0)


@dataclass
class _Page:
    number: int  # 1-based
    width: float
    height: float
    chars: list[_Char]
    segs: list[_Seg]
    images: int = 0


def _mul(m1, m2):
    """Compose affine matrices (a, b, c, d, e, f): apply m1, then m2."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _read_page(pdf, raw_api, index: int, path: str, deadline: float) -> _Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            chars = _page_chars(raw_api, textpage, height, index, path)
        finally:
            textpage.close()
        segs: list[_Seg] = []
        counter = [0, 0]  # objects seen, images seen
        ident = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        n = raw_api.FPDFPage_CountObjects(page.raw)
        for k in range(n):
            _walk(raw_api, raw_api.FPDFPage_GetObject(page.raw, k), ident, height, segs, counter,
                  index, path, 0)
            if time.monotonic() > deadline:
                _too_slow(path)
        return _Page(index + 1, width, height, chars, segs, counter[1])
    finally:
        page.close()


def _too_slow(path: str):
    raise InputError(f"读取 PDF 超过 {int(MAX_SECONDS)} 秒仍未完成，文件过于复杂，已停止", path=path)


class _Clock:
    """The deadline and the grid budget of the reading in progress: every stage after the pages are read
    (regions, grids, stitching tables over pages, paragraphs) checks them, not only the page reading."""

    def __init__(self, path: str, deadline: float):
        self.path, self.deadline, self.n = path, deadline, 0
        self.grid_left = MAX_GRID_CELLS * 4  # grids are rebuilt while tables are stitched

    def tick(self) -> None:
        self.n += 1
        if self.n % 64 == 0 and time.monotonic() > self.deadline:
            _too_slow(self.path)

    def grid(self, rows: int, cols: int) -> None:
        self.grid_left -= rows * cols
        if rows * cols > MAX_TABLE_GRID or self.grid_left < 0:
            raise InputError(f"PDF 中的表格过大（{rows} 行 × {cols} 列，一张表格最多 {MAX_TABLE_GRID:,} 个格子），"
                             f"不像一份年度报告，已拒绝读取", path=self.path)
        if time.monotonic() > self.deadline:
            _too_slow(self.path)


_clock: _Clock | None = None  # set by read_document for the reading in progress (one at a time per process)


def _tick() -> None:
    if _clock is not None:
        _clock.tick()


def _page_chars(raw_api, textpage, height: float, index: int, path: str) -> list[_Char]:
    n = raw_api.FPDFText_CountChars(textpage.raw)
    if n > MAX_CHARS_PER_PAGE:
        raise InputError(f"第{index + 1}页有 {n} 个字符，超过上限 {MAX_CHARS_PER_PAGE}，已拒绝读取", path=path)
    out = []
    tight = raw_api.FS_RECTF()
    loose = raw_api.FS_RECTF()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for i in range(n):
        if raw_api.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        code = raw_api.FPDFText_GetUnicode(textpage.raw, i)
        if code in (0, 0xFFFE, 0xFFFF) or code in (10, 13):
            continue
        ch = chr(code)
        if not raw_api.FPDFText_GetCharBox(textpage.raw, i, ctypes.byref(left), ctypes.byref(right),
                                           ctypes.byref(bottom), ctypes.byref(top)):
            continue
        tx0, tx1, ty0, ty1 = left.value, right.value, height - top.value, height - bottom.value
        box = None
        if raw_api.FPDFText_GetLooseCharBox(textpage.raw, i, ctypes.byref(loose)):
            lx0, lx1, ly0, ly1 = loose.left, loose.right, height - loose.top, height - loose.bottom
            # The loose box (the font's line box) groups lines well, but for rotated or oddly
            # scaled text it is nonsense: then a square around the glyph stands in for it.
            if (lx0 - 1 <= (tx0 + tx1) / 2 <= lx1 + 1 and ly0 - 1 <= (ty0 + ty1) / 2 <= ly1 + 1
                    and 0 < lx1 - lx0 <= _MAX_GLYPH and 0 < ly1 - ly0 <= _MAX_GLYPH):
                box = (lx0, ly0, lx1, ly1)
        if box is None:
            if ch.isspace():
                continue
            cx, cy, half = (tx0 + tx1) / 2, (ty0 + ty1) / 2, max(tx1 - tx0, ty1 - ty0, 1.0) / 2
            box = (cx - half, cy - half, cx + half, cy + half)
        x0, y0, x1, y1 = box
        if y1 - y0 <= 0:
            continue
        out.append(_Char(ch, x0, y0, x1, y1, y1 - y0))
    return out


def _walk(raw_api, obj, matrix, height, segs, counter, index, path, depth):
    counter[0] += 1
    if counter[0] > MAX_OBJECTS_PER_PAGE:
        raise InputError(f"第{index + 1}页的图形对象超过 {MAX_OBJECTS_PER_PAGE} 个，已拒绝读取", path=path)
    kind = raw_api.FPDFPageObj_GetType(obj)
    m = raw_api.FS_MATRIX()
    if not raw_api.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return
    full = _mul((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
    if kind == raw_api.FPDF_PAGEOBJ_IMAGE:
        counter[1] += 1
    elif kind == raw_api.FPDF_PAGEOBJ_FORM and depth < 8:
        for k in range(raw_api.FPDFFormObj_CountObjects(obj)):
            _walk(raw_api, raw_api.FPDFFormObj_GetObject(obj, k), full, height, segs, counter, index, path,
                  depth + 1)
    elif kind == raw_api.FPDF_PAGEOBJ_PATH:
        _path_segs(raw_api, obj, full, height, segs)


def _path_segs(raw_api, obj, mt, height, segs):
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    if not raw_api.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return
    if not stroke.value and not fill.value:
        return
    n = raw_api.FPDFPath_CountSegments(obj)
    if n <= 0 or n > 10_000:
        return
    a, b, c, d, e, f = mt
    x = ctypes.c_float()
    y = ctypes.c_float()
    pts: list[tuple[float, float, int, bool]] = []
    for k in range(n):
        s = raw_api.FPDFPath_GetPathSegment(obj, k)
        raw_api.FPDFPathSegment_GetPoint(s, ctypes.byref(x), ctypes.byref(y))
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        pts.append((px, height - py, raw_api.FPDFPathSegment_GetType(s),
                    bool(raw_api.FPDFPathSegment_GetClose(s))))
    if stroke.value:
        start = None
        prev = None
        for px, py, typ, close in pts:
            if typ == raw_api.FPDF_SEGMENT_MOVETO or prev is None:
                start = prev = (px, py)
                continue
            if typ == raw_api.FPDF_SEGMENT_LINETO:
                _add_seg(segs, prev, (px, py))
            prev = (px, py)
            if close and start is not None:
                _add_seg(segs, prev, start)
                prev = start
    elif fill.value:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if len(pts) <= 6 and h <= _HAIRLINE < w:
            ym = (max(ys) + min(ys)) / 2
            _add_seg(segs, (min(xs), ym), (max(xs), ym))
        elif len(pts) <= 6 and w <= _HAIRLINE < h:
            xm = (max(xs) + min(xs)) / 2
            _add_seg(segs, (xm, min(ys)), (xm, max(ys)))


def _add_seg(segs, p, q):
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= 1.0 and abs(x1 - x0) >= _MIN_LINE:
        ym = (y0 + y1) / 2
        segs.append(_Seg(min(x0, x1), ym, max(x0, x1), ym))
    elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) >= _MIN_LINE:
        xm = (x0 + x1) / 2
        segs.append(_Seg(xm, min(y0, y1), xm, max(y0, y1)))


# ---------------------------------------------------------------- tables from ruling lines
def _cluster(values: list[float], tol: float = _LINE_TOL) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


@dataclass
class _Region:
    """One table's ruling lines and characters, in one coordinate system (pages stacked)."""

    h: list[_Seg]
    v: list[_Seg]
    chars: list[tuple[_Char, int]] = field(default_factory=list)  # (char, page number)
    page: int = 0
    top_page_y: list[tuple[float, int]] = field(default_factory=list)  # (stacked y where a page starts, page)

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs = [s.x0 for s in self.h + self.v] + [s.x1 for s in self.h + self.v]
        ys = [s.y0 for s in self.h + self.v] + [s.y1 for s in self.h + self.v]
        return min(xs), min(ys), max(xs), max(ys)


def _find_regions(page: _Page) -> list[_Region]:
    """Connected groups of crossing ruling lines with at least two lines each way."""
    segs = page.segs
    n = len(segs)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i in range(n) if segs[i].horizontal]
    vs = [i for i in range(n) if not segs[i].horizontal]
    t = _LINE_TOL
    vs_sorted = sorted(vs, key=lambda i: segs[i].x0)
    vx = [segs[i].x0 for i in vs_sorted]
    for i in hs:
        _tick()
        a = segs[i]
        lo = bisect.bisect_left(vx, a.x0 - t)
        hi = bisect.bisect_right(vx, a.x1 + t)
        for j in vs_sorted[lo:hi]:
            b = segs[j]
            if b.y0 - t <= a.y0 <= b.y1 + t:
                parent[find(i)] = find(j)
    # collinear touching horizontal pieces belong together too
    hs_sorted = sorted(hs, key=lambda i: (round(segs[i].y0), segs[i].x0))
    for i, j in zip(hs_sorted, hs_sorted[1:]):
        a, b = segs[i], segs[j]
        if abs(a.y0 - b.y0) <= t and b.x0 <= a.x1 + t:
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        h = [segs[i] for i in members if segs[i].horizontal]
        v = [segs[i] for i in members if not segs[i].horizontal]
        if len(_cluster([s.y0 for s in h])) >= 2 and len(_cluster([s.x0 for s in v])) >= 2:
            out.append(_Region(h, v, page=page.number))
    out.sort(key=lambda r: r.box[1])
    return out


def _covers(segs: list[_Seg], coord: float, lo: float, hi: float, horizontal: bool) -> bool:
    """Does a line at ``coord`` cover most of the span lo..hi?"""
    need = (hi - lo) * 0.5
    got = 0.0
    for s in segs:
        if horizontal:
            if abs(s.y0 - coord) <= _LINE_TOL:
                got += max(0.0, min(s.x1, hi) - max(s.x0, lo))
        else:
            if abs(s.x0 - coord) <= _LINE_TOL:
                got += max(0.0, min(s.y1, hi) - max(s.y0, lo))
        if got >= need:
            return True
    return False


@dataclass
class _Grid:
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]  # row, col, rowspan, colspan
    owner: dict[tuple[int, int], int]       # grid position -> index in cells


def _grid(region: _Region) -> _Grid:
    x0, y0, x1, y1 = region.box
    xs = _cluster([s.x0 for s in region.v] + [x0, x1])
    ys = _cluster([s.y0 for s in region.h] + [y0, y1])
    rows, cols = len(ys) - 1, len(xs) - 1
    if _clock is not None:
        _clock.grid(rows, cols)  # before the grid is built
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for r in range(rows):
        for c in range(cols):
            _tick()
            if c + 1 < cols and not _covers(region.v, xs[c + 1], ys[r], ys[r + 1], False):
                parent[find((r, c))] = find((r, c + 1))
            if r + 1 < rows and not _covers(region.h, ys[r + 1], xs[c], xs[c + 1], True):
                parent[find((r, c))] = find((r + 1, c))
    comps: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for p in parent:
        comps.setdefault(find(p), []).append(p)
    cells = []
    owner = {}
    for members in sorted(comps.values(), key=min):
        r0 = min(p[0] for p in members)
        c0 = min(p[1] for p in members)
        r1 = max(p[0] for p in members)
        c1 = max(p[1] for p in members)
        idx = len(cells)
        cells.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                owner.setdefault((r, c), idx)
    return _Grid(xs, ys, cells, owner)


def _line_text(chars: list[_Char]) -> str:
    """One line's characters, left to right; a visible gap between letters or digits is a space."""
    chars = sorted(chars, key=lambda ch: ch.x0)
    out = []
    prev = None
    for ch in chars:
        if prev is not None and ch.ch != " " and prev.ch != " ":
            gap = ch.x0 - prev.x1
            if gap > 0.5 * max(ch.size, prev.size) and not _is_cjk(ch.ch) and not _is_cjk(prev.ch):
                out.append(" ")
        out.append(ch.ch)
        prev = ch
    return "".join(out)


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Group characters into text lines by their vertical centres."""
    out: list[list[_Char]] = []
    centre = 0.0
    for ch in sorted(chars, key=lambda c: c.cy):
        h = ch.y1 - ch.y0
        if out and abs(ch.cy - centre) <= 0.45 * h:
            out[-1].append(ch)
            centre = sum(c.cy for c in out[-1]) / len(out[-1])
        else:
            out.append([ch])
            centre = ch.cy
    return out


def _join(a: str, b: str) -> str:
    """Join two lines of one paragraph or cell: CJK text has no space between lines."""
    a, b = a.rstrip(), b.lstrip()
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _cell_text(chars: list[_Char]) -> str:
    """A cell's lines joined.  Digits broken over two lines are one number wrapped in a narrow cell and
    are joined without a space: were they two values, the run-together digits check (which tries every
    split of digits without a gap) still finds that reading, whereas a space would fix the split."""
    text = ""
    for line in _lines(chars):
        part = _line_text(line)
        if text[-1:].isdigit() and part.strip()[:1].isdigit():
            text = text.rstrip() + part.lstrip()
        else:
            text = _join(text, part)
    return text.strip()


# ---------------------------------------------------------------- one page's blocks
@dataclass
class _TextLine:
    page: int
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float


def _is_furniture(line: _TextLine, page: _Page) -> bool:
    """A page number or running header/footer line."""
    in_margin = line.y1 < page.height * _MARGIN_TOP or line.y0 > page.height * (1 - _MARGIN_BOTTOM)
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


def _page_items(page: _Page) -> list[tuple[float, object]]:
    """The page's table regions and text lines (outside tables), by vertical position."""
    regions = _find_regions(page)
    boxes = [r.box for r in regions]
    loose: list[_Char] = []
    for ch in page.chars:
        _tick()
        for r, (bx0, by0, bx1, by1) in zip(regions, boxes):
            if bx0 <= ch.cx <= bx1 and by0 <= ch.cy <= by1:
                r.chars.append((ch, page.number))
                break
        else:
            if ch.ch.strip():
                loose.append(ch)
            elif loose:
                loose.append(ch)
    items: list[tuple[float, object]] = [(r.box[1], r) for r in regions]
    for group in _lines([c for c in loose]):
        text = _line_text(group)
        if not text.strip():
            continue
        line = _TextLine(page.number, text, min(c.x0 for c in group), max(c.x1 for c in group),
                         min(c.y0 for c in group), max(c.y1 for c in group),
                         sorted(c.size for c in group)[len(group) // 2])
        if not _is_furniture(line, page):
            items.append((line.y0, line))
    items.sort(key=lambda it: it[0])
    return items


def _repeated_furniture(pages_items: list[list[tuple[float, object]]], pages: list[_Page]) -> set[tuple[int, int]]:
    """Running headers/footers: the same text at the same height in the margins of most pages."""
    if len(pages) < 3:
        return set()
    seen: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for p, items in enumerate(pages_items):
        for k, (_y, it) in enumerate(items):
            if isinstance(it, _TextLine):
                pg = pages[p]
                if it.y1 < pg.height * 0.12 or it.y0 > pg.height * 0.88:
                    key = (re.sub(r"\d+", "#", it.text.strip()), round(it.y0 / 3))
                    seen.setdefault(key, []).append((p, k))
    out = set()
    for places in seen.values():
        if len({p for p, _ in places}) >= max(2, (len(pages) * 2) // 3):
            out.update(places)
    return out


# ---------------------------------------------------------------- joining tables over pages
def _region_texts_first_rows(region: _Region, rows: int) -> list[list[str]]:
    g = _grid(region)
    texts = _grid_texts(region, g)
    out = []
    for r in range(min(rows, len(g.ys) - 1)):
        out.append([texts.get(g.owner[(r, c)], "") for c in range(len(g.xs) - 1)])
    return out


def _grid_texts(region: _Region, g: _Grid) -> dict[int, str]:
    per: dict[int, list[_Char]] = {}
    for ch, _p in region.chars:
        _tick()
        c = bisect.bisect_right(g.xs, ch.cx) - 1
        r = bisect.bisect_right(g.ys, ch.cy) - 1
        c = min(max(c, 0), len(g.xs) - 2)
        r = min(max(r, 0), len(g.ys) - 2)
        per.setdefault(g.owner[(r, c)], []).append(ch)
    return {k: _cell_text(v) for k, v in per.items()}


def _same_columns(a: _Region, b: _Region) -> bool:
    ax0, _, ax1, _ = a.box
    bx0, _, bx1, _ = b.box
    return abs(ax0 - bx0) <= 3 * _LINE_TOL and abs(ax1 - bx1) <= 3 * _LINE_TOL


def _collapsed(texts: list[str]) -> list[str]:
    """A row's texts with the repeats of one merged cell over neighbouring grid columns made one."""
    return [t for i, t in enumerate(texts) if i == 0 or t != texts[i - 1]]


def _append(first: _Region, nxt: _Region) -> None:
    """Stack ``nxt`` (the table's continuation on the next page) under ``first``."""
    g1 = _grid(first)
    header_rows = 0
    head = _region_texts_first_rows(first, 3)
    cont = _region_texts_first_rows(nxt, 3)
    for k in range(min(len(head), len(cont))):
        # compared cell by cell as printed: a column border that only rows further down have (the
        # third label column of table 三) splits a header cell into two grid columns on one page only
        if _collapsed(head[k]) == _collapsed(cont[k]) and any(t for t in head[k]):
            header_rows = k + 1
        else:
            break
    g2 = _grid(nxt)
    cut = g2.ys[header_rows]  # continuation starts here (below a repeated header)
    dy = g1.ys[-1] - cut

    def shift(s: _Seg) -> _Seg:
        return _Seg(s.x0, s.y0 + dy, s.x1, s.y1 + dy)

    first.top_page_y.append((g1.ys[-1], nxt.page))
    for s in nxt.h:
        if s.y0 >= cut + _LINE_TOL:
            first.h.append(shift(s))
    for s in nxt.v:
        if s.y1 > cut + _LINE_TOL:
            t = shift(s)
            first.v.append(_Seg(t.x0, max(t.y0, g1.ys[-1]), t.x1, t.y1))
    # The border drawn at a page break says nothing (WPS and Word close every cell there).  A merged
    # cell cut by the break is one cell again when the parts above and below have the same left and
    # right borders and one part is empty while the other holds a label (not a number).
    bottom = g1.ys[-1]
    texts1 = _grid_texts(first, g1)
    texts2 = _grid_texts(nxt, g2)
    first.h = [s for s in first.h if abs(s.y0 - bottom) > _LINE_TOL]
    r2 = min(header_rows, len(g2.ys) - 2)
    r1 = len(g1.ys) - 2
    for idx in sorted({g2.owner[(r2, c)] for c in range(len(g2.xs) - 1)}):
        _tick()
        _r, c0, rs2, cs = g2.cells[idx]
        lo, hi = g2.xs[c0], g2.xs[c0 + cs]
        k = min(max(bisect.bisect_right(g1.xs, (lo + hi) / 2) - 1, 0), len(g1.xs) - 2)
        up = g1.owner[(r1, k)]
        _r1, d0, _rs1, ds = g1.cells[up]
        same = abs(g1.xs[d0] - lo) <= 2 * _LINE_TOL and abs(g1.xs[d0 + ds] - hi) <= 2 * _LINE_TOL
        above, below = texts1.get(up, ""), texts2.get(idx, "")
        # or its label was itself cut: text on both sides, the part below still spanning rows and not
        # opening with an item number of its own (「三、」 | 「本年度办理结果」)
        label_cut = (above and below and rs2 > 1 and not _ITEM_START.match(below.strip()))
        cut_cell = same and (not above or not below or label_cut) and not re.search(r"\d", above + below)
        if not cut_cell:
            first.h.append(_Seg(lo, bottom, hi, bottom))
    for ch, p in nxt.chars:
        if ch.cy > cut:
            first.chars.append((_Char(ch.ch, ch.x0, ch.y0 + dy, ch.x1, ch.y1 + dy, ch.size), p))


# ---------------------------------------------------------------- the document
def _table_block(region: _Region, number: int) -> Table:
    g = _grid(region)
    texts = _grid_texts(region, g)
    starts = sorted(region.top_page_y)

    def page_of(y: float) -> int:
        page = region.page
        for y_start, p in starts:
            if y >= y_start - _LINE_TOL:
                page = p
        return page

    cells = []
    for idx, (r, c, rs, cs) in enumerate(g.cells):
        _tick()
        p = page_of(g.ys[r] + 0.5)
        cells.append(Cell(r, c, texts.get(idx, ""), rs, cs, where=f"第{p}页 表{number} 第{r + 1}行第{c + 1}列"))
    return Table(tuple(cells), len(g.ys) - 1, len(g.xs) - 1, f"第{region.page}页 表{number}")


_ITEM_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、.．])")


def _frame(lines: list[_TextLine]) -> tuple[float, float]:
    """The left and right edges of the body text (the lines' 10th percentiles from either side)."""
    lefts = sorted(round(ln.x0) for ln in lines)
    rights = sorted(round(ln.x1) for ln in lines)
    return lefts[len(lefts) // 10], rights[-(len(rights) // 10) - 1]


def _document_frame(lines: list[_TextLine]) -> tuple[float, float]:
    """The body's edges over a whole document: its leftmost and rightmost line ends (page furniture is
    already gone), so that a text of short one-line paragraphs still shows the full width."""
    return min(round(ln.x0) for ln in lines), max(round(ln.x1) for ln in lines)


def _paragraphs(lines: list[_TextLine], pages: dict[int, _Page],
                frame: tuple[float, float] | None = None) -> list[tuple[_TextLine, str]]:
    """Join text lines into paragraphs: a new one at an indent, after a short line, or after a gap.
    ``frame``: the body's left and right edges over the whole document (a few lines between two
    tables, all first lines or short ones, do not tell them)."""
    if not lines:
        return []
    left, right = frame or _frame(lines)
    sizes = sorted(ln.size for ln in lines)
    size = sizes[len(sizes) // 2]  # the body text's line height
    # A text with few full lines (short paragraphs, headings) puts the percentile far left of the
    # margin; the right margin is never much wider than the left one, so the page bounds it.
    widths = sorted(pages[ln.page].width for ln in lines if ln.page in pages)
    if widths:
        right = max(right, widths[len(widths) // 2] - left - size)
    out: list[tuple[_TextLine, str]] = []
    prev = None
    for ln in lines:
        _tick()
        new = prev is None
        if not new:
            indented = ln.x0 > left + 0.8 * size
            short = prev.x1 < right - 3 * size
            gap = ln.page == prev.page and ln.y0 - prev.y1 > 1.2 * size
            # a sentence ended and the next line opens with an item number (「六、」「（二）」): a heading
            # or an item after a line that happens to be full
            numbered = prev.text.rstrip().endswith(("。", "；", "：", "！", "？")) and bool(
                _ITEM_START.match(ln.text.strip()))
            new = indented or short or gap or numbered
        if new:
            out.append((ln, ln.text.strip()))
        else:
            first, text = out[-1]
            out[-1] = (first, _join(text, ln.text))
        prev = ln
    return out


def read_document(path: str, raw: bytes) -> Document:
    """A published PDF report as a ``Document``; ``InputError`` for a file that cannot be read."""
    if len(raw) > MAX_BYTES:
        raise InputError(f"PDF 文件大小 {len(raw) // (1024 * 1024)} MB，超过上限 {MAX_BYTES // (1024 * 1024)} MB",
                         path=path)
    if not raw.lstrip()[:5].startswith(b"%PDF"):
        raise InputError("不是 PDF 文件（文件开头没有 %PDF 标记）", path=path)
    deadline = time.monotonic() + MAX_SECONDS
    _check_streams(raw, path)
    import pypdfium2
    import pypdfium2.raw as raw_api

    try:
        pdf = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("PDF 已加密（需要密码），无法读取；请提供未加密的文件", path=path) from None
        raise InputError("PDF 文件已损坏或格式不正确，无法读取", path=path) from None
    try:
        n = len(pdf)
        if n == 0:
            raise InputError("PDF 没有任何页面", path=path)
        if n > MAX_PAGES:
            raise InputError(f"PDF 有 {n} 页，超过上限 {MAX_PAGES} 页，不像一份年度报告", path=path)
        pages = []
        for i in range(n):
            try:
                pages.append(_read_page(pdf, raw_api, i, path, deadline))
            except pypdfium2.PdfiumError:
                raise InputError(f"PDF 第{i + 1}页无法读取（文件已损坏）", path=path) from None
            if time.monotonic() > deadline:
                _too_slow(path)
    finally:
        pdf.close()
    if not any(ch.ch.strip() for p in pages for ch in p.chars):
        hint = "各页只有图片，" if any(p.images for p in pages) else ""
        raise InputError(f"这是扫描件或图片 PDF：{hint}没有文字层，无法读取其中的文字和表格。"
                         "请改用原始的 Word/WPS 文件或可复制文字的 PDF；如只有扫描件，请先用 OCR 软件识别成文字",
                         path=path)
    global _clock
    _clock = _Clock(path, deadline)
    try:
        return _document(path, pages)
    finally:
        _clock = None


def _document(path: str, pages: list[_Page]) -> Document:
    per_page = [_page_items(p) for p in pages]
    drop = _repeated_furniture(per_page, pages)
    # One stream of items; a table that ends its page and one that opens the next page with the
    # same outer borders are one table.
    stream: list[object] = []
    last_on_page: _Region | None = None
    for p, items in enumerate(per_page):
        kept = [it for k, (_y, it) in enumerate(items) if (p, k) not in drop]
        tail: _Region | None = None
        for k, it in enumerate(kept):
            _tick()
            if (k == 0 and isinstance(it, _Region) and last_on_page is not None
                    and _same_columns(last_on_page, it)):
                _append(last_on_page, it)
                tail = last_on_page
                continue
            stream.append(it)
            tail = it if isinstance(it, _Region) else None
        last_on_page = tail
    blocks: list = []
    lines: list[_TextLine] = []
    number = 0
    page_map = {p.number: p for p in pages}
    all_lines = [it for it in stream if isinstance(it, _TextLine)]
    frame = _document_frame(all_lines) if all_lines else None
    boxes = [it.box for it in stream if isinstance(it, _Region)]
    if frame and boxes:
        # A report's tables span the text width: a line that long is full, and where every line of
        # the text is a first line (one-line paragraphs), the table's left edge shows their indent.
        size = sorted(ln.size for ln in all_lines)[len(all_lines) // 2]
        t_left = round(min(b[0] for b in boxes))
        left = t_left if 0 < frame[0] - t_left <= 2.5 * size else frame[0]
        frame = (left, max(frame[1], round(max(b[2] for b in boxes))))

    def flush():
        for first, text in _paragraphs(lines, page_map, frame):
            blocks.append(Paragraph(text, f"第{first.page}页 第{sum(isinstance(b, Paragraph) for b in blocks) + 1}段"))
        lines.clear()

    for it in stream:
        if isinstance(it, _TextLine):
            lines.append(it)
        else:
            flush()
            number += 1
            blocks.append(_table_block(it, number))
    flush()
    return Document(path, "pdf", tuple(blocks))
