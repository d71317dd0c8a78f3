"""Pages that keep old addresses answering: a tiny page that forwards to the current one for every
former unit id (former_ids) and every page the legacy edition had without its year, and a page
saying where a retired page went. Which ones exist (`moves`, `RETIRED_PAGES`) is read both by the
build (workplan/hooks.py writes them) and by the output check (workplan/outputs.py), so the two
cannot disagree. Hand-written because it is a dozen lines; mkdocs-redirects would need a nav-level
mapping we would generate anyway."""
from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, NamedTuple

from ..bidi import isolated

if TYPE_CHECKING:
    from .site import Site

# Pages the site published once and no longer carries: the address still answers, with where it went.
RETIRED_PAGES = {"performance.md": ("性能基准", "性能基准是写给网站维护人员的资料，已移到本网站代码仓库的 maintainers/performance.md。")}


class Move(NamedTuple):
    old_src: str        # the page source the old address had (units/fpb.md, items/1-1.md)
    new_src: str        # where it is now
    title: str
    unit_id: str = ""   # the unit whose former id this is ("" for the legacy edition's pages)


def moves(site: Site) -> list[Move]:
    """Every old address that forwards: former unit ids, then the legacy edition's pages."""
    out = [Move(site.unit_src(unit.id).rsplit("/", 1)[0] + f"/{old}.md", site.unit_src(unit.id), unit.name, unit.id)
           for unit in site.data.units.values() for old in unit.former_ids]
    out += [Move(old, new, site.specs[new].title) for old, new in site.legacy_redirects()]
    return out


def retired_page(title: str, why: str, home: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">'
            f'<title>{escape(title)}（已移走）</title>'
            f'<main><article><h1>{escape(title)}（已移走）</h1><p>{escape(why)}</p>'
            f'<p><a href="{escape(home)}">回到首页</a></p></article></main></html>\n')


def redirect_page(target: str, title: str) -> str:
    href, name = escape(target), escape(isolated(title))
    return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{name}</title>'
            f'<meta http-equiv="refresh" content="0; url={href}">'
            # The script keeps ?query and #fragment, which a meta refresh drops.
            f'<script>location.replace({json_string(target)} + location.search + location.hash)</script>'
            f'<p>此页已迁至 <a href="{href}">{name}</a>。</p></html>\n')


def json_string(text: str) -> str:
    return json.dumps(text).replace("<", "\\u003c")
