"""The committed data against the source document: every item, point and count verbatim,
the units registry, errata, point links, and the importer reproducing data/2020/ exactly.

Expectations come from the `seed` fixture (conftest.py's own parser of source.txt), never
from workplan.importer.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from workplan.importer import render_all
from workplan.model import COUNTY_KIND, ZONE_KIND
from workplan.registry import Registry

COUNTIES = ["章贡区", "南康区", "赣县区", "信丰县", "大余县", "上犹县", "崇义县", "安远县", "定南县",
            "全南县", "宁都县", "于都县", "兴国县", "会昌县", "寻乌县", "石城县", "瑞金市", "龙南市"]
ZONES = ["赣州经开区", "赣州蓉江新区"]
GENERATED = ["document.yaml", "points.yaml", "attachment.yaml",
             *(f"items/{c}.yaml" for c in ("1", "2", "3-1", "3-2", "3-3", "3-4", "3-5", "3-6", "3-7"))]


def squash(text: str) -> str:
    """Drop all whitespace (as conftest.squash; not imported: tests/browser/ has its own conftest)."""
    return re.sub(r"\s+", "", text)


def fold(text: str) -> str:
    return text.translate(str.maketrans("()", "（）"))


def unit_id(plan, name: str) -> str:
    [found] = [u.id for u in plan.units.values() if u.name == name]
    return found


def printed(entries) -> list[str]:
    return [fold(squash(e.printed)) for e in entries]


# --------------------------------------------------------------------------- items

def test_all_113_items_present_in_official_order(plan, seed_rows):
    assert len(seed_rows) == 113
    assert list(plan.items) == [row.id for row in seed_rows]


def test_item_text_verbatim(plan, seed_rows):
    wrong = {row.id: (plan.items[row.id].text, row.text) for row in seed_rows
             if squash(plan.items[row.id].text) != row.text}
    assert not wrong


def test_item_category_and_number(plan, seed, seed_rows):
    for row in seed_rows:
        item = plan.items[row.id]
        assert (item.category, item.no) == (row.category, row.number), row.id
        assert item.part == row.category.split("-")[0]
        assert item.file == f"data/2020/items/{row.category}.yaml"


def test_item_label_as_documented(plan, seed, seed_rows):
    for row in seed_rows:
        assert plan.items[row.id].label == f"{seed.categories[row.category].label}-{row.number}"


def test_item_lead_and_responsible_units_as_printed(plan, seed_rows):
    for row in seed_rows:
        item = plan.items[row.id]
        assert printed(item.lead) == [fold(n) for n in row.lead], row.id
        assert printed(item.responsible) == [fold(n) for n in row.responsible], row.id
        assert item.lead, f"{row.id} has no 牵头单位"


def test_every_entry_resolves(plan):
    for item in plan.items.values():
        for entry in item.lead + item.responsible:
            assert entry.unit in plan.units or entry.group in plan.groups, (item.id, entry)


def test_item_line_points_at_its_entry(plan, ROOT):
    for item in plan.items.values():
        line = (ROOT / item.file).read_text(encoding="utf-8").splitlines()[item.line - 1]
        assert line.strip() == f"- number: {item.no}", item.id


# --------------------------------------------------------------------------- categories and counts

def test_categories_titles_and_labels(plan, seed):
    assert list(plan.categories) == list(seed.categories)
    for cid, expected in seed.categories.items():
        cat = plan.categories[cid]
        assert (cat.label, cat.title) == (expected.label, expected.title), cid


def test_declared_counts_as_printed(plan, seed):
    assert plan.declared_count == seed.total == 113
    declared = {cid: plan.categories[cid].declared_count for cid in plan.categories}
    assert declared == {cid: c.declared_count for cid, c in seed.categories.items()}
    assert declared == {"1": 11, "2": 13, "3": 89, "3-1": 38, "3-2": 8, "3-3": 11, "3-4": 10, "3-5": 10,
                        "3-6": 7, "3-7": 5}


def test_declared_counts_match_the_items(plan):
    assert len(plan.items) == plan.declared_count
    for cat in plan.categories.values():
        assert len(cat.items) == cat.declared_count, cat.id
    assert plan.categories["3"].children == tuple(f"3-{n}" for n in range(1, 8))
    assert [c.id for c in plan.parts] == ["1", "2", "3"]


# --------------------------------------------------------------------------- body

def test_21_points_verbatim(plan, seed):
    assert sorted(plan.points) == list(range(1, 22)) == sorted(seed.points)
    for no, paragraph in seed.points.items():
        point = plan.points[no]
        assert point.no == no
        assert point.title and not point.title.startswith("**")
        assert squash(point.title + point.text) == paragraph, no


def test_point_titles(plan):
    # The bold ones (marked ** in the extraction) and the first-sentence ones.
    assert plan.points[2].title == "争取一批重大事项纳入“十四五”规划。"
    assert plan.points[1].title == "争取国家出台新一轮支持政策文件和延续《若干意见》重大政策及机制。"
    assert plan.points[21].title == "严格督查考评。"
    assert plan.points[14].text.count("\n") == 1  # a second paragraph after a page break


def test_four_body_parts(plan, seed):
    assert [(p.number, p.title, list(p.points)) for p in plan.body_parts] == seed.parts
    assert [p.number for p in plan.body_parts] == ["一", "二", "三", "四"]
    for part in plan.body_parts:
        assert all(plan.points[n].part == part.number for n in part.points)


# --------------------------------------------------------------------------- document

def test_document_metadata(plan, seed):
    doc = plan.document
    assert plan.year == doc.year == 2020
    assert doc.doc_no == seed.doc_no == "赣苏振领发〔2020〕1号"
    assert doc.date == seed.date == "2020-04-03"
    assert list(doc.reporting_deadlines) == seed.deadlines == ["2020-06-30", "2020-12-30"]
    assert doc.issuer == "赣南苏区振兴发展工作领导小组"
    assert doc.title == "赣南苏区振兴发展2020年工作要点"
    assert len(doc.requirements) == 3
    assert plan.attachment_title == "2020年赣南苏区振兴发展拟“北上”争取支持的重大事项"


# --------------------------------------------------------------------------- registry

def test_18_counties_in_official_order(plan):
    assert [u.name for u in plan.counties] == COUNTIES
    assert all(u.kind == COUNTY_KIND for u in plan.counties)
    assert [u.division for u in plan.counties] == ["区"] * 3 + ["县"] * 13 + ["县级市"] * 2


def test_two_functional_zones(plan):
    zones = [u for u in plan.units.values() if u.name in ZONES]
    assert [u.name for u in zones] == ZONES
    assert all(u.kind == ZONE_KIND and u.is_place and not u.is_county for u in zones)
    assert [u.name for u in plan.places][: len(COUNTIES) + 2] == COUNTIES + ZONES


def test_shangyou_present_but_never_named(plan):
    shangyou = unit_id(plan, "上犹县")
    assert all(shangyou not in item.unit_ids(role) for item in plan.items.values() for role in ("lead", "responsible"))
    assert plan.involved(shangyou, "lead") == plan.involved(shangyou, "responsible") == ()
    assert plan.involved(shangyou, "responsible", collective=True)  # only through 各县（市、区）


def test_longnan_xian_resolves_to_longnan_shi(plan):
    longnan = unit_id(plan, "龙南市")
    entries = [e for item in plan.items.values() for e in item.responsible if e.printed == "龙南县"]
    assert len(entries) == 2  # 三（三）4 and 三（三）8
    assert all(e.unit == longnan for e in entries)
    assert {i.id for i in plan.involved(longnan, "responsible")} == {"3-3-4", "3-3-8"}
    registry = Registry(dict(plan.units), dict(plan.groups))
    assert registry.resolve("龙南县").unit == longnan


def test_all_counties_group_is_exactly_the_18(plan):
    group = plan.groups["all-counties"]
    assert group.name == "各县（市、区）"
    assert sorted(group.members) == sorted(unit_id(plan, n) for n in COUNTIES)
    assert not {unit_id(plan, n) for n in ZONES} & set(group.members)


def test_all_counties_group_counts_for_each_county(plan, seed_rows):
    via_group = [r.id for r in seed_rows if any(fold(n) == "各县（市、区）" for n in r.responsible)]
    assert via_group == ["2-3", "2-5", "2-6", "2-10", "3-1-7", "3-1-27", "3-4-10", "3-6-5"]
    for name in COUNTIES:
        uid = unit_id(plan, name)
        collective = [i.id for i in plan.involved(uid, "responsible", collective=True)]
        assert "3-6-5" in collective, name
        # Every group item reaches the county, except where it is also named directly.
        direct = {i.id for i in plan.involved(uid, "responsible")}
        assert collective == [i for i in via_group if i not in direct], name
    assert [i.id for i in plan.group_items("all-counties")] == via_group


def test_unit_and_group_in_one_entry(plan):
    [entry] = [e for e in plan.items["2-1"].responsible if e.printed == "市发改委等市直(驻市)部门"]
    assert plan.units[entry.unit].name == "市发改委"
    assert plan.groups[entry.group].name == "市直(驻市)有关部门"
    # "X等单位": X and others the document does not name, credited to X only (no group, no alias “单位”).
    [entry] = [e for e in plan.items["3-5-5"].responsible if e.printed == "市政府金融办等单位"]
    assert plan.units[entry.unit].name == "市政府金融办"
    assert entry.group is None and entry.others and entry.parts == ("市政府金融办", "单位")
    assert not any("单位" in (u.name, *u.aliases) for u in plan.units.values())
    assert not any("单位" in (g.name, *g.aliases) for g in plan.groups.values())


# --------------------------------------------------------------------------- errata and links

def test_errata_marked_and_text_kept(plan):
    [item_err] = plan.items["3-6-3"].errata
    assert (item_err.original, item_err.should_be) == ("补试", "补偿")
    assert "生态综合补试试点" in plan.items["3-6-3"].text
    [point_err] = plan.points[16].errata
    assert (point_err.original, point_err.should_be) == ("补尝", "补偿")
    assert "生态综合补尝试点" in plan.points[16].text
    assert sum(len(i.errata) for i in plan.items.values()) == 1
    assert sum(len(p.errata) for p in plan.points.values()) == 1


def test_point_links(plan):
    assert plan.categories["3-1"].points == (11,)
    three_one = plan.categories["3-1"].items
    assert len(three_one) == 38
    assert all(plan.items[i].points[0] == 11 for i in three_one)
    assert plan.points[11].items == three_one
    for n in range(1, 8):
        assert plan.categories[f"3-{n}"].points == (10 + n,)
    assert all(item.points for item in plan.items.values())  # every item links somewhere
    assert all(plan.points[n].items == () for n in range(18, 22))


# The links reviewed against the document (data/2020/links.yaml): items that a point other than their
# own names or plainly covers, with the words of the point that do.
EXTRA_LINKS = {
    "1-2": (7, "积极争取延续对口支援政策"), "1-3": (8, "积极争取赣州市延续西部大开发税收政策"),
    "3-1-26": (2, "争取一批重大事项纳入“十四五”规划"), "3-2-5": (2, "争取一批重大事项纳入“十四五”规划"),
    "3-3-3": (2, "争取一批重大事项纳入“十四五”规划"),
    "3-1-2": (6, "创建全国普惠金融改革试验区"), "3-1-4": (6, "推动设立证券公司和寿险公司"),
    "3-1-5": (6, "推动设立证券公司和寿险公司"), "3-1-9": (6, "创建中国服务外包示范城市"),
    "3-1-30": (6, "建设国家创新型城市"), "3-3-2": (6, "长赣和瑞梅铁路"), "3-3-6": (6, "瑞金机场"),
    "3-3-9": (6, "信丰电厂"), "3-5-2": (9, "重点推进实施赣州国际陆港等一批重大平台"),
    "3-5-3": (9, "重点推进实施赣州国际陆港等一批重大平台")}


def test_an_item_can_implement_several_points(plan):
    extra = {iid: (link.point, link.quote) for iid, item in plan.items.items() for link in item.links[1:]}
    assert extra == EXTRA_LINKS
    assert all(item.links[0].quote is None for item in plan.items.values())    # its own point needs no quote
    for iid, (no, quote) in EXTRA_LINKS.items():
        assert quote in plan.points[no].title + plan.points[no].text
        assert iid in plan.points[no].items
    # 第 6 点 names 信丰电厂、长赣和瑞梅铁路、瑞金机场, the securities and life-insurance companies, the
    # innovative city, the outsourcing city and the inclusive-finance pilot.
    assert plan.points[6].items == ("3-1-2", "3-1-4", "3-1-5", "3-1-9", "3-1-30", "3-3-2", "3-3-6", "3-3-9")
    assert plan.items["3-3-9"].points == (13, 6) and plan.items["1-3"].points == (1, 8)


# --------------------------------------------------------------------------- importer

@pytest.fixture(scope="module")
def rendered(ROOT):
    return render_all((ROOT / "data/2020/source.txt").read_text(encoding="utf-8"))


def test_importer_covers_every_generated_file(rendered):
    assert sorted(rendered) == sorted(GENERATED)


@pytest.mark.parametrize("name", GENERATED)
def test_importer_reproduces_committed_file(rendered, ROOT, name):
    assert rendered[name] == (ROOT / "data/2020" / name).read_text(encoding="utf-8")


def test_import_cli_writes_the_same_files(ROOT, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "workplan", "import", str(ROOT / "data/2020/source.txt"),
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(GENERATED)
    for name in GENERATED:
        assert (out / name).read_bytes() == (ROOT / "data/2020" / name).read_bytes(), name
