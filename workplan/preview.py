"""What `make serve` (mkdocs serve: a preview that rebuilds the whole site after every save) skips
or reuses, so the page shows a saved change within seconds; `make build`, `make bundle` and
`mkdocs build` do all of it.

- Skipped: the download files (Excel workbooks, CSV, JSON: workplan.downloads). Their links in the
  preview answer 404; nothing else reads them.
- Reused between rebuilds: each page's entries in Material's search index, while the page's HTML,
  title, table of contents and meta are what they were (one saved YAML changes a few dozen pages;
  the search plugin parses and segments every page again otherwise, a third of a rebuild).

MkDocs calls on_startup once per process with the command ('serve' or 'build') and keeps the hooks
module, and so this state, across the serve's rebuilds (mkdocs.config.config_options.Hooks).
"""
from __future__ import annotations

import json

STATE = {"serving": False}


def start(command: str) -> None:
    STATE["serving"] = command == "serve"
    SEARCH.clear()


def stop() -> None:
    STATE["serving"] = False
    SEARCH.clear()


def serving() -> bool:
    return STATE["serving"]


def _toc_key(items) -> list:
    return [(i.id, i.title, i.level, _toc_key(i.children)) for i in items]


class SearchEntries:
    """Material's search entries per page: what SearchIndex.add_entry_from_context made of the page
    last time, reused while everything it reads is unchanged. Used around the search plugin's
    on_page_context: `before` (a cached page is marked search.exclude, Material's documented switch,
    and gets its cached entries), `after` (restores the meta; keeps a new page's entries)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, list[dict]]] = {}   # page url → (key, entries)
        self._pending: dict[str, tuple[str, int, object]] = {}
        self.reused = 0   # pages whose entries were reused, in the last build

    def clear(self) -> None:
        self._entries.clear()
        self._pending.clear()
        self.reused = 0

    @staticmethod
    def _key(page) -> str:
        meta = {k: page.meta.get(k) for k in ("search", "tags", "title")}
        return json.dumps([page.url, page.title, meta, _toc_key(page.toc), page.content], ensure_ascii=False,
                          default=str)

    def before(self, page, index) -> None:
        key = self._key(page)
        cached = self._entries.get(page.url)
        search = page.meta.get("search")
        if cached is not None and cached[0] == key:
            index.entries.extend(dict(e) for e in cached[1])
            self.reused += 1
            page.meta["search"] = {**(search or {}), "exclude": True}
        self._pending[page.url] = (key, len(index.entries), search)

    def after(self, page, index) -> None:
        key, start, search = self._pending.pop(page.url)
        if (page.meta.get("search") or {}).get("exclude") and not (search or {}).get("exclude"):
            if search is None:
                del page.meta["search"]
            else:
                page.meta["search"] = search
            return
        self._entries[page.url] = (key, [dict(e) for e in index.entries[start:]])


SEARCH = SearchEntries()
