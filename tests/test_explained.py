"""Warnings explained once: the 「说明」 sheet, keyed by rule and location, through the command line, the
add-in's functions and the review; an explanation lapses when its finding no longer arises."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from nianbao import examples, model, workbook
from nianbao.addin import actions
from nianbao.addin.file_access import XlsxAccess
from nianbao.cli import main
from nianbao.review import batch, book
from nianbao.review import data as review_data

NOW = dt.datetime(2025, 1, 15, 9, 30)
REASON = "本单位只受理自然人申请，其他申请人类型按规定不适用"
N3_REASON = "第六部分由办公室统一另行报告"
TOTAL = "requests.results_total.natural"


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("explained")
    path = d / "seed.xlsx"
    workbook.write(examples.load("seed"), path)
    return path


def fresh(src: Path, folder: Path, name: str = "book.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / name
    shutil.copyfile(src, dest)
    return dest


def edit(path: Path, notes=(), cells: dict | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[workbook.SHEET_NOTES]
    for i, row in enumerate(notes):
        for j, v in enumerate(row, 1):
            ws.cell(workbook.NOTES_TOP + i, j, v)
    for where, value in (cells or {}).items():
        sheet, addr = where.split("!")
        wb[sheet][addr] = value
    wb.save(path)


def check_json(capsys, path: Path, *extra) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["check", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def first_v2(data: dict) -> dict:
    return next(f for f in data["findings"] if f["rule"] == "V-2")


def test_explain_recheck_lapse_through_the_command_line(seed_book, tmp_path, capsys):
    path = fresh(seed_book, tmp_path)
    _, before = check_json(capsys, path)
    target = first_v2(before)
    where = target["locations"][0]
    total = workbook.address("2019", TOTAL)
    edit(path, [("V-2", where, REASON), ("T3-3", total, "合计按上级口径填报")], {total: 999})
    code, after = check_json(capsys, path)
    explained = [f for f in after["findings"] if "explained" in f]
    assert [f["explained"] for f in explained if f["severity"] == "warning"] == [REASON]
    assert next(f for f in explained if f["rule"] == "V-2")["locations"][0] == where
    # Explained warnings are counted apart; errors keep their note but stay errors.
    assert after["explained"] == 1 and after["warnings"] == before["warnings"] - 1
    noted = [f for f in after["findings"] if f["severity"] == "error" and f.get("explained")]
    assert noted and code == 1 and after["errors"] >= 1 and not after["ok"]
    # Every other finding has exactly the keys it always had.
    plain = [f for f in after["findings"] if "explained" not in f]
    assert all(set(f) == {"rule", "severity", "message", "cells", "locations", "expected", "actual"} for f in plain)
    capsys.readouterr()
    main(["check", str(path)])
    out = capsys.readouterr().out
    assert "已说明" in out and REASON in out and "合计按上级口径填报" in out
    assert f"另有 1 处提示已说明" in out
    # The warning no longer arises (the blank cells are filled): the explanation lapses, with a note.
    cells = [c for c in target["locations"]]
    edit(path, cells={c: 0 for c in cells})
    _, fixed = check_json(capsys, path)
    assert fixed["explained"] == 0
    assert {"rule": "V-2", "location": where, "text": REASON} in fixed["lapsed"]
    capsys.readouterr()
    main(["check", str(path)])
    assert "说明已失效" in capsys.readouterr().out


def test_strict_export_accepts_explained_warnings_and_never_prints_them(seed_book, tmp_path, capsys):
    path = fresh(seed_book, tmp_path)
    out = tmp_path / "报告.docx"
    assert main(["export", str(path), "-o", str(out), "--strict"]) == 1 and not out.exists()  # N-3: 六 is empty
    edit(path, [("N-3", None, N3_REASON)])
    assert main(["export", str(path), "-o", str(out), "--strict"]) == 0 and out.exists()
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert N3_REASON not in text and "说明" not in text.replace("说明情况", "")


def test_explanations_in_report_data_round_trip(tmp_path):
    rep = examples.load("seed")
    rep.explanations = [{"rule": "N-3", "location": "", "text": N3_REASON}]
    back = model.parse_json(model.dumps(rep).encode())
    assert back.explanations == rep.explanations
    path = tmp_path / "b.xlsx"
    workbook.write(back, path)
    assert [{k: e[k] for k in ("rule", "location", "text")} for e in workbook.read(path)[0].explanations] \
        == rep.explanations
    with pytest.raises(model.InputError):
        model.from_dict({**rep.to_dict(), "explanations": [{"rule": 1}]})


def _sheet_rows(path: Path, sheet: str, top: int) -> list[list]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [list(r) for r in ws.iter_rows(min_row=top, values_only=True) if any(v is not None for v in r)]


def test_the_add_in_column_fills_the_sheet_and_lapses(seed_book, tmp_path):
    path = fresh(seed_book, tmp_path)
    first = actions.run_check(XlsxAccess(path), now=NOW)
    v2 = next(f for f in first.findings if f.rule == "V-2")
    # The clerk types a reason into the 说明 column of 「校验结果」, beside that warning.
    wb = openpyxl.load_workbook(path)
    ws = wb[actions.RESULT_SHEET]
    header = [c.value for c in ws[actions.TABLE_ROW]]
    assert header[:5] == ["规则", "级别", "位置", "问题", "说明"]
    row = next(r for r in range(actions.TABLE_ROW + 1, ws.max_row + 1)
               if ws.cell(r, 1).value == "V-2" and ws.cell(r, 3).value.startswith(v2.locations[0]))
    ws.cell(row, 5, REASON)
    wb.save(path)
    second = actions.run_check(XlsxAccess(path), now=NOW)
    kept = [f for f in second.findings if f.explained]
    assert [(f.rule, f.locations[0], f.explained) for f in kept] == [("V-2", v2.locations[0], REASON)]
    assert "1处已说明" in second.message
    notes = _sheet_rows(path, workbook.SHEET_NOTES, workbook.NOTES_TOP)
    assert notes == [["V-2", v2.locations[0], REASON, "有效"]]
    results = _sheet_rows(path, actions.RESULT_SHEET, actions.TABLE_ROW + 1)
    assert [r[4] for r in results if r[4]] == [REASON]
    # The command line reads the same explanation from the sheet.
    assert sum(1 for f in second.findings if f.settled) == 1
    # Filled in: the warning is gone and the explanation is marked as lapsed.
    wb = openpyxl.load_workbook(path)
    for where in v2.locations:
        sheet, addr = where.split("!")
        wb[sheet][addr] = 0
    wb.save(path)
    third = actions.run_check(XlsxAccess(path), now=NOW)
    assert not any(f.explained for f in third.findings) and "已失效" in third.message
    notes = _sheet_rows(path, workbook.SHEET_NOTES, workbook.NOTES_TOP)
    assert notes[0][:3] == ["V-2", v2.locations[0], REASON] and notes[0][3].startswith("已失效")


def test_review_shows_explanations_and_counts_them_apart(seed_book, tmp_path):
    folder = tmp_path / "batch"
    plain = fresh(seed_book, folder, "a.xlsx")
    noted = fresh(seed_book, folder, "b.xlsx")
    wb = openpyxl.load_workbook(noted)
    wb[workbook.SHEET_INFO][workbook.info_address("agency").split("!")[1]] = "另一个单位"
    wb.save(noted)
    edit(noted, [("N-3", "", N3_REASON)])
    reviewed = batch.run([folder], jobs=1)
    by_file = {Path(u.path).name: u for u in reviewed.units}
    assert by_file["b.xlsx"].explained == 1 and by_file["a.xlsx"].explained == 0
    assert by_file["b.xlsx"].warnings == by_file["a.xlsx"].warnings - 1
    reports = {Path(r["file"]).name: r for r in review_data.to_json(reviewed)["reports"]}
    assert reports["b.xlsx"]["explained"] == 1
    assert any(f.get("explained") == N3_REASON for f in reports["b.xlsx"]["findings"])
    out = tmp_path / "审核.xlsx"
    book.write(reviewed, out)
    wb = openpyxl.load_workbook(out)
    ov = wb[book.OVERVIEW]
    head = next(r for r in range(1, 6) if ov.cell(r, 1).value == "单位")
    names = [c.value for c in ov[head]]
    rows = {ov.cell(r, names.index("文件") + 1).value: [c.value for c in ov[r]] for r in range(head + 1, ov.max_row + 1)}
    assert rows["b.xlsx"][names.index("已说明")] == 1 and rows["a.xlsx"][names.index("已说明")] == 0
    fl = wb[book.FINDINGS]
    fhead = next(r for r in range(1, 6) if fl.cell(r, 1).value == "单位")
    fnames = [c.value for c in fl[fhead]]
    shown = [[c.value for c in row] for row in fl.iter_rows(min_row=fhead + 1)]
    hit = [r for r in shown if r[fnames.index("单位说明")] == N3_REASON]
    assert len(hit) == 1 and hit[0][fnames.index("级别")] == "已说明" and hit[0][fnames.index("文件")] == "b.xlsx"
