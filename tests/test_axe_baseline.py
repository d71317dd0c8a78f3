"""The rule that the axe baseline (tests/browser/axe-baseline.json) may only shrink."""
from __future__ import annotations

import axe_baseline


def test_findings_equal_to_the_baseline_pass():
    assert not axe_baseline.compare({"region": 2}, {"region": 2})
    assert not axe_baseline.compare({}, {})


def test_a_new_rule_or_more_elements_fail_as_new():
    diff = axe_baseline.compare({"region": 3, "landmark-unique": 1}, {"region": 2})
    assert diff.new == {"region": (2, 3), "landmark-unique": (0, 1)} and not diff.gone
    assert "a new moderate/minor violation" in diff.report("unit/default/375")


def test_fewer_elements_or_a_fixed_rule_fail_until_the_baseline_shrinks():
    diff = axe_baseline.compare({"region": 1}, {"region": 2, "landmark-unique": 1})
    assert diff.gone == {"region": (2, 1), "landmark-unique": (1, 0)} and not diff.new
    report = diff.report("unit/default/375")
    assert 'set "region": 1' in report and 'remove "landmark-unique"' in report and "shrink" in report


def test_the_committed_baseline_is_well_formed():
    held = axe_baseline.load()
    assert isinstance(held, dict)
    for key, rules in held.items():
        assert key.count("/") == 2, key
        assert rules and all(isinstance(n, int) and n > 0 for n in rules.values()), (key, rules)
