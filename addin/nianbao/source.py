"""The ``Source`` record: a report as read from somewhere, and how to point at a value in it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .findings import Finding
from .model import Report

# Kinds of source: our own files, and published reports read by the importers.
JSON, WORKBOOK, DOCX, DOC, HTML, TXT, PDF = "json", "workbook", "docx", "doc", "html", "txt", "pdf"


def _nowhere(key: str) -> str | None:
    return None


@dataclass(frozen=True)
class Source:
    """A report read from ``path``.

    ``locator`` maps a data key to the place of its value in the file (``表三!D7`` in a workbook,
    ``表3 第12行第4列`` in a document), None where there is none (JSON).  ``findings`` are what reading
    itself found (an importer's notes on the printed document); the rules add theirs on top.
    """

    report: Report
    path: str
    kind: str
    locator: Callable[[str], str | None] = _nowhere
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = field(default=())  # Chinese lines for the user (e.g. how a file was converted)

    def locate(self, key: str) -> str | None:
        return self.locator(key)
