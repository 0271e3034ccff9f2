"""What every rule module uses: the declared ``Check``, the ``Context`` a check runs in, number helpers."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..findings import Finding, Locate, make
from ..model import Report, as_number


_INVALID = ("invalid cells",)  # the key under which a run keeps its set of unusable cells


@dataclass(frozen=True)
class Context:
    """One run of the rules: the report, last year's report (or None) and how to locate a data key."""

    report: Report
    previous: Report | None = None
    locate: Locate | None = None
    # Each cell of the report read once per run (``model.as_number``), whichever rules ask for it.
    _readings: dict = field(default_factory=dict, repr=False, compare=False)

    def read(self, key: str) -> tuple[Any, str]:
        """(number or None, status) of a cell of this year's report, as ``model.as_number`` reads it."""
        got = self._readings.get(key)
        if got is None:
            got = self._readings[key] = as_number(self.report.get(key), self.report.fmt.field(key).kind)
        return got

    def number(self, key: str) -> Any:
        """The cell's value for sums (blank and unusable count as 0), as ``Report.number``."""
        return self.read(key)[0] or 0

    def invalid(self) -> frozenset[str]:
        """The report's cells holding an unusable value (found once per run)."""
        got = self._readings.get(_INVALID)
        if got is None:
            got = self._readings[_INVALID] = frozenset(
                f.key for f in self.report.fmt.fields() if self.read(f.key)[1] == "invalid")
        return got

    def usable(self, keys: Iterable[str]) -> bool:
        return self.invalid().isdisjoint(keys)

    def finding(self, rule: str, message: str, cells: Iterable[str] = (), expected: Any = None,
                actual: Any = None, case: str | None = None) -> Finding:
        """A finding of a catalogued rule, its locations found from its cells."""
        return make(rule, message, cells, expected, actual, case=case, locate=self.locate)


@dataclass(frozen=True)
class Check:
    """A check: the catalogued rule ids it can emit, and the function that emits them."""

    emits: tuple[str, ...]
    run: Callable[[Context], list[Finding]]
    needs_previous: bool = False


def fmt_num(v) -> str:
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def usable(report: Report, keys: Iterable[str]) -> bool:
    """True when no cell among ``keys`` holds an unusable value (V-1 reports those)."""
    fmt = report.fmt
    return all(as_number(report.get(k), fmt.field(k).kind)[1] != "invalid" for k in keys)
