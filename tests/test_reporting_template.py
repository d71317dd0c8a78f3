"""The Excel reporting template (workplan/reporting/template.py, sendout.py), read back with openpyxl
as Excel or WPS would open it. Expectations are written down from the document: which items a unit
reports on, in which role."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from workplan.progress import load_plan_and_progress
from workplan.reporting import layout as L
from workplan.reporting.sendout import round_books, sendout_zip
from workplan.reporting.template import file_name, template_book, workbook_bytes

H1, H2 = "2020-H1", "2020-H2"
ALL_COUNTIES = "责任（经集体分配：各县（市、区））"
# 寻乌县 in the attachment: named in 三（一）8, 16 and 三（三）4, 5; 各县（市、区） in 二-3, 5, 6, 10,
# 三（一）7, 27, 三（四）10 and 三（六）5. Every county reports on all of them (reporting_groups).
XUNWU_ROWS = [
    ("2-3", "二-3", ALL_COUNTIES), ("2-5", "二-5", ALL_COUNTIES), ("2-6", "二-6", ALL_COUNTIES),
    ("2-10", "二-10", ALL_COUNTIES), ("3-1-7", "三（一）-7", ALL_COUNTIES), ("3-1-8", "三（一）-8", "责任"),
    ("3-1-16", "三（一）-16", "责任"), ("3-1-27", "三（一）-27", ALL_COUNTIES), ("3-3-4", "三（三）-4", "责任"),
    ("3-3-5", "三（三）-5", "责任"), ("3-4-10", "三（四）-10", ALL_COUNTIES), ("3-6-5", "三（六）-5", ALL_COUNTIES)]
# 市政府金融办 leads 三（一）2–8 and 三（六）7, and is named in 三（五）5 (“……市政府金融办等单位”).
JRB_EXPECTED = ["3-1-2", "3-1-3", "3-1-4", "3-1-5", "3-1-6", "3-1-7", "3-1-8", "3-5-5", "3-6-7"]


@pytest.fixture(scope="module")
def loaded():
    return load_plan_and_progress()


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def rows_of(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=L.FIRST_ROW, values_only=True) if any(v is not None for v in r)]


def test_a_county_template_lists_exactly_its_items_in_official_order(loaded):
    plan, progress = loaded
    wb = open_book(workbook_bytes(template_book(plan, progress, "xunwu", H1)))
    assert wb.sheetnames == [L.FILL_SHEET, L.HELP_SHEET, L.META_SHEET]
    ws = wb[L.FILL_SHEET]
    assert [c.value for c in ws[L.HEADER_ROW]] == ["事项标识", "编号", "事项名称", "本单位角色", "上次填报", "状态",
                                                   "完成百分比", "填报日期", "进展情况（300字以内）", "佐证链接（可不填）"]
    got = rows_of(ws)
    assert [(r[0], r[1], r[3]) for r in got] == XUNWU_ROWS
    texts = {r[0]: r[2] for r in got}
    assert texts["3-1-16"].startswith("争取优先向国家文化和旅游部推荐安远三百山创建国家5A级景区")
    assert all(r[4] is None and r[5:] == (None,) * 5 for r in got)   # nothing reported yet
    assert ws["A1"].value == "寻乌县 2020年上半年 重大事项落实情况填报表"
    assert "2020年6月30日" in ws["A2"].value and "gnzxb81962312@126.com" in ws["A2"].value


def test_a_department_template_marks_the_items_it_only_may_report_on(loaded):
    plan, progress = loaded
    book = template_book(plan, progress, "jrb", H1)
    assert [r.item for r in book.rows if r.expected] == JRB_EXPECTED
    assert [r.role for r in book.rows if r.item in ("3-1-2", "3-5-5")] == ["牵头", "责任"]
    optional = [r for r in book.rows if not r.expected]
    assert optional and all(r.role.endswith("（选报）") and "经集体分配：" in r.role for r in optional)
    ws = open_book(workbook_bytes(book))[L.FILL_SHEET]
    assert [r[0] for r in rows_of(ws)] == [r.item for r in book.rows]


def test_the_unit_and_round_are_recorded_in_a_very_hidden_sheet(loaded):
    plan, progress = loaded
    wb = open_book(workbook_bytes(template_book(plan, progress, "czj", H2)))
    meta = wb[L.META_SHEET]
    assert meta.sheet_state == "veryHidden" and wb[L.FILL_SHEET].sheet_state == "visible"
    values = {k: v for k, v in meta.iter_rows(values_only=True)}
    assert values["format"] == "workplan-progress-template" and values["version"] == 1
    assert (values["year"], values["round"], values["unit"], values["unit_name"]) == (2020, H2, "czj", "市财政局")
    assert values["items"].split(",") == [r[0] for r in rows_of(wb[L.FILL_SHEET])]


def test_item_columns_are_locked_and_the_answers_validated(loaded):
    plan, progress = loaded
    book = template_book(plan, progress, "xunwu", H1)
    wb = open_book(workbook_bytes(book))
    ws = wb[L.FILL_SHEET]
    assert ws.protection.sheet and wb[L.HELP_SHEET].protection.sheet and wb[L.META_SHEET].protection.sheet
    last = L.FIRST_ROW + len(XUNWU_ROWS) - 1
    for row in (L.FIRST_ROW, last):
        assert [ws.cell(row, n).protection.locked for n in range(1, 11)] == [True] * 5 + [False] * 5
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = rules[f"F{L.FIRST_ROW}:F{last}"]
    assert (status.type, status.formula1) == ("list", '"未启动,推进中,已完成,受阻"')
    percent = rules[f"G{L.FIRST_ROW}:G{last}"]
    # OOXML omits the operator when it is "between", its default.
    assert (percent.type, percent.operator or "between", percent.formula1, percent.formula2) == ("whole", "between", "0", "100")
    day = rules[f"H{L.FIRST_ROW}:H{last}"]
    # Excel stores dates as serial numbers: 43924 is 2020-04-03, 44104 is 2020-09-30 (the H1 window).
    assert (day.type, day.formula1, day.formula2) == ("date", "43924", "44104")
    text = rules[f"I{L.FIRST_ROW}:I{last}"]
    assert (text.type, text.operator, text.formula1) == ("textLength", "lessThanOrEqual", "300")
    assert ws.freeze_panes == "C5"


def test_plain_xlsx_without_macros_formulas_or_external_links(loaded):
    plan, progress = loaded
    data = workbook_bytes(template_book(plan, progress, "czj", H1))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert not [n for n in names if "vba" in n.lower() or "externalLink" in n or n.endswith(".bin")]
        content_types = z.read("[Content_Types].xml").decode()
        assert "macroEnabled" not in content_types and "spreadsheetml.sheet.main+xml" in content_types
        sheets = b"".join(z.read(n) for n in names if n.startswith("xl/worksheets/"))
        assert b"<f>" not in sheets and b"<f " not in sheets
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_same_data_same_bytes(loaded):
    plan, progress = loaded
    assert workbook_bytes(template_book(plan, progress, "ruijin", H2)) == \
        workbook_bytes(template_book(plan, progress, "ruijin", H2))


def test_the_instructions_sheet_explains_every_column(loaded):
    plan, progress = loaded
    help_rows = dict(open_book(workbook_bytes(template_book(plan, progress, "czj", H1)))[L.HELP_SHEET]
                     .iter_rows(values_only=True))
    for key in ("状态", "完成百分比", "填报日期", "进展情况", "佐证链接", "本单位角色", "发送", "截止日期"):
        assert key in help_rows, key
    assert "未启动、推进中、已完成、受阻" in help_rows["状态"]
    assert "300 字以内" in help_rows["进展情况"] and "gnzxb81962312@126.com" in help_rows["发送"]
    assert "2020年6月30日" in help_rows["截止日期"]


def test_an_earlier_report_is_filled_in_and_shown_as_previous(loaded, data_copy):
    data_copy.write(f"data/2020/progress/{H1}/xunwu.yaml", f"""\
unit: xunwu
round: {H1}
reports:
  - item: 3-1-8
    status: 推进中
    percent: 40
    date: 2020-06-20
    description: |-
      方案初稿已完成。
      报省里审核。
    evidence: [https://www.xunwu.gov.cn/a.html, https://www.xunwu.gov.cn/b.html]
""")
    plan, progress = load_plan_and_progress(data_copy.root)
    same = {r[0]: r for r in rows_of(open_book(workbook_bytes(template_book(plan, progress, "xunwu", H1)))[L.FILL_SHEET])}
    assert same["3-1-8"][5:] == ("推进中", 40, dt.datetime(2020, 6, 20), "方案初稿已完成。\n报省里审核。",
                                 "https://www.xunwu.gov.cn/a.html\nhttps://www.xunwu.gov.cn/b.html")
    assert same["3-1-7"][5:] == (None,) * 5
    later = {r[0]: r for r in rows_of(open_book(workbook_bytes(template_book(plan, progress, "xunwu", H2)))[L.FILL_SHEET])}
    assert later["3-1-8"][4] == "推进中 40%（2020年上半年）" and later["3-1-8"][5] is None
    assert later["3-1-7"][4] is None


def test_the_round_zip_holds_every_template_and_a_sending_list(loaded):
    plan, progress = loaded
    books = round_books(plan, progress, H1)
    # Every unit of the registry is named or reached through a group in at least one item.
    assert [b.unit for b in books] == list(plan.units) and len(books) == 68
    data = sendout_zip(books)
    assert data == sendout_zip(books)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert names[0] == "发送清单.csv" and "市财政局-2020年上半年-落实情况填报表.xlsx" in names
        assert len(names) == 69 and all(n.endswith(".xlsx") for n in names[1:])
        listing = list(csv.reader(io.StringIO(z.read("发送清单.csv").decode("utf-8-sig"))))
        assert listing[0] == ["单位", "单位标识", "文件名", "应报事项数", "选报事项数", "已填好上次内容的事项数"]
        xunwu = next(r for r in listing if r[1] == "xunwu")
        assert xunwu == ["寻乌县", "xunwu", "寻乌县-2020年上半年-落实情况填报表.xlsx", "12", "0", "0"]
        assert z.read(file_name(books[0])) == workbook_bytes(books[0])


def test_file_names_are_safe_on_windows():
    from workplan.reporting.template import template_file_name

    assert template_file_name("市财政局", "2020年上半年") == "市财政局-2020年上半年-落实情况填报表.xlsx"
    assert template_file_name('A/B:C*D?"E<F>G|H', "2020年上半年") == "A_B_C_D__E_F_G_H-2020年上半年-落实情况填报表.xlsx"
