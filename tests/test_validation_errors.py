"""Realistic maintainer mistakes, each applied to a copy of the real data: the report must
name the exact file and line, use the stable key, and say something the maintainer can act
on (the wrong value, and for near misses the right one).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from workplan.errors import PlanInvalid

ITEMS_31 = "data/2020/items/3-1.yaml"
ITEMS_32 = "data/2020/items/3-2.yaml"
ITEMS_1 = "data/2020/items/1.yaml"
ATTACHMENT = "data/2020/attachment.yaml"
LINKS = "data/2020/links.yaml"
ERRATA = "data/2020/errata.yaml"
DOCUMENT = "data/2020/document.yaml"

# Anchors in items/3-1.yaml: item 4 (text line), item 8 (lead/responsible lines), item 33.
ITEM4_TEXT = "    text: 积极推动设立瑞京人寿。\n"
ITEM8_UNITS = "    lead: [市政府金融办]\n    responsible: [寻乌县]\n"
ITEM33_UNITS = "    lead: [市市场监管局]\n    responsible: [市财政局]\n"
LAST_ITEM_31 = "  - number: 38\n    text: 推进有条件的县（市、区）创建省级军民融合创新示范区。\n    lead: [市发改委]\n    responsible: []\n"


def keyed(errors, file: str | None = None) -> set[tuple[str, int, str]]:
    return {(e.file, e.line, e.key) for e in errors if file is None or e.file == file}


def the(errors, file: str, line: int, key: str):
    found = [e for e in errors if (e.file, e.line, e.key) == (file, line, key)]
    assert len(found) == 1, f"expected one {key} at {file}:{line}, got:\n" + "\n".join(map(str, errors))
    return found[0]


def says(error, *words: str) -> None:
    text = error.message + "\n" + error.hint
    for word in words:
        assert word in text, f"{word!r} not in {str(error)!r}"


# --------------------------------------------------------------------------- YAML-level mistakes

def unclosed_quote(data_copy):
    data_copy.replace(ITEMS_31, "text: 积极推动设立瑞京人寿。", 'text: "积极推动设立瑞京人寿。')


def test_unclosed_quote_is_a_yaml_syntax_error(data_copy):
    unclosed_quote(data_copy)
    [error] = [e for e in data_copy.errors() if e.file == ITEMS_31]
    assert error.key == "yaml-syntax"
    says(error, "引号")


def test_unclosed_quote_points_at_the_quote(data_copy):
    unclosed_quote(data_copy)
    line = data_copy.line_of(ITEMS_31, ITEM4_TEXT.strip())
    assert keyed(data_copy.errors(), ITEMS_31) == {(ITEMS_31, line, "yaml-syntax")}


def test_tab_indentation(data_copy):
    data_copy.replace(ITEMS_31, ITEM8_UNITS, ITEM8_UNITS.replace("    lead", "\tlead"))
    line = data_copy.line_of(ITEMS_31, "responsible: [寻乌县]") - 1
    errors = data_copy.errors()
    assert keyed(errors, ITEMS_31) == {(ITEMS_31, line, "tab-indent")}
    says(the(errors, ITEMS_31, line, "tab-indent"), "Tab", "空格")


def test_fullwidth_colon_after_key(data_copy):
    data_copy.replace(ITEMS_31, ITEM8_UNITS, ITEM8_UNITS.replace("lead:", "lead："))
    line = data_copy.line_of(ITEMS_31, "responsible: [寻乌县]") - 1
    errors = data_copy.errors()
    assert keyed(errors, ITEMS_31) == {(ITEMS_31, line, "fullwidth-colon")}
    says(the(errors, ITEMS_31, line, "fullwidth-colon"), "：", ":")


def test_duplicate_key(data_copy):
    data_copy.replace(ITEMS_31, ITEM4_TEXT, ITEM4_TEXT * 2)
    first = data_copy.line_of(ITEMS_31, ITEM4_TEXT.strip())
    errors = data_copy.errors()
    assert keyed(errors) == {(ITEMS_31, first + 1, "duplicate-key")}
    says(the(errors, ITEMS_31, first + 1, "duplicate-key"), "text", f"第 {first} 行")


def test_gbk_encoded_file(data_copy):
    data_copy.write_bytes(ITEMS_31, data_copy.read(ITEMS_31).encode("gbk"))
    errors = data_copy.errors()
    assert keyed(errors, ITEMS_31) == {(ITEMS_31, 1, "encoding")}  # the first line already has Chinese
    says(the(errors, ITEMS_31, 1, "encoding"), "GBK", "UTF-8")


def test_utf8_bom_is_accepted(data_copy, plan):
    data_copy.write_bytes(ITEMS_31, b"\xef\xbb\xbf" + data_copy.path(ITEMS_31).read_bytes())
    copy = data_copy.load()
    assert [i.text for i in copy.items.values()] == [i.text for i in plan.items.values()]
    assert copy.items["3-1-1"].line == plan.items["3-1-1"].line


@pytest.mark.parametrize("mistake", ["unclosed-quote", "tab", "gbk", "lead-as-string"])
def test_unreadable_items_file_causes_no_count_errors(data_copy, mistake):
    if mistake == "unclosed-quote":
        unclosed_quote(data_copy)
    elif mistake == "tab":
        data_copy.replace(ITEMS_31, ITEM8_UNITS, ITEM8_UNITS.replace("    lead", "\tlead"))
    elif mistake == "gbk":
        data_copy.write_bytes(ITEMS_31, data_copy.read(ITEMS_31).encode("gbk"))
    else:
        data_copy.replace(ITEMS_31, ITEM8_UNITS, ITEM8_UNITS.replace("[市政府金融办]", "市政府金融办"))
    errors = data_copy.errors()
    assert keyed(errors, ITEMS_31)
    assert keyed(errors) == keyed(errors, ITEMS_31), "errors outside the broken file"


# --------------------------------------------------------------------------- units

def test_unknown_unit(data_copy):
    data_copy.replace(ITEMS_31, "responsible: [寻乌县]", "responsible: [寻乌县, 市宇宙局]")
    line = data_copy.line_of(ITEMS_31, "responsible: [寻乌县]")
    errors = data_copy.errors()
    assert keyed(errors) == {(ITEMS_31, line, "unknown-unit")}
    says(the(errors, ITEMS_31, line, "unknown-unit"), "市宇宙局", "责任单位", "data/units.yaml")


@pytest.mark.parametrize("typo", ["市财政厅", "财政局"])
def test_near_miss_unit_suggests_the_registered_name(data_copy, typo):
    data_copy.replace(ITEMS_31, ITEM33_UNITS, ITEM33_UNITS.replace("[市财政局]", f"[{typo}]"))
    line = data_copy.line_of(ITEMS_31, "推动开展知识产权运营服务体系建设") + 2
    errors = data_copy.errors()
    assert keyed(errors) == {(ITEMS_31, line, "unknown-unit")}
    error = the(errors, ITEMS_31, line, "unknown-unit")
    says(error, typo)
    assert "市财政局" in error.hint


def test_lead_written_as_a_string(data_copy):
    # `lead: 市财政局` instead of `lead: [市财政局]`: a schema type error on that line, naming the value.
    old = "    text: 力争全年争资750亿元以上、新增地方政府债券150亿元以上。\n    lead: [市财政局]\n"
    data_copy.replace(ITEMS_1, old, old.replace("[市财政局]", "市财政局"))
    line = data_copy.line_of(ITEMS_1, "力争全年争资750亿元以上") + 1
    errors = data_copy.errors()
    assert keyed(errors, ITEMS_1) == {(ITEMS_1, line, "schema-type")}
    error = the(errors, ITEMS_1, line, "schema-type")
    says(error, "lead", "市财政局", "列表", "[")


# --------------------------------------------------------------------------- items

def test_duplicate_item_number(data_copy):
    data_copy.replace(ITEMS_31, "  - number: 4\n", "  - number: 3\n")
    first = data_copy.line_of(ITEMS_31, "  - number: 3")
    line = data_copy.line_of(ITEMS_31, "  - number: 4")
    errors = data_copy.errors()
    assert keyed(errors) == {(ITEMS_31, line, "duplicate-item")}
    says(the(errors, ITEMS_31, line, "duplicate-item"), "序号 3", f"第 {first} 行")


def test_numbering_gap(data_copy):
    data_copy.replace(ITEMS_31, "  - number: 38\n", "  - number: 39\n")
    line = data_copy.line_of(ITEMS_31, "  - number: 38")
    errors = data_copy.errors()
    assert keyed(errors) == {(ITEMS_31, line, "numbering-gap")}
    error = the(errors, ITEMS_31, line, "numbering-gap")
    says(error, "39")
    assert "改为 38" in error.hint


def test_missing_text(data_copy):
    data_copy.replace(ITEMS_31, ITEM4_TEXT, "")
    line = data_copy.line_of(ITEMS_31, "  - number: 4")
    errors = data_copy.errors()
    assert keyed(errors, ITEMS_31) == {(ITEMS_31, line, "schema-required")}
    says(the(errors, ITEMS_31, line, "schema-required"), "text", "文字")


def empty_text(data_copy):
    data_copy.replace(ITEMS_31, ITEM4_TEXT, '    text: ""\n')
    return data_copy.line_of(ITEMS_31, ITEM4_TEXT.strip())


def test_empty_text_is_reported_at_its_line(data_copy):
    line = empty_text(data_copy)
    errors = [e for e in data_copy.errors() if e.file == ITEMS_31]
    assert errors and all(e.line == line and e.key.startswith("schema-") for e in errors)
    for error in errors:
        says(error, "text", "不能为空")


def test_empty_text_is_reported_once(data_copy):
    line = empty_text(data_copy)
    assert keyed(data_copy.errors(), ITEMS_31) == {(ITEMS_31, line, "schema-minLength")}


def test_unknown_field_suggests_the_right_one(data_copy):
    data_copy.replace(ITEMS_31, "    responsible: [寻乌县]", "    responsibel: [寻乌县]")
    line = data_copy.line_of(ITEMS_31, "responsible: [寻乌县]")
    item_line = data_copy.line_of(ITEMS_31, "  - number: 8")
    errors = data_copy.errors()
    # The typo, with the suggestion, and the field it leaves missing.
    assert keyed(errors, ITEMS_31) == {(ITEMS_31, line, "schema-additionalProperties"),
                                       (ITEMS_31, item_line, "schema-required")}
    error = the(errors, ITEMS_31, line, "schema-additionalProperties")
    says(error, "responsibel")
    assert "responsible" in error.hint


def test_very_long_text(data_copy):
    data_copy.replace(ITEMS_31, ITEM4_TEXT, "    text: " + "长" * 1001 + "\n")
    line = data_copy.line_of(ITEMS_31, ITEM4_TEXT.strip())
    errors = data_copy.errors()
    assert keyed(errors, ITEMS_31) == {(ITEMS_31, line, "schema-maxLength")}
    says(the(errors, ITEMS_31, line, "schema-maxLength"), "1001", "1000")


# --------------------------------------------------------------------------- categories and counts

def test_item_moved_to_another_category(data_copy):
    data_copy.replace(ITEMS_31, LAST_ITEM_31, "")
    data_copy.write(ITEMS_32, data_copy.read(ITEMS_32) + LAST_ITEM_31.replace("number: 38", "number: 9"))
    line_31 = data_copy.line_of(ATTACHMENT, "declared_count: 38")
    line_32 = data_copy.line_of(ATTACHMENT, "declared_count: 8")
    errors = data_copy.errors()
    assert keyed(errors) == {(ATTACHMENT, line_31, "count-mismatch"), (ATTACHMENT, line_32, "count-mismatch")}
    says(the(errors, ATTACHMENT, line_31, "count-mismatch"), "38", "37", "items/3-1.yaml")
    says(the(errors, ATTACHMENT, line_32, "count-mismatch"), "8", "9", "items/3-2.yaml")


def test_unknown_category_file(data_copy):
    extra = "data/2020/items/3-8.yaml"
    data_copy.write(extra, data_copy.read("data/2020/items/3-7.yaml").replace("category: 3-7", "category: 3-8"))
    errors = data_copy.errors()
    assert keyed(errors) == {(extra, 5, "unknown-category")}
    error = the(errors, extra, 5, "unknown-category")
    says(error, "3-8", "3-7")


def test_wrong_category_in_existing_file_is_one_error(data_copy):
    data_copy.replace("data/2020/items/3-7.yaml", "category: 3-7", "category: 3-8")
    assert keyed(data_copy.errors()) == {("data/2020/items/3-7.yaml", 5, "unknown-category")}


# --------------------------------------------------------------------------- links and errata

def test_link_to_missing_point(data_copy):
    data_copy.replace(LINKS, '"3-7": 17', '"3-7": 27')
    line = data_copy.line_of(LINKS, '"3-7": 17')
    errors = data_copy.errors()
    assert keyed(errors) == {(LINKS, line, "link-unknown-point")}
    says(the(errors, LINKS, line, "link-unknown-point"), "3-7", "27", "1–21")


def errata_typo(data_copy):
    data_copy.replace(ERRATA, "original: 补试", "original: 补式")


def test_errata_text_not_found(data_copy):
    errata_typo(data_copy)
    errors = data_copy.errors()
    [error] = errors
    assert (error.file, error.key) == (ERRATA, "errata-not-found")
    says(error, "3-6-3", "补式")


def test_errata_text_not_found_points_at_original(data_copy):
    errata_typo(data_copy)
    assert keyed(data_copy.errors()) == {(ERRATA, data_copy.line_of(ERRATA, "original: 补试"), "errata-not-found")}


# --------------------------------------------------------------------------- all at once, and the CLI

def test_all_errors_in_one_run(data_copy):
    data_copy.replace(ITEMS_31, "responsible: [寻乌县]", "responsible: [寻乌县, 市宇宙局]")
    data_copy.replace(ITEMS_32, "  - number: 8\n", "  - number: 9\n")
    errors = data_copy.errors()
    assert keyed(errors) == {(ITEMS_31, data_copy.line_of(ITEMS_31, "responsible: [寻乌县]"), "unknown-unit"),
                             (ITEMS_32, data_copy.line_of(ITEMS_32, "  - number: 8"), "numbering-gap")}


def test_links_and_errata_checked_despite_other_errors(data_copy):
    data_copy.replace(ITEMS_31, "responsible: [寻乌县]", "responsible: [寻乌县, 市宇宙局]")
    data_copy.replace(LINKS, '"3-7": 17', '"3-7": 27')
    errata_typo(data_copy)
    assert {(f, k) for f, _, k in keyed(data_copy.errors())} == {
        (ITEMS_31, "unknown-unit"), (LINKS, "link-unknown-point"), (ERRATA, "errata-not-found")}


@pytest.mark.parametrize("rel", [DOCUMENT, "data/2020/points.yaml", "data/units.yaml"])
def test_empty_required_file_is_an_error(data_copy, rel):
    data_copy.write(rel, "# 只剩注释\n")
    with pytest.raises(PlanInvalid) as info:
        data_copy.load()
    assert [e.file for e in info.value.errors] == [rel]


def run_cli(ROOT, root):
    return subprocess.run([sys.executable, "-m", "workplan", "--root", str(root), "validate"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_cli_exits_0_on_the_real_data(ROOT):
    result = run_cli(ROOT, ROOT)
    assert result.returncode == 0, result.stderr
    assert "113" in result.stdout and result.stderr == ""


def test_cli_exits_1_with_file_and_line(ROOT, data_copy):
    data_copy.replace(ITEMS_31, "responsible: [寻乌县]", "responsible: [寻乌县, 市宇宙局]")
    data_copy.replace(ITEMS_32, "  - number: 8\n", "  - number: 9\n")
    result = run_cli(ROOT, data_copy.root)
    assert result.returncode == 1
    line = data_copy.line_of(ITEMS_31, "responsible: [寻乌县]")
    assert f"{ITEMS_31}:{line}: [unknown-unit]" in result.stderr
    assert f"{ITEMS_32}:{data_copy.line_of(ITEMS_32, '  - number: 8')}: [numbering-gap]" in result.stderr
    assert "共 2 处错误" in result.stderr
    assert "市宇宙局" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_cli_on_empty_document_reports_instead_of_crashing(ROOT, data_copy):
    data_copy.write(DOCUMENT, "")
    result = run_cli(ROOT, data_copy.root)
    assert result.returncode == 1 and DOCUMENT in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_start_rules_count_lines_as_editors_do(tmp_path, newline):
    """Each rule at its own line whatever the line ending; a line two rules match is reported once
    (the first rule); a key's full-width colon on a later line is not joined to a blank line."""
    from workplan.datafile import check_line_starts
    from workplan.errors import Collector

    lines = ["items:", "\t- a", "", "  key： b", "\u3000\tx: 1", "ok: 中文：冒号", "\t\u3000y: 2"]
    errors = Collector(tmp_path)
    assert check_line_starts(newline.join(lines) + newline, tmp_path / "f.yaml", errors) is False
    assert [(e.line, e.key) for e in errors.errors] == [
        (2, "tab-indent"), (4, "fullwidth-colon"), (5, "fullwidth-indent"), (7, "tab-indent")]
    assert check_line_starts("a: 1\n  b: 全角：不是键后\n", tmp_path / "g.yaml", Collector(tmp_path)) is True
