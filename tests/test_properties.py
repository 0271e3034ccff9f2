"""Property tests of the rule engine (hypothesis)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao import examples, formats, rules
from reportgen import clone, consistent_report

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ERROR_RULES = {r for r, info in formats.RULES.items() if info.severity == "error"}


def errors(findings):
    return [f for f in findings if f.severity == "error"]


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_consistent_reports_pass_every_error_rule(format_id):
    @SETTINGS
    @given(consistent_report(format_id))
    def check(report):
        findings = rules.check(report)
        assert errors(findings) == []
        # numeric text, blanks, sections the generated narrative leaves empty: warnings only
        assert {f.rule for f in findings} <= {"V-1", "V-2", "V-3", "N-3"}

    check()


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_consistent_report_with_matching_previous_year_passes_x1(format_id):
    @settings(SETTINGS, max_examples=50)
    @given(consistent_report(format_id), consistent_report(format_id, spelled=False))
    def check(report, previous):
        # Last year's 结转下年度 is this year's 上年结转: copy it over, keeping last year consistent.
        t3 = previous.fmt.requests
        for c in t3.part_columns:
            key = lambda row: f"requests.{row}.{c}"  # noqa: E731
            carry_forward = report.number(key("carried_over"))
            new = previous.number(key("results_total")) + carry_forward - previous.number(key("carried_over"))
            previous.set(key("carry_forward"), carry_forward)
            previous.set(key("new"), max(new, 0))
            previous.set(key("carried_over"), previous.number(key("carried_over")) + min(new, 0))
        for row in ("new", "carried_over", "carry_forward"):
            previous.set(f"requests.{row}.total", sum(previous.number(f"requests.{row}.{c}") for c in t3.part_columns))
        previous.year = report.year - 1
        assert [f for f in errors(rules.check(previous)) if f.rule != "S-1"] == []
        findings = rules.check(report, previous)
        assert errors(findings) == []

    check()


@st.composite
def report_and_planted_error(draw, format_id):
    report = draw(consistent_report(format_id, spelled=False))
    fmt = report.fmt
    key = draw(st.sampled_from([f.key for f in fmt.requests.fields()]))
    value = report.number(key)
    # Mostly changes that keep the cell a valid count (caught by the sums), sometimes below zero (V-1).
    delta = draw(st.one_of(st.integers(min_value=-value, max_value=40),
                           st.integers(min_value=-value - 40, max_value=-value - 1)).filter(bool))
    return report, key, delta


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_changing_one_cell_of_table_three_is_caught(format_id):
    @SETTINGS
    @given(report_and_planted_error(format_id))
    def check(case):
        report, key, delta = case
        changed = clone(report)
        changed.set(key, report.number(key) + delta)
        _, row, col = key.split(".")
        found = errors(rules.check(changed))
        assert found, f"{key} {delta:+d} not caught"
        assert {f.rule for f in found} <= ERROR_RULES
        naming = [f for f in found
                  if any(c.split(".")[1] == row or c.split(".")[2] == col for c in f.cells)]
        assert naming, f"no error names row {row} or column {col}"
        # The changed cell itself is among the cells of a finding.
        assert any(key in f.cells for f in found)
        # A negative count is reported as such (V-1) rather than through sums computed from it.
        if report.number(key) + delta < 0:
            assert any(f.rule == "V-1" and list(f.cells) == [key] for f in found)

    check()


APPEALS_KEYS = [f.key for f in formats.get("2021").appeals.fields()]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=50), min_size=12, max_size=12),
       st.sampled_from(APPEALS_KEYS), st.integers(min_value=-30, max_value=30).filter(bool))
def test_changing_one_appeals_cell_is_caught_by_t4_1(parts, key, delta):
    report = examples.load("example2021")
    t4 = report.fmt.appeals
    members = iter(parts)
    for g, _ in t4.groups:
        values = [next(members) for _ in t4.part_members]
        for m, v in zip(t4.part_members, values):
            report.set(f"appeals.{g}.{m}", v)
        report.set(f"appeals.{g}.{t4.total_member}", sum(values))
    assert errors(rules.check(report)) == []
    value = report.number(key) + delta
    report.set(key, value)
    found = errors(rules.check(report))
    expected = ["V-1"] if value < 0 else ["T4-1"]
    assert [f.rule for f in found] == expected
    assert key in found[0].cells
