"""`nianbao check` on the real published PDFs: the defects each document really has, found by hand.

淮安市 2024: every within-report rule holds (checked by hand: each row of table three sums to its
total, each column's results sum to （七）总计 and 一+二 = 三+四, table four's groups sum).
洪泽区 2023, read by hand from the printed pages:
  - table four: 行政复议 总计 printed 0 though 10+1+0+0 = 11; 复议后起诉 总计 printed 0 though 5 (T4-1 twice);
  - table three prints 「2.其他法律行政止公开」 (words missing): its number 2 and its place under
    （三）不予公开, right after 1.属于国家秘密, leave no doubt it is 「2.其他法律行政法规禁止公开」, so its
    values are imported and the printed label is named (I-7);
  - it prints one 「（六）其他处理」 row instead of the format's three: that printed row is reported (I-1),
    the three format rows not printed are named (I-3) and are empty (V-2).
洪泽区 2024: the same two table-three layout defects (I-7, and V-2 three times), and the text says 「受理政府信息公开
  申请17件」 (the district office alone) while table three's 新收 total is 95 (N-1).
Across the years: 2024's 上年结转 (0) equals 2023's 结转下年度 (0) and 2024's 现行有效 8 = 5 + 3 − 0, so
the cross-year rules find nothing; against another agency's report they do find the breaks.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

REAL = Path(__file__).parent / "data" / "real"


def _check(name: str, *extra: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "nianbao", "check", "--json", str(REAL / name), *extra],
                          capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def _rules(out: dict) -> Counter:
    return Counter(f["rule"] for f in out["findings"])


def test_huaian_city_2024_passes():
    rc, out = _check("huaian-city-2024.pdf")
    assert (out["year"], out["format"], out["agency"]) == (2024, "2021", "淮安市人民政府")
    assert rc == 0 and out["findings"] == []


def test_hongze_2023_defects():
    rc, out = _check("hongze-district-2023.pdf")
    assert (out["year"], out["format"], out["agency"]) == (2023, "2021", "洪泽区人民政府")
    assert rc == 1
    # the printed row the format does not have (I-1), the format rows not printed (I-3) and the misprinted
    # label read by its number and place (I-7) are the importer's findings; the rows left empty are V-2
    assert _rules(out) == Counter({"T4-1": 2, "V-2": 3, "I-1": 1, "I-3": 1, "I-7": 1})
    i7 = next(f for f in out["findings"] if f["rule"] == "I-7")
    assert "「2.其他法律行政止公开」" in i7["message"] and "「2.其他法律行政法规禁止公开」" in i7["message"]
    assert "requests.withheld_law.total" in i7["cells"]
    t41 = " / ".join(f["message"] for f in out["findings"] if f["rule"] == "T4-1")
    assert "行政复议：结果维持、结果纠正、其他结果、尚未审结之和为11，总计填报为0" in t41
    assert "行政诉讼（复议后起诉）：结果维持、结果纠正、其他结果、尚未审结之和为5，总计填报为0" in t41
    v2 = [f["message"] for f in out["findings"] if f["rule"] == "V-2"]
    assert sum("（六）其他处理" in m for m in v2) == 3 and sum("禁止公开" in m for m in v2) == 0
    # each error points at the printed cells (page, table, row, column)
    assert all(loc.startswith("第4页 表3") for f in out["findings"] if f["rule"] == "T4-1"
               for loc in f["locations"])


def test_hongze_2024_defects_and_cross_year():
    rc, out = _check("hongze-district-2024.pdf")
    assert (out["year"], out["format"], out["agency"]) == (2024, "2021", "淮安市洪泽区人民政府")
    assert rc == 0
    assert _rules(out) == Counter({"V-2": 3, "N-1": 1, "I-1": 1, "I-3": 1, "I-7": 1})
    n1 = next(f for f in out["findings"] if f["rule"] == "N-1")
    assert "17件" in n1["message"] and "95件" in n1["message"]
    rc, out2 = _check("hongze-district-2024.pdf", "--previous", str(REAL / "hongze-district-2023.pdf"))
    assert rc == 0 and _rules(out2) == _rules(out)
    # the cross-year rules really run on PDFs: against the city's report the links break
    rc, out3 = _check("hongze-district-2024.pdf", "--previous", str(REAL / "huaian-city-2024.pdf"))
    assert rc == 1
    found = _rules(out3)
    assert found["X-1"] == 2 and found["X-2"] == 2
