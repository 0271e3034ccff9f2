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

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import formats, model
from ..errors import InputError
from ..findings import Finding, make
from ..source import Source
from .document import Document, Paragraph, Table
from .text import flat, norm, similarity

GOOD = 0.8  # a printed label at least this similar to a defined one is that label

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>(?:19|20)\d{2})\s*年度?(?P<rest>.*政府信息公开.*报告)$")
_TITLE_NO_YEAR = re.compile(r"政府信息公开.*报告")
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_DATE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*"
                   r"[\d一二三四五六七八九十]{1,3}\s*日$")
# Page furniture: page numbers of every usual shape.
_FURNITURE = (re.compile(r"^[-—－–\s]*\d{1,4}[-—－–\s]*$"),
              re.compile(r"^第\s*\d+\s*页(?:\s*[/，,、]?\s*共\s*\d+\s*页)?$"),
              re.compile(r"^\d+\s*/\s*\d+$"))
# A web site's footer below the report.
_FOOTER = re.compile(r"版权所有|网站标识码|ICP备|公网安备|主办单位|承办单位|技术支持|网站地图|联系我们|Copyright|©", re.I)
# A blank template's instruction in place of the text (「（文字描述）」).
_PLACEHOLDER = re.compile(r"^[（(]文字描述.*[）)]$")
MAX_SIGNATURE = 40


@lru_cache(maxsize=65536)
def _sim(printed: str, defined: str) -> float:
    return similarity(printed, defined)


def _is_number_text(text: str) -> bool:
    return bool(_NUMBER.match(model.normalize_text_number(text)))


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


# ---------------------------------------------------------------- document rows
@dataclass
class _Cell:
    text: str
    key: str       # normalised text
    where: str
    col: int
    table_span: int = 1  # columns of the grid the cell covers


@dataclass
class _Row:
    table: Table
    index: int
    cells: list[_Cell]

    @property
    def where(self) -> str:
        return f"{self.table.where} 第{self.index + 1}行"


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
                                   c.colspan))
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

    def put(self, key: str, cell: _Cell) -> None:
        kind = self.fmt.field(key).kind
        if key in self.values:
            self.findings.append(make("I-1", f"「{self.fmt.field(key).label}」印了两次（{self.where[key]} 与 "
                                             f"{cell.where}），导入的是第一次的数值", [key],
                                      locations=[self.where[key], cell.where]))
            return
        self.values[key] = value_of(cell.text, kind)
        self.where[key] = cell.where

    def extra_row(self, row: _Row, label: str, table_title: str) -> None:
        values = [c for c in row.cells if c.text.strip() and _is_number_text(c.text)]
        self.score -= 1
        what = "该行数值未导入" if values else "该行没有数值"
        self.findings.append(make(
            "I-1", f"{table_title}表中印有「{label}」一行，{self.fmt.id}年格式没有这一行，{what}",
            locations=[next((c.where for c in row.cells if c.key), row.cells[0].where)]))

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
            for col, cell in zip(arow.columns, cells):
                att.put(f"{self.active.key}.{arow.key}.{col.key}", cell)

    # -------------------------------------------------------- table 三
    def match_requests(self, rows: list[_Row], att: _Attempt) -> None:
        t = self.requests
        vocab = self.vocab[t.key]
        leaves: list[tuple[str, int]] = []   # (column key, grid column) as printed, in reading order
        extra_columns = 0
        reported: set[str] = set()
        context: dict[int, str] = {}         # label level → label (normalised) of the rows above
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
                att.extra_row(row, "".join(flat(c.text) for c in label_cells[-1:]), t.title)
                continue
            if any(_is_number_text(c.text) for c in label_cells):
                att.unreadable(row, f"{t.title}表「{t.row_label(grow.key)}」一行的数值单元格比表头多，"
                                    f"无法确定各数值所属列，该行未导入")
                continue
            for col_key, cell in zip(order, value_cells):
                att.put(f"{t.key}.{grow.key}.{col_key}", cell)

    def _column_order(self, leaves: list[tuple[str, int]]) -> list[str]:
        """The printed order of the columns: by grid column where the grid tells it (every column its own
        position), else the definition's order of the columns printed."""
        keys = [k for k, _ in leaves]
        cols = [c for _, c in leaves]
        if len(set(cols)) == len(cols):
            return [k for k, _ in sorted(leaves, key=lambda kc: kc[1])]
        return [c.key for c in self.requests.columns if c.key in keys]

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
                for key, cell in by_col:
                    att.put(key, cell)
                continue
            if len(cells) > len(keys) and all(not c.text.strip() for c in cells[len(keys):]):
                cells = cells[:len(keys)]
            if len(cells) != len(keys):
                att.unreadable(row, f"{t.title}表的数值行印有{len(cells)}个单元格，格式规定{len(keys)}个，"
                                    f"无法确定各数值所属列，该行未导入")
                continue
            for key, cell in zip(keys, cells):
                att.put(key, cell)

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
def _heading_match(text: str, heading: str) -> bool:
    """A paragraph is a section heading: the same numbering (「五、」) and a similar title."""
    if "、" not in heading:
        return False
    num, _, rest = heading.partition("、")
    t = norm(text)
    n, r = norm(num + "、"), norm(rest)
    if not t.startswith(n) or len(t) > len(n) + len(r) + 12:
        return False
    got = t[len(n):]
    if got == r or got[:2] == r[:2]:
        return True
    import difflib
    return difflib.SequenceMatcher(None, got, r, autojunk=False).ratio() >= 0.5


def _is_furniture(text: str) -> bool:
    t = text.strip()
    return any(p.match(t) for p in _FURNITURE) or bool(_PLACEHOLDER.match(t))


def _group(paragraphs: list[str]) -> list:
    """A section's paragraphs, sub-headings (「（一）主动公开」 on a line of their own) as heading blocks."""
    items: list = []
    for text in paragraphs:
        if _SUBHEADING.match(text) and len(text) <= 40 and not re.search(r"[。；;！？]", text):
            items.append({"heading": text, "paragraphs": []})
        elif items and isinstance(items[-1], dict):
            items[-1]["paragraphs"].append(text)
        else:
            items.append(text)
    return items


@dataclass
class _Narrative:
    title: str | None = None
    year: int | None = None
    agency: str = ""
    sections: dict = field(default_factory=dict)
    where: str | None = None


def narrative(doc: Document, fmt) -> _Narrative:
    out = _Narrative()
    paras: list[Paragraph] = [p for p in doc.paragraphs() if not _is_furniture(flat(p.text))]
    texts = [flat(p.text) for p in paras]
    sections = [s for s in fmt.sections if s.heading]
    starts: list[tuple[int, object]] = []
    j = 0
    for i, text in enumerate(texts):
        for k in range(j, len(sections)):
            if _heading_match(text, sections[k].heading):
                starts.append((i, sections[k]))
                j = k + 1
                break
    first = starts[0][0] if starts else len(texts)
    # the title: the last title-like paragraph before the first section (site headers come before it)
    title_at = None
    for i in range(first - 1, -1, -1):
        m = _TITLE.match(re.sub(r"\s+", "", texts[i]))
        if m:
            title_at = i
            out.title = texts[i]
            out.year = int(m.group("year"))
            out.agency = m.group("agency")
            out.where = paras[i].where
            if not out.agency and i > 0 and _looks_like_name(texts[i - 1]):
                out.agency = texts[i - 1]
            break
    if title_at is None:  # a title without a year (a blank template's)
        for i in range(first - 1, -1, -1):
            if _TITLE_NO_YEAR.search(texts[i]) and len(texts[i]) <= 60 and not re.search(r"[。；;]", texts[i]):
                title_at = i
                break
    pre = texts[title_at + 1:first] if title_at is not None else texts[:first]
    pre_key = next((s.key for s in fmt.sections if not s.heading), None)
    found: dict[str, list[str]] = {}
    if pre_key and pre:
        found[pre_key] = pre
    for n, (i, sec) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(texts)
        body = texts[i + 1:end]
        if n + 1 == len(starts):
            body = _drop_signature(body, out.agency)
            cut = next((k for k, text in enumerate(body) if len(text) <= 80 and _FOOTER.search(text)), None)
            body = body[:cut] if cut is not None else body
        if sec.table is None and body:
            found[sec.key] = body
    for key, body in found.items():
        out.sections[key] = _group(body) if key != pre_key else body
    return out


def _looks_like_name(text: str) -> bool:
    return 2 <= len(text) <= MAX_SIGNATURE and not re.search(r"[。，,；;：:！？\d]", text)


def _drop_signature(body: list[str], agency: str) -> list[str]:
    """The last section without the signature and date lines (and whatever a web page prints after)."""
    for i in range(len(body) - 1, -1, -1):
        if _DATE.match(re.sub(r"\s+", "", body[i])):
            cut = i
            while cut > 0 and _looks_like_name(body[cut - 1]) and len(body[cut - 1]) <= MAX_SIGNATURE:
                cut -= 1
                break
            return body[:cut]
    if body and agency and norm(body[-1]) == norm(agency):
        return body[:-1]
    return body


# ---------------------------------------------------------------- the document → Source
def to_source(doc: Document) -> Source:
    """Report data of ``doc`` by the format definition, with places and the importer's findings."""
    rows = _rows(doc)
    attempts = [_Matcher(fmt).run(rows) for fmt in formats.FORMATS.values()]
    texts = _Narrative()
    for p in doc.paragraphs():
        m = _TITLE.match(re.sub(r"\s+", "", flat(p.text)))
        if m:
            texts.year = int(m.group("year"))
            break
    top = max(a.score for a in attempts)
    best = [a for a in attempts if a.score == top]
    if len(best) > 1 and texts.year is not None:
        want = formats.id_for_year(texts.year)
        best = [a for a in best if a.fmt.id == want] or best
    att = best[-1]
    fmt = att.fmt
    story = narrative(doc, fmt)
    if not att.seen_tables and story.title is None:
        raise InputError("文件中没有找到政府信息公开工作年度报告的标题或统计表格，不是可导入的年度报告", path=doc.path)
    findings: list[Finding] = list(att.findings)
    year = story.year
    if year is None:
        year = fmt.first_year
        findings.append(make("I-4", f"未在标题中找到报告年度，按{fmt.id}年格式的首个年度{year}年导入，请核对"))
    report = model.empty_report(fmt.id, year, agency=story.agency)
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
             f"个数值",)
    return Source(report=report, path=doc.path, kind=doc.kind, locator=places.get, findings=tuple(findings),
                  notes=notes)
