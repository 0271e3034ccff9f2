"""Paragraphs whose numbers are bound to the tables: one definition (the format's ``sentences``), two faces.

* LibreOffice recalculates the 「正文」 formulas of random workbooks (both formats, planted errors, text
  numbers, blanks, fees, reworded literals): every bound paragraph equals the Python rendering of the same
  workbook read without any calculated value (saved by openpyxl), and the LibreOffice-saved workbook is
  read back with the same paragraphs, still bound.
* A report whose tables changed after the workbook was saved (by openpyxl, no calculation) exports the
  current numbers, and neither the workbook nor the exported Word report yields N-1.
* The wording reads as meant by N-1's claims for any numbers, zeros included.
"""
from __future__ import annotations

import copy
import random
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import registergen
import reportgen
import workbook_cases as cases
from nianbao import bound, carryover, cli, formats, loading, office, rules, word, workbook
from nianbao.formats.base import Amount, Choice, Filled, Positive, Words
from nianbao.model import empty_report
from nianbao.rules import narrative
from nianbao.rules.base import Context
from nianbao.rules.narrative import find_claims
from nianbao.workbook import bound as wbound
from nianbao.workbook import register as register_book

FORMAT_IDS = formats.ids()
TEXT_COL = wbound.TEXT_COLUMN


def sentence_keys(fmt) -> set[str]:
    """Every data key or field a format's bound sentences read."""
    out: set[str] = set()

    def walk(nodes):
        for n in nodes:
            if isinstance(n, Amount):
                out.update(n.keys)
            elif isinstance(n, Choice):
                out.update(n.test.keys if isinstance(n.test, Positive) else (n.test.key,))
                walk(n.then)
                walk(n.otherwise)
    for s in fmt.sentences:
        walk(s.body)
    return out


def bound_cells(path: Path):
    """(row, formula) of every paragraph cell of 「正文」 holding a formula."""
    ws = openpyxl.load_workbook(path, read_only=True)[workbook.SHEET_TEXT]
    return [(r, line[TEXT_COL - 1]) for r, line in enumerate(ws.iter_rows(values_only=True), 1)
            if len(line) >= TEXT_COL and isinstance(line[TEXT_COL - 1], str) and line[TEXT_COL - 1].startswith("=")]


def paragraphs(report):
    return [p for items in report.sections.values() for item in items
            for p in ([item] if isinstance(item, str) else item.get("paragraphs") or [])]


# ---------------------------------------------------------------- the definition
@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_formulas_stay_within_excel_limits(fid):
    fmt = formats.get(fid)
    assert {s.key for s in fmt.sentences} >= {"applications", "appeals", "fees"}
    for s in fmt.sentences:
        f = wbound.formula(fmt, s)
        assert len(f) <= wbound.MAX_FORMULA_CHARS
        assert all(len(t) <= wbound.MAX_LITERAL_CHARS for t in bound.default_literals(s))
        depth = max_depth = 0
        for ch in re.sub(r'"(?:[^"]|"")*"', '""', f):  # nesting of functions, quotes left out
            depth += ch == "("
            depth -= ch == ")"
            max_depth = max(max_depth, depth)
        assert max_depth <= 64  # Excel's nesting limit
        found = wbound.recognise(fmt, f)
        assert found is not None and found[0] == s and found[1] == bound.default_literals(s)


def test_result_names_come_from_the_table_labels():
    for fid in FORMAT_IDS:
        t3 = formats.get(fid).requests
        names = [n for n, _ in formats.common.result_groups(t3)]
        assert names == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
        assert sorted(k for _, keys in formats.common.result_groups(t3) for k in keys) == sorted(t3.result_leaves)


def _numbers_report(fid: str, values: dict) -> object:
    rep = empty_report(fid, formats.get(fid).first_year)
    for f in rep.fmt.fields():
        rep.set(f.key, 0)
    for key, v in values.items():
        if rep.fmt.has(key):
            rep.set(key, v)
        else:
            rep.fees[key.split(".", 1)[1]] = v
    return rep


@st.composite
def sentence_values(draw, fid: str):
    """Random values (many zeros) for every cell the sentences read; fees sometimes blank."""
    fmt = formats.get(fid)
    values = {}
    for key in sorted(sentence_keys(fmt)):
        if fmt.has(key):
            values[key] = draw(st.one_of(st.just(0), st.integers(0, 5), st.integers(0, 10 ** 9)))
        else:
            v = draw(st.one_of(st.none(), st.just(0), st.integers(0, 9999),
                               st.integers(0, 10 ** 7).map(lambda x: x / 100)))
            if v is not None:
                values[key] = v
    return fid, values


@settings(max_examples=250, deadline=None, database=None)
@given(st.sampled_from(FORMAT_IDS).flatmap(sentence_values))
def test_wording_reads_as_meant_by_n1(case):
    """Printed as plain text (as an exported report is read back), the sentences state each number where
    N-1's claims look for it, so N-1 never flags them; a zero is never printed as 「0件」."""
    fid, values = case
    rep = _numbers_report(fid, values)
    texts = [bound.render(s, bound.ReportValues(rep)) for s in rep.fmt.sentences]
    tables = [bound.render(rep.fmt.sentence(k), bound.ReportValues(rep)) for k in ("applications", "appeals")]
    assert not any(re.search(r"(?<![\d.])0件", t) for t in tables), tables
    rep.sections = {"overview": [t for t in texts if t]}
    assert narrative.check_numbers(Context(rep, None, None)) == []
    found = {c.name: n for c, n, _ in find_claims("\n".join(texts), rep.fmt.claims)}
    t3 = rep.fmt.requests
    new = rep.number(f"requests.new.{t3.total_column}")
    if new:  # the number of new applications is read as such
        claim = next(c for c in rep.fmt.claims if c.keys == (f"requests.new.{t3.total_column}",))
        assert found.get(claim.name) == new


def test_n1_leaves_bound_paragraphs_alone_but_reads_the_clerks_text():
    rep = cases.generate(3, errors=0, format_id=FORMAT_IDS[-1])
    sentence = rep.fmt.sentence("applications")
    text = bound.render(sentence, bound.ReportValues(rep))
    new = rep.number("requests.new.total")
    stale = text.replace(f"申请{bound.number_text(new)}件", f"申请{bound.number_text(new + 5)}件")
    assert stale != text
    rep.sections = {"overview": [bound.BoundParagraph(stale, sentence.key)]}
    assert not [f for f in rules.check(rep) if f.rule == "N-1"]
    rep.sections = {"overview": [stale]}  # the same words typed by the clerk: their own claim
    assert [f for f in rules.check(rep) if f.rule == "N-1"]


# ---------------------------------------------------------------- both faces, LibreOffice
QUIRKS = ("“引号”", '"', "&", "'", "=", "", "\u3000", "　；")


def _reword(rng: random.Random, sentence) -> tuple[str, ...]:
    """The clerk's rewording: some literal parts changed, quotes and ampersands included."""
    lits = list(bound.default_literals(sentence))
    for i in rng.sample(range(len(lits)), k=min(len(lits), rng.randint(1, 4))):
        lits[i] = rng.choice([lits[i] + rng.choice(QUIRKS), rng.choice(QUIRKS) + lits[i], lits[i].replace("全年", "本年度")])
    return tuple(lits)


def _drafted_case(seed: int):
    """A random report (planted errors, text numbers, blanks) with random fees, whole rows zeroed now and
    then, and its bound paragraphs drafted (some reworded) among text of its own."""
    rng = random.Random(seed)
    rep = cases.generate(seed, format_id=FORMAT_IDS[seed % len(FORMAT_IDS)])
    fmt = rep.fmt
    for row in rng.sample([r.key for r in fmt.requests.rows], k=rng.randint(0, 6)):
        for c in fmt.requests.columns:
            rep.set(f"requests.{row}.{c.key}", 0)
    if rng.random() < 0.4:
        for g, _ in fmt.appeals.groups:
            for m, _ in fmt.appeals.members:
                rep.set(f"appeals.{g}.{m}", 0)
    rep.fees = {} if seed % 6 < 2 else reportgen.random_fees(rng)  # not filled in: both formats
    if rep.fees and rng.random() < 0.5:
        rep.fees["notice_amount_yuan"] = round(rng.uniform(0, 99999), rng.choice([0, 1, 2, 3]))
        if rng.random() < 0.3:
            del rep.fees["collected_yuan"]
    rep.sections = carryover.skeleton(fmt) if rng.random() < 0.5 else {}
    bound.draft(rep)  # the definition's wording
    bound.draft(rep, {s.key: _reword(rng, s) for s in fmt.sentences})  # and the clerk's
    rep.sections.setdefault("problems", []).append("本单位自己写的文字。")
    return rep


N_BOOKS = 12


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """The random workbooks (written by openpyxl: no calculated values) and LibreOffice's recalculated
    copies, one conversion for all; one workbook also holds a clerk's own formula."""
    folder = tmp_path_factory.mktemp("bound")
    books = []
    for seed in range(N_BOOKS):
        p = folder / f"b{seed:02d}.xlsx"
        workbook.write(_drafted_case(seed), p)
        books.append(p)
    wb = openpyxl.load_workbook(books[0])
    ws = wb[workbook.SHEET_TEXT]
    own = ws.max_row + 1
    ws.cell(own, 1, ws.cell(workbook.TEXT_TOP, 1).value)
    ws.cell(own, TEXT_COL, '="自己的公式"&(1+2)')
    wb.save(books[0])
    for i, (fid, year) in enumerate(registergen.format_years()):  # register mode: tables 三、四 counted
        fmt = formats.get(fid)
        rep = empty_report(fid, year, agency="某局")
        carryover.start_sections(rep)
        rows = {"applications": registergen.application_rows(fmt, year, 120, 300 + i),
                "cases": registergen.case_rows(fmt, year, 30, 400 + i)}
        p = folder / f"reg{i}.xlsx"
        register_book.write_register(rep, p, rows=rows)
        books.append(p)
    saved = office.convert_many(books, "xlsx", folder / "lo")
    return [(made, out, workbook.read(made)[0], workbook.read(out)[0]) for made, out in zip(books, saved)]


def test_libreoffice_shows_the_python_rendering(recalculated):
    checked = set()
    for made, out, report, _ in recalculated:
        values = bound.ReportValues(report)  # read from openpyxl's file: no value calculated
        shown = openpyxl.load_workbook(out, data_only=True, read_only=True)[workbook.SHEET_TEXT]
        shown = {r: line[TEXT_COL - 1] for r, line in enumerate(shown.iter_rows(values_only=True), 1)}
        for row, f in bound_cells(made):
            found = wbound.recognise(report.fmt, f)
            if found is None:
                continue
            sentence, lits = found
            python = bound.render(sentence, values, lits)
            assert (shown.get(row) or "") == python, (made.name, row)
            checked.add((report.format, sentence.key, python == "", lits != bound.default_literals(sentence)))
    assert {r.name for r, *_ in recalculated if r.name.startswith("reg")} and all(
        any(bound.is_bound(p) and p.sentence == "applications" and "件" in p for p in paragraphs(rep))
        for made, _, rep, _ in recalculated if made.name.startswith("reg"))
    # Every sentence of both formats, reworded and not; the fee sentence also silent (fees not filled).
    for fid in FORMAT_IDS:
        for key in ("applications", "appeals", "fees"):
            assert {(fid, key, False, False), (fid, key, False, True)} <= checked, (fid, key)
        assert (fid, "fees", True, False) in checked


def test_libreoffice_saved_books_keep_their_bound_paragraphs(recalculated):
    for made, out, mine, again in recalculated:  # again: formulas as LibreOffice writes them, results stored
        assert paragraphs(again) == [p if not p.startswith("=") else "自己的公式3" for p in paragraphs(mine)], made.name
        assert [(type(p), getattr(p, "sentence", None), getattr(p, "literals", None)) for p in paragraphs(again)] == \
               [(type(p), getattr(p, "sentence", None), getattr(p, "literals", None)) for p in paragraphs(mine)]
        assert any(bound.is_bound(p) for p in paragraphs(again))
    # The clerk's own formula: its result where the file stores one, else kept as typed.
    assert '="自己的公式"&(1+2)' in paragraphs(recalculated[0][2])
    own = [p for p in paragraphs(recalculated[0][3]) if "自己的公式" in p]
    assert own == ["自己的公式3"] and not bound.is_bound(own[0])


# ---------------------------------------------------------------- tables changed after saving
def _retable(path: Path, report) -> None:
    """Type ``report``'s table values over a saved workbook's input cells (openpyxl: nothing recalculated)."""
    wb = openpyxl.load_workbook(path)
    computed = workbook.computed_cells(report.format)
    for key, (sheet, r, c) in workbook.cells.positions(report.format).items():
        if key not in computed:
            wb[sheet].cell(r, c).value = report.get(key)
    wb.save(path)


@settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(FORMAT_IDS).flatmap(lambda fid: st.tuples(
    reportgen.consistent_report(fid, spelled=False), reportgen.consistent_report(fid, spelled=False))), st.randoms(use_true_random=False))
def test_a_report_exported_after_its_tables_changed_never_yields_n1(tmp_path_factory, pair, rng):
    before, after = pair
    folder = tmp_path_factory.mktemp("changed")
    before.sections = {}
    carryover.start_sections(before)
    before.sections["problems"] = [reportgen.random_paragraph(rng, 1, 2)]
    book = folder / "book.xlsx"
    workbook.write(before, book)
    _retable(book, after)
    assert cli.main(["export", str(book), "-o", str(folder / "report.docx")]) in (0, 1)
    now = loading.load(str(book)).report
    assert [f for f in rules.check(now) if f.rule == "N-1"] == []
    want = [bound.render(s, bound.ReportValues(after)) for s in after.fmt.sentences]
    assert [p for p in paragraphs(now) if bound.is_bound(p)] == [w for w in want if w]
    exported = loading.load(str(folder / "report.docx")).report  # the Word report read back: plain text
    text = exported.narrative_text()
    assert all(w in text for w in want if w)
    assert [f for f in rules.check(exported) if f.rule == "N-1"] == []


# ---------------------------------------------------------------- the clerk's edits
def _formula_row(path: Path, sentence_key: str) -> int:
    fmt = workbook.read(path)[0].fmt
    return next(r for r, f in bound_cells(path) if wbound.recognise(fmt, f)[0].key == sentence_key)


def test_reworded_paragraph_stays_bound_and_next_year_keeps_the_wording(tmp_path, capsys):
    rep = cases.generate(7, errors=0, format_id=FORMAT_IDS[-1])
    rep.sections = {}
    carryover.start_sections(rep)
    book = tmp_path / "this.xlsx"
    workbook.write(rep, book)
    row = _formula_row(book, "applications")
    wb = openpyxl.load_workbook(book)
    cell = wb[workbook.SHEET_TEXT].cell(row, TEXT_COL)
    assert cell.comment is not None  # the note telling the clerk what the paragraph is
    cell.value = cell.value.replace('"全年共收到政府信息公开申请"', '"本年度我局共受理“政府信息公开申请”"')
    row = _formula_row(book, "appeals")
    other = wb[workbook.SHEET_TEXT].cell(row, TEXT_COL)
    assert other.value.startswith('=""&') and other.value.endswith('&""')
    other.value = '="据统计，"' + other.value[3:-2] + '"（以上为年度数据）"'  # words before and after the sentence
    wb.save(book)
    read, _ = workbook.read(book)
    p = next(p for p in paragraphs(read) if bound.is_bound(p) and p.sentence == "applications")
    assert p.startswith(f"本年度我局共受理“政府信息公开申请”{bound.number_text(read.number('requests.new.total'))}件")
    a = next(p for p in paragraphs(read) if bound.is_bound(p) and p.sentence == "appeals")
    assert a.startswith("据统计，") and a.endswith("。（以上为年度数据）")
    assert p.literals is not None
    out = tmp_path / "next.xlsx"
    assert cli.main(["new", "--from", str(book), "-o", str(out)]) == 0
    nxt, _ = workbook.read(out)
    q = next(p for p in paragraphs(nxt) if bound.is_bound(p) and p.sentence == "applications")
    assert q.literals == p.literals
    carried = nxt.number("requests.carried_over.total")
    assert q == bound.render(nxt.fmt.sentence("applications"), bound.ReportValues(nxt), p.literals)
    assert ("上年结转" in q) == (carried > 0)
    # The add-in's 新建下一年度 (run on the file) drafts the same paragraph in the same wording.
    before = set(tmp_path.glob("*.xlsx"))
    assert cli.main(["addin", "run", "new-year", str(book)]) == 0
    made = (set(tmp_path.glob("*.xlsx")) - before).pop()
    assert [x for x in paragraphs(workbook.read(made)[0]) if bound.is_bound(x)] == \
           [x for x in paragraphs(nxt) if bound.is_bound(x)]


def test_paragraph_replaced_by_text_is_the_clerks_own(tmp_path):
    rep = cases.generate(11, errors=0, format_id=FORMAT_IDS[0])
    rep.sections = {}
    carryover.start_sections(rep)
    book = tmp_path / "book.xlsx"
    workbook.write(rep, book)
    row = _formula_row(book, "appeals")
    wb = openpyxl.load_workbook(book)
    wb[workbook.SHEET_TEXT].cell(row, TEXT_COL).value = "全年发生政府信息公开行政复议999件。"
    wb.save(book)
    read, _ = workbook.read(book)
    own = [p for p in paragraphs(read) if "999" in p]
    assert own and not bound.is_bound(own[0])
    assert any(f.rule == "N-1" and f.actual == 999 for f in rules.check(read))


def test_wording_too_long_for_a_formula_is_written_as_text(tmp_path):
    rep = empty_report(FORMAT_IDS[-1], formats.get(FORMAT_IDS[-1]).first_year)
    sentence = rep.fmt.sentence("appeals")
    lits = list(bound.default_literals(sentence))
    lits[-1] = "很长的文字" * 60  # more than the 255 characters Excel allows in one text constant
    rep.sections = {"overview": [bound.paragraph(rep, sentence, tuple(lits))]}
    book = tmp_path / "book.xlsx"
    workbook.write(rep, book)
    assert bound_cells(book) == []
    read, _ = workbook.read(book)
    assert paragraphs(read) == [bound.render(sentence, bound.ReportValues(rep), tuple(lits))]


def test_bound_paragraph_survives_copy_and_pickle():
    import pickle
    p = bound.BoundParagraph("文字", "fees", ("a", "b"))
    for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert q == "文字" and bound.is_bound(q) and q.sentence == "fees" and q.literals == ("a", "b")


def test_excel_values_with_the_text_sheets_formulas_read_as_bound(tmp_path):
    """The add-in reads Excel's values (a bound paragraph as its calculated text) and the 「正文」 formulas:
    the paragraph is known as bound, with the clerk's wording, as when the file is read."""
    rep = cases.generate(5, errors=0, format_id=FORMAT_IDS[-1])
    rep.sections = {}
    sentence = rep.fmt.sentence("appeals")
    lits = tuple(t.replace("政府信息公开行政复议", "涉及政府信息公开的行政复议") for t in bound.default_literals(sentence))
    bound.draft(rep, {"appeals": lits})
    book = tmp_path / "book.xlsx"
    workbook.write(rep, book)
    values = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
              for ws in openpyxl.load_workbook(book, read_only=True).worksheets}
    formulas = copy.deepcopy(values[workbook.SHEET_TEXT])
    for r, line in enumerate(values[workbook.SHEET_TEXT], 1):  # what Excel shows: the sentences' text
        found = wbound.recognise(rep.fmt, line[TEXT_COL - 1])
        if found is not None:
            line[TEXT_COL - 1] = bound.render(found[0], bound.ReportValues(rep), found[1])
    plain = copy.deepcopy(values)
    wbound.keep_recognised(values, formulas, rep.fmt)
    for grids in (plain, values):  # the tables' totals: openpyxl gives formulas, Excel would give numbers
        workbook.resolve_formulas(grids, rep.fmt, lambda: {})
    got = [p for p in paragraphs(workbook.read_grids(values, str(book))[0]) if "行政复议" in p or "复议" in p]
    assert got and bound.is_bound(got[0]) and got[0].literals == lits and got[0].startswith("涉及政府信息公开的行政复议")
    text_only = [p for p in paragraphs(workbook.read_grids(plain, str(book))[0]) if "复议" in p]
    assert text_only == [str(got[0])] and not bound.is_bound(text_only[0])


def test_drafted_paragraphs_are_not_copied_text():
    """N-2 (雷同 with last year) and the review's comparison of units leave the drafted paragraphs out: bound
    ones, and the same sentences read back as plain text from last year's Word report."""
    this = cases.generate(21, errors=0, format_id=FORMAT_IDS[-1])
    last = cases.generate(22, errors=0, format_id=FORMAT_IDS[-1])
    last.year = this.year - 1
    for rep in (this, last):
        rep.sections = {}
        carryover.start_sections(rep)
    last.sections = {k: [i if isinstance(i, str) else {**i, "paragraphs": [str(p) for p in i["paragraphs"]]}
                         for i in items] for k, items in last.sections.items()}  # plain text, as from .docx
    assert [f for f in rules.check(this, previous=last) if f.rule == "N-2"] == []
    assert all(bound.is_bound(p) and p not in bound.unbound_text(this) for p in paragraphs(this) if p)
    assert all(p not in bound.unbound_text(last) for p in paragraphs(last) if p)
    # The clerk's own copy of last year's text is still 雷同.
    copied = "本机关高度重视政府信息公开工作，严格落实各项制度，推动公开工作规范化、标准化。" * 3
    this.sections["problems"] = [copied]
    last.sections["problems"] = [copied]
    assert [f for f in rules.check(this, previous=last) if f.rule == "N-2"]
