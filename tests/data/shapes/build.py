"""Builds the report shapes in this folder (run once by hand; the files are committed, tests only read them).

    python tests/data/shapes/build.py

Agencies and numbers are invented.  One report (a city science and technology commission, 2024) is
written with nianbao's own Word export, then edited as agencies edit it: a two-line title, its own
numbering (narrative 一…六, tables 一/二/三, problems 四, other matters 五), a cell printed as 「22」 over
「（其中修订16件）」.  LibreOffice turns it into PDF and HTML; the HTML's tables are set into two web
pages (a city page laid out with <td> only, its title only in <title>; a provincial office's article in a
full CMS page) and the report is also written as the text a reader copies from a web page.  A last PDF
lets the page break cut a row of table 二 (rows allowed to break, paragraphs pushing the table down).
"""
from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from nianbao import model, word  # noqa: E402

TITLE_1 = "2024年某某市科学技术委员会政府信息公开工作"
TITLE_2 = "年度报告"
AGENCY = "某某市科学技术委员会"

PREAMBLE = ("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制。报告中所列数据统计期限自2024年1月1日"
            "起至2024年12月31日止。如对本报告有疑问，请与某某市科学技术委员会办公室联系（电话：0000-1234567）。")
NARRATIVE = [
    ("一、总体情况", ["2024年，市科委坚持以公开为常态、不公开为例外，坚持“办好一件事、服务一个群体、温暖一颗心”，"
                    "全面推进政府信息公开工作。"]),
    ("二、主动公开情况", ["全年在门户网站主动公开政府信息356条，发布政策解读12篇。"]),
    ("三、政府信息管理", ["严格执行信息发布审核制度，全年清理规范性文件25件。"]),
    ("四、政府信息公开申请情况", [
        "全年新收政府信息公开申请18件，上年结转2件。",
        "所有办结的申请中同意公开答复6件，部分公开答复3件，不予公开答复2件，无法提供的4件，不予处理1件，"
        "其他处理1件，转下一年度办理答复的有3件。",
        "全年共办结申请17件，均在法定期限内答复。"]),
    ("五、政府信息公开平台建设", ["优化门户网站“政府信息公开”专栏，全年备案各区科技部门行政复议案件9件，"
                                  "指导各区规范答复。"]),
    ("六、监督保障", ["将政务公开纳入年度考核，开展培训2次。"]),
]
PROBLEMS = ("四、存在的主要问题及改进情况", ["一是政策解读形式较为单一；二是依申请公开答复规范性有待提高。"
                                        "2025年将加强培训，完善答复文书模板。"])
OTHER = ("五、其他需要报告的事项", ["本年度未收取信息处理费。"])
TABLE_HEADINGS = ("一、主动公开政府信息情况", "二、收到和处理政府信息公开申请情况", "三、政府信息公开行政复议、行政诉讼情况")
SIGNATURE = ("某某市科学技术委员会", "2025年1月20日")


def report() -> model.Report:
    rep = model.empty_report("2021", 2024, agency=AGENCY)
    fmt = rep.fmt
    for f in fmt.fields():
        rep.set(f.key, 0 if f.kind != "text" else 0)
    t = fmt.requests.key
    rows = {"new": 18, "carried_over": 2, "disclosed": 6, "partly_disclosed": 3, "withheld_state_secret": 1,
            "withheld_process": 1, "unavailable_not_held": 3, "unavailable_unclear": 1, "rejected_duplicate": 1,
            "other_no_correction": 1, "results_total": 17, "carry_forward": 3}
    for row, n in rows.items():
        if fmt.has(f"{t}.{row}.natural"):
            rep.set(f"{t}.{row}.natural", n)
            rep.set(f"{t}.{row}.total", n)
    a = fmt.active.key
    for key, v in {"rules.issued": 0, "rules.repealed": 0, "rules.in_force": 0, "normative_docs.issued": 5,
                   "normative_docs.repealed": 22, "normative_docs.in_force": 40, "licensing.decisions": 120,
                   "penalty.decisions": 3, "coercion.decisions": 0, "fees.amount_wan": 0}.items():
        rep.set(f"{a}.{key}", v)
    p = fmt.appeals.key
    rep.set(f"{p}.review.upheld", 1)
    rep.set(f"{p}.review.total", 1)
    rep.sections = {"preamble": [PREAMBLE], "overview": ["（占位）"], "problems": PROBLEMS[1], "other_matters": OTHER[1]}
    return rep


def _insert_after(par, text: str, like=None):
    """A new paragraph after ``par`` with ``text`` (formatted as ``like``)."""
    new = copy.deepcopy((like or par)._p)
    par._p.addnext(new)
    from docx.text.paragraph import Paragraph
    p = Paragraph(new, par._parent)
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    if p.runs:
        p.runs[0].text = text
    else:
        p.add_run(text)
    return p


def edit(path: Path) -> None:
    d = docx.Document(str(path))
    paras = d.paragraphs
    title = next(p for p in paras if "政府信息公开" in p.text and "报告" in p.text)
    above = paras[paras.index(title) - 1]
    if above.text.strip() == AGENCY:  # the agency is in the title only
        above._p.getparent().remove(above._p)
    title.runs[0].text = TITLE_1
    for r in title.runs[1:]:
        r.text = ""
    _insert_after(title, TITLE_2)
    heading_like = next(p for p in d.paragraphs if p.text.startswith("一、"))
    body_like = next(p for p in d.paragraphs if p.text.startswith("本报告根据"))
    # the narrative: 一…六 in place of the exported 一、总体情况 and its placeholder
    placeholder = next(p for p in d.paragraphs if p.text == "（占位）")
    last = heading_like
    heading_like.runs[0].text = NARRATIVE[0][0]
    for r in heading_like.runs[1:]:
        r.text = ""
    placeholder.runs[0].text = NARRATIVE[0][1][0]
    last = placeholder
    for head, body in NARRATIVE[1:]:
        last = _insert_after(last, head, heading_like)
        for text in body:
            last = _insert_after(last, text, body_like)
    for old, new in zip(("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                         "六、其他需要报告的事项"), TABLE_HEADINGS + (PROBLEMS[0], OTHER[0])):
        p = next(p for p in d.paragraphs if p.text == old)
        p.runs[0].text = new
        for r in p.runs[1:]:
            r.text = ""
    # the 落款
    last = d.paragraphs[-1]
    while not last.text.strip():
        last = d.paragraphs[d.paragraphs.index(last) - 1]
    if SIGNATURE[0] not in last.text:
        p = _insert_after(last, SIGNATURE[0], body_like)
        _insert_after(p, SIGNATURE[1], body_like)
    # 废止件数 of 行政规范性文件 printed as 「22」 over 「（其中修订16件）」
    table = d.tables[0]
    for row in table.rows:
        if row.cells[0].text.strip() == "行政规范性文件":
            cell = row.cells[2]
            cell.paragraphs[0].runs[0].text = "22"
            cell.add_paragraph("（其中修订16件）")
            break
    d.save(str(path))


def text_copy(src: Path, out: Path) -> None:
    """The report as a reader copies it from a web page: paragraphs as lines, table rows as tab-separated lines."""
    d = docx.Document(str(src))
    body = d.element.body
    lines = []
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    for el in body.iterchildren():
        tag = el.tag.split("}")[1]
        if tag == "p":
            t = Paragraph(el, d).text.strip()
            if t:
                lines.append(t)
        elif tag == "tbl":
            seen = set()  # a merged cell is copied once, in its first row
            for row in Table(el, d).rows:
                cells = []
                for c in row.cells:
                    if c._tc in seen:
                        continue
                    seen.add(c._tc)
                    cells.append(" ".join(c.text.split()))
                lines.append("\t".join(cells))
            lines.append("")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def tables_html(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>", html, flags=re.S | re.I)


CITY = """<html><head><meta charset="utf-8"><title>2025年某某市人民政府办公厅政府信息公开工作年度报告_某某市人民政府</title></head>
<body><table width="100%"><tr><td><a href="/">首页</a></td><td><a href="/zwgk">政务公开</a></td><td><a href="/nb">政府信息公开年报</a></td></tr>
<tr><td colspan="3">{body}</td></tr>
<tr><td colspan="3">主办单位：某某市人民政府办公厅　网站标识码：0000000000　备案号：某ICP备00000000号</td></tr></table></body></html>"""

CMS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某省人民政府办公厅2024年政府信息公开工作年度报告 - 某某省人民政府</title>
<meta name="ArticleTitle" content="某某省人民政府办公厅2024年政府信息公开工作年度报告"></head><body>
<div class="topbar"><span>无障碍</span> | <span>长者模式</span> | <a href="#">登录</a> | <a href="#">English</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li><li><a href="/bs">政务服务</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a> &gt; <a href="/nb">政府信息公开年报</a></div>
<div class="main"><div class="sidebar"><h3>政府信息公开</h3><ul><li><a href="/gk/zn">政府信息公开指南</a></li><li><a href="/gk/zd">政府信息公开制度</a></li><li><a href="/nb">政府信息公开年报</a></li></ul></div>
<div class="article"><h1>某某省人民政府办公厅2024年政府信息公开工作年度报告</h1>
<div class="info">发布日期：2025-01-22 来源：某某省人民政府办公厅 字号：[<a>大</a> <a>中</a> <a>小</a>]</div>
<div class="content">{body}</div>
<div class="attachment">附件：<a href="/f/nb2024.pdf">某某省人民政府办公厅2024年政府信息公开工作年度报告.pdf</a></div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="related"><h3>相关文章</h3><ul><li><a href="/a/1">某某省人民政府办公厅2023年政府信息公开工作年度报告</a></li><li><a href="/a/2">某某省人民政府办公厅2022年政府信息公开工作年度报告</a></li></ul></div>
</div></div>
<div class="footer"><p>主办：某某省人民政府办公厅　承办：某某省大数据中心</p><p>网站标识码：0000000000　某ICP备00000000号　某公网安备00000000000000号</p></div>
</body></html>"""


def page_body(paragraph_tag: str, tables: list[str], paras: list[str], br: bool) -> str:
    """The article's text and tables as a web page prints them."""
    out = []
    ti = 0
    for p in paras:
        if p == "<TABLE>":
            out.append(tables[ti])
            ti += 1
        elif br:
            out.append(f"{p}<br>")
        else:
            out.append(f"<{paragraph_tag}>{p}</{paragraph_tag}>")
    return "\n".join(out)


def article(doc_path: Path, with_title: bool, agency: str, year_title: str) -> list[str]:
    d = docx.Document(str(doc_path))
    out = []
    from docx.text.paragraph import Paragraph
    for el in d.element.body.iterchildren():
        tag = el.tag.split("}")[1]
        if tag == "tbl":
            out.append("<TABLE>")
        elif tag == "p":
            t = Paragraph(el, d).text.strip()
            if t:
                out.append(t)
    # the title lines
    i = out.index(TITLE_1)
    del out[i:i + 2]
    if with_title:
        out.insert(i, year_title)
    return [p.replace(AGENCY, agency) for p in out]


PADDING = "（这一段只为把表格推到页面下方。）"
PADDINGS = 16   # with LibreOffice 7/24.x this cuts 「（二）部分公开…」 of table 二 by the page break


def row_over_page() -> None:
    """The Word report with rows allowed to break across pages and paragraphs pushing table 二 down, so that
    the page break cuts one of its rows (its label's last line on the next page), printed to PDF."""
    from docx.text.paragraph import Paragraph
    d = docx.Document(str(HERE / "commission-2024.docx"))
    head = next(p for p in d.paragraphs if p.text.startswith(TABLE_HEADINGS[1]))
    for _ in range(PADDINGS):
        new = copy.deepcopy(head._p)
        head._p.addprevious(new)
        p = Paragraph(new, head._parent)
        for r in p.runs[1:]:
            r._r.getparent().remove(r._r)
        p.runs[0].text = PADDING
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for tag in ("cantSplit", "keepNext", "keepLines", "pageBreakBefore"):
        for el in list(d.element.body.iter(w + tag)):
            el.getparent().remove(el)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "commission-2024-row-over-page.docx"
        d.save(str(src))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)], check=True,
                       capture_output=True)
        shutil.copy(Path(tmp) / "commission-2024-row-over-page.pdf", HERE / "commission-2024-row-over-page.pdf")


def main() -> None:
    rep = report()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "commission-2024.docx"
        word.export(rep, src)
        edit(src)
        shutil.copy(src, HERE / "commission-2024.docx")
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(src)], check=True,
                       capture_output=True)
        subprocess.run(["soffice", "--headless", "--convert-to", "html", "--outdir", str(tmp), str(src)], check=True,
                       capture_output=True)
        shutil.copy(tmp / "commission-2024.pdf", HERE / "commission-2024.pdf")
        html = (tmp / "commission-2024.html").read_text(encoding="utf-8", errors="replace")
    text_copy(HERE / "commission-2024.docx", HERE / "commission-2024.txt")
    tables = tables_html(html)
    city_paras = article(HERE / "commission-2024.docx", False, "某某市人民政府办公厅", "")
    city_paras = [p.replace("2024年", "2025年").replace("2025年1月20日", "2026年1月20日") for p in city_paras]
    (HERE / "city-2025-td.html").write_text(CITY.format(body=page_body("p", tables, city_paras, br=True)),
                                           encoding="utf-8")
    cms_paras = article(HERE / "commission-2024.docx", False, "某某省人民政府办公厅", "")
    (HERE / "province-office-2024-cms.html").write_text(CMS.format(body=page_body("p", tables, cms_paras, br=False)),
                                                       encoding="utf-8")
    row_over_page()


if __name__ == "__main__":
    main()
