"""Import cost of the ribbon entry module ``nianbao.addin.xl``.

Every click on the 「政务公开年报」 ribbon starts a new Python that runs
``import nianbao.addin.xl as m; m.<action>()`` (macros/NianbaoRibbon.bas), so this import
is paid on every click.  Target: at most 150 ms, measured with ``python -X importtime``
(the cumulative time of ``nianbao.addin.xl``, which includes the ``nianbao`` package).

Run: python benchmarks/bench_import.py [--runs N]
Prints the median of N fresh processes and the target; exit code 1 when over it.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

MODULE = "nianbao.addin.xl"
TARGET_MS = 150.0
HEAVY = ("xlwings", "openpyxl", "docxtpl", "docx", "lxml", "pyopenvba")


def measure() -> tuple[float, set[str]]:
    """(cumulative import time of MODULE in ms, heavy top-level packages it imported)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {MODULE}"],
                          capture_output=True, text=True, check=True)
    cumulative = None
    heavy = set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = [p.strip() for p in line[len("import time:"):].split("|")]
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        name = parts[2]
        if name == MODULE:
            cumulative = int(parts[1]) / 1000.0
        top = name.split(".")[0]
        if top in HEAVY:
            heavy.add(top)
    if cumulative is None:
        raise RuntimeError(f"{MODULE} not found in -X importtime output:\n{proc.stderr[-2000:]}")
    return cumulative, heavy


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    measure()  # warm the file system cache and .pyc files
    times, heavy = [], set()
    for _ in range(args.runs):
        ms, h = measure()
        times.append(ms)
        heavy |= h
    median = statistics.median(times)
    print(f"import {MODULE}: median {median:.1f} ms over {args.runs} runs "
          f"(min {min(times):.1f}, max {max(times):.1f}); target <= {TARGET_MS:.0f} ms -> "
          f"{'OK' if median <= TARGET_MS else 'OVER TARGET'}")
    print(f"heavy packages imported: {', '.join(sorted(heavy)) or 'none'}")
    return 0 if median <= TARGET_MS and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
