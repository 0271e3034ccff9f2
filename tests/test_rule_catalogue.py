"""The rule catalogue is the one source of rule ids and severities.

Every catalogued id of the check stage is emitted by exactly one check; a check emits only the ids it
declares; every finding's severity is the catalogue's (for a rule's case, the case's); findings are
immutable.
"""
from __future__ import annotations

import dataclasses

import pytest
import reportgen
import workbook_cases as cases
from nianbao import examples, findings, formats, rules
from nianbao.rules.base import Context


def test_every_catalogued_check_id_is_emitted_by_exactly_one_check():
    emitters: dict[str, list] = {}
    for c in rules.checks():
        for rule in c.emits:
            emitters.setdefault(rule, []).append(c.run.__qualname__)
    catalogued = {r.id for r in formats.RULES.values() if r.stage == "check"}
    assert set(emitters) == catalogued
    assert {r: e for r, e in emitters.items() if len(e) != 1} == {}


def test_checks_run_in_catalogue_order():
    order = [min(rules.ORDER[r] for r in c.emits) for c in rules.checks()]
    assert order == sorted(order)


def _reports():
    out = [(examples.load("seed"), None), (examples.load("example2021"), examples.load("example2021"))]
    for seed in range(40):
        this = cases.generate(seed)
        last = cases.generate(seed + 1000, format_id=this.format)
        last.year = this.year - 1
        out.append((this, last))
    return out


@pytest.mark.parametrize("i", range(0, 42, 6))
def test_each_check_emits_only_its_declared_ids_with_catalogued_severity(i):
    for report, previous in _reports()[i:i + 6]:
        ctx = Context(report, previous)
        for c in rules.checks():
            if c.needs_previous and previous is None:
                continue
            for f in c.run(ctx):
                assert f.rule in c.emits, (c.run.__qualname__, f.rule)
                assert f.severity == formats.RULES[f.rule].severity_of(f.case), f


def test_numeric_text_is_v1_with_its_catalogued_warning_severity():
    rep = reportgen.zero_report("2021")
    rep.set(rep.fmt.requests.key + ".new.natural", "１２")  # full-width digits: usable, but text
    f = next(f for f in rules.check(rep) if f.rule == "V-1")
    assert (f.severity, f.case) == ("warning", "text_number")
    assert formats.RULES["V-1"].severity == "error"  # the rule itself stays an error rule


def test_findings_are_immutable_and_carry_their_locations_when_made():
    f = findings.make("T3-2", "msg", ["a.b.c"], locate=lambda k: f"表三!{k}")
    assert f.locations == ("表三!a.b.c",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.severity = "warning"  # type: ignore[misc]


def test_an_uncatalogued_case_is_refused():
    with pytest.raises(KeyError):
        findings.make("V-1", "msg", case="no-such-case")
