"""A published report's year, agency and level from all the evidence a document gives, each with its source.

Evidence, strongest first: the title (paragraphs joined across line breaks, as PDFs and Word print a
long title on two or three lines; the agency before or after the year; a page flattened onto one line
starts with it); the page's own ``<title>`` and meta tags; the preamble's sentence publishing the report
(「现公布某某局2023年政府信息公开工作年度报告」); the 统计期限 sentence (「统计期限自2024年1月1日起至2024年
12月31日止」); the page's info block (「发布机构：」「来源：」); the 落款 (the agency's name and the date under
the text, a report being dated the year after the one it reports); the contact address; the text's first
sentence (「2024年，某某区人民政府办公室严格对照…」); the file name last.  A name printed short (a place only,
「青山区统计局」) takes the full form another source prints (「武汉市青山区统计局」).  The first source that gives a value gives it; where another source gives a different value the
result carries a note, never a silent choice.  Nothing here is a list of agencies: a name is recognised
by the shape of an agency's name (ending as agencies' names end), not by looking it up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


# A year printed in digits or in Chinese numerals (「二〇二四年」).
_CN_YEAR_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
                   "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR = r"((?:19|20)\d{2}|[二][〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2})"
# The report's own title: 「<agency>?<year>年度?<agency>?(关于)?…政府信息公开…报告」.
_REST = r"(?P<rest>(?:政府|政务)?信息公开(?:工作)?(?:情况)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报))"
_TITLE = re.compile(r"^(?P<before>.*?)" + _YEAR + r"\s*年度?(?P<after>.*?)(?:关于)?(?:的)?" + _REST)
_TITLE_WORDS = re.compile(r"信息公开.{0,10}(?:报告|年报)")
_TITLE_END = re.compile(r"(?:报告|年报)(?:[\u4e00-\u9fff]{0,4}|[（(][^）)]{0,20}[）)])$")
_SENTENCE_END = re.compile(r"[。；;！？!?]")
# 统计期限: the reporting period's first day.
_PERIOD_WORDS = r"统计(?:期限|时限|期间|区间|时间|范围|周期|数据)"
_PERIOD = re.compile(_PERIOD_WORDS + r"[^。；;]{0,20}?" + _YEAR + r"\s*年\s*(?:1|一|01)\s*月\s*(?:1|一|01)\s*日")
_PERIOD_YEAR = re.compile(_PERIOD_WORDS + r"[^。；;]{0,12}?为?" + _YEAR + r"\s*年度?[^月]")
_DATE = re.compile(r"^" + _YEAR + r"\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$")
# How agencies' names end (a name is recognised by its shape, a link such as 「政府信息公开年报」 is not one).
_AGENCY_END = re.compile(r"(?:政府|办公室|办公厅|委员会|管委会|局|厅|委|办|署|院|部|中心|办事处|街道|镇|乡|"
                         r"公司|集团|银行|分行|支行|海关|单位|馆|所|站|队|处|会|社|台|司|室|园区|监狱|学校|大学|学院|医院|法院|检察院)$")
# A place's name, which a title may print in place of the agency (「开远市2025年…」, 「东宝区2024年…」).
_PLACE_END = re.compile(r"(?:省|自治区|市|州|盟|县|区|旗|镇|乡|街道)$")
_NOT_NAME = re.compile(r"^[我本该各]|[。，,；;：:！？!?\d《》“”\"、]|信息公开|年度报告|年报|首页|当前位置|您的位置")
# Sentences of the text that name the report: 「现公布某某局2023年政府信息公开工作年度报告」.
_PUBLISHES = re.compile(r"(?:公布|公开|发布|现将|特将|编制|印发)《?")
# 「结合来宾市卫生健康委员会政府信息公开工作实际」: the agency whose disclosure work the report is about.
_WORK_OF = re.compile(r"(?:结合|根据|按照)(?P<name>[^，,。；;、《》]{2,30}?)(?:政府|政务)?信息公开工作")
# Lines of a page's info block naming the publisher (「发布机构：…」, 「来源：…」).
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|来源|信息来源)\s*[:：]\s*(?P<name>[^\s:：|｜]{2,40})")
# The contact address often is the agency's (「地址：建水县青龙镇人民政府；」).
_ADDRESS = re.compile(r"地址\s*[:：]\s*(?P<name>[^；;，,。）)\s]{2,40})")
# The text's first sentence naming the agency: 「2024年，番禺区人民政府办公室严格对照…」.
_OPENING = re.compile(r"^" + _YEAR + r"\s*年度?\s*[,，]\s*(?P<name>[^,，。；;]{2,30}?)(?:坚持|认真|严格|深入|全面|紧紧|始终|按照|以|在|围绕|继续|持续|进一步)")
# Traditional characters that matter for reading a title (a copy in traditional script); one for one, so a
# name found in the mapped text is cut from the printed text at the same place.
_TRADITIONAL = str.maketrans("開報體況統計縣區衛蘇關於項處務機門資訊與會員廳辦書鄉鎮縣劃環護廣東圍時間數據",
                             "开报体况统计县区卫苏关于项处务机门资讯与会员厅办书乡镇县划环护广东围时间数据")
MAX_NAME = 40
# A name in a title's agency place: Chinese characters (brackets allowed), no sentence, no number.
_CLEAN_NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,%d}" % MAX_NAME)
HEAD_BLOCKS = 60        # the title is looked for among the first blocks before the first section
MAX_TITLE_LINES = 3


@dataclass(frozen=True)
class Evidence:
    what: str      # 「year」 or 「agency」
    value: object
    source: str    # Chinese: 「标题（第2—3段）」, 「网页标题」, 「统计期限」, 「落款」, 「文件名」


@dataclass
class Meta:
    title: str | None = None
    title_at: int | None = None          # index (in the paragraphs given) of the title's last line
    title_first: int | None = None       # index of its first line
    year: int | None = None
    agency: str = ""
    level: str | None = None
    evidence: list = field(default_factory=list)
    notes: list = field(default_factory=list)   # Chinese: where the evidence disagrees

    def source_of(self, what: str) -> str | None:
        value = self.year if what == "year" else self.agency
        return next((e.source for e in self.evidence if e.what == what and e.value == value), None)


def year_of(token: str) -> int | None:
    t = "".join(_CN_YEAR_DIGITS.get(ch, ch) for ch in token)
    return int(t) if t.isdigit() and len(t) == 4 else None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def looks_like_agency(text: str) -> bool:
    """An agency's name by its shape: short, no sentence or number in it, ending as agencies' names end."""
    t = _squash(text)
    bare = re.sub(r"[（(][^（）()]{1,12}[）)]$", "", t)   # 「…办公室（示例）」
    return 2 <= len(t) <= MAX_NAME and not _NOT_NAME.search(t) and bool(_AGENCY_END.search(bare))


def looks_like_place(text: str) -> bool:
    t = _squash(text)
    return 2 <= len(t) <= 12 and not _NOT_NAME.search(t) and bool(_PLACE_END.search(t))


def parse_title(text: str) -> tuple[int | None, str, str | None] | None:
    """(year, agency, the title) of a report's title, or None when ``text`` is not such a title.

    The agency stands before the year (「某某市人民政府2024年…」) or after it (「2025年某某市人民政府办公厅
    政府信息公开工作年度报告」); words such as 「关于」 between them are not part of it.  A title may name a
    place only (「开远市2025年…」): that is its agency as printed."""
    printed = _squash(text)
    t = printed.translate(_TRADITIONAL)
    m = _TITLE.search(t)
    if m is None:
        if _TITLE_WORDS.search(t):
            return None, "", printed
        return None
    year = year_of(m.group(2))

    def cut(start: int, end: int) -> str:
        name = printed[start:end]
        name = re.sub(r"^(?:关于|【[^】]*】|\[[^\]]*\])+", "", name)
        name = re.sub(r"(?:关于|的)+$", "", name)
        return name + "政府" if name.endswith("人民") else name   # 「某某市人民政府信息公开…」

    before = cut(m.start("before"), m.end("before"))
    after = cut(m.start("after"), m.end("after"))
    agency = ""
    names = [n for n in (after, before, before.split("_")[-1]) if n]
    for name in names:
        if looks_like_agency(name.translate(_TRADITIONAL)) or looks_like_place(name.translate(_TRADITIONAL)):
            agency = name
            break
    else:
        # The title itself (a year and the report's words) says where the agency stands: a clean name there
        # is the agency even when its ending is not one of the usual ones (「某某海关」「测试单位」).
        agency = next((n for n in names if _CLEAN_NAME.fullmatch(n) and not _NOT_NAME.search(n)), "")
    return year, agency, printed


def _publishing_sentences(texts: list[str]):
    """The report's title as a sentence of the preamble names it (「现公布…年度报告」, 「现发布《…》」), and
    the agency a sentence names as the one whose disclosure work it reports (「结合某某委员会政府信息公开工作
    实际」)."""
    for text in texts:
        t = _squash(text)
        found = None
        for m in _PUBLISHES.finditer(t):
            rest = t[m.end():m.end() + 80]
            end = re.search(r"(?:报告|年报)", rest)
            if end is None:
                continue
            piece = re.sub(r"^(?:向社会|社会)", "", rest[:end.end()])
            parsed = parse_title(piece)
            if parsed is not None and parsed[0] is not None:
                found = parsed   # the latest verb before the title is the closest
        if found is not None:
            yield found
            if found[1]:
                return
        for m in _WORK_OF.finditer(t):
            if looks_like_agency(m.group("name")):
                yield None, m.group("name"), t
                return


def title_lines(texts: list[str], limit: int) -> list[tuple[int, int, str]]:
    """Candidate titles among ``texts[:limit]``: (first index, last index, joined text) of runs of up to three
    short lines without sentence ends that together end as a report's title ends (…报告, …年报).  A page
    flattened onto one line starts with its title: that line's part up to 「报告」 is a candidate too."""
    out = []
    for i in range(min(limit, len(texts))):
        joined = ""
        for j in range(i, min(i + MAX_TITLE_LINES, limit, len(texts))):
            line = _squash(texts[j])
            if not line or len(line) > 60 or _SENTENCE_END.search(line[:-1]):
                if j == i and len(line) > 60:
                    m = re.match(r"^.{4,60}?(?:报告|報告)", line)
                    if m and _TITLE.match(m.group(0).translate(_TRADITIONAL)) \
                            and not re.search(r"[，,。《》；;：:（）()]", m.group(0)):
                        out.append((i, i, m.group(0)))
                break
            joined += line
            mapped = joined.translate(_TRADITIONAL)
            if _TITLE_WORDS.search(mapped) and _TITLE_END.search(mapped):
                out.append((i, j, joined))
    return out


def _best_title(texts: list[str], limit: int):
    """The report's title: the candidate with a year (and an agency) ending nearest the text."""
    best = None
    for i, j, joined in title_lines(texts, limit):
        parsed = parse_title(joined)
        if parsed is None:
            continue
        year, agency, _ = parsed
        # a title with a year beats one without; one with an agency (in it or on the line above) beats one
        # without; then the latest (a site's header is above the article), then the shortest run ending there
        above = i > 0 and looks_like_agency(texts[i - 1])
        rank = (year is not None, bool(agency) or above, j, i - j)
        if best is None or rank > best[0]:
            best = (rank, i, j, joined, year, agency)
    return best


def level_of(agency: str) -> str | None:
    """The administrative level an agency's name shows (None when it does not)."""
    a = _squash(agency)
    if not a:
        return None
    government = bool(re.search(r"人民政府(?:办公室|办公厅)?$", a))
    if re.search(r"(?:镇|乡|街道)(?:人民政府|办事处)?$|街道办事处$", a):
        return "township"
    for pattern, level in ((r"^(?:国务院|国家|中国|中华人民共和国)", "state_council_dept"),
                           (r"^[^市县区]{2,8}(?:省|自治区)(?:人民政府)?(?:办公厅)?$", "province"),
                           (r"^(?:北京|上海|天津|重庆)市(?:人民政府)?(?:办公厅)?$", "province")):
        if re.search(pattern, a):
            return level
    if re.search(r"^(?:北京|上海|天津|重庆)市(?!.*(?:区|县))", a):
        return "province_dept"
    if re.search(r"^[^市]{2,8}(?:省|自治区)(?!.*(?:市|州|盟|县|区))", a):
        return "province_dept"
    if re.search(r"(?:县|区|旗)(?:人民政府)?(?:办公室)?$", a) and government or re.search(r"(?:县|区|旗)人民政府$", a):
        return "county"
    if re.search(r"(?:县|区|旗)", a.split("市")[-1]):
        return "county" if government else "county_dept"
    if re.search(r"(?:市|州|盟)(?:人民政府)?(?:办公室)?$", a) or re.search(r"(?:市|州|盟)人民政府", a) and government:
        return "city"
    if re.search(r"(?:市|州|盟)", a):
        return "city_dept"
    return None


def read(texts: list[str], *, limit: int | None = None, page_titles: tuple[str, ...] = (), path: str = "") -> Meta:
    """Year, agency and level of a report whose paragraphs are ``texts`` (in reading order); ``limit`` is
    where the body's first section starts (the title is above it); ``page_titles`` the page's
    ``<title>`` and meta titles; ``path`` the file's name."""
    out = Meta()
    limit = min(len(texts), HEAD_BLOCKS if limit is None else max(limit, 1))
    years: list[tuple[int, str]] = []
    agencies: list[tuple[str, str]] = []
    best = _best_title(texts, limit)
    if best is not None:
        _, i, j, joined, year, agency = best
        out.title, out.title_first, out.title_at = joined, i, j
        src = f"标题（第{i + 1}段）" if i == j else f"标题（第{i + 1}—{j + 1}段合为一行）"
        if year is not None:
            years.append((year, src))
        if agency:
            agencies.append((agency, src))
        elif i > 0 and looks_like_agency(texts[i - 1]):   # the agency on its own line above the title
            agencies.append((_squash(texts[i - 1]), f"标题上方（第{i}段）"))
        elif j + 1 < len(texts) and looks_like_agency(texts[j + 1]):   # or below it
            agencies.append((_squash(texts[j + 1]), f"标题下方（第{j + 2}段）"))
    for t in page_titles:
        parsed = parse_title(t)
        if parsed is None:
            continue
        year, agency, printed = parsed
        if year is not None and (out.title is None or best[4] is None):
            # the page prints its title only in <title> (「…年度报告_某某市人民政府」: the site's name cut off)
            out.title, out.title_first, out.title_at = _report_part(printed), None, None
            if best is not None:
                out.title_at = best[2]
        if year is not None:
            years.append((year, "网页标题"))
        if agency:
            agencies.append((agency, "网页标题"))
    start = out.title_at + 1 if out.title_at is not None else 0
    head = texts[:start + 12]
    for year, agency, _ in _publishing_sentences(texts[start:start + 12]):
        if year is not None:
            years.append((year, "前言（公布报告的句子）"))
        if agency:
            agencies.append((agency, "前言（公布报告的句子）"))
    for text in texts[start:start + 40]:
        t = _squash(text)
        m = _PERIOD.search(t) or _PERIOD_YEAR.search(t)
        if m:
            y = year_of(m.group(1))
            if y:
                years.append((y, "统计期限"))
            break
    for text in head:
        m = _PUBLISHER.search(_squash(text))
        if m and looks_like_agency(m.group("name")):
            agencies.append((m.group("name"), "发布信息"))
            break
    sig = signature(texts)
    if sig is not None:
        name, date_year = sig
        if name:
            agencies.append((name, "落款"))
        if date_year:
            years.append((date_year - 1, "落款日期（次年发布）"))
    for text in texts[start:start + 12]:
        m = _ADDRESS.search(_squash(text))
        if m and looks_like_agency(m.group("name")):
            agencies.append((m.group("name"), "联系地址"))
            break
    for text in texts[start:start + 6]:
        m = _OPENING.match(_squash(text))
        if m:
            years.append((year_of(m.group(1)), "正文首句"))
            if looks_like_agency(m.group("name")):
                agencies.append((m.group("name"), "正文首句"))
            break
    if path:
        parsed = parse_title(Path(path).stem)
        if parsed is not None:
            year, agency, _ = parsed
            if year is not None:
                years.append((year, "文件名"))
            if agency:
                agencies.append((agency, "文件名"))
    for value, src in years:
        out.evidence.append(Evidence("year", value, src))
    for value, src in agencies:
        out.evidence.append(Evidence("agency", value, src))
    # the 落款 date and the first sentence are the weakest evidence of the year
    strong = [(y, s) for y, s in years if y and not s.startswith(("落款", "正文首句"))]
    weak = [(y, s) for y, s in years if y and (y, s) not in strong]
    chosen = strong or weak
    if chosen:
        out.year, src = chosen[0]
        for y, s in chosen[1:]:
            if y != out.year:
                out.notes.append(f"{src}为{out.year}年，{s}为{y}年，按{src}导入")
                break
    if agencies:
        out.agency, src = agencies[0]
        for a, s in agencies[1:]:
            if _fuller(a, out.agency):
                out.notes.append(f"{src}的机关名称为「{out.agency}」，{s}写全为「{a}」，按后者导入")
                out.agency, src = a, s
        for a, s in agencies[1:]:
            if s in _ABBREVIATING or a == out.agency:
                continue  # file names, addresses and the text itself abbreviate at will (「市科委」)
            if not _same_agency(a, out.agency):
                out.notes.append(f"{src}的机关名称为「{out.agency}」，{s}为「{a}」，按{src}导入")
                break
    out.level = level_of(out.agency.translate(_TRADITIONAL))
    return out


_ABBREVIATING = ("文件名", "正文首句", "联系地址")


def _fuller(name: str, chosen: str) -> bool:
    """``name`` is ``chosen`` written in full: the place's name before it (「武汉市青山区统计局」 for
    「青山区统计局」), or the agency of a place a title names only by the place (「开远市人民政府」 for
    「开远市」), or 「人民政府」 for a short 「政府」 (「建水县青龙镇人民政府」 for 「青龙镇政府（机关）」)."""
    a, b = _squash(name).translate(_TRADITIONAL), _squash(chosen).translate(_TRADITIONAL)
    if a == b or len(a) <= len(b):
        return False
    if a.endswith(b):
        return True
    if looks_like_place(b) and not looks_like_agency(b) and a.startswith(b) or \
            looks_like_place(b) and b in a and a.endswith(("办事处", "人民政府")):
        return True
    short = re.sub(r"[（(][^（）()]*[）)]$", "", b)
    return short.endswith("政府") and not short.endswith("人民政府") and a.endswith(short[:-2] + "人民政府")


def _report_part(title: str) -> str:
    """A page title without the site's name after a separator (「…年度报告_某某市人民政府」)."""
    m = re.search(r"(?:报告|年报)(?=[_|｜\-—–]|$)", title)
    return title[:m.end()] if m else title


def _same_agency(a: str, b: str) -> bool:
    """Two printings of one agency: one contains the other (「洪泽区人民政府」 and 「淮安市洪泽区人民政府」)."""
    a, b = _squash(a), _squash(b)
    return a in b or b in a


def signature(texts: list[str]) -> tuple[str, int | None] | None:
    """(agency, year of the date) of the 落款 at the end of the text: a date line, the name just above it."""
    for i in range(len(texts) - 1, max(-1, len(texts) - 30), -1):
        m = _DATE.match(_squash(texts[i]))
        if m:
            name = ""
            if i > 0 and looks_like_agency(texts[i - 1]):
                name = _squash(texts[i - 1])
            return name, year_of(m.group(1))
    return None


_META_NAMES = ("articletitle", "title", "og:title", "description", "keywords", "columnname")
MAX_PAGE_TITLES = 12


def page_titles(root) -> tuple[str, ...]:
    """A web page's own titles: ``<title>`` and the meta tags CMSs fill with the article's title
    (ArticleTitle, og:title …), as texts (each at most a few hundred characters)."""
    out = []
    for el in root.iter("title"):
        out.append(el.text_content())
        break
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip().lower()
        if name in _META_NAMES and el.get("content"):
            out.append(el.get("content"))
        if len(out) >= MAX_PAGE_TITLES:
            break
    return tuple(" ".join(t.split())[:300] for t in out if t and t.strip())
