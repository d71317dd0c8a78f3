"""`make serve` (mkdocs serve) skips the download files and reuses unchanged pages' search entries
and HTML between rebuilds (workplan/preview.py, issue 18.4); `make build` writes everything.

The serve builds here do what mkdocs.commands.serve does: load_config, on_startup(command='serve')
once, build(config, serve_url=…) for the first build and again after a file is saved."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from site_fixtures import built_site, project_copy  # noqa: F401  (session fixture)
from workplan import preview

URL = "http://127.0.0.1:8000/"
EDITED = "争取国家层面加快研究出台新一轮支持政策文件工作。"   # data/2020/items/1.yaml, item 1-1
NEW_TEXT = "争取国家层面尽快研究出台新一轮支持政策文件工作。"


def serve_config(project: Path, site_dir: Path):
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    config.site_url = URL
    return config


@pytest.fixture
def serving(tmp_path):
    """A project copy and a started serve session; the session is shut down afterwards (MkDocs
    keeps the hooks module, and so the serve state, for the life of the process)."""
    project = project_copy(tmp_path / "project")
    config = serve_config(project, tmp_path / "serve-site")
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        yield project, config
    finally:
        config.plugins.on_shutdown()


def downloads(site: Path) -> list[str]:
    """The files under downloads/ and api/ that are not pages."""
    return sorted(rel for rel in (p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
                  if rel.startswith(("downloads/", "api/")) and not rel.endswith(".html"))


def html_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def fresh_preview(project: Path, site: Path) -> None:
    """A new serve session's first build (nothing to reuse)."""
    config = serve_config(project, site)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url=URL)
    finally:
        config.plugins.on_shutdown()


def test_build_writes_the_workbooks_and_files(built_site):  # noqa: F811
    files = downloads(built_site)
    assert "downloads/2020/items.xlsx" in files and "downloads/2020/units/czj.xlsx" in files
    assert "downloads/2020/items.csv" in files and "api/2020/items.json" in files


def test_serve_skips_the_downloads_and_reuses_search_entries(serving, tmp_path):
    project, config = serving
    site = tmp_path / "serve-site"
    build(config, serve_url=URL)
    assert (site / "2020/downloads/index.html").is_file()   # the downloads page is a page: it is there
    assert (site / "search/search_index.json").is_file()
    assert downloads(site) == []
    first = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))

    # Save a change, rebuild in the same session: the search entries of unchanged pages are reused.
    items = project / "data/2020/items/1.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace(EDITED, NEW_TEXT, 1), encoding="utf-8")
    preview.SEARCH.reused = 0
    build(serve_config(project, site), serve_url=URL)
    framed = len([html for html in html_files(site).values() if b"md-footer" in html])   # not the redirect pages
    rebuilt = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    pages = {d["location"].split("#")[0] for d in rebuilt["docs"]}
    assert len(pages) * 0.7 < preview.SEARCH.reused < len(pages)   # most pages unchanged, not the edited ones
    assert framed * 0.7 < preview.RENDERED.reused < framed
    assert (site / "2020/items/1-1/index.html").read_text(encoding="utf-8").count(NEW_TEXT) >= 1
    assert any(NEW_TEXT in d["text"].replace("\u200b", "") for d in rebuilt["docs"] if d["location"].startswith("2020/items/1-1/"))
    assert rebuilt != first

    # … and the index and every page are the ones a fresh preview of the saved data writes.
    config.plugins.on_shutdown()
    fresh_preview(project, tmp_path / "fresh-site")
    assert (tmp_path / "fresh-site/search/search_index.json").read_bytes() == (site / "search/search_index.json").read_bytes()
    fresh, rebuilt_pages = html_files(tmp_path / "fresh-site"), html_files(site)
    assert sorted(fresh) == sorted(rebuilt_pages)
    assert [p for p in fresh if fresh[p] != rebuilt_pages[p]] == []


@pytest.mark.parametrize("change", ["mkdocs.yml", "theme override"])
def test_a_change_to_the_config_or_the_templates_renders_every_page_again(serving, tmp_path, change):
    """The theme's HTML of every page depends on mkdocs.yml and on our templates (overrides/): a change
    to either is in every page after the rebuild, as in a fresh preview."""
    project, config = serving
    site = tmp_path / "serve-site"
    build(config, serve_url=URL)
    if change == "mkdocs.yml":
        path, old, new = project / "mkdocs.yml", "copyright: 数据来源：", "copyright: 资料来源："
    else:
        path, old, new = project / "overrides/main.html", "{% block extrahead %}", "{% block extrahead %}<meta name=\"wp-test\" content=\"1\">"
    assert old in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    build(serve_config(project, site), serve_url=URL)
    assert preview.RENDERED.reused == 0
    marker = "资料来源：" if change == "mkdocs.yml" else '<meta name="wp-test" content="1">'
    framed = [html.decode("utf-8") for html in html_files(site).values() if b"md-footer" in html]   # not the redirect pages
    assert len(framed) > 150 and all(marker in html for html in framed)
    config.plugins.on_shutdown()
    fresh_preview(project, tmp_path / "fresh-site")
    assert html_files(tmp_path / "fresh-site") == html_files(site)
