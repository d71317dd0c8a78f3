"""The build's workbooks written ahead in a forked process (workplan/xlsxprefetch.py): into the
workbook cache, exactly the ones the downloads step then reads, with the same bytes; a killed
child leaves nothing half-written that the next build would trust."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workplan import downloads, xlsxprefetch
from workplan.load import load_editions
from workplan.pages import Site
from workplan.progress import load_progress
from workplan.xlsxcache import XlsxCache

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site() -> Site:
    editions = load_editions(ROOT)
    progress = {year: load_progress(ROOT, plan) for year, plan in editions.plans.items()}
    return Site(editions, progress=progress)


def entries(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in cache.glob("*.xlsx")}


def test_the_child_writes_every_workbook_the_downloads_step_reads(site, tmp_path):
    cache = tmp_path / "cache"
    prefetch = xlsxprefetch.Prefetch()
    prefetch.start(site, cache)
    assert prefetch.process is not None and prefetch.process.pid != os.getpid()
    prefetch.wait()
    ahead = entries(cache)
    written = downloads.write_site_files(site, tmp_path / "site", cache_dir=cache)
    assert entries(cache) == ahead   # every workbook found in the cache: none written again, none pruned
    workbooks = {p.read_bytes() for p in written if p.suffix == ".xlsx"}
    # 68 units' item lists + the edition's item list + 2 rounds × 68 reporting templates, each once
    assert len(ahead) == len(workbooks) == 68 + 1 + 2 * 68
    # the same bytes as a build without any cache
    plain = downloads.write_site_files(site, tmp_path / "plain")
    assert {p.relative_to(tmp_path / "plain"): p.read_bytes() for p in plain} == \
           {p.relative_to(tmp_path / "site"): p.read_bytes() for p in written}


def test_off_by_environment_and_with_one_core(monkeypatch):
    monkeypatch.setenv(xlsxprefetch.ENV, "0")
    assert not xlsxprefetch.wanted()
    monkeypatch.delenv(xlsxprefetch.ENV)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not xlsxprefetch.wanted()
    prefetch = xlsxprefetch.Prefetch()
    prefetch.start(None, Path("unused"))   # nothing started: nothing to wait for
    assert prefetch.process is None
    prefetch.wait()


def test_stop_ends_a_running_child(site, tmp_path):
    prefetch = xlsxprefetch.Prefetch()
    prefetch.start(site, tmp_path / "cache")
    process = prefetch.process
    prefetch.stop()
    assert process is not None and not process.is_alive() and prefetch.process is None


def test_prune_drops_a_dead_writers_leftovers_not_a_live_ones(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    time.sleep(0.05)
    (cache / f"{'a' * 64}.{dead_pid}.tmp").write_bytes(b"half")
    (cache / f"{'b' * 64}.{os.getpid()}.tmp").write_bytes(b"being written")
    XlsxCache(cache).prune()
    assert sorted(p.name for p in cache.iterdir()) == [f"{'b' * 64}.{os.getpid()}.tmp"]
