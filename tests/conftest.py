"""Shared fixtures (ROOT, plan, seed, seed_rows, data_copy) live in plan_helpers.py, so test
modules can also import its helpers by a name that tests/browser/conftest.py cannot shadow."""
from plan_helpers import *  # noqa: F401,F403  (fixtures are registered from this namespace)
