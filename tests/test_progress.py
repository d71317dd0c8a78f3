"""Progress reports (落实情况): validation of the report files and rounds.yaml on copies of data/
(exact file:line and key for every case), and the logic the pages use — overdue around the
deadline dates, how lead and responsible reports combine, history between rounds, sample data.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import FrozenInstanceError
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from workplan import progress as P
from workplan.errors import PlanInvalid
from workplan.load import load_plan
from workplan.progress import (NO_REPORT, STATUSES, Progress, Report, combine, item_roles, load_plan_and_progress,
                               load_progress, sample_enabled)

ROOT = Path(__file__).resolve().parents[1]
PROGRESS = "data/2020/progress"
SAMPLE = "data/2020/progress-sample"
ROUNDS = f"{PROGRESS}/rounds.yaml"
H1, H2 = "2020-H1", "2020-H2"

# 市政府金融办 (jrb) leads 3-1-7 (各县（市、区） responsible) and 3-1-8 (寻乌县 responsible).
GOOD = """\
unit: jrb
round: 2020-H1
reports:
  - item: 3-1-8
    status: 推进中
    percent: 40
    date: 2020-06-20
    description: 方案初稿已完成。
    evidence:
      - https://www.ganzhou.gov.cn/a.html
  - item: 3-1-7
    status: 受阻
    date: 2020-06-21
    description: 等待省级批复。
"""


def line(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line of `text` containing `needle`."""
    hits = [n for n, row in enumerate(text.splitlines(), start=1) if needle in row]
    assert len(hits) >= nth, f"{needle!r} occurs {len(hits)} time(s)"
    return hits[nth - 1]


def put(data_copy, unit: str, text: str, rnd: str = H1, folder: str = PROGRESS, name: str | None = None) -> str:
    rel = f"{folder}/{rnd}/{name or unit + '.yaml'}"
    data_copy.write(rel, text)
    return rel


def report_text(unit: str, rnd: str, *entries: str, header: str = "") -> str:
    return header + f"unit: {unit}\nround: {rnd}\nreports:\n" + "".join(entries)


def entry(item: str, status: str = "推进中", day: str = "2020-06-20", extra: str = "",
          description: str = "进展正常。") -> str:
    return f"  - item: {item}\n    status: {status}\n{extra}    date: {day}\n    description: {description}\n"


@lru_cache(maxsize=1)
def real_plan():
    """The committed plan, loaded once: the copies below change only progress files, so their
    progress is loaded against this plan (load_progress reads nothing else)."""
    return load_plan(ROOT)


def errors_of(data_copy, include_sample: bool = False):
    with pytest.raises(PlanInvalid) as info:
        load_progress(data_copy.root, real_plan(), include_sample=include_sample)
    return info.value.errors


def keyed(errors, file: str | None = None) -> set[tuple[str, int, str]]:
    return {(e.file, e.line, e.key) for e in errors if file is None or e.file == file}


def the(errors, file: str, line_no: int, key: str):
    found = [e for e in errors if (e.file, e.line, e.key) == (file, line_no, key)]
    assert len(found) == 1, f"expected one {key} at {file}:{line_no}, got:\n" + "\n".join(map(str, errors))
    return found[0]


def says(error, *words: str) -> None:
    text = error.message + "\n" + error.hint
    for word in words:
        assert word in text, f"{word!r} not in {str(error)!r}"


def load_copy(data_copy, include_sample: bool = False) -> Progress:
    return load_progress(data_copy.root, real_plan(), include_sample=include_sample)


# =========================================================================== the committed data

def test_committed_progress_is_valid_with_and_without_sample(plan):
    real = load_progress(ROOT, plan)
    assert list(real.rounds) == [H1, H2]
    assert not any(r.sample for r in real.reports)
    assert not real.includes_sample
    with_sample = load_progress(ROOT, plan, include_sample=True)
    assert with_sample.includes_sample


def test_rounds_agree_with_the_document(plan):
    rounds = load_progress(ROOT, plan).rounds
    assert [str(r.deadline) for r in rounds.values()] == list(plan.document.reporting_deadlines) \
        == ["2020-06-30", "2020-12-30"]
    assert [r.label for r in rounds.values()] == ["2020年上半年", "2020年下半年"]


def test_schemas_are_valid_json_schema():
    for name in ("progress", "progress-rounds"):
        Draft202012Validator.check_schema(json.loads((ROOT / f"workplan/schema/{name}.schema.json").read_text("utf-8")))


def test_schema_status_list_matches_the_code():
    doc = json.loads((ROOT / "workplan/schema/progress.schema.json").read_text("utf-8"))
    item = doc["properties"]["reports"]["items"]["properties"]
    assert tuple(item["status"]["enum"]) == STATUSES == ("未启动", "推进中", "已完成", "受阻")
    assert item["description"]["maxLength"] == P.DESCRIPTION_MAX


def test_readme_example_is_valid_and_documents_every_error_key(data_copy):
    readme = (ROOT / PROGRESS / "README.md").read_text("utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S).group(1)
    put(data_copy, "jrb", example)
    progress = load_copy(data_copy)
    assert {(r.item, r.status) for r in progress.reports} == {("3-1-8", "推进中"), ("3-1-7", "受阻")}
    source = (ROOT / "workplan/progress/load.py").read_text("utf-8")
    keys = set(re.findall(r'self\.add\([^,]+, [^,]+, "([a-z-]+)"', source))
    assert len(keys) >= 20
    assert not {k for k in keys if f"`{k}`" not in readme}, "error keys missing from README.md"
    for status in STATUSES:
        assert status in readme
    assert "6月30日" in readme and "12月30日" in readme


# =========================================================================== plan without progress

def test_plan_without_any_progress_folder_loads(data_copy):
    shutil.rmtree(data_copy.path(PROGRESS))
    shutil.rmtree(data_copy.path(SAMPLE))
    plan, progress = load_plan_and_progress(data_copy.root)
    assert len(plan.items) == 113
    assert progress.reports == () and dict(progress.rounds) == {}
    assert progress.latest["3-1-8"] is None
    assert progress.current_round(date(2020, 7, 1)) is None
    assert progress.items_summary(plan.items).counts[NO_REPORT] == 113
    assert load_plan(data_copy.root).items.keys() == plan.items.keys()


def without_real_reports(data_copy) -> None:
    """The copy's progress folder as before any report came in: rounds.yaml (and the README) only."""
    for entry_ in data_copy.path(PROGRESS).iterdir():
        if entry_.is_dir():
            shutil.rmtree(entry_)


def test_no_reports_yet_means_no_status(data_copy):
    """Whatever data/ holds today: a copy with no report filed (the sample stays off)."""
    without_real_reports(data_copy)
    progress = load_copy(data_copy)
    assert progress.reports == () and list(progress.rounds) == [H1, H2]
    assert all(v is None for v in progress.latest.values()) and len(progress.latest) == 113
    summary = progress.unit_summary("jrb", H1)
    # 市政府金融办 owes 9 items: 牵头 三（一）-2…8 and 三（六）-7, 责任 三（五）-5 (the attachment table)
    assert summary.total == 9 and summary.counts[NO_REPORT] == 9 and summary.reported == 0
    assert not progress.has_reports(H1) and progress.overdue("jrb", H1, date(2020, 7, 15)) == ()


def test_one_real_report_gives_its_item_a_status(data_copy):
    """The other side of the test above: one report filed, and only its item has a status."""
    without_real_reports(data_copy)
    put(data_copy, "jrb", report_text("jrb", H1, entry("3-1-8", status="受阻", day="2020-06-20")))
    progress = load_copy(data_copy)
    assert {iid: st.status for iid, st in progress.latest.items() if st} == {"3-1-8": "受阻"}
    summary = progress.unit_summary("jrb", H1)
    assert (summary.total, summary.counts["受阻"], summary.counts[NO_REPORT]) == (9, 1, 8)
    assert len(progress.overdue("jrb", H1, date(2020, 7, 15))) == 8


def test_sample_ignored_unless_enabled(data_copy):
    default = load_copy(data_copy)
    assert not any(r.sample for r in default.reports) and not default.includes_sample
    on = load_copy(data_copy, include_sample=True)
    sample = [r for r in on.reports if r.sample]
    assert len(sample) >= 10 and on.includes_sample
    assert all(r.description.startswith("【示例】") for r in sample)
    assert all(url.startswith("https://example.org/") for r in sample for url in r.evidence)
    assert {r.round for r in sample} == {H1, H2}


def test_sample_errors_only_reported_when_enabled(data_copy):
    bad = put(data_copy, "zxb", report_text("zxb", H1, entry("9-9-9")), folder=SAMPLE)
    load_copy(data_copy)   # ignored: no error
    assert keyed(errors_of(data_copy, include_sample=True), bad) == {
        (bad, 1, "sample-not-marked"), (bad, 4, "unknown-item")}


def test_real_report_wins_over_sample(data_copy):
    rel = put(data_copy, "jrb", GOOD)
    progress = load_copy(data_copy, include_sample=True)
    mine = progress.report("jrb", "3-1-8", H1)
    assert not mine.sample and mine.file == rel and mine.status == "推进中"
    assert progress.report("jrb", "3-1-8", H2).sample   # the sample H2 report is still there


@pytest.mark.parametrize("value, expected", [
    (False, False), (True, True), (None, False), ("false", False), ("true", True), ("1", True), ("", False),
    ("TRUE", True), ("no", False)])
def test_sample_setting(value, expected):
    assert sample_enabled(value) is expected


# =========================================================================== a valid file

def test_valid_report_file(data_copy):
    rel = put(data_copy, "jrb", GOOD)
    progress = load_copy(data_copy)
    assert progress.files == (ROUNDS, rel)
    r = progress.report("jrb", "3-1-8", H1)
    assert (r.status, r.percent, r.date, r.role, r.via_group, r.late) == ("推进中", 40, date(2020, 6, 20), "lead",
                                                                          None, False)
    assert r.evidence == ("https://www.ganzhou.gov.cn/a.html",)
    assert (r.file, r.line) == (rel, line(GOOD, "item: 3-1-8"))
    assert progress.latest["3-1-7"].status == "受阻"


def test_report_is_read_only(data_copy):
    put(data_copy, "jrb", GOOD)
    progress = load_copy(data_copy)
    with pytest.raises(FrozenInstanceError):
        progress.reports[0].status = "已完成"
    with pytest.raises(TypeError):
        progress.by_item["3-1-8"] = ()
    with pytest.raises(FrozenInstanceError):
        progress.reports = ()


def test_reaching_an_item_through_a_group_is_allowed(data_copy):
    # 寻乌县 is responsible for 3-1-7 only as one of 各县（市、区）; 市发改委 for 1-7 through 市直(驻市)有关部门.
    put(data_copy, "xunwu", report_text("xunwu", H1, entry("3-1-7"), entry("3-1-8")))
    put(data_copy, "fgw", report_text("fgw", H1, entry("1-7")))
    progress = load_copy(data_copy)
    assert (progress.report("xunwu", "3-1-7", H1).role, progress.report("xunwu", "3-1-7", H1).via_group) == (
        "responsible", "all-counties")
    assert progress.report("xunwu", "3-1-8", H1).via_group is None
    assert progress.report("fgw", "1-7", H1).via_group == "city-and-stationed-depts"
    # …but only 各县（市、区） makes reporting an obligation.
    assert "3-1-7" in progress.expected["xunwu"] and "1-7" not in progress.expected["fgw"]
    assert "1-7" in progress.unit_items("fgw")


def test_late_report_flag_around_the_deadline(data_copy):
    put(data_copy, "jrb", report_text("jrb", H1, entry("3-1-7", day="2020-06-30"), entry("3-1-8", day="2020-07-01")))
    progress = load_copy(data_copy)
    assert not progress.report("jrb", "3-1-7", H1).late
    assert progress.report("jrb", "3-1-8", H1).late


# =========================================================================== validation: report files

def test_unknown_item_with_did_you_mean(data_copy):
    text = report_text("jrb", H1, entry("3-1-99"), entry("三（一）8"), entry("3－1－7"), entry("nothing"))
    rel = put(data_copy, "jrb", text)
    errors = errors_of(data_copy)
    n = [line(text, "- item:", k) for k in (1, 2, 3, 4)]
    assert keyed(errors, rel) == {(rel, x, "unknown-item") for x in n}
    says(the(errors, rel, n[0], "unknown-item"), "3-1-99", "你是不是想写", "“3-1-9”")
    says(the(errors, rel, n[1], "unknown-item"), "写成“3-1-8”")
    says(the(errors, rel, n[2], "unknown-item"), "写成“3-1-7”")
    says(the(errors, rel, n[3], "unknown-item"), "3-1-16")


def test_unknown_round_folder(data_copy):
    rel = put(data_copy, "jrb", GOOD.replace("round: 2020-H1", "round: 2020-h1"), rnd="2020-h1")
    error = the(errors_of(data_copy), rel, 0, "unknown-round")
    assert keyed(errors_of(data_copy), rel) == {(rel, 0, "unknown-round")}
    says(error, "2020-h1", "“2020-H1”", "2020-H2")


def test_round_field_must_match_folder(data_copy):
    text = GOOD.replace("2020-06-2", "2020-12-2").replace("round: 2020-H1", "round: 2020-H1")
    rel = put(data_copy, "jrb", text, rnd=H2)
    errors = errors_of(data_copy)
    assert keyed(errors, rel) == {(rel, 2, "round-mismatch")}
    says(the(errors, rel, 2, "round-mismatch"), "2020-H2", "2020-H1")


@pytest.mark.parametrize("name, unit, hint", [
    ("jrbb.yaml", "jrbb", "jrb.yaml（市政府金融办）"),
    ("市政府金融办.yaml", "jrb", "jrb.yaml"),
    ("all-counties.yaml", "all-counties", "集体"),
    ("nobody.yaml", "nobody", "data/units.yaml"),
])
def test_file_name_must_be_a_unit_id(data_copy, name, unit, hint):
    rel = put(data_copy, unit, report_text(unit, H1, entry("3-1-7")), name=name)
    errors = errors_of(data_copy)
    assert keyed(errors, rel) == {(rel, 0, "unknown-unit")}
    says(the(errors, rel, 0, "unknown-unit"), name, hint)


def test_unit_field_must_match_file_name(data_copy):
    rel = put(data_copy, "xunwu", GOOD)   # jrb's file copied as xunwu.yaml; xunwu is assigned to both items
    errors = errors_of(data_copy)
    assert keyed(errors, rel) == {(rel, 1, "unit-mismatch")}
    says(the(errors, rel, 1, "unit-mismatch"), "寻乌县", "jrb", "市政府金融办")


def test_unit_not_assigned_to_item(data_copy):
    # 市政府金融办 has nothing to do with 1-1; 赣州经开区 is not one of 各县（市、区） (3-1-7).
    text = report_text("jrb", H1, entry("3-1-8"), entry("1-1"))
    rel = put(data_copy, "jrb", text)
    zone = put(data_copy, "gzjkq", report_text("gzjkq", H1, entry("3-1-7")))
    errors = errors_of(data_copy)
    at = line(text, "item: 1-1")
    assert keyed(errors) == {(rel, at, "unit-not-assigned"), (zone, 4, "unit-not-assigned")}
    says(the(errors, rel, at, "unit-not-assigned"), "市政府金融办", "1-1", "牵头单位：市振兴办", "集体")


@pytest.mark.parametrize("day, ok", [
    ("2020-04-02", False), ("2020-04-03", True), ("2020-06-30", True), ("2020-09-30", True), ("2020-10-01", False),
    ("2019-06-30", False)])
def test_date_must_fall_in_the_round_window(data_copy, day, ok):
    text = report_text("jrb", H1, entry("3-1-8", day=day))
    rel = put(data_copy, "jrb", text)
    if ok:
        assert load_copy(data_copy).report("jrb", "3-1-8", H1).date == date.fromisoformat(day)
    else:
        errors = errors_of(data_copy)
        assert keyed(errors, rel) == {(rel, line(text, "date:"), "date-outside-round")}
        says(the(errors, rel, line(text, "date:"), "date-outside-round"), day, "2020-04-03～2020-09-30", "2020年上半年")


def test_impossible_and_malformed_dates(data_copy):
    text = report_text("jrb", H1, entry("3-1-8", day="2020-06-31"), entry("3-1-7", day="2020/6/30"))
    rel = put(data_copy, "jrb", text)
    errors = errors_of(data_copy)
    assert keyed(errors, rel) == {(rel, line(text, "date:", 1), "invalid-date"),
                                  (rel, line(text, "date:", 2), "schema-pattern")}
    says(the(errors, rel, line(text, "date:", 2), "schema-pattern"), "2020/6/30", "YYYY-MM-DD")


def test_duplicate_report(data_copy):
    text = report_text("jrb", H1, entry("3-1-8"), entry("3-1-7"), entry("3-1-8", status="已完成"))
    rel = put(data_copy, "jrb", text)
    errors = errors_of(data_copy)
    second = line(text, "item: 3-1-8", 2)
    assert keyed(errors, rel) == {(rel, second, "duplicate-report")}
    says(the(errors, rel, second, "duplicate-report"), f"第 {line(text, 'item: 3-1-8')} 行")


def test_bad_status(data_copy):
    text = report_text("jrb", H1, entry("3-1-8", status="进行中"))
    rel = put(data_copy, "jrb", text)
    errors = errors_of(data_copy)
    assert keyed(errors, rel) == {(rel, line(text, "status:"), "schema-enum")}
    says(the(errors, rel, line(text, "status:"), "schema-enum"), "进行中", "状态", "未启动、推进中、已完成、受阻",
         "推进中")


@pytest.mark.parametrize("percent, status, key", [
    ("120", "推进中", "schema-maximum"), ("-5", "推进中", "schema-minimum"), ("60%", "推进中", "schema-type"),
    ("60.5", "推进中", "schema-type"), ("90", "已完成", "percent-status-mismatch"),
    ("10", "未启动", "percent-status-mismatch"), ("100", "已完成", None), ("0", "未启动", None), ("100", "推进中", None)])
def test_percent(data_copy, percent, status, key):
    text = report_text("jrb", H1, entry("3-1-8", status=status, extra=f"    percent: {percent}\n"))
    rel = put(data_copy, "jrb", text)
    if key is None:
        assert load_copy(data_copy).report("jrb", "3-1-8", H1).percent == int(percent)
        return
    errors = errors_of(data_copy)
    at = line(text, "percent:")
    assert keyed(errors, rel) == {(rel, at, key)}
    says(the(errors, rel, at, key), percent.rstrip("%"))


def test_completed_without_percent_is_fine(data_copy):
    put(data_copy, "jrb", report_text("jrb", H1, entry("3-1-8", status="已完成")))
    assert load_copy(data_copy).report("jrb", "3-1-8", H1).percent is None


def test_evidence_links_must_be_http(data_copy):
    links = ["https://ok.example.gov.cn/a", "javascript:alert(1)", "ftp://files.example.com/x", "www.example.com/a",
             "file:///C:/报告.docx", "http://ok.example.com/b", "https://", "mailto:a@b.cn", "JAVASCRIPT://x%0aalert(1)"]
    extra = "    evidence:\n" + "".join(f"      - '{u}'\n" for u in links)
    text = report_text("jrb", H1, entry("3-1-8") + extra)
    rel = put(data_copy, "jrb", text)
    errors = errors_of(data_copy)
    bad = [u for u in links if not u.startswith(("https://ok", "http://ok"))]
    assert keyed(errors, rel) == {(rel, line(text, f"'{u}'"), "evidence-not-http") for u in bad}
    says(the(errors, rel, line(text, "javascript:"), "evidence-not-http"), "javascript:alert(1)", "https://")


def test_description_required_blank_and_too_long(data_copy):
    text = report_text(
        "jrb", H1,
        "  - item: 3-1-8\n    status: 推进中\n    date: 2020-06-20\n",
        entry("3-1-7", description="'  '"),
        entry("2-3", description="长" * 301))
    rel = put(data_copy, "xunwu", text.replace("unit: jrb", "unit: xunwu"))
    errors = errors_of(data_copy)
    assert keyed(errors, rel) == {(rel, line(text, "item: 3-1-8"), "schema-required"),
                                  (rel, line(text, "description: '  '"), "schema-pattern"),
                                  (rel, line(text, "长长长"), "schema-maxLength")}
    says(the(errors, rel, line(text, "item: 3-1-8"), "schema-required"), "description", "进展说明")
    says(the(errors, rel, line(text, "长长长"), "schema-maxLength"), "301", "300")


def test_misspelt_field_and_missing_top_level_field(data_copy):
    text = "unit: jrb\nreports:\n" + entry("3-1-8").replace("description:", "descripton:")
    rel = put(data_copy, "jrb", text)
    errors = errors_of(data_copy)
    assert keyed(errors, rel) == {(rel, 1, "schema-required"), (rel, line(text, "descripton"),
                                                                "schema-additionalProperties"),
                                  (rel, line(text, "item: 3-1-8"), "schema-required")}
    says(the(errors, rel, line(text, "descripton"), "schema-additionalProperties"), "description")


def test_yaml_mistakes_in_a_report_file(data_copy):
    text = GOOD.replace("    status: 受阻", "\tstatus: 受阻")
    rel = put(data_copy, "jrb", text)
    assert keyed(errors_of(data_copy), rel) == {(rel, line(text, "\tstatus"), "tab-indent")}


@pytest.mark.parametrize("text", ["", "# 只有注释\n"])
def test_empty_report_file(data_copy, text):
    rel = put(data_copy, "jrb", text)
    assert keyed(errors_of(data_copy)) == {(rel, 0, "empty-file")}


def test_report_file_that_is_not_a_mapping(data_copy):
    rel = put(data_copy, "jrb", "- item: 3-1-8\n")
    assert keyed(errors_of(data_copy)) == {(rel, 1, "schema-type")}


def test_sample_flag_not_allowed_in_real_data(data_copy):
    rel = put(data_copy, "jrb", "sample: true\n" + GOOD)
    errors = errors_of(data_copy)
    assert keyed(errors, rel) == {(rel, 1, "sample-in-real-data")}


@pytest.mark.parametrize("name, key", [("jrb.yml", "wrong-extension"), ("JRB.YAML", "wrong-extension"),
                                       ("报告.docx", "unexpected-file")])
def test_files_that_are_not_reports(data_copy, name, key):
    rel = put(data_copy, "jrb", GOOD, name=name)
    assert keyed(errors_of(data_copy)) == {(rel, 0, key)}


def test_report_outside_a_round_folder(data_copy):
    data_copy.write(f"{PROGRESS}/jrb.yaml", GOOD)
    assert keyed(errors_of(data_copy)) == {(f"{PROGRESS}/jrb.yaml", 0, "misplaced-file")}


def test_markdown_and_hidden_files_are_ignored(data_copy):
    data_copy.write(f"{PROGRESS}/{H1}/README.md", "# 说明\n")
    data_copy.write(f"{PROGRESS}/{H1}/.gitkeep", "")
    assert load_copy(data_copy).reports == ()


def test_all_errors_in_one_run(data_copy):
    a = report_text("jrb", H1, entry("3-1-99"), entry("3-1-8", status="进行中"), entry("1-1"),
                    entry("3-1-7", day="2020-12-01", extra="    percent: 101\n"))
    jrb = put(data_copy, "jrb", a)
    b = GOOD.replace("https://www.ganzhou.gov.cn/a.html", "javascript:alert(1)")
    xunwu = put(data_copy, "xunwu", b)
    errors = errors_of(data_copy)
    assert keyed(errors) == {
        (jrb, line(a, "item: 3-1-99"), "unknown-item"),
        (jrb, line(a, "status: 进行中"), "schema-enum"),
        (jrb, line(a, "item: 1-1"), "unit-not-assigned"),
        (jrb, line(a, "percent: 101"), "schema-maximum"),
        (jrb, line(a, "date: 2020-12-01"), "date-outside-round"),   # same entry as the bad percent
        (xunwu, 1, "unit-mismatch"),
        (xunwu, line(b, "javascript"), "evidence-not-http"),
    }


def test_an_entry_with_a_schema_error_is_still_cross_checked(data_copy):
    text = report_text("jrb", H1, entry("3-1-99", status="完成", day="2020-12-01",
                                        extra="    evidence: ['javascript:void(0)', 42]\n"))
    rel = put(data_copy, "jrb", text)
    assert keyed(errors_of(data_copy), rel) == {
        (rel, line(text, "item:"), "unknown-item"), (rel, line(text, "status:"), "schema-enum"),
        (rel, line(text, "date:"), "date-outside-round"), (rel, line(text, "evidence:"), "evidence-not-http"),
        (rel, line(text, "evidence:"), "schema-type")}


def test_whole_copy_loads_in_one_call(data_copy):
    rel = put(data_copy, "jrb", GOOD)
    plan, progress = load_plan_and_progress(data_copy.root)
    assert progress.plan is plan and progress.report("jrb", "3-1-8", H1).file == rel
    put(data_copy, "jrb", GOOD.replace("3-1-8", "3-1-99"))
    with pytest.raises(PlanInvalid) as info:
        load_plan_and_progress(data_copy.root)
    assert {e.key for e in info.value.errors} == {"unknown-item"}


def test_plan_errors_and_progress_errors_in_one_run(data_copy):
    data_copy.replace("data/2020/items/3-1.yaml", "    lead: [市政府金融办]\n    responsible: [寻乌县]\n",
                      "    lead: [市政府金融班]\n    responsible: [寻乌县]\n")
    rel = put(data_copy, "jrb", GOOD.replace("status: 受阻", "status: 完成"))
    with pytest.raises(PlanInvalid) as info:
        load_plan_and_progress(data_copy.root)
    keys = {(e.file, e.key) for e in info.value.errors}
    assert ("data/2020/items/3-1.yaml", "unknown-unit") in keys
    assert (rel, "schema-enum") in keys


def test_error_report_format(data_copy):
    text = report_text("jrb", H1, entry("1-1"))
    rel = put(data_copy, "jrb", text)
    [error] = errors_of(data_copy)
    assert str(error).startswith(f"{rel}:4: [unit-not-assigned] ")
    assert "\n    → " in str(error)


# =========================================================================== validation: rounds.yaml

def test_round_deadline_must_agree_with_document(data_copy):
    data_copy.replace(ROUNDS, "deadline: 2020-12-30", "deadline: 2020-12-31")
    at = data_copy.line_of(ROUNDS, "deadline: 2020-12-30")
    errors = errors_of(data_copy)
    assert keyed(errors) == {(ROUNDS, at, "round-deadline-mismatch")}
    says(the(errors, ROUNDS, at, "round-deadline-mismatch"), "2020-12-31", "2020-06-30、2020-12-30")


def test_document_deadline_without_round(data_copy):
    text = data_copy.read(ROUNDS)
    data_copy.write(ROUNDS, text[: text.index("  - id: 2020-H2")])
    errors = errors_of(data_copy)
    at = data_copy.line_of(ROUNDS, "rounds:")
    assert keyed(errors) == {(ROUNDS, at, "round-deadline-missing")}
    says(the(errors, ROUNDS, at, "round-deadline-missing"), "2020-12-30")


def test_round_window_must_contain_deadline(data_copy):
    data_copy.replace(ROUNDS, "closes: 2020-09-30", "closes: 2020-06-29")
    at = data_copy.line_of(ROUNDS, "- id: 2020-H1")
    assert keyed(errors_of(data_copy)) == {(ROUNDS, at, "round-window")}


def test_round_windows_must_not_overlap(data_copy):
    data_copy.replace(ROUNDS, "opens: 2020-10-01", "opens: 2020-09-30")
    at = data_copy.line_of(ROUNDS, "opens: 2020-10-01")
    assert keyed(errors_of(data_copy)) == {(ROUNDS, at, "round-overlap")}


def test_round_duplicate_bad_id_and_unknown_group(data_copy):
    data_copy.replace(ROUNDS, "- id: 2020-H2", "- id: 2020-H1")
    data_copy.replace(ROUNDS, "reporting_groups: [all-counties]", "reporting_groups: [all-countys]")
    errors = errors_of(data_copy)
    assert keyed(errors) == {(ROUNDS, data_copy.line_of(ROUNDS, "- id: 2020-H2"), "duplicate-round"),
                             (ROUNDS, data_copy.line_of(ROUNDS, "reporting_groups:"), "unknown-group")}


def test_round_id_format(data_copy):
    data_copy.replace(ROUNDS, "- id: 2020-H2", "- id: 2020 下半年")
    at = data_copy.line_of(ROUNDS, "- id: 2020-H2")
    errors = errors_of(data_copy)
    assert keyed(errors) == {(ROUNDS, at, "schema-pattern")}
    says(the(errors, ROUNDS, at, "schema-pattern"), "2020-H1")


def test_missing_rounds_file(data_copy):
    data_copy.path(ROUNDS).unlink()
    assert keyed(errors_of(data_copy)) == {(ROUNDS, 0, "missing-file")}


# =========================================================================== logic: rounds, overdue

@pytest.fixture(scope="module")
def base(plan) -> Progress:
    """The committed rounds, no reports."""
    real = load_progress(ROOT, plan)
    return Progress(plan=plan, rounds=real.rounds, reports=(), reporting_groups=real.reporting_groups)


def make(base: Progress, *reports: tuple) -> Progress:
    """(unit, item, round, status[, percent[, day]]) → a Progress with those reports, roles from the plan."""
    roles = item_roles(base.plan)
    out = []
    for unit, item, rnd, status, *rest in reports:
        percent = rest[0] if rest else None
        day = date.fromisoformat(rest[1]) if len(rest) > 1 else base.rounds[rnd].deadline
        role, via = roles[item][unit]
        out.append(Report(unit=unit, item=item, round=rnd, status=status, description="…", date=day, percent=percent,
                          role=role, via_group=via, late=day > base.rounds[rnd].deadline))
    order = list(base.rounds)
    out.sort(key=lambda r: (order.index(r.round), r.date, not r.is_lead))
    return Progress(plan=base.plan, rounds=base.rounds, reports=tuple(out), reporting_groups=base.reporting_groups)


@pytest.mark.parametrize("today, current", [
    ("2020-01-01", H1), ("2020-04-03", H1), ("2020-06-30", H1), ("2020-07-01", H1), ("2020-09-30", H1),
    ("2020-10-01", H2), ("2020-12-30", H2), ("2020-12-31", H2), ("2026-01-01", H2)])
def test_current_round(base, today, current):
    assert base.current_round(date.fromisoformat(today)).id == current


@pytest.mark.parametrize("rnd, today, overdue", [
    (H1, "2020-06-29", False), (H1, "2020-06-30", False), (H1, "2020-07-01", True), (H1, "2020-12-31", True),
    (H2, "2020-06-30", False), (H2, "2020-12-29", False), (H2, "2020-12-30", False), (H2, "2020-12-31", True),
    (H2, "2021-01-01", True)])
def test_overdue_around_the_deadline(base, rnd, today, overdue):
    """Due on or before the deadline: the deadline day itself is not overdue; the next day is
    (both rounds hold a report, by 市政府金融办 in H1 and by 寻乌县 in H2)."""
    day = date.fromisoformat(today)
    progress = make(base, ("jrb", "3-1-8", H1, "推进中"), ("xunwu", "3-1-8", H2, "推进中", None, "2020-12-20"))
    missing = progress.missing("jrb", rnd)
    assert missing and ("3-1-8" in missing) == (rnd == H2)
    assert progress.overdue("jrb", rnd, day) == (missing if overdue else ())
    assert progress.unit_round("jrb", rnd, day).overdue is overdue
    assert progress.rounds[rnd].past_deadline(day) is overdue


@pytest.mark.parametrize("today", ["2020-07-01", "2021-01-01", "2026-11-30"])
def test_a_round_without_any_report_marks_nobody_overdue(base, today):
    """No report of a round on the site means the returns are not entered yet: nobody is overdue
    for it, however late; the other round, which has a report, is chased as usual."""
    day = date.fromisoformat(today)
    progress = make(base, ("jrb", "3-1-8", H1, "推进中"))
    assert progress.has_reports(H1) and not progress.has_reports(H2)
    assert not progress.chasing(H2, day) and progress.chasing(H1, day)
    expected = base.expected["jrb"]
    assert len(expected) > 2 and progress.missing("jrb", H2) == expected
    assert progress.overdue("jrb", H2, day) == () and not progress.unit_round("jrb", H2, day).overdue
    assert progress.overdue("jrb", H1, day) == tuple(i for i in expected if i != "3-1-8")
    assert not any(cells[1].overdue for _, cells in progress.dashboard(day))
    assert all(base.overdue(uid, rnd, day) == () for uid in base.plan.units for rnd in (H1, H2))


def test_nothing_overdue_once_everything_is_reported(base):
    expected = base.expected["xunwu"]
    progress = make(base, *(("xunwu", iid, H1, "推进中") for iid in expected),
                    ("jrb", "3-1-8", H2, "推进中", None, "2020-12-20"))
    cell = progress.unit_round("xunwu", H1, date(2020, 7, 1))
    assert cell.missing == () and cell.complete and not cell.overdue and cell.reported == expected
    assert progress.overdue("xunwu", H1, date(2021, 1, 1)) == ()
    assert progress.overdue("xunwu", H2, date(2021, 1, 1)) == expected


def test_late_report_is_not_missing(base):
    progress = make(base, ("jrb", "3-1-8", H1, "推进中", None, "2020-08-15"))
    assert "3-1-8" not in progress.overdue("jrb", H1, date(2020, 9, 1))
    assert progress.report("jrb", "3-1-8", H1).late


def test_expected_items_follow_reporting_groups(base):
    # 各县（市、区） → every county; 市直(驻市)有关部门 → nobody in particular; zones only when named.
    assert "3-1-7" in base.expected["zhanggong"] and "3-1-7" in base.expected["longnan"]
    assert "3-1-7" not in base.expected["gzjkq"]
    assert "1-7" not in base.expected["gxj"] and "1-7" in base.expected["czj"]
    # 市政府金融办: 牵头 三（一）-2…8 and 三（六）-7, 责任 三（五）-5; none through a group it is in
    assert base.expected["jrb"] == ("3-1-2", "3-1-3", "3-1-4", "3-1-5", "3-1-6", "3-1-7", "3-1-8", "3-5-5", "3-6-7")


def test_dashboard(base, plan):
    progress = make(base, ("jrb", "3-1-8", H1, "推进中"), ("fgw", "1-7", H1, "推进中"))
    rows = dict(progress.dashboard(date(2020, 7, 1)))
    assert list(rows) == [u for u in plan.units if u in rows]          # registry order
    assert len(rows) == 68, "every unit of the registry owes reports in 2020 (tests/expected_progress.py)"
    h1, h2 = rows["jrb"]
    assert (h1.round, h2.round) == (H1, H2)
    assert h1.reported == ("3-1-8",) and "3-1-8" not in h1.missing and h1.overdue and not h2.overdue
    assert rows["fgw"][0].reported == ("1-7",) and "1-7" not in rows["fgw"][0].expected


# =========================================================================== logic: status combination

def test_combine():
    assert combine(["推进中"]) == "推进中"
    assert combine(["已完成", "已完成"]) == "已完成"
    assert combine(["已完成", "受阻", "推进中"]) == "受阻"
    assert combine(["已完成", "未启动"]) == "推进中"
    assert combine(["未启动", "未启动"]) == "未启动"
    with pytest.raises(ValueError):
        combine([])


def test_item_status_comes_from_the_lead(base):
    # 3-1-8: 市政府金融办 leads, 寻乌县 is responsible.
    only_responsible = make(base, ("xunwu", "3-1-8", H1, "已完成", 100))
    assert only_responsible.latest["3-1-8"] is None
    assert [r.unit for r in only_responsible.timeline("3-1-8")] == ["xunwu"]
    both = make(base, ("xunwu", "3-1-8", H1, "已完成", 100), ("jrb", "3-1-8", H1, "受阻", 20))
    st = both.latest["3-1-8"]
    assert (st.status, st.percent, st.round, [r.unit for r in st.reports], st.pending) == ("受阻", 20, H1, ["jrb"], ())
    assert [r.unit for r in both.timeline("3-1-8")] == ["jrb", "xunwu"]   # lead first on the same day


def test_several_leads_combine(base):
    # 3-1-1 has five lead units: 市商务局, 市文广新旅局, 市教育局, 市卫健委, 市科技局.
    p = make(base, ("shangwuj", "3-1-1", H1, "已完成", 100), ("kjj", "3-1-1", H1, "推进中", 60),
             ("jyj", "3-1-1", H1, "推进中"))
    st = p.latest["3-1-1"]
    assert (st.status, st.percent, st.mixed) == ("推进中", 60, True)
    assert set(st.pending) == {"wgxlj", "wjw"}
    all_done = make(base, *((u, "3-1-1", H1, "已完成") for u in ("shangwuj", "kjj", "jyj", "wgxlj", "wjw")))
    assert (all_done.latest["3-1-1"].status, all_done.latest["3-1-1"].pending) == ("已完成", ())
    blocked = make(base, ("shangwuj", "3-1-1", H1, "已完成"), ("kjj", "3-1-1", H1, "受阻"))
    assert blocked.latest["3-1-1"].status == "受阻"


def test_group_lead_counts_as_lead(base):
    # 2-13 is led by 市直有关部门 only: any city department reporting on it reports as lead.
    p = make(base, ("fgw", "2-13", H1, "推进中"), ("ruijin", "2-13", H1, "已完成"))
    assert p.report("fgw", "2-13", H1).role == "lead" and p.report("fgw", "2-13", H1).via_group == "city-depts"
    assert p.latest["2-13"].status == "推进中" and p.latest["2-13"].pending == ()


def test_status_as_of_a_round_falls_back_to_the_latest_lead_report(base):
    p = make(base, ("jrb", "3-1-8", H1, "推进中"), ("xunwu", "3-1-8", H2, "已完成"))
    assert p.status("3-1-8", H2).round == H1 and p.status("3-1-8", H2).status == "推进中"
    assert p.status_in("3-1-8", H2) is None
    assert p.latest["3-1-8"].round == H1
    assert p.status("3-1-7", H1) is None


def test_timeline_order(base):
    p = make(base, ("xunwu", "3-1-8", H2, "已完成", None, "2020-12-01"), ("jrb", "3-1-8", H2, "已完成", None, "2020-12-20"),
             ("xunwu", "3-1-8", H1, "推进中", None, "2020-06-01"), ("jrb", "3-1-8", H1, "推进中", None, "2020-06-01"))
    assert [(r.round, r.unit) for r in p.timeline("3-1-8")] == [(H1, "jrb"), (H1, "xunwu"), (H2, "xunwu"), (H2, "jrb")]


def test_loaded_timeline_order(data_copy):
    put(data_copy, "xunwu", report_text("xunwu", H1, entry("3-1-8", day="2020-06-01")))
    put(data_copy, "jrb", report_text("jrb", H1, entry("3-1-8", day="2020-06-01")))
    put(data_copy, "jrb", report_text("jrb", H2, entry("3-1-8", day="2020-10-02")), rnd=H2)
    p = load_copy(data_copy)
    assert [(r.round, r.unit) for r in p.timeline("3-1-8")] == [(H1, "jrb"), (H1, "xunwu"), (H2, "jrb")]
    assert [(r.round, r.item) for r in p.by_unit["jrb"]] == [(H1, "3-1-8"), (H2, "3-1-8")]


# =========================================================================== logic: summaries and history

def test_unit_summary_counts_the_units_own_reports(base):
    p = make(base, ("xunwu", "3-1-7", H1, "推进中"), ("xunwu", "3-1-8", H1, "受阻"), ("jrb", "3-1-8", H1, "已完成"))
    s = p.unit_summary("xunwu", H1)
    assert s.total == len(base.expected["xunwu"]) == 12
    assert dict(s.counts) == {"未启动": 0, "推进中": 1, "已完成": 0, "受阻": 1, NO_REPORT: 10}
    assert s.items["受阻"] == ("3-1-8",) and s.reported == 2
    assert s.share("推进中") == pytest.approx(100 / 12)
    assert list(s.counts) == [*STATUSES, NO_REPORT]
    assert p.unit_summary("xunwu", H2).counts[NO_REPORT] == 12


def test_items_and_category_summary(base):
    p = make(base, ("jrb", "3-1-8", H1, "受阻"), ("jrb", "3-1-7", H1, "推进中"), ("jrb", "3-1-7", H2, "已完成"))
    latest = p.category_summary("3-1")
    assert latest.total == 38 and latest.counts["已完成"] == 1 and latest.counts["受阻"] == 1
    assert latest.counts[NO_REPORT] == 36
    assert p.category_summary("3-1", H1).counts["推进中"] == 1
    assert p.category_summary("3").total == 89
    empty = p.items_summary([])
    assert empty.total == 0 and empty.share("已完成") == 0.0


def test_changes_between_rounds(base):
    p = make(base,
             ("jrb", "3-1-7", H1, "推进中"), ("jrb", "3-1-7", H2, "已完成"),     # changed
             ("jrb", "3-1-8", H1, "受阻"), ("jrb", "3-1-8", H2, "受阻"),         # same
             ("zxb", "1-1", H1, "推进中"),                                       # no H2 lead report: carried over
             ("zxb", "1-2", H2, "未启动"),                                       # first report in H2
             ("xunwu", "3-1-16", H2, "已完成"))                                  # responsible only: no status
    changes = p.changes(H1, H2)
    assert [(c.item, c.before_status, c.after_status) for c in changes] == [
        ("1-2", None, "未启动"), ("3-1-7", "推进中", "已完成")]
    assert changes[1].before.round == H1 and changes[1].after.round == H2
    assert [(c.item, c.before_status, c.after_status) for c in p.changes(H2, H1)] == [
        ("1-2", "未启动", None), ("3-1-7", "已完成", "推进中")]
    assert p.changes(H1, H1) == ()
    with pytest.raises(KeyError):
        p.changes(H1, "2020-H3")


def test_sample_data_demonstrates_history(plan):
    p = load_progress(ROOT, plan, include_sample=True)
    changed = {c.item: (c.before_status, c.after_status) for c in p.changes(H1, H2)}
    assert changed["3-1-7"] == ("推进中", "已完成")
    assert p.latest["3-1-1"].status == "受阻"
    assert any(r.late for r in p.reports)
