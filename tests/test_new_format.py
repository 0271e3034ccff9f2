"""A new official format is a data change: a made-up format, defined and registered in this test alone.

The format "2027" is a copy of 2021 with one extra table-二 row (行政检查) and one renamed table-三 label.
Without touching any package file it gets: a workbook written and read back identically, check formulas
that agree with the Python rules under pycel, cross-year links that carry over into the next year, a
Word template built from it and an export that contains the extra row.
"""
from __future__ import annotations

import dataclasses
import io

import docx
import pytest
import workbook_cases as cases
from nianbao import carryover, cli, formats, model, rules, word, workbook
from nianbao.formats.base import COUNT, ActiveColumn, ActiveRow, GridRow
from nianbao.formats.common import carry_over_links, claims, in_force_links
from nianbao.word import build as word_build
from pycel import ExcelCompiler

EXTRA_LABEL = "行政检查"
RENAMED = "3.危及国家安全、公共安全、经济安全和社会稳定"


def made_up_format():
    base = formats.get("2021")
    active = base.active
    blocks = list(active.blocks)
    i = next(n for n, b in enumerate(blocks) if any(r.key == "penalty" for r in b.rows))
    extra = ActiveRow("inspection", EXTRA_LABEL, (ActiveColumn("decisions", COUNT, 3),))
    blocks[i] = dataclasses.replace(blocks[i], rows=blocks[i].rows + (extra,))
    active = dataclasses.replace(active, blocks=tuple(blocks))
    rows = tuple(GridRow(r.key, r.labels[:-1] + (RENAMED,)) if r.key == "withheld_safety" else r
                 for r in base.requests.rows)
    requests = dataclasses.replace(base.requests, rows=rows)
    return dataclasses.replace(
        base, id="2027", notice="国办公开办函〔2027〕1号（测试用虚构格式）", first_year=2027, last_year=None,
        active=active, requests=requests,
        links=carry_over_links(requests) + in_force_links(active), claims=claims(requests, base.appeals),
        word_template="", workbook_template="", _index={})


@pytest.fixture
def fmt():
    f = formats.register(made_up_format())
    try:
        yield f
    finally:
        formats.unregister(f.id)


def report_of(fmt, seed: int, errors: int = 0):
    rep = cases.generate(seed, errors=errors, format_id=fmt.id)
    rep.year = 2027
    return rep


def test_registry_finds_the_new_format_by_id_and_year(fmt, capsys):
    assert formats.get("2027") is fmt and formats.for_year(2028) is fmt
    assert formats.for_year(2026).id == "2021"
    with pytest.raises(SystemExit):
        cli.main(["new", "-h"])
    assert "{2027,2021,2019}" in capsys.readouterr().out  # --format choices come from the registry
    assert fmt.has("active.inspection.decisions") and not formats.get("2021").has("active.inspection.decisions")


def test_workbook_round_trip_and_layout(fmt, tmp_path):
    rep = report_of(fmt, 7)
    out = tmp_path / "2027.xlsx"
    workbook.write(rep, out)
    back, locate = workbook.read(out)
    assert back.to_dict()["tables"] == model.from_dict(rep.to_dict()).to_dict()["tables"]
    assert back.format == "2027"
    assert locate("active.inspection.decisions") is not None
    import openpyxl
    ws = openpyxl.load_workbook(out)[fmt.active.sheet]
    labels = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert EXTRA_LABEL in labels
    t3 = openpyxl.load_workbook(out)[fmt.requests.sheet]
    assert RENAMED in {c.value for row in t3.iter_rows() for c in row}


@pytest.mark.parametrize("seed", [11, 12])
def test_check_formulas_agree_with_the_rules_under_pycel(fmt, tmp_path, seed):
    rep = report_of(fmt, seed, errors=3)
    out = tmp_path / "b.xlsx"
    workbook.write(rep, out)
    xl = ExcelCompiler(filename=str(out), plugins=["pycel_functions"])
    n = len(workbook.check_rows(fmt.id))
    results = [xl.evaluate(f"{workbook.SHEET_CHECKS}!C{workbook.CHECK_TOP + i}") for i in range(n)]
    assert any(r.startswith("错误") for r in results)  # the planted errors are seen
    assert cases.compare(rep, rules.check(rep), results) == []


def test_cross_year_links_carry_over_and_are_checked(fmt):
    this = report_of(fmt, 21)
    carried = carryover.carry_over(this, 2028, fmt.id)
    nxt = carried.report
    for c in fmt.requests.columns:
        assert nxt.get(f"{fmt.requests.key}.carried_over.{c.key}") == this.get(f"{fmt.requests.key}.carry_forward.{c.key}")
    assert carried.missing == ()
    # From a 2019 report, the links that need 现行有效件数 cannot be fed, and say so.
    old = cases.generate(5, format_id="2019")
    assert carryover.carry_over(old, 2027, fmt.id).missing
    # The X rules of the new format run on its links.
    nxt.year = 2028
    key = f"{fmt.requests.key}.carried_over.natural"
    nxt.set(key, (this.number(f"{fmt.requests.key}.carry_forward.natural") or 0) + 1)
    x1 = [f for f in rules.check(nxt, this) if f.rule == "X-1"]
    assert [list(f.cells) for f in x1] == [[key]]


def test_word_export_contains_the_extra_row(fmt, tmp_path):
    template = tmp_path / "年报模板-2027.docx"
    template.write_bytes(word_build.build(fmt.id))
    rep = report_of(fmt, 31)
    rep.set("active.inspection.decisions", 4321)
    data = word.render(rep, template=template)
    doc = docx.Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert EXTRA_LABEL in cells and "4321" in cells and RENAMED in cells
