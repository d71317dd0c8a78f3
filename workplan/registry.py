"""Resolve unit names as written in the data (canonical name, alias, "甲等乙") to registry ids,
with a "did you mean" suggestion for near misses."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from .chars import without_invisible
from .model import Entry, Group, Unit
from .text import fold_brackets, to_simplified


def name_key(name: str) -> str:
    """Names match regardless of bracket width and stray spaces."""
    return fold_brackets("".join(name.split()))


@dataclass
class Registry:
    units: dict[str, Unit]
    groups: dict[str, Group]

    def __post_init__(self):
        self.by_name: dict[str, tuple[str, str]] = {}   # folded name → ("unit"|"group", id)
        for kind, table in (("unit", self.units), ("group", self.groups)):
            for obj in table.values():
                for name in (obj.name, *obj.aliases):
                    self.by_name.setdefault(name_key(name), (kind, obj.id))

    def lookup(self, name: str) -> tuple[str, str] | None:
        return self.by_name.get(name_key(name))

    def resolve(self, printed: str) -> Entry | None:
        """An Entry for a list entry, or None if it names nothing in the registry."""
        found = self.lookup(printed)
        if found:
            kind, ident = found
            return Entry(printed, unit=ident) if kind == "unit" else Entry(printed, group=ident)
        # "甲等乙": unit 甲 and the collective 乙 (e.g. 市发改委等市直(驻市)部门, 市政府金融办等单位).
        for at, ch in enumerate(printed):
            if ch != "等":
                continue
            left, right = self.lookup(printed[:at]), self.lookup(printed[at + 1:])
            if left and right and left[0] == "unit" and right[0] == "group":
                return Entry(printed, unit=left[1], group=right[1], split=at)
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
