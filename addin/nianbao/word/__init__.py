"""The Word report: report data rendered into a docxtpl template in 公文 style.

Public functions (the command line and the Excel add-in call these):

- ``export(report, out_path, template=None, keep_blank=False, draft=False) -> Path`` writes the report;
  ``draft`` (error findings remain) puts 「（校验未通过，仅供核对）」 at the top of every page;
- ``empty_sections(report)`` names the sections the built-in templates print as 「（待填写）」;
- ``default_name(report)`` is the customary file name 「<机关><年度>年度政府信息公开工作年度报告.docx」;
- ``context(report, keep_blank=False)`` is what a template sees, ``variables(format_id)`` describes it;
- ``to_pdf(docx_path, pdf_path=None)`` converts with LibreOffice;
- ``read_tables(docx)`` reads the tables of a Word file back as printed grids (merges included).

Templates are rendered in a sandboxed Jinja environment with autoescaping and
strict undefined variables, ours and user-supplied ones alike.  Heavy imports
(docxtpl, python-docx, lxml) happen inside the functions that need them.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .. import formats
from ..errors import InputError
from ..formats.base import SIGNED, TEXT, Layout, LayoutCell
from ..files import atomic_write
from ..standard_text import EMPTY_MARK, fee_sentence, fee_text as _fee_text, empty_sections  # noqa: F401
from ..model import CONTACT_KEYS, CONTACT_LABELS, FEES_KEYS, FEES_LABELS, SECTION_KEYS, Report, as_number, is_blank

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
DRAFT_MARK = "（校验未通过，仅供核对）"  # the page-header line of an export with errors

# Characters XML 1.0 does not allow (a user's text may carry them from a copy and paste).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_FILENAME_ILLEGAL = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


# ---------------------------------------------------------------- names and places
def default_name(report: Report) -> str:
    """「<机关><年度>年度政府信息公开工作年度报告.docx」, safe as a file name on Windows too."""
    agency = _FILENAME_ILLEGAL.sub("", _XML_ILLEGAL.sub("", report.agency or "")).strip().strip(".")
    return f"{agency}{report.year}{report.fmt.title_suffix}.docx"


def templates_dir() -> Path:
    """The folder holding the report templates.

    An installed package carries them as ``nianbao.templates`` (pyproject maps the
    top-level ``templates/`` folder there); a source checkout or an editable
    install finds them at the top of the repository.
    """
    installed = Path(__file__).resolve().parents[1] / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "templates"


def template_path(format_id: str) -> Path:
    """The built-in template of a format."""
    return templates_dir() / formats.get(format_id).word_template


# ---------------------------------------------------------------- context
def cell_text(value: Any, kind: str, keep_blank: bool = False) -> str:
    """How a table value is printed: blanks as 0 (or blank), signed changes as "+5"/"-1"/"0"."""
    if is_blank(value):
        return "" if keep_blank else "0"
    if kind == TEXT:
        return str(value).strip()
    number, status = as_number(value, kind)
    if status == "invalid" or number is None:
        return str(value).strip()  # printed as typed; rule V-1 reports it
    if isinstance(number, float):
        text = f"{number:.6f}".rstrip("0").rstrip(".")
    else:
        text = str(number)
    if kind == SIGNED and number > 0:
        text = "+" + text
    return text


def _blocks(items: list) -> list[dict]:
    """Section items (strings or {"heading", "paragraphs"}) as uniform blocks; blank text is left out
    (a section of blank paragraphs is an empty section, not a column of empty lines)."""
    out = []
    for item in items or []:
        if isinstance(item, str):
            item = {"paragraphs": [item]}
        heading = item.get("heading") or ""
        if not heading.strip():
            heading = ""
        paragraphs = [p for p in item.get("paragraphs") or [] if p.strip()]
        if heading or paragraphs:
            out.append({"heading": heading, "paragraphs": paragraphs})
    return out


def context(report: Report, keep_blank: bool = False) -> dict:
    """Everything a template can use; ``variables()`` describes each name in Chinese.

    Tables are namespaces (``active.procurement.items`` must not resolve to ``dict.items``).
    """
    fmt = report.fmt
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for f in fmt.fields():
        tables.setdefault(f.table, {}).setdefault(f.row, {})[f.column] = cell_text(report.get(f.key), f.kind,
                                                                                 keep_blank)
    ctx: dict[str, Any] = {
        "agency": report.agency or "",
        "year": report.year,
        "title": report.display_title,
        "full_title": f"{report.agency or ''}{report.display_title}",
        "format": report.format,
        "notice": fmt.notice,
        "contact": SimpleNamespace(**{k: report.contact.get(k) or "" for k in CONTACT_KEYS}),
        "headings": SimpleNamespace(**{s.key: s.heading for s in fmt.sections if s.heading}),
        "preamble": [p for b in _blocks(report.sections.get("preamble")) for p in
                     ([b["heading"]] if b["heading"] else []) + b["paragraphs"]],
        "fees": SimpleNamespace(**{k: _fee_text(report.fees.get(k)) for k in FEES_KEYS}),
        "fee_sentence": fee_sentence(report),
    }
    for key in SECTION_KEYS:
        if key != "preamble":
            ctx[key] = _blocks(report.sections.get(key))
    for table, rows in tables.items():
        ctx[table] = SimpleNamespace(**{r: SimpleNamespace(**cols) for r, cols in rows.items()})
    return ctx


def context_json(report: Report, keep_blank: bool = False) -> dict:
    """``context()`` as plain JSON data (namespaces as objects), e.g. sample data for docxtpl-lint."""
    def plain(v):
        if isinstance(v, SimpleNamespace):
            return {k: plain(x) for k, x in vars(v).items()}
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v
    return plain(context(report, keep_blank))


GENERAL_VARIABLES: tuple[tuple[str, str], ...] = (
    ("agency", "机关名称"),
    ("year", "报告年度，如 2024"),
    ("title", "报告标题（不含机关名称），如「2024年度政府信息公开工作年度报告」；报告数据有 title 时用它"),
    ("full_title", "完整标题：机关名称 + 报告标题"),
    ("format", "报告格式：2019 或 2021"),
    ("notice", "该格式依据的通知文号，如「国办公开办函〔2021〕30号」"),
    *((f"contact.{k}", label) for k, label in CONTACT_LABELS.items()),
    ("preamble", "前言段落（文本列表）：{%p for para in preamble %} … {{ para }} … {%p endfor %}"),
    ("overview", "一、总体情况的段落块列表；每块有 heading（小标题，可为空）和 paragraphs（段落列表）"),
    ("problems", "五、存在的主要问题及改进情况的段落块列表（结构同 overview）"),
    ("other_matters", "六、其他需要报告的事项的段落块列表（结构同 overview）"),
    *((f"fees.{k}", f"{label}（未填时为空）") for k, label in FEES_LABELS.items()),
    ("fee_sentence", "信息处理费的标准表述：「本年度共发出收费通知N件，总金额M元，实际收取X元。」或"
                     "「本年度未收取信息处理费。」（未填发出收费通知件数时为空）；内置模板在六无正文时使用"),
)


def variables(format_id: str | None = None) -> list[tuple[str, str]]:
    """(name, Chinese description) of every context variable; table cells of one format, or of both."""
    ids = (format_id,) if format_id else tuple(reversed(formats.ids()))
    out = list(GENERAL_VARIABLES)
    out += [(f"headings.{s.key}", f"标题「{s.heading}」") for s in formats.get(ids[0]).sections if s.heading]
    cells: dict[str, tuple[str, list[str]]] = {}
    for fid in ids:
        fmt = formats.get(fid)
        for f in fmt.fields():
            cells.setdefault(f.key, (f"{fmt.table(f.table).title}：{f.label}", []))[1].append(fid)
    for key, (desc, fids) in cells.items():
        only = f"（仅{fids[0]}年格式）" if len(fids) < len(ids) else ""
        out.append((key, desc + only))
    return out


# ---------------------------------------------------------------- rendering
def _finalize(value: Any):
    """Every ``{{ … }}`` output: text as typed, made safe for WordprocessingML.

    Escapes & < > and quotes, drops characters XML cannot hold, and writes braces as
    character references so docxtpl's post-processing (which turns ``{_{`` into
    ``{{``) cannot alter user text.
    """
    from markupsafe import Markup, escape
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    text = _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return Markup(str(escape(text)).replace("{", "&#123;").replace("}", "&#125;"))


def jinja_env():
    """The sandboxed Jinja environment every template is rendered in."""
    from jinja2 import StrictUndefined

    from . import bounded
    return bounded.environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)


def _template_bytes(template: str | os.PathLike | None, format_id: str) -> tuple[bytes, str]:
    from ..files import read_limited
    path = Path(template) if template else template_path(format_id)
    if not template and not path.exists():
        raise InputError("找不到内置的 Word 报告模板，安装可能不完整，请重新安装 nianbao", path=str(path))
    if path.suffix.lower() != ".docx":
        raise InputError("报告模板应为 Word 文档（.docx）", path=str(path))
    raw = read_limited(path, MAX_TEMPLATE_BYTES)
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise InputError("不是有效的 Word 文档（.docx），文件可能已损坏", path=str(path))
    from . import bounded
    bounded.check_package(raw, str(path))
    return raw, str(path)


def _clean_template_class():
    from docxtpl import DocxTemplate

    class CleanTemplate(DocxTemplate):
        """Every rendered part (body, headers, footers, footnotes) without the characters XML cannot hold:
        a lone surrogate or a control character a template makes (``{{ '\\ud800' }}``, a constant that
        Jinja folds past ``finalize``) would otherwise end the part there when it is parsed, and the
        report would be written cut short."""

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            return _XML_ILLEGAL.sub("", super().render_xml_part(src_xml, part, context, jinja_env))
    return CleanTemplate


def _CleanTemplate(*args):
    return _clean_template_class()(*args)


def render(report: Report, template: str | os.PathLike | None = None, keep_blank: bool = False,
           draft: bool = False) -> bytes:
    """The rendered report as .docx bytes (nothing is written).

    ``template`` is a user's own .docx template; None uses the built-in one of the report's format.
    ``draft`` (the caller's checks found errors) marks every page 「（校验未通过，仅供核对）」 in the
    page header, whichever template is used.
    Raises InputError (Chinese) for a damaged template or one that does not render.
    """
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    raw, where = _template_bytes(template, report.format)
    tpl = _CleanTemplate(io.BytesIO(raw))
    try:
        tpl.init_docx()
    except Exception:  # python-docx raises many kinds for a damaged package
        raise InputError("无法作为 Word 文档打开（文件已损坏，或不是 .docx 格式）", path=where) from None
    ctx = context(report, keep_blank)
    from .bounded import RenderLimit, limits
    try:
        with limits():
            tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
    except RenderLimit as e:
        raise InputError(str(e), path=where) from None
    except TemplateSyntaxError as e:
        near = " ".join(t.strip() for t in getattr(e, "docx_context", []) if t.strip())[:80]
        raise InputError(f"模板中的标签有语法错误（{e.message}）" + (f"，位置在「{near}」附近" if near else "")
                         + "。可用 docxtpl-lint 检查模板", path=where) from None
    except UndefinedError as e:
        raise InputError(f"模板使用了不存在的变量（{e.message}）。可用变量请运行「nianbao export --list-vars」",
                         path=where) from None
    except SecurityError:
        raise InputError("模板含有不允许的操作（访问程序内部属性或函数），已被安全沙箱拦截", path=where) from None
    except TemplateError as e:
        raise InputError(f"模板无法渲染（{e}）", path=where) from None
    except Exception as e:  # damaged XML inside the package and the like
        raise InputError(f"模板无法渲染，文件内容可能已损坏（{type(e).__name__}）", path=where) from None
    if draft:
        _mark_draft(tpl.docx)
    props = tpl.docx.core_properties
    props.title = _XML_ILLEGAL.sub("", ctx["full_title"])[:255]  # the limit of a .docx core property
    props.subject = "政府信息公开工作年度报告"
    props.author = _XML_ILLEGAL.sub("", report.agency or "")[:255]
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _mark_draft(doc) -> None:
    """「（校验未通过，仅供核对）」 in red 黑体 3号, centred, as the first line of every page header."""
    from docx.oxml import parse_xml
    font = "黑体"
    xml = (f'<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pPr>'
           f'<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
           f'<w:ind w:left="0" w:right="0" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr>'
           f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" '
           f'w:hint="eastAsia"/><w:color w:val="FF0000"/><w:spacing w:val="0"/><w:sz w:val="32"/>'
           f'<w:szCs w:val="32"/><w:lang w:eastAsia="zh-CN"/></w:rPr><w:t>{DRAFT_MARK}</w:t></w:r></w:p>')
    for i, sec in enumerate(doc.sections):
        headers = [sec.header]
        if doc.settings.odd_and_even_pages_header_footer:
            headers.append(sec.even_page_header)
        if sec.different_first_page_header_footer:
            headers.append(sec.first_page_header)
        for header in headers:
            if i and header.is_linked_to_previous:
                continue  # shows the previous section's header, marked already
            header.is_linked_to_previous = False
            header._element.insert(0, parse_xml(xml))


def export(report: Report, out_path: str | os.PathLike, template: str | os.PathLike | None = None,
           keep_blank: bool = False, draft: bool = False) -> Path:
    """Render the report and write it to ``out_path`` (temporary file, then rename). Returns the path."""
    data = render(report, template, keep_blank, draft)
    out = Path(out_path)
    try:
        atomic_write(out, data)
    except OSError as e:
        raise InputError(f"无法写出 Word 报告（{e.strerror or e}）", path=str(out)) from None
    return out


def write_into(report: Report, outdir: str | os.PathLike) -> Path:
    """Write the report under its default name into ``outdir`` (the demo's step)."""
    return export(report, Path(outdir) / default_name(report))


def to_pdf(docx_path: str | os.PathLike, pdf_path: str | os.PathLike | None = None) -> Path:
    """Convert a written report to PDF with LibreOffice; the PDF replaces any old one only when complete."""
    from .. import office
    src = Path(docx_path)
    target = Path(pdf_path) if pdf_path else src.with_suffix(".pdf")
    with office.scratch("nianbao-pdf-") as tmp:
        produced = office.convert(src, "pdf", tmp)
        try:
            atomic_write(target, produced.read_bytes())
        except OSError as e:
            raise InputError(f"无法写出 PDF（{e.strerror or e}）", path=str(target)) from None
    return target


# ---------------------------------------------------------------- reading tables back
def read_tables(docx: str | os.PathLike | bytes) -> list[Layout]:
    """Every top-level table of a .docx as its printed grid: cells with text and merges.

    Roles are not known from a file: cells are returned with ``role=""``.  ``header_rows``
    counts the leading rows marked to repeat on each page (``w:tblHeader``).
    """
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(docx) if isinstance(docx, bytes) else str(docx))
    out = []
    for tbl in doc.element.body.iterchildren(qn("w:tbl")):
        grid = tbl.find(qn("w:tblGrid"))
        ncols = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
        open_cells: dict[int, list] = {}  # grid column -> [row, col, text, rowspan, colspan] of a vMerge run
        cells: list[list] = []
        header_rows = 0
        counting_header = True
        rows = tbl.findall(qn("w:tr"))
        for r, tr in enumerate(rows):
            trpr = tr.find(qn("w:trPr"))
            is_header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
            if counting_header and is_header:
                header_rows += 1
            else:
                counting_header = False
            c = 0
            if trpr is not None and trpr.find(qn("w:gridBefore")) is not None:
                c = int(trpr.find(qn("w:gridBefore")).get(qn("w:val")))
            for tc in tr.findall(qn("w:tc")):
                pr = tc.find(qn("w:tcPr"))
                span, vmerge = 1, None
                if pr is not None:
                    gs = pr.find(qn("w:gridSpan"))
                    span = int(gs.get(qn("w:val"))) if gs is not None else 1
                    vm = pr.find(qn("w:vMerge"))
                    if vm is not None:
                        vmerge = vm.get(qn("w:val")) or "continue"
                text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
                if vmerge == "continue" and c in open_cells:
                    open_cells[c][3] += 1
                else:
                    cell = [r, c, text, 1, span]
                    cells.append(cell)
                    if vmerge == "restart":
                        open_cells[c] = cell
                    else:
                        open_cells.pop(c, None)
                c += span
        out.append(Layout(rows=len(rows), cols=ncols, header_rows=header_rows,
                          cells=tuple(LayoutCell(r, c, t, rs, cs, role="") for r, c, t, rs, cs in cells)))
    return out
