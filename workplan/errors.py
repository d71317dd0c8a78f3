"""Errors a maintainer can act on: file, line, what is wrong, how to fix it.

Messages are in Chinese for the office staff who edit data/, each with a stable English
key (e.g. ``unknown-unit``) that tests, docs and search engines can refer to.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class DataError:
    file: str          # path relative to the project root, e.g. data/2020/items/3-1.yaml
    line: int          # 1-based; 0 when the problem concerns the whole file
    key: str           # stable English key, e.g. "unknown-unit"
    message: str       # what is wrong (Chinese)
    hint: str = ""     # what to do about it (Chinese)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
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
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def add(self, path: Path, line: int, key: str, message: str, hint: str = "") -> None:
        self.errors.append(DataError(self.rel(path), line, key, message, hint))

    def raise_if_any(self) -> None:
        if self.errors:
            raise PlanInvalid(self.errors)
