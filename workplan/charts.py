"""Overview figures of the plan (responsibility matrix, counts per category / lead unit / county)
and their charts as static SVG written by hand: no chart library, nothing fetched at run time.

Every chart is deterministic (same plan → same bytes), every text from data is XML-escaped, and
each SVG carries <title>/<desc> (referenced by aria-labelledby) and a summary of its numbers; the
charts page shows a <table> with the same numbers next to each chart.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html import escape

from .bidi import isolated

from .model import Plan, Unit

# ----------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Cell:
    lead: tuple[str, ...]          # item ids the row leads in this category
    responsible: tuple[str, ...]   # item ids the row is responsible for (配合) in this category


EMPTY_CELL = Cell((), ())


def matrix(plan: Plan) -> tuple[dict[str, dict[str, Cell]], dict[str, dict[str, Cell]]]:
    """The responsibility matrix in one pass over the items: unit id → leaf category id → Cell of
    the items the unit is named in directly, and group id → the same for items assigned to a
    collective group as a whole (kept apart: a group is not counted into its members' cells).
    Empty cells are absent (EMPTY_CELL), so the size follows the assignments, not units × categories."""
    def add(table: dict, key: str, cat: str, role: str, item_id: str) -> None:
        table.setdefault(key, {}).setdefault(cat, {"lead": [], "responsible": []})[role].append(item_id)

    units: dict = {}
    groups: dict = {}
    for item in plan.items.values():
        for role in ("lead", "responsible"):
            for uid in dict.fromkeys(item.unit_ids(role)):
                add(units, uid, item.category, role, item.id)
            for gid in dict.fromkeys(item.group_ids(role)):
                add(groups, gid, item.category, role, item.id)

    def cells(table: dict) -> dict[str, dict[str, Cell]]:
        return {key: {cat: Cell(tuple(c["lead"]), tuple(c["responsible"])) for cat, c in row.items()}
                for key, row in table.items()}
    return cells(units), cells(groups)


def items_per_category(plan: Plan) -> list[tuple[str, int]]:
    """(leaf category id, number of items) in official order."""
    return [(c.id, len(c.items)) for c in plan.leaf_categories]


def top_leads(plan: Plan, n: int = 15) -> list[tuple[Unit, int]]:
    """The n units that lead the most items (named directly); ties in registry order."""
    counts = [(u, len(plan.involved(u.id, "lead"))) for u in plan.units.values()]
    order = {uid: k for k, uid in enumerate(plan.units)}
    ranked = sorted((x for x in counts if x[1]), key=lambda x: (-x[1], order[x[0].id]))
    return ranked[:n]


def county_breakdown(plan: Plan) -> list[tuple[Unit, int, int, int]]:
    """(place, named, collective, mentioned) for every county and zone, each item counted once:
    named directly (牵头 or 责任) first, else through a collective group (各县（市、区）…),
    else only mentioned in the item text."""
    out = []
    for u in plan.places:
        named = {i.id for role in ("lead", "responsible") for i in plan.involved(u.id, role)}
        collective = {i.id for role in ("lead", "responsible") for i in plan.involved(u.id, role, True)} - named
        mentioned = set(plan.mentions.get(u.id, ())) - named - collective
        out.append((u, len(named), len(collective), len(mentioned)))
    return out


# ----------------------------------------------------------------------------- SVG

FONT = 13            # px
ROW = 24             # px per bar
WIDTH = 720


def text_width(text: str) -> float:
    """Rough width in px: wide (CJK, full-width) characters 1em, others 0.6em."""
    return sum(FONT if unicodedata.east_asian_width(ch) in "WF" else FONT * 0.6 for ch in text)


def clip(text: str, px: float) -> str:
    if text_width(text) <= px:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…") > px:
            break
        out += ch
    return out + "…"


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if top / step <= 8:
            return step
    return max(1, top // 8)


@dataclass(frozen=True)
class Series:
    name: str
    color: str


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]
    full: str = ""       # longer name for the bar's tooltip


def bar_chart(chart_id: str, title: str, desc: str, rows: list[Row], series: list[Series]) -> str:
    """A horizontal (stacked when several series) bar chart. Deterministic, escaped."""
    e = lambda s: escape(isolated(str(s)), quote=True)  # noqa: E731  (isolated: workplan/bidi.py)
    label_w = min(max((text_width(r.label) for r in rows), default=40) + 12, 260)
    legend_h = 26 if len(series) > 1 else 0
    top_pad, axis_h = 8 + legend_h, 22
    plot_x, plot_w = label_w + 4, WIDTH - label_w - 4 - 44
    total = max((sum(r.values) for r in rows), default=0)
    step = _nice_step(max(total, 1))
    scale_max = max(step, -(-max(total, 1) // step) * step)
    height = top_pad + len(rows) * ROW + axis_h
    x = lambda v: plot_x + plot_w * v / scale_max  # noqa: E731
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="wp-chart-svg" id="{e(chart_id)}" role="img" '
           f'aria-labelledby="{e(tid)} {e(did)}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
           f'font-family="sans-serif" font-size="{FONT}">',
           f'<title id="{e(tid)}">{e(title)}</title>',
           f'<desc id="{e(did)}">{e(desc)}</desc>',
           f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>']
    if legend_h:
        lx = plot_x
        out.append('<g class="legend">')
        for s in series:
            out.append(f'<rect x="{lx:.1f}" y="8" width="12" height="12" fill="{e(s.color)}"/>'
                       f'<text x="{lx + 16:.1f}" y="18.5" fill="#333333">{e(s.name)}</text>')
            lx += 16 + text_width(s.name) + 18
        out.append("</g>")
    axis_y = top_pad + len(rows) * ROW
    out.append('<g class="grid" stroke="#dddddd">')
    for v in range(0, scale_max + 1, step):
        out.append(f'<line x1="{x(v):.1f}" y1="{top_pad}" x2="{x(v):.1f}" y2="{axis_y}"/>')
    out.append("</g>")
    out.append('<g class="axis" fill="#555555" text-anchor="middle">')
    for v in range(0, scale_max + 1, step):
        out.append(f'<text x="{x(v):.1f}" y="{axis_y + 16}">{v}</text>')
    out.append("</g>")
    out.append('<g class="bars">')
    for k, r in enumerate(rows):
        y = top_pad + k * ROW
        tip = f"{r.full or r.label}：" + "，".join(f"{s.name} {v} 项" for s, v in zip(series, r.values)) \
            if len(series) > 1 else f"{r.full or r.label}：{r.values[0]} 项"
        out.append(f'<g class="bar"><title>{e(tip)}</title>'
                   f'<text x="{label_w:.1f}" y="{y + ROW / 2 + FONT * 0.35:.1f}" text-anchor="end" fill="#222222">'
                   f'{e(clip(r.label, label_w - 12))}</text>')
        acc = 0
        for s, v in zip(series, r.values):
            if v:
                out.append(f'<rect x="{x(acc):.1f}" y="{y + 4}" width="{x(acc + v) - x(acc):.1f}" height="{ROW - 8}" '
                           f'fill="{e(s.color)}" stroke="#ffffff" stroke-width="1"/>')
            acc += v
        out.append(f'<text x="{x(acc) + 4:.1f}" y="{y + ROW / 2 + FONT * 0.35:.1f}" fill="#222222">{acc}</text></g>')
    out.append("</g>")
    out.append(f'<line x1="{plot_x}" y1="{top_pad}" x2="{plot_x}" y2="{axis_y}" stroke="#555555"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- the three charts

COUNTY_SERIES = [Series("点名", "#c62828"), Series("集体分配", "#ef9a9a"), Series("正文提及（未点名）", "#9e9e9e")]
CHART_TITLES = {
    "items-per-category": "各类别重大事项数",
    "top-lead-units": "牵头事项最多的单位",
    "items-per-county": "各县（市、区）和功能区涉及的事项数",
}


def category_chart(plan: Plan) -> str:
    rows = []
    for cid, n in items_per_category(plan):
        c = plan.categories[cid]
        rows.append(Row(f"{c.label} {c.title}", (n,), f"{c.label} {c.title}"))
    summary = "；".join(f"{plan.categories[cid].label} {n} 项" for cid, n in items_per_category(plan))
    desc = f"附件 {len(plan.items)} 项重大事项按类别分布：{summary}。"
    return bar_chart("wp-chart-items-per-category", CHART_TITLES["items-per-category"], desc, rows,
                     [Series("事项", "#c62828")])


def lead_chart(plan: Plan, n: int = 15) -> str:
    ranked = top_leads(plan, n)
    rows = [Row(u.name, (k,), u.full_name or u.name) for u, k in ranked]
    summary = "；".join(f"{u.name} {k} 项" for u, k in ranked)
    desc = f"点名牵头事项数排名前 {len(ranked)} 的单位（不含集体分配）：{summary}。"
    return bar_chart("wp-chart-top-lead-units", CHART_TITLES["top-lead-units"], desc, rows,
                     [Series("牵头事项", "#c62828")])


def county_chart(plan: Plan) -> str:
    data = county_breakdown(plan)
    rows = [Row(u.name, (a, b, c)) for u, a, b, c in data]
    summary = "；".join(f"{u.name} 点名 {a}、集体 {b}、提及 {c}" for u, a, b, c in data)
    desc = ("每个县（市、区）和功能区涉及的事项，每项只计一次：点名承担，或经“各县（市、区）”等集体分配，"
            f"或仅在事项名称中提及。{summary}。")
    return bar_chart("wp-chart-items-per-county", CHART_TITLES["items-per-county"], desc, rows, COUNTY_SERIES)


def chart_files(plan: Plan) -> dict[str, str]:
    """name → SVG text; the same SVG is shown inline on the charts page and offered as a file."""
    return {"items-per-category": category_chart(plan), "top-lead-units": lead_chart(plan),
            "items-per-county": county_chart(plan)}
