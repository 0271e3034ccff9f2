"""Whole-process cost of importing each real published PDF (tests/data/real/*.pdf).

Each run is a fresh ``python -m nianbao import FILE --json`` process: start, read the PDF
(text layer, ruling lines, tables), match it to report data, write the result.  Target: median at most
1 s per file on the project's machine.

Run: python benchmarks/bench_pdf_import.py [--runs N]
Prints each file's median over N runs; exit code 1 when one is over the target.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "real"
TARGET_S = 1.0


def once(pdf: Path, out: Path) -> float:
    t = time.perf_counter()
    with open(out, "wb") as fh:
        subprocess.run([sys.executable, "-m", "nianbao", "import", str(pdf), "--json"],
                       check=True, stdout=fh, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    over = False
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in sorted(REAL.glob("*.pdf")):
            out = Path(tmp) / (pdf.stem + ".json")
            once(pdf, out)  # warm caches
            times = [once(pdf, out) for _ in range(args.runs)]
            med = statistics.median(times)
            over |= med > TARGET_S
            print(f"{pdf.name}: median {med:.2f} s over {args.runs} runs (min {min(times):.2f}, "
                  f"max {max(times):.2f}); target <= {TARGET_S:.1f} s -> {'OK' if med <= TARGET_S else 'OVER'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
