"""Narrative rules: N-1 (numbers in the text contradict the tables) and N-2 (text repeats last year's).

The phrasings N-1 looks for, and the cells each is compared with, are the format's ``claims``."""
from __future__ import annotations

import re
from functools import lru_cache

from ..bound import drafted, unbound_text
from ..findings import Finding
from ..formats.base import Claim
from ..standard_text import EMPTY_MARK, empty_sections
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


_NUMERAL = set("0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千万")
_QUOTES = set("“”‘’「」『』\"'《》")
# After a count's unit, words that show the number measures something else (「3个工作日」, 「两个方面」).
_NOT_A_COUNT_AFTER = ("工作日", "自然日", "月", "小时", "季度", "方面", "环节", "渠道", "机制", "平台", "窗口",
                      "专项", "重点", "批次")


def is_count(sentence: str, number_start: int, end: int) -> bool:
    """True when the number at ``number_start`` (its unit ending at ``end``) counts applications or cases:
    not inside a quotation or an idiom (「“三个一”工作机制」), not one numeral of a longer run
    (「一件一档」 reads 一 then 件一), and not a measure of time or of aspects (「3个工作日」)."""
    before = sentence[number_start - 1] if number_start > 0 else ""
    after = sentence[end:end + 1]
    if before in _QUOTES or before in _NUMERAL:
        return False
    if after in _NUMERAL or after in _QUOTES:
        return False
    return not sentence[end:].startswith(_NOT_A_COUNT_AFTER)


# A slogan of parallel clauses counts nothing (「办好一件事、服务一个群体、温暖一颗心」): where a sentence holds
# two or more Chinese numerals with a measure word, none of its Chinese numerals is read as a count.
_CN_COUNT = re.compile(r"[一二两三四五六七八九十]+[件个颗次张条项套本份名位]")


def _claims_of_sentence(sentence: str, claims: tuple[Claim, ...]):
    """Every (claim, number, phrase, start of the number) of one sentence; for each number only the claim
    that names it most closely: a part of the results (「部分公开…B件」) before the total (「…答复B件」),
    then the phrase nearest the number."""
    slogan = len(_CN_COUNT.findall(sentence)) >= 2
    best: dict[int, tuple] = {}
    for claim in claims:
        if claim.needs_word and claim.needs_word not in sentence:
            continue
        if any(w in sentence for w in claim.sentence_off_topic):
            continue
        for m in _compiled(claim.pattern).finditer(sentence):
            phrase = m.group(0)
            if any(w in phrase for w in claim.off_topic):
                continue
            if not is_count(sentence, m.start(1), m.end()):
                continue
            token = m.group(1)
            if not token.isdigit() and slogan:
                continue
            n = cn_number(token)
            if n is None:
                continue
            rank = (claim.rank, m.start())
            at = m.start(1)
            if at not in best or rank > best[at][0]:
                best[at] = (rank, claim, n, phrase)
    for at in sorted(best):
        _, claim, n, phrase = best[at]
        if _names_several_parts(sentence, at, claims, claim):
            continue  # 「予以公开和部分公开共12件」: a sum of parts, not one of them
        yield claim, n, phrase, at


def _names_several_parts(sentence: str, at: int, claims: tuple[Claim, ...], claim: Claim) -> bool:
    """Between the previous number (or the clause's start) and this one the sentence names more than one
    part of the results: the number is their sum, which no single row holds."""
    if not claim.words:
        return False
    start = max((m.end() for m in re.finditer(r"[\d。；;，,]", sentence[:at])), default=0)
    segment = sentence[start:at]
    named = {c.name for c in claims if c.words and any(w in segment for w in c.words)}
    return len(named) > 1


def find_claims_in_sentences(text: str, claims: tuple[Claim, ...]):
    """Yield (claim, number, the phrase, its sentence) for every count the text states about the tables."""
    for sentence in _SENTENCE.findall(text):
        for claim, n, phrase, _ in _claims_of_sentence(sentence, claims):
            yield claim, n, phrase, sentence


def find_claims(text: str, claims: tuple[Claim, ...]):
    """Yield (claim, number, the phrase) for every number the text states about the tables."""
    for claim, n, phrase, _ in find_claims_in_sentences(text, claims):
        yield claim, n, phrase


def claim_text(report) -> str:
    """The narrative N-1 reads: paragraphs bound to the tables are left out (their numbers are the
    tables' own, printed by ``bound.render``)."""
    return unbound_text(report)


def check_numbers(ctx: Context) -> list[Finding]:
    """N-1: a number in the narrative contradicts the tables, or matches only another reading (e.g. new
    plus carried over) that the sentence does not name."""
    report = ctx.report
    fmt = report.fmt
    out = []
    seen = set()
    for claim, n, phrase, sentence in find_claims_in_sentences(claim_text(report), fmt.claims):
        if not all(fmt.has(k) for k in claim.keys) or not usable(report, claim.keys):
            continue
        table_value = sum(report.number(k) for k in claim.keys)
        if n == table_value or (claim.name, n) in seen:
            continue
        readings = [(i, keys) for i, keys in enumerate(claim.alternatives)
                    if all(fmt.has(k) for k in keys) and usable(report, keys)
                    and sum(report.number(k) for k in keys) == n]
        if readings:
            i, keys = readings[0]
            words = claim.alternative_words[i] if i < len(claim.alternative_words) else ()
            if any(w in sentence for w in words):
                continue  # the sentence says which reading it means
            seen.add((claim.name, n))
            name = claim.alternative_names[i] if i < len(claim.alternative_names) else "另一种合计"
            hint = f"（句中写到「{'」或「'.join(words)}」即可）" if words else ""
            out.append(ctx.finding("N-1", f"正文「{phrase.strip()}」的{n}件与表格中{claim.name}{fmt_num(table_value)}件不符，"
                                          f"但等于{name}：如指{claim.name}，请改为{fmt_num(table_value)}件；"
                                          f"如指{name}，请在句中写明{hint}", list(keys),
                                   expected=table_value, actual=n))
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


def sentences(text: str) -> list[str]:
    """The narrative's sentences in the form N-2 compares them (spaces dropped, numbers masked, short ones
    left out); the review compares units with each other the same way."""
    return _sentences(text)


def repetition_ratio(text: str, previous_text: str) -> float:
    """Share of this year's narrative (by characters) in sentences that also stand in last year's."""
    this = _sentences(text)
    if not this:
        return 0.0
    prev = set(_sentences(previous_text))
    same = sum(len(s) for s in this if s in prev)
    return same / sum(len(s) for s in this)


def prescribed_lines(fmt) -> set[str]:
    """Headings the format itself prescribes (section headings and the customary sub-headings), as
    compared: white space removed."""
    out = set()
    for section in fmt.sections:
        for line in (section.heading, *section.subheadings):
            if line:
                out.add(re.sub(r"\s+", "", line))
    return out


def written_text(report) -> str:
    """The narrative the agency wrote itself: paragraphs, without headings, without lines that are only a
    heading the format prescribes (a new workbook carries those over, they are not copied text) and without
    the paragraphs drafted from the tables (``bound.drafted``)."""
    prescribed = prescribed_lines(report.fmt)
    is_drafted = drafted(report)
    parts = []
    for items in (report.sections or {}).values():
        for item in items or []:
            paragraphs = [item] if isinstance(item, str) else list(item.get("paragraphs", []))
            for p in paragraphs:
                if isinstance(p, str) and p.strip() and re.sub(r"\s+", "", p) not in prescribed \
                        and not is_drafted(p):  # drafted by nianbao for this year's numbers
                    parts.append(p)
    return "\n".join(parts)


def check_repetition(ctx: Context) -> list[Finding]:
    """N-2: the narrative repeats last year's text to a large degree (雷同).  Only what was written is
    compared: headings and the format's prescribed lines are not copied text, and an empty narrative
    (a new workbook holding only the carried-over sub-headings) is not 雷同."""
    report, previous = ctx.report, ctx.previous
    text, prev_text = written_text(report), written_text(previous)
    if not text.strip() or not prev_text.strip():
        return []
    ratio = repetition_ratio(text, prev_text)
    if ratio <= REPEAT_THRESHOLD:
        return []
    return [ctx.finding("N-2", f"正文有{ratio:.0%}的内容与{previous.year}年度报告相同（仅年份、数字不同的句子也计入），"
                               f"超过{REPEAT_THRESHOLD:.0%}，可能被认定为与上年雷同", [],
                        expected=REPEAT_THRESHOLD, actual=round(ratio, 3))]


def check_empty_sections(ctx: Context) -> list[Finding]:
    """N-3: a section under a heading has no text, so the export prints 「（待填写）」 there."""
    headings = {s.key: s.heading for s in ctx.report.fmt.sections}
    return [ctx.finding("N-3", f"「{headings[key]}」没有内容，导出的报告将在此印出「{EMPTY_MARK}」；"
                               f"请填写这一部分（第六部分可填写信息处理费的收取情况）", [])
            for key in empty_sections(ctx.report)]


CHECKS = (Check(("N-1",), check_numbers), Check(("N-2",), check_repetition, needs_previous=True),
          Check(("N-3",), check_empty_sections))
