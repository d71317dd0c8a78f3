"""Fixtures and helpers for tests on the plan data: expectations parsed from the source document,
and a disposable copy of data/ to break on purpose (imported by tests/conftest.py).

`seed` / `seed_rows` are parsed here, independently of workplan.importer (a different,
regex-only reading of data/2020/source.txt), so that a bug in the importer cannot hide
behind a test that shares its parser.
"""
from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # `pytest` as well as `python -m pytest` from the root
    sys.path.insert(0, str(PROJECT_ROOT))

from workplan.errors import DataError, PlanInvalid  # noqa: E402
from workplan.load import load_plan  # noqa: E402
from workplan.model import Plan  # noqa: E402

SOURCE = PROJECT_ROOT / "data" / "2020" / "source.txt"


@pytest.fixture(scope="session")
def ROOT() -> Path:  # noqa: N802 - the brief's name for it
    """The project root (the directory holding data/ and workplan/)."""
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def plan() -> Plan:
    """The real, committed data, loaded and validated once per session."""
    return load_plan(PROJECT_ROOT)


# --------------------------------------------------------------------------- the seed

def squash(text: str) -> str:
    """Drop every whitespace character (the PDF extraction scattered spaces and line breaks)."""
    return re.sub(r"\s+", "", text)


def fold(text: str) -> str:
    """Half-width brackets → full-width, so 各县(市、区) and 各县（市、区） compare equal."""
    return text.translate(str.maketrans("()", "（）"))


def split_cell(cell: str) -> list[str]:
    """A 牵头单位/责任单位 cell → names: split on 、，, unless inside brackets, as in 各县(市、区)."""
    # A separator is inside brackets when a closing bracket follows before any opening one.
    parts = re.split(r"[、，,](?![^（(]*[）)])", squash(cell))
    return [p for p in parts if p]


@dataclass(frozen=True)
class SeedRow:
    category: str        # "1", "2", "3-1" … "3-7"
    number: int          # official number within the category
    text: str            # cell as printed, whitespace removed
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    line: int            # line in source.txt

    @property
    def id(self) -> str:
        return f"{self.category}-{self.number}"


@dataclass(frozen=True)
class SeedCategory:
    id: str
    label: str           # "一", "三（一）"
    title: str
    declared_count: int


@dataclass
class Seed:
    doc_no: str = ""
    date: str = ""
    deadlines: list[str] = field(default_factory=list)
    parts: list[tuple[str, str, list[int]]] = field(default_factory=list)   # (numeral, title, point numbers)
    points: dict[int, str] = field(default_factory=dict)                    # number → paragraph, squashed, ** removed
    total: int = 0
    categories: dict[str, SeedCategory] = field(default_factory=dict)
    rows: list[SeedRow] = field(default_factory=list)


NUMERALS = "一二三四五六七八九十"
_PART = re.compile(rf"^([{NUMERALS}])、(.+)$")
_POINT = re.compile(r"^(\d+)\.\s*(.*)$")
_TOTAL = re.compile(r"^[（(]共(\d+)项[）)]$")
_TABLE_PART = re.compile(rf"^([{NUMERALS}])、(.+)[（(](\d+)项[）)]$")
_TABLE_SUB = re.compile(rf"^[（(]([{NUMERALS}])[）)](.+)[（(](\d+)项[）)]$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def parse_seed(source: str) -> Seed:
    seed = Seed()
    lines = source.splitlines()
    squashed = [squash(line) for line in lines]
    seed.doc_no = next(s for s in squashed if re.fullmatch(r"赣苏振领发〔\d{4}〕\d+号", s))
    y, m, d = next(map(int, match.groups()) for s in squashed if (match := _DATE.match(s)))
    seed.date = f"{y:04d}-{m:02d}-{d:02d}"

    # Body: from the first part heading (一、…) after the title to 附件：.
    title_at = squashed.index(f"赣南苏区振兴发展{y}年工作要点")
    body_start = next(i for i in range(title_at, len(squashed)) if _PART.match(squashed[i]))
    attachment_ref = next(i for i, s in enumerate(squashed) if s.startswith("附件："))
    current: int | None = None
    for s in squashed[body_start:attachment_ref]:
        if not s:
            continue
        if part := _PART.match(s):
            seed.parts.append((part.group(1), part.group(2), []))
            current = None
        elif point := _POINT.match(s):
            current = int(point.group(1))
            seed.parts[-1][2].append(current)
            seed.points[current] = point.group(2).replace("**", "")
        else:  # continuation after a page break (mid-sentence or a new paragraph of the point)
            assert current is not None, f"stray paragraph in the body: {s[:20]}"
            seed.points[current] += s.replace("**", "")

    # Attachment table.
    total_at = next(i for i, s in enumerate(squashed) if _TOTAL.match(s))
    seed.total = int(_TOTAL.match(squashed[total_at]).group(1))
    end = next(i for i, s in enumerate(squashed) if s.startswith("有关要求"))
    part_no, sub_no, cid = 0, 0, None
    for index in range(total_at + 1, end):
        cells = lines[index].split("\t")
        first = squash(cells[0])
        if not first or first == "序号":
            continue
        if m := _TABLE_PART.match(first):
            part_no, sub_no = NUMERALS.index(m.group(1)) + 1, 0
            cid = str(part_no)
            seed.categories[cid] = SeedCategory(cid, m.group(1), m.group(2), int(m.group(3)))
        elif m := _TABLE_SUB.match(first):
            sub_no = NUMERALS.index(m.group(1)) + 1
            cid = f"{part_no}-{sub_no}"
            label = f"{NUMERALS[part_no - 1]}（{m.group(1)}）"
            seed.categories[cid] = SeedCategory(cid, label, m.group(2), int(m.group(3)))
        elif first.isdigit():
            cells += [""] * (4 - len(cells))
            seed.rows.append(SeedRow(cid, int(first), squash(cells[1]), tuple(split_cell(cells[2])),
                                     tuple(split_cell(cells[3])), index + 1))
        else:
            raise AssertionError(f"source.txt:{index + 1}: unexpected table row {lines[index][:30]!r}")

    requirements = "".join(squashed[end + 1:])
    seed.deadlines = [f"{y:04d}-{int(mo):02d}-{int(da):02d}" for mo, da in re.findall(r"(\d{1,2})月(\d{1,2})日", requirements)]
    return seed


@pytest.fixture(scope="session")
def seed() -> Seed:
    """Everything the tests expect, read from data/2020/source.txt by this file's own parser."""
    return parse_seed(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_rows(seed: Seed) -> list[SeedRow]:
    """The 113 rows of the attachment table, in order, as printed."""
    return seed.rows


# --------------------------------------------------------------------------- a copy of data/ to break

class DataCopy:
    """data/ copied under `root`; edit files there, then load or validate the copy."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(PROJECT_ROOT / "data", root / "data")

    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        self.path(rel).parent.mkdir(parents=True, exist_ok=True)
        self.path(rel).write_text(text, encoding="utf-8")

    def write_bytes(self, rel: str, data: bytes) -> None:
        self.path(rel).parent.mkdir(parents=True, exist_ok=True)
        self.path(rel).write_bytes(data)

    def replace(self, rel: str, old: str, new: str, count: int = 1) -> None:
        """Replace `old` by `new`; `old` must occur exactly `count` times (a guard against stale tests)."""
        text = self.read(rel)
        found = text.count(old)
        assert found == count, f"{rel}: expected {count} occurrence(s) of {old!r}, found {found}"
        self.write(rel, text.replace(old, new))

    def line_of(self, rel: str, needle: str) -> int:
        """1-based line of the ORIGINAL file that is `needle` (ignoring indentation), or else the only
        line containing it."""
        lines = (PROJECT_ROOT / rel).read_text(encoding="utf-8").splitlines()
        hits = ([n for n, line in enumerate(lines, start=1) if line.strip() == needle.strip()]
                or [n for n, line in enumerate(lines, start=1) if needle in line])
        assert len(hits) == 1, f"{rel}: {needle!r} is on lines {hits}, expected exactly one"
        return hits[0]

    def load(self) -> Plan:
        return load_plan(self.root)

    def errors(self) -> list[DataError]:
        """The errors of the copy (fails the test when the copy is valid)."""
        with pytest.raises(PlanInvalid) as info:
            load_plan(self.root)
        return info.value.errors


@pytest.fixture
def data_copy(tmp_path: Path) -> DataCopy:
    """A fresh copy of data/ at tmp_path/"data", with helpers to edit it and load it (root=tmp_path)."""
    return DataCopy(tmp_path)
