"""Fast readers of the report workbook, for reading many files (``nianbao review``).

``read_cached``: workbooks saved by Excel, WPS or LibreOffice carry their formulas' cached results; those
are read with python-calamine (much faster than openpyxl), no formula parsed.  It returns None when the
file's totals carry no cached results (a workbook written by nianbao itself, or by a program that does not
compute).

``read_parts``: the sheets' XML read directly (lxml), formulas and stored results both, then resolved as
the full reader does (``reader.resolve_formulas``: our totals recomputed from their parts).  It returns
None for anything it does not handle (shared or array formulas), and the caller uses ``workbook.read``.

Either way the report is the same as the full reader's (tests/test_review.py).
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError
from .. import zipparts
from ..files import read_limited
from ..model import Report
from .cells import MAX_WORKBOOK_BYTES, computed_cells, numeric_sum, positions, read_sheets
from .reader import Grids, clean_value, grid_value, read_format, read_grids, require_sheet
from .register import has_registers, register_sheets


MAX_PART_BYTES = 40 * 1024 * 1024  # unzipped size of one part of the package


class LimitError(InputError):
    """A part of the file is too large: refused, not retried with another reader."""


def available() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def _cell(v: Any) -> Any:
    """A calamine value as openpyxl gives it: empty cells None, whole numbers int."""
    if isinstance(v, str):
        return v if v != "" else None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def cached_grids(raw: bytes, path: str) -> Grids:
    """The report sheets' values as stored in the file (formula cells: their cached results)."""
    from python_calamine import CalamineWorkbook
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = set(book.sheet_names)
        grids: Grids = {}
        for name in read_sheets() + register_sheets():
            if name not in names:
                continue
            sheet = book.get_sheet_by_name(name)
            top, left = sheet.start or (0, 0)
            rows = [[None] * left + [_cell(v) for v in line] for line in sheet.to_python(skip_empty_area=False)]
            grids[name] = [[] for _ in range(top)] + rows
    except InputError:
        raise
    except Exception as e:  # calamine raises its own kinds for damaged parts; never a traceback
        raise InputError(f"无法打开工作簿：文件已损坏，或不是 Excel 工作簿（.xlsx / .xlsm）（{type(e).__name__}）",
                         path=path) from None
    return grids


def has_cached_totals(grids: Grids, format_id: str) -> bool:
    """Every total whose parts hold a number has a stored result (a file saved by a program that computes)."""
    pos = positions(format_id)
    for key, parts in computed_cells(format_id).items():
        sheet, r, c = pos[key]
        if grid_value(grids.get(sheet, []), r, c) is None:
            values = [clean_value(grid_value(grids.get(pos[k][0], []), pos[k][1], pos[k][2])) for k in parts]
            if numeric_sum(values) is not None:
                return False
    return True


def read_cached(path: str | Path) -> tuple[Report, Callable[[str], str | None]] | None:
    """The report of a workbook from its cached values, or None when its totals have none."""
    path = str(path)
    raw = read_limited(path, MAX_WORKBOOK_BYTES)
    zipparts.check(raw, path, "工作簿", read_all=False)  # the package's limits, as every reader has them
    grids = cached_grids(raw, path)
    fmt = read_format(grids, path)
    for t in fmt.tables():
        require_sheet(grids, t.sheet, path)
    if not has_cached_totals(grids, fmt.id) or not has_cached_counts(grids, fmt):
        return None
    return read_grids(grids, path)


def has_cached_counts(grids: Grids, fmt) -> bool:
    """In register mode, every count of tables 三 and 四 has a stored result."""
    from .. import register as reg
    if not any(s.sheet in grids for s in fmt.registers):
        return True
    pos = positions(fmt.id)
    return all(grid_value(grids.get(pos[k][0], []), pos[k][1], pos[k][2]) is not None for k in reg.counted_keys(fmt))


# ---------------------------------------------------------------- the sheets' XML, directly
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class _Unhandled(Exception):
    """Something only the full reader handles."""


def _parser():
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _part(z, name: str, path: str) -> bytes:
    info = z.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise LimitError(f"工作簿中的「{name}」解压后过大（{info.file_size // 1024 // 1024} MB），超过上限", path=path)
    return z.read(info)


def _xml(z, name: str, path: str):
    from lxml import etree
    return etree.fromstring(_part(z, name, path), _parser())


def _number(text: str):
    """As openpyxl reads a number: int unless it has a point or an exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _col_row(ref: str) -> tuple[int, int]:
    col = 0
    i = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + (ord(ref[i].upper()) - 64)
        i += 1
    return int(ref[i:]), col


def _text_of(el) -> str:
    """The text of a shared or inline string (rich runs joined, phonetic runs left out)."""
    return "".join(t.text or "" for t in el.iter(f"{_NS}t") if t.getparent().tag != f"{_NS}rPh")


def _sheet_grids(root, strings: list[str]) -> tuple[list[list], list[list]]:
    formulas: dict[tuple[int, int], object] = {}
    values: dict[tuple[int, int], object] = {}
    for c in root.iter(f"{_NS}c"):
        ref = c.get("r")
        if not ref:
            raise _Unhandled("cell without reference")
        pos = _col_row(ref)
        t = c.get("t", "n")
        f = c.find(f"{_NS}f")
        v = c.find(f"{_NS}v")
        raw = v.text if v is not None else None
        if t == "inlineStr":
            is_ = c.find(f"{_NS}is")
            value = _text_of(is_) if is_ is not None else None
        elif raw is None:
            value = None
        elif t == "s":
            value = strings[int(raw)]
        elif t in ("str", "e"):
            value = raw
        elif t == "b":
            value = bool(int(raw))
        else:
            value = _number(raw)
        values[pos] = value
        if f is not None:
            if f.get("t") in ("shared", "array", "dataTable") or not f.text:
                raise _Unhandled("shared or array formula")
            formulas[pos] = "=" + f.text
        else:
            formulas[pos] = value
    return _grid(formulas), _grid(values)


def _grid(cells: dict) -> list[list]:
    if not cells:
        return []
    rows = max(r for r, _ in cells)
    grid: list[list] = [[] for _ in range(rows)]
    for (r, c), v in cells.items():
        line = grid[r - 1]
        if len(line) < c:
            line.extend([None] * (c - len(line)))
        line[c - 1] = v
    return grid


class _Strings:
    """The shared strings, each made text when a cell asks for it (a register's thousands of strings are
    read by calamine; the report sheets need a few)."""

    def __init__(self, root):
        self.items = list(root.iter(f"{_NS}si"))
        self.done: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        if i not in self.done:
            self.done[i] = _text_of(self.items[i])
        return self.done[i]


def register_grids(raw: bytes, path: str) -> Grids:
    """The register sheets' values (python-calamine: fast; they hold no formulas), dates as dates."""
    from python_calamine import CalamineWorkbook

    from .. import zipparts
    zipparts.check(raw, path, "工作簿")  # every part's size and ratio, before calamine unpacks any
    wanted = register_sheets()
    grids: Grids = {}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        for name in book.sheet_names:
            if name not in wanted:
                continue
            sheet = book.get_sheet_by_name(name)
            top, left = sheet.start or (0, 0)
            rows = [[None] * left + [_cell(v) for v in line] for line in sheet.to_python(skip_empty_area=False)]
            grids[name] = [[] for _ in range(top)] + rows
    except Exception as e:  # calamine raises its own kinds for damaged parts; never a traceback
        raise InputError(f"无法读取台账：工作簿已损坏（{type(e).__name__}）", path=path) from None
    return grids


def part_grids(raw: bytes, path: str) -> tuple[Grids, Grids] | None:
    """(formulas, stored results) of the report sheets, as openpyxl gives them with and without
    ``data_only``; None when the file has something only the full reader handles."""
    import posixpath
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = set(z.namelist())
            book = _xml(z, "xl/workbook.xml", path)
            rels = _xml(z, "xl/_rels/workbook.xml.rels", path)
            targets = {r.get("Id"): r.get("Target") for r in rels}
            strings: list[str] | _Strings = []
            if "xl/sharedStrings.xml" in names:
                strings = _Strings(_xml(z, "xl/sharedStrings.xml", path))
            wanted = set(read_sheets())
            formulas: Grids = {}
            values: Grids = {}
            for sheet in book.iter(f"{_NS}sheet"):
                name = sheet.get("name")
                if name not in wanted:
                    continue
                target = targets.get(sheet.get(f"{_REL_NS}id"))
                if not target:
                    raise _Unhandled("sheet without a part")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                formulas[name], values[name] = _sheet_grids(_xml(z, part, path), strings)
            return formulas, values
    except (LimitError, InputError):
        raise
    except _Unhandled:
        return None
    except Exception:  # damaged or unusual: the full reader decides (and gives the message)
        return None


def read_parts(path: str | Path) -> tuple[Report, Callable[[str], str | None]] | None:
    """The report of a workbook from its sheets' XML (formulas resolved as the full reader does), or None."""
    path = str(path)
    return read_parts_raw(read_limited(path, MAX_WORKBOOK_BYTES), path)


def read_parts_raw(raw: bytes, path: str) -> tuple[Report, Callable[[str], str | None]] | None:
    """``read_parts`` of a file's bytes already read."""
    from .bound import keep_bound_formulas
    from .reader import resolve_formulas
    zipparts.check(raw, path, "工作簿", read_all=False)  # the package's limits, as every reader has them
    got = part_grids(raw, path)
    if got is None:
        return None
    formulas, values = got
    if available():
        formulas.update(register_grids(raw, path))
    else:
        if has_registers(raw):
            return None
    fmt = read_format(formulas, path)
    for t in fmt.tables():
        require_sheet(formulas, t.sheet, path)
    resolve_formulas(formulas, fmt, lambda: values, path)
    keep_bound_formulas(formulas, fmt, lambda: values)
    return read_grids(formulas, path)
