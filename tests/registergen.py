"""Random register rows for the register tests, and the counting written out independently of
``nianbao.register`` (plain date comparisons per row, from the definitions in docs/register.md)."""
from __future__ import annotations

import datetime as dt
import random

from nianbao import formats

NAMES = ("王秀英", "李建国", "张晓燕", "某某科技有限公司", "刘律师事务所")


def _labels(fmt):
    t3, t4 = fmt.requests, fmt.appeals
    return {
        "types": [t3.column_label(k) for k in t3.part_columns],
        "results": [t3.result_option(k) for k in t3.result_leaves],
        "categories": [path[-1] for _, path in t4.groups],
        "case_results": [t4.member_label(k) for k in t4.part_members if k != t4.pending_member],
    }


def edge_date(rng: random.Random, year: int) -> dt.date:
    """A date, often at the edges of the report year."""
    edges = [dt.date(year - 1, 12, 31), dt.date(year, 1, 1), dt.date(year, 12, 31), dt.date(year + 1, 1, 1),
             dt.date(year - 1, 1, 1), dt.date(year, 6, 30)]
    if rng.random() < 0.4:
        return rng.choice(edges)
    return dt.date(year - 2, 1, 1) + dt.timedelta(days=rng.randrange(365 * 3 + 60))


def application_rows(fmt, year: int, n: int, seed: int, messy: bool = True, start: int = 1) -> list[tuple]:
    """``n`` rows of 「依申请台账」 (cells in the sheet's column order); ``messy`` adds what the clerk gets
    wrong: types and results typed over the drop-down, text dates, blanks, times of day."""
    rng = random.Random(seed)
    lab = _labels(fmt)
    out = []
    for i in range(n):
        received = edge_date(rng, year)
        if received >= dt.date(year + 1, 1, 1) and not messy:
            received = dt.date(year, 12, 31)
        typ = rng.choice(lab["types"])
        closed = None
        result = None
        if rng.random() < 0.7:
            closed = received + dt.timedelta(days=rng.choice([0, 1, 5, 20, 60, 400]))
            result = rng.choice(lab["results"])
        if messy:
            r = rng.random()
            if r < 0.04:
                typ = rng.choice(["企业", "自然人 ", None, "其它"])
            elif r < 0.08:
                result = rng.choice(["同意公开", None, "（三）不予公开"])
            elif r < 0.11:
                closed = rng.choice(["2024年3月", "待定"])
            elif r < 0.14:
                received = rng.choice([None, "去年"])
            elif r < 0.17 and isinstance(closed, dt.date):
                closed = dt.datetime.combine(closed, dt.time(15, 30))
            elif r < 0.20:
                closed = None  # result without a close date
        out.append((f"YS{start + i:05d}", received, rng.choice(NAMES), typ, "申请公开某项目批复文件",
                    result, closed, None))
    return out


def case_rows(fmt, year: int, n: int, seed: int, messy: bool = True, start: int = 1) -> list[tuple]:
    rng = random.Random(seed)
    lab = _labels(fmt)
    out = []
    for i in range(n):
        received = edge_date(rng, year)
        if received >= dt.date(year + 1, 1, 1) and not messy:
            received = dt.date(year, 12, 31)
        cat = rng.choice(lab["categories"])
        closed = result = None
        if rng.random() < 0.6:
            closed = received + dt.timedelta(days=rng.choice([0, 30, 90, 400]))
            result = rng.choice(lab["case_results"])
        if messy:
            r = rng.random()
            if r < 0.05:
                cat = rng.choice(["行政诉讼", None])
            elif r < 0.10:
                result = rng.choice(["维持", None])
            elif r < 0.13:
                closed = "审理中"
        out.append((f"FY{start + i:04d}", cat, received, result, closed, "案情略"))
    return out


def _date(v):
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return None


def independent_counts(fmt, year: int, applications: list[tuple], cases: list[tuple]) -> dict[str, int]:
    """The counts of tables 三 and 四, by the definitions, row by row."""
    t3, t4 = fmt.requests, fmt.appeals
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    col_of = {t3.column_label(k): k for k in t3.part_columns}
    row_of = {t3.result_option(k): k for k in t3.result_leaves}
    out = {f"{t3.key}.{r}.{c}": 0 for r in (t3.new_row, t3.carried_row, t3.forward_row, *t3.result_leaves)
           for c in t3.part_columns}
    for _, received, _, typ, _, result, closed, _ in applications:
        col, got, done = col_of.get(typ), _date(received), _date(closed)
        if col is None or got is None or got > last:
            continue
        open_ = closed is None or closed == ""
        if got >= first:
            out[f"{t3.key}.{t3.new_row}.{col}"] += 1
        if got < first and (open_ or (done is not None and done >= first)):
            out[f"{t3.key}.{t3.carried_row}.{col}"] += 1
        if open_ or (done is not None and done > last):
            out[f"{t3.key}.{t3.forward_row}.{col}"] += 1
        elif done is not None and first <= done <= last and result in row_of:
            out[f"{t3.key}.{row_of[result]}.{col}"] += 1
    group_of = {path[-1]: g for g, path in t4.groups}
    member_of = {t4.member_label(m): m for m in t4.part_members if m != t4.pending_member}
    for g, _ in t4.groups:
        for m in t4.part_members:
            out[f"{t4.key}.{g}.{m}"] = 0
    for _, cat, received, result, closed, _ in cases:
        g, got, done = group_of.get(cat), _date(received), _date(closed)
        if g is None or got is None or got > last:
            continue
        if closed is None or closed == "" or (done is not None and done > last):
            out[f"{t4.key}.{g}.{t4.pending_member}"] += 1
        elif done is not None and first <= done <= last and result in member_of:
            out[f"{t4.key}.{g}.{member_of[result]}"] += 1
    return out


def format_years():
    """(format id, a report year it covers) for every registered format."""
    return [(f.id, f.first_year + 1 if f.last_year is None else f.last_year) for f in formats.FORMATS.values()]
