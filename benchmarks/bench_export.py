"""Whole-process time of `nianbao export` on the demo report (the seed).

Target: median at most 1.0 s on a 2-core machine, for a fresh process that reads the demo
workbook (or the demo JSON where the workbook cannot be read), runs the rules, renders the
Word report and writes it.  With ``--figure`` (the 一图读懂 PNG and SVG drawn as well): at most 2.0 s.
``--html`` adds the web page to the plain export (no target of its own: it is measured against 1.0 s).

Run: python benchmarks/bench_export.py [--runs N] [--json] [--figure] [--html]
Prints the median of N runs and the target; exit code 1 when over it.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.0
FIGURE_TARGET_S = 2.0


def command() -> list[str]:
    script = Path(sys.executable).with_name("nianbao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nianbao"]


def demo_input(workdir: Path, use_json: bool) -> Path:
    """The demo workbook written by `nianbao demo`, or the demo JSON."""
    if not use_json:
        subprocess.run([*command(), "demo", "-o", str(workdir / "demo")], capture_output=True, check=True)
        books = sorted((workdir / "demo").glob("*.xlsx"))
        if books:
            probe = subprocess.run([*command(), "check", str(books[0])], capture_output=True)
            if probe.returncode in (0, 1):  # readable (errors or not)
                return books[0]
    from nianbao import examples
    path = workdir / "seed.json"
    path.write_bytes(examples.path("seed").read_bytes())
    return path


def run_once(src: Path, out: Path, extra: tuple[str, ...] = ()) -> float:
    start = time.perf_counter()
    proc = subprocess.run([*command(), "export", str(src), "-o", str(out), *extra], capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace"))
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="use the demo JSON instead of the demo workbook")
    ap.add_argument("--figure", action="store_true", help="export the 一图读懂 picture too (target 2.0 s)")
    ap.add_argument("--html", action="store_true", help="export the web page too")
    args = ap.parse_args()
    extra = tuple(flag for flag, on in (("--figure", args.figure), ("--html", args.html)) if on)
    target = FIGURE_TARGET_S if args.figure else TARGET_S
    workdir = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        src = demo_input(workdir, args.json)
        run_once(src, workdir / "warm.docx", extra)  # warm the file system cache and .pyc files
        times = [run_once(src, workdir / f"out{i}.docx", extra) for i in range(args.runs)]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    median = statistics.median(times)
    print(f"nianbao export {src.name} {' '.join(extra)}: median {median:.3f} s over {args.runs} runs "
          f"(min {min(times):.3f}, max {max(times):.3f}); target <= {target:.1f} s -> "
          f"{'OK' if median <= target else 'OVER TARGET'}")
    return 0 if median <= target else 1


if __name__ == "__main__":
    sys.exit(main())
