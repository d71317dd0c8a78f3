"""The site with the keyboard alone (Tab, Shift+Tab, Enter, Escape, the arrow keys and Space where
a control takes them; no mouse): skip link, the 适老化/无障碍 toolbar, search, a download, the print
button, the item table's filters, the phone navigation drawer. At every stop the focused element
must be on screen and show a focus indicator that it lacks unfocused (a11y_helpers.Walk), in every
display mode. The browser asks for reduced motion (which a11y.css honours), so no stop waits for
the theme's fades.
"""
from __future__ import annotations

import re

import pytest

from a11y_helpers import MODES, Walk, settle, switch_mode

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PRINT_STUB = "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"


def _html_mode(page) -> list:
    return page.evaluate("""() => [document.documentElement.getAttribute("data-wp-text"),
                                   document.documentElement.getAttribute("data-wp-contrast")]""")


def _body_text_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")


def test_keyboard_walk_desktop(browse, site_url):
    page = browse(reduced_motion="reduce")
    page.context.add_init_script(PRINT_STUB)
    walk = Walk(page)
    page.goto("./")
    walk.snapshot()

    # The skip link comes first, shows itself, and takes the next Tab into the page's content.
    stop = walk.press("Tab")
    assert stop["label"] == "跳到正文", walk.stops
    page.keyboard.press("Enter")
    walk.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('article')"), f"skip link led to {walk.stops[-1]}"

    # Back up to the toolbar (Shift+Tab), open it, 特大 with the arrow keys, high contrast, reset.
    walk.until(lambda name: name.startswith("无障碍"), key="Shift+Tab")
    assert page.get_attribute(".wp-a11y__toggle", "aria-expanded") == "false"
    stop = walk.press("Enter")
    assert page.get_attribute(".wp-a11y__toggle", "aria-expanded") == "true"
    assert stop["label"] == "标准" and page.evaluate("document.activeElement.checked"), stop
    walk.snapshot()
    walk.press("ArrowRight")
    assert _html_mode(page) == ["l", None] and _body_text_px(page) == 20
    walk.press("ArrowRight")
    assert _html_mode(page) == ["xl", None] and _body_text_px(page) >= 24
    walk.press("Tab")
    page.keyboard.press("Space")
    assert _html_mode(page) == ["xl", "high"]
    walk.check()
    walk.until(lambda name: name == "恢复默认")
    walk.press("Shift+Tab")          # and forth again: Shift+Tab inside the panel
    walk.press("Tab")
    page.keyboard.press("Enter")
    assert _html_mode(page) == [None, None] and _body_text_px(page) == 16
    stop = walk.press("Escape")
    assert stop["label"].startswith("无障碍") and page.is_hidden("#wp-a11y-panel"), stop

    # Search: the box opens the dialog; Escape closes it; the arrow keys reach a result; Enter follows it.
    stop = walk.press("Tab")
    assert stop["desc"].startswith("input.md-search__input"), stop
    page.keyboard.type("财政局")
    page.keyboard.press("End")       # Material reads the query on keyup (an IME commit gives one)
    page.locator(".md-search-result__list a.md-search-result__link").first.wait_for()
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked"), "Escape did not close search"
    # A reader's pause: Material notices focus changes through a 1ms debounce, and a busy Chromium
    # runs queued key presses before timers; without it, leaving and re-entering the box at robot
    # speed can look like no change at all, and the dialog stays shut.
    page.wait_for_timeout(100)
    assert walk.press("Shift+Tab")["label"].startswith("无障碍")     # Escape left focus at the box
    page.wait_for_timeout(100)
    assert walk.press("Tab")["desc"].startswith("input.md-search__input")   # which reopens the dialog
    page.locator(".md-search-result__list a.md-search-result__link").first.wait_for()
    walk.snapshot()
    stop = walk.press("ArrowDown")
    assert stop["desc"].startswith("a.md-search-result__link"), stop
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "units/czj/?h=*")   # search highlights the query (?h=)

    # A download, named for what it holds, then the print button.
    walk.snapshot()
    walk.until(lambda name: name == "下载市财政局事项清单 Excel 文件")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "czj.xlsx"
    walk.until(lambda name: name == "打印本页")
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed") == 1, "the print button did not print"

    # The item table: a filter set with the arrow keys, a keyword typed, then cleared.
    page.goto("2020/table/")
    walk.snapshot()
    total = page.locator("#wp-filter-table tbody tr").count()
    walk.until(lambda name: name == "类别")
    page.keyboard.press("ArrowDown")                      # a closed <select> steps to the next option
    walk.check()
    status = page.locator("#wp-filter-status")
    assert "筛选结果" in status.inner_text() and "cat=1" in page.url, (status.inner_text(), page.url)
    shown = page.locator("#wp-filter-table tbody tr:not([hidden])").count()
    assert 0 < shown < total
    walk.until(lambda name: name == "关键词")
    page.keyboard.type("铁路")
    page.keyboard.press("End")
    assert page.locator("#wp-filter-table tbody tr:not([hidden])").count() < shown
    walk.until(lambda name: name == "清除筛选")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('wp-filter-status').textContent.startsWith('共')")
    assert page.locator("#wp-filter-table tbody tr:not([hidden])").count() == total


def test_keyboard_phone_drawer_and_search(browse, site_url):
    """On a phone (or a desktop zoomed to 200%) the navigation is a drawer behind a menu button."""
    page = browse(PHONE, reduced_motion="reduce")
    walk = Walk(page)
    page.goto("units/czj/")
    walk.snapshot()
    stop = walk.until(lambda name: name == "导航菜单", limit=3)
    button = page.locator(".md-header__button[data-for='__drawer']")
    assert button.get_attribute("aria-expanded") == "false"
    walk.snapshot()
    walk.press("Enter")                                    # focus moves into the opened drawer
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"), walk.stops[-1]
    walk.snapshot()

    # A section opens as a sub-menu: focus goes to its "back" title, Tab walks its entries, Enter
    # on the title goes back to the opener.
    walk.until(lambda name: name == "重大事项 下级菜单")
    stop = walk.press("Enter")
    assert stop["label"].startswith("返回上一级"), stop
    stop = walk.press("Tab")
    assert stop["label"].startswith("一、"), stop
    walk.press("Shift+Tab")
    stop = walk.press("Enter")
    assert stop["label"] == "重大事项 下级菜单", stop

    walk.until(lambda name: name == "县（市、区）")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "counties/")
    walk.snapshot()

    # Escape closes the drawer and gives focus back to its button.
    walk.until(lambda name: name == "导航菜单", limit=3)
    walk.press("Enter")
    stop = walk.press("Escape")
    assert stop["label"] == "导航菜单" and button.get_attribute("aria-expanded") == "false", stop

    # The magnifier opens search with the focus in the box; a result is reached with the arrows.
    stop = walk.until(lambda name: name == "搜索", limit=3)
    assert stop["desc"].startswith("button"), stop
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement === document.querySelector('.md-search__input')")
    page.keyboard.type("瑞金市")
    page.keyboard.press("End")
    page.locator(".md-search-result__list a.md-search-result__link").first.wait_for()
    walk.snapshot()
    walk.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(site_url + "counties/ruijin/")))


# Pages whose stops cover the header, tabs, sidebars, content links, table regions, buttons,
# the filter form and the footer.
FOCUS_PAGES = {"home": "./", "unit": "units/czj/", "table": "2020/table/", "downloads": "2020/downloads/"}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", FOCUS_PAGES.values(), ids=FOCUS_PAGES.keys())
def test_every_stop_shows_focus(browse, path, mode):
    """The first 60 Tab stops of a page (or all, if fewer), each visibly focused, in each display mode."""
    page = browse(reduced_motion="reduce")
    page.goto(path)
    switch_mode(page, mode)
    settle(page)
    walk = Walk(page)
    walk.snapshot()
    walk.through(60)
    assert len(walk.stops) >= 30, walk.stops
    kinds = {d.split(" ")[0].split(".")[0] for d in walk.stops}
    assert {"a", "button"} <= kinds, f"the walk met only {kinds}"
