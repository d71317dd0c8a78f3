"""The 适老化/无障碍 toolbar (docs/assets/a11y.js, a11y.css): text sizes that do not depend on the
browser's zoom, a high-contrast palette of at least 7:1, one reset, the choice kept from page to
page (over HTTP, from the file:// bundle, and where the browser refuses storage), applied before the
first paint, and a printed page that is the same in every mode. Also: no horizontal scrolling of
the page (outside table regions) at 320px and at 200% zoom, in the standard and the largest text.
"""
from __future__ import annotations

import json
import re

import pytest

from a11y_helpers import STORAGE_KEY, settle, switch_mode

pytestmark = pytest.mark.browser

BODY_TEXT = "article.md-typeset"
# One call for what a reader sees of the modes: body text size, line spacing, colours.
LOOK_JS = """sel => {
    const html = document.documentElement, s = getComputedStyle(document.querySelector(sel));
    const color = el => getComputedStyle(el).color;
    const link = document.querySelector("article a[href]:not(.headerlink)");
    const muted = document.querySelector("article .wp-note, article .wp-updated, article .wp-docno");
    return {text: html.getAttribute("data-wp-text"), contrast: html.getAttribute("data-wp-contrast"),
            fontSize: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize),
            body: s.color, background: getComputedStyle(document.body).backgroundColor,
            link: color(link), muted: muted ? color(muted) : null,
            header: getComputedStyle(document.querySelector(".md-header")).backgroundColor,
            headerText: getComputedStyle(document.querySelector(".md-header")).color};
}"""


def _rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two opaque CSS rgb() colours."""
    def lum(css):
        def ch(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = _rgb(css)
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(117, 117, 117)", "rgb(255, 255, 255)"), 2) == 4.61   # #757575, the known AA edge


def _open_toolbar(page):
    page.locator(".wp-a11y__toggle").click()
    page.locator("#wp-a11y-panel").wait_for(state="visible")


def _look(page) -> dict:
    settle(page)
    return page.evaluate(LOOK_JS, BODY_TEXT)


def test_sizes_contrast_reset_and_memory_across_pages(desktop, site_url):
    page = desktop
    page.goto("units/czj/")
    standard = _look(page)
    assert standard["text"] is None and standard["fontSize"] >= 16, standard
    assert contrast(standard["body"], standard["background"]) >= 4.5
    assert contrast(standard["link"], standard["background"]) >= 4.5
    assert contrast(standard["muted"], standard["background"]) >= 4.5
    assert contrast(standard["headerText"], standard["header"]) >= 4.5

    _open_toolbar(page)
    assert page.get_attribute(".wp-a11y__toggle", "aria-expanded") == "true"
    page.get_by_label("大", exact=True).check()
    large = _look(page)
    assert large["text"] == "l" and large["fontSize"] >= 20 and large["lineHeight"] > standard["lineHeight"], large
    page.get_by_label("特大", exact=True).check()
    largest = _look(page)
    assert largest["text"] == "xl" and largest["fontSize"] >= 24 and largest["lineHeight"] >= 1.75, largest
    page.get_by_label("高对比度").check()
    high = _look(page)
    assert high["contrast"] == "high" and high["fontSize"] == largest["fontSize"]
    for part in ("body", "link", "muted"):
        assert contrast(high[part], high["background"]) >= 7, (part, high)
    assert contrast(high["headerText"], high["header"]) >= 7, high

    # The choice follows the reader to the next page, before anything is drawn there.
    page.locator("article .wp-facts a").first.click()
    page.wait_for_url(site_url + "units/#kind-0")
    assert _look(page)["text"] == "xl" and _look(page)["contrast"] == "high"
    _open_toolbar(page)
    assert page.get_by_label("特大", exact=True).is_checked() and page.get_by_label("高对比度").is_checked()

    # One control resets everything, and that too is remembered.
    page.get_by_role("button", name="恢复默认").click()
    reset = _look(page)
    assert reset["text"] is None and reset["contrast"] is None and reset["fontSize"] == standard["fontSize"], reset
    page.goto("units/czj/")
    assert _look(page) == standard


def test_the_stored_mode_is_on_the_page_before_its_first_paint(browse):
    """a11y.js runs in <head>: by the time <body> exists (nothing can be painted before), the
    attributes of the stored mode are on <html>."""
    page = browse(mode="large")
    page.context.add_init_script("""
        new MutationObserver((_, observer) => {
            if (!document.body) return;
            window.__atBody = document.documentElement.getAttribute("data-wp-text");
            observer.disconnect();
        }).observe(document, {childList: true, subtree: true});
    """)
    page.goto("2020/items/")
    assert page.evaluate("window.__atBody") == "xl"


REFUSE_STORAGE = """
    if (location.protocol === "http:") Object.defineProperty(window, "localStorage", {configurable: true,
        get() { throw new DOMException("The operation is insecure.", "SecurityError"); }});
"""


def test_toolbar_works_where_storage_is_refused(desktop, site_url):
    """Some browsers refuse localStorage to file:// pages or in privacy modes: the toolbar still
    works, nothing throws, and the tab carries the choice to the next page (window.name)."""
    page = desktop
    page.context.add_init_script(REFUSE_STORAGE)
    page.goto("units/czj/")
    assert page.evaluate("(() => { try { localStorage; return 'allowed'; } catch (e) { return 'refused'; } })()") == "refused"
    _open_toolbar(page)
    page.get_by_label("特大", exact=True).check()
    assert _look(page)["fontSize"] >= 24
    page.locator("article .wp-facts a").first.click()
    page.wait_for_url(site_url + "units/#kind-0")
    assert _look(page)["text"] == "xl"
    # (the guard fails this test if anything logged an error or threw)


def test_toolbar_on_the_file_bundle_survives_navigation(offline, offline_url):
    page = offline
    page.goto(offline_url + "index.html")
    _open_toolbar(page)
    page.get_by_label("特大", exact=True).check()
    page.get_by_label("高对比度").check()
    page.keyboard.press("Escape")
    page.locator("article").get_by_role("link", name="单位", exact=True).click()
    page.wait_for_url(offline_url + "units/index.html")
    look = _look(page)
    assert look["text"] == "xl" and look["contrast"] == "high" and look["fontSize"] >= 24, look
    assert page.locator("[data-wp-a11y]").is_visible()


PRINT_PAGES = ["units/czj/", "2020/table/?cat=3", "2020/matrix/"]


# Every element on paper (print media): its box and everything that decides how it looks. Compared
# element by element rather than as screenshots: Chromium draws the dashes of a rounded dashed border
# (the 尚无报告 badges) with a varying phase from one paint of the same page to the next.
PRINTED_JS = """() => [...document.querySelectorAll("body *")].filter(e => e.getClientRects().length).map(e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return [`${e.tagName.toLowerCase()}.${String(e.className).trim()}#${e.id}`,
            ...[r.x, r.y, r.width, r.height].map(v => Math.round(v * 10) / 10),
            ...["display", "visibility", "opacity", "font-size", "font-weight", "line-height", "color",
                "background-color", "text-decoration-line", "border-top", "border-bottom", "outline-style",
                "box-shadow"].map(p => s.getPropertyValue(p))].join(" ");
})"""


@pytest.mark.parametrize("path", PRINT_PAGES)
def test_print_is_the_same_in_every_mode(browse, path):
    """Paper is decided by print.css alone: the largest text and high contrast leave every element
    of the printed page where it was and as it looked."""
    page = browse()
    page.goto(path)
    printed = {}
    for mode in ("default", "large+contrast"):
        value = None if mode == "default" else json.dumps({"text": "xl", "contrast": True})
        page.evaluate("([key, value]) => value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value)",
                      [STORAGE_KEY, value])
        page.emulate_media(media="screen")
        page.reload(wait_until="networkidle")
        assert page.evaluate("document.documentElement.hasAttribute('data-wp-text')") == (value is not None)
        page.emulate_media(media="print")
        page.evaluate("window.scrollTo(0, 0)")      # a reload restores the scroll position, which moves fixed elements
        settle(page)
        printed[mode] = page.evaluate(PRINTED_JS)
    standard, modes = printed["default"], printed["large+contrast"]
    assert len(standard) > 100, f"{path}: only {len(standard)} elements on paper"
    changed = [f"{a}\n    → {b}" for a, b in zip(standard, modes) if a != b]
    assert len(standard) == len(modes) and not changed, (
        f"{path}: the printout changes with the display mode:\n  " + "\n  ".join(changed[:5]))


# --------------------------------------------------------------------------- reflow (WCAG 1.4.10)

ZOOM_200 = {"width": 640, "height": 450}   # a 1280×900 window at 200%: the same CSS pixels
NARROW = {"width": 320, "height": 640}

# Elements of the page (outside the regions that scroll on their own: tables, code, the off-screen
# drawer) that stick out of the viewport, which the page would need horizontal scrolling to show.
OVERFLOW_JS = """() => {
    const width = document.documentElement.clientWidth, out = [];
    if (document.documentElement.scrollWidth > width + 1) out.push(`the page is ${document.documentElement.scrollWidth}px wide`);
    for (const el of document.querySelectorAll("body *")) {
        if (el.closest(".wp-table, pre, .md-typeset__scrollwrap, .md-sidebar, .md-search, svg, script, style, .wp-sr")) continue;
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height || (r.right <= width + 1 && r.left >= -1)) continue;
        if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
        out.push(`${el.tagName.toLowerCase()}.${String(el.className).trim()} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
    return out.slice(0, 8);
}"""


def test_no_horizontal_scrolling_at_320px_and_200_percent(browse, page_kind):
    page = browse(NARROW)
    page.goto(page_kind.url(True) or "./")
    problems = []
    for mode in ("default", "large"):
        switch_mode(page, mode)
        for viewport in (NARROW, ZOOM_200):
            page.set_viewport_size(viewport)
            settle(page)
            problems += [f"{mode} at {viewport['width']}px: {p}" for p in page.evaluate(OVERFLOW_JS)]
    assert not problems, f"{page_kind.name}: content outside the viewport:\n  " + "\n  ".join(problems)
