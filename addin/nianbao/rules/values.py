"""Value rules: V-1 (a cell is not a usable number of its kind), V-2 (blank cells), V-3 (the fee amount
in 万元 looks wrong)."""
from __future__ import annotations

from decimal import Decimal

from ..findings import Finding
from ..formats.base import COUNT, MONEY, ROLE_FEE_AMOUNT, SIGNED
from ..model import LEVELS, as_number
from .base import Check, Context, fmt_num

# V-3: the 行政事业性收费 (万元) above which the amount was probably entered in 元, by agency level.
FEE_BOUND_WAN = {"state_council_dept": 10_000_000, "province": 1_000_000, "province_dept": 500_000,
                 "city": 200_000, "city_dept": 50_000, "county": 20_000, "county_dept": 10_000,
                 "township": 1_000}
FEE_BOUND_DEFAULT_WAN = 100_000  # level not given, or 「其他」

WANT = {COUNT: "不小于0的整数", SIGNED: "整数（可带+/-号）", MONEY: "不小于0的数字（单位：万元）"}


def total_parts(fmt) -> dict[str, frozenset[str]]:
    """Each stated total (the one cell on the right of a sum rule: a 总计 column or a （七）总计 row) → the
    cells it sums, over every sum rule that names it (kept with the format: computed once)."""
    cached = fmt._index.get("total_parts")
    if cached is not None:
        return cached
    out: dict[str, set[str]] = {}
    for chk in fmt.sum_checks():
        if len(chk.right) == 1 and chk.target == chk.right[0]:
            out.setdefault(chk.target, set()).update(chk.left)
    fmt._index["total_parts"] = result = {k: frozenset(v) for k, v in out.items()}
    return result


def invalid_cells(report, ctx: Context | None = None) -> set[str]:
    """The cells V-1 reports as errors: unusable values, except a total one of whose parts is itself
    unusable (a total computed from a typed 1.5 is not a second mistake; the part is reported, and the
    sum rules of that total cannot be decided)."""
    fmt = report.fmt
    ctx = ctx if ctx is not None else Context(report)
    bad = {f.key for f in fmt.fields() if ctx.read(f.key)[1] == "invalid"}
    parts = total_parts(fmt)
    return {k for k in bad if not (parts.get(k, frozenset()) & bad)}


def check_values(ctx: Context) -> list[Finding]:
    """V-1 (unusable values, per cell; numeric text is its catalogued case) and V-2 (blank cells, one
    finding per table row; a blank mark such as 「无」 or 「/」 one finding each, its text as ``actual``;
    a total whose parts are blank is left out, its blank parts are reported)."""
    out: list[Finding] = []
    report = ctx.report
    fmt = report.fmt
    blanks: dict[tuple[str, str], list[str]] = {}
    marked: list[tuple] = []
    reported = invalid_cells(report, ctx)
    totals = total_parts(fmt)
    blank_keys = {f.key for f in fmt.fields() if ctx.read(f.key)[1] == "blank"}
    for f in fmt.fields():
        raw = report.get(f.key)
        value, status = ctx.read(f.key)
        if status == "blank":
            if totals.get(f.key, frozenset()) & blank_keys:
                continue  # a total (a formula the clerk cannot type into) of blank parts: the parts matter
            if isinstance(raw, str) and raw.strip():
                marked.append((f, raw))  # 「无」, 「/」: not empty, but not a number either
            else:
                blanks.setdefault((f.table, f.row), []).append(f.key)
        elif status == "invalid" and f.key in reported:
            out.append(ctx.finding("V-1", f"「{f.label}」填报为「{raw}」，应为{WANT[f.kind]}", [f.key], actual=raw))
        elif status == "text-number":
            out.append(ctx.finding("V-1", f"「{f.label}」填报为文本「{raw}」，已按数字{fmt_num(value)}计算；"
                                          f"请改为数字格式", [f.key], expected=value, actual=raw, case="text_number"))
    for (table, row), keys in blanks.items():
        first = fmt.field(keys[0])
        cols = "、".join(fmt.field(k).column_label for k in keys)
        if len(keys) == 1:
            msg = f"「{first.label}」为空，官方表格要求填写0"
        else:
            msg = f"「{first.row_label}」行有{len(keys)}个单元格为空（{cols}），官方表格要求填写0"
        out.append(ctx.finding("V-2", msg, keys, expected=0))
    for f, raw in marked:
        out.append(ctx.finding("V-2", f"「{f.label}」填写为「{raw.strip()}」，官方表格要求填写数字0", [f.key],
                               expected=0, actual=raw))
    return out


def fee_bound(level: str | None) -> int:
    """The 行政事业性收费 amount (万元) from which V-3 asks whether it was entered in 元."""
    return FEE_BOUND_WAN.get(level or "", FEE_BOUND_DEFAULT_WAN)


def check_fee_amount(ctx: Context) -> list[Finding]:
    """V-3: 行政事业性收费 (万元) with too many decimals, or so large it was probably entered in 元."""
    out = []
    for key in ctx.report.fmt.role(ROLE_FEE_AMOUNT):
        value, status = as_number(ctx.report.get(key), MONEY)
        if status not in ("ok", "text-number") or value is None:
            continue
        # Decimal places as written; repr() is the shortest exact form, but may use an exponent (1e-05).
        exact = Decimal(repr(float(value))).normalize()
        exponent = exact.as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
        if decimals > 4:
            out.append(ctx.finding("V-3", f"行政事业性收费金额{exact:f}万元的小数超过4位，请核对单位是否为万元",
                                   [key], actual=value))
        elif value >= fee_bound(ctx.report.level):
            who = f"对{LEVELS[ctx.report.level]}而言" if ctx.report.level in FEE_BOUND_WAN else ""
            out.append(ctx.finding("V-3", f"行政事业性收费金额{fmt_num(value)}万元（即{fmt_num(value / 10000)}亿元）"
                                          f"{who}偏大，请核对是否误按「元」填报（本栏单位为万元）", [key], actual=value))
    return out


CHECKS = (Check(("V-1", "V-2"), check_values), Check(("V-3",), check_fee_amount))
