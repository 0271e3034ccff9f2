"""The whole review as JSON (``nianbao review --json``, schema ``nianbao/review@1``; docs/data.md)."""
from __future__ import annotations

import math

from . import checks, metrics
from .batch import Review

SCHEMA = "nianbao/review@1"


def _clean(v):
    """Valid JSON: no NaN or infinities."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, float):
        return round(v, 6)
    return v


def _unit(u) -> dict:
    findings = u.shown
    return {"file": u.path, "agency": u.agency, "key": u.key, "level": u.level, "year": u.year,
            "format": u.format, "kind": u.kind, "reader": u.reader or None, "status": u.status,
            "ok": u.readable and u.errors == 0, "errors": u.errors,
            "warnings": u.warnings, "explained": u.explained, "in_sum": u.in_sum, "previous": u.previous,
            "notes": list(u.notes), "metrics": {k: _clean(v) for k, v in u.metrics.items()},
            "findings": [f.to_dict() for f in findings]}


def to_json(review: Review) -> dict:
    summed = review.summed
    return {
        "schema": SCHEMA,
        "year": review.year,
        "format": review.format,
        "ok": not review.has_errors,
        "units": len(review.units),
        "statuses": dict(review.by_status()),
        "rules": {rid: {"severity": r.severity, "title": r.title} for rid, r in checks.RULES.items()},
        "metric_definitions": {m.id: {"name": m.name, "definition": m.definition, "ratio": m.ratio}
                               for m in metrics.METRICS},
        "reports": [_unit(u) for u in review.ordered()],
        "summed": None if summed is None else {
            "format": summed.format, "year": summed.year, "units": summed.units,
            "tables": summed.report("汇总").to_dict()["tables"],
            "ok": not any(f.is_error for f in review.summed_findings),
            "findings": [f.to_dict() for f in review.summed_findings],
            "metrics": {k: _clean(v) for k, v in review.total_metrics().items()}},
        "missing": None if review.previous_dir is None else [
            {"agency": i.agency, "year": i.year, "file": i.path} for i in review.missing],
        "unmatched": None if review.previous_dir is None else [u.path for u in review.unmatched],
        "copied": [{"files": [a.path, b.path], "agencies": [a.name, b.name], "shares": [round(ra, 3), round(rb, 3)]}
                   for a, b, ra, rb in review.copies],
        "parent": None if review.parent is None else {
            **_unit(review.parent), "differences": [f.to_dict() for f in review.parent_differences]},
    }
