"""The web page: the report as a clean HTML5 article for a website's CMS (``export --html``).

What the Word report prints, as HTML: the title, the sections (sub-headings as ``<h3>``) and the three
official tables with their real merges.  Everything comes from the same places as the Word export: the
texts from ``word.context`` (so a value prints as in Word: 0 as 0, signed changes as +5), the grids and
merges from each table's ``layout()`` in the format definition.

What real web versions get wrong, avoided here: no fixed widths, no inline fonts or colours, no
``&nbsp;`` for blanks, one number one cell.  Headers are ``<th>`` with ``scope``; each table sits in a
box that scrolls sideways on a narrow screen.  The only styling is one plain ``<style>`` block a CMS
may drop (or replace by its own table style): the text and the tables stay whole without it.  No
``border`` attribute: the HTML checker (Nu) reports it as obsolete.
All text from the report is escaped and stripped of characters HTML does not allow.

``render(report, page=False)`` gives the article fragment (or, with ``page``, a whole HTML5 page with
the style in its head); ``export(report, path, page=False)`` writes it (temporary file, then rename).
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

from .errors import InputError
from .files import atomic_write
from .formats.base import Layout
from .model import Report
from .standard_text import EMPTY_MARK

# Characters an HTML document may not contain (parse errors): controls but tab/newline/CR, lone
# surrogates, noncharacters.
_HTML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
CLASS = "nianbao-report"

STYLE = """\
.nianbao-report{max-width:48em;margin:0 auto;padding:0 .5em;line-height:1.8;word-wrap:break-word}
.nianbao-report h1{text-align:center;font-size:1.5em;line-height:1.5}
.nianbao-report h2{font-size:1.2em;margin:1.2em 0 .5em}
.nianbao-report h3{font-size:1.05em;margin:.8em 0 .3em}
.nianbao-report p{text-indent:2em;margin:.4em 0}
.nianbao-report .nb-draft{color:#c00;text-align:center;text-indent:0}
.nianbao-report .nb-table{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.8em 0 1.2em}
.nianbao-report table{border-collapse:collapse;margin:0 auto;font-size:.9em;line-height:1.4}
.nianbao-report th,.nianbao-report td{border:1px solid #555;padding:.3em .45em;vertical-align:middle}
.nianbao-report th{font-weight:normal;text-align:center}
.nianbao-report th[scope=row]{text-align:left;min-width:6em}
.nianbao-report td{text-align:center;white-space:nowrap}
.nianbao-report td.nb-note{white-space:normal;text-align:left;font-size:.9em}
.nianbao-report tr.nb-block th{background:#dde8f5}
.nianbao-report thead th{background:#f2f2f2;white-space:nowrap}
@media (max-width:30em){.nianbao-report h1{font-size:1.15em}}
"""


def text(value) -> str:
    """Report text as HTML text: characters HTML does not allow dropped, & < > " ' escaped."""
    s = "" if value is None else str(value)
    return html.escape(_HTML_ILLEGAL.sub("", s.replace("\r\n", "\n").replace("\r", "\n")), quote=True)


def default_name(docx_path: str | os.PathLike) -> Path:
    """The web page beside a Word report: the same name, ``.html``."""
    return Path(docx_path).with_suffix(".html")


# ---------------------------------------------------------------- tables
def _scope(cell) -> str:
    """Row labels head their row; a column header spanning several columns heads that group."""
    if cell.role == "label":
        return "row"
    if cell.colspan > 1:
        return "colgroup"
    return "col"


def _spans(cell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def table_html(table, values: dict[str, str], label: str) -> str:
    """One official table from its layout: ``values`` maps data keys to printed texts.

    Header rows (``layout.header_rows``) go in ``<thead>``; table 二's blocks each in a ``<tbody>``
    starting with its 「第二十条第（…）项」 row.
    """
    layout: Layout = table.layout()
    by_row: dict[int, list] = {}
    for c in layout.cells:
        by_row.setdefault(c.row, []).append(c)
    block_starts = {c.row for c in layout.cells if c.role == "title"}
    lines = [f'<div class="nb-table" role="region" aria-label="{text(label)}" tabindex="0">',
             '<table>']
    group = None
    for r in range(layout.rows):
        want = "thead" if r < layout.header_rows else "tbody"
        if want != group or (r in block_starts and r > 0):  # each block of table 二 in its own <tbody>
            if group:
                lines.append(f"</{group}>")
            lines.append(f"<{want}>")
            group = want
        cls = ' class="nb-block"' if r in block_starts else ""
        cells = []
        for c in sorted(by_row.get(r, []), key=lambda c: c.col):
            spans = _spans(c)
            if c.role == "value":
                cells.append(f"<td{spans}>{text(values.get(c.key, ''))}</td>")
            elif c.role == "note":
                cells.append(f'<td class="nb-note"{spans}>{text(c.text)}</td>')
            else:
                cells.append(f'<th scope="{_scope(c)}"{spans}>{text(c.text)}</th>')
        lines.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    if group:
        lines.append(f"</{group}>")
    lines += ["</table>", "</div>"]
    return "\n".join(lines)


def _values(ctx: dict, fmt) -> dict[str, str]:
    out = {}
    for f in fmt.fields():
        out[f.key] = getattr(getattr(ctx[f.table], f.row), f.column)
    return out


# ---------------------------------------------------------------- the article
def article(report: Report, keep_blank: bool = False, draft: bool = False, style: bool = True) -> str:
    """The report as an ``<article>`` (with the ``<style>`` block in front when ``style``)."""
    from . import word
    ctx = word.context(report, keep_blank)
    fmt = report.fmt
    values = _values(ctx, fmt)
    out = []
    if style:
        out.append(f"<style>\n{STYLE}</style>")
    out.append(f'<article class="{CLASS}" lang="zh-CN">')
    if draft:
        out.append(f'<p class="nb-draft">{text(word.DRAFT_MARK)}</p>')
    title = text(ctx["title"])
    if ctx["agency"]:
        out.append(f'<h1>{text(ctx["agency"])}<br>{title}</h1>')
    else:
        out.append(f"<h1>{title}</h1>")
    for section in fmt.sections:
        if section.heading:
            out.append(f'<h2 id="nb-{section.key}">{text(section.heading)}</h2>')
        if section.table:
            out.append(table_html(fmt.table(section.table), values, section.heading))
        elif not section.heading:
            out += [f"<p>{text(p)}</p>" for p in ctx[section.key]]
        else:
            blocks = ctx[section.key]
            for block in blocks:
                if block["heading"]:
                    out.append(f"<h3>{text(block['heading'])}</h3>")
                out += [f"<p>{text(p)}</p>" for p in block["paragraphs"]]
            if not blocks:  # as in Word: never a bare heading
                filler = ctx["fee_sentence"] if section.fee_text and ctx["fee_sentence"] else EMPTY_MARK
                out.append(f"<p>{text(filler)}</p>")
    out.append("</article>")
    return "\n".join(out) + "\n"


def render(report: Report, page: bool = False, keep_blank: bool = False, draft: bool = False) -> str:
    """The web page's text: an article fragment, or with ``page`` a whole HTML5 page."""
    if not page:
        return article(report, keep_blank, draft)
    title = text(f"{report.agency or ''}{report.display_title}")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
            + article(report, keep_blank, draft, style=False) + "</body>\n</html>\n")


def export(report: Report, out_path: str | os.PathLike, page: bool = False, keep_blank: bool = False,
           draft: bool = False) -> Path:
    """Write the web page (UTF-8; temporary file, then rename).  Returns the path."""
    out = Path(out_path)
    # A fragment has no <meta charset>: the byte-order mark tells a browser or editor it is UTF-8.
    data = ("" if page else "\ufeff").encode("utf-8") + render(report, page, keep_blank, draft).encode("utf-8")
    try:
        atomic_write(out, data)
    except OSError as e:
        raise InputError(f"无法写出网页（{e.strerror or e}）", path=str(out)) from None
    return out
