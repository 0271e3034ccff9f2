"""Run-together digits end to end: real table rows exported to Word, neighbouring cells glued into one
cell, printed to PDF by LibreOffice, then `nianbao import --json` and `nianbao check --json`.

The values are those of the real 淮安市 2024 report.  Gluing 3001 | 53 (table three, 本年新收, 自然人 and
商业企业) leaves one split that satisfies the row's total: it is taken (I-5).  Gluing the five cells
12 | 1 | 1 | 6 | 20 of table four (复议后起诉) leaves several splits that satisfy 总计: none is taken, the
cells stay empty and the finding lists the candidates (I-6).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from nianbao import importers, office, word

REAL = Path(__file__).parent / "data" / "real"


def _glue(path: Path, run: list[str]) -> None:
    """Put the texts of the consecutive cells ``run`` (found in exactly one table row) into the first
    of those cells and empty the others."""
    d = docx.Document(str(path))
    hits = []
    for table in d.tables:
        for row in table.rows:
            cells = []
            for c in row.cells:
                if not cells or c._tc is not cells[-1]._tc:
                    cells.append(c)
            texts = [c.text.strip() for c in cells]
            for i in range(len(texts) - len(run) + 1):
                if texts[i:i + len(run)] == run:
                    hits.append(cells[i:i + len(run)])
    assert len(hits) == 1, hits
    cells = hits[0]
    cells[0].paragraphs[0].runs[0].text = "".join(run)
    for c in cells[1:]:
        for r in c.paragraphs[0].runs:
            r.text = ""
    d.save(str(path))


def _nianbao(*args: str) -> tuple[int, dict, str]:
    proc = subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def _values(tables: dict) -> dict:
    return {f"{t}.{r}.{c}": v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    root = tmp_path_factory.mktemp("glued")
    original = importers.read(str(REAL / "huaian-city-2024.pdf")).report
    files = []
    for name in ("plain", "unique", "several"):
        files.append(word.export(original, root / f"{name}.docx"))
    _glue(files[1], ["3001", "53"])
    _glue(files[2], ["12", "1", "1", "6", "20"])
    out = office.convert_many(files, "pdf", root / "pdf", recalc=False)
    return original, dict(zip(("plain", "unique", "several"), out))


def test_the_plain_export_reads_back(pdfs):
    original, files = pdfs
    rc, data, _ = _nianbao("import", "--json", str(files["plain"]))
    assert _values(data["tables"]) == _values(original.tables)
    rc, out, _ = _nianbao("check", "--json", str(files["plain"]))
    assert rc == 0 and out["findings"] == []


def test_unique_split_is_taken_and_reported(pdfs):
    original, files = pdfs
    rc, data, stderr = _nianbao("import", "--json", str(files["unique"]))
    assert rc == 0
    assert _values(data["tables"]) == _values(original.tables)    # every value as in the real report
    assert "I-5" in stderr and "300153" in stderr
    rc, out, _ = _nianbao("check", "--json", str(files["unique"]))
    assert rc == 0
    assert [f["rule"] for f in out["findings"]] == ["I-5"]
    f = out["findings"][0]
    assert f["severity"] == "warning" and "3001 | 53" in f["message"]
    assert f["locations"] and f["locations"][0].startswith("第")


def test_several_splits_are_listed_not_guessed(pdfs):
    original, files = pdfs
    group = [f"appeals.litigation_after_review.{m}" for m, _ in original.fmt.appeals.members]
    rc, data, stderr = _nianbao("import", "--json", str(files["several"]))
    got, want = _values(data["tables"]), _values(original.tables)
    assert all(got[k] is None for k in group)                     # left empty, not guessed
    assert {k: v for k, v in got.items() if k not in group} == {k: v for k, v in want.items() if k not in group}
    assert "I-6" in stderr
    rc, out, _ = _nianbao("check", "--json", str(files["several"]))
    assert rc == 1
    i6 = [f for f in out["findings"] if f["rule"] == "I-6"]
    assert len(i6) == 1 and i6[0]["severity"] == "error"
    assert "1211620" in i6[0]["message"]
    assert "12 | 1 | 1 | 6 | 20" in i6[0]["message"] and "1 | 2 | 11 | 6 | 20" in i6[0]["message"]
