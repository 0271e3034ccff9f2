"""Round trips: random consistent reports → Word export (.docx) → LibreOffice (.html, .doc) → import.

Every kind of file must give back exactly the table data and the sections that were exported.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import reportgen
from nianbao import formats, importers, office, word

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


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip")
    reports, docx = {}, []
    for fid in formats.ids():
        for i, rep in enumerate(_draw(fid, PER_FORMAT)):
            name = f"r{fid}-{i:03d}"
            reports[name] = rep
            docx.append(word.export(rep, root / f"{name}.docx"))
    with ThreadPoolExecutor(2) as pool:  # two LibreOffice runs side by side
        html = pool.submit(office.convert_many, docx, "html", root / "html", recalc=False)
        doc = pool.submit(office.convert_many, docx, "doc", root / "doc", recalc=False)
        return reports, {"docx": docx, "html": html.result(), "doc": doc.result()}


@pytest.mark.parametrize("kind", ["docx", "html", "doc"])
def test_roundtrip_tables_and_sections(converted, kind):
    reports, files = converted
    assert {r.format for r in reports.values()} == set(formats.ids())
    assert sum(r.format == formats.ids()[0] for r in reports.values()) == PER_FORMAT
    paths = files[kind]
    # .doc files through the batch reader (one LibreOffice run converts them all back); the others one by one
    sources = importers.read_many(paths) if kind == "doc" else [importers.read(str(p)) for p in paths]
    assert len(sources) == len(paths) == 2 * PER_FORMAT
    for path, src in zip(paths, sources):
        want = reports[Path(path).stem]
        assert src.kind == kind
        got = src.report
        assert (got.format, got.year, got.agency) == (want.format, want.year, want.agency), path
        assert got.tables == want.tables, path
        assert got.sections == want.sections, path
        assert src.findings == (), path
        assert all(src.locate(f.key) for f in want.fmt.fields()), path
