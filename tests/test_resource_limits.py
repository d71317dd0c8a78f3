"""Crafted files that would exhaust memory, time or the recursion limit are rejected with a clear
message within 200 MB of memory: a billion laughs (anchors and aliases), deep nesting (flow and
block), a huge file (a sparse 10 GB one and one just over the limit), and a file just under the size
limit packed with tiny values (the cases: tests/crafted_files.py).

Each case runs `python -m workplan validate` in a subprocess that reports its own peak resident
memory (VmHWM: the whole interpreter, imports included) and CPU time. Memory is asserted at the
issue's 200 MB. The issue's 2 s CPU goal is measured by scripts/bench-limits (`make bench`), not
here: CPU time on a loaded 2-core machine varies by half, and a timed test would fail for that
alone. The test keeps only a runaway guard (an unguarded expansion runs for minutes).
"""
from __future__ import annotations

import re

import pytest

from crafted_files import CASES, MEMORY_LIMIT_MB, measure, write_case
from workplan.datafile import MAX_BYTES
from workplan.yamlio import MAX_NODES

RUNAWAY_CPU_S = 20   # far above the 2 s goal (scripts/bench-limits), far below a real expansion


@pytest.mark.parametrize("name", list(CASES))
def test_crafted_file_is_rejected_within_bounds(data_copy, name):
    rel, _content, key, line = CASES[name]
    path = data_copy.path(rel)
    write_case(data_copy.root, name)
    assert path.stat().st_size <= 10 * 1024 ** 3
    result = measure(data_copy.root)
    figures = f"{name}: {result['cpu_s']:.2f} s CPU, {result['peak_mb']:.0f} MB peak RSS"
    assert result["status"] == 1, figures
    where = rf"{re.escape(rel)}:{line}:\d+" if line else re.escape(rel)
    assert re.search(rf"^{where}: \[{key}\]", result["stderr"], re.M), result["stderr"][:2000]
    assert result["stderr"].count("\n") < 400, "the report stays readable"
    assert result["cpu_s"] < RUNAWAY_CPU_S, figures
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
