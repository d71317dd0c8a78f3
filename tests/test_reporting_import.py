"""Importing returned templates (workplan/reporting/intake.py, returns.py): templates filled the way a
person fills them (openpyxl), imported into a copy of data/, the YAML compared with text written
down here; every kind of bad return refused at its cell, writing nothing."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from reporting_helpers import H1, H2, fill, issues, row_of, run, save, states, template
from workplan.errors import PlanInvalid
from workplan.progress import load_plan_and_progress
from workplan.reporting import intake
from workplan.reporting import layout as L
from workplan.reporting.intake import summary
from workplan.reporting.returns import read_returned
from workplan.reporting.template import template_book, workbook_bytes

ROOT = Path(__file__).resolve().parents[1]
XUNWU = f"data/2020/progress/{H1}/xunwu.yaml"

# What 寻乌县's filled template below must become, byte for byte (the documented format).
XUNWU_YAML = """\
# 寻乌县 2020年上半年落实情况（由填报表导入：python -m workplan import-progress）
unit: xunwu
round: 2020-H1
reports:
  - item: 2-3
    status: 受阻
    date: 2020-06-30
    description: 等待对口支援单位确定调研时间。
    evidence:
      - https://www.xunwu.gov.cn/x.html
      - https://www.xunwu.gov.cn/y.html
  - item: 3-1-7
    status: 已完成
    percent: 100
    date: 2020-06-29
    description: 已完成。
  - item: 3-1-8
    status: 推进中
    percent: 60
    date: 2020-06-28
    description: |-
      县域金融改革创新试验区方案已报省金融监管局。
      下一步：跟进审批。
    evidence:
      - https://www.xunwu.gov.cn/a.html
      - https://www.xunwu.gov.cn/b.html
  - item: 3-6-5
    status: 未启动
    percent: 0
    date: 2020-06-29
    description: '2020'
"""


def filled_xunwu(root: Path):
    """寻乌县's H1 template as a person fills it: stray spaces, full-width digits and a typed percent
    sign, dates typed three ways plus an Excel date and a bare serial number, a line break typed
    in a cell (Windows CRLF), links on separate lines and after ；, a year typed as a number, a
    blank row inserted between two items, and the other rows left empty."""
    wb = template(root, "xunwu")
    ws = wb[L.FILL_SHEET]
    fill(ws, "3-1-8", status=" 推进中 ", percent="６０％", date="2020年6月28日",
         description="  县域金融改革创新试验区方案已报省金融监管局。\r\n下一步：跟进审批。 ",
         evidence="https://www.xunwu.gov.cn/a.html\nhttps://www.xunwu.gov.cn/b.html")
    fill(ws, "3-1-7", status="已完成", percent=100, date=dt.datetime(2020, 6, 29), description="已完成。")
    fill(ws, "2-3", status="受阻", date="２０２０．６．３０", description="等待对口支援单位确定调研时间。",
         evidence="https://www.xunwu.gov.cn/x.html；https://www.xunwu.gov.cn/y.html")
    row = fill(ws, "3-6-5", status="未启动", percent=0, date=44011, description=2020)   # 44011: 2020-06-29
    ws[f"H{row}"].number_format = "General"
    ws.insert_rows(row_of(ws, "3-1-7"))        # a blank row typed between two items
    return wb


# --------------------------------------------------------------------------- the good path

def test_a_filled_template_becomes_the_documented_yaml(data_copy, tmp_path):
    path = save(filled_xunwu(data_copy.root), tmp_path / "inbox", "寻乌县 上半年 (1).xlsx")
    batch = run(data_copy.root, path.parent)
    assert batch.ok and states(batch) == {"寻乌县 上半年 (1).xlsx": "imported"}
    assert data_copy.read(XUNWU) == XUNWU_YAML
    plan, progress = load_plan_and_progress(data_copy.root)   # the data stays valid
    assert progress.report("xunwu", "3-1-8", H1).percent == 60
    text = summary(batch)
    assert f"已导入  寻乌县（xunwu）  寻乌县 上半年 (1).xlsx → {XUNWU}（4 条报告）" in text


def test_importing_the_same_workbook_twice_changes_nothing(data_copy, tmp_path):
    path = save(filled_xunwu(data_copy.root), tmp_path / "inbox", "xunwu.xlsx")
    assert run(data_copy.root, path).ok
    before = data_copy.path(XUNWU).stat().st_mtime_ns
    again = run(data_copy.root, path)
    assert again.ok and states(again) == {"xunwu.xlsx": "unchanged"} and again.written == []
    assert data_copy.path(XUNWU).stat().st_mtime_ns == before and data_copy.read(XUNWU) == XUNWU_YAML
    assert "未变化  寻乌县（xunwu）" in summary(again)


def test_a_hand_written_file_with_the_same_reports_is_left_alone(data_copy, tmp_path):
    hand = XUNWU_YAML.replace("# 寻乌县", "# 手写的注释\n# 寻乌县").replace("  - item: 2-3", "  # 先写受阻的\n  - item: 2-3")
    data_copy.write(XUNWU, hand)
    batch = run(data_copy.root, save(filled_xunwu(data_copy.root), tmp_path / "inbox", "a.xlsx"))
    assert states(batch) == {"a.xlsx": "unchanged"} and data_copy.read(XUNWU) == hand


def test_a_changed_return_needs_replace_and_lists_the_changes(data_copy, tmp_path):
    data_copy.write(XUNWU, XUNWU_YAML)
    wb = template(data_copy.root, "xunwu")            # the template comes back filled with the report
    ws = wb[L.FILL_SHEET]
    fill(ws, "3-1-8", status="已完成", percent=100)
    fill(ws, "3-6-5", status=None, percent=None, date=None, description=None)   # the row emptied
    fill(ws, "3-1-27", status="推进中", date="2020/6/30", description="已对接。")
    path = save(wb, tmp_path / "inbox", "寻乌县-更正.xlsx")
    batch = run(data_copy.root, path)
    assert not batch.ok and states(batch) == {"寻乌县-更正.xlsx": "confirm"} and batch.written == []
    assert data_copy.read(XUNWU) == XUNWU_YAML
    changes = batch.outcomes[0].changes
    assert changes == ["3-1-8（三（一）-8）：状态 推进中 → 已完成；完成百分比 60 → 100",
                       "3-1-27（三（一）-27）：新增报告（推进中）",
                       "3-6-5（三（六）-5）：删除已有报告（未启动，2020-06-29）"]
    text = summary(batch)
    assert "待确认" in text and "--replace" in text and changes[0] in text
    replaced = run(data_copy.root, path, replace=True)
    assert replaced.ok and states(replaced) == {"寻乌县-更正.xlsx": "replaced"}
    assert "status: 已完成" in data_copy.read(XUNWU) and "3-6-5" not in data_copy.read(XUNWU)


# --------------------------------------------------------------------------- round trip

ROUND_TRIP_YAML = """\
# 市政府金融办 2020年上半年落实情况（由填报表导入：python -m workplan import-progress）
unit: jrb
round: 2020-H1
reports:
  - item: 1-6
    status: 推进中
    date: 2020-04-03
    description: 选报事项：已梳理“十四五”金融项目 12 个。
  - item: 3-1-2
    status: 推进中
    percent: 35
    date: 2020-06-30
    description: |-
      方案：已报人民银行。
      # 不是注释
      - 也不是列表
    evidence:
      - https://www.ganzhou.gov.cn/a.html?x=1&y=2#frag
  - item: 3-1-7
    status: 受阻
    date: 2020-09-30
    description: '"映山红行动" 受疫情影响: 推迟'
  - item: 3-6-7
    status: 已完成
    percent: 100
    date: 2020-07-01
    description: '60'
"""


def test_yaml_to_workbook_to_yaml_is_byte_identical(data_copy, tmp_path):
    rel = f"data/2020/progress/{H1}/jrb.yaml"
    data_copy.write(rel, ROUND_TRIP_YAML)
    wb = template(data_copy.root, "jrb")          # filled with the four reports above
    path = save(wb, tmp_path / "inbox", "市政府金融办.xlsx")   # opened and saved again, as a unit would
    assert states(run(data_copy.root, path)) == {"市政府金融办.xlsx": "unchanged"}
    data_copy.path(rel).unlink()
    batch = run(data_copy.root, path)
    assert batch.ok and data_copy.read(rel) == ROUND_TRIP_YAML


descriptions = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
                       min_size=1, max_size=60).map(str.strip).filter(bool)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=st.lists(st.tuples(st.sampled_from(["未启动", "推进中", "已完成", "受阻"]), st.integers(0, 100),
                                  st.booleans(), st.dates(dt.date(2020, 4, 3), dt.date(2020, 9, 30)),
                                  st.lists(descriptions, min_size=1, max_size=3).map("\n".join),
                                  st.lists(st.from_regex(r"https://[a-z]{1,8}\.cn/[A-Za-z0-9_~%&=?./-]{0,20}",
                                                         fullmatch=True), max_size=3)),
                        min_size=1, max_size=5))
def test_any_report_survives_the_round_trip(data_copy, tmp_path, reports):
    """Whatever a report holds (any text, line breaks, YAML-looking or number-looking text, links),
    canonical YAML → template → import gives the same bytes."""
    from workplan.reporting.yamlfmt import record_of, reports_yaml

    items = ["2-3", "2-5", "3-1-7", "3-1-8", "3-6-5"]
    records = []
    for item, (status, percent, with_percent, day, text, links) in zip(items, reports):
        percent = {"已完成": 100, "未启动": 0}.get(status, percent) if with_percent else None
        records.append(record_of(item, status, percent, day, text, links))
    original = reports_yaml("xunwu", "寻乌县", H1, "2020年上半年", records)
    data_copy.write(XUNWU, original)
    plan, progress = load_plan_and_progress(data_copy.root)
    path = tmp_path / f"{len(list(tmp_path.glob('*.xlsx')))}.xlsx"
    path.write_bytes(workbook_bytes(template_book(plan, progress, "xunwu", H1)))
    outcome = intake.check(plan, progress, progress.rounds[H1], read_returned(path, path.name))
    assert not outcome.issues and outcome.text == original


# --------------------------------------------------------------------------- bad returns

def good_row(ws, item="3-1-8"):
    return fill(ws, item, status="推进中", percent=50, date="2020-06-28", description="推进中。")


def another_units_template(root, folder):
    wb = template(root, "czj")
    good_row(wb[L.FILL_SHEET], "1-7")
    return save(wb, folder, "市商务局上半年.xlsx"), ("unit-name-mismatch", "")


def wrong_round(root, folder):
    wb = template(root, "xunwu", H2)
    fill(wb[L.FILL_SHEET], "3-1-8", status="推进中", date="2020-12-28", description="下半年。")
    return save(wb, folder, "寻乌县下半年.xlsx"), ("round-mismatch", "")


def row_added(root, folder):
    wb = template(root, "xunwu")
    ws = wb[L.FILL_SHEET]
    good_row(ws)
    extra = ws.max_row + 1
    ws[f"F{extra}"], ws[f"H{extra}"], ws[f"I{extra}"] = "推进中", "2020-06-28", "自己加的一行。"
    return save(wb, folder, "寻乌县.xlsx"), ("row-added", f"落实情况!A{extra}")


def row_added_with_a_made_up_item(root, folder):
    wb = template(root, "xunwu")
    ws = wb[L.FILL_SHEET]
    good_row(ws)
    extra = ws.max_row + 1
    ws[f"A{extra}"], ws[f"F{extra}"], ws[f"H{extra}"], ws[f"I{extra}"] = "3-1-99", "推进中", "2020-06-28", "…"
    return save(wb, folder, "寻乌县.xlsx"), ("row-added", f"落实情况!A{extra}")


def row_deleted(root, folder):
    wb = template(root, "xunwu")
    ws = wb[L.FILL_SHEET]
    good_row(ws)
    ws.delete_rows(row_of(ws, "3-1-7"))
    return save(wb, folder, "寻乌县.xlsx"), ("row-deleted", "落实情况")


def status_not_in_the_list(root, folder):
    wb = template(root, "xunwu")
    row = fill(wb[L.FILL_SHEET], "3-1-8", status="进行中", date="2020-06-28", description="…")
    return save(wb, folder, "寻乌县.xlsx"), ("status-unknown", f"落实情况!F{row}")


def percent_120(root, folder):
    wb = template(root, "xunwu")
    row = fill(wb[L.FILL_SHEET], "3-1-8", status="推进中", percent="120%", date="2020-06-28", description="…")
    return save(wb, folder, "寻乌县.xlsx"), ("percent-range", f"落实情况!G{row}")


def date_outside_the_round(root, folder):
    wb = template(root, "xunwu")
    row = fill(wb[L.FILL_SHEET], "3-1-8", status="推进中", date="2020-10-15", description="…")
    return save(wb, folder, "寻乌县.xlsx"), ("date-outside-round", f"落实情况!H{row}")


def merged_cells(root, folder):
    wb = template(root, "xunwu")
    ws = wb[L.FILL_SHEET]
    row = good_row(ws)
    ws.merge_cells(f"I{row}:J{row}")
    return save(wb, folder, "寻乌县.xlsx"), ("merged-cells", f"落实情况!I{row}:J{row}")


def empty_sheet(root, folder):
    wb = template(root, "xunwu")
    ws = wb[L.FILL_SHEET]
    ws.delete_rows(1, ws.max_row)
    return save(wb, folder, "寻乌县.xlsx"), ("sheet-empty", "落实情况")


def column_inserted(root, folder):
    wb = template(root, "xunwu")
    ws = wb[L.FILL_SHEET]
    good_row(ws)
    ws.insert_cols(6)
    return save(wb, folder, "寻乌县.xlsx"), ("header-changed", "落实情况!F4")


def nothing_filled(root, folder):
    return save(template(root, "xunwu"), folder, "寻乌县.xlsx"), ("nothing-filled", "落实情况")


def status_missing(root, folder):
    wb = template(root, "xunwu")
    row = fill(wb[L.FILL_SHEET], "3-1-8", date="2020-06-28", description="忘了选状态。")
    return save(wb, folder, "寻乌县.xlsx"), ("status-missing", f"落实情况!F{row}")


def finished_at_90_percent(root, folder):
    wb = template(root, "xunwu")
    row = fill(wb[L.FILL_SHEET], "3-1-8", status="已完成", percent=90, date="2020-06-28", description="…")
    return save(wb, folder, "寻乌县.xlsx"), ("percent-status-mismatch", f"落实情况!G{row}")


def a_new_workbook(root, folder):
    wb = Workbook()
    wb.active["A1"], wb.active["B1"] = "事项", "进展"
    return save(wb, folder, "寻乌县.xlsx"), ("not-a-template", "")


def a_pdf_renamed_xlsx(root, folder):
    (folder / "寻乌县.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n")
    return folder / "寻乌县.xlsx", ("not-xlsx", "")


def a_word_file_renamed_xlsx(root, folder):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    (folder / "寻乌县.xlsx").write_bytes(buf.getvalue())
    return folder / "寻乌县.xlsx", ("not-xlsx", "")


def password_protected(root, folder):
    """Excel and WPS save a workbook with an open password as an encrypted OLE2 compound file."""
    (folder / "寻乌县.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"EncryptedPackage")
    return folder / "寻乌县.xlsx", ("xls-or-encrypted", "")


def one_good_row_bytes(root) -> bytes:
    """寻乌县's template with one good row, as the bytes of a saved workbook."""
    wb = template(root, "xunwu")
    good_row(wb[L.FILL_SHEET])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def encrypted_zip_entries(root, folder):
    """A zip whose entries are marked encrypted (general purpose flag bit 0)."""
    data = bytearray(one_good_row_bytes(root))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 0x01
            at = data.find(signature, at + 4)
    (folder / "寻乌县.xlsx").write_bytes(bytes(data))
    return folder / "寻乌县.xlsx", ("xls-or-encrypted", "")


def corrupt_zip(root, folder):
    data = one_good_row_bytes(root)
    (folder / "寻乌县.xlsx").write_bytes(data[: len(data) // 2])
    return folder / "寻乌县.xlsx", ("file-damaged", "")


BAD_RETURNS = [another_units_template, wrong_round, row_added, row_added_with_a_made_up_item, row_deleted,
               status_not_in_the_list, percent_120, date_outside_the_round, merged_cells, empty_sheet, column_inserted,
               nothing_filled, status_missing, finished_at_90_percent, a_new_workbook, a_pdf_renamed_xlsx,
               a_word_file_renamed_xlsx, password_protected, encrypted_zip_entries, corrupt_zip]


@pytest.mark.parametrize("make", BAD_RETURNS, ids=[f.__name__ for f in BAD_RETURNS])
def test_a_bad_return_is_refused_at_its_cell_and_writes_nothing(make, data_copy, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    path, (key, where) = make(data_copy.root, folder)
    before = sorted(p.relative_to(data_copy.root) for p in (data_copy.root / "data").rglob("*"))
    batch = run(data_copy.root, folder)
    assert not batch.ok and states(batch) == {path.name: "rejected"} and batch.written == []
    assert (path.name, where, key) in issues(batch), issues(batch)
    assert sorted(p.relative_to(data_copy.root) for p in (data_copy.root / "data").rglob("*")) == before
    problem = next(i for o in batch.outcomes for i in o.issues if i.key == key)
    assert str(problem).startswith(f"{path.name} {where}: [{key}] " if where else f"{path.name}: [{key}] ")
    assert problem.message and problem.hint       # what is wrong and what to do, in Chinese
    assert "被拒绝" in summary(batch)


def test_messages_name_the_workbook_sheet_and_cell_as_in_the_issue(data_copy, tmp_path):
    wb = template(data_copy.root, "czj")
    row = fill(wb[L.FILL_SHEET], "1-7", status="推进中", percent=120, date="2020-06-28", description="…")
    batch = run(data_copy.root, save(wb, tmp_path / "inbox", "市财政局上半年.xlsx"))
    text = summary(batch)
    assert f"市财政局上半年.xlsx 落实情况!G{row}: [percent-range] 完成百分比应为 0 到 100 的整数，实际是“120”。" in text
    assert "→ 写 0–100 的整数" in text


def test_a_batch_imports_the_good_and_refuses_the_rest(data_copy, tmp_path):
    inbox = tmp_path / "inbox"
    save(filled_xunwu(data_copy.root), inbox / "2020-07-01 邮件", "寻乌县上半年.xlsx")
    czj = template(data_copy.root, "czj")
    fill(czj[L.FILL_SHEET], "1-7", status="推进中", percent=120, date="2020-06-28", description="…")
    save(czj, inbox, "市财政局.xlsx")
    (inbox / "说明.txt").write_text("附件为本单位上半年报告。", encoding="utf-8")
    (inbox / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (inbox / "~$寻乌县上半年.xlsx").write_bytes(b"\x0dlock")
    batch = run(data_copy.root, inbox)
    assert states(batch) == {"2020-07-01 邮件/寻乌县上半年.xlsx": "imported", "市财政局.xlsx": "rejected",
                             "说明.txt": "rejected"}
    assert ("说明.txt", "", "not-xlsx") in issues(batch)
    assert data_copy.read(XUNWU) == XUNWU_YAML
    assert not data_copy.path(f"data/2020/progress/{H1}/czj.yaml").exists()
    text = summary(batch)
    missing = next(line for line in text.splitlines() if line.startswith("2020年上半年尚未报送的单位"))
    assert "市财政局" in missing and "瑞金市" in missing and "寻乌县" not in missing
    partial = next(line for line in text.splitlines() if line.startswith("部分事项尚未报送的单位"))
    assert "寻乌县（缺 8 项）" in partial     # 12 items expected, 4 reported


def test_two_different_returns_of_one_unit_are_refused_and_equal_ones_count_once(data_copy, tmp_path):
    inbox = tmp_path / "inbox"
    save(filled_xunwu(data_copy.root), inbox, "a.xlsx")
    save(filled_xunwu(data_copy.root), inbox, "b.xlsx")
    batch = run(data_copy.root, inbox)
    assert states(batch) == {"a.xlsx": "imported", "b.xlsx": "unchanged"} and batch.ok
    other = filled_xunwu(data_copy.root)
    fill(other[L.FILL_SHEET], "3-1-8", status="受阻")
    save(other, inbox, "c.xlsx")
    data_copy.path(XUNWU).unlink()
    batch = run(data_copy.root, inbox)
    assert set(states(batch).values()) == {"rejected"} and not data_copy.path(XUNWU).exists()
    assert ("c.xlsx", "", "duplicate-return") in issues(batch)


def test_a_template_made_before_a_unit_id_change_still_imports(data_copy, tmp_path):
    path = save(filled_xunwu(data_copy.root), tmp_path / "inbox", "寻乌县.xlsx")
    data_copy.replace("data/units.yaml", "  - id: xunwu\n", "  - id: xw\n    former_ids: [xunwu]\n")
    batch = run(data_copy.root, path)
    assert batch.ok and data_copy.read(f"data/2020/progress/{H1}/xw.yaml").startswith(
        "# 寻乌县 2020年上半年落实情况（由填报表导入：python -m workplan import-progress）\nunit: xw\n")


def test_a_failed_validation_after_writing_restores_everything(data_copy, tmp_path, monkeypatch):
    data_copy.write(XUNWU, XUNWU_YAML.replace("status: 已完成", "status: 受阻"))
    before = data_copy.read(XUNWU)
    czj = template(data_copy.root, "czj")
    good_row(czj[L.FILL_SHEET], "1-7")
    inbox = tmp_path / "inbox"
    save(czj, inbox, "czj.xlsx")
    save(filled_xunwu(data_copy.root), inbox, "xunwu.xlsx")
    real, calls = intake.load_plan_and_progress, []

    def fails_after_writing(root, year=None):
        calls.append(year)
        if len(calls) > 1:
            raise PlanInvalid([])
        return real(root, year)
    monkeypatch.setattr(intake, "load_plan_and_progress", fails_after_writing)
    batch = run(data_copy.root, inbox, replace=True)
    assert batch.failed is not None and not batch.ok and batch.written == []
    assert data_copy.read(XUNWU) == before
    assert not data_copy.path(f"data/2020/progress/{H1}/czj.yaml").exists()
    assert "已全部恢复原状" in summary(batch)


def test_the_current_round_is_the_default(data_copy, tmp_path):
    path = save(filled_xunwu(data_copy.root), tmp_path / "inbox", "寻乌县.xlsx")
    assert intake.import_returns(data_copy.root, [path], None, today="2020-07-15").ok   # H1 is current
    late = intake.import_returns(data_copy.root, [path], None, today="2020-10-08")       # H2 is current
    assert ("寻乌县.xlsx", "", "round-mismatch") in issues(late)
    with pytest.raises(intake.ImportStopped, match="2020-H9"):
        intake.import_returns(data_copy.root, [path], "2020-H9")


def test_all_68_units_returned_at_once(data_copy, tmp_path):
    """Every unit sends back its template with every item it must report on: all import, the data
    validates, and nobody is missing for the round."""
    plan, progress = load_plan_and_progress(data_copy.root)
    inbox = tmp_path / "inbox"
    for uid in plan.units:
        book = template_book(plan, progress, uid, H1)
        wb = load_workbook(io.BytesIO(workbook_bytes(book)))
        for row in book.rows:
            if row.expected:
                fill(wb[L.FILL_SHEET], row.item, status="推进中", date="2020-06-30", description=f"{uid} 已推进。")
        save(wb, inbox, f"{plan.units[uid].name}.xlsx")
    batch = run(data_copy.root, inbox)
    assert batch.ok and len(batch.written) == 68
    assert "2020年上半年尚未报送的单位（0 个）：无" in summary(batch)
    plan, progress = load_plan_and_progress(data_copy.root)
    assert all(not progress.missing(uid, H1) for uid in plan.units)


# --------------------------------------------------------------------------- the commands

def python_m(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PROGRESS_AS_OF": "2020-07-15"}
    return subprocess.run([sys.executable, "-m", "workplan", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_commands_produce_templates_and_import_them(data_copy, tmp_path):
    out = tmp_path / "dist"
    done = python_m("--root", str(data_copy.root), "templates", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "2020年上半年（2020-H1）落实情况填报表：68 个单位" in done.stdout
    archive = out / "落实情况填报表-2020-H1.zip"
    with zipfile.ZipFile(archive) as z:
        assert len(z.namelist()) == 69
    sent = out / H1 / "寻乌县-2020年上半年-落实情况填报表.xlsx"
    wb = load_workbook(sent)
    fill(wb[L.FILL_SHEET], "3-1-8", status="推进中", date="2020-06-28", description="已推进。")
    wb.save(sent)
    dry = python_m("--root", str(data_copy.root), "import-progress", str(sent), "--dry-run")
    assert dry.returncode == 0 and "试运行" in dry.stdout and not data_copy.path(XUNWU).exists()
    done = python_m("--root", str(data_copy.root), "import-progress", str(sent))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已导入  寻乌县（xunwu）" in done.stdout and data_copy.path(XUNWU).exists()
    done = python_m("--root", str(data_copy.root), "import-progress", str(out / H1))   # the 67 left blank
    assert done.returncode == 1 and done.stdout.count("[nothing-filled]") == 67 and "未变化  寻乌县" in done.stdout
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    done = python_m("--root", str(data_copy.root), "import-progress", str(bad))
    assert done.returncode == 1 and "bad.xlsx: [not-xlsx]" in done.stdout
    done = python_m("--root", str(data_copy.root), "import-progress", str(bad), "--round", "2031-H1")
    assert done.returncode == 1 and "轮次“2031-H1”不存在" in done.stderr


def test_make_import_progress_explains_its_usage():
    done = subprocess.run(["make", "--no-print-directory", "import-progress"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "make import-progress IN=" in done.stdout


def test_every_import_problem_is_explained_in_the_progress_readme():
    """Each key a returned workbook can be refused with (in the reporting modules and the shared
    rules) has a row in the table of data/2020/progress/README.md, section 四."""
    sources = "".join((ROOT / "workplan" / f).read_text("utf-8") for f in (
        "reporting/returns.py", "reporting/intake.py", "reporting/cells.py", "progress/rules.py"))
    keys = set(re.findall(r'(?:\(|Problem\(|issue\([^,]+, |Issue\([^,]+, [^,]+, )"([a-z]+(?:-[a-z]+)+)",\s*[f"]', sources))
    assert len(keys) >= 30, sorted(keys)
    readme = (ROOT / "data/2020/progress/README.md").read_text("utf-8")
    table = readme[readme.index("## 四、"):readme.index("## 五、")]
    assert not {k for k in keys if f"`{k}`" not in table}, "keys missing from the README's import table"
