"""What the hooks let go of during a build (issue 18.2, peak memory; downloads: test_exports.py).

- Between MkDocs' two passes over the pages the hooks hold each page's HTML compressed
  (workplan/pagebodies.py): on_page_content leaves the page no HTML, on_page_context gives it back
  unchanged before the search plugin and the theme read it. (That the whole site comes out
  byte-identical is what every test on the built site checks.)
- Material's search plugin's entries, once it has written the index, except for `mkdocs serve --dirty`."""
from __future__ import annotations

from types import SimpleNamespace

from workplan import hooks, pagebodies

HTML = '<h2 id="x">二、推进重大平台建设</h2>\n<table><tr><td>市财政局 &amp; 𠀋 “引号”</td></tr></table>\n' * 200


def _page(src="2020/items/1-1.md"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src), markdown="# t", content=None,
                           present_anchor_ids=None)


def test_the_html_is_held_compressed_until_the_page_is_rendered():
    pagebodies.clear()
    page = _page()
    page.content = hooks.on_page_content(HTML, page, config=None, files=None)   # as MkDocs assigns it
    assert page.content == "" and page.markdown == ""
    held = sum(map(len, pagebodies._parked.values()))
    assert 0 < held < len(HTML.encode("utf-8")) / 4
    no_search = SimpleNamespace(plugins={})
    for event in hooks.on_page_context.methods:   # as MkDocs runs the combined event
        event({}, page=page, config=no_search, nav=None)
    assert page.content == HTML
    assert not pagebodies._parked   # given back once: nothing left for the rest of the build


def test_a_page_never_parked_keeps_its_content():
    pagebodies.clear()
    page = _page("about.md")
    page.content = "<p>x</p>"
    pagebodies.restore(page)
    assert page.content == "<p>x</p>"


def test_a_new_build_drops_what_a_failed_one_left():
    page = _page()
    pagebodies.park(page, HTML)
    pagebodies.clear()
    pagebodies.restore(page)
    assert page.content is None


class _SearchPlugin:
    """What hooks._release_search_entries reads of Material's search plugin."""
    def __init__(self, dirty: bool):
        self.config = SimpleNamespace(enabled=True)
        self.search_index = SimpleNamespace(entries=[{"location": "a/", "title": "甲", "text": "乙"}])
        self.search_index_prev = self.search_index if dirty else None   # as its on_post_build keeps it


def _config(plugin):
    return SimpleNamespace(plugins={"material/search": plugin})


def test_the_search_entries_are_let_go_once_written():
    plugin = _SearchPlugin(dirty=False)
    hooks._release_search_entries(_config(plugin))
    assert plugin.search_index.entries == []


def test_a_dirty_serve_keeps_them_for_its_next_build():
    plugin = _SearchPlugin(dirty=True)
    hooks._release_search_entries(_config(plugin))
    assert [e["location"] for e in plugin.search_index.entries] == ["a/"]
