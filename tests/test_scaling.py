"""What keeps a build linear as the plan grows (issue 9, maintainers/performance.md): the indexes the model
builds in one pass give the same answers as the plain definitions, and the pages whose size would
grow as units × categories change shape on a big plan (a synthetic 5× plan: 45 leaf categories).
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from mkdocs.config import load_config
from site_fixtures import built_site  # noqa: F401  (session fixture)

from workplan import hooks, synth
from workplan.load import load_plan
from workplan.pages import Site, git_dates
from workplan.pages.overviews import MATRIX_COLUMN_LIMIT
from workplan.progress import load_progress

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def x5(tmp_path_factory):
    return load_plan(synth.generate(tmp_path_factory.mktemp("synth") / "x5", 5))


# --------------------------------------------------------------------------- model indexes

def naive_mentions(plan):
    """Plan.mentions as documented: every place tested against every item text."""
    out = {}
    for unit in plan.places:
        hits = []
        for item in plan.items.values():
            text = item.text
            for false in unit.not_mentions:
                text = text.replace(false, "\0")
            if any(m in text for m in (unit.name, *unit.aliases, *unit.mentions)):
                hits.append(item.id)
        out[unit.id] = tuple(hits)
    return out


@pytest.mark.parametrize("which", ["real", "x5"])
def test_mentions_index_equals_the_plain_rule(which, plan, x5):
    p = plan if which == "real" else x5
    assert dict(p.mentions) == naive_mentions(p)
    assert sum(map(len, p.mentions.values())) > (20 if which == "real" else 100)   # not vacuous


def test_point_and_category_indexes_equal_a_scan_of_the_items(plan, x5):
    for p in (plan, x5):
        for no, point in p.points.items():
            assert point.items == tuple(i.id for i in p.items.values() if no in i.points)
        for cat in p.categories.values():
            members = cat.children or (cat.id,)
            assert cat.items == tuple(i.id for i in p.items.values() if i.category in members)
        for gid in p.groups:
            assert p.group_items(gid) == tuple(i for i in p.items.values()
                                               if gid in i.group_ids("lead") + i.group_ids("responsible"))


def test_each_units_items_are_read_from_an_index_that_matches_a_scan_of_every_item():
    """reportable() and unit_items() come from indexes built once (a scan of every item per call
    made unit pages and templates grow with the square of the plan); the scan is the definition."""
    progress = load_progress(ROOT, load_plan(ROOT), include_sample=True)
    assert progress.reports   # the sample rounds hold reports, so unit_items has reports to add
    for uid in progress.plan.units:
        assert progress.reportable(uid) == tuple(iid for iid in progress.plan.items if uid in progress.roles[iid])
        reported = {r.item for r in progress.by_unit[uid]}
        assert progress.unit_items(uid) == tuple(iid for iid in progress.plan.items
                                                 if iid in reported or iid in progress.expected[uid])
    assert "3-1-7" in progress.reportable("xunwu")   # through 各县（市、区） (tests/test_progress.py: reporting through groups)
    assert progress.reportable("no-such-unit") == ()


def test_git_dates_match_git_log_per_file():
    files = subprocess.run(["git", "ls-files", "data"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    one_by_one = {}
    for f in files:
        day = subprocess.run(["git", "log", "-1", "--format=%cs", "--", f], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        if day:
            one_by_one[f] = day
    assert one_by_one, "a checkout with history"
    assert git_dates(ROOT, files) == one_by_one
    assert git_dates(ROOT, ["data/no-such-file.yaml"]) == {}


# --------------------------------------------------------------------------- page shapes

def matrix_rows(markdown: str) -> dict[str, list[tuple[str, ...]]]:
    """unit id → the data-cat of the cells of each of its rows."""
    rows: dict[str, list[tuple[str, ...]]] = {}
    for uid, cells in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', markdown):
        rows.setdefault(uid, []).append(tuple(re.findall(r'data-cat="([^"]+)"', cells)))
    return rows


def test_small_plan_has_one_matrix_with_every_unit_and_category(plan):
    assert len(plan.leaf_categories) <= MATRIX_COLUMN_LIMIT
    rows = matrix_rows(Site(plan).render("2020/matrix.md", "2020/matrix/"))
    leaves = tuple(c.id for c in plan.leaf_categories)
    assert set(rows) == set(plan.units) and all(r == [leaves] for r in rows.values())


def test_big_plan_matrix_is_one_table_per_part_with_only_the_units_named_there(x5):
    assert len(x5.leaf_categories) > MATRIX_COLUMN_LIMIT
    body = Site(x5).render(f"{x5.year}/matrix.md", f"{x5.year}/matrix/")
    assert body.count("<table") == len(x5.parts) + sum(
        1 for part in x5.parts if any(i.group_ids("lead") + i.group_ids("responsible")
                                      for i in map(x5.items.get, part.items)))
    leaves_of = {part.id: tuple(c.id for c in x5.leaf_categories if (c.parent or c.id) == part.id) for part in x5.parts}
    expected: dict[str, list[tuple[str, ...]]] = {}
    for part in x5.parts:   # a row per part in which the unit is named, with that part's columns
        named = {uid for iid in part.items for role in ("lead", "responsible") for uid in x5.items[iid].unit_ids(role)}
        for uid in named:
            expected.setdefault(uid, []).append(leaves_of[part.id])
    got = matrix_rows(body)
    assert {u: sorted(r) for u, r in got.items()} == {u: sorted(r) for u, r in expected.items()}
    # the page grows with the assignments, not units × categories
    assert body.count("<td data-cat=") < len(x5.units) * len(x5.leaf_categories) / 4


def nav_after_on_config(plan) -> list:
    config = load_config(str(ROOT / "mkdocs.yml"))
    hooks._point_nav_at(config, Site(plan))
    section = next(v for e in config.nav for v in e.values()
                   if isinstance(v, list) and v[0] == f"{plan.year}/categories/index.md")
    return section


def test_nav_lists_every_category_of_a_small_plan_only(plan, x5):
    assert nav_after_on_config(plan) == ["2020/categories/index.md",
                                         *({c.heading: f"2020/categories/{c.id}.md"} for c in plan.categories.values())]
    assert len(x5.categories) > hooks.NAV_CATEGORY_LIMIT
    assert nav_after_on_config(x5) == [f"{x5.year}/categories/index.md"]


def test_generated_page_source_is_front_matter_only(plan):
    site = Site(plan)
    for spec in site.specs.values():
        source = site.source(spec)
        assert source.startswith("---\n") and source.endswith("---\n") and "{{" not in source, spec.src


# --------------------------------------------------------------------------- the search index

def test_search_index_is_utf8_and_leaves_item_texts_to_the_item_pages(built_site, plan):
    raw = (built_site / "search/search_index.json").read_text(encoding="utf-8")
    assert "赣州" in raw and not re.search(r"\\u[4-9a-f][0-9a-f]{3}", raw), "CJK written as UTF-8, not \\u escapes"
    docs = json.loads(raw)["docs"]
    texts = [(d["location"].split("#")[0], d["text"].replace("\u200b", "")) for d in docs]
    for item in plan.items.values():
        phrase = item.text[:12]
        holders = {loc for loc, text in texts if phrase in text}
        assert f"2020/items/{item.id}/" in holders, item.id
        # the overview tables that repeat every item text are kept out of the index
        assert not any(h.startswith("2020/categories/") or h == "2020/items/" for h in holders), (item.id, holders)
    locations = {loc for loc, _ in texts}
    assert "2020/categories/3-1/" in locations and "2020/items/" in locations, "those pages (titles, headings) stay findable"
