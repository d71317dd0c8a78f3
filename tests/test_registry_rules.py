"""The registry's rules and the data model of issue 14, one test each, on copies of data/: names as each
edition's document writes them, explicit membership of groups, no generic word as a name, "X等单位",
the document's "，" groups, links to several points with their justification, a year without its
document."""
from __future__ import annotations

import subprocess

import pytest

from workplan import idhistory
from workplan.load import clauses
from workplan.model import NamePeriod, Unit
from workplan.registry import is_generic
from workplan.text import split_clauses

UNITS = "data/units.yaml"
LINKS = "data/2020/links.yaml"


def keyed(errors) -> set[tuple[str, int, str]]:
    return {(e.file, e.line, e.key) for e in errors}


# --------------------------------------------------------------------------- names through time

def test_each_edition_shows_the_name_its_document_writes():
    longnan = Unit("longnan", "龙南市", "县（市、区）", names=(NamePeriod("龙南县", until="2020-06"),))
    assert longnan.name_on("2020-04-03") == "龙南县" and longnan.name_on("2020-06-01") == "龙南市"
    assert longnan.name_on("2021-03-26") == "龙南市"
    assert longnan.other_names("2020-04-03") == (("龙南市", "2020年6月起为龙南市"),)
    assert longnan.other_names("2021-03-26") == (("龙南县", "原称龙南县（至2020年6月）"),)
    ybj = Unit("ybj", "赣州银保监分局", "驻市单位", names=(NamePeriod("国家金融监督管理总局赣州监管分局", since="2023"),))
    assert ybj.name_on("2020-04-03") == "赣州银保监分局" and ybj.name_on("2023-05-18") == "国家金融监督管理总局赣州监管分局"
    assert ybj.other_names("2020-04-03") == (("国家金融监督管理总局赣州监管分局", "2023年起为国家金融监督管理总局赣州监管分局"),)
    assert ybj.other_names("2024-01-01") == (("赣州银保监分局", "原称赣州银保监分局（至2023年）"),)
    assert longnan.all_names == ("龙南市", "龙南县")


def test_the_real_registry_names_longnan_as_the_2020_document_does(plan):
    assert plan.document.date == "2020-04-03"
    assert plan.name_of("longnan") == "龙南县" and plan.units["longnan"].name == "龙南市"
    assert plan.name_of("ybj") == "赣州银保监分局" and plan.name_of("ganxian") == "赣县区"
    printed = {e.printed for i in plan.items.values() for e in i.responsible if e.unit == "longnan"}
    assert printed == {"龙南县"}    # as the 2020 attachment writes it, in 三（三）4 and 8


@pytest.mark.parametrize("period, message", [
    ("{name: 龙南县}", "没有写使用的起止时间"),
    ("{name: 龙南县, since: 2020-06, until: 2019}", "不早于结束"),
    ("{name: 龙南市, until: 2020-06}", "就是现在的名称"),
])
def test_a_name_period_must_make_sense(data_copy, period, message):
    data_copy.replace(UNITS, "      - {name: 龙南县, until: 2020-06}", f"      - {period}")
    errors = [e for e in data_copy.errors() if e.key == "name-period"]
    assert len(errors) == 1 and message in errors[0].message
    assert errors[0].line == data_copy.line_of(UNITS, "      - {name: 龙南县, until: 2020-06}")


def test_name_periods_may_not_overlap(data_copy):
    data_copy.replace(UNITS, "      - {name: 龙南县, until: 2020-06}",
                      "      - {name: 龙南县, until: 2020-06}\n      - {name: 虔南县, until: 2019}")
    assert [e.key for e in data_copy.errors()] == ["name-period"]


def test_an_earlier_name_belongs_to_one_unit(data_copy):
    data_copy.replace(UNITS, "      - {name: 龙南县, until: 2020-06}",
                      "      - {name: 龙南县, until: 2020-06}\n      - {name: 全南县, until: 2019}")
    [error] = [e for e in data_copy.errors() if e.key == "duplicate-name"]
    assert "全南县" in error.message and error.line == data_copy.line_of(UNITS, "  - id: longnan")


# --------------------------------------------------------------------------- generic words

@pytest.mark.parametrize("word", ["单位", "部门", "有关部门", "有关单位", " 单 位 "])
def test_generic_words_are_generic(word):
    assert is_generic(word)


@pytest.mark.parametrize("word", ["市直有关单位", "市直有关部门", "市财政局"])
def test_names_are_not_generic(word):
    assert not is_generic(word)


def test_no_generic_word_is_an_alias(data_copy):
    data_copy.replace(UNITS, "  - id: city-units\n    name: 市直有关单位\n    aliases: []",
                      "  - id: city-units\n    name: 市直有关单位\n    aliases: [单位]")
    errors = data_copy.errors()
    assert [e.key for e in errors] == ["generic-name"]
    assert errors[0].line == data_copy.line_of(UNITS, "  - id: city-units") and "等单位" in errors[0].hint


def test_x_deng_danwei_is_x_and_unnamed_others_credited_to_x_only(plan):
    [entry] = [e for e in plan.items["3-5-5"].responsible if e.printed == "市政府金融办等单位"]
    assert (entry.unit, entry.group, entry.others) == ("jrb", None, True)
    # 市政府金融办 is named in 三（五）5; no other city department is credited with it.
    assert [i.item for i in plan.involvement["jrb"] if i.item == "3-5-5"] == ["3-5-5"]
    credited = {uid for uid, inv in plan.involvement.items() if any(i.item == "3-5-5" for i in inv)}
    assert credited == {"fgw", "shangwuj", "gxj", "kjj", "wgxlj", "jtysj", "jrb"}


def test_a_generic_word_alone_names_nobody(data_copy):
    data_copy.replace("data/2020/items/3-7.yaml", "    responsible: [市科技局]\n", "    responsible: [有关部门]\n")
    [error] = data_copy.errors()
    assert error.key == "unknown-unit" and "有关部门" in error.message


# --------------------------------------------------------------------------- membership

def test_membership_is_what_the_registry_says(plan):
    city = plan.groups["city-and-stationed-depts"].members
    assert {"glj", "kab", "gjlg", "gzgdgs", "gzjcfgs", "swj", "gzhg", "rmyh", "ybj"} <= set(city)
    assert not {"gzzbq", "gzjkq", "rjxq", "jxlg", "xunwu"} & set(city)
    assert set(plan.groups["city-depts"].members) == set(plan.groups["city-units"].members)
    assert {"gjlg", "glj"} <= set(plan.groups["city-depts"].members)
    assert not {"gzgdgs", "gzjcfgs", "swj"} & set(plan.groups["city-depts"].members)
    assert len(plan.groups["all-counties"].members) == 18
    assert all(u.member_of == ("all-counties",) for u in plan.counties)


def test_membership_to_an_unknown_group_is_an_error(data_copy):
    data_copy.replace(UNITS, "    kind: 高校/科研\n    member_of: []\n    aliases: []\n    note: null\n  - id: gnyxy",
                      "    kind: 高校/科研\n    member_of: [universities]\n    aliases: []\n    note: null\n  - id: gnyxy")
    [error] = data_copy.errors()
    assert error.key == "unknown-group" and "universities" in error.message
    assert error.line == data_copy.line_of(UNITS, "  - id: jxlg")


def test_a_group_without_members_is_an_error(data_copy):
    text = data_copy.read(UNITS).replace("[city-and-stationed-depts, city-depts, city-units]",
                                         "[city-and-stationed-depts, city-depts]")
    data_copy.write(UNITS, text)
    [error] = data_copy.errors()
    assert error.key == "empty-group" and "市直有关单位" in error.message


# --------------------------------------------------------------------------- the document's "，" groups

def test_the_document_groups_in_a_cell_are_kept(plan):
    assert [[e.printed for e in c] for c in plan.items["3-1-26"].clauses("responsible")] == \
        [["市发改委"], ["章贡区", "赣州蓉江新区"]]
    assert [[e.printed for e in c] for c in plan.items["2-10"].clauses("responsible")] == \
        [["市直有关部门"], ["各县（市、区）", "赣州经开区", "赣州蓉江新区"]]
    assert [[e.printed for e in c] for c in plan.items["3-4-10"].clauses("responsible")] == \
        [["市财政局", "市扶贫办", "市农业农村局"], ["各县(市、区)"]]
    grouped = {i.id for i in plan.items.values() for role in ("lead", "responsible") if len(i.clauses(role)) > 1}
    assert grouped == {"2-10", "3-1-26", "3-4-10"}     # the three cells of the source that use "，"


@pytest.mark.parametrize("cell, want", [
    ("市发改委，章贡区、赣州蓉江新区", [["市发改委"], ["章贡区", "赣州蓉江新区"]]),
    ("市财政局、 市税务局、 赣州海关", [["市财政局", "市税务局", "赣州海关"]]),
    ("各县(市、区)、赣州经开区", [["各县(市、区)", "赣州经开区"]]),
    ("市直有关部门，各县（市、区）", [["市直有关部门"], ["各县（市、区）"]]),
    ("", []),
])
def test_split_clauses(cell, want):
    assert split_clauses(cell) == want


def test_clauses_in_an_items_file():
    from workplan.yamlio import Sequence

    def seq(*values, line=5):
        s = Sequence(values)
        s.item_lines = [line] * len(values)
        return s
    assert [(c, n) for c, n, _ in clauses(seq("甲", "乙"))] == [(0, "甲"), (0, "乙")]
    assert [(c, n) for c, n, _ in clauses(seq(seq("甲"), seq("乙", "丙")))] == [(0, "甲"), (1, "乙"), (1, "丙")]
    assert [(c, n) for c, n, _ in clauses(seq("甲", seq("乙", "丙"), "丁"))] == [(0, "甲"), (1, "乙"), (1, "丙"), (2, "丁")]


# --------------------------------------------------------------------------- links

def test_a_link_quote_must_be_in_the_point(data_copy):
    data_copy.replace(LINKS, "quote: 信丰电厂}", "quote: 信丰发电厂}")
    [error] = data_copy.errors()
    assert error.key == "link-quote-not-found" and "信丰发电厂" in error.message and "第 6 点" in error.message
    assert error.line == data_copy.line_of(LINKS, '"3-3-9"')


def test_a_link_to_a_missing_point_is_an_error(data_copy):
    data_copy.replace(LINKS, '"3-3-6": [{point: 6,', '"3-3-6": [{point: 60,')
    [error] = data_copy.errors()
    assert error.key == "link-unknown-point" and "60" in error.message


def test_a_point_given_twice_counts_once(data_copy):
    data_copy.replace(LINKS, '"1-7": 3 ', '"1-7": [3, 3] ')
    plan = data_copy.load()
    assert plan.items["1-7"].points == (3,)


# --------------------------------------------------------------------------- editions

def test_a_year_folder_without_its_document(data_copy):
    (data_copy.root / "data/2021").mkdir()
    (data_copy.root / "data/2021/source.txt").write_text("…", encoding="utf-8")
    from workplan.errors import PlanInvalid
    from workplan.load import load_editions

    with pytest.raises(PlanInvalid) as info:
        load_editions(data_copy.root)
    [error] = info.value.errors
    assert (error.file, error.line, error.key) == ("data/2021", 0, "edition-without-document")
    assert "python -m workplan import data/2021/source.txt" in error.hint


# --------------------------------------------------------------------------- ids already published

def _commit(root, message: str) -> None:
    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                       capture_output=True)
    if not (root / ".git").exists():
        git("init", "-q")
    git("add", "data/units.yaml")
    git("commit", "-q", "-m", message)


def test_ids_added_reads_the_added_id_lines_of_a_patch():
    patch = ("diff --git a/data/units.yaml b/data/units.yaml\n"
             "+  - id: czj\n"
             "+  - id: \"fgw\"   # quoted, with a comment\n"
             "+    former_ids: [old]\n"
             "-  - id: gone\n"
             " - id: context\n"
             "+    name: 市财政局 id: no\n")
    assert idhistory.ids_added(patch) == {"czj", "fgw"}


def test_a_unit_given_a_new_id_without_its_former_id_is_an_error(data_copy):
    _commit(data_copy.root, "the registry as published")
    data_copy.replace(UNITS, "  - id: fpb\n", "  - id: xczxj\n")
    [error] = data_copy.errors()
    assert (error.file, error.line, error.key) == (UNITS, data_copy.line_of(UNITS, "- id: fpb"), "id-removed")
    assert "fpb" in error.message and "xczxj" in error.message and "former_ids: [fpb]" in error.hint
    # The fix the hint gives makes the registry valid, and the old id still finds the unit.
    data_copy.replace(UNITS, "  - id: xczxj\n", "  - id: xczxj\n    former_ids: [fpb]\n")
    assert data_copy.load().units["xczxj"].former_ids == ("fpb",)


def test_a_removed_id_with_no_successor_points_at_the_units_list(data_copy):
    _commit(data_copy.root, "the registry as published")
    data_copy.replace(UNITS, "  - id: fpb\n", "  - id: xczxj\n")
    data_copy.replace(UNITS, "  - id: sthjj\n", "  - id: sthj\n")
    errors = data_copy.errors()
    assert {(e.line, e.key) for e in errors} == {(data_copy.line_of(UNITS, "units:"), "id-removed")}
    assert sorted(e.message.split("”")[0] for e in errors) == ["id“fpb", "id“sthjj"]
    assert all("former_ids" in e.hint for e in errors)


def test_without_git_history_the_rule_is_skipped(data_copy):
    data_copy.replace(UNITS, "  - id: fpb\n", "  - id: xczxj\n")
    assert "xczxj" in data_copy.load().units
