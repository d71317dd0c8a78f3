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

To add a column: append a `Column` to `COLUMNS` (workplan/columns.py; CSV and XLSX follow; a
column drawn from the item's latest progress status sets `status` instead of `value`), and a field
to `item_record`, `ITEM_SCHEMA` and `FIELD_DOCS["item"]` (JSON here, its schema and the API page in
workplan/apischema.py; tests/test_exports.py checks that every schema field is documented).

Modules: columns.py (the cells), xlsxbook.py (workbooks), apischema.py (JSON Schemas); this one
writes CSV and JSON and lists every file.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable, Iterable

from . import jsonfmt
from .apischema import API_VERSION, DEFS, FIELD_DOCS, SCHEMAS, field_rows  # noqa: F401  (part of this module's API)
from .columns import (COLUMNS, DANGEROUS, ID_SEP, SEP, Column, latest_status, relation_text,  # noqa: F401
                      relations, unit_columns, unit_items)
from .model import Item, Plan, Unit
from .progress import NO_REPORT, Progress
from .xlsxbook import sheet_title, xlsx_bytes  # noqa: F401
from .xlsxcache import XlsxCache


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


# ----------------------------------------------------------------------------- JSON records
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


RecordOf = Callable[[str], dict]   # item id → its record (item_record)


def _records(plan: Plan, progress: Progress | None) -> RecordOf:
    return lambda item_id: item_record(plan, plan.items[item_id], progress)


def shared_records(plan: Plan, progress: Progress | None = None) -> RecordOf:
    """item id → its record, made once and written as text once (jsonfmt.Shared): an item's record
    is in items.json, plan.json and the file of every unit it names (about ten files at 10×)."""
    made: dict[str, jsonfmt.Shared] = {}

    def record(item_id: str) -> dict:
        shared = made.get(item_id)
        if shared is None:
            shared = made[item_id] = jsonfmt.Shared(item_record(plan, plan.items[item_id], progress))
        return shared
    return record


def plan_json(plan: Plan, progress: Progress | None = None, record: RecordOf | None = None) -> dict:
    record = record or _records(plan, progress)
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
        "items": [record(iid) for iid in plan.items],
        "units": [unit_record(plan, u) for u in plan.units.values()],
        "groups": [group_record(plan, g) for g in plan.groups.values()],
    }


def items_json(plan: Plan, progress: Progress | None = None, record: RecordOf | None = None) -> dict:
    record = record or _records(plan, progress)
    return {**_head(plan), "count": len(plan.items), "items": [record(iid) for iid in plan.items]}


def units_json(plan: Plan) -> dict:
    return {**_head(plan), "units": [unit_record(plan, u) for u in plan.units.values()],
            "groups": [group_record(plan, g) for g in plan.groups.values()]}


def unit_json(plan: Plan, unit_id: str, progress: Progress | None = None, record: RecordOf | None = None) -> dict:
    record = record or _records(plan, progress)
    rels = relations(plan, unit_id)
    return {**_head(plan), "unit": unit_record(plan, plan.units[unit_id]),
            "relations": [{"item": iid, **r} for iid, rs in rels.items() for r in rs],
            "items": [record(iid) for iid in rels]}


def json_bytes(obj) -> bytes:
    return (jsonfmt.dumps(obj) + "\n").encode("utf-8")


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
    record = shared_records(plan, pr)   # for as long as these files are being written
    out: list[Output] = [
        ("downloads/items.csv", lambda: csv_bytes(plan, plan.items.values(), progress=pr), ""),
        ("downloads/items.xlsx", lambda: xlsx_bytes(plan, plan.items.values(), progress=pr, cache=cache), ""),
        ("api/plan.json", lambda: json_bytes(plan_json(plan, pr, record)), ""),
        ("api/items.json", lambda: json_bytes(items_json(plan, pr, record)), ""),
        ("api/units.json", lambda: json_bytes(units_json(plan)), ""),
    ]
    out += [(f"api/schema/{name}.schema.json", lambda s=schema: json_bytes(s), "") for name, schema in SCHEMAS.items()]
    for unit in plan.units.values():
        paths, cols = unit_paths(unit), unit_columns(plan, unit.id)
        out.append((paths["csv"], lambda u=unit, c=cols: csv_bytes(plan, unit_items(plan, u.id), c, pr), unit.id))
        out.append((paths["xlsx"], lambda u=unit, c=cols: xlsx_bytes(plan, unit_items(plan, u.id), c, f"{u.name}的事项", pr, cache),
                    unit.id))
        out.append((paths["json"], lambda u=unit: json_bytes(unit_json(plan, u.id, pr, record)), unit.id))
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
