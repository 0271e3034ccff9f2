"""The report data model: JSON load / validate / save, and reading cell values."""
from __future__ import annotations

import copy
import json
import re

import pytest

from nianbao import examples, files, model
from nianbao.errors import InputError
from nianbao.formats.base import COUNT, MONEY, SIGNED, TEXT

CJK = re.compile(r"[\u4e00-\u9fff]")


def example_dict(name: str) -> dict:
    return json.loads(examples.path(name).read_bytes().decode("utf-8"))


def load_error(data) -> InputError:
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    with pytest.raises(InputError) as info:
        model.parse_json(raw, "报告.json")
    err = info.value
    assert CJK.search(err.detail), err.detail
    assert "报告.json" in str(err)
    return err


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize("name", ["seed", "example2021"])
def test_example_round_trip_is_byte_identical(name, tmp_path):
    original = examples.path(name).read_bytes()
    report = examples.load(name)
    assert model.dumps(report).encode("utf-8") == original
    out = tmp_path / "副本 报告.json"
    model.save_json(report, out)
    assert out.read_bytes() == original
    again = model.load_json(out)
    assert again.to_dict() == report.to_dict() == json.loads(original)
    assert [p.name for p in tmp_path.iterdir()] == ["副本 报告.json"]  # no temporary file left behind


def test_round_trip_keeps_text_blank_and_float_cells(tmp_path):
    data = example_dict("example2021")
    data["tables"]["requests"]["new"]["natural"] = "１１２"
    data["tables"]["requests"]["new"]["research"] = None
    data["tables"]["requests"]["disclosed"]["legal"] = 2.0
    data["tables"]["active"]["fees"]["amount_wan"] = 0.1234
    report = model.from_dict(copy.deepcopy(data))
    model.save_json(report, tmp_path / "r.json")
    back = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert back == data


def test_examples_identity():
    seed = examples.load("seed")
    assert (seed.format, seed.year, seed.agency, seed.level) == ("2019", 2020, "山东省商务厅", "province_dept")
    ex = examples.load("example2021")
    assert (ex.format, ex.year, ex.level) == ("2021", 2024, "county")
    assert "示例" in ex.agency
    # Every value cell of the 2021 example holds a number (no blanks).
    for f in ex.fmt.fields():
        value, status = model.as_number(ex.get(f.key), f.kind)
        assert status == "ok" and value is not None, f.key
    assert {s for s in ("preamble", "overview", "problems", "other_matters")} <= set(ex.sections)
    assert [item["heading"] for item in ex.sections["overview"] if isinstance(item, dict)] == list(
        ex.fmt.sections[1].subheadings)
    assert set(ex.fees) == {"notices", "notice_amount_yuan", "collected_yuan"}


def test_format_defaults_from_year():
    data = example_dict("seed")
    del data["format"]
    assert model.from_dict(data).format == "2019"
    data = example_dict("example2021")
    del data["format"]
    assert model.from_dict(data).format == "2021"


def test_empty_report_has_every_cell_blank():
    rep = model.empty_report("2021", 2024, "某机关", "city")
    assert all(rep.get(f.key) is None for f in rep.fmt.fields())
    assert len(rep.fmt.fields()) == 200
    assert rep.display_title == "2024年度政府信息公开工作年度报告"


def test_narrative_paragraphs():
    ex = examples.load("example2021")
    paras = ex.narrative()
    assert paras[0][0] == "preamble" and paras[0][1] is None
    assert any(h == "（二）依申请公开" for _, h, _ in paras)
    assert paras[-1][0] == "other_matters"
    text = ex.narrative_text(("other_matters",))
    assert "信息处理费" in text and "（五）监督保障" not in text


# ---------------------------------------------------------------- validation errors
def _mutate(fn):
    data = example_dict("example2021")
    fn(data)
    return data


def _set(path: str, value):
    def fn(data):
        *parents, last = path.split(".")
        node = data
        for p in parents:
            node = node[p]
        node[last] = value
    return fn


def _delete(path: str):
    def fn(data):
        *parents, last = path.split(".")
        node = data
        for p in parents:
            node = node[p]
        del node[last]
    return fn


INVALID = [
    ("unknown top key", _set("remarks", "x"), "remarks"),
    ("unknown table", _set("tables.statistics", {}), "statistics"),
    ("unknown row", _set("tables.requests.legal_person", {"total": 1}), "legal_person"),
    ("2019 row in 2021 format", _set("tables.requests.other_handling", {"total": 0}), "other_handling"),
    ("unknown column", _set("tables.requests.new.legal_person", 3), "legal_person"),
    ("unknown appeals member", _set("tables.appeals.review.withdrawn", 0), "withdrawn"),
    ("list in a cell", _set("tables.requests.new.natural", [1, 2]), "requests.new.natural"),
    ("object in a cell", _set("tables.requests.disclosed.total", {"v": 1}), "requests.disclosed.total"),
    ("bool in a cell", _set("tables.appeals.review.total", True), "appeals.review.total"),
    ("row not an object", _set("tables.requests.new", [1, 2, 3]), "requests.new"),
    ("table not an object", _set("tables.appeals", 5), "appeals"),
    ("missing table", _delete("tables.appeals"), "appeals"),
    ("missing tables", _delete("tables"), "tables"),
    ("wrong schema", _set("schema", "nianbao/report@9"), "schema"),
    ("missing schema", _delete("schema"), "schema"),
    ("unknown format", _set("format", "2022"), "format"),
    ("year as text", _set("year", "2024"), "year"),
    ("year as bool", _set("year", True), "year"),
    ("unknown level", _set("level", "village"), "level"),
    ("agency not text", _set("agency", 12), "agency"),
    ("unknown contact key", _set("contact.qq", "123"), "qq"),
    ("contact not an object", _set("contact", ["地址"]), "contact"),
    ("empty list as contact", _set("contact", []), "contact"),
    ("unknown section", _set("sections.appendix", []), "appendix"),
    ("section not a list", _set("sections.problems", "问题"), "problems"),
    ("paragraphs not texts", _set("sections.overview", [{"heading": "（一）", "paragraphs": [1]}]), "overview"),
    ("sections not an object", _set("sections", []), "sections"),
    ("unknown fees key", _set("fees.waived", 1), "waived"),
    ("negative fee", _set("fees.collected_yuan", -5), "collected_yuan"),
    ("fees not an object", _set("fees", []), "fees"),
]


@pytest.mark.parametrize("mutate, key", [(m, k) for _, m, k in INVALID], ids=[n for n, _, _ in INVALID])
def test_invalid_data_is_refused_in_chinese_naming_the_key(mutate, key):
    err = load_error(_mutate(mutate))
    assert key in str(err)


def test_top_level_not_an_object():
    err = load_error(b"[1, 2, 3]")
    assert "JSON 对象" in err.detail


def test_not_a_finite_number_in_a_cell():
    raw = json.dumps(example_dict("example2021")).replace('"natural": 112', '"natural": NaN', 1).encode()
    err = load_error(raw)
    assert "requests.new.natural" in str(err)


@pytest.mark.parametrize("raw", [
    b'{"schema": "nianbao/report@1", "year": 2024',             # truncated
    b'{"schema": "nianbao/report@1", "year": 2024,}',           # trailing comma
    b"{'schema': 'nianbao/report@1'}",                          # single quotes
    b'{"schema": "nianbao\\x/report@1"}',                       # invalid escape
    b'{"schema": "\\u12"}',                                     # truncated \\u escape
    b'{"schema" "x"}',                                          # missing colon
    b'{"year": 2024} trailing',                                 # extra data
    b'',                                                        # empty file
])
def test_broken_json_is_refused_in_chinese(raw):
    err = load_error(raw)
    assert "JSON" in err.detail or "空" in err.detail
    # The reason is given in Chinese, not as the parser's English message.
    assert set(re.findall(r"[A-Za-z]{3,}", err.detail)) <= {"JSON"}, err.detail


def test_broken_json_names_line_and_column():
    err = load_error(b'{\n  "schema": "nianbao/report@1",\n  "year": 2024,\n}')
    assert "第4行" in err.detail


@pytest.mark.parametrize("raw", ["（示例）报告".encode("gbk"), b"\xff\xfe\x00{"])
def test_non_utf8_is_refused(raw):
    err = load_error(raw)
    assert "UTF-8" in err.detail


def test_utf8_bom_is_accepted():
    raw = "\ufeff".encode("utf-8") + examples.path("seed").read_bytes()
    assert model.parse_json(raw).agency == "山东省商务厅"


def test_load_json_file_errors(tmp_path):
    with pytest.raises(InputError) as info:
        model.load_json(tmp_path / "没有这个文件.json")
    assert "文件不存在" in str(info.value) and "没有这个文件.json" in str(info.value)
    folder = tmp_path / "文件夹.json"
    folder.mkdir()
    with pytest.raises(InputError) as info:
        model.load_json(folder)
    assert "文件夹" in info.value.detail
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048)
    with pytest.raises(InputError) as info:
        files.read_limited(big, limit=1024)
    assert "过大" in info.value.detail


# ---------------------------------------------------------------- values
@pytest.mark.parametrize("value, kind, expected", [
    (12, COUNT, (12, "ok")),
    (12.0, COUNT, (12, "ok")),
    (0, COUNT, (0, "ok")),
    (None, COUNT, (None, "blank")),
    ("", COUNT, (None, "blank")),
    (" / ", COUNT, (None, "blank")),
    ("—", COUNT, (None, "blank")),
    ("无", COUNT, (None, "blank")),
    ("１２", COUNT, (12, "text-number")),
    ("1,234", COUNT, (1234, "text-number")),
    ("十二", COUNT, (None, "invalid")),
    ("12件", COUNT, (None, "invalid")),
    (-3, COUNT, (-3, "invalid")),
    (1.5, COUNT, (1.5, "invalid")),
    (True, COUNT, (None, "invalid")),
    (float("nan"), COUNT, (None, "invalid")),
    (-1, SIGNED, (-1, "ok")),
    ("+5", SIGNED, (5, "text-number")),
    ("－1", SIGNED, (-1, "text-number")),
    (0.5, SIGNED, (0.5, "invalid")),
    (86.42, MONEY, (86.42, "ok")),
    (3, MONEY, (3, "ok")),
    (-0.5, MONEY, (-0.5, "invalid")),
    ("2807.19万元", TEXT, (None, "ok")),
    ("/", TEXT, (None, "blank")),
])
def test_as_number(value, kind, expected):
    assert model.as_number(value, kind) == expected


def test_report_number_treats_blank_and_text_as_zero_or_value():
    rep = model.empty_report("2021", 2024)
    rep.set("requests.new.natural", "１２")
    rep.set("requests.new.commercial", "十二")
    assert rep.number("requests.new.natural") == 12
    assert rep.number("requests.new.commercial") == 0
    assert rep.number("requests.new.research") == 0
