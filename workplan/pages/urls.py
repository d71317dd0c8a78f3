"""Where pages and files are: the page sources (PageSpec), their URLs, and the layout of several
editions (plan years) on one site.

Layout:
- Every edition's pages live under its year: 2021/points/, 2021/items/3-1-16/, 2021/matrix/ …;
  its downloads and API files under downloads/2021/ and api/2021/ (api/schema/ is shared).
- Units, counties and groups are the same across years: units/czj/, counties/xunwu/, groups/…
  show a unit's items in every edition. So are the site-wide pages: the home page, 历年工作要点
  (editions/), downloads/ and api/.
- The edition published before the site held several (`legacy_year`, 2020) had its pages at the
  addresses now used without a year (items/3-1-16/, points/ …): those addresses get a page that
  forwards to the year's address, and its files stay at their old paths as well (downloads/items.csv,
  api/items.json …), so every link ever sent around keeps working.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from mkdocs.utils import get_relative_url

from ..exports import edition_file  # noqa: F401  (part of the layout described above)

# Page sources (inside docs/) that belong to the whole site rather than to an edition.
SITE_WIDE = ("units/", "counties/", "groups/", "editions/", "api/index.md", "about.md")
# Edition pages the legacy edition had at these same paths, without a year (its home did not exist,
# and downloads/ and api/ are now the site-wide pages at the same address).
LEGACY_PAGES = ("points.md", "categories/", "items/", "matrix.md", "charts.md", "table/", "progress/")


@dataclass(frozen=True)
class PageSpec:
    src: str                      # path inside docs/, e.g. "units/czj.md", "2020/items/1-1.md"
    kind: str                     # template name
    key: str                      # unit id, item id, category id, or ""
    title: str
    data_files: tuple[str, ...]   # data files the page is drawn from (edit link, last updated)
    edition: int | None = None    # the plan year of an edition page; None: a page of the whole site


def dest_url(src: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a page source (same rule as mkdocs.structure.files.File.url)."""
    stem = src[:-3]
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem[: -len("index")] if stem.endswith("/index") else stem + "/"


@functools.lru_cache(maxsize=1 << 16)   # a page links the same units and items many times (unit pages: ~half)
def relative(src: str, here: str | None, use_directory_urls: bool, anchor: str = "") -> str:
    """A link from the page at URL `here` to the page `src` (here None: the bare src)."""
    url = get_relative_url(dest_url(src, use_directory_urls), here) if here is not None else src
    if not use_directory_urls and url.endswith("/"):
        url += "index.html"
    return url + (f"#{anchor}" if anchor else "")


def is_site_wide(src: str) -> bool:
    return src.startswith(SITE_WIDE)


def edition_src(year: int, src: str) -> str:
    """An edition page's source: 2020/items/1-1.md."""
    return f"{year}/{src}"


def is_legacy_page(src: str) -> bool:
    """An edition page (source without its year) that the legacy edition had at this same path."""
    return src.startswith(LEGACY_PAGES)
