"""Two builds of the same commit produce identical files, apart from a documented allow-list.

The project is copied and committed once into a throw-away git repository (fixed commit date: the
"数据最后更新" dates come from `git log`), then built twice with the real command line, in two fresh
processes that differ in everything that should not matter: PYTHONHASHSEED (set and dict order),
the build date (SOURCE_DATE_EPOCH, 115 days apart) and the output folder.

The progress pages (issue 8) say "统计截至 <day>" and mark reports overdue by that day, which is the
day of SOURCE_DATE_EPOCH unless PROGRESS_AS_OF names it: both builds here set the same
PROGRESS_AS_OF, so the build date may still change nothing but the allow-list below
(tests/test_progress_pages.py checks that the day follows SOURCE_DATE_EPOCH).

Allowed differences (ALLOWED), and why each exists:

- sitemap.xml.gz: MkDocs writes the gzip header's MTIME field (bytes 4–7) as the newest page
  `update_date`, which is the build date (SOURCE_DATE_EPOCH when set, else today). Only those four
  bytes may differ; the compressed sitemap must be identical. CI gets byte-identical builds by
  exporting SOURCE_DATE_EPOCH (e.g. the commit time): the test checks the field follows it.
- sitemap.xml: would carry <lastmod> = build date per page, but mkdocs.yml sets no site_url, so
  MkDocs writes an empty <urlset> today. The comparison ignores <lastmod> values only, so it stays
  right if a site_url is added.

Everything else — every page, the search index, assets, JSON/CSV/XLSX exports — must be equal
byte for byte.
"""
from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_fixtures import project_copy

pytestmark = pytest.mark.slow

EPOCHS = (1_600_000_000, 1_610_000_000)   # 2020-09-13 and 2021-01-07 (UTC)
COMMIT_DATE = "2020-04-03T10:00:00+08:00"
AS_OF = "2020-07-15"                       # the progress pages' 统计截至 day, the same for both builds


def _lastmod_free(data: bytes) -> bytes:
    return re.sub(rb"<lastmod>[^<]*</lastmod>", b"<lastmod/>", data)


def _gzip_mtime(data: bytes) -> int:
    return int.from_bytes(data[4:8], "little")


def same_sitemap_xml(a: bytes, b: bytes) -> bool:
    return _lastmod_free(a) == _lastmod_free(b)


def same_sitemap_gz(a: bytes, b: bytes) -> bool:
    """Equal apart from the header MTIME, and equal once decompressed (lastmod aside)."""
    return (a[:4] == b[:4] and a[8:] == b[8:]
            and _lastmod_free(gzip.decompress(a)) == _lastmod_free(gzip.decompress(b)))


ALLOWED = {"sitemap.xml": same_sitemap_xml, "sitemap.xml.gz": same_sitemap_gz}


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def git(project: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=project, env=env, check=True, capture_output=True)


def build(project: Path, out: Path, hash_seed: str, epoch: int) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": hash_seed, "SOURCE_DATE_EPOCH": str(epoch),
           "PROGRESS_AS_OF": AS_OF}
    done = subprocess.run([sys.executable, "-m", "workplan", "--root", str(project), "build", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("determinism")
    project = project_copy(base / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "snapshot")
    a = build(project, base / "a" / "site", "1", EPOCHS[0])
    b = build(project, base / "b" / "site", "2", EPOCHS[1])
    return files(a), files(b), base


def test_two_builds_are_identical_apart_from_the_allow_list(two_builds):
    a, b, _ = two_builds
    assert sorted(a) == sorted(b), f"different files: {sorted(set(a) ^ set(b))[:20]}"
    differ = sorted(rel for rel in a if a[rel] != b[rel])
    unexplained = [rel for rel in differ if rel not in ALLOWED or not ALLOWED[rel](a[rel], b[rel])]
    detail = []
    for rel in unexplained[:5]:
        x, y = a[rel], b[rel]
        at = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]), min(len(x), len(y)))
        detail.append(f"{rel}: first difference at byte {at}: {x[max(0, at - 60):at + 60]!r} vs {y[max(0, at - 60):at + 60]!r}")
    assert not unexplained, f"{len(unexplained)} file(s) differ between two builds of the same tree:\n" + "\n".join(
        detail + unexplained[5:40])


def test_the_allowed_difference_is_the_build_date(two_builds):
    """sitemap.xml.gz carries the build date (SOURCE_DATE_EPOCH's day, 00:00 UTC) and nothing else
    that varies: with the same SOURCE_DATE_EPOCH two builds are byte-identical."""
    a, b, _ = two_builds
    for files_, epoch in zip((a, b), EPOCHS):
        day = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(hour=0, minute=0, second=0)
        assert _gzip_mtime(files_["sitemap.xml.gz"]) == int(day.timestamp())
    assert a["sitemap.xml.gz"] != b["sitemap.xml.gz"], "the dates differ, so the headers must"


def test_builds_carry_no_machine_specific_paths(two_builds):
    """No absolute path of the build machine (project folder, temporary build folder) is baked into
    any output file."""
    a, _, base = two_builds
    leaks = [rel for rel, data in a.items() if os.fsencode(str(base)) in data or b".site.building-" in data]
    assert not leaks, leaks[:20]
