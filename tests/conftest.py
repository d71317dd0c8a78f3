"""Shared fixtures (ROOT, plan, seed, seed_rows, data_copy) live in plan_helpers.py, so test
modules can also import its helpers by a name that tests/browser/conftest.py cannot shadow."""
import time

from plan_helpers import *  # noqa: F401,F403  (fixtures are registered from this namespace)
from plan_helpers import PROJECT_ROOT

SEARCH_PRECISION = PROJECT_ROOT / "test-artifacts" / "search-precision.md"   # written by test_search_site.py
_STARTED = time.time()


def pytest_terminal_summary(terminalreporter):
    """Print the search precision table when this run wrote it (also from xdist workers)."""
    if SEARCH_PRECISION.is_file() and SEARCH_PRECISION.stat().st_mtime >= _STARTED:
        terminalreporter.write_sep("-", "search precision (tests/test_search_site.py)")
        terminalreporter.write_line(SEARCH_PRECISION.read_text(encoding="utf-8").strip())
