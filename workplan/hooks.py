"""MkDocs hooks (mkdocs.yml `hooks:`): load the plan once per build and wire it into MkDocs.

- on_config: load + validate data/ and the progress reports (a PlanInvalid aborts the build
  with the full report), build the `Site`, extend the nav with the categories, write the jieba
  user dictionary. Sample progress (data/<year>/progress-sample/) only with
  extra.progress_sample (env PROGRESS_SAMPLE=true); the "统计截至" day is pages.build_date().
- on_files: add every generated page (it exists only in memory; nothing is written to docs/).
- on_page_markdown: render a generated page's body (workplan.pages.Site.render) and point its
  "edit" button at the YAML that holds it.
- on_page_content: free the page's Markdown once it is converted to HTML.
- on_post_build: patch Material's search worker (Chinese queries, item numbers, clean results), add
  names, pinyin and item numbers to the search index and write it as UTF-8, write redirects for
  renamed units, write the downloads.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from workplan import exports, search, search_terms
from workplan.errors import PlanInvalid
from workplan.load import load_plan
from workplan.pages import Site, build_date, dest_url, edit_base_from, git_dates
from workplan.progress import load_progress, sample_enabled

SITE_KEY = "workplan_site"   # config.extra[SITE_KEY] holds the Site for macros.py


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def site_of(config) -> Site:
    return config.extra[SITE_KEY]


@event_priority(100)  # before the search plugin reads its jieba dictionary and macros reads the site
def on_config(config):
    root = project_root(config)
    try:
        plan = load_plan(root, config.extra.get("plan_year"))
        progress = load_progress(root, plan, include_sample=sample_enabled(config.extra.get("progress_sample")))
    except PlanInvalid as exc:
        raise PluginError(exc.report()) from None
    try:
        today = build_date(override=config.extra.get("progress_as_of"))
    except ValueError as exc:
        raise PluginError(f"progress_as_of / PROGRESS_AS_OF 应写成 YYYY-MM-DD（{exc}）") from None
    files = set(plan.files.values()) | {c.file for c in plan.categories.values()} | set(progress.files)
    site = Site(plan, use_directory_urls=config.use_directory_urls,
                edit_base=edit_base_from(config.extra.get("edit_repo")), updated=git_dates(root, files),
                progress=progress, today=today)
    config.extra[SITE_KEY] = site
    _extend_nav(config, site)
    _write_jieba_dict(config, root, plan)
    return config


# Material writes the whole nav into every page, so nav entries cost pages × entries. A work
# plan has about ten categories; a plan of many cities or years merged into one site has
# hundreds, and then only categories/index.md (which lists them all) stays in the nav.
NAV_CATEGORY_LIMIT = 40


def _extend_nav(config, site: Site) -> None:
    """Append one nav entry per category under the section whose first page is categories/index.md."""
    categories = list(site.plan.categories.values())
    if len(categories) > NAV_CATEGORY_LIMIT:
        return
    for entry in config.nav or []:
        for _, section in entry.items():
            if isinstance(section, list) and section and section[0] == "categories/index.md":
                # Bare paths: MkDocs then takes each title from the page's front matter, which
                # pages.Site.source has made safe (Material prints nav titles unescaped).
                section[1:] = [f"categories/{c.id}.md" for c in categories]


def _write_jieba_dict(config, root: Path, plan) -> None:
    names = [n for u in plan.units.values() for n in search_terms.short_names(u.name, u.aliases, u.is_county)]
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
        pages = ((dest_url(s.src, site.use_directory_urls), s.kind, s.key) for s in site.specs.values())
        search_terms.add_keywords(index, search_terms.page_terms(site.plan, pages))
    _write_redirects(site, site_dir, config.use_directory_urls)
    exports.write_exports(site.plan, site_dir, site.progress,   # downloads/ and api/ (issue 7; status: issue 8)
                          cache_dir=project_root(config) / ".cache" / "xlsx")


def _write_redirects(site: Site, site_dir: Path, use_directory_urls: bool) -> None:
    """Old unit ids (former_ids) keep working: a tiny page that forwards to the current one.
    Hand-written because it is a dozen lines; mkdocs-redirects would need a nav-level mapping
    that we would have to generate anyway."""
    from html import escape

    for unit in site.plan.units.values():
        for old in unit.former_ids:
            old_src = site.unit_src(unit.id).rsplit("/", 1)[0] + f"/{old}.md"
            old_url = dest_url(old_src, use_directory_urls)
            target = escape(site.href(site.unit_src(unit.id), old_url))
            out = site_dir / (old_url + "index.html" if old_url.endswith("/") else old_url)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f'<!doctype html><meta charset="utf-8"><title>{escape(unit.name)}</title>'
                           f'<meta http-equiv="refresh" content="0; url={target}">'
                           f'<p>此页已迁至 <a href="{target}">{escape(unit.name)}</a>。</p>\n', encoding="utf-8")
