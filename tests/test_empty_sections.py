"""N-3: a section with no text is reported by check, printed as 「（待填写）」 by export, refused by --strict."""
from __future__ import annotations

import json
import subprocess
import sys

import reportgen
from nianbao import examples, model, rules, word


def nianbao(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def test_a_new_report_has_every_narrative_section_reported():
    rep = reportgen.zero_report("2021")
    found = [f for f in rules.check(rep) if f.rule == "N-3"]
    assert len(found) == 3 and all(f.severity == "warning" for f in found)
    assert {m.split("」")[0].lstrip("「") for m in (f.message for f in found)} == {
        "一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}


def test_the_fee_sentence_stands_in_for_section_six():
    rep = reportgen.zero_report("2021")
    rep.fees = {"notices": 0, "notice_amount_yuan": 0, "collected_yuan": 0}
    found = [f for f in rules.check(rep) if f.rule == "N-3"]
    assert not any("六、" in f.message for f in found)
    assert set(word.empty_sections(rep)) == {"overview", "problems"}


def test_a_complete_report_has_none():
    assert [f for f in rules.check(examples.load("example2021")) if f.rule == "N-3"] == []


def test_strict_export_refuses_an_unfilled_section(tmp_path):
    rep = examples.load("example2021")
    rep.sections["problems"] = []
    src = tmp_path / "r.json"
    src.write_text(model.dumps(rep), encoding="utf-8")
    code, out, err = nianbao("check", str(src), "--json")
    assert code == 0 and [f["rule"] for f in json.loads(out)["findings"]] == ["N-3"]
    code, out, err = nianbao("export", str(src), "-o", str(tmp_path / "strict.docx"), "--strict")
    assert code == 1 and "没有内容" in err and not (tmp_path / "strict.docx").exists()
    code, out, err = nianbao("export", str(src), "-o", str(tmp_path / "plain.docx"))
    assert code == 0 and (tmp_path / "plain.docx").exists()
    import docx
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "plain.docx")).paragraphs)
    assert "（待填写）" in text
