"""Findings: the immutable record of one problem found in a report, and how findings are counted.

A finding's severity always comes from the rule catalogue (``formats.RULES``): a rule either has one
severity, or names its cases (``RuleInfo.cases``) each with its own catalogued severity.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable

from .formats import RULES

Locate = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Finding:
    """One problem found in a report: rule id, catalogued severity, Chinese message, cells and places."""

    rule: str
    severity: str
    message: str
    cells: tuple[str, ...] = ()
    expected: Any = None
    actual: Any = None
    locations: tuple[str, ...] = ()
    case: str | None = None  # the catalogued case of the rule, where it has several (e.g. V-1 text-number)
    explained: str | None = None  # the clerk's explanation (sheet 「说明」), when one is kept for it

    def to_dict(self) -> dict:
        d = {"rule": self.rule, "severity": self.severity, "message": self.message, "cells": list(self.cells),
             "locations": list(self.locations), "expected": self.expected, "actual": self.actual}
        if self.explained is not None:
            d["explained"] = self.explained
        return d

    @property
    def place(self) -> str:
        """Where the finding points, as an explanation names it: its first location, else its first data
        key, else its message (a finding about a whole section)."""
        if self.locations:
            return self.locations[0]
        if self.cells:
            return self.cells[0]
        return self.message

    @property
    def settled(self) -> bool:
        """A warning the clerk has explained: shown apart, not among the warnings to resolve."""
        return self.explained is not None and not self.is_error

    def located(self, locate: Locate | None) -> "Finding":
        """The same finding with ``locations`` computed from its cells."""
        if locate is None:
            return self
        return replace(self, locations=tuple(loc for loc in (locate(k) for k in self.cells) if loc))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def make(rule: str, message: str, cells: Iterable[str] = (), expected: Any = None, actual: Any = None, *,
         case: str | None = None, locate: Locate | None = None, locations: Iterable[str] = ()) -> Finding:
    """A finding of a catalogued rule; its severity is the catalogue's (for ``case``, the case's)."""
    severity = RULES[rule].severity_of(case)
    cells = tuple(cells)
    locs = tuple(locations)
    if not locs and locate is not None:
        locs = tuple(loc for loc in (locate(k) for k in cells) if loc)
    return Finding(rule, severity, message, cells, expected, actual, locs, case)


def count(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings): the one way findings are counted, by every face.  Explained warnings
    (``Finding.settled``) are not among the warnings to resolve; ``count_explained`` counts them."""
    errors = warnings = 0
    for f in findings:
        if f.is_error:
            errors += 1
        elif not f.settled:
            warnings += 1
    return errors, warnings


def count_explained(findings: Iterable[Finding]) -> int:
    """Warnings the clerk has explained (errors keep their note but stay errors)."""
    return sum(1 for f in findings if f.settled)
