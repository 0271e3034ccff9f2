"""The review of a batch: collect the files, read them on every core, then what only the batch shows —
duplicates, units in the wrong format or year, copied narratives between units, units missing against last
year, the summed tables, and a parent report against the sum of its units.

``run`` is pure apart from reading the input files: it returns a ``Review``; the workbook, Word and JSON
faces (``review.book``, ``review.summary``, ``Review.to_json``) render it.
"""
from __future__ import annotations

import errno
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .. import formats, loading, rules
from ..errors import InputError
from ..findings import Finding
from ..formats.base import TEXT, ReportFormat
from ..model import Report, empty_report
from ..source import Source
from . import checks, metrics
from .units import Identity, Unit, identify, read_unit

# Statuses of a unit, worst first (the order of 总览).
UNREADABLE, WRONG_FORMAT, DUPLICATE, COPIED, HAS_ERRORS, PASSED = "无法读取", "格式不符", "重复", "雷同", "有错误", "通过"
STATUSES = (UNREADABLE, WRONG_FORMAT, DUPLICATE, COPIED, HAS_ERRORS, PASSED)

# Narratives: a sentence standing in more units than this share of the batch is common wording, not copying.
COMMON_SHARE = 0.1
COPY_THRESHOLD = 0.5
MIN_COPIED_CHARS = 40

Progress = Callable[[int, int, str], None]


def accepted_suffixes() -> tuple[str, ...]:
    from .. import importers
    return loading.JSON_SUFFIXES + loading.WORKBOOK_SUFFIXES + tuple(getattr(importers, "SUFFIXES", ()))


def _skipped(p: Path) -> bool:
    """Office lock files, our own temporary files and hidden files."""
    return p.name.startswith(("~$", ".~", "."))


def collect(inputs: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> list[str]:
    """The files named, and the accepted files under the folders named (recursively), sorted, each once.

    A file named explicitly is kept whatever it is (it becomes a row 无法读取 if it cannot be read); a
    name that is a symlink loop is an InputError.  A file is listed under the name it was found by (a
    link inside a folder under the link's name, not its target's); two names of one file count once.
    """
    suffixes = accepted_suffixes()
    skip = {_identity(Path(e)) for e in exclude}
    out: dict[object, Path] = {}
    for item in inputs:
        p = Path(item)
        try:
            os.stat(p)
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise InputError("无法读取（路径中的符号链接形成了循环）", path=str(item)) from None
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in suffixes and not _skipped(f) \
                        and not any(_skipped(parent) for parent in f.relative_to(p).parents if parent.name):
                    out.setdefault(_identity(f), f.absolute())
        else:
            out.setdefault(_identity(p), p.absolute() if p.exists() else p)
    return [str(p) for key, p in out.items() if key not in skip]


def _identity(p: Path) -> object:
    """What makes two names one file: its device and inode, else its absolute path."""
    try:
        st = os.stat(p)
        return (st.st_dev, st.st_ino)
    except OSError:
        return os.path.normcase(os.path.abspath(p))


@dataclass
class Summed:
    """The three tables summed over the units of one format and year."""

    format: str
    year: int
    units: int = 0
    values: dict = field(default_factory=dict)

    def add(self, values: dict) -> None:
        self.units += 1
        for k, v in values.items():
            self.values[k] = self.values.get(k, 0) + v

    def report(self, agency: str = "") -> Report:
        """The sum as a report (text cells stay blank: they cannot be summed)."""
        rep = empty_report(self.format, self.year, agency=agency)
        fmt = rep.fmt
        for f in fmt.fields():
            if f.kind != TEXT:
                v = self.values.get(f.key, 0)
                rep.set(f.key, round(v, 4) if isinstance(v, float) else v)
        return rep


@dataclass
class Review:
    units: list[Unit]
    year: int | None
    format: str | None
    summed: Summed | None
    summed_findings: tuple[Finding, ...] = ()
    missing: list[Identity] = field(default_factory=list)        # last year's units absent this year
    unmatched: list[Unit] = field(default_factory=list)          # this year's units with no last-year file
    previous_dir: str | None = None
    previous_unreadable: list[Identity] = field(default_factory=list)
    copies: list[tuple[Unit, Unit, float, float]] = field(default_factory=list)
    parent: Unit | None = None
    parent_differences: list[Finding] = field(default_factory=list)

    @property
    def fmt(self) -> ReportFormat | None:
        return formats.get(self.format) if self.format else None

    @property
    def readable(self) -> int:
        return sum(1 for u in self.units if u.readable)

    def by_status(self) -> Counter:
        return Counter(u.status for u in self.units)

    @property
    def has_errors(self) -> bool:
        return any(u.errors or not u.readable for u in self.units) or bool(self.parent and self.parent.errors)

    def total_metrics(self) -> dict:
        if self.summed is None:
            return {}
        values = self.summed.values
        return metrics.compute(self.fmt, lambda k: values.get(k, 0))

    def shown_path(self, path: str) -> str:
        """A unit's file as shown in the review: relative to the folder all the files are under."""
        base = self.base()
        try:
            return str(Path(path).relative_to(base)) if base else path
        except ValueError:
            return path

    def base(self) -> str:
        if "_base" not in self.__dict__:
            paths = [str(Path(u.path).parent) for u in self.units]
            try:
                self.__dict__["_base"] = os.path.commonpath(paths) if paths else ""
            except ValueError:  # different drives
                self.__dict__["_base"] = ""
        return self.__dict__["_base"]

    def ordered(self) -> list[Unit]:
        """Worst first: by status, then most errors, then name."""
        rank = {s: i for i, s in enumerate(STATUSES)}
        return sorted(self.units, key=lambda u: (rank.get(u.status, 0), -u.errors, -u.warnings, u.name, u.path))


def _pool_map(fn, items: list, jobs: int, progress: Progress | None, what: str):
    """``fn`` over ``items`` on ``jobs`` processes, in order, reporting progress; one process when small."""
    n = len(items)
    if jobs <= 1 or n < 4:
        for i, item in enumerate(items, 1):
            out = fn(item)
            if progress:
                progress(i, n, what)
            yield out
        return
    import multiprocessing
    chunk = max(1, min(16, n // (jobs * 8)))
    with multiprocessing.get_context(_start_method()).Pool(jobs, initializer=_worker_signals) as pool:
        for i, out in enumerate(pool.imap(fn, items, chunksize=chunk), 1):
            if progress:
                progress(i, n, what)
            yield out


def _worker_signals() -> None:
    """A worker leaves Ctrl-C to the main process (which ends the pool) and ends quietly on SIGTERM, through
    its clean-up (a LibreOffice conversion in progress is stopped, its temporary folder removed)."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stop)


def _start_method() -> str:
    import multiprocessing
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix" else "spawn"


class _Reader:
    """A picklable callable for the pool: one unit with the previous-year index."""

    def __init__(self, index: dict | None, fast: bool):
        self.index, self.fast = index, fast

    def __call__(self, path: str) -> Unit:
        try:
            return read_unit(path, self.index, self.fast)
        except MemoryError:
            return Unit(path, error="文件过大，内存不足，无法读取")
        except Exception as e:  # a fault while reading one file must not stop the batch
            return Unit(path, error=f"读取时发生意外错误（{type(e).__name__}），请用 nianbao check 单独检查此文件")


class _Identifier:
    def __init__(self, fast: bool):
        self.fast = fast

    def __call__(self, path: str) -> Identity:
        try:
            return identify(path, self.fast)
        except Exception as e:
            return Identity(path, "", "", None, f"读取时发生意外错误（{type(e).__name__}）")


def run(inputs: Iterable[str | os.PathLike], *, previous_dir: str | os.PathLike | None = None,
        parent: str | os.PathLike | None = None, jobs: int | None = None, fast: bool = True,
        progress: Progress | None = None, exclude: Iterable[str | os.PathLike] = ()) -> Review:
    """Review every report under ``inputs``. Raises InputError only when there is nothing to review."""
    paths = collect(inputs, exclude)
    if not paths:
        raise InputError(f"没有找到可审核的报告文件（{loading.accepted_text()}）")
    jobs = jobs or os.cpu_count() or 1
    index = None
    identities: list[Identity] = []
    if previous_dir is not None:
        if not Path(previous_dir).is_dir():
            raise InputError("上年报告文件夹不存在或不是文件夹", path=str(previous_dir))
        prev_paths = collect([previous_dir], exclude)
        identities = list(_pool_map(_Identifier(fast), prev_paths, jobs, progress, "读取上年报告"))
        index = {}
        for ident in identities:
            if ident.error is None and ident.key:
                index.setdefault(ident.key, ident.path)
    units: list[Unit] = []
    sums: dict[tuple[str, int], Summed] = {}
    firsts: dict[tuple[str, int], Unit] = {}
    for unit in _pool_map(_Reader(index, fast), paths, jobs, progress, "读取"):
        if unit.readable and unit.values is not None:
            ident = (unit.key or unit.path, unit.year)
            if ident not in firsts:  # a second file of the same unit is not summed twice
                firsts[ident] = unit
                sums.setdefault((unit.format, unit.year), Summed(unit.format, unit.year)).add(unit.values)
        unit.values = None
        units.append(unit)
    review = _judge(units, sums)
    if previous_dir is not None:
        review.previous_dir = str(previous_dir)
        _against_last_year(review, identities)
    if parent is not None:
        _parent(review, str(parent), fast)
    return review


def _judge(units: list[Unit], sums: dict[tuple[str, int], Summed]) -> Review:
    readable = [u for u in units if u.readable]
    year = Counter(u.year for u in readable).most_common(1)[0][0] if readable else None
    fid = formats.id_for_year(year) if year is not None else None
    summed = sums.get((fid, year)) if year is not None else None
    if summed is None and year is not None:
        summed = Summed(fid, year)
    review = Review(units, year, fid, summed)
    extra: dict[int, list[Finding]] = defaultdict(list)
    # Same unit, several files.
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        if u.readable and u.key:
            groups[(u.key, u.year)].append(i)
    for members in groups.values():
        if len(members) > 1:
            for i in members:
                others = [units[j] for j in members if j != i]
                first = units[members[0]]
                extra[i].append(checks.duplicate(units[i], others, counted=first))
    # Wrong year or format for the batch.
    for i, u in enumerate(units):
        if u.readable and year is not None and (u.year != year or u.format != fid):
            extra[i].append(checks.wrong_format(u, year, fid))
    # Copied narratives between units.
    review.copies = copied_pairs(units)
    for a, b, ra, rb in review.copies:
        ia, ib = units.index(a), units.index(b)
        extra[ia].append(checks.copied(a, b, ra))
        extra[ib].append(checks.copied(b, a, rb))
    for i, found in extra.items():
        units[i].findings = _ordered(list(units[i].findings) + found)
    for i, u in enumerate(units):
        u.status = _status(u, i in extra and any(f.rule == checks.DUPLICATE for f in extra[i]))
    if summed is not None and summed.units:
        # Only errors: the sum has no narrative and no text cells, so the warnings would say nothing.
        review.summed_findings = tuple(f for f in rules.check(summed.report("汇总"), None) if f.is_error)
    return review


def _ordered(findings: list[Finding]) -> tuple[Finding, ...]:
    order = {**rules.ORDER, **{r: len(rules.ORDER) + i for i, r in enumerate(checks.RULES)}}
    return tuple(sorted(findings, key=lambda f: (not f.is_error, order.get(f.rule, 99))))


def _status(u: Unit, duplicate: bool) -> str:
    if not u.readable:
        return UNREADABLE
    if any(f.rule in ("S-1", checks.WRONG_FORMAT) for f in u.findings):
        return WRONG_FORMAT
    if duplicate:
        return DUPLICATE
    if any(f.rule == checks.COPIED for f in u.findings):
        return COPIED
    if u.errors:
        return HAS_ERRORS
    return PASSED


def copied_pairs(units: list[Unit]) -> list[tuple[Unit, Unit, float, float]]:
    """Pairs of units (other units, not two files of one) whose narratives are mostly the same sentences:
    (a, b, share of a's text found in b, share of b's text found in a), either share above the threshold."""
    readable = [u for u in units if u.readable and u.sentences]
    holders: dict[int, list[int]] = defaultdict(list)
    for i, u in enumerate(readable):
        for fp, _ in u.sentences:
            holders[fp].append(i)
    common = max(2, int(len(readable) * COMMON_SHARE))
    shared: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for i, u in enumerate(readable):
        for fp, length in u.sentences:
            owners = holders[fp]
            if len(owners) > common:
                continue
            for j in owners:
                if j != i:
                    a, b = (i, j) if i < j else (j, i)
                    shared[(a, b)][0 if i == a else 1] += length
    out = []
    for (a, b), (in_a, in_b) in shared.items():
        ua, ub = readable[a], readable[b]
        if ua.key and ua.key == ub.key:
            continue
        ta, tb = sum(n for _, n in ua.sentences), sum(n for _, n in ub.sentences)
        ra, rb = in_a / ta, in_b / tb
        if max(ra, rb) > COPY_THRESHOLD and max(in_a, in_b) >= MIN_COPIED_CHARS:
            out.append((ua, ub, ra, rb))
    return sorted(out, key=lambda t: -max(t[2], t[3]))


def _against_last_year(review: Review, identities: list[Identity]) -> None:
    this = {u.key for u in review.units if u.readable and u.key}
    seen: set[str] = set()
    for ident in identities:
        if ident.error is not None:
            review.previous_unreadable.append(ident)
        elif ident.key and ident.key not in this and ident.key not in seen:
            seen.add(ident.key)
            review.missing.append(ident)
    review.unmatched = [u for u in review.units if u.readable and u.previous is None]


def _parent(review: Review, path: str, fast: bool) -> None:
    """The 本级政府's own report against the sum of its units: its own findings, and a warning per cell
    that differs from the sum."""
    unit = _Reader(None, fast)(path)
    unit.values = None
    unit.status = _status(unit, False)
    review.parent = unit
    if not unit.readable or review.summed is None:
        return
    try:
        source = parent_source(path, fast)
    except InputError:
        return
    review.parent_differences = checks.parent_differences(source, review.summed)
    unit.findings = _ordered(list(unit.findings) + review.parent_differences)
    unit.status = _status(unit, False)


def parent_source(path: str, fast: bool = True) -> Source:
    from .units import load
    return load(path, fast)[0]
