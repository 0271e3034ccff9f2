"""What the workbook's own sheets tell a clerk in Excel: 正文 shows long paragraphs whole, 基本信息 does not
send an Excel user to a command line."""
from __future__ import annotations

import openpyxl

from nianbao import examples, formats, workbook
from nianbao.model import empty_report


def test_long_paragraphs_wrap_and_their_rows_are_sized(tmp_path):
    rep = empty_report(formats.id_for_year(2021), 2021, agency="测试机关")
    long = "本机关坚持以公开为常态、不公开为例外，" * 12  # about 230 characters
    rep.sections = {"problems": [long, "短段落。"]}
    path = tmp_path / "text.xlsx"
    workbook.write(rep, path)
    ws = openpyxl.load_workbook(path)[workbook.SHEET_TEXT]
    rows = {ws.cell(r, 3).value: r for r in range(workbook.TEXT_TOP, ws.max_row + 1) if ws.cell(r, 3).value}
    long_row, short_row = rows[long], rows["短段落。"]
    assert ws.cell(long_row, 3).alignment.wrap_text
    assert ws.row_dimensions[long_row].height >= 4 * 15  # several lines, not one cut-off line
    assert ws.row_dimensions[short_row].height <= 20
    assert workbook.read(path)[0].sections["problems"] == [long, "短段落。"]  # sizing changes no text


def test_seed_paragraphs_fit_their_rows(tmp_path):
    path = tmp_path / "seed.xlsx"
    workbook.write(examples.load("seed"), path)
    ws = openpyxl.load_workbook(path)[workbook.SHEET_TEXT]
    for r in range(workbook.TEXT_TOP, ws.max_row + 1):
        text = ws.cell(r, 3).value or ""
        height = ws.row_dimensions[r].height
        if not text:   # an empty row keeps the sheet's default height
            assert height is None or height >= 15, (r, height)
            continue
        assert height is not None and height >= 15 * (len(text) // 60 + 1) * 0.9, (r, len(text), height)


def test_info_sheet_does_not_send_excel_users_to_a_command_line(tmp_path):
    path = tmp_path / "info.xlsx"
    workbook.write(examples.load("seed"), path)
    ws = openpyxl.load_workbook(path)[workbook.SHEET_INFO]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if "nianbao " in t or "命令" in t]
    assert any("新建下一年度" in t for t in texts)
