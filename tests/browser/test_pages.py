"""Every page kind renders in a desktop and a phone viewport with zero requests off the site and no
console errors (the guard in conftest.py fails the test otherwise), without horizontal overflow;
a full-page screenshot of each is saved. Then the phone-specific parts: drawer, search, tables."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

OVERFLOW_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _check_page(page, site_url, page_kind, links=None):
    response = page.goto(page_kind.url(True) or "./")
    assert response is not None and response.status == 200, f"{page_kind.url(True)}: HTTP {response and response.status}"
    page.wait_for_load_state("load")
    h1 = page.locator("article h1").first
    h1.wait_for(state="visible")
    if page_kind.h1:
        assert page_kind.h1 in h1.inner_text(), f"{page_kind.name}: heading {h1.inner_text()!r}"
    if page_kind.name != "not-found":
        assert "404" not in page.title(), f"{page_kind.name}: got the 404 page"
    # The theme's stylesheet applied (header coloured, not an unstyled page).
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") not in (
        "rgba(0, 0, 0, 0)", "transparent")
    if page_kind.tables:
        assert page.locator(".wp-table table").count() > 0, f"{page_kind.name}: no item table"
    document_width, viewport_width = page.evaluate(OVERFLOW_JS)
    assert document_width <= viewport_width, (
        f"{page_kind.name}: page is {document_width}px wide in a {viewport_width}px viewport (horizontal overflow)")
    if links is not None:
        broken = links.broken(page, site_url)
        assert not broken, f"{page_kind.name}: broken links:\n  " + "\n  ".join(broken)


def test_page_kind_desktop(desktop, site_url, page_kind, shoot, links):
    _check_page(desktop, site_url, page_kind, links)
    shoot(desktop, f"desktop-{page_kind.name}")


def test_page_kind_mobile(mobile, site_url, page_kind, shoot):
    _check_page(mobile, site_url, page_kind)
    shoot(mobile, f"mobile-{page_kind.name}")


# --------------------------------------------------------------------------- phone

def test_mobile_drawer_opens_and_navigates(mobile, site_url):
    mobile.goto("units/czj/")
    drawer = mobile.locator(".md-sidebar--primary")
    toggle = mobile.locator('.md-header__button[data-for="__drawer"]')
    assert toggle.is_visible(), "no menu button in the phone header"
    assert drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 1, "drawer open before tapping the button"
    toggle.click()
    mobile.wait_for_function(
        "() => { const r = document.querySelector('.md-sidebar--primary').getBoundingClientRect();"
        " return r.left >= 0 && r.width > 100; }")
    entry = drawer.get_by_role("link", name="县（市、区）", exact=True).first
    entry.wait_for(state="visible")
    entry.click()
    mobile.wait_for_url(f"{site_url}counties/")
    assert "县" in mobile.locator("article h1").first.inner_text()


def test_mobile_search_is_usable(mobile, site_url, search):
    mobile.goto("./")
    assert mobile.locator('.md-header__button[data-for="__search"]').is_visible(), "no magnifier in the phone header"
    hits = search(mobile, "瑞金市", mobile=True, site_root=site_url)
    assert mobile.evaluate("document.activeElement === document.querySelector('.md-search__input')"), \
        "tapping the magnifier did not focus the search box"
    assert hits and hits[0].path == "counties/ruijin/", [h.path for h in hits[:5]]
    # The overlay slides in; once it has settled, the results must fit the screen.
    fits = ("() => { const r = document.querySelector('.md-search__output').getBoundingClientRect();"
            " return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 1; }")
    try:
        mobile.wait_for_function(fits, timeout=5_000)
    except Exception:
        raise AssertionError(f"search results off screen: {mobile.locator('.md-search__output').bounding_box()}") from None
    mobile.locator(".md-search-result__list a.md-search-result__link").first.tap()
    mobile.wait_for_url("**/counties/ruijin/**")
    assert mobile.locator("article h1").first.inner_text().startswith("瑞金市")


@pytest.mark.parametrize("path", ["units/czj/", "counties/longnan/", "2020/categories/3-3/", "2020/items/"])
def test_mobile_tables_scroll_inside_their_wrapper(mobile, path):
    mobile.goto(path)
    document_width, viewport_width = mobile.evaluate(OVERFLOW_JS)
    assert document_width <= viewport_width, f"{path}: page {document_width}px wide in a {viewport_width}px viewport"
    state = mobile.evaluate("""() => {
        const w = document.querySelector('.wp-table');
        const before = w.scrollLeft;
        w.scrollLeft = 120;
        return {overflowX: getComputedStyle(w).overflowX, scrollWidth: w.scrollWidth, clientWidth: w.clientWidth,
                before, after: w.scrollLeft, pageX: window.scrollX};
    }""")
    assert state["overflowX"] in ("auto", "scroll"), state
    assert state["scrollWidth"] > state["clientWidth"], f"{path}: the table fits, nothing to scroll: {state}"
    assert state["clientWidth"] <= viewport_width, state
    assert state["after"] > state["before"] and state["pageX"] == 0, f"{path}: the wrapper did not scroll: {state}"


# --------------------------------------------------------------------------- the guard itself

def test_guard_blocks_and_counts_external_requests(desktop, guard):
    """The zero-external-requests checks are not vacuous: a request off the site is blocked and counted."""
    desktop.goto("./")
    outcome = desktop.evaluate("""async () => {
        try { await fetch('https://fonts.googleapis.com/css?family=Roboto'); return 'fetched'; }
        catch (e) { return 'blocked'; } }""")
    desktop.evaluate("""() => new Promise(r => { const i = new Image(); i.onload = i.onerror = r;
        i.src = 'http://localhost:9/x.png'; document.body.append(i); })""")
    assert outcome == "blocked"
    assert len(guard.external) == 2, guard.external
    assert any("fonts.googleapis.com" in e for e in guard.external)
    assert any("localhost:9" in e for e in guard.external), "another port of this machine is another host"
    desktop.evaluate("console.error('planted')")
    desktop.evaluate("0")
    assert any("planted" in e for e in guard.errors), guard.errors
    guard.clear()  # planted on purpose
