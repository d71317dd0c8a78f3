"""Run every case of tests/bad_input/: apply the edit to a copy of data/, load it, and compare
the errors with the case's `expect` — the same set of (file, line, key), and each message or
hint containing the listed words — or, for `expect: valid`, check that the copy loads.

Case format (one YAML document per file):

    description: 中文一句话说明
    file: data/2020/items/3-1.yaml              # file to modify, relative to the copy's root
    replace: {old: "...", new: "...", count: 1}  # exact replacement; count defaults to 1, or "all"
    # or instead of / besides replace:
    #   write_text: "..."          whole new content (UTF-8; may create the file)
    #   write_bytes_hex: "..."     whole new content as hex bytes ("" for an empty file)
    #   encoding: gbk              re-encode the (edited) file
    #   prepend_bom: true          prepend a UTF-8 BOM
    #   delete: true               remove the file
    # or several edits: `edits: [{file: ..., replace: ...}, ...]`
    expect:                                      # or `expect: valid`
      - {file: ..., line: 12, key: unknown-unit, contains: [市财政厅, 市财政局]}
    xfail: "reason"                              # optional: a known bug in workplan/ (strict)
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workplan.errors import PlanInvalid
from workplan.model import Plan

CASES_DIR = Path(__file__).resolve().parent / "bad_input"
EDIT_KEYS = {"file", "replace", "write_text", "write_bytes_hex", "encoding", "prepend_bom", "delete"}
CASE_KEYS = EDIT_KEYS | {"description", "edits", "expect", "xfail"}


def load_case(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict), f"{path.name}: not a mapping"
    return case


def params():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        reason = load_case(path).get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(path.name, marks=marks, id=path.stem)


def edits_of(case: dict) -> list[dict]:
    return case["edits"] if "edits" in case else [{k: v for k, v in case.items() if k in EDIT_KEYS}]


def apply(data_copy, edit: dict) -> None:
    rel = edit["file"]
    path = data_copy.path(rel)
    if edit.get("delete"):
        path.unlink()
        return
    if "write_text" in edit:
        data_copy.write(rel, edit["write_text"])
    if "write_bytes_hex" in edit:
        data_copy.write_bytes(rel, bytes.fromhex(edit["write_bytes_hex"]))
    if "replace" in edit:
        old, new, count = edit["replace"]["old"], edit["replace"]["new"], edit["replace"].get("count", 1)
        if count == "all":
            text = path.read_bytes().decode("utf-8")  # no newline translation, so "\n" can be replaced
            assert old in text, f"{rel}: {old!r} not found"
            data_copy.write_bytes(rel, text.replace(old, new).encode("utf-8"))
        else:
            data_copy.replace(rel, old, new, count=count)
    if "encoding" in edit:
        data_copy.write_bytes(rel, data_copy.read(rel).encode(edit["encoding"]))
    if edit.get("prepend_bom"):
        data_copy.write_bytes(rel, b"\xef\xbb\xbf" + path.read_bytes())


def test_corpus_is_well_formed():
    names = sorted(p.name for p in CASES_DIR.glob("*.yaml"))
    assert len(names) >= 20
    for name in names:
        case = load_case(CASES_DIR / name)
        assert set(case) <= CASE_KEYS, f"{name}: unknown keys {set(case) - CASE_KEYS}"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in case.get("description", "")), f"{name}: 中文 description"
        for edit in edits_of(case):
            assert edit.get("file", "").startswith("data/"), name
            assert set(edit) - {"file"}, f"{name}: an edit that changes nothing"
        expect = case["expect"]
        assert expect == "valid" or (isinstance(expect, list) and expect), name
        for entry in [] if expect == "valid" else expect:
            assert set(entry) <= {"file", "line", "key", "contains"} and {"file", "line", "key"} <= set(entry), name


@pytest.mark.parametrize("name", list(params()))
def test_bad_input(name, data_copy):
    case = load_case(CASES_DIR / name)
    for edit in edits_of(case):
        apply(data_copy, edit)
    if case["expect"] == "valid":
        plan = data_copy.load()
        assert isinstance(plan, Plan) and len(plan.items) == plan.declared_count
        return
    with pytest.raises(PlanInvalid) as info:
        data_copy.load()
    errors = info.value.errors
    got = {(e.file, e.line, e.key) for e in errors}
    want = {(e["file"], e["line"], e["key"]) for e in case["expect"]}
    assert got == want, "errors were:\n" + "\n".join(map(str, errors))
    for entry in case["expect"]:
        [error] = [e for e in errors if (e.file, e.line, e.key) == (entry["file"], entry["line"], entry["key"])]
        for word in entry.get("contains", []):
            assert str(word) in error.message + "\n" + error.hint, f"{word!r} not in {error}"
