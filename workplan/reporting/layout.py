"""The reporting template's layout: one definition read by the writer (template.py) and the
reader (returns.py), so the two cannot drift apart.

Sheet 落实情况 (the only one a unit edits):

    row 1   title: 市财政局 2020年上半年 重大事项落实情况填报表
    row 2   the document, deadline and where to send it
    row 3   how to fill it in, in one line
    row 4   header (COLUMNS)
    row 5…  one row per item the unit may report on, official order

Columns A–E are the item and the unit's role (locked, grey); F–J are filled in (unlocked,
with Excel data validation). The unit, round and year are recorded in the very hidden sheet
_meta (which Excel's and WPS's "unhide" cannot show) and repeated in the title for people.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..progress import DESCRIPTION_MAX

FORMAT = "workplan-progress-template"   # _meta "format": tells our workbooks from any other
VERSION = 1                             # _meta "version": bump when the layout changes

FILL_SHEET = "落实情况"
HELP_SHEET = "填报说明"
META_SHEET = "_meta"

TITLE_ROW, SOURCE_ROW, NOTE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4, 5   # 1-based, as Excel shows them


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float          # characters
    editable: bool = False
    wrap: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("item", "事项标识", 9),
    Column("label", "编号", 10),
    Column("text", "事项名称", 46, wrap=True),
    Column("role", "本单位角色", 16, wrap=True),
    Column("previous", "上次填报", 14, wrap=True),
    Column("status", "状态", 9, editable=True),
    Column("percent", "完成百分比", 10, editable=True),
    Column("date", "填报日期", 13, editable=True),
    Column("description", f"进展情况（{DESCRIPTION_MAX}字以内）", 50, editable=True, wrap=True),
    Column("evidence", "佐证链接（可不填）", 30, editable=True, wrap=True),
)
COLUMN = {c.key: c for c in COLUMNS}
_INDEX = {c.key: n for n, c in enumerate(COLUMNS)}
EDITABLE = tuple(c.key for c in COLUMNS if c.editable)


def index(key: str) -> int:
    """0-based column index of a column key (KeyError for an unknown key)."""
    return _INDEX[key]


def letter(key: str) -> str:
    """Excel column letter of a column key ("status" → "F"); the layout has fewer than 27 columns."""
    return chr(ord("A") + index(key))


def cell(key: str, row: int) -> str:
    """An A1 reference, e.g. cell("percent", 7) → "G7"."""
    return f"{letter(key)}{row}"


# _meta: one key per row in column A, its value in column B.
META_KEYS = ("format", "version", "year", "round", "unit", "unit_name", "items")
