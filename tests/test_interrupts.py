"""Interrupted work leaves nothing behind: SIGINT (Ctrl-C) and SIGTERM at several points of the commands
that run LibreOffice (``export --pdf``, ``review`` of a folder holding a .doc, ``import`` of a .doc).

Each point is an event seen from outside, not a time: the command's scratch folder appearing, LibreOffice's
private profile appearing, LibreOffice having set the profile up (converting).  Afterwards: the process
has ended, no LibreOffice of that run is still alive, the run's temp folder is empty (no ``nianbao-*``
folder, no ``lu*.tmp``, no profile), no temporary or partial output is left, the inputs are unchanged.
Leftovers of an earlier run killed outright (its process gone) are removed by the next run.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nianbao import examples, office

pytestmark = pytest.mark.skipif(not office.find_soffice(), reason="needs LibreOffice")

SEED = examples.path("seed")


def _new(tmp: Path) -> list[Path]:
    """The run's own folders (not the leftovers planted as an earlier run's, named 「…-old」)."""
    return [p for p in tmp.iterdir() if not p.name.endswith("-old")]


def _scratch(tmp: Path) -> bool:
    return any(p.name.startswith(("nianbao-pdf-", "nianbao-doc-")) for p in _new(tmp))


def _profile(tmp: Path) -> bool:
    return any(p.name.startswith(office.PROFILE_PREFIX) for p in _new(tmp))


def _converting(tmp: Path) -> bool:
    return any((p / "user").is_dir() for p in _new(tmp) if p.name.startswith(office.PROFILE_PREFIX))


POINTS = {"scratch": _scratch, "profile": _profile, "converting": _converting}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A report's .docx, the same as .doc (one LibreOffice conversion), and a folder of units with it."""
    from nianbao import word
    from nianbao.model import load_json
    d = tmp_path_factory.mktemp("inputs")
    docx = word.export(load_json(SEED), d / "报告.docx")
    doc = office.convert(docx, "doc", d / "conv")
    shutil.move(doc, d / "报告.doc")
    shutil.rmtree(d / "conv")
    units = d / "各单位"
    units.mkdir()
    shutil.copyfile(d / "报告.doc", units / "01-某局.doc")
    shutil.copyfile(SEED, units / "02-某办.json")
    many = d / "多个单位"  # enough units for the review to read them on a pool of processes
    many.mkdir()
    for i in range(4):
        shutil.copyfile(d / "报告.doc", many / f"0{i}-某局.doc")
    return d


def _digest(d: Path) -> dict[str, str]:
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob("*"))
            if p.is_file()}


def _soffice_of(tmp: Path) -> list[int]:
    """LibreOffice processes still running with the run's temp folder in their command line."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if str(tmp).encode() in cmd and b"soffice" in cmd:
            out.append(int(proc.name))
    return out


def _interrupt(argv: list[str], cwd: Path, tmp: Path, point: str, sig: int) -> tuple[int, str]:
    env = dict(os.environ, TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-m", "nianbao", *map(str, argv)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    reached = False
    for _ in range(2400):  # the point is an event; this only bounds a broken run
        if POINTS[point](tmp):
            reached = True
            break
        if proc.poll() is not None:
            break
        time.sleep(0.025)
    proc.send_signal(sig)
    out, _ = proc.communicate(timeout=120)
    assert reached, f"the run ended before the point {point}: {out.decode('utf-8', 'replace')}"
    return proc.returncode, out.decode("utf-8", "replace")


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


RUNS = [
    ("export-pdf", "scratch", signal.SIGINT),
    ("export-pdf", "converting", signal.SIGTERM),
    ("import-doc", "profile", signal.SIGTERM),
    ("import-doc", "converting", signal.SIGINT),
    ("review", "profile", signal.SIGINT),
    ("review", "converting", signal.SIGTERM),
    ("review-pool", "converting", signal.SIGTERM),
]


@pytest.mark.parametrize("command,point,sig", RUNS, ids=[f"{c}-{p}-{s.name}" for c, p, s in RUNS])
def test_interrupted_run_leaves_nothing_behind(inputs, tmp_path, command, point, sig):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    # What an earlier run killed outright left: removed by this run.
    dead = _dead_pid()
    for prefix in office.SCRATCH_PREFIXES:
        (tmp / f"{prefix}{dead}-old" / "user").mkdir(parents=True)
    before = _digest(inputs)
    argv = {
        "export-pdf": ["export", SEED, "-o", out / "报告.docx", "--pdf"],
        "import-doc": ["import", inputs / "报告.doc", "-o", out / "导入.xlsx"],
        "review": ["review", inputs / "各单位", "-o", out / "审核.xlsx", "--jobs", "1"],
        "review-pool": ["review", inputs / "多个单位", "-o", out / "审核.xlsx", "--jobs", "2"],
    }[command]

    rc, text = _interrupt(argv, tmp_path, tmp, point, sig)

    assert rc == 130, text
    assert "已取消" in text and "Traceback" not in text and "Process " not in text, text
    for _ in range(200):  # LibreOffice was killed with its group; give the kernel a moment to reap it
        if not _soffice_of(tmp):
            break
        time.sleep(0.05)
    assert not _soffice_of(tmp), "LibreOffice still running"
    assert list(tmp.iterdir()) == [], f"left in the temp folder: {sorted(p.name for p in tmp.iterdir())}"
    left = sorted(p.name for p in out.iterdir())
    assert not [n for n in left if n.startswith(".~")], left
    if command == "export-pdf":
        assert left in ([], ["报告.docx"]), left  # the Word report is whole or absent; no PDF half-written
    else:
        assert left == [], left
    assert _digest(inputs) == before
