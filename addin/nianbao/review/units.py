"""Reading one unit's file for the review (runs in worker processes): the report, its verdict, and the
few things the review keeps of it — findings, metrics, numbers to sum, the fingerprint of its narrative.

Nothing here keeps a whole report: what returns to the parent process is small, so memory stays flat in
the number of units.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import loading
from .. import source as kinds
from ..bound import unbound_text
from ..errors import InputError
from ..findings import Finding
from ..formats.base import TEXT
from ..model import as_number
from ..source import Source
from . import metrics
from .names import normalize

# Readers: cached values (calamine), the sheets' XML directly (lxml), the full reader (openpyxl).
FAST, PARTS, FULL = "缓存值", "直接读取", "完整读取"


@dataclass
class Unit:
    """One file of the batch, as the review sees it."""

    path: str
    agency: str = ""
    key: str = ""            # normalised agency name (names.normalize)
    level: str | None = None
    year: int | None = None
    format: str | None = None
    kind: str | None = None
    reader: str = ""
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None           # why the file could not be read
    previous: str | None = None        # last year's file the cross-year rules used
    values: dict | None = None         # key → number, for the sum (dropped once summed)
    metrics: dict = field(default_factory=dict)
    sentences: tuple[tuple[int, int], ...] = ()  # narrative sentences as (fingerprint, length)
    status: str = ""

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)

    @property
    def name(self) -> str:
        return self.agency or Path(self.path).stem


@dataclass(frozen=True)
class Identity:
    """What the previous-year index keeps of a file."""

    path: str
    agency: str
    key: str
    year: int | None
    error: str | None = None


def load(path: str, fast: bool = True) -> tuple[Source, str]:
    """The file's report and which reader gave it: for a workbook the fast readers first (cached values,
    then the sheets' XML), the full reader for what they do not handle; the report is the same."""
    if fast and Path(path).suffix.lower() in loading.WORKBOOK_SUFFIXES:
        from ..workbook import cached
        readers = ((FAST, cached.read_cached),) if cached.available() else ()
        for name, reader in readers + ((PARTS, cached.read_parts),):
            try:
                got = reader(path)
            except cached.LimitError:
                raise
            except InputError:
                break  # the full reader gives the message (or reads what these could not)
            if got is not None:
                report, locate = got
                return Source(report, path, kinds.WORKBOOK, locate), name
    return loading.load(path), FULL


def numbers(report) -> dict:
    """A report's values as the sum counts them: every non-text cell as a number (blank and unusable 0),
    as ``Report.number`` reads each (one pass over the tables)."""
    out = {}
    tables = report.tables
    for f in report.fmt.fields():
        if f.kind != TEXT:
            value = tables.get(f.table, {}).get(f.row, {}).get(f.column)
            out[f.key] = 0 if value is None else (as_number(value, f.kind)[0] or 0)
    return out


def fingerprint(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def read_unit(path: str, previous_index: dict[str, str] | None, fast: bool = True) -> Unit:
    """Read and assess one file; an unusable file gives a unit with ``error`` set (never raises for it)."""
    from ..rules.narrative import sentences
    unit = Unit(path)
    try:
        source, unit.reader = load(path, fast)
    except InputError as e:
        unit.error = e.detail
        return unit
    report = source.report
    unit.agency, unit.level, unit.year, unit.format, unit.kind = (report.agency.strip(), report.level, report.year,
                                                                   report.format, source.kind)
    unit.key = normalize(report.agency)
    notes: list[str] = []
    previous: Source | None = None
    if previous_index is not None:
        prev_path = previous_index.get(unit.key)
        if prev_path:
            try:
                previous, _ = load(prev_path, fast)
            except InputError as e:
                notes.append(f"上年报告无法使用，本次未做与上年的衔接校验：{e}")
    try:
        if previous_index is not None:
            verdict = loading.assess(source, previous=previous) if previous is not None else _assess_alone(source)
        else:
            verdict = loading.assess(source)
    except InputError as e:  # last year's file recorded in the report is unusable in a way assess refuses
        notes.append(str(e))
        verdict = _assess_alone(source)
    unit.findings = verdict.findings
    unit.notes = tuple(notes) + verdict.notes
    unit.previous = verdict.previous.path if verdict.previous is not None else None
    fmt = report.fmt
    unit.values = numbers(report)
    unit.metrics = metrics.compute(fmt, unit.values.__getitem__)
    seen: dict[int, int] = {}
    for s in sentences(unbound_text(report)):  # drafted paragraphs are alike by design, not copied
        seen.setdefault(fingerprint(s), len(s))
    unit.sentences = tuple(seen.items())
    return unit


def _assess_alone(source: Source) -> loading.Assessment:
    """The verdict without last year's report (none matched in the previous-year folder, whatever the
    report itself records)."""
    alone = replace(source, report=replace(source.report, previous=None))
    return loading.assess(alone)


def identify(path: str, fast: bool = True) -> Identity:
    """Agency and year of a file (the previous-year index)."""
    try:
        source, _ = load(path, fast)
    except InputError as e:
        return Identity(path, "", "", None, e.detail)
    report = source.report
    return Identity(path, report.agency.strip(), normalize(report.agency), report.year)
