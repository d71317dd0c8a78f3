"""One returned workbook, read into checked rows, with every problem at its cell.

`read_returned(path, shown)` never raises for a bad file: whatever arrives by e-mail (a corrupt
zip, a password-protected or old .xls file, a Word document renamed .xlsx, another workbook,
a template whose rows were added, deleted or merged by hand) comes back as `Issue`s naming the
file, the sheet and the cell, with the fix in Chinese. Checks that need the plan (is the unit
assigned to the item, is the date inside the round) are made by intake.py on the rows.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..progress.rules import Problem
from . import cells
from . import layout as L

MAX_FILE_BYTES = 20 * 1024 * 1024          # a template is ~10 KB; a return with pictures pasted in stays far below
MAX_UNPACKED_BYTES = 100 * 1024 * 1024     # zip bombs: refuse before openpyxl unpacks anything
MAX_ZIP_ENTRIES = 2000
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and every password-protected Office file
_ZIP = b"PK\x03\x04"
RESAVE = "请在 Excel 或 WPS 中打开，选“另存为”→“Excel 工作簿（*.xlsx）”后重新发送。"


@dataclass(frozen=True)
class Issue:
    """A problem with a returned workbook: file, sheet!cell (or "" for the whole file), key, fix."""

    file: str
    where: str
    key: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        place = f"{self.file} {self.where}" if self.where else self.file
        text = f"{place}: [{self.key}] {self.message}"
        return f"{text}\n    → {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Meta:
    year: int
    round: str
    unit: str
    unit_name: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One filled-in row: the values in the form the YAML report holds."""

    item: str
    row: int                     # Excel row number
    status: str
    percent: int | None
    date: dt.date
    description: str
    evidence: tuple[str, ...]

    def cell(self, key: str) -> str:
        return f"{L.FILL_SHEET}!{L.cell(key, self.row)}"


@dataclass
class Returned:
    file: str
    meta: Meta | None = None
    rows: list[Row] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)      # items whose row was left empty
    issues: list[Issue] = field(default_factory=list)

    def add(self, where: str, problem: Problem | tuple) -> None:
        self.issues.append(Issue(self.file, where, *problem))


def read_returned(path: Path, shown: str) -> Returned:
    """Read a returned workbook; `shown` is how messages name the file (as the maintainer knows it)."""
    out = Returned(shown)
    problem = file_problem(path)
    if problem:
        out.add("", problem)
        return out
    try:
        from openpyxl import load_workbook

        with warnings.catch_warnings():   # openpyxl warns about extensions it drops (WPS adds some)
            warnings.simplefilter("ignore")
            book = load_workbook(path, data_only=True)
    except Exception as exc:   # openpyxl raises many kinds on a damaged file; the message never quotes content
        out.add("", ("file-unreadable", f"文件无法作为 Excel 工作簿读取（{type(exc).__name__}），可能已损坏。", RESAVE))
        return out
    try:
        out.meta = _meta(book, out)
        if out.meta is not None:
            _rows(book, out)
    finally:
        book.close()
    return out


# ----------------------------------------------------------------------------- the file itself
def file_problem(path: Path) -> tuple | None:
    """What makes a file unusable before any parsing: not a regular file, too big, not an .xlsx
    (old .xls, encrypted, another format), a damaged or oversized zip."""
    if path.is_symlink() or not path.is_file():
        return ("not-a-file", "不是普通文件（符号链接、文件夹或设备），未读取。", "把收到的附件另存为普通文件后再导入。")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return ("file-too-large", f"文件有 {size // 1024 // 1024} MB，超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限。",
                "填报表本身只有几十 KB：请删除粘贴进表格的图片等内容后重新保存。")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE2):
        return ("xls-or-encrypted", "这是旧版 .xls 格式的文件，或设置了打开密码的文件。",
                "如设置了密码，请取消密码（文件 → 信息 → 保护工作簿 / WPS：文件 → 文档加密）；" + RESAVE)
    if not head.startswith(_ZIP):
        return ("not-xlsx", "这不是 Excel .xlsx 文件（可能是其他格式的文件改了扩展名）。", RESAVE)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                return ("file-too-large", "文件解压后过大，未读取。", "请使用下发的填报表重新填写。")
            if any(i.flag_bits & 0x1 for i in infos):
                return ("xls-or-encrypted", "文件内容设置了密码，无法读取。", "取消密码后重新保存为 .xlsx。")
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                return ("not-xlsx", "这是压缩文件或其他 Office 文件（如 Word），不是 Excel 工作簿。", RESAVE)
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        return ("file-damaged", "文件已损坏，无法打开。", "请让报送单位重新保存后再发送。")
    if bad is not None:
        return ("file-damaged", "文件已损坏（压缩数据校验失败）。", "请让报送单位重新保存后再发送。")
    return None


# ----------------------------------------------------------------------------- the hidden identity
def _meta(book, out: Returned) -> Meta | None:
    if L.META_SHEET not in book.sheetnames:
        out.add("", ("not-a-template", "这不是下发的落实情况填报表（找不到表内记录的填报单位和轮次）。",
                     "请在下发给本单位的填报表中填写后发回，不要把内容复制到新建的工作簿里。"))
        return None
    ws = book[L.META_SHEET]
    values = {str(row[0]).strip(): row[1] for row in ws.iter_rows(min_row=1, max_col=2, values_only=True)
              if row and row[0] is not None}
    if values.get("format") != L.FORMAT:
        out.add("", ("not-a-template", "这不是下发的落实情况填报表。", "请在下发给本单位的填报表中填写后发回。"))
        return None
    if _int(values.get("version")) != L.VERSION:
        out.add("", ("template-version", f"填报表的版本（{values.get('version')}）与本网站的不一致。",
                     "请使用最新下发的填报表重新填写。"))
        return None
    try:
        return Meta(year=int(values["year"]), round=str(values["round"]).strip(), unit=str(values["unit"]).strip(),
                    unit_name=str(values.get("unit_name") or "").strip(),
                    items=tuple(i for i in str(values.get("items") or "").split(",") if i))
    except (KeyError, TypeError, ValueError):
        out.add("", ("not-a-template", "填报表内记录的填报单位或轮次缺失或被改动。", "请使用下发的填报表重新填写。"))
        return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------- the rows
def _rows(book, out: Returned) -> None:
    if L.FILL_SHEET not in book.sheetnames:
        out.add("", ("sheet-missing", f"工作簿中没有“{L.FILL_SHEET}”工作表（被删除或改名了）。", "请使用下发的填报表重新填写。"))
        return
    ws = book[L.FILL_SHEET]
    if ws.max_row < L.HEADER_ROW or all(cells.is_blank(c.value) for c in ws[L.HEADER_ROW]):
        out.add(L.FILL_SHEET, ("sheet-empty", f"“{L.FILL_SHEET}”工作表是空的。", "请使用下发的填报表重新填写。"))
        return
    merged = [str(r) for r in ws.merged_cells.ranges if r.max_row >= L.HEADER_ROW]
    for ref in merged:
        out.add(f"{L.FILL_SHEET}!{ref}", ("merged-cells", f"单元格 {ref} 被合并了。",
                                          "取消合并（开始 → 合并后居中 → 取消单元格合并）：每个事项一行，每项内容一格。"))
    if merged or not _header_ok(ws, out):
        return
    meta = out.meta
    assert meta is not None
    seen: dict[str, int] = {}
    for r in range(L.FIRST_ROW, ws.max_row + 1):
        values = {c.key: ws.cell(r, n + 1) for n, c in enumerate(L.COLUMNS)}
        if all(cells.is_blank(v.value) for v in values.values()):
            continue   # a blank row: typed between items, or Excel's trailing empties
        item = unicodedata.normalize("NFKC", str(values["item"].value or "")).strip()
        where = f"{L.FILL_SHEET}!{L.cell('item', r)}"
        if not item or item not in meta.items:
            out.add(where, ("row-added", f"第 {r} 行不是填报表中原有的事项" + (f"（“{item}”）" if item else "") + "。",
                            "不要增加行；一个事项的内容写在它自己的一行里，进展情况可以在格内换行（Alt+Enter）。"))
            continue
        if item in seen:
            out.add(where, ("row-duplicated", f"事项 {item} 出现了两行（第 {seen[item]} 行和第 {r} 行）。",
                            "每个事项只保留一行：把内容合并到一行，删除复制出来的那一行。"))
            continue
        seen[item] = r
        _row(out, item, r, values)
    deleted = [i for i in meta.items if i not in seen]
    if deleted:
        out.add(L.FILL_SHEET, ("row-deleted", f"事项 {'、'.join(deleted)} 的行被删除了。",
                               "请使用下发的填报表重新填写，不要删除行；不需要填报的事项整行留空即可。"))


def _header_ok(ws, out: Returned) -> bool:
    ok = True
    for n, column in enumerate(L.COLUMNS):
        got = ws.cell(L.HEADER_ROW, n + 1).value
        if cells.folded(got or "") != cells.folded(column.header):
            ref = f"{L.FILL_SHEET}!{L.cell(column.key, L.HEADER_ROW)}"
            out.add(ref, ("header-changed", f"表头 {L.cell(column.key, L.HEADER_ROW)} 应为“{column.header}”，实际是“{got or ''}”。",
                          "不要插入、删除或移动列：请使用下发的填报表重新填写。"))
            ok = False
    return ok


def _row(out: Returned, item: str, r: int, values: dict) -> None:
    """Read the filled-in columns of one item's row; a row left empty is no report."""
    if all(cells.is_blank(values[key].value) for key in L.EDITABLE):
        out.blank.append(item)
        return

    def at(key: str) -> str:
        return f"{L.FILL_SHEET}!{L.cell(key, r)}"

    before = len(out.issues)
    status = percent = day = None
    if cells.is_blank(values["status"].value):
        out.add(at("status"), ("status-missing", "这一行填了内容，但没有选择状态。", "从下拉列表中选择状态。"))
    else:
        status, problem = cells.read_status(values["status"].value)
        if problem:
            out.add(at("status"), problem)
    percent, problem = cells.read_percent(values["percent"].value, values["percent"].number_format)
    if problem:
        out.add(at("percent"), problem)
    if cells.is_blank(values["date"].value):
        out.add(at("date"), ("date-missing", "这一行填了内容，但没有填报日期。", "填写填报日期，例如 2020-06-28。"))
    else:
        day, problem = cells.read_date(values["date"].value)
        if problem:
            out.add(at("date"), problem)
    description, problem = cells.read_description(values["description"].value)
    if problem:
        out.add(at("description"), problem)
    evidence, problems = cells.read_evidence(values["evidence"].value)
    for problem in problems:
        out.add(at("evidence"), problem)
    if len(out.issues) == before:
        out.rows.append(Row(item, r, status, percent, day, description, evidence))
