"""Run-together digits and values in the wrong column, decided by the table's own rules.

Text taken from a published table can glue neighbouring cells ("1262629" for 126 | 26 | 29, the
neighbours left empty) or put a value one column off.  Such a row stretch is an ``Ambiguity``: the
data keys it covers and every way its printed digits can be laid over them.  ``resolve`` keeps the
reading as printed when it satisfies the format's sum checks; otherwise it tries every candidate:
exactly one that satisfies them is taken (finding I-5); several, or none, leave the cells empty
(None) with a finding that lists the candidates (I-6).  Nothing is guessed.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..findings import Finding, make
from ..formats.base import ReportFormat, SumCheck

MAX_CANDIDATES = 5000      # per stretch
MAX_COMBINATIONS = 20000   # over all stretches of one report, tried together
MAX_DIGITS = 18

Values = dict  # data key -> int | float | None

_DIGITS = re.compile(r"\d+(?:\s+\d+)*")


@dataclass(frozen=True)
class Ambiguity:
    """A stretch of a table row whose printed digits may belong to its cells in several ways."""

    keys: tuple[str, ...]                               # the cells of the stretch, left to right
    printed: tuple[int | None, ...]                     # the reading as printed (one value per key)
    candidates: tuple[tuple[int | None, ...], ...]      # other readings, one value (or None) per key
    text: str                                           # the printed text, for the message
    where: str = ""                                     # its place in the document


def _splits(digits: str, parts: int) -> Iterable[tuple[int, ...]]:
    """Every way to cut a digit string into ``parts`` numbers without leading zeros."""
    n = len(digits)
    for cuts in itertools.combinations(range(1, n), parts - 1):
        bounds = (0,) + cuts + (n,)
        pieces = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
        if all(p == "0" or not p.startswith("0") for p in pieces):
            yield tuple(int(p) for p in pieces)


def _readings(digits_text: str, span: int, at: int) -> list[tuple[int | None, ...]]:
    """Every way one cell's digits can lie over ``span`` cells, the printed reading (at ``at``) first."""
    groups = digits_text.split()
    digits = "".join(groups)
    printed = tuple(int(digits) if k == at else None for k in range(span))
    out = [printed]
    sizes = [len(groups)] if len(groups) > 1 else range(1, min(span, len(digits)) + 1)
    for size in sizes:
        if size > span:
            continue
        pieces = [tuple(int(g) for g in groups)] if len(groups) > 1 else _splits(digits, size)
        for piece in pieces:
            for start in range(0, span - size + 1):
                out.append((None,) * start + piece + (None,) * (span - size - start))
            if len(out) >= MAX_CANDIDATES:
                return list(dict.fromkeys(out))
    return list(dict.fromkeys(out))


def stretch(keys: Sequence[str], texts: Sequence[str], where: str = "") -> list[Ambiguity]:
    """The ambiguous stretches of one row of value cells (``texts[i]`` printed in cell ``keys[i]``).

    A stretch is a cell holding digits with empty cells beside it: its digits may be several
    neighbouring values run together (their number of pieces given by visible gaps, or else
    unknown) or one value printed a column off.  Cells whose stretches share an empty cell form one
    stretch, their readings combined where they do not claim the same cell.
    """
    n = len(keys)
    filled = [bool(t.strip()) for t in texts]
    spans: list[tuple[int, int, int]] = []  # (lo, hi, the digit cell)
    for i, t in enumerate(texts):
        text = t.strip()
        if not text or not _DIGITS.fullmatch(text) or len(text.replace(" ", "")) > MAX_DIGITS:
            continue
        lo = i
        while lo > 0 and not filled[lo - 1]:
            lo -= 1
        hi = i
        while hi + 1 < n and not filled[hi + 1]:
            hi += 1
        if lo < hi:
            spans.append((lo, hi, i))
    clusters: list[list[tuple[int, int, int]]] = []
    for sp in spans:
        if clusters and sp[0] <= max(h for _l, h, _i in clusters[-1]):
            clusters[-1].append(sp)
        else:
            clusters.append([sp])
    out = []
    for members in clusters:
        lo = min(m[0] for m in members)
        hi = max(m[1] for m in members)
        width = hi - lo + 1
        combos: list[tuple[int | None, ...]] = [(None,) * width]
        for m_lo, m_hi, i in members:
            nxt = []
            for reading in _readings(texts[i].strip(), m_hi - m_lo + 1, i - m_lo):
                for base in combos:
                    merged = list(base)
                    ok = True
                    for k, v in enumerate(reading):
                        if v is None:
                            continue
                        if merged[m_lo - lo + k] is not None:
                            ok = False
                            break
                        merged[m_lo - lo + k] = v
                    if ok:
                        nxt.append(tuple(merged))
                    if len(nxt) >= MAX_CANDIDATES:
                        break
            combos = list(dict.fromkeys(nxt))
        printed = tuple(int(texts[k].replace(" ", "")) if filled[k] else None for k in range(lo, hi + 1))
        text = " | ".join(texts[k].strip() or "空" for k in range(lo, hi + 1))
        out.append(Ambiguity(tuple(keys[lo:hi + 1]), printed, tuple(c for c in combos if c != printed),
                             text, where))
    return out


def _holds(check: SumCheck, values: Values) -> bool | None:
    """True/False for a check whose cells are all known (an empty cell counts 0); None otherwise."""
    total = []
    for side in (check.left, check.right):
        s = 0
        for k in side:
            if k not in values:
                return None
            s += values[k] or 0
        total.append(s)
    return abs(total[0] - total[1]) < 1e-6


def _consistent(checks: list[SumCheck], values: Values) -> bool:
    return all(_holds(c, values) is not False for c in checks)


def _show(keys: tuple[str, ...], reading: tuple[int | None, ...]) -> str:
    return " | ".join("空" if v is None else str(v) for v in reading)


def resolve(fmt: ReportFormat, values: Values, ambiguities: Sequence[Ambiguity]) -> tuple[Values, list[Finding]]:
    """The values with every ambiguity decided by the sum checks where exactly one reading fits.

    ``values`` holds every value read (the ambiguous keys as printed or None); the result is a new dict.
    """
    out = dict(values)
    findings: list[Finding] = []
    if not ambiguities:
        return out, findings
    keys = {k for a in ambiguities for k in a.keys}
    checks = [c for c in fmt.sum_checks() if keys & set(c.keys)]

    def apply(base: Values, amb: Ambiguity, reading) -> None:
        for k, v in zip(amb.keys, reading):
            base[k] = v

    printed = dict(out)
    for a in ambiguities:
        apply(printed, a, a.printed)
    if _consistent(checks, printed):
        return printed, findings

    options = [(a.printed,) + a.candidates for a in ambiguities]
    total = 1
    for o in options:
        total *= len(o)
    per = [set() for _ in ambiguities]
    if total <= MAX_COMBINATIONS:
        for combo in itertools.product(*options):
            trial = dict(out)
            for a, reading in zip(ambiguities, combo):
                apply(trial, a, reading)
            if _consistent(checks, trial):
                for i, reading in enumerate(combo):
                    per[i].add(reading)
    else:  # too many together: each stretch alone, the others as printed
        for i, a in enumerate(ambiguities):
            for reading in options[i]:
                trial = dict(printed)
                apply(trial, a, reading)
                if _consistent(checks, trial):
                    per[i].add(reading)
    for a, fits in zip(ambiguities, per):
        if len(fits) == 1:
            reading = next(iter(fits))
            apply(out, a, reading)
            if reading != a.printed:
                findings.append(make(
                    "I-5", f"{a.where}「{a.text}」数字粘连或错列，按表内勾稽关系只有一种读法成立，"
                           f"已读作：{_show(a.keys, reading)}", a.keys, actual=a.text,
                    locations=(a.where,) if a.where else ()))
        else:
            apply(out, a, (None,) * len(a.keys))
            if fits:
                listing = "；".join(_show(a.keys, r) for r in sorted(fits, key=str)[:10])
                more = f"（共{len(fits)}种）" if len(fits) > 10 else ""
                msg = (f"{a.where}「{a.text}」数字粘连或错列，按表内勾稽关系有多种读法都成立{more}："
                       f"{listing}。未作推断，这些单元格按空白处理，请对照原件填写")
            else:
                msg = (f"{a.where}「{a.text}」数字粘连或错列，没有一种拆分能满足表内勾稽关系；"
                       "未作推断，这些单元格按空白处理，请对照原件填写")
            findings.append(make("I-6", msg, a.keys, actual=a.text,
                                 expected=[list(r) for r in sorted(fits, key=str)[:10]],
                                 locations=(a.where,) if a.where else ()))
    return out, findings
