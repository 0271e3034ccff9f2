"""User text on its way out: into a workbook cell (always text, never a formula), into XML (no
characters XML cannot hold) and onto the terminal (control characters shown escaped).

One place for each, used by every writer: the workbook writer and the add-in's result sheet
(``put`` for openpyxl, ``excel_literal`` for a live Excel), the report loaders (``illegal_char``)
and the command line (``terminal``, ``one_line``).
"""
from __future__ import annotations

import re
from typing import Any

# Characters XML 1.0 cannot hold (so neither .xlsx nor .docx): C0 controls but tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Shown escaped on the terminal: every C0 control but tab and newline, DEL, the C1 controls, and the
# bidirectional overrides that can make a line read differently from what it holds.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE = re.compile("[\n\t\u2028\u2029]")
# What Excel reads as the start of a formula when text is typed (or assigned through COM).
FORMULA_STARTS = ("=", "+", "-", "@")


def illegal_char(text: str) -> str | None:
    """The first character of ``text`` that a workbook or Word file cannot hold, as ``U+XXXX``; None
    when there is none."""
    m = _XML_ILLEGAL.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def put(cell, value: Any):
    """Set an openpyxl cell to ``value``; text stays text even when it starts with 「=」.

    openpyxl stores a str starting with 「=」 as a formula; every value that comes from the user goes
    through here so that Excel and LibreOffice show it exactly as typed and never evaluate it.
    """
    if isinstance(value, str) and illegal_char(value):  # the loaders refuse these; never a broken file
        value = _XML_ILLEGAL.sub("\ufffd", value)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def excel_literal(value: Any) -> Any:
    """A value to assign to a live Excel range: text Excel would parse as a formula gets the apostrophe
    prefix, which Excel keeps out of the cell's value and only uses to mark it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """``text`` safe to print: control characters (ESC sequences, carriage returns, bidi overrides)
    shown as ``\\x1b`` etc.; newlines and tabs kept."""
    return _TERMINAL.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` as one line for a message: also newlines and tabs escaped."""
    return terminal(_LINE.sub(_escape, text))


class TerminalStream:
    """A text stream that escapes control characters in everything written to it (wraps stdout and
    stderr in the command line, so no report text can move the cursor or rewrite a line)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal(text))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)
