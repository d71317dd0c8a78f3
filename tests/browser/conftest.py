"""Real-browser suite: Debian's Chromium driven by Playwright (Python), against the real site.

What every test here gets for free:

- one Chromium per session (`browser`), a fresh context per test (`desktop`, `mobile`, `offline`
  fixtures, each a Page);
- the built site served on 127.0.0.1 at a random free port (`site_url`), or opened from file://
  (`offline`, the intranet build);
- a `Guard` per test: every request to any other host (or to a file outside the site) is aborted and
  recorded, every console error and uncaught page error is recorded, and the test FAILS after its
  body when either list is not empty (checked in the call phase, so `xfail` applies to it too);
- `shoot(page, name)`: a full-page screenshot in test-artifacts/screenshots/ (not committed);
- `browse(viewport, mode)`: a page of the served site in one of the toolbar's display modes
  (MODES), and `axe_js`, the pinned axe-core (node_modules/, installed by `make node`).

Chromium missing (/usr/bin/chromium, override with CHROMIUM_PATH like scripts/install-chromium):
the browser tests are SKIPPED with a banner at collection time and again in the summary, except
when CI=true and we are root: scripts/install-chromium must have installed it there, so every
browser test FAILS instead.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import threading
import urllib.error
import urllib.request
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from a11y_helpers import MODES, STORAGE_KEY
from site_fixtures import ROOT, built_site, chunked_site, offline_site  # noqa: F401  (fixtures used by the tests here)
from editions import two_edition_site  # noqa: F401  (session fixture: the two-edition site)
from workplan.pages import dest_url

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


# --------------------------------------------------------------------------- page kinds

@dataclass(frozen=True)
class PageKind:
    name: str
    src: str              # source path inside docs/ ("units/czj.md"); "404.html" for the error page
    h1: str | None = None  # text the page heading must contain
    tables: bool = False   # has item tables (.wp-table)
    offline: bool = True   # part of the file:// checks (404.html is only ever served by a web server)

    def url(self, use_directory_urls: bool) -> str:
        """Path relative to the site root, by the same rule MkDocs uses."""
        return self.src if self.src.endswith(".html") else dest_url(self.src, use_directory_urls)


# One page of every kind the site has (workplan/pages/ + the hand-written pages): the pages of an
# edition are under its year (2020/…), units, counties, groups and the across-years pages are not.
# Ids are stable by policy (data/units.yaml: "不要改 id").
PAGE_KINDS = [
    PageKind("home", "index.md", "赣南苏区振兴发展"),
    PageKind("edition", "2020/index.md", "赣南苏区振兴发展"),
    PageKind("editions", "editions/index.md", "历年工作要点"),
    PageKind("points", "2020/points.md", None),
    PageKind("categories", "2020/categories/index.md", None, tables=True),
    PageKind("category-part", "2020/categories/1.md", "全力争取", tables=True),
    PageKind("category-sub", "2020/categories/3-3.md", "三（三）", tables=True),
    PageKind("items", "2020/items/index.md", None, tables=True),
    PageKind("item", "2020/items/3-3-4.md", "三（三）"),
    PageKind("units", "units/index.md", "单位"),
    PageKind("unit", "units/czj.md", "市财政局", tables=True),
    PageKind("counties", "counties/index.md", "县"),
    PageKind("county", "counties/longnan.md", "龙南市", tables=True),
    PageKind("zone", "counties/gzjkq.md", "赣州经开区", tables=True),
    PageKind("group", "groups/all-counties.md", "各县", tables=True),
    PageKind("matrix", "2020/matrix.md", "责任矩阵"),
    PageKind("charts", "2020/charts.md", "统计图表"),
    PageKind("table", "2020/table/index.md", "事项筛选表"),
    PageKind("downloads", "2020/downloads/index.md", "下载"),
    PageKind("all-downloads", "downloads/index.md", "历年下载"),
    PageKind("api", "api/index.md", "数据接口"),
    PageKind("progress", "2020/progress/index.md", "报送总览"),
    PageKind("history", "2020/progress/history.md", "状态变化"),
    PageKind("about", "about.md", None),
    PageKind("not-found", "404.html", "404", offline=False),
]


@pytest.fixture(scope="session")
def page_kinds() -> list[PageKind]:
    return list(PAGE_KINDS)


def pytest_generate_tests(metafunc):
    """A test that takes `page_kind` runs once per page kind; `offline_kind`: once per kind of the bundle."""
    for name, kinds in (("page_kind", PAGE_KINDS), ("offline_kind", [k for k in PAGE_KINDS if k.offline])):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, kinds, ids=[k.name for k in kinds])


# --------------------------------------------------------------------------- Chromium present?

def _chromium_problem() -> str | None:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:  # pinned in requirements.txt: a broken venv
        return f"the playwright package cannot be imported ({exc})"
    return None


def _must_have_chromium() -> bool:
    """On CI as root, scripts/install-chromium installs Chromium: missing it there is a failure."""
    return os.environ.get("CI", "").lower() == "true" and hasattr(os, "geteuid") and os.geteuid() == 0


PROBLEM = _chromium_problem()
BANNER = f"""
!!! ==========================================================================
!!! BROWSER TESTS SKIPPED: {PROBLEM}.
!!! Search ranking, navigation, mobile layout, offline bundle and external-request
!!! checks in a real browser are NOT being run on this machine.
!!! Fix: run scripts/install-chromium (or `make browser`), which installs Debian's
!!!      chromium and fonts-noto-cjk with apt, then run the tests again.
!!! ==========================================================================
"""


def _is_browser_test(item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


@pytest.hookimpl(trylast=True)  # after -k/-m deselection, so the counts are of tests that run
def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if _is_browser_test(item)]
    unmarked = [item.nodeid for item in ours if item.get_closest_marker("browser") is None]
    if unmarked:
        raise pytest.UsageError("tests/browser: every test must be marked @pytest.mark.browser: " + ", ".join(unmarked))
    if not ours or PROBLEM is None:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if _must_have_chromium():
        message = (f"!!! CI=true and root, but {PROBLEM}: scripts/install-chromium should have installed it. "
                   f"The {len(ours)} browser tests will FAIL.")
        if reporter:
            reporter.write_line(message, red=True, bold=True)
        return  # the `browser` fixture fails each test
    if reporter:
        reporter.write_line(BANNER, yellow=True, bold=True)
    warnings.warn(pytest.PytestWarning(BANNER.strip()))
    skip = pytest.mark.skip(reason=f"BROWSER TESTS SKIPPED: {PROBLEM} (run scripts/install-chromium)")
    for item in ours:
        item.add_marker(skip)
    config.stash[_SKIPPED_KEY] = len(ours)


_SKIPPED_KEY = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = config.stash.get(_SKIPPED_KEY, 0)
    if skipped:
        terminalreporter.write_line(BANNER.replace("BROWSER TESTS SKIPPED", f"{skipped} BROWSER TESTS SKIPPED"),
                                    yellow=True, bold=True)
    elif any(HERE in (config.rootpath / r.nodeid.split("::")[0]).resolve().parents
             for r in terminalreporter.stats.get("passed", [])):
        terminalreporter.write_line(f"browser tests ran in {_chromium_version()} ({CHROMIUM}); "
                                    f"screenshots: {SCREENSHOTS.relative_to(ROOT)}/")


def _chromium_version() -> str:
    try:  # stderr dropped: Debian's wrapper script prints a harmless shell warning on some machines
        out = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "Chromium (version unknown)"
    return out.strip() or "Chromium (version unknown)"


# --------------------------------------------------------------------------- the browser

@pytest.fixture(scope="session")
def browser():
    if PROBLEM is not None:
        if _must_have_chromium():
            pytest.fail(f"CI=true and root, but {PROBLEM}: scripts/install-chromium should have installed it "
                        "(see its output above `pytest` in the make test log).", pytrace=False)
        pytest.skip(f"BROWSER TESTS SKIPPED: {PROBLEM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


# --------------------------------------------------------------------------- the site over HTTP

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no access log in the test output
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the browser drops connections when a context closes
        pass


def _serve(directory: Path):
    """http://127.0.0.1:<free port>/ serving `directory` until the generator is closed."""
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """http://127.0.0.1:<free port>/ serving the real built site (directory URLs)."""
    yield from _serve(built_site)


@pytest.fixture(scope="session")
def chunked_url(chunked_site) -> str:
    """The real site forced above the chunked-search threshold (Pagefind) over HTTP."""
    yield from _serve(chunked_site)


@pytest.fixture(scope="session")
def two_url(two_edition_site) -> str:
    """The two-edition project's site (tests/editions.py) over HTTP."""
    yield from _serve(two_edition_site)


@pytest.fixture(scope="session")
def offline_url(offline_site) -> str:
    """file:///…/ of the intranet build (no directory URLs; pages end in .html)."""
    return offline_site.resolve().as_uri() + "/"


# --------------------------------------------------------------------------- the guard

@dataclass
class Guard:
    """Blocks and records requests that leave the site; records console and page errors."""

    allowed: list[str] = field(default_factory=list)   # URL prefixes that are the site itself
    external: list[str] = field(default_factory=list)  # "METHOD url (resource type) from page"
    errors: list[str] = field(default_factory=list)    # "page: console error text [source]"
    pages: list = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def is_site(self, url: str) -> bool:
        if url.startswith(("data:", "blob:", "about:")):
            return True
        return any(url.startswith(prefix) for prefix in self.allowed)

    def route(self, route) -> None:
        request = route.request
        if self.is_site(request.url):
            route.continue_()
            return
        self._record(request)
        route.abort("blockedbyclient")

    def on_request(self, request) -> None:  # second net, for anything routing did not see
        if not self.is_site(request.url):
            self._record(request)

    def _record(self, request) -> None:
        if id(request) in self._seen:
            return
        self._seen.add(id(request))
        try:
            origin = request.frame.url
        except Exception:  # requests of workers have no frame
            origin = "(worker)"
        self.external.append(f"{request.method} {request.url} ({request.resource_type}) from {origin}")

    def watch(self, page) -> None:
        self.pages.append(page)
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: uncaught {exc}"))

    def _console(self, page, msg) -> None:
        if msg.type != "error":
            return
        source = (msg.location or {}).get("url", "")
        self.errors.append(f"{page.url}: console.error {msg.text!r} [{source}]")

    def clear(self) -> None:
        self.external.clear()
        self.errors.clear()

    def verify(self) -> None:
        for page in self.pages:  # let pending console/request events arrive
            if not page.is_closed():
                try:
                    page.evaluate("0")
                except Exception:
                    pass
        external, errors = list(self.external), list(self.errors)
        problems = []
        if external:
            problems.append(f"{len(external)} request(s) left the site (blocked):\n  " + "\n  ".join(external))
        if errors:
            problems.append(f"{len(errors)} console/page error(s):\n  " + "\n  ".join(errors))
        if problems:
            raise AssertionError("\n".join(problems))


_GUARD_KEY = pytest.StashKey[Guard]()


@pytest.fixture
def guard(request) -> Guard:
    g = Guard()
    request.node.stash[_GUARD_KEY] = g
    return g


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a test body passed: fail it when its pages made external requests or logged errors."""
    result = yield
    guard = item.stash.get(_GUARD_KEY, None)
    if guard is not None:
        guard.verify()
    return result


def _context(browser, guard: Guard, viewport: dict, **options):
    context = browser.new_context(viewport=viewport, locale="zh-CN", service_workers="block", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", guard.route)
    context.on("request", guard.on_request)
    context.on("page", guard.watch)
    return context


def _desktop_page(browser, guard, url: str):
    """A 1280×900 page in a fresh context whose relative addresses resolve against `url`."""
    guard.allowed.append(url)
    context = _context(browser, guard, DESKTOP, base_url=url)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser, guard, site_url):
    """A page (1280×900) in a fresh context; `page.goto("units/czj/")` is relative to the served site."""
    yield from _desktop_page(browser, guard, site_url)


@pytest.fixture
def two_editions(browser, guard, two_url):
    """two_editions(viewport=DESKTOP): a page of the two-edition site in a fresh context;
    `page.goto("2021/")` is relative to it."""
    guard.allowed.append(two_url)
    contexts = []

    def _open(viewport: dict = DESKTOP):
        contexts.append(_context(browser, guard, viewport, base_url=two_url))
        return contexts[-1].new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def bidi_url(tmp_path_factory) -> str:
    """The project of tests/bidi_project.py (bidi controls in names and texts) built and served over HTTP."""
    from bidi_project import bidi_project
    from site_fixtures import build_copy

    base = tmp_path_factory.mktemp("bidi-browser")
    yield from _serve(build_copy(bidi_project(base / "project"), base / "site"))


@pytest.fixture
def bidi_page(browser, guard, bidi_url):
    """A page (1280×900) of the bidi project's site; `page.goto("units/zxb/")` is relative to it."""
    yield from _desktop_page(browser, guard, bidi_url)


@pytest.fixture
def mobile(browser, guard, site_url):
    """A phone-sized page (390×844, touch, mobile meta viewport) in a fresh context."""
    guard.allowed.append(site_url)
    context = _context(browser, guard, MOBILE, base_url=site_url, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def browse(browser, guard, site_url):
    """browse(viewport=DESKTOP, mode="default", **context options): a page of the served site in a
    fresh context whose storage holds display mode `mode` (MODES) before every page load, as if
    the reader had chosen it in the toolbar."""
    guard.allowed.append(site_url)
    contexts = []

    def _open(viewport: dict = DESKTOP, mode: str = "default", **options):
        context = _context(browser, guard, viewport, base_url=site_url, **options)
        contexts.append(context)
        if MODES[mode] is not None:
            value = json.dumps(json.dumps(MODES[mode]))
            # Not on the context's first about:blank, whose storage is refused.
            context.add_init_script(f"if (location.protocol === 'http:') localStorage.setItem({STORAGE_KEY!r}, {value})")
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """The pinned axe-core (package-lock.json), installed by scripts/install-node-packages. Missing:
    the test fails on CI (the script must have installed it there) and is skipped elsewhere."""
    if not AXE_JS.is_file():
        problem = f"{AXE_JS.relative_to(ROOT)} is missing: run scripts/install-node-packages (make node)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true, but {problem}", pytrace=False)
        pytest.skip(f"ACCESSIBILITY CHECKS SKIPPED: {problem}")
    return AXE_JS


@pytest.fixture
def offline(browser, guard, offline_url):
    """A page in a fresh context for the file:// intranet build; go to `offline_url + "index.html"`."""
    guard.allowed.append(offline_url)
    context = _context(browser, guard, DESKTOP)
    yield context.new_page()
    context.close()


# --------------------------------------------------------------------------- helpers as fixtures

@pytest.fixture(scope="session")
def shoot():
    """shoot(page, name): full-page PNG at test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page, name: str) -> Path | None:
        # A screenshot is an artifact for reviewers, not a check: on a busy machine headless Chromium
        # sometimes stalls producing the frame; retry once, then warn (visibly) instead of failing.
        path = SCREENSHOTS / f"{name}.png"
        for attempt in (1, 2):
            try:
                page.screenshot(path=str(path), full_page=True, animations="disabled", timeout=30_000)
                return path
            except Exception as exc:  # playwright TimeoutError
                if attempt == 2:
                    warnings.warn(pytest.PytestWarning(f"screenshot {name} not saved: {str(exc).splitlines()[0]}"))
        return None

    return _shoot


@dataclass(frozen=True)
class Hit:
    href: str    # absolute URL of the result link, ?h=… and #… included
    path: str    # the page it points to, relative to the site root ("units/czj/")
    title: str


def run_search(page, query: str, *, mobile: bool = False, site_root: str) -> list[Hit]:
    """Open search the way a reader does, type `query`, return the result pages, best first.

    Desktop: click the search box in the header; mobile: tap the magnifier button. Playwright enters
    CJK text as an IME commit (an `input` event, no key events); Material's search listens to
    `keyup`, which a real IME commit also produces, so one End key press follows.
    """
    if mobile:
        page.locator('.md-header__button[data-for="__search"]').click()
    else:
        page.locator(".md-search__input").click()
    box = page.locator(".md-search__input")
    box.wait_for(state="visible")
    box.fill(query)
    box.press("End")
    first = page.locator(".md-search-result__list a.md-search-result__link").first
    first.wait_for(state="attached")
    rows = page.eval_on_selector_all(  # one entry per page: a page's own link, not its matching sections
        ".md-search-result__list > li.md-search-result__item",
        "lis => lis.map(li => li.querySelector(':scope > a.md-search-result__link')).filter(Boolean)"
        ".map(a => [a.href, (a.querySelector('h1, h2') || a).textContent.replace(/\\u200b/g, '').trim()])")
    hits = []
    for href, title in rows:
        path = unquote(urlsplit(href)._replace(query="", fragment="").geturl())
        hits.append(Hit(href, path[len(site_root):] if path.startswith(site_root) else path, title))
    return hits


@pytest.fixture
def search():
    return run_search


# --------------------------------------------------------------------------- links

_ID = re.compile(r"""\bid=["']?([^"'\s>]+)""")


class LinkChecker:
    """Fetches each same-site URL once per session (HTTP) and checks anchors against element ids."""

    def __init__(self):
        self.cache: dict[str, tuple[int, set[str]]] = {}
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy

    def fetch(self, url: str) -> tuple[int, set[str]]:
        if url not in self.cache:
            try:
                with self.opener.open(url, timeout=10) as response:
                    body = response.read().decode("utf-8", "replace")
                    status = response.status
            except urllib.error.HTTPError as exc:
                status, body = exc.code, ""
            ids = {unquote(m) for m in _ID.findall(body)} if "html" in body[:500].lower() else set()
            self.cache[url] = (status, ids)
        return self.cache[url]

    def broken(self, page, site_root: str) -> list[str]:
        """Links on `page` into the site that do not resolve: not 200, or an anchor with no element."""
        hrefs = sorted(set(page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")))
        pending = {urljoin(page.url, h).split("#")[0].split("?")[0] for h in hrefs}
        pending = [u for u in pending if u.startswith(site_root) and u.startswith("http") and u not in self.cache]
        with ThreadPoolExecutor(max_workers=8) as pool:  # fetch the new ones in parallel; cached for the session
            list(pool.map(self.fetch, pending))
        problems = []
        for href in hrefs:
            url = urljoin(page.url, href)
            if not url.startswith(site_root):
                continue  # edit buttons (GitHub) etc.: links, never fetched by the page
            target, _, fragment = url.partition("#")
            target = target.split("?", 1)[0]
            if target.startswith("file:"):
                path = Path(unquote(urlsplit(target).path))
                if path.is_dir():
                    problems.append(f"{href} -> {target}: a folder (offline build needs …/index.html)")
                    continue
                if not path.is_file():
                    problems.append(f"{href} -> {target}: no such file")
                    continue
                ids = {unquote(m) for m in _ID.findall(path.read_text(encoding="utf-8", errors="replace"))}
                status = 200
            else:
                status, ids = self.fetch(target)
            if status != 200:
                problems.append(f"{href} -> {target}: HTTP {status}")
            elif fragment and unquote(fragment) not in ids:
                problems.append(f"{href}: no element id={unquote(fragment)!r} in {target}")
        return problems


@pytest.fixture(scope="session")
def links() -> LinkChecker:
    return LinkChecker()
