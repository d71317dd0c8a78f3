"""The whole site: every edition (EditionSite per plan year) plus the pages that belong to all of
them — units, counties and groups (one page each, with their items in every year), the list of
editions, the site-wide downloads and API pages — and the addresses kept for the edition published
before the site held several (see urls.py).

Data never enters a page's source: the source only names the page kind and key, and the body is
rendered with HTML autoescaping, so text from data/ can never be executed as Jinja, HTML or
Markdown (headings escape Markdown punctuation too).
"""
from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Mapping

import yaml
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from .. import exports
from ..model import KINDS, Editions, Plan, Unit, frozen_map
from ..progress import Progress, build_date
from .edition import BOOST, EditionSite, jinja_env
from .text import pinyin_key, safe_title
from .urls import PageSpec, edition_src, is_legacy_page, relative


class Site:
    def __init__(self, editions: Editions | Plan, use_directory_urls: bool = True, edit_base: str | None = None,
                 updated: Mapping[str, str] | None = None, progress: Mapping[int, Progress] | Progress | None = None,
                 today: dt.date | None = None, legacy_year: int | None = None):
        if isinstance(editions, Plan):
            editions = Editions(plans=frozen_map({editions.year: editions}))
        if isinstance(progress, Progress):
            progress = {progress.plan.year: progress}
        self.data = editions
        self.today = today if today is not None else build_date()
        self.use_directory_urls = use_directory_urls
        self.edit_base = edit_base.rstrip("/") + "/" if edit_base else None
        self.updated = updated or {}
        self.legacy_year = legacy_year if legacy_year in editions.plans else None
        self.editions = {year: EditionSite(self, plan, (progress or {}).get(year)) for year, plan in editions.plans.items()}
        self.env = jinja_env(site=self, editions=self.newest_first, units=editions.units, groups=editions.groups)

    # ------------------------------------------------------------------ editions
    @property
    def newest(self) -> EditionSite:
        return self.editions[self.data.years[-1]]

    @property
    def newest_first(self) -> list[EditionSite]:
        return [self.editions[y] for y in reversed(self.data.years)]

    @property
    def plan(self) -> Plan:
        """The newest plan (the default edition: home page, navigation)."""
        return self.newest.plan

    @property
    def progress(self) -> Progress:
        return self.newest.progress

    @cached_property
    def current(self) -> EditionSite:
        """The edition holding the current reporting round (the newest whose first round has opened
        by today; else the newest): unit pages show its round."""
        for ed in self.newest_first:
            rounds = list(ed.progress.rounds.values())
            if rounds and rounds[0].opens <= self.today:
                return ed
        return self.newest

    def editions_of(self, unit_id: str) -> list[EditionSite]:
        """The editions in which the unit has an item, newest first."""
        return [ed for ed in self.newest_first if ed.involved(unit_id)]

    # ------------------------------------------------------------------ which pages exist
    @cached_property
    def specs(self) -> dict[str, PageSpec]:
        """Page source → its spec. Two specs of one source keep the last: the loaders' output check
        (workplan/outputs.py) and the build's claims (hooks.on_files) read `all_specs` and refuse that."""
        return {s.src: s for s in self.all_specs}

    @cached_property
    def all_specs(self) -> list[PageSpec]:
        """Every page of the site, the whole site's first, then each edition's (newest first)."""
        units_file = self.plan.files["units"]
        every = sorted({f for ed in self.editions.values() for f in
                        (ed.plan.files["attachment"], *(c.file for c in ed.plan.leaf_categories))})
        specs = [PageSpec("editions/index.md", "editions", "", "历年工作要点",
                          tuple(ed.plan.files["document"] for ed in self.newest_first)),
                 PageSpec("units/index.md", "units", "", "单位索引", (units_file,)),
                 PageSpec("counties/index.md", "counties", "", "县（市、区）", (units_file,)),
                 PageSpec("downloads/index.md", "all_downloads", "", "历年下载", (units_file, *every)),
                 PageSpec("api/index.md", "api", "", "数据接口（JSON）", (units_file, *every))]
        for unit in self.data.units.values():
            files = {self.editions[y].plan.items[i.item].file for y in self.data.years
                     for i in self.editions[y].plan.involvement[unit.id]}
            specs.append(PageSpec(self.unit_src(unit.id), "county" if unit.is_place else "unit", unit.id, unit.name,
                                  (units_file, *sorted(files))))
        for group in self.data.groups.values():
            files = {i.file for ed in self.editions.values() for i in ed.plan.group_items(group.id)}
            specs.append(PageSpec(f"groups/{group.id}.md", "group", group.id, group.name, (units_file, *sorted(files))))
        return specs + [spec for ed in self.newest_first for spec in ed.all_specs]

    def unit_src(self, unit_id: str) -> str:
        return f"{'counties' if self.data.units[unit_id].is_place else 'units'}/{unit_id}.md"

    def edition_of(self, spec: PageSpec) -> EditionSite | None:
        return self.editions[spec.edition] if spec.edition is not None else None

    def source(self, spec: PageSpec) -> str:
        ed = self.edition_of(spec)
        if ed is not None:
            return ed.source(spec)
        meta = {"title": safe_title(spec.title), "search": {"boost": BOOST.get(spec.kind, 1)}}
        return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n"

    def last_updated(self, spec: PageSpec) -> str | None:
        dates = [self.updated[f] for f in spec.data_files if f in self.updated]
        return max(dates) if dates else None

    def edit_url(self, spec: PageSpec) -> str | None:
        return self.edit_base + spec.data_files[0] if self.edit_base and spec.data_files else None

    # ------------------------------------------------------------------ rendering
    def render(self, src: str, page_url: str) -> str:
        spec = self.specs[src]
        ed = self.edition_of(spec)
        if ed is not None:
            return ed.render(spec, page_url)
        ctx = {"spec": spec, "key": spec.key, "here": page_url, "updated": self.last_updated(spec)}
        if spec.kind in ("unit", "county"):
            ctx["unit"] = self.data.units[spec.key]
        elif spec.kind == "group":
            ctx["group"] = self.data.groups[spec.key]
        return self.env.get_template(f"{spec.kind}.md.j2").render(ctx)

    def render_fragment(self, name: str, page_url: str, **ctx) -> str:
        """A block of a hand-written page (docs/) drawn from the newest edition (the home page's counts, …)."""
        return self.newest.render_fragment(name, page_url, **ctx)

    def render_site_fragment(self, name: str, page_url: str, **ctx) -> Markup:
        """A block of a hand-written page drawn from every edition (the list of editions, …)."""
        return Markup(self.env.get_template(f"{name}.md.j2").render({"here": page_url, **ctx}))

    # ------------------------------------------------------------------ links
    def href(self, src: str, here: str, anchor: str = "") -> str:
        return relative(src, here, self.use_directory_urls, anchor)

    def file_href(self, path: str, here: str) -> str:
        """Relative link to a file of the whole site (api/editions.json, …)."""
        return get_relative_url(path, here)

    def unit_href(self, unit_id: str, here: str, year: int | None = None) -> str:
        """A unit's or county's page; with `year`, at that year's part of it."""
        return self.href(self.unit_src(unit_id), here, f"y{year}" if year else "")

    def group_href(self, group_id: str, here: str, year: int | None = None) -> str:
        return self.href(f"groups/{group_id}.md", here, f"y{year}" if year else "")

    def sorted_units(self, units) -> list[Unit]:
        return sorted(units, key=lambda u: pinyin_key(u.name))

    @cached_property
    def units_by_kind(self) -> list[tuple[str, list[Unit]]]:
        units = self.data.units.values()
        return [(kind, self.sorted_units(u for u in units if u.kind == kind)) for kind in KINDS
                if any(u.kind == kind for u in units)]

    def api_fields(self, def_name: str) -> list[tuple[str, str, str]]:
        return exports.field_rows(def_name)

    # ------------------------------------------------------------------ addresses kept for the legacy edition
    def legacy_redirects(self) -> list[tuple[str, str]]:
        """(old page source, new page source) for every page the legacy edition had without its year."""
        if self.legacy_year is None:
            return []
        ed = self.editions[self.legacy_year]
        prefix = f"{self.legacy_year}/"
        return [(spec.src[len(prefix):], spec.src) for spec in ed.specs.values()
                if is_legacy_page(spec.src[len(prefix):])]

    def edition_home(self, year: int, here: str) -> str:
        return self.href(edition_src(year, "index.md"), here)
