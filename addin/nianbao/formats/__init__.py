"""The official report formats, each defined once as data, and the registry of them.

``FORMATS`` maps a format id to its :class:`~nianbao.formats.base.ReportFormat`; ``get(id)`` looks one up,
``for_year(year)`` finds the format that applies to a report year from each format's year range, and
``register(fmt)`` adds a format (a future 国办 notice is one new definition registered here).
"""
from __future__ import annotations

from .base import (COUNT, MONEY, ROLE_FEE_AMOUNT, ROLE_FEE_NOTICES, ROLE_RULE_MAKING, SIGNED, TEXT,  # noqa: F401
                   Claim, CrossLink, Field, Layout, LayoutCell, ReportFormat, SumCheck)
from .common import RULES, SEVERITY_ZH  # noqa: F401
from .f2019 import FORMAT as _F2019
from .f2021 import FORMAT as _F2021

FORMATS: dict[str, ReportFormat] = {}


def register(fmt: ReportFormat) -> ReportFormat:
    """Add a format to the registry (its id must be new)."""
    if fmt.id in FORMATS:
        raise ValueError(f"format {fmt.id} is registered already")
    FORMATS[fmt.id] = fmt
    return fmt


def unregister(format_id: str) -> None:
    FORMATS.pop(format_id, None)


register(_F2019)
register(_F2021)


def ids() -> tuple[str, ...]:
    """Registered format ids, oldest first."""
    return tuple(sorted(FORMATS, key=lambda i: FORMATS[i].first_year))


def get(format_id: str) -> ReportFormat:
    """The format definition with this id (KeyError if there is none)."""
    return FORMATS[format_id]


def first_year() -> int:
    return min(f.first_year for f in FORMATS.values())


def for_year(year: int) -> ReportFormat:
    """The format a report year must use: the newest registered format whose year range covers it.

    A year before the first format falls back to the first one (the caller refuses such years).
    """
    covering = [f for f in FORMATS.values() if f.covers(year)]
    if covering:
        return max(covering, key=lambda f: f.first_year)
    return min(FORMATS.values(), key=lambda f: f.first_year)


def id_for_year(year: int) -> str:
    return for_year(year).id


def ids_text() -> str:
    """「2019」或「2021」 for messages."""
    return "或".join(f"「{i}」" for i in ids())


def choices_text() -> str:
    """「2019（2019年度至2020年度）、2021（2021年度及以后）」 for help texts."""
    return "、".join(f"{f.id}（{f.years_text}）" for f in (FORMATS[i] for i in ids()))


def sum_rule_ids() -> frozenset[str]:
    """Ids of the sum rules (T3-1 …): their findings name the stated total first, then its parts."""
    return frozenset(c.rule for f in FORMATS.values() for c in f.sum_checks())
