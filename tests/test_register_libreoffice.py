"""The register-mode workbook's native COUNTIFS formulas, recalculated by LibreOffice, equal the Python
face's counts and the counts computed independently in the test (both formats, thousands of random rows
with dates at the year's edges and the mistakes clerks make, and an empty register).

One LibreOffice run recalculates every workbook (few workbooks, many rows each).
"""
from __future__ import annotations

import pytest

import registergen as gen
from nianbao import formats, loading, model, office, workbook
from nianbao import register as reg
from nianbao.files import read_limited
from nianbao.workbook import cached
from nianbao.workbook import register as wr

pytestmark = pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice is required")  # noqa

CASES = [  # (name, format index, application rows, case rows, messy)
    ("messy-a", 0, 3000, 300, True),
    ("messy-b", 1, 5000, 400, True),
    ("clean-a", 0, 1500, 120, False),
    ("clean-b", 1, 1500, 120, False),
    ("empty", 1, 0, 0, False),
]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    years = gen.format_years()
    made = []
    for i, (name, fi, n, m, messy) in enumerate(CASES):
        fid, year = years[fi % len(years)]
        fmt = formats.get(fid)
        apps = gen.application_rows(fmt, year, n, 100 + i, messy)
        cases = gen.case_rows(fmt, year, m, 200 + i, messy)
        path = folder / f"{name}.xlsx"
        wr.write_register(model.empty_report(fid, year, agency="某局"), path,
                          rows={"applications": apps, "cases": cases})
        made.append((path, fmt, year, apps, cases))
    outs = office.convert_many([m[0] for m in made], "xlsx", folder / "lo")
    return [(m, out) for m, out in zip(made, outs)]


def _values(path):
    raw = read_limited(str(path), 10 ** 9)
    return cached.cached_grids(raw, str(path))


@pytest.mark.parametrize("i", range(len(CASES)))
def test_libreoffice_counts_equal_python_and_the_definitions(recalculated, i):
    (path, fmt, year, apps, cases), out = recalculated[i]
    grids = _values(out)
    pos = workbook.positions(fmt.id)
    lo = {k: grids[pos[k][0]][pos[k][1] - 1][pos[k][2] - 1] for k in pos if fmt.field(k).table in
          (fmt.requests.key, fmt.appeals.key)}
    python = loading.load(path).report
    independent = gen.independent_counts(fmt, year, apps, cases)
    for key, want in independent.items():
        assert lo[key] == want == python.get(key), key
    # every cell of tables 三 and 四 (totals included) as LibreOffice computes them, as check reads them
    assert {k: python.get(k) for k in lo} == lo
    if not CASES[i][4]:
        # rows the register rules accept: the sum rules hold, in the workbook's own formulas too
        for t in (fmt.requests, fmt.appeals):
            assert grids[t.sheet][1][0] == "本表校验：通过"
    assert reg.counts(fmt, year, python.register) == {k: python.get(k) for k in reg.counted_keys(fmt)}


def test_recalculated_workbook_reads_back_the_same(recalculated):
    """The workbook saved by LibreOffice (dates, drop-downs and formulas as it writes them) is read as
    nianbao wrote it."""
    for (path, fmt, year, apps, cases), out in recalculated[:2]:
        mine, theirs = loading.load(path).report, loading.load(out).report
        assert theirs.to_dict() == mine.to_dict()
        assert len(theirs.register) == len(apps) + len(cases)
