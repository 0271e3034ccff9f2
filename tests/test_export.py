"""`nianbao export` and the demo's Word step: output names, exit codes, Chinese messages, nothing half-written."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from nianbao import cli, examples, word

SEED_NAME = "山东省商务厅2020年度政府信息公开工作年度报告.docx"


@pytest.fixture()
def seed_json(tmp_path) -> Path:
    folder = tmp_path / "年报 数据"  # a Chinese path with a space
    folder.mkdir()
    path = folder / "山东 商务厅.json"
    path.write_bytes(examples.path("seed").read_bytes())
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_default_output_is_beside_the_input(capsys, seed_json):
    before = seed_json.read_bytes()
    code, out, err = run(capsys, "export", seed_json)
    assert code == 0, err
    written = seed_json.parent / SEED_NAME
    assert written.exists()
    assert f"已写出：{written}" in out
    assert "0 处错误" in out
    assert seed_json.read_bytes() == before
    assert [p.name for p in seed_json.parent.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_output_option(capsys, seed_json, tmp_path):
    out_path = tmp_path / "新建 文件夹" / "报告.docx"
    code, out, _ = run(capsys, "export", seed_json, "-o", out_path)
    assert code == 0
    assert zipfile.is_zipfile(out_path)


def test_errors_are_printed_but_export_still_works_unless_strict(capsys, tmp_path):
    data = json.loads(examples.path("seed").read_text(encoding="utf-8"))
    data["tables"]["requests"]["results_total"]["natural"] = 20  # breaks T3-1 and T3-3
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    code, out, err = run(capsys, "export", path, "--strict")
    assert code == 1
    assert "--strict" in err
    assert not (tmp_path / SEED_NAME).exists()

    code, out, err = run(capsys, "export", path)
    assert code == 0
    assert "T3-1" in out and "错误" in out and "仅供预览" in out
    assert (tmp_path / SEED_NAME).exists()


def header_text(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/header"))


def test_an_export_with_errors_is_marked_as_not_for_submission(capsys, tmp_path, seed_json):
    code, _, _ = run(capsys, "export", seed_json, "-o", tmp_path / "clean.docx")
    assert code == 0 and word.DRAFT_MARK not in header_text(tmp_path / "clean.docx")
    data = json.loads(seed_json.read_text(encoding="utf-8"))
    data["tables"]["requests"]["results_total"]["natural"] = 20  # an error (T3-1, T3-3)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, _ = run(capsys, "export", bad, "-o", tmp_path / "draft.docx")
    assert code == 0 and word.DRAFT_MARK in header_text(tmp_path / "draft.docx")


@pytest.mark.parametrize("content,needle", [
    (None, "不存在"),
    (b"{\"schema\": ", "JSON"),
    (b"", "空"),
])
def test_bad_input_is_exit_2_with_a_chinese_message(capsys, tmp_path, content, needle):
    path = tmp_path / "输入.json"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "export", path)
    assert code == 2
    assert needle in err and "Traceback" not in err + out
    assert list(tmp_path.glob("*.docx")) == []


def make_zip_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return path


@pytest.mark.parametrize("make", [
    lambda p: (p.write_bytes(b"this is not a docx"), p)[1],
    make_zip_without_document,
    lambda p: p,  # missing
])
def test_damaged_template_is_exit_2(capsys, seed_json, tmp_path, make):
    template = make(tmp_path / "模板.docx")
    out_path = tmp_path / "out.docx"
    code, out, err = run(capsys, "export", seed_json, "--template", template, "-o", out_path)
    assert code == 2
    assert "模板.docx" in err and "Traceback" not in err + out
    assert not out_path.exists()


def test_existing_report_is_kept_when_export_fails(capsys, seed_json, tmp_path):
    out_path = tmp_path / "out.docx"
    out_path.write_bytes(b"previous report")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"garbage")
    code, _, _ = run(capsys, "export", seed_json, "--template", bad, "-o", out_path)
    assert code == 2
    assert out_path.read_bytes() == b"previous report"


def test_output_must_be_docx_and_not_the_input(capsys, seed_json):
    code, _, err = run(capsys, "export", seed_json, "-o", seed_json.with_suffix(".txt"))
    assert code == 2 and ".docx" in err
    copy = seed_json.with_suffix(".docx")
    copy.write_bytes(b"x")
    code, _, err = run(capsys, "export", seed_json, "--template", copy, "-o", copy)
    assert code == 2 and "同一个文件" in err


def test_missing_file_argument(capsys):
    code, _, err = run(capsys, "export")
    assert code == 2 and "FILE" in err


def test_list_vars(capsys, seed_json):
    code, out, _ = run(capsys, "export", "--list-vars")
    assert code == 0
    for name in ("agency", "full_title", "preamble", "active.rules.issued", "active.rules.made",
                 "requests.other_no_fee.total", "requests.other_handling.total", "appeals.review.total"):
        assert f"  {name} " in out
    assert "仅2019年格式" in out and "仅2021年格式" in out
    code, out, _ = run(capsys, "export", seed_json, "--list-vars")
    assert code == 0
    assert "  active.rules.made " in out and "active.rules.issued" not in out


def test_pdf_without_libreoffice_says_so(capsys, seed_json, monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", "/nonexistent/soffice")
    code, out, err = run(capsys, "export", seed_json, "--pdf")
    assert code == 2
    assert "LibreOffice" in err and "Word 报告已写出" in err
    assert (seed_json.parent / SEED_NAME).exists()
    assert not (seed_json.parent / SEED_NAME).with_suffix(".pdf").exists()


def test_demo_writes_the_word_report(capsys, tmp_path):
    code, out, _ = run(capsys, "demo", "-o", tmp_path / "demo")
    assert code == 0
    written = tmp_path / "demo" / SEED_NAME
    assert written.exists()
    assert f"已写出：{written}" in out
    tables = word.read_tables(written.read_bytes())
    assert [t.cols for t in tables] == [4, 10, 15]


def test_export_from_the_demo_workbook_matches_the_json(capsys, tmp_path):
    code, _, _ = run(capsys, "demo", "-o", tmp_path / "demo")
    assert code == 0
    books = sorted((tmp_path / "demo").glob("*.xlsx"))
    assert books, "the demo writes its workbook"
    code, out, err = run(capsys, "export", books[0], "-o", tmp_path / "from-book.docx")
    assert code == 0, err
    from_json = word.read_tables(word.render(examples.load("seed")))
    from_book = word.read_tables((tmp_path / "from-book.docx").read_bytes())
    assert [[(c.row, c.col, c.text) for c in t.cells] for t in from_book] == \
        [[(c.row, c.col, c.text) for c in t.cells] for t in from_json]
