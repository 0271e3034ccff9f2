"""Matching agency names across files and years: one normal form for the ways a name is written.

「某某县人民政府办公室」, 「某某县政府办」, 「某某县人民政府办公室（某某县政务公开办）」 and
「 某某县 人民政府办公室 」 all become 「某某县政府办」.  Only the forms below are folded; a name that differs
otherwise is another unit.
"""
from __future__ import annotations

import re
import unicodedata

# Bracketed additions (a second name, a note): dropped.
_BRACKETS = re.compile(r"[（(【\[〔［][^）)】\]〕］]*[）)】\]〕］]")
_SPACES = re.compile(r"\s+")
# Full names and their customary short forms, longest first (applied in this order).
SHORT_FORMS = (
    ("人民政府办公厅", "政府办"),
    ("人民政府办公室", "政府办"),
    ("政府办公厅", "政府办"),
    ("政府办公室", "政府办"),
    ("人民政府", "政府"),
    ("街道办事处", "街道"),
    ("办事处", "街道"),
)
# Words a title or file name puts around the name.
_NOISE = ("政府信息公开工作年度报告", "政务公开工作年度报告", "年度报告", "信息公开年报", "年报")


def normalize(name: str) -> str:
    """The normal form of an agency name (empty for an empty name)."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _BRACKETS.sub("", text)
    text = _SPACES.sub("", text)
    for word in _NOISE:
        text = text.replace(word, "")
    text = re.sub(r"^\d{4}年度?", "", text)
    for full, short in SHORT_FORMS:
        text = text.replace(full, short)
    return text.strip("-_·.，,。")


def same_unit(a: str, b: str) -> bool:
    return bool(normalize(a)) and normalize(a) == normalize(b)
