"""MkDocs hooks (mkdocs.yml `hooks:`): load every edition once per build and wire it into MkDocs.

- on_startup / on_shutdown: note whether this process is `mkdocs serve` (a preview) or a build.
- on_config: load + validate data/ (every year) and the progress reports (a PlanInvalid aborts the
  build with the full report), build the `Site`, point the nav at the newest edition (entries
  written `edition/…` in mkdocs.yml) and extend it with its categories, write the jieba user
  dictionary, start writing the workbooks on another core (workplan/xlsxprefetch.py; not in the
  preview; on_build_error stops it). Sample progress (data/<year>/progress-sample/) only with
  extra.progress_sample (env PROGRESS_SAMPLE=true); the "统计截至" day is pages.build_date().
- on_files: add every generated page (it exists only in memory; nothing is written to docs/).
- on_page_markdown: render a generated page's body (workplan.pages.Site.render) and point its
  "edit" button at the YAML that holds it; its HTML blocks bypass Python-Markdown (workplan.rawhtml).
- on_page_content: put those HTML blocks back; free the page's Markdown once it is converted to HTML;
  keep the HTML compressed until the page is rendered (workplan.pagebodies).
- on_post_build: let go of the search plugin's entries (it has written them); patch Material's
  search worker (Chinese queries, item numbers, clean results), add
  names, pinyin and item numbers to the search index and write it as UTF-8 (above
  extra.search_chunked_above pages, except offline and in the preview: a chunked index instead),
  write the pages that forward old addresses (renamed units' ids, the legacy edition's pages), write
  the downloads (not under `mkdocs serve`: workplan/preview.py).
- on_page_context (around the search plugin's): give the page its HTML back; let the plugin read a
  generated page without what it would skip (workplan/searchview.py) and give the whole page back
  after it; under `mkdocs serve`, reuse unchanged pages' search entries (workplan/preview.py).
- on_post_page: free the page's HTML body once the page is written.
- on_env: the theme's compiled templates are kept between builds (workplan.jinjacache); under
  `mkdocs serve`, unchanged pages' HTML is reused (workplan/preview.py).
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File

from workplan import (chunked_search, downloads, jinjacache, pagebodies, preview, rawhtml, search, search_terms,
                      searchview, xlsxprefetch)
from workplan.errors import PlanInvalid
from workplan.load import load_editions
from workplan.pages import Site, build_date, dest_url, edit_base_from, git_dates
from workplan.outputs import Claims, Origin, OutputClash, page_file, redirect_origin, retired_origin, spec_origin
from workplan.pages import redirects
from workplan.pages.redirects import RETIRED_PAGES, redirect_page, retired_page
from workplan.pages.text import safe_title
from workplan.progress import load_progress, sample_enabled

log = logging.getLogger("mkdocs.hooks.workplan")
SITE_KEY = "workplan_site"   # config.extra[SITE_KEY] holds the Site for macros.py
CLAIMS_KEY = "workplan_claims"   # config.extra[CLAIMS_KEY]: every output path of this build and who writes it


def on_startup(command, dirty):
    preview.start(command)   # 'serve': a preview; see workplan/preview.py for what it skips


def on_shutdown():
    preview.stop()


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def site_of(config) -> Site:
    return config.extra[SITE_KEY]


@event_priority(100)  # before the search plugin reads its jieba dictionary and macros reads the site
def on_config(config):
    root = project_root(config)
    sample = sample_enabled(config.extra.get("progress_sample"))
    try:
        editions = load_editions(root)
        progress = {year: load_progress(root, plan, include_sample=sample) for year, plan in editions.plans.items()}
    except PlanInvalid as exc:
        raise PluginError(exc.report()) from None
    try:
        today = build_date(override=config.extra.get("progress_as_of"))
    except ValueError as exc:
        raise PluginError(f"progress_as_of / PROGRESS_AS_OF 应写成 YYYY-MM-DD（{exc}）") from None
    files = {f for year, plan in editions.plans.items() for f in
             (*plan.files.values(), *(c.file for c in plan.categories.values()), *progress[year].files)}
    site = Site(editions, use_directory_urls=config.use_directory_urls,
                edit_base=edit_base_from(config.extra.get("edit_repo")), updated=git_dates(root, files),
                progress=progress, today=today, legacy_year=config.extra.get("legacy_year"))
    config.extra[SITE_KEY] = site
    _stashes.clear()   # left by a build that failed half-way
    _whole_bodies.clear()
    pagebodies.clear()
    _point_nav_at(config, site)
    _write_jieba_dict(config, root, site.plan)
    if not preview.serving():   # the workbooks, on the second core while the pages are rendered
        _prefetch.start(site, _xlsx_cache(config))
    return config


_prefetch = xlsxprefetch.Prefetch()   # the workbooks being written ahead (workplan/xlsxprefetch.py)


def _xlsx_cache(config) -> Path:
    return project_root(config) / ".cache" / "xlsx"


# Material writes the whole nav into every page, so nav entries cost pages × entries. A work
# plan has about ten categories; a plan of many cities or years merged into one site has
# hundreds, and then only categories/index.md (which lists them all) stays in the nav.
NAV_CATEGORY_LIMIT = 40


EDITION_NAV = "edition/"   # nav entries in mkdocs.yml written edition/points.md mean the newest edition's page


def _point_nav_at(config, site: Site) -> None:
    """Nav entries written `edition/…` become the newest edition's pages; the section whose first
    page is edition/categories/index.md gets one entry per category (when they are few)."""
    year = site.newest.year
    categories = list(site.plan.categories.values())

    def visit(entries) -> list:
        out = []
        for entry in entries:
            if isinstance(entry, str):
                out.append(entry.replace(EDITION_NAV, f"{year}/", 1) if entry.startswith(EDITION_NAV) else entry)
            elif isinstance(entry, dict):
                out.append({title: (visit(value) if isinstance(value, list) else visit([value])[0])
                            for title, value in entry.items()})
            else:
                out.append(entry)
        if entries and entries[0] == f"{EDITION_NAV}categories/index.md" and len(categories) <= NAV_CATEGORY_LIMIT:
            # Titled entries: the page titles carry the year (for tabs and search results), the
            # nav sits under the year's own tabs. safe_title: Material prints nav titles unescaped.
            out[1:] = [{safe_title(c.heading): f"{year}/categories/{c.id}.md"} for c in categories]
        return out
    config.nav = visit(config.nav or [])


def _write_jieba_dict(config, root: Path, plan) -> None:
    names = [n for u in plan.units.values() for n in search_terms.short_names(u.name, u.all_names[1:], u.is_county)]
    path = root / ".cache" / "jieba_user_dict.txt"
    path.parent.mkdir(exist_ok=True)
    content = "\n".join(search.jieba_user_dict_lines(names)) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is not None:
        plugin.config.jieba_dict_user = str(path)


def on_files(files, config):
    """Add every generated page. Every output path is claimed once (workplan/outputs.py): docs/
    files and the theme's first, then each generated page; the redirect pages and the downloads
    claim theirs in on_post_build. A second claim on a path stops the build naming both sources."""
    site = site_of(config)
    # The offline plugin turns directory URLs off in its on_config, which runs after ours.
    site.use_directory_urls = config.use_directory_urls
    claims = config.extra[CLAIMS_KEY] = Claims()
    try:
        for file in files:
            claims.claim(file.dest_uri, Origin(f"docs/{file.src_uri}" if _in_docs(file, config) else f"主题文件 {file.src_uri}"))
        for name in config.theme.static_templates:
            claims.claim(name, Origin(f"主题模板 {name}"))
        for spec in site.all_specs:
            if files.get_file_from_path(spec.src) is not None:
                raise PluginError(f"docs/{spec.src} 与生成的页面重名 (a file in docs/ clashes with a generated page): 请删除或改名。")
            generated = File.generated(config, spec.src, content=site.source(spec))
            claims.claim(generated.dest_uri, spec_origin(site, spec))
            files.append(generated)
    except OutputClash as exc:
        raise PluginError(str(exc)) from None
    return files


def _in_docs(file: File, config) -> bool:
    return file.abs_src_path is not None and Path(file.abs_src_path).is_relative_to(Path(config.docs_dir).resolve())


def on_page_markdown(markdown, page, config, files):
    """A generated page's body: rendered here from its template (its source is front matter only)."""
    site = site_of(config)
    spec = site.specs.get(page.file.src_uri)
    if spec is None:
        return markdown
    page.edit_url = site.edit_url(spec)
    body = site.render(spec.src, page.url)
    if not rawhtml.enabled():
        return body
    stash = _stashes[page.file.src_uri] = rawhtml.Stash(body)
    return stash.markdown


_stashes: dict[str, rawhtml.Stash] = {}   # src_uri → the HTML blocks on_page_content puts back


def on_page_content(html, page, config, files):
    """A generated page gets its HTML blocks back (before the search plugin reads the page, in
    on_page_context), and MkDocs their ids for its anchor validation.

    MkDocs keeps every page's Markdown until the build ends, although nothing reads it once it
    is converted to HTML: drop it (a big share of a large build's peak memory). An empty string,
    not None: Page.title is None while markdown is None, and the nav and <title> need the title.

    MkDocs then holds every page's HTML until it renders the pages, one by one: the hooks keep it
    compressed (workplan.pagebodies) and give it back in on_page_context."""
    stash = _stashes.pop(page.file.src_uri, None)
    if stash is not None:
        html = stash.restore(html)
        page.present_anchor_ids = (page.present_anchor_ids or set()) | stash.anchor_ids()
    page.markdown = ""
    return pagebodies.park(page, html)


def on_post_page(output, page, config):
    """MkDocs keeps every page's HTML body (page.content) until the build ends, although nothing reads
    it once the page is written (the search plugin took its entries in on_page_context; the other
    pages' templates use titles and URLs): drop it. At 100× the bodies are most of the peak memory."""
    page.content = None
    return output


def _search_index(config):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None) if plugin is not None and plugin.config.enabled else None


@event_priority(100)   # before the search plugin's (it indexes page.content) and the theme's template
def _before_search(context, page, config, nav):
    pagebodies.restore(page)
    if (index := _search_index(config)) is None:
        return context
    if preview.serving():
        preview.SEARCH.before(page, index)
    if _indexed(page) and page.file.src_uri in site_of(config).specs and rawhtml.enabled() \
            and (lean := searchview.view(page.content)) is not None:
        _whole_bodies[page.file.src_uri] = page.content   # the plugin reads the lean view (workplan/searchview.py)
        page.content = lean
    return context


_whole_bodies: dict[str, str] = {}   # src_uri → the page's HTML while the search plugin reads its view


def _indexed(page) -> bool:
    return not preview.search_excluded(page.meta)


@event_priority(-100)   # after it
def _after_search(context, page, config, nav):
    whole = _whole_bodies.pop(page.file.src_uri, None)
    if whole is not None:
        page.content = whole
    if preview.serving() and (index := _search_index(config)) is not None:
        preview.SEARCH.after(page, index)
    return context


on_page_context = CombinedEvent(_before_search, _after_search)


def on_post_build(config):
    site_dir = Path(config.site_dir)
    site = site_of(config)
    _release_search_entries(config)
    search.patch_search_worker(site_dir)
    index = site_dir / "search" / "search_index.json"
    if index.is_file():   # runs before the offline plugin inlines it (priority -100)
        terms = {}
        for spec in site.specs.values():
            plan = (site.edition_of(spec) or site.newest).plan
            terms.update(search_terms.page_terms(plan, [(dest_url(spec.src, site.use_directory_urls), spec.kind, spec.key)]))
        search_terms.add_keywords(index, terms)
        _chunk_search_index(config, site_dir, index)
    claims = config.extra[CLAIMS_KEY]
    try:
        _write_redirects(site, site_dir, config.use_directory_urls, claims)
        if preview.serving():
            log.info("预览（mkdocs serve）：不写下载文件（Excel、CSV、JSON）；`make build` 会写出全部文件。")
        else:
            _prefetch.wait()
            downloads.write_site_files(site, site_dir, cache_dir=_xlsx_cache(config), claims=claims)
    except OutputClash as exc:
        raise PluginError(str(exc)) from None


def _release_search_entries(config) -> None:
    """Material's search plugin keeps every entry after writing search/search_index.json (it needs
    them again only under `mkdocs serve --dirty`, to merge the next build's pages in); on_post_build
    reads the index back from the file: let them go before it does."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is not None and plugin.config.enabled and plugin.search_index_prev is not plugin.search_index:
        plugin.search_index.entries = []


def on_build_error(error):
    _prefetch.stop()


def on_env(env, config, files):
    env.bytecode_cache = jinjacache.THEME
    if preview.serving():
        env.template_class = preview.PreviewTemplate   # unchanged pages' HTML reused (workplan/preview.py)
        preview.RENDERED.new_build()
    return env


def _offline(config) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin is not None and plugin.config.enabled)


def _chunk_search_index(config, site_dir: Path, index: Path) -> None:
    """Above extra.search_chunked_above pages, the served site searches a chunked index
    (workplan/chunked_search.py); the file:// bundle keeps the single one."""
    try:
        limit = chunked_search.threshold(config.extra)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    pages = chunked_search.page_count(index)
    # The preview (make serve) keeps the single index: rebuilding the chunked one on every save
    # costs more than the preview is for (issue 18.4); `make build` writes it.
    if preview.serving() or not chunked_search.wanted(pages, limit, _offline(config)):
        return
    try:
        chunked_search.build(site_dir, project_root(config), pages, limit)
    except chunked_search.ChunkedSearchUnavailable as exc:
        raise PluginError(str(exc)) from None


def _write_redirects(site: Site, site_dir: Path, use_directory_urls: bool, claims: Claims) -> None:
    """Old addresses keep working (workplan/pages/redirects.py): the query and the fragment go
    along (the item table keeps its filters: table/?lead=czj). Each page's path is claimed first,
    so a redirect or a retired page can never replace a real page."""
    for move in redirects.moves(site):
        old_url = dest_url(move.old_src, use_directory_urls)
        path = claims.claim(page_file(old_url), redirect_origin(site, move))
        _page_at(site_dir, path).write_text(redirect_page(site.href(move.new_src, old_url), move.title), encoding="utf-8")
    for old_src, (title, why) in RETIRED_PAGES.items():
        old_url = dest_url(old_src, use_directory_urls)
        path = claims.claim(page_file(old_url), retired_origin(old_src))
        _page_at(site_dir, path).write_text(retired_page(title, why, site.href("index.md", old_url)), encoding="utf-8")


def _page_at(site_dir: Path, path: str) -> Path:
    out = site_dir / path
    out.parent.mkdir(parents=True, exist_ok=True)
    return out
