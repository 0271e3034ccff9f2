"""The ribbon's 校验 click, run as Excel runs it (a fresh Python, ``import nianbao.addin.xl; check()``)
over a stand-in for Excel (benchmarks/bench_click.py): it reports the planted mistake and imports none
of the heavy packages (openpyxl, lxml, python-docx, docxtpl)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_click  # noqa: E402


def test_click_path_reports_the_mistake_without_heavy_imports(tmp_path):
    result = bench_click.click(bench_click.prepare(tmp_path))
    assert result["alerts"] and "错误" in result["alerts"][0]
    assert not set(result["imported"]) & set(bench_click.HEAVY), result["imported"]
