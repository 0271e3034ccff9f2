"""Reviewing many units' reports at once (``nianbao review``): what a 政务公开办 does every spring.

``batch.run`` reads every file (all cores, the fast reader for workbooks with cached values), assesses each
with the one verdict (``loading.assess``), and adds what only the batch shows (``checks``: duplicates, wrong
format or year, narratives copied between units, missing units, a parent report against the sum).
``book`` writes the review workbook, ``summary`` the Word summary, ``data`` the review JSON.
"""
from __future__ import annotations

from .batch import STATUSES, Review, Summed, collect, run  # noqa: F401
from .names import normalize  # noqa: F401
