"""The Word report: templates, content against the seed and the official 2021 template, 公文 layout, literal text."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from nianbao import examples, formats, word
from nianbao.errors import InputError
from nianbao.model import empty_report
from nianbao.word import build

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
OFFICIAL_2021 = DATA / "real" / "official-template-2021.docx"
SEED_TEXT = DATA / "seed-2020-shandong-commerce.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# The seed's table numbers as printed in the published report (format.md §7; blank cells print as 0).
SEED_ACTIVE = {
    "rules": ("0", "0", "2"), "normative_docs": ("3", "3", "11"), "licensing": ("8", "-1", "5149"),
    "other_services": ("3", "+5", "61537"), "penalty": ("0", "0", "0"), "coercion": ("0", "0", "0"),
    "fees": ("0", "0"), "procurement": ("21", "2807.19万元"),
}
SEED_REQUESTS = {  # row -> {column: value}; every other cell is 0
    "new": {"natural": "14", "commercial": "2", "total": "16"},
    "disclosed": {"natural": "5", "total": "5"},
    "partly_disclosed": {"commercial": "2", "total": "2"},
    "unavailable_not_held": {"natural": "8", "total": "8"},
    "unavailable_unclear": {"natural": "1", "total": "1"},
    "results_total": {"natural": "14", "commercial": "2", "total": "16"},
}
SEED_APPEALS = {"review.pending": "1", "review.total": "1"}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml")


def body_text(docx: bytes) -> str:
    """The text of the body's paragraphs outside tables, one line per paragraph."""
    root = etree.fromstring(document_xml(docx))
    body = root.find(f"{W}body")
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.findall(f"{W}p"))


def cells_by_position(table) -> dict[tuple[int, int], str]:
    return {(c.row, c.col): c.text for c in table.cells}


@pytest.fixture(scope="module")
def seed_docx() -> bytes:
    return word.render(examples.load("seed"))


@pytest.fixture(scope="module")
def example_docx() -> bytes:
    return word.render(examples.load("example2021"))


# ---------------------------------------------------------------- templates
@pytest.mark.parametrize("fid", formats.ids())
def test_committed_templates_are_what_the_build_script_writes(fid):
    committed = REPO / "templates" / formats.get(fid).word_template
    assert committed.read_bytes() == build.build(fid), \
        "templates/ is out of date: run `python -m nianbao.word.build`"


def test_build_is_reproducible():
    assert build.build("2021") == build.build("2021")


def test_docxtpl_lint_passes_with_the_real_contexts(tmp_path):
    data = []
    for name in ("seed", "example2021"):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(word.context_json(examples.load(name)), ensure_ascii=False), encoding="utf-8")
        data += ["--data", str(path)]
    templates = sorted(str(p) for p in (REPO / "templates").glob("*.docx"))
    assert len(templates) == 2
    proc = subprocess.run([sys.executable, "-m", "docxtpl_lint", *templates, *data, "--no-config", "--no-color",
                           "--fail-on", "warning"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_docxtpl_lint_catches_a_broken_template(tmp_path):
    # The lint test above can fail: a template with an unclosed loop is reported.
    from docx import Document
    doc = Document(str(word.template_path("2021")))
    doc.add_paragraph("{%p for x in preamble %}")
    bad = tmp_path / "bad.docx"
    doc.save(str(bad))
    proc = subprocess.run([sys.executable, "-m", "docxtpl_lint", str(bad), "--no-config", "--no-color"],
                          capture_output=True, text=True)
    assert proc.returncode == 1


def test_installed_package_maps_templates_folder():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"nianbao.templates" = "templates"' in text
    assert re.search(r'"nianbao\.templates"\s*=\s*\[[^\]]*"\*\.docx"', text)
    listed = set(re.search(r"packages\s*=\s*\[([^\]]*)\]", text).group(1).replace('"', "").replace(" ", "")
                 .replace("\n", "").split(","))
    listed.discard("")
    on_disk = {".".join(p.parent.relative_to(REPO / "addin").parts)
               for p in (REPO / "addin" / "nianbao").rglob("__init__.py")}
    missing = on_disk - listed
    assert not missing, f"add these packages to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


# ---------------------------------------------------------------- the seed (2019 format)
def test_seed_numbers_are_in_their_cells(seed_docx):
    fmt = formats.get("2019")
    tables = word.read_tables(seed_docx)
    assert len(tables) == 3
    active, requests, appeals = (cells_by_position(t) for t in tables)
    expected = {}
    for row, values in SEED_ACTIVE.items():
        for field, value in zip((f for f in fmt.active.fields() if f.row == row), values):
            expected[field.key] = value
    for f in fmt.requests.fields():
        expected[f.key] = SEED_REQUESTS.get(f.row, {}).get(f.column, "0")
    for f in fmt.appeals.fields():
        expected[f.key] = SEED_APPEALS.get(f"{f.row}.{f.column}", "0")
    assert len(expected) == len(fmt.fields())
    for table, printed in ((fmt.active, active), (fmt.requests, requests), (fmt.appeals, appeals)):
        for cell in table.layout().value_cells():
            assert printed[(cell.row, cell.col)] == expected[cell.key], cell.key


def seed_narrative_lines() -> list[str]:
    """Lines of the seed outside its tables (the section headings 二、三、四 count as narrative)."""
    lines, in_tables = [], False
    for raw in SEED_TEXT.read_text(encoding="utf-8").splitlines():
        line = norm(raw)
        if not line:
            continue
        if line.startswith("二、主动公开政府信息情况"):
            in_tables = True
        elif line.startswith("五、"):
            in_tables = False
        if in_tables and (raw.startswith("\t") or not re.match(r"^[一二三四五六]、", line)):
            continue
        lines.append(line)
    return lines


def test_seed_narrative_is_in_the_document(seed_docx):
    lines = seed_narrative_lines()
    assert len(lines) >= 20
    text = norm(body_text(seed_docx))
    found = [line for line in lines if line in text]
    assert len(found) / len(lines) >= 0.95, [line[:30] for line in lines if line not in text]


def test_seed_title_and_section_order(seed_docx):
    paras = [p for p in body_text(seed_docx).splitlines() if p.strip()]
    assert paras[:2] == ["山东省商务厅", "2020年度政府信息公开工作报告"]
    headings = [s.heading for s in formats.get("2019").sections if s.heading]
    positions = [paras.index(h) for h in headings]
    assert positions == sorted(positions)


def test_blank_cells_zero_by_default_and_blank_on_request():
    report = examples.load("seed")
    zero = cells_by_position(word.read_tables(word.render(report))[1])
    kept = cells_by_position(word.read_tables(word.render(report, keep_blank=True))[1])
    layout = formats.get("2019").requests.layout()
    cell = next(c for c in layout.value_cells() if c.key == "requests.carried_over.natural")
    assert zero[(cell.row, cell.col)] == "0"
    assert kept[(cell.row, cell.col)] == ""
    filled = next(c for c in layout.value_cells() if c.key == "requests.new.natural")
    assert kept[(filled.row, filled.col)] == "14"


@pytest.mark.parametrize("value,kind,text", [
    (5, "signed", "+5"), (-1, "signed", "-1"), (0, "signed", "0"), ("+3", "signed", "+3"), (None, "signed", "0"),
    (12, "count", "12"), (3.0, "count", "3"), ("１２", "count", "12"), ("abc", "count", "abc"),
    (1.25, "money", "1.25"), (0, "money", "0"), ("/", "count", "0"), ("2807.19万元", "text", "2807.19万元"),
])
def test_cell_text(value, kind, text):
    assert word.cell_text(value, kind) == text


# ---------------------------------------------------------------- the 2021 format against the official template
def test_2021_tables_match_the_official_template(example_docx):
    ours = word.read_tables(example_docx)
    official = word.read_tables(OFFICIAL_2021)
    assert len(ours) == len(official) == 3
    fmt = formats.get("2021")
    for table, mine, theirs in zip(fmt.tables(), ours, official):
        assert (mine.rows, mine.cols) == (theirs.rows, theirs.cols), table.key
        spans = lambda t: {(c.row, c.col, c.rowspan, c.colspan) for c in t.cells}  # noqa: E731
        assert spans(mine) == spans(theirs), table.key
        printed, official_text = cells_by_position(mine), cells_by_position(theirs)
        labels = [c for c in table.layout().cells if c.role != "value"]
        assert labels
        for cell in labels:
            assert norm(printed[(cell.row, cell.col)]) == norm(official_text[(cell.row, cell.col)]), cell.text
        # and no label of the official template is missing or moved
        for pos, text in official_text.items():
            if norm(text):
                assert norm(printed[pos]) == norm(text), pos


def test_2021_example_numbers_are_in_their_cells(example_docx):
    report = examples.load("example2021")
    tables = word.read_tables(example_docx)
    for table, printed in zip(report.fmt.tables(), tables):
        cells = cells_by_position(printed)
        for cell in table.layout().value_cells():
            assert cells[(cell.row, cell.col)] == word.cell_text(report.get(cell.key),
                                                                 report.fmt.field(cell.key).kind)


# ---------------------------------------------------------------- 公文 layout
def test_page_fonts_spacing_and_page_numbers(seed_docx):
    from docx import Document
    doc = Document(io.BytesIO(seed_docx))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == \
        [37, 35, 28, 26]
    assert doc.settings.odd_and_even_pages_header_footer
    odd = sec.footer._element.xml
    even = sec.even_page_footer._element.xml
    for xml, side in ((odd, "right"), (even, "left")):
        assert "— " in xml and " —" in xml and "PAGE" in xml
        assert f'w:jc w:val="{side}"' in xml

    styles = doc.styles.element.xml

    def style(name):
        return doc.styles[name].element

    normal = style("Normal")
    fonts = normal.find(f".//{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert normal.find(f".//{W}lang").get(f"{W}eastAsia") == "zh-CN"
    assert normal.find(f".//{W}sz").get(f"{W}val") == "32"
    spacing = normal.find(f".//{W}spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact")
    assert normal.find(f".//{W}ind").get(f"{W}firstLineChars") == "200"
    assert style("公文标题").find(f".//{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    assert style("公文标题").find(f".//{W}sz").get(f"{W}val") == "44"
    assert style("公文标题").find(f".//{W}jc").get(f"{W}val") == "center"
    assert style("一级标题").find(f".//{W}rFonts").get(f"{W}eastAsia") == "黑体"
    assert style("二级标题").find(f".//{W}rFonts").get(f"{W}eastAsia") == "楷体_GB2312"
    assert style("表格文字").find(f".//{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert int(style("表格文字").find(f".//{W}sz").get(f"{W}val")) < 32
    assert "eastAsiaTheme" not in styles.split("<w:docDefaults")[1].split("</w:docDefaults>")[0]

    paras = {p.text: p for p in doc.paragraphs if p.text}
    assert paras["山东省商务厅"].style.name == "公文标题"
    assert paras["一、总体情况"].style.name == "一级标题"
    assert paras["（一）主动公开情况"].style.name == "二级标题"


@pytest.mark.parametrize("name", ["seed", "example2021"])
def test_tables_fit_the_text_width_and_repeat_headers(name):
    docx = word.render(examples.load(name))
    root = etree.fromstring(document_xml(docx))
    tables = root.find(f"{W}body").findall(f"{W}tbl")
    layouts = [t.layout() for t in examples.load(name).fmt.tables()]
    text_width = round(156 * 1440 / 25.4)
    for tbl, layout in zip(tables, layouts):
        grid = [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid")]
        assert sum(grid) <= text_width
        assert int(tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) <= text_width
        rows = tbl.findall(f"{W}tr")
        headers = [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows]
        assert headers == [i < layout.header_rows for i in range(len(rows))]
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    doc = Document(io.BytesIO(docx))
    for table, layout in zip(doc.tables, layouts):
        for cell in layout.value_cells():
            assert table.cell(cell.row, cell.col).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


# ---------------------------------------------------------------- user text is text
HOSTILE = ["A&B <b>粗体</b> {{ agency }} {% if x %} {_{ }_} {#c#} 'single' \"double\" 😀 𠀀 末尾",
           "第二行\n换行 & 制表\t符", "控制字符\x01\x0b\ud800被去掉"]


def hostile_report():
    report = empty_report("2019", 2020, agency=HOSTILE[0])
    report.title = "标题 <&> {{ title }}"
    report.contact = {"address": "地址 & <路>"}
    report.sections = {"preamble": [HOSTILE[0]], "overview": [{"heading": "（一）<小标题>&", "paragraphs": HOSTILE}],
                       "problems": ["{%p endfor %}"], "other_matters": ["}}{{"]}
    report.set("active.procurement.amount", "<1> & {{2}}万元")
    return report


def test_user_text_comes_out_literally_and_the_document_stays_valid(tmp_path):
    report = hostile_report()
    out = word.export(report, tmp_path / "r.docx")
    data = out.read_bytes()
    etree.fromstring(document_xml(data))  # strict parse: well-formed
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        etree.fromstring(z.read("docProps/core.xml"))
    text = body_text(data)
    assert "A&B <b>粗体</b> {{ agency }} {% if x %} {_{ }_} {#c#} 'single' \"double\" 😀 𠀀 末尾" in text
    assert "标题 <&> {{ title }}" in text
    assert "（一）<小标题>&" in text
    assert "{%p endfor %}" in text and "}}{{" in text
    assert "控制字符被去掉" in text
    tables = word.read_tables(data)
    assert "<1> & {{2}}万元" in [c.text for c in tables[0].cells]
    from docx import Document
    doc = Document(str(out))
    assert doc.core_properties.title.startswith("A&B <b>")
    # a newline in a paragraph is a line break in Word, a tab a tab
    xml = document_xml(data).decode("utf-8")
    assert "<w:br/>" in xml and "<w:tab/>" in xml


# ---------------------------------------------------------------- users' own templates
def make_template(path: Path, *paragraphs: str) -> Path:
    from docx import Document
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    doc.save(str(path))
    return path


def test_own_template_renders_with_the_same_variables(tmp_path):
    tpl = make_template(tmp_path / "mine.docx", "某某市人民政府信息公开办公室", "{{ full_title }}",
                        "新收申请 {{ requests.new.total }} 件，采购 {{ active.procurement.items }} 项",
                        "{%p for para in preamble %}", "{{ para }}", "{%p endfor %}")
    report = examples.load("seed")
    out = word.export(report, tmp_path / "out.docx", template=tpl)
    text = body_text(out.read_bytes())
    assert "山东省商务厅2020年度政府信息公开工作报告" in text
    assert "新收申请 16 件，采购 21 项" in text
    assert report.sections["preamble"][0] in text


@pytest.mark.parametrize("tag,message", [
    ("{{ agency.__class__.__mro__ }}", "安全沙箱"),
    ("{{ no_such_variable }}", "--list-vars"),
    ("{{ headings.overview.format.__globals__ }}", "安全沙箱"),
    ("{% for x in %}", "语法错误"),
])
def test_own_template_is_sandboxed_and_strict(tmp_path, tag, message):
    tpl = make_template(tmp_path / "bad.docx", tag)
    out = tmp_path / "out.docx"
    with pytest.raises(InputError) as err:
        word.export(examples.load("seed"), out, template=tpl)
    assert message in str(err.value)
    assert not out.exists()


def test_variables_cover_the_context_and_every_cell():
    names = {n for n, _ in word.variables()}
    for fid in formats.ids():
        assert {f.key for f in formats.get(fid).fields()} <= names
        ctx = word.context_json(empty_report(fid, 2024))
        flat = set()
        for key, value in ctx.items():
            if isinstance(value, dict) and key not in {t.key for t in formats.get(fid).tables()}:
                flat |= {f"{key}.{k}" for k in value}
            elif key not in {t.key for t in formats.get(fid).tables()}:
                flat.add(key)
        assert flat <= names, flat - names
    assert all(desc for _, desc in word.variables())


def test_docs_list_every_general_variable():
    doc = (REPO / "docs" / "word.md").read_text(encoding="utf-8")
    for name, _ in word.variables("2021"):
        if not name.startswith(("active.", "requests.", "appeals.")):
            assert f"`{name}`" in doc, name


def test_default_name():
    report = examples.load("seed")
    assert word.default_name(report) == "山东省商务厅2020年度政府信息公开工作年度报告.docx"
    report.agency = '某/县:"政府"'
    assert word.default_name(report) == "某县政府2020年度政府信息公开工作年度报告.docx"


def test_importing_word_does_not_load_docxtpl():
    # The Excel add-in imports nianbao modules on every ribbon click: heavy imports stay inside functions.
    code = ("import sys, nianbao.word, nianbao.commands.export; "
            "print(sorted({'docxtpl', 'docx', 'lxml', 'jinja2'} & set(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


# ---------------------------------------------------------------- on paper: no bare heading, draft mark, fees
def body_blocks(docx: bytes) -> list[tuple[str, str]]:
    """The body in order: ("table", "") or (paragraph style id, text)."""
    root = etree.fromstring(document_xml(docx))
    out = []
    for el in root.find(f"{W}body"):
        if el.tag == f"{W}tbl":
            out.append(("table", ""))
        elif el.tag == f"{W}p":
            style = el.find(f"{W}pPr/{W}pStyle")
            out.append((style.get(f"{W}val") if style is not None else "Normal",
                        "".join(t.text or "" for t in el.iter(f"{W}t"))))
    return out


def section_text(docx: bytes, heading: str) -> str:
    """The text of the first paragraph after a section heading."""
    blocks = body_blocks(docx)
    i = next(i for i, (_, text) in enumerate(blocks) if text == heading)
    return blocks[i + 1][1]


@pytest.mark.parametrize("fid", formats.ids())
def test_a_blank_report_has_no_bare_heading(fid):
    report = empty_report(fid, 2024 if fid == "2021" else 2020)
    assert word.empty_sections(report) == ["overview", "problems", "other_matters"]
    docx = word.render(report)
    for section in report.fmt.sections:
        if section.heading and not section.table:
            assert section_text(docx, section.heading) == word.EMPTY_MARK
    assert body_text(docx).count(word.EMPTY_MARK) == 3


def test_blank_paragraphs_count_as_no_text():
    report = empty_report("2021", 2024)
    report.sections = {"overview": ["  ", {"heading": " ", "paragraphs": ["", "\u3000"]}], "problems": ["问题。"]}
    assert word.empty_sections(report) == ["overview", "other_matters"]
    assert section_text(word.render(report), "一、总体情况") == word.EMPTY_MARK


@pytest.mark.parametrize("fees,sentence", [
    ({}, ""),
    ({"notices": None}, ""),
    ({"notices": 0, "notice_amount_yuan": 0, "collected_yuan": 0}, "本年度未收取信息处理费。"),
    ({"notices": 0}, "本年度未收取信息处理费。"),
    ({"notices": 2, "notice_amount_yuan": 300, "collected_yuan": 120.5},
     "本年度共发出收费通知2件，总金额300元，实际收取120.5元。"),
    ({"notices": 3, "collected_yuan": 0}, "本年度共发出收费通知3件，实际收取0元。"),
])
def test_fee_sentence(fees, sentence):
    report = empty_report("2021", 2024)
    report.fees = fees
    assert word.fee_sentence(report) == sentence
    assert ("other_matters" in word.empty_sections(report)) == (not sentence)
    docx = word.render(report)
    assert section_text(docx, "六、其他需要报告的事项") == (sentence or word.EMPTY_MARK)
    assert word.context(report)["fee_sentence"] == sentence


def test_section_six_of_its_own_is_printed_instead_of_the_fee_sentence():
    report = examples.load("example2021")
    assert report.fees["notices"] and word.empty_sections(report) == []
    docx = word.render(report)
    assert word.fee_sentence(report) not in body_text(docx)
    assert section_text(docx, "六、其他需要报告的事项").startswith("（一）信息处理费收取情况")
    assert word.EMPTY_MARK not in body_text(docx)


def test_the_seed_says_that_section_six_is_still_to_be_written():
    report = examples.load("seed")
    assert word.empty_sections(report) == ["other_matters"]  # no section 六 and no fee data
    assert section_text(word.render(report), "六、其他需要报告的事项") == word.EMPTY_MARK


@pytest.mark.parametrize("fid", formats.ids())
def test_every_heading_is_followed_by_text_or_its_table(fid):
    import random

    import reportgen
    rng = random.Random(fid)
    for _ in range(8):
        report = reportgen.zero_report(fid)
        report.sections = reportgen.random_sections(rng, report.fmt)
        report.fees = reportgen.random_fees(rng)
        blocks = body_blocks(word.render(report)) + [("end", "")]
        h1, h2 = build.STYLE_IDS["h1"], build.STYLE_IDS["h2"]
        for (style, text), (next_style, next_text) in zip(blocks, blocks[1:]):
            if style == h1:  # its table, a sub-heading or text
                assert next_style == "table" or (next_style not in (h1, "end") and next_text.strip()), text
            if style == h2:
                assert next_style == "Normal" and next_text.strip(), text


def header_texts(docx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {n: "".join(t.text or "" for t in etree.fromstring(z.read(n)).iter(f"{W}t"))
                for n in z.namelist() if re.fullmatch(r"word/header\d*\.xml", n)}


def test_draft_mark_heads_every_page_only_when_asked():
    report = examples.load("seed")
    assert word.DRAFT_MARK not in "".join(header_texts(word.render(report)).values())
    docx = word.render(report, draft=True)
    from docx import Document
    doc = Document(io.BytesIO(docx))
    sec = doc.sections[0]
    for header in (sec.header, sec.even_page_header):  # odd and even pages
        assert header.paragraphs[0].text == word.DRAFT_MARK
    assert word.DRAFT_MARK not in body_text(docx)  # the body (and its page count) is the same


def test_draft_mark_with_an_own_template(tmp_path):
    tpl = make_template(tmp_path / "mine.docx", "{{ full_title }}")
    docx = word.render(examples.load("seed"), template=tpl, draft=True)
    assert word.DRAFT_MARK in "".join(header_texts(docx).values())


# ---------------------------------------------------------------- on paper: template settings
def template_root(fid: str):
    return etree.fromstring(document_xml(word.template_path(fid).read_bytes()))


@pytest.mark.parametrize("fid", formats.ids())
def test_tables_keep_together_as_the_official_ones_must(fid):
    fmt = formats.get(fid)
    tables = template_root(fid).find(f"{W}body").findall(f"{W}tbl")
    for table, tbl in zip(fmt.tables(), tables):
        layout = table.layout()
        rows = tbl.findall(f"{W}tr")
        titles = {c.row for c in layout.cells if c.role == "title"}
        for r, tr in enumerate(rows):
            assert tr.find(f"{W}trPr/{W}cantSplit") is not None
            keep = [p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p")]
            # Tables 三 and 四 whole; table 二 breaks only before a 「第二十条」 title row.
            assert all(keep) == (r + 1 < len(rows) and r + 1 not in titles), (table.key, r)
            assert any(keep) == all(keep)
            fills = {s.get(f"{W}fill") for s in tr.iter(f"{W}shd")}
            assert fills == ({build.TITLE_ROW_FILL} if r in titles else set()), (table.key, r)
        assert {c.text for c in layout.cells if c.role == "title"} == {b.title for b in getattr(table, "blocks", ())}


def test_official_template_shades_the_same_title_rows():
    official = etree.fromstring(document_xml(OFFICIAL_2021.read_bytes()))
    active = official.find(f"{W}body").find(f"{W}tbl")
    shaded = {"".join(t.text or "" for t in tr.iter(f"{W}t")) for tr in active.findall(f"{W}tr")
              if any(s.get(f"{W}fill") == build.TITLE_ROW_FILL for s in tr.iter(f"{W}shd"))}
    assert shaded == {b.title for b in formats.get("2021").active.blocks}


def test_grid_of_22_lines_and_28_characters(seed_docx):
    from docx import Document
    doc = Document(io.BytesIO(seed_docx))
    grid = doc.sections[0]._sectPr.find(f"{W}docGrid")
    assert (grid.get(f"{W}type"), grid.get(f"{W}linePitch")) == ("lines", "579")
    text_width = doc.sections[0].page_width.twips - doc.sections[0].left_margin.twips \
        - doc.sections[0].right_margin.twips
    text_height = doc.sections[0].page_height.twips - doc.sections[0].top_margin.twips \
        - doc.sections[0].bottom_margin.twips
    assert 22 * 579 <= text_height < 23 * 579
    for name in ("Normal", "一级标题", "二级标题"):
        el = doc.styles[name].element
        spacing = int(el.find(f"{W}rPr/{W}spacing").get(f"{W}val"))
        pitch = int(el.find(f"{W}rPr/{W}sz").get(f"{W}val")) * 10 + spacing  # twips a character
        assert 28 * pitch <= text_width < 29 * pitch, name
    for name in ("公文标题", "表格文字", "页码"):
        el = doc.styles[name].element
        assert el.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0", name
        assert el.find(f"{W}rPr/{W}spacing").get(f"{W}val") == "0", name
    for style_id in ("Normal", *build.STYLE_IDS.values()):  # LibreOffice hangs no mark (and loses none)
        el = next(s for s in doc.styles.element.iter(f"{W}style") if s.get(f"{W}styleId") == style_id)
        assert el.find(f"{W}pPr/{W}overflowPunct").get(f"{W}val") == "1", style_id
