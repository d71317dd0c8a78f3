"""Editions in a real browser (issue 14): an old address opened as a reader opens a link sent to them
a year ago (with its ?query and #fragment), over HTTP and in the file:// bundle; the year switcher
and search across years on the two-edition site (tests/editions.py). tests/test_editions.py checks
every address and page from the files."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_an_old_address_lands_on_the_2020_page_with_its_query_and_fragment(desktop, site_url):
    desktop.goto("items/3-3-4/?h=%E9%93%81%E8%B7%AF#progress")
    desktop.wait_for_url(site_url + "2020/items/3-3-4/?h=%E9%93%81%E8%B7%AF#progress")
    assert "三（三）-4" in desktop.locator("article h1").inner_text()


def test_an_old_address_lands_on_the_2020_page_in_the_bundle(offline, offline_url):
    offline.goto(offline_url + "categories/3-3.html#item-3-3-4")
    offline.wait_for_url(offline_url + "2020/categories/3-3.html#item-3-3-4")
    assert "三（三）" in offline.locator("article h1").inner_text()


def test_the_year_switcher_leads_to_the_same_page_in_the_other_year(two_editions, two_url):
    page = two_editions()
    page.goto("2021/categories/3-3/")
    switcher = page.get_by_role("navigation", name="选择年度")
    assert switcher.locator("[aria-current=page]").inner_text() == "2021 年"
    switcher.get_by_role("link", name="2020 年").click()
    page.wait_for_url(two_url + "2020/categories/3-3/")
    banner = page.locator(".wp-older-edition")
    assert "这是 2020 年的工作要点" in banner.inner_text()
    banner.get_by_role("link", name="2021 年").click()
    page.wait_for_url(two_url + "2021/categories/3-3/")


def test_a_unit_page_jumps_to_a_year(two_editions, two_url):
    page = two_editions()
    page.goto("units/xczxj/")
    assert page.locator("article h1").inner_text().startswith("市乡村振兴局")
    page.locator("#unit-years").get_by_role("link", name=re.compile("2020")).first.click()
    page.wait_for_url(re.compile(re.escape(two_url + "units/xczxj/") + "#y2020$"))
    assert page.locator("#y2020").is_visible()


def test_search_shows_the_year_of_each_result(two_editions, two_url, search):
    page = two_editions()
    page.goto("./")
    hits = search(page, "四好农村路", site_root=two_url)
    items = [h for h in hits if "/items/3-4-10/" in h.path]
    assert [h.path for h in items] == ["2021/items/3-4-10/", "2020/items/3-4-10/"], [(h.path, h.title) for h in hits]
    assert items[0].title.startswith("2021年") and items[1].title.startswith("2020年")
