"""Clicking through the served site: home → category → item → unit → county and back, with every
link on the way resolving (HTTP 200, anchors that exist), and the county pages' collective items."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(str.maketrans("()", "（）"))


def _at(page, site_url: str, path: str, heading: str) -> None:
    assert page.url.split("#")[0].split("?")[0] == site_url + path, f"expected {path}, at {page.url}"
    h1 = page.locator("article h1").first.inner_text()
    assert heading in h1, f"{path}: heading {h1!r} lacks {heading!r}"
    assert "404" not in page.title(), f"{path}: the 404 page"


def test_home_category_item_unit_county_and_back(desktop, site_url, links):
    page = desktop
    steps = []  # (path, heading) of every page visited, in order

    def arrive(path: str, heading: str) -> None:
        page.wait_for_url(site_url + path)  # the click's navigation has committed
        page.wait_for_load_state()
        _at(page, site_url, path, heading)
        broken = links.broken(page, site_url)
        assert not broken, f"{path}: {len(broken)} broken link(s):\n  " + "\n  ".join(broken)
        steps.append((path, heading))

    response = page.goto("./")
    assert response.status == 200
    arrive("", "赣南苏区振兴发展")

    page.locator("article").get_by_role("link", name="重大事项分类", exact=True).click()
    arrive("2020/categories/", "重大事项")

    page.locator("article").get_by_role("link", name="三（三）", exact=True).first.click()
    arrive("2020/categories/3-3/", "三（三）")

    page.locator("article td.wp-no").get_by_role("link", name="三（三）-4", exact=True).click()
    arrive("2020/items/3-3-4/", "三（三）")

    page.locator("article .wp-facts").get_by_role("link", name="市交通运输局", exact=True).click()
    arrive("units/jtysj/", "市交通运输局")

    county = page.get_by_role("link", name="龙南县", exact=True)  # printed as in the 2020 document
    row = page.locator("article tr").filter(has=page.get_by_role("link", name="三（三）-4", exact=True)).filter(has=county)
    row.first.locator(county).click()
    arrive("counties/longnan/", "龙南市")

    for path, heading in reversed(steps[:-1]):  # and back, one page at a time, to the home page
        page.go_back()
        _at(page, site_url, path, heading)


def test_tabs_reach_every_index_page(desktop, site_url):
    """The top tabs lead to every index page (their links are checked by test_page_kind_desktop)."""
    desktop.goto("./")
    tabs = desktop.locator(".md-tabs__link")
    names = [t.strip() for t in tabs.all_inner_texts()]
    for expected in ("首页", "工作要点", "重大事项", "全部事项", "单位", "县（市、区）", "关于"):
        assert expected in names, f"tab {expected!r} missing: {names}"
    for name in names:
        with desktop.expect_navigation() as nav:
            desktop.locator(".md-tabs__link", has_text=name).first.click()
        response = nav.value
        assert response is not None and response.status == 200, f"tab {name}: {response and response.status}"
        assert desktop.locator("article h1").first.is_visible(), f"tab {name}: no heading at {desktop.url}"
        assert "404" not in desktop.title()


def _section_item_ids(page, section_id: str) -> list[str]:
    """Item ids linked from the number column of the tables between h2#section_id and the next h2."""
    return page.evaluate(
        """id => {
            const out = [];
            let el = document.getElementById(id);
            if (!el) return null;
            for (el = el.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling)
                for (const a of el.querySelectorAll('td.wp-no a[href*="items/"]'))
                    out.push(a.getAttribute('href').match(/items\\/([^/.]+)/)[1]);
            return out;
        }""", section_id)


COLLECTIVE = "各县（市、区）"


@pytest.mark.parametrize(("county_id", "names"), [
    ("zhanggong", ("章贡区",)),
    ("ruijin", ("瑞金市",)),
    ("longnan", ("龙南市", "龙南县")),
])
def test_county_page_lists_its_collective_items(desktop, site_url, seed_rows, county_id, names):
    """Every row of the attachment assigned to 各县（市、区） is on each county's page: under 集体分配
    (or under 点名承担 where the row also names the county). Expected rows come from the source text."""
    collective_rows = [r for r in seed_rows if COLLECTIVE in map(_fold, r.lead + r.responsible)]
    assert collective_rows, "test data: no row of the attachment is assigned to 各县（市、区）"
    named_rows = {r.id for r in collective_rows if set(names) & set(map(_fold, r.lead + r.responsible))}

    desktop.goto(f"counties/{county_id}/")
    collective = _section_item_ids(desktop, "collective")
    named = _section_item_ids(desktop, "named")
    assert collective is not None and named is not None, "county page lacks #collective or #named"
    missing = [r.id for r in collective_rows if r.id not in collective and r.id not in named]
    assert not missing, f"{county_id}: collective rows missing from the page: {missing}"
    wrongly_named_only = [r.id for r in collective_rows if r.id not in named_rows and r.id not in collective]
    assert not wrongly_named_only, f"{county_id}: collective rows not under 集体分配: {wrongly_named_only}"
    heading = desktop.locator("h2#collective").inner_text()
    assert f"（{len(collective)} 项）" in heading, f"heading {heading!r} vs {len(collective)} rows"
    # Each collective row says through which collective it came.
    for item_id in (r.id for r in collective_rows if r.id in collective):
        row = desktop.locator("#collective ~ .wp-table tr", has=desktop.locator(f'td.wp-no a[href*="items/{item_id}/"]'))
        assert row.first.locator("a.wp-group").count() >= 1, f"{county_id}: row {item_id} has no group link"


def test_zone_is_not_one_of_the_counties(desktop, seed_rows):
    """赣州经开区 is a 功能区, not one of 各县（市、区）: the collective rows do not land on its page
    unless the row names it."""
    desktop.goto("counties/gzjkq/")
    collective = _section_item_ids(desktop, "collective")
    assert collective is not None
    rows = [r for r in seed_rows if COLLECTIVE in map(_fold, r.lead + r.responsible)
            and "赣州经开区" not in map(_fold, r.lead + r.responsible)]
    wrongly = [r.id for r in rows if r.id in collective]
    assert not wrongly, f"各县（市、区） rows listed for 赣州经开区: {wrongly}"
