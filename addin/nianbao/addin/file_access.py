"""The add-in's workbook access over a workbook file, through openpyxl (no Excel needed).

Used by the tests and by ``nianbao addin run``: the same ``run_*`` functions the
ribbon calls, on a ``.xlsx`` / ``.xlsm`` file.  The file is read once and loaded
once (formulas kept); its values are resolved the way ``nianbao check`` resolves
them, the writes and colours go to that same loaded workbook, and :meth:`save`
writes it back atomically.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .actions import split_cell
from ..files import atomic_write, read_limited
from ..safetext import put

RGB = tuple[int, int, int]


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


class XlsxAccess:
    """:class:`~nianbao.addin.actions.WorkbookAccess` over a workbook file.

    Messages and opened files are collected in ``messages`` / ``opened`` (and
    printed when ``echo`` is true, for the command line).  ``save_to`` writes the
    changed workbook elsewhere, leaving the file itself untouched.
    """

    def __init__(self, path: str | Path, echo: bool = False, save_to: str | Path | None = None):
        self._path = Path(path).absolute()  # not resolve(): a symlink is named as given (and may loop)
        self.save_to = Path(save_to) if save_to else self._path
        self.echo = echo
        self.messages: list[str] = []
        self.opened: list[Path] = []
        self.saved = False
        self._raw: bytes | None = None
        self._book = None

    @property
    def path(self) -> Path:
        return self._path

    def _workbook(self):
        """The workbook with its formulas, loaded once (macros kept for .xlsm)."""
        if self._book is None:
            from .. import workbook
            self._raw = read_limited(self._path, workbook.MAX_WORKBOOK_BYTES)
            self._book = workbook.load_book(self._raw, str(self._path), read_only=False,
                                            keep_vba=self._path.suffix.lower() == ".xlsm")
        return self._book

    def read_grids(self) -> dict[str, list[list[Any]]]:
        """Every sheet's values as Excel shows them, resolved as ``workbook.read`` resolves a file:
        our totals recomputed from their parts, other formulas their stored results."""
        from .. import workbook
        book = self._workbook()
        return workbook.read_book_grids(self._raw, str(self._path), book=book, all_sheets=True)

    def clear_sheet(self, sheet: str) -> None:
        book = self._workbook()
        if sheet not in book.sheetnames:
            book.create_sheet(sheet)
            return
        for row in book[sheet].iter_rows():
            for c in row:
                if c.__class__.__name__ != "MergedCell":
                    c.value = None

    def write_range(self, sheet: str, top_left: str, rows: list[list[Any]]) -> None:
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
        ws = self._workbook()[sheet]
        col_letter, row0 = coordinate_from_string(top_left)
        col0 = column_index_from_string(col_letter)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                put(ws.cell(row=row0 + i, column=col0 + j), value)

    def lay_out(self, sheet: str, widths: dict[str, float], wrap: tuple[str, ...] = (),
                hidden: tuple[str, ...] = ()) -> None:
        from openpyxl.styles import Alignment
        ws = self._workbook()[sheet]
        for col, width in widths.items():
            ws.column_dimensions[col].width = width
        for col in wrap:
            for row in ws.iter_rows(min_col=_col_number(col), max_col=_col_number(col), min_row=1):
                for c in row:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
        for col in hidden:
            ws.column_dimensions[col].hidden = True

    def colours(self, cells: list[str]) -> dict[str, RGB | None]:
        book = self._workbook()
        out: dict[str, RGB | None] = {}
        for cell in cells:
            sheet, addr = split_cell(cell)
            fill = book[sheet][addr].fill
            rgb = fill.fgColor.rgb if fill is not None and fill.fill_type == "solid" else None
            out[cell] = (int(rgb[-6:-4], 16), int(rgb[-4:-2], 16), int(rgb[-2:], 16)) \
                if isinstance(rgb, str) and len(rgb) >= 6 else None
        return out

    def colour(self, cells: list[str], rgb: RGB | None) -> None:
        from openpyxl.styles import PatternFill
        book = self._workbook()
        if rgb is None:
            fill = PatternFill(fill_type=None)
        else:
            hexa = "FF%02X%02X%02X" % rgb
            fill = PatternFill(fill_type="solid", fgColor=hexa, bgColor=hexa)
        for cell in cells:
            sheet, addr = split_cell(cell)
            book[sheet][addr].fill = fill

    def message(self, text: str) -> None:
        self.messages.append(text)
        if self.echo:
            print(text)

    def open_file(self, path: Path) -> None:
        self.opened.append(Path(path))

    def save(self) -> None:
        if self._book is None:
            return
        buf = io.BytesIO()
        self._book.save(buf)
        atomic_write(self.save_to, buf.getvalue(), replace=True if self.save_to == self._path else None)
        self.saved = True

    def formulas(self) -> dict[str, str]:
        from openpyxl.worksheet.formula import ArrayFormula
        out = {}
        for ws in self._workbook().worksheets:
            for row in ws.iter_rows():
                for c in row:
                    v = c.value
                    if isinstance(v, ArrayFormula):
                        out[f"{ws.title}!{c.coordinate}"] = v.text or ""
                    elif isinstance(v, str) and v.startswith("=") and c.data_type == "f":
                        out[f"{ws.title}!{c.coordinate}"] = v
        return out

    def freeze(self, cells: list[str]) -> None:
        """Each formula becomes the result the file holds for it (the cells an array formula fills hold
        their results already); a link to the add-in no formula uses any more is dropped."""
        from .. import workbook
        book = self._workbook()
        shown = workbook.load_book(self._raw, str(self._path), data_only=True)
        for cell in cells:
            sheet, addr = split_cell(cell)
            put(book[sheet][addr], shown[sheet][addr].value)
        _drop_addin_links(book)


ADDIN_FILE = "nianbao.xlam"


def _drop_addin_links(book) -> None:
    """Remove trailing external links to the add-in's file (``[n]!NB_STATUS`` in the file's formulas);
    a link before another one stays, as removing it would renumber the other's formulas."""
    links = getattr(book, "_external_links", None)
    while links:
        target = getattr(getattr(links[-1], "file_link", None), "Target", "") or ""
        if not target.replace("\\", "/").lower().endswith("/" + ADDIN_FILE) and target.lower() != ADDIN_FILE:
            break
        links.pop()
