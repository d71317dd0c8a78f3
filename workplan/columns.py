"""The columns of the item lists (CSV and XLSX downloads) and how a unit relates to each item:
the cells as text or numbers, taken from the plan and the latest progress status."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .model import Item, Plan
from .progress import NO_REPORT, ItemStatus, Progress, role_words

SEP = "；"           # between several names in one cell (names may contain 、, as in 各县（市、区）)
ID_SEP = ";"         # between several ids in one cell
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "'")


@dataclass(frozen=True)
class Column:
    key: str                                   # stable ASCII name (also the JSON field it mirrors)
    header: str                                # CSV/XLSX header
    width: float                               # XLSX column width in characters
    value: Callable[[Plan, Item], object] | None   # the cell: str or int
    wrap: bool = False                         # long text: wrap in XLSX
    status: Callable[[ItemStatus | None], object] | None = None   # progress columns: from the latest status

    def cell(self, plan: Plan, item: Item, progress: Progress | None = None) -> object:
        if self.status is not None:
            return self.status(latest_status(progress, item.id))
        return self.value(plan, item)


def latest_status(progress: Progress | None, item_id: str) -> ItemStatus | None:
    return progress.latest.get(item_id) if progress is not None else None


def _part(plan: Plan, item: Item) -> str:
    part = plan.categories[item.part]
    return f"{part.label}、{part.title}"


def _sub(plan: Plan, item: Item) -> str:
    cat = plan.categories[item.category]
    return f"{cat.number}{cat.title}" if cat.parent else ""


def _printed(role: str):
    return lambda plan, item: SEP.join(e.printed for e in item.entries(role))


def _unit_ids(role: str):
    return lambda plan, item: ID_SEP.join(item.unit_ids(role))


def _group_ids(role: str):
    return lambda plan, item: ID_SEP.join(item.group_ids(role))


COLUMNS: tuple[Column, ...] = (
    Column("label", "编号", 11, lambda plan, item: item.label),
    Column("id", "标识", 9, lambda plan, item: item.id),
    Column("part", "部分", 22, _part, wrap=True),
    Column("subcategory", "小类", 22, _sub, wrap=True),
    Column("no", "序号", 6, lambda plan, item: item.no),
    Column("text", "事项名称", 60, lambda plan, item: item.text, wrap=True),
    Column("lead", "牵头单位", 22, _printed("lead"), wrap=True),
    Column("responsible", "责任单位", 30, _printed("responsible"), wrap=True),
    Column("lead_units", "牵头单位标识", 14, _unit_ids("lead")),
    Column("lead_groups", "牵头集体标识", 14, _group_ids("lead")),
    Column("responsible_units", "责任单位标识", 18, _unit_ids("responsible")),
    Column("responsible_groups", "责任集体标识", 18, _group_ids("responsible")),
    Column("points", "对应工作要点", 10, lambda plan, item: "、".join(str(n) for n in item.points)),
    # Progress (issue 8): the latest status from the lead units' reports, its round, the percent.
    Column("status", "落实状态", 10, None, status=lambda st: st.status if st else NO_REPORT),
    Column("status_round", "状态所属轮次", 12, None, status=lambda st: st.round if st else ""),
    Column("percent", "完成百分比", 10, None, status=lambda st: st.percent if st and st.percent is not None else ""),
)


def relations(plan: Plan, unit_id: str) -> dict[str, list[dict]]:
    """item id → how the unit relates to it ({"relation": lead|responsible|mentioned, "via_group"}),
    items in official order. Mentions count only for items that reach the unit no other way
    (as on the county page and in charts.county_breakdown)."""
    out: dict[str, list[dict]] = {}
    for inv in plan.involvement[unit_id]:
        out.setdefault(inv.item, []).append({"relation": inv.role, "via_group": inv.via_group})
    for item_id in plan.mentions.get(unit_id, ()):
        if item_id not in out:
            out.setdefault(item_id, []).append({"relation": "mentioned", "via_group": None})
    order = plan.item_order
    rank = {"lead": 0, "responsible": 1, "mentioned": 2}
    return {iid: sorted(rels, key=lambda r: (r["via_group"] is not None, rank[r["relation"]], r["via_group"] or ""))
            for iid, rels in sorted(out.items(), key=lambda kv: order[kv[0]])}


def relation_text(plan: Plan, rels: Iterable[dict]) -> str:
    """'牵头', '责任（经集体分配：各县（市、区））', '正文提及', joined by SEP."""
    return SEP.join("正文提及" if r["relation"] == "mentioned" else role_words(plan, r["relation"], r["via_group"])
                    for r in rels)


def unit_columns(plan: Plan, unit_id: str) -> tuple[Column, ...]:
    """The columns of a unit's or county's own list: how it is involved, then COLUMNS."""
    rels = relations(plan, unit_id)

    def role(plan: Plan, item: Item) -> str:
        return relation_text(plan, rels.get(item.id, ()))
    return (Column("relation", "本单位角色", 18, role, wrap=True),) + COLUMNS


def unit_items(plan: Plan, unit_id: str) -> tuple[Item, ...]:
    """Every item on the unit's (or county's) page: named, through a group, or mentioned."""
    return tuple(plan.items[i] for i in relations(plan, unit_id))
