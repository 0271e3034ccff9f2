"""Text helpers shared by the readers and the matcher: label normalisation and fuzzy label comparison."""
from __future__ import annotations

import difflib
import re
import unicodedata

# Characters that only decorate a label: spaces of every kind, quotes, and the dots of leaders.
_DROP = re.compile(r"[\s\u00a0\u3000\u200b\ufeff“”\"'‘’「」『』·•…]+")
# An item number's separator: 「1、」 and 「1.」 are printed for the same item.
_ITEM_NUMBER = re.compile(r"^(\d{1,2})、")


def clean(text: str) -> str:
    """Text of a cell or paragraph as a reader hands it on: NBSP and ideographic spaces kept as plain
    spaces, runs of spaces collapsed, ends stripped; line breaks inside the text kept."""
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in re.split(r"\r\n|\r|\n", text)]
    return "\n".join(line for line in lines if line)


def flat(text: str) -> str:
    """A paragraph's text on one line (line breaks inside it joined without a space between CJK)."""
    return "".join(clean(text).split("\n")).strip()


def norm(text: str) -> str:
    """A label reduced for comparison: full-width to half-width (NFKC), no spaces, no quotes, lower case."""
    text = _DROP.sub("", unicodedata.normalize("NFKC", text or "")).lower()
    return _ITEM_NUMBER.sub(r"\1.", text)  # 「3、其他」 is 「3.其他」


def similarity(printed: str, defined: str) -> float:
    """How well a printed label matches a label of the definition (both already ``norm``-ed), 0…1.

    Exact 1.0; the printed label a leading part of the defined one (a shortened label such as
    「（二）部分公开」) or the defined one with words added at the front (「规范性文件」/「行政规范性文件」)
    0.9; else the character similarity when it is high enough to be a typo, else 0.
    """
    if not printed or not defined:
        return 0.0
    if printed == defined:
        return 1.0
    short, long_ = sorted((printed, defined), key=len)
    if len(short) >= 4 and (long_.startswith(short) or long_.endswith(short)):
        return 0.9
    ratio = difflib.SequenceMatcher(None, printed, defined, autojunk=False).ratio()
    return ratio * 0.9 if ratio >= 0.8 else 0.0
