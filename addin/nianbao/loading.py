"""Loading what the user names: one ``load`` for every kind of report file, one way to find last year's
report, and one verdict (``assess``) used by ``check``, ``export``, the add-in and the review.

Files are read once, here (through each kind's reader, which applies its limits).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import source as kinds
from .errors import InputError
from .explanations import Explanation, from_data as explanations_of
from .explanations import apply as explain
from .findings import Finding, count, count_explained
from .model import Report, load_json
from .safetext import one_line
from .source import Source

JSON_SUFFIXES = (".json",)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _importer_suffixes() -> tuple[str, ...]:
    try:
        from . import importers
    except ImportError:  # pragma: no cover - the importers are part of every build
        return ()
    return tuple(getattr(importers, "SUFFIXES", ()))


def accepted_text() -> str:
    extra = "、".join(_importer_suffixes())
    return "报告数据（.json）、年报工作簿（.xlsx / .xlsm）" + (f"或已发布的报告（{extra}）" if extra else "")


def load(path: str | Path) -> Source:
    """The report in a file: report data JSON, one of our workbooks, or a published report."""
    path = str(path)
    p = Path(path)
    suffix = p.suffix.lower()
    if p.is_dir():
        raise InputError(f"这是一个文件夹，不是文件：请提供{accepted_text()}", path=path)
    if suffix in JSON_SUFFIXES:
        return Source(load_json(path), path, kinds.JSON, _json_locator)
    if suffix in WORKBOOK_SUFFIXES:
        from . import workbook
        report, locate = workbook.read(path)
        return Source(report, path, kinds.WORKBOOK, locate)
    if suffix in _importer_suffixes():
        from . import importers
        return importers.read(path)
    if suffix in (".xls", ".et"):
        raise InputError("这是旧版 Excel 97-2003 工作簿（.xls 格式）或 WPS 表格，无法读取。请在 Excel 或 WPS 中"
                         "「另存为」Excel 工作簿（.xlsx）后再试", path=path)
    raise InputError(f"无法识别的文件类型「{suffix or '无扩展名'}」：请提供{accepted_text()}", path=path)


def from_workbook_grids(grids: dict, path: str | Path) -> Source:
    """A workbook's report from its sheets' values (the add-in reads them from Excel in one go)."""
    from . import workbook
    report, locate = workbook.read_grids(grids, str(path))
    return Source(report, str(path), kinds.WORKBOOK, locate)


def _json_locator(key: str) -> str | None:
    return None


def recorded_previous(source: Source) -> Path | None:
    """Last year's file as recorded in the report (基本信息 sheet or JSON ``previous``).

    A relative path is taken from the report's folder.  When the recorded file is gone (the folder was
    moved or copied to another computer), a file of the same name beside the report is used instead.
    """
    text = (source.report.previous or "").strip().strip('"').strip()
    if not text:
        return None
    p = Path(text)
    here = Path(source.path).parent
    if not p.is_absolute():
        p = here / p
    if not p.exists():
        beside = here / Path(text.replace("\\", "/")).name
        if beside.is_file():
            return beside
    return p


def where_previous_is_recorded(source: Source) -> str:
    """「基本信息!B17」 for a workbook, 「previous」 for report data JSON."""
    if source.kind == kinds.WORKBOOK:
        from . import workbook
        return workbook.info_address("previous")
    return "previous"


@dataclass(frozen=True)
class Previous:
    """Last year's report for a source (or None), and what the user should be told about it."""

    source: Source | None
    notes: tuple[str, ...] = ()


def find_previous(source: Source, explicit: str | Path | None = None) -> Previous:
    """Last year's report: the file given explicitly (``--previous``; unusable → InputError, exit 2), else
    the file recorded in the report (unusable → a note naming the cell, and the cross-year rules skipped)."""
    notes: list[str] = []
    if explicit:
        prev = load(explicit)
        name = str(explicit)
        if not_earlier(source, prev):
            raise InputError(f"上年度报告应早于本报告：所给的是{prev.report.year}年度的报告，本报告是"
                             f"{source.report.year}年度{'（同一文件）' if _same_file(explicit, source.path) else ''}。"
                             f"请用 --previous 指定{source.report.year - 1}年度的报告", path=name)
    else:
        recorded = recorded_previous(source)
        if recorded is None:
            return Previous(None)
        cell = where_previous_is_recorded(source)
        if not recorded.exists():
            return Previous(None, (f"注意：报告中记录的上年度文件不存在（{cell}：「{source.report.previous}」），"
                                   f"本次未做与上年的衔接校验（可用 --previous 指定）。",))
        try:
            prev = load(recorded)
        except InputError as e:
            return Previous(None, (f"注意：报告中记录的上年度文件（{cell}）无法使用，本次未做与上年的衔接校验。{e}",))
        name = str(recorded)
        if not_earlier(source, prev):
            return Previous(None, (f"注意：报告中记录的上年度文件（{cell}）是{prev.report.year}年度的报告，不早于本报告"
                                   f"（{source.report.year}年度），本次未做与上年的衔接校验。",))
    notes += _year_notes(source, prev, name)
    return Previous(prev, tuple(notes))


def not_earlier(source: Source, prev: Source) -> bool:
    """Last year's report given for a report of the same or an earlier year (or the file itself)."""
    return prev.report.year >= source.report.year


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _year_notes(source: Source, prev: Source, name: str) -> tuple[str, ...]:
    """Notes on last year's report that does not look like this report's last year."""
    notes = []
    here, there = (source.report.agency or "").strip(), (prev.report.agency or "").strip()
    if here and there and here != there:
        notes.append(f"注意：上年报告「{name}」的机关名称是「{one_line(there)}」，与本报告的「{one_line(here)}」不同，"
                     f"请确认给的是本机关的上年报告。")
    if prev.report.year != source.report.year - 1:
        notes.append(f"注意：上年报告「{name}」是{prev.report.year}年度的，本报告是{source.report.year}年度，"
                     f"衔接校验按所给文件进行。")
    return tuple(notes)


def _could_arise(rule: str, with_previous: bool) -> bool:
    """Whether a finding of ``rule`` could have arisen in this check: an explanation of a rule that needs
    last year's report, checked without it, or of a rule only the review or the importers raise, has not
    lapsed, it was not put to the test."""
    from .explanations import rule_key
    from .formats import RULES
    info = RULES.get(rule_key(rule))
    if info is None:
        return True  # no such rule: it never arises, and the note says so
    if info.needs_previous and not with_previous:
        return False
    return info.stage != "review"


@dataclass(frozen=True)
class Assessment:
    """The one verdict on a report: its source, last year's, every finding and the notes for the user."""

    source: Source
    previous: Source | None
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    lapsed: tuple[Explanation, ...] = ()  # the report's explanations that matched no finding

    @property
    def explained(self) -> int:
        return count_explained(self.findings)

    @property
    def report(self) -> Report:
        return self.source.report

    @property
    def errors(self) -> int:
        return count(self.findings)[0]

    @property
    def warnings(self) -> int:
        return count(self.findings)[1]


def assess(source: Source, explicit_previous: str | Path | None = None, *,
           previous: Source | None = None) -> Assessment:
    """Every rule on a source, with last year's report found the one way (see ``find_previous``); the
    findings of reading the source (an importer's) come with the rules' own.

    ``previous`` is last year's report already loaded (the review matches units to last year's files
    itself); it takes the place of the explicit or recorded file."""
    from . import rules
    if previous is not None and not_earlier(source, previous):
        prev = Previous(None, (f"注意：上年报告「{previous.path}」是{previous.report.year}年度的，不早于本报告，"
                               f"未做与上年的衔接校验。",))
    else:
        prev = Previous(previous, _year_notes(source, previous, previous.path)) if previous is not None \
            else find_previous(source, explicit_previous)
    previous = prev.source.report if prev.source is not None else None
    found = rules.check(source.report, previous, source.locate)
    merged = sorted(list(source.own_findings()) + found, key=lambda f: (not f.is_error, rules.ORDER.get(f.rule, 99)))
    merged, lapsed = explain(merged, explanations_of(source.report.explanations))
    lapsed = tuple(e for e in lapsed if _could_arise(e.rule, previous is not None))
    return Assessment(source, prev.source, tuple(merged), tuple(source.notes) + prev.notes, lapsed)
