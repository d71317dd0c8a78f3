"""Every page the site generates from the plan: what exists (PageSpec), the tiny source each
page gets (front matter + one macro call), and the rendering of its body from Jinja templates.

Progress reports (issue 8) come in as a loaded `Progress` and a build day (`build_date`, the
"统计截至" day that decides the current round and what is overdue); templates/_progress.j2 shows
them on item, unit and county pages, the dashboard (progress/) and the history (progress/history).

Data never enters a page's source: the source only names the page kind and key, and the
body is rendered by `Site.render` with HTML autoescaping, so text from data/ can never be
executed as Jinja, HTML or Markdown (headings escape Markdown punctuation too).
"""
from __future__ import annotations

import datetime as dt
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

from . import charts, exports
from .search import UNIT_PAGE_SEARCH_BOOST
from .model import KINDS, ROLES, Item, Plan, Unit, frozen_map
from .pinyin import syllables
from .progress import NO_REPORT, build_date, STATUSES, ItemStatus, Progress, StatusSummary, UnitRound, is_http, role_words

# Search weight per page kind (Material's `search.boost` front matter): a unit's own page must
# outrank the bulk pages that merely mention its name many times.
# Unit pages: measured in workplan/search.py. Overview pages that repeat every item text rank
# below the item's own page for a phrase from its text.
BOOST = {"unit": UNIT_PAGE_SEARCH_BOOST, "county": UNIT_PAGE_SEARCH_BOOST, "group": 2, "category": 0.5, "categories": 0.5,
         "item": 1, "items": 0.3, "points": 0.5, "matrix": 0.3, "charts": 0.3, "table": 0.3, "downloads": 0.3,
         "api": 0.3, "progress": 0.3, "history": 0.3}

# Progress (issue 8): CSS class of each status badge and bar (docs/assets/site.css).
STATUS_CLASS = {"未启动": "wp-st-todo", "推进中": "wp-st-doing", "已完成": "wp-st-done", "受阻": "wp-st-blocked",
                NO_REPORT: "wp-st-none"}
MATRIX_COLUMN_LIMIT = 40   # leaf categories in one matrix table (a real plan has about ten)
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


def oneline(text) -> str:
    """Line breaks (and the blanks around them) as one space: a value inside an HTML block or a
    heading can then never contain a blank line that would hand the rest to Markdown."""
    return re.sub(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*", " ", str(text))


def safe_title(text: str) -> str:
    return text.translate(_TITLE_SAFE)


def pinyin_key(name: str) -> tuple:
    """Sort as Chinese readers expect: by pinyin, ignoring the 市 prefix most units share. The
    readings are those search uses (workplan/pinyin.py: single characters plus the name words
    pypinyin would misread; tests/test_site.py checks the registry sorts the same with pypinyin's
    whole phrase dictionary)."""
    core = name[1:] if name.startswith("市") and len(name) > 2 else name
    return (" ".join(syllables(core)), name)


class Site:
    def __init__(self, plan: Plan, use_directory_urls: bool = True, edit_base: str | None = None,
                 updated: Mapping[str, str] | None = None, progress: Progress | None = None,
                 today: dt.date | None = None):
        self.plan = plan
        # No progress given (tests, tools): no rounds, no reports — every item says 尚无报告.
        self.progress = progress if progress is not None else Progress(plan=plan, rounds=frozen_map({}), reports=())
        self.today = today if today is not None else build_date()
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
        self.env.filters["oneline"] = oneline
        self.env.globals.update(plan=plan, units=plan.units, groups=plan.groups, items=plan.items,
                                points=plan.points, categories=plan.categories, ROLES=ROLES, KINDS=KINDS,
                                site=self, progress=self.progress, STATUSES=STATUSES, NO_REPORT=NO_REPORT,
                                EMPTY_CELL=charts.EMPTY_CELL)

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
        reports = self.progress.by_item
        for item in p.items.values():
            specs.append(PageSpec(f"items/{item.id}.md", "item", item.id, f"{item.label} {item.short_text}",
                                  (item.file, units_file, *sorted({r.file for r in reports[item.id]}))))
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
        # Progress reports (issue 8): the reporting dashboard and the changes between rounds.
        reported = self.progress.files or (f"data/{p.year}/progress/rounds.yaml",)
        specs += [PageSpec("progress/index.md", "progress", "", "报送总览", reported),
                  PageSpec("progress/history.md", "history", "", "状态变化", reported)]
        return {s.src: s for s in specs}

    def unit_src(self, unit_id: str) -> str:
        return f"{'counties' if self.plan.units[unit_id].is_place else 'units'}/{unit_id}.md"

    # ------------------------------------------------------------------ page sources
    def source(self, spec: PageSpec) -> str:
        """Front matter only: the body is rendered at build time by `render`, called from the
        hooks' on_page_markdown (not through mkdocs-macros, which would compile a template per
        page for a one-line source)."""
        meta = {"title": safe_title(spec.title), "search": {"boost": BOOST.get(spec.kind, 1)}}
        if spec.kind == "item":
            meta["hide"] = ["toc"]
        elif spec.kind in ("matrix", "table"):
            meta["hide"] = ["navigation", "toc"]   # wide tables get the full width
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n"

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
        return json.dumps(exports.item_record(self.plan, first, self.progress), ensure_ascii=False, sort_keys=True, indent=2)

    def example_unit_path(self) -> str | None:
        """An api/units/<id>.json to show as an example, or None when the registry has no such unit."""
        unit = next((u for u in self.plan.units.values() if not u.is_place), None)
        return exports.unit_paths(unit)["json"] if unit else None

    @cached_property
    def matrix_blocks(self) -> list[dict]:
        """The responsibility matrix as tables: one over every leaf category with a row for every
        unit (by kind) and group; or, when the plan has more leaf categories than fit a page's
        width (MATRIX_COLUMN_LIMIT: many cities or years in one site), one table per part with
        rows only for the units and groups named in it, so the page grows with the assignments
        rather than units × categories. Each block: part (None for the single table), leaves,
        unit rows [(kind, [(unit, cells)])], group rows [(group, cells)]."""
        p = self.plan
        unit_cells, group_cells = charts.matrix(p)
        by_kind = self.units_by_kind
        if len(p.leaf_categories) <= MATRIX_COLUMN_LIMIT:
            return [{"part": None, "leaves": p.leaf_categories,
                     "units": [(kind, [(u, unit_cells.get(u.id, {})) for u in members]) for kind, members in by_kind],
                     "groups": [(g, group_cells.get(g.id, {})) for g in p.groups.values()]}]
        part_of = {c.id: (c.parent or c.id) for c in p.leaf_categories}
        blocks = {part.id: {"part": part, "leaves": tuple(p.categories[c] for c in (part.children or (part.id,))),
                            "units": {kind: [] for kind, _ in by_kind}, "groups": []} for part in p.parts}

        def split(cells: dict) -> dict[str, dict]:
            out: dict[str, dict] = {}
            for cat, cell in cells.items():
                out.setdefault(part_of[cat], {})[cat] = cell
            return out
        for kind, members in by_kind:
            for u in members:
                for part_id, cells in split(unit_cells.get(u.id, {})).items():
                    blocks[part_id]["units"][kind].append((u, cells))
        for g in p.groups.values():
            for part_id, cells in split(group_cells.get(g.id, {})).items():
                blocks[part_id]["groups"].append((g, cells))
        return [{**b, "units": [(k, rows) for k, rows in b["units"].items() if rows]} for b in blocks.values()]

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
                            "status": (self.latest(item.id).status if self.latest(item.id) else NO_REPORT),
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
        kinds = [(kind, [u for u in members if p.involved(u.id, role)]) for kind, members in self.units_by_kind]
        groups = [g for g in p.groups.values() if any(g.id in i.group_ids(role) for i in p.items.values())]
        return [(k, m) for k, m in kinds if m] + ([("集体分配", groups)] if groups else [])

    # ------------------------------------------------------------------ progress reports (issue 8)
    @property
    def sample(self) -> bool:
        """Sample (invented) progress is shown: every page with progress carries the banner."""
        return self.progress.includes_sample

    @cached_property
    def current_round(self):
        return self.progress.current_round(self.today)

    def status_class(self, status: str | None) -> str:
        return STATUS_CLASS[status or NO_REPORT]

    def latest(self, item_id: str) -> ItemStatus | None:
        return self.progress.latest[item_id]

    def round_index(self, round_id: str) -> int:
        return list(self.progress.rounds).index(round_id)

    def round_label(self, round_id: str | None) -> str:
        return self.progress.rounds[round_id].label if round_id in self.progress.rounds else ""

    def day(self, day: dt.date) -> str:
        """6月30日"""
        return f"{day.month}月{day.day}日"

    def bar(self, part: int, total: int) -> str:
        """A progress bar's width in percent, as CSS text ("37.5%"); the numbers are ours, not data."""
        return f"{(100.0 * part / total if total else 0.0):.1f}%"

    def role_of(self, unit_id: str, item_id: str) -> str:
        """牵头 / 责任, with the group it comes through: 责任（经集体分配：各县（市、区））."""
        role, via = self.progress.roles[item_id].get(unit_id, ("responsible", None))
        return role_words(self.plan, role, via)

    def report_role(self, report) -> str:
        return role_words(self.plan, report.role, report.via_group)

    def is_http(self, url: str) -> bool:
        """Evidence links become <a href> only for http(s) (the validator refuses the rest)."""
        return is_http(url)

    def unit_progress(self, unit_id: str) -> dict | None:
        """The unit page's progress block for the current round: summary over its items, the
        expected items it has not reported on, whether they are overdue. None: no rounds."""
        rnd = self.current_round
        if rnd is None:
            return None
        ur: UnitRound = self.progress.unit_round(unit_id, rnd.id, self.today)
        summary: StatusSummary = self.progress.unit_summary(unit_id, rnd.id)
        return {"round": rnd, "summary": summary, "missing": ur.missing, "overdue": ur.overdue,
                "expected": ur.expected, "past_deadline": rnd.past_deadline(self.today),
                "has_reports": self.progress.has_reports(rnd.id)}

    def template_links(self, unit_id: str, here: str) -> list[dict]:
        """The unit's reporting templates (workplan/reporting/), the current round first, then the
        others newest first: round, relative href, the file name offered for saving."""
        from .reporting.sendout import site_paths
        from .reporting.template import template_file_name

        if not self.progress.reportable(unit_id):
            return []
        rounds = list(self.progress.rounds.values())[::-1]
        if self.current_round in rounds:
            rounds.remove(self.current_round)
            rounds.insert(0, self.current_round)
        unit = self.plan.units[unit_id]
        return [{"round": r, "href": self.file_href(site_paths(r.id, unit_id), here),
                 "file_name": template_file_name(unit.name, r.label)} for r in rounds]

    def template_table(self, here: str) -> dict:
        """The downloads page's table of reporting templates: per round its zip, per unit (those
        with something to report on) the expected and optional item counts and a link per round."""
        from .reporting.sendout import site_paths
        from .reporting.template import template_file_name, template_units

        p, rounds = self.progress, list(self.progress.rounds.values())
        rows = []
        for uid in template_units(p):
            unit, expected = self.plan.units[uid], len(p.expected[uid])
            rows.append({"unit": unit, "expected": expected, "optional": len(p.reportable(uid)) - expected,
                         "links": [{"round": r, "href": self.file_href(site_paths(r.id, uid), here),
                                    "file_name": template_file_name(unit.name, r.label)} for r in rounds]})
        return {"rounds": [{"round": r, "zip": self.file_href(site_paths(r.id), here)} for r in rounds],
                "rows": rows}

    @cached_property
    def report_to(self) -> str:
        from .reporting.template import report_to

        return report_to(self.plan)

    @cached_property
    def dashboard(self) -> tuple[tuple[str, tuple[UnitRound, ...]], ...]:
        return self.progress.dashboard(self.today)

    def round_totals(self) -> list[dict]:
        """Per round, over the dashboard's units: how many owe reports, have filed all, some, none;
        how many are overdue; how many reports were filed."""
        out = []
        for n, rnd in enumerate(self.progress.rounds.values()):
            cells = [rounds[n] for _, rounds in self.dashboard]
            owing = [c for c in cells if c.expected]
            out.append({"round": rnd, "units": len(owing),
                        "complete": sum(1 for c in owing if c.complete),
                        "partial": sum(1 for c in owing if c.missing and len(c.missing) < len(c.expected)),
                        "none": sum(1 for c in owing if len(c.missing) == len(c.expected)),
                        "overdue": sum(1 for c in cells if c.overdue),
                        "has_reports": self.progress.has_reports(rnd.id),
                        "reports": len(self.progress.round_reports(rnd.id)),
                        "missing": sum(len(c.missing) for c in cells),
                        "past_deadline": rnd.past_deadline(self.today)})
        return out

    def category_summaries(self) -> list[tuple]:
        """(category, StatusSummary of the latest statuses) for every category, then the total."""
        p = self.progress
        return [(c, p.category_summary(c.id)) for c in self.plan.categories.values()]

    def total_summary(self) -> StatusSummary:
        return self.progress.items_summary(self.plan.items)

    def round_pairs(self) -> list[tuple]:
        """(from round, to round, changes) for every two consecutive rounds."""
        rounds = list(self.progress.rounds.values())
        return [(a, b, self.progress.changes(a.id, b.id)) for a, b in zip(rounds, rounds[1:])]


def edit_base_from(repo_url: str | None, branch: str = "main") -> str | None:
    return f"{repo_url.rstrip('/')}/edit/{branch}/" if repo_url else None


def git_dates(root: Path, files) -> dict[str, str]:
    """Last commit date (YYYY-MM-DD) of each data file, from git; empty outside a checkout.
    One `git log` for all files (newest first, so a file's first appearance is its last change):
    a process per file costs seconds at a few hundred files."""
    import subprocess

    wanted = set(files)
    if not wanted:
        return {}
    try:
        done = subprocess.run(["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--relative", "--", *sorted(wanted)],
                              cwd=root, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    out: dict[str, str] = {}
    for commit in done.stdout.split("\0")[1:]:
        date, *names = commit.strip().split("\n")
        for name in names:
            if name in wanted and name not in out:
                out[name] = date
    return out
