"""Narrative rules: N-1 (numbers in the text contradict the tables) and N-2 (text repeats last year's).

The phrasings N-1 looks for, and the cells each is compared with, are the format's ``claims``."""
from __future__ import annotations

import re
from functools import lru_cache

from ..findings import Finding
from ..formats.base import Claim
from .base import Check, Context, fmt_num, usable

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_SENTENCE = re.compile(r"[^。！？；;\n]+[。！？；;]?")


def cn_number(token: str) -> int | None:
    """'16' → 16, '十六' → 16, '二十' → 20, '一百零二' → 102; None if not a number."""
    if token.isdigit():  # (isdigit also holds for 「²」, which int() refuses; and no 4300-digit numbers)
        return int(token) if token.isdecimal() and len(token) <= 18 else None
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def find_claims(text: str, claims: tuple[Claim, ...]):
    """Yield (claim, number, the phrase) for every number the text states about the tables."""
    for sentence in _SENTENCE.findall(text):
        for claim in claims:
            if claim.needs_word and claim.needs_word not in sentence:
                continue
            for m in _compiled(claim.pattern).finditer(sentence):
                phrase = m.group(0)
                if any(w in phrase for w in claim.off_topic):
                    continue
                n = cn_number(m.group(1))
                if n is not None:
                    yield claim, n, phrase


def check_numbers(ctx: Context) -> list[Finding]:
    """N-1: a number in the narrative contradicts the tables."""
    report = ctx.report
    fmt = report.fmt
    out = []
    seen = set()
    for claim, n, phrase in find_claims(report.narrative_text(), fmt.claims):
        if not all(fmt.has(k) for k in claim.keys) or not usable(report, claim.keys):
            continue
        table_value = sum(report.number(k) for k in claim.keys)
        ok = [table_value] + [sum(report.number(k) for k in keys) for keys in claim.alternatives
                              if all(fmt.has(k) for k in keys)]
        if n in ok or (claim.name, n) in seen:
            continue
        seen.add((claim.name, n))
        out.append(ctx.finding("N-1", f"正文「{phrase.strip()}」称{claim.name}{n}件，与表格数据{fmt_num(table_value)}件不符",
                               list(claim.keys), expected=table_value, actual=n))
    return out


# ---------------------------------------------------------------- N-2
REPEAT_THRESHOLD = 0.5
_MIN_SENTENCE = 8


def _sentences(text: str) -> list[str]:
    out = []
    for s in _SENTENCE.findall(text):
        norm = re.sub(r"\s+", "", s)
        norm = re.sub(r"\d+", "#", norm)  # a sentence copied with only the year changed is still copied
        if len(norm) >= _MIN_SENTENCE:
            out.append(norm)
    return out


def repetition_ratio(text: str, previous_text: str) -> float:
    """Share of this year's narrative (by characters) in sentences that also stand in last year's."""
    this = _sentences(text)
    if not this:
        return 0.0
    prev = set(_sentences(previous_text))
    same = sum(len(s) for s in this if s in prev)
    return same / sum(len(s) for s in this)


def check_repetition(ctx: Context) -> list[Finding]:
    """N-2: the narrative repeats last year's text to a large degree (雷同)."""
    report, previous = ctx.report, ctx.previous
    text, prev_text = report.narrative_text(), previous.narrative_text()
    if not text.strip() or not prev_text.strip():
        return []
    ratio = repetition_ratio(text, prev_text)
    if ratio <= REPEAT_THRESHOLD:
        return []
    return [ctx.finding("N-2", f"正文有{ratio:.0%}的内容与{previous.year}年度报告相同（仅年份、数字不同的句子也计入），"
                               f"超过{REPEAT_THRESHOLD:.0%}，可能被认定为与上年雷同", [],
                        expected=REPEAT_THRESHOLD, actual=round(ratio, 3))]


CHECKS = (Check(("N-1",), check_numbers), Check(("N-2",), check_repetition, needs_previous=True))
