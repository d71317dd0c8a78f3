"""What `make serve` (mkdocs serve: a preview that rebuilds the whole site after every save) skips
or reuses, so the page shows a saved change within seconds; `make build`, `make bundle` and
`mkdocs build` do all of it.

- Skipped: the download files (Excel workbooks, CSV, JSON: workplan.downloads). Their links in the
  preview answer 404; nothing else reads them.
- Reused between rebuilds, while what they are made of is unchanged (one saved YAML changes a few
  dozen pages of hundreds):
  - each page's entries in Material's search index (the page's HTML, title, table of contents and
    meta; the search plugin parses and segments every page again otherwise, a third of a rebuild);
  - each page's HTML as the theme renders it (Material's page frame and nav around the body, another
    third): `RenderedPages`.

MkDocs calls on_startup once per process with the command ('serve' or 'build') and keeps the hooks
module, and so this state, across the serve's rebuilds (mkdocs.config.config_options.Hooks).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jinja2

STATE = {"serving": False}


def start(command: str) -> None:
    STATE["serving"] = command == "serve"
    SEARCH.clear()
    RENDERED.clear()


def stop() -> None:
    STATE["serving"] = False
    SEARCH.clear()
    RENDERED.clear()


def serving() -> bool:
    return STATE["serving"]


def _toc_key(items) -> list:
    return [(i.id, i.title, i.level, _toc_key(i.children)) for i in items]


def search_excluded(meta: dict) -> bool:
    """Material's documented switch: front matter `search: {exclude: true}` keeps a page out of the index."""
    return bool((meta.get("search") or {}).get("exclude"))


class SearchEntries:
    """Material's search entries per page: what SearchIndex.add_entry_from_context made of the page
    last time, reused while everything it reads is unchanged. Used around the search plugin's
    on_page_context: `before` (a cached page is marked search.exclude, Material's documented switch,
    and gets its cached entries), `after` (restores the meta; keeps a new page's entries)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, list[dict]]] = {}   # page url → (key, entries)
        self._pending: dict[str, tuple[str, int, object, bool]] = {}
        self.reused = 0   # pages whose entries were reused, in the last build

    def clear(self) -> None:
        self._entries.clear()
        self._pending.clear()
        self.reused = 0

    @staticmethod
    def _key(page) -> str:
        meta = {k: page.meta.get(k) for k in ("search", "tags", "title")}
        return _digest([page.url, page.title, meta, _toc_key(page.toc), _digest(page.content)])

    def before(self, page, index) -> None:
        key = self._key(page)
        cached = self._entries.get(page.url)
        search = page.meta.get("search")
        hit = cached is not None and cached[0] == key
        if hit:
            index.entries.extend(dict(e) for e in cached[1])
            self.reused += 1
        marked = hit and not search_excluded(page.meta)
        if marked:
            page.meta["search"] = {**(search or {}), "exclude": True}
        self._pending[page.url] = (key, len(index.entries), search, marked)

    def after(self, page, index) -> None:
        key, start, search, marked = self._pending.pop(page.url)
        if marked:   # excluded by before(), for the plugin: the page's own meta back
            if search is None:
                del page.meta["search"]
            else:
                page.meta["search"] = search
            return
        self._entries[page.url] = (key, [dict(e) for e in index.entries[start:]])


SEARCH = SearchEntries()


def _digest(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _nav_key(items) -> list:
    return [(type(i).__name__, i.title, getattr(i, "url", None), _nav_key(getattr(i, "children", None) or []))
            for i in items]


def _plain(value) -> bool:
    """A value mkdocs.yml can hold (the hooks also keep objects in config.extra: the Site, the claims)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return isinstance(value, dict) and all(isinstance(k, str) and _plain(v) for k, v in value.items())


def _files_digest(folder: str | None) -> str:
    root = Path(folder) if folder else None
    if root is None or not root.is_dir():
        return ""
    return _digest([(p.relative_to(root).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
                    for p in sorted(root.rglob("*")) if p.is_file()])


class RenderedPages:
    """The theme's HTML of each page, reused while everything the theme reads is unchanged.

    What Material's templates read: the page (URL, HTML body, title, table of contents, meta, edit
    link, neighbours — and which template), the nav (every title and URL: each page shows the whole
    nav with its own place in it), the config (mkdocs.yml, the plain values of config.extra, the
    site URL) and the theme's templates (Material's own do not change while serving; ours are in
    theme.custom_dir, read here). The site's part is worked out once per build, at its first page,
    when every page's title is known (MkDocs reads all pages before it renders any)."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[str, str]] = {}   # page url → (key, HTML)
        self._site: str | None = None
        self.reused = 0   # pages whose HTML was reused, in the last build

    def clear(self) -> None:
        self._pages.clear()
        self.new_build()

    def new_build(self) -> None:
        self._site = None
        self.reused = 0

    def _site_key(self, context) -> str:
        if self._site is None:
            config = context["config"]
            path = Path(config.config_file_path) if config.config_file_path else None
            self._site = _digest([
                _nav_key(context["nav"].items),
                path.read_text(encoding="utf-8") if path is not None and path.is_file() else "",
                {k: v for k, v in config.extra.items() if _plain(v)},
                config.site_url, config.use_directory_urls,
                _files_digest(config.theme.custom_dir),
            ])
        return self._site

    def _key(self, name: str, page, context) -> str:
        def near(other):
            return None if other is None else (other.url, other.title)
        return _digest([self._site_key(context), name, page.url, page.title, page.meta, _toc_key(page.toc),
                        page.edit_url, page.canonical_url, near(page.previous_page), near(page.next_page),
                        _digest(page.content or "")])

    def render(self, name: str, context, render) -> str:
        page = context.get("page")
        if page is None:
            return render()
        key = self._key(name, page, context)
        cached = self._pages.get(page.url)
        if cached is not None and cached[0] == key:
            self.reused += 1
            return cached[1]
        html = render()
        self._pages[page.url] = (key, html)
        return html


RENDERED = RenderedPages()


class PreviewTemplate(jinja2.Template):
    """The theme environment's template class under `mkdocs serve` (hooks.on_env): a page's render
    goes through RENDERED."""

    def render(self, *args, **kwargs) -> str:
        context = dict(*args, **kwargs)
        if not serving():
            return super().render(context)
        return RENDERED.render(self.name, context, lambda: super(PreviewTemplate, self).render(context))
