"""The no-overwrite rule under concurrency, and the mode and kind of what is written.

Several processes write one output at the same moment (released together by a barrier, after the
output was checked free by each): exactly one writes it, every other one refuses with exit 2 and a
Chinese message, nothing temporary is left, and the file is the winner's whole workbook.
"""
from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path

import openpyxl
import pytest

from nianbao import cli, files
from nianbao.errors import InputError

WRITERS = 8


def _writer(argv: list[str], barrier, results, err_dir: str) -> None:
    """A child: wait for the others, then run the command line with its output in a file."""
    import sys
    sys.stdout = sys.stderr = open(os.path.join(err_dir, f"{os.getpid()}.txt"), "w", encoding="utf-8")
    barrier.wait()
    try:
        rc = cli.main(argv)
    except SystemExit as e:
        rc = e.code
    sys.stdout.flush()
    results.put(rc)


def _race(argv_of, n: int, tmp_path: Path) -> tuple[list[int], list[str]]:
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(n), ctx.Queue()
    errs = tmp_path / "err"
    errs.mkdir()
    procs = [ctx.Process(target=_writer, args=(argv_of(i), barrier, results, str(errs))) for i in range(n)]
    for p in procs:
        p.start()
    codes = [results.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(60)
    return sorted(codes), [f.read_text("utf-8", "replace") for f in errs.iterdir()]


def test_eight_new_workbooks_to_one_name_at_once_only_one_is_written(tmp_path):
    out = tmp_path / "同一个.xlsx"
    codes, texts = _race(lambda i: ["new", "--agency", f"机关{i}", "--year", "2022", "-o", str(out)], WRITERS, tmp_path)
    assert codes == [0] + [2] * (WRITERS - 1), texts
    refused = [t for t in texts if "已存在" in t]
    assert len(refused) == WRITERS - 1 and all("无法处理" in t and "Traceback" not in t for t in refused), texts
    # The one file is a whole workbook of the one writer that said so; nothing temporary is left.
    winner = next(t for t in texts if "已新建" in t)
    agency = openpyxl.load_workbook(out)["基本信息"]
    assert any(f"机关{i}" == c.value for row in agency.iter_rows() for c in row for i in range(WRITERS))
    assert "已新建" in winner
    assert [p.name for p in tmp_path.iterdir() if p.name != "err"] == [out.name]


def test_the_writer_itself_never_replaces_a_file_it_was_not_told_to(tmp_path):
    """The mechanism, without the command line: the writer links its file into place."""
    ctx = multiprocessing.get_context("fork")
    target = tmp_path / "x.json"
    barrier, results = ctx.Barrier(WRITERS), ctx.Queue()

    def write(i):
        barrier.wait()
        try:
            files.atomic_write(target, f"writer {i}")
            results.put((i, "ok"))
        except InputError as e:
            results.put((i, str(e)))

    procs = [ctx.Process(target=write, args=(i,)) for i in range(WRITERS)]
    for p in procs:
        p.start()
    got = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
    winners = [i for i, r in got if r == "ok"]
    assert len(winners) == 1, got
    assert target.read_text() == f"writer {winners[0]}"
    assert all("已存在" in r for _, r in got if r != "ok")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_get_the_users_usual_mode(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        out = tmp_path / "新.xlsx"
        assert cli.main(["new", "--year", "2022", "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == mode
    finally:
        os.umask(old)


def test_a_replaced_file_keeps_no_more_than_its_own_permissions(tmp_path):
    out = tmp_path / "私有.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o600)
    assert cli.main(["new", "--year", "2022", "-o", str(out), "--force"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_bytes()[:2] == b"PK"


def test_a_link_to_a_regular_file_is_written_through_with_force(tmp_path, capsys):
    real = tmp_path / "真实.xlsx"
    real.write_bytes(b"old")
    link = tmp_path / "链接.xlsx"
    link.symlink_to(real.name)
    assert cli.main(["new", "--year", "2022", "-o", str(link)]) == 2
    assert "已存在" in capsys.readouterr().err and real.read_bytes() == b"old"
    assert cli.main(["new", "--year", "2022", "-o", str(link), "--force"]) == 0
    assert link.is_symlink() and real.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("target", ["/dev/null", "/dev/full"])
def test_a_link_to_a_device_is_refused_even_with_force(tmp_path, capsys, target):
    link = tmp_path / "设备.xlsx"
    link.symlink_to(target)
    assert cli.main(["new", "--year", "2022", "-o", str(link), "--force"]) == 2
    err = capsys.readouterr().err
    assert "不是普通文件" in err and "设备文件" in err
    assert link.is_symlink() and os.readlink(link) == target
    assert [p.name for p in tmp_path.iterdir()] == [link.name]


def test_a_dangling_link_is_named_as_such(tmp_path, capsys):
    link = tmp_path / "悬空.xlsx"
    link.symlink_to("不存在.xlsx")
    for force in ([], ["--force"]):
        assert cli.main(["new", "--year", "2022", "-o", str(link), *force]) == 2
        err = capsys.readouterr().err
        assert "不存在.xlsx" in err and "符号链接" in err and "只读" not in err
    assert not (tmp_path / "不存在.xlsx").exists()
