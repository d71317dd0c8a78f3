"""Accessible structure of every built page (issue 16), read from the HTML of the real site: the
page language, one h1, tables with captions and header cells in named, focusable scroll regions,
link names that make sense out of context. The browser suite (tests/browser/test_a11y.py) runs
axe-core on one page of each kind; this checks all ~260 pages for what the HTML alone decides.

Also the theme overrides: overrides/partials/header.html must stay Material's header plus our
marked lines, so a Material upgrade that changes the header cannot silently drop the toolbar.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from site_fixtures import ROOT, built_site  # noqa: F401  (session fixture)

FILE_FORMATS = {".xlsx": "Excel", ".csv": "CSV", ".json": "JSON"}


@dataclass
class Table:
    caption: str = ""
    header_cells: int = 0


@dataclass
class Link:
    href: str
    label: str | None      # aria-label
    text: str = ""
    in_table: bool = False

    @property
    def name(self) -> str:
        """The accessible name as a screen reader computes it for these links."""
        return re.sub(r"\s+", " ", self.label if self.label is not None else self.text).strip()


@dataclass
class Structure:
    lang: str | None = None
    h1: int = 0
    tables: list[Table] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)     # attributes of each .wp-table wrapper
    links: list[Link] = field(default_factory=list)       # links in the article
    redirect: bool = False                                # a <meta http-equiv="refresh"> stub


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Structure()
        self.stack: list[str] = []
        self.table: list[Table] = []
        self.link: Link | None = None
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.page.lang = a.get("lang")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.page.redirect = True
        if tag in ("input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"):
            return
        self.stack.append(tag)
        in_article = "article" in self.stack
        if tag == "h1" and in_article:
            self.page.h1 += 1
        elif tag == "table" and in_article:
            self.table.append(Table())
            self.page.tables.append(self.table[-1])
        elif tag == "caption" and self.table:
            self.in_caption = True
        elif tag == "th" and self.table:
            self.table[-1].header_cells += 1
        elif tag == "div" and "wp-table" in (a.get("class") or "").split():
            self.page.regions.append(a)
        elif tag == "a" and in_article and a.get("href"):
            self.link = Link(a["href"], a.get("aria-label"), in_table="table" in self.stack)
            self.page.links.append(self.link)

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return
        while self.stack and self.stack.pop() != tag:
            pass
        if tag == "table" and self.table and "article" in self.stack + [tag]:
            self.table.pop()
        elif tag == "caption":
            self.in_caption = False
        elif tag == "a":
            self.link = None

    def handle_data(self, data):
        if self.in_caption and self.table:
            self.table[-1].caption += data
        if self.link is not None:
            self.link.text += data


def read(path: Path) -> Structure:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.page


@pytest.fixture(scope="module")
def pages(built_site) -> dict[str, Structure]:
    found = {p.relative_to(built_site).as_posix(): read(p) for p in sorted(built_site.rglob("*.html"))}
    # Redirect stubs (former unit ids, the old addresses of 2020's pages: a meta refresh and one
    # link) are not pages; tests/test_editions.py checks where they lead.
    return {url: s for url, s in found.items() if not s.redirect}


def test_every_page_is_zh_cn_with_one_h1(pages):
    assert len(pages) > 200, f"only {len(pages)} pages found"
    wrong_lang = sorted(url for url, s in pages.items() if s.lang != "zh-CN")
    assert not wrong_lang, f"pages without lang=zh-CN: {wrong_lang[:10]}"
    h1 = {url: s.h1 for url, s in pages.items() if s.h1 != 1}
    assert not h1, f"pages without exactly one h1 in the article: {dict(list(h1.items())[:10])}"


def test_every_table_has_a_caption_and_header_cells(pages):
    problems = [f"{url}: table {n + 1}: caption {t.caption!r}, {t.header_cells} header cell(s)"
                for url, s in pages.items() for n, t in enumerate(s.tables)
                if not t.caption.strip() or not t.header_cells]
    assert sum(len(s.tables) for s in pages.values()) > 200   # the unit and county pages alone hold ~160
    assert not problems, f"{len(problems)} table(s) without a caption or header cells:\n  " + "\n  ".join(problems[:20])


def test_every_table_region_is_named_and_focusable(pages):
    """A .wp-table wrapper scrolls sideways when its table is wider than the screen: the keyboard
    must be able to focus it to scroll it, and a screen reader must be able to say what it is."""
    problems = [f"{url}: {r}" for url, s in pages.items() for r in s.regions
                if r.get("role") != "region" or r.get("tabindex") != "0" or not (r.get("aria-label") or "").strip()]
    assert not problems, f"{len(problems)} table region(s) lacking role/tabindex/aria-label:\n  " + "\n  ".join(problems[:20])


def test_file_links_say_what_they_download(pages):
    """A link to a download names the file's content, and keeps its visible text (the format) in
    its name: 下载市财政局事项清单 Excel 文件, shown as "Excel"."""
    problems, checked = [], 0
    for url, s in pages.items():
        for link in s.links:
            fmt = FILE_FORMATS.get(Path(link.href.split("#")[0]).suffix)
            if fmt is None or "/schema/" in link.href:
                continue
            checked += 1
            visible = link.text.strip()
            if link.name == visible and visible in FILE_FORMATS.values():
                problems.append(f"{url}: {link.href} is named only {visible!r}")
            elif visible not in link.name:
                problems.append(f"{url}: {link.href}: visible text {visible!r} not in its name {link.name!r}")
    assert checked > 200, checked
    assert not problems, f"{len(problems)} file link(s):\n  " + "\n  ".join(problems[:20])


def test_link_names_make_sense_out_of_context(pages):
    """Outside tables (where a cell's row and column headers give the context, WCAG 2.4.4), two
    links on one page with the same name lead to the same place."""
    problems = []
    for url, s in pages.items():
        targets = defaultdict(set)
        for link in s.links:
            if not link.in_table and link.name:
                targets[link.name].add(urljoin(url, link.href).split("?")[0].split("#")[0])
        problems += [f"{url}: {name!r} -> {sorted(t)}" for name, t in targets.items() if len(t) > 1]
    assert not problems, f"{len(problems)} ambiguous link name(s):\n  " + "\n  ".join(problems[:20])


# --------------------------------------------------------------------------- theme overrides

WP_MARK = "{#- wp"


def _without_leading_comment(text: str) -> str:
    return re.sub(r"\A\{#-.*?-#\}\n", "", text, flags=re.S)


def test_header_override_is_materials_header_plus_marked_lines():
    import material

    upstream = Path(material.__file__).parent / "templates" / "partials" / "header.html"
    ours = (ROOT / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    added = [line for line in ours.splitlines() if WP_MARK in line]
    assert any("wp-a11y-toolbar.html" in line for line in added), "the toolbar include is gone"
    kept = "\n".join(line for line in _without_leading_comment(ours).splitlines() if WP_MARK not in line)
    assert kept == _without_leading_comment(upstream.read_text(encoding="utf-8")).rstrip("\n"), (
        "overrides/partials/header.html differs from Material's partials/header.html in lines not marked "
        f"{WP_MARK!r}: Material changed its header (an upgrade?); copy it again and re-add the marked lines")
