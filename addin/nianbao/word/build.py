"""Builds the Word report templates (docxtpl) from the format definitions.

Run ``python -m nianbao.word.build [OUTDIR]`` to (re)write ``templates/年报模板-2019.docx``
and ``templates/年报模板-2021.docx``.  The output is byte-for-byte reproducible (fixed
zip timestamps and document properties), so a test can check the committed
templates are current.  ``python -m nianbao.word.build --images docs/images`` renders the
pages of the 2021 example report for the docs (needs LibreOffice and poppler-utils).

Everything printed comes from the format definition: section headings from
``fmt.sections``, the tables' grids, merges and labels from ``table.layout()``.
Labels and headers are static text in the template; value cells hold one
``{{ table.row.column }}`` tag each; narrative sections are ``{%p for %}`` loops.

公文 layout (GB/T 9704-2012): A4, margins 37/35/28/26 mm (top/bottom/left/right),
body 3号 仿宋_GB2312 at exactly 28.95 pt, title 2号 方正小标宋简体, 「一、」 黑体,
「（一）」 楷体_GB2312, page numbers 「— N —」 4号 宋体, odd pages right, even left.

22 lines × 28 characters: the line pitch is the document grid (``w:docGrid w:type="lines"``,
28.95 pt, 22 lines on the 225 mm text height).  28 characters of 3号 (16 pt) are 448 pt, wider than
the 156 mm (442 pt) text width, so body text is condensed by 0.25 pt a character (``w:spacing
w:val="-5"``, 15.75 pt a character, 28 on a line).  A character grid (``w:type="linesAndChars"``
with a negative ``w:charSpace``) would do the same in Word, but LibreOffice lays every character
wider than the grid pitch across two grid cells, 14 to a line; condensed spacing is read alike by
Word, WPS and LibreOffice.

Hanging punctuation: LibreOffice drops a punctuation mark hung past the right margin on a justified
line of an indented paragraph (「同步起草、」 prints as 「同步起草」), so every paragraph style carries
``w:overflowPunct w:val="1"``.  Word reads that as its default (punctuation may hang, and does so
without loss); LibreOffice's DOCX import reads the element inverted and turns hanging punctuation
off, so it wraps the mark with its character to the next line instead.  tests/test_word_layout.py
checks on the PDF that every punctuation mark of the narrative is printed.

Tables 三 and 四 are kept whole on one page (every row ``cantSplit``, every paragraph but those of
the last row ``keepNext``; the heading before the table is ``keepNext`` too, so a table that does not
fit where it is starts on a new page with its heading); table 二 breaks only between its
「第二十条第（…）项」 blocks, whose title rows are shaded as in the official template.
"""
from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from .. import formats
from ..formats.base import ActiveTable, Layout, RequestsTable
from ..standard_text import EMPTY_MARK

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Page geometry in twentieths of a point (twips); 1 mm = 56.6929 twips.
MM = 1440 / 25.4
PAGE_W, PAGE_H = round(210 * MM), round(297 * MM)
MARGIN = {"top": round(37 * MM), "bottom": round(35 * MM), "left": round(28 * MM), "right": round(26 * MM)}
TEXT_WIDTH = int((210 - 28 - 26) * MM)  # 156 mm, rounded down so tables never exceed it
FOOTER_DISTANCE = round(21 * MM)  # the numbers sit about 7 mm below the text area

BODY_FONT, TITLE_FONT, H1_FONT, H2_FONT, NUMBER_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
LATIN_FONT = "Times New Roman"
BODY_PT, TITLE_PT, TABLE_PT, PAGE_NUMBER_PT = 16, 22, 10, 14
LINE_TWIPS = 579  # exactly 28.95 pt: 22 lines on the 225 mm text height
# 28 characters on the 156 mm line: 3号 condensed to 15.75 pt a character.
CHARS_PER_LINE = 28
CHAR_TWIPS = TEXT_WIDTH // CHARS_PER_LINE  # 315
BODY_CHAR_SPACING = CHAR_TWIPS - BODY_PT * 20  # -5 twentieths of a point: 0.25 pt less a character
TABLE_LINE_TWIPS = 300
CELL_MARGIN = 57  # 1 mm left and right inside table cells
# Table 三: the three label columns (the vertical 「三、本年度办理结果」, the group, the item: 13
# characters a line, so most items take one line and the table fits on one page); the value columns
# share the rest of the text width (a five-digit number still fits).
REQUEST_LABEL_TWIPS = (620, 900, 2900)
TITLE_ROW_FILL = "C6D9F1"  # the shading of table 二's 「第二十条第（…）项」 rows in the official template

STYLE_IDS = {"title": "GwTitle", "h1": "GwHeading1", "h2": "GwHeading2", "table": "GwTableText",
             "page": "GwPageNumber", "blank": "GwBlank"}
FIXED_TIME = datetime(2021, 1, 1)
ZIP_TIME = (2021, 1, 1, 0, 0, 0)


def _rpr(east_asia: str, size_pt: float, latin: str = LATIN_FONT, bold: bool = False, spacing: int = 0) -> str:
    """Run properties; ``spacing`` is the character spacing in twentieths of a point (always written,
    so a style never inherits the body's condensed spacing)."""
    b = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    half = round(size_pt * 2)
    return (f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}" '
            f'w:hint="eastAsia"/>{b}<w:spacing w:val="{spacing}"/><w:kern w:val="0"/>'
            f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            f'<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>')


def _ppr(jc: str, line: int = LINE_TWIPS, rule: str = "exact", first_line_chars: int = 0,
         char_twips: float = BODY_PT * 20, outline: int | None = None, keep_next: bool = False,
         on_grid: bool = True) -> str:
    """Paragraph properties (children in schema order).

    Paragraphs off the line grid (``on_grid=False``: title, tables, page numbers) keep their own
    line spacing in Word and LibreOffice.  No paragraph hangs punctuation in LibreOffice
    (``w:overflowPunct w:val="1"``, see the module notes): neither past the margin nor past a cell border.
    """
    ind = (f'<w:ind w:firstLineChars="{first_line_chars}" w:firstLine="{round(first_line_chars / 100 * char_twips)}"/>'
           if first_line_chars else '<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    keep = "<w:keepNext/>" if keep_next else ""
    grid = "" if on_grid else '<w:snapToGrid w:val="0"/>'
    level = "" if outline is None else f'<w:outlineLvl w:val="{outline}"/>'
    return (f'<w:pPr>{keep}<w:widowControl w:val="0"/><w:overflowPunct w:val="1"/>{grid}'
            f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="{rule}"/>{ind}<w:jc w:val="{jc}"/>'
            f"{level}</w:pPr>")


def _style(style_id: str, name: str, ppr: str, rpr: str, default: bool = False) -> str:
    flag = ' w:default="1"' if default else ""
    based = "" if default else '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
    return (f'<w:style xmlns:w="{W_NS}" w:type="paragraph"{flag} w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f"{based}<w:qFormat/>{ppr}{rpr}</w:style>")


_BODY = {"size_pt": BODY_PT, "spacing": BODY_CHAR_SPACING}
STYLES = (
    _style("Normal", "Normal", _ppr("both", first_line_chars=200, char_twips=CHAR_TWIPS),
           _rpr(BODY_FONT, **_BODY), default=True),
    _style(STYLE_IDS["title"], "公文标题",
           _ppr("center", line=round(TITLE_PT * 1.5 * 20), keep_next=True, on_grid=False),
           _rpr(TITLE_FONT, TITLE_PT, latin=TITLE_FONT)),
    _style(STYLE_IDS["blank"], "空行", _ppr("both"), _rpr(BODY_FONT, **_BODY)),
    _style(STYLE_IDS["h1"], "一级标题",
           _ppr("both", first_line_chars=200, char_twips=CHAR_TWIPS, outline=0, keep_next=True),
           _rpr(H1_FONT, latin=H1_FONT, **_BODY)),
    _style(STYLE_IDS["h2"], "二级标题",
           _ppr("both", first_line_chars=200, char_twips=CHAR_TWIPS, outline=1, keep_next=True),
           _rpr(H2_FONT, latin=H2_FONT, **_BODY)),
    _style(STYLE_IDS["table"], "表格文字",
           _ppr("center", line=TABLE_LINE_TWIPS, rule="atLeast", char_twips=TABLE_PT * 20, on_grid=False),
           _rpr(BODY_FONT, TABLE_PT)),
    _style(STYLE_IDS["page"], "页码",
           _ppr("right", line=240, rule="auto", char_twips=PAGE_NUMBER_PT * 20, on_grid=False),
           _rpr(NUMBER_FONT, PAGE_NUMBER_PT, latin=NUMBER_FONT)),
)


def _setup_styles(doc) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    root = doc.styles.element
    defaults = root.find(qn("w:docDefaults"))
    defaults.getparent().replace(defaults, parse_xml(
        f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault>{_rpr(BODY_FONT, BODY_PT)}</w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        f"</w:docDefaults>"))
    for xml in STYLES:
        new = parse_xml(xml)
        sid = new.get(qn("w:styleId"))
        for old in root.findall(qn("w:style")):
            if old.get(qn("w:styleId")) == sid:
                root.remove(old)
        root.append(new)


def _setup_page(doc) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Twips
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(PAGE_W), Twips(PAGE_H)
    sec.top_margin, sec.bottom_margin = Twips(MARGIN["top"]), Twips(MARGIN["bottom"])
    sec.left_margin, sec.right_margin = Twips(MARGIN["left"]), Twips(MARGIN["right"])
    sec.header_distance, sec.footer_distance = Twips(round(15 * MM)), Twips(FOOTER_DISTANCE)
    grid = sec._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")  # 22 lines a page; the 28 characters come from the body's spacing
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    # 「— N —」: odd pages at the right, even pages at the left, one character in from the edge.
    for footer, side in ((sec.footer, "right"), (sec.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]._p
        for child in list(p):
            p.remove(child)
        runs = ('<w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r>')
        new = parse_xml(f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="{STYLE_IDS["page"]}"/>'
                        f'<w:ind w:{side}Chars="100" w:{side}="{PAGE_NUMBER_PT * 20}"/><w:jc w:val="{side}"/></w:pPr>'
                        f"{runs}</w:p>")
        p.getparent().replace(p, new)


def _para(doc, text: str, style: str | None = None):
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def column_widths(table, layout: Layout) -> list[int]:
    """Grid column widths in twips, summing to at most the 156 mm text width."""
    if isinstance(table, RequestsTable):
        fixed = list(REQUEST_LABEL_TWIPS[:table.label_depth])
        rest = layout.cols - len(fixed)
        return fixed + [(TEXT_WIDTH - sum(fixed)) // rest] * rest
    return [TEXT_WIDTH // layout.cols] * layout.cols


def _alignment(table, cell) -> str:
    if cell.role in ("value", "header"):
        return "center"
    if cell.role == "label" and isinstance(table, ActiveTable):
        return "center"
    return "left"


def _value_tag(key: str) -> str:
    return "{{ " + key + " }}"


def add_table(doc, table) -> None:
    """One official table from its layout: grid, merges, static labels, a tag per value cell."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Twips

    layout = table.layout()
    widths = column_widths(table, layout)
    t = doc.add_table(rows=layout.rows, cols=layout.cols)
    t.autofit = False
    tbl = t._tbl
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    tbl.replace(tbl.tblPr, parse_xml(
        f'<w:tblPr xmlns:w="{W_NS}"><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{"".join(border.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))}'
        f'</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="0"/></w:tblPr>'))
    for i, col in enumerate(t.columns):
        col.width = Twips(widths[i])
    for r, row in enumerate(t.rows):
        for c, cell in enumerate(row.cells):
            cell.width = Twips(widths[c])
        trPr = row._tr.get_or_add_trPr()
        trPr.append(parse_xml(f'<w:cantSplit xmlns:w="{W_NS}"/>'))
        if r < layout.header_rows:
            trPr.append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
    for cell in layout.cells:
        target = t.cell(cell.row, cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(t.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
        p = target.paragraphs[0]
        p.style = doc.styles["表格文字"]
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if _alignment(table, cell) == "center" \
            else WD_ALIGN_PARAGRAPH.LEFT
        p.add_run(_value_tag(cell.key) if cell.role == "value" else cell.text)
    title_rows = {c.row for c in layout.cells if c.role == "title"}
    for tc in tbl.iter(qn("w:tc")):
        pr = tc.get_or_add_tcPr()
        pr.vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for p in tc.iter(qn("w:p")):  # the empty paragraphs of merged-away cells too
            if p.style is None:
                p.style = STYLE_IDS["table"]
    rows = tbl.findall(qn("w:tr"))
    for r in title_rows:
        for tc in rows[r].iter(qn("w:tc")):
            _shade(tc.tcPr, TITLE_ROW_FILL)
    # Keep each row with the next: table 二 within each block (it breaks only before a title row),
    # tables 三 and 四 throughout (the whole table on one page, or on the next one).
    for r, tr in enumerate(rows[:-1]):
        if r + 1 not in title_rows:
            for p in tr.iter(qn("w:p")):
                p.get_or_add_pPr().keepNext_val = True


def _shade(tc_pr, fill: str) -> None:
    """Cell shading (``w:shd``) in its place among the cell properties."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    shd = parse_xml(f'<w:shd xmlns:w="{W_NS}" w:val="clear" w:color="auto" w:fill="{fill}"/>')
    later = {qn(f"w:{t}") for t in ("noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")}
    for i, child in enumerate(tc_pr):
        if child.tag in later:
            tc_pr.insert(i, shd)
            return
    tc_pr.append(shd)


def build(format_id: str) -> bytes:
    """The template of one format as .docx bytes (reproducible)."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    fmt = formats.get(format_id)
    doc = Document()
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # python-docx's sample thumbnail would show in file browsers
            del doc.part.package.rels[rid]
    _setup_styles(doc)
    _setup_page(doc)
    title, h1, h2 = "公文标题", "一级标题", "二级标题"

    _para(doc, "{%p if agency %}")
    _para(doc, "{{ agency }}", title)
    _para(doc, "{%p endif %}")
    _para(doc, "{{ title }}", title)
    _para(doc, "", "空行")
    for section in fmt.sections:
        if section.heading:
            _para(doc, section.heading, h1)
        if section.table:
            add_table(doc, fmt.table(section.table))
        elif section.key == "preamble":
            _para(doc, "{%p for para in preamble %}")
            _para(doc, "{{ para }}")
            _para(doc, "{%p endfor %}")
        else:
            _para(doc, f"{{%p for block in {section.key} %}}")
            _para(doc, "{%p if block.heading %}")
            _para(doc, "{{ block.heading }}", h2)
            _para(doc, "{%p endif %}")
            _para(doc, "{%p for para in block.paragraphs %}")
            _para(doc, "{{ para }}")
            _para(doc, "{%p endfor %}")
            _para(doc, "{%p endfor %}")
            # Never a bare heading: the fee sentence for 六, else the visible 「（待填写）」.
            _para(doc, f"{{%p if not {section.key} %}}")
            if section.fee_text:
                _para(doc, "{%p if fee_sentence %}")
                _para(doc, "{{ fee_sentence }}")
                _para(doc, "{%p else %}")
                _para(doc, EMPTY_MARK)
                _para(doc, "{%p endif %}")
            else:
                _para(doc, EMPTY_MARK)
            _para(doc, "{%p endif %}")

    _preserve_spaces(doc)
    props = doc.core_properties
    props.author = props.last_modified_by = props.comments = props.keywords = props.category = ""
    props.title = f"政府信息公开工作年度报告模板（{format_id}年格式）"
    props.subject = fmt.notice
    props.revision = 1
    props.created = props.modified = FIXED_TIME
    buf = io.BytesIO()
    doc.save(buf)
    return _reproducible_zip(buf.getvalue())


def _preserve_spaces(doc) -> None:
    from docx.oxml.ns import qn
    for t in doc.element.body.iter(qn("w:t")):
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _reproducible_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_all(outdir: str | Path) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats.FORMATS.values():
        path = outdir / fmt.word_template
        path.write_bytes(build(fmt.id))
        written.append(path)
    return written


def render_pages(outdir: str | Path, example: str = "example2021", prefix: str = "report-",
                 dpi: int = 70) -> list[Path]:
    """PNG pictures of every page of a built-in example's report, as LibreOffice prints it (for the docs).

    Writes ``<prefix>1.png`` … and removes older ``<prefix>N.png`` beyond the last page.
    """
    import shutil
    import subprocess
    import tempfile

    from .. import examples
    from . import export, to_pdf
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nianbao-img-") as tmp:
        pdf = to_pdf(export(examples.load(example), Path(tmp) / "report.docx"))
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(Path(tmp) / "page")], check=True)
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        for old in outdir.glob(f"{prefix}*.png"):
            if old.stem[len(prefix):].isdigit():
                old.unlink()
        written = []
        for n, page in enumerate(pages, 1):
            target = outdir / f"{prefix}{n}.png"
            shutil.copyfile(page, target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    from . import templates_dir
    p = argparse.ArgumentParser(prog="python -m nianbao.word.build",
                                description="生成 Word 报告模板；--images 把 2021 年格式示例报告的各页渲染为 PNG。")
    p.add_argument("outdir", nargs="?", metavar="OUTDIR", help="模板写到此文件夹（默认：内置模板文件夹）")
    p.add_argument("--images", metavar="DIR",
                   help="用 LibreOffice 把示例报告（示例县，2021年格式）逐页渲染为 DIR/report-N.png，不写模板")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    if args.images:
        written = render_pages(args.images)
    else:
        written = write_all(Path(args.outdir) if args.outdir else templates_dir())
    for path in written:
        print(f"已写出：{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
