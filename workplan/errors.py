"""Errors a maintainer can act on: file, line, what is wrong, how to fix it.

Messages are in Chinese for the office staff who edit data/, each with a stable English
key (e.g. ``unknown-unit``) that tests, docs and search engines can refer to.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import chars


@dataclass(frozen=True, order=True)
class DataError:
    file: str          # path relative to the project root, e.g. data/2020/items/3-1.yaml
    line: int          # 1-based; 0 when the problem concerns the whole file
    key: str           # stable English key, e.g. "unknown-unit"
    message: str       # what is wrong (Chinese)
    hint: str = ""     # what to do about it (Chinese)
    column: int = 0    # 1-based character column where known (syntax and character errors), else 0

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        where += f":{self.column}" if self.line and self.column else ""
        text = f"{where}: [{self.key}] {self.message}"
        return f"{text}\n    → {self.hint}" if self.hint else text


class PlanInvalid(Exception):
    """Raised with every error found in one run, not just the first."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(set(errors))
        super().__init__(self.report())

    def report(self) -> str:
        head = f"数据校验失败：共 {len(self.errors)} 处错误 (data validation failed: {len(self.errors)} error(s))"
        return "\n".join([head, *map(str, self.errors)])


class Collector:
    """Accumulates errors so a single run reports all of them."""

    def __init__(self, root: Path):
        self.root = root
        self.errors: list[DataError] = []

    def rel(self, path: Path) -> str:
        """`path` relative to the project root, worked out from the names alone: resolving would
        follow a symlink and print where it points (e.g. /etc/passwd) instead of the file in data/."""
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))).as_posix()

    def add(self, path: Path, line: int, key: str, message: str, hint: str = "", column: int = 0) -> None:
        self.errors.append(DataError(chars.shown(self.rel(path), line_breaks=True), line, key,
                                     *name_hidden_characters(message, hint), column))

    def raise_if_any(self) -> None:
        if self.errors:
            raise PlanInvalid(self.errors)


def name_hidden_characters(message: str, hint: str) -> tuple[str, str]:
    """A message that quotes a value with an invisible character (a name that fails to match only
    because of a zero-width space, say) shows each as ⟨U+200B⟩ and names it: otherwise the value
    in the message looks exactly like the right one. A line break or tab in a quoted value is
    shown the same way, so that every message stays on its file:line line."""
    found = chars.invisible_in(message + hint, line_breaks=True)
    if not found:
        return message, hint
    names = "、".join(map(chars.name, found))
    text, end = (message[:-1], "。") if message.endswith("。") else (message, "")
    return (f"{chars.shown(text, line_breaks=True)}（文字中有看不见的字符 {names}，文中以 ⟨…⟩ 标出）{end}",
            f"{chars.shown(hint, line_breaks=True)}删除看不见的字符（常见于从网页、Word 或聊天软件复制的文字）。")
