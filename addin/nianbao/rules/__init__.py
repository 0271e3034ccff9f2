"""The rule engine: catalogued checks over report data, each returning findings.

One module per rule family (``structure`` S-1, ``sums`` T3-*/T4-1, ``values`` V-*, ``plausibility`` P-*,
``narrative`` N-*, ``crossyear`` X-*, ``register`` L-* on the workbook's registers).  Each module lists its ``CHECKS``; every check declares the rule
ids it can emit, and the engine runs them in the order of the rule catalogue (``formats.RULES``).
Findings are immutable and carry their locations when they are made.
"""
from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Locate, count
from ..formats import RULES
from ..model import Report
from . import crossyear, narrative, plausibility, register, structure, sums, values
from .base import Check, Context
from .sums import evaluate_sum  # noqa: F401  (used by the workbook tests to decide 无法校验)

ORDER = {r: i for i, r in enumerate(RULES)}
MODULES = (structure, sums, values, plausibility, narrative, crossyear, register)


def checks() -> list[Check]:
    """Every check, in catalogue order of the first rule each can emit."""
    found = [c for m in MODULES for c in m.CHECKS]
    return sorted(found, key=lambda c: min(ORDER[r] for r in c.emits))


def check(report: Report, previous: Report | None = None, locate: Locate | None = None) -> list[Finding]:
    """Run every rule; those that need last year's report run when ``previous`` is given.

    ``locate`` maps a data key to the place of its value (``sheet!cell`` for a workbook).
    Errors come first, then warnings, each in catalogue order.
    """
    ctx = Context(report, previous, locate)
    findings: list[Finding] = []
    for c in checks():
        if c.needs_previous and previous is None:
            continue
        findings += c.run(ctx)
    findings.sort(key=lambda f: (f.severity != "error", ORDER.get(f.rule, len(ORDER))))
    return findings


def summary(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    return count(findings)


def findings_json(findings: list[Finding], report: Report, file: str) -> dict:
    """The findings JSON of contract.md."""
    errors, warnings = count(findings)
    return {"file": file, "format": report.format, "year": report.year, "agency": report.agency,
            "ok": errors == 0, "errors": errors, "warnings": warnings,
            "findings": [f.to_dict() for f in findings]}
