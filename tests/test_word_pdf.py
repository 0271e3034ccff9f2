"""Rendering the Word report with LibreOffice: PDF conversion works, pages are A4, page count is stable.

CI installs LibreOffice with the CJK fonts and the font aliases of docs/linux/64-fonts-zh-gov.conf.
(Table widths against the 156 mm text area are checked in the .docx XML by test_word.py.)
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nianbao import examples, office, word

A4 = (595.28, 841.89)  # points


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """Page sizes (width, height in points) of a PDF written by LibreOffice.

    LibreOffice writes each page as a plain dictionary object with its own MediaBox.
    """
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    sizes = []
    for obj in re.findall(rb"\d+ 0 obj\s*<<(.*?)>>\s*endobj", data, re.S):
        if not re.search(rb"/Type\s*/Page(?![a-z])", obj):
            continue
        box = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", obj)
        assert box, "a page without its own MediaBox"
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    count = re.search(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", data, re.S)
    assert count and int(count.group(1)) == len(sizes)
    return sizes


def test_libreoffice_is_installed():
    assert office.find_soffice(), "CI must install LibreOffice (libreoffice-writer-nogui)"


@pytest.mark.parametrize("name", ["seed", "example2021"])
def test_pdf_conversion_a4_and_stable_page_count(tmp_path, name):
    report = examples.load(name)
    docx = word.export(report, tmp_path / word.default_name(report))
    first = word.to_pdf(docx, tmp_path / "first.pdf")
    second = word.to_pdf(docx, tmp_path / "second.pdf")
    pages = pdf_pages(first)
    assert len(pages) >= 3  # title, narrative and three tables do not fit on fewer pages
    for width, height in pages:
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
    assert len(pdf_pages(second)) == len(pages)


FONT_CONF = Path(__file__).resolve().parents[1] / "docs" / "linux" / "64-fonts-zh-gov.conf"
ALIASES = {"仿宋_GB2312": "Noto Serif CJK SC", "仿宋": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC",
           "方正小标宋简体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC", "楷体_GB2312": "AR PL UKai CN",
           "楷体": "AR PL UKai CN"}


def test_fontconfig_file_maps_the_government_fonts():
    from lxml import etree
    root = etree.parse(str(FONT_CONF)).getroot()
    mapping = {a.findtext("family"): a.findtext("prefer/family") for a in root.findall("alias")}
    for family, target in ALIASES.items():
        assert mapping.get(family) == target, family


def test_pdf_uses_the_aliased_fonts(tmp_path):
    # Needs docs/linux/64-fonts-zh-gov.conf installed (CI copies it to /etc/fonts/conf.d/).
    report = examples.load("seed")
    pdf = word.to_pdf(word.export(report, tmp_path / "r.docx"))
    names = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z0-9_-]+)", pdf.read_bytes()))
    joined = b" ".join(names)
    assert b"NotoSerifCJK" in joined  # 仿宋_GB2312 body, 方正小标宋简体 title
    assert b"NotoSansCJK" in joined   # 黑体 headings
    assert b"UKai" in joined          # 楷体_GB2312 sub-headings


def test_fc_match_resolves_the_government_font_names():
    # fontconfig reads only conf.d files whose names start with two digits; without the alias file
    # 仿宋_GB2312 falls back to a Latin font and the PDF line breaks differ from Windows.
    import subprocess
    for family, target in ALIASES.items():
        got = subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True,
                             check=True).stdout
        assert target in got.split(","), (family, got)
