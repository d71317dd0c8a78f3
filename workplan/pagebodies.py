"""Page bodies held compressed between MkDocs' two passes over the pages.

MkDocs converts every page's Markdown to HTML first (on_page_content), and only then renders the
pages one by one with the theme (on_page_context … on_post_page): every page's HTML body is in
memory at once (10×: 25 MiB for 1,931 pages, so about 250 MiB at 100×). Between the passes
nothing reads a body, so the hooks keep each compressed (zlib level 1: 4.3 MiB at 10×, under a
millisecond of CPU a page both ways) and give it back just before the page is rendered and
indexed. MkDocs has no setting to convert and render a page in one go.
"""
from __future__ import annotations

import zlib

_parked: dict[str, bytes] = {}   # page src_uri → its HTML body, UTF-8, compressed


def park(page, html: str) -> str:
    """Keep `html` for `page` compressed; what page.content holds until restore(page): ''."""
    _parked[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
    return ""


def restore(page) -> None:
    """Put the page's body back in page.content (no-op for a page whose body was not parked)."""
    data = _parked.pop(page.file.src_uri, None)
    if data is not None:
        page.content = zlib.decompress(data).decode("utf-8")


def clear() -> None:
    """Drop what a build left (one that failed half-way; under `mkdocs serve --dirty`, the
    unchanged pages MkDocs does not render again)."""
    _parked.clear()
