"""Crafted files that would exhaust memory, time or the recursion limit are rejected with a clear
message, each within 2 s of CPU time and 200 MB of memory: a billion laughs (anchors and
aliases), deep nesting (flow and block), a huge file (a sparse 10 GB one and one just over the
limit), and a file just under the size limit packed with tiny values.

Each case runs `python -m workplan validate` in a subprocess that reports its own peak resident
memory (VmHWM: the whole interpreter, imports included) and CPU time (process time, which does not
grow when other processes load the machine). The bounds are the issue's
2 s and 200 MB; the measured figures are a fraction of them (see the report in each assertion).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workplan.datafile import MAX_BYTES
from workplan.yamlio import MAX_NODES

ERRATA = "data/2020/errata.yaml"
REPORT = "data/2020/progress/2020-H1/jrb.yaml"
CPU_LIMIT_S, MEMORY_LIMIT_MB = 2.0, 200

MEASURE = """
import io, json, resource, sys, time
from contextlib import redirect_stderr, redirect_stdout
from workplan.__main__ import main

def peak_mb():
    # Linux keeps ru_maxrss across exec (a child of a big pytest worker would report the worker's
    # peak); VmHWM is this process image's own high-water mark.
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

err = io.StringIO()
with redirect_stderr(err), redirect_stdout(io.StringIO()):
    status = main(["--root", sys.argv[1], "validate"])
print(json.dumps({"status": status, "cpu_s": time.process_time(), "stderr": err.getvalue(), "peak_mb": peak_mb()}))
"""


def billion_laughs(top: str) -> str:
    """Nine levels of ten aliases each: 10^9 strings once expanded, under 1 KB written."""
    lines = [f'{top}: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\n"


def deep_block(levels: int) -> str:
    return "".join(" " * (2 * n) + "a:\n" for n in range(levels)) + " " * (2 * levels) + "b\n"


def write_sparse(path: Path, size: int) -> None:
    with open(path, "wb") as handle:
        handle.truncate(size)


# name: (file, content or a writer, key expected, line expected)
CASES = {
    "billion-laughs": (ERRATA, billion_laughs("errata"), "yaml-anchor", 1),
    "billion-laughs-in-a-report": (REPORT, billion_laughs("reports"), "yaml-anchor", 1),
    "deep-flow-nesting": (ERRATA, "errata: " + "[" * (MAX_BYTES - 20), "nesting-too-deep", 1),
    "deep-flow-mappings": (REPORT, "reports: " + "{a: " * (MAX_BYTES // 5), "nesting-too-deep", 1),
    "deep-block-nesting": (ERRATA, deep_block(1400), "nesting-too-deep", 4),
    "huge-sparse-file": (ERRATA, lambda path: write_sparse(path, 10 * 1024 ** 3), "file-too-large", 0),
    "just-over-the-size-limit": (ERRATA, "errata: []\n" + "#" * MAX_BYTES, "file-too-large", 0),
    # the root, its key and the list are the first three values: value MAX_NODES + 1 is on this line
    "many-tiny-values": (ERRATA, "errata:\n" + "- a\n" * (MAX_BYTES // 4 - 4), "too-many-values", MAX_NODES - 1),
}


def measure(root: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(root)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", list(CASES))
def test_crafted_file_is_rejected_within_bounds(data_copy, name):
    rel, content, key, line = CASES[name]
    path = data_copy.path(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    if callable(content):
        content(path)
    else:
        data_copy.write(rel, content)
    assert path.stat().st_size <= 10 * 1024 ** 3
    result = measure(data_copy.root)
    figures = f"{name}: {result['cpu_s']:.2f} s CPU, {result['peak_mb']:.0f} MB peak RSS"
    assert result["status"] == 1, figures
    where = rf"{re.escape(rel)}:{line}:\d+" if line else re.escape(rel)
    assert re.search(rf"^{where}: \[{key}\]", result["stderr"], re.M), result["stderr"][:2000]
    assert result["stderr"].count("\n") < 400, "the report stays readable"
    assert result["cpu_s"] < CPU_LIMIT_S, figures
    assert result["peak_mb"] < MEMORY_LIMIT_MB, figures


def test_the_benchmark_plan_is_within_the_limits(tmp_path):
    """The limits leave room for the benchmark's 100x plan (scripts/bench, workplan.synth): each
    synthetic block is a copy of the real plan, so a file of the 10x plan times ten is its 100x
    size (generating 100x here would cost a minute)."""
    import yaml

    from workplan import synth

    project = synth.generate(tmp_path / "x10", 10)
    for path in (project / "data").rglob("*.yaml"):
        loader = yaml.CSafeLoader(path.read_text(encoding="utf-8"))
        values = 0
        while loader.check_event():
            values += isinstance(loader.get_event(), (yaml.ScalarEvent, yaml.CollectionStartEvent))
        assert 10 * path.stat().st_size < MAX_BYTES * 0.9, path
        assert 10 * values < MAX_NODES * 0.9, path
