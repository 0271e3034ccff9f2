"""Cell styles, fills, protection and input validation of nianbao's workbooks (the report workbook and
the review workbook share them)."""
from __future__ import annotations

from ..formats.base import COUNT, SIGNED

# Fills: input (yellow), computed (grey), typed over a formula (orange), failing (red).
FILL_INPUT = "FFF2CC"
FILL_COMPUTED = "E7E6E6"
FILL_TYPED = "F8CBAD"
FILL_HEADER = "DDEBF7"
FILL_FAIL = "FF9999"


def make_styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "font": Font(name="宋体", size=11),
        "bold": Font(name="黑体", size=11, bold=True),
        "title": Font(name="黑体", size=14, bold=True),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "top": Alignment(horizontal="left", vertical="top", wrap_text=True),
        "fill": {k: PatternFill("solid", start_color=v, end_color=v) for k, v in
                 (("input", FILL_INPUT), ("computed", FILL_COMPUTED), ("typed", FILL_TYPED),
                  ("header", FILL_HEADER), ("fail", FILL_FAIL))},
        "unlocked": Protection(locked=False),
        "locked": Protection(locked=True),
    }


NAMED = ("nb-label", "nb-header", "nb-title", "nb-note", "nb-input", "nb-input-text", "nb-input-money",
         "nb-computed", "nb-typed", "nb-typed-money", "nb-edge", "nb-row", "nb-row-center", "nb-para")


def register_named(wb, st) -> None:
    """Named cell styles: one assignment per cell instead of five (openpyxl hashes every style part)."""
    from openpyxl.styles import NamedStyle
    spec = {
        "nb-label": dict(alignment=st["left"]),
        "nb-header": dict(alignment=st["center"], fill=st["fill"]["header"]),
        "nb-title": dict(alignment=st["center"], fill=st["fill"]["header"], font=st["bold"]),
        "nb-note": dict(alignment=st["center"]),
        "nb-input": dict(alignment=st["center"], fill=st["fill"]["input"], protection=st["unlocked"]),
        "nb-input-text": dict(alignment=st["center"], fill=st["fill"]["input"], protection=st["unlocked"],
                              number_format="@"),
        "nb-input-money": dict(alignment=st["center"], fill=st["fill"]["input"], protection=st["unlocked"],
                               number_format="0.00##"),
        "nb-computed": dict(alignment=st["center"], fill=st["fill"]["computed"]),
        "nb-typed": dict(alignment=st["center"], fill=st["fill"]["typed"], protection=st["unlocked"]),
        "nb-typed-money": dict(alignment=st["center"], fill=st["fill"]["typed"], protection=st["unlocked"],
                               number_format="0.00##"),
        "nb-edge": dict(),
        "nb-row": dict(alignment=st["left"]),
        "nb-row-center": dict(alignment=st["center"]),
        "nb-para": dict(alignment=st["top"], number_format="@"),
    }
    for name in NAMED:
        ns = NamedStyle(name=name, font=st["font"], border=st["border"], protection=st["locked"])
        for k, v in spec[name].items():
            setattr(ns, k, v)
        wb.add_named_style(ns)


def protect(ws) -> None:
    """Sheet protection without a password: locked cells cannot be changed, unlocked ones can."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False  # allowed: widening a column does not harm the data
    p.formatRows = False


def text_width(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def validation(kind: str):
    from openpyxl.worksheet.datavalidation import DataValidation
    common = dict(allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop")
    if kind == COUNT:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", **common)
        dv.error, dv.prompt = "请填写不小于0的整数（没有发生请填0，不要填「/」「—」或「无」）。", "填写不小于0的整数；没有请填0。"
    elif kind == SIGNED:
        dv = DataValidation(type="whole", operator="between", formula1="-999999999", formula2="999999999", **common)
        dv.error, dv.prompt = "请填写整数，减少时填负数（如 -1），没有变化填0。", "填写整数：增加为正，减少为负，无变化填0。"
    else:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", **common)
        dv.error, dv.prompt = "请填写不小于0的数字，单位为万元，可有小数（如 12.5）。", "单位：万元，可有小数；没有请填0。"
    dv.errorTitle, dv.promptTitle = "输入有误", "填写说明"
    return dv

