"""Round trips: random consistent reports → Word export (.docx) → LibreOffice (.html, .doc) → import.

Every kind of file must give back exactly the table data and the sections that were exported.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import conftest
from nianbao import formats, importers, office

pytestmark = pytest.mark.heavy(140)  # seconds run alone: handed out first (conftest.py)

PER_FORMAT = conftest.PER_FORMAT


@pytest.fixture(scope="module")
def converted(tmp_path_factory, exported_reports):
    root = tmp_path_factory.mktemp("roundtrip")
    reports, docx = exported_reports
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
