"""Narrative rules: N-1 (numbers in the text contradict the tables) and N-2 (text repeats last year's)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # pragma: no cover
    from .model import Report
    from .rules import Finding

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
NUM = r"(\d+|[零〇一二两三四五六七八九十百]+)"
# Words in a phrase that show it is about something else than the table's count.
_OFF_TOPIC = ("复议", "诉讼", "咨询", "留言", "建议", "提案", "信访", "热线", "投诉")
# Words showing the number counts one kind of applicant only (「收到自然人申请14件」), not the total.
_ONE_APPLICANT_KIND = ("自然人", "法人", "企业", "组织", "机构")


def cn_number(token: str) -> int | None:
    """'16' → 16, '十六' → 16, '二十' → 20, '一百零二' → 102; None if not a number."""
    if token.isdigit():
        return int(token)
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


@dataclass(frozen=True)
class Claim:
    """A phrasing of the narrative that states a number the tables also hold."""

    name: str                       # what the number is, in Chinese
    pattern: re.Pattern
    keys: tuple[str, ...]           # the table cells the number should equal (summed)
    also_ok: Callable[["Report"], list[float]] | None = None  # other acceptable readings
    needs_request_word: bool = False
    off_topic: tuple[str, ...] = _OFF_TOPIC


def _claims() -> tuple[Claim, ...]:
    new_total = ("requests.new.total",)
    return (
        Claim("本年新收政府信息公开申请", re.compile(
            r"(?:收到|新收|受理|接收|接到)[^。；;，,]{0,25}?申请[^。；;，,\d]{0,12}?" + NUM + r"\s*[件个宗]"),
              new_total,
              also_ok=lambda r: [r.number("requests.new.total") + r.number("requests.carried_over.total")],
              off_topic=_OFF_TOPIC + _ONE_APPLICANT_KIND),
        Claim("办结（答复）的申请", re.compile(
            r"(?:办结|答复|办理完毕|作出答复)[^。；;，,\d]{0,12}?" + NUM + r"\s*件"),
              ("requests.results_total.total",), needs_request_word=True, off_topic=_OFF_TOPIC + _ONE_APPLICANT_KIND),
        Claim("上年结转的申请", re.compile(r"上一?年度?结转[^。；;，,\d]{0,10}?" + NUM + r"\s*件"),
              ("requests.carried_over.total",), off_topic=("复议", "诉讼")),
        Claim("结转下年度办理的申请", re.compile(
            r"(?:结转(?:至|到)?下一?年度?|转入下一?年度?)[^。；;，,\d]{0,10}?" + NUM + r"\s*件"),
              ("requests.carry_forward.total",), off_topic=("复议", "诉讼")),
        Claim("行政复议", re.compile(r"行政复议[^。；;，,\d]{0,10}?" + NUM + r"\s*[件起宗个]"),
              ("appeals.review.total",), off_topic=("诉讼",)),
        Claim("行政诉讼", re.compile(r"行政诉讼[^。；;，,\d]{0,10}?" + NUM + r"\s*[件起宗个]"),
              ("appeals.litigation_direct.total", "appeals.litigation_after_review.total"),
              off_topic=("复议",)),
    )


CLAIMS = _claims()
_SENTENCE = re.compile(r"[^。！？；;\n]+[。！？；;]?")


def find_claims(text: str):
    """Yield (claim, number, the phrase) for every number the text states about the tables."""
    for sentence in _SENTENCE.findall(text):
        for claim in CLAIMS:
            if claim.needs_request_word and "申请" not in sentence:
                continue
            for m in claim.pattern.finditer(sentence):
                phrase = m.group(0)
                if any(w in phrase for w in claim.off_topic):
                    continue
                n = cn_number(m.group(1))
                if n is not None:
                    yield claim, n, phrase


def check_numbers(report: "Report") -> list["Finding"]:
    """N-1: a number in the narrative contradicts the tables."""
    from .rules import _finding, _fmt_num, _usable
    out = []
    seen = set()
    for claim, n, phrase in find_claims(report.narrative_text()):
        if not all(report.fmt.has(k) for k in claim.keys) or not _usable(report, claim.keys):
            continue
        table_value = sum(report.number(k) for k in claim.keys)
        ok = [table_value] + (claim.also_ok(report) if claim.also_ok else [])
        if n in ok or (claim.name, n) in seen:
            continue
        seen.add((claim.name, n))
        out.append(_finding("N-1", f"正文「{phrase.strip()}」称{claim.name}{n}件，与表格数据{_fmt_num(table_value)}件不符",
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


def check_repetition(report: "Report", previous: "Report") -> list["Finding"]:
    """N-2: the narrative repeats last year's text to a large degree (雷同)."""
    from .rules import _finding
    text, prev_text = report.narrative_text(), previous.narrative_text()
    if not text.strip() or not prev_text.strip():
        return []
    ratio = repetition_ratio(text, prev_text)
    if ratio <= REPEAT_THRESHOLD:
        return []
    return [_finding("N-2", f"正文有{ratio:.0%}的内容与{previous.year}年度报告相同（仅年份、数字不同的句子也计入），"
                            f"超过{REPEAT_THRESHOLD:.0%}，可能被认定为与上年雷同", [],
                     expected=REPEAT_THRESHOLD, actual=round(ratio, 3))]
