"""Bound paragraphs in the 「正文」 sheet: the format's bound sentences compiled to native formulas, and
recognised again when a workbook is read.

A bound paragraph is a cell of column 「段落」 holding a formula that concatenates literal wording and the
numbers of the 「计算」 sheet (each cell's value as ``Report.number`` counts it) or of 「基本信息」 (the fee
fields).  Excel, WPS and LibreOffice show the current sentence as the tables change.

When the workbook is read, a formula whose structure is the compiled formula of one of the format's
sentences — the same functions, references and operators in the same order; only the text in quotes may
differ — is a bound paragraph: its text is printed by ``bound.render`` from the report's values with the
wording found in the quotes (so a workbook saved by openpyxl, with no calculated values, still reads the
current numbers).  Any other cell is the clerk's own: plain text as typed, another formula its stored result.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from .. import formats
from ..bound import BoundParagraph, default_literals, is_bound, literal_count, render, ReportValues
from ..formats.base import Amount, BoundSentence, Choice, Filled, Positive, ReportFormat, Words
from ..model import Report
from .cells import SHEET_CALC, SHEET_INFO, SHEET_TEXT, TEXT_TOP, INFO_FIELDS, INFO_TOP, col_letter
from .formulas import C_STATUS, C_VALUE, calc_rows

MAX_FORMULA_CHARS = 8192   # Excel's limit on a formula's length
MAX_LITERAL_CHARS = 255    # Excel's limit on one text constant inside a formula
TEXT_COLUMN = 3            # 「段落」
BOUND_HINT = "带批注的段落由公式生成，数字随表格自动更新，可修改其中引号内的文字。"
BOUND_NOTE = ("这一段由公式生成，数字随表格自动更新。可以修改引号内的文字（不要改动公式的其他部分）；"
              "如把整段改为普通文字，就成为自己写的文字，数字不再自动更新。")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _ref(fmt: ReportFormat, key: str, column: int = C_VALUE) -> str:
    """Where a bound sentence reads a value: a table cell's value in 「计算」, a field's cell of 「基本信息」."""
    if fmt.has(key):
        return f"'{SHEET_CALC}'!${col_letter(column)}${calc_rows(fmt.id)[key]}"
    row = INFO_TOP + [f for f, _ in INFO_FIELDS].index(key)
    return f"'{SHEET_INFO}'!$B${row}"


def _test(fmt: ReportFormat, test) -> str:
    if isinstance(test, Positive):
        return f"SUM({','.join(_ref(fmt, k) for k in test.keys)})>0"
    if isinstance(test, Filled):
        if fmt.has(test.key):
            status = _ref(fmt, test.key, C_STATUS)
            return f"AND({status}>=1,{status}<=2)"
        return f"ISNUMBER({_ref(fmt, test.key)})"
    raise TypeError(test)


def formula(fmt: ReportFormat, sentence: BoundSentence, literals: tuple[str, ...] | None = None) -> str:
    """The native formula of a bound sentence (literal parts from ``literals`` or the definition)."""
    lits = list(literals if literals is not None else default_literals(sentence))
    if len(lits) != literal_count(sentence.body):
        raise ValueError(f"sentence {sentence.key}: wrong number of literals")
    it = iter(lits)

    def expr(nodes) -> str:
        parts = []
        for node in nodes:
            if isinstance(node, Words):
                parts.append(_quote(next(it)))
            elif isinstance(node, Amount):
                total = f"SUM({','.join(_ref(fmt, k) for k in node.keys)})"
                parts.append(f"ROUND({total},{node.places})" if node.places else total)
            elif isinstance(node, Choice):
                test = _test(fmt, node.test)
                then = expr(node.then)
                parts.append(f"IF({test},{then},{expr(node.otherwise)})")
            else:
                raise TypeError(node)
        return "&".join(parts)
    return "=" + expr(sentence.body)


def fits(formula_text: str, literals: tuple[str, ...] | None) -> bool:
    """Within Excel's limits (formula length, text constants)."""
    return len(formula_text) <= MAX_FORMULA_CHARS and all(len(t) <= MAX_LITERAL_CHARS for t in literals or ())


# ---------------------------------------------------------------- recognising a bound formula
def _tokens(text: str):
    from openpyxl.formula import Tokenizer
    try:
        return [t for t in Tokenizer(text).items if t.type != "WHITE-SPACE"]
    except Exception:  # not a formula the tokenizer understands: not ours
        return None


def _norm(token) -> tuple:
    value = token.value
    if token.subtype == "RANGE":
        sheet, bang, cell = value.rpartition("!")
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        value = f"{sheet}{bang}{cell.replace('$', '').upper()}"
    elif token.subtype == "NUMBER":
        try:
            value = float(value)
        except ValueError:
            pass
    elif token.type == "FUNC":
        value = value.upper().removeprefix("_XLFN.")
    return token.type, token.subtype, value


@lru_cache(maxsize=None)
def _signature(format_id: str, key: str) -> tuple:
    fmt = formats.get(format_id)
    tokens = _tokens(formula(fmt, fmt.sentence(key)))
    return tuple(None if t.subtype == "TEXT" else _norm(t) for t in tokens)


def recognise(fmt: ReportFormat, text: Any) -> tuple[BoundSentence, tuple[str, ...]] | None:
    """(the sentence, the wording in its quotes) when ``text`` is the formula of one of the format's bound
    sentences, None otherwise."""
    if not isinstance(text, str) or not text.startswith("=") or len(text) > MAX_FORMULA_CHARS * 2:
        return None
    tokens = _tokens(text)
    if tokens is None:
        return None
    for sentence in fmt.sentences:
        sig = _signature(fmt.id, sentence.key)
        if len(sig) != len(tokens):
            continue
        literals = []
        for want, token in zip(sig, tokens):
            if want is None:
                if token.subtype != "TEXT":
                    break
                literals.append(token.value[1:-1].replace('""', '"'))
            elif token.subtype == "TEXT" or _norm(token) != want:
                break
        else:
            return sentence, tuple(literals)
    return None


# ---------------------------------------------------------------- the 「正文」 sheet
def blank_sections(fmt: ReportFormat) -> dict:
    """The narrative of a blank workbook (the ready templates): as ``nianbao new`` drafts it."""
    from ..carryover import start_sections
    from ..model import empty_report
    report = empty_report(fmt.id, fmt.first_year)
    start_sections(report)
    return report.sections


def put_paragraph(cell, fmt: ReportFormat, text: str) -> bool:
    """Write a bound paragraph's formula into ``cell``; False (nothing written) when it is not bound or
    its wording does not fit in a formula (then it is written as text)."""
    from openpyxl.comments import Comment
    if not is_bound(text) or fmt.sentence(text.sentence) is None:
        return False
    sentence = fmt.sentence(text.sentence)
    lits = text.literals if text.literals is not None and len(text.literals) == literal_count(sentence.body) else None
    f = formula(fmt, sentence, lits)
    if not fits(f, lits):
        return False
    cell.value = f
    cell.comment = Comment(BOUND_NOTE, "nianbao", width=320, height=90)
    return True


def keep_bound_formulas(grids, fmt: ReportFormat, stored: Callable[[], Any]) -> None:
    """In the 「正文」 grid, a formula that is not a bound sentence's takes its stored result (as Excel
    shows it), when there is one; a bound sentence's formula stays for ``render_paragraphs``."""
    grid = grids.get(SHEET_TEXT) or []
    for r in range(TEXT_TOP, len(grid) + 1):
        line = grid[r - 1] or []
        if len(line) < TEXT_COLUMN:
            continue
        v = line[TEXT_COLUMN - 1]
        if isinstance(v, str) and v.startswith("=") and recognise(fmt, v) is None:
            got = stored().get(SHEET_TEXT) or []
            value = got[r - 1][TEXT_COLUMN - 1] if r - 1 < len(got) and got[r - 1] is not None \
                and TEXT_COLUMN - 1 < len(got[r - 1]) else None
            if value is not None:
                line[TEXT_COLUMN - 1] = value


def keep_recognised(grids, formulas: list[list], fmt: ReportFormat) -> None:
    """Put the bound sentences' formulas of ``formulas`` (the 「正文」 sheet's formulas, row 0 = Excel row 1,
    as Excel gives them) in place of their calculated text in ``grids`` (the sheets' values)."""
    grid = grids.get(SHEET_TEXT)
    if grid is None:
        return
    for r in range(TEXT_TOP, min(len(grid), len(formulas)) + 1):
        line = formulas[r - 1]
        f = line[TEXT_COLUMN - 1] if len(line) >= TEXT_COLUMN else None
        if recognise(fmt, f) is not None and grid[r - 1] is not None and len(grid[r - 1]) >= TEXT_COLUMN:
            grid[r - 1] = list(grid[r - 1])
            grid[r - 1][TEXT_COLUMN - 1] = f


def render_paragraphs(report: Report) -> None:
    """Replace the bound formulas among the report's paragraphs (as read from 「正文」) by their text for
    the report's current values; a sentence that prints nothing (fees not filled in) leaves no paragraph."""
    fmt = report.fmt
    values = ReportValues(report)

    def one(p):
        found = recognise(fmt, p)
        if found is None:
            return p
        sentence, lits = found
        keep = None if lits == default_literals(sentence) else lits
        text = render(sentence, values, lits)
        return BoundParagraph(text, sentence.key, keep) if text.strip() else None

    for key, items in list(report.sections.items()):
        out = []
        for item in items:
            if isinstance(item, str):
                p = one(item)
                if p is not None:
                    out.append(p)
            else:
                item["paragraphs"] = [q for q in (one(p) for p in item.get("paragraphs") or []) if q is not None]
                out.append(item)
        report.sections[key] = out
    report.sections = {k: v for k, v in report.sections.items() if v}
