"""`python -m workplan diff`: the plan-change summary a pull request shows (workplan/plandiff.py).

Each test makes real edits to a copy of data/ (as a maintainer would in the web editor, keeping
the copy valid unless the test is about invalid data) and checks the exact lines a reviewer sees.
"""
from __future__ import annotations

import re
import shutil

import pytest
from plan_helpers import PROJECT_ROOT, DataCopy

from workplan.__main__ import main
from workplan.plandiff import diff_markdown, md, text_change

ITEMS_3_1 = "data/2020/items/3-1.yaml"
ITEMS_3_7 = "data/2020/items/3-7.yaml"
ATTACHMENT = "data/2020/attachment.yaml"
UNITS = "data/units.yaml"
KJJ = """  - id: kjj
    name: 市科技局
    full_name: 赣州市科学技术局
    kind: 市直部门
    member_of: [city-and-stationed-depts, city-depts, city-units]
    aliases: []
"""


@pytest.fixture
def base(tmp_path) -> DataCopy:
    return DataCopy(tmp_path / "base")


@pytest.fixture
def head(tmp_path) -> DataCopy:
    return DataCopy(tmp_path / "head")


def diff(base: DataCopy, head: DataCopy) -> str:
    return diff_markdown(base.path("data"), head.path("data"))


def lines(text: str) -> list[str]:
    return text.splitlines()


def declared(copy: DataCopy, category_count: tuple[str, str], part: tuple[str, str], total: tuple[str, str]):
    """Fix the declared counts after removing or adding an item (the validator insists)."""
    for old, new in (category_count, part):
        copy.replace(ATTACHMENT, f"declared_count: {old}\n", f"declared_count: {new}\n")
    copy.replace(ATTACHMENT, f"declared_count: {total[0]}  #", f"declared_count: {total[1]}  #")


def test_identical_data_gives_no_change(base, head):
    out = diff(base, head)
    assert "无变化" in out
    assert out.startswith("## 计划数据变更摘要")


def test_edited_item_text(base, head):
    head.replace(ITEMS_3_1, "text: 研究设立证券公司\n", "text: 研究设立证券公司（含期货公司）。\n")
    head.load()
    out = diff(base, head)
    assert "无变化" not in out
    assert "- **2020 年**：事项：修改 1 项" in lines(out)
    assert "#### 修改事项（1 项）" in lines(out)
    assert "- **三（一）-5**（`3-1-5`）" in lines(out)
    assert "  - 文字：“研究设立证券公司” → “研究设立证券公司（含期货公司）。”" in lines(out)
    assert "单位名录" not in out


def test_changed_lead_and_responsible_units(base, head):
    head.replace(ITEMS_3_7, "    lead: [市人社局]\n    responsible: []\n",
                 "    lead: [市人社局, 市财政局]\n    responsible: [各县（市、区）]\n")
    head.load()
    out = lines(diff(base, head))
    assert "- **三（七）-3**（`3-7-3`）" in out
    assert "  - 牵头单位：市人社局 → 市人社局、市财政局（增加 市财政局）" in out
    assert "  - 责任单位：（无） → 各县（市、区）（增加 各县（市、区））" in out


def test_added_unit(base, head):
    head.replace(UNITS, "  # ───────────── 驻市单位", "  - id: tjj\n    name: 市统计局\n    full_name: 赣州市统计局\n"
                 "    kind: 市直部门\n    aliases: []\n    note: null\n\n  # ───────────── 驻市单位")
    head.load()
    out = lines(diff(base, head))
    assert "- **单位名录**：新增 1 个" in out
    assert "#### 新增单位（1）" in out
    assert "- **市统计局**（`tjj`，市直部门）" in out
    assert not any(line.startswith("### 2020") for line in out)


def test_renamed_unit_keeps_its_id(base, head):
    head.replace(UNITS, KJJ, KJJ.replace("name: 市科技局", "name: 市科学技术局").replace("aliases: []", "aliases: [市科技局]"))
    head.load()
    out = lines(diff(base, head))
    assert "- **单位名录**：改名 1 个" in out
    assert "- **市科技局** → **市科学技术局**（`kjj`，旧名已记入 aliases）" in out
    assert "#### 单位信息修改（1）" not in out   # the old name moving into aliases is part of the rename


def test_rename_to_a_later_name_is_only_a_rename(base, head):
    """The later name (names … since) becomes the name, the old one moves into names with until."""
    head.replace(UNITS, "    name: 赣州银保监分局\n", "    name: 国家金融监督管理总局赣州监管分局\n")
    head.replace(UNITS, "      - {name: 国家金融监督管理总局赣州监管分局, since: 2023}", "      - {name: 赣州银保监分局, until: 2023}")
    head.load()
    out = lines(diff(base, head))
    assert "- **赣州银保监分局** → **国家金融监督管理总局赣州监管分局**（`ybj`，旧名已记入 names）" in out
    assert "- **单位名录**：改名 1 个" in out
    assert "#### 单位信息修改（1）" not in out


def test_changed_unit_fields_and_id_change_with_former_ids(base, head):
    head.replace(UNITS, KJJ, KJJ.replace("id: kjj", "id: kxjsj\n    former_ids: [kjj]")
                 .replace("full_name: 赣州市科学技术局", "full_name: 赣州市科学技术局（市外国专家局）"))
    head.load()
    out = lines(diff(base, head))
    assert "- **市科技局**：`kjj` → `kxjsj`（旧标识在 former_ids 中，旧网址自动跳转）" in out
    assert "- **市科技局**（`kxjsj`）：全称 赣州市科学技术局 → 赣州市科学技术局（市外国专家局）" in out
    assert "删除单位" not in "\n".join(out)


def test_removed_unit_warns_that_its_page_goes(base, head):
    base.replace(UNITS, "  # ───────────── 驻市单位", "  - id: tjj\n    name: 市统计局\n    kind: 市直部门\n\n"
                 "  # ───────────── 驻市单位")
    out = diff(base, head)
    assert "- **市统计局**（`tjj`，市直部门）；⚠️ 其页面网址将失效" in out


def test_removed_last_item_and_declared_counts(base, head):
    text = head.read(ITEMS_3_7)
    last = text[text.index("  - number: 5\n"):]
    head.write(ITEMS_3_7, text.replace(last, ""))
    declared(head, ("5", "4"), ("89", "88"), ("113", "112"))
    head.load()
    out = lines(diff(base, head))
    assert "- **2020 年**：事项：删除 1 项；声明的事项数变化 3 处" in out
    assert "#### 删除事项（1 项）" in out
    assert any(line.startswith("- **三（七）-5**（`3-7-5`）：争取一批部属院校及其附属中学") and
               line.endswith("— 牵头：市教育局；责任：江西理工大学、赣南师范大学、赣南医学院") for line in out)
    assert "- 三（七）争取高质量人才引进政策支持（`3-7`）：5 → 4" in out
    assert "- 三、聚焦建设革命老区高质量发展示范区“北上”争取支持（`3`）：89 → 88" in out
    assert "- 附件合计：113 → 112" in out


def test_removed_middle_item_is_one_removal_not_a_cascade_of_changes(base, head):
    text = head.read(ITEMS_3_7)
    start = text.index("  - number: 2\n")
    text = text[:start] + text[text.index("  - number: 3\n"):]
    text = re.sub(r"number: (\d)\n", lambda m: f"number: {int(m.group(1)) - 1 if int(m.group(1)) > 2 else m.group(1)}\n", text)
    head.write(ITEMS_3_7, text)
    declared(head, ("5", "4"), ("89", "88"), ("113", "112"))
    head.load()
    out = diff(base, head)
    assert "- **2020 年**：事项：删除 1 项，仅序号变化 3 项；声明的事项数变化 3 处" in lines(out)
    assert "- **三（七）-2**（`3-7-2`）：探索开展赋予科研人员职务科技成果所有权或长期使用权试点。 — 牵头：市科技局；责任：市发改委" in lines(out)
    assert "- 三（七）-3 → 三（七）-2（`3-7-3` → `3-7-2`）：力争创建国家级创业孵化示范基地实现零的突破。" in lines(out)
    assert "修改事项" not in out


def test_added_item(base, head):
    head.write(ITEMS_3_7, head.read(ITEMS_3_7) + "  - number: 6\n    text: 新增一项*测试*事项。\n"
               "    lead: [市人社局]\n    responsible: [市财政局等市直(驻市)有关部门]\n")
    declared(head, ("5", "6"), ("89", "90"), ("113", "114"))
    head.load()
    out = lines(diff(base, head))
    assert "#### 新增事项（1 项）" in out
    # Markdown in data is shown as text, not as formatting.
    assert "- **三（七）-6**（`3-7-6`）：新增一项\\*测试\\*事项。 — 牵头：市人社局；责任：市财政局等市直(驻市)有关部门" in out


def test_work_point_change_shows_only_the_changed_words(base, head):
    head.replace("data/2020/points.yaml", "力争全年争资750亿元以上", "力争全年争资800亿元以上")
    head.load()
    out = lines(diff(base, head))
    assert "- 第 3 点 **争取一批重大资金支持。**" in out
    assert any(line.startswith("  - 正文：力争全年争资~~750~~**800**亿元以上") for line in out)


def test_invalid_side_is_reported_not_a_crash(base, head):
    head.replace(UNITS, KJJ, KJJ.replace("name: 市科技局", "name: 市科学技术局"))  # old name not kept
    out = diff(base, head)
    assert "- ⚠️ **本次修改后的数据未通过校验**（2020 年），见下文" in lines(out)
    assert "[unknown-unit]" in out and "“市科技局”不在单位名录" in out
    assert "无变化" not in out
    assert re.search(r"^```+text$", out, re.M)


def test_base_without_data_shows_everything_as_added(tmp_path, head):
    (tmp_path / "empty" / "data").mkdir(parents=True)
    out = diff_markdown(tmp_path / "empty" / "data", head.path("data"))
    assert "- 基准版本没有计划数据：以下全部为新增" in lines(out)
    assert "- **2020 年计划（新增）**：21 个工作要点，113 项事项" in lines(out)
    assert "<details><summary>展开 113 条新增事项</summary>" in lines(out)


def test_any_folder_name_and_the_command_line(tmp_path, base, head, capsys):
    head.replace(ITEMS_3_1, "text: 研究设立证券公司\n", "text: 研究设立证券公司。\n")
    elsewhere = tmp_path / "pr-head-data"
    shutil.copytree(head.path("data"), elsewhere)
    assert main(["diff", str(base.path("data")), str(elsewhere)]) == 0
    assert "  - 文字：“研究设立证券公司” → “研究设立证券公司。”" in capsys.readouterr().out.splitlines()


def test_new_year_beside_the_old_one(base, head):
    shutil.copytree(head.path("data/2020"), head.path("data/2021"))
    head.replace("data/2021/document.yaml", "year: 2020", "year: 2021")
    out = lines(diff(base, head))
    assert "- **2021 年计划（新增）**：21 个工作要点，113 项事项" in out
    assert not any(line.startswith("- **2020 年") for line in out)


def test_helpers():
    assert md("a*b_c|d<e>") == "a\\*b\\_c\\|d\\<e\\>"
    assert text_change("短", "长") == "“短” → “长”"
    long_old = "甲" * 50 + "乙" + "丙" * 50
    assert text_change(long_old, long_old.replace("乙", "丁")) == \
        "…" + "甲" * 12 + "~~乙~~**丁**" + "丙" * 12 + "…（~~删去~~ **加上**）"


def test_real_data_against_itself_via_project_root():
    assert "无变化" in diff_markdown(PROJECT_ROOT / "data", PROJECT_ROOT / "data")
