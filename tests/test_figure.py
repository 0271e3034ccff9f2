"""一图读懂 (``export --figure``): what it states comes from the tables, no text overlaps another or leaves
its box (every text measured with the real font), 0 and huge numbers are shown as they are, the PNG and
the SVG hold the same texts, and nothing but --figure imports the drawing library.
"""
from __future__ import annotations

import subprocess
import sys
from itertools import combinations

import pytest
from lxml import etree

import conftest
import reportgen
from nianbao import cli, examples, figure, formats
from nianbao.formats.base import COUNT, MONEY, SIGNED

EPS = 0.5  # layout units: touching is not overlapping


def overlaps(pic) -> list[tuple[str, str]]:
    out = []
    for a, b in combinations(pic.texts(), 2):
        ax0, ay0, ax1, ay1 = a.bounds
        bx0, by0, bx1, by1 = b.bounds
        if ax0 < bx1 - EPS and bx0 < ax1 - EPS and ay0 < by1 - EPS and by0 < ay1 - EPS:
            out.append((a.text, b.text))
    return out


def outside(pic) -> list[str]:
    bad = []
    for t in pic.texts():
        x0, y0, x1, y1 = t.bounds
        frame = t.box or (0, 0, pic.width, pic.height)
        if x0 < frame[0] - EPS or y0 < frame[1] - EPS or x1 > frame[2] + EPS or y1 > frame[3] + EPS:
            bad.append(t.text)
        if x0 < 0 or x1 > pic.width or y1 > pic.height:
            bad.append(t.text)
    for r in pic.items:
        if isinstance(r, figure.Rect) and (r.x0 < 0 or r.x1 > pic.width or r.y0 < 0 or r.y1 > pic.height
                                           or r.x0 > r.x1 or r.y0 > r.y1):
            bad.append(f"rect {r}")
    return bad


def _filled(format_id: str, value) -> object:
    """A report of the format with every count ``value`` (huge or 0), text cells as text."""
    rep = reportgen.zero_report(format_id)
    for f in rep.fmt.fields():
        if f.kind in (COUNT, SIGNED):
            rep.set(f.key, value)
        elif f.kind == MONEY:
            rep.set(f.key, value / 100)
    return rep


def _cases():
    out = []
    for fid in formats.ids():
        out += conftest._draw(fid, 6)
        out.append(_filled(fid, 0))
        untitled = _filled(fid, 7)
        untitled.agency, untitled.title = "", "关于" + "本机关政府信息公开工作情况" * 8 + "的年度报告"
        out.append(untitled)
        huge = _filled(fid, 987_654_321_012_345)
        huge.agency = "某某省某某市某某区人民政府办公室政务公开科（区人民政府门户网站管理中心）" * 2
        out.append(huge)
    return out


CASES = _cases()


@pytest.mark.parametrize("rep", CASES, ids=[f"{r.format}-{i}" for i, r in enumerate(CASES)])
def test_no_text_overlaps_or_leaves_its_box(rep):
    for draft in (False, True):
        pic = figure.layout(rep, draft=draft)
        assert overlaps(pic) == []
        assert outside(pic) == []
        assert len(pic.texts()) > 40


def test_the_overlap_check_finds_a_planted_overlap():
    pic = figure.layout(examples.load("seed"))
    a, b = pic.texts()[5], pic.texts()[9]
    b.x, b.y = a.x + 3, a.y + 3
    assert (a.text, b.text) in overlaps(pic) or (b.text, a.text) in overlaps(pic)


def test_the_figures_are_the_tables_numbers():
    for rep in CASES[:7]:
        fig = figure.figures(rep)
        t3 = rep.fmt.requests
        total = lambda row: rep.number(f"{t3.key}.{row}.{t3.total_column}")  # noqa: E731
        assert fig["closed"][1] == total(t3.results_total)
        assert sum(n for _, n, _ in fig["results"]) == fig["closed"][1]  # every result row in one group
        assert fig["new"][1] + fig["carried"][1] == fig["closed"][1] + fig["forward"][1]  # T3-1 holds
        t4 = rep.fmt.appeals
        assert fig["review"][1] + fig["litigation"][1] == sum(
            rep.number(f"{t4.key}.{g}.{t4.total_member}") for g, _ in t4.groups)
        texts = {t.text for t in figure.layout(rep).texts()}
        assert figure._count(fig["new"][1]) in texts and figure._count(fig["closed"][1]) in texts
        active = [rep.fmt.active.key + f".{r.key}.{c.key}" for b in rep.fmt.active.blocks for r in b.rows
                  for c in r.columns]
        from nianbao.word import cell_text
        joined = "".join(t.text for t in figure.layout(rep).texts())
        assert all(cell_text(rep.get(k), rep.fmt.field(k).kind) in joined for k in active)


def test_zero_is_shown_as_zero_not_hidden():
    for fid in formats.ids():
        pic = figure.layout(_filled(fid, 0))
        texts = [t.text for t in pic.texts()]
        fig = figure.figures(_filled(fid, 0))
        assert fig["disclosed_rate"] is None and "—" in texts  # no rate of nothing
        assert texts.count("0") >= 5  # the key numbers are printed as 0
        assert sum(t == "0 件" for t in texts) >= len(fig["results"])  # every result: 0 件 …
        assert not any("%" in t for t in texts)  # … and no percentage of nothing
        assert any("没有办结" in t for t in texts)


def test_png_and_svg_hold_the_same_picture(tmp_path):
    from PIL import Image
    rep = examples.load("example2021")
    png, svg = figure.export(rep, tmp_path / "a.png", tmp_path / "a.svg")
    pic = figure.layout(rep)
    img = Image.open(png)
    assert img.size == (round(pic.width * figure.SCALE), round(pic.height * figure.SCALE))
    root = etree.fromstring(svg.read_bytes())
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == [t.text for t in pic.texts()]
    # text from the report stays text in the SVG
    rep.agency = '<script>alert(1)</script>&amp;"]]><!--'
    hostile = figure.export(rep, tmp_path / "h.png", tmp_path / "h.svg")[1]
    root = etree.fromstring(hostile.read_bytes())
    assert not any("script" in str(el.tag) for el in root.iter())
    assert rep.agency in "".join(root.itertext())
    # every text is drawn: the pixels inside its box are not all one colour
    for t in pic.texts()[:20]:
        x0, y0, x1, y1 = (round(v * figure.SCALE) for v in t.bounds)
        assert len(img.crop((x0, y0, x1, y1)).getcolors(1 << 20)) > 2, t.text


def test_the_font_has_chinese_glyphs():
    """A font without Chinese draws every character as the same empty box."""
    from PIL import Image, ImageDraw
    for role in (figure.SANS, figure.SERIF):
        f = figure.font(role, 40)
        drawn = []
        for ch in "图读图":
            img = Image.new("L", (120, 120), 0)
            ImageDraw.Draw(img).text((10, 10), ch, font=f, fill=255)
            drawn.append(img.tobytes())
        assert drawn[0] == drawn[2] != drawn[1] and any(drawn[1])


def test_export_command_writes_png_and_svg_beside_the_report(capsys, tmp_path):
    src = tmp_path / "seed.json"
    src.write_bytes(examples.path("seed").read_bytes())
    out = tmp_path / "报告.docx"
    assert cli.main(["export", str(src), "-o", str(out), "--figure"]) == 0
    png, svg = tmp_path / "报告（一图读懂）.png", tmp_path / "报告（一图读懂）.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and svg.read_bytes().startswith(b"<svg")
    before = png.read_bytes()
    capsys.readouterr()
    assert cli.main(["export", str(src), "-o", str(out), "--figure", "--force"]) == 0
    (tmp_path / "新（一图读懂）.svg").write_text("mine", encoding="utf-8")
    assert cli.main(["export", str(src), "-o", str(tmp_path / "新.docx"), "--figure"]) == 2
    assert "--force" in capsys.readouterr().err
    assert not (tmp_path / "新.docx").exists() and not (tmp_path / "新（一图读懂）.png").exists()
    assert png.read_bytes() == before  # the same report draws the same picture


def test_only_the_figure_imports_the_drawing_library(tmp_path):
    src = tmp_path / "seed.json"
    src.write_bytes(examples.path("seed").read_bytes())
    code = ("import sys\nfrom nianbao import cli\n"
            f"assert cli.main(['export', {str(src)!r}, '-o', {str(tmp_path / 'a.docx')!r}, '--html']) == 0\n"
            f"assert cli.main(['check', {str(src)!r}]) in (0, 1)\n"
            "print(sorted(m for m in sys.modules if m == 'PIL' or m.startswith(('PIL.', 'nianbao.figure'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_without_a_chinese_font_nothing_is_written(capsys, tmp_path, monkeypatch):
    src = tmp_path / "seed.json"
    src.write_bytes(examples.path("seed").read_bytes())
    monkeypatch.setattr(figure.shutil, "which", lambda name: None)  # no fontconfig (and not Windows)
    monkeypatch.setattr(figure.sys, "platform", "linux")
    figure.font_file.cache_clear()
    try:
        assert cli.main(["export", str(src), "-o", str(tmp_path / "a.docx"), "--figure"]) == 2
    finally:
        figure.font_file.cache_clear()
    err = capsys.readouterr().err
    assert "中文字体" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.json"]
