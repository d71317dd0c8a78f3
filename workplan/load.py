"""Load and validate the plans in data/ into the read-only model: one year (`load_plan`) or every
edition at once (`load_editions`, the shared registry read once).

Every file is read once, checked against its JSON Schema, then cross-checked (references,
unique ids, numbering without gaps, declared counts, links, errata). All errors from all
files (of all years) are collected and raised together as PlanInvalid; nothing half-valid is
returned.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import datafile, idhistory, schema, yamlio
from .errors import Collector
from .links import item_links
from .model import BodyPart, Category, Document, Editions, Entry, Erratum, Item, Plan, Point, ROLES, frozen_map
from .registry import Registry, load_registry
from .text import to_simplified

ROOT = Path(__file__).resolve().parent.parent
CN_NUMERALS = "一二三四五六七八九十"


def data_years(data_dir: Path) -> list[int]:
    return sorted(int(p.name) for p in data_dir.iterdir() if p.is_dir() and p.name.isdigit())


def load_plan(root: Path = ROOT, year: int | None = None) -> Plan:
    """The validated plan of `year` (default: the latest year in data/). Raises PlanInvalid."""
    errors = Collector(root)
    years = _years(root, errors)
    year = years[-1] if year is None else year
    registry = read_registry(root, errors)
    plan = _Loader(root, root / "data", root / "data" / str(year), errors, registry).run()
    errors.raise_if_any()
    no_output_collisions(root, Editions(plans=frozen_map({plan.year: plan})), errors)
    return plan


def load_editions(root: Path = ROOT) -> Editions:
    """Every year's plan in data/, oldest first, sharing one registry. Raises PlanInvalid with the
    errors of all years at once."""
    errors = Collector(root)
    years = _years(root, errors)
    registry = read_registry(root, errors)
    plans = {year: _Loader(root, root / "data", root / "data" / str(year), errors, registry).run() for year in years}
    errors.raise_if_any()
    editions = Editions(plans=frozen_map(plans))
    no_output_collisions(root, editions, errors)
    return editions


def no_output_collisions(root: Path, editions: Editions, errors: Collector) -> None:
    """No id may take the address of a page or file the site makes, or of another id
    (workplan/outputs.py), checked on the loaded data with the site's layout from mkdocs.yml."""
    from .outputs import check_outputs, site_settings

    check_outputs(root, editions, None, errors, **site_settings(root))
    errors.raise_if_any()


def _years(root: Path, errors: Collector) -> list[int]:
    data_dir = root / "data"
    years = data_years(data_dir) if data_dir.is_dir() else []
    if not years:
        errors.add(data_dir, 0, "no-plan", "data/ 下没有任何年度目录（如 data/2020/）。", "按 data/README.md 新建年度目录。")
        errors.raise_if_any()
    return years


def read_registry(root: Path, errors: Collector) -> Registry | None:
    """data/units.yaml, shared by every edition (None, with errors, when it cannot be used)."""
    path = root / "data" / "units.yaml"
    raw = _read(path, "units", errors)
    return load_registry(path, raw, errors, idhistory.committed_ids(path)) if raw is not None else None


def _read(path: Path, schema_name: str, errors: Collector, optional: bool = False):
    if not os.path.lexists(path):   # a symlink or FIFO "exists": yamlio rejects it by name
        if not optional:
            errors.add(path, 0, "missing-file", f"缺少文件 {errors.rel(path)}。",
                       "恢复该文件（可从 git 历史中找回），或用 python -m workplan import 重新导入。")
        return None
    data = yamlio.load(path, errors, schema.max_depth(schema_name))
    if data is None:
        return None
    return data if schema.check(data, schema_name, path, errors) else None


class _Loader:
    def __init__(self, root: Path, data_dir: Path, year_dir: Path, errors: Collector, registry: Registry | None):
        self.root, self.data_dir, self.year_dir, self.errors = root, data_dir, year_dir, errors
        self.registry = registry

    # ------------------------------------------------------------------ reading
    def read(self, path: Path, schema_name: str, optional: bool = False):
        return _read(path, schema_name, self.errors, optional)

    def add(self, path: Path, line: int, key: str, message: str, hint: str = "") -> None:
        self.errors.add(path, line, key, message, hint)

    # ------------------------------------------------------------------ orchestration
    def run(self) -> Plan | None:
        units_path = self.data_dir / "units.yaml"
        doc_path, points_path, att_path = (self.year_dir / f for f in ("document.yaml", "points.yaml", "attachment.yaml"))
        if not any(os.path.lexists(p) for p in (doc_path, points_path, att_path)):
            self.add(self.year_dir, 0, "edition-without-document",
                     f"年度目录 {self.errors.rel(self.year_dir)}/ 中没有计划数据（document.yaml、points.yaml、attachment.yaml 都没有）。",
                     f"新年度的计划从原文导入：把原文存为 {self.errors.rel(self.year_dir)}/source.txt，运行 "
                     f"python -m workplan import {self.errors.rel(self.year_dir)}/source.txt；误建的目录请删除。")
            return None
        doc_raw = self.read(doc_path, "document")
        points_raw = self.read(points_path, "points")
        att_raw = self.read(att_path, "attachment")
        item_paths = sorted((self.year_dir / "items").glob("*.yaml")) if (self.year_dir / "items").is_dir() else []
        items_raw = {p: self.read(p, "items") for p in item_paths}
        links_path, errata_path = self.year_dir / "links.yaml", self.year_dir / "errata.yaml"
        links_raw = self.read(links_path, "links", optional=True) or {}
        errata_raw = self.read(errata_path, "errata", optional=True) or {"errata": []}

        registry = self.registry
        points = self.points(points_path, points_raw) if points_raw is not None else None
        categories = self.categories(att_path, att_raw) if att_raw is not None else None
        self.incomplete: set[str] = set()   # categories whose items could not be read: no count checks
        self.renumbered: set[str] = set()   # categories with numbering errors: their item ids are not reliable
        items = self.items(items_raw, categories, registry) if categories is not None and registry else None
        if items is not None and categories is not None and not self.incomplete:
            self.counts(att_path, att_raw, categories, items)
        if doc_raw is not None and doc_raw["year"] != int(self.year_dir.name):
            self.add(doc_path, doc_raw.line_of("year"), "year-mismatch",
                     f"year 写的是 {doc_raw['year']}，但文件在 data/{self.year_dir.name}/ 下。", "改正 year，或把文件放到对应年份的目录。")
        if None in (registry, points, categories, items, doc_raw):
            return None
        # Links and errata are checked even when other files have errors, so one run reports all.
        point_links = self.links(links_path, links_raw, categories, items, points)
        errata = self.errata(errata_path, errata_raw, items, points)
        if self.errors.errors:
            return None
        return self.build(doc_raw, points_raw, att_raw, registry, points, categories, items, point_links, errata,
                          {"units": units_path, "document": doc_path, "points": points_path,
                           "attachment": att_path, "links": links_path, "errata": errata_path})

    # ------------------------------------------------------------------ body: parts and points
    def points(self, path: Path, raw) -> dict[int, Point] | None:
        points: dict[int, Point] = {}
        before = len(self.errors.errors)
        expected = 1
        for p_index, part in enumerate(raw["parts"]):
            want = CN_NUMERALS[p_index] if p_index < len(CN_NUMERALS) else "?"
            if part["number"] != want:
                self.add(path, part.line_of("number"), "numbering-gap",
                         f"第 {p_index + 1} 个部分的编号是“{part['number']}”，应为“{want}”。", "按一、二、三……顺序编号，不要跳号或重复。")
            for entry in part["points"]:
                no = entry["number"]
                if no in points:
                    self.add(path, entry.line_of("number"), "duplicate-number", f"工作要点序号 {no} 重复。", "每个工作要点的序号唯一，从 1 起连续编号。")
                elif no != expected:
                    self.add(path, entry.line_of("number"), "numbering-gap", f"工作要点序号是 {no}，按顺序应为 {expected}。",
                             "工作要点从 1 起连续编号，跨部分接着编，不要跳号。")
                expected = no + 1
                points.setdefault(no, Point(no=no, part=part["number"], title=entry["title"], text=entry["text"],
                                            line=entry.line))
        self.points_ok = len(self.errors.errors) == before
        return points

    # ------------------------------------------------------------------ attachment structure
    def categories(self, path: Path, raw) -> dict[str, Category] | None:
        cats: dict[str, Category] = {}
        for p_index, part in enumerate(raw["parts"], start=1):
            self._expect_id(path, part, str(p_index))
            subs = part.get("categories", [])
            for s_index, sub in enumerate(subs, start=1):
                self._expect_id(path, sub, f"{p_index}-{s_index}")
            cats[part["id"]] = Category(id=part["id"], number=part["number"], title=part["title"],
                                        declared_count=part["declared_count"], label=part["number"],
                                        children=tuple(s["id"] for s in subs), line=part.line)
            for sub in subs:
                cats[sub["id"]] = Category(id=sub["id"], number=sub["number"], title=sub["title"],
                                           declared_count=sub["declared_count"], label=part["number"] + sub["number"],
                                           parent=part["id"], line=sub.line)
        return cats

    def _expect_id(self, path: Path, entry, want: str) -> None:
        if entry["id"] != want:
            self.add(path, entry.line_of("id"), "numbering-gap", f"类别标识是“{entry['id']}”，按顺序应为“{want}”。",
                     "部分的 id 依次为 1、2、3，小类为 3-1、3-2……，不要跳号或重复。")

    # ------------------------------------------------------------------ items
    def items(self, items_raw: dict, cats: dict[str, Category], registry: Registry) -> dict[str, list[Item]] | None:
        by_category: dict[str, list[Item]] = {}
        leaf_ids = [c.id for c in cats.values() if c.is_leaf]
        for path, raw in items_raw.items():
            if raw is None:
                self.incomplete.add(path.stem)
                continue
            cid = raw["category"]
            if cid not in cats or not cats[cid].is_leaf:
                self.add(path, raw.line_of("category"), "unknown-category", f"类别“{cid}”在 attachment.yaml 中不存在或不是最末一级。",
                         f"可用的类别：{'、'.join(leaf_ids)}。")
                self.incomplete.add(path.stem)
                continue
            if path.stem != cid:
                self.add(path, raw.line_of("category"), "category-file-mismatch",
                         f"文件名是 {path.name}，但 category 写的是“{cid}”。",
                         f"改正 category；或者{datafile.rename_hint(path, f'{cid}.yaml', self.errors)}。")
            if cid in by_category:
                self.add(path, raw.line_of("category"), "duplicate-category", f"类别“{cid}”的事项已在另一个文件中。",
                         "每个类别只用一个文件。")
                continue
            by_category[cid] = self._category_items(path, raw, cats[cid], registry)
        for cid in leaf_ids:
            if cid not in by_category:
                self.incomplete.add(cid)
            if cid not in by_category and not (self.year_dir / "items" / f"{cid}.yaml").is_file():
                self.add(self.year_dir / "items" / f"{cid}.yaml", 0, "missing-file",
                         f"类别“{cid}”（{cats[cid].heading}）没有事项文件。", f"新建 items/{cid}.yaml。")
        return by_category

    def _category_items(self, path: Path, raw, cat: Category, registry: Registry) -> list[Item]:
        out: list[Item] = []
        seen: dict[int, int] = {}
        rel = self.errors.rel(path)
        for index, entry in enumerate(raw["items"]):
            line, no = raw["items"].line_of(index), entry["number"]
            label = f"{cat.label}-{no}"
            if no in seen or no != index + 1:
                self.renumbered.add(cat.id)
            if no in seen:
                self.add(path, entry.line_of("number"), "duplicate-item", f"事项 {label}：序号 {no} 与第 {seen[no]} 行重复。",
                         "同一类别中序号唯一；改为正确的序号。")
            elif no != index + 1:
                self.add(path, entry.line_of("number"), "numbering-gap", f"事项 {label}：这是本类第 {index + 1} 项，序号却是 {no}。",
                         f"序号从 1 起连续编号；改为 {index + 1}，或检查是否漏了、多了一项。")
            seen.setdefault(no, line)
            roles = {role: self._entries(path, entry, role, label, registry) for role in ROLES}
            out.append(Item(id=f"{cat.id}-{no}", category=cat.id, part=cat.parent or cat.id, no=no, label=label,
                            text=entry["text"], lead=roles["lead"], responsible=roles["responsible"], file=rel, line=line))
        return out

    def _entries(self, path: Path, entry, role: str, label: str, registry: Registry) -> tuple[Entry, ...]:
        out, seen = [], set()
        for clause, printed, line in clauses(entry[role]):
            resolved = registry.resolve(printed, clause)
            if resolved is None:
                close = registry.suggest(printed)
                traditional = f"（“{printed}”用了繁体字，名录中是简体）" if close and to_simplified(printed) != printed else ""
                hint = (f"你是不是想写“{close[0]}”？{traditional}" + (f"（其他相近：{'、'.join(close[1:])}）" if close[1:] else "")
                        if close else "请核对文件原文；确为新单位时，先在 data/units.yaml 中登记。")
                self.add(path, line, "unknown-unit", f"事项 {label} 的{ROLES[role]}“{printed}”不在单位名录 data/units.yaml 中。", hint)
                continue
            key = (resolved.unit, resolved.group, resolved.others)
            if key in seen:
                self.add(path, line, "duplicate-unit", f"事项 {label} 的{ROLES[role]}中“{printed}”出现了两次。", "删除重复的一个。")
            seen.add(key)
            out.append(resolved)
        return tuple(out)

    # ------------------------------------------------------------------ declared counts
    def counts(self, path: Path, raw, cats: dict[str, Category], items: dict[str, list[Item]]) -> None:
        def actual(cid: str) -> int:
            cat = cats[cid]
            return sum(actual(c) for c in cat.children) if cat.children else len(items.get(cid, []))

        def check(entry, cid: str) -> None:
            have, want = actual(cid), entry["declared_count"]
            if have != want:
                cat = cats[cid]
                where = f"items/{cid}.yaml" if cat.is_leaf else "其下各小类"
                self.add(path, entry.line_of("declared_count"), "count-mismatch",
                         f"{cat.heading}声明共 {want} 项，实际 {where} 中有 {have} 项。",
                         "事项数与文件不符：检查是否误删、误增或把事项放错了类别；确需调整时同时改正 declared_count。")

        for part in raw["parts"]:
            check(part, part["id"])
            for sub in part.get("categories", []):
                check(sub, sub["id"])
        total = sum(actual(c.id) for c in cats.values() if c.parent is None)
        if total != raw["declared_count"]:
            self.add(path, raw.line_of("declared_count"), "count-mismatch",
                     f"附件声明共 {raw['declared_count']} 项，实际共有 {total} 项。", "核对各类别的事项数。")

    # ------------------------------------------------------------------ links and errata (curated)
    def links(self, path: Path, raw, cats, items, points):
        # A link to an item of a category whose numbering is broken would only repeat that error.
        return item_links(path, raw, cats, items, points, self.incomplete | self.renumbered,
                          getattr(self, "points_ok", True), self.add)

    def errata(self, path: Path, raw, items, points) -> list[tuple[str, Erratum]]:
        texts = {i.id: i.text for group in items.values() for i in group}
        texts.update({f"point-{n}": p.title + p.text for n, p in points.items()})
        out = []
        for index, entry in enumerate(raw["errata"]):
            line = raw["errata"].line_of(index)
            ref = entry["ref"]
            if ref not in texts and ref.rsplit("-", 1)[0] in self.incomplete:
                continue
            if ref not in texts:
                self.add(path, line, "errata-unknown-ref", f"勘误指向的“{ref}”不存在。", "事项写类别加序号（如 3-6-3），工作要点写 point-16。")
            elif entry["original"] not in texts[ref]:
                self.add(path, entry.line_of("original"), "errata-not-found", f"“{ref}”的文字中找不到“{entry['original']}”。", "original 须与原文逐字一致。")
            else:
                out.append((ref, Erratum(ref, entry["original"], entry["should_be"], entry.get("note"))))
        return out

    # ------------------------------------------------------------------ model
    def build(self, doc, points_raw, att, registry, points, cats, items, point_links, errata, paths) -> Plan:
        errata_of: dict[str, tuple[Erratum, ...]] = {}
        for ref, erratum in errata:
            errata_of[ref] = errata_of.get(ref, ()) + (erratum,)
        all_items = {}
        for cid in (c.id for c in cats.values() if c.is_leaf):
            for item in items.get(cid, []):
                all_items[item.id] = Item(**{**item.__dict__, "links": point_links[item.id],
                                             "errata": errata_of.get(item.id, ())})
        # One pass over the items for the point → items and category → items indexes (a scan per
        # point and per category would grow as points × items).
        by_point: dict[int, list[str]] = {}
        by_category: dict[str, list[str]] = {}
        for item in all_items.values():
            for no in dict.fromkeys(item.points):
                by_point.setdefault(no, []).append(item.id)
            by_category.setdefault(item.category, []).append(item.id)
        points_out = {}
        for no, point in points.items():
            linked = tuple(by_point.get(no, ()))
            points_out[no] = Point(**{**point.__dict__, "items": linked, "errata": errata_of.get(f"point-{no}", ())})
        cats_out = {}
        for cat in cats.values():
            # A part lists its sub-categories' items, which all_items holds in the same order.
            ids = tuple(iid for member in (cat.children or (cat.id,)) for iid in by_category.get(member, ()))
            # A category's points: where its items come from (each item's first link), not every point
            # that also names one of them (those show on the items).
            cat_points = tuple(sorted({all_items[i].links[0].point for i in ids if all_items[i].links}))
            file = f"data/{doc['year']}/items/{cat.id}.yaml" if cat.is_leaf else self.errors.rel(paths["attachment"])
            cats_out[cat.id] = Category(**{**cat.__dict__, "items": ids, "points": cat_points, "file": file})
        document = Document(
            year=doc["year"], issuer=doc["issuer"], doc_no=doc["doc_no"], title=doc["title"], date=doc["date"],
            general_requirements=doc["general_requirements"], requirements=tuple(doc["requirements"]),
            reporting_deadlines=tuple(doc["reporting_deadlines"]), notice_title=doc.get("notice_title", ""),
            addressees=doc.get("addressees", ""), notice_text=doc.get("notice_text", ""), signature=doc.get("signature", ""))
        body_parts = tuple(BodyPart(p["number"], p["title"], tuple(pt["number"] for pt in p["points"])) for p in points_raw["parts"])
        return Plan(year=doc["year"], document=document, body_parts=body_parts, points=frozen_map(points_out),
                    attachment_title=att["title"], declared_count=att["declared_count"],
                    categories=frozen_map(cats_out), items=frozen_map(all_items),
                    units=frozen_map(registry.units), groups=frozen_map(registry.groups),
                    files=frozen_map((k, self.errors.rel(v)) for k, v in paths.items()))



def clauses(value) -> list[tuple[int, str, int]]:
    """(clause, name, line) for a 牵头单位/责任单位 list as written in an items file: names, where an
    inner list is one "，"-separated part of the document's cell (`[[市发改委], [章贡区, 赣州蓉江新区]]`),
    and names outside inner lists form parts with their neighbours."""
    out, clause, open_clause = [], 0, False
    for index, element in enumerate(value):
        if isinstance(element, list):
            clause += open_clause
            out += [(clause, name, element.line_of(n)) for n, name in enumerate(element)]
            clause, open_clause = clause + 1, False
        else:
            out.append((clause, element, value.line_of(index)))
            open_clause = True
    return out
