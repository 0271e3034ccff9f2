"""The web page (``export --html``): import gives back the report, the HTML is well-formed HTML5 with the
official tables' real merges, hostile text stays text, and on a phone's width the wide tables scroll
inside their box while the page itself does not.

Random reports are drawn as for the Word round trips (``conftest._draw``, both formats).
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import html5lib
import pytest

import conftest
from nianbao import cli, examples, formats, importers, web, word

PER_FORMAT = 25
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def drawn():
    return [rep for fid in formats.ids() for rep in conftest._draw(fid, PER_FORMAT)]


def _parse_page(text: str):
    """html5lib in strict mode: any parse error of the WHATWG algorithm raises."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)


def _parse_fragment(text: str):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parseFragment(text)


def _grid(table) -> list[list[int]]:
    """How many cells cover each slot of the table (the HTML table model: every slot exactly once)."""
    rows = [tr for tr in table.iter(f"{NS}tr")]
    taken: dict[tuple[int, int], int] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in (f"{NS}td", f"{NS}th"):
                continue
            while (r, c) in taken:
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for i in range(r, r + rs):
                for k in range(c, c + cs):
                    taken[(i, k)] = taken.get((i, k), 0) + 1
            c += cs
            width = max(width, c)
    return [[taken.get((r, k), 0) for k in range(width)] for r in range(len(rows))]


def _text(el) -> str:
    return "".join(el.itertext())


@pytest.mark.parametrize("page", [False, True], ids=["fragment", "page"])
def test_import_of_the_web_page_gives_back_the_report(drawn, tmp_path, page):
    assert {r.format for r in drawn} == set(formats.ids())
    for i, want in enumerate(drawn):
        path = web.export(want, tmp_path / f"r{i}.html", page=page)
        src = importers.read(str(path))
        got = src.report
        assert src.kind == "html"
        assert (got.format, got.year, got.agency) == (want.format, want.year, want.agency), path
        assert got.tables == want.tables, path
        assert got.sections == want.sections, path
        assert src.findings == (), path


def test_the_web_page_is_well_formed_html5_with_the_official_merges(drawn):
    for rep in drawn[:: PER_FORMAT - 1]:  # a few of each format; the markup does not depend on the values
        fmt = rep.fmt
        doc = _parse_page(web.render(rep, page=True))
        frag = _parse_fragment(web.render(rep))
        for tree in (doc, frag):
            tables = list(tree.iter(f"{NS}table"))
            assert len(tables) == len(fmt.tables())
            for table, spec in zip(tables, fmt.tables()):
                layout = spec.layout()
                grid = _grid(table)
                assert len(grid) == layout.rows and all(len(r) == layout.cols for r in grid)
                assert all(n == 1 for r in grid for n in r)  # no slot empty, none covered twice
                cells = [c for c in table.iter() if c.tag in (f"{NS}td", f"{NS}th")]
                assert len(cells) == len(layout.cells)
                spans = sorted((c.rowspan, c.colspan) for c in layout.cells)
                assert sorted((int(c.get("rowspan", 1)), int(c.get("colspan", 1))) for c in cells) == spans
                heads = [c for c in cells if c.tag == f"{NS}th"]
                assert heads and all(c.get("scope") in ("row", "col", "colgroup") for c in heads)
                values = [c for c in cells if c.tag == f"{NS}td" and "nb-note" not in (c.get("class") or "")]
                assert len(values) == sum(1 for _ in layout.value_cells())
                printed = [word.cell_text(rep.get(v.key), fmt.field(v.key).kind)
                           for v in sorted(layout.value_cells(), key=lambda v: (v.row, v.col))]
                assert [_text(v) for v in values] == printed
            for el in tree.iter():
                assert not {"style", "width", "height", "face", "bgcolor"} & set(el.attrib), el.tag
                assert el.tag not in (f"{NS}font", f"{NS}span")
        assert next(doc.iter(f"{NS}title")).text.strip() == f"{rep.agency}{rep.display_title}"


def test_zero_is_printed_as_zero_and_blank_as_zero_unless_kept(tmp_path):
    rep = examples.load("seed")
    blank = next(f.key for f in rep.fmt.fields() if rep.get(f.key) is None)
    text = web.render(rep)
    assert "&nbsp;" not in text and "\xa0" not in text
    got = importers.read(str(web.export(rep, tmp_path / "a.html"))).report
    assert got.get(blank) == 0
    kept = web.render(rep, keep_blank=True)
    assert kept.count("<td></td>") == sum(1 for f in rep.fmt.fields() if rep.get(f.key) is None)


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>&amp; "引号" \'单\' </p></article><!-- \x01\x7f'


def test_hostile_text_stays_text():
    rep = examples.load("example2021")
    rep.agency = HOSTILE
    rep.sections = {"overview": [HOSTILE, {"heading": HOSTILE, "paragraphs": [HOSTILE]}], "problems": [HOSTILE]}
    for page in (False, True):
        text = web.render(rep, page=page)
        tree = _parse_page(text) if page else _parse_fragment(text)
        tags = {el.tag for el in tree.iter() if isinstance(el.tag, str)}
        assert f"{NS}script" not in tags and f"{NS}img" not in tags
        article = next(el for el in tree.iter(f"{NS}article"))
        assert len(list(tree.iter(f"{NS}article"))) == 1  # the text did not close it
        shown = HOSTILE.replace("\x01", "").replace("\x7f", "")
        h1 = next(article.iter(f"{NS}h1"))
        assert _text(h1).startswith(shown)
        paragraphs = [_text(p) for p in article.iter(f"{NS}p")]
        assert paragraphs.count(shown) == 3
        assert _text(next(article.iter(f"{NS}h3"))) == shown


def test_on_a_phone_the_wide_tables_scroll_inside_their_box(tmp_path):
    """Chromium lays the fragment out in a 360 px column: nothing sticks out of the column, and the
    tables too wide for it (三, 四) scroll inside their own box."""
    rep = examples.load("example2021")
    probe = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head>'
             '<body style="margin:0"><div id="phone" style="width:360px">' + web.render(rep) + "</div><script>"
             "var p=document.getElementById('phone'),o=[p.scrollWidth];"
             "document.querySelectorAll('.nb-table').forEach(function(b){o.push(b.scrollWidth+'/'+b.clientWidth)});"
             "document.body.setAttribute('data-probe',o.join(' '));</script></body></html>")
    page = tmp_path / "probe.html"
    page.write_text(probe, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                              "--no-first-run", "--disable-background-networking", "--disable-component-update",
                              "--disable-sync", f"--user-data-dir={profile}", "--window-size=800,800", "--dump-dom",
                              page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    probed = re.search(r'data-probe="([^"]*)"', dom)
    assert probed, dom[-2000:]
    column, *boxes = probed.group(1).split()
    assert int(column) <= 360
    sizes = [tuple(map(int, b.split("/"))) for b in boxes]
    assert len(sizes) == 3
    assert all(client <= 360 for _, client in sizes)
    assert sizes[1][0] > sizes[1][1] and sizes[2][0] > sizes[2][1]  # 三 and 四 scroll sideways


def test_export_command_writes_the_web_page_beside_the_report(capsys, tmp_path):
    src = tmp_path / "seed.json"
    src.write_bytes(examples.path("seed").read_bytes())
    out = tmp_path / "报告.docx"
    assert cli.main(["export", str(src), "-o", str(out), "--html"]) == 0
    html = out.with_suffix(".html")
    assert html.exists() and "<!DOCTYPE" not in html.read_text(encoding="utf-8-sig")
    before = html.read_bytes()
    capsys.readouterr()
    # an existing web page is not replaced without --force, and nothing else is written either
    assert cli.main(["export", str(src), "-o", str(tmp_path / "二.docx"), "--html"]) == 0
    (tmp_path / "三.html").write_text("mine", encoding="utf-8")
    assert cli.main(["export", str(src), "-o", str(tmp_path / "三.docx"), "--html-page"]) == 2
    assert "--force" in capsys.readouterr().err
    assert not (tmp_path / "三.docx").exists() and (tmp_path / "三.html").read_text(encoding="utf-8") == "mine"
    assert cli.main(["export", str(src), "-o", str(tmp_path / "三.docx"), "--html-page", "--force"]) == 0
    assert (tmp_path / "三.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert html.read_bytes() == before
    assert importers.read(str(tmp_path / "三.html")).report.tables == importers.read(str(html)).report.tables


def test_html5_elements_the_parser_puts_in_the_head_are_read(tmp_path):
    """libxml2's HTML parser does not know <article>/<section>: after a leading <style> it puts them in
    <head>.  Any such page (ours or a CMS's) is still read whole; the page's metadata is not text."""
    page = tmp_path / "cms.html"
    page.write_text("<style>p{color:red}</style><title>标题栏</title><meta name=x content=y>"
                    "<section><h1>某区人民政府2023年度政府信息公开工作年度报告</h1><p>第一段。</p></section>"
                    "<footer><p>第二段。</p></footer>", encoding="utf-8")
    texts = [b.text for b in importers.read_document(str(page)).paragraphs()]
    assert texts == ["某区人民政府2023年度政府信息公开工作年度报告", "第一段。", "第二段。"]
