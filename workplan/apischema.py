"""The JSON Schemas (draft 2020-12) of the API files (api/schema/) and what each field means,
for the API page (tests check that every schema field is described)."""
from __future__ import annotations

from .progress import NO_REPORT, STATUSES

API_VERSION = 2   # 2: entries carry others/clause, items links, units names/member_of; groups lost member_kinds


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
