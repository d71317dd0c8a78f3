"""The units registry (data/units.yaml), shared by every edition: loading it with its rules, and
resolving unit names as the documents write them (a name, an earlier or later name, an alias,
"甲等乙") to registry ids, with a "did you mean" suggestion for near misses.

Rules the registry keeps (each a small function below, reported with file:line):
- ids and former ids are unique (`duplicate-id`); a name means one unit or group (`duplicate-name`);
- no generic word is ever a name or an alias (`generic-name`): "单位" or "有关部门" alone names
  nobody, so "市政府金融办等单位" means 市政府金融办 and unnamed others, credited to 市政府金融办 only;
- a name period has a since or an until, since before until, and periods do not overlap
  (`name-period`); the current name is not repeated as a period (`name-period`);
- membership of a collective group is explicit, per unit (`member_of`); a unit cannot belong to a
  group that does not exist (`unknown-group`), and every group has members (`empty-group`);
- an id the registry had in any commit stays an id or a former id (`id-removed`): its pages and
  files were published, and a unit renamed with a new id keeps the old one in former_ids.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .chars import without_invisible
from .errors import Collector
from .model import Entry, Group, NamePeriod, Unit
from .text import fold_brackets, to_simplified

# Words that name no one in particular: never a unit's or a group's name or alias. After "等" they
# mean "and others the document does not name".
GENERIC_WORDS = ("单位", "部门", "有关单位", "有关部门", "相关单位", "相关部门", "其他单位", "其他部门",
                 "各单位", "各部门", "等单位", "等部门")


def name_key(name: str) -> str:
    """Names match regardless of bracket width and stray spaces."""
    return fold_brackets("".join(name.split()))


def is_generic(name: str) -> bool:
    return name_key(name) in {name_key(w) for w in GENERIC_WORDS}


@dataclass
class Registry:
    units: dict[str, Unit]
    groups: dict[str, Group]

    def __post_init__(self):
        self.by_name: dict[str, tuple[str, str]] = {}   # folded name → ("unit"|"group", id)
        for kind, table in (("unit", self.units), ("group", self.groups)):
            for obj in table.values():
                for name in (obj.all_names if kind == "unit" else (obj.name, *obj.aliases)):
                    self.by_name.setdefault(name_key(name), (kind, obj.id))

    def lookup(self, name: str) -> tuple[str, str] | None:
        return self.by_name.get(name_key(name))

    def resolve(self, printed: str, clause: int = 0) -> Entry | None:
        """An Entry for a list entry, or None if it names nothing in the registry."""
        found = self.lookup(printed)
        if found:
            kind, ident = found
            return Entry(printed, unit=ident, clause=clause) if kind == "unit" else Entry(printed, group=ident, clause=clause)
        # "甲等乙": unit 甲 and the collective 乙 (市发改委等市直(驻市)部门), or 甲 and unnamed others
        # when 乙 is a generic word (市政府金融办等单位).
        for at, ch in enumerate(printed):
            if ch != "等":
                continue
            left, right = self.lookup(printed[:at]), printed[at + 1:]
            if not left or left[0] != "unit":
                continue
            group = self.lookup(right)
            if group and group[0] == "group":
                return Entry(printed, unit=left[1], group=group[1], split=at, clause=clause)
            if is_generic(right):
                return Entry(printed, unit=left[1], split=at, others=True, clause=clause)
        return None

    def suggest(self, printed: str) -> list[str]:
        """Canonical names close to a name that did not resolve: first the name it is once invisible
        characters are dropped and traditional characters simplified (市財政局 → 市财政局), then
        near misses of that."""
        key = name_key(to_simplified(without_invisible(printed)))
        close = [key] if key in self.by_name else []
        close += difflib.get_close_matches(key, list(self.by_name), n=3, cutoff=0.6)
        # Missing or extra 市 prefix and substrings are the common slips in Chinese names.
        close += [k for k in self.by_name if k.lstrip("市") == key.lstrip("市") or (len(key) >= 2 and key in k)]
        out: list[str] = []
        for k in close:
            name = self._canonical(k)
            if name not in out:
                out.append(name)
        return out[:3]

    def _canonical(self, folded: str) -> str:
        kind, ident = self.by_name[folded]
        return (self.units if kind == "unit" else self.groups)[ident].name


# ============================================================================ loading data/units.yaml

def load_registry(path: Path, raw, errors: Collector, history: frozenset[str] | None = None) -> Registry:
    """The registry from the parsed, schema-valid units.yaml; every rule's problem goes to `errors`.
    history: the ids of earlier versions of the file (idhistory.committed_ids), None to skip."""
    def add(line: int, key: str, message: str, hint: str = "") -> None:
        errors.add(path, line, key, message, hint)

    ids: dict[str, int] = {}
    names: dict[str, tuple[str, int]] = {}
    units: dict[str, Unit] = {}
    for section in ("units", "groups"):
        for index, entry in enumerate(raw[section]):
            line = raw[section].line_of(index)
            claim_ids(entry, line, ids, add)
            own = [entry["name"], *entry.get("aliases", []), *(n["name"] for n in entry.get("names", []))]
            claim_names(entry["id"], own, line, names, add)
            for name in own:
                generic_name(name, line, add)
            if section == "units":
                periods = tuple(NamePeriod(n["name"], str(n.get("since", "")), str(n.get("until", "")))
                                for n in entry.get("names", []))
                name_periods(entry["name"], periods, entry.get("names"), add)
                units[entry["id"]] = Unit(
                    id=entry["id"], name=entry["name"], kind=entry["kind"], full_name=entry.get("full_name"),
                    aliases=tuple(entry.get("aliases", [])), division=entry.get("division"),
                    mentions=tuple(entry.get("mentions", [])), not_mentions=tuple(entry.get("not_mentions", [])),
                    former_ids=tuple(entry.get("former_ids", [])), note=entry.get("note"), names=periods,
                    member_of=tuple(entry.get("member_of", [])), line=line)
    if history is not None:
        kept_ids(raw, history, set(ids), add)
    group_ids = [g["id"] for g in raw["groups"]]
    for index, entry in enumerate(raw["units"]):
        known_groups(entry, group_ids, raw["units"].line_of(index), add)
    groups = {}
    for index, entry in enumerate(raw["groups"]):
        members = tuple(u.id for u in units.values() if entry["id"] in u.member_of)
        if not members:
            add(raw["groups"].line_of(index), "empty-group", f"集体“{entry['name']}”没有任何成员单位。",
                f"在属于它的每个单位下写 member_of: [{entry['id']}]（见 data/README.md 的“集体”一节）。")
        groups[entry["id"]] = Group(id=entry["id"], name=entry["name"], members=members,
                                    aliases=tuple(entry.get("aliases", [])), note=entry.get("note"),
                                    line=raw["groups"].line_of(index))
    return Registry(units, groups)


def claim_ids(entry, line: int, seen: dict[str, int], add) -> None:
    """An id or former id is used by one entry only (ids appear in page addresses)."""
    for claimed in (entry["id"], *entry.get("former_ids", [])):
        if claimed in seen:
            add(line, "duplicate-id", f"标识“{claimed}”已被第 {seen[claimed]} 行的条目使用。",
                "每个单位的 id 必须唯一（也不能与别的单位的 former_ids 相同）；换一个未用过的 id。")
        seen.setdefault(claimed, line)


def kept_ids(raw, history: frozenset[str], claimed: set[str], add) -> None:
    """An id of an earlier version of the registry is still an id or a former id. The message
    points at the unit that looks like its successor: the one unit whose id is new."""
    new = [(index, entry["id"]) for index, entry in enumerate(raw["units"]) if entry["id"] not in history]
    for old in sorted(history - claimed):
        if len(new) == 1:
            index, successor = new[0]
            add(raw["units"].line_of(index), "id-removed",
                f"id“{old}”在本文件以前的版本中使用过，现在没有了；“{successor}”是新出现的 id。",
                f"如果是同一个单位改了 id，在“{successor}”条目下加一行 former_ids: [{old}]，"
                f"旧网址 units/{old}/ 和该单位以前的报送文件才能对上新页面；如果不是，恢复 id“{old}”的条目。")
        else:
            add(raw.line_of("units"), "id-removed",
                f"id“{old}”在本文件以前的版本中使用过，现在没有了（页面 units/{old}/ 或 counties/{old}/ 已经发布）。",
                f"单位改 id 时，把旧 id 写进新条目的 former_ids（例如 former_ids: [{old}]）；"
                "已发布的 id 不能删除，单位撤销时保留它的条目并在 note 中说明。")


def claim_names(ident: str, own: list[str], line: int, seen: dict[str, tuple[str, int]], add) -> None:
    """A name (current, earlier, later or alias) belongs to one unit or group."""
    for name in own:
        key = name_key(name)
        if key in seen and seen[key][0] != ident:
            add(line, "duplicate-name", f"名称“{name}”已属于第 {seen[key][1]} 行的“{seen[key][0]}”，同一名称不能指两个单位。",
                "删除其中一处，或改用能区分两者的名称。")
        seen.setdefault(key, (ident, line))


def generic_name(name: str, line: int, add) -> None:
    """"单位", "有关部门" … name nobody: never a name or an alias."""
    if is_generic(name):
        add(line, "generic-name", f"“{name}”是泛称，不能作为单位或集体的名称、别名。",
            "删除这个别名。文件写“市政府金融办等单位”时，表示市政府金融办和文件未列出的其他单位，只计入市政府金融办，不需要别名。")


def name_periods(name: str, periods: tuple[NamePeriod, ...], raw_names, add) -> None:
    """Each period has a since or an until, since < until, the periods do not overlap, and none
    repeats the current name."""
    for index, period in enumerate(periods):
        line = raw_names.line_of(index)
        if not period.since and not period.until:
            add(line, "name-period", f"名称“{period.name}”没有写使用的起止时间。",
                "写 until: 2020-06（用到何时，之后改名）或 since: 2023-05（从何时起使用）。")
        elif period.since and period.until and period.since >= period.until:
            add(line, "name-period", f"名称“{period.name}”的起始 {period.since} 不早于结束 {period.until}。", "检查年月。")
        if period.name == name:
            add(line, "name-period", f"“{period.name}”就是现在的名称 name，不用再写进 names。",
                "names 只写其他时期的名称（改名前的旧名、改名后的新名）。")
    for a, b in ((a, b) for i, a in enumerate(periods) for b in periods[i + 1:]):
        starts = max(a.since or "0000", b.since or "0000")
        ends = min(a.until or "9999", b.until or "9999")
        if starts < ends:
            add(raw_names.line, "name-period", f"名称“{a.name}”和“{b.name}”的使用时间重叠。",
                "同一时间只能有一个名称：调整 since / until。")


def known_groups(entry, group_ids: list[str], line: int, add) -> None:
    for gid in entry.get("member_of", []):
        if gid not in group_ids:
            close = difflib.get_close_matches(gid, group_ids, n=1)
            add(line, "unknown-group", f"单位“{entry['name']}”的 member_of 中的集体“{gid}”不存在。",
                (f"你是不是想写“{close[0]}”？" if close else "") + f"集体的 id：{'、'.join(group_ids)}。")
