"""The typed, read-only model of one year's plan that the site, the exports and the tests use.

Everything is a frozen dataclass holding tuples or read-only mappings; indexes derived from
the data (who leads what, what reaches a county through 各县（市、区）) are computed once,
lazily, and cached on the Plan.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

COUNTY_KIND = "县（市、区）"
ZONE_KIND = "功能区"
KINDS = ("市直部门", "驻市单位", COUNTY_KIND, ZONE_KIND, "高校/科研", "企业")
ROLES = {"lead": "牵头单位", "responsible": "责任单位"}


def frozen_map(pairs) -> Mapping:
    return MappingProxyType(dict(pairs))


@dataclass(frozen=True)
class NamePeriod:
    """Another name of a unit and when it was used: `since` and `until` are "YYYY", "YYYY-MM" or
    "YYYY-MM-DD" (until: the day the name stopped being used; either may be empty)."""

    name: str
    since: str = ""
    until: str = ""

    def __str__(self) -> str:
        return f"{self.name}（{self.when()}）"

    def covers(self, day: str) -> bool:
        """The name was in use on `day` (an ISO date): since <= day < until, comparing as far as given."""
        return (not self.since or day[: len(self.since)] >= self.since) and \
            (not self.until or day[: len(self.until)] < self.until)

    def when(self) -> str:
        """2020年6月起 / 至2020年6月 / 2016年至2020年6月, for notes."""
        def words(stamp: str) -> str:
            parts = stamp.split("-")
            return f"{parts[0]}年" + (f"{int(parts[1])}月" if len(parts) > 1 else "") + (f"{int(parts[2])}日" if len(parts) > 2 else "")
        if self.since and self.until:
            return f"{words(self.since)}至{words(self.until)}"
        return f"{words(self.since)}起" if self.since else f"至{words(self.until)}"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str                            # as the newest documents write it
    kind: str
    full_name: str | None = None
    aliases: tuple[str, ...] = ()        # other ways of writing the same name (short forms, typography)
    division: str | None = None          # 区 / 县 / 县级市 for counties, 功能区 for county-level zones
    mentions: tuple[str, ...] = ()       # strings in item texts that concern this county
    not_mentions: tuple[str, ...] = ()   # false matches of those strings
    former_ids: tuple[str, ...] = ()     # ids used before a rename, kept so old links work
    note: str | None = None
    names: tuple[NamePeriod, ...] = ()   # earlier and later names, with when they were used
    member_of: tuple[str, ...] = ()      # the collective groups it belongs to (各县（市、区）, …)
    line: int = field(default=0, compare=False)   # its entry's line in data/units.yaml (messages)

    def name_on(self, day: str) -> str:
        """The name in use on `day` (an edition's document date): what that document writes."""
        return next((n.name for n in self.names if n.covers(day)), self.name)

    def other_names(self, day: str) -> tuple[tuple[str, str], ...]:
        """(name, note) for the unit's names other than the one in use on `day`: a later name as
        "2020年6月起为龙南市", an earlier one as "原称龙南县（至2020年6月）"."""
        covering = next((n for n in self.names if n.covers(day)), None)
        periods = [n for n in self.names if n is not covering]
        if covering is not None:   # `name` is then the name of the time before or after that period
            periods.append(NamePeriod(self.name, since=covering.until) if covering.until
                           else NamePeriod(self.name, until=covering.since))
        out = []
        for n in periods:
            later = bool(n.since) and day[: len(n.since)] < n.since
            out.append((n.name, f"{n.when()}为{n.name}" if later
                        else f"原称{n.name}" + (f"（{n.when()}）" if n.since or n.until else "")))
        return tuple(out)

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name the unit is found by: its name, its names in other periods, its aliases."""
        return tuple(dict.fromkeys((self.name, *(n.name for n in self.names), *self.aliases)))

    @property
    def is_county(self) -> bool:
        return self.kind == COUNTY_KIND

    @property
    def is_place(self) -> bool:
        """County-level divisions and zones (those with a `division`) get a county page."""
        return self.division is not None


@dataclass(frozen=True)
class Group:
    """A collective assignment such as 各县（市、区）: one entry in the data, many units."""

    id: str
    name: str
    members: tuple[str, ...]   # unit ids (units that list it in member_of), in registry order
    aliases: tuple[str, ...] = ()
    note: str | None = None
    line: int = field(default=0, compare=False)   # its entry's line in data/units.yaml (messages)


@dataclass(frozen=True)
class Entry:
    """One entry of a 牵头单位/责任单位 list, as printed; "市发改委等市直(驻市)部门" names both a
    unit and a group."""

    printed: str
    unit: str | None = None
    group: str | None = None
    split: int = 0      # for "甲等乙": position of 等 in `printed`
    others: bool = False   # "甲等单位": 甲 and others the document does not name (credited to 甲 only)
    clause: int = 0     # which "，"-separated part of the cell it is in (0, 1, …), as the document groups them

    @property
    def parts(self) -> tuple[str, str]:
        """("甲", "乙") for "甲等乙" (乙 a group, or the unnamed others), else (printed, "")."""
        if self.unit and (self.group or self.others):
            return self.printed[: self.split], self.printed[self.split + 1:]
        return self.printed, ""


@dataclass(frozen=True)
class Erratum:
    ref: str            # item id or point-N
    original: str       # the text as printed (kept)
    should_be: str
    note: str | None = None


@dataclass(frozen=True)
class Link:
    """An item implements a work point; `quote`: the words of the point that name or cover the item,
    when the point is not the one the item was written from (data/<year>/links.yaml)."""

    point: int
    quote: str | None = None


@dataclass(frozen=True)
class Item:
    id: str             # "3-1-16": category id + official number; used in anchors and URLs
    category: str       # leaf category id
    part: str           # part id ("3")
    no: int
    label: str          # "三（一）-16", "一-1": category label, dash, number
    text: str
    lead: tuple[Entry, ...]
    responsible: tuple[Entry, ...]
    links: tuple[Link, ...] = ()    # the work points it implements, its own point(s) first
    errata: tuple[Erratum, ...] = ()
    file: str = ""      # data file holding it, relative to the project root
    line: int = 0

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(link.point for link in self.links)

    def clauses(self, role: str) -> tuple[tuple[Entry, ...], ...]:
        """The role's entries in the document's "，"-separated groups (usually one)."""
        out: dict[int, list[Entry]] = {}
        for e in self.entries(role):
            out.setdefault(e.clause, []).append(e)
        return tuple(tuple(v) for _, v in sorted(out.items()))

    def entries(self, role: str) -> tuple[Entry, ...]:
        return self.lead if role == "lead" else self.responsible

    def unit_ids(self, role: str) -> tuple[str, ...]:
        return tuple(e.unit for e in self.entries(role) if e.unit)

    def group_ids(self, role: str) -> tuple[str, ...]:
        return tuple(e.group for e in self.entries(role) if e.group)

    @property
    def anchor(self) -> str:
        return f"item-{self.id}"

    @property
    def short_text(self) -> str:
        """The text cut to a title's length."""
        return self.text if len(self.text) <= 30 else self.text[:28] + "…"


@dataclass(frozen=True)
class Category:
    id: str                     # "1", "3", "3-1"
    number: str                 # "一" or "（一）"
    title: str
    declared_count: int
    label: str                  # "一" / "三（一）"
    parent: str | None = None
    children: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # item ids in official order (all descendants for a part)
    points: tuple[int, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def heading(self) -> str:
        """"一、全力争取…" for a part, "三（一）争取…" for a sub-category, as the document prints them."""
        return f"{self.label}{'' if self.parent else '、'}{self.title}"


@dataclass(frozen=True)
class Point:
    no: int
    part: str          # body part number, "一"
    title: str
    text: str
    items: tuple[str, ...] = ()
    errata: tuple[Erratum, ...] = ()
    line: int = 0

    @property
    def anchor(self) -> str:
        return f"point-{self.no}"


@dataclass(frozen=True)
class BodyPart:
    number: str
    title: str
    points: tuple[int, ...]


@dataclass(frozen=True)
class Document:
    year: int
    issuer: str
    doc_no: str
    title: str
    date: str
    general_requirements: str
    requirements: tuple[str, ...]
    reporting_deadlines: tuple[str, ...]
    notice_title: str = ""
    addressees: str = ""
    notice_text: str = ""
    signature: str = ""


@dataclass(frozen=True)
class Involvement:
    """How one unit is involved in one item."""

    item: str
    role: str                 # "lead" | "responsible"
    via_group: str | None = None   # set when the unit is reached only through a collective group


@dataclass(frozen=True)
class Plan:
    year: int
    document: Document
    body_parts: tuple[BodyPart, ...]
    points: Mapping[int, Point]
    attachment_title: str
    declared_count: int
    categories: Mapping[str, Category]   # parts then their sub-categories, official order
    items: Mapping[str, Item]            # official order
    units: Mapping[str, Unit]            # registry order
    groups: Mapping[str, Group]
    files: Mapping[str, str] = field(default_factory=dict)  # role → data file path ("units", "points", …)

    def name_of(self, unit_id: str) -> str:
        """The unit's name as this edition's document writes it (data/units.yaml `names`)."""
        return self.units[unit_id].name_on(self.document.date)

    # ----------------------------------------------------------------- derived indexes
    @cached_property
    def item_order(self) -> Mapping[str, int]:
        """item id → its position in official order (for sorting ids that come in another order)."""
        return {iid: n for n, iid in enumerate(self.items)}

    @cached_property
    def parts(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories.values() if c.parent is None)

    @cached_property
    def leaf_categories(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories.values() if c.is_leaf)

    @cached_property
    def counties(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units.values() if u.is_county)

    @cached_property
    def places(self) -> tuple[Unit, ...]:
        """The 18 counties, then the functional zones."""
        return self.counties + tuple(u for u in self.units.values() if u.is_place and not u.is_county)

    @cached_property
    def involvement(self) -> Mapping[str, tuple[Involvement, ...]]:
        """unit id → its involvements in item order. A unit named directly is not repeated for
        a group that also covers it in the same role."""
        found: dict[str, list[Involvement]] = {uid: [] for uid in self.units}
        for item in self.items.values():
            for role in ROLES:
                seen: set[str] = set()   # units already involved in this item and role
                for uid in item.unit_ids(role):
                    if uid not in seen:
                        seen.add(uid)
                        found[uid].append(Involvement(item.id, role))
                for gid in item.group_ids(role):
                    for uid in self.groups[gid].members:
                        if uid not in seen:
                            seen.add(uid)
                            found[uid].append(Involvement(item.id, role, via_group=gid))
        return frozen_map((uid, tuple(v)) for uid, v in found.items())

    def involved(self, unit_id: str, role: str, collective: bool = False) -> tuple[Item, ...]:
        """Items the unit leads / is responsible for, directly (default) or through a group."""
        return tuple(self.items[i.item] for i in self.involvement[unit_id]
                     if i.role == role and (i.via_group is not None) == collective)

    def collective_only(self, unit_id: str) -> Mapping[str, tuple[str, ...]]:
        """Items that reach the unit only through a group, with the groups (official order). An
        item that also names the unit is not here: pages list it once, under its named role."""
        return self._collective_only[unit_id]

    @cached_property
    def _collective_only(self) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
        out = {}
        for uid, inv in self.involvement.items():
            named = {i.item for i in inv if i.via_group is None}
            groups: dict[str, list[str]] = {}
            for i in inv:
                if i.via_group and i.item not in named and i.via_group not in groups.get(i.item, ()):
                    groups.setdefault(i.item, []).append(i.via_group)
            out[uid] = frozen_map((k, tuple(v)) for k, v in groups.items())
        return frozen_map(out)

    def group_items(self, group_id: str) -> tuple[Item, ...]:
        return self._group_items.get(group_id, ())

    @cached_property
    def _group_items(self) -> Mapping[str, tuple[Item, ...]]:
        found: dict[str, list[Item]] = {}
        for item in self.items.values():
            for gid in dict.fromkeys(item.group_ids("lead") + item.group_ids("responsible")):
                found.setdefault(gid, []).append(item)
        return frozen_map((gid, tuple(v)) for gid, v in found.items())

    @cached_property
    def mentions(self) -> Mapping[str, tuple[str, ...]]:
        """place (county/zone) id → ids of items whose text mentions it or a place in it."""
        # Index the place names by first character, so each text is read once for candidates
        # (testing every place against every item grows as places × items); the exact rule,
        # with not_mentions masked out, then runs only on the candidates.
        needles: dict[str, list[tuple[str, Unit]]] = {}
        for unit in self.places:
            for m in dict.fromkeys((unit.name, *unit.aliases, *unit.mentions)):
                if m:
                    needles.setdefault(m[0], []).append((m, unit))
        out: dict[str, list[str]] = {u.id: [] for u in self.places}
        for item in self.items.values():
            text = item.text
            candidates = {unit.id: unit for i, ch in enumerate(text) for m, unit in needles.get(ch, ())
                          if text.startswith(m, i)}
            for unit in candidates.values():
                masked = text
                for false in unit.not_mentions:
                    masked = masked.replace(false, "\0")
                if any(m in masked for m in (unit.name, *unit.aliases, *unit.mentions)):
                    out[unit.id].append(item.id)
        return frozen_map((uid, tuple(v)) for uid, v in out.items())

    def other_units(self, item: Item, unit_id: str) -> tuple[Entry, ...]:
        return tuple(e for e in item.lead + item.responsible if e.unit != unit_id)


@dataclass(frozen=True)
class Editions:
    """Every year's plan in data/ (one edition per year), sharing one registry of units and groups."""

    plans: Mapping[int, Plan]    # oldest first

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.plans)

    @property
    def latest(self) -> Plan:
        return self.plans[self.years[-1]]

    @property
    def units(self) -> Mapping[str, Unit]:
        return self.latest.units

    @property
    def groups(self) -> Mapping[str, Group]:
        return self.latest.groups

    def newest_first(self) -> tuple[Plan, ...]:
        return tuple(reversed(tuple(self.plans.values())))
