"""MkDocs hooks (mkdocs.yml `hooks:`): load every edition once per build and wire it into MkDocs.

- on_config: load + validate data/ (every year) and the progress reports (a PlanInvalid aborts the
  build with the full report), build the `Site`, point the nav at the newest edition (entries
  written `edition/…` in mkdocs.yml) and extend it with its categories, write the jieba user
  dictionary. Sample progress (data/<year>/progress-sample/) only with extra.progress_sample (env
  PROGRESS_SAMPLE=true); the "统计截至" day is pages.build_date().
- on_files: add every generated page (it exists only in memory; nothing is written to docs/).
- on_page_markdown: render a generated page's body (workplan.pages.Site.render) and point its
  "edit" button at the YAML that holds it.
- on_page_content: free the page's Markdown once it is converted to HTML.
- on_post_build: patch Material's search worker (Chinese queries, item numbers, clean results), add
  names, pinyin and item numbers to the search index and write it as UTF-8 (above
  extra.search_chunked_above pages, except offline: a chunked index instead), write the pages that
  forward old addresses (renamed units' ids, the legacy edition's pages), write the downloads.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from workplan import chunked_search, downloads, search, search_terms
from workplan.errors import PlanInvalid
from workplan.load import load_editions
from workplan.pages import Site, build_date, dest_url, edit_base_from, git_dates
from workplan.pages.text import safe_title
from workplan.progress import load_progress, sample_enabled

SITE_KEY = "workplan_site"   # config.extra[SITE_KEY] holds the Site for macros.py


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
    _point_nav_at(config, site)
    _write_jieba_dict(config, root, site.plan)
    return config


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
    site = site_of(config)
    # The offline plugin turns directory URLs off in its on_config, which runs after ours.
    site.use_directory_urls = config.use_directory_urls
    for spec in site.specs.values():
        if files.get_file_from_path(spec.src) is not None:
            raise PluginError(f"docs/{spec.src} 与生成的页面重名 (a file in docs/ clashes with a generated page): 请删除或改名。")
        files.append(File.generated(config, spec.src, content=site.source(spec)))
    return files


def on_page_markdown(markdown, page, config, files):
    """A generated page's body: rendered here from its template (its source is front matter only)."""
    site = site_of(config)
    spec = site.specs.get(page.file.src_uri)
    if spec is None:
        return markdown
    page.edit_url = site.edit_url(spec)
    return site.render(spec.src, page.url)


def on_page_content(html, page, config, files):
    """MkDocs keeps every page's Markdown until the build ends, although nothing reads it once it
    is converted to HTML: drop it (a big share of a large build's peak memory). An empty string,
    not None: Page.title is None while markdown is None, and the nav and <title> need the title."""
    page.markdown = ""
    return html


def on_post_build(config):
    site_dir = Path(config.site_dir)
    site = site_of(config)
    search.patch_search_worker(site_dir)
    index = site_dir / "search" / "search_index.json"
    if index.is_file():   # runs before the offline plugin inlines it (priority -100)
        terms = {}
        for spec in site.specs.values():
            plan = (site.edition_of(spec) or site.newest).plan
            terms.update(search_terms.page_terms(plan, [(dest_url(spec.src, site.use_directory_urls), spec.kind, spec.key)]))
        search_terms.add_keywords(index, terms)
        _chunk_search_index(config, site_dir, index)
    _write_redirects(site, site_dir, config.use_directory_urls)
    downloads.write_site_files(site, site_dir, cache_dir=project_root(config) / ".cache" / "xlsx")


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
    if not chunked_search.wanted(pages, limit, _offline(config)):
        return
    try:
        chunked_search.build(site_dir, project_root(config), pages, limit)
    except chunked_search.ChunkedSearchUnavailable as exc:
        raise PluginError(str(exc)) from None


def _write_redirects(site: Site, site_dir: Path, use_directory_urls: bool) -> None:
    """Old addresses keep working: a tiny page that forwards to the current one, for every former
    unit id (former_ids) and every page the legacy edition had without its year. The query and
    the fragment go along (the item table keeps its filters: table/?lead=czj). Hand-written because
    it is a dozen lines; mkdocs-redirects would need a nav-level mapping we would generate anyway."""
    moves = [(site.unit_src(unit.id).rsplit("/", 1)[0] + f"/{old}.md", site.unit_src(unit.id), unit.name)
             for unit in site.data.units.values() for old in unit.former_ids]
    moves += [(old, new, site.specs[new].title) for old, new in site.legacy_redirects()]
    for old_src, new_src, title in moves:
        old_url = dest_url(old_src, use_directory_urls)
        _page_at(site_dir, old_url).write_text(redirect_page(site.href(new_src, old_url), title), encoding="utf-8")
    for old_src, (title, why) in RETIRED_PAGES.items():
        old_url = dest_url(old_src, use_directory_urls)
        _page_at(site_dir, old_url).write_text(retired_page(title, why, site.href("index.md", old_url)), encoding="utf-8")


# Pages the site published once and no longer carries: the address still answers, with where it went.
RETIRED_PAGES = {"performance.md": ("性能基准", "性能基准是写给网站维护人员的资料，已移到本网站代码仓库的 maintainers/performance.md。")}


def _page_at(site_dir: Path, url: str) -> Path:
    out = site_dir / (url + "index.html" if url.endswith("/") or not url else url)
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def retired_page(title: str, why: str, home: str) -> str:
    from html import escape

    return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">'
            f'<title>{escape(title)}（已移走）</title>'
            f'<main><article><h1>{escape(title)}（已移走）</h1><p>{escape(why)}</p>'
            f'<p><a href="{escape(home)}">回到首页</a></p></article></main></html>\n')


def redirect_page(target: str, title: str) -> str:
    from html import escape

    href, name = escape(target), escape(title)
    return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{name}</title>'
            f'<meta http-equiv="refresh" content="0; url={href}">'
            # The script keeps ?query and #fragment, which a meta refresh drops.
            f'<script>location.replace({json_string(target)} + location.search + location.hash)</script>'
            f'<p>此页已迁至 <a href="{href}">{name}</a>。</p></html>\n')


def json_string(text: str) -> str:
    import json

    return json.dumps(text).replace("<", "\\u003c")
