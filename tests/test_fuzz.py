"""Property-based tests: random but schema-valid plans always load, always build, and every item
appears on every page it belongs to.

`plans()` draws a whole data/ folder — a units registry with random CJK names (rare characters
such as 𠀀, emoji and emoji sequences included), aliases, counties and zones, collective groups;
parts and sub-categories with matching declared counts; items with random text and random
lead/responsible lists (names, aliases, groups and "甲等乙" compounds); body parts, points, links.
The expectations are computed from the draw itself, not from workplan's model.

- test_random_plans_load (many examples, no build): the loader resolves every entry to the drawn
  unit/group, and the model's indexes (involvement, group items, point links, counts) agree.
- test_random_plans_build (a few examples, a real --strict build each): every item is on its item
  page, its category page (and the parent part's page), the items index, the page of each unit and
  group named for it, and the county page of each county or zone reached directly or via a group.

Runs derandomized (fixed examples, no example database) so CI is stable; HYPOTHESIS_PROFILE=fuzz-deep
draws fresh random examples, ten times as many (about 2 minutes with the builds).
Edge registries (no county, only counties) are fixed cases at the end.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from helpers_html import Page, resolve
from site_fixtures import build_copy, project_copy
from workplan.load import load_plan
from workplan.model import COUNTY_KIND, KINDS, ZONE_KIND
from workplan.schema import SCHEMA_DIR

settings.register_profile("fuzz-ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("fuzz-deep", derandomize=False, database=None, print_blob=True)
DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz-deep"   # random examples, 10x as many
PROFILE = settings.get_profile("fuzz-deep" if DEEP else "fuzz-ci")
LOAD = settings(PROFILE, max_examples=400 if DEEP else 40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A build takes seconds: few examples, and no shrinking (it would rebuild hundreds of times); the
# failing example is printed in full, and print_blob gives the @reproduce_failure line.
BUILD = settings(PROFILE, max_examples=40 if DEEP else 4, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                 suppress_health_check=[HealthCheck.too_slow])

NUMERALS = "一二三四五六七八九十"
# Divisions as the schema has them today (counties: 区/县/县级市; zones: 功能区 where allowed).
_UNIT_SCHEMA = json.loads((SCHEMA_DIR / "units.schema.json").read_text(encoding="utf-8"))
DIVISIONS = _UNIT_SCHEMA["$defs"]["unit"]["properties"]["division"]["enum"]
COUNTY_DIVISIONS = [d for d in DIVISIONS if d in ("区", "县", "县级市")]
ZONE_DIVISION = ZONE_KIND if ZONE_KIND in DIVISIONS else None

# --------------------------------------------------------------------------- characters and text

RARE = ["𠀀", "𠀁", "𪚥", "𰻝", "𱍐", "〇", "😀", "🏮", "🇨🇳", "👩‍👩‍👧", "㐀", "䶵", "鿕"]
# CJK Unified Ideographs (BMP block) without 等, which would split a name as a "甲等乙" entry.
cjk = st.integers(0x4E00, 0x9FEF).map(chr).filter(lambda c: c != "等")
name_char = st.one_of(cjk, cjk, cjk, st.sampled_from(RARE))
text_piece = st.one_of(cjk, cjk, cjk, cjk, st.sampled_from(RARE),
                       st.sampled_from(list("，。、；：“”《》（）—…0123456789") + ["2020年", "GDP", " A B ", "5G"]))
names = st.lists(name_char, min_size=2, max_size=7).map("".join)
texts = st.lists(text_piece, min_size=1, max_size=40).map("".join).filter(lambda t: t.strip())
unit_ids = st.from_regex(r"[a-z][a-z0-9]{0,4}(-[a-z0-9]{1,3})?", fullmatch=True)


@dataclass
class Spec:
    files: dict[str, object]                     # path under the project → YAML data
    units: dict[str, dict]                       # id → {name, kind, division, aliases}
    groups: dict[str, dict]                      # id → {name, members}
    items: list[dict] = field(default_factory=list)   # {id, cat, parent, text, lead, responsible, points}
    categories: dict[str, int] = field(default_factory=dict)   # category id → declared count

    def write(self, root: Path) -> None:
        data = root / "data"
        if data.exists():
            shutil.rmtree(data)
        for rel, content in self.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")

    def page_of_unit(self, uid: str) -> str:
        return f"{'counties' if self.units[uid]['division'] else 'units'}/{uid}/index.html"


@st.composite
def plans(draw) -> Spec:
    # ----- registry: unique names across units, aliases and groups
    n_units = draw(st.integers(2, 7))
    n_groups = draw(st.integers(0, 2))
    all_names = draw(st.lists(names, min_size=n_units * 2 + n_groups, max_size=n_units * 2 + n_groups, unique=True))
    ids = draw(st.lists(unit_ids, min_size=n_units + n_groups, max_size=n_units + n_groups, unique=True))
    kinds = [KINDS[0], COUNTY_KIND] + [draw(st.sampled_from(KINDS)) for _ in range(n_units - 2)]
    units, unit_rows = {}, []
    for i in range(n_units):
        kind = kinds[i]
        division = (draw(st.sampled_from(COUNTY_DIVISIONS)) if kind == COUNTY_KIND
                    else ZONE_DIVISION if kind == ZONE_KIND else None)
        aliases = [all_names[n_units + i]] if draw(st.booleans()) else []
        units[ids[i]] = {"name": all_names[i], "kind": kind, "division": division, "aliases": aliases}
        row = {"id": ids[i], "name": all_names[i], "kind": kind, "aliases": aliases,
               "full_name": draw(st.one_of(st.none(), names)), "note": draw(st.one_of(st.none(), texts))}
        if division:
            row["division"] = division
        unit_rows.append(row)
    groups, group_rows = {}, []
    for j in range(n_groups):
        gid = ids[n_units + j]
        # Membership is written per unit (member_of); a group has at least one member.
        chosen = set(draw(st.lists(st.sampled_from(ids[:n_units]), min_size=1, max_size=n_units, unique=True)))
        members = [uid for uid in ids[:n_units] if uid in chosen]
        groups[gid] = {"name": all_names[2 * n_units + j], "members": members}
        group_rows.append({"id": gid, "name": all_names[2 * n_units + j], "aliases": [],
                           "note": draw(st.one_of(st.none(), texts))})
    for row in unit_rows:
        row["member_of"] = [gid for gid, g in groups.items() if row["id"] in g["members"]]

    # ----- body: parts and consecutively numbered points
    n_body = draw(st.integers(1, 2))
    body, point_no = [], 0
    for b in range(n_body):
        pts = []
        for _ in range(draw(st.integers(1, 3))):
            point_no += 1
            pts.append({"number": point_no, "title": draw(texts), "text": draw(texts)})
        body.append({"number": NUMERALS[b], "title": draw(texts), "points": pts})
    n_points = point_no

    # ----- attachment: parts, optional sub-categories, items
    targets = [("unit", uid) for uid in units] + [("group", gid) for gid in groups] + \
              [("both", (uid, gid)) for uid in units for gid in groups]

    def printed(target) -> str:
        kind, key = target
        if kind == "unit":
            return draw(st.sampled_from([units[key]["name"], *units[key]["aliases"]]))
        if kind == "group":
            return groups[key]["name"]
        uid, gid = key
        return f"{draw(st.sampled_from([units[uid]['name'], *units[uid]['aliases']]))}等{groups[gid]['name']}"

    spec = Spec(files={}, units=units, groups=groups)
    parts, leaves = [], []
    for p in range(1, draw(st.integers(1, 3)) + 1):
        part = {"id": str(p), "number": NUMERALS[p - 1], "title": draw(texts), "declared_count": 0}
        n_subs = draw(st.integers(0, 3))
        if n_subs:
            part["categories"] = [{"id": f"{p}-{s}", "number": f"（{NUMERALS[s - 1]}）", "title": draw(texts),
                                   "declared_count": 0} for s in range(1, n_subs + 1)]
            leaves += [(sub, part) for sub in part["categories"]]
        else:
            leaves.append((part, None))
        parts.append(part)
    links = {"categories": {}, "items": {}}
    for cat in [p for p in parts] + [s for p in parts for s in p.get("categories", [])]:
        if draw(st.booleans()):
            links["categories"][cat["id"]] = draw(st.integers(1, n_points))
    item_files = {}
    for index, (leaf, part) in enumerate(leaves):
        rows = []
        for no in range(1, draw(st.integers(1 if index == 0 else 0, 4)) + 1):
            lead = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique=True))
            resp = draw(st.lists(st.sampled_from(targets), min_size=0, max_size=3, unique=True))
            text = draw(texts)
            iid = f"{leaf['id']}-{no}"
            rows.append({"number": no, "text": text, "lead": [printed(t) for t in lead],
                         "responsible": [printed(t) for t in resp]})
            linked = draw(st.one_of(st.none(), st.integers(1, n_points)))
            if linked is not None:
                links["items"][iid] = linked
            # an item's points: its category's (else its part's) point, then its own link, each once
            inherited = links["categories"].get(leaf["id"], links["categories"].get(part["id"]) if part else None)
            points = tuple(dict.fromkeys(p for p in (inherited, links["items"].get(iid)) if p))
            spec.items.append({"id": iid, "cat": leaf["id"], "parent": part["id"] if part else None, "text": text,
                               "lead": lead, "responsible": resp, "points": points})
        leaf["declared_count"] = len(rows)
        if part is not None:
            part["declared_count"] += len(rows)
        item_files[f"data/2020/items/{leaf['id']}.yaml"] = {"category": leaf["id"], "items": rows}
    spec.categories = {c["id"]: c["declared_count"] for p in parts for c in [p, *p.get("categories", [])]}

    spec.files = {
        "data/units.yaml": {"units": unit_rows, "groups": group_rows},
        "data/2020/document.yaml": {
            "year": 2020, "issuer": draw(names), "doc_no": draw(names) + "〔2020〕1号", "title": draw(texts),
            "date": "2020-04-03", "general_requirements": draw(texts), "requirements": draw(st.lists(texts, min_size=1, max_size=2)),
            "reporting_deadlines": draw(st.sampled_from([[], ["2020-06-30"], ["2020-06-30", "2020-12-30"]]))},
        "data/2020/points.yaml": {"parts": body},
        "data/2020/attachment.yaml": {"title": draw(texts), "declared_count": len(spec.items), "parts": parts},
        "data/2020/links.yaml": links,
        "data/2020/errata.yaml": {"errata": []},
        **item_files,
    }
    return spec


def _resolved(target) -> tuple[set, set]:
    kind, key = target
    if kind == "unit":
        return {key}, set()
    if kind == "group":
        return set(), {key}
    return {key[0]}, {key[1]}


def expected_roles(item: dict, role: str) -> tuple[set, set]:
    units_, groups_ = set(), set()
    for t in item[role]:
        u, g = _resolved(t)
        units_ |= u
        groups_ |= g
    return units_, groups_


# --------------------------------------------------------------------------- load-only properties

@LOAD
@given(spec=plans())
def test_random_plans_load(spec: Spec):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        spec.write(root)
        plan = load_plan(root)
    assert list(plan.items) == [i["id"] for i in spec.items]
    for item in spec.items:
        got = plan.items[item["id"]]
        assert got.text == item["text"]
        assert got.category == item["cat"]
        assert got.points == item["points"], item["id"]
        for role in ("lead", "responsible"):
            units_, groups_ = expected_roles(item, role)
            assert set(got.unit_ids(role)) == units_, (item["id"], role)
            assert set(got.group_ids(role)) == groups_, (item["id"], role)
    for uid in spec.units:
        for role in ("lead", "responsible"):
            direct = [i["id"] for i in spec.items if uid in expected_roles(i, role)[0]]
            assert [i.id for i in plan.involved(uid, role)] == direct, (uid, role)
            via = [i["id"] for i in spec.items if uid not in expected_roles(i, role)[0]
                   and any(uid in spec.groups[g]["members"] for g in expected_roles(i, role)[1])]
            assert [i.id for i in plan.involved(uid, role, collective=True)] == via, (uid, role, "collective")
    for gid, group in spec.groups.items():
        assert plan.groups[gid].members == tuple(group["members"])
        expect = [i["id"] for i in spec.items if any(gid in expected_roles(i, r)[1] for r in ("lead", "responsible"))]
        assert [i.id for i in plan.group_items(gid)] == expect
    for cid, count in spec.categories.items():
        assert plan.categories[cid].declared_count == count
        assert len(plan.categories[cid].items) == count


# --------------------------------------------------------------------------- build properties

@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    """A copy of the project whose data/ each example replaces."""
    return project_copy(tmp_path_factory.mktemp("fuzz") / "project")


def pages_listing(spec: Spec, item: dict) -> set[str]:
    """Every page that must list `item` (link to its page and show its text)."""
    pages = {f"2020/items/{item['id']}/index.html", f"2020/categories/{item['cat']}/index.html", "2020/items/index.html"}
    if item["parent"]:
        pages.add(f"2020/categories/{item['parent']}/index.html")
    for role in ("lead", "responsible"):
        units_, groups_ = expected_roles(item, role)
        pages |= {spec.page_of_unit(u) for u in units_}
        pages |= {f"groups/{g}/index.html" for g in groups_}
        pages |= {spec.page_of_unit(u) for g in groups_ for u in spec.groups[g]["members"]
                  if spec.units[u]["division"]}   # a county or zone reached through a group
    return pages


def squash(text: str) -> str:
    return "".join(text.split())


@BUILD
@given(spec=plans())
def test_random_plans_build(fuzz_project, spec: Spec):
    entries = [t for i in spec.items for role in ("lead", "responsible") for t in i[role]]
    event(f"groups: {len(spec.groups)}, '甲等乙' entries: {sum(kind == 'both' for kind, _ in entries)}")
    event(f"counties/zones: {sum(bool(u['division']) for u in spec.units.values())}, items: {len(spec.items)}")
    spec.write(fuzz_project)
    out = fuzz_project.parent / "site"
    try:
        site = build_copy(fuzz_project, out)
        cache: dict[str, tuple[Page, set[Path]]] = {}

        def read(rel: str):
            if rel not in cache:
                path = site / rel
                assert path.is_file(), f"{rel} was not built"
                page = Page.read(path)
                cache[rel] = page, {resolve(site, path, href)[0] for _, attr, href in page.links() if attr == "href"}
            return cache[rel]

        problems = []
        for item in spec.items:
            item_page = site / f"2020/items/{item['id']}/index.html"
            for rel in sorted(pages_listing(spec, item)):
                page, targets = read(rel)
                if squash(item["text"]) not in squash(page.article_text):
                    problems.append(f"{item['id']}: text not on {rel}")
                if rel != f"2020/items/{item['id']}/index.html" and item_page not in targets:
                    problems.append(f"{item['id']}: no link from {rel}")
        points_page, points_targets = read("2020/points/index.html")
        problems += [f"{i['id']}: no link from 2020/points/index.html" for i in spec.items
                     if i["points"] and site / f"2020/items/{i['id']}/index.html" not in points_targets]
        assert not problems, "\n".join(problems)
    finally:
        shutil.rmtree(out, ignore_errors=True)


# --------------------------------------------------------------------------- edge registries

def tiny_plan(unit_kinds: list[tuple[str, str | None]]) -> Spec:
    """A fixed, minimal, schema-valid plan: one unit per (kind, division), one item led by each."""
    unit_rows = [{"id": f"u{i}", "name": f"单位{'甲乙丙丁'[i]}", "kind": kind, "aliases": [], **({"division": div} if div else {})}
                 for i, (kind, div) in enumerate(unit_kinds)]
    rows = [{"number": i + 1, "text": f"事项{'甲乙丙丁'[i]}𠀀", "lead": [u["name"]], "responsible": []}
            for i, u in enumerate(unit_rows)]
    units = {u["id"]: {"name": u["name"], "kind": u["kind"], "division": u.get("division"), "aliases": []}
             for u in unit_rows}
    return Spec(files={
        "data/units.yaml": {"units": unit_rows, "groups": []},
        "data/2020/document.yaml": {"year": 2020, "issuer": "发文机关", "doc_no": "某发〔2020〕1号", "title": "工作要点",
                                    "date": "2020-04-03", "general_requirements": "总体要求。", "requirements": ["要求。"],
                                    "reporting_deadlines": []},
        "data/2020/points.yaml": {"parts": [{"number": "一", "title": "部分", "points": [{"number": 1, "title": "要点。", "text": "正文。"}]}]},
        "data/2020/attachment.yaml": {"title": "重大事项", "declared_count": len(rows),
                                      "parts": [{"id": "1", "number": "一", "title": "类别", "declared_count": len(rows)}]},
        "data/2020/links.yaml": {"categories": {"1": 1}},
        "data/2020/errata.yaml": {"errata": []},
        "data/2020/items/1.yaml": {"category": "1", "items": rows},
    }, units=units, groups={})


# Was: api.md.j2 and Site.example_unit_path() assumed at least one county and one non-place unit.


@pytest.mark.parametrize("kinds", [
    pytest.param([(KINDS[0], None), (COUNTY_KIND, COUNTY_DIVISIONS[0])], id="units-and-counties"),
    pytest.param([(KINDS[0], None), (KINDS[1], None)], id="no-county-or-zone"),
    pytest.param([(COUNTY_KIND, COUNTY_DIVISIONS[0]), (COUNTY_KIND, COUNTY_DIVISIONS[-1])], id="only-counties"),
])
def test_edge_registries_build(fuzz_project, kinds):
    spec = tiny_plan(kinds)
    spec.write(fuzz_project)
    load_plan(fuzz_project)   # valid data: a failure below is the build's
    out = fuzz_project.parent / "site-edge"
    try:
        site = build_copy(fuzz_project, out)
        for uid in spec.units:
            page = Page.read(site / spec.page_of_unit(uid))
            assert f"事项{'甲乙丙丁'[int(uid[1:])]}𠀀" in page.article_text
    finally:
        shutil.rmtree(out, ignore_errors=True)
