"""Link integrity of the built site: every internal link and anchor resolves.

Walks every HTML file of the real site (`built_site`, directory URLs as served over HTTP) and
checks every URL-valued attribute (a/link href, script/img/source src, srcset, form action):
an internal URL — relative or site-absolute — must name a file of the site (a folder means its
index.html) and its #fragment must be an id (or <a name>) in the target page. External URLs
(a scheme or //host) are not fetched. All broken links are reported in one message.
"""
from __future__ import annotations

from collections import defaultdict

import pytest

from helpers_html import Page, find_broken, html_files, is_internal, report, url_attributes
from site_fixtures import built_site  # noqa: F401  (session fixture)

# Site-absolute URLs ("/assets/…") only work when the site is served at a server's root. MkDocs
# writes them in 404.html when site_url is unset (it cannot know where the 404 page is served);
# workplan/bundle.py leaves 404.html out of the intranet zip for that reason. Nowhere else.
SITE_ABSOLUTE_OK = {"404.html"}


@pytest.fixture(scope="module")
def pages(built_site):  # noqa: F811
    return {path: Page.read(path) for path in html_files(built_site)}


def test_site_has_the_page_kinds(built_site, pages):  # noqa: F811
    """Guard: the walk below covers a real site, not an empty folder."""
    rel = {str(p.relative_to(built_site)) for p in pages}
    for must in ("index.html", "2020/points/index.html", "2020/categories/index.html", "2020/items/index.html",
                 "units/index.html", "counties/index.html", "2020/items/1-1/index.html", "editions/index.html"):
        assert must in rel, must
    assert sum(r.startswith("2020/items/") for r in rel) >= 114


def test_every_internal_link_and_anchor_resolves(built_site, pages):  # noqa: F811
    broken, checked = find_broken(built_site, pages)
    assert checked > 10_000, f"only {checked} internal links found: is the walk broken?"
    assert not broken, report(broken)


def test_the_checker_finds_what_is_broken(tmp_path):
    """The walk itself: a tiny site with one good and five bad links of each sort."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">x</h2><a name="n"></a>', encoding="utf-8")
    (tmp_path / "f.csv").write_text("x", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#x">ok</a><a href="./a/index.html#n">ok</a><a href="#top">ok</a>'
        '<a href="/f.csv">ok</a><a href="https://example.org/nowhere">external</a><i id="top"></i>'
        '<a href="b/">no page</a><a href="a/#y">no anchor</a><a href="#nope">no anchor here</a>'
        '<img src="missing.png"><a href="../../etc/passwd">outside</a>', encoding="utf-8")
    pages = {p: Page.read(p) for p in html_files(tmp_path)}
    broken, checked = find_broken(tmp_path, pages)
    assert checked == 10
    assert [p.split(" →")[0].split(" leaves")[0] for p in broken["index.html"]] == [
        "<a href='b/'>", "<a href='a/#y'>", "<a href='#nope'>", "<img src='missing.png'>",
        "<a href='../../etc/passwd'>"]
    assert "a/index.html" not in broken


def test_internal_links_are_relative(built_site, pages):  # noqa: F811
    """The site is served under a sub-path (GitHub Pages project site, any folder of an intranet
    server) and opened from file://: a site-absolute URL would point outside it."""
    absolute = []
    for path, page in pages.items():
        rel = str(path.relative_to(built_site))
        if rel in SITE_ABSOLUTE_OK:
            continue
        absolute += [f"{rel}: <{tag} {attr}={url!r}>" for tag, attr, url in url_attributes(page)
                     if is_internal(url) and url.strip().startswith("/")]
    assert not absolute, f"{len(absolute)} site-absolute link(s):\n" + "\n".join(absolute[:40])


def test_ids_are_unique_per_page(built_site, pages):  # noqa: F811
    """A duplicate id makes an anchor ambiguous (the browser takes the first)."""
    dup = []
    for path, page in pages.items():
        seen: dict[str, int] = defaultdict(int)
        for e in page.elements:
            if "id" in e.attrs:
                seen[e.attrs["id"]] += 1
        dup += [f"{path.relative_to(built_site)}: id {i!r} ×{n}" for i, n in seen.items() if n > 1]
    assert not dup, f"{len(dup)} duplicate id(s):\n" + "\n".join(dup[:40])


def test_the_checker_follows_redirect_pages(tmp_path):
    """A redirect page's meta refresh is a link: a target that is missing, outside the site or a
    loop is reported, and a fragment is looked up on the page the redirect lands on."""
    def redirect(to: str) -> str:
        return f'<meta http-equiv="refresh" content="0; url={to}"><a href="{to}">moved</a>'

    for folder, body in {"new": '<h2 id="x">x</h2>', "old": redirect("../new/"), "gone": redirect("../missing/"),
                         "out": redirect("../../../elsewhere/"), "loop-a": redirect("../loop-b/"),
                         "loop-b": redirect("../loop-a/")}.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.html").write_text(body, encoding="utf-8")
    (tmp_path / "index.html").write_text('<a href="old/#x">ok</a><a href="old/#y">no anchor where it lands</a>',
                                         encoding="utf-8")
    pages = {p: Page.read(p) for p in html_files(tmp_path)}
    broken, checked = find_broken(tmp_path, pages)
    assert checked == 2 + 2 * 5
    assert [p.split(" →")[0] for p in broken["index.html"]] == ["<a href='old/#y'>"]
    assert "no id 'y' in new/index.html" in broken["index.html"][0]
    assert "old/index.html" not in broken and "new/index.html" not in broken
    assert [p.split(" →")[0] for p in broken["gone/index.html"]] == ["<meta refresh='../missing/'>",
                                                                       "<a href='../missing/'>"]
    assert all("leaves the site" in p for p in broken["out/index.html"])
    assert all("more than 5 redirects" in p for p in broken["loop-a/index.html"] + broken["loop-b/index.html"])
