"""One edition (one year's plan) of the site: which pages it has (under its year), their sources,
the rendering of their bodies from Jinja templates, and the helpers those templates call.

Each edition renders in a Jinja environment of its own whose globals are that edition's plan
(`plan`, `items`, `points`, …) and `site` = the EditionSite: a template or shared macro written
for one plan (templates/_lib.j2, items_table, …) therefore links within its own year without
being told which one it is. Units, counties and groups have one page for all years: links to
them come from the whole Site.
"""
from __future__ import annotations

import datetime as dt
import html
from functools import cached_property, partial
from typing import TYPE_CHECKING

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from .. import charts, jinjacache
from ..bidi import isolate_output, isolated, join_isolated
from ..model import KINDS, ROLES, Item, Plan, Unit, frozen_map
from ..progress import NO_REPORT, STATUSES, Progress
from ..search import UNIT_PAGE_SEARCH_BOOST
from . import entries
from .overviews import OverviewsMixin
from .progress_view import ProgressMixin
from .text import md_escape, oneline, pinyin_key, safe_title
from ..exports import edition_file
from .urls import PageSpec, edition_src, is_site_wide, relative

if TYPE_CHECKING:
    from .site import Site

# Search weight per page kind (Material's `search.boost` front matter): a unit's own page must
# outrank the bulk pages that merely mention its name many times (measured in workplan/search.py);
# overview pages that repeat every item text rank below the item's own page for a phrase from it.
BOOST = {"unit": UNIT_PAGE_SEARCH_BOOST, "county": UNIT_PAGE_SEARCH_BOOST, "group": 2, "category": 0.5,
         "categories": 0.5, "item": 1, "items": 0.3, "points": 0.5, "matrix": 0.3, "charts": 0.3, "table": 0.3,
         "downloads": 0.3, "all_downloads": 0.3, "api": 0.3, "progress": 0.3, "history": 0.3, "edition": 0.5,
         "editions": 0.5, "units": 0.5, "counties": 0.5}
OLDER_EDITION_BOOST = 0.8   # an earlier year's page ranks just below the same page of the newest year


def jinja_env(**globals_) -> Environment:
    env = Environment(loader=PackageLoader("workplan", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      # `{#` opens attr_list heading ids ({#lead}); Jinja comments use <#- -#>.
                      comment_start_string="<#-", comment_end_string="-#>",
                      # Every value from data isolated for bidirectional display (workplan/bidi.py).
                      finalize=isolate_output, bytecode_cache=jinjacache.PAGES,
                      # Each build makes new environments (Site): no template changes under one, so
                      # no file check on every get_template (a unit page includes about ten).
                      auto_reload=False)
    env.filters["md"] = md_escape
    env.filters["extract"] = lambda key, mapping: mapping[key]
    env.filters["oneline"] = oneline
    env.filters["join"] = join_isolated
    env.globals.update(ROLES=ROLES, KINDS=KINDS, STATUSES=STATUSES, NO_REPORT=NO_REPORT, EMPTY_CELL=charts.EMPTY_CELL,
                       **globals_)
    if "site" in globals_:   # the 牵头/责任 cells link to the site's pages
        site = globals_["site"]
        env.globals.update(entry_links=partial(entries.entry_links, site), entry_link=partial(entries.entry_link, site),
                           item_rows=partial(entries.item_rows, site))
    return env


class EditionSite(OverviewsMixin, ProgressMixin):
    def __init__(self, site: Site, plan: Plan, progress: Progress | None = None):
        self.site, self.plan, self.year = site, plan, plan.year
        # No progress given (tests, tools): no rounds, no reports — every item says 尚无报告.
        self.progress = progress if progress is not None else Progress(plan=plan, rounds=frozen_map({}), reports=())
        self.env = jinja_env(plan=plan, units=plan.units, groups=plan.groups, items=plan.items, points=plan.points,
                             categories=plan.categories, site=self, progress=self.progress)

    # ------------------------------------------------------------------ shared settings
    @property
    def today(self) -> dt.date:
        return self.site.today

    @property
    def use_directory_urls(self) -> bool:
        return self.site.use_directory_urls

    @property
    def is_newest(self) -> bool:
        return self.site.newest is self

    # ------------------------------------------------------------------ which pages exist
    @cached_property
    def specs(self) -> dict[str, PageSpec]:
        return {s.src: s for s in self.all_specs}

    @cached_property
    def all_specs(self) -> list[PageSpec]:
        """This edition's pages (a list: the output check sees two specs of one source, a dict would not)."""
        p, f = self.plan, self.plan.files

        def page(src: str, kind: str, key: str, title: str, files) -> PageSpec:
            return PageSpec(edition_src(self.year, src), kind, key, title, tuple(files), self.year)
        items_files = tuple(c.file for c in p.leaf_categories)
        specs = [page("index.md", "edition", "", p.document.title, (f["document"], f["points"])),
                 page("points.md", "points", "", "工作要点", (f["points"], f["links"])),
                 page("categories/index.md", "categories", "", "重大事项分类", (f["attachment"],)),
                 page("items/index.md", "items", "", "全部重大事项", items_files)]
        for cat in p.categories.values():
            specs.append(page(f"categories/{cat.id}.md", "category", cat.id, cat.heading, (cat.file, f["attachment"])))
        reports = self.progress.by_item
        for item in p.items.values():
            specs.append(page(f"items/{item.id}.md", "item", item.id, f"{item.label} {item.short_text}",
                              (item.file, f["units"], *sorted({r.file for r in reports[item.id]}))))
        # Overviews and downloads (issue 7); the files they link to are written by workplan.exports.
        every = (f["units"], f["attachment"], *items_files)
        specs += [page("matrix.md", "matrix", "", "责任矩阵", every),
                  page("charts.md", "charts", "", "统计图表", every),
                  page("table/index.md", "table", "", "事项筛选表", every),
                  page("downloads/index.md", "downloads", "", "下载", every)]
        # Progress reports (issue 8): the reporting dashboard and the changes between rounds.
        reported = self.progress.files or (f"data/{p.year}/progress/rounds.yaml",)
        specs += [page("progress/index.md", "progress", "", "报送总览", reported),
                  page("progress/history.md", "history", "", "状态变化", reported)]
        return specs

    def title(self, spec: PageSpec) -> str:
        """The page's title with its year: search results, tabs and bookmarks then say which year."""
        return f"{self.year}年 {spec.title}" if spec.kind != "edition" else spec.title

    def source(self, spec: PageSpec) -> str:
        """Front matter only: the body is rendered at build time by `render`, called from the
        hooks' on_page_markdown (not through mkdocs-macros, which would compile a template per
        page for a one-line source)."""
        boost = BOOST.get(spec.kind, 1) * (1 if self.is_newest else OLDER_EDITION_BOOST)
        meta = {"title": safe_title(self.title(spec)), "search": {"boost": round(boost, 3)}}
        if spec.kind == "item":
            meta["hide"] = ["toc"]
        elif spec.kind in ("matrix", "table"):
            meta["hide"] = ["navigation", "toc"]   # wide tables get the full width
        return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n"

    # ------------------------------------------------------------------ rendering
    def render(self, spec: PageSpec, page_url: str) -> str:
        body = self.env.get_template(f"{spec.kind}.md.j2").render(
            {"spec": spec, "key": spec.key, "here": page_url, "updated": self.site.last_updated(spec)})
        return str(self.render_fragment("_edition_bar", page_url, spec=spec)) + body   # str: Markup + str would escape body

    def render_fragment(self, name: str, page_url: str, **ctx) -> Markup:
        """A template of this edition rendered on its own: a hand-written page's block (the home
        page's counts), or this year's part of a unit's page. Markup: it was rendered with
        autoescaping, so a page that includes it must not escape it again."""
        return Markup(self.env.get_template(f"{name}.md.j2").render({"here": page_url, **ctx}))

    # ------------------------------------------------------------------ links
    def href(self, src: str, here: str, anchor: str = "") -> str:
        """A link to a page: an edition page of this year (points.md, items/1-1.md, …), or one of the
        whole site (units/…, counties/…, editions/, api/index.md)."""
        target = src if is_site_wide(src) else edition_src(self.year, src)
        return relative(target, here, self.use_directory_urls, anchor)

    def item_href(self, item_id: str, here: str) -> str:
        return self.href(f"items/{item_id}.md", here)

    def category_href(self, category_id: str, here: str) -> str:
        return self.href(f"categories/{category_id}.md", here)

    def group_href(self, group_id: str, here: str) -> str:
        return self.href(f"groups/{group_id}.md", here)

    def unit_href(self, unit_id: str, here: str) -> str:
        """The unit's page (one for all years), at this year's part unless this is the newest year."""
        return self.site.unit_href(unit_id, here, None if self.is_newest else self.year)

    def unit_progress_href(self, unit_id: str, here: str) -> str:
        """Where a unit's reports of this year are: its page's 落实情况 (the current round) for the
        newest year; for an earlier year, that year's part of the page (its items link their reports)."""
        if self.is_newest:
            return self.site.href(self.site.unit_src(unit_id), here, "progress")
        return self.unit_href(unit_id, here)

    def file_path(self, path: str) -> str:
        """Where this edition's download or API file is (relative to the site root)."""
        return edition_file(self.year, path)

    def file_href(self, path: str, here: str) -> str:
        """Relative link to a file of this edition written by workplan.exports (path as exports names it)."""
        return get_relative_url(self.file_path(path), here)

    # ------------------------------------------------------------------ units in this edition
    def name(self, unit_id: str) -> str:
        """The unit's name as this year's document writes it (a group's name for a group id)."""
        return self.plan.name_of(unit_id) if unit_id in self.plan.units else self.plan.groups[unit_id].name

    def sorted_units(self, units) -> list[Unit]:
        return sorted(units, key=lambda u: pinyin_key(self.name(u.id)))

    @cached_property
    def units_by_kind(self) -> list[tuple[str, list[Unit]]]:
        return [(kind, self.sorted_units(u for u in self.plan.units.values() if u.kind == kind)) for kind in KINDS
                if any(u.kind == kind for u in self.plan.units.values())]

    def counts(self, unit_id: str) -> dict[str, int]:
        """牵头 / 配合 (named), 经集体分配 (reached only through a group) and all items, each once."""
        inv = self.plan.involvement[unit_id]
        return {"lead": sum(1 for i in inv if i.role == "lead" and not i.via_group),
                "responsible": sum(1 for i in inv if i.role == "responsible" and not i.via_group),
                "collective": len(self.collective_items(unit_id)),
                "total": len({i.item for i in inv})}

    def collective_items(self, unit_id: str) -> dict[str, tuple[str, ...]]:
        return self.plan.collective_only(unit_id)

    def involved(self, unit_id: str) -> bool:
        """The unit has an item in this edition (named, through a group, or, for a place, mentioned)."""
        return bool(self.plan.involvement[unit_id]) or bool(self.plan.mentions.get(unit_id))

    def mentions_of(self, unit_id: str) -> tuple[Item, ...]:
        return tuple(self.plan.items[i] for i in self.plan.mentions.get(unit_id, ()))

    def mentions_only(self, unit_id: str) -> list[Item]:
        """Items whose text mentions the place and that reach it no other way (neither named nor
        through a group): each item is on the page once, as in charts.county_breakdown."""
        reached = {i.item for i in self.plan.involvement[unit_id]}
        return [i for i in self.mentions_of(unit_id) if i.id not in reached]

    @cached_property
    def involved_units(self) -> tuple[Unit, ...]:
        """The units this edition's items name or reach through a group."""
        return tuple(u for u in self.plan.units.values() if self.plan.involvement[u.id])

    def marked(self, text: str, errata) -> Markup:
        """Item/point text, escaped, with the document's own typos marked (kept as printed), and
        isolated for bidirectional display (workplan/bidi.py) as a whole and in each correction."""
        out = html.escape(text)
        for e in errata:
            original = html.escape(e.original)
            note = html.escape(isolated(f"原文如此，应为“{e.should_be}”" + (f"。{e.note}" if e.note else "")))
            out = out.replace(original, f'<span class="wp-sic" title="{note}">{original}</span>'
                                        f'<span class="wp-sic-note">〔原文如此，应为“{html.escape(isolated(e.should_be))}”〕</span>', 1)
        return isolated(Markup(out.replace("\n", "<br>")))

    def point_items(self, no: int) -> tuple[list[str], list[tuple[str, str]]]:
        """A work point's items: those that come from it (item ids), and those it names or covers
        elsewhere in the attachment, with the words of the point that do ((item id, quote))."""
        own, named = [], []
        for iid in self.plan.points[no].items:
            quote = next((link.quote for link in self.plan.items[iid].links if link.point == no), None)
            (named.append((iid, quote)) if quote else own.append(iid))
        return own, named

    # ------------------------------------------------------------------ the other editions
    def switch_to(self, other: EditionSite, spec: PageSpec | None, here: str) -> str:
        """The same page in another year when it has one (an item's id names another item there, so
        items go to that year's list), else that year's home."""
        if spec is not None and spec.kind != "item":
            src = spec.src.split("/", 1)[1]
            if edition_src(other.year, src) in other.specs:
                return other.href(src, here)
        return other.href("items/index.md" if spec is not None and spec.kind == "item" else "index.md", here)
