"""Search on a large site: a chunked index (Pagefind) behind Material's search box.

Material's search downloads one index (search/search_index.json) on every page and builds it in
the browser: at today's size that is fast, but both grow with the site (maintainers/search.md,
"大规模站点的分块索引"). Above `extra.search_chunked_above` searchable pages (mkdocs.yml; env
SEARCH_CHUNKED_ABOVE), `make build` instead:

1. builds a Pagefind index into site/pagefind/ from the same records (pagefind_index.mjs, run with
   Node and the npm package `pagefind`, pinned in package.json: `make node` installs it);
2. writes over Material's search worker (same file, so the page loads it as before) a worker that
   answers the page's messages from that index (search_worker.js for item numbers, then
   pagefind_worker.js): the same dialog, result list and keyboard handling;
3. leaves in search/search_index.json only its config: the page still fetches the file, and must
   not download every record.

The file:// bundle (the offline plugin) always keeps the single index: Pagefind fetches its chunks,
which browsers refuse under file://. Below the threshold nothing here runs, so a build needs no Node.
"""
from __future__ import annotations

import json
import pathlib
import subprocess

from . import search

SETTING = "search_chunked_above"
# Searchable pages (records of search_index.json without "#"): the real site has 212 (1×). In
# Chromium (scripts/bench-search) the single index's first result, typed right after the page
# loads, took 0.55 s at 1× and 2.4 s at 10× (about 1.1 ms a page): 1 s at about 630 pages; the
# chunked index 0.6–1.0 s at any size. Details: maintainers/search.md.
DEFAULT_THRESHOLD = 600
PACKAGE_JSON = pathlib.Path(__file__).resolve().parent.parent / "package.json"


def pinned_version(package: str) -> str:
    """The version package.json pins (npm ci installs it from package-lock.json)."""
    return json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["devDependencies"][package]


PAGEFIND_VERSION = pinned_version("pagefind")
INDEXER = pathlib.Path(__file__).with_name("pagefind_index.mjs")
WORKER = pathlib.Path(__file__).with_name("pagefind_worker.js")
# Pagefind weights of the parts of a page's record (0–10; Pagefind's own default for <h1> is 7), the
# characters of text kept for the result, and the characters of text above which a long page is cut
# into several Pagefind documents (pagefind_index.mjs; 1×: only the 工作要点 and the API pages are).
# Measured on tests/search_suite.py and scripts/bench-search (maintainers/search.md).
WEIGHTS = {"title": 7, "keywords": 5, "section_title": 2, "text": 1, "shown_chars": 300, "part_chars": 2000}
PAGEFIND_DIR = "pagefind"
# Pagefind's own search interfaces, written beside the index; Material's dialog is ours (~430 KB)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class ChunkedSearchUnavailable(RuntimeError):
    """The site needs the chunked index and this machine cannot build it."""


def threshold(extra: dict) -> int:
    """extra.search_chunked_above as a number of pages; ValueError (in Chinese) when it is not one."""
    value = extra.get(SETTING)
    if value is None or value == "":
        return DEFAULT_THRESHOLD
    try:
        pages = int(str(value).strip())
    except ValueError:
        pages = -1
    if pages < 0:
        raise ValueError(f"mkdocs.yml extra.{SETTING}（或环境变量 SEARCH_CHUNKED_ABOVE）应是不小于 0 的整数页数，"
                         f"现在是 {value!r}")
    return pages


def page_count(index: pathlib.Path) -> int:
    """Searchable pages in Material's index: its records without a section (#) in their location."""
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    return sum(1 for doc in docs if "#" not in doc["location"])


def wanted(pages: int, limit: int, offline: bool) -> bool:
    """Whether a site of `pages` searchable pages gets the chunked index."""
    return not offline and pages > limit


def _pagefind_package(root: pathlib.Path) -> str | None:
    manifest = root / "node_modules" / "pagefind" / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def build(site_dir: pathlib.Path, root: pathlib.Path, pages: int, limit: int) -> dict:
    """Steps 1–3 above on a built site; ChunkedSearchUnavailable when Node or pagefind is missing."""
    why = (f"本站有 {pages} 个可搜索页面，超过 mkdocs.yml 中 extra.{SETTING} 的 {limit} 页，"
           "要为在线站点建分块搜索索引（Pagefind）")
    advice = (f"请运行 make node 安装 npm 包（package-lock.json 中的 pagefind {PAGEFIND_VERSION}），"
              f"或在 mkdocs.yml 中调高 extra.{SETTING}（环境变量 SEARCH_CHUNKED_ABOVE）；离线包（make bundle）不需要它。")
    try:
        node = search.node_binary()
    except FileNotFoundError:
        raise ChunkedSearchUnavailable(f"{why}，但本机没有 Node.js。{advice}") from None
    version = _pagefind_package(root)
    if version != PAGEFIND_VERSION:
        found = f"找到的是 {version}" if version else "没有找到"
        raise ChunkedSearchUnavailable(f"{why}，需要 npm 包 pagefind {PAGEFIND_VERSION}，{found}"
                                       f"（{root / 'node_modules'}）。{advice}")
    index = site_dir / "search" / "search_index.json"
    run = subprocess.run([node, str(INDEXER), str(index), str(site_dir / PAGEFIND_DIR), json.dumps(WEIGHTS)],
                         cwd=root, capture_output=True, text=True, timeout=3600)
    if run.returncode:
        raise ChunkedSearchUnavailable(f"{why}，但 Pagefind 建索引失败（exit {run.returncode}）：\n{run.stderr[-2000:]}")
    for name in UNUSED:
        (site_dir / PAGEFIND_DIR / name).unlink(missing_ok=True)
    worker = search.worker_file(site_dir)
    worker.write_text(search.WORKER_JS.read_text(encoding="utf-8") + WORKER.read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(index.read_text(encoding="utf-8"))
    index.write_text(json.dumps({"config": data["config"], "docs": []}, ensure_ascii=False), encoding="utf-8")
    return json.loads(run.stdout)
