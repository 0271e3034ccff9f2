"""Text the report prints of its own: the standard 信息处理费 sentence, and which sections have no text.

Shared by the Word export (which prints them) and the rules (N-3 warns about a section that would print
「（待填写）」), so both see the same thing.
"""
from __future__ import annotations

from typing import Any

from .bound import ReportValues, number_text, render
from .formats.base import SENTENCE_FEES
from .model import Report

EMPTY_MARK = "（待填写）"  # what the built-in templates print under a heading with no text


def has_text(items) -> bool:
    """True when a section's items (paragraph strings or {"heading", "paragraphs"}) hold any text that
    would be printed: a non-blank paragraph or sub-heading."""
    for item in items or []:
        if isinstance(item, str):
            if item.strip():
                return True
        elif (item.get("heading") or "").strip() or any(p.strip() for p in item.get("paragraphs") or []):
            return True
    return False


def fee_text(value: Any) -> str:
    """A fee amount or count as printed: 300, 12.5 (at most two decimals, no trailing zeros), "" for blank."""
    return number_text(value, 2)


def fee_sentence(report: Report) -> str:
    """The standard sentence on 信息处理费 from the report's ``fees`` ("" when the notices are not filled in).

    「本年度共发出收费通知N件，总金额M元，实际收取X元。」, or 「本年度未收取信息处理费。」 where no notice
    was sent; its wording is the format's bound sentence ``SENTENCE_FEES`` (a new workbook drafts it as a
    formula in section 六), and the built-in templates print it when section 六 has no text of its own.
    """
    sentence = report.fmt.sentence(SENTENCE_FEES)
    return render(sentence, ReportValues(report)) if sentence is not None else ""


def empty_sections(report: Report) -> list[str]:
    """Keys of the sections under a heading that the built-in templates print as 「（待填写）」.

    A narrative section (一、五、六) without text of its own, except 六 when the fee sentence
    (``fee_sentence``) stands in for it.  The table sections always have their table.
    """
    out = []
    for section in report.fmt.sections:
        if not section.heading or section.table or has_text(report.sections.get(section.key)):
            continue
        if section.fee_text and fee_sentence(report):
            continue
        out.append(section.key)
    return out
