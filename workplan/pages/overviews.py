"""Page helpers for an edition's overviews and downloads: the responsibility matrix, the charts,
the item table's index, the downloads and API examples (issue 7)."""
from __future__ import annotations

import json
from functools import cached_property
from urllib.parse import urlencode

from markupsafe import Markup

from .. import charts, exports, jsonfmt
from ..bidi import isolated
from ..progress import NO_REPORT

MATRIX_COLUMN_LIMIT = 40   # leaf categories in one matrix table (a real plan has about ten)


class OverviewsMixin:
    """Mixed into EditionSite (self.plan, self.progress, self.href, self.file_href …)."""

    def unit_files(self, unit_id: str, here: str) -> dict[str, str]:
        return {k: self.file_href(v, here) for k, v in exports.unit_paths(self.plan.units[unit_id]).items()}

    def export_count(self, unit_id: str) -> int:
        """Rows in the unit's own CSV/XLSX (named, collective and mentioned items)."""
        return len(exports.relations(self.plan, unit_id))

    def table_href(self, here: str, **params: str) -> str:
        """The item table filtered, e.g. table/?lead=czj&cat=3-1 (works with file:// too)."""
        query = urlencode([(k, v) for k, v in params.items() if v])
        return self.href("table/index.md", here) + (f"?{query}" if query else "")

    def api_example(self) -> str:
        first = next(iter(self.plan.items.values()))
        return jsonfmt.dumps(exports.item_record(self.plan, first, self.progress))   # as the api/ files write it

    def example_unit_path(self) -> str | None:
        """An api/<year>/units/<id>.json to show as an example, or None when the registry has no such unit."""
        unit = next((u for u in self.plan.units.values() if not u.is_place), None)
        return self.file_path(exports.unit_paths(unit)["json"]) if unit else None

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
        # Names for display (filter.js sets them as option text): isolated (workplan/bidi.py).
        names = {u.id: isolated(p.name_of(u.id)) for u in p.units.values()} | {g.id: isolated(g.name) for g in p.groups.values()}
        return {"items": out, "names": names, "order": list(p.items)}   # keys get sorted; order is official

    def role_units(self, role: str) -> list[tuple[str, list]]:
        """Options for a unit filter: (kind, units with at least one item in that role), then groups."""
        p = self.plan
        kinds = [(kind, [u for u in members if p.involved(u.id, role)]) for kind, members in self.units_by_kind]
        groups = [g for g in p.groups.values() if any(g.id in i.group_ids(role) for i in p.items.values())]
        return [(k, m) for k, m in kinds if m] + ([("集体分配", groups)] if groups else [])
