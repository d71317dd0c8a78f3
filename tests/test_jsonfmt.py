"""The API's JSON text (workplan/jsonfmt.py) is exactly what json.dumps writes with the same
options: the oracle is json.dumps itself, on every JSON file of the real site and on the values
the fast path must hand over to it."""
from __future__ import annotations

import enum
import json

import pytest

from site_fixtures import built_site  # noqa: F401  (session fixture)
from workplan import exports, jsonfmt
from workplan.load import ROOT
from workplan.progress import load_progress


def reference(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


def test_every_api_file_of_the_site_is_what_json_dumps_writes(built_site):  # noqa: F811
    files = sorted((built_site / "api").rglob("*.json"))
    assert len(files) > 60   # plan, items, units, the schemas, one per unit
    for path in files:
        text = path.read_text(encoding="utf-8")
        value = json.loads(text)
        assert text == reference(value) + "\n", path   # the file as written by the build
        assert jsonfmt.dumps(value) == reference(value), path


class Level(enum.IntEnum):
    HIGH = 1


VALUES = {
    "empty containers": {"a": {}, "b": [], "c": [[], {}], "d": ()},
    "nesting": {"z": [1, {"y": [2, [3, {"x": None}]]}], "a": True, "m": False},
    "key order": {"b": 1, "a": 2, "B": 3, "中": 4, "10": 5, "9": 6},
    "escapes": ["引号\"", "反斜杠\\", "换行\n制表\t", "\u0000\u001f\u007f", "\u2028\u2029", "😀", "</script>"],
    "numbers": [0, -1, 10**30, 0.1, -2.5e-300, 1e300, 1.0, True, False],
    "tuple": ("a", ("b",)),
    "top-level scalars": "赣州",
}


@pytest.mark.parametrize("case", VALUES)
def test_the_text_is_json_dumps_text(case):
    assert jsonfmt.dumps(VALUES[case]) == reference(VALUES[case])


@pytest.mark.parametrize("value", [
    {1: "int key", 2: "another"},
    {"a": float("nan"), "b": float("inf")},
    [Level.HIGH],
    {"k": {True: "bool key"}},
])
def test_values_outside_the_fast_path_are_left_to_json_dumps(value):
    assert jsonfmt.dumps(value) == reference(value)


def test_what_json_dumps_refuses_is_still_refused():
    with pytest.raises(TypeError):
        jsonfmt.dumps({"a": object()})
    with pytest.raises(TypeError):
        jsonfmt.dumps({"a": 1, 2: "mixed keys cannot be sorted"})


def test_json_bytes_ends_with_a_newline_in_utf8():
    assert exports.json_bytes({"名": "赣州"}) == '{\n  "名": "赣州"\n}\n'.encode("utf-8")


def test_a_shared_dict_is_written_as_json_dumps_writes_it_at_every_depth():
    shared = jsonfmt.Shared({"b": [1, {"c": "文"}], "a": "x", "e": {}})
    documents = [{"top": shared}, {"list": [shared, [shared]]}, [shared], {"again": shared, "z": shared}]
    for doc in documents:
        assert jsonfmt.dumps(doc) == reference(doc)
    # one text per indentation it was written at: 1 (the object's own level inside a top-level
    # dict or list), 2 and 3 levels deep
    assert sorted(shared.texts) == ["\n  ", "\n    ", "\n      "]
    assert shared.texts["\n  "] == '{\n    "a": "x",\n    "b": [\n      1,\n      {\n        "c": "文"\n      }\n    ],\n    "e": {}\n  }'


def test_a_shared_dict_outside_the_fast_path_is_left_to_json_dumps():
    shared = jsonfmt.Shared({1: "int key"})
    assert jsonfmt.dumps({"x": shared, "y": [shared]}) == reference({"x": shared, "y": [shared]})


def test_unit_files_with_shared_records_hold_the_records_item_record_makes(plan):
    progress = load_progress(ROOT, plan)
    record = exports.shared_records(plan, progress)
    assert record("1-1") is record("1-1")   # made once
    for unit_id in ("czj", "rjxq"):
        shared = exports.unit_json(plan, unit_id, progress, record)
        assert shared["items"] and all(type(r) is jsonfmt.Shared for r in shared["items"])
        assert shared["items"] == [exports.item_record(plan, plan.items[r["id"]], progress) for r in shared["items"]]
        assert exports.json_bytes(shared) == exports.json_bytes(exports.unit_json(plan, unit_id, progress))
