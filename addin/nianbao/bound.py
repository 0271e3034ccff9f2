"""Paragraphs whose numbers are bound to the tables: the Python face of the format's ``sentences``.

A bound sentence (``formats.base.BoundSentence``) is defined once in the format definition.  The workbook
writes it as a native formula over the cells (``workbook.bound``); this module prints the same text from
report data, with no recalculation, and drafts the paragraphs of a new report.

A paragraph read from a bound formula is a ``BoundParagraph``: a ``str`` (the current text) that also
knows its sentence and the wording the clerk gave its literal parts, so that next year's workbook keeps that
wording and rule N-1 knows its numbers are the tables' own.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator

from .formats.base import Amount, BoundSentence, Choice, Filled, Positive, ReportFormat, Words
from .model import Report, as_number


class BoundParagraph(str):
    """A paragraph printed from a bound sentence: its text, the sentence's key and the literal wording
    (``None``: the definition's own)."""

    sentence: str
    literals: tuple[str, ...] | None

    def __new__(cls, text: str, sentence: str, literals: tuple[str, ...] | None = None):
        obj = super().__new__(cls, text)
        obj.sentence = sentence
        obj.literals = tuple(literals) if literals is not None else None
        return obj

    def __reduce__(self):
        return (BoundParagraph, (str(self), self.sentence, self.literals))


def is_bound(paragraph) -> bool:
    return isinstance(paragraph, BoundParagraph)


# ---------------------------------------------------------------- numbers as printed
def number_text(value, places: int = 0) -> str:
    """A number as a bound sentence prints it, as Excel's 「&」 does: no thousands separator, no trailing
    zeros; with ``places`` it is first rounded to that many decimals, half away from zero (Excel's ROUND)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = int(value)
    d = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    if places:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


# ---------------------------------------------------------------- values of a report
class ReportValues:
    """The values a bound sentence reads from a report: table cells by data key (blank and invalid values,
    such as 2.5 applications, count as 0, as the workbook's 「计算」 sheet counts them) and fields such as
    ``fees.notices``."""

    def __init__(self, report: Report):
        self.report = report
        self.fmt = report.fmt

    def _field(self, key: str):
        group, _, name = key.partition(".")
        return (getattr(self.report, group, None) or {}).get(name)

    def number(self, key: str):
        if self.fmt.has(key):
            v, status = as_number(self.report.get(key), self.fmt.field(key).kind)
            return v if status in ("ok", "text-number") else 0
        v = self._field(key)
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else 0

    def filled(self, key: str) -> bool:
        if self.fmt.has(key):
            return as_number(self.report.get(key), self.fmt.field(key).kind)[0] is not None
        v = self._field(key)
        return isinstance(v, (int, float)) and not isinstance(v, bool)


# ---------------------------------------------------------------- the sentence's literal wording
def literal_count(nodes) -> int:
    """How many literal parts (``Words``) the nodes hold, in the order the formula shows them."""
    n = 0
    for node in nodes:
        if isinstance(node, Words):
            n += 1
        elif isinstance(node, Choice):
            n += literal_count(node.then) + literal_count(node.otherwise)
    return n


def default_literals(sentence: BoundSentence) -> tuple[str, ...]:
    out: list[str] = []

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, Words):
                out.append(node.text)
            elif isinstance(node, Choice):
                walk(node.then)
                walk(node.otherwise)
    walk(sentence.body)
    return tuple(out)


def holds(test, values) -> bool:
    if isinstance(test, Positive):
        return sum(values.number(k) for k in test.keys) > 0
    if isinstance(test, Filled):
        return values.filled(test.key)
    raise TypeError(test)


def render(sentence: BoundSentence, values, literals: tuple[str, ...] | None = None) -> str:
    """The sentence's text for ``values`` (a ``ReportValues``), with the clerk's ``literals`` if given
    (one per literal part, in formula order; see ``default_literals``)."""
    lits = list(literals if literals is not None else default_literals(sentence))
    if len(lits) != literal_count(sentence.body):
        raise ValueError(f"sentence {sentence.key}: {len(lits)} literals for {literal_count(sentence.body)} parts")
    it: Iterator[str] = iter(lits)

    def skip(nodes) -> None:
        for _ in range(literal_count(nodes)):
            next(it)

    def walk(nodes) -> str:
        out = []
        for node in nodes:
            if isinstance(node, Words):
                out.append(next(it))
            elif isinstance(node, Amount):
                out.append(number_text(sum(values.number(k) for k in node.keys), node.places))
            elif isinstance(node, Choice):
                if holds(node.test, values):
                    out.append(walk(node.then))
                    skip(node.otherwise)
                else:
                    skip(node.then)
                    out.append(walk(node.otherwise))
            else:
                raise TypeError(node)
        return "".join(out)
    return walk(sentence.body)


def paragraph(report: Report, sentence: BoundSentence, literals: tuple[str, ...] | None = None) -> BoundParagraph:
    """The bound paragraph of ``sentence`` for ``report``."""
    return BoundParagraph(render(sentence, ReportValues(report), literals), sentence.key, literals)


def wording(sections: dict | None) -> dict[str, tuple[str, ...]]:
    """Sentence key → the clerk's literal wording, for every bound paragraph of ``sections`` whose wording
    was changed (next year's workbook keeps it)."""
    out: dict[str, tuple[str, ...]] = {}
    for items in (sections or {}).values():
        for item in items or []:
            for p in ([item] if isinstance(item, str) else item.get("paragraphs") or []):
                if is_bound(p) and p.literals is not None:
                    out.setdefault(p.sentence, p.literals)
    return out


def draft(report: Report, keep: dict[str, tuple[str, ...]] | None = None) -> None:
    """Add the format's bound paragraphs to a new report's sections, each where the format drafts it
    (under its customary sub-heading, which is added when missing); ``keep`` gives wording to use
    instead of the definition's (``wording`` of last year's report)."""
    keep = keep or {}
    fmt: ReportFormat = report.fmt
    for sentence in fmt.sentences:
        lits = keep.get(sentence.key)
        if lits is not None and len(lits) != literal_count(sentence.body):
            lits = None
        p = paragraph(report, sentence, lits)
        items = report.sections.setdefault(sentence.section, [])
        if sentence.heading is None:
            items.append(p)
            continue
        home = next((i for i in items if isinstance(i, dict) and (i.get("heading") or "").strip() == sentence.heading),
                    None)
        if home is None:
            home = {"heading": sentence.heading, "paragraphs": []}
            items.append(home)
        home.setdefault("paragraphs", []).append(p)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def drafted(report: Report):
    """A test ``is_drafted(text)``: True for a bound paragraph, and for plain text that is exactly a bound
    sentence in the definition's wording for the report's own values (a drafted paragraph read back from a
    Word report or a web page)."""
    values = ReportValues(report)
    texts = {_squeezed(render(s, values)) for s in report.fmt.sentences} - {""}

    def is_drafted(text) -> bool:
        return is_bound(text) or (isinstance(text, str) and _squeezed(text) in texts)
    return is_drafted


def unbound_text(report: Report) -> str:
    """The narrative as ``Report.narrative_text`` gives it, without the drafted paragraphs (``drafted``):
    what the agency wrote itself, for N-1, N-2 and the review's comparison of units."""
    is_drafted = drafted(report)
    parts = []
    for key, heading, text in _narrative_items(report):
        if heading is not None:
            parts.append(heading)
        elif text is not None and not is_drafted(text):
            parts.append(text)
    return "\n".join(parts)


def _narrative_items(report: Report):
    from .model import SECTION_KEYS
    for key in SECTION_KEYS:
        for item in report.sections.get(key, []) or []:
            if isinstance(item, str):
                yield key, None, item
            else:
                if item.get("heading"):
                    yield key, item["heading"], None
                for p in item.get("paragraphs", []):
                    yield key, None, p
