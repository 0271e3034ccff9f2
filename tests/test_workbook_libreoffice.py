"""The workbook's native check formulas, computed by LibreOffice, agree with ``nianbao check``.

200 random reports (consistent ones and ones with planted errors) are written with
``nianbao new --from report.json``; LibreOffice (headless, batch conversion, recalculation forced)
computes every formula and saves the workbooks; the 「校验」 sheet's verdicts must equal the Python
rules' verdicts for the same rule instances, and the saved workbooks must read back to the same data.
"""
from __future__ import annotations

import concurrent.futures as cf
import csv
import os
from pathlib import Path

import openpyxl
import pytest

import workbook_cases as cases
from nianbao import cli, examples, loading, model, office, rules, workbook

pytestmark = pytest.mark.heavy(90)  # seconds run alone: handed out first (conftest.py)

N_REPORTS = 200
WORKERS = max(2, min(4, os.cpu_count() or 2))


def _write_one(args: tuple[int, str]) -> str:
    seed, folder = args
    rep = cases.generate(seed, errors=0 if seed % 4 == 0 else None)
    src = Path(folder) / f"r{seed:03d}.json"
    model.save_json(rep, src)
    out = Path(folder) / f"r{seed:03d}.xlsx"
    code = cli.main(["new", "--from", str(src), "-o", str(out)])
    assert code == 0
    return str(out)


def _grids(path: Path):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _csv(prefix: Path, sheet: str) -> list[list[str]]:
    with open(f"{prefix}-{sheet}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _judge(args: tuple[str, str]) -> list[str]:
    """Compare one workbook's LibreOffice-computed sheets with ``nianbao check``; returns the problems."""
    made, prefix = args
    loaded = loading.load(made)
    report, locate = loaded.report, loaded.locate  # what ``nianbao check BOOK.xlsx`` reads
    findings = rules.check(report, locate=locate)
    problems = []
    if report.to_dict() != model.load_json(Path(made).with_suffix(".json")).to_dict():
        problems.append("写出后读回的数据与来源不同")
    checks = _csv(Path(prefix), workbook.SHEET_CHECKS)
    rows = workbook.check_rows(report.format)
    results = [checks[workbook.CHECK_TOP - 1 + i][2] for i in range(len(rows))]
    problems += cases.compare(report, findings, results)
    # Status lines: the number of failing rows of each table.
    for t, sheet in ((tb.key, tb.sheet) for tb in report.fmt.tables()):
        fails = sum(1 for row, res in zip(rows, results) if row.table == t and res.startswith("错误"))
        want = "本表校验：通过" if fails == 0 else f"本表有{fails}处错误，见校验表"
        got = _csv(Path(prefix), sheet)[1][0]
        if got != want:
            problems.append(f"{sheet} 状态行为「{got}」，应为「{want}」")
    return [f"{Path(made).name}: {p}" for p in problems]


@pytest.fixture(scope="module")
def made_books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("made")
    with cf.ProcessPoolExecutor(WORKERS) as pool:
        return list(pool.map(_write_one, [(s, str(folder)) for s in range(N_REPORTS)], chunksize=10))


def _convert_parallel(books: list[str], target: str, outdir: Path) -> dict[str, Path]:
    """One soffice per chunk (each with its own profile), run side by side."""
    chunks = [books[i::WORKERS] for i in range(WORKERS) if books[i::WORKERS]]
    with cf.ThreadPoolExecutor(len(chunks)) as pool:
        outs = list(pool.map(lambda i: office.convert_many(chunks[i], target, outdir / f"c{i}"), range(len(chunks))))
    return {Path(src).stem: out for ch, out_ch in zip(chunks, outs) for src, out in zip(ch, out_ch)}


def test_check_sheet_agrees_with_nianbao_check(made_books, tmp_path):
    computed = _convert_parallel(made_books, office.CSV_ALL_SHEETS, tmp_path)
    with cf.ProcessPoolExecutor(WORKERS) as pool:
        problems = [p for ps in pool.map(_judge, [(m, str(computed[Path(m).stem])) for m in made_books],
                                         chunksize=10) for p in ps]
    assert problems == []


def test_generated_reports_cover_errors_and_clean_cases(made_books):
    verdicts = []
    typed = 0
    for made in made_books:
        rep = model.load_json(Path(made).with_suffix(".json"))
        verdicts.append({v for _, v in cases.python_verdicts(rep, rules.check(rep))})
        typed += any(not _same_total(rep, k) for k in workbook.computed_cells(rep.format))
    assert len(made_books) >= 200
    assert sum(1 for v in verdicts if v == {"通过"}) >= 40          # consistent reports
    assert sum(1 for v in verdicts if any(x.startswith("错误") for x in v)) >= 80  # planted errors
    assert sum(1 for v in verdicts if "无法校验" in v) >= 10
    assert sum(1 for v in verdicts if "提示" in v) >= 10
    assert 30 <= typed <= 170  # both formula totals and totals typed over them are exercised


def _same_total(rep, key) -> bool:
    parts = workbook.computed_cells(rep.format)[key]
    expected = workbook.numeric_sum([rep.get(k) for k in parts])
    value = rep.get(key)
    if value is None or expected is None:
        return value is None and expected is None
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value == expected


def test_libreoffice_saved_books_read_back_identically(made_books, tmp_path):
    """Saved by LibreOffice (results stored, as Excel and WPS save them): the file reader and the bulk
    values reader of the add-in both give the original data."""
    sample = made_books[::20]
    saved = _convert_parallel(sample, "xlsx", tmp_path)
    for made in sample:
        src = model.load_json(Path(made).with_suffix(".json")).to_dict()
        out = saved[Path(made).stem]
        again, _ = workbook.read(out)
        assert again.to_dict() == src, made
        via_grids, _ = workbook.read_grids(_grids(out), str(out))
        assert via_grids.to_dict() == src, made


def test_examples_after_libreoffice_save(tmp_path):
    books = []
    for name in examples.EXAMPLES:
        if examples.path(name).is_file():
            p = tmp_path / f"{name}.xlsx"
            workbook.write(examples.load(name), p)
            books.append((name, p))
    assert books
    outs = office.convert_many([p for _, p in books], "xlsx", tmp_path / "lo")
    for (name, _), out in zip(books, outs):
        rep, _ = workbook.read(out)
        assert rep.to_dict() == examples.load(name).to_dict()
        checks = _grids(out)[workbook.SHEET_CHECKS]
        assert str(checks[1][0]).endswith("全部通过")  # both examples pass every rule of the check sheet
