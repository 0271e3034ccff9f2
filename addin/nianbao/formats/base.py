"""Building blocks of a format definition.

A format (2019 or 2021) is plain data: three tables, the report sections and the
rule catalogue.  Every face of the project (workbook, Word, importers, rules)
derives what it needs from these objects, chiefly through ``Field`` (one value
cell with its data key) and ``LayoutCell`` (one cell of the official printed
grid, merges included).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

# Kinds of value cell.
COUNT = "count"    # whole number >= 0
SIGNED = "signed"  # whole number, may be negative ("本年增/减")
MONEY = "money"    # decimal >= 0 (万元)
TEXT = "text"      # free text as published (e.g. "2807.19万元")

KIND_NAMES = {COUNT: "非负整数", SIGNED: "整数（可为负）", MONEY: "金额（可有小数）", TEXT: "文本"}


@dataclass(frozen=True)
class Field:
    """One value cell of a table, addressed by its dotted data key."""

    table: str
    row: str
    column: str
    kind: str
    row_label: str
    column_label: str

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row}.{self.column}"

    @property
    def label(self) -> str:
        """Human label, e.g. 「规章 / 本年制发件数」."""
        return f"{self.row_label} / {self.column_label}"


@dataclass(frozen=True)
class LayoutCell:
    """One cell of a table's printed grid (0-based row/col, merges as spans).

    ``role`` is one of: ``title`` (a block title row of table 二), ``header``,
    ``note`` (the 勾稽 note of table 三), ``label`` (a row label) or ``value``
    (then ``key`` names the data cell).
    """

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"
    key: str | None = None


@dataclass(frozen=True)
class Layout:
    """The full printed grid of a table."""

    rows: int
    cols: int
    header_rows: int  # rows repeated on every page / frozen in the workbook
    cells: tuple[LayoutCell, ...]

    def value_cells(self) -> Iterator[LayoutCell]:
        return (c for c in self.cells if c.role == "value")


def _path_spans(paths: list[tuple[str, ...]], depth: int) -> list[tuple[int, int, int, int, str]]:
    """Merge runs of hierarchical labels.

    ``paths[i]`` is the label path of line i (a row of the row-label block, or a
    column of the column-header block).  Returns (line, level, run_length,
    level_span, text): the label at ``level`` is placed once on the first line of
    the run of lines sharing the same prefix; the last label of a path fills the
    remaining levels up to ``depth``.
    """
    out = []
    n = len(paths)
    for i, path in enumerate(paths):
        for level, text in enumerate(path):
            last = level == len(path) - 1
            if i > 0 and not last and paths[i - 1][: level + 1] == path[: level + 1]:
                continue  # inside a run already emitted
            run = 1
            if not last:
                while i + run < n and paths[i + run][: level + 1] == path[: level + 1]:
                    run += 1
            span = depth - level if last else 1
            out.append((i, level, run, span, text))
    return out


# ---------------------------------------------------------------- table 二
@dataclass(frozen=True)
class ActiveColumn:
    key: str
    kind: str
    span: int = 1


@dataclass(frozen=True)
class ActiveRow:
    key: str
    label: str
    columns: tuple[ActiveColumn, ...]


@dataclass(frozen=True)
class ActiveBlock:
    title: str                       # 第二十条第（一）项
    header: tuple[tuple[str, int], ...]  # (label, colspan), first is 信息内容
    rows: tuple[ActiveRow, ...]


@dataclass(frozen=True)
class ActiveTable:
    """Table 二 (主动公开): stacked blocks, one per article item."""

    title: str
    width: int
    blocks: tuple[ActiveBlock, ...]
    key: str = "active"
    sheet: str = "表二"              # its sheet in the report workbook
    orientation: str = "portrait"    # printed page of that sheet

    def fields(self) -> list[Field]:
        out = []
        for block in self.blocks:
            labels = [h[0] for h in block.header[1:]]
            for row in block.rows:
                for col, label in zip(row.columns, labels):
                    out.append(Field(self.key, row.key, col.key, col.kind, row.label, label))
        return out

    def layout(self) -> Layout:
        cells: list[LayoutCell] = []
        r = 0
        for block in self.blocks:
            cells.append(LayoutCell(r, 0, block.title, colspan=self.width, role="title"))
            r += 1
            c = 0
            for label, span in block.header:
                cells.append(LayoutCell(r, c, label, colspan=span, role="header"))
                c += span
            r += 1
            for row in block.rows:
                cells.append(LayoutCell(r, 0, row.label, role="label"))
                c = 1
                for col in row.columns:
                    cells.append(LayoutCell(r, c, "", colspan=col.span, role="value",
                                            key=f"{self.key}.{row.key}.{col.key}"))
                    c += col.span
                r += 1
        return Layout(rows=r, cols=self.width, header_rows=0, cells=tuple(cells))


# ---------------------------------------------------------------- table 三
@dataclass(frozen=True)
class GridRow:
    key: str
    labels: tuple[str, ...]  # label path, outermost first


@dataclass(frozen=True)
class GridColumn:
    key: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class RequestsTable:
    """Table 三 (收到和处理政府信息公开申请情况)."""

    title: str
    note: str
    header: str                      # 申请人情况
    rows: tuple[GridRow, ...]
    columns: tuple[GridColumn, ...]
    results_label: str               # 三、本年度办理结果
    label_depth: int = 3
    key: str = "requests"
    sheet: str = "表三"
    orientation: str = "landscape"
    total_column: str = "total"
    results_total: str = "results_total"
    # The rows an application register counts into (see ``register``): received this year, received
    # earlier and still open when the year began, and still open at the year's end.
    new_row: str = "new"
    carried_row: str = "carried_over"
    forward_row: str = "carry_forward"

    def row(self, key: str) -> GridRow:
        return next(r for r in self.rows if r.key == key)

    def row_label(self, key: str) -> str:
        """A short human label for a row: its last label, with its group where it is numbered."""
        labels = self.row(key).labels
        last = labels[-1]
        if len(labels) == 3:
            return f"{labels[1]}{last}"
        return last

    def column_label(self, key: str) -> str:
        return next(c.labels[-1] for c in self.columns if c.key == key)

    @property
    def part_columns(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.key != self.total_column)

    def result_option(self, key: str) -> str:
        """A result row as the register's drop-down prints it: its labels under 三、本年度办理结果, e.g.
        「（三）不予公开 / 3.危及“三安全一稳定”」."""
        return " / ".join(self.row(key).labels[1:])

    @property
    def result_leaves(self) -> tuple[str, ...]:
        """Leaf result rows: every row under 三、本年度办理结果 except （七）总计."""
        return tuple(r.key for r in self.rows
                     if r.labels[0] == self.results_label and r.key != self.results_total)

    def fields(self) -> list[Field]:
        return [Field(self.key, r.key, c.key, COUNT, self.row_label(r.key), c.labels[-1])
                for r in self.rows for c in self.columns]

    def layout(self) -> Layout:
        cells: list[LayoutCell] = []
        depth = self.label_depth
        col_paths = [(self.header,) + c.labels for c in self.columns]
        hdepth = max(len(p) for p in col_paths)
        cells.append(LayoutCell(0, 0, self.note, rowspan=hdepth, colspan=depth, role="note"))
        for line, level, run, span, text in _path_spans(col_paths, hdepth):
            cells.append(LayoutCell(level, depth + line, text, rowspan=span, colspan=run, role="header"))
        for line, level, run, span, text in _path_spans([r.labels for r in self.rows], depth):
            cells.append(LayoutCell(hdepth + line, level, text, rowspan=run, colspan=span, role="label"))
        for i, r in enumerate(self.rows):
            for j, c in enumerate(self.columns):
                cells.append(LayoutCell(hdepth + i, depth + j, role="value", key=f"{self.key}.{r.key}.{c.key}"))
        return Layout(rows=hdepth + len(self.rows), cols=depth + len(self.columns),
                      header_rows=hdepth, cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))))


# ---------------------------------------------------------------- table 四
@dataclass(frozen=True)
class AppealsTable:
    """Table 四 (行政复议、行政诉讼): groups of five members on one value row."""

    title: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (key, label path)
    members: tuple[tuple[str, str], ...]             # (key, label)
    key: str = "appeals"
    sheet: str = "表四"
    orientation: str = "landscape"
    total_member: str = "total"
    pending_member: str = "pending"  # 尚未审结: a case of the register without a result by the year's end

    def group_label(self, key: str) -> str:
        path = dict(self.groups)[key]
        return "".join(path) if len(path) == 1 else f"{path[0]}（{path[-1]}）"

    def member_label(self, key: str) -> str:
        return dict(self.members)[key]

    @property
    def part_members(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.members if k != self.total_member)

    def fields(self) -> list[Field]:
        return [Field(self.key, g, m, COUNT, self.group_label(g), label)
                for g, _ in self.groups for m, label in self.members]

    def layout(self) -> Layout:
        paths = [path + (label,) for _, path in self.groups for _, label in self.members]
        hdepth = max(len(p) for p in paths)
        cells = [LayoutCell(level, line, text, rowspan=span, colspan=run, role="header")
                 for line, level, run, span, text in _path_spans(paths, hdepth)]
        keys = [f"{self.key}.{g}.{m}" for g, _ in self.groups for m, _ in self.members]
        cells += [LayoutCell(hdepth, j, role="value", key=k) for j, k in enumerate(keys)]
        return Layout(rows=hdepth + 1, cols=len(keys), header_rows=hdepth,
                      cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))))


# ---------------------------------------------------------------- registers (台账)
@dataclass(frozen=True)
class RegisterColumn:
    """One column of a register sheet.  ``kind``: ``id`` (编号), ``date``, ``choice`` (a drop-down whose
    values come from the table the register counts into), ``private`` (personal data: the applicant, the
    request, notes — never read into report data) or ``text``.  ``aliases`` are other registers' titles
    for the same column (for importing a register kept elsewhere)."""

    key: str
    title: str
    kind: str
    aliases: tuple[str, ...] = ()
    width: float = 14


@dataclass(frozen=True)
class RegisterSheet:
    """A register kept in the report workbook: one row per application or case, counted into ``table``."""

    key: str                 # "applications" | "cases"
    sheet: str               # its sheet name (part of the contract)
    table: str               # the key of the table it counts into
    columns: tuple[RegisterColumn, ...]

    def column(self, key: str) -> RegisterColumn:
        return next(c for c in self.columns if c.key == key)

    def index(self, key: str) -> int:
        """0-based position of a column."""
        return next(i for i, c in enumerate(self.columns) if c.key == key)


# ---------------------------------------------------------------- sections
@dataclass(frozen=True)
class Section:
    key: str                 # data key under "sections", or the table key
    heading: str             # 一、总体情况 ('' for the preamble)
    table: str | None = None  # the table printed in this section
    subheadings: tuple[str, ...] = ()  # customary sub-headings
    fee_text: bool = False   # where the 信息处理费 are reported (P-2; the standard fee sentence stands in)


# ---------------------------------------------------------------- rules
@dataclass(frozen=True)
class RuleInfo:
    """A catalogued rule.  ``cases`` names the rule's special cases that have a severity of their own
    (case id → severity), e.g. V-1's numeric text that is still usable as a number."""

    id: str
    severity: str  # error | warning
    title: str     # short Chinese name
    needs_previous: bool = False
    cases: tuple[tuple[str, str], ...] = ()
    stage: str = "check"  # "check": emitted by a rules module; "import": by an importer reading a document
    needs_register: bool = False  # only a workbook in register mode (with its 台账) can break it

    def severity_of(self, case: str | None = None) -> str:
        if case is None:
            return self.severity
        return dict(self.cases)[case]


@dataclass(frozen=True)
class SumCheck:
    """One instance of a sum rule: sum(left) must equal sum(right).

    ``message`` is a template with ``{left}`` and ``{right}``; the Python engine
    fills in numbers and the workbook compiles it into an Excel formula.
    ``target`` is the cell the rule names (the stated total).
    """

    rule: str
    scope: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    message: str
    target: str

    @property
    def keys(self) -> tuple[str, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class CrossLink:
    """One cross-year link: this year's ``target`` = sum(last year's ``previous``) + sum(this year's
    ``plus``) − sum(this year's ``minus``).

    The same declaration gives the cross-year rule (``rule``, message filled with numbers), next year's
    carry-over (a link without this year's terms is carried: ``target`` := the previous values) and the
    workbook's baseline cells (a link with this year's terms keeps last year's values for reference).
    A link applies when last year's report has every ``previous`` cell, whatever its format.
    ``message`` is a template with ``{year}`` (last year), ``{prev}`` (a list: last year's values), ``{plus}``,
    ``{minus}``, ``{expected}`` and ``{actual}``; ``what`` names what could not be carried.
    """

    rule: str
    target: str
    previous: tuple[str, ...]
    message: str
    plus: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    what: str = ""

    @property
    def carried(self) -> bool:
        return not self.plus and not self.minus

    def applies_to(self, previous_format: "ReportFormat") -> bool:
        return all(previous_format.has(k) for k in self.previous)


@dataclass(frozen=True)
class Claim:
    """A phrasing of the narrative that states a number the tables also hold (rule N-1).

    ``pattern`` is a regular expression whose group 1 is the number; ``keys`` the cells whose sum it should
    equal; ``alternatives`` other sums of cells that are also an acceptable reading (explained, not silent).
    """

    name: str
    pattern: str
    keys: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()
    alternative_names: tuple[str, ...] = ()
    needs_word: str = ""            # the sentence must also contain this word
    off_topic: tuple[str, ...] = ()  # words in the phrase that show it is about something else
    # Per alternative: words in the sentence that show the alternative reading is meant (then it is silent;
    # without them a number matching only the alternative is a warning explaining both readings).
    alternative_words: tuple[tuple[str, ...], ...] = ()
    # A claim about one part of a total (「部分公开…B件」) outranks one about the total (「…答复B件」) for the
    # same number: a list of breakdowns is not a total.
    rank: int = 1
    # Words anywhere in the sentence that show it counts something else (「备案」: cases filed for the record).
    sentence_off_topic: tuple[str, ...] = ()
    # The words that name the row (for telling a sum of several rows 「予以公开和部分公开共12件」 from one row).
    words: tuple[str, ...] = ()


# ---------------------------------------------------------------- sentences bound to the tables
@dataclass(frozen=True)
class Words:
    """Literal wording of a bound sentence (the clerk may reword it in the workbook)."""

    text: str


@dataclass(frozen=True)
class Amount:
    """A number of a bound sentence: the sum of cells (table data keys, or fields such as
    ``fees.notices``), printed with at most ``places`` decimals (rounded half away from zero)."""

    keys: tuple[str, ...]
    places: int = 0


@dataclass(frozen=True)
class Positive:
    """Test: the sum of the cells is above 0 (blanks and unusable values count as 0)."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Filled:
    """Test: the cell holds a number (a field that may be left blank, such as a fee)."""

    key: str


@dataclass(frozen=True)
class Choice:
    """``then`` when ``test`` holds, else ``otherwise`` (a part left out is an empty ``Words``)."""

    test: "Positive | Filled"
    then: tuple
    otherwise: tuple


@dataclass(frozen=True)
class BoundSentence:
    """A drafted paragraph whose numbers are the tables' own (the workbook writes it as a formula over the
    cells, the Python renderer prints the same text; rule N-1 leaves it alone).

    ``body`` is a sequence of ``Words``, ``Amount`` and ``Choice``; ``section`` and ``heading`` say where
    a new workbook drafts it.  The N-1 claims read its numbers the way they are meant (tests prove it).
    """

    key: str
    name: str                 # Chinese name, e.g. 「依申请公开情况」
    section: str
    heading: str | None
    body: tuple


SENTENCE_FEES = "fees"  # the key of the standard 信息处理费 sentence (printed in the fee section when it is empty)


# Cell roles: which cells the plausibility rules read (tags on the definition, keys in ``ReportFormat.roles``).
ROLE_FEE_AMOUNT = "fee_amount"          # 行政事业性收费 in 万元 (V-3)
ROLE_RULE_MAKING = "rule_making"        # the agency's own 规章 made / repealed this year (P-1)
ROLE_FEE_NOTICES = "fee_notices"        # applications closed because a fee notice went unpaid (P-2)


@dataclass(frozen=True)
class ReportFormat:
    id: str
    notice: str
    first_year: int
    last_year: int | None
    active: ActiveTable
    requests: RequestsTable
    appeals: AppealsTable
    sections: tuple[Section, ...]
    title_suffix: str = "年度政府信息公开工作年度报告"
    links: tuple[CrossLink, ...] = ()
    roles: dict = field(default_factory=dict)  # role → data keys
    claims: tuple[Claim, ...] = ()
    sentences: tuple[BoundSentence, ...] = ()  # drafted paragraphs bound to the tables
    registers: tuple[RegisterSheet, ...] = ()  # the application and case registers (台账) of the workbook
    # Free-text words other registers use for a drop-down value: (register key, column key) → value key → words.
    register_aliases: dict = field(default_factory=dict)
    word_template: str = ""       # the default Word report template (in the package's templates folder)
    workbook_template: str = ""   # the ready blank workbook (templates folder)
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def __hash__(self) -> int:
        return hash(self.id)

    def role(self, name: str) -> tuple[str, ...]:
        """The data keys tagged with a cell role (empty where the format has none)."""
        return tuple(self.roles.get(name, ()))

    def table_of_sheet(self, sheet: str):
        return next((t for t in self.tables() if t.sheet == sheet), None)

    @property
    def years_text(self) -> str:
        return f"{self.first_year}年度" + (f"至{self.last_year}年度" if self.last_year else "及以后")

    def tables(self):
        return (self.active, self.requests, self.appeals)

    def register(self, key: str) -> RegisterSheet:
        return next(r for r in self.registers if r.key == key)

    def table(self, key: str):
        return next(t for t in self.tables() if t.key == key)

    def fields(self) -> list[Field]:
        if "fields" not in self._index:
            self._index["fields"] = [f for t in self.tables() for f in t.fields()]
        return self._index["fields"]

    def field(self, key: str) -> Field:
        if "by_key" not in self._index:
            self._index["by_key"] = {f.key: f for f in self.fields()}
        return self._index["by_key"][key]

    def has(self, key: str) -> bool:
        self.field(self.fields()[0].key)  # builds the index
        return key in self._index["by_key"]

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def sentence(self, key: str) -> BoundSentence | None:
        return next((s for s in self.sentences if s.key == key), None)

    def sum_checks(self) -> list[SumCheck]:
        """Every instance of the sum rules T3-1, T3-2, T3-3 and T4-1."""
        if "sums" in self._index:
            return self._index["sums"]
        t3, t4 = self.requests, self.appeals
        k = lambda row, col: f"{t3.key}.{row}.{col}"  # noqa: E731
        out = []
        for c in t3.columns:
            name = c.labels[-1]
            out.append(SumCheck(
                "T3-1", f"{name}列",
                (k("new", c.key), k("carried_over", c.key)),
                (k(t3.results_total, c.key), k("carry_forward", c.key)),
                f"{name}列：一、本年新收与二、上年结转之和为{{left}}，"
                f"三、（七）总计与四、结转下年度之和为{{right}}，两者应相等",
                k(t3.results_total, c.key)))
        for r in t3.rows:
            name = t3.row_label(r.key)
            out.append(SumCheck(
                "T3-2", f"{name}行",
                tuple(k(r.key, c) for c in t3.part_columns),
                (k(r.key, t3.total_column),),
                f"「{name}」行：自然人及各类法人或其他组织之和为{{left}}，总计填报为{{right}}",
                k(r.key, t3.total_column)))
        for c in t3.columns:
            name = c.labels[-1]
            out.append(SumCheck(
                "T3-3", f"{name}列",
                tuple(k(r, c.key) for r in t3.result_leaves),
                (k(t3.results_total, c.key),),
                f"{name}列：办理结果各项之和为{{left}}，（七）总计填报为{{right}}",
                k(t3.results_total, c.key)))
        for g, _ in t4.groups:
            name = t4.group_label(g)
            out.append(SumCheck(
                "T4-1", name,
                tuple(f"{t4.key}.{g}.{m}" for m in t4.part_members),
                (f"{t4.key}.{g}.{t4.total_member}",),
                f"{name}：结果维持、结果纠正、其他结果、尚未审结之和为{{left}}，总计填报为{{right}}",
                f"{t4.key}.{g}.{t4.total_member}"))
        self._index["sums"] = out
        return out
