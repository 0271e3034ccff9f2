"""The PDF reader on real published reports, scanned and hostile files.

The expected values below were read by hand from the printed pages (rendered with pdftoppm and
compared with pdftotext's layout), not taken from this reader's output.
"""
from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from nianbao.errors import InputError
from nianbao.importers import pdf
from nianbao.importers.document import Paragraph, Table

REAL = Path(__file__).parent / "data" / "real"


def z(n):
    """A row of table three with only natural persons: n, five zeros, total n."""
    return [n, 0, 0, 0, 0, 0, n]


HUAIAN = {
    "agency": "淮安市人民政府",
    "active": [[1, 0, 11], [8, 26, 66], [447228], [3985758], [88283], [96171.6]],
    "requests": [
        [3001, 53, 0, 0, 61, 4, 3119], z(34), [1288, 21, 0, 0, 50, 3, 1362], [447, 7, 0, 0, 0, 0, 454],
        z(2), [30, 1, 0, 0, 0, 0, 31], z(5), z(6), [7, 1, 0, 0, 0, 0, 8], z(12), z(9), z(105),
        [746, 12, 0, 0, 10, 1, 769], z(11), z(1),
        [56, 6, 0, 0, 0, 0, 62], z(25), z(0), z(0), z(1),
        [67, 3, 0, 0, 1, 0, 71], z(6), [108, 2, 0, 0, 0, 0, 110],
        [2932, 53, 0, 0, 61, 4, 3050], z(103)],
    "appeals": [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20],
    "pages": (3, 4, 5),
}
HONGZE_2023 = {
    "agency": "洪泽区人民政府",
    "active": [[0, 0, 0], [0, 5, 5], [550], [4119], [195], [7730.28]],
    "requests": [z(21), z(0), z(0), z(4), z(1), z(0), z(0), z(0), z(0), z(1), z(1), z(0),
                 z(10), z(3), z(0), z(1), z(0), z(0), z(0), z(0), z(0), z(21), z(0)],
    "appeals": [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0],
    "pages": (2, 3, 4),
}
HONGZE_2024 = {
    "agency": "淮安市洪泽区人民政府",
    "active": [[0, 0, 0], [3, 0, 8], [9487], [2776], [84], [7545]],
    "requests": [z(95), z(0), z(50), z(9), z(0), z(0), z(1), z(0), z(0), z(1), z(1), z(0),
                 z(31), z(1), z(0), z(1), z(0), z(0), z(0), z(0), z(0), z(95), z(0)],
    "appeals": [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3],
    "pages": (2, 3, 4),
}
CASES = {"huaian-city-2024": HUAIAN, "hongze-district-2023": HONGZE_2023, "hongze-district-2024": HONGZE_2024}


def _read(name: str):
    path = REAL / f"{name}.pdf"
    return pdf.read_document(str(path), path.read_bytes())


def _number(text: str):
    t = text.strip()
    try:
        return int(t)
    except ValueError:
        try:
            return float(t)
        except ValueError:
            return None


def _value_rows(table: Table) -> list[list]:
    """Each grid row's trailing numeric cells, left to right (a merged cell counted once)."""
    out = []
    for row in table.grid():
        seen = []
        for c in row:
            if c is not None and c not in seen:
                seen.append(c)
        nums = []
        for c in reversed(seen):
            n = _number(c.text)
            if n is None:
                break
            nums.insert(0, n)
        if nums:
            out.append(nums)
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_report_tables_exact(name):
    doc = _read(name)
    want = CASES[name]
    tables = doc.tables()
    assert len(tables) == 3  # the active table's parts over two pages are one table
    active, requests, appeals = tables
    assert _value_rows(active) == want["active"]
    assert _value_rows(requests) == want["requests"]
    assert _value_rows(appeals) == [want["appeals"]]
    values = sum(len(r) for t in tables for r in _value_rows(t))
    if name == "huaian-city-2024":
        assert values == 200
    # provenance: each cell names its page and place
    for t, page in zip(tables, want["pages"]):
        assert t.where.startswith(f"第{page}页 表")
        assert all(c.where and c.where.startswith("第") and "行第" in c.where for c in t.cells)


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_report_paragraphs(name):
    doc = _read(name)
    paras = doc.paragraphs()
    assert paras[0].text == CASES[name]["agency"]
    assert paras[1].text.endswith("年政府信息公开工作年度报告")
    texts = [p.text for p in paras]
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in texts
    # page numbers ("-1-") are gone; a paragraph running over a page break is one paragraph
    assert not any(t.strip("-－— 0123456789") == "" for t in texts)
    assert not any("-2-" in t or "- 2 -" in t for t in texts)
    last = texts[-1]
    assert last.startswith("2023年") or last.startswith("2024年")
    assert last.endswith("元。")
    # the blocks are in reading order: heading, then its table
    kinds = [type(b).__name__ for b in doc.blocks]
    i = texts.index("三、收到和处理政府信息公开申请情况")
    at = [k for k, b in enumerate(doc.blocks) if isinstance(b, Paragraph) and b.text == texts[i]][0]
    assert kinds[at + 1] == "Table"


def test_merged_cell_cut_by_page_break_is_one_cell():
    """「（四）无法提供」spans three rows, two on page 3 and one on page 4 (洪泽区 2023)."""
    doc = _read("hongze-district-2023")
    requests = doc.tables()[1]
    cell = next(c for c in requests.cells if c.text == "（四）无法提供")
    assert cell.rowspan == 3
    results = next(c for c in requests.cells if c.text == "三、本年度办理结果")
    assert results.rowspan >= 19  # the whole results block, over both pages
    # the active table's section headers are not merged with the continued header below them
    active = doc.tables()[0]
    assert sum(1 for c in active.cells if c.text.startswith("第二十条")) == 4


# ---------------------------------------------------------------- generated files
def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of numbered objects (1..n, object 1 the catalogue) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def test_scanned_pdf_is_refused_with_a_clear_message():
    w = h = 8
    image = _stream(zlib.compress(bytes(range(64)) * 3),
                    b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                    b"/BitsPerComponent 8 /Filter /FlateDecode" % (w, h))
    content = _stream(b"q 500 0 0 700 50 50 cm /Im1 Do Q")
    raw = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
                content, image])
    with pytest.raises(InputError) as err:
        pdf.read_document("scan.pdf", raw)
    msg = str(err.value)
    assert "scan.pdf" in msg and "扫描件" in msg and "没有文字层" in msg and "OCR" in msg


def _pages(n: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + k) for k in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return _pdf(objs)


def test_page_limit():
    with pytest.raises(InputError) as err:
        pdf.read_document("many.pdf", _pages(pdf.MAX_PAGES + 1))
    assert f"{pdf.MAX_PAGES + 1} 页" in str(err.value) and "many.pdf" in str(err.value)
    # pages without any text: no text layer at all
    with pytest.raises(InputError) as err:
        pdf.read_document("blank.pdf", _pages(2))
    assert "没有文字层" in str(err.value)


def test_stream_that_expands_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_STREAM_BYTES", 4 * 1024 * 1024)
    bomb = zlib.compress(b"\0" * (6 * 1024 * 1024), 9)
    assert len(bomb) < 10_000
    raw = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                _stream(bomb, b"/Filter /FlateDecode")])
    with pytest.raises(InputError) as err:
        pdf.read_document("bomb.pdf", raw)
    assert "解压后超过" in str(err.value)
    # twice compressed: the inner layer is checked too
    raw2 = raw.replace(_stream(bomb, b"/Filter /FlateDecode"),
                       _stream(zlib.compress(bomb), b"/Filter [/FlateDecode /FlateDecode]"))
    with pytest.raises(InputError):
        pdf.read_document("bomb2.pdf", raw2)


def test_size_limit_and_broken_files(monkeypatch):
    real = (REAL / "hongze-district-2024.pdf").read_bytes()
    monkeypatch.setattr(pdf, "MAX_BYTES", len(real) - 1)
    with pytest.raises(InputError) as err:
        pdf.read_document("big.pdf", real)
    assert "超过上限" in str(err.value)
    monkeypatch.undo()
    with pytest.raises(InputError) as err:
        pdf.read_document("x.pdf", b"<html>not a pdf</html>")
    assert "不是 PDF" in str(err.value)
    with pytest.raises(InputError) as err:
        pdf.read_document("cut.pdf", real[:2000])
    assert "cut.pdf" in str(err.value)
