"""axe-core (the pinned npm package, injected from node_modules/ with no network) on one page of
every kind, the item table with filters applied and the search dialog open with results, in each
display mode of the 适老化/无障碍 toolbar (standard, large text, high contrast) at a desktop width
and at 375px: one page load per page kind and width, the modes switched in place as the toolbar
does (the axe runs are the same, the page loads a third).

Serious and critical violations fail the test. Moderate and minor ones are reported (a warning in
the test output, and test-artifacts/axe/<check>.json) and held by tests/browser/axe-baseline.json,
which may only shrink (tests/axe_baseline.py). In high-contrast mode axe also checks WCAG's 7:1
contrast rule (color-contrast-enhanced) for every text.
"""
from __future__ import annotations

import json
import warnings

import pytest

import axe_baseline
from a11y_helpers import MODES, WIDTHS, run_axe, switch_mode
from site_fixtures import ROOT

pytestmark = pytest.mark.browser

REPORTS = ROOT / "test-artifacts" / "axe"
# The item table is checked with filters applied (rows hidden, the status line filled in).
FILTERED = {"table": "?cat=3&rel=named"}
SEARCH = "search-open"   # the home page with the search dialog open, showing results for 财政局


class AxeFinding(UserWarning):
    """A moderate or minor axe finding held by the baseline: shown in the test output."""


def check_key(kind: str, mode: str, width: str) -> str:
    return f"{kind}/{mode}/{width}"


def _check(page, key: str, mode: str, axe_js) -> list[str]:
    """axe in one mode; the problems found (an empty list: none)."""
    violations = run_axe(page, axe_js, enhanced_contrast=MODES[mode] is not None and MODES[mode]["contrast"])
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / (key.replace("/", "--") + ".json")).write_text(
        json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in axe_baseline.BLOCKING_IMPACTS]
    held = [v for v in violations if v["impact"] not in axe_baseline.BLOCKING_IMPACTS]
    for v in held:
        warnings.warn(AxeFinding(f"{key}: {v['id']} ({v['impact']}) x{len(v['targets'])}: {v['help']}: "
                                 + "; ".join(v["targets"][:3])))
    problems = [f"{key}: {v['id']} ({v['impact']}) {v['help']}: {len(v['targets'])} element(s)\n    "
                + "\n    ".join(v["targets"][:8]) for v in blocking]
    difference = axe_baseline.compare({v["id"]: len(v["targets"]) for v in held},
                                      axe_baseline.load().get(key, {}))
    return problems + ([difference.report(key)] if difference else [])


def _check_modes(page, name: str, width: str, axe_js) -> None:
    """One page load, axe in every mode (switched as the toolbar does, without a reload)."""
    problems = []
    for mode in MODES:
        switch_mode(page, mode)
        problems += _check(page, check_key(name, mode, width), mode, axe_js)
    assert not problems, "serious/critical axe violations, or a baseline that does not match:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_axe(browse, axe_js, page_kind, width):
    page = browse(WIDTHS[width])
    response = page.goto((page_kind.url(True) or "./") + FILTERED.get(page_kind.name, ""))
    assert response is not None and response.status == 200
    if page_kind.name in FILTERED:
        assert "筛选结果" in page.locator("#wp-filter-status").inner_text(), "the filters were not applied"
    _check_modes(page, page_kind.name, width, axe_js)


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_search_dialog(browse, axe_js, site_url, search, width):
    page = browse(WIDTHS[width])
    page.goto("./")
    hits = search(page, "财政局", mobile=width != "desktop", site_root=site_url)
    assert hits, "no search results to check"
    _check_modes(page, SEARCH, width, axe_js)


# What only a site of several editions shows (tests/editions.py): the year switcher and the
# earlier-year banner on an edition page, the years table and per-year sections of a unit page.
TWO_EDITIONS = {"older-edition": "2020/categories/3-3/", "unit-years": "units/xczxj/"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", TWO_EDITIONS)
def test_axe_two_editions(two_editions, axe_js, name, width):
    page = two_editions(WIDTHS[width])
    response = page.goto(TWO_EDITIONS[name])
    assert response is not None and response.status == 200
    _check_modes(page, name, width, axe_js)


def test_baseline_names_only_checks_that_exist(page_kinds):
    """A baseline entry for a check that no longer runs would hold nothing, unnoticed."""
    kinds = [k.name for k in page_kinds] + [SEARCH, *TWO_EDITIONS]
    checks = {check_key(k, m, w) for k in kinds for m in MODES for w in WIDTHS}
    held = axe_baseline.load()
    assert set(held) <= checks, f"baseline entries for no check: {sorted(set(held) - checks)}"
    for key, rules in held.items():
        assert rules and all(isinstance(n, int) and n > 0 for n in rules.values()), f"{key}: {rules}"
