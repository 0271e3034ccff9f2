"""The Word report on paper: LibreOffice's PDF of both examples and of 30 random reports per format.

A reviewer sends a report back when a table is cut apart, a punctuation mark is missing or a heading
stands bare.  Read from the PDF (pdfplumber for table cells and characters, pdftotext for the text):

- tables 三 and 四 each lie whole on one page, with every label cell in one piece (a cut merged label
  or a header row left at the foot of a page would show as a second, partial table);
- table 二 breaks only between its 「第二十条第（…）项」 blocks;
- no page ends with a section heading;
- every narrative paragraph, with every punctuation mark, is in the PDF text, in order;
- a full body line holds 28 characters, a full page 22 lines.

The narratives have random lengths (tests/reportgen.py), so the tables fall anywhere on their page.
All documents are converted in one LibreOffice run per core (``office.convert_many``).
CI installs LibreOffice, poppler and the font aliases of docs/linux/64-fonts-zh-gov.conf.
"""
from __future__ import annotations

import random
import re
import subprocess
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import reportgen
from nianbao import examples, formats, office, word
from nianbao.model import Report, empty_report

pytestmark = pytest.mark.heavy(45)  # seconds run alone: handed out first (conftest.py)

GENERATED = 30  # random reports per format
CORES = 2  # the CI machine's; the export, the conversion and the reading run that many at a time
PT_PER_MM = 72 / 25.4
LEFT = 28 * PT_PER_MM
RIGHT = (210 - 26) * PT_PER_MM
TEXT_TOP, TEXT_BOTTOM = 37 * PT_PER_MM, (297 - 35) * PT_PER_MM
BODY_PT = 16


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


@dataclass
class Page:
    lines: list[tuple[float, float, float, str]]  # (top, x0, x1, text) of the text area, top to bottom
    tables: list[list[str]]  # the cell texts of each table (part) drawn on the page


@dataclass
class Printed:
    report: Report
    pdf: Path
    pages: list[Page]


def generated_reports(format_id: str, n: int) -> list[Report]:
    """``n`` random consistent reports (reportgen) with narratives and fees of random length."""
    out: list[Report] = []

    @settings(max_examples=n, database=None, derandomize=True, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(reportgen.consistent_report(format_id, spelled=False))
    def collect(report):
        out.append(report)

    collect()
    rng = random.Random(f"layout-{format_id}")
    for report in out:
        report.agency = "测试县人民政府办公室"
        report.sections = reportgen.random_sections(rng, report.fmt)
        report.fees = reportgen.random_fees(rng)
    assert len(out) == n
    return out


def probe_report() -> Report:
    """Long paragraphs of characters without punctuation: full lines and full pages to measure."""
    report = empty_report("2021", 2024, agency="测试机关")
    text = ("政府信息公开工作年度报告正文测量每行字数与每页行数" * 40)[:600]
    report.sections = {"overview": [text, text, text]}
    return report


# Words that stand in a cell of every page a table is drawn on (a block of table 二, the header of
# table 三 or 四, repeated on a continuation page): only those pages are read for their cells.
TABLE_WORDS = {"信息内容", "申请人情况", "行政复议"}


def read_pdf(pdf: Path) -> list[Page]:
    """Lines of text on each page (pdftotext -bbox), and the table cells of the pages with tables."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages, table_pages = [], []
    for body in html.split("<page ")[1:]:
        rows: dict[float, list] = {}
        for x0, y0, x1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', body):
            if TEXT_TOP - 5 < float(y0) < TEXT_BOTTOM:
                rows.setdefault(round(float(y0), 1), []).append((float(x0), float(x1), text))
        lines = []
        for top in sorted(rows):
            words = sorted(rows[top])
            lines.append((top, words[0][0], words[-1][1], "".join(w[2] for w in words)))
        pages.append(Page(lines, []))
        if TABLE_WORDS & {w[2] for words in rows.values() for w in words}:
            table_pages.append(len(pages) - 1)
    with pdfplumber.open(pdf, pages=[i + 1 for i in table_pages]) as doc:
        for i, page in zip(table_pages, doc.pages):
            pages[i].tables = [[norm(cell) for row in t.extract() for cell in row if cell is not None]
                               for t in page.find_tables()]
    return pages


def convert_all(docx: list[Path], outdir: Path) -> list[Path]:
    """PDFs of all files: one LibreOffice run per core, each over its share of the files."""
    shares = [docx[i::CORES] for i in range(CORES)]
    with ThreadPoolExecutor(CORES) as pool:
        done = list(pool.map(lambda files: office.convert_many(files, "pdf", outdir, recalc=False), shares))
    by_name = {p.stem: p for share in done for p in share}
    return [by_name[d.stem] for d in docx]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Printed]:
    folder = tmp_path_factory.mktemp("layout")
    reports = {"seed": examples.load("seed"), "example2021": examples.load("example2021"), "probe": probe_report()}
    for fid in formats.ids():
        for i, report in enumerate(generated_reports(fid, GENERATED)):
            reports[f"gen{fid}-{i:02d}"] = report
    with ProcessPoolExecutor(CORES) as pool:
        docx = list(pool.map(word.export, reports.values(), [folder / f"{name}.docx" for name in reports]))
        pdfs = convert_all(docx, folder / "pdf")
        pages = list(pool.map(read_pdf, pdfs))
    return {name: Printed(report, pdf, p) for (name, report), pdf, p in zip(reports.items(), pdfs, pages)}


def documents(printed, *, probe: bool = False):
    return [p for name, p in printed.items() if (name == "probe") == probe]


# ---------------------------------------------------------------- tables
def table_parts(doc: Printed, texts: set[str]) -> list[tuple[int, list[str]]]:
    """(page number, cell texts) of every drawn table that holds one of ``texts``."""
    return [(n, cells) for n, page in enumerate(doc.pages, 1) for cells in page.tables if texts & set(cells)]


def label_texts(table) -> list[str]:
    return [norm(c.text) for c in table.layout().cells if c.role != "value" and norm(c.text)]


def test_tables_three_and_four_each_lie_whole_on_one_page(printed):
    failures = []
    for doc in documents(printed):
        for table in (doc.report.fmt.requests, doc.report.fmt.appeals):
            labels = label_texts(table)
            others = {t for other in doc.report.fmt.tables() if other is not table for t in label_texts(other)}
            parts = table_parts(doc, set(labels) - others)
            if len(parts) != 1:
                failures.append((doc.pdf.name, table.key, "on pages", [n for n, _ in parts]))
                continue
            cut = [t for t in labels if t not in parts[0][1]]  # a merged label cut in two, or missing
            if cut:
                failures.append((doc.pdf.name, table.key, "cut labels", cut))
    assert not failures


def test_table_two_breaks_only_between_its_blocks(printed):
    failures = []
    for doc in documents(printed):
        for block in doc.report.fmt.active.blocks:
            texts = [norm(block.title)] + [norm(r.label) for r in block.rows]
            parts = table_parts(doc, set(texts))
            if len(parts) != 1 or not set(texts) <= set(parts[0][1]):
                failures.append((doc.pdf.name, block.title, [n for n, _ in parts]))
    assert not failures


def test_no_page_ends_with_a_heading(printed):
    failures = []
    for doc in documents(printed):
        headings = {norm(s.heading) for s in doc.report.fmt.sections if s.heading}
        headings |= {norm(b.get("heading")) for items in doc.report.sections.values() for b in items
                     if isinstance(b, dict)}
        for n, page in enumerate(doc.pages[:-1], 1):
            if page.lines and norm(page.lines[-1][3]) in headings:
                failures.append((doc.pdf.name, n, page.lines[-1][3]))
    assert not failures


def test_the_generated_tables_fall_at_many_places_on_the_page(printed):
    # The layout tests above are only as good as the spread of the table positions they see.
    starts = set()
    for doc in documents(printed):
        for key in ("active", "requests"):
            heading = norm(next(s.heading for s in doc.report.fmt.sections if s.table == key))
            for page in doc.pages:
                starts |= {(key, round(top / 50)) for top, _, _, text in page.lines if norm(text) == heading}
    assert len({s for s in starts if s[0] == "active"}) >= 8, sorted(starts)


# ---------------------------------------------------------------- text
def pdf_text(pdf: Path) -> str:
    """The PDF's text in the order it was written (``-raw``: no joining of words hyphenated at a line
    end), the page numbers 「— N —」 left out, whitespace removed."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return norm(re.sub(r"—\s*\d+\s*—", "", text))


PUNCTUATION = set("，。、；：？！“”‘’（）《》〔〕【】…—·")


def test_every_narrative_paragraph_is_printed_with_every_punctuation_mark(printed):
    lost = []
    for doc in documents(printed):
        text = pdf_text(doc.pdf)
        for _, heading, paragraph in doc.report.narrative():
            for part in (heading, paragraph):
                if part and norm(part) not in text:
                    lost.append((doc.pdf.name, part[:40]))
        marks = [c for c in doc.report.narrative_text() if c in PUNCTUATION]
        printed_marks = iter(c for c in text if c in PUNCTUATION)
        assert all(m in printed_marks for m in marks), doc.pdf.name  # a subsequence, in order
    assert not lost


def test_sections_without_text_print_the_fee_sentence_or_the_marker(printed):
    seen = set()
    for doc in documents(printed):
        text = pdf_text(doc.pdf)
        for key in word.empty_sections(doc.report):
            heading = norm(next(s.heading for s in doc.report.fmt.sections if s.key == key))
            assert heading + norm(word.EMPTY_MARK) in text, (doc.pdf.name, key)
            seen.add("marker")
        if not doc.report.sections.get("other_matters") and word.fee_sentence(doc.report):
            assert "六、其他需要报告的事项" + norm(word.fee_sentence(doc.report)) in text, doc.pdf.name
            seen.add("fees")
    assert seen == {"marker", "fees"}  # the generated reports have both cases


# ---------------------------------------------------------------- the 28 × 22 grid
def test_a_full_line_holds_28_characters_and_a_full_page_22_lines(printed):
    pages = printed["probe"].pages
    full = pages[1]  # page 1 has the title; page 2 is all body text
    assert len(full.lines) == 22
    pitches = {round(b[0] - a[0], 1) for a, b in zip(full.lines, full.lines[1:])}
    assert pitches <= {28.9, 29.0}  # 28.95 pt
    lines = [line for page in pages[:2] for line in page.lines]
    full_lines = [(x0, x1, text) for _, x0, x1, text in lines if abs(x0 - LEFT) < 1 and abs(x1 - RIGHT) < 3]
    first_lines = [(x0, text) for _, x0, x1, text in lines
                   if abs(x0 - LEFT - 2 * 15.75) < 1 and abs(x1 - RIGHT) < 3]
    assert len(full_lines) >= 30
    assert {len(text) for _, _, text in full_lines} == {28}
    assert all(x1 <= RIGHT + 0.5 for _, x1, _ in full_lines)  # inside the 156 mm text width
    assert first_lines and {len(text) for _, text in first_lines} == {26}  # indented by two characters
