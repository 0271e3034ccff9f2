"""The mechanisms behind the second round of hostile inputs, where the corpus (tests/test_bad_inputs.py)
sees only the exit code and the message: a template's lone surrogate no longer cuts the report short,
the PDF reader's deadline holds after the pages are read (while tables are stitched), review lists a
link under its own name and never reads one file twice, a review output inside an input folder is left
out of the reading."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

import bad_corpus as corpus
from nianbao import cli, examples, importers, word
from nianbao.errors import InputError
from nianbao.importers import document, pdf
from nianbao.model import load_json
from nianbao.review import batch

REAL = Path(__file__).parent / "data" / "real"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return corpus.make_base(tmp_path_factory.mktemp("base"))


def test_a_templates_lone_surrogate_does_not_cut_the_report_short(base, tmp_path):
    report = load_json(examples.path("seed"))
    plain = Document(io.BytesIO(word.render(report, base.template)))
    tpl = corpus._template_with(base, tmp_path, "代理.docx", "前{{ &apos;\\ud800&apos; }}后")
    got = Document(io.BytesIO(word.render(report, tpl)))
    assert len(got.paragraphs) == len(plain.paragraphs) + 1
    assert got.paragraphs[0].text == "前后"
    assert [p.text for p in got.paragraphs[1:]] == [p.text for p in plain.paragraphs]
    assert len(got.tables) == len(plain.tables) == 3


def test_the_pdf_deadline_holds_while_tables_are_stitched(monkeypatch):
    """The pages are read in time; the time runs out after (the stage that ran 86 s)."""
    now = [0.0]
    monkeypatch.setattr(pdf.time, "monotonic", lambda: now[0])
    stitch = pdf._document

    def late(path, pages):
        now[0] += pdf.MAX_SECONDS + 1
        return stitch(path, pages)
    monkeypatch.setattr(pdf, "_document", late)
    with pytest.raises(InputError, match=f"{int(pdf.MAX_SECONDS)} 秒"):
        importers.read(str(REAL / "hongze-district-2023.pdf"))


def test_a_real_pdf_is_within_the_grid_bounds():
    doc = importers.read_document(str(REAL / "huaian-city-2024.pdf"))
    assert 0 < sum(t.rows * t.cols for t in doc.tables()) < document.MAX_GRID_CELLS // 10


def test_review_lists_a_link_under_its_own_name_and_each_file_once(base, tmp_path):
    folder = tmp_path / "部门"
    folder.mkdir()
    shutil.copyfile(base.json, folder / "01-某局.json")
    (folder / "02-链接.json").symlink_to("/etc/passwd")
    (folder / "03-同一份.json").symlink_to("01-某局.json")
    got = [Path(p).name for p in batch.collect([folder, folder / "01-某局.json"])]
    assert got == ["01-某局.json", "02-链接.json"]


def test_a_new_review_output_inside_the_input_folder_is_not_read(base, tmp_path, capsys):
    folder = tmp_path / "部门"
    folder.mkdir()
    shutil.copyfile(base.json, folder / "01-某局.json")
    out = folder / "审核.xlsx"
    assert cli.main(["review", str(folder), "-o", str(out)]) == 0
    assert "1 个文件" in capsys.readouterr().err
    # Run again: the review workbook is now a file found in the folder, so it may not be replaced.
    assert cli.main(["review", str(folder), "-o", str(out), "--force"]) == 2
    assert "输入文件夹" in capsys.readouterr().err


def test_the_only_sheets_parsed_are_the_formats(base, tmp_path):
    """A read for checking leaves the other sheets' parts out before openpyxl sees the package."""
    from nianbao import workbook
    from nianbao.workbook.cells import read_sheets
    book = corpus._extra_sheets(base, tmp_path, "附表.xlsx", 3, rows=20)
    wb = workbook.load_book(book.read_bytes(), str(book), sheets=read_sheets())
    assert set(wb.sheetnames) <= set(read_sheets()) and not any(n.startswith("附") for n in wb.sheetnames)
    whole = workbook.load_book(book.read_bytes(), str(book), read_only=False)
    assert {"附0", "附1", "附2"} <= set(whole.sheetnames)


@pytest.mark.parametrize("kind", sorted(corpus.ZIP_DAMAGE))
def test_every_kind_of_zip_damage_is_named_by_the_one_reader(base, tmp_path, kind):
    from nianbao import zipparts
    bad = corpus._zip_damage(base.template, tmp_path / "坏.docx", "word/document.xml", kind)
    with pytest.raises(InputError, match=re.escape("部件 word/document.xml")):
        zipparts.check(bad.read_bytes(), str(bad), "Word 文档")
    with zipfile.ZipFile(base.template) as z:  # the undamaged package passes
        assert zipparts.check(base.template.read_bytes(), "t.docx").namelist() == z.namelist()
