"""Worksheets for workplan/xlsxfast.py: the cells and settings of one sheet, and its XML exactly as
XlsxWriter writes it (see xlsxfast.py for why, and tests/test_xlsxfast.py for the proof); with the
XML escaping both modules share."""
from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from xlsxwriter.format import Format as _XwFormat
from xlsxwriter.utility import (_datetime_to_excel_datetime, _utf16_len, _utf16_truncate, quote_sheetname,
                                xl_col_to_name, xl_range, xl_rowcol_to_cell)
from xlsxwriter.xmlwriter import XMLwriter

if TYPE_CHECKING:
    from .xlsxfast import Workbook

DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRMAX = 32767                                   # Excel's longest cell text (UTF-16 units)
_DEFAULT_COL_PIXELS = 64
# (option, attribute, value written, written when the option is …) in XlsxWriter's order
_PROTECT_ATTRS = (("sheet", "sheet", 1, True), ("content", "content", 1, True), ("objects", "objects", 1, False),
                  ("scenarios", "scenarios", 1, False), ("format_cells", "formatCells", 0, True),
                  ("format_columns", "formatColumns", 0, True), ("format_rows", "formatRows", 0, True),
                  ("insert_columns", "insertColumns", 0, True), ("insert_rows", "insertRows", 0, True),
                  ("insert_hyperlinks", "insertHyperlinks", 0, True), ("delete_columns", "deleteColumns", 0, True),
                  ("delete_rows", "deleteRows", 0, True), ("select_locked_cells", "selectLockedCells", 1, False),
                  ("sort", "sort", 0, True), ("autofilter", "autoFilter", 0, True),
                  ("pivot_tables", "pivotTables", 0, True), ("select_unlocked_cells", "selectUnlockedCells", 1, False))
_PROTECT = {key: key in ("sheet", "select_locked_cells", "select_unlocked_cells") for key, *_ in _PROTECT_ATTRS}
_VALIDATE = {"any": "none", "integer": "whole", "list": "list", "date": "date", "length": "textLength"}
_CRITERIA = {"between": "between", "<=": "lessThanOrEqual"}
# Most text needs no _xHHHH_ escaping: checked first, as XlsxWriter's escaping runs two substitutions.
_NEEDS_CONTROL = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_XML = XMLwriter()   # XlsxWriter's own escaping; these methods do not touch the writer's file


def attr(value) -> str:
    """An attribute value as XlsxWriter writes it."""
    return _XML._escape_attributes(str(value))


def data(text: str) -> str:
    """Element text as XlsxWriter's _xml_data_element writes it: &, <, > escaped, control characters
    as Excel's _xHHHH_."""
    text = _XML._escape_data(text)
    return XMLwriter._escape_control_characters(text) if _NEEDS_CONTROL.search(text) else text


@lru_cache(maxsize=None)
def _col_name(col: int) -> str:
    return xl_col_to_name(col)


def tag(name: str, attrs) -> str:
    return name + "".join(f' {k}="{attr(v)}"' for k, v in attrs)


class Format:
    """A cell format: its properties, and the key XlsxWriter uses to tell formats apart."""

    def __init__(self, props: dict):
        self.props = tuple(sorted(props.items()))
        self.key = _format_key(self.props)


@lru_cache(maxsize=None)
def _format_key(props: tuple) -> tuple:
    return _XwFormat(dict(props))._get_format_key()


class Worksheet:
    """One sheet: what the API calls recorded, turned into XML by _xml() when the workbook closes."""

    def __init__(self, book: Workbook, name: str, index: int):
        self.book, self.name, self.index = book, name, index
        self.cells: dict[int, dict[int, tuple[str, object, Format | None]]] = {}
        self.widths: dict[int, int] = {}          # column → pixels
        self.panes: tuple[int, int] | None = None
        self.autofilter_range: tuple[int, int, int, int] | None = None
        self.repeat: str = ""
        self.paper = 0
        self.landscape = False
        self.fit: tuple[int, int] | None = None
        self.protection: dict | None = None
        self.validations: list[str] = []          # <dataValidation> elements
        self.hidden = 0                           # 2: very hidden
        self.selected = False

    # ---------------------------------------------------------------- the API subset
    def write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> int:
        error = 0
        if len(string) > _STRMAX // 2 and _utf16_len(string) > _STRMAX:
            string, error = _utf16_truncate(string, _STRMAX), -2
        self._put(row, col, ("s", self.book._string(string), cell_format))
        return error

    def write_number(self, row: int, col: int, number, cell_format: Format | None = None) -> int:
        if not math.isfinite(number):
            raise TypeError("NAN/INF not supported in write_number()")   # as XlsxWriter
        self._put(row, col, ("n", number, cell_format))
        return 0

    def write_blank(self, row: int, col: int, blank, cell_format: Format | None = None) -> int:
        if cell_format is not None:   # XlsxWriter writes no blank cell without a format
            self._put(row, col, ("b", None, cell_format))
        return 0

    def write_datetime(self, row: int, col: int, date: dt.datetime, cell_format: Format | None = None) -> int:
        if cell_format is None:
            raise NotImplementedError("write_datetime without a format")
        self._put(row, col, ("n", _datetime_to_excel_datetime(date, False, False), cell_format))
        return 0

    def set_column(self, first_col: int, last_col: int, width: float) -> int:
        if width == 0:
            pixels = 0
        elif width < 1:
            pixels = int(width * 12 + 0.5)
        else:
            pixels = int(width * 7 + 0.5) + 5
        return self.set_column_pixels(first_col, last_col, pixels)

    def set_column_pixels(self, first_col: int, last_col: int, width: int) -> int:
        for col in range(min(first_col, last_col), max(first_col, last_col) + 1):
            self.widths[col] = width
        return 0

    def freeze_panes(self, row: int, col: int) -> None:
        self.panes = (row, col)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> int:
        self.autofilter_range = (first_row, first_col, last_row, last_col)
        return 0

    def repeat_rows(self, first_row: int, last_row: int | None = None) -> None:
        last_row = first_row if last_row is None else last_row
        self.repeat = f"{quote_sheetname(self.name)}!${first_row + 1}:${last_row + 1}"

    def set_paper(self, paper_size: int) -> None:
        self.paper = paper_size

    def set_landscape(self) -> None:
        self.landscape = True

    def fit_to_pages(self, width: int, height: int) -> None:
        self.fit = (width, height)

    def protect(self, password: str = "", options: dict | None = None) -> None:
        if password:
            raise NotImplementedError("a sheet password")
        unknown = set(options or {}) - set(_PROTECT)
        if unknown:
            raise NotImplementedError(f"protection options {sorted(unknown)}")
        self.protection = {**_PROTECT, **(options or {})}

    def very_hidden(self) -> None:
        self.hidden, self.selected = 2, False

    def activate(self) -> None:
        self.hidden, self.selected = 0, True
        self.book.active = self.index

    def data_validation(self, first_row: int, first_col: int, last_row: int, last_col: int, options: dict) -> int:
        self.validations.append(_validation(xl_range(first_row, first_col, last_row, last_col), options))
        return 0

    # ---------------------------------------------------------------- writing
    def _put(self, row: int, col: int, cell: tuple) -> None:
        cells = self.cells.get(row)
        if cells is None:
            cells = self.cells[row] = {}
        cells[col] = cell

    def _xml(self) -> str:
        rows = sorted(self.cells)
        spans = self._spans(rows)
        out = [DECL, f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">']
        if self.fit:
            out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        out.append(f'<dimension ref="{_dimension(rows, spans)}"/>')
        out.append(self._views())
        out.append('<sheetFormatPr defaultRowHeight="15"/>')
        out.append(self._cols())
        out.append(self._sheet_data(rows, spans))
        if self.protection is not None:
            p = self.protection
            attrs = [(name, value) for key, name, value, when in _PROTECT_ATTRS if bool(p[key]) == when]
            out.append(f"<{tag('sheetProtection', attrs)}/>")
        if self.autofilter_range:
            out.append(f'<autoFilter ref="{xl_range(*self.autofilter_range)}"/>')
        if self.validations:
            out.append(f'<dataValidations count="{len(self.validations)}">{"".join(self.validations)}'
                       '</dataValidations>')
        out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
        if self.paper or self.landscape or self.fit:
            attrs = [("paperSize", self.paper)] if self.paper else []
            if self.fit and self.fit[0] != 1:
                attrs.append(("fitToWidth", self.fit[0]))
            if self.fit and self.fit[1] != 1:
                attrs.append(("fitToHeight", self.fit[1]))
            attrs.append(("orientation", "landscape" if self.landscape else "portrait"))
            out.append(f"<{tag('pageSetup', attrs)}/>")
        out.append("</worksheet>")
        return "".join(out)

    def _views(self) -> str:
        head = '<sheetViews><sheetView tabSelected="1" workbookViewId="0"' if self.selected else \
            '<sheetViews><sheetView workbookViewId="0"'
        if self.panes is None:
            return head + "/></sheetViews>"
        row, col = self.panes
        if row and col:
            active = "bottomRight"
            col_cell, row_cell = xl_rowcol_to_cell(0, col), xl_rowcol_to_cell(row, 0)
            selections = (f'<selection pane="topRight" activeCell="{col_cell}" sqref="{col_cell}"/>'
                          f'<selection pane="bottomLeft" activeCell="{row_cell}" sqref="{row_cell}"/>'
                          '<selection pane="bottomRight"/>')
        else:
            active = "topRight" if col else "bottomLeft"
            selections = f'<selection pane="{active}"/>'
        split = (f' xSplit="{col}"' if col else "") + (f' ySplit="{row}"' if row else "")
        return (f'{head}><pane{split} topLeftCell="{xl_rowcol_to_cell(row, col)}" activePane="{active}" '
                f'state="frozen"/>{selections}</sheetView></sheetViews>')

    def _cols(self) -> str:
        if not self.widths:
            return ""
        runs: list[list[int]] = []                # [first, last, pixels]
        for col in sorted(self.widths):
            px = self.widths[col]
            if runs and runs[-1][1] == col - 1 and runs[-1][2] == px:
                runs[-1][1] = col
            else:
                runs.append([col, col, px])
        out = []
        for first, last, px in runs:
            custom = ' customWidth="1"' if px != _DEFAULT_COL_PIXELS else ""
            out.append(f'<col min="{first + 1}" max="{last + 1}" width="{(px * 256 // 7) / 256.0:.16g}"{custom}/>')
        return f"<cols>{''.join(out)}</cols>"

    def _spans(self, rows: list[int]) -> dict[int, tuple[int, int]]:
        """Block of 16 rows → the first and last column written in it (a row's spans attribute)."""
        spans: dict[int, tuple[int, int]] = {}
        for row in rows:
            cols = self.cells[row]
            block = row // 16
            low, high = min(cols), max(cols)
            if block in spans:
                a, b = spans[block]
                spans[block] = (min(a, low), max(b, high))
            else:
                spans[block] = (low, high)
        return spans

    def _sheet_data(self, rows: list[int], spans: dict[int, tuple[int, int]]) -> str:
        if not rows:
            return "<sheetData/>"
        xf = self.book._xf
        out = ["<sheetData>"]
        for row in rows:
            a, b = spans[row // 16]
            out.append(f'<row r="{row + 1}" spans="{a + 1}:{b + 1}">')
            r = str(row + 1)
            for col in sorted(self.cells[row]):
                kind, value, fmt = self.cells[row][col]
                ref = _col_name(col) + r
                style = f' s="{xf(fmt)}"' if fmt is not None else ""
                if kind == "s":
                    out.append(f'<c r="{ref}"{style} t="s"><v>{value}</v></c>')
                elif kind == "n":
                    out.append(f'<c r="{ref}"{style}><v>{value:.16G}</v></c>')
                else:
                    out.append(f'<c r="{ref}"{style}/>')
            out.append("</row>")
        out.append("</sheetData>")
        return "".join(out)

    def _defined_names(self) -> list[list]:
        names = []
        if self.autofilter_range:
            r0, c0, r1, c1 = self.autofilter_range
            first, last = xl_col_to_name(c0, True) + f"${r0 + 1}", xl_col_to_name(c1, True) + f"${r1 + 1}"
            area = first if first == last else f"{first}:{last}"
            names.append(["_xlnm._FilterDatabase", self.index, f"{quote_sheetname(self.name)}!{area}", 1])
        if self.repeat:
            names.append(["_xlnm.Print_Titles", self.index, self.repeat, 0])
        return names


def _dimension(rows: list[int], spans: dict[int, tuple[int, int]]) -> str:
    """The used range: every written cell (set_column and the like do not count, as in XlsxWriter)."""
    if not rows:
        return "A1"
    first = xl_rowcol_to_cell(rows[0], min(low for low, _ in spans.values()))
    last = xl_rowcol_to_cell(rows[-1], max(high for _, high in spans.values()))
    return first if first == last else f"{first}:{last}"


def _validation(sqref: str, options: dict) -> str:
    """One <dataValidation>, for the options reporting/template.py gives (XlsxWriter's names)."""
    known = {"validate", "criteria", "value", "source", "minimum", "maximum", "input_title", "input_message",
             "error_title", "error_message"}
    if set(options) - known or options["validate"] not in _VALIDATE:
        raise NotImplementedError(f"data validation {options}")
    kind = _VALIDATE[options["validate"]]
    value = options.get("minimum", options.get("source", options.get("value")))
    criteria, maximum = "between", None
    if kind not in ("none", "list"):
        criteria = _CRITERIA[options["criteria"]]
        maximum = options["maximum"] if criteria == "between" else None
    if kind == "date":
        value, maximum = (None if v is None else f"{_datetime_to_excel_datetime(v, False, False):.16g}"
                          for v in (value, maximum))
    for key, limit in (("input_title", 32), ("error_title", 32), ("input_message", 255), ("error_message", 255)):
        if key in options and _utf16_len(options[key]) > limit:
            raise ValueError(f"data validation {key} is longer than Excel's {limit}: {options[key]!r}")
    attrs = []
    if kind != "none":
        attrs.append(("type", kind))
        if criteria != "between":
            attrs.append(("operator", criteria))
    attrs += [("allowBlank", 1), ("showInputMessage", 1), ("showErrorMessage", 1)]
    for key, name in (("error_title", "errorTitle"), ("error_message", "error"), ("input_title", "promptTitle"),
                      ("input_message", "prompt")):
        if key in options:
            attrs.append((name, options[key]))
    attrs.append(("sqref", sqref))
    if kind == "none":
        return f"<{tag('dataValidation', attrs)}/>"
    if isinstance(value, list):
        formula = ",".join(str(v) for v in value)
        if _utf16_len(formula) > 255:
            raise ValueError(f"data validation list is longer than Excel's 255: {formula!r}")
        value = f'"{formula}"'
    formulas = f"<formula1>{data(str(value))}</formula1>"
    if maximum is not None:
        formulas += f"<formula2>{data(str(maximum))}</formula2>"
    return f"<{tag('dataValidation', attrs)}>{formulas}</dataValidation>"
