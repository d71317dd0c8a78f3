"""Property: whatever characters or bytes land in a data file, `python -m workplan validate` and
`python -m workplan build` answer with a message — exit status 1, file:line, no traceback.

Every kind of data file is damaged in turn: the plan files (document, points, attachment, an items
file), the registry units.yaml, links, errata, the progress rounds.yaml and a progress report. The
damage is arbitrary text or bytes spliced in at an arbitrary place, always carrying at least one
character or byte that no valid file may contain (a control character, U+2028, a byte that is
never UTF-8, …) so that the file is certainly invalid; a second property splices in arbitrary text
alone and asks only for no traceback and well-formed messages.

Validation runs in-process through workplan.__main__.main (what `python -m workplan` calls): many
examples. The build runs as a real subprocess, one example per kind of file (a build costs seconds).
Examples are derandomized with no database, so CI always runs the same ones; set
HYPOTHESIS_PROFILE=fuzz-deep for fresh random examples, ten times as many.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from workplan.__main__ import main

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz-deep"
COMMON = dict(derandomize=not DEEP, database=None, deadline=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
VALIDATE = settings(max_examples=400 if DEEP else 40, **COMMON)
ARBITRARY = settings(max_examples=200 if DEEP else 20, **COMMON)
BUILD = settings(max_examples=5 if DEEP else 1, phases=[Phase.explicit, Phase.generate], **COMMON)

REPORT = "data/2020/progress/2020-H1/jrb.yaml"
FILES = ["data/2020/document.yaml", "data/2020/points.yaml", "data/2020/attachment.yaml", "data/2020/items/3-1.yaml",
         "data/units.yaml", "data/2020/links.yaml", "data/2020/errata.yaml", "data/2020/progress/rounds.yaml", REPORT]
GOOD_REPORT = ("unit: jrb\nround: 2020-H1\nreports:\n  - item: 3-1-8\n    status: 推进中\n    percent: 40\n"
               "    date: 2020-06-20\n    description: 方案初稿已完成。\n    evidence: [https://www.ganzhou.gov.cn/a.html]\n")
MESSAGE = re.compile(r"^(?P<file>\S.*?)(?::(?P<line>\d+)(?::\d+)?)?: \[[a-z][a-zA-Z-]*\] \S")

# Characters no valid file contains: what YAML refuses, and what YAML reads as a line break.
REFUSED = st.one_of(st.characters(min_codepoint=0, max_codepoint=0x1F).filter(lambda c: c not in "\t\n\r"),
                    st.characters(min_codepoint=0x7F, max_codepoint=0x9F),
                    st.sampled_from(["\u2028", "\u2029", "\ufffe", "\uffff"]))
# Bytes that are never part of UTF-8, wherever they stand, and an encoded surrogate.
NEVER_UTF8 = st.one_of(st.sampled_from([b"\xc0", b"\xc1", b"\xed\xa0\x80"]), st.integers(0xF5, 0xFF).map(lambda b: bytes([b])))


@st.composite
def poisoned_text(draw) -> bytes:
    text = draw(st.text(max_size=30))
    at = draw(st.integers(0, len(text)))
    return (text[:at] + draw(REFUSED) + text[at:]).encode("utf-8")


@st.composite
def poisoned_bytes(draw) -> bytes:
    data = draw(st.binary(max_size=30))
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(NEVER_UTF8) + data[at:]


damage = st.one_of(poisoned_text(), poisoned_bytes())


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of what a build reads (data/ with one progress report added, mkdocs.yml, docs/, …)."""
    from site_fixtures import project_copy

    root = project_copy(tmp_path_factory.mktemp("hostile") / "project")
    (root / REPORT).parent.mkdir(parents=True, exist_ok=True)
    (root / REPORT).write_text(GOOD_REPORT, encoding="utf-8")
    assert run_validate(root)[0] == 0, "the base copy must be valid"
    return root


@contextlib.contextmanager
def damaged(root: Path, rel: str, payload: bytes, where: int):
    """The file with `payload` spliced in at byte `where` (modulo its length), restored afterwards."""
    path = root / rel
    original = path.read_bytes()
    at = where % (len(original) + 1)
    path.write_bytes(original[:at] + payload + original[at:])
    try:
        yield
    finally:
        path.write_bytes(original)


def run_validate(root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--root", str(root), "validate"])
    return status, out.getvalue(), err.getvalue()


def messages(stderr: str) -> list[re.Match]:
    """Every error line of a report; the report has nothing else but its heading and hints."""
    lines = stderr.splitlines()
    assert lines and lines[0].startswith("数据校验失败"), stderr[:500]
    found = [MESSAGE.match(line) for line in lines[1:] if not line.startswith("    → ")]
    assert all(found), f"a line that is not file:line: [key] message:\n{stderr[:3000]}"
    return found


def assert_names_the_file(stderr: str, rel: str) -> None:
    located = [m for m in messages(stderr) if m["file"] == rel and m["line"] and int(m["line"]) > 0]
    assert located, f"no {rel}:line message in:\n{stderr[:3000]}"


@pytest.mark.parametrize("rel", FILES)
@VALIDATE
@given(payload=damage, where=st.integers(min_value=0))
def test_validate_reports_damage_as_a_message(project, rel, payload, where):
    with damaged(project, rel, payload, where):
        status, out, err = run_validate(project)
    assert status == 1 and out == "", (status, out, err[:2000])
    assert "Traceback" not in err
    assert_names_the_file(err, rel)


@pytest.mark.parametrize("rel", FILES)
@ARBITRARY
@given(text=st.text(min_size=1, max_size=40), where=st.integers(min_value=0))
def test_validate_never_crashes_on_arbitrary_text(project, rel, text, where):
    with damaged(project, rel, text.encode("utf-8"), where):
        status, out, err = run_validate(project)
    assert status in (0, 1)
    if status == 1:
        assert out == "" and messages(err)
    else:
        assert err == "" and "数据校验通过" in out


@pytest.mark.parametrize("rel", FILES)
@BUILD
@given(payload=damage, where=st.integers(min_value=0))
def test_build_reports_damage_as_a_message(project, tmp_path_factory, rel, payload, where):
    out = tmp_path_factory.mktemp("site") / "site"
    with damaged(project, rel, payload, where):
        done = subprocess.run([sys.executable, "-m", "workplan", "--root", str(project), "build", "--out", str(out)],
                              capture_output=True, text=True, timeout=600,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "构建失败" in done.stderr
    assert re.search(rf"^{re.escape(rel)}:[1-9]\d*(:\d+)?: \[[a-z-]+\]", done.stderr, re.M), done.stderr[:3000]
    assert not out.exists() and not list(out.parent.glob(".site.building-*"))
    shutil.rmtree(out.parent, ignore_errors=True)
