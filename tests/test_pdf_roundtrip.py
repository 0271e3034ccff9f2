"""Round trip through PDF: random consistent reports → Word export (.docx) → LibreOffice PDF → import.

The .docx files are the session's ``exported_reports`` (shared with the .docx/.html/.doc round trip);
one LibreOffice run prints them all.  Every PDF must give back exactly the table data and the sections
that were exported, with no import finding.

One thing the printer, not the importer, changes: LibreOffice does not print a full stop 「。」 that falls
past the end of a full line (Word hangs it in the margin).  Such a stop is in no text layer, so it cannot
be read back; the test allows exactly that — a 「。」 missing where the PDF's own text shows a line break
right after the characters before it — and nothing else.
"""
from __future__ import annotations

import re

import difflib
from pathlib import Path

import pypdfium2
import pytest

import conftest
from nianbao import formats, importers, office

pytestmark = pytest.mark.heavy(70)  # seconds run alone: handed out first (conftest.py)


def _page_text(path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _paragraphs(sections: dict) -> list[str]:
    out = []
    for items in sections.values():
        for item in items:
            if isinstance(item, dict):
                out.append(item["heading"])
                out.extend(item["paragraphs"])
            else:
                out.append(item)
    return out


def _unprinted_stops(want: dict, got: dict, printed: str) -> int:
    """The 「。」 of ``want`` missing from ``got`` at a printed line end (the only difference allowed);
    an AssertionError for any other difference."""
    assert want.keys() == got.keys()
    a, b = _paragraphs(want), _paragraphs(got)
    assert len(a) == len(b)
    missing = 0
    for x, y in zip(a, b):
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            assert op == "delete" and x[i1:i2] == "。", (x, y)
            before = x[max(0, i1 - 6):i1]
            assert before + "\r\n" in printed, (x, y)  # the line ends right before the stop
            missing += 1
    return missing


@pytest.fixture(scope="module")
def printed(tmp_path_factory, exported_reports):
    reports, docx = exported_reports
    return reports, office.convert_many(docx, "pdf", tmp_path_factory.mktemp("pdf"), recalc=False)


def test_pdf_roundtrip_tables_and_sections(printed):
    reports, paths = printed
    for fid in formats.ids():
        assert sum(r.format == fid for r in reports.values()) == conftest.PER_FORMAT >= 50
    assert len(paths) == len(reports)
    exact = 0
    for path in paths:
        want = reports[Path(path).stem]
        src = importers.read(str(path))
        assert src.kind == "pdf"
        got = src.report
        assert (got.format, got.year, got.agency) == (want.format, want.year, want.agency), path
        assert got.tables == want.tables, path
        if got.sections != want.sections:
            assert _unprinted_stops(want.sections, got.sections, _page_text(path)) > 0, path
        else:
            exact += 1
        assert src.findings == (), (path, src.findings)
        # every value is placed on its page (「表四 行政复议 / 总计（第4页）」, or 「第4页第3个表格 …」)
        assert all(re.search(r"第\d+页", src.locate(f.key) or "") for f in want.fmt.fields()), path
    assert exact >= len(paths) * 3 // 4  # most documents read back letter for letter
