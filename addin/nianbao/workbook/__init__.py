"""The Excel workbook face: the report workbook built from the format definition, and read back.

Sheets (names are part of the add-in's interface): 「基本信息」 agency, year, level, contact, format, fees,
last year's file; 「正文」 one row per narrative paragraph; 「表二」「表三」「表四」 the official tables drawn
from ``table.layout()``; 「校验」 one row per rule instance decidable inside the workbook, its result a native
formula compiled from the format's rules; 「计算」 (hidden) how each value cell is classified.

Modules: ``cells`` (addressing), ``formulas`` (the rule-to-formula compiler), ``styles``, ``writer``,
``reader`` (grids → report, pure), ``opening`` (files: limits, formulas resolved).
"""
from __future__ import annotations

from .cells import (CHECK_TOP, INFO_FIELDS, INFO_TOP, MAX_WORKBOOK_BYTES, NOTES_HEADER, NOTES_TOP, SHEET_CALC,
                    SHEET_CHECKS, SHEET_INFO, SHEET_NOTES,
                    SHEET_TEXT, TABLE_LEFT, TABLE_TOP, TEXT_TOP, address, col_letter, info_address,
                    computed_cells, locator, narrative_sections, numeric_sum, positions, read_sheets, sheet_of, sheet_order)
from .formulas import C_STATUS, CheckRow, calc_rows, check_formula, check_rows, total_formula
from .opening import grids_of, load_book, read, read_book_grids
from .reader import Grids, read_format, read_grids, resolve_formulas
from .writer import (build, demo_step, draw_table, table_heights, table_widths, to_bytes, write, write_template,
                     write_templates)

__all__ = [n for n in dir() if not n.startswith("_")]
