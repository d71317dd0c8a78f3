"""Generated pages' HTML blocks bypass Python-Markdown (workplan/rawhtml.py, issue 18): the site must
not change by a byte. The whole real site, and the two-edition site, are built the old way
(WORKPLAN_PARSE_HTML=1: Python-Markdown parses every block, and the search plugin reads every page
whole instead of its view, workplan/searchview.py) and compared file by file, search_index.json
included, with the session builds, which take the new path. The block rule itself is checked on small documents
against what Python-Markdown makes of them."""
from __future__ import annotations

import filecmp
from pathlib import Path

import markdown
import pytest

from editions import two_edition_site  # noqa: F401  (session fixture)
from site_fixtures import ROOT, build_copy, built_site  # noqa: F401  (session fixture)
from workplan import rawhtml

EXTENSIONS = ["attr_list", "admonition", "tables", "toc"]   # as in mkdocs.yml


def convert(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


def both_ways(text: str) -> tuple[str, str, rawhtml.Stash]:
    stash = rawhtml.Stash(text)
    return convert(text), stash.restore(convert(stash.markdown)), stash


def differing_files(old: Path, new: Path) -> list[str]:
    old_files = {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()}
    new_files = {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()}
    assert old_files == new_files, f"only old: {sorted(old_files - new_files)[:5]}, only new: {sorted(new_files - old_files)[:5]}"
    return [rel for rel in sorted(old_files) if not filecmp.cmp(old / rel, new / rel, shallow=False)]


def build_old_way(project: Path, out: Path, monkeypatch) -> Path:
    monkeypatch.setenv(rawhtml.OLD_PATH_ENV, "1")
    return build_copy(project, out)


@pytest.mark.slow
def test_the_real_site_is_byte_identical_when_markdown_parses_the_html(built_site, tmp_path, monkeypatch):  # noqa: F811
    old = build_old_way(ROOT, tmp_path / "site", monkeypatch)
    pages = sum(1 for _ in built_site.rglob("*.html"))
    assert pages > 200
    assert differing_files(old, built_site) == []


@pytest.mark.slow
def test_the_two_edition_site_is_byte_identical_when_markdown_parses_the_html(two_edition_site, tmp_path,  # noqa: F811
                                                                             monkeypatch):
    old = build_old_way(two_edition_site.parent / "project", tmp_path / "site", monkeypatch)
    assert differing_files(old, two_edition_site) == []


# Each case: Markdown and HTML as our templates mix them, and the blocks the rule must take out.
CASES = {
    "heading, then blocks": ("# 标题 {#top}\n\n<div class=\"a\">\n<p>一</p>\n</div>\n\n<p>二</p>\n", 2),
    "block right under a heading": ("## 小标题 {#h data-search-exclude}\n<table><tr><td>x</td></tr></table>\n\n", 1),
    "blank lines inside a block": ("<div>\n<p>一</p>\n\n<p>二</p>\n</div>\n\n正文\n", 1),
    "same tag nested": ("<div><div>内</div>\n</div>\n\n<div>二</div>\n", 2),
    "no blank line after: left to Markdown": ("<p>一</p>\n<p>二</p>\n\n<p>三</p>\n", 2),
    "text after the closing tag": ("<p>一</p> 尾巴\n\n<div>二</div>\n", 1),
    "comment holding a tag": ("<!-- <div> -->\n\n<div>二</div>\n", 1),
    "script holding a tag": ("<script>var s = '</div><div>';</script>\n\n<p>二</p>\n", 2),
    "inline HTML starts a paragraph": ("<a href=\"x/\">链接</a> 文字\n\n<dl><dt>a</dt><dd>b</dd></dl>\n", 1),
    "indented tag": ("   <div>缩进</div>\n\n", 0),
    "rule and an empty tag": ("<hr>\n\n<div/>\n\n<p>x</p>\n", 1),
    "unclosed block": ("<p>一</p>\n\n<div>\n<p>二</p>\n", 1),
    "list before a block": ("- 甲\n- 乙\n<div>块</div>\n\n", 1),
    "tabs and CRLF": ("<div>\r\n\t<p>一</p>\r\n</div>\r\n\r\n# 标题\r\n", 1),
    "entities and attributes": ("<p title=\"a &amp; b\">&lt;x&gt; &#8199;&nbsp;</p>\n\n", 1),
}


@pytest.mark.parametrize("case", CASES)
def test_the_output_is_what_markdown_makes_of_the_whole_page(case):
    text, blocks = CASES[case]
    old, new, stash = both_ways(text)
    assert new == old
    assert len(stash.blocks) == blocks


def test_headings_stay_markdown_so_toc_and_title_come_from_the_parse():
    stash = rawhtml.Stash("# 标题\n\n<div>一</div>\n\n## 小标题 {#sub}\n\n<p>二</p>\n")
    assert "# 标题" in stash.markdown and "## 小标题 {#sub}" in stash.markdown
    assert "<div>" not in stash.markdown and "<p>" not in stash.markdown
    md = markdown.Markdown(extensions=EXTENSIONS)
    md.convert(stash.markdown)
    assert [(t["id"], t["name"]) for t in md.toc_tokens[0]["children"]] == [("sub", "小标题")]


def test_a_moved_placeholder_fails_the_build():
    stash = rawhtml.Stash("<div>一</div>\n\n")
    with pytest.raises(RuntimeError, match="1 HTML blocks taken out, 0 put back"):
        stash.restore("<h2>" + stash.markdown.strip() + "</h2>")


def test_anchor_ids_of_the_blocks():
    stash = rawhtml.Stash('<div id="a"><a name="b">x</a><span name="no" data-id="no">y</span>'
                          "<p id='c&amp;d'>z</p></div>\n\n")
    assert stash.anchor_ids() == {"a", "b", "c&d"}


def test_the_old_path_switch(monkeypatch):
    assert rawhtml.enabled()
    monkeypatch.setenv(rawhtml.OLD_PATH_ENV, "1")
    assert not rawhtml.enabled()
