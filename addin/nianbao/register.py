"""The registers (台账) of applications and cases, and how they count into tables 三 and 四.

The counting is written down once, here, as *terms*: each value cell of table 三 or 四 that a register
fills is a sum of terms, each term a conjunction of conditions on one register row (a drop-down value
equals a label; a date is before or on/after the report year's first day or the next year's first day; a
date is blank).  The workbook compiles the same terms into native ``COUNTIFS`` formulas
(``workbook.register``); :func:`counts` evaluates them on the rows in Python, so a register is counted
without recalculating anything.  The terms follow COUNTIFS exactly: a label matches only the same text, a
date condition only a number or a date (text that looks like a date is not counted, rule L-2 names it).

Counting (in the format's words), for report year Y:
- 一、本年新收: received in Y;
- 二、上年结转: received before Y and not closed before Y began;
- 三、办理结果: received by the end of Y and closed in Y, by result;
- 四、结转下年度继续办理: received by the end of Y and not closed by the end of Y;
- 表四: received by the end of Y and closed in Y, by category and result; 尚未审结: not closed by the end of Y.

A row keeps every cell as read, the applicant's name included: it is copied from register to register
(next year's workbook, an imported register) and never leaves the workbook — report data, the Word report
and every JSON hold only the counts.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

from .formats.base import ReportFormat, RegisterSheet

# Data rows of a register sheet (rows 2 … MAX_ROWS + 1); the formulas' ranges end there.  A row as written takes
# about 630 bytes of sheet XML: 24000 rows stay under the limit of one XML part (``zipparts``).
MAX_ROWS = 24000
MAX_COLS = 40        # columns of a register sheet read (its own, and some a clerk may add)
HEADER_ROW = 1
FIRST_ROW = 2
EXCEL_EPOCH = _dt.datetime(1899, 12, 30)

# Where a date stands relative to the report year: before it, in it, after it.
BEFORE, IN, AFTER = 0, 1, 2
START, NEXT = "start", "next"  # bounds: the year's first day, the next year's first day
_BOUND = {START: IN, NEXT: AFTER}


def col_letter(n: int) -> str:
    """Excel column letters of a 1-based column number (1 → A, 27 → AA), without openpyxl."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def serial(v: Any) -> float | None:
    """The Excel serial number of a date cell (a date, a date and time, or a number), None otherwise."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, _dt.datetime):
        return (v - EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(v, _dt.date):
        return float((v - EXCEL_EPOCH.date()).days)
    if isinstance(v, (int, float)):
        return float(v)
    return None


def to_date(v: Any) -> _dt.date | None:
    s = serial(v)
    if s is None or not 1 <= s < 2958466:
        return None
    return (EXCEL_EPOCH + _dt.timedelta(days=s)).date()


def blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v == "")


def year_serials(year: int) -> dict[str, float]:
    return {START: serial(_dt.date(year, 1, 1)), NEXT: serial(_dt.date(year + 1, 1, 1))}


_INDEX: dict = {}


def _index(sheet: RegisterSheet, key: str) -> int:
    """``sheet.index(key)``, remembered (it is asked for every cell of every row)."""
    k = (id(sheet), key)
    if k not in _INDEX:
        _INDEX[k] = sheet.index(key)
    return _INDEX[k]


@dataclass(frozen=True)
class Row:
    """One register row: its Excel row number and its cells in the order of the sheet's columns."""

    number: int
    cells: tuple

    def get(self, sheet: RegisterSheet, key: str) -> Any:
        i = _index(sheet, key)
        return self.cells[i] if i < len(self.cells) else None

    def where(self, sheet: RegisterSheet, key: str) -> str:
        """``依申请台账!G12``: the cell of column ``key`` in this row."""
        return f"{sheet.sheet}!{col_letter(sheet.index(key) + 1)}{self.number}"


@dataclass(frozen=True)
class Register:
    """The rows of a workbook's registers, by register key (``applications``, ``cases``)."""

    rows: dict

    def of(self, key: str) -> tuple[Row, ...]:
        return tuple(self.rows.get(key, ()))

    def __len__(self) -> int:
        return sum(len(v) for v in self.rows.values())


# ---------------------------------------------------------------- drop-down values, from the format
def group_column(sheet: RegisterSheet) -> str:
    """The drop-down column that picks the table's column or group (申请人类型, 类别)."""
    return next(c.key for c in sheet.columns if c.kind == "choice" and c.key != "result")


def choices(fmt: ReportFormat, register_key: str, column_key: str) -> tuple[tuple[str, str], ...]:
    """(value key, label) of a drop-down column, derived from the table the register counts into."""
    t3, t4 = fmt.requests, fmt.appeals
    if register_key == "applications":
        if column_key == "result":
            return tuple((k, t3.result_option(k)) for k in t3.result_leaves)
        return tuple((k, t3.column_label(k)) for k in t3.part_columns)
    if column_key == "result":
        return tuple((k, t4.member_label(k)) for k in t4.part_members if k != t4.pending_member)
    return tuple((g, path[-1]) for g, path in t4.groups)


# ---------------------------------------------------------------- the terms
@dataclass(frozen=True)
class Cond:
    """One condition on a register column: ``eq`` a label, ``ge``/``lt`` a bound (START or NEXT), ``blank``."""

    column: str
    op: str
    arg: str = ""


Term = tuple[Cond, ...]


def cell_terms(fmt: ReportFormat, key: str) -> tuple[str, tuple[Term, ...]] | None:
    """(register key, terms) for a value cell a register fills, None for the other cells (totals stay
    sums of their parts; table 二 is typed)."""
    table, row, col = key.split(".")
    t3, t4 = fmt.requests, fmt.appeals
    if not fmt.registers:
        return None
    if table == t3.key and col in t3.part_columns:
        reg = fmt.register("applications")
        who = Cond(group_column(reg), "eq", t3.column_label(col))
        if row == t3.new_row:
            return reg.key, ((who, Cond("received", "ge", START), Cond("received", "lt", NEXT)),)
        if row == t3.carried_row:
            return reg.key, ((who, Cond("received", "lt", START), Cond("closed", "blank")),
                             (who, Cond("received", "lt", START), Cond("closed", "ge", START)))
        if row == t3.forward_row:
            return reg.key, _open(who)
        if row in t3.result_leaves:
            return reg.key, _closed(who, t3.result_option(row))
        return None
    if table == t4.key and col != t4.total_member:
        reg = fmt.register("cases")
        which = Cond(group_column(reg), "eq", dict(t4.groups)[row][-1])
        if col == t4.pending_member:
            return reg.key, _open(which)
        return reg.key, _closed(which, t4.member_label(col))
    return None


def _open(who: Cond) -> tuple[Term, ...]:
    return ((who, Cond("received", "lt", NEXT), Cond("closed", "blank")),
            (who, Cond("received", "lt", NEXT), Cond("closed", "ge", NEXT)))


def _closed(who: Cond, result: str) -> tuple[Term, ...]:
    return ((who, Cond("result", "eq", result), Cond("received", "lt", NEXT), Cond("closed", "ge", START),
             Cond("closed", "lt", NEXT)),)


def counted_keys(fmt: ReportFormat) -> tuple[str, ...]:
    """Every data key a register fills."""
    return tuple(f.key for t in (fmt.requests, fmt.appeals) for f in t.fields() if cell_terms(fmt, f.key))


# ---------------------------------------------------------------- counting in Python
def _place(s: float | None, bounds: dict[str, float]) -> int | None:
    if s is None:
        return None
    return BEFORE if s < bounds[START] else IN if s < bounds[NEXT] else AFTER


def _profiles(sheet: RegisterSheet, rows: Iterable[Row], bounds: dict[str, float]) -> Counter:
    """What the conditions can see of each row — the drop-down texts and where its dates stand — counted."""
    ig, ir, irec, ic = (_index(sheet, k) for k in (group_column(sheet), "result", "received", "closed"))
    width = max(ig, ir, irec, ic) + 1
    out: Counter = Counter()
    for row in rows:
        cells = row.cells if len(row.cells) >= width else tuple(row.cells) + (None,) * width
        group, result, received, closed = cells[ig], cells[ir], cells[irec], cells[ic]
        out[(group if isinstance(group, str) else None, result if isinstance(result, str) else None,
             _place(serial(received), bounds),
             "blank" if closed is None or closed == "" else _place(serial(closed), bounds))] += 1
    return out


def _holds(cond: Cond, profile: tuple, group_key: str) -> bool:
    group, result, received, closed = profile
    if cond.op == "eq":
        return (group if cond.column == group_key else result) == cond.arg
    place = received if cond.column == "received" else closed
    if cond.op == "blank":
        return place == "blank"
    if place is None or place == "blank":
        return False
    return place >= _BOUND[cond.arg] if cond.op == "ge" else place < _BOUND[cond.arg]


def counts(fmt: ReportFormat, year: int, register: Register) -> dict[str, int]:
    """Data key → the count the register gives it, for every cell a register fills (what the workbook's
    COUNTIFS formulas compute, without recalculating)."""
    bounds = year_serials(year)
    by_group: dict[str, dict] = {}  # register → drop-down text of the group column → Counter of profiles
    for sheet in fmt.registers:
        groups: dict = {}
        for p, n in _profiles(sheet, register.of(sheet.key), bounds).items():
            groups.setdefault(p[0], []).append((p, n))
        by_group[sheet.key] = groups
    out: dict[str, int] = {}
    for key in counted_keys(fmt):
        reg_key, terms = cell_terms(fmt, key)
        g = group_column(fmt.register(reg_key))
        total = 0
        for term in terms:
            which = next(c.arg for c in term if c.op == "eq" and c.column == g)  # every term names its group
            total += sum(n for p, n in by_group[reg_key].get(which, ()) if all(_holds(c, p, g) for c in term))
        out[key] = total
    return out


# ---------------------------------------------------------------- next year
def open_rows(fmt: ReportFormat, year: int, register: Register | None) -> dict[str, list[Row]]:
    """The rows still open at the end of ``year`` (received by then, no close date by then), by register:
    next year's registers start with them, so next year's 上年结转 is this year's 结转下年度."""
    out: dict[str, list[Row]] = {s.key: [] for s in fmt.registers}
    if register is None:
        return out
    bounds = year_serials(year)
    for sheet in fmt.registers:
        for r in register.of(sheet.key):
            received = _place(serial(r.get(sheet, "received")), bounds)
            closed = r.get(sheet, "closed")
            if received in (BEFORE, IN) and (blank(closed) or _place(serial(closed), bounds) == AFTER):
                out[sheet.key].append(r)
    return out


def carry_rows(previous_fmt: ReportFormat, fmt: ReportFormat, rows: dict[str, Iterable[Row]]) -> dict[str, list[tuple]]:
    """Rows of last year's registers as cells of this year's (columns matched by key)."""
    out: dict[str, list[tuple]] = {}
    for sheet in fmt.registers:
        try:
            old = previous_fmt.register(sheet.key)
        except StopIteration:
            continue
        out[sheet.key] = [tuple(r.get(old, c.key) if any(oc.key == c.key for oc in old.columns) else None
                                for c in sheet.columns) for r in rows.get(sheet.key, ())]
    return out
