"""The build's workbooks written on the second core while MkDocs renders the pages.

Why: a cold build writes one workbook per unit and round (about 200 at 1×, 2,000 at 10×, 3–4 ms
each with workplan/xlsxfast.py, 8–9 ms with XlsxWriter itself), a large part of the cold build's
extra cost over a plain site (see maintainers/performance.md). They depend only on the data,
which is loaded before the first page, so a forked process writes them into the workbook cache
(.cache/xlsx/, workplan.xlsxcache) while the pages are rendered, and the downloads step
(on_post_build) waits for it, then finds every workbook in the cache. The CPU time is the same; the wall time of a cold build drops by about the
workbooks' share on a machine with two cores or more.

Only a help: the cache's entries are written atomically and checked by their digest, so whatever
the child did not write (it failed, was killed, or the platform cannot fork) the downloads step
writes itself, as without it. Not under `mkdocs serve` (the preview writes no downloads) and not
with one core. WORKPLAN_XLSX_PREFETCH=0 turns it off.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pages import Site

log = logging.getLogger("mkdocs.hooks.workplan")
ENV = "WORKPLAN_XLSX_PREFETCH"


def wanted() -> bool:
    if os.environ.get(ENV, "").strip() in ("0", "false", "no"):
        return False
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def write_workbooks(site: Site, cache_dir: Path) -> None:
    """Every workbook of the site's downloads, into the cache (the child's work)."""
    from .downloads import site_outputs
    from .xlsxcache import XlsxCache

    cache = XlsxCache(cache_dir)
    done: set[int] = set()
    for path, make, _origin in site_outputs(site, cache):
        if path.endswith(".xlsx") and id(make) not in done:
            done.add(id(make))
            make()


def _child(site: Site, cache_dir: Path) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)   # not the parent's handlers (workplan.build): just stop
    write_workbooks(site, cache_dir)


class Prefetch:
    """The child of the current build, if any."""

    def __init__(self) -> None:
        self.process: multiprocessing.process.BaseProcess | None = None

    def start(self, site: Site, cache_dir: Path) -> None:
        self.stop()   # one left by a build that failed before its downloads step
        if wanted():
            # Imported here, before the fork, not in the child: the downloads step imports it too
            # (workplan.xlsxcache), and a child's import is paid again (0.1 s of CPU).
            import xlsxwriter  # noqa: F401

            self.process = multiprocessing.get_context("fork").Process(
                target=_child, args=(site, cache_dir), daemon=True, name="workplan-xlsx")
            self.process.start()

    def wait(self) -> None:
        """Until the child is done (its exit status does not matter: see the module's note)."""
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            log.debug("workbook prefetch ended with %s; the downloads step writes the rest", self.process.exitcode)
        self.process = None

    def stop(self) -> None:
        """A build that ends early (an error) does not leave the child running."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.process = None
