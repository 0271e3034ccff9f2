"""Importing published reports: the real web page, the official blank template, the seed text, the
features of each kind of file, hostile input and the commands that accept a published report."""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from nianbao import cli, examples, formats, importers, model, rules, zipparts
from nianbao.errors import InputError
from nianbao.importers import match

DATA = Path(__file__).parent / "data"
REAL = DATA / "real"
PAGE = REAL / "shuyang-county-drc-2023.html"
TEMPLATE = REAL / "official-template-2021.docx"
SEED = DATA / "seed-2020-shandong-commerce.txt"
EXPECTED = json.loads((DATA / "import" / "shuyang-county-drc-2023.expected.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the real web page
def test_real_page_every_printed_value():
    src = importers.read(str(PAGE))
    rep = src.report
    assert (rep.format, rep.year, rep.agency, rep.title) == (EXPECTED["format"], EXPECTED["year"],
                                                             EXPECTED["agency"], EXPECTED["title"])
    assert src.kind == "html" and src.findings == ()
    fmt = rep.fmt
    want = {}
    for row, cols in EXPECTED["active"].items():
        for col, v in cols.items():
            want[f"active.{row}.{col}"] = v
    t3 = fmt.requests
    for row, values in EXPECTED["requests"].items():
        for col, v in zip(t3.columns, values):
            want[f"requests.{row}.{col.key}"] = v
    t4 = fmt.appeals
    for (g, _), values in zip(t4.groups, EXPECTED["appeals"]):
        for (m, _), v in zip(t4.members, values):
            want[f"appeals.{g}.{m}"] = v
    assert set(want) == {f.key for f in fmt.fields()}  # the page prints every cell of the format
    got = {f.key: rep.get(f.key) for f in fmt.fields()}
    assert got == want
    for key, place in EXPECTED["places"].items():
        assert src.locate(key) == place


def test_real_page_narrative():
    rep = importers.read(str(PAGE)).report
    want = EXPECTED["sections"]
    assert rep.sections["preamble"][0].startswith(want["preamble_starts"])
    assert [b["heading"] for b in rep.sections["overview"] if isinstance(b, dict)] == want["overview_headings"]
    problems = rep.sections["problems"]
    assert len(problems) == want["problems_paragraphs"]
    assert [p[:len(s)] for p, s in zip(problems, want["problems_starts"])] == want["problems_starts"]
    # the signature and date lines after 六 are dropped, the site's navigation before the title too
    assert rep.sections["other_matters"] == want["other_matters"]
    assert not any("首页" == t or "无障碍" == t for _, _, t in rep.narrative())


def test_real_page_check_reports_its_real_defects(capsys):
    want = EXPECTED["check"]
    assert cli.main(["check", str(PAGE), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    findings = out["findings"]
    assert sum(f["severity"] == "error" for f in findings) == want["errors"]
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
    assert by_rule == want["warnings"]
    fmt = formats.get(EXPECTED["format"])
    parts = [c.key for c in fmt.requests.columns][1:-1]
    for f in findings:
        assert len(f["cells"]) == want["blank_cells_per_row"]
        assert [c.split(".")[2] for c in f["cells"]] == parts
        assert all(loc.startswith("表3 第") for loc in f["locations"])  # places in the page, not sheet cells


# ---------------------------------------------------------------- the official blank template
def test_blank_template_imports_as_an_empty_2021_report():
    src = importers.read(str(TEMPLATE))
    rep = src.report
    assert rep.format == formats.get("2021").id
    assert all(rep.get(f.key) is None for f in rep.fmt.fields())
    assert rep.sections == {}  # the 「（文字描述）」 instructions are not text of a report
    assert [f.rule for f in src.findings] == ["I-4"]  # the template's title has no year
    assert src.locate("requests.new.natural") == "表2 第4行第4列"


# ---------------------------------------------------------------- the seed text
def test_seed_text_gives_exactly_the_seed_report():
    src = importers.read(str(SEED))
    got, want = src.report, examples.load("seed")
    assert (got.format, got.year, got.agency, got.title) == (want.format, want.year, want.agency, want.title)
    for f in want.fmt.fields():
        assert (f.key, got.get(f.key), type(got.get(f.key))) == (f.key, want.get(f.key), type(want.get(f.key)))
    assert got.sections == want.sections
    assert src.findings == ()
    assert src.kind == "txt"
    assert src.locate("active.procurement.amount") == "第90行"


# ---------------------------------------------------------------- .docx features
def _official_docx(report: model.Report, path: Path, mutate=None) -> Path:
    """A .docx with the official tables (merges as python-docx makes them) holding ``report``'s values."""
    d = python_docx.Document()
    d.add_paragraph(f"{report.agency}{report.year}年度政府信息公开工作年度报告")
    for t in report.fmt.tables():
        layout = t.layout()
        table = d.add_table(rows=layout.rows, cols=layout.cols)
        for c in layout.cells:
            cell = table.cell(c.row, c.col)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
            value = report.get(c.key) if c.key else c.text
            cell.text = "" if value is None else str(value)
        d.add_paragraph("")
    if mutate:
        mutate(d)
    d.save(path)
    return path


def _w(tag, **attrs):
    el = etree.SubElement(etree.Element("dummy"), qn(tag))
    for k, v in attrs.items():
        el.set(qn(k), v)
    return el


def _set_cell_xml(cell, runs):
    """Replace a cell's paragraph content with runs: ("t", text) | ("ins", text) | ("del", text)."""
    p = cell.paragraphs[0]._p
    for r in list(p):
        if r.tag != qn("w:pPr"):
            p.remove(r)
    for kind, text in runs:
        r = etree.SubElement(etree.Element("x"), qn("w:r"))
        t = etree.SubElement(r, qn("w:delText" if kind == "del" else "w:t"))
        t.text = text
        if kind == "t":
            p.append(r)
        else:
            wrap = etree.SubElement(p, qn("w:" + kind))
            wrap.set(qn("w:id"), "1")
            wrap.set(qn("w:author"), "x")
            wrap.append(r)


def test_docx_merges_tracked_changes_text_box_and_nested_layout_table(tmp_path):
    rep = examples.load("example2021")
    fmt = rep.fmt
    total_key = f"requests.new.{fmt.requests.total_column}"

    def mutate(d):
        t3 = d.tables[1]
        row = next(i for i, r in enumerate(fmt.requests.rows) if r.key == "new")
        hdepth = fmt.requests.layout().header_rows
        cell = t3.cell(hdepth + row, fmt.requests.label_depth + len(fmt.requests.columns) - 1)
        # a corrected total: 「9」 deleted, 「1」「2」 inserted around kept text — accepted it reads 12
        _set_cell_xml(cell, [("del", "9"), ("ins", "1"), ("t", "2")])
        # a text box in the title paragraph, and the whole report inside a one-cell layout table
        box = etree.fromstring(
            f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            f'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:AlternateContent>'
            f'<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t>文本框中的正文。</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>重复的文本框</w:t></w:r></w:p></w:txbxContent>'
            f'</w:pict></mc:Fallback></mc:AlternateContent></w:r>')
        d.paragraphs[0]._p.append(box)
        body = d.element.body
        outer = d.add_table(rows=1, cols=1)._tbl
        tc = outer.find(qn("w:tr")).find(qn("w:tc"))
        for el in list(body):
            if el is not outer and el.tag in (qn("w:p"), qn("w:tbl")):
                tc.append(el)
        tc.append(etree.SubElement(etree.Element("x"), qn("w:p")))
        body.insert(0, outer)

    rep.set(total_key, 12)
    path = _official_docx(rep, tmp_path / "r.docx", mutate)
    doc = importers.read_document(str(path))
    assert len(doc.tables()) == 3  # the layout table is read through, not as a table
    src = importers.read(str(path))
    got = src.report
    assert got.format == rep.format and got.year == rep.year and got.agency == rep.agency
    for f in fmt.fields():
        want = rep.get(f.key)
        assert got.get(f.key) == (None if want is None else model.as_number(str(want), f.kind)[0]
                                  if f.kind != formats.TEXT else str(want)), f.key
    assert got.get(total_key) == 12
    assert got.sections["overview"] == ["文本框中的正文。"]
    assert "重复的文本框" not in got.narrative_text()


# ---------------------------------------------------------------- .html features
def _html_report_page(rep: model.Report, encoding: str, meta: bool, extra_column: str | None = None,
                      reverse_appeals: bool = False) -> bytes:
    """A page as government sites save them: a layout table around the report, values split by
    <font>/<span>, &nbsp; and line breaks in labels, rowspan/colspan."""
    parts = []
    for t in rep.fmt.tables():
        layout = t.layout()
        rows = [[] for _ in range(layout.rows)]
        for c in layout.cells:
            value = rep.get(c.key) if c.key else c.text
            text = "" if value is None else str(value)
            if c.key and len(text) > 1:
                text = f"<font face=x>{text[0]}</font><span style='a'>{text[1:]}</span>"
            elif not c.key and len(text) > 3:
                text = f"{text[:2]}&nbsp;<br>{text[2:]}"
            rows[c.row].append(f"<td rowspan={c.rowspan} colspan={c.colspan}><p><span>{text}</span></p></td>")
        if extra_column and t.key == rep.fmt.requests.key:  # a column the format does not have, at the end
            head = layout.header_rows
            rows[0].append(f"<td rowspan={head}>{extra_column}</td>")
            for r in range(head, layout.rows):
                rows[r].append("<td>见说明</td>")
        if reverse_appeals and t.key == rep.fmt.appeals.key:  # the groups printed right to left
            rows = [list(reversed(r)) for r in rows]
        parts.append("<table>" + "".join(f"<tr>{''.join(r)}</tr>" for r in rows) + "</table>")
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">' if meta else ""
    page = (f"<html><head>{head}<title>x</title><script>var a='<table>';</script></head><body>"
            f"<table><tr><td><a>首页</a></td></tr><tr><td>"
            f"<p align=center><font>{rep.agency}</font><font>{rep.year}年度政府信息公开工作年度报告</font></p>"
            f"<p>一、总体情况</p><p>今年&nbsp;收到申请<b>1</b><span>2</span>件。</p>"
            + "".join(parts) + "</td></tr></table><div>版权所有</div></body></html>")
    return page.encode(encoding)


@pytest.mark.parametrize("encoding,meta", [("gbk", True), ("gb18030", False), ("utf-8", False), ("utf-8", True)])
def test_html_page_encodings_layout_tables_and_split_numbers(tmp_path, encoding, meta):
    rep = examples.load("seed")
    path = tmp_path / "r.html"
    path.write_bytes(_html_report_page(rep, encoding, meta))
    src = importers.read(str(path))
    got = src.report
    assert (got.format, got.year, got.agency) == (rep.format, rep.year, rep.agency)
    for f in rep.fmt.fields():
        assert got.get(f.key) == rep.get(f.key), f.key
    assert got.sections["overview"] == ["今年 收到申请12件。"]
    assert src.locate("requests.new.natural").startswith("表2 ")  # the layout table is not counted


def test_html_extra_column_and_columns_found_by_their_headers(tmp_path):
    rep = examples.load("example2021")
    path = tmp_path / "r.html"
    path.write_bytes(_html_report_page(rep, "utf-8", True, extra_column="备注", reverse_appeals=True))
    src = importers.read(str(path))
    got = src.report
    for f in rep.fmt.fields():
        assert got.get(f.key) == rep.get(f.key), f.key
    assert [f.rule for f in src.findings] == ["I-1"]
    assert "备注" in src.findings[0].message


# ---------------------------------------------------------------- .txt with separated rows
def test_txt_rows_separated_by_tabs_bars_and_spaces(tmp_path):
    rep = examples.load("example2021")
    fmt = rep.fmt
    lines = [f"{rep.agency}{rep.year}年度政府信息公开工作年度报告", "二、主动公开政府信息情况"]
    seps = ["   ", "\t", " | "]
    for n, t in enumerate(fmt.tables()):
        layout = t.layout()
        grid: dict[int, list[str]] = {}
        for c in layout.cells:
            value = rep.get(c.key) if c.key else c.text
            grid.setdefault(c.row, []).append("0" if value is None else str(value))
        lines += [seps[n].join(cells) for _, cells in sorted(grid.items()) if len(cells) > 1 or n != 1]
        lines.append("")
    path = tmp_path / "r.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    got = importers.read(str(path)).report
    for f in fmt.fields():
        want = rep.get(f.key)
        assert got.get(f.key) == (0 if want is None else want), f.key


# ---------------------------------------------------------------- variants and findings
def test_label_variants_and_old_format_rows_in_a_new_year(tmp_path):
    """Full-width digits, spaces in labels, a missing 总计 column; a 2023 report printing 2019's single
    （六）其他处理 row is read in the format it prints (so S-1 reports it), never mapped silently."""
    old = formats.get("2019")
    rep = examples.load("seed")
    lines = ["某县人民政府办公室", "2023 年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    t3 = old.requests
    lines.append("\t".join(["", "", ""] + [c.labels[-1] for c in t3.columns if c.key != t3.total_column]))
    for r in t3.rows:
        labels = [" ".join(x) for x in r.labels]  # spaces inside labels
        values = ["１" if r.key == t3.rows[0].key else "0" for c in t3.columns if c.key != t3.total_column]
        lines.append("\t".join(labels + values))
    path = tmp_path / "r.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    src = importers.read(str(path))
    got = src.report
    assert got.format == old.id and got.year == 2023
    assert got.get(f"requests.{t3.rows[0].key}.{t3.columns[0].key}") == 1
    assert got.get(f"requests.{t3.rows[0].key}.{t3.total_column}") is None
    other = [r.key for r in t3.rows if r.key not in {x.key for x in formats.get('2021').requests.rows}]
    assert got.get(f"requests.{other[0]}.{t3.columns[0].key}") == 0
    assert "S-1" in {f.rule for f in rules.check(got)}
    assert {f.rule for f in src.findings} == {"I-3"}  # tables 二 and 四 are not printed
    del rep


def test_old_format_row_among_new_format_tables_is_named(tmp_path):
    """Tables 二 and 四 of the 2021 format with table 三 of the 2019 format (its single （六）其他处理 row):
    the row is never mapped silently onto the 2021 rows — a finding names it, or S-1 reports the format."""
    new, old = examples.load("example2021"), examples.load("seed")
    tables = lambda page: re.findall(r"<table><tr><td rowspan.*?</table>", page)  # noqa: E731
    page_new = _html_report_page(new, "utf-8", True).decode()
    page_old = _html_report_page(old, "utf-8", True).decode()
    t3 = [t.key for t in new.fmt.tables()].index(new.fmt.requests.key)
    page = page_new.replace(tables(page_new)[t3], tables(page_old)[t3])
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    src = importers.read(str(path))
    old_only = [r for r in old.fmt.requests.rows if r.key not in {x.key for x in new.fmt.requests.rows}]
    label = old_only[0].labels[-1]
    named = [f for f in src.findings if f.rule == "I-1" and label in f.message]
    s1 = [f for f in rules.check(src.report) if f.rule == "S-1"]
    assert named or s1
    if named:
        assert named[0].locations and named[0].locations[0].startswith("表2 ")
        missing = [f for f in src.findings if f.rule == "I-3"]
        assert missing and all(src.report.get(k) is None for k in missing[0].cells)


def test_unknown_row_and_unreadable_row_are_findings(tmp_path):
    rep = examples.load("example2021")
    page = _html_report_page(rep, "utf-8", True).decode()
    assert "行政&nbsp;<br>许可" in page and "行政&nbsp;<br>处罚</span></p></td><td rowspan=1 colspan=3>" in page
    page = page.replace("行政&nbsp;<br>许可", "行政确认", 1)      # a row the format does not have
    # a row with one more value cell than the format has
    page = page.replace("行政&nbsp;<br>处罚</span></p></td><td rowspan=1 colspan=3>",
                        "行政处罚</span></p></td><td>7</td><td rowspan=1 colspan=2>", 1)
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    src = importers.read(str(path))
    rules_found = sorted(f.rule for f in src.findings)
    assert "I-1" in rules_found
    i1 = next(f for f in src.findings if f.rule == "I-1")
    assert "行政确认" in i1.message and i1.locations and i1.locations[0].startswith("表")
    assert src.report.get("active.licensing.decisions") is None
    i2 = next(f for f in src.findings if f.rule == "I-2")
    assert "行政处罚" in i2.message
    assert src.report.get("active.penalty.decisions") is None
    assert src.report.get("active.coercion.decisions") == rep.get("active.coercion.decisions")


# ---------------------------------------------------------------- hostile input
def _docx_with(document_xml: bytes, tmp_path: Path, name="r.docx") -> Path:
    src = zipfile.ZipFile(TEMPLATE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, document_xml if info.filename == "word/document.xml" else src.read(info))
    p = tmp_path / name
    p.write_bytes(buf.getvalue())
    return p


def test_docx_part_that_inflates_hugely_is_refused(tmp_path):
    big = b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>' + b" " * (zipparts.MAX_XML_PART_BYTES + 10) + \
        b"</w:body></w:document>"
    p = _docx_with(big, tmp_path)
    assert p.stat().st_size < 1024 * 1024
    with pytest.raises(InputError, match="上限"):
        importers.read(str(p))


def test_entities_are_not_expanded(tmp_path):
    xml = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
           b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           b'<w:p><w:r><w:t>&c;&e;</w:t></w:r></w:p></w:body></w:document>')
    p = _docx_with(xml, tmp_path)
    doc = importers.read_document(str(p))
    text = "".join(b.text for b in doc.paragraphs())
    assert "AAAA" not in text and "root" not in text


def test_deeply_nested_html_and_broken_files_exit_2(tmp_path, capsys):
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div><span>" * 5000 + "x" + "</span></div>" * 5000 + "</body></html>")
    bad_zip = tmp_path / "bad.docx"
    bad_zip.write_bytes(b"PK\x03\x04 not a zip")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(importers.MAX_FILE_BYTES + 1)
    for p in (deep, bad_zip, empty, big):
        code = cli.main(["import", str(p), "--json"])
        err = capsys.readouterr().err
        assert code in (0, 2), p
        assert "Traceback" not in err
        if code == 2:
            assert str(p) in err
    assert cli.main(["import", str(bad_zip)]) == 2
    assert cli.main(["import", str(big)]) == 2


def test_broken_table_is_a_finding_not_a_traceback(tmp_path):
    page = ("<html><body><p>某局2023年度政府信息公开工作年度报告</p><table>"
            "<tr><td rowspan=99999 colspan=99999>行政复议</td><td>结果维持</td></tr>"
            "<tr><td>1</td><td>2</td></tr></table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>"
            "<tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>"
            + "<tr>" + "<td>0</td>" * 14 + "</tr></table></body></html>")
    p = tmp_path / "r.html"
    p.write_text(page, encoding="utf-8")
    src = importers.read(str(p))
    assert "I-2" in {f.rule for f in src.findings}


# ---------------------------------------------------------------- commands
def test_import_command_writes_workbook_and_json(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert cli.main(["import", str(SEED), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "山东省商务厅" in err and "2019年格式" in err
    assert cli.main(["import", str(SEED), "-o", str(out)]) == 2  # refuses to overwrite
    assert "已存在" in capsys.readouterr().err
    assert cli.main(["import", str(SEED), "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    from nianbao import workbook
    back, _ = workbook.read(str(out))
    want = examples.load("seed")
    assert all(back.number(f.key) == want.number(f.key) for f in want.fmt.fields())
    assert cli.main(["import", str(SEED), "--json"]) == 0
    data = model.from_dict(json.loads(capsys.readouterr().out))
    assert data.tables == want.tables and data.sections == want.sections


def test_published_reports_accepted_by_check_new_and_export(tmp_path, capsys):
    copy = tmp_path / "last-year.html"
    shutil.copy(PAGE, copy)
    before = copy.read_bytes()
    out = tmp_path / "this-year.xlsx"
    assert cli.main(["new", "--from", str(copy), "-o", str(out)]) == 0
    from nianbao import workbook
    new, _ = workbook.read(str(out))
    assert new.year == EXPECTED["year"] + 1 and new.agency == EXPECTED["agency"]
    assert cli.main(["export", str(TEMPLATE), "-o", str(tmp_path / "t.docx")]) in (0, 1)
    assert (tmp_path / "t.docx").stat().st_size > 0
    this = tmp_path / "this.json"
    model.save_json(model.empty_report("2021", EXPECTED["year"] + 1, agency=EXPECTED["agency"]), this)
    capsys.readouterr()
    assert cli.main(["check", str(this), "--previous", str(copy), "--json"]) in (0, 1)
    found = json.loads(capsys.readouterr().out)["findings"]
    assert any(f["rule"].startswith("X-") for f in found)  # last year's values were read from the page
    assert copy.read_bytes() == before  # the input is never modified


def test_doc_needs_libreoffice_and_says_so(tmp_path, monkeypatch):
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setenv("NIANBAO_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(InputError, match="LibreOffice"):
        importers.read(str(p))


def test_value_of_keeps_what_is_printed():
    assert match.value_of("　0", formats.COUNT) == 0
    assert match.value_of("+5", formats.SIGNED) == 5
    assert match.value_of("１２", formats.COUNT) == 12
    assert match.value_of("/", formats.COUNT) == "/"
    assert match.value_of("5件", formats.COUNT) == "5件"
    assert match.value_of("", formats.COUNT) is None
    assert match.value_of("2807.19万元", formats.TEXT) == "2807.19万元"


def test_old_doc_through_libreoffice(tmp_path, capsys):
    from nianbao import office, word
    want = examples.load("example2021")
    docx_path = word.export(want, tmp_path / "r.docx")
    doc_path = office.convert(docx_path, "doc", tmp_path / "doc")
    wps = tmp_path / "r.wps"
    shutil.copy(doc_path, wps)  # WPS saves the same binary Word format under .wps
    for p in (doc_path, wps):
        assert cli.main(["import", str(p), "--json"]) == 0
        got = model.from_dict(json.loads(capsys.readouterr().out))
        assert (got.format, got.year, got.agency) == (want.format, want.year, want.agency)
        assert all(got.number(f.key) == want.number(f.key) for f in want.fmt.fields())
        assert got.sections == want.sections
