"""Links between the attachment's items and the body's work points (data/<year>/links.yaml).

The rule (data/README.md, “事项与工作要点的对应”):
1. A category that is a point's own list in the attachment (三（一）…（七） for 第 11–17 点) is linked
   under `categories`; its items inherit the point.
2. An item is linked to the point its text was written from (parts 一 and 二 follow the body
   point by point), by number: `"1-7": 3`.
3. An item is also linked to every other point whose text names the item's subject (a project,
   a policy, an institution, a platform) or plainly covers it. Such a link carries `quote`: the
   words of the point that name or cover it, copied exactly, so a reader and a reviewer can see
   why: `"3-3-9": [{point: 6, quote: 信丰电厂、长赣和瑞梅铁路、瑞金机场等6个重大项目开工和建设}]`.

An item's points are its category's (or its part's) point first, then its own, each once.
"""
from __future__ import annotations

from pathlib import Path

from .model import Category, Item, Link, Point


def item_links(path: Path, raw, cats: dict[str, Category], items: dict[str, list[Item]], points: dict[int, Point],
               incomplete: set[str], points_ok: bool, add) -> dict[str, tuple[Link, ...]]:
    """item id → its links, in order, each point once; problems (unknown targets and points, quotes
    not found in the point) go to `add(path, line, key, message, hint)`."""
    item_ids = {i.id for group in items.values() for i in group}
    cat_links, own_links = raw.get("categories", {}), raw.get("items", {})

    def known_point(no: int, key: str, line: int) -> bool:
        if no in points:
            return True
        if points_ok:
            add(path, line, "link-unknown-point", f"“{key}”对应的工作要点 {no} 不存在。", f"工作要点编号为 1–{max(points)}。")
        return False

    for section, table, known, what in (("categories", cat_links, cats, "类别"), ("items", own_links, item_ids, "事项")):
        for key in table:
            if key not in known and key not in incomplete and key.rsplit("-", 1)[0] not in incomplete:
                add(path, table.line_of(key), "link-unknown-target", f"{what}“{key}”不存在。",
                    "检查编号，例如类别 3-1、事项 3-1-16。")

    inherited: dict[str, tuple[Link, ...]] = {}
    for cid, no in cat_links.items():
        if cid in cats and known_point(no, cid, cat_links.line_of(cid)):
            inherited[cid] = (Link(no),)

    out: dict[str, tuple[Link, ...]] = {}
    for cid, group in items.items():
        for item in group:
            links = list(inherited.get(cid, inherited.get(cats[cid].parent, ())))
            for link, line in _own(own_links, item.id):
                if not known_point(link.point, item.id, line):
                    continue
                if any(have.point == link.point for have in links):
                    continue   # already given, e.g. by its category: harmless, counted once
                point = points[link.point]
                if link.quote is not None and link.quote not in point.title + point.text:
                    add(path, line, "link-quote-not-found", f"第 {link.point} 点的原文中找不到“{link.quote}”。",
                        "quote 须从该工作要点的原文逐字复制（标点、数字和空格都要一致）。")
                    continue
                links.append(link)
            out[item.id] = tuple(links)
    return out


def _own(table, item_id: str) -> list[tuple[Link, int]]:
    """An item's own links as written: a number, a {point, quote}, or a list of those."""
    if item_id not in table:
        return []
    value, line = table[item_id], table.line_of(item_id)
    entries = value if isinstance(value, list) else [value]
    out = []
    for index, entry in enumerate(entries):
        at = value.line_of(index) if isinstance(value, list) else line
        if isinstance(entry, dict):
            out.append((Link(entry["point"], entry["quote"]), entry.line_of("point") if hasattr(entry, "line_of") else at))
        else:
            out.append((Link(entry), at))
    return out
