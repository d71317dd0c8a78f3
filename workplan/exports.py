"""Downloads generated from the plan at build time: CSV, XLSX and a small read-only JSON API.

Everything here is a pure function of the `Plan` and its `Progress` (the 落实状态 columns, issue 8:
each item's latest status, the round it is from, the percent — never anything that depends on the
build date); `write_exports(plan, out_dir, progress)` writes into a directory (the built site) and
returns the paths it wrote. Without progress every item's status is 尚无报告. The same plan always gives the same
bytes: JSON with sorted keys and no timestamps, XLSX with fixed zip dates and document
properties taken from the data.

Layout (relative to the site root)::

    downloads/items.csv, downloads/items.xlsx          the whole plan
    downloads/units/<id>.csv|.xlsx                      one unit (not a county or zone)
    downloads/counties/<id>.csv|.xlsx                   one county or zone (units with a page under counties/)
    downloads/charts/<name>.svg                         the charts of the charts page
    api/plan.json, api/items.json, api/units.json
    api/units/<id>.json, api/counties/<id>.json
    api/schema/<name>.schema.json                       JSON Schema (draft 2020-12) of each file

Spreadsheet formula injection: a CSV cell whose text starts with = + - @ (or a tab, a carriage
return, or the quote itself) is written with a leading single quote ('), so that Excel/WPS show
it as text instead of running it; `csv_unquote` undoes it. In XLSX every text cell is stored as a
string (never a formula) and such cells get Excel's "quote prefix" style, so the text is exact
(except control characters XLSX cannot hold, which become U+FFFD; the data has none).

To add a column: append a `Column` to `COLUMNS` (CSV and XLSX follow; a column drawn from the
item's latest progress status sets `status` instead of `value`), and a field to `item_record`,
`ITEM_SCHEMA` and `FIELD_DOCS["item"]` (JSON, its schema and the API page; tests/test_exports.py
checks that every schema field is documented).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from .model import Item, Plan, Unit
from .progress import NO_REPORT, STATUSES, ItemStatus, Progress, role_words
from .xlsxcache import XlsxCache

SEP = "；"           # between several names in one cell (names may contain 、, as in 各县（市、区）)
ID_SEP = ";"         # between several ids in one cell
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "'")


# ----------------------------------------------------------------------------- columns
@dataclass(frozen=True)
class Column:
    key: str                                   # stable ASCII name (also the JSON field it mirrors)
    header: str                                # CSV/XLSX header
    width: float                               # XLSX column width in characters
    value: Callable[[Plan, Item], object] | None   # the cell: str or int
    wrap: bool = False                         # long text: wrap in XLSX
    status: Callable[[ItemStatus | None], object] | None = None   # progress columns: from the latest status

    def cell(self, plan: Plan, item: Item, progress: Progress | None = None) -> object:
        if self.status is not None:
            return self.status(latest_status(progress, item.id))
        return self.value(plan, item)


def latest_status(progress: Progress | None, item_id: str) -> ItemStatus | None:
    return progress.latest.get(item_id) if progress is not None else None


def _part(plan: Plan, item: Item) -> str:
    part = plan.categories[item.part]
    return f"{part.label}、{part.title}"


def _sub(plan: Plan, item: Item) -> str:
    cat = plan.categories[item.category]
    return f"{cat.number}{cat.title}" if cat.parent else ""


def _printed(role: str):
    return lambda plan, item: SEP.join(e.printed for e in item.entries(role))


def _unit_ids(role: str):
    return lambda plan, item: ID_SEP.join(item.unit_ids(role))


def _group_ids(role: str):
    return lambda plan, item: ID_SEP.join(item.group_ids(role))


COLUMNS: tuple[Column, ...] = (
    Column("label", "编号", 11, lambda plan, item: item.label),
    Column("id", "标识", 9, lambda plan, item: item.id),
    Column("part", "部分", 22, _part, wrap=True),
    Column("subcategory", "小类", 22, _sub, wrap=True),
    Column("no", "序号", 6, lambda plan, item: item.no),
    Column("text", "事项名称", 60, lambda plan, item: item.text, wrap=True),
    Column("lead", "牵头单位", 22, _printed("lead"), wrap=True),
    Column("responsible", "责任单位", 30, _printed("responsible"), wrap=True),
    Column("lead_units", "牵头单位标识", 14, _unit_ids("lead")),
    Column("lead_groups", "牵头集体标识", 14, _group_ids("lead")),
    Column("responsible_units", "责任单位标识", 18, _unit_ids("responsible")),
    Column("responsible_groups", "责任集体标识", 18, _group_ids("responsible")),
    Column("points", "对应工作要点", 10, lambda plan, item: "、".join(str(n) for n in item.points)),
    # Progress (issue 8): the latest status from the lead units' reports, its round, the percent.
    Column("status", "落实状态", 10, None, status=lambda st: st.status if st else NO_REPORT),
    Column("status_round", "状态所属轮次", 12, None, status=lambda st: st.round if st else ""),
    Column("percent", "完成百分比", 10, None, status=lambda st: st.percent if st and st.percent is not None else ""),
)


_ORDERS: list[tuple[Plan, dict[str, int]]] = []


def _item_order(plan: Plan) -> dict[str, int]:
    """item id → position in official order, kept for the last few plans (Plan is not hashable)."""
    for known, order in _ORDERS:
        if known is plan:
            return order
    order = {iid: n for n, iid in enumerate(plan.items)}
    _ORDERS[:] = [(plan, order), *_ORDERS[:3]]
    return order


def relations(plan: Plan, unit_id: str) -> dict[str, list[dict]]:
    """item id → how the unit relates to it ({"relation": lead|responsible|mentioned, "via_group"}),
    items in official order. Mentions count only for items that reach the unit no other way
    (as on the county page and in charts.county_breakdown)."""
    out: dict[str, list[dict]] = {}
    for inv in plan.involvement[unit_id]:
        out.setdefault(inv.item, []).append({"relation": inv.role, "via_group": inv.via_group})
    for item_id in plan.mentions.get(unit_id, ()):
        if item_id not in out:
            out.setdefault(item_id, []).append({"relation": "mentioned", "via_group": None})
    order = _item_order(plan)
    rank = {"lead": 0, "responsible": 1, "mentioned": 2}
    return {iid: sorted(rels, key=lambda r: (r["via_group"] is not None, rank[r["relation"]], r["via_group"] or ""))
            for iid, rels in sorted(out.items(), key=lambda kv: order[kv[0]])}


def relation_text(plan: Plan, rels: Iterable[dict]) -> str:
    """'牵头', '责任（经集体分配：各县（市、区））', '正文提及', joined by SEP."""
    return SEP.join("正文提及" if r["relation"] == "mentioned" else role_words(plan, r["relation"], r["via_group"])
                    for r in rels)


def unit_columns(plan: Plan, unit_id: str) -> tuple[Column, ...]:
    """The columns of a unit's or county's own list: how it is involved, then COLUMNS."""
    rels = relations(plan, unit_id)

    def role(plan: Plan, item: Item) -> str:
        return relation_text(plan, rels.get(item.id, ()))
    return (Column("relation", "本单位角色", 18, role, wrap=True),) + COLUMNS


def unit_items(plan: Plan, unit_id: str) -> tuple[Item, ...]:
    """Every item on the unit's (or county's) page: named, through a group, or mentioned."""
    return tuple(plan.items[i] for i in relations(plan, unit_id))


# ----------------------------------------------------------------------------- CSV
def csv_quote(value: object) -> str:
    """A cell as text, neutralised against formula injection (see the module docstring)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def csv_unquote(cell: str) -> str:
    """Inverse of csv_quote for text cells: every cell starting with ' was prefixed."""
    return cell[1:] if cell.startswith("'") else cell


def csv_bytes(plan: Plan, items: Iterable[Item], columns: tuple[Column, ...] = COLUMNS,
              progress: Progress | None = None) -> bytes:
    """UTF-8 with BOM (so Excel reads Chinese correctly), CRLF line ends, one header row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_quote(c.header) for c in columns])
    for item in items:
        writer.writerow([csv_quote(c.cell(plan, item, progress)) for c in columns])
    return buf.getvalue().encode("utf-8-sig")


# ----------------------------------------------------------------------------- XLSX
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
    """Write the workbook in memory. XlsxWriter gives every zip entry the date 1980-01-01 and core.xml
    the date we set, so the same book always gives the same bytes."""
    import xlsxwriter

    buf = io.BytesIO()
    # Cells are written with write_string/write_number; the options keep any text from being guessed
    # to be a formula, number or link all the same.
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
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


# ----------------------------------------------------------------------------- JSON records
API_VERSION = 2   # 2: entries carry others/clause, items links, units names/member_of; groups lost member_kinds


def entry_record(e) -> dict:
    return {"printed": e.printed, "unit": e.unit, "group": e.group, "others": e.others, "clause": e.clause}


def errata_records(errata) -> list[dict]:
    return [{"original": e.original, "should_be": e.should_be, "note": e.note} for e in errata]


def item_record(plan: Plan, item: Item, progress: Progress | None = None) -> dict:
    st = latest_status(progress, item.id)
    return {
        "id": item.id, "label": item.label, "part": item.part, "category": item.category, "no": item.no,
        "text": item.text,
        "lead": [entry_record(e) for e in item.lead],
        "responsible": [entry_record(e) for e in item.responsible],
        "points": list(item.points),
        "links": [{"point": link.point, "quote": link.quote} for link in item.links],
        "errata": errata_records(item.errata),
        "status": st.status if st else NO_REPORT,
        "status_round": st.round if st else None,
        "percent": st.percent if st else None,
    }


def edition_file(year: int, path: str) -> str:
    """Where an edition's file is on the site: downloads/items.csv → downloads/2020/items.csv,
    api/items.json → api/2020/items.json (the schemas in api/schema/ serve every edition).
    workplan/pages/urls.py describes the whole layout."""
    head, _, rest = path.partition("/")
    if head in ("downloads", "api") and not path.startswith("api/schema/"):
        return f"{head}/{year}/{rest}"
    return path


def unit_paths(unit: Unit) -> dict[str, str]:
    """Where a unit's files are, relative to the site root."""
    folder = "counties" if unit.is_place else "units"
    return {"json": f"api/{folder}/{unit.id}.json", "csv": f"downloads/{folder}/{unit.id}.csv",
            "xlsx": f"downloads/{folder}/{unit.id}.xlsx"}


def unit_counts(plan: Plan, unit_id: str) -> dict[str, int | None]:
    rels = relations(plan, unit_id)
    flat = [r for rs in rels.values() for r in rs]
    return {
        "lead": len(plan.involved(unit_id, "lead")),
        "responsible": len(plan.involved(unit_id, "responsible")),
        "collective": len(plan.collective_only(unit_id)),
        "mentioned": sum(1 for r in flat if r["relation"] == "mentioned") if plan.units[unit_id].is_place else None,
        "total": len(rels),
    }


def unit_record(plan: Plan, unit: Unit) -> dict:
    return {
        "id": unit.id, "name": unit.name, "full_name": unit.full_name, "kind": unit.kind,
        "aliases": list(unit.aliases), "division": unit.division, "mentions": list(unit.mentions),
        "former_ids": list(unit.former_ids), "note": unit.note, "place": unit.is_place,
        "names": [{"name": n.name, "since": n.since or None, "until": n.until or None} for n in unit.names],
        "name_in_edition": plan.name_of(unit.id), "member_of": list(unit.member_of),
        "counts": unit_counts(plan, unit.id),
        "files": {k: edition_file(plan.year, v) for k, v in unit_paths(unit).items()},
    }


def group_record(plan: Plan, group) -> dict:
    return {"id": group.id, "name": group.name, "aliases": list(group.aliases),
            "members": list(group.members), "note": group.note,
            "items": [i.id for i in plan.group_items(group.id)]}


def document_record(plan: Plan) -> dict:
    d = plan.document
    return {"year": d.year, "issuer": d.issuer, "doc_no": d.doc_no, "title": d.title, "date": d.date,
            "notice_title": d.notice_title, "addressees": d.addressees, "notice_text": d.notice_text,
            "signature": d.signature, "general_requirements": d.general_requirements,
            "requirements": list(d.requirements), "reporting_deadlines": list(d.reporting_deadlines)}


def _head(plan: Plan) -> dict:
    return {"api_version": API_VERSION, "year": plan.year, "doc_no": plan.document.doc_no,
            "title": plan.document.title}


def plan_json(plan: Plan, progress: Progress | None = None) -> dict:
    return {
        **_head(plan),
        "document": document_record(plan),
        "body_parts": [{"number": b.number, "title": b.title, "points": list(b.points)} for b in plan.body_parts],
        "points": [{"no": p.no, "part": p.part, "title": p.title, "text": p.text, "items": list(p.items),
                    "errata": errata_records(p.errata)} for p in plan.points.values()],
        "attachment": {"title": plan.attachment_title, "declared_count": plan.declared_count},
        "categories": [{"id": c.id, "number": c.number, "label": c.label, "title": c.title,
                        "declared_count": c.declared_count, "parent": c.parent, "children": list(c.children),
                        "items": list(c.items), "points": list(c.points)} for c in plan.categories.values()],
        "items": [item_record(plan, i, progress) for i in plan.items.values()],
        "units": [unit_record(plan, u) for u in plan.units.values()],
        "groups": [group_record(plan, g) for g in plan.groups.values()],
    }


def items_json(plan: Plan, progress: Progress | None = None) -> dict:
    return {**_head(plan), "count": len(plan.items),
            "items": [item_record(plan, i, progress) for i in plan.items.values()]}


def units_json(plan: Plan) -> dict:
    return {**_head(plan), "units": [unit_record(plan, u) for u in plan.units.values()],
            "groups": [group_record(plan, g) for g in plan.groups.values()]}


def unit_json(plan: Plan, unit_id: str, progress: Progress | None = None) -> dict:
    rels = relations(plan, unit_id)
    return {**_head(plan), "unit": unit_record(plan, plan.units[unit_id]),
            "relations": [{"item": iid, **r} for iid, rs in rels.items() for r in rs],
            "items": [item_record(plan, plan.items[iid], progress) for iid in rels]}


def json_bytes(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- JSON Schema
def _str(nullable=False):
    return {"type": ["string", "null"]} if nullable else {"type": "string"}


def _arr(items):
    return {"type": "array", "items": items}


def _obj(props: dict, **extra) -> dict:
    return {"type": "object", "properties": props, "required": sorted(props), "additionalProperties": False, **extra}


_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
ENTRY_SCHEMA = _obj({"printed": {"type": "string", "minLength": 1}, "unit": {"type": ["string", "null"]},
                     "group": {"type": ["string", "null"]}, "others": {"type": "boolean"},
                     "clause": {"type": "integer", "minimum": 0}},
                    description="One name as printed in the 牵头单位/责任单位 column and what it resolves to: "
                                "a unit id, a group id (collective assignment), or both for “甲等乙”.")
ERRATUM_SCHEMA = _obj({"original": _str(), "should_be": _str(), "note": _str(True)})
ITEM_SCHEMA = _obj({
    "id": {"type": "string", "pattern": "^[0-9]+(-[0-9]+)+$", "description": "category id + number, e.g. 3-1-16"},
    "label": {"type": "string", "description": "official number as printed, e.g. 三（一）16"},
    "part": {"type": "string"}, "category": {"type": "string", "description": "leaf category id"},
    "no": {"type": "integer", "minimum": 1}, "text": {"type": "string", "description": "事项名称, exactly as printed"},
    "lead": _arr({"$ref": "#/$defs/entry"}), "responsible": _arr({"$ref": "#/$defs/entry"}),
    "points": _arr({"type": "integer", "minimum": 1}),
    "links": _arr(_obj({"point": {"type": "integer", "minimum": 1}, "quote": _str(True)})),
    "errata": _arr({"$ref": "#/$defs/erratum"}),
    "status": {"enum": [*STATUSES, NO_REPORT],
               "description": "latest progress status (from the lead units' reports); 尚无报告: none yet"},
    "status_round": {"type": ["string", "null"], "description": "round the status is from, e.g. 2020-H1"},
    "percent": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
})
COUNTS_SCHEMA = _obj({k: {"type": "integer", "minimum": 0} for k in ("lead", "responsible", "collective", "total")}
                     | {"mentioned": {"type": ["integer", "null"], "minimum": 0}})
UNIT_SCHEMA = _obj({
    "id": _ID, "name": _str(), "full_name": _str(True), "kind": _str(), "aliases": _arr(_str()),
    "division": _str(True), "mentions": _arr(_str()), "former_ids": _arr(_str()), "note": _str(True),
    "place": {"type": "boolean", "description": "true for counties and zones (files under counties/)"},
    "names": _arr(_obj({"name": _str(), "since": _str(True), "until": _str(True)})),
    "name_in_edition": _str(), "member_of": _arr(_ID),
    "counts": {"$ref": "#/$defs/counts"},
    "files": _obj({k: _str() for k in ("json", "csv", "xlsx")}, description="paths relative to the site root"),
})
GROUP_SCHEMA = _obj({"id": _ID, "name": _str(), "aliases": _arr(_str()),
                     "members": _arr(_ID), "note": _str(True), "items": _arr(_str())})
RELATION_SCHEMA = _obj({"item": _str(), "relation": {"enum": ["lead", "responsible", "mentioned"]},
                        "via_group": _str(True)})
DEFS = {"entry": ENTRY_SCHEMA, "erratum": ERRATUM_SCHEMA, "item": ITEM_SCHEMA, "counts": COUNTS_SCHEMA,
        "unit": UNIT_SCHEMA, "group": GROUP_SCHEMA, "relation": RELATION_SCHEMA}
HEAD_SCHEMA = {"api_version": {"const": API_VERSION}, "year": {"type": "integer"}, "doc_no": _str(), "title": _str()}


def _schema(title: str, props: dict) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
            **_obj({**HEAD_SCHEMA, **props}), "$defs": DEFS}


SCHEMAS = {
    "items": _schema("api/items.json: every item of the attachment, in official order",
                     {"count": {"type": "integer"}, "items": _arr({"$ref": "#/$defs/item"})}),
    "units": _schema("api/units.json: every unit and collective group, in registry order",
                     {"units": _arr({"$ref": "#/$defs/unit"}), "groups": _arr({"$ref": "#/$defs/group"})}),
    "unit": _schema("api/units/<id>.json and api/counties/<id>.json: one unit and its items",
                    {"unit": {"$ref": "#/$defs/unit"}, "relations": _arr({"$ref": "#/$defs/relation"}),
                     "items": _arr({"$ref": "#/$defs/item"})}),
    "plan": _schema("api/plan.json: the whole plan", {
        "document": {"type": "object", "required": ["year", "doc_no", "title", "date"]},
        "body_parts": _arr(_obj({"number": _str(), "title": _str(), "points": _arr({"type": "integer"})})),
        "points": _arr(_obj({"no": {"type": "integer"}, "part": _str(), "title": _str(), "text": _str(),
                             "items": _arr(_str()), "errata": _arr({"$ref": "#/$defs/erratum"})})),
        "attachment": _obj({"title": _str(), "declared_count": {"type": "integer"}}),
        "categories": _arr(_obj({"id": _str(), "number": _str(), "label": _str(), "title": _str(),
                                 "declared_count": {"type": "integer"}, "parent": _str(True),
                                 "children": _arr(_str()), "items": _arr(_str()),
                                 "points": _arr({"type": "integer"})})),
        "items": _arr({"$ref": "#/$defs/item"}), "units": _arr({"$ref": "#/$defs/unit"}),
        "groups": _arr({"$ref": "#/$defs/group"})}),
}


# What each field means, for the API page (tests check that every schema field is described).
FIELD_DOCS: dict[str, dict[str, str]] = {
    "head": {"api_version": "接口版本号；字段含义改变时加 1", "year": "计划年度", "doc_no": "文号",
             "title": "文件标题"},
    "item": {"id": "事项标识：类别标识加序号，如 3-1-16；网址和引用都用它", "label": "原文编号，如 三（一）-16",
             "part": "所属部分的标识（1、2、3）", "category": "所属类别（最末一级）的标识，如 3-1", "no": "类别内序号",
             "text": "事项名称，与原文逐字一致", "lead": "牵头单位，按原文顺序（entry 列表）",
             "responsible": "责任单位，按原文顺序（entry 列表）", "points": "对应的正文工作要点序号（所属类别的那一点在前）",
             "links": "对应的工作要点及依据：point 序号；quote 为该点原文中点名或涵盖本事项的文字（按出处对应的为 null）",
             "errata": "原文用字勘误（网站保留原文）",
             "status": f"落实状态：牵头单位最近一轮报告的状态（{'、'.join(STATUSES)}），从未报告为“{NO_REPORT}”",
             "status_round": "落实状态所属的报送轮次，如 2020-H1（尚无报告为 null）",
             "percent": "完成百分比 0–100（各牵头单位所填的最小值；未填为 null）"},
    "entry": {"printed": "原文写法", "unit": "对应单位的标识（无则为 null）",
              "group": "对应集体分配的标识（无则为 null）；“甲等乙”同时有 unit 和 group",
              "others": "“甲等单位”：甲和文件未列出的其他单位（只计入甲）时为 true",
              "clause": "原文用“，”分组时是第几组（从 0 起）"},
    "erratum": {"original": "原文写法", "should_be": "应为", "note": "说明"},
    "unit": {"id": "单位标识（稳定，改名不变）", "name": "简称（最新一期文件的写法）", "full_name": "全称（未核实为 null）",
             "kind": "类型：市直部门、驻市单位、县（市、区）、功能区、高校/科研、企业", "aliases": "别名",
             "division": "区划类别：区、县、县级市，县级功能区为“功能区”，其他单位为 null",
             "mentions": "事项名称中出现即视为与该地有关的地名", "former_ids": "以前用过的标识（旧网址仍可用）",
             "note": "备注", "place": "是否为县（市、区）或功能区（文件在 counties/ 下）",
             "names": "其他时期的名称：name，since（起用年月）/ until（停用年月）",
             "name_in_edition": "本年度文件中的写法", "member_of": "所属集体的标识（逐个单位写明，不按类型推断）",
             "counts": "事项数（counts）", "files": "本单位的 JSON、CSV、Excel 文件路径（相对网站根目录）"},
    "counts": {"lead": "点名牵头的事项数", "responsible": "点名为责任单位的事项数",
               "collective": "只经集体分配涉及的事项数（已被点名的不计）", "mentioned": "仅在事项名称中提及的事项数（非县（市、区）为 null）",
               "total": "本单位清单中的事项总数（每项计一次）"},
    "group": {"id": "集体标识", "name": "原文写法", "aliases": "其他写法",
              "members": "成员单位标识", "note": "说明", "items": "分配给该集体的事项标识"},
    "relation": {"item": "事项标识", "relation": "lead（牵头）、responsible（责任）或 mentioned（正文提及）",
                 "via_group": "经哪个集体分配（点名时为 null）"},
}


def field_rows(def_name: str) -> list[tuple[str, str, str]]:
    """(field, type, meaning) for a schema definition, in the schema's order, for the API page."""
    def kind(spec: dict) -> str:
        if "$ref" in spec:
            return spec["$ref"].rsplit("/", 1)[1]
        if "enum" in spec:
            return " | ".join(spec["enum"])
        if "const" in spec:
            return f"= {spec['const']}"
        t = spec.get("type", "object")
        if t == "array":
            return f"{kind(spec['items'])}[]"
        return " | ".join(t) if isinstance(t, list) else t
    props = HEAD_SCHEMA if def_name == "head" else DEFS[def_name]["properties"]
    return [(k, kind(v), FIELD_DOCS[def_name].get(k, "")) for k, v in props.items()]

# ----------------------------------------------------------------------------- writing
def outputs(plan: Plan, progress: Progress | None = None,
            cache: XlsxCache | None = None) -> dict[str, Callable[[], bytes]]:
    """path (relative to the site root) → a function producing its bytes, in a fixed order. Two
    files for one path raise ValueError (a unit id equal to a file name would else replace it)."""
    out: dict[str, Callable[[], bytes]] = {}
    for path, make, _unit in output_list(plan, progress, cache):
        if out.setdefault(path, make) is not make:
            raise ValueError(f"two exports for {path}")
    return out


Output = tuple[str, Callable[[], bytes], str]   # path, a function producing its bytes, the unit id it is named by ("" none)


def output_list(plan: Plan, progress: Progress | None = None, cache: XlsxCache | None = None) -> list[Output]:
    """Every file, in a fixed order, a path as often as something makes it, with the unit whose
    id names it: workplan/downloads.py checks them with their origins (outputs.Claims)."""
    from . import charts

    pr = progress
    out: list[Output] = [
        ("downloads/items.csv", lambda: csv_bytes(plan, plan.items.values(), progress=pr), ""),
        ("downloads/items.xlsx", lambda: xlsx_bytes(plan, plan.items.values(), progress=pr, cache=cache), ""),
        ("api/plan.json", lambda: json_bytes(plan_json(plan, pr)), ""),
        ("api/items.json", lambda: json_bytes(items_json(plan, pr)), ""),
        ("api/units.json", lambda: json_bytes(units_json(plan)), ""),
    ]
    out += [(f"api/schema/{name}.schema.json", lambda s=schema: json_bytes(s), "") for name, schema in SCHEMAS.items()]
    for unit in plan.units.values():
        paths, cols = unit_paths(unit), unit_columns(plan, unit.id)
        out.append((paths["csv"], lambda u=unit, c=cols: csv_bytes(plan, unit_items(plan, u.id), c, pr), unit.id))
        out.append((paths["xlsx"], lambda u=unit, c=cols: xlsx_bytes(plan, unit_items(plan, u.id), c, f"{u.name}的事项", pr, cache),
                    unit.id))
        out.append((paths["json"], lambda u=unit: json_bytes(unit_json(plan, u.id, pr)), unit.id))
    out += [(f"downloads/charts/{name}.svg", lambda s=svg: s.encode("utf-8"), "") for name, svg in charts.chart_files(plan).items()]
    if progress is not None:   # the reporting templates of every round (workplan/reporting/)
        from .reporting.sendout import site_outputs

        out += site_outputs(plan, progress, cache)
    return out


def write_exports(plan: Plan, out_dir: Path, progress: Progress | None = None,
                  cache_dir: Path | None = None) -> list[Path]:
    """Write every download and API file under out_dir; returns the paths written. With cache_dir,
    workbooks unchanged since the last build are copied from there (XlsxCache)."""
    cache = XlsxCache(cache_dir) if cache_dir is not None else None
    written = []
    for rel, make in outputs(plan, progress, cache).items():
        path = Path(out_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        written.append(path)
    if cache is not None:
        cache.prune()
    return written


__all__ = ["COLUMNS", "Column", "SCHEMAS", "csv_bytes", "csv_quote", "csv_unquote", "item_record",
           "json_bytes", "output_list", "outputs", "relations", "unit_items", "write_exports", "xlsx_bytes", "XlsxCache"]
