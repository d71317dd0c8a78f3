"""The mention rules for county and zone pages (data/units.yaml header, data/README.md): an item
concerns a place when its text holds the place's name, an alias or one of its `mentions`; each of
the place's `not_mentions` (a longer string around a mention that means something else) is blanked
out first — for that place only, and only where it occurs.

The real texts need few of these rules (tests/expected_counties.py), so each case below puts a
written text into item 一-1 (which names no place) of the real plan, with the real registry, and
writes down which places it must reach. Each case is one a wrong rule would get wrong.
"""
from __future__ import annotations

import dataclasses
import re

import pytest

from workplan.load import load_plan
from workplan.model import frozen_map
from workplan.pages import Site

CASES = [
    # (text, places it mentions, the rule it checks)
    ("支持兴国县发展", {"xingguo"}, "the name"),
    ("支持兴国发展", {"xingguo"}, "a mention"),
    ("争取赣州经济技术开发区扩区", {"gzjkq"}, "an alias"),
    ("推动振兴国家战略落地", set(), "a not_mention hides the mention inside it"),
    ("落实振兴国家战略，支持兴国发展", {"xingguo"}, "… but not another occurrence of the mention"),
    ("确定南康站改名", {"nankang"}, "确定南 is 定南县's not_mention only: 南康 still counts for 南康区"),
    ("全线开工建设瑞兴于快速交通走廊", {"ruijin", "xingguo", "yudu"}, "one mention reaches several places"),
    ("推动瑞(金)梅(州)铁路开工", {"ruijin"}, "a mention with brackets"),
    ("全面开工建设瑞金机场", {"ruijin"}, "a place inside a longer name"),
    ("由于都市圈扩容带来的机遇", set(), "two not_mentions around one 于都"),
    ("对于都市区的规划", set(), "对于都 and 于都市区"),
    ("对于都市区的规划，推动于都县发展", {"yudu"}, "… and the county named after them"),
    ("留有较大余地", set(), "大余 inside 较大余地"),
    ("推进大余新城机场军民合用", {"dayu"}, "大余新城机场"),
    ("建设宝石城和钻石城", set(), "石城 inside 宝石城 / 钻石城"),
    ("推进公安远程办案", set(), "安远 inside 公安远 / 安远程"),
    ("健全南北协作机制", set(), "全南 inside 健全南"),
    ("社会昌明", set(), "会昌 inside 社会昌"),
    ("赣州市统筹推进", set(), "赣州 alone is no county"),
    ("兴振兴国国", set(), "what is left either side of a blanked not_mention is not joined into 兴国"),
    ("赣县和章贡", {"ganxian", "zhanggong"}, "short forms of two places"),
]


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def with_text(plan, text: str):
    items = dict(plan.items)
    items["1-1"] = dataclasses.replace(items["1-1"], text=text)
    return dataclasses.replace(plan, items=frozen_map(items))


def test_item_1_1_names_and_mentions_no_place(plan):
    assert not any("1-1" in ids for ids in plan.mentions.values())
    assert plan.items["1-1"].lead[0].unit == "zxb" and not plan.items["1-1"].responsible


@pytest.mark.parametrize("text,places,rule", CASES, ids=[c[2] for c in CASES])
def test_mention_rules(plan, text, places, rule):
    changed = with_text(plan, text)
    assert {pid for pid, ids in changed.mentions.items() if "1-1" in ids} == places


def mentioned_on_page(plan, place: str) -> list[str]:
    body = Site(plan).render(f"counties/{place}.md", f"counties/{place}/")
    section = body[body.index("{#mentioned"):]
    return re.findall(r"items/([0-9-]+)/", section)


@pytest.mark.parametrize("text,shown", [("推动振兴国家战略落地", False), ("落实振兴国家战略，支持兴国发展", True)])
def test_the_county_page_lists_what_the_rules_find(plan, text, shown):
    assert ("1-1" in mentioned_on_page(with_text(plan, text), "xingguo")) is shown


def test_a_named_place_is_not_listed_again_as_mentioned(plan):
    """二-11 names 兴国县 and its text says 瑞兴于: it is on the page once, as named."""
    assert "瑞兴于" in plan.items["2-11"].text
    assert "2-11" not in mentioned_on_page(plan, "xingguo")


def test_a_collective_item_that_mentions_the_county_is_listed_once(plan):
    """二-3 is given to 各县（市、区）; with 兴国 in its text it stays one of 兴国县's eight collective
    items and is not counted again as mentioned — on the page, in its years table, in the county's
    JSON and in the charts alike (it used to be on the page twice, 正文提及 1 项 and 12 in all)."""
    from workplan import charts, exports

    changed = dataclasses.replace(plan, items=frozen_map(
        {**plan.items, "2-3": dataclasses.replace(plan.items["2-3"], text=plan.items["2-3"].text + "支持兴国发展")}))
    assert "2-3" in changed.mentions["xingguo"]
    assert mentioned_on_page(changed, "xingguo") == []
    body = Site(changed).render("counties/xingguo.md", "counties/xingguo/")
    duty = re.sub(r"<[^>]+>|\s", "", re.search(r'id="duty">(.*?)</p>', body, re.S).group(1))
    assert duty == "兴国县承担11项重大事项：点名承担3项（其中牵头0项）·集体分配8项；另有正文提及0项。"
    counts = exports.unit_counts(changed, "xingguo")
    assert counts["mentioned"] == 0 and counts["collective"] == 8
    assert [r["relation"] for r in exports.relations(changed, "xingguo")["2-3"]] == ["responsible"]
    assert [row[1:] for row in charts.county_breakdown(changed) if row[0].id == "xingguo"] == [(3, 8, 0)]
