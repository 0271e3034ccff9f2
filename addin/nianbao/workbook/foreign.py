"""Reading a register kept elsewhere (a clerk's own 台账 workbook) into the rows of the format's registers.

Any sheet whose header row names the columns (the register's titles or their usual variants, e.g.
「受理日期」「答复结果」) is read; its free-text types and results are mapped to the format's drop-down values
(the labels themselves, their numbered leaf, the format's aliases, and a longer alias contained in the
text when only one value has it).  A value that maps to none, or to several, is never guessed: the row is
kept with the text as typed (rule L-3 will name it in the workbook) and reported by its row number.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import register as reg
from ..errors import InputError
from ..files import read_limited
from ..formats.base import ReportFormat, RegisterSheet
from ..importers.text import norm
from .cells import MAX_WORKBOOK_BYTES
from .opening import load_book

HEADER_ROWS = 20     # rows searched for the header
MAX_COLS = 60        # columns read
MIN_CONTAINED = {"result": 4}  # shortest alias found inside a longer text, by column (else 2)
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.、])")
_NOTE = re.compile(r"[（(][^）)]*[)）]$")


@dataclass(frozen=True)
class Problem:
    """A row that could not be mapped as it is: where, which column, the text, why."""

    sheet: str
    row: int
    column: str
    text: str
    reason: str


@dataclass
class Imported:
    """What a foreign register gave: rows per register key (cells in the format's column order), the
    sheets read (name → register key, header row), and every row that could not be mapped."""

    rows: dict = field(default_factory=dict)
    sheets: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def _title(text: Any) -> str:
    t = norm(str(text)) if text is not None else ""
    return _NOTE.sub("", t)


def match_header(header: list[Any], sheet: RegisterSheet) -> dict[str, int]:
    """Column key → 0-based position, for the header cells naming a column of ``sheet``."""
    found: dict[str, int] = {}
    names = {c.key: {_title(c.title), *(_title(a) for a in c.aliases)} for c in sheet.columns}
    for i, cell in enumerate(header):
        t = _title(cell)
        if not t:
            continue
        for key, words in names.items():
            if key not in found and t in words:
                found[key] = i
                break
    return found


def _required(sheet: RegisterSheet) -> tuple[str, ...]:
    return tuple(c.key for c in sheet.columns if c.kind in ("date", "choice"))


class Mapper:
    """Free text → a drop-down value of one register column."""

    def __init__(self, fmt: ReportFormat, sheet: RegisterSheet, column: str):
        self.labels = dict(reg.choices(fmt, sheet.key, column))
        self.min_len = MIN_CONTAINED.get(column, 2)
        words: dict[str, set[str]] = {}
        for key, label in self.labels.items():
            forms = {label, *label.split(" / ")}
            forms |= {_NUMBERING.sub("", f) for f in forms}
            forms |= set(fmt.register_aliases.get((sheet.key, column), {}).get(key, ()))
            for f in forms:
                n = norm(f)
                if n:
                    words.setdefault(n, set()).add(key)
        # A form that is a whole group (「（三）不予公开」) names several rows: it maps to none.
        self.words = words

    def __call__(self, text: Any) -> tuple[str | None, str]:
        """(label, reason): the drop-down label, or None and why not."""
        n = norm(str(text))
        if n in self.words:
            keys = self.words[n]
            if len(keys) == 1:
                return self.labels[next(iter(keys))], ""
            return None, "对应多个选项"
        # Words of one value only (a group's word such as 「不予公开」 names none of its rows by itself).
        contained = [(len(w), next(iter(ks))) for w, ks in self.words.items()
                     if len(ks) == 1 and len(w) >= self.min_len and w in n]
        if not contained:
            return None, "无法对应到下拉列表中的任何一项"
        longest = max(length for length, _ in contained)
        keys = {k for length, k in contained if length == longest}
        if len(keys) > 1:
            return None, "对应多个选项"
        return self.labels[keys.pop()], ""


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DATE_DIGITS = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_date(v: Any) -> _dt.date | None:
    """A date from a cell: a date, an Excel serial number, or text such as 2024-03-05, 2024/3/5,
    2024.3.5, 2024年3月5日, 20240305."""
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 20000 <= v <= 120000:
            return reg.to_date(v)
        m = _DATE_DIGITS.match(str(int(v))) if float(v).is_integer() else None
    elif isinstance(v, str):
        m = _DATE_TEXT.match(v) or _DATE_DIGITS.match(v)
    else:
        return None
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_foreign(path: str | Path, fmt: ReportFormat) -> Imported:
    """Every register sheet found in a foreign workbook; InputError when there is none."""
    path = str(path)
    raw = read_limited(path, MAX_WORKBOOK_BYTES)
    book = load_book(raw, path, data_only=True)
    out = Imported({s.key: [] for s in fmt.registers})
    partial: list[str] = []
    for name in book.sheetnames:
        ws = book[name]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        lines = ws.iter_rows(min_row=1, max_row=HEADER_ROWS + reg.MAX_ROWS, max_col=MAX_COLS, values_only=True)
        head: list[tuple] = []
        best = None
        try:
            for line in lines:
                head.append(line)
                for sheet in fmt.registers:
                    m = match_header(list(line), sheet)
                    score = sum(1 for k in _required(sheet) if k in m)
                    if score >= 2 and (best is None or score > best[2]):
                        best = (len(head), sheet, score, m)
                if best is not None or len(head) >= HEADER_ROWS:
                    break
            if best is None:
                continue
            top, sheet, _, columns = best
            missing = [sheet.column(k).title for k in _required(sheet) if k not in columns]
            if missing:
                partial.append(f"「{name}」第{top}行的表头像{sheet.sheet}，但缺少：{'、'.join(missing)}")
                continue
            out.sheets[name] = (sheet.key, top)
            _read_rows(fmt, name, sheet, columns, top, lines, out)
        except InputError:
            raise
        except Exception as e:  # a damaged sheet part; never a traceback
            raise InputError(f"工作表「{name}」已损坏，无法读取（{type(e).__name__}）", path=path) from None
    if not out.sheets:
        titles = "；".join(f"{s.sheet}：{'、'.join(s.column(k).title for k in _required(s))}" for s in fmt.registers)
        detail = ("。" + "；".join(partial)) if partial else ""
        raise InputError(f"没有找到台账：没有一张工作表在前 {HEADER_ROWS} 行有这样的表头（{titles}，"
                         f"或常见的其他写法如「受理日期」「答复结果」「答复日期」）{detail}", path=path)
    return out


def _read_rows(fmt, name, sheet, columns, top, lines, out: Imported) -> None:
    mappers = {c.key: Mapper(fmt, sheet, c.key) for c in sheet.columns if c.kind == "choice" and c.key in columns}
    rows = out.rows[sheet.key]
    for n, line in enumerate(lines, top + 1):
        cells = [line[columns[c.key]] if c.key in columns and columns[c.key] < len(line) else None
                 for c in sheet.columns]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        if len(rows) >= reg.MAX_ROWS:
            raise InputError(f"台账超过 {reg.MAX_ROWS} 行的上限（工作表「{name}」第 {n} 行），无法导入", where=f"{name}!A{n}")
        for i, c in enumerate(sheet.columns):
            v = cells[i]
            if isinstance(v, str):
                v = v.strip() or None
                cells[i] = v
            if v is None:
                continue
            if c.kind == "date":
                d = parse_date(v)
                if d is None:
                    out.problems.append(Problem(name, n, c.title, str(v), "不是可识别的日期"))
                else:
                    cells[i] = d
            elif c.kind == "choice":
                label, why = mappers[c.key](v)
                if label is None:
                    out.problems.append(Problem(name, n, c.title, str(v), why))
                else:
                    cells[i] = label
            elif c.kind == "id":
                cells[i] = str(v) if not isinstance(v, float) or not v.is_integer() else str(int(v))
        rows.append(tuple(cells))
