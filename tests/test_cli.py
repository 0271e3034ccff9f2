"""The command line (`nianbao check`, `nianbao demo`, help) run as a user runs it: in a subprocess."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao import examples

CJK = re.compile(r"[\u4e00-\u9fff]")
SEED = examples.path("seed")
EXAMPLE_2021 = examples.path("example2021")


def nianbao(*args, cwd=None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "nianbao", *map(str, args)], capture_output=True, cwd=cwd,
                          env=env, timeout=300)
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in out + err, out + err
    return proc.returncode, out, err


def seed_data() -> dict:
    return json.loads(SEED.read_bytes())


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    return path


# ---------------------------------------------------------------- exit 0
def test_check_seed_exits_0_with_warnings(tmp_path):
    before = SEED.read_bytes()
    code, out, err = nianbao("check", SEED)
    assert code == 0, out + err
    assert "0 处错误" in out and "22 处提示" in out
    assert "V-2" in out and "官方表格要求填写0" in out
    assert SEED.read_bytes() == before


def test_check_2021_example_passes():
    code, out, _ = nianbao("check", EXAMPLE_2021)
    assert code == 0
    assert "全部通过" in out
    assert "示例县人民政府办公室（示例）" in out


def test_check_chinese_path_with_spaces(tmp_path):
    path = write(tmp_path / "年报 数据" / "示例 县 2024 年报.json", json.loads(EXAMPLE_2021.read_bytes()))
    before = path.read_bytes()
    code, out, err = nianbao("check", path)
    assert code == 0, out + err
    assert "示例 县 2024 年报.json" in out
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["示例 县 2024 年报.json"]


# ---------------------------------------------------------------- exit 1: rule errors
def test_text_in_a_number_cell_is_a_v1_error(tmp_path):
    data = seed_data()
    data["tables"]["requests"]["new"]["natural"] = "十四件"
    path = write(tmp_path / "文本.json", data)
    before = path.read_bytes()
    code, out, err = nianbao("check", path)
    assert code == 1
    assert "1 处错误" in out
    line = next(ln for ln in out.splitlines() if "V-1" in ln)
    assert "错误" in line and "十四件" in line and "不小于0的整数" in line
    assert path.read_bytes() == before


def test_negative_count_is_a_v1_error(tmp_path):
    data = seed_data()
    data["tables"]["appeals"]["review"]["pending"] = -1
    path = write(tmp_path / "负数.json", data)
    code, out, _ = nianbao("check", path)
    assert code == 1
    line = next(ln for ln in out.splitlines() if "V-1" in ln)
    assert "-1" in line and CJK.search(line)


def test_sum_error_exit_1(tmp_path):
    data = seed_data()
    data["tables"]["requests"]["results_total"]["natural"] = 20
    data["tables"]["requests"]["results_total"]["total"] = 22
    path = write(tmp_path / "勾稽.json", data)
    code, out, _ = nianbao("check", path)
    assert code == 1
    assert "自然人列：办理结果各项之和为14，（七）总计填报为20" in out


# ---------------------------------------------------------------- exit 2: unusable input
def _assert_refused(code, out, err, *words):
    assert code == 2, out + err
    assert out == ""
    assert err.startswith("无法处理："), err
    assert CJK.search(err)
    for w in words:
        assert w in err, (w, err)


def test_unknown_table_key_exits_2(tmp_path):
    data = seed_data()
    data["tables"]["statistics"] = {}
    path = write(tmp_path / "多表.json", data)
    _assert_refused(*nianbao("check", path), "statistics", "多表.json")


def test_unknown_row_key_exits_2(tmp_path):
    data = seed_data()
    data["tables"]["requests"]["other_no_fee"] = {"total": 0}  # a 2021 row in a 2019 report
    path = write(tmp_path / "行.json", data)
    _assert_refused(*nianbao("check", path), "other_no_fee")


def test_broken_json_exits_2(tmp_path):
    text = SEED.read_bytes().decode("utf-8")
    path = write(tmp_path / "损坏.json", text[: len(text) // 2].encode("utf-8"))
    _assert_refused(*nianbao("check", path), "JSON 格式错误", "损坏.json")


def test_non_utf8_exits_2(tmp_path):
    path = write(tmp_path / "gbk.json", SEED.read_bytes().decode("utf-8").encode("gbk"))
    _assert_refused(*nianbao("check", path), "UTF-8")


def test_missing_file_exits_2(tmp_path):
    _assert_refused(*nianbao("check", tmp_path / "不存在.json"), "文件不存在", "不存在.json")


def test_directory_exits_2(tmp_path):
    _assert_refused(*nianbao("check", tmp_path))
    folder = tmp_path / "像文件的文件夹.json"
    folder.mkdir()
    _assert_refused(*nianbao("check", folder), "文件夹")


def test_unknown_file_type_exits_2(tmp_path):
    path = write(tmp_path / "报告.txt", b"hello")
    _assert_refused(*nianbao("check", path), ".txt")


def test_bad_command_line_exits_2():
    code, out, err = nianbao("check")
    assert code == 2
    assert "缺少必需的参数" in err
    code, out, err = nianbao("check", SEED, "--no-such-option")
    assert code == 2 and "无法识别的参数" in err


# ---------------------------------------------------------------- --json
def test_json_output_shape(tmp_path):
    data = seed_data()
    data["tables"]["requests"]["results_total"]["natural"] = 20
    data["tables"]["requests"]["results_total"]["total"] = 22
    path = write(tmp_path / "年报.json", data)
    code, out, err = nianbao("check", path, "--json")
    assert code == 1
    result = json.loads(out)
    assert {"file", "format", "year", "ok", "errors", "warnings", "findings"} <= set(result)
    assert (result["file"], result["format"], result["year"], result["ok"]) == (str(path), "2019", 2020, False)
    assert result["errors"] == sum(f["severity"] == "error" for f in result["findings"]) > 0
    assert result["warnings"] == sum(f["severity"] == "warning" for f in result["findings"])
    for f in result["findings"]:
        assert set(f) == {"rule", "severity", "message", "cells", "locations", "expected", "actual"}
        assert f["severity"] in ("error", "warning")
        assert isinstance(f["cells"], list) and isinstance(f["locations"], list)
        assert CJK.search(f["message"])
    t33 = next(f for f in result["findings"] if f["rule"] == "T3-3" and
               f["cells"][0] == "requests.results_total.natural")
    assert (t33["expected"], t33["actual"]) == (14, 20)
    assert t33["message"] == "自然人列：办理结果各项之和为14，（七）总计填报为20"


def test_json_output_of_a_clean_report():
    code, out, _ = nianbao("check", EXAMPLE_2021, "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["ok"], result["errors"], result["warnings"], result["findings"]) == (True, 0, 0, [])
    assert (result["format"], result["year"]) == ("2021", 2024)


def test_json_flag_with_unusable_input_still_exits_2(tmp_path):
    code, out, err = nianbao("check", tmp_path / "缺.json", "--json")
    assert code == 2 and out == "" and "文件不存在" in err


# ---------------------------------------------------------------- --previous
def _last_year(tmp_path, carry_forward: int) -> Path:
    data = json.loads(EXAMPLE_2021.read_bytes())
    data["year"] = 2023
    req = data["tables"]["requests"]
    # Last year: carry_forward natural as given, balanced by 一、本年新收.
    req["new"]["natural"] += carry_forward - req["carry_forward"]["natural"]
    req["new"]["total"] += carry_forward - req["carry_forward"]["natural"]
    req["carry_forward"]["total"] += carry_forward - req["carry_forward"]["natural"]
    req["carry_forward"]["natural"] = carry_forward
    data["sections"] = {"overview": ["上年度的正文与本年度完全不同，讲述另一年的工作安排和具体做法。"]}
    return write(tmp_path / "2023年报.json", data)


def test_previous_runs_the_x_rules(tmp_path):
    prev = _last_year(tmp_path, carry_forward=9)
    code, out, err = nianbao("check", EXAMPLE_2021, "--previous", prev, "--json")
    assert code == 1, out + err
    result = json.loads(out)
    x1 = [f for f in result["findings"] if f["rule"] == "X-1"]
    by_cell = {f["cells"][0]: (f["expected"], f["actual"]) for f in x1}
    assert by_cell["requests.carried_over.natural"] == (9, 5)
    assert all(f["severity"] == "error" for f in x1)
    assert any(f["rule"] == "X-2" for f in result["findings"])  # last year's in_force 48 + 6 - 2 != 48
    # Without --previous the same report has no findings at all.
    assert json.loads(nianbao("check", EXAMPLE_2021, "--json")[1])["findings"] == []


def test_previous_set_inside_the_report_is_relative_to_its_folder(tmp_path):
    folder = tmp_path / "报告 目录"
    _last_year(folder, carry_forward=9)
    data = json.loads(EXAMPLE_2021.read_bytes())
    data["previous"] = "2023年报.json"
    this = write(folder / "2024年报.json", data)
    code, out, err = nianbao("check", this, cwd=tmp_path)
    assert code == 1, out + err
    assert "X-1" in out and "2023年度报告" in out


def test_previous_recorded_elsewhere_is_found_beside_the_report(tmp_path):
    # The folder was moved: the recorded absolute path is gone, the file sits beside the report.
    folder = tmp_path / "搬家后"
    _last_year(folder, carry_forward=9)
    data = json.loads(EXAMPLE_2021.read_bytes())
    data["previous"] = str(tmp_path / "旧目录" / "2023年报.json")
    this = write(folder / "2024年报.json", data)
    code, out, err = nianbao("check", this)
    assert code == 1, out + err
    assert "X-1" in out


def test_previous_recorded_but_missing_is_noted_and_checking_goes_on(tmp_path):
    data = json.loads(EXAMPLE_2021.read_bytes())
    data["previous"] = "不存在的去年.json"
    this = write(tmp_path / "2024年报.json", data)
    code, out, err = nianbao("check", this)
    assert code == 0, out + err
    assert "不存在的去年.json" in err and "未做与上年的衔接校验" in err
    assert "X-1" not in out and "Traceback" not in err


def test_previous_missing_exits_2(tmp_path):
    _assert_refused(*nianbao("check", EXAMPLE_2021, "--previous", tmp_path / "去年.json"), "去年.json")


# ---------------------------------------------------------------- demo and help
def test_demo_writes_into_the_folder_and_prints_the_summary(tmp_path):
    outdir = tmp_path / "演示 输出"
    before = SEED.read_bytes()
    code, out, err = nianbao("demo", "-o", outdir, cwd=tmp_path)
    assert code == 0, out + err
    assert "山东省商务厅" in out and "2020年度报告（2019年格式）" in out
    assert "0 处错误" in out and "22 处提示" in out
    assert SEED.read_bytes() == before
    # Whatever the demo writes goes into the folder named, nowhere else.
    assert [p.name for p in tmp_path.iterdir()] == ["演示 输出"] or not any(tmp_path.iterdir())


@pytest.mark.parametrize("args, words", [
    (["-h"], ["用法", "check", "demo", "校验"]),
    (["check", "-h"], ["用法", "--previous", "--json", "退出码"]),
    (["demo", "-h"], ["用法", "-o", "山东省商务厅"]),
    ([], ["用法"]),
])
def test_help_is_chinese(args, words):
    code, out, err = nianbao(*args)
    assert code == 0
    assert "usage:" not in out and "show this help" not in out
    for w in words:
        assert w in out, (w, out)
