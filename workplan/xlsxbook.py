"""Item lists as XLSX workbooks (in memory, written with XlsxWriter's API by workplan/xlsxfast.py,
which gives XlsxWriter's own bytes faster): one sheet per part plus a 说明 sheet.

The same book always gives the same bytes (every zip entry is dated 1980-01-01; the
document properties come from the data), so workbooks can be cached by their content
(workplan/xlsxcache.py). Every text cell is a string, never a formula; text that a spreadsheet
would read as a formula gets Excel's quote-prefix style (see workplan/exports.py).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from typing import Iterable, NamedTuple

from .columns import COLUMNS, DANGEROUS, ID_SEP, SEP, Column
from .model import Item, Plan
from .progress import NO_REPORT, STATUSES, Progress
from .xlsxcache import XlsxCache

_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")    # control characters XML 1.0 cannot hold
_STYLES = {"head": {"bold": True, "bg_color": "#EEEEEE", "pattern": 1},
           "top": {"valign": "top"},
           "wrap": {"valign": "top", "text_wrap": True},
           "bold": {"bold": True, "valign": "top"}}
_A4 = 9                                                            # XlsxWriter's paper size code


def sheet_title(plan: Plan, part_id: str) -> str:
    part = plan.categories[part_id]
    return f"{part.label}、{part.title}".translate(_BAD_SHEET_CHARS)[:31]


class _Book(NamedTuple):
    """Everything an XLSX file is made of, and nothing else (so equal books give equal bytes)."""
    layout: tuple[tuple[str, float, bool], ...]                    # per column: header, width, wrap
    sheets: tuple[tuple[str, tuple[tuple[object, ...], ...]], ...]  # per sheet: name, data rows
    about: tuple[tuple[str, str], ...]                             # the 说明 sheet's rows
    creator: str
    title: str
    date: str                                                      # ISO date: created and modified


def xlsx_bytes(plan: Plan, items: Iterable[Item], columns: tuple[Column, ...] = COLUMNS,
               title: str = "", progress: Progress | None = None, cache: XlsxCache | None = None) -> bytes:
    """One sheet per part that has items (one empty sheet when none has) plus a last sheet 说明;
    frozen header row, filters, column widths, A4 landscape printing with the header repeated on
    each page."""
    book = _book(plan, tuple(items), columns, title, progress)
    return cache.get(book, _xlsx) if cache is not None else _xlsx(book)


def _book(plan: Plan, items: tuple[Item, ...], columns: tuple[Column, ...], title: str,
          progress: Progress | None) -> _Book:
    parts = [p for p in plan.parts if any(item.part == p.id for item in items)] or plan.parts[:1]
    rows = [(item.part, tuple(c.cell(plan, item, progress) for c in columns)) for item in items]
    sheets = tuple((sheet_title(plan, p.id), tuple(r for part, r in rows if part == p.id)) for p in parts)
    doc = plan.document
    return _Book(layout=tuple((c.header, c.width, c.wrap) for c in columns), sheets=sheets,
                 about=_about(plan, len(items), title, progress), creator=doc.issuer,
                 title=title or plan.attachment_title, date=doc.date)


def _about(plan: Plan, count: int, title: str, progress: Progress | None) -> tuple[tuple[str, str], ...]:
    doc = plan.document
    lines = [("文件", doc.notice_title or doc.title), ("文号", doc.doc_no), ("内容", title or plan.attachment_title),
             ("事项数", str(count)),
             ("说明", f"多个单位以“{SEP}”分隔；标识列为网站数据中的单位、集体编号，多个以“{ID_SEP}”分隔。"),
             ("说明", "本表由网站构建时从数据生成，文字与原文一致。"),
             ("说明", f"落实状态为各事项牵头单位最近一轮报告的状态（{'、'.join(STATUSES)}），"
                    f"从未有牵头单位报告的为“{NO_REPORT}”。")]
    if progress is not None and progress.includes_sample:
        lines.append(("注意", "示例数据，非真实进展：本表的落实状态含虚构的示例报告，仅用于演示。"))
    return tuple(lines)


def _xlsx(book: _Book) -> bytes:
    """Write the workbook in memory. Every zip entry is dated 1980-01-01 and core.xml has the date we
    set, so the same book always gives the same bytes."""
    from .xlsxfast import OPTIONS, Workbook   # imports XlsxWriter: not at start-up

    buf = io.BytesIO()
    # Cells are written with write_string/write_number; the options keep any text from being guessed
    # to be a formula, number or link all the same.
    wb = Workbook(buf, dict(OPTIONS))
    wb.set_properties({"author": book.creator, "title": book.title,
                       "created": dt.datetime.fromisoformat(book.date)})
    formats = {(name, quoted): wb.add_format({**props, "quote_prefix": True} if quoted else props)
               for name, props in _STYLES.items() for quoted in (False, True)}   # unused ones are not written

    styles = ["wrap" if wrap else "top" for _, _, wrap in book.layout]
    last_col = len(book.layout) - 1
    for name, rows in book.sheets:
        ws = wb.add_worksheet(name)
        for col, (header, width, _) in enumerate(book.layout):
            _set_width(ws, col, width)
            _put(ws, formats, 0, col, header, "head")
        for row, values in enumerate(rows, 1):
            for col, value in enumerate(values):
                _put(ws, formats, row, col, value, styles[col])
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(rows), last_col)
        ws.repeat_rows(0)
        ws.set_paper(_A4)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)

    about = wb.add_worksheet("说明")
    for row, (key, text) in enumerate(book.about):
        _put(about, formats, row, 0, key, "bold")
        _put(about, formats, row, 1, text, "wrap")
    _set_width(about, 0, 10)
    _set_width(about, 1, 90)
    wb.close()
    return buf.getvalue()


def _put(ws, formats: dict, row: int, col: int, value: object, style: str) -> None:
    """One cell: text always as a string (quote-prefixed when it could start a formula), ints as numbers."""
    if value is None or value == "":
        ws.write_blank(row, col, None, formats[style, False])
    elif isinstance(value, str):
        text = _ILLEGAL_XML.sub("\ufffd", value)
        ws.write_string(row, col, text, formats[style, text.startswith(DANGEROUS)])
    else:
        ws.write_number(row, col, value, formats[style, False])


def _set_width(ws, col: int, width: float) -> None:
    # set_column() adds Excel's cell padding to the width (60 → 60.71); at 7 pixels per character
    # (Calibri 11) set_column_pixels stores whole-character widths exactly as given.
    ws.set_column_pixels(col, col, round(width * 7))
