"""Fixtures shared by test modules, and how the suite is spread over several processes.

``exported_reports``: random consistent reports (``PER_FORMAT`` of each format, with random narrative)
exported to .docx by ``nianbao.word.export`` once per test run, for every round trip that starts
from a Word file (.docx, .html, .doc, .pdf).  When the suite runs on several workers (pytest-xdist,
see ``addopts`` in pyproject.toml), the first worker that needs them exports them into the run's
common temp folder and the others read them from there.

Workers: ``-n auto`` gives one worker per available core, at most ``MAX_WORKERS``; each test file runs
whole in one worker (``--dist loadfile``: module fixtures are made once), and the files marked
``heavy`` (minutes of LibreOffice, pycel or child-process work) are handed out first, longest first,
so that no long file starts last and leaves the other cores idle.  ``-n 0`` runs everything in one
process (``--pdb`` does so by itself).
"""
from __future__ import annotations

import os
import pickle

import pytest
from filelock import FileLock
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


def _export_all(root) -> tuple[dict, list]:
    reports, docx = {}, []
    for fid in formats.ids():
        for i, rep in enumerate(_draw(fid, PER_FORMAT)):
            name = f"r{fid}-{i:03d}"
            reports[name] = rep
            docx.append(word.export(rep, root / f"{name}.docx"))
    return reports, docx


@pytest.fixture(scope="session")
def exported_reports(tmp_path_factory):
    """(reports by file stem, the exported .docx files in order): ``PER_FORMAT`` of each format."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _export_all(tmp_path_factory.mktemp("exported"))
    run = tmp_path_factory.getbasetemp().parent  # the run's temp folder, common to its workers
    done = run / "exported.pickle"
    with FileLock(str(run / "exported.lock")):
        if not done.exists():
            root = run / "exported"
            root.mkdir(exist_ok=True)  # (left by a worker whose export failed: its error shows again)
            made = _export_all(root)
            part = run / "exported.pickle.part"
            part.write_bytes(pickle.dumps(made))
            part.replace(done)
        return pickle.loads(done.read_bytes())


# ---------------------------------------------------------------- several workers (pytest-xdist)
MAX_WORKERS = 4  # past this the few long files, not the cores, decide the time; each starts its own pools


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_auto_num_workers(config):
    """``-n auto``: the cores this process may use (not the physical cores psutil would count: that may be
    one on a 2-vCPU CI machine), at most ``MAX_WORKERS``; none on a single core.  The environment variable
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, MAX_WORKERS) if cores > 1 else 0


def pytest_collection_modifyitems(config, items):
    """The files marked ``heavy(seconds)`` first, longest first; each file's tests stay together and in
    order."""
    first: dict = {}
    for i, item in enumerate(items):
        heavy = item.get_closest_marker("heavy")
        first.setdefault(item.path, (-heavy.args[0] if heavy else 0, i))
    items.sort(key=lambda item: first[item.path])
