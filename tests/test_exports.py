"""Downloads and the JSON API (issue 7) against the data: CSV, XLSX and JSON read back to exactly
the plan's 113 items and every lead/responsible assignment (printed name and resolved id), per
unit and per county too; the JSON validates against the schema published in the site; a second
export (another process, another hash seed) is byte-identical; hostile text round-trips literally
and is neutralised where a spreadsheet could run it.

Which items and relations each unit's files hold, and the counts in units.json, come from the YAML
read plainly (tests/raw_plan.py) and the county lists written down in tests/expected_counties.py;
the cells of each row from the model (workplan.model, checked against the document by
tests/test_plan_data.py), not through the writers' own column functions, so a wrong column cannot
agree with itself.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import raw_plan
from expected_counties import COUNTY_PAGES
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from site_fixtures import built_site  # noqa: F401  (session fixture)

from workplan import exports
from workplan.load import ROOT, load_plan
from workplan.model import Entry, frozen_map
from workplan.progress import NO_REPORT, load_progress

SEP, ID_SEP = "；", ";"
HEADERS = ["编号", "标识", "部分", "小类", "序号", "事项名称", "牵头单位", "责任单位",
           "牵头单位标识", "牵头集体标识", "责任单位标识", "责任集体标识", "对应工作要点",
           "落实状态", "状态所属轮次", "完成百分比"]
HOSTILE = '=HYPERLINK("http://x")<script>alert(1)</script>{{ config }}<!-- c -->'


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def latest(plan):
    """item id → latest progress status of the real data (what the public site exports)."""
    return load_progress(ROOT, plan).latest


def status_fields(latest, item_id) -> tuple:
    st = latest[item_id] if latest is not None else None
    return (st.status, st.round, st.percent) if st else (NO_REPORT, None, None)


# --------------------------------------------------------------------------- expectations

def expected_row(plan, item, latest=None) -> dict[str, str]:
    status, rnd, percent = status_fields(latest, item.id)
    part = plan.categories[item.part]
    cat = plan.categories[item.category]
    return {
        "编号": item.label, "标识": item.id, "部分": f"{part.label}、{part.title}",
        "小类": f"{cat.number}{cat.title}" if cat.parent else "", "序号": str(item.no), "事项名称": item.text,
        "牵头单位": [e.printed for e in item.lead], "责任单位": [e.printed for e in item.responsible],
        "牵头单位标识": [e.unit for e in item.lead if e.unit], "牵头集体标识": [e.group for e in item.lead if e.group],
        "责任单位标识": [e.unit for e in item.responsible if e.unit],
        "责任集体标识": [e.group for e in item.responsible if e.group],
        "对应工作要点": [str(n) for n in item.points],
        "落实状态": status, "状态所属轮次": rnd or "", "完成百分比": "" if percent is None else str(percent),
    }


LISTS = {"牵头单位": SEP, "责任单位": SEP, "牵头单位标识": ID_SEP, "牵头集体标识": ID_SEP,
         "责任单位标识": ID_SEP, "责任集体标识": ID_SEP, "对应工作要点": "、"}


def as_expected(row: dict[str, str]) -> dict:
    """A row read back from CSV/XLSX, list cells split, in the shape of expected_row."""
    out = {}
    for key, value in row.items():
        value = "" if value is None else str(value)
        out[key] = ([v for v in value.split(LISTS[key]) if v] if key in LISTS else value)
    return out


@pytest.fixture(scope="module")
def raw():
    """The attachment read plainly from the YAML (tests/raw_plan.py), not through the model."""
    return raw_plan.read()


def expected_relations(raw, unit_id) -> set[tuple]:
    """(item, lead|responsible|mentioned, via group): named, else through each of the unit's groups
    in that role; a county's mentions as written down in tests/expected_counties.py."""
    units, _, items = raw
    mine = set(units[unit_id].get("member_of") or [])
    rels = set()
    for item in items:
        for role in ("lead", "responsible"):
            if unit_id in item.named[role]:
                rels.add((item.id, role, None))
            else:
                rels |= {(item.id, role, g) for g in item.groups[role] & mine}
    mentioned = COUNTY_PAGES[unit_id][4] if unit_id in COUNTY_PAGES else []
    return rels | {(i, "mentioned", None) for i in mentioned}


def expected_unit_items(raw, unit_id) -> list[str]:
    """Items on the unit's page and in its files: named, through a group, or (counties) mentioned."""
    ids = {r[0] for r in expected_relations(raw, unit_id)}
    return [i.id for i in raw[2] if i.id in ids]


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so that Excel reads Chinese"
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    header = [exports.csv_unquote(h) for h in rows[0]]
    return [dict(zip(header, (exports.csv_unquote(c) for c in r), strict=True)) for r in rows[1:]]


def read_xlsx(data: bytes) -> tuple[list[str], dict[str, list[dict]]]:
    wb = load_workbook(io.BytesIO(data))
    sheets = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        sheets[ws.title] = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    return wb.sheetnames, sheets


def item_json(plan, item, latest=None) -> dict:
    status, rnd, percent = status_fields(latest, item.id)
    return {"status": status, "status_round": rnd, "percent": percent, "id": item.id, "label": item.label, "part": item.part, "category": item.category, "no": item.no,
            "text": item.text, "points": list(item.points),
            "links": [{"point": link.point, "quote": link.quote} for link in item.links],
            "lead": [{"printed": e.printed, "unit": e.unit, "group": e.group, "others": e.others, "clause": e.clause}
                     for e in item.lead],
            "responsible": [{"printed": e.printed, "unit": e.unit, "group": e.group, "others": e.others,
                             "clause": e.clause} for e in item.responsible],
            "errata": [{"original": e.original, "should_be": e.should_be, "note": e.note} for e in item.errata]}


# --------------------------------------------------------------------------- the whole plan

def test_items_csv_round_trips_to_the_data(built_site, plan, latest):
    rows = read_csv((built_site / "downloads/items.csv").read_bytes())
    assert list(rows[0]) == HEADERS
    assert len(rows) == len(plan.items) == 113
    assert [as_expected(r) for r in rows] == [expected_row(plan, i, latest) for i in plan.items.values()]
    assignments = sum(len(r["牵头单位"].split(SEP)) + len([x for x in r["责任单位"].split(SEP) if x]) for r in rows)
    assert assignments == sum(len(i.lead) + len(i.responsible) for i in plan.items.values())


def test_items_xlsx_round_trips_one_sheet_per_part(built_site, plan, latest):
    data = (built_site / "downloads/items.xlsx").read_bytes()
    names, sheets = read_xlsx(data)
    assert names == [exports.sheet_title(plan, p.id) for p in plan.parts] + ["说明"]
    for part in plan.parts:
        rows = sheets[exports.sheet_title(plan, part.id)]
        assert [as_expected(r) for r in rows] == [expected_row(plan, plan.items[i], latest) for i in part.items]
    assert sum(len(sheets[exports.sheet_title(plan, p.id)]) for p in plan.parts) == 113
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets[:-1]:
        assert ws.freeze_panes == "A2"
        assert [c.value for c in ws[1]] == HEADERS
        assert ws.column_dimensions["F"].width >= 40 and ws.column_dimensions["A"].width >= 8
        assert ws.print_title_rows == "$1:$1"
        assert all(c.font.b for c in ws[1])
    about = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert plan.document.doc_no in about.values()


def column_widths(ws) -> list[float]:
    """Width of each column, in order (a writer may store equal neighbours as one <col> range)."""
    widths = {}
    for dim in ws.column_dimensions.values():
        widths |= {n: dim.width for n in range(dim.min, dim.max + 1)}
    return [widths[n] for n in range(1, ws.max_column + 1)]


def test_xlsx_keeps_its_styles_filters_print_setup_and_properties(plan):
    wb = load_workbook(io.BytesIO(exports.xlsx_bytes(plan, plan.items.values(), title="某单位的事项")))
    doc = plan.document
    assert wb.properties.creator == doc.issuer and wb.properties.title == "某单位的事项"
    assert wb.properties.created.date().isoformat() == doc.date == wb.properties.modified.date().isoformat()
    for ws in wb.worksheets[:-1]:
        assert column_widths(ws) == [c.width for c in exports.COLUMNS]
        assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
        setup = ws.page_setup
        assert int(setup.paperSize) == 9 and setup.orientation == "landscape"          # A4 landscape
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
        head, label, text = ws["A1"], ws["A2"], ws["F2"]
        assert head.font.b and head.fill.fill_type == "solid" and head.fill.fgColor.rgb.endswith("EEEEEE")
        assert label.alignment.vertical == "top" and not label.alignment.wrap_text and not label.font.b
        assert text.alignment.vertical == "top" and text.alignment.wrap_text
        assert ws["E2"].data_type == "n"                                                 # 序号 stays a number
    about = wb["说明"]
    assert column_widths(about) == [10, 90] and about["A1"].font.b and about["B1"].alignment.wrap_text


def test_xlsx_bytes_follow_everything_that_makes_the_file(plan, hostile_plan):
    items = [plan.items[i] for i in list(plan.items)[:5]]
    first = exports.xlsx_bytes(plan, items, title="甲")
    assert exports.xlsx_bytes(plan, items, title="甲") == first        # rebuilt: the same bytes
    assert exports.xlsx_bytes(plan, iter(items), title="甲") == first
    sample = dataclasses.replace(load_progress(ROOT, plan), includes_sample=True)
    others = [exports.xlsx_bytes(plan, items, title="乙"), exports.xlsx_bytes(plan, items[:4], title="甲"),
              exports.xlsx_bytes(hostile_plan, [hostile_plan.items[i.id] for i in items], title="甲"),
              exports.xlsx_bytes(plan, items, title="甲", progress=sample)]
    assert len({first, *others}) == 5


def test_xlsx_replaces_control_characters_it_cannot_hold(plan):
    item = dataclasses.replace(plan.items["1-1"], text="甲\x01乙\x0b丙\n丁\t戊")
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(plan, [item]))).worksheets[0]
    assert ws.cell(row=2, column=HEADERS.index("事项名称") + 1).value == "甲\ufffd乙\ufffd丙\n丁\t戊"


def test_items_json_is_exactly_the_items(built_site, plan, latest):
    data = json.loads((built_site / "api/items.json").read_text("utf-8"))
    assert data["count"] == 113 and data["doc_no"] == plan.document.doc_no
    assert data["items"] == [item_json(plan, i, latest) for i in plan.items.values()]


def test_plan_json_holds_the_whole_plan(built_site, plan, latest):
    data = json.loads((built_site / "api/plan.json").read_text("utf-8"))
    assert data["document"]["doc_no"] == plan.document.doc_no and data["document"]["title"] == plan.document.title
    assert [p["no"] for p in data["points"]] == list(plan.points) and len(data["points"]) == 21
    assert [c["id"] for c in data["categories"]] == list(plan.categories)
    assert data["items"] == [item_json(plan, i, latest) for i in plan.items.values()]
    assert [u["id"] for u in data["units"]] == list(plan.units)
    assert {g["id"]: g["members"] for g in data["groups"]} == {g.id: list(g.members) for g in plan.groups.values()}


def test_units_json_counts_match_the_yaml(built_site, raw):
    units, _, items = raw
    data = json.loads((built_site / "api/units.json").read_text("utf-8"))
    assert [u["id"] for u in data["units"]] == list(units)
    for u in data["units"]:
        assert u["name"] == units[u["id"]]["name"]
        assert u["counts"]["lead"] == sum(u["id"] in i.named["lead"] for i in items)
        assert u["counts"]["responsible"] == sum(u["id"] in i.named["responsible"] for i in items)
        assert u["counts"]["total"] == len(expected_unit_items(raw, u["id"]))
        for path in u["files"].values():
            assert (built_site / path).is_file(), path


# --------------------------------------------------------------------------- per unit and county

def test_every_unit_and_county_file_has_exactly_its_items(built_site, plan, raw, latest):
    words = {"lead": "牵头", "responsible": "责任", "mentioned": "正文提及"}
    for unit in plan.units.values():
        folder = "counties" if unit.is_place else "units"
        want = expected_unit_items(raw, unit.id)
        rels = expected_relations(raw, unit.id)

        rows = read_csv((built_site / f"downloads/{folder}/{unit.id}.csv").read_bytes())
        assert [r["标识"] for r in rows] == want, unit.id
        for r in rows:
            assert as_expected({k: v for k, v in r.items() if k != "本单位角色"}) == expected_row(plan, plan.items[r["标识"]], latest)
            roles = {words[role] + (f"（经集体分配：{plan.groups[via].name}）" if via else "")
                     for item, role, via in rels if item == r["标识"]}
            assert set(r["本单位角色"].split(SEP)) == roles, (unit.id, r["标识"])

        names, sheets = read_xlsx((built_site / f"downloads/{folder}/{unit.id}.xlsx").read_bytes())
        parts = [p.id for p in plan.parts if any(plan.items[i].part == p.id for i in want)] or [plan.parts[0].id]
        assert names == [exports.sheet_title(plan, p) for p in parts] + ["说明"], unit.id
        assert [r["标识"] for s in names[:-1] for r in sheets[s]] == want, unit.id

        data = json.loads((built_site / f"api/{folder}/{unit.id}.json").read_text("utf-8"))
        assert data["unit"]["id"] == unit.id and data["unit"]["place"] == unit.is_place
        assert [i["id"] for i in data["items"]] == want
        assert data["items"] == [item_json(plan, plan.items[i], latest) for i in want]
        assert {(r["item"], r["relation"], r["via_group"]) for r in data["relations"]} == rels
        assert len(data["relations"]) == len(rels)


def test_unit_and_county_files_cover_every_assignment(built_site, raw):
    """Every (item, unit, role) named in the data appears in that unit's own file."""
    units, _, items = raw
    seen = set()
    for uid in units:
        folder = "counties" if uid in COUNTY_PAGES else "units"
        data = json.loads((built_site / f"api/{folder}/{uid}.json").read_text("utf-8"))
        seen |= {(r["item"], uid, r["relation"]) for r in data["relations"] if r["via_group"] is None
                 and r["relation"] != "mentioned"}
    named = {(i.id, uid, role) for i in items for role in ("lead", "responsible") for uid in i.named[role]}
    assert seen == named and len(named) > 200


# --------------------------------------------------------------------------- schema and stability

SCHEMA_OF = {"api/plan.json": "plan", "api/items.json": "items", "api/units.json": "units"}


def test_json_validates_against_the_published_schema(built_site):
    schemas = {}
    for path in sorted((built_site / "api/schema").glob("*.schema.json")):
        schema = json.loads(path.read_text("utf-8"))
        Draft202012Validator.check_schema(schema)
        schemas[path.name.split(".")[0]] = Draft202012Validator(schema)
    assert set(schemas) == {"plan", "items", "units", "unit"}
    files = {rel: name for rel, name in SCHEMA_OF.items()}
    files |= {str(p.relative_to(built_site)): "unit" for p in (built_site / "api").glob("*/*.json")
              if p.parent.name in ("units", "counties")}
    assert len(files) == 3 + 68
    for rel, name in files.items():
        errors = list(schemas[name].iter_errors(json.loads((built_site / rel).read_text("utf-8"))))
        assert not errors, (rel, [e.message for e in errors[:3]])
    # the schema is strict: an unknown field or a wrong type is refused
    items = json.loads((built_site / "api/items.json").read_text("utf-8"))
    items["items"][0]["status"] = "done"          # the status is one of the fixed list
    assert not schemas["items"].is_valid(items)
    items["items"][0]["status"] = "尚无报告"
    items["items"][0]["progress"] = 1             # no unknown field
    assert not schemas["items"].is_valid(items)
    items["items"][0].pop("progress")
    assert schemas["items"].is_valid(items)
    items["items"][0]["lead"][0]["unit"] = 7
    assert not schemas["items"].is_valid(items)


def test_every_schema_field_is_documented_on_the_api_page(built_site):
    page = (built_site / "api/index.html").read_text("utf-8")
    for name in ("head", *exports.DEFS):
        for field, _type, meaning in exports.field_rows(name):
            assert meaning, f"{name}.{field} has no description in exports.FIELD_DOCS"
            assert f"<code>{field}</code>" in page
    for rel in ("api/plan.json", "api/items.json", "api/units.json", "api/schema/unit.schema.json"):
        assert rel.split("/")[-1] in page


def test_json_is_sorted_and_has_no_timestamps(built_site):
    text = (built_site / "api/units.json").read_text("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    with zipfile.ZipFile(built_site / "downloads/items.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2020-04-03" in z.read("docProps/core.xml")


def test_a_second_export_in_another_process_is_byte_identical(built_site, tmp_path):
    """The site's files (written by the build hook) and a fresh export by another Python process
    with another hash seed: the same file list, the same bytes."""
    out = tmp_path / "again"
    code = "import sys; from workplan.progress import load_plan_and_progress; " \
           "from workplan.exports import write_exports; plan, progress = load_plan_and_progress(); " \
           "write_exports(plan, sys.argv[1], progress)"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, env=env, cwd=Path(__file__).parent.parent)
    again = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # On the site the edition's files are under downloads/2020/ and api/2020/ (schemas: api/schema/).
    on_site = {f"{d}/2020/{p.relative_to(built_site / d / '2020').as_posix()}": p
               for d in ("downloads", "api") for p in (built_site / d / "2020").rglob("*") if p.is_file()}
    on_site |= {f"api/schema/{p.name}": p for p in (built_site / "api/schema").iterdir()}
    where = {p: p if p.startswith("api/schema/") else p.replace("downloads/", "downloads/2020/", 1)
             .replace("api/", "api/2020/", 1) for p in again}
    assert sorted(where.values()) == sorted(on_site)
    # items csv/xlsx, 3 API files, 4 schemas, csv/xlsx/json per unit, 3 charts; and per round (2020-H1,
    # 2020-H2) a reporting template for each of the 68 units (every one has an item) plus the round's zip.
    assert len(again) == 2 + 3 + 4 + 3 * 68 + 3 + 2 * (68 + 1)
    different = [p for p in again if (out / p).read_bytes() != on_site[where[p]].read_bytes()]
    assert not different


def test_xlsx_cache_rewrites_only_changed_workbooks_and_gives_the_same_files(plan, hostile_plan, tmp_path):
    cache = tmp_path / "cache"
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in
             exports.write_exports(plan, tmp_path / "a", cache_dir=cache)}
    xlsx = [p for p in first if p.suffix == ".xlsx"]
    entries = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.xlsx")}
    assert len(entries) == len(set(first[p] for p in xlsx)) == 69      # one entry per distinct workbook
    again = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in
             exports.write_exports(plan, tmp_path / "b", cache_dir=cache)}
    assert again == first
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.xlsx")} == entries   # read, not rewritten
    assert first == {p: exports.outputs(plan)[p.as_posix()]() for p in first}       # same bytes as uncached
    # zxb renamed, item 1-1 changed: their workbooks are new, the others reused, the stale ones pruned
    exports.write_exports(hostile_plan, tmp_path / "c", cache_dir=cache)
    now = {p.name for p in cache.glob("*.xlsx")}
    changed = {p for p in xlsx if (tmp_path / "c" / p).read_bytes() != first[p]}
    assert len(now) == 69 and 1 < len(now - set(entries)) == len(changed) < 69
    assert not list(cache.glob("*.tmp"))


# --------------------------------------------------------------------------- hostile text

@pytest.fixture(scope="module")
def hostile_plan(plan):
    """The real plan with item 1-1's text, a printed lead name and a unit name made hostile."""
    item = plan.items["1-1"]
    lead = (Entry(printed="-2+3" + HOSTILE, unit="zxb"),)
    items = dict(plan.items)
    items["1-1"] = dataclasses.replace(item, text=HOSTILE, lead=lead)
    units = dict(plan.units)
    units["zxb"] = dataclasses.replace(units["zxb"], name="@" + HOSTILE)
    return dataclasses.replace(plan, items=frozen_map(items), units=frozen_map(units))


def test_hostile_text_round_trips_in_csv_and_cannot_run(hostile_plan):
    data = exports.csv_bytes(hostile_plan, hostile_plan.items.values())
    raw = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    for row in raw:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    first = dict(zip(HEADERS, raw[1]))
    assert first["事项名称"] == "'" + HOSTILE
    assert first["牵头单位"] == "'-2+3" + HOSTILE
    rows = read_csv(data)
    assert rows[0]["事项名称"] == HOSTILE and rows[0]["牵头单位"] == "-2+3" + HOSTILE
    # a text that itself starts with a quote survives too
    assert exports.csv_unquote(exports.csv_quote("'=1")) == "'=1"
    assert exports.csv_unquote(exports.csv_quote("正常")) == "正常"


def test_hostile_text_round_trips_in_xlsx_as_text_not_formula(hostile_plan):
    data = exports.xlsx_bytes(hostile_plan, hostile_plan.items.values())
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    cell = ws.cell(row=2, column=HEADERS.index("事项名称") + 1)
    assert cell.value == HOSTILE and cell.data_type == "s" and cell.quotePrefix
    assert ws.cell(row=2, column=HEADERS.index("牵头单位") + 1).value == "-2+3" + HOSTILE
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_hostile_text_round_trips_in_json(hostile_plan):
    data = json.loads(exports.json_bytes(exports.items_json(hostile_plan)))
    assert data["items"][0]["text"] == HOSTILE
    assert data["items"][0]["lead"][0]["printed"] == "-2+3" + HOSTILE
    unit = json.loads(exports.json_bytes(exports.unit_json(hostile_plan, "zxb")))
    assert unit["unit"]["name"] == "@" + HOSTILE
    schema = Draft202012Validator(exports.SCHEMAS["unit"])
    assert schema.is_valid(unit)



# --------------------------------------------------------------------------- every dangerous first character

# The characters the module docstring names: a cell starting with one of them is quote-prefixed.
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = 'SUM(1,2)*cmd|" /C calc"!A0'


def plan_with_text(plan, text: str):
    """The real plan with item 1-1's text and its printed lead name set to `text`."""
    item = plan.items["1-1"]
    items = dict(plan.items)
    items["1-1"] = dataclasses.replace(item, text=text, lead=(Entry(printed=text, unit="zxb"),))
    return dataclasses.replace(plan, items=frozen_map(items))


def csv_of(plan, text: str, *ids: str) -> bytes:
    changed = plan_with_text(plan, text)
    return exports.csv_bytes(changed, [changed.items[i] for i in ids or ("1-1",)])


def xlsx_of(plan, text: str):
    changed = plan_with_text(plan, text)
    return exports.xlsx_bytes(changed, [changed.items["1-1"]])


def ooxml_text(value: str) -> str:
    """A string cell as Excel reads it: openpyxl leaves the _xHHHH_ escapes of the XML (ECMA-376,
    part 1, 22.9.2.19) that XlsxWriter writes for control characters such as CR."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def raw_csv_row(data: bytes, n: int) -> dict[str, str]:
    """Row n of an export, read with the csv module only (no csv_unquote)."""
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    return dict(zip(HEADERS, rows[n], strict=True))


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def test_csv_prefixes_a_quote_to_every_formula_start(plan, start):
    text = start + PAYLOAD
    row = raw_csv_row(csv_of(plan, text), 1)
    assert row["事项名称"] == "'" + text
    assert row["牵头单位"] == "'" + text
    assert row["标识"] == "1-1"                        # untouched cells stay as they are


@pytest.mark.parametrize("text,written", [
    (PAYLOAD, PAYLOAD),                  # nothing to neutralise
    ("1" + "=" + PAYLOAD, "1=" + PAYLOAD),   # = inside the text: no formula, no prefix
    ("'" + PAYLOAD, "''" + PAYLOAD),     # a leading quote is doubled, so reading back strips exactly one
    (" =" + PAYLOAD, " =" + PAYLOAD),    # a space first is text in Excel and WPS (left as it is)
])
def test_csv_leaves_other_text_alone_and_quotes_a_leading_quote(plan, text, written):
    row = raw_csv_row(csv_of(plan, text), 1)
    assert row["事项名称"] == written


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def test_xlsx_stores_every_formula_start_as_quote_prefixed_text(plan, start):
    text = start + PAYLOAD
    data = xlsx_of(plan, text)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    for header in ("事项名称", "牵头单位"):
        cell = ws.cell(row=2, column=HEADERS.index(header) + 1)
        assert (ooxml_text(cell.value), cell.data_type, cell.quotePrefix) == (text, "s", True), header
    plain = ws.cell(row=2, column=HEADERS.index("标识") + 1)
    assert (plain.value, plain.quotePrefix) == ("1-1", False)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_xlsx_gives_no_quote_prefix_to_harmless_text(plan):
    data = xlsx_of(plan, "1=" + PAYLOAD)
    cell = load_workbook(io.BytesIO(data)).worksheets[0].cell(row=2, column=HEADERS.index("事项名称") + 1)
    assert (cell.value, cell.quotePrefix) == ("1=" + PAYLOAD, False)


def test_csv_ends_every_record_with_crlf_as_documented(plan):
    """csv_bytes: "UTF-8 with BOM …, CRLF line ends, one header row" — also when a text holds line
    breaks of its own (inside a quoted cell they stay as they are)."""
    data = exports.csv_bytes(plan, plan.items.values())
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 1 + 113 and data.count(b"\n") == 1 + 113 and data.count(b"\r") == 1 + 113
    inner = csv_of(plan, "第一行\n第二行", "1-1", "1-2")
    body = inner[3:].decode("utf-8")
    assert body.count("\r\n") == 3 and '"第一行\n第二行"' in body


def test_site_files_made_once_and_released_after_their_last_path():
    """downloads.made_once: a file's bytes are made once for every path that shares them (the legacy
    addresses, former ids) and let go after the last of those paths, not kept to the end of the
    write (all of them at once were most of a 100× build's peak memory)."""
    import tracemalloc
    from workplan.downloads import made_once

    calls = []

    def maker(name):
        def make():
            calls.append(name)
            return name.encode() * (1 << 20)   # 1 MiB per character of the name
        return make

    shared = maker("s")
    files = {"a/shared.json": shared, **{f"u/{i}.xlsx": maker(str(i % 10)) for i in range(20)}, "b/shared.json": shared}
    tracemalloc.start()
    try:
        seen = []
        for rel, data in made_once(files):
            seen.append((rel, data[:1], len(data)))
            del data   # as the writer does: the next file's bytes replace it
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [rel for rel, _, _ in seen] == list(files)
    assert seen[0][1:] == seen[-1][1:] == (b"s", 1 << 20)
    assert calls.count("s") == 1 and len(calls) == 21
    # the shared file's MiB held across the others, plus the one being written: 20+ MiB if all were kept
    assert peak < 4 * (1 << 20)
