"""Helpers for the workbook tests: random reports with planted errors, and the verdicts of both faces.

Not a test module (no ``test_`` prefix); the workbook tests import it as ``workbook_cases``.
"""
from __future__ import annotations

import random

from nianbao import formats, rules, workbook
from nianbao.formats.base import COUNT, MONEY, SIGNED, TEXT
from nianbao.model import LEVELS, Report, empty_report
from nianbao.rules.base import fmt_num, usable

FULL = str.maketrans("0123456789", "０１２３４５６７８９")
INVALID = {COUNT: [-3, 2.5, "abc", "12件", "1.5.2", "+-3", "3-", ".5", "①", "\t8"],
           SIGNED: [1.5, "x", "+-1", "5.5"],
           MONEY: [-1, "abc", "12万"]}
TEXT_NUMBERS = ["１２", " 7 ", "+5", "1,234", "０", "3.0", "8\n", "１２\u3000"]
BLANKS = [None, "/", "—", "无", " ", "／", "\n"]


BUILT_IN = formats.ids()  # the package's formats (a test may register more at run time)


def _spell(rng: random.Random, v):
    """A correct value as people type it: mostly the number, sometimes text or a blank for 0."""
    roll = rng.random()
    if roll < 0.75 or isinstance(v, float):
        return v
    if roll < 0.82:
        return float(v)
    if v == 0:
        return rng.choice(BLANKS)
    if roll < 0.9:
        return str(v)
    return str(v).translate(FULL)


def generate(seed: int, errors: int | None = None, format_id: str | None = None) -> Report:
    """A random report (of ``format_id``, else of a random built-in format); ``errors`` planted errors
    (random count when None, 0 for a consistent report)."""
    rng = random.Random(seed)
    fid = rng.choice(BUILT_IN)
    fid = format_id or fid
    fmt = formats.get(fid)
    year = rng.randint(fmt.first_year, fmt.last_year or fmt.first_year + 5)
    rep = empty_report(fid, year, agency=f"测试机关{seed}", level=rng.choice([None, *LEVELS]))
    for f in fmt.active.fields():
        if f.kind == COUNT:
            rep.set(f.key, rng.choice([0, rng.randint(0, 30), rng.randint(0, 100000)]))
        elif f.kind == SIGNED:
            rep.set(f.key, rng.randint(-20, 20))
        elif f.kind == MONEY:
            rep.set(f.key, rng.choice([0, round(rng.uniform(0, 5000), 2)]))
        else:
            rep.set(f.key, rng.choice(["0万元", "2807.19万元", None]))
    t3 = fmt.requests
    totals: dict[str, int] = {}
    for c in t3.part_columns:
        sparse = rng.random() < 0.5
        leaves = {r: (0 if sparse and rng.random() < 0.8 else rng.randint(0, 40)) for r in t3.result_leaves}
        results = sum(leaves.values())
        forward = rng.randint(0, 8)
        carried = rng.randint(0, results + forward)
        column = {**leaves, t3.results_total: results, "carry_forward": forward, "carried_over": carried,
                  "new": results + forward - carried}
        for row, v in column.items():
            rep.set(f"requests.{row}.{c}", v)
            totals[row] = totals.get(row, 0) + v
    for row, v in totals.items():
        rep.set(f"requests.{row}.{t3.total_column}", v)
    t4 = fmt.appeals
    for g, _ in t4.groups:
        parts = [rng.choice([0, rng.randint(0, 30)]) for _ in t4.part_members]
        for m, v in zip(t4.part_members, parts):
            rep.set(f"appeals.{g}.{m}", v)
        rep.set(f"appeals.{g}.{t4.total_member}", sum(parts))
    # Spell the correct values the ways people type them.  Totals keep their number, so a total stays
    # a formula unless an error below is planted.
    computed = workbook.computed_cells(fid)
    if rng.random() < 0.3:
        for f in fmt.fields():
            if f.kind in (COUNT, SIGNED) and f.key not in computed:
                rep.set(f.key, _spell(rng, rep.get(f.key)))
    n = rng.choice([0, 1, 1, 2, 3]) if errors is None else errors
    for _ in range(n):
        _plant(rng, rep, fmt, computed)
    return rep


def _plant(rng: random.Random, rep: Report, fmt, computed) -> None:
    numeric = [f for f in fmt.fields() if f.kind != TEXT]
    t3 = [f for f in numeric if f.table == "requests"]
    kind = rng.choice(["leaf", "total", "t3-1", "appeals", "invalid", "textnum", "blank", "blank-total",
                       "text-total"])
    if kind == "leaf":
        f = rng.choice([f for f in t3 if f.key not in computed])
        rep.set(f.key, rep.number(f.key) + rng.choice([1, 2, 5, 7]))
    elif kind == "total":
        key = rng.choice(sorted(computed))
        rep.set(key, rep.number(key) + rng.choice([-3, -1, 1, 6]) if rep.number(key) > 3 else rep.number(key) + 4)
    elif kind == "t3-1":
        key = f"requests.{rng.choice(['new', 'carried_over', 'carry_forward'])}.{rng.choice(fmt.requests.part_columns)}"
        rep.set(key, rep.number(key) + rng.choice([1, 3]))
    elif kind == "appeals":
        f = rng.choice([f for f in numeric if f.table == "appeals" and f.key not in computed])
        rep.set(f.key, rep.number(f.key) + 2)
    elif kind == "invalid":
        f = rng.choice(numeric)
        rep.set(f.key, rng.choice(INVALID[f.kind]))
    elif kind == "textnum":
        f = rng.choice([f for f in numeric if f.kind == COUNT and f.key not in computed])
        rep.set(f.key, rng.choice(TEXT_NUMBERS))
    elif kind == "blank":
        f = rng.choice([f for f in t3 if f.key not in computed])
        rep.set(f.key, rng.choice(BLANKS))
    elif kind == "blank-total":
        rep.set(rng.choice(sorted(computed)), rng.choice([None, "/"]))
    else:
        key = rng.choice(sorted(computed))
        rep.set(key, str(rep.number(key)).translate(FULL) if rng.random() < 0.5 else str(rep.number(key)))


# ---------------------------------------------------------------- verdicts
def python_verdicts(report: Report, findings: list) -> list[tuple[str, str]]:
    """For each row of 「校验」: (rule, verdict) as ``nianbao check`` decides it.

    Verdicts: 通过, 错误 (a finding of the instance), 提示 (V-1 numeric text), 无法校验 (a sum rule not
    evaluated because one of its cells is unusable).  For 错误 of a sum rule the verdict carries the
    message, which must match the workbook's word for word.
    """
    out = []
    for row in workbook.check_rows(report.format):
        if row.check is not None:
            hit = [f for f in findings if f.rule == row.rule and f.cells and f.cells[0] == row.check.target]
            if hit:
                out.append((row.rule, f"错误：{hit[0].message}（相差{_num(abs(hit[0].expected - hit[0].actual))}）"))
            elif rules.evaluate_sum(report, row.check) is None:
                out.append((row.rule, "无法校验"))
            else:
                out.append((row.rule, "通过"))
            continue
        mine = [f for f in findings if f.rule == "V-1" and set(f.cells) <= set(row.keys)]
        if any(f.severity == "error" for f in mine):
            out.append((row.rule, "错误"))
        elif not usable(report, row.keys):  # only totals of unusable parts: reported with the parts
            out.append((row.rule, "无法校验"))
        elif mine:
            out.append((row.rule, "提示"))
        else:
            out.append((row.rule, "通过"))
    return out


def _num(v) -> str:
    return fmt_num(v)


def workbook_verdicts(results: list) -> list[str]:
    """The 结果 column of 「校验」 reduced the same way (sum-rule errors keep their message)."""
    out = []
    for v in results:
        v = str(v)
        if v.startswith("错误："):
            out.append(v)
        elif v.startswith("无法校验"):
            out.append("无法校验")
        else:
            out.append(v[:2])
    return out


def compare(report: Report, findings, results: list) -> list[str]:
    """Differences between the two faces (empty when they agree)."""
    py = python_verdicts(report, findings)
    xl = workbook_verdicts(results)
    diffs = []
    for (rule, p), x, row in zip(py, xl, workbook.check_rows(report.format)):
        if p.startswith("错误") and row.check is None:
            ok = x.startswith("错误")
        else:
            ok = p == x
        if not ok:
            diffs.append(f"{rule} {row.description}: nianbao check「{p}」, 校验表「{x}」")
    if len(py) != len(xl):
        diffs.append(f"校验表有{len(xl)}行，规则实例{len(py)}个")
    return diffs
