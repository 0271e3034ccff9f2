"""A published report's narrative parts by meaning and order, not by their printed numbers.

Any short numbered line (「一、」…「十、」, 「第一部分」) is a candidate heading.  The tables' located positions
anchor the table sections: the candidate just above a table the matcher placed is that table's heading,
whatever its number.  The other candidates are assigned to the format's narrative sections by their
wording (存在的主要问题…, 其他需要报告的事项…) and their order: the first numbered part is the overview, the
parts a report adds (工作机制保障, 平台建设…) belong to the overview, as a reader would put them.  So a report
numbering its narrative 一…六, its tables 一/二/三 and its problems 四 reads right.

Around the article: the lines between the title and the text that are not text (发布日期/来源/字号 lines:
short lines of 「名：值」 fields), and after the text the 落款, attachments, share and related-article lines
(a run of short lines that are not sentences) and a site's footer are not the report's text.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .text import norm

_CANDIDATE = re.compile(r"^(?:(?:[一二三四五六七八九十]{1,3}|[—－])\s*[、．.，,]|第[一二三四五六七八九十]{1,3}(?:部分|章)[、：:\s]?)")
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_SENTENCE_END = re.compile(r"[。；;！？!?]")
_FIELD = re.compile(r"[\u4e00-\u9fff]{2,5}\s*[:：]")
_DATE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九○]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
_FOOTER = re.compile(r"版权所有|网站标识码|ICP备|公网安备|主办单位|承办单位|技术支持|网站地图|联系我们|Copyright|©", re.I)
MAX_HEADING = 40
MAX_CHROME = 60        # a chrome line (info line, attachment, link) is short
NEAR_TABLE = 4         # paragraphs allowed between a table's heading and the table (a 「单位：件」 note …)
MAX_CANDIDATES = 500   # numbered lines weighed as headings (a report has a few dozen; the rest is text)
WORDING = 0.5          # similarity of a heading's words to a section's to be that section


@dataclass
class Line:
    text: str          # on one line
    block: int         # index of the block in the document
    where: str


@dataclass
class Parts:
    sections: dict = field(default_factory=dict)   # section key → paragraphs (overview: with headings)
    starts: dict = field(default_factory=dict)     # section key → index (in the lines) of its heading
    body: tuple = (0, 0)                           # lines [first, end) of the article's text
    line_parts: list = field(default_factory=list)  # per line: the section key it belongs to, None if not text


def is_candidate(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    if len(t) > MAX_HEADING or not _CANDIDATE.match(t):
        return False
    return not _SENTENCE_END.search(t[:-1])


def _core(text: str) -> str:
    """A heading's words without its number (「四、存在的主要问题及改进情况」 → 「存在的主要问题及改进情况」)."""
    t = norm(text)
    t = re.sub(r"^(?:(?:[一二三四五六七八九十]{1,3}|[—－-])[、.,，]|第[一二三四五六七八九十]{1,3}(?:部分|章)[、:]?)", "", t)
    return t.rstrip("。.：:")


def wording(text: str, heading: str) -> float:
    """How much a printed heading's words are a section's heading's words (0…1)."""
    a, b = _core(text), _core(heading)
    if not a or not b:
        return 0.0
    if a == b or (len(a) >= 4 and (a in b or b in a)):
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _is_chrome(text: str) -> bool:
    """A page's info line (发布日期/来源/字号 …), a breadcrumb, a button row: short, not a sentence, made of
    fields, separators or bracketed buttons."""
    t = text.strip()
    if len(t) > MAX_CHROME or _SENTENCE_END.search(t):
        return False
    if len(_FIELD.findall(t)) >= 2 or re.search(r"[>»›]", t) or re.fullmatch(r"(?:[【\[][^】\]]{1,8}[】\]]\s*)+", t):
        return True
    return bool(re.match(r"^[\u4e00-\u9fff]{2,5}\s*[:：]", t)) and len(t) <= 40


def _is_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text[-1:])) or len(text) > MAX_CHROME


def split(lines: list[Line], fmt, anchors: dict, title_at: int | None) -> Parts:
    """The report's parts.  ``lines`` are its paragraphs in order (page furniture already left out),
    ``anchors`` the block index of the first document table of each format table located by the matcher,
    ``title_at`` the index of the title's last line."""
    out = Parts()
    texts = [ln.text for ln in lines]
    first = (title_at + 1) if title_at is not None else 0
    candidates = [i for i in range(first, len(texts)) if is_candidate(texts[i])][:MAX_CANDIDATES]
    by_key = {s.key: s for s in fmt.sections}
    pre_key = next((s.key for s in fmt.sections if not s.heading), None)
    table_keys = {s.table: s.key for s in fmt.sections if s.table}
    assigned: dict[int, str] = {}
    # 1. the tables' headings: the candidate just above each located table
    for tkey, block in sorted(anchors.items(), key=lambda kv: kv[1]):
        skey = table_keys.get(tkey)
        if skey is None:
            continue
        above = [i for i in candidates if lines[i].block < block and i not in assigned]
        if not above:
            continue
        i = above[-1]
        between = sum(1 for ln in lines[i + 1:] if ln.block < block)
        if between <= NEAR_TABLE and not _narrative_wording(texts[i], fmt, skey):
            assigned[i] = skey
    # 2. without located tables, a table section's heading is told by its number and words (a text-only copy)
    for s in fmt.sections:
        if s.table and s.key not in assigned.values() and s.table not in anchors:
            for i in candidates:
                if i not in assigned and _same_number(texts[i], s.heading) and wording(texts[i], s.heading) >= 0.6:
                    assigned[i] = s.key
                    break
    # 3. the narrative sections by their words; the first numbered part is the overview
    narrative = [s for s in fmt.sections if s.heading and not s.table]
    overview = next((s.key for s in narrative), None)
    first_table = min((i for i, k in assigned.items()), default=len(texts))
    for i in candidates:
        if i in assigned:
            continue
        scores = [(wording(texts[i], s.heading), s.key) for s in narrative]
        score, key = max(scores) if scores else (0.0, None)
        if key is not None and score >= WORDING and key != overview:
            if key not in assigned.values() and all(j < i for j, k in assigned.items() if k == overview):
                assigned[i] = key
                continue
        if overview and overview not in assigned.values() and i < first_table:
            assigned[i] = overview
    # 4. by order: after the tables, a numbered part whose words name no section is the next narrative
    # section the format has there (「五、存在的不足和下一步工作打算」 is the problems part)
    order = [s.key for s in fmt.sections]
    # (only where the tables were located: in a copy that prints tables as lines, their row labels are
    # numbered lines too)
    tables_at = [i for i, k in assigned.items() if by_key[k].table]
    if tables_at and anchors:
        for i in candidates:
            if i in assigned or i < max(tables_at):
                continue
            low = max((order.index(k) for j, k in assigned.items() if j < i), default=-1)
            high = min((order.index(k) for j, k in assigned.items() if j > i), default=len(order))
            fits = [k for k in order[low + 1:high] if k not in assigned.values() and not by_key[k].table
                    and by_key[k].heading]
            if fits:
                assigned[i] = fits[0]
    starts = sorted(assigned)
    for i in starts:
        out.starts.setdefault(assigned[i], i)
    # the article's text ends at the 落款 (or the site's footer) after the last part
    # (the run of short lines after the last sentence is page chrome only after the report's last part: an
    # excerpt or a copy that stops inside a table or a sentence keeps its lines)
    last_key = assigned[starts[-1]] if starts else None
    complete = last_key is not None and last_key == [s.key for s in fmt.sections][-1]
    end = _end_of_text(texts, starts[-1] + 1 if starts else first, trailing=complete)
    out.body = (first, end)
    out.line_parts = [None] * len(texts)
    for k in range(first, end):
        owner = max((i for i in starts if i <= k), default=None)
        out.line_parts[k] = assigned[owner] if owner is not None else pre_key
        if owner is None and _is_chrome(texts[k]):
            out.line_parts[k] = None
    if pre_key:
        pre = texts[first:starts[0] if starts else end]
        pre = [t for t in pre if not _is_chrome(t)]
        if pre:
            out.sections[pre_key] = pre
    for n, i in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else end
        key = assigned[i]
        if by_key[key].table is not None:
            continue
        body = texts[i + 1:stop]
        if body:
            out.sections[key] = _group(body) if key != pre_key else body
    return out


def _same_number(text: str, heading: str) -> bool:
    a, b = norm(text), norm(heading)
    return bool(a) and a.split("、")[0] == b.split("、")[0] if "、" in a else False


def _narrative_wording(text: str, fmt, table_section: str) -> bool:
    """The heading's words name a narrative section (存在的问题…) better than the table's section."""
    own = wording(text, next(s.heading for s in fmt.sections if s.key == table_section))
    return any(wording(text, s.heading) > max(own, WORDING) for s in fmt.sections if s.heading and not s.table)


def _end_of_text(texts: list[str], start: int, trailing: bool = True) -> int:
    """Where the last part's text ends: before the 落款 (name and date), the site's footer, or the run of
    short non-sentence lines (attachments, share buttons, related articles) after the last sentence."""
    end = len(texts)
    for i in range(len(texts) - 1, start - 1, -1):
        if _DATE.match(re.sub(r"\s+", "", texts[i])):
            end = i
            if end - 1 >= start + 1 and _looks_like_signature(texts[end - 1]):
                end -= 1
            break
    cut = next((k for k in range(start, end) if len(texts[k]) <= 80 and _FOOTER.search(texts[k])), None)
    if cut is not None and cut > start:
        end = cut
    # trailing short lines that are not sentences, after at least one line of text
    last_sentence = max((k for k in range(start, end) if _is_sentence(texts[k])), default=None)
    if trailing and last_sentence is not None and end - last_sentence > 1:
        tail = texts[last_sentence + 1:end]
        if all(len(t) <= MAX_CHROME for t in tail):
            end = last_sentence + 1
    return end


def _looks_like_signature(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return 2 <= len(t) <= 40 and not re.search(r"[。，,；;：:！？\d]", t)


def _group(paragraphs: list[str]) -> list:
    """A part's paragraphs; a sub-heading (「（一）主动公开」) or a numbered part a report adds (「二、工作机制」)
    on a line of its own starts a heading block."""
    items: list = []
    for text in paragraphs:
        if (_SUBHEADING.match(text) or is_candidate(text)) and len(text) <= MAX_HEADING \
                and not _SENTENCE_END.search(text[:-1] if text else text):
            items.append({"heading": text, "paragraphs": []})
        elif items and isinstance(items[-1], dict):
            items[-1]["paragraphs"].append(text)
        else:
            items.append(text)
    return items
