"""Search as a reader uses it: type a unit's name (full, partial, alias, pinyin), an item's number or
a phrase of an item into the search box of the served site and read what comes first; what the
results say (no "缺少" for what they show, no zero-width characters), and what an empty result says.
tests/test_search_site.py runs the whole query suite in Node; a sample of it runs here.
"""
from __future__ import annotations

import pytest
from search_suite import suite

pytestmark = pytest.mark.browser

# (query, page that must be the FIRST result, how the query relates to the unit)
UNIT_QUERIES = [
    # 市直部门
    pytest.param("市财政局", "units/czj/", "full", id="czj-full"),
    pytest.param("财政局", "units/czj/", "partial", id="czj-partial"),
    pytest.param("市振兴办", "units/zxb/", "full", id="zxb-full"),
    pytest.param("振兴办", "units/zxb/", "partial", id="zxb-partial"),
    # 功能区 (gets a county-style page)
    pytest.param("赣州经开区", "counties/gzjkq/", "full", id="gzjkq-full"),
    pytest.param("经开区", "counties/gzjkq/", "partial", id="gzjkq-partial"),
    pytest.param("赣州经济技术开发区", "counties/gzjkq/", "alias", id="gzjkq-alias"),
    pytest.param("蓉江新区", "counties/rjxq/", "alias", id="rjxq-alias"),
    # 高校/科研
    pytest.param("江西理工大学", "units/jxlg/", "full", id="jxlg-full"),
    pytest.param("理工大学", "units/jxlg/", "partial", id="jxlg-partial"),
    # 驻市单位
    pytest.param("人民银行赣州中支", "units/rmyh/", "full", id="rmyh-full"),
    pytest.param("人民银行", "units/rmyh/", "partial", id="rmyh-partial"),
    pytest.param("人行赣州中支", "units/rmyh/", "alias", id="rmyh-alias"),
    pytest.param("赣州海关", "units/gzhg/", "full", id="gzhg-full"),
    pytest.param("海关", "units/gzhg/", "partial", id="gzhg-partial"),
    # 县（市、区）
    pytest.param("章贡区", "counties/zhanggong/", "full", id="zhanggong-full"),
    pytest.param("瑞金市", "counties/ruijin/", "full", id="ruijin-full"),
    pytest.param("龙南市", "counties/longnan/", "full", id="longnan-full"),
    pytest.param("龙南县", "counties/longnan/", "alias", id="longnan-alias"),
]


@pytest.mark.parametrize(("query", "expected", "relation"), UNIT_QUERIES)
def test_unit_name_finds_the_units_own_page_first(desktop, site_url, search, query, expected, relation):
    desktop.goto("./")
    hits = search(desktop, query, site_root=site_url)
    shown = [f"{h.path} {h.title}" for h in hits[:5]]
    assert hits, f"{query!r}: no results"
    assert hits[0].path == expected, f"{query!r} ({relation} name): first result {shown[0]!r}, expected {expected}; top 5: {shown}"


# A phrase found in exactly one item's text: that item's page must be the first result.
ITEM_PHRASES = [
    pytest.param("打造全国物流结算中心", id="wuliu-jiesuan"),
    pytest.param("油茶工程研究中心", id="youcha-gongcheng"),
    pytest.param("央企产能承接示范基地", id="yangqi-channeng"),
    pytest.param("疾病预防控制体系", id="jibing-yufang"),
    pytest.param("南丰至瑞金铁路", id="nanfeng-ruijin-tielu"),
]


@pytest.mark.parametrize("phrase", ITEM_PHRASES)
def test_item_phrase_finds_the_item(desktop, site_url, search, plan, phrase):
    matching = [item for item in plan.items.values() if phrase in item.text]
    assert len(matching) == 1, f"test data: {phrase!r} should occur in exactly one item, found {[i.id for i in matching]}"
    expected = f"2020/items/{matching[0].id}/"
    desktop.goto("./")
    hits = search(desktop, phrase, site_root=site_url)
    shown = [f"{h.path} {h.title}" for h in hits[:8]]
    assert hits and hits[0].path == expected, f"{phrase!r}: first result is not {expected}: {shown}"
    # Following the result lands on the item, which shows the phrase.
    desktop.locator(".md-search-result__list a.md-search-result__link").first.click()
    desktop.wait_for_url(f"**/{expected}**")
    assert phrase in desktop.locator(".wp-item-text").inner_text()


def test_search_result_opens_the_unit_page(desktop, site_url, search):
    """The whole loop once: type, click the first result, land on the unit's page."""
    desktop.goto("2020/items/")
    hits = search(desktop, "财政局", site_root=site_url)
    assert hits and hits[0].path == "units/czj/"
    desktop.locator(".md-search-result__list a.md-search-result__link").first.click()
    desktop.wait_for_url("**/units/czj/**")
    assert desktop.locator("article h1").inner_text().startswith("市财政局")


def _sample():
    """Two queries of every kind of the suite (the first and the middle one), as test parameters."""
    by_kind = {}
    for query in suite():
        by_kind.setdefault(query.kind, []).append(query)
    picked = [q for queries in by_kind.values() for q in dict.fromkeys([queries[0], queries[len(queries) // 2]])]
    return [pytest.param(q, id=f"{q.kind}-{q.text}") for q in picked]


@pytest.mark.parametrize("query", _sample())
def test_suite_sample(desktop, site_url, search, query):
    desktop.goto("./")
    hits = search(desktop, query.text, site_root=site_url)
    found = [h.path for h in hits[:5]]
    assert query.passed(found), f"{query.kind} {query.text!r}: want {sorted(query.expected)}, got {found}"


def test_unit_result_reads_clean(desktop, site_url, search):
    """The first result for a unit's name is its page, titled exactly (no U+200B to copy along) and
    without a "缺少" line: it had said 缺少: 市* under 市财政局."""
    desktop.goto("./")
    hits = search(desktop, "市财政局", site_root=site_url)
    assert hits[0].path == "units/czj/"
    first = desktop.locator(".md-search-result__list > li.md-search-result__item").first
    assert first.locator(":scope > a h1").first.evaluate("h => h.textContent") == "市财政局"
    assert "\u200b" not in desktop.locator(".md-search-result__list").evaluate("l => l.textContent")
    assert first.locator(".md-search-result__terms").count() == 0


def test_no_results_say_what_to_try(desktop):
    desktop.goto("./")
    desktop.locator(".md-search__input").click()
    box = desktop.locator(".md-search__input")
    box.fill("魑魅魍魉")   # in no page
    box.press("End")
    meta = desktop.locator(".md-search-result__meta")
    meta.filter(has_text="没有找到").wait_for()
    text = meta.inner_text()
    assert "更短的词" in text and "单位简称" in text and "拼音" in text, text
    assert desktop.locator(".md-search-result__list > li").count() == 0


@pytest.mark.parametrize(("query", "expected"), [("三（四）2", "2020/items/3-4-2.html"), ("sczj", "units/czj.html")])
def test_numbers_and_pinyin_from_file(offline, offline_url, search, query, expected):
    """The intranet bundle (file://, the worker runs in an iframe) has the same search."""
    offline.goto(offline_url + "index.html")
    hits = search(offline, query, site_root=offline_url)
    assert hits and hits[0].path == expected, [h.path for h in hits[:5]]
