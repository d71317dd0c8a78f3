"""Bidi controls in data do not reorder the page in a real browser (issue 15, point 6): on the
project of tests/bidi_project.py, the words after a unit name and after the document's title, each
with an unclosed right-to-left override, are laid out left to right in Chromium (measured: each
test fails with the isolation turned off). tests/test_bidi.py checks every page's HTML."""
from __future__ import annotations

import pytest

import axe_baseline
from a11y_helpers import run_axe

pytestmark = pytest.mark.browser


def left(locator) -> float:
    return locator.bounding_box()["x"]


def test_words_after_a_name_with_an_override_stay_left_to_right(bidi_page):
    """振兴办‮U名ABC被点名承担 N 项重大事项：牵头 N 项 · 配合 N 项: the name is first, then the
    count, then 牵头, then 配合 — an open override would lay them out right to left."""
    bidi_page.goto("units/zxb/")
    duty = bidi_page.locator("#duty")
    assert "U名" in duty.inner_text()
    count, lead, responsible = duty.locator("strong").first, duty.locator("a[href='#lead']"), duty.locator("a[href='#responsible']")
    assert left(duty) <= left(count) < left(lead) < left(responsible)


CHAR_X = """([selector, texts]) => {
  const root = document.querySelector(selector);
  return texts.map((text) => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const at = node.data.indexOf(text);
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        return range.getBoundingClientRect().x;
      }
    }
    return null;
  });
}"""


def test_a_sentence_around_a_title_with_an_override_reads_left_to_right(bidi_page):
    """《工作要点‮D题》正文共 4 个部分、21 个工作要点。: the sentence after the document's title keeps
    its order (an open override would put 个工作要点 to the left of 正文共)."""
    bidi_page.goto("2020/points/")
    lead = bidi_page.locator("article .wp-lead")
    assert "D题" in lead.inner_text()
    opening, body, end = bidi_page.evaluate(CHAR_X, ["article .wp-lead", ["《", "正文共", "个工作要点"]])
    assert None not in (opening, body, end)
    assert opening < body < end


@pytest.mark.parametrize("path", ["units/zxb/", "2020/items/1-1/"])
def test_isolated_names_pass_axe(bidi_page, axe_js, path):
    """The isolates inside headings, links, table cells and aria-labels break no accessibility
    rule: no serious or critical axe violation on the bidi project's unit and item pages."""
    bidi_page.goto(path)
    blocking = [f"{v['id']} ({v['impact']}): {v['targets'][:3]}" for v in run_axe(bidi_page, axe_js)
                if v["impact"] in axe_baseline.BLOCKING_IMPACTS]
    assert blocking == []
