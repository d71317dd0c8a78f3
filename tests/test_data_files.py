"""The rules for reading a data file (workplan.datafile, workplan.yamlio), one test each, on copies
of data/: which files are read at all (paths), how big, how they are decoded, which characters are
refused or named, how lines are counted, which YAML features are refused. Corpus cases in
tests/bad_input/ cover the same rules on the plan files; these also cover the progress files, the
CLI output and the cases the corpus format cannot express (links, FIFOs, devices).
"""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workplan import datafile, schema
from workplan.errors import Collector, PlanInvalid
from workplan.progress import load_plan_and_progress

ITEMS = "data/2020/items/3-1.yaml"
UNITS = "data/units.yaml"
ROUNDS = "data/2020/progress/rounds.yaml"
REPORT = "data/2020/progress/2020-H1/jrb.yaml"
SECRET = "TOP-SECRET-LINE-FROM-OUTSIDE"
GOOD_REPORT = ("unit: jrb\nround: 2020-H1\nreports:\n  - item: 3-1-8\n    status: 推进中\n"
               "    date: 2020-06-20\n    description: 方案初稿已完成。\n")


def errors(data_copy):
    with pytest.raises(PlanInvalid) as info:
        load_plan_and_progress(data_copy.root)
    return info.value.errors


def keyed(found, file=None):
    return {(e.file, e.line, e.key) for e in found if file is None or e.file == file}


def report_text(found) -> str:
    return PlanInvalid(found).report()


def validate_cli(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workplan", "--root", str(root), "validate"],
                          capture_output=True, text=True, timeout=120)


# --------------------------------------------------------------------------- 1. paths

@pytest.fixture
def outside_file(tmp_path_factory) -> Path:
    """A file outside the repository copy whose content a schema message would quote if it were read."""
    path = tmp_path_factory.mktemp("outside") / "secret.yaml"
    path.write_text(f"{SECRET}: 1\nunits: {SECRET}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("rel", [UNITS, "data/2020/document.yaml", ITEMS, "data/2020/links.yaml", ROUNDS])
def test_symlinked_data_file_is_rejected_by_name_and_not_read(data_copy, outside_file, rel):
    data_copy.path(rel).unlink()
    data_copy.path(rel).symlink_to(outside_file)
    found = errors(data_copy)
    assert (rel, 0, "not-regular-file") in keyed(found)
    text = report_text(found)
    assert SECRET not in text and str(outside_file) not in text and str(outside_file.parent) not in text
    assert "符号链接" in next(e for e in found if e.file == rel).message


def test_symlink_to_a_file_inside_the_repository_is_rejected_too(data_copy):
    data_copy.path("data/2020/errata.yaml").rename(data_copy.path("data/errata-real.yaml"))
    data_copy.path("data/2020/errata.yaml").symlink_to("../errata-real.yaml")
    assert keyed(errors(data_copy)) == {("data/2020/errata.yaml", 0, "not-regular-file")}


def test_symlinked_folder_is_rejected_by_name(data_copy, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "items"
    data_copy.path("data/2020/items").rename(outside)
    data_copy.path("data/2020/items").symlink_to(outside)
    found = errors(data_copy)
    assert {k for _, _, k in keyed(found)} == {"not-regular-file"}
    assert all("data/2020/items 是符号链接" in e.message for e in found)
    assert str(outside) not in report_text(found)


def test_symlinked_round_folder_is_not_listed(data_copy, outside_file):
    data_copy.path("data/2020/progress/2020-H1").symlink_to(outside_file.parent)
    found = errors(data_copy)
    assert keyed(found) == {("data/2020/progress/2020-H1", 0, "not-regular-file")}
    assert outside_file.name not in report_text(found)   # its folder was not listed


def test_symlinked_report_file_is_rejected(data_copy, outside_file):
    data_copy.path("data/2020/progress/2020-H1").mkdir()
    data_copy.path(REPORT).symlink_to(outside_file)
    found = errors(data_copy)
    assert keyed(found) == {(REPORT, 0, "not-regular-file")}
    assert SECRET not in report_text(found)


def test_fifo_is_rejected_without_blocking(data_copy):
    """A FIFO would block a reader for ever: the CLI must name it and exit (timeout = failure)."""
    data_copy.path("data/2020/links.yaml").unlink()
    os.mkfifo(data_copy.path("data/2020/links.yaml"))
    data_copy.path("data/2020/progress/2020-H1").mkdir()
    os.mkfifo(data_copy.path(REPORT))
    done = validate_cli(data_copy.root)
    assert done.returncode == 1, done.stderr
    assert "data/2020/links.yaml: [not-regular-file]" in done.stderr and "命名管道" in done.stderr
    assert f"{REPORT}: [not-regular-file]" in done.stderr
    assert "Traceback" not in done.stderr


def test_device_file_is_rejected(data_copy):
    path = data_copy.path("data/2020/errata.yaml")
    path.unlink()
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))   # like /dev/zero: endless bytes
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here")
    found = errors(data_copy)
    assert keyed(found) == {("data/2020/errata.yaml", 0, "not-regular-file")}
    assert "字符设备" in found[0].message


def test_a_path_outside_the_root_is_not_read(tmp_path, outside_file):
    collector = Collector(tmp_path / "repo")
    assert not datafile.check_path(outside_file, collector)
    [error] = collector.errors
    assert error.key == "outside-repository"
    assert not error.file.startswith("/") and error.file.endswith("secret.yaml")


def test_paths_in_messages_are_relative_and_not_resolved(tmp_path):
    """The old fallback printed the absolute path; resolving printed a symlink's target."""
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "data" / "link.yaml").symlink_to("/etc/hostname")
    collector = Collector(root)
    assert collector.rel(root / "data" / "link.yaml") == "data/link.yaml"
    assert collector.rel(tmp_path / "elsewhere.yaml") == "../elsewhere.yaml"


def test_unreadable_file_is_an_error_not_a_traceback(data_copy):
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    data_copy.path(ITEMS).chmod(0)
    assert keyed(errors(data_copy), ITEMS) == {(ITEMS, 0, "unreadable-file")}


# --------------------------------------------------------------------------- 2. size

def test_file_over_the_limit_is_refused_unread(data_copy):
    limit = 2 * 1024 * 1024   # as documented in data/README.md
    assert datafile.MAX_BYTES == limit
    data_copy.write_bytes("data/2020/errata.yaml", b"errata: []\n" + b"#" * limit)
    found = errors(data_copy)
    assert keyed(found) == {("data/2020/errata.yaml", 0, "file-too-large")}
    assert f"{limit + 11:,} 字节" in found[0].message and "2 MiB" in found[0].message


def test_file_at_the_limit_is_read(data_copy):
    body = b"errata: []\n"
    data_copy.write_bytes("data/2020/errata.yaml", body + b"#" * (datafile.MAX_BYTES - len(body)))
    data_copy.load()


# --------------------------------------------------------------------------- 3. encoding

def test_bad_byte_after_a_bom_is_on_the_right_line_and_column(data_copy):
    data_copy.write_bytes("data/2020/errata.yaml", b"\xef\xbb\xbferrata: []\n# ab\xff\n")
    found = errors(data_copy)
    assert keyed(found) == {("data/2020/errata.yaml", 2, "encoding")}
    assert found[0].column == 5


def test_report_file_in_utf16(data_copy):
    data_copy.write_bytes(REPORT, GOOD_REPORT.encode("utf-16"))
    found = errors(data_copy)
    assert keyed(found) == {(REPORT, 1, "encoding")}
    assert "UTF-16" in found[0].message


# --------------------------------------------------------------------------- 4. characters and lines

def test_line_index_counts_lines_as_editors_do():
    text = "a\r\nb\rc\nd\u2028e\x85f\u2029g"
    index = datafile.LineIndex(text)
    assert [index.line(text.index(ch)) for ch in "abcdefg"] == [1, 2, 3, 4, 4, 4, 4]
    assert index.column(text.index("g")) == 7
    assert datafile.lines(text) == ["a", "b", "c", "d\u2028e\x85f\u2029g"]


def test_control_characters_in_a_report_file(data_copy):
    data_copy.write(REPORT, GOOD_REPORT.replace("方案初稿", "方案\x1b初稿").replace("推进中", "推进中\x00"))
    found = errors(data_copy)
    assert keyed(found) == {(REPORT, 5, "control-character"), (REPORT, 7, "control-character")}
    messages = {e.line: e.message for e in found}
    assert "U+0000" in messages[5] and "U+001B" in messages[7]


def test_many_control_characters_are_listed_up_to_a_limit(data_copy):
    data_copy.write_bytes("data/2020/errata.yaml", b"errata: []\n" + b"#\x01\n" * 40)
    found = errors(data_copy)
    assert len(found) == datafile.MAX_LISTED
    assert "共有 40 处" in found[-1].hint


def test_line_separator_in_rounds_does_not_shift_later_errors(data_copy):
    text = data_copy.read(ROUNDS)
    lines = text.splitlines(keepends=True)
    deadline = next(n for n, line in enumerate(lines) if "deadline: '2020-06-30'" in line or "deadline: 2020-06-30" in line)
    lines[0] = lines[0].rstrip("\n") + "\u2028x\n"
    lines[deadline] = lines[deadline].replace("06-30", "06-31")
    data_copy.write(ROUNDS, "".join(lines))
    found = errors(data_copy)
    assert (ROUNDS, 1, "unicode-line-break") in keyed(found)
    assert (ROUNDS, deadline + 1, "invalid-date") in keyed(found)


def test_column_is_printed_after_the_line(data_copy):
    data_copy.replace(ITEMS, "积极推动设立瑞京人寿。", "积极推动设立\x07瑞京人寿。")
    done = validate_cli(data_copy.root)
    assert done.returncode == 1
    assert f"{ITEMS}:20:17: [control-character]" in done.stderr


# --------------------------------------------------------------------------- YAML limits

def test_depth_limits_follow_the_schemas():
    """Counted by hand from workplan/schema/*.schema.json: the root mapping is 1. items: file, items,
    item, lead, a "，" group (inner list); links: file, items, a list of links, one {point, quote}."""
    assert {name: schema.max_depth(name) for name in
            ("units", "document", "points", "attachment", "items", "links", "errata", "progress",
             "progress-rounds")} == {"units": 5, "document": 2, "points": 5, "attachment": 5, "items": 5,
                                     "links": 4, "errata": 3, "progress": 4, "progress-rounds": 3}


def test_nesting_in_a_report_file(data_copy):
    data_copy.write(REPORT, GOOD_REPORT + "    evidence: [[https://a.example/]]\n")
    found = errors(data_copy)
    assert keyed(found) == {(REPORT, 8, "nesting-too-deep")}
    assert "4 层" in found[0].message


def test_alias_in_rounds(data_copy):
    text = data_copy.read(ROUNDS)
    first_label = next(line for line in text.splitlines() if "label:" in line)
    data_copy.write(ROUNDS, text.replace(first_label, first_label.replace("label: ", "label: &l "), 1) + "x: *l\n")
    found = errors(data_copy)
    assert {k for _, _, k in keyed(found)} == {"yaml-anchor"}


def test_number_of_5000_digits_is_an_error_not_a_crash(data_copy):
    data_copy.replace(ITEMS, "  - number: 38\n", "  - number: " + "7" * 5000 + "\n")
    assert keyed(errors(data_copy)) == {(ITEMS, 155, "yaml-syntax")}


# --------------------------------------------------------------------------- invisible characters in names

def test_invisible_character_in_a_report_item_is_named(data_copy):
    data_copy.write(REPORT, GOOD_REPORT.replace("3-1-8", "3-1-8\u2060"))
    found = errors(data_copy)
    [error] = [e for e in found if e.key == "unknown-item"]
    assert "U+2060" in error.message and "\u2060" not in error.message


def test_invisible_character_in_a_report_file_name_is_named(data_copy):
    data_copy.write("data/2020/progress/2020-H1/jrb\u200d.yaml", GOOD_REPORT)
    found = errors(data_copy)
    [error] = [e for e in found if e.key == "unknown-unit"]
    assert "U+200D" in error.message and "jrb.yaml" in error.hint
    assert "\u200d" not in str(error)


def test_schema_errors_are_listed_up_to_a_limit(data_copy):
    data_copy.write("data/2020/errata.yaml", "errata:\n" + "  - 补试\n" * 200)
    found = errors(data_copy)
    assert len(found) == schema.MAX_ERRORS == 50
    assert [e.line for e in found] == list(range(2, 52))
    assert "还有更多错误" in found[-1].hint and "还有更多错误" not in found[0].hint


def test_a_wrong_type_message_does_not_print_a_whole_list(data_copy):
    data_copy.write("data/2020/errata.yaml", "errata: {" + ", ".join(f"k{n}: v" for n in range(500)) + "}\n")
    [error] = errors(data_copy)
    assert error.key == "schema-type" and "500 项" in error.message and "k499" not in error.message


# --------------------------------------------------------------------------- documentation

def emitted_keys(*modules: str) -> set[str]:
    """The English keys written as literals in these modules (error keys are the only
    lower-case-with-hyphens literals there, but for schema file names)."""
    root = Path(__file__).resolve().parents[1]
    found = set()
    for module in modules:
        found |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', (root / module).read_text(encoding="utf-8")))
    return found - {"progress-rounds"}


def test_every_reading_and_plan_key_is_documented_in_data_readme():
    readme = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    keys = emitted_keys("workplan/datafile.py", "workplan/yamlio.py", "workplan/load.py")
    assert {"control-character", "unicode-line-break", "not-regular-file", "yaml-anchor", "nesting-too-deep"} <= keys
    assert not {k for k in keys if f"`{k}`" not in readme}


def test_every_reading_key_is_documented_for_the_units_that_report():
    """A report file goes through the same reading rules: the units' README names their keys too."""
    readme = (Path(__file__).resolve().parents[1] / "data/2020/progress/README.md").read_text(encoding="utf-8")
    keys = emitted_keys("workplan/datafile.py", "workplan/yamlio.py") - {"outside-repository"}
    assert not {k for k in keys if f"`{k}`" not in readme}


def test_importer_counts_lines_as_editors_do():
    """A U+2028 in the first line of source.txt must not move the line of a later import error."""
    from workplan import importer

    source = (Path(__file__).resolve().parents[1] / "data/2020/source.txt").read_text(encoding="utf-8")
    lines = source.split("\n")
    row = next(n for n, line in enumerate(lines) if line.startswith("1\t"))
    lines[0] = lines[0] + "\u2028"
    lines[row] = "一堆不是表格的文字"
    with pytest.raises(importer.ImportError_, match=rf"^source:{row + 1}: unexpected table row"):
        importer.parse("\n".join(lines))


def test_a_line_break_inside_a_quoted_name_keeps_the_message_on_one_line(data_copy):
    data_copy.replace(ITEMS, "    responsible: [寻乌县]\n", '    responsible: ["寻乌\\n县"]\n')
    done = validate_cli(data_copy.root)
    lines = done.stderr.splitlines()
    assert lines[1].startswith(f"{ITEMS}:38: [schema-pattern]") and "寻乌⟨U+000A⟩县" in lines[1] and "换行符" in lines[1]
    assert lines[2].startswith("    → ") and len(lines) == 3
