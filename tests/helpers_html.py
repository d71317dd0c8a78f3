"""Small HTML reading helpers for the tests on the built site (standard library only).

`Page.parse(html)` walks a built page once with html.parser and records what the tests ask
about: element start tags with their attributes, the text inside <article> (the page body
in Material), the text of <script> elements, comments, ids, and the cell count of every
table row. Character references are decoded, so text compares with the data as written.
"""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "srcset"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    ancestors: tuple[str, ...]     # open elements around it, outermost first

    @property
    def in_article(self) -> bool:
        return "article" in self.ancestors


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    article_text: str = ""         # text nodes inside <article>, concatenated, entities decoded
    all_text: str = ""             # every text node outside <script>/<style>
    scripts: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    script_nodes: list[tuple[tuple[str, ...], dict, str]] = field(default_factory=list)  # (open elements, attrs, code)
    comment_nodes: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    tables: list[list[int]] = field(default_factory=list)   # per table: cells per row
    title: str = ""
    text_nodes: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # (open elements, text)

    def text_in(self, inside: str, outside: tuple[str, ...] = ()) -> str:
        """Text nodes within an element `inside` and not within any of `outside`."""
        return "".join(t for where, t in self.text_nodes if inside in where and not set(outside) & set(where))

    @classmethod
    def parse(cls, html: str) -> "Page":
        parser = _Parser()
        parser.feed(html)
        parser.close()
        return parser.page

    @classmethod
    def read(cls, path: Path) -> "Page":
        return cls.parse(path.read_text(encoding="utf-8"))

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [e for e in self.elements if (tag is None or e.tag == tag)
                and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def links(self):
        """(tag, attribute, value) for every URL-valued attribute, and the URL of a meta refresh
        (as ("meta", "refresh", url)): a redirect page's target is a link like any other."""
        for e in self.elements:
            for name, value in e.attrs.items():
                if name in URL_ATTRS and value is not None:
                    yield e.tag, name, value
            target = refresh_url(e)
            if target is not None:
                yield "meta", "refresh", target


REFRESH_CONTENT = re.compile(r"\s*\d+\s*;\s*url\s*=\s*(.+)", re.I | re.S)


def refresh_url(e: Element) -> str | None:
    """The URL of <meta http-equiv="refresh" content="0; url=…">, else None."""
    if e.tag != "meta" or (e.attrs.get("http-equiv") or "").lower() != "refresh":
        return None
    found = REFRESH_CONTENT.fullmatch(e.attrs.get("content") or "")
    return found.group(1).strip().strip("'\"") if found else None


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._article = 0
        self._script = None    # list of chunks while inside <script>/<style>
        self._is_script = False
        self._title = None
        self._text: list[str] = []
        self._all: list[str] = []
        self._table_stack: list[list[int]] = []
        self._row: int | None = None
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs_d = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "article":
            self._article += 1
        self.page.elements.append(Element(tag, attrs_d, tuple(self._open)))
        if tag not in VOID:
            self._open.append(tag)
        if "id" in attrs_d:
            self.page.ids.add(attrs_d["id"])
        if tag == "a" and "name" in attrs_d:
            self.page.ids.add(attrs_d["name"])
        if tag in ("script", "style"):
            self._script, self._is_script, self._script_attrs = [], tag == "script", attrs_d
        elif tag == "title":
            self._title = []
        elif tag == "table":
            self._table_stack.append([])
        elif tag == "tr":
            self._row = 0
        elif tag in ("td", "th") and self._row is not None:
            self._row += int(attrs_d.get("colspan") or 1)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self._open:   # tolerate unclosed children: close up to the matching start tag
            while self._open.pop() != tag:
                pass
        if tag == "article" and self._article:
            self._article -= 1
        elif tag in ("script", "style") and self._script is not None:
            if self._is_script:
                self.page.scripts.append("".join(self._script))
                self.page.script_nodes.append((tuple(self._open), self._script_attrs, "".join(self._script)))
            self._script = None
        elif tag == "title" and self._title is not None:
            self.page.title = "".join(self._title)
            self._title = None
        elif tag == "tr" and self._row is not None:
            if self._table_stack:
                self._table_stack[-1].append(self._row)
            self._row = None
        elif tag == "table" and self._table_stack:
            self.page.tables.append(self._table_stack.pop())

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
            return
        if self._title is not None:
            self._title.append(data)
        self._all.append(data)
        self.page.text_nodes.append((tuple(self._open), data))
        if self._article:
            self._text.append(data)

    def handle_comment(self, data):
        self.page.comments.append(data)
        self.page.comment_nodes.append((tuple(self._open), data))

    def close(self):
        super().close()
        self.page.article_text = "".join(self._text)
        self.page.all_text = "".join(self._all)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")   # a scheme (http:, mailto:, data:) or //host


def is_internal(url: str) -> bool:
    return not EXTERNAL.match(url.strip())


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """(file, fragment) an internal URL on `page` (a file under `site`) points at, as a browser
    with directory URLs would resolve it: relative to the page's folder, or to the site root for
    a site-absolute URL; a folder means its index.html. Percent-escapes are decoded."""
    url = url.strip()
    path, _, fragment = url.partition("#")
    path = path.split("?", 1)[0]
    path, fragment = unquote(path), unquote(fragment)
    if not path:
        return page, fragment
    base = site if path.startswith("/") else page.parent
    target = Path(posixpath.normpath(posixpath.join(str(base), path.lstrip("/") if path.startswith("/") else path)))
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, fragment


def url_attributes(page: Page):
    """(tag, attribute, URL) of every URL-valued attribute; srcset split into its candidates."""
    for tag, attr, value in page.links():
        if attr == "srcset":
            for candidate in value.split(","):
                if candidate.strip():
                    yield tag, attr, candidate.split()[0]
        elif not (tag == "link" and attr == "href" and value == ""):
            yield tag, attr, value


def land(site: Path, path: Path, hops: int = 3, pages: dict[Path, Page] | None = None) -> Path:
    """The file a browser ends on from `path`, following redirect pages (meta refresh);
    `pages` holds pages already parsed."""
    for _ in range(hops):
        if path.suffix != ".html" or not path.is_file():
            return path
        page = pages.get(path) if pages else None
        targets = [u for e in (page or Page.read(path)).elements if (u := refresh_url(e)) is not None]
        if not targets:
            return path
        path, _ = resolve(site, path, targets[0])
    raise AssertionError(f"{path}: more than {hops} redirects")


def find_broken(site: Path, pages: dict[Path, Page]) -> tuple[dict[str, list[str]], int]:
    """({page: [problem, …]}, number of internal URLs checked). A link to a redirect page is
    followed to the page it forwards to, which must exist in the site (and hold the link's
    fragment); so is a redirect page's own meta refresh."""
    broken: dict[str, list[str]] = defaultdict(list)
    ids_of: dict[Path, set[str]] = {path: page.ids for path, page in pages.items()}
    landed_of: dict[Path, Path | str] = {}
    checked = 0
    root = site.resolve()

    def follow(target: Path) -> Path | str:
        if target not in landed_of:
            try:
                landed_of[target] = land(site, target, hops=5, pages=pages)
            except AssertionError as e:
                landed_of[target] = str(e)
        return landed_of[target]

    for path, page in pages.items():
        rel = str(path.relative_to(site))
        for tag, attr, url in url_attributes(page):
            if not is_internal(url):
                continue
            checked += 1
            target, fragment = resolve(site, path, url)
            where = f"<{tag} {attr}={url!r}>"
            if root not in target.resolve().parents:
                broken[rel].append(f"{where} leaves the site")
                continue
            if not target.is_file():
                broken[rel].append(f"{where} → {target.relative_to(site)} does not exist")
                continue
            landed = follow(target)
            if isinstance(landed, str):
                broken[rel].append(f"{where} → {landed}")
            elif root not in landed.resolve().parents or not landed.is_file():
                broken[rel].append(f"{where} → {target.relative_to(site)} forwards to {landed}, which is not in the site")
            elif fragment and landed.suffix == ".html":
                if landed not in ids_of:
                    ids_of[landed] = Page.read(landed).ids
                if fragment not in ids_of[landed]:
                    broken[rel].append(f"{where} → no id {fragment!r} in {landed.relative_to(site)}")
    return broken, checked


def report(broken: dict[str, list[str]]) -> str:
    lines = [f"{page}:\n    " + "\n    ".join(items[:10]) + (f"\n    … {len(items) - 10} more" if len(items) > 10 else "")
             for page, items in sorted(broken.items())]
    return f"{sum(map(len, broken.values()))} broken link(s) on {len(broken)} page(s):\n" + "\n".join(lines)
