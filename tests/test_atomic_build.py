"""The build is atomic: it writes into a temporary folder beside the output and swaps it in only
when everything succeeded (workplan.build.build_site). A failed build — invalid data, a strict-mode
warning after every page was rendered, a macro error, any exception — leaves the previous site
byte-for-byte as it was and nothing else beside it.

One good site is built once per module into out/site; each failure case breaks a fresh copy of the
project and builds into that same folder. An interrupted build (SIGINT, SIGTERM) removes its
temporary folder; one killed outright leaves it, and the next build removes it.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import workplan.build
from site_fixtures import build_copy, project_copy
from workplan.build import BuildFailed, build_site

UNKNOWN_UNIT_FILE, UNKNOWN_UNIT_OLD, UNKNOWN_UNIT_NEW = "data/2020/items/1.yaml", "lead: [市振兴办]", "lead: [市振兴半]"


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every file and folder under `folder`: (sha256, size, mtime_ns) of files, "dir" for folders."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir():
            out[rel] = ("dir",)
        else:
            st = path.stat()
            out[rel] = (hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns)
    return out


def beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# What each breakage changes, and the file:line a maintainer must be told about (None: a page problem).
def unknown_unit(project: Path):
    path = project / UNKNOWN_UNIT_FILE
    text = path.read_text(encoding="utf-8")
    assert UNKNOWN_UNIT_OLD in text
    path.write_text(text.replace(UNKNOWN_UNIT_OLD, UNKNOWN_UNIT_NEW, 1), encoding="utf-8")
    return f"{UNKNOWN_UNIT_FILE}:{_line_of(path, UNKNOWN_UNIT_NEW)}"


def yaml_syntax_error(project: Path):
    path = project / "data/units.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("name:"))
    lines[at] = lines[at].replace("name: ", 'name: "', 1)   # an unclosed quote
    path.write_text("".join(lines), encoding="utf-8")
    return "data/units.yaml:"


def broken_link_in_a_page(project: Path):
    """Every page is rendered into the temporary folder before --strict aborts on the warning."""
    path = project / "docs/about.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n见[不存在的页面](nowhere.md)。\n", encoding="utf-8")
    return "about.md"


def macro_error(project: Path):
    path = project / "docs/about.md"
    path.write_text("---\nrender_macros: true\n---\n" + path.read_text(encoding="utf-8") + "\n{{ no_such_variable }}\n",
                    encoding="utf-8")
    return "about.md"


BREAKAGES = [unknown_unit, yaml_syntax_error, broken_link_in_a_page, macro_error]
# The broken link must fail late — in --strict's check, after every page was written to the temporary
# folder — which is the case that would half-publish without the swap.
FAILS_WITH = {"unknown_unit": None, "yaml_syntax_error": None, "broken_link_in_a_page": "strict mode",
              "macro_error": None}


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """(out, snapshot): a good site built into a folder of its own."""
    base = tmp_path_factory.mktemp("atomic")
    out = build_copy(project_copy(base / "good-project"), base / "out" / "site")
    return out, snapshot(out)


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__)
def test_failed_build_keeps_the_previous_site(good, tmp_path, breakage):
    out, before = good
    project = project_copy(tmp_path / "project")
    breakage(project)
    with pytest.raises(BuildFailed, match=FAILS_WITH[breakage.__name__]):
        build_copy(project, out)
    assert snapshot(out) == before, "the published site changed"
    assert beside(out) == ["site"], f"left beside the output: {beside(out)}"


@pytest.mark.parametrize("error", [RuntimeError("plugin crashed"), KeyboardInterrupt()], ids=["exception", "interrupt"])
def test_any_exception_mid_build_leaves_nothing(good, monkeypatch, error):
    """Half a site in the temporary folder, then an unexpected error (not a MkDocs one): the
    temporary folder goes, the error propagates unchanged, the site stays."""
    out, before = good

    def half_build(config):
        Path(config.site_dir, "items").mkdir()
        Path(config.site_dir, "index.html").write_text("half", encoding="utf-8")
        raise error

    monkeypatch.setattr(workplan.build, "build", half_build)
    with pytest.raises(type(error)):
        build_site(out.parent.parent / "good-project", out)
    assert snapshot(out) == before
    assert beside(out) == ["site"]


def test_failed_first_build_creates_no_output(tmp_path):
    project = project_copy(tmp_path / "project")
    unknown_unit(project)
    out = tmp_path / "public" / "site"
    with pytest.raises(BuildFailed):
        build_copy(project, out)
    assert not out.exists()
    assert beside(out) == []


def test_successful_build_replaces_the_whole_site(good, tmp_path):
    """A stale file of the previous site does not survive a rebuild, and no temporary or .old folder
    is left."""
    out, before = good
    project = project_copy(tmp_path / "project")
    out2 = tmp_path / "out" / "site"
    out2.parent.mkdir()
    shutil.copytree(out, out2)
    (out2 / "stale.html").write_text("from an older build", encoding="utf-8")
    build_copy(project, out2)
    after = snapshot(out2)
    assert "stale.html" not in after
    assert set(after) == set(before), "same pages as the build of the same project"
    assert beside(out2) == ["site"]


def test_published_folder_has_the_usual_permissions(good):
    out, _ = good
    umask = os.umask(0)
    os.umask(umask)
    mode = stat.S_IMODE(out.stat().st_mode)
    assert mode == 0o777 & ~umask, f"site folder mode {mode:o}, a plain mkdir gives {0o777 & ~umask:o}"


# --------------------------------------------------------------------------- the command line

def run_cli(project: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "workplan", "--root", str(project), "build", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def cli_failure(good, tmp_path_factory):
    """(where, result, out, before): `python -m workplan build` on data with an unknown unit."""
    out, before = good
    project = project_copy(tmp_path_factory.mktemp("cli") / "project")
    where = unknown_unit(project)
    return where, run_cli(project, out), out, before


def test_cli_build_failure_exits_nonzero_and_publishes_nothing(cli_failure):
    where, done, out, before = cli_failure
    assert done.returncode != 0, done.stdout
    assert "site built" not in done.stdout
    assert "构建失败" in done.stderr, done.stderr
    assert snapshot(out) == before
    assert beside(out) == ["site"]


def test_cli_build_failure_names_file_and_line(cli_failure):
    where, done, _, _ = cli_failure
    assert where in done.stderr, f"expected {where} in stderr:\n{done.stderr}"
    assert "市振兴半" in done.stderr


# --------------------------------------------------------------------------- interrupted and killed builds

def start_build(project: Path, out: Path) -> subprocess.Popen:
    """`python -m workplan build` as a terminal starts it: SIGINT at its default (Ctrl-C raises
    KeyboardInterrupt), whatever this test process does with it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen([sys.executable, "-m", "workplan", "--root", str(project), "build", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_until_writing(build: subprocess.Popen, out: Path) -> Path:
    """The build's temporary folder, once MkDocs has written something into it."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert build.poll() is None, f"the build ended before it could be interrupted: {build.communicate()}"
        for tmp in out.parent.glob(f".{out.name}.building-*"):
            if any(tmp.iterdir()):
                return tmp
        time.sleep(0.05)
    build.kill()
    pytest.fail("the build wrote nothing in 5 minutes")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_removes_its_temporary_folder(good, tmp_path, signum):
    out, before = good
    project = project_copy(tmp_path / "project")
    build = start_build(project, out)
    wait_until_writing(build, out)
    build.send_signal(signum)
    stdout, stderr = build.communicate(timeout=120)
    assert build.returncode == 128 + signum, stderr
    assert "构建已中断" in stderr and "Traceback" not in stderr and "site built" not in stdout
    assert beside(out) == ["site"], f"left beside the output: {beside(out)}"
    assert snapshot(out) == before


def test_next_build_removes_what_a_killed_build_left(tmp_path):
    project = project_copy(tmp_path / "project")
    out = tmp_path / "public" / "site"
    build = start_build(project, out)
    left = wait_until_writing(build, out)
    build.kill()   # SIGKILL: nothing can clean up
    build.communicate(timeout=60)
    assert left.is_dir(), "the killed build's folder should still be there"
    unknown_unit(project)   # the next build fails, and still removes the leftover
    with pytest.raises(BuildFailed):
        build_copy(project, out)
    assert beside(out) == []


def test_a_folder_in_use_by_another_build_is_kept(tmp_path):
    in_use, stale = tmp_path / ".site.building-inuse", tmp_path / ".site.building-stale"
    in_use.mkdir()
    stale.mkdir()
    (stale / "index.html").write_text("half", encoding="utf-8")
    lock = os.open(in_use, os.O_RDONLY)
    fcntl.flock(lock, fcntl.LOCK_EX)   # as a running build holds its folder
    try:
        assert workplan.build.remove_leftovers(tmp_path, ".site.building-") == [stale]
    finally:
        os.close(lock)
    assert in_use.is_dir() and not stale.exists()


def test_site_moved_aside_by_a_killed_swap_is_put_back(good, tmp_path):
    """Killed between moving the old site aside and moving the new one in: the old one is restored."""
    out, before = good
    copy = tmp_path / "out" / "site"
    copy.parent.mkdir()
    shutil.copytree(out, copy.with_name(".site.old"))
    project = project_copy(tmp_path / "project")
    unknown_unit(project)
    with pytest.raises(BuildFailed):
        build_copy(project, copy)
    assert beside(copy) == ["site"]
    assert snapshot(copy).keys() == before.keys()
