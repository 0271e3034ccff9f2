"""The official report formats, each defined once as data.

``get(format_id)`` returns a :class:`~nianbao.formats.base.ReportFormat`;
``for_year(year)`` picks the format that applies to a report year.
"""
from __future__ import annotations

from .base import COUNT, MONEY, SIGNED, TEXT, Field, Layout, LayoutCell, ReportFormat, SumCheck  # noqa: F401
from .common import RULES, SEVERITY_ZH  # noqa: F401

FORMAT_IDS = ("2019", "2021")


def get(format_id: str) -> ReportFormat:
    """The format definition for ``"2019"`` or ``"2021"``."""
    if format_id == "2019":
        from .f2019 import FORMAT
    elif format_id == "2021":
        from .f2021 import FORMAT
    else:
        raise KeyError(format_id)
    return FORMAT


def id_for_year(year: int) -> str:
    """The format a report year must use: 2019 for years up to 2020, else 2021."""
    return "2019" if year <= 2020 else "2021"


def for_year(year: int) -> ReportFormat:
    return get(id_for_year(year))


def sum_rule_ids() -> frozenset[str]:
    """Ids of the sum rules (T3-1 …): their findings name the stated total first, then its parts."""
    return frozenset(c.rule for fid in FORMAT_IDS for c in get(fid).sum_checks())
