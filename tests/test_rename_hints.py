"""A hint never tells anyone to rename or move a file onto a name that is already taken: every
"改名为 X" / "移到 D/" in a hint is checked against the folder, in each situation where the loaders
give such advice, both with the target free (the advice is given) and taken (it is not; the hint
says to merge instead).
"""
from __future__ import annotations

import re

import pytest

from workplan.errors import PlanInvalid
from workplan.progress import load_plan_and_progress

H1, H2 = "data/2020/progress/2020-H1", "data/2020/progress/2020-H2"


def report(unit: str, rnd: str = "2020-H1", day: str = "2020-06-20") -> str:
    # 寻乌县 (xunwu) and 市政府金融办 (jrb) may both report on 3-1-8.
    return (f"unit: {unit}\nround: {rnd}\nreports:\n  - item: 3-1-8\n    status: 推进中\n"
            f"    date: {day}\n    description: 进展正常。\n")


def errors(data_copy):
    with pytest.raises(PlanInvalid) as info:
        load_plan_and_progress(data_copy.root)
    return info.value.errors


def advice(error) -> list[str]:
    """Every file or folder the hint tells the reader to rename or move the file to."""
    return re.findall(r"改名为 (\S+?\.yaml)", error.hint) + re.findall(r"移到 (\S+?)/ 目录", error.hint)


def assert_no_advice_onto_existing_files(data_copy, found) -> None:
    for error in found:
        folder = data_copy.path(error.file).parent
        for target in advice(error):
            where = data_copy.path(target) if "/" in target else folder / target
            assert not where.exists(), f"hint renames onto an existing file: {error}"


def one(found, file: str, key: str):
    [error] = [e for e in found if (e.file, e.key) == (file, key)]
    return error


# (the file written, its content, the file whose existence decides the advice, the error key,
#  the advice given while that file does not exist)
CASES = {
    "unit-mismatch": (f"{H1}/jrb.yaml", report("xunwu"), f"{H1}/xunwu.yaml", "unit-mismatch", "改名为 xunwu.yaml"),
    "wrong-extension": (f"{H1}/jrb.yml", report("jrb"), f"{H1}/jrb.yaml", "wrong-extension", "改名为 jrb.yaml"),
    "round-mismatch": (f"{H2}/jrb.yaml", report("jrb"), f"{H1}/jrb.yaml", "round-mismatch", f"移到 {H1}/ 目录"),
    "unknown-round": ("data/2020/progress/2020-h1/jrb.yaml", report("jrb", "2020-h1"), f"{H1}/jrb.yaml",
                      "unknown-round", f"移到 {H1}/ 目录"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("taken", [False, True], ids=["target-free", "target-taken"])
def test_rename_or_move_advice(data_copy, case, taken):
    rel, content, target, key, advice_given = CASES[case]
    data_copy.write(rel, content)
    if taken:
        data_copy.write(target, report("xunwu" if "xunwu" in target else "jrb"))
    found = errors(data_copy)
    assert_no_advice_onto_existing_files(data_copy, found)
    error = one(found, rel, key)
    assert (advice_given in error.hint) is not taken
    assert ("已经存在" in error.hint and "合并" in error.hint) is taken


@pytest.mark.parametrize("name", ["市政府金融办.yaml", "jrbb.yaml", "kjr.yaml"])
@pytest.mark.parametrize("taken", [False, True], ids=["target-free", "target-taken"])
def test_file_named_after_a_unit(data_copy, name, taken):
    """A Chinese name, a near-miss id and a former id (kjr, added below) all suggest jrb.yaml."""
    data_copy.replace("data/units.yaml", "  - id: jrb\n", "  - id: jrb\n    former_ids: [kjr]\n")
    data_copy.write(f"{H1}/{name}", report("jrb"))
    if taken:
        data_copy.write(f"{H1}/jrb.yaml", report("jrb"))
    found = errors(data_copy)
    assert_no_advice_onto_existing_files(data_copy, found)
    error = one(found, f"{H1}/{name}", "unknown-unit")
    assert "jrb.yaml" in error.hint
    assert ("已经存在" in error.hint) is taken
    if taken:
        assert "改名为 jrb.yaml" not in error.hint


@pytest.mark.parametrize("taken", [False, True], ids=["target-free", "target-taken"])
def test_items_file_whose_category_names_another_file(data_copy, taken):
    """items/x.yaml says `category: 3-7`: rename it to 3-7.yaml — unless 3-7.yaml is there."""
    data_copy.write("data/2020/items/x.yaml", data_copy.read("data/2020/items/3-7.yaml"))
    if not taken:
        data_copy.path("data/2020/items/3-7.yaml").unlink()
    found = errors(data_copy)
    assert_no_advice_onto_existing_files(data_copy, found)
    error = one(found, "data/2020/items/x.yaml", "category-file-mismatch")
    assert ("改名为 3-7.yaml" in error.hint) is not taken
