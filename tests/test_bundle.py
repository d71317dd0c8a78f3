"""The intranet bundle (`make bundle`, workplan/bundle.py): a zip of the site built for file://
that must work opened from disk and served under any sub-path, and fetch nothing from outside.

What these tests count as an *external fetch* (the bundle must have none):

* external URL: an absolute URL with a network location — ``http://``, ``https://`` (any scheme
  followed by ``//``) or protocol-relative ``//host/…``. ``data:`` URIs and relative paths are local.
* fetched: requested by the browser without the reader clicking anything:
  - HTML: ``src``/``srcset``/``poster``/``background``/``<object data>``/SVG ``<use>``/``<image>`` href,
    ``<link href>`` unless every ``rel`` is navigation-only (canonical, next, prev, …), the URL of a
    ``<meta http-equiv="refresh">``, ``url()``/``@import`` in ``<style>`` and ``style=""``;
  - CSS files: ``url()`` and ``@import`` (``data:`` URIs excepted);
  - JavaScript that pages load (``<script src>``, inline scripts, the search worker named in
    ``__config``, the lunr language files the worker imports): every URL literal in it must be one of
    KNOWN_JS_URLS, each listed with the reason it is not fetched here; the conditions those reasons
    rest on are asserted too (no Mermaid diagram, no repository widget). search/search_index.js is
    checked to be pure data (``var __index = <JSON>``): strings in it are page text, never loaded.
* not fetched, so not counted: ``<a href>``/``<area href>`` (navigation: the "edit this page" button
  links to GitHub's web editor), ``<form action>``, ``xmlns`` namespace names, text, comments in files no
  page loads (e.g. unused lunr language packs), and source maps (*.map, read only by developer tools).

Internal links must be relative: no ``href``/``src``/… value starts with "/" (a root-absolute path
breaks under a sub-path and from file://).
"""
from __future__ import annotations

import hashlib
import json
import posixpath
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_fixtures import ROOT, project_copy

from workplan import bundle

# Every http(s) URL literal in the JavaScript that pages load, and why none of them is fetched.
KNOWN_JS_URLS = {
    # Material's bundle.*.min.js
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js":
        "loaded only on pages with a Mermaid diagram (pre.mermaid); asserted: no page has one",
    "https://unpkg.com/resize-observer-polyfill":
        "loaded only where window.ResizeObserver is missing (Chrome < 64, Firefox < 69, Safari < 13.1); "
        "every browser Material 9 supports has it",
    "https://api.github.com/repos/${e}/${t}":
        "repository facts, fetched only by the header's source widget (repo_url); asserted: no page has it",
    "https://api.github.com/users/${e}": "same source widget (repo_url); asserted: absent",
    "https://${e}/api/v4/projects/${encodeURIComponent(t": "GitLab variant of the source widget; asserted: absent",
    "https://clipboardjs.com/": "licence banner of clipboard.js (a comment)",
    # Material's workers/search.*.min.js
    "https://bit.ly/2s3ChXG": "text of a console warning for an invalid query",
    "http://lunrjs.com": "licence banner of lunr (a comment)",
    "http://tartarus.org/~martin/PorterStemmer/js.txt": "comment crediting the Porter stemmer",
}
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//", re.I)
JS_URL = re.compile(r"(?:https?|wss?|ftp)://[^\s\"'`<>\\)]*", re.I)
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)
NAVIGATION_RELS = {"canonical", "alternate", "author", "bookmark", "external", "help", "license", "next",
                   "prev", "previous", "search", "tag", "me", "nofollow", "noopener", "noreferrer"}
FETCH_ATTRS = {"src", "srcset", "poster", "background"}
LINK_ATTRS = {"href", "src", "srcset", "poster", "background", "data", "action", "formaction", "xlink:href"}


def is_external(url: str) -> bool:
    return bool(EXTERNAL.match(url))


def css_urls(css: str) -> list[str]:
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in CSS_URL.finditer(css)]


class Resources(HTMLParser):
    """Every URL of one HTML page, split into fetched and navigation, plus inline scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fetched: list[tuple[str, str]] = []     # (where, url)
        self.links: list[tuple[str, str]] = []       # every URL-valued attribute, fetched or not
        self.scripts: list[str] = []                 # inline <script> bodies
        self.classes: set[str] = set()
        self.components: set[str] = set()
        self._script: list[str] | None = None
        self._style: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.classes.update(a.get("class", "").split())
        if "data-md-component" in a:
            self.components.add(a["data-md-component"])
        for name, value in a.items():
            if name in LINK_ATTRS:
                urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
                self.links += [(f"<{tag} {name}>", u) for u in urls]
                if name in FETCH_ATTRS or (tag == "object" and name == "data") or \
                        (tag in ("use", "image", "feimage") and name in ("href", "xlink:href")):
                    self.fetched += [(f"<{tag} {name}>", u) for u in urls]
        if tag == "link" and "href" in a and not set(a.get("rel", "").lower().split()) <= NAVIGATION_RELS:
            self.fetched.append((f"<link rel={a.get('rel')}>", a["href"]))
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*(.+)$", a.get("content", ""), re.I)
            if match:
                self.fetched.append(("<meta refresh>", match.group(1).strip("'\" ")))
                self.links.append(("<meta refresh>", match.group(1).strip("'\" ")))
        if "style" in a:
            self.fetched += [("style=", u) for u in css_urls(a["style"])]
        if tag == "script" and "src" not in a:
            self._script = []
        if tag == "style":
            self._style = []

    def handle_data(self, data):
        for buf in (self._script, self._style):
            if buf is not None:
                buf.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        if tag == "style" and self._style is not None:
            self.fetched += [("<style>", u) for u in css_urls("".join(self._style))]
            self._style = None


# ------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    """A copy of the project (no .git: version "nogit"), so both bundles see the same tree even
    while someone edits the checkout."""
    return project_copy(tmp_path_factory.mktemp("bundle-src") / "project")


@pytest.fixture(scope="module")
def bundled(snapshot, tmp_path_factory) -> Path:
    return bundle.make_bundle(snapshot, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def site(bundled) -> dict[str, bytes]:
    """The zip's files, path inside the site → content (the zip's top folder stripped)."""
    with zipfile.ZipFile(bundled) as archive:
        folder = bundled.stem + "/"
        assert all(n.startswith(folder) for n in archive.namelist()), "everything under one top folder"
        return {n[len(folder):]: archive.read(n) for n in archive.namelist()}


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Resources]:
    out = {}
    for name, data in site.items():
        if name.endswith(".html"):
            parsed = Resources()
            parsed.feed(data.decode("utf-8"))
            out[name] = parsed
    return out


def loaded_js(site: dict[str, bytes], pages: dict[str, Resources]) -> set[str]:
    """Site paths of the JavaScript files a page loads, directly or through the search worker."""
    found = set()
    for name, page in pages.items():
        for where, url in page.fetched:
            if where == "<script src>" and not is_external(url):
                found.add(posixpath.normpath(posixpath.join(posixpath.dirname(name), url.split("?")[0])))
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                  site["index.html"].decode("utf-8"), re.S).group(1))
    found.add(config["search"])
    langs = json.loads(site["search/search_index.json"])["config"]["lang"]
    lunr = "assets/javascripts/lunr"
    extra = [f"{lunr}/tinyseg.js" for lang in langs if lang == "ja"]
    extra += [f"{lunr}/wordcut.js" for lang in langs if lang in ("hi", "th")]
    extra += [f"{lunr}/min/lunr.{lang}.min.js" for lang in langs if lang != "en"]
    extra += [f"{lunr}/min/lunr.multi.min.js"] if len(langs) > 1 else []
    found.update(extra + ([f"{lunr}/min/lunr.stemmer.support.min.js"] if extra else []))
    return found


# ------------------------------------------------------------------------------------- the zip

def test_zip_and_checksum(bundled):
    assert bundled.name == "ganzhou-workplan-2020-nogit.zip"
    checksum = bundled.with_name(bundled.name + ".sha256")
    assert checksum.is_file()
    assert checksum.read_text(encoding="utf-8") == f"{hashlib.sha256(bundled.read_bytes()).hexdigest()}  {bundled.name}\n"


def test_zip_contains_an_offline_site(site):
    assert "index.html" in site and "README.txt" in site
    index_js = site["search/search_index.js"].decode("utf-8")
    assert index_js.startswith("var __index = ")
    assert json.loads(index_js[len("var __index = "):]) == json.loads(site["search/search_index.json"])
    assert len(json.loads(site["search/search_index.json"])["docs"]) > 100
    # Left out on purpose: 404.html has root-absolute links, the sitemaps are empty without site_url.
    assert not set(site) & bundle.LEFT_OUT


def test_iframe_worker_shim_is_local(site, pages):
    shim = site[bundle.SHIM]
    assert hashlib.sha256(shim).hexdigest() == bundle.SHIM_SHA256
    assert "MIT" in (ROOT / "docs/assets/vendor/iframe-worker/README.txt").read_text(encoding="utf-8")
    assert b"Permission is hereby granted" in site["assets/vendor/iframe-worker/LICENSE"]
    for name, page in pages.items():
        scripts = [u for where, u in page.fetched if where == "<script src>"]
        if not scripts:  # redirect stubs for former unit ids load nothing
            continue
        resolved = {posixpath.normpath(posixpath.join(posixpath.dirname(name), u)) for u in scripts}
        assert bundle.SHIM in resolved, f"{name} does not load the local shim"
    assert not [n for n, data in site.items() if b"unpkg.com/iframe-worker" in data]


def test_zip_is_reproducible_in_form(bundled):
    with zipfile.ZipFile(bundled) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}   # no git: the zip epoch
    assert {(i.create_system, i.external_attr >> 16) for i in infos} == {(3, 0o100644)}


# ------------------------------------------------------------------------------------- no external fetches

def test_html_fetches_nothing_external_and_links_are_relative(pages):
    external, absolute, navigation = [], [], set()
    for name, page in pages.items():
        external += [f"{name}: {where} {url}" for where, url in page.fetched if is_external(url)]
        absolute += [f"{name}: {where} {url}" for where, url in page.links
                     if url.startswith("/") and not is_external(url)]
        navigation |= {url for where, url in page.links if is_external(url) and where in ("<a href>", "<area href>")}
    assert not external, "external fetches:\n" + "\n".join(external[:20])
    assert not absolute, "root-absolute links (break under a sub-path and from file://):\n" + "\n".join(absolute[:20])
    # The only outside links are navigation to the repository (edit buttons), never fetched.
    assert all(url.startswith("https://github.com/") for url in navigation), sorted(navigation)[:10]


def test_css_fetches_nothing_external(site):
    bad = []
    for name, data in site.items():
        if name.endswith(".css"):
            for url in css_urls(data.decode("utf-8")):
                if is_external(url) or url.startswith("/"):
                    bad.append(f"{name}: url({url})")
    assert not bad, bad


def test_loaded_javascript_has_only_known_unfetched_urls(site, pages):
    scripts = loaded_js(site, pages)
    assert bundle.SHIM in scripts and any(s.startswith("assets/javascripts/workers/search.") for s in scripts)
    unknown = []
    for path in sorted(scripts - {"search/search_index.js"}):
        assert path in site, f"a page loads {path}, which is not in the bundle"
        unknown += [f"{path}: {url}" for url in JS_URL.findall(site[path].decode("utf-8")) if url not in KNOWN_JS_URLS]
    for name, page in pages.items():
        for body in page.scripts:
            unknown += [f"{name} (inline script): {url}" for url in JS_URL.findall(body)]
    assert not unknown, ("URLs in loaded JavaScript that are not known to be harmless; if the code can fetch "
                         "them, vendor the file (docs/assets/vendor/) instead:\n" + "\n".join(unknown))


def test_conditions_of_the_known_js_urls_hold(pages):
    """The conditional fetches in Material's bundle stay dormant on every page."""
    for name, page in pages.items():
        assert "mermaid" not in page.classes, f"{name}: a Mermaid diagram would load mermaid from unpkg.com"
        assert "source" not in page.components, f"{name}: the repository widget would call api.github.com"


# ------------------------------------------------------------------------------------- reproducible

@pytest.mark.slow
def test_two_bundles_of_the_same_tree_are_identical(snapshot, bundled, tmp_path):
    again = bundle.make_bundle(snapshot, tmp_path / "dist")
    assert again.name == bundled.name
    assert again.read_bytes() == bundled.read_bytes()
    assert again.with_name(again.name + ".sha256").read_text() == bundled.with_name(bundled.name + ".sha256").read_text()


# ------------------------------------------------------------------------------------- small parts

def test_polyfills_only_for_offline_builds(monkeypatch):
    monkeypatch.delenv("OFFLINE", raising=False)
    assert bundle.polyfills() == []
    for value, expected in (("true", [bundle.SHIM]), ("True", [bundle.SHIM]), ("false", [])):
        monkeypatch.setenv("OFFLINE", value)
        assert bundle.polyfills() == expected
    assert hashlib.sha256((ROOT / "docs" / bundle.SHIM).read_bytes()).hexdigest() == bundle.SHIM_SHA256
    assert "iframe-worker" in bundle.SHIM   # what the offline plugin looks for before adding unpkg's copy


def test_version_names_the_commit():
    assert bundle.bundle_name(2020, "1a2b3c4") == "ganzhou-workplan-2020-1a2b3c4"
    assert bundle.bundle_name(2021, "1a2b3c4", dirty=True) == "ganzhou-workplan-2021-1a2b3c4-dirty"
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode:
        pytest.skip("not a git checkout")
    sha, stamp, _ = bundle.git_state(ROOT)
    assert sha == head.stdout.strip() and stamp > bundle.ZIP_EPOCH


def test_write_zip_is_deterministic(tmp_path):
    site = tmp_path / "site"
    (site / "b").mkdir(parents=True)
    (site / "b" / "x.html").write_text("<p>x</p>")
    (site / "a.html").write_text("<p>a</p>")
    zips = []
    for n in (1, 2):
        out = tmp_path / f"{n}.zip"
        bundle.write_zip(site, out, "top", 1_700_000_000, readme="hi")
        zips.append(out.read_bytes())
        (site / "a.html").touch()   # file times must not matter
    assert zips[0] == zips[1]
    with zipfile.ZipFile(tmp_path / "1.zip") as archive:
        assert archive.namelist() == ["top/README.txt", "top/a.html", "top/b/x.html"]
        assert archive.getinfo("top/a.html").date_time == (2023, 11, 14, 22, 13, 20)


def test_the_rule_itself():
    """What counts as fetched / external, on a hand-made page (guards the scanner above)."""
    page = Resources()
    page.feed('<link rel="stylesheet" href="//cdn.example/x.css"><link rel="canonical" href="https://example.org/">'
              '<script src="https://unpkg.com/iframe-worker/shim"></script><img srcset="a.png 1x, http://x/b.png 2x">'
              '<a href="https://github.com/o/r/edit/main/data/units.yaml">edit</a><div style="background:url(/bg.png)">'
              '<meta http-equiv="refresh" content="0; url=../units/czj.html"><svg xmlns="http://www.w3.org/2000/svg">'
              '<use href="#icon"></use></svg><style>@import "https://fonts.example/css";</style>'
              '<script>fetch("https://api.example/x")</script>')
    external = sorted(url for _, url in page.fetched if is_external(url))
    assert external == ["//cdn.example/x.css", "http://x/b.png", "https://fonts.example/css",
                        "https://unpkg.com/iframe-worker/shim"]
    assert ("style=", "/bg.png") in page.fetched and ("<meta refresh>", "../units/czj.html") in page.fetched
    assert JS_URL.findall(page.scripts[0]) == ["https://api.example/x"]
    assert not is_external("assets/x.js") and not is_external("data:image/png;base64,AA") and is_external("HTTPS://X")
