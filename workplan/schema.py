"""JSON Schema validation of each data file, with errors in Chinese at the right line.

The schemas live beside this module (schema/*.schema.json) and are the reference for the
file formats; data/README.md explains them to maintainers.
"""
from __future__ import annotations

import difflib
import itertools
import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .errors import Collector
from .yamlio import line_at

SCHEMA_DIR = Path(__file__).with_name("schema")

FIELD_NAMES = {
    "number": "序号/编号", "text": "文字", "title": "标题", "lead": "牵头单位", "responsible": "责任单位",
    "category": "类别", "items": "事项列表", "id": "标识", "name": "名称", "kind": "类型",
    "aliases": "别名", "full_name": "全称", "declared_count": "声明的事项数", "doc_no": "文号",
    "date": "日期", "year": "年份", "parts": "部分", "points": "工作要点", "members": "成员",
    "units": "单位列表", "groups": "集体列表", "reporting_deadlines": "报送截止日期",
}
TYPE_NAMES = {"string": "文字", "integer": "整数", "array": "列表（- 开头的各行，或 [甲, 乙]）",
              "object": "字段表（键: 值）", "null": "空", "boolean": "是/否", "number": "数字"}


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=None)
def max_depth(name: str) -> int:
    """How many lists and mappings deep a file of this schema can nest (the root counts as 1): the
    YAML reader refuses anything deeper before building it (yamlio). Derived from the schema
    itself, so a schema change moves the limit with it."""
    schema = validator(name).schema
    return _depth(schema, schema, ())


def _depth(node, root: dict, seen: tuple) -> int:
    if not isinstance(node, dict):
        return 0
    if "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"max_depth: unsupported or recursive $ref {ref}")
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        return _depth(target, root, seen + (ref,))
    children = [*node.get("properties", {}).values(), node.get("additionalProperties"), node.get("items"),
                *node.get("patternProperties", {}).values(), *node.get("prefixItems", [])]
    alternatives = [*node.get("anyOf", []), *node.get("oneOf", []), *node.get("allOf", [])]
    inner = max([_depth(c, root, seen) for c in children] + [0])
    types = node.get("type", [])
    is_collection = bool({"object", "array"} & set([types] if isinstance(types, str) else types))
    if is_collection and node.get("additionalProperties") is None and "properties" not in node and "items" not in node:
        raise ValueError("max_depth: a list or mapping without a schema for its contents has no depth limit")
    return max([inner + is_collection] + [_depth(a, root, seen) for a in alternatives])


def _type_of(value) -> str:
    for json_type, python in (("null", type(None)), ("boolean", bool), ("integer", int), ("number", float),
                              ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, python):
            return TYPE_NAMES[json_type]
    return type(value).__name__


def _short_repr(value, limit: int = 60) -> str:
    """The value as written, cut short: a message quotes it, it does not reprint the file."""
    text = repr(value)
    if isinstance(value, (dict, list)) and len(text) > limit:
        return f"{'字段表' if isinstance(value, dict) else '列表'}（{len(value)} 项）"
    return text if len(text) <= limit else text[:limit] + "…"


def _field(path) -> str:
    keys = [p for p in path if isinstance(p, str)]
    return f"“{keys[-1]}”（{FIELD_NAMES.get(keys[-1], keys[-1])}）" if keys else "文件顶层"


def _describe(error: ValidationError) -> tuple[list, str, str]:
    """(path to point at, message, hint) for one schema error."""
    path, v, value = list(error.absolute_path), error.validator, error.instance
    field = _field(path)
    if v == "required":
        missing = error.message.split("'")[1]
        name = FIELD_NAMES.get(missing, missing)
        return path, f"缺少必填字段“{missing}”（{name}）。", f"在这一项中加上一行“{missing}: …”。"
    if v == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        extra = extras[0] if extras else "?"
        close = difflib.get_close_matches(str(extra), allowed, n=1)
        hint = f"你是不是想写“{close[0]}”？" if close else f"允许的字段：{'、'.join(allowed)}。"
        return path + [extra], f"未知字段“{extra}”。", hint
    if v == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        want = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        hint = "列表写成 [甲, 乙] 或每行一个“- 甲”。" if "array" in expected else "检查冒号后面的内容；文字可以加引号。"
        return path, f"{field}应为{want}，实际是{_type_of(value)}：{_short_repr(value)}。", hint
    if v == "enum":
        options = "、".join(map(str, error.validator_value))
        return path, f"{field}的取值“{value}”不在允许范围内。", f"只能是：{options}。"
    if v in ("minLength",) or (v == "pattern" and isinstance(value, str) and not value.strip()):
        return path, f"{field}不能为空。", "填写内容，或删除这一项。"
    if v == "maxLength":
        return path, f"{field}过长（{len(value)} 字，上限 {error.validator_value} 字）。", "检查是否误把多段内容粘贴进了同一项。"
    if v == "minItems":
        return path, f"{field}至少要有 {error.validator_value} 项。", "补上缺少的内容（例如牵头单位）。"
    if v == "pattern":
        if "\\d{4}" in error.validator_value:
            return path, f"{field}“{value}”不是有效日期。", "日期写成 YYYY-MM-DD，例如 2020-06-30。"
        if "[a-z0-9]" in error.validator_value:
            return path, f"{field}“{value}”格式不对。", "标识只能用小写字母、数字和连字符（-），例如 czj。"
        return path, f"{field}“{value}”格式不对（首尾不能有空格）。", "删除首尾空格，或按说明填写。"
    if v == "minimum" or v == "maximum":
        return path, f"{field}的值 {value} 超出范围。", f"应满足 {v} {error.validator_value}。"
    return path, f"{field}不符合格式要求：{error.message}", "对照 data/README.md 中的说明修改。"


# Schema errors listed per file: a file wrong throughout (150,000 list entries of the wrong type) gets
# a report a person can read, in a time and memory that do not grow with the file.
MAX_ERRORS = 50
MORE_ERRORS = "（本文件还有更多错误没有列出：先改正上面这些，再运行一次。）"


def first_errors(data, name: str) -> tuple[list[ValidationError], bool]:
    """Up to MAX_ERRORS schema errors of `data`, in line order, and whether there were more."""
    found = list(itertools.islice(validator(name).iter_errors(data), MAX_ERRORS + 1))
    listed = sorted(found[:MAX_ERRORS], key=lambda e: (line_at(data, e.absolute_path), str(e.message)))
    return listed, len(found) > MAX_ERRORS


def check(data, name: str, path: Path, errors: Collector) -> bool:
    """Validate one parsed file against its schema; record its errors; True when valid."""
    found, more = first_errors(data, name)
    for n, error in enumerate(found, start=1):
        # For an anyOf/allOf failure report the most specific sub-error.
        if error.context:
            error = min(error.context, key=lambda e: -len(e.absolute_path))
        at, message, hint = _describe(error)
        if error.validator == "pattern" and error.instance == "":
            continue  # minLength already reports the empty string
        errors.add(path, line_at(data, at), f"schema-{error.validator}", message,
                   hint + (MORE_ERRORS if more and n == len(found) else ""))
    return not found
