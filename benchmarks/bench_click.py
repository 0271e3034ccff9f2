"""Cost of a ribbon 校验 click: the Python that runs after the interpreter has started.

A click starts a new Python that runs ``import nianbao.addin.xl as m; m.check()``
(macros/NianbaoRibbon.bas).  This benchmark runs exactly that in fresh processes, over a real
workbook (the seed report with a planted mistake) shown through a stand-in for Excel: the values
of every sheet as Excel returns them, colours, protection and the message box, all in plain
Python (the stand-in imports nothing heavy, so what the click imports is what the add-in imports).
It reports the CPU time of that process from before the import to after the check (median of N
runs; CPU time, so that other work on a busy machine does not distort it), and the heavy packages
the click imported.  Target: at most 100 ms, and none of the heavy packages (openpyxl is needed
only where a file is read or written, never on the ribbon's check).

Run: python benchmarks/bench_click.py [--runs N]
Exit code 1 when over the target or when a heavy package was imported.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_MS = 100.0
HEAVY = ("openpyxl", "docxtpl", "docx", "lxml", "pyopenvba", "PIL")  # PIL: only the 一图读懂 button draws

# The child process: a stand-in Excel book over pickled grids, a stand-in xlwings, then the click.
CHILD = r'''
import json, pickle, sys, time, types
from pathlib import Path

data = pickle.loads(Path(sys.argv[1]).read_bytes())


def _cell(addr):
    letters = "".join(ch for ch in addr if ch.isalpha())
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return int(addr[len(letters):]), n


class Api:
    OPTIONS = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
               "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
               "AllowSorting", "AllowFiltering", "AllowUsingPivotTables")

    def __init__(self):
        self.ProtectContents = self.ProtectDrawingObjects = self.ProtectScenarios = True
        self.ProtectionMode = False
        self.Protection = types.SimpleNamespace(**{k: k == "AllowFormattingColumns" for k in self.OPTIONS})
        self.EntireColumn = types.SimpleNamespace()

    def Unprotect(self, password):
        self.ProtectContents = self.ProtectDrawingObjects = self.ProtectScenarios = False

    def Protect(self, **kw):
        self.ProtectContents = True


class Range:
    def __init__(self, sheet, first, last=None, address=None):
        self.sheet, self.first, self.last, self.address = sheet, first, last or first, address
        self.api = Api()
        self.column_width = None

    def options(self, **kw):
        return self

    @property
    def row(self):
        return self.first[0]

    @property
    def column(self):
        return self.first[1]

    @property
    def last_cell(self):
        return Range(self.sheet, self.last)

    @property
    def value(self):
        (r0, c0), (r1, c1) = self.first, self.last
        return [[self.sheet.cells.get((r, c)) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]

    @value.setter
    def value(self, block):
        r0, c0 = self.first
        for i, row in enumerate(block):
            for j, v in enumerate(row):
                self.sheet.cells[(r0 + i, c0 + j)] = v

    @property
    def color(self):
        return self.sheet.colors.get(self.first)

    @color.setter
    def color(self, rgb):
        for a in self.address.split(","):
            self.sheet.colors[_cell(a)] = rgb


class Sheet:
    def __init__(self, name, grid):
        self.name = name
        self.cells = {(r + 1, c + 1): v for r, line in enumerate(grid) for c, v in enumerate(line or [])
                      if v is not None}
        self.colors = {}
        self.api = Api()

    @property
    def used_range(self):
        rows = max((r for r, _ in self.cells), default=1)
        cols = max((c for _, c in self.cells), default=1)
        return Range(self, (1, 1), (rows, cols))

    def range(self, a, b=None):
        if b is not None:
            return Range(self, a, b)
        if ":" in a and a.split(":")[0].isalpha():
            return Range(self, (1, 1), address=a)
        first = a.split(",")[0]
        return Range(self, _cell(first), address=a)

    def clear_contents(self):
        self.cells.clear()


class Sheets(list):
    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return list.__getitem__(self, key)

    def add(self, name, after=None):
        sheet = Sheet(name, [])
        sheet.api.ProtectContents = sheet.api.ProtectDrawingObjects = sheet.api.ProtectScenarios = False
        self.append(sheet)
        return sheet


book = types.SimpleNamespace(fullname=data["path"], sheets=Sheets(Sheet(n, g) for n, g in data["grids"].items()))
alerts = []
book.app = types.SimpleNamespace(alert=lambda text, title=None: alerts.append(text),
                                 books=types.SimpleNamespace(open=lambda p: None))
book.api = types.SimpleNamespace(ProtectStructure=False)
xlwings = types.ModuleType("xlwings")
xlwings.Book = types.SimpleNamespace(caller=lambda: book)
xlwings.func = lambda **kw: (lambda f: f)
xlwings.arg = lambda *a, **kw: (lambda f: f)
sys.modules["xlwings"] = xlwings
before = set(sys.modules)

t0 = time.process_time()
import nianbao.addin.xl as m
m.check()
t1 = time.process_time()

imported = sorted({name.split(".")[0] for name in set(sys.modules) - before})
print(json.dumps({"ms": (t1 - t0) * 1000, "imported": imported, "alerts": alerts}))
'''


def prepare(folder: Path) -> Path:
    """The seed's workbook with a wrong total, its sheets' values as Excel shows them, pickled."""
    import openpyxl

    from nianbao import examples, workbook
    from nianbao.addin.file_access import XlsxAccess
    book = folder / "年报.xlsx"
    report = examples.load("seed")
    workbook.write(report, book)
    sheet, addr = workbook.address(report.format, "requests.results_total.natural").split("!")
    wb = openpyxl.load_workbook(book)
    wb[sheet][addr] = 99
    wb.save(book)
    grids = XlsxAccess(book).read_grids()
    out = folder / "grids.pickle"
    out.write_bytes(pickle.dumps({"path": str(book), "grids": grids}))
    return out


def click(data: Path) -> dict:
    # Compiled modules are cached as an installed package has them (in a private folder, so that
    # nothing is written into the source tree), even where PYTHONDONTWRITEBYTECODE is set.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(data.parent / "pycache")
    proc = subprocess.run([sys.executable, "-c", CHILD, str(data)], capture_output=True, text=True, check=True,
                          env=env)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        data = prepare(Path(tmp))
        first = click(data)  # warms the file system cache and .pyc files
        if not first["alerts"] or "错误" not in first["alerts"][0]:
            print(f"the click did not report the planted mistake: {first['alerts']}")
            return 1
        runs = [click(data) for _ in range(args.runs)]
    times = [r["ms"] for r in runs]
    heavy = sorted({name for r in runs for name in r["imported"] if name in HEAVY})
    median = statistics.median(times)
    print(f"ribbon 校验 click (import nianbao.addin.xl + check): median {median:.1f} ms over {args.runs} runs "
          f"(min {min(times):.1f}, max {max(times):.1f}); target <= {TARGET_MS:.0f} ms -> "
          f"{'OK' if median <= TARGET_MS else 'OVER TARGET'}")
    print(f"heavy packages imported: {', '.join(heavy) or 'none'}")
    return 0 if median <= TARGET_MS and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
