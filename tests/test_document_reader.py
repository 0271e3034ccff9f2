"""Reading a published report whole: its year, its agency, its sections and its narrative's numbers.

Real texts: ``data/openings/`` holds the openings of 51 real published reports as a search tool stored them
(index.json: year, agency, level, section headings with their offsets and every number each text states,
all checked by hand, see its SOURCES.md).  Built shapes: ``data/shapes/`` (see build.py there) — a Word
report with a two-line title and its own numbering, the same as text and as PDF (LibreOffice), a city page
laid out with <td> only and its title only in <title>, a provincial office's article inside a full CMS page.
Real documents: ``data/real/`` (three PDFs and a saved web page).
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from nianbao import cli, formats, importers, loading
from nianbao.importers import match, meta, sections
from nianbao.rules import narrative

DATA = Path(__file__).parent / "data"
OPENINGS = DATA / "openings"
SHAPES = DATA / "shapes"
REAL = DATA / "real"
INDEX = json.loads((OPENINGS / "index.json").read_text(encoding="utf-8"))
FMT = formats.get(formats.ids()[-1])

sys.path.insert(0, str(SHAPES))
import build as shapes  # noqa: E402  (the report the shapes were built from)


def _read_opening(entry):
    doc = importers.read_document(str(OPENINGS / entry["file"]))
    return match.narrative(doc, FMT, {})


@pytest.fixture(scope="module")
def openings():
    return {e["file"]: _read_opening(e) for e in INDEX}


# ---------------------------------------------------------------- the real openings
def test_the_corpus_is_real_and_large_enough():
    assert len(INDEX) >= 30
    assert all((OPENINGS / e["file"]).is_file() and e["url"].startswith("http") for e in INDEX)


def test_year_and_agency_of_every_real_opening(openings):
    wrong = [(e["file"], openings[e["file"]].year, openings[e["file"]].agency, e["year"], e["agency"])
             for e in INDEX if (openings[e["file"]].year, openings[e["file"]].agency) != (e["year"], e["agency"])]
    assert wrong == []


def _part_at(entry, offset: int):
    part = None
    for h in sorted(entry["headings"], key=lambda h: h["offset"]):
        if h["offset"] <= offset:
            part = h["part"]
    return {"other": "other_matters"}.get(part, part)


def test_sections_of_the_real_openings_by_characters(openings):
    """Each paragraph's characters count as right when the paragraph is in the part the hand-checked headings
    put it in (before the first heading: the preamble, or left out as title or page chrome)."""
    total = right = 0
    for e in INDEX:
        raw = (OPENINGS / e["file"]).read_text(encoding="utf-8")
        lines = raw.splitlines(keepends=True)
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))
        r = openings[e["file"]]
        for ln, part in zip(r.lines, r.line_parts):
            n = int(re.search(r"\d+", ln.where).group()) - 1
            offset = starts[n] + len(lines[n]) - len(lines[n].lstrip())
            want = _part_at(e, offset + 2)
            ok = part == want or (want is None and part in (None, "preamble"))
            total += len(ln.text)
            right += len(ln.text) * ok
    assert right / total >= 0.95, f"{right}/{total}"


def test_first_section_starts_where_the_hand_says(openings):
    """The overview's first line is the line of the hand-checked first heading (texts flattened onto one line
    and copies without the heading left out)."""
    checked = 0
    for e in INDEX:
        if e["first_section_offset"] is None:
            continue
        raw = (OPENINGS / e["file"]).read_text(encoding="utf-8")
        line_no = raw[:e["first_section_offset"]].count("\n") + 1
        if len(raw.splitlines()[line_no - 1]) > 200:
            continue  # the whole page on one line
        r = openings[e["file"]]
        first = next((ln for ln, p in zip(r.lines, r.line_parts) if p == "overview"), None)
        assert first is not None and first.where == f"第{line_no}行", e["file"]
        checked += 1
    assert checked >= 45


# claim of the rules → the hand's words for what a number counts (index.json "counts")
HAND = {"本年新收政府信息公开申请": "本年新收", "办结（答复）的申请": "办结/答复", "上年结转的申请": "上年结转",
        "结转下年度办理的申请": "结转下年度", "行政复议": "行政复议总计", "行政诉讼": "行政诉讼总计"}


def _hand_label(claim) -> str:
    return HAND.get(claim.name) or claim.words[0]


def test_every_number_the_narrative_rule_reads_in_the_real_openings_counts_what_the_hand_says(openings):
    """Each claim N-1 takes from a real text is a number the hand marked as counting that very row; nothing
    else (slogans, counts of messages, of documents, of cases elsewhere) is read."""
    yielded = 0
    for e in INDEX:
        text = "\n".join(ln.text for ln in openings[e["file"]].lines)
        for claim, n, phrase in narrative.find_claims(text, FMT.claims):
            squashed = re.sub(r"\s+", "", phrase)
            hand = [c for c in e["claims"] if c["value"] == n and squashed in re.sub(r"\s+", "", c["text"])
                    or c["value"] == n and re.sub(r"\s+", "", c["text"]).lstrip("，,") in squashed]
            assert any(c["counts"].startswith(_hand_label(claim)) for c in hand), (e["file"], claim.name, n, phrase)
            yielded += 1
    assert yielded >= 20


# ---------------------------------------------------------------- N-1 reads what each number counts
def _claims(text):
    return [(c.name, n) for c, n, _ in narrative.find_claims(text, FMT.claims)]


def test_n1_a_list_of_results_is_each_row_not_the_total():
    text = ("所有办结的申请中同意公开答复6件，部分公开答复3件，不予公开答复2件，无法提供的4件，不予处理1件，"
            "其他处理1件，转下一年度办理答复的有3件。")
    got = _claims(text)
    assert [n for _, n in got] == [6, 3, 2, 4, 1, 1, 3]
    assert not any(name == "办结（答复）的申请" for name, _ in got)
    assert got[-1][0] == "结转下年度办理的申请"


@pytest.mark.parametrize("text", [
    "坚持“办好一件事、服务一个群体、温暖一颗心”，全年办结申请一件。",   # a slogan's numerals
    "全年备案各区行政复议案件9件。",                                   # cases filed for the record
    "市司法局全年办理行政复议案件120件。",                              # cases heard as the reviewing body
    "予以公开和部分公开共12件。",                                       # a sum of two rows
    "办结率100%。",                                                      # a percentage
])
def test_n1_says_nothing_where_a_number_counts_something_else(text):
    assert _claims(text) == []


def test_n1_carried_over_inside_the_total_is_understood():
    got = _claims("共收到申请35件（含上年结转5件），予以公开20件。")
    assert got == [("本年新收政府信息公开申请", 35), ("上年结转的申请", 5), ("「予以公开」的申请", 20)]


# ---------------------------------------------------------------- metadata pieces
@pytest.mark.parametrize("lines, year, agency", [
    (["2024年某某市科学技术委员会政府信息公开工作", "年度报告"], 2024, "某某市科学技术委员会"),
    (["2025年某某市人民政府办公厅政府信息公开工作年度报告"], 2025, "某某市人民政府办公厅"),
    (["洪泽区人民政府", "2023 年政府信息公开工作年度报告"], 2023, "洪泽区人民政府"),
    (["南京海关2023年政府信息公开工作年度报告"], 2023, "南京海关"),
    (["中国人民银行某某市分行2021年政府信息公开工作年度报告"], 2021, "中国人民银行某某市分行"),
    (["2024年度测试单位政府信息公开工作年度报告"], 2024, "测试单位"),
    (["某某县国有林场2022年政府信息公开工作年度报告"], 2022, "某某县国有林场"),
    (["某某市大数据发展促进会", "2024年政府信息公开工作年度报告"], 2024, "某某市大数据发展促进会"),
    (["政府信息公开年报", "根据《条例》，现公布某某县民政局2022年政府信息公开工作年度报告。"], 2022, "某某县民政局"),
    (["首页 > 政务公开", "政府信息公开年报", "本报告统计期限自2021年1月1日起至2021年12月31日止。",
      "某某镇人民政府", "2022年1月10日"], 2021, "某某镇人民政府"),
])
def test_metadata_from_the_evidence(lines, year, agency):
    got = meta.read(lines)
    assert (got.year, got.agency) == (year, agency)


def test_metadata_names_its_sources_and_notes_disagreement():
    got = meta.read(["某某县水利局2023年政府信息公开工作年度报告",
                     "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"])
    assert got.year == 2023 and got.source_of("year").startswith("标题")
    assert any("统计期限为2022年" in n for n in got.notes)
    sidebar = meta.read(["政府信息公开年报", "2024年度政府信息公开工作年度报告", "一、总体情况"])
    assert sidebar.year == 2024 and sidebar.agency == ""   # a link is not an agency


# ---------------------------------------------------------------- the built shapes
SHAPE_FILES = {
    "commission-2024.docx": (2024, shapes.AGENCY),
    "commission-2024.txt": (2024, shapes.AGENCY),
    "commission-2024.pdf": (2024, shapes.AGENCY),
    "city-2025-td.html": (2025, "某某市人民政府办公厅"),
    "province-office-2024-cms.html": (2024, "某某省人民政府办公厅"),
}


@pytest.fixture(scope="module")
def shape_sources():
    return {name: importers.read(str(SHAPES / name)) for name in SHAPE_FILES}


@pytest.mark.parametrize("name", sorted(SHAPE_FILES))
def test_shapes_year_agency_values_and_no_finding(name, shape_sources):
    src = shape_sources[name]
    rep = src.report
    assert (rep.year, rep.agency) == SHAPE_FILES[name]
    want = shapes.report()
    assert {f.key: rep.get(f.key) for f in rep.fmt.fields()} == {f.key: want.get(f.key) for f in want.fmt.fields()}
    # the note printed under 22 is kept beside the number, and nothing is reported: no V-1, no N-1 on the
    # breakdowns, the slogan or the cases filed for the record, no N-3, no I-*
    assert any("（其中修订16件）" in n and "22" in n for n in src.notes)
    assert [(f.rule, f.message) for f in loading.assess(src).findings] == []


@pytest.mark.parametrize("name", sorted(SHAPE_FILES))
def test_shapes_sections_by_meaning(name, shape_sources):
    secs = shape_sources[name].report.sections
    assert set(secs) == {"preamble", "overview", "problems", "other_matters"}
    assert secs["preamble"] == [shapes.PREAMBLE.replace("2024年", "2025年").replace(shapes.AGENCY, "某某市人民政府办公厅")
                                if name.startswith("city") else
                                shapes.PREAMBLE.replace(shapes.AGENCY, "某某省人民政府办公厅")
                                if name.startswith("province") else shapes.PREAMBLE]
    overview = secs["overview"]
    headings = [item["heading"] for item in overview if isinstance(item, dict)]
    assert headings == [h for h, _ in shapes.NARRATIVE[1:]]   # the narrative's own 二…六 are the overview's
    assert secs["problems"] == shapes.PROBLEMS[1] and secs["other_matters"] == shapes.OTHER[1]
    text = json.dumps(secs, ensure_ascii=False)
    for chrome in ("发布日期", "字号", "附件", "分享", "相关文章", "网站标识码", "首页", shapes.SIGNATURE[1]):
        assert chrome not in text


# ---------------------------------------------------------------- the real documents
REAL_FILES = {"hongze-district-2023.pdf": (2023, "洪泽区人民政府", 179),
              "hongze-district-2024.pdf": (2024, "淮安市洪泽区人民政府", 179),
              "huaian-city-2024.pdf": (2024, "淮安市人民政府", 200),
              "shuyang-county-drc-2023.html": (2023, "沭阳县发展和改革局", 75)}


def test_every_printed_value_of_the_real_documents_is_imported():
    """633 printed values (counted by hand from the pages, the misprinted row's 7 twice included; the one
    「（六）其他处理」 row the 2021 format does not have is not a value of the format)."""
    counts = {}
    for name, (year, agency, _) in REAL_FILES.items():
        src = importers.read(str(REAL / name))
        rep = src.report
        assert (rep.year, rep.agency) == (year, agency)
        counts[name] = sum(rep.get(f.key) is not None for f in rep.fmt.fields())
        rules_ = [f.rule for f in loading.assess(src).findings]
        assert "I-4" not in rules_ and "N-3" not in rules_ and "V-1" not in rules_
        assert sum(r == "I-1" for r in rules_) == (1 if name.startswith("hongze") else 0)
    assert counts == {name: n for name, (_, _, n) in REAL_FILES.items()}
    assert sum(counts.values()) == 633


def test_review_files_each_report_under_its_year_and_agency(tmp_path, capsys):
    folder = tmp_path / "报告"
    folder.mkdir()
    expected = {}
    for name, (year, agency, _) in REAL_FILES.items():
        shutil.copy(REAL / name, folder / name)
        expected[name] = (year, agency)
    for name in ("commission-2024.docx", "city-2025-td.html", "province-office-2024-cms.html"):
        shutil.copy(SHAPES / name, folder / name)
        expected[name] = SHAPE_FILES[name]
    code = cli.main(["review", str(folder), "-o", str(tmp_path / "审核.xlsx"), "--json"])
    assert code in (0, 1)
    data = json.loads(capsys.readouterr().out)
    got = {Path(r["file"]).name: (r["year"], r["agency"]) for r in data["reports"]}
    assert got == expected


def test_a_row_cut_by_the_page_break_is_one_row():
    """LibreOffice's PDF of the Word report with 「（二）部分公开…」 cut by the page break (its label's last line
    「情形，不计其他情形）」 and empty cells at the top of the next page): one row, no 「印了两次」."""
    path = SHAPES / "commission-2024-row-over-page.pdf"
    from nianbao.importers import pdf
    doc = pdf.read_document(str(path), path.read_bytes())
    cells = [c for t in doc.tables() for c in t.cells if c.where]
    head = next(c for c in cells if c.text.startswith("（二）部分公开"))
    tail = next(c for c in cells if c.text.startswith("情形"))
    assert head.where.split(" ")[0] != tail.where.split(" ")[0]   # the label really is cut by the page break
    src = importers.read(str(path))
    want = shapes.report()
    assert {f.key: src.report.get(f.key) for f in want.fmt.fields()} == {f.key: want.get(f.key) for f in want.fmt.fields()}
    assert [f.rule for f in loading.assess(src).findings] == []


def test_the_article_of_a_cms_page_is_found_by_structure():
    """Top bar, navigation, breadcrumb, sidebar, attachment, share, related articles and footer are not read
    at all (the page's article is the block holding the title and the tables)."""
    doc = importers.read_document(str(SHAPES / "province-office-2024-cms.html"))
    text = "\n".join(p.text for p in doc.paragraphs())
    for chrome in ("无障碍", "政务服务", "当前位置", "政府信息公开指南", "附件", "分享到", "相关文章", "网站标识码"):
        assert chrome not in text, chrome
    assert text.count("某某省人民政府办公厅2024年政府信息公开工作年度报告") == 1   # the article's own title
    city = importers.read_document(str(SHAPES / "city-2025-td.html"))
    text = "\n".join(p.text for p in city.paragraphs())
    assert "政府信息公开年报" not in text and "网站标识码" not in text and "本报告根据" in text


def test_parts_after_the_tables_by_order_where_their_words_name_no_section():
    lines = ["某某县水利局2024年政府信息公开工作年度报告", "本报告根据《条例》编制。", "一、总体情况", "全年主动公开信息20条。",
             "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
             "五、存在的不足和下一步工作打算", "人员力量不足。", "六、其它", "无。"]
    tables = {t.key: lines.index(h) + 1 for t, h in zip(FMT.tables(), lines[4:7])}   # each table under its heading
    got = sections.split([sections.Line(t, k, f"第{k + 1}段") for k, t in enumerate(lines)], FMT, tables, 0)
    assert got.sections["problems"] == ["人员力量不足。"] and got.sections["other_matters"] == ["无。"]
    assert got.sections["overview"] == ["全年主动公开信息20条。"] and got.sections["preamble"] == ["本报告根据《条例》编制。"]
