"""The fast workbook writer (workplan/xlsxfast.py) against XlsxWriter itself, the reference it
stands in for: the same writing code (xlsxbook.py, reporting/template.py) run once with each
Workbook must give the same bytes, for every workbook of the real site and for books made to hit
the corners (escaping, control characters, whitespace, truncation, formula-like text, filled
reports, empty lists, odd sheet names). Equal bytes mean Excel and WPS see exactly what they saw
from XlsxWriter. Outside the subset it implements, the writer refuses rather than guesses."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook
from xlsxwriter.exceptions import DuplicateWorksheetName, InvalidWorksheetName

from workplan import downloads, xlsxbook, xlsxfast
from workplan.load import load_editions
from workplan.pages import Site
from workplan.progress import load_progress
from workplan.reporting import sendout, template

ROOT = Path(__file__).resolve().parents[1]


def with_xlsxwriter(monkeypatch, write, *args) -> bytes:
    """`write(*args)` with XlsxWriter's Workbook in place of ours."""
    with monkeypatch.context() as m:
        m.setattr(xlsxfast, "Workbook", xlsxwriter.Workbook)
        return write(*args)


def first_difference(ours: bytes, theirs: bytes) -> str:
    """Which part differs and where, for the failure message."""
    a, b = zipfile.ZipFile(io.BytesIO(ours)), zipfile.ZipFile(io.BytesIO(theirs))
    if a.namelist() != b.namelist():
        return f"parts {a.namelist()} != {b.namelist()}"
    for name in b.namelist():
        x, y = a.read(name), b.read(name)
        if x != y:
            i = next((k for k in range(min(len(x), len(y))) if x[k] != y[k]), min(len(x), len(y)))
            return f"{name} at byte {i}: ours …{x[max(0, i - 80):i + 80]!r}… XlsxWriter …{y[max(0, i - 80):i + 80]!r}…"
    return "same parts, different zip bytes"


def assert_same(monkeypatch, write, *args) -> None:
    ours = write(*args)
    theirs = with_xlsxwriter(monkeypatch, write, *args)
    assert ours == theirs, first_difference(ours, theirs)


@pytest.fixture(scope="module")
def site() -> Site:
    """The real site, with the sample reports (data/2020/progress-sample/) so templates come filled in."""
    editions = load_editions(ROOT)
    progress = {year: load_progress(ROOT, plan, include_sample=True) for year, plan in editions.plans.items()}
    return Site(editions, progress=progress)


def test_every_item_list_of_the_site_is_byte_for_byte_xlsxwriters(site, monkeypatch):
    makes, seen = [], set()
    for path, make, _origin in downloads.site_outputs(site, None):   # no cache: every one written
        if path.endswith(".xlsx") and "/progress/" not in path and id(make) not in seen:
            seen.add(id(make))
            makes.append((path, make))
    assert len(makes) > 60   # the whole plan, every unit's and county's list
    for path, make in makes:
        ours = make()
        theirs = with_xlsxwriter(monkeypatch, make)
        assert ours == theirs, f"{path}: {first_difference(ours, theirs)}"


def test_every_reporting_template_of_the_site_is_byte_for_byte_xlsxwriters(site, monkeypatch):
    # workbook_bytes itself: the site's own path (sendout._written) keeps each template once per process
    books = [book for ed in site.newest_first for rid in ed.progress.rounds
             for book in sendout.round_books(ed.plan, ed.progress, rid)]
    assert len(books) > 100 and any(row.status for book in books for row in book.rows)   # some filled in
    for book in books:
        assert_same(monkeypatch, template.workbook_bytes, book)


# ----------------------------------------------------------------------------- item lists, cornered
CORNERS = ("<b>&amp;</b> \"quoted\" 'single'", "=SUM(A1:A2)", "+1", "-1", "@cmd", "\ttab first",
           " leading space", "trailing space ", "line one\nline two", "literal _x0041_ escape",
           "bell \x07 and nul \x00", "emoji 😀 beyond the BMP", "FFFE \ufffe", "", "x" * 40000,
           "😀" * 20000)


def item_book(rows, sheet_names=("一、第一部分",), title="测试 <标题> & 'quote'") -> xlsxbook._Book:
    layout = (("编号", 8, False), ("事项名称", 60, True), ("数", 6, False), ("空", 64 / 7, False))
    sheets = tuple((name, tuple(rows)) for name in sheet_names)
    about = (("说明", "本表 <测试>"), ("空白", ""))
    return xlsxbook._Book(layout=layout, sheets=sheets, about=about, creator="赣南 & <苏区>", title=title,
                          date="2020-04-03")


@pytest.mark.parametrize("text", CORNERS, ids=[repr(c[:12]) for c in CORNERS])
def test_item_list_corners(text, monkeypatch):
    rows = [("1-1", text, 3, None), ("1-2", "普通", 0, ""), ("1-3", text, 2.5, text)]
    assert_same(monkeypatch, xlsxbook._xlsx, item_book(rows))


@pytest.mark.parametrize("names", [("一、第一部分", "二、第二部分"), ("Sheet'quote", "a b"), ("R1C1",), ("A1",),
                                   ("1abc",), ("名称" * 15,)])
def test_item_list_sheet_names_that_need_quoting(names, monkeypatch):
    rows = [(f"{n}-1", "事项", n, None) for n in range(1, 40)]   # more than 16 rows: several spans
    assert_same(monkeypatch, xlsxbook._xlsx, item_book(rows, names))


def test_item_list_with_no_items(monkeypatch):
    assert_same(monkeypatch, xlsxbook._xlsx, item_book([]))


def test_sparse_rows_span_blocks_of_sixteen(monkeypatch):
    """A row's spans attribute covers the columns used in its block of 16 rows."""
    rows = [("1", None, None, None)] * 15 + [(None, None, None, "last column only")] + [(None, "x", None, None)]
    assert_same(monkeypatch, xlsxbook._xlsx, item_book(rows))


def test_text_that_looks_like_rich_string_markup_stays_text(monkeypatch):
    """The one deliberate difference: XlsxWriter writes "<r>…</r>" into sharedStrings.xml as raw XML
    (its rich strings), so a data value could be markup or break the file; ours is escaped text."""
    hostile = "<r><t>注入</t></r>"
    broken = "<r><x></r>"
    book = item_book([("1-1", hostile, 1, broken)])
    ours = xlsxbook._xlsx(book)
    assert ours != with_xlsxwriter(monkeypatch, xlsxbook._xlsx, book)
    sheet = load_workbook(io.BytesIO(ours)).worksheets[0]
    assert sheet["B2"].value == hostile and sheet["D2"].value == broken


# ----------------------------------------------------------------------------- templates, cornered
def template_book(rows) -> template.Book:
    return template.Book(year=2020, round="2020-H1", round_label="2020年上半年", deadline="2020-06-30",
                         opens="2020-04-03", closes="2020-09-30", unit="czj", unit_name="市财政局 <&>",
                         doc_title="赣南苏区振兴发展2020年工作要点", doc_no="赣苏振领发〔2020〕1号",
                         issuer="赣南苏区振兴发展工作领导小组", doc_date="2020-04-03",
                         report_to="市振兴办（邮箱：a@b.cn）", rows=tuple(rows))


def test_template_with_reports_filled_in(monkeypatch):
    rows = [template.Row("1-1", "一-1", "事项 <一>", "牵头", True, ""),
            template.Row("1-2", "一-2", "事项二", "责任（选报）", False, "推进中 50%（2020年上半年）",
                         status="已完成", percent=100, date="2020-06-28", description="进展 & 问题\n下一步",
                         evidence=("https://a.example/x?a=1&b=2", "http://b.example/")),
            template.Row("1-3", "一-3", "=HYPERLINK(\"x\")", "牵头", True, "", status="受阻", percent=0,
                         date="2020-09-30", description=" 前后空格 ", evidence=())]
    assert_same(monkeypatch, template.workbook_bytes, template_book(rows))


def test_template_of_many_rows(monkeypatch):
    rows = [template.Row(f"3-{n}", f"三-{n}", f"事项{n}", "责任", n % 2 == 0, "") for n in range(1, 60)]
    assert_same(monkeypatch, template.workbook_bytes, template_book(rows))


# ----------------------------------------------------------------------------- outside the subset
@pytest.mark.parametrize("call", [
    lambda wb, ws: ws.protect("secret"),
    lambda wb, ws: ws.protect("", {"no_such_option": True}),
    lambda wb, ws: ws.data_validation(0, 0, 1, 0, {"validate": "decimal", "criteria": "between", "minimum": 0,
                                                   "maximum": 1}),
    lambda wb, ws: wb.set_properties({"company": "x"}),
    lambda wb, ws: ws.write_datetime(0, 0, None),
])
def test_what_it_does_not_implement_is_refused(call):
    wb = xlsxfast.Workbook(io.BytesIO(), {"in_memory": True})
    with pytest.raises(NotImplementedError):
        call(wb, wb.add_worksheet("甲"))


def test_workbook_options_it_does_not_implement_are_refused():
    with pytest.raises(NotImplementedError):
        xlsxfast.Workbook(io.BytesIO(), {"constant_memory": True})


@pytest.mark.parametrize("name", ["a/b", "x" * 32, "[x]", "'quoted'"])
def test_invalid_sheet_names_are_refused_like_xlsxwriter(name):
    with pytest.raises(InvalidWorksheetName):
        xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True}).add_worksheet(name)
    with pytest.raises(ValueError):
        xlsxfast.Workbook(io.BytesIO(), {"in_memory": True}).add_worksheet(name)


@pytest.mark.parametrize("first, second", [("落实情况", "落实情况"), ("Sheet A", "SHEET a")])
def test_a_duplicate_sheet_name_is_refused_like_xlsxwriter(first, second):
    """Excel compares sheet names without case: so do XlsxWriter and this writer."""
    theirs = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    theirs.add_worksheet(first)
    with pytest.raises(DuplicateWorksheetName):
        theirs.add_worksheet(second)
    ours = xlsxfast.Workbook(io.BytesIO(), {"in_memory": True})
    ours.add_worksheet(first)
    with pytest.raises(ValueError):
        ours.add_worksheet(second)
