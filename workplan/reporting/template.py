"""A unit's reporting template (填报表) for one round: which rows it holds (`template_book`, from the
plan and the reports already in data/) and the .xlsx itself (`workbook_bytes`, XlsxWriter's API
through workplan/xlsxfast.py).

The rows are the items the unit may report on (Progress.reportable), in official order: the
ones it is chased for (named, or through a group listed in rounds.yaml `reporting_groups`) and,
marked 选报, the ones it reaches through an "有关部门" group the document does not spell out.
A report the unit already filed for the round is filled in, so the same workbook serves to
correct an earlier submission (YAML → workbook → YAML gives the same file, see intake.py).

Everything that makes the bytes is in the `Book` (a tuple of plain values): equal books give
equal files, which the build's XlsxCache and the tests rely on. Plain .xlsx: no macros, no
formulas, no external links; only data validation, sheet protection (no password: it prevents
slips, not determined edits) and a very hidden sheet holding the unit and round.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from typing import NamedTuple

from ..model import Plan
from ..progress import DESCRIPTION_MAX, STATUSES, Progress, Report, Round, role_words
from ..progress.rules import EVIDENCE_MAX, PERCENT_RANGE
from . import layout as L

OPTIONAL_MARK = "（选报）"
_WINDOWS_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Row(NamedTuple):
    item: str
    label: str
    text: str
    role: str
    expected: bool
    previous: str
    status: str | None = None        # the unit's report for this round, when it already filed one
    percent: int | None = None
    date: str | None = None          # ISO date
    description: str = ""
    evidence: tuple[str, ...] = ()


class Book(NamedTuple):
    year: int
    round: str
    round_label: str
    deadline: str
    opens: str
    closes: str
    unit: str
    unit_name: str
    doc_title: str
    doc_no: str
    issuer: str
    doc_date: str
    report_to: str        # e.g. 市振兴办（邮箱：…）, from the document's requirements
    rows: tuple[Row, ...]


# ----------------------------------------------------------------------------- what a template holds
def report_to(plan: Plan) -> str:
    """Where returns go, as the document says it (有关要求: …报至市振兴办，邮箱：…)."""
    for text in plan.document.requirements:
        if "报至" in text:
            to = re.search(r"报至([^，,。；\s]+)", text)
            mail = _EMAIL.search(text)
            return (to.group(1) if to else "") + (f"（邮箱：{mail.group(0)}）" if mail else "")
    return ""


def previous_text(plan: Plan, progress: Progress, report: Report | None) -> str:
    if report is None:
        return ""
    percent = f" {report.percent}%" if report.percent is not None else ""
    return f"{report.status}{percent}（{progress.rounds[report.round].label}）"


def template_rows(plan: Plan, progress: Progress, unit_id: str, round_id: str) -> tuple[Row, ...]:
    expected = set(progress.expected[unit_id])
    rows = []
    for item_id in progress.reportable(unit_id):
        item = plan.items[item_id]
        role, via = progress.roles[item_id][unit_id]
        mine = progress.report(unit_id, item_id, round_id)
        previous = previous_text(plan, progress, progress.previous_report(unit_id, item_id, round_id))
        words = role_words(plan, role, via) + ("" if item_id in expected else OPTIONAL_MARK)
        filled = {} if mine is None else {
            "status": mine.status, "percent": mine.percent, "date": mine.date.isoformat(),
            "description": mine.description, "evidence": mine.evidence}
        rows.append(Row(item_id, item.label, item.text, words, item_id in expected, previous, **filled))
    return tuple(rows)


def template_book(plan: Plan, progress: Progress, unit_id: str, round_id: str) -> Book | None:
    """The template of a unit for a round, or None when the unit has nothing to report on."""
    rows = template_rows(plan, progress, unit_id, round_id)
    if not rows:
        return None
    rnd: Round = progress.round(round_id)
    doc, unit = plan.document, plan.units[unit_id]
    return Book(year=plan.year, round=rnd.id, round_label=rnd.label, deadline=rnd.deadline.isoformat(),
                opens=rnd.opens.isoformat(), closes=rnd.closes.isoformat(), unit=unit.id, unit_name=plan.name_of(unit.id),
                doc_title=doc.title, doc_no=doc.doc_no, issuer=doc.issuer, doc_date=doc.date,
                report_to=report_to(plan), rows=rows)


def template_units(progress: Progress) -> tuple[str, ...]:
    """Units that get a template (they may report on at least one item), registry order."""
    return tuple(uid for uid in progress.plan.units if progress.reportable(uid))


def template_file_name(unit_name: str, round_label: str) -> str:
    """The name the unit sees in its e-mail: 市财政局-2020年上半年-落实情况填报表.xlsx."""
    return _WINDOWS_UNSAFE.sub("_", f"{unit_name}-{round_label}-落实情况填报表") + ".xlsx"


def file_name(book: Book) -> str:
    return template_file_name(book.unit_name, book.round_label)


def _day(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def instructions(book: Book) -> tuple[tuple[str, str], ...]:
    """The 填报说明 sheet: (heading, text) rows, in Chinese."""
    low, high = PERCENT_RANGE
    return (
        ("填报表", f"{book.unit_name} · {book.round_label}重大事项落实情况"),
        ("依据", f"《{book.doc_title}》（{book.doc_no}）有关要求第 2 条：各牵头单位和责任单位于截止日期前对重大事项落实情况进行梳理，报至{book.report_to or '市振兴办'}。"),
        ("截止日期", f"{_day(book.deadline)}（填报日期须在 {_day(book.opens)} 至 {_day(book.closes)} 之间）"),
        ("怎么填", "只填“落实情况”工作表中白色的五列（状态、完成百分比、填报日期、进展情况、佐证链接）；灰色各列是事项信息，已锁定，不要改动。"),
        ("每行一个事项", "不要增加、删除、合并或移动行和列；不需要填报的事项整行留空即可。进展情况较长时可在格内换行（Excel：Alt+Enter；WPS：Alt+Enter）。"),
        ("状态", f"从下拉列表中选择：{'、'.join(STATUSES)}。未启动＝尚未开始实质性工作；推进中＝已开始、尚未完成；已完成＝本年度目标已全部完成；受阻＝遇到本单位无法解决的困难，需要协调（请在进展情况中写明原因和需要的支持）。"),
        ("完成百分比", f"{low}–{high} 的整数，可不填。“已完成”填 100，“未启动”填 0。"),
        ("填报日期", "填写本条报告的日期，例如 2020-06-28、2020/6/28、2020.6.28 或 2020年6月28日。"),
        ("进展情况", f"必填，{DESCRIPTION_MAX} 字以内：写清进展、存在问题和下一步打算。"),
        ("佐证链接", f"可不填；填网页地址（http:// 或 https:// 开头），多个链接每行一个，最多 {EVIDENCE_MAX} 个。附件、照片请放到本单位网站或政务网盘后填链接。"),
        ("本单位角色", "牵头＝本单位是牵头单位；责任＝本单位是责任单位；经集体分配＝事项分配给“各县（市、区）”等集体，本单位是其中之一。"
                   f"标有“{OPTIONAL_MARK}”的事项文件没有逐一点名本单位（如“市直(驻市)有关部门”），有进展可以填报，不填不算未报。"),
        ("上次填报", "本单位上一轮对该事项填报的状态，供参考。本轮已经报过的，表中已填好上次报送的内容，可直接修改后重新发送。"),
        ("发送", f"填好后保存（文件名可以自定，格式保持 .xlsx），以电子邮件附件发送至{book.report_to or '市振兴办'}。请不要另存为 .xls、PDF 或图片。"),
        ("说明", "本表由赣南苏区振兴发展重大事项查询网站根据正式文件生成；表内记录了填报单位和轮次，请只填写发给本单位的这一份。"),
    )


# ----------------------------------------------------------------------------- writing the workbook
_BASE = {"valign": "top", "font_size": 11, "border": 1, "border_color": "#BFBFBF"}
_STYLES = {
    "title": {"bold": True, "font_size": 14},
    "source": {"font_color": "#404040"},
    "note": {"font_color": "#9C0006"},
    "head": {**_BASE, "bold": True, "bg_color": "#D9D9D9", "text_wrap": True},
    "locked": {**_BASE, "bg_color": "#F2F2F2"},
    "locked_wrap": {**_BASE, "bg_color": "#F2F2F2", "text_wrap": True},
    "open": {**_BASE, "locked": False},
    "open_wrap": {**_BASE, "locked": False, "text_wrap": True},
    "open_date": {**_BASE, "locked": False, "num_format": "yyyy-mm-dd"},
    "open_int": {**_BASE, "locked": False, "num_format": "0"},
    "help_key": {"bold": True, "valign": "top"},
    "help_text": {"text_wrap": True, "valign": "top"},
}
_A4 = 9


def workbook_bytes(book: Book) -> bytes:
    """The template as .xlsx bytes. Every zip entry is dated 1980-01-01 and we set the
    document properties from the data, so the same Book always gives the same bytes."""
    from ..xlsxfast import OPTIONS, Workbook   # imports XlsxWriter: not at start-up

    buf = io.BytesIO()
    wb = Workbook(buf, dict(OPTIONS))
    wb.set_properties({"title": f"{book.unit_name}{book.round_label}落实情况填报表", "author": book.issuer,
                       "subject": book.doc_title, "created": dt.datetime.fromisoformat(book.doc_date)})
    fmt = {name: wb.add_format(props) for name, props in _STYLES.items()}
    _fill_sheet(wb.add_worksheet(L.FILL_SHEET), book, fmt)
    _help_sheet(wb.add_worksheet(L.HELP_SHEET), book, fmt)
    _meta_sheet(wb.add_worksheet(L.META_SHEET), book)
    wb.close()
    return buf.getvalue()


def _fill_sheet(ws, book: Book, fmt: dict) -> None:
    ws.write_string(L.TITLE_ROW - 1, 0, f"{book.unit_name} {book.round_label} 重大事项落实情况填报表", fmt["title"])
    ws.write_string(L.SOURCE_ROW - 1, 0, f"《{book.doc_title}》（{book.doc_no}）附件事项 · 报送截止 {_day(book.deadline)}"
                    f" · 报至{book.report_to or '市振兴办'}", fmt["source"])
    ws.write_string(L.NOTE_ROW - 1, 0, "只填白色各列；灰色各列已锁定。不要增删行、列，不填报的事项整行留空。详见“填报说明”工作表。",
                    fmt["note"])
    for col, column in enumerate(L.COLUMNS):
        ws.set_column(col, col, column.width)
        ws.write_string(L.HEADER_ROW - 1, col, column.header, fmt["head"])
    for n, row in enumerate(book.rows):
        r = L.FIRST_ROW - 1 + n
        for key in ("item", "label", "text", "role", "previous"):
            col = L.index(key)
            _put(ws, r, col, getattr(row, key), fmt["locked_wrap" if L.COLUMN[key].wrap else "locked"])
        _put(ws, r, L.index("status"), row.status, fmt["open"])
        _put(ws, r, L.index("percent"), row.percent, fmt["open_int"])
        if row.date:
            ws.write_datetime(r, L.index("date"), dt.datetime.fromisoformat(row.date), fmt["open_date"])
        else:
            ws.write_blank(r, L.index("date"), None, fmt["open_date"])
        _put(ws, r, L.index("description"), row.description, fmt["open_wrap"])
        _put(ws, r, L.index("evidence"), "\n".join(row.evidence), fmt["open_wrap"])
    _validations(ws, book)
    ws.freeze_panes(L.FIRST_ROW - 1, L.index("text"))
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})
    ws.set_paper(_A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(L.HEADER_ROW - 1)
    ws.activate()


def _put(ws, row: int, col: int, value, style) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, style)
    elif isinstance(value, str):
        ws.write_string(row, col, value, style)
    else:
        ws.write_number(row, col, value, style)


def _validations(ws, book: Book) -> None:
    """Excel/WPS check the entries as they are typed; the importer checks them all again."""
    first, last = L.FIRST_ROW - 1, L.FIRST_ROW - 2 + len(book.rows)
    low, high = PERCENT_RANGE
    day = dt.datetime.fromisoformat
    rules = {
        "status": {"validate": "list", "source": list(STATUSES), "input_title": "状态",
                   "input_message": f"从列表中选择：{'、'.join(STATUSES)}。",
                   "error_message": f"只能选择：{'、'.join(STATUSES)}。"},
        "percent": {"validate": "integer", "criteria": "between", "minimum": low, "maximum": high,
                    "input_title": "完成百分比", "input_message": f"{low}–{high} 的整数，可不填；已完成填 100。",
                    "error_message": f"请填写 {low} 到 {high} 的整数（不带 %）。"},
        "date": {"validate": "date", "criteria": "between", "minimum": day(book.opens), "maximum": day(book.closes),
                 "input_title": "填报日期", "input_message": f"例如 {book.deadline}；须在 {book.opens} 至 {book.closes} 之间。",
                 "error_message": f"填报日期须在 {book.opens} 至 {book.closes} 之间。"},
        "description": {"validate": "length", "criteria": "<=", "value": DESCRIPTION_MAX,
                        "input_title": "进展情况", "input_message": f"必填，{DESCRIPTION_MAX} 字以内：进展、问题、下一步。",
                        "error_message": f"进展情况不能超过 {DESCRIPTION_MAX} 字。"},
        "evidence": {"validate": "any", "input_title": "佐证链接",
                     "input_message": f"可不填；http(s) 网址，每行一个，最多 {EVIDENCE_MAX} 个。"},
    }
    for key, options in rules.items():
        col = L.index(key)
        ws.data_validation(first, col, last, col, {"error_title": "填写有误", **options})


def _help_sheet(ws, book: Book, fmt: dict) -> None:
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 100)
    for r, (key, text) in enumerate(instructions(book)):
        ws.write_string(r, 0, key, fmt["help_key"])
        ws.write_string(r, 1, text, fmt["help_text"])
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def _meta_sheet(ws, book: Book) -> None:
    values = {"format": L.FORMAT, "version": L.VERSION, "year": book.year, "round": book.round, "unit": book.unit,
              "unit_name": book.unit_name, "items": ",".join(r.item for r in book.rows)}
    for r, key in enumerate(L.META_KEYS):
        ws.write_string(r, 0, key)
        value = values[key]
        if isinstance(value, int):
            ws.write_number(r, 1, value)
        else:
            ws.write_string(r, 1, value)
    ws.protect()
    ws.very_hidden()
