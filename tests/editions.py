"""The two-edition project the tests build (issue 14): this repository's data and docs, plus a 2021
plan made from tests/fixtures/edition-2021/ (an invented document derived from the 2020 text; its
README lists what differs) — imported by the real importer, as a maintainer adds a new year — and
the registry changes a new year brings: 市扶贫办 renamed 市乡村振兴局 with a new id (the old id kept
in former_ids), 龙南县 written 龙南市 (already in the registry's names)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_fixtures import build_copy, project_copy

from workplan import importer

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "edition-2021"

FORMER_IDS = {"fpb": "xczxj"}   # the registry change below: old id → new id
RENAMED_FPB = """  - id: xczxj                # 2021 年起为市乡村振兴局；旧 id fpb 保留，旧网址 units/fpb/ 自动跳转
    former_ids: [fpb]
    name: 市乡村振兴局
    full_name: 赣州市乡村振兴局
    kind: 市直部门
    member_of: [city-and-stationed-depts, city-depts, city-units]
    aliases: []
    names:
      - {name: 市扶贫办, until: 2021-03}
    note: 2021 年由市扶贫办重组为市乡村振兴局。
"""


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: {old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_2021(project: Path) -> Path:
    """Add the 2021 edition to a project copy (as a maintainer would: source, import, curation)."""
    year_dir = project / "data" / "2021"
    year_dir.mkdir()
    shutil.copy(FIXTURE / "source.txt", year_dir / "source.txt")
    importer.write(year_dir / "source.txt", year_dir)
    shutil.copy(FIXTURE / "links.yaml", year_dir / "links.yaml")
    (year_dir / "progress").mkdir()
    shutil.copy(FIXTURE / "progress" / "rounds.yaml", year_dir / "progress" / "rounds.yaml")
    units = project / "data" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    start = text.index("  - id: fpb\n")
    end = text.index("  - id: ", start + 1)
    units.write_text(text[:start] + RENAMED_FPB + text[end:], encoding="utf-8")
    return project


def two_edition_project(dest: Path) -> Path:
    return add_2021(project_copy(dest))


@pytest.fixture(scope="session")
def two_edition_site(tmp_path_factory) -> Path:
    """The two-edition project built with --strict (directory URLs, as served over HTTP)."""
    root = tmp_path_factory.mktemp("two-editions")
    return build_copy(two_edition_project(root / "project"), root / "site")
