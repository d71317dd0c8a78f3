"""The 2020 attachment read straight from the YAML in data/, with a few lines of plain Python and
nothing from workplan/: the independent side of tests that check the model and the built pages.

The rules are those data/README.md and the comments in data/ state for a maintainer:
- an entry is a unit's or a group's name or alias (or a unit's name of another period); bracket
  width and spaces do not matter;
- "甲等乙" is unit 甲 plus group 乙, or 甲 alone when 乙 is a word like 单位 (names nobody);
- a group reaches its members (each unit's member_of);
- a place (county or zone) is mentioned by an item whose text holds its name, an alias or one of its
  mentions, once its not_mentions are blanked out.
Kept short on purpose: if this file ever needs the model's subtleties, the expectation is no longer
independent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GENERIC = {"单位", "部门", "有关单位", "有关部门", "相关单位", "相关部门", "其他单位", "其他部门"}


def fold(name: str) -> str:
    return "".join(name.split()).replace("（", "(").replace("）", ")")


@dataclass
class RawItem:
    id: str                     # "3-1-16": category id, then the number in it
    text: str
    named: dict = field(default_factory=lambda: {"lead": set(), "responsible": set()})    # unit ids
    groups: dict = field(default_factory=lambda: {"lead": set(), "responsible": set()})   # group ids


def flatten(entries) -> list[str]:
    out = []
    for e in entries or []:
        out.extend(flatten(e) if isinstance(e, list) else [e])
    return out


def read(root: Path = ROOT, year: int = 2020):
    """(units, groups, items): registry entries as in units.yaml, items in official order."""
    registry = yaml.safe_load((root / "data/units.yaml").read_text("utf-8"))
    units = {u["id"]: u for u in registry["units"]}
    groups = {g["id"]: g for g in registry["groups"]}
    names = {}
    for uid, u in units.items():
        for n in [u["name"], *u.get("aliases", []), *(x["name"] for x in u.get("names", []))]:
            names[fold(n)] = ("unit", uid)
    for gid, g in groups.items():
        for n in [g["name"], *g.get("aliases", [])]:
            names[fold(n)] = ("group", gid)

    def resolve(entry: str) -> list[tuple[str, str]]:
        if fold(entry) in names:
            return [names[fold(entry)]]
        head, _, tail = entry.rpartition("等")
        assert head and fold(head) in names, f"cannot read {entry!r}"
        return [names[fold(head)]] + ([] if fold(tail) in GENERIC else [names[fold(tail)]])

    attachment = yaml.safe_load((root / f"data/{year}/attachment.yaml").read_text("utf-8"))
    order = []
    for part in attachment["parts"]:
        order += [c["id"] for c in part.get("categories", [])] or [part["id"]]
    items = []
    for cat in order:
        data = yaml.safe_load((root / f"data/{year}/items/{cat}.yaml").read_text("utf-8"))
        for raw in data["items"]:
            item = RawItem(f"{cat}-{raw['number']}", raw["text"])
            for role in ("lead", "responsible"):
                for kind, ident in (r for e in flatten(raw.get(role)) for r in resolve(e)):
                    (item.named if kind == "unit" else item.groups)[role].add(ident)
            items.append(item)
    return units, groups, items


def members(units: dict, group_id: str) -> set[str]:
    return {uid for uid, u in units.items() if group_id in (u.get("member_of") or [])}


def unit_lists(units: dict, items: list[RawItem], uid: str) -> dict[str, list[str]]:
    """Item ids on a unit's page: lead / responsible (named), collective (only through a group)."""
    mine = set(units[uid].get("member_of") or [])
    out = {"lead": [], "responsible": [], "collective": []}
    for item in items:
        named = False
        for role in ("lead", "responsible"):
            if uid in item.named[role]:
                out[role].append(item.id)
                named = True
        if not named and mine & (item.groups["lead"] | item.groups["responsible"]):
            out["collective"].append(item.id)
    return out


def mentioned(unit: dict, text: str) -> bool:
    for false in unit.get("not_mentions") or []:
        text = text.replace(false, "\0")
    return any(m in text for m in [unit["name"], *unit.get("aliases", []), *(unit.get("mentions") or [])])
