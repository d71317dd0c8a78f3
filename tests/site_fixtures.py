"""Fixtures that build the real site once per test session (a build takes seconds).

Use from a test module with `from site_fixtures import built_site, offline_site` (or chunked_site) (pytest puts
tests/ on sys.path). Build other data with `build_copy(data_root, out)`.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from workplan.build import build_site

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build_copy(project: Path, out: Path, offline: bool = False, chunked_above: int | None = None) -> Path:
    """Build the site of a project folder (mkdocs.yml + data/ + docs/ …) into `out`; `chunked_above`:
    extra.search_chunked_above for this build (env SEARCH_CHUNKED_ABOVE, read by mkdocs.yml)."""
    if chunked_above is None:
        return build_site(project, out, strict=True, offline=offline)
    previous = os.environ.get("SEARCH_CHUNKED_ABOVE")
    os.environ["SEARCH_CHUNKED_ABOVE"] = str(chunked_above)
    try:
        return build_site(project, out, strict=True, offline=offline)
    finally:
        if previous is None:
            del os.environ["SEARCH_CHUNKED_ABOVE"]
        else:
            os.environ["SEARCH_CHUNKED_ABOVE"] = previous


def project_copy(dest: Path) -> Path:
    """A copy of everything a build reads (not .git, .venv or outputs), to modify in a test."""
    ignore = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "dist", "build", "test-artifacts", ".cache",
                                    "__pycache__", ".pytest_cache", ".hypothesis", "bench-results", "tests")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def edit_yaml(path: Path, change) -> None:
    """Load a data file of a project copy, let `change` edit it in place, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000), encoding="utf-8")


def by_id(entries, ident):
    return next(e for e in entries if e["id"] == ident)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once with --strict (directory URLs, as served over HTTP)."""
    return build_copy(ROOT, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def chunked_site(tmp_path_factory) -> Path:
    """The real site forced above the chunked-search threshold (1 page): searched through Pagefind
    (workplan/chunked_search.py), as a site of thousands of pages is."""
    return build_copy(ROOT, tmp_path_factory.mktemp("chunked") / "site", chunked_above=1)


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The real site built for file:// use (offline plugin on), as in the intranet bundle."""
    return build_copy(ROOT, tmp_path_factory.mktemp("offline") / "site", offline=True)
