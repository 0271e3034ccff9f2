"""The one matcher: a ``Document`` (any kind of file) → report data, by the format definition.

Every label the matcher looks for comes from ``nianbao.formats``: block titles, column headers and row
labels of table 二, the row label paths and column labels of table 三, the groups and members of table
四, the section headings.  Each format is tried on the document; the one whose labels the tables print
best is the report's format, whatever the year (a 2023 report printed in the 2019 format is imported as
printed, so the format rule S-1 reports it).  Printed labels are compared after normalisation
(full/half-width, spaces and line breaks, quotes) and allow shortened labels, words added in front and
small typos.  Values are kept as printed (numbers as numbers, anything else as its text, so the rules
judge it); every value knows the place it was printed (``Source.locator``).  What cannot be imported
as printed is an import finding (rules I-1 …), never a guess.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import formats, model
from ..errors import InputError
from ..findings import Finding, make
from ..source import Source
from ..standard_text import EMPTY_MARK
from . import digits, meta, sections
from .document import Document, Table
from .text import flat, norm, similarity

GOOD = 0.8  # a printed label at least this similar to a defined one is that label

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
# Page furniture: page numbers of every usual shape.
_FURNITURE = (re.compile(r"^[-—－–\s]*\d{1,4}[-—－–\s]*$"),
              re.compile(r"^第\s*\d+\s*页(?:\s*[/，,、]?\s*共\s*\d+\s*页)?$"),
              re.compile(r"^\d+\s*/\s*\d+$"))
# A blank template's instruction in place of the text (「（文字描述）」), and the mark our own export prints
# under a heading without text (「（待填写）」): neither is the report's text.
_PLACEHOLDER = re.compile(r"^[（(]文字描述.*[）)]$|^" + re.escape(EMPTY_MARK) + "$")


@lru_cache(maxsize=65536)
def _sim(printed: str, defined: str) -> float:
    return similarity(printed, defined)


def _is_number_text(text: str) -> bool:
    """A value cell's text: a number, or a number with a parenthesised note."""
    return bool(_NUMBER.match(model.normalize_text_number(text))) or number_with_note(text) is not None


def value_of(text: str, kind: str):
    """A printed cell as report data: blank → None, a number → the number, anything else its text."""
    t = text.strip()
    if not model.strip_spaces(t):
        return None
    if kind != formats.TEXT:
        n = model.normalize_text_number(t)
        if _NUMBER.match(n):
            return float(n) if "." in n else int(n)
    return " ".join(t.split()) if kind == formats.TEXT else t


_NOTED = re.compile(r"^\s*([+-]?[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*([（(][^（）()]{1,60}[）)])\s*$", re.S)


def number_with_note(text: str):
    """(number, note) of a cell printed as a number and a parenthesised note (「22」 and 「（其中修订16件）」,
    on one line or two); None for any other text."""
    m = _NOTED.match(text or "")
    if m is None:
        return None
    n = model.normalize_text_number(m.group(1))
    if not _NUMBER.match(n):
        return None
    return (float(n) if "." in n else int(n)), flat(m.group(2))


# ---------------------------------------------------------------- document rows
@dataclass
class _Cell:
    text: str
    key: str       # normalised text
    where: str
    col: int
    table_span: int = 1  # columns of the grid the cell covers
    row: int = 0         # grid row of the cell's top
    placed: bool = False  # the reader named the cell's place itself (a PDF cell's page)


@dataclass
class _Row:
    table: Table
    index: int
    cells: list[_Cell]

    @property
    def where(self) -> str:
        # a cell of this row named by the reader (its page) names the row; else the table's row
        own = next((c for c in self.cells if c.placed and c.row == self.index), None)
        return own.where if own is not None else f"{self.table.where} 第{self.index + 1}行"


def _rows(doc: Document) -> list[_Row]:
    out = []
    for table in doc.tables():
        grid = table.grid()
        for r, line in enumerate(grid):
            seen = set()
            cells = []
            for c in line:
                if c is None or id(c) in seen:
                    continue
                seen.add(id(c))
                cells.append(_Cell(c.text, norm(c.text), c.where or table.cell_where(c.row, c.col), c.col,
                                   c.colspan, c.row, bool(c.where)))
            out.append(_Row(table, r, cells))
    return out


class _Vocab:
    """Labels of the definition (normalised) → what they stand for."""

    def __init__(self):
        self.items: dict[str, list] = {}

    def add(self, label: str, meaning) -> None:
        self.items.setdefault(norm(label), []).append(meaning)

    def best(self, key: str) -> tuple[float, str | None]:
        if not key:
            return 0.0, None
        if key in self.items:
            return 1.0, key
        best, which = 0.0, None
        for label in self.items:
            s = _sim(key, label)
            if s > best:
                best, which = s, label
        return (best, which) if best >= GOOD else (0.0, None)


# ---------------------------------------------------------------- one format tried on the document
@dataclass
class _Attempt:
    fmt: object
    values: dict = field(default_factory=dict)      # data key → value
    where: dict = field(default_factory=dict)       # data key → place
    findings: list = field(default_factory=list)
    score: float = 0.0
    seen_tables: set = field(default_factory=set)
    printed_rows: list = field(default_factory=list)  # [(data key, cell), ...] of each printed value row
    first_table: dict = field(default_factory=dict)   # table key → the first document table placed in it
    annotations: list = field(default_factory=list)   # Chinese: notes printed beside a cell's number
    last_row: list = field(default_factory=list)      # the (data key, cell) pairs of the last row placed

    def put(self, key: str, cell: _Cell) -> bool:
        kind = self.fmt.field(key).kind
        if key in self.values:
            self.findings.append(make("I-1", f"「{self.fmt.field(key).label}」印了两次（{self.where[key]} 与 "
                                             f"{cell.where}），导入的是第一次的数值", [key],
                                      locations=[self.where[key], cell.where]))
            return False
        noted = number_with_note(cell.text) if kind != formats.TEXT else None
        if noted is not None:
            number, note = noted
            self.values[key] = number
            self.annotations.append(f"{cell.where}「{self.fmt.field(key).label}」印为「{flat(cell.text)}」：按数字"
                                    f"{number}导入，括号中的说明「{note}」记录于此")
        else:
            self.values[key] = value_of(cell.text, kind)
        self.where[key] = cell.where
        return True

    def put_row(self, pairs) -> None:
        """The value cells of one printed row, left to right: each value, and the row kept for the
        run-together digits check (a row holding a value printed twice is left out of it).  A row the page
        break cut in two (the same row again, at the top of the next page) is one row: its cells fill the
        cells left empty above, and only a cell printed on both sides is printed twice."""
        pairs = list(pairs)
        last = self.last_row
        self.last_row = pairs
        if last and [k for k, _ in last] == [k for k, _ in pairs] and _next_page(last, pairs):
            for key, cell in pairs:
                if not model.strip_spaces(cell.text):
                    continue
                if self.values.get(key) is None:
                    self.values.pop(key, None)
                self.put(key, cell)
            return
        if all([self.put(key, cell) for key, cell in pairs]):
            self.printed_rows.append(pairs)

    def extra_row(self, row: _Row, label: str, table_title: str, at: _Cell | None = None) -> None:
        values = [c for c in row.cells if c.text.strip() and _is_number_text(c.text)]
        self.score -= 1
        what = "该行数值未导入" if values else "该行没有数值"
        # the place is the label's own cell: a group label merged over several rows names none of them
        own = at or next((c for c in row.cells if c.key and c.row == row.index), None)
        self.findings.append(make(
            "I-1", f"{table_title}表中印有「{label}」一行，{self.fmt.id}年格式没有这一行，{what}",
            locations=[own.where if own is not None else
                       next((c.where for c in row.cells if c.key), row.cells[0].where)]))

    def unreadable(self, row: _Row, message: str) -> None:
        self.score -= 1
        self.findings.append(make("I-2", message, locations=[row.where]))


class _Matcher:
    def __init__(self, fmt):
        self.fmt = fmt
        self.active, self.requests, self.appeals = fmt.active, fmt.requests, fmt.appeals
        self.vocab = {t.key: _Vocab() for t in fmt.tables()}
        a = self.vocab[self.active.key]
        for bi, block in enumerate(self.active.blocks):
            a.add(block.title, ("title", bi))
            for hi, (label, _span) in enumerate(block.header):
                a.add(label, ("header", bi, hi))
            for row in block.rows:
                a.add(row.label, ("row", bi, row))
        q = self.vocab[self.requests.key]
        q.add(self.requests.note, ("note",))
        q.add(self.requests.header, ("note",))
        for col in self.requests.columns:
            for level, label in enumerate(col.labels):
                q.add(label, ("column", col.key) if level == len(col.labels) - 1 else ("column-group",))
        self.row_vocab = _Vocab()
        for row in self.requests.rows:
            for level, label in enumerate(row.labels):
                self.row_vocab.add(label, (level, row.key))
                q.add(label, ("row-label",))
        p = self.vocab[self.appeals.key]
        for gkey, path in self.appeals.groups:
            for label in path:
                p.add(label, ("group", gkey))
        for mkey, label in self.appeals.members:
            p.add(label, ("member", mkey))
        # a label printed in several tables says nothing about which table a row belongs to
        counts: dict[str, int] = {}
        for v in self.vocab.values():
            for k in v.items:
                counts[k] = counts.get(k, 0) + 1
        self.shared = {k for k, n in counts.items() if n > 1}

    # -------------------------------------------------------- which table a row belongs to
    def classify(self, row: _Row) -> tuple[str | None, float]:
        best, which = 0.0, None
        for tkey, vocab in self.vocab.items():
            s = 0.0
            for c in row.cells:
                if not c.key or c.key in self.shared or _is_number_text(c.text):
                    continue
                score, label = vocab.best(c.key)
                if label is not None and label not in self.shared:
                    s += score
            if s > best:
                best, which = s, tkey
        return which, best

    def run(self, rows: list[_Row]) -> _Attempt:
        att = _Attempt(self.fmt)
        groups: dict[str, list[_Row]] = {t.key: [] for t in self.fmt.tables()}
        current = None
        last_table = None
        for row in rows:
            if not any(c.text.strip() for c in row.cells):
                if current is not None and row.table is last_table:
                    groups[current].append(row)  # an empty value row (a blank form) is a row too
                continue
            which, score = self.classify(row)
            if which is None and row.table is not last_table and current is not None:
                # a new document table that starts without labels continues nothing it can be sure of
                if not all(_is_number_text(c.text) or not c.text.strip() for c in row.cells):
                    current = None
            last_table = row.table
            if which is not None:
                current = which
                att.score += score
            if current is not None:
                groups[current].append(row)
                att.first_table.setdefault(current, row.table)
        self.match_active(groups[self.active.key], att)
        self.match_requests(groups[self.requests.key], att)
        self.match_appeals(groups[self.appeals.key], att)
        for t in self.fmt.tables():
            if groups[t.key]:
                att.seen_tables.add(t.key)
        att.score += 0.01 * len(att.values)
        return att

    # -------------------------------------------------------- table 二
    def match_active(self, rows: list[_Row], att: _Attempt) -> None:
        vocab = self.vocab[self.active.key]
        title = self.active.title
        block = None
        for row in rows:
            texts = [c for c in row.cells if c.key]
            if not texts:
                continue
            first = texts[0]
            score, label = vocab.best(first.key)
            meanings = vocab.items.get(label, []) if label else []
            kinds = {m[0] for m in meanings}
            if "title" in kinds and len({c.key for c in texts}) == 1:
                block = next(m[1] for m in meanings if m[0] == "title")
                continue
            if "header" in kinds and any(m[0] == "header" and m[2] == 0 for m in meanings):
                # a header row: its labels tell the block where the title row is missing or unusual
                hits = [vocab.best(c.key) for c in texts[1:]]
                blocks = [m[1] for _, lab in hits if lab for m in vocab.items[lab] if m[0] == "header"]
                for c, (s, lab) in zip(texts[1:], hits):
                    if lab is None:
                        att.score -= 1
                        att.findings.append(make("I-1", f"{title}表中印有列「{flat(c.text)}」，"
                                                        f"{self.fmt.id}年格式没有这一列", locations=[c.where]))
                if blocks and (block is None or block not in blocks):
                    block = max(set(blocks), key=blocks.count)
                continue
            rows_meant = [m for m in meanings if m[0] == "row"]
            if not rows_meant:
                if not _is_number_text(first.text):
                    att.extra_row(row, flat(first.text), title)
                continue
            pick = next((m for m in rows_meant if m[1] == block), rows_meant[0])
            arow = pick[2]
            cells = row.cells[row.cells.index(first) + 1:]
            n = len(arow.columns)
            if len(cells) > n and all(not c.text.strip() for c in cells[n:]):
                cells = cells[:n]
            if len(cells) != n:
                att.unreadable(row, f"{title}表「{arow.label}」一行印有{len(cells)}个数值单元格，"
                                    f"格式规定{n}个，无法确定各数值所属列，该行未导入")
                continue
            att.put_row((f"{self.active.key}.{arow.key}.{col.key}", cell) for col, cell in zip(arow.columns, cells))

    # -------------------------------------------------------- table 三
    def match_requests(self, rows: list[_Row], att: _Attempt) -> None:
        t = self.requests
        vocab = self.vocab[t.key]
        leaves: list[tuple[str, int]] = []   # (column key, grid column) as printed, in reading order
        extra_columns = 0
        reported: set[str] = set()
        context: dict[int, str] = {}         # label level → label (normalised) of the rows above
        last_placed = -1                     # index (in the format's rows) of the last row placed
        for row in rows:
            if not any(c.key for c in row.cells):
                continue
            labelled = [c for c in row.cells if c.key and not _is_number_text(c.text)]
            row_hits = [self.row_vocab.best(c.key) for c in labelled]
            if not any(lab for _, lab in row_hits) and not any(_is_number_text(c.text) for c in row.cells):
                # a header row
                for c in labelled:
                    s, lab = vocab.best(c.key)
                    meanings = vocab.items.get(lab, []) if lab else []
                    col_keys = [m[1] for m in meanings if m[0] == "column"]
                    if col_keys:
                        if col_keys[0] not in [k for k, _ in leaves]:
                            leaves.append((col_keys[0], c.col))
                    elif lab is None and c.where not in reported:
                        reported.add(c.where)
                        extra_columns += 1
                        att.score -= 1
                        att.findings.append(make("I-1", f"{t.title}表的表头印有「{flat(c.text)}」，"
                                                        f"{self.fmt.id}年格式没有这一列", locations=[c.where]))
                continue
            order = self._column_order(leaves)
            k = len(order)
            if k == 0 or len(row.cells) <= k:
                att.unreadable(row, f"{t.title}表第{row.index + 1}行前没有可识别的表头（各类申请人列），"
                                    f"无法确定各数值所属列，该行未导入")
                continue
            by_col = _by_position(leaves, row)
            if by_col is not None:  # the grid tells each value's column (extra columns left out)
                first_value = min(c for _, c in leaves)
                label_cells = [c for c in row.cells if c.col < first_value and c.key]
                order = [key for key, _ in by_col]
                value_cells = [cell for _, cell in by_col]
            else:
                label_cells = [c for c in row.cells[:-k] if c.key]
                value_cells = row.cells[-k:]
            if not label_cells:
                att.unreadable(row, f"{t.title}表第{row.index + 1}行没有行名，该行数值未导入")
                continue
            grow = self._row_for(label_cells, context)
            if grow is None:
                grow = self._row_by_number(label_cells, context, last_placed, att)
            if grow is not None:
                last_placed = t.rows.index(grow)
            if grow is None:
                att.extra_row(row, "".join(flat(c.text) for c in label_cells[-1:]), t.title, label_cells[-1])
                continue
            if any(_is_number_text(c.text) for c in label_cells):
                att.unreadable(row, f"{t.title}表「{t.row_label(grow.key)}」一行的数值单元格比表头多，"
                                    f"无法确定各数值所属列，该行未导入")
                continue
            att.put_row((f"{t.key}.{grow.key}.{col_key}", cell) for col_key, cell in zip(order, value_cells))

    def _column_order(self, leaves: list[tuple[str, int]]) -> list[str]:
        """The printed order of the columns: by grid column where the grid tells it (every column its own
        position), else the definition's order of the columns printed."""
        keys = [k for k, _ in leaves]
        cols = [c for _, c in leaves]
        if len(set(cols)) == len(cols):
            return [k for k, _ in sorted(leaves, key=lambda kc: kc[1])]
        return [c.key for c in self.requests.columns if c.key in keys]

    def _row_by_number(self, label_cells: list[_Cell], context: dict[int, str], last_placed: int, att: _Attempt):
        """A misprinted leaf label (「2.其他法律行政止公开」) placed by its number and its position: the format's
        next row after the last one placed, in the same group, with the same number; a warning names the
        printed label.  None when that is not unambiguous."""
        t = self.requests
        leaf = label_cells[-1]
        m = re.match(r"^(\d{1,2})\.", leaf.key)
        if m is None or last_placed + 1 >= len(t.rows):
            return None
        grow = t.rows[last_placed + 1]
        defined = [norm(x) for x in grow.labels]
        if len(defined) < 2 or not defined[-1].startswith(m.group(1) + "."):
            return None
        for level, d in enumerate(defined[:-1]):  # the group: printed in the row, or the rows above
            if not (any(_sim(c.key, d) >= GOOD for c in label_cells[:-1]) or
                    (context.get(level) is not None and _sim(context[level], d) >= GOOD)):
                return None
        if any(k.startswith(f"{t.key}.{grow.key}.") for k in att.values):
            return None
        att.findings.append(make("I-7", f"{t.title}表中印有「{flat(leaf.text)}」一行，按其编号和在"
                                        f"「{grow.labels[-2]}」中的位置读作「{grow.labels[-1]}」，数值已导入，请核对原件",
                                 [f"{t.key}.{grow.key}.{c.key}" for c in t.columns], locations=[leaf.where]))
        return grow

    def _row_for(self, label_cells: list[_Cell], context: dict[int, str]):
        """The format row a printed row stands for, from its labels and the labels above it."""
        t = self.requests
        printed = [c.key for c in label_cells]
        best, pick = 0.0, None
        for grow in t.rows:
            defined = [norm(x) for x in grow.labels]
            leaf = _sim(printed[-1], defined[-1])
            if leaf < GOOD:
                continue
            score = leaf
            for p in printed[:-1]:  # the other printed labels must be the row's ancestors
                s = max((_sim(p, d) for d in defined[:-1]), default=0.0)
                score += s if s >= GOOD else -1
            for level, d in enumerate(defined[:-1]):  # ancestors not printed: the rows above tell them
                if any(_sim(p, d) >= GOOD for p in printed):
                    continue
                above = context.get(level)
                score += 0.5 if above is not None and _sim(above, d) >= GOOD else -0.5
            if score > best:
                best, pick = score, grow
        if pick is not None:
            defined = [norm(x) for x in pick.labels]
            for level, d in enumerate(defined):
                if any(_sim(p, d) >= GOOD for p in printed):
                    context[level] = d
                    for deeper in [k for k in context if k > level]:
                        del context[deeper]
            # a group printed without a leaf of its own in this row (「（三）不予公开」 spanning rows)
        else:
            for p in printed:
                s, lab = self.row_vocab.best(p)
                if lab:
                    level = min(m[0] for m in self.row_vocab.items[lab])
                    context[level] = lab
        return pick

    # -------------------------------------------------------- table 四
    def match_appeals(self, rows: list[_Row], att: _Attempt) -> None:
        t = self.appeals
        vocab = self.vocab[t.key]
        keys = [f"{t.key}.{g}.{m}" for g, _ in t.groups for m, _ in t.members]
        groups: list[tuple[str, int, int]] = []   # (group label, first grid column, columns covered)
        members: list[tuple[str, int]] = []       # (member key, grid column)
        for row in rows:
            cells = list(row.cells)
            if any(c.key and not _is_number_text(c.text) and not model.is_blank(c.text) for c in cells):
                for c in cells:  # a header row
                    _, lab = vocab.best(c.key)
                    for m in vocab.items.get(lab, []) if lab else []:
                        if m[0] == "group":
                            groups.append((lab, c.col, c.table_span))
                        elif m[0] == "member":
                            members.append((m[1], c.col))
                continue
            if not any(c.key for c in cells) and any(k in att.values for k in keys):
                continue  # an empty row below the values
            leaves = self._appeal_leaves(groups, members)
            by_col = _by_position(leaves, row) if leaves else None
            if by_col is not None and len(by_col) == len(leaves):
                att.put_row(by_col)
                continue
            if len(cells) > len(keys) and all(not c.text.strip() for c in cells[len(keys):]):
                cells = cells[:len(keys)]
            if len(cells) != len(keys):
                att.unreadable(row, f"{t.title}表的数值行印有{len(cells)}个单元格，格式规定{len(keys)}个，"
                                    f"无法确定各数值所属列，该行未导入")
                continue
            att.put_row(zip(keys, cells))

    def _appeal_leaves(self, groups, members) -> list[tuple[str, int]]:
        """(data key, grid column) of each printed member column, its group told by the group labels
        printed above it; empty when the header does not tell every column's group."""
        t = self.appeals
        out: dict[str, int] = {}
        for mkey, col in members:
            above = {lab for lab, first, span in groups if first <= col < first + span}
            fits = [(len(path), g) for g, path in t.groups if all(norm(x) in above for x in path)]
            if not fits:
                return []
            longest = max(n for n, _ in fits)
            chosen = [g for n, g in fits if n == longest]
            if len(chosen) != 1:
                return []
            key = f"{t.key}.{chosen[0]}.{mkey}"
            out.setdefault(key, col)
        return list(out.items())


_PAGE = re.compile(r"^第(\d+)页")


def _next_page(above: list, below: list) -> bool:
    """The cells of ``below`` are on the page after those of ``above`` (a reader that names pages: PDF)."""
    def page(pairs):
        pages = {m.group(1) for _, c in pairs if (m := _PAGE.match(c.where or ""))}
        return int(pages.pop()) if len(pages) == 1 else None
    a, b = page(above), page(below)
    return a is not None and b is not None and b == a + 1


def _by_position(leaves: list[tuple[str, int]], row: _Row) -> list[tuple[str, _Cell]] | None:
    """(column key, value cell) by grid position, when the header gives every column its own grid
    column and the row has a cell starting at each of them; else None (then the order decides)."""
    cols = [c for _, c in leaves]
    if len(set(cols)) != len(cols):
        return None
    at = {c.col: c for c in row.cells}
    if not all(col in at for col in cols):
        return None
    if any(at[col].table_span > 1 for col in cols):
        return None
    if any(c.key and not _is_number_text(c.text) and not model.is_blank(c.text) for c in (at[col] for col in cols)):
        return None  # a label where a value should stand: the grid does not line up
    return [(key, at[col]) for key, col in sorted(leaves, key=lambda kc: kc[1])]


# ---------------------------------------------------------------- narrative
def _is_furniture(text: str) -> bool:
    t = text.strip()
    return any(p.match(t) for p in _FURNITURE) or bool(_PLACEHOLDER.match(t))


@dataclass
class _Narrative:
    title: str | None = None
    year: int | None = None
    agency: str = ""
    level: str | None = None
    sections: dict = field(default_factory=dict)
    where: str | None = None
    notes: tuple = ()
    lines: list = field(default_factory=list)        # the paragraphs read (sections.Line)
    line_parts: list = field(default_factory=list)   # the section key of each (None: title, chrome, 落款 …)


def narrative(doc: Document, fmt, anchors: dict | None = None) -> _Narrative:
    """Title, year, agency and the narrative parts of ``doc`` (``anchors``: block index of the first
    document table of each format table the matcher located)."""
    out = _Narrative()
    index = {id(b): i for i, b in enumerate(doc.blocks)}
    lines = [sections.Line(flat(p.text), index[id(p)], p.where) for p in doc.paragraphs()
             if not _is_furniture(flat(p.text))]
    lines = [ln for ln in lines if ln.text]
    texts = [ln.text for ln in lines]
    anchors = anchors or {}
    first_table = min(anchors.values(), default=None)
    limit = next((i for i, ln in enumerate(lines) if sections.is_candidate(ln.text)
                  or (first_table is not None and ln.block > first_table)), len(lines))
    info = meta.read(texts, limit=limit, page_titles=tuple(getattr(doc, "titles", ()) or ()), path=doc.path)
    out.title, out.year, out.agency, out.level = info.title, info.year, info.agency, info.level
    if info.title_first is not None:
        out.where = lines[info.title_first].where
    told = []
    if info.year is not None:
        told.append(f"报告年度{info.year}年取自{info.source_of('year')}")
    if info.agency:
        told.append(f"机关名称「{info.agency}」取自{info.source_of('agency')}")
    out.notes = (("；".join(told),) if told else ()) + tuple(info.notes)
    parts = sections.split(lines, fmt, anchors, info.title_at if info.title is not None else None)
    out.sections = parts.sections
    out.lines, out.line_parts = lines, parts.line_parts
    return out


# ---------------------------------------------------------------- run-together digits
def _run_together(att: _Attempt) -> list[Finding]:
    """Cells whose digits may be neighbouring values run together, or a value a column off, decided by
    the table's rules (``digits.resolve``): ``att.values`` takes the one reading that fits (I-5) or leaves
    the cells empty with the candidates listed (I-6)."""
    fmt = att.fmt
    ambiguities = []
    for pairs in att.printed_rows:
        run: list[tuple[str, _Cell]] = []
        for key, cell in pairs + [(None, None)]:
            if key is not None and fmt.field(key).kind != formats.TEXT:
                run.append((key, cell))
                continue
            if len(run) > 1:
                texts = [" ".join(model.normalize_text_number(w) for w in c.text.split()) for _, c in run]
                for amb in digits.stretch([k for k, _ in run], texts):
                    cells = dict(run)
                    first = next((k for k in amb.keys if cells[k].text.strip()), amb.keys[0])
                    ambiguities.append(dataclasses.replace(amb, where=cells[first].where))
            run = []
    if not ambiguities:
        return []
    numbers = {k: v for k, v in att.values.items() if v is None or isinstance(v, (int, float))}
    resolved, findings = digits.resolve(fmt, numbers, ambiguities)
    for amb in ambiguities:
        for k in amb.keys:
            att.values[k] = resolved[k]
    return findings


# ---------------------------------------------------------------- the document → Source
def to_source(doc: Document) -> Source:
    """Report data of ``doc`` by the format definition, with places and the importer's findings."""
    rows = _rows(doc)
    attempts = [_Matcher(fmt).run(rows) for fmt in formats.FORMATS.values()]
    top = max(a.score for a in attempts)
    best = [a for a in attempts if a.score == top]
    if len(best) > 1:
        year = meta.read([flat(p.text) for p in doc.paragraphs()], path=doc.path,
                         page_titles=tuple(getattr(doc, "titles", ()) or ())).year
        if year is not None:
            want = formats.id_for_year(year)
            best = [a for a in best if a.fmt.id == want] or best
    att = best[-1]
    fmt = att.fmt
    index = {id(b): i for i, b in enumerate(doc.blocks)}
    anchors = {k: index[id(t)] for k, t in att.first_table.items() if k in att.seen_tables and id(t) in index}
    story = narrative(doc, fmt, anchors)
    if not att.seen_tables and story.title is None:
        raise InputError("文件中没有找到政府信息公开工作年度报告的标题或统计表格，不是可导入的年度报告", path=doc.path)
    findings: list[Finding] = list(att.findings) + _run_together(att)
    year = story.year
    if year is None:
        year = fmt.first_year
        findings.append(make("I-4", f"未在标题、网页标题、统计期限、落款或文件名中找到报告年度，按{fmt.id}年格式的首个年度"
                                    f"{year}年导入，请核对"))
    report = model.empty_report(fmt.id, year, agency=story.agency, level=story.level)
    report.title = story.title
    for key, value in att.values.items():
        report.set(key, value)
    report.sections = story.sections
    for t in fmt.tables():
        if t.key not in att.seen_tables:
            findings.append(make("I-3", f"文档中没有找到「{t.title}」表，该表按空白导入"))
            continue
        missing: dict[str, list[str]] = {}
        for f in t.fields():
            if f.key not in att.values:
                missing.setdefault(f.row_label, []).append(f.key)
        whole = [label for label, keys in missing.items() if len(keys) == sum(1 for f in t.fields()
                                                                           if f.row_label == label)]
        if whole:
            findings.append(make("I-3", f"「{t.title}」表中没有找到格式规定的{len(whole)}行（{'、'.join(whole[:5])}"
                                        f"{'等' if len(whole) > 5 else ''}），这些行按空白导入",
                                 [k for label in whole for k in missing[label]]))
    places = dict(att.where)
    notes = (f"按{fmt.id}年格式（{fmt.notice}）读取，共读到 {sum(v is not None for v in att.values.values())} "
             f"个数值",) + story.notes + tuple(att.annotations)
    return Source(report=report, path=doc.path, kind=doc.kind, locator=places.get, findings=tuple(findings),
                  notes=notes)
