"""Fixtures shared by test modules.

``exported_reports``: random consistent reports (``PER_FORMAT`` of each format, with random narrative)
exported to .docx by ``nianbao.word.export`` once per test session, for every round trip that starts
from a Word file (.docx, .html, .doc, .pdf).
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import reportgen
from nianbao import formats, word

PER_FORMAT = 50

_WORDS = st.sampled_from(["公开", "政务", "平台", "制度", "监督", "信息", "管理", "培训", "网站", "申请",
                          "办理", "规范", "工作", "推进", "落实", "完善"])
_SENTENCE = st.lists(_WORDS, min_size=3, max_size=12).map(lambda w: "".join(w) + "。")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=3).map("".join)


@st.composite
def _sections(draw, fmt):
    """Random narrative in the shapes reports have: plain paragraphs, sub-headed blocks under 一."""
    out = {}
    for sec in fmt.sections:
        if sec.table is not None or not draw(st.booleans()):
            continue
        items = draw(st.lists(_PARAGRAPH, min_size=1, max_size=2))
        if sec.subheadings:
            heads = draw(st.lists(st.sampled_from(sec.subheadings), min_size=1, max_size=3, unique=True))
            items = items + [{"heading": h, "paragraphs": draw(st.lists(_PARAGRAPH, min_size=1, max_size=2))}
                             for h in heads]
        out[sec.key] = items
    return out


def _draw(format_id: str, n: int) -> list:
    fmt = formats.get(format_id)
    drawn = []

    @settings(max_examples=n, derandomize=True, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(reportgen.consistent_report(format_id, spelled=False), _sections(fmt),
           st.sampled_from(["示例县人民政府办公室", "某市发展和改革委员会", "某区人民政府"]))
    def collect(rep, sections, agency):
        rep.sections = sections
        rep.agency = agency
        drawn.append(rep)

    collect()
    return drawn[:n]


@pytest.fixture(scope="session")
def exported_reports(tmp_path_factory):
    """(reports by file stem, the exported .docx files in order): ``PER_FORMAT`` of each format."""
    root = tmp_path_factory.mktemp("exported")
    reports, docx = {}, []
    for fid in formats.ids():
        for i, rep in enumerate(_draw(fid, PER_FORMAT)):
            name = f"r{fid}-{i:03d}"
            reports[name] = rep
            docx.append(word.export(rep, root / f"{name}.docx"))
    return reports, docx
