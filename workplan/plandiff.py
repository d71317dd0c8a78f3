"""What a change does to the plan, as Markdown for a pull request's job summary.

    python -m workplan diff <base data dir> <head data dir>

Both sides are loaded and validated with `workplan.load.load_plan` (every year found in each
data/ folder), then compared as a reader of the plan would: items added, removed, moved or
changed (text, lead and responsible units, linked work point, errata), items only renumbered,
units and collective groups added / removed / renamed / changed, work points, categories and
their declared counts, document metadata. A side that fails validation is reported with its
error report instead of a comparison; a missing or empty data folder (a base from before data/
existed) compares as "no data", so everything shows as added.

Items are matched by content, not only by number: removing item 5 of a category renumbers
6, 7, … and the summary says "one removed, N renumbered", not "N changed".
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PlanInvalid
from .load import data_years, load_plan
from .model import Item, Plan

NONE = "（无）"
DETAILS_OVER = 30          # lists longer than this go into a collapsed <details>
CONTEXT = 12               # characters of context around a change in long texts
SHORT_TEXT = 80            # texts up to this length are shown whole (old → new)

UNIT_FIELDS = {"full_name": "全称", "kind": "类型", "division": "建制", "aliases": "别名", "names": "其他时期的名称",
               "member_of": "所属集体", "mentions": "正文提及词", "not_mentions": "排除词", "former_ids": "旧标识",
               "note": "备注"}
GROUP_FIELDS = {"members": "成员", "aliases": "别名", "note": "备注"}
DOCUMENT_FIELDS = {"title": "标题", "doc_no": "文号", "issuer": "发文机关", "date": "日期",
                   "notice_title": "通知标题", "addressees": "主送", "notice_text": "通知正文", "signature": "落款",
                   "general_requirements": "总体要求", "requirements": "有关要求",
                   "reporting_deadlines": "报送截止日期"}


# ---------------------------------------------------------------------------------- Markdown helpers

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&])")


def md(text) -> str:
    """Data text for inline Markdown: punctuation escaped, line breaks shown as ↵."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\r", "").replace("\n", " ↵ ")


def names(entries) -> str:
    return "、".join(md(e.printed) for e in entries) or NONE


def show(value) -> str:
    if value is None or value == "" or value == ():
        return NONE
    if isinstance(value, (tuple, list)):
        return "、".join(md(v) for v in value) or NONE
    return md(value)


def text_change(old: str, new: str) -> str:
    """“old” → “new” for short texts; for long ones only the changed stretches, with context:
    …前文~~删去的~~**加上的**后文…"""
    if len(old) <= SHORT_TEXT and len(new) <= SHORT_TEXT:
        return f"“{md(old)}” → “{md(new)}”"
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        # Widen to whole numbers / Latin words: 750 → 800 reads better than 7~~5~~**0**0.
        while i1 > 0 and j1 > 0 and old[i1 - 1] == new[j1 - 1] and old[i1 - 1].isascii() and old[i1 - 1].isalnum():
            i1, j1 = i1 - 1, j1 - 1
        while i2 < len(old) and j2 < len(new) and old[i2] == new[j2] and old[i2].isascii() and old[i2].isalnum():
            i2, j2 = i2 + 1, j2 + 1
        before, after = old[max(0, i1 - CONTEXT):i1], old[i2:i2 + CONTEXT]
        removed = f"~~{md(old[i1:i2])}~~" if i2 > i1 else ""
        added = f"**{md(new[j1:j2])}**" if j2 > j1 else ""
        parts.append(f"{'…' if i1 > CONTEXT else ''}{md(before)}{removed}{added}{md(after)}"
                     f"{'…' if i2 + CONTEXT < len(old) else ''}")
    shown = " ⋯ ".join(parts[:6]) + (f" ⋯（另有 {len(parts) - 6} 处）" if len(parts) > 6 else "")
    return f"{shown}（~~删去~~ **加上**）"


def bullet_list(lines: list[str], what: str) -> list[str]:
    """A Markdown list, collapsed when long."""
    if len(lines) <= DETAILS_OVER:
        return lines + [""]
    return [f"<details><summary>展开 {len(lines)} 条{what}</summary>", "", *lines, "", "</details>", ""]


def fence(report: str) -> list[str]:
    ticks = "`" * max(3, max((len(m) for m in re.findall(r"`+", report)), default=0) + 1)
    return [f"{ticks}text", report, ticks, ""]


# ---------------------------------------------------------------------------------- loading

@dataclass
class Side:
    label: str                               # 基准 / 本次
    plans: dict[int, Plan] = field(default_factory=dict)
    failures: dict[int | None, str] = field(default_factory=dict)   # year (None: whole data/) → report
    empty: bool = False                      # no data/ at all, or no year in it

    @property
    def years(self) -> set[int]:
        return set(self.plans) | {y for y in self.failures if y is not None}

    @property
    def any_plan(self) -> Plan | None:
        return next(iter(self.plans.values()), None)


def load_side(label: str, data_dir: Path) -> Side:
    side = Side(label)
    data_dir = Path(data_dir)
    years = data_years(data_dir) if data_dir.is_dir() else []
    if not years:
        side.empty = True
        return side
    scratch = None
    try:
        if data_dir.name == "data":
            root = data_dir.parent
        else:  # load_plan reads <root>/data: lend it a root that has one
            scratch = Path(tempfile.mkdtemp(prefix="plandiff-"))
            shutil.copytree(data_dir, scratch / "data")
            root = scratch
        for year in years:
            try:
                side.plans[year] = load_plan(root, year)
            except PlanInvalid as exc:
                side.failures[year] = exc.report()
            except Exception as exc:  # noqa: BLE001 - a summary must not crash on data the loader chokes on
                side.failures[year] = f"读取失败 (could not load): {type(exc).__name__}: {exc}"
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return side


# ---------------------------------------------------------------------------------- items

@dataclass
class ItemChanges:
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    moved: list[tuple[Item, Item]] = field(default_factory=list)
    changed: list[tuple[Item, Item]] = field(default_factory=list)
    renumbered: list[tuple[Item, Item]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.added, self.removed, self.moved, self.changed, self.renumbered))


def _item_facets(item: Item) -> tuple:
    return (item.text, tuple(e.printed for e in item.lead), tuple(e.printed for e in item.responsible),
            item.points, tuple((e.original, e.should_be, e.note) for e in item.errata))


def _pair_block(old: list[Item], new: list[Item]) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    """Pair the items of one replaced stretch: in place when the counts agree, else by similar text."""
    if len(old) == len(new):
        return list(zip(old, new)), [], []
    pairs, used, start = [], set(), 0
    for b in old:
        best, best_ratio = None, 0.5
        for j in range(start, len(new)):
            ratio = difflib.SequenceMatcher(None, b.text, new[j].text, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = j, ratio
        if best is not None:
            pairs.append((b, new[best]))
            used.add(best)
            start = best + 1
    paired_old = {id(p[0]) for p in pairs}
    return pairs, [b for b in old if id(b) not in paired_old], [h for j, h in enumerate(new) if j not in used]


def diff_items(base: Plan | None, head: Plan | None) -> ItemChanges:
    out = ItemChanges()
    old_items = list(base.items.values()) if base else []
    new_items = list(head.items.values()) if head else []
    categories = list(dict.fromkeys([i.category for i in old_items] + [i.category for i in new_items]))
    pairs: list[tuple[Item, Item]] = []
    for cid in categories:
        old = [i for i in old_items if i.category == cid]
        new = [i for i in new_items if i.category == cid]
        matcher = difflib.SequenceMatcher(None, [i.text for i in old], [i.text for i in new], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                pairs += list(zip(old[i1:i2], new[j1:j2]))
            elif op == "delete":
                out.removed += old[i1:i2]
            elif op == "insert":
                out.added += new[j1:j2]
            else:
                block_pairs, gone, came = _pair_block(old[i1:i2], new[j1:j2])
                pairs += block_pairs
                out.removed += gone
                out.added += came
    # An item that left one category and arrived in another with the same text has moved.
    for b in list(out.removed):
        match = next((h for h in out.added if "".join(h.text.split()) == "".join(b.text.split())), None)
        if match is not None:
            out.removed.remove(b)
            out.added.remove(match)
            out.moved.append((b, match))
    for b, h in pairs:
        if _item_facets(b) != _item_facets(h):
            out.changed.append((b, h))
        elif b.id != h.id:
            out.renumbered.append((b, h))
    return out


def _item_title(item: Item) -> str:
    return f"**{md(item.label)}**（`{item.id}`）"


def _pair_title(b: Item, h: Item) -> str:
    if b.id == h.id:
        return _item_title(h)
    return f"**{md(b.label)} → {md(h.label)}**（`{b.id}` → `{h.id}`）"


def _item_line(item: Item) -> str:
    return (f"- {_item_title(item)}：{md(item.text)} — 牵头：{names(item.lead)}；"
            f"责任：{names(item.responsible)}")


def _list_change(old: tuple[str, ...], new: tuple[str, ...]) -> str:
    gained = [n for n in new if n not in old]
    lost = [n for n in old if n not in new]
    detail = "，".join(([f"增加 {'、'.join(map(md, gained))}"] if gained else []) +
                      ([f"去掉 {'、'.join(map(md, lost))}"] if lost else []))
    if not detail:
        detail = "顺序调整"
    return f"{show(old)} → {show(new)}（{detail}）"


def _item_change_lines(b: Item, h: Item) -> list[str]:
    lines = [f"- {_pair_title(b, h)}"]
    if b.text != h.text:
        lines.append(f"  - 文字：{text_change(b.text, h.text)}")
    for role, label in (("lead", "牵头单位"), ("responsible", "责任单位")):
        old = tuple(e.printed for e in b.entries(role))
        new = tuple(e.printed for e in h.entries(role))
        if old != new:
            lines.append(f"  - {label}：{_list_change(old, new)}")
    if b.points != h.points:
        lines.append(f"  - 对应工作要点：{show(b.points)} → {show(h.points)}")
    if _item_facets(b)[4] != _item_facets(h)[4]:
        lines.append(f"  - 勘误标注：{show([f'{e.original}→{e.should_be}' for e in b.errata])} → "
                     f"{show([f'{e.original}→{e.should_be}' for e in h.errata])}")
    return lines


def item_section(changes: ItemChanges) -> list[str]:
    out: list[str] = []
    if changes.added:
        out += [f"#### 新增事项（{len(changes.added)} 项）", ""]
        out += bullet_list([_item_line(i) for i in changes.added], "新增事项")
    if changes.removed:
        out += [f"#### 删除事项（{len(changes.removed)} 项）", ""]
        out += bullet_list([_item_line(i) for i in changes.removed], "删除事项")
    if changes.moved:
        out += [f"#### 移动到其他类别的事项（{len(changes.moved)} 项）", ""]
        lines = []
        for b, h in changes.moved:
            lines.append(f"- {_pair_title(b, h)}：{md(h.text)}")
            lines += _item_change_lines(b, h)[1:]
        out += bullet_list(lines, "移动")
    if changes.changed:
        out += [f"#### 修改事项（{len(changes.changed)} 项）", ""]
        lines = [line for b, h in changes.changed for line in _item_change_lines(b, h)]
        out += bullet_list(lines, "修改")
    if changes.renumbered:
        out += [f"#### 仅序号变化的事项（{len(changes.renumbered)} 项，内容未变；事项页面的网址随序号改变）", ""]
        out += bullet_list([f"- {md(b.label)} → {md(h.label)}（`{b.id}` → `{h.id}`）：{md(h.text[:30])}"
                            f"{'…' if len(h.text) > 30 else ''}" for b, h in changes.renumbered], "序号变化")
    return out


# ---------------------------------------------------------------------------------- other parts of a year

def point_section(base: Plan | None, head: Plan | None) -> list[str]:
    old = dict(base.points) if base else {}
    new = dict(head.points) if head else {}
    lines = []
    for no in sorted(set(old) | set(new)):
        b, h = old.get(no), new.get(no)
        if b is None:
            lines.append(f"- 新增第 {no} 点：**{md(h.title)}** {md(h.text[:60])}{'…' if len(h.text) > 60 else ''}")
        elif h is None:
            lines.append(f"- 删除第 {no} 点：**{md(b.title)}**")
        else:
            facets = []
            if b.title != h.title:
                facets.append(f"  - 标题：{text_change(b.title, h.title)}")
            if b.text != h.text:
                facets.append(f"  - 正文：{text_change(b.text, h.text)}")
            if b.part != h.part:
                facets.append(f"  - 所属部分：{md(b.part)} → {md(h.part)}")
            if facets:
                lines += [f"- 第 {no} 点 **{md(h.title)}**", *facets]
    old_parts = {p.number: p.title for p in base.body_parts} if base else {}
    new_parts = {p.number: p.title for p in head.body_parts} if head else {}
    for number in dict.fromkeys([*old_parts, *new_parts]):
        if old_parts.get(number) != new_parts.get(number):
            lines.append(f"- 正文第{number}部分标题：{show(old_parts.get(number))} → {show(new_parts.get(number))}")
    if not lines:
        return []
    return ["#### 工作要点", "", *bullet_list(lines, "工作要点变化")]


def _category_name(cat) -> str:
    return md(f"{cat.label}{'、' if cat.parent is None else ''}{cat.title}")


def category_section(base: Plan | None, head: Plan | None) -> tuple[list[str], int]:
    """(lines, number of declared counts that changed)."""
    old = dict(base.categories) if base else {}
    new = dict(head.categories) if head else {}
    structure, counts = [], []
    for cid in dict.fromkeys([*old, *new]):
        b, h = old.get(cid), new.get(cid)
        name = f"{_category_name(h or b)}（`{cid}`）"
        if b is None:
            structure.append(f"- 新增类别：{name}，声明 {h.declared_count} 项")
        elif h is None:
            structure.append(f"- 删除类别：{name}")
        else:
            if (b.number, b.title) != (h.number, h.title):
                structure.append(f"- 类别 `{cid}`：{_category_name(b)} → {_category_name(h)}")
            if b.declared_count != h.declared_count:
                counts.append(f"- {name}：{b.declared_count} → {h.declared_count}")
    if base and head and base.declared_count != head.declared_count:
        counts.append(f"- 附件合计：{base.declared_count} → {head.declared_count}")
    out = []
    if structure:
        out += ["#### 类别", "", *structure, ""]
    if counts:
        out += ["#### 声明的事项数（declared_count）", "", *counts, ""]
    return out, len(counts)


def document_section(base: Plan | None, head: Plan | None) -> list[str]:
    if base is None or head is None:
        return []
    lines = []
    for name, label in DOCUMENT_FIELDS.items():
        b, h = getattr(base.document, name), getattr(head.document, name)
        if b == h:
            continue
        if isinstance(b, str) and isinstance(h, str):
            lines.append(f"- {label}：{text_change(b, h)}")
        else:
            lines.append(f"- {label}：{show(b)} → {show(h)}")
    if base.attachment_title != head.attachment_title:
        lines.append(f"- 附件标题：{text_change(base.attachment_title, head.attachment_title)}")
    return ["#### 文件信息（document.yaml）", "", *lines, ""] if lines else []


# ---------------------------------------------------------------------------------- units registry

@dataclass
class UnitChanges:
    lines: dict[str, list[str]] = field(default_factory=dict)   # heading → bullet lines
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, heading: str, line: str, count_as: str) -> None:
        self.lines.setdefault(heading, []).append(line)
        self.counts[count_as] = self.counts.get(count_as, 0) + 1


def _field_changes(old, new, fields: dict[str, str], skip: set[str] = frozenset()) -> list[str]:
    out = []
    for name, label in fields.items():
        if name in skip:
            continue
        b, h = getattr(old, name), getattr(new, name)
        if b != h:
            if isinstance(b, tuple) or isinstance(h, tuple):
                out.append(f"{label} {_list_change(tuple(b or ()), tuple(h or ()))}")
            else:
                out.append(f"{label} {show(b)} → {show(h)}")
    return out


def diff_units(base: Plan | None, head: Plan | None) -> UnitChanges:
    out = UnitChanges()
    old_units = dict(base.units) if base else {}
    new_units = dict(head.units) if head else {}
    former = {old_id: u for u in new_units.values() for old_id in u.former_ids}
    for uid, h in new_units.items():
        b = old_units.get(uid)
        if b is None:
            previous = next((old_units[f] for f in h.former_ids if f in old_units), None)
            if previous is None:
                out.add("新增单位", f"- **{md(h.name)}**（`{uid}`，{md(h.kind)}）", "新增")
                continue
            b = previous
            out.add("标识变更", f"- **{md(h.name)}**：`{b.id}` → `{uid}`（旧标识在 former_ids 中，旧网址自动跳转）", "标识变更")
        if b.name != h.name:
            kept = "names" if b.name in (n.name for n in h.names) else "aliases" if b.name in h.aliases else None
            note = f"，旧名已记入 {kept}" if kept else "；⚠️ 旧名未写入 names（或 aliases），按旧名书写的单位将无法识别"
            out.add("单位改名", f"- **{md(b.name)}** → **{md(h.name)}**（`{uid}`{note}）", "改名")
            # The old name moving into names or aliases (and a former name becoming the name) is the
            # rename itself, not a change of its own.
            aliases = (set(b.aliases) - {h.name}) | ({b.name} if kept == "aliases" else set())
            if aliases == set(h.aliases):
                b = dataclasses.replace(b, aliases=h.aliases)
            names = {n.name for n in b.names} - {h.name} | ({b.name} if kept == "names" else set())
            if names == {n.name for n in h.names}:
                b = dataclasses.replace(b, names=h.names)
        skip = {"former_ids"} if b.id != uid else set()
        facets = _field_changes(b, h, UNIT_FIELDS, skip)
        if facets:
            out.add("单位信息修改", f"- **{md(h.name)}**（`{uid}`）：{'；'.join(facets)}", "修改")
    for uid, b in old_units.items():
        if uid not in new_units and uid not in former:
            out.add("删除单位", f"- **{md(b.name)}**（`{uid}`，{md(b.kind)}）；⚠️ 其页面网址将失效——若只是改了 id，"
                            "请把旧 id 写进新条目的 former_ids", "删除")
    old_groups = dict(base.groups) if base else {}
    new_groups = dict(head.groups) if head else {}
    for gid in dict.fromkeys([*old_groups, *new_groups]):
        b, h = old_groups.get(gid), new_groups.get(gid)
        if b is None:
            out.add("集体（collective groups）", f"- 新增集体 **{md(h.name)}**（`{gid}`，{len(h.members)} 个成员）", "集体")
        elif h is None:
            out.add("集体（collective groups）", f"- 删除集体 **{md(b.name)}**（`{gid}`）", "集体")
        else:
            facets = ([f"名称 {md(b.name)} → {md(h.name)}"] if b.name != h.name else []) + \
                     _field_changes(b, h, GROUP_FIELDS)
            if facets:
                out.add("集体（collective groups）", f"- **{md(h.name)}**（`{gid}`）：{'；'.join(facets)}", "集体")
    return out


ORDER = ("新增单位", "删除单位", "单位改名", "标识变更", "单位信息修改", "集体（collective groups）")


def unit_section(changes: UnitChanges) -> list[str]:
    if not changes.lines:
        return []
    out = ["### 单位名录（data/units.yaml）", ""]
    for heading in ORDER:
        if heading in changes.lines:
            lines = changes.lines[heading]
            out += [f"#### {heading}（{len(lines)}）", "", *bullet_list(lines, heading)]
    return out


# ---------------------------------------------------------------------------------- the summary

def _count_phrase(pairs) -> str:
    return "，".join(f"{label} {n} {unit}" for label, n, unit in pairs if n)


def diff_markdown(base_data_dir: Path, head_data_dir: Path) -> str:
    """A Markdown summary (Chinese) of what changes from base_data_dir to head_data_dir."""
    base = load_side("基准", Path(base_data_dir))
    head = load_side("本次", Path(head_data_dir))
    out = ["## 计划数据变更摘要", ""]
    summary: list[str] = []
    body: list[str] = []

    for side, what in ((head, "本次修改后的数据"), (base, "基准版本（目标分支）的数据")):
        for year, report in sorted(side.failures.items(), key=lambda kv: kv[0] or 0):
            body += [f"### ⚠️ {what}未通过校验（{year} 年）", "",
                     "无法比较这一年的计划内容。下面是校验报告（与 `make validate` 的输出相同）：", "", *fence(report)]
            summary.append(f"- ⚠️ **{what}未通过校验**（{year} 年），见下文")
    if base.empty and not head.empty:
        summary.append("- 基准版本没有计划数据：以下全部为新增")

    for year in sorted(base.years | head.years):
        if year in base.failures or year in head.failures:
            continue
        b, h = base.plans.get(year), head.plans.get(year)
        items = diff_items(b, h)
        section: list[str] = []
        section += item_section(items)
        section += point_section(b, h)
        cat_lines, count_changes = category_section(b, h)
        section += cat_lines
        section += document_section(b, h)
        if b is None:
            summary.append(f"- **{year} 年计划（新增）**：{len(h.points)} 个工作要点，{len(h.items)} 项事项")
        elif h is None:
            summary.append(f"- **{year} 年计划（整年删除）**：原有 {len(b.points)} 个工作要点，{len(b.items)} 项事项")
        elif section:
            phrase = _count_phrase((("新增", len(items.added), "项"), ("删除", len(items.removed), "项"),
                                    ("移动", len(items.moved), "项"), ("修改", len(items.changed), "项"),
                                    ("仅序号变化", len(items.renumbered), "项")))
            extras = "；".join(x for x in (
                f"事项：{phrase}" if phrase else "",
                "工作要点有变化" if any(l.startswith("#### 工作要点") for l in section) else "",
                f"声明的事项数变化 {count_changes} 处" if count_changes else "",
                "文件信息有变化" if any(l.startswith("#### 文件信息") for l in section) else "") if x)
            summary.append(f"- **{year} 年**：{extras or '类别有变化'}")
        if section:
            title = f"### {year} 年计划" + ("（新增）" if b is None else "（删除）" if h is None else "")
            body += [title, "", *section]

    if (base.plans or base.empty) and (head.plans or head.empty):
        units = diff_units(base.any_plan, head.any_plan)
        if units.lines:
            phrase = _count_phrase([(k, units.counts.get(k, 0), "个") for k in ("新增", "删除", "改名", "标识变更", "修改")] +
                                   [("集体变化", units.counts.get("集体", 0), "处")])
            summary.append(f"- **单位名录**：{phrase}")
            body += unit_section(units)

    if not summary and not body:
        out += ["无变化：本次修改没有改变计划数据（事项、单位、工作要点、类别和声明的事项数、文件信息均相同）。", ""]
        return "\n".join(out)
    out += [*summary, "", *body]
    return "\n".join(out).rstrip() + "\n"
