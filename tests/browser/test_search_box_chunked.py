"""Material's search box on a site that searches the chunked index (Pagefind, issue 18): the real
site forced above extra.search_chunked_above (threshold 1), served over HTTP. The reader sees the
same dialog: type a unit's name, its page comes first; the arrow keys and Enter follow a result;
nothing found says what to try. Every request stays on the site (the guard of conftest.py blocks
and reports any other), and the results come from site/pagefind/, not from a single index."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def chunked_page(browser, guard, chunked_url):
    guard.allowed.append(chunked_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", service_workers="block",
                                  base_url=chunked_url)
    context.route("**/*", guard.route)
    context.on("request", guard.on_request)
    context.on("page", guard.watch)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.requested = requested
    yield page
    context.close()


@pytest.mark.parametrize(("query", "expected"), [("市财政局", "units/czj/"), ("瑞金", "counties/ruijin/"),
                                                 ("czj", "units/czj/"), ("3-4-2", "2020/items/3-4-2/")])
def test_a_name_or_number_finds_its_page_first(chunked_page, chunked_url, search, query, expected):
    chunked_page.goto("2020/items/")
    hits = search(chunked_page, query, site_root=chunked_url)
    assert hits and hits[0].path == expected, [f"{h.path} {h.title}" for h in hits[:5]]
    assert any(url.startswith(chunked_url + "pagefind/") for url in chunked_page.requested)
    assert all(url.startswith((chunked_url, "data:", "blob:")) for url in chunked_page.requested)


def test_keyboard_reaches_and_follows_a_result(chunked_page, chunked_url):
    chunked_page.goto("./")
    chunked_page.locator(".md-search__input").focus()
    chunked_page.keyboard.type("市财政局")
    chunked_page.keyboard.press("End")       # Material reads the query on keyup
    first = chunked_page.locator(".md-search-result__list a.md-search-result__link").first
    first.wait_for()
    assert "市财政局" in first.inner_text()
    chunked_page.keyboard.press("ArrowDown")
    focused = chunked_page.evaluate("document.activeElement.className + ' ' + document.activeElement.getAttribute('href')")
    assert focused.startswith("md-search-result__link") and "units/czj/" in focused, focused
    chunked_page.keyboard.press("Enter")
    chunked_page.wait_for_url(chunked_url + "units/czj/?h=*")   # search highlights the query (?h=), as on a small site
    assert "h=%E5%B8%82%E8%B4%A2%E6%94%BF%E5%B1%80" in chunked_page.url, chunked_page.url   # 市财政局, not an empty h


def test_nothing_found_says_what_to_try(chunked_page):
    chunked_page.goto("./")
    chunked_page.locator(".md-search__input").click()
    chunked_page.locator(".md-search__input").fill("魑魅魍魉")
    chunked_page.locator(".md-search__input").press("End")
    meta = chunked_page.locator(".md-search-result__meta")
    meta.filter(has_text="可以试试").wait_for()
    assert chunked_page.locator(".md-search-result__list li").count() == 0
