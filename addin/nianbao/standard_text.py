"""Text the report prints of its own: the standard 信息处理费 sentence, and which sections have no text.

Shared by the Word export (which prints them) and the rules (N-3 warns about a section that would print
「（待填写）」), so both see the same thing.
"""
from __future__ import annotations

from typing import Any

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
    """A fee amount or count as printed: 300, 12.5 (no trailing zeros), "" for blank."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def fee_sentence(report: Report) -> str:
    """The standard sentence on 信息处理费 from the report's ``fees`` ("" when the notices are not filled in).

    「本年度共发出收费通知N件，总金额M元，实际收取X元。」, or 「本年度未收取信息处理费。」 where no notice
    was sent; the built-in templates print it when section 六 has no text of its own.
    """
    notices, amount, collected = (report.fees.get(k) for k in ("notices", "notice_amount_yuan", "collected_yuan"))
    if notices is None:
        return ""
    if notices == 0 and not collected:
        return "本年度未收取信息处理费。"
    parts = [f"本年度共发出收费通知{fee_text(notices)}件"]
    if amount is not None:
        parts.append(f"总金额{fee_text(amount)}元")
    if collected is not None:
        parts.append(f"实际收取{fee_text(collected)}元")
    return "，".join(parts) + "。"


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
