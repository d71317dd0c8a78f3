"""Crafted data files that would exhaust memory, time or the recursion limit, and a way to run
`python -m workplan validate` on one in a subprocess that reports its own CPU time and peak memory.
Shared by tests/test_resource_limits.py (the message, the exit status, memory) and
scripts/bench-limits (the issue's 2 s CPU goal, measured where timings belong)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from workplan.datafile import MAX_BYTES
from workplan.yamlio import MAX_NODES

ERRATA = "data/2020/errata.yaml"
REPORT = "data/2020/progress/2020-H1/jrb.yaml"
CPU_GOAL_S, MEMORY_LIMIT_MB = 2.0, 200

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
    """Validate the project at `root` in a fresh interpreter: status, stderr, CPU seconds, peak MB."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(root)], capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or "Traceback" in done.stderr:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout)




def write_case(root: Path, name: str) -> None:
    """Put case `name` into the data/ under `root` (a copy: the file is overwritten)."""
    rel, content, _key, _line = CASES[name]
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if callable(content):
        content(path)
    else:
        path.write_text(content, encoding="utf-8")
