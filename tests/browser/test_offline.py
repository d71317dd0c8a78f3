"""The intranet bundle: the offline build (`offline_site`, as packed by `make bundle`) opened from
file:// in Chromium, no web server. Pages must render, links must point at files that exist, search
must work (Material's search worker runs through the iframe-worker polyfill there), and nothing may
be fetched from the internet: an intranet has none (the guard in conftest.py fails any test whose
pages ask for anything outside the bundle's folder).
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

def test_offline_page_renders(offline, offline_url, offline_kind, shoot, links):
    url = offline_url + offline_kind.url(False)
    response = offline.goto(url)
    assert response is None or response.ok, f"{url}: {response and response.status}"
    h1 = offline.locator("article h1").first
    h1.wait_for(state="visible")
    if offline_kind.h1:
        assert offline_kind.h1 in h1.inner_text()
    assert offline.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") not in (
        "rgba(0, 0, 0, 0)", "transparent"), "theme stylesheet not applied from file://"
    if offline_kind.tables:
        assert offline.locator(".wp-table table").count() > 0
    broken = links.broken(offline, offline_url)
    assert not broken, f"{offline_kind.name}: links that do not open from file://:\n  " + "\n  ".join(broken)
    if offline_kind.name in ("home", "unit", "county", "item"):
        shoot(offline, f"offline-{offline_kind.name}")


def test_offline_click_through(offline, offline_url):
    """Clicking from page to page works without a server (links end in .html, no folder URLs)."""
    offline.goto(offline_url + "index.html")
    offline.locator("article").get_by_role("link", name="单位", exact=True).click()
    offline.wait_for_url(offline_url + "units/index.html")
    offline.locator("article").get_by_role("link", name="市财政局", exact=True).first.click()
    offline.wait_for_url(offline_url + "units/czj.html")
    offline.locator("article td.wp-no a").first.click()
    offline.wait_for_url(offline_url + "2020/items/*.html")
    assert offline.locator(".wp-item-text").is_visible()


def test_offline_makes_no_external_requests(offline, offline_url, guard):
    for kind in ("index.html", "units/czj.html", "counties/longnan.html", "2020/items/3-3-4.html", "2020/points.html"):
        offline.goto(offline_url + kind)
        offline.wait_for_load_state("load")
    offline.evaluate("0")
    assert not guard.external, f"{len(guard.external)} request(s) off the bundle:\n  " + "\n  ".join(guard.external)


def test_offline_search_works(offline, offline_url, search):
    offline.goto(offline_url + "index.html")
    # Material hides the search box when its worker cannot start.
    offline.locator(".md-search__input").wait_for(state="visible", timeout=5_000)
    hits = search(offline, "财政局", site_root=offline_url)
    assert hits, "no results from file://"
    assert hits[0].path == "units/czj.html", [h.path for h in hits[:5]]
    offline.locator(".md-search-result__list a.md-search-result__link").first.click()
    offline.wait_for_url(offline_url + "units/czj.html*")
    assert offline.locator("article h1").first.inner_text().startswith("市财政局")
