"""A clerk's explanations of findings: a warning that is right to raise and right to leave is explained
once (sheet 「说明」 of the workbook, ``explanations`` of report data), keyed by rule and location.

An explanation settles a warning (shown apart, not counted among the warnings to resolve); an error keeps
its note but stays an error.  An explanation that matches no finding any more has lapsed, and says so.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from .findings import Finding



@dataclass(frozen=True)
class Explanation:
    """Why the finding of ``rule`` at ``location`` stays as it is."""

    rule: str
    location: str
    text: str
    where: str | None = None  # the cell it was read from (「说明!C5」), for notes

    def to_dict(self) -> dict:
        return {"rule": self.rule, "location": self.location, "text": self.text}


def place_key(text: str) -> str:
    """A location as typed or as printed, compared loosely: its first place (「表三!J7、表三!D7」 → 表三!J7),
    no spaces, ``$`` or quotes, full-width 「！」 as 「!」, cell letters in capitals."""
    first = str(text or "").split("、")[0]
    t = "".join(first.split()).replace("！", "!").replace("$", "").replace("'", "")
    return t.upper()


def rule_key(text: str) -> str:
    return "".join(str(text or "").split()).upper().replace("－", "-").replace("—", "-")


def from_data(items: Iterable[dict]) -> tuple[Explanation, ...]:
    """Explanations from report data (``[{"rule", "location", "text"}]``); rows without text are none."""
    out = []
    for item in items or ():
        text = str(item.get("text") or "").strip()
        if text:
            out.append(Explanation(str(item.get("rule") or "").strip(), str(item.get("location") or "").strip(),
                                   text, item.get("where")))
    return tuple(out)


def _matches(e: Explanation, f: Finding) -> bool:
    if rule_key(e.rule) != f.rule:
        return False
    want = place_key(e.location)
    if not want:  # no location typed: the rule's findings that point at no cell (a whole section)
        return not f.locations and not f.cells
    return want in {place_key(p) for p in (f.place, *f.locations, *f.cells)}


def apply(findings: Iterable[Finding], explanations: Iterable[Explanation]
          ) -> tuple[list[Finding], tuple[Explanation, ...]]:
    """The findings with their explanations set (the last explanation of a key wins), and the explanations
    that matched no finding (lapsed)."""
    explanations = tuple(explanations)
    used: set[int] = set()
    out = []
    for f in findings:
        hit = None
        for i, e in enumerate(explanations):
            if _matches(e, f):
                hit = i
        if hit is None:
            out.append(f)
        else:
            used.add(hit)
            for i, e in enumerate(explanations):  # every explanation of the same key is in use
                if _matches(e, f):
                    used.add(i)
            out.append(replace(f, explained=explanations[hit].text))
    lapsed = tuple(e for i, e in enumerate(explanations) if i not in used)
    return out, lapsed


def lapse_note(e: Explanation) -> str:
    """The note for the user on an explanation whose finding no longer arises."""
    where = f"（{e.where}）" if e.where else ""
    return (f"说明已失效{where}：{e.rule or '（未填规则）'}［{e.location or '未填位置'}］的问题本次没有出现，"
            f"这条说明不再使用，可以删除。")
