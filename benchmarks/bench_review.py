"""Whole-process time and peak memory of `nianbao review` on generated batches of units.

Two kinds of batch of N units (consistent random reports, newest format, each with its own narrative):
- fresh: workbooks written by `nianbao new --from UNIT.json` (openpyxl: no cached formula results);
- cached: the same workbooks saved by LibreOffice (every formula's result stored, as Excel/WPS save them).

Targets (2-core machine): 1,000 cached units in at most 10 s (goal 5 s), 1,000 fresh units in at most 40 s.
Peak memory is the largest resident set of the review's processes (the main one or a worker).  The
output also gives the CPU seconds of all the review's processes and the machine's load average when the run
started: on a shared machine the wall time depends on the others' work, the CPU time much less.

Run: python benchmarks/bench_review.py [--sizes 100,1000,5000] [--distinct 1000] [--workdir DIR] [--json]
Generated batches are kept in --workdir (default: a folder in the temp directory) and reused.  A size
above --distinct is made of the --distinct batch repeated (hard links in sub-folders): the files are read
and checked like any others, but they are then two or more files of one unit (状态 重复); the output says
so ("distinct").  Writing and saving 5,000 distinct workbooks through LibreOffice takes hours here.
Exit code 1 when a 1,000-unit batch is over its target.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

TARGETS = {("cached", 1000): 10.0, ("fresh", 1000): 40.0}
GOALS = {("cached", 1000): 5.0}



def _format_and_year() -> tuple[str, int]:
    """The newest registered format and a year it covers."""
    from nianbao import formats
    fmt = formats.get(formats.ids()[-1])
    return fmt.id, fmt.last_year or fmt.first_year + 3


def command() -> list[str]:
    script = Path(sys.executable).with_name("nianbao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nianbao"]


def _make(args: tuple[int, str]) -> None:
    i, folder = args
    import review_units as ru
    from nianbao import cli
    from nianbao.model import save_json
    rng = random.Random(i)
    src = Path(folder) / "json" / f"unit{i:05d}.json"
    out = Path(folder) / "fresh" / f"unit{i:05d}.xlsx"
    if out.exists():
        return
    fid, year = _format_and_year()
    rep = ru.unit_report(rng, fid, year, f"第{i}县人民政府办公室")
    save_json(rep, src)
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(["new", "--from", str(src), "-o", str(out)])
    if code != 0:
        raise RuntimeError(f"nianbao new failed for {src}")


def repeated(workdir: Path, n: int, distinct: int) -> tuple[Path, Path]:
    """A batch of ``n`` files made of the ``distinct`` batch repeated."""
    base_fresh, base_cached = generate(workdir, distinct)
    folder = workdir / f"n{n}-of-{distinct}"
    for kind, base in (("fresh", base_fresh), ("cached", base_cached)):
        files = sorted(base.glob("*.xlsx"))
        for k in range(-(-n // distinct)):
            sub = folder / kind / f"copy{k}"
            sub.mkdir(parents=True, exist_ok=True)
            for f in files[: max(0, min(distinct, n - k * distinct))]:
                target = sub / f.name
                if not target.exists():
                    os.link(f, target)
    return folder / "fresh", folder / "cached"


def generate(workdir: Path, n: int) -> tuple[Path, Path]:
    folder = workdir / f"n{n}"
    for sub in ("json", "fresh", "cached"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(_make, [(i, str(folder)) for i in range(n)], chunksize=16))
    from nianbao import office
    todo = [p for p in sorted((folder / "fresh").glob("*.xlsx")) if not (folder / "cached" / p.name).exists()]
    for k in range(0, len(todo), 200):
        office.convert_many(todo[k:k + 200], "xlsx", folder / "cached", timeout=3600, recalc=False)
    return folder / "fresh", folder / "cached"


_MEASURE = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
            "e = time.perf_counter() - t\n"
            "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "print(e, u.ru_maxrss, p.returncode, u.ru_utime + u.ru_stime)\n"
            "sys.stderr.write(p.stderr.decode('utf-8', 'replace')[-400:] if p.returncode not in (0, 1) else '')\n")


def measure(folder: Path, out: Path) -> dict:
    """One fresh process reviewing the folder: seconds, peak resident MB, exit code."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cmd = [sys.executable, "-c", _MEASURE, *command(), "review", str(folder), "-o", str(out), "--force"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(proc.stderr)
    seconds, rss_kb, code, cpu = proc.stdout.split()
    if int(code) not in (0, 1):
        raise RuntimeError(proc.stderr)
    return {"seconds": round(float(seconds), 2), "cpu_seconds": round(float(cpu), 2),
            "peak_mb": round(int(rss_kb) / 1024, 1), "exit": int(code), "load_before": load}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000", help="batch sizes, comma separated (e.g. 100,1000,5000)")
    ap.add_argument("--distinct", type=int, default=1000, help="largest batch of distinct units to generate")
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "nianbao-bench-review"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    workdir = Path(args.workdir)
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        t = time.perf_counter()
        fresh, cached = generate(workdir, n) if n <= args.distinct else repeated(workdir, n, args.distinct)
        print(f"[{n}] batches ready in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        for kind, folder in (("cached", cached), ("fresh", fresh)):
            r = measure(folder, workdir / f"review-{kind}-{n}.xlsx")
            r.update(units=n, distinct=min(n, args.distinct), kind=kind, target=TARGETS.get((kind, n)),
                     goal=GOALS.get((kind, n)))
            results.append(r)
            print(f"{kind:6} {n:5} files ({r['distinct']} distinct units): {r['seconds']:7.2f} s "
                  f"(CPU {r['cpu_seconds']:.1f} s, load {r['load_before']:.1f}), peak {r['peak_mb']:6.1f} MB"
                  + (f" (target {r['target']} s)" if r["target"] else ""), file=sys.stderr)
    info = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
            "system": platform.system(), "results": results}
    try:
        import python_calamine  # noqa: F401
        info["calamine"] = True
    except ImportError:
        info["calamine"] = False
    if args.json:
        print(json.dumps(info, indent=2))
    over = [r for r in results if r["target"] and r["seconds"] > r["target"]]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
