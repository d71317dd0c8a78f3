"""Helpers for the accessibility tests in this folder (test_a11y.py, test_keyboard.py,
test_toolbar.py): the toolbar's display modes, waiting for a page to settle, running axe-core, and
reading what a focused element looks like."""
from __future__ import annotations

import json
from pathlib import Path

# The display modes of the 适老化/无障碍 toolbar, as docs/assets/a11y.js stores them in localStorage
# ("default": nothing stored). "large" is the largest text size (body text 24px).
STORAGE_KEY = "wp-a11y"
MODES = {"default": None, "large": {"text": "xl", "contrast": False}, "contrast": {"text": "m", "contrast": True}}
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 812}}


def switch_mode(page, mode: str) -> None:
    """Put the page in display mode `mode` without reloading it, the way a choice made in another
    tab of the site arrives (a11y.js applies the `storage` event), and check that it did."""
    page.evaluate("""([key, value]) => {
        if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
        window.dispatchEvent(new StorageEvent("storage", {key, newValue: value, storageArea: localStorage}));
    }""", [STORAGE_KEY, None if MODES[mode] is None else json.dumps(MODES[mode])])
    expected = MODES[mode] or {"text": "m", "contrast": False}
    shown = page.evaluate("""() => [document.documentElement.getAttribute("data-wp-text"),
                                    document.documentElement.getAttribute("data-wp-contrast")]""")
    assert shown == [None if expected["text"] == "m" else expected["text"],
                     "high" if expected["contrast"] else None], f"mode {mode} not applied: {shown}"


def settle(page) -> None:
    """Wait for web fonts and for every finite CSS transition or animation to finish (search
    results fade in, the drawer slides): colours read mid-transition are not the page's."""
    page.evaluate("""async () => {
        await document.fonts.ready;
        await Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
            .map(a => a.finished.catch(() => null)));
    }""")


def run_axe(page, axe_js: Path, enhanced_contrast: bool = False) -> list[dict]:
    """axe-core's violations on the page as it is now: [{id, impact, help, targets}].

    enhanced_contrast: also WCAG's 7:1 rule (color-contrast-enhanced, AAA, off by default), which
    the high-contrast mode promises for body text, links and muted text alike."""
    settle(page)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_js))
    return page.evaluate("""async enhanced => {
        const result = await axe.run(document, {
            resultTypes: ["violations"],
            rules: {"color-contrast-enhanced": {enabled: enhanced}},
        });
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(" ") + "  (" + n.html.slice(0, 120) + ")")}));
    }""", enhanced_contrast)


# What a focus indicator can change, read from the computed style.
FOCUS_STYLE_JS = """el => {
    const s = getComputedStyle(el);
    return {outline: s.outlineStyle === "none" ? "none" : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            outlineWidth: parseFloat(s.outlineWidth) || 0, outlineStyle: s.outlineStyle,
            boxShadow: s.boxShadow, background: s.backgroundColor, textDecoration: s.textDecorationLine};
}"""


def indicator_problem(focused: dict, unfocused: dict) -> str | None:
    """Why a focused element's look does not show focus (None: it does): an outline of at least
    2px that the unfocused element lacks, or a box-shadow of its own."""
    outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2 and focused["outline"] != unfocused["outline"]
    shadow = focused["boxShadow"] != "none" and focused["boxShadow"] != unfocused["boxShadow"]
    if outline or shadow:
        return None
    return f"no visible focus indicator: focused {focused}, unfocused {unfocused}"


# --------------------------------------------------------------------------- focus, stop by stop

# Every focusable element's look while not focused, recorded once per page state (snapshot) so a
# focused element can be compared with itself unfocused without moving focus away from it.
SNAPSHOT_JS = """read => {
    const style = new Function("return " + read)();
    const map = window.__wpUnfocused = window.__wpUnfocused || new WeakMap();
    for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary, label[tabindex], [tabindex]"))
        if (el !== document.activeElement && !map.has(el)) map.set(el, style(el));
}"""

STOP_JS = """read => {
    const style = new Function("return " + read)();
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const map = window.__wpUnfocused || new WeakMap();
    let unfocused = map.get(el);
    if (!unfocused) {   // created after the snapshot (search results): a sibling of its kind, unfocused
        const kind = o => String(o.className).replace("focus-visible", "").trim();
        const twin = [...document.querySelectorAll(el.tagName)].find(o => o !== el && kind(o) === kind(el));
        unfocused = twin ? style(twin) : null;
    }
    const r = el.getBoundingClientRect();
    // The name a screen reader gives it, near enough: aria-label, the <label>'s own text, the text.
    const own = l => [...l.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("");
    const label = (el.getAttribute("aria-label") || (el.labels && el.labels.length ? own(el.labels[0]) : "")
                   || el.textContent || "").replace(/\\s+/g, " ").trim();
    return {desc: `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).trim().replace(/\\s+/g, ".") : ""} "${label.slice(0, 40)}"`,
            label, focused: style(el), unfocused,
            visible: el.checkVisibility({opacityProperty: true, visibilityProperty: true}),
            onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight};
}"""


class Walk:
    """Moves focus with the keyboard only and checks, at every stop, that the focused element is
    on screen and shows a focus indicator it does not have unfocused (outline or box-shadow)."""

    def __init__(self, page):
        self.page = page
        self.stops: list[str] = []

    def snapshot(self) -> None:
        self.page.evaluate(SNAPSHOT_JS, FOCUS_STYLE_JS)

    def check(self) -> dict:
        settle(self.page)
        stop = self.page.evaluate(STOP_JS, FOCUS_STYLE_JS)
        assert stop is not None, f"focus lost (on <body>) after {self.stops[-3:]}"
        self.stops.append(stop["desc"])
        assert stop["visible"] and stop["onScreen"], f"focused but not visible on screen: {stop['desc']}"
        assert stop["unfocused"] is not None, f"no unfocused state to compare with: {stop['desc']}"
        problem = indicator_problem(stop["focused"], stop["unfocused"])
        assert problem is None, f"{stop['desc']}: {problem}"
        return stop

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        return self.check()

    def through(self, limit: int) -> None:
        """Tab through up to `limit` stops, or to the end of the page (focus leaves the document)."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement === document.body"):   # past the last stop
                break
            self.check()

    def until(self, matches, key: str = "Tab", limit: int = 80) -> dict:
        """Press `key` until the focused element's name satisfies `matches` (checking every stop)."""
        for _ in range(limit):
            stop = self.press(key)
            if matches(stop["label"]):
                return stop
        raise AssertionError(f"not reached with {key} in {limit} stops; the last ones: {self.stops[-8:]}")
