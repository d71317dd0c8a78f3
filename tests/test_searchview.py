"""The search plugin reads a lean view of each generated page (workplan/searchview.py): what it
indexes must not change. The oracle is Material's own parser (material.plugins.search.plugin.Parser)
run over the whole HTML and over the view: the sections it keeps must be the same, on every page
of the real site and on the corner cases of the parser the view has to respect. The whole-site
build both ways (search_index.json included) is in tests/test_rawhtml.py."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from material.plugins.search.plugin import Parser

from site_fixtures import built_site  # noqa: F401  (session fixture)
from workplan import hooks
from workplan.searchview import view


def sections(html: str) -> list[tuple]:
    """What the plugin indexes: every section it does not exclude, as SearchIndex reads it."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, s.el.tag, "".join(s.title).strip(), "".join(s.text).strip())
            for s in parser.data if not s.is_excluded()]


def article(page_html: str) -> str:
    match = re.search(r"<article[^>]*>(.*)</article>", page_html, re.S)
    assert match, "no <article> in the page"
    return match.group(1)


@pytest.mark.slow
def test_every_page_of_the_site_indexes_the_same_through_its_view(built_site):  # noqa: F811
    viewed = set()
    cut = 0
    for path in sorted(built_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "<article" not in text:
            continue   # redirect pages
        whole = article(text)
        lean = view(whole)
        if lean is None:
            continue
        viewed.add(path.parent.relative_to(built_site).as_posix())
        cut += len(whole) - len(lean)
        assert sections(lean) == sections(whole), path.relative_to(built_site)
    # Every unit and county page carries excluded item lists; in 2020 they make up about 0.7 MB.
    listed = {p.parent.relative_to(built_site).as_posix()
              for p in (*built_site.glob("units/*/index.html"), *built_site.glob("counties/*/index.html"))}
    assert len(listed) >= 60
    assert listed <= viewed
    assert cut > 500_000


def test_a_unit_page_loses_its_item_tables_in_the_view_but_not_its_text(built_site):  # noqa: F811
    whole = article((built_site / "units" / "czj" / "index.html").read_text(encoding="utf-8"))
    lean = view(whole)
    assert lean is not None
    assert whole.count("<tr") > 10
    assert lean.count("<tr") == 0   # every item table is excluded (牵头事项, 配合事项, 落实情况)
    assert "市财政局" in lean
    assert sections(lean) == sections(whole)


# Each case: HTML as a page might hold it, and whether the view cuts anything out of it.
CASES = {
    "excluded table": ('<h2 id="a">甲</h2>\n<p>正文</p>\n<div class="wp-table" data-search-exclude><table>'
                       '<tr><td>表格</td></tr></table></div>\n<p>后文</p>\n', True),
    "excluded element before any heading": ('<div data-search-exclude><p>x</p></div>\n<h1 id="t">题</h1>\n<p>y</p>\n', True),
    "only an excluded element": ('<div data-search-exclude><p>x</p></div>', True),
    "whitespace on both sides of cuts": ('<p>一</p>\n<p data-search-exclude>x</p>\n<div data-search-exclude>y</div>尾\n'
                                         '<ul><li>a</li>\n <li data-search-exclude>b</li>\n </ul>', True),
    "excluded heading, then its section": ('<h2 id="a">甲</h2><p>留</p>\n<h2 id="b" data-search-exclude>乙</h2>\n'
                                           '<div><table><tr><td>去</td></tr></table></div>\n<p>去</p>\n<h2 id="c">丙</h2><p>留</p>',
                                           True),
    "excluded heading in a container": ('<h2 id="a">甲</h2><p>一</p><div><h3 id="b" data-search-exclude>乙</h3><p>去</p>'
                                        '</div><p>回到甲</p>', True),
    "heading nested in the excluded section": ('<h2 id="a" data-search-exclude>甲</h2><p>去</p>'
                                               '<div><h3 id="b">乙</h3><p>留</p></div><p>在乙之后</p>', True),
    "excluded heading without an id": ('<h2 id="a">甲</h2><h3 data-search-exclude>乙</h3><p>属于甲</p>', False),
    "same tag inside: the plugin indexes the rest": ('<h2 id="a">甲</h2><div data-search-exclude><div>内</div>'
                                                    '<p>被索引</p></div>', False),
    "heading inside an excluded element": ('<h2 id="a">甲</h2><div data-search-exclude><p>x</p><h3 id="b">乙</h3>'
                                           '<p>y</p></div><p>z</p>', False),
    "excluded inside excluded": ('<h2 id="a">甲</h2><section data-search-exclude><p data-search-exclude>x</p>'
                                 '<span>y</span></section><p>z</p>', True),
    "not well nested inside": ('<h2 id="a">甲</h2><div data-search-exclude><p>x</div><p>后</p></div><p>z</p>', False),
    "name in an attribute value": ('<h2 id="a">甲</h2><p title="data-search-exclude">留</p>', False),
    "'>' in a quoted attribute": ('<h2 id="a">甲</h2><div data-search-exclude title="a>b"><p>x</p></div><p>y</p>', True),
    "upper case": ('<H2 ID="a">甲</H2><DIV DATA-SEARCH-EXCLUDE><P>x</P></DIV><P>y</P>', True),
    "void element excluded": ('<h2 id="a">甲</h2><img data-search-exclude alt="x"><p>y</p>', False),
    "self-closing excluded": ('<h2 id="a">甲</h2><div data-search-exclude/><p>y</p>', False),
    "entities": ('<h2 id="a">甲 &amp; 乙</h2><p>&lt;b&gt;</p><div data-search-exclude>&lt;</div><p>&#8199;</p>', True),
}


@pytest.mark.parametrize("case", CASES)
def test_the_plugin_keeps_the_same_sections_through_the_view(case):
    html, cuts = CASES[case]
    lean = view(html)
    assert (lean is not None and lean != html) == cuts
    assert sections(lean if lean is not None else html) == sections(html)


@pytest.mark.parametrize("html", [
    '<h2 id="a">甲</h2><!-- <div data-search-exclude> --><p>x</p>',
    '<h2 id="a">甲</h2><script>var s = "<div data-search-exclude>";</script><div data-search-exclude>x</div>',
    '<h2 id="a">甲</h2><div data-search-exclude="yes"><p>x</p></div>',   # the plugin rewrites it afterwards
    '<h2 id="a">甲</h2><p>no exclusion at all</p>',
    '<h2 id="a">甲</h2><div data-search-exclude title="<b>"><p>x</p></div>',   # a tag-like value
])
def test_markup_the_scanner_does_not_read_exactly_gets_no_view(html):
    assert view(html) is None


def test_the_excluded_element_keeps_its_tags():
    assert view('<p>a</p><div class="t" data-search-exclude><table><tr><td>x</td></tr></table></div><p>b</p>') == \
        '<p>a</p><div class="t" data-search-exclude></div><p>b</p>'


def test_the_search_plugin_reads_the_view_and_the_theme_gets_the_whole_page(monkeypatch):
    whole = '<h2 id="a">甲</h2><div data-search-exclude><table><tr><td>表</td></tr></table></div>'
    seen = []
    index = SimpleNamespace(entries=[])
    plugin = SimpleNamespace(config=SimpleNamespace(enabled=True), search_index=index)
    site = SimpleNamespace(specs={"2020/units/czj.md": object()})
    config = SimpleNamespace(plugins={"material/search": plugin}, extra={hooks.SITE_KEY: site})
    page = SimpleNamespace(file=SimpleNamespace(src_uri="2020/units/czj.md"), content=whole, meta={})
    docs_page = SimpleNamespace(file=SimpleNamespace(src_uri="about.md"), content=whole, meta={})
    for p in (page, docs_page):
        hooks._before_search({}, p, config, None)
        seen.append(p.content)   # what the search plugin's on_page_context reads
        hooks._after_search({}, p, config, None)
        assert p.content == whole
    assert seen == [view(whole), whole]   # docs/ pages are read whole
