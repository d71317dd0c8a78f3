"""Every page the site generates from the plan: what exists (PageSpec), the tiny source each
page gets (front matter + one macro call), and the rendering of its body from Jinja templates.

Data never enters a page's source: the source only names the page kind and key, and the
body is rendered by `Site.render` with HTML autoescaping, so text from data/ can never be
executed as Jinja, HTML or Markdown (headings escape Markdown punctuation too).
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Mapping
from urllib.parse import urlencode

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from mkdocs.utils import get_relative_url
from pypinyin import lazy_pinyin

from . import charts, exports
from .search import UNIT_PAGE_SEARCH_BOOST
from .model import COUNTY_KIND, KINDS, ROLES, Item, Plan, Unit

# Search weight per page kind (Material's `search.boost` front matter): a unit's own page must
# outrank the bulk pages that merely mention its name many times.
# Unit pages: measured in workplan/search.py. Overview pages that repeat every item text rank
# below the item's own page for a phrase from its text.
BOOST = {"unit": UNIT_PAGE_SEARCH_BOOST, "county": UNIT_PAGE_SEARCH_BOOST, "group": 2, "category": 0.5, "categories": 0.5,
         "item": 1, "items": 0.3, "points": 0.5, "matrix": 0.3, "charts": 0.3, "table": 0.3, "downloads": 0.3,
         "api": 0.3}


@dataclass(frozen=True)
class PageSpec:
    src: str                      # path inside docs/, e.g. "units/czj.md"
    kind: str                     # template name
    key: str                      # unit id, item id, category id, or ""
    title: str
    data_files: tuple[str, ...]   # data files the page is drawn from (edit link, last updated)


def dest_url(src: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a page source (same rule as mkdocs.structure.files.File.url)."""
    stem = src[:-3]
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem[: -len("index")] if stem.endswith("/index") else stem + "/"


_MD_PUNCT = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~=:&\"'$^@]")


def md_escape(text: str) -> Markup:
    """Text for a Markdown context (headings): HTML-escaped, and every ASCII punctuation that
    Markdown or its extensions could read as syntax written as a numeric entity."""
    return Markup(_MD_PUNCT.sub(lambda m: f"&#{ord(m.group())};", str(text)))


# MkDocs' theme environment does not autoescape, and Material prints page.title raw in the
# header; titles drawn from data therefore swap HTML-significant characters for their
# full-width look-alikes. The page body shows the exact text.
_TITLE_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "{": "｛", "}": "｝"})


def safe_title(text: str) -> str:
    return text.translate(_TITLE_SAFE)


def pinyin_key(name: str) -> tuple:
    """Sort as Chinese readers expect: by pinyin, ignoring the 市 prefix most units share."""
    core = name[1:] if name.startswith("市") and len(name) > 2 else name
    return (" ".join(lazy_pinyin(core)), name)


class Site:
    def __init__(self, plan: Plan, use_directory_urls: bool = True, edit_base: str | None = None,
                 updated: Mapping[str, str] | None = None):
        self.plan = plan
        self.use_directory_urls = use_directory_urls
        self.edit_base = edit_base.rstrip("/") + "/" if edit_base else None
        self.updated = updated or {}
        self.env = Environment(loader=PackageLoader("workplan", "templates"), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True,
                               # `{#` opens attr_list heading ids ({#lead}); Jinja comments use <#- -#>.
                               comment_start_string="<#-", comment_end_string="-#>")
        self.env.filters["md"] = md_escape
        self.env.filters["extract"] = lambda key, mapping: mapping[key]
        self.env.globals.update(plan=plan, units=plan.units, groups=plan.groups, items=plan.items,
                                points=plan.points, categories=plan.categories, ROLES=ROLES, KINDS=KINDS,
                                site=self)

    # ------------------------------------------------------------------ which pages exist
    @cached_property
    def specs(self) -> dict[str, PageSpec]:
        p, f = self.plan, self.plan.files
        units_file = f["units"]
        specs = [
            PageSpec("points.md", "points", "", "工作要点", (f["points"], f["links"])),
            PageSpec("categories/index.md", "categories", "", "重大事项分类", (f["attachment"],)),
            PageSpec("units/index.md", "units", "", "单位索引", (units_file,)),
            PageSpec("counties/index.md", "counties", "", "县（市、区）", (units_file,)),
            PageSpec("items/index.md", "items", "", "全部重大事项", tuple(c.file for c in p.leaf_categories)),
        ]
        for cat in p.categories.values():
            specs.append(PageSpec(f"categories/{cat.id}.md", "category", cat.id, cat.heading, (cat.file, f["attachment"])))
        for item in p.items.values():
            specs.append(PageSpec(f"items/{item.id}.md", "item", item.id, f"{item.label} {item.short_text}",
                                  (item.file, units_file)))
        for unit in p.units.values():
            files = (units_file, *sorted({p.items[i.item].file for i in p.involvement[unit.id]}))
            kind = "county" if unit.is_place else "unit"
            specs.append(PageSpec(self.unit_src(unit.id), kind, unit.id, unit.name, files))
        for group in p.groups.values():
            specs.append(PageSpec(f"groups/{group.id}.md", "group", group.id, group.name,
                                  (units_file, *sorted({i.file for i in p.group_items(group.id)}))))
        # Overviews and downloads (issue 7); the files they link to are written by workplan.exports.
        every = (units_file, f["attachment"], *(c.file for c in p.leaf_categories))
        specs += [PageSpec("matrix.md", "matrix", "", "责任矩阵", every),
                  PageSpec("charts.md", "charts", "", "统计图表", every),
                  PageSpec("table/index.md", "table", "", "事项筛选表", every),
                  PageSpec("downloads/index.md", "downloads", "", "下载", every),
                  PageSpec("api/index.md", "api", "", "数据接口（JSON）", every)]
        return {s.src: s for s in specs}

    def unit_src(self, unit_id: str) -> str:
        return f"{'counties' if self.plan.units[unit_id].is_place else 'units'}/{unit_id}.md"

    # ------------------------------------------------------------------ page sources
    def source(self, spec: PageSpec) -> str:
        """Front matter and one macro call; the body is rendered at build time by `render`."""
        meta = {"title": safe_title(spec.title), "render_macros": True, "search": {"boost": BOOST.get(spec.kind, 1)}}
        if spec.kind == "item":
            meta["hide"] = ["toc"]
        elif spec.kind in ("matrix", "table"):
            meta["hide"] = ["navigation", "toc"]   # wide tables get the full width
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n{{{{ render_page({spec.src!r}) }}}}\n"

    def last_updated(self, spec: PageSpec) -> str | None:
        dates = [self.updated[f] for f in spec.data_files if f in self.updated]
        return max(dates) if dates else None

    def edit_url(self, spec: PageSpec) -> str | None:
        return self.edit_base + spec.data_files[0] if self.edit_base and spec.data_files else None

    # ------------------------------------------------------------------ rendering
    def render(self, src: str, page_url: str) -> str:
        spec = self.specs[src]
        template = self.env.get_template(f"{spec.kind}.md.j2")
        ctx = {"spec": spec, "key": spec.key, "here": page_url, "updated": self.last_updated(spec)}
        if spec.kind in ("unit", "county"):
            ctx["unit"] = self.plan.units[spec.key]
        return template.render(ctx)

    def render_fragment(self, name: str, page_url: str, **ctx) -> str:
        """A template used by a hand-written page (e.g. the home page's counts)."""
        return self.env.get_template(f"{name}.md.j2").render({"here": page_url, **ctx})

    # ------------------------------------------------------------------ helpers for templates
    def href(self, src: str, here: str, anchor: str = "") -> str:
        url = get_relative_url(dest_url(src, self.use_directory_urls), here) if here is not None else src
        if not self.use_directory_urls and url.endswith("/"):
            url += "index.html"
        return url + (f"#{anchor}" if anchor else "")

    def unit_href(self, unit_id: str, here: str) -> str:
        return self.href(self.unit_src(unit_id), here)

    def item_href(self, item_id: str, here: str) -> str:
        return self.href(f"items/{item_id}.md", here)

    def sorted_units(self, units) -> list[Unit]:
        return sorted(units, key=lambda u: pinyin_key(u.name))

    def units_by_kind(self) -> list[tuple[str, list[Unit]]]:
        return [(kind, self.sorted_units(u for u in self.plan.units.values() if u.kind == kind)) for kind in KINDS
                if any(u.kind == kind for u in self.plan.units.values())]

    def counts(self, unit_id: str) -> dict[str, int]:
        inv = self.plan.involvement[unit_id]
        return {"lead": sum(1 for i in inv if i.role == "lead" and not i.via_group),
                "responsible": sum(1 for i in inv if i.role == "responsible" and not i.via_group),
                "collective": len({i.item for i in inv if i.via_group})}

    def category_of(self, item: Item):
        return self.plan.categories[item.category]

    def marked(self, text: str, errata) -> Markup:
        """Item/point text, escaped, with the document's own typos marked (kept as printed)."""
        out = html.escape(text)
        for e in errata:
            original = html.escape(e.original)
            note = html.escape(f"原文如此，应为“{e.should_be}”" + (f"。{e.note}" if e.note else ""))
            out = out.replace(original, f'<span class="wp-sic" title="{note}">{original}</span>'
                                        f'<span class="wp-sic-note">〔原文如此，应为“{html.escape(e.should_be)}”〕</span>', 1)
        return Markup(out.replace("\n", "<br>"))

    def mentions_of(self, unit_id: str) -> tuple[Item, ...]:
        return tuple(self.plan.items[i] for i in self.plan.mentions.get(unit_id, ()))

    def is_county_kind(self, unit: Unit) -> bool:
        return unit.kind == COUNTY_KIND

    # ------------------------------------------------------------------ overviews and downloads (issue 7)
    def file_href(self, path: str, here: str) -> str:
        """Relative link to a file written by workplan.exports (path relative to the site root)."""
        return get_relative_url(path, here)

    def unit_files(self, unit_id: str, here: str) -> dict[str, str]:
        return {k: self.file_href(v, here) for k, v in exports.unit_paths(self.plan.units[unit_id]).items()}

    def export_count(self, unit_id: str) -> int:
        """Rows in the unit's own CSV/XLSX (named, collective and mentioned items)."""
        return len(exports.relations(self.plan, unit_id))

    def table_href(self, here: str, **params: str) -> str:
        """The item table filtered, e.g. table/?lead=czj&cat=3-1 (works with file:// too)."""
        query = urlencode([(k, v) for k, v in params.items() if v])
        return self.href("table/index.md", here) + (f"?{query}" if query else "")

    def api_fields(self, def_name: str) -> list[tuple[str, str, str]]:
        return exports.field_rows(def_name)

    def api_example(self) -> str:
        first = next(iter(self.plan.items.values()))
        return json.dumps(exports.item_record(self.plan, first), ensure_ascii=False, sort_keys=True, indent=2)

    def example_unit_path(self) -> str:
        return exports.unit_paths(next(u for u in self.plan.units.values() if not u.is_place))["json"]

    def matrix_cells(self, key: str, group: bool = False):
        """Leaf category id → charts.Cell (lead / responsible item ids) of a unit or a group."""
        return (charts.group_matrix if group else charts.unit_matrix)(self.plan, key)

    @cached_property
    def chart_svgs(self) -> dict[str, str]:
        return charts.chart_files(self.plan)

    def chart_titles(self) -> dict[str, str]:
        return dict(charts.CHART_TITLES)

    def chart_data(self, name: str) -> list:
        """The numbers behind a chart, for its table equivalent."""
        return {"items-per-category": charts.items_per_category, "top-lead-units": charts.top_leads,
                "items-per-county": charts.county_breakdown}[name](self.plan)

    def chart_svg(self, name: str) -> Markup:
        """Inline SVG built by workplan.charts (every text in it escaped there)."""
        return Markup(self.chart_svgs[name])

    def script_json(self, obj) -> Markup:
        """JSON for a <script type="application/json"> element: <, > and & as \\u escapes, so
        neither </script> nor <!-- in the data can end or alter the element."""
        text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                      .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))

    def table_index(self) -> dict:
        """What the item table's filters match on, per item, and the names of units and groups
        (read by docs/assets/filter.js)."""
        p, out = self.plan, {}
        for item in p.items.values():
            out[item.id] = {"cat": item.category, "part": item.part,
                            "lead": [*item.unit_ids("lead"), *item.group_ids("lead")],
                            "resp": [*item.unit_ids("responsible"), *item.group_ids("responsible")],
                            "named": [], "collective": [], "mentioned": [],
                            "text": " ".join([item.label, item.text,
                                              *(e.printed for e in item.lead + item.responsible)])}
        for u in p.places:   # each item once, as in charts.county_breakdown: named > collective > mentioned
            named = {inv.item for inv in p.involvement[u.id] if inv.via_group is None}
            collective = {inv.item for inv in p.involvement[u.id] if inv.via_group} - named
            mentioned = set(p.mentions.get(u.id, ())) - named - collective
            for key, ids in (("named", named), ("collective", collective), ("mentioned", mentioned)):
                for iid in ids:
                    out[iid][key].append(u.id)
        names = {u.id: u.name for u in p.units.values()} | {g.id: g.name for g in p.groups.values()}
        return {"items": out, "names": names, "order": list(p.items)}   # keys get sorted; order is official

    def role_units(self, role: str) -> list[tuple[str, list]]:
        """Options for a unit filter: (kind, units with at least one item in that role), then groups."""
        p = self.plan
        kinds = [(kind, [u for u in members if p.involved(u.id, role)]) for kind, members in self.units_by_kind()]
        groups = [g for g in p.groups.values() if any(g.id in i.group_ids(role) for i in p.items.values())]
        return [(k, m) for k, m in kinds if m] + ([("集体分配", groups)] if groups else [])


def edit_base_from(repo_url: str | None, branch: str = "main") -> str | None:
    return f"{repo_url.rstrip('/')}/edit/{branch}/" if repo_url else None


def git_dates(root: Path, files) -> dict[str, str]:
    """Last commit date (YYYY-MM-DD) of each data file, from git; empty outside a checkout."""
    import subprocess

    out = {}
    for f in sorted(set(files)):
        try:
            done = subprocess.run(["git", "log", "-1", "--format=%cs", "--", f], cwd=root, capture_output=True,
                                  text=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return {}
        if done.returncode == 0 and done.stdout.strip():
            out[f] = done.stdout.strip()
    return out
