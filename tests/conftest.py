"""Shared fixtures (ROOT, plan, seed, seed_rows, data_copy) live in plan_helpers.py, so test
modules can also import its helpers by a name that tests/browser/conftest.py cannot shadow."""
import time

from plan_helpers import *  # noqa: F401,F403  (fixtures are registered from this namespace)
from search_suite import PRECISION_REPORT

_STARTED = time.time()


def pytest_terminal_summary(terminalreporter):
    """Print the search precision table when this run wrote it (also from xdist workers)."""
    if PRECISION_REPORT.is_file() and PRECISION_REPORT.stat().st_mtime >= _STARTED:
        terminalreporter.write_sep("-", "search precision (tests/test_search_site.py)")
        terminalreporter.write_line(PRECISION_REPORT.read_text(encoding="utf-8").strip())
