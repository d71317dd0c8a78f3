"""The intranet bundle: the site built for file:// (Material's `offline` plugin), zipped
reproducibly, with a sha256sum-style checksum beside it.

    dist/ganzhou-workplan-<newest plan year>-<git short sha | nogit>[-dirty].zip
    dist/ganzhou-workplan-<...>.zip.sha256

The zip holds one folder of the same name: open its index.html straight from disk, or copy the
folder's contents to any static web server under any path. Every link in an offline build is
relative (the plugin turns directory URLs off), the search index is inlined as
search/search_index.js for file://, and the one script the plugin would load from the internet
(the iframe-worker shim that lets the search worker run under file://) is served from the site
itself: see `polyfills` below and docs/assets/vendor/iframe-worker/README.txt.

Reproducible: the same commit gives a byte-identical zip. MkDocs stamps dates from
SOURCE_DATE_EPOCH (set here to the commit time), zip entries are sorted, carry the commit time
and fixed permissions, and nothing else of the build machine goes in.

This module is also imported while MkDocs reads mkdocs.yml (`extra.polyfills`), so it keeps
its imports light.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import time
import zipfile
from pathlib import Path

SLUG = "ganzhou-workplan"
# The vendored iframe-worker shim (npm iframe-worker@1.0.4, MIT), relative to docs/.
SHIM = "assets/vendor/iframe-worker/shim.js"
SHIM_SHA256 = "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"
# Files and folders that feed a build: a change to any of them (uncommitted) marks the bundle -dirty.
BUILD_INPUTS = ("mkdocs.yml", "macros.py", "docs", "overrides", "data", "workplan", "requirements.txt")
ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can carry
# Build outputs left out of the zip: MkDocs renders 404.html with root-absolute links ("/assets/…",
# right only when served at a server's root, never under a sub-path or from file://), and without a
# site_url the sitemaps are empty.
LEFT_OUT = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz"})


def _offline() -> bool:
    """OFFLINE as mkdocs.yml's `!ENV [OFFLINE, false]` reads it (a YAML scalar: true/True/yes/on)."""
    import yaml

    value = os.environ.get("OFFLINE")
    return value is not None and yaml.safe_load(value) is True


def polyfills() -> list[str]:
    """`extra.polyfills` of mkdocs.yml (`!!python/object/apply:workplan.bundle.polyfills []`).

    Offline builds list the local iframe-worker shim: the offline plugin adds
    https://unpkg.com/iframe-worker/shim unless an entry containing "iframe-worker" is listed.
    Online builds list nothing (the shim only acts under file:// anyway). A fresh list each call:
    the offline plugin appends to it in place.
    """
    return [SHIM] if _offline() else []


# ---------------------------------------------------------------------------------- version

def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_state(root: Path) -> tuple[str, int, bool]:
    """(short sha or "nogit", commit time as a Unix timestamp, whether build inputs are uncommitted)."""
    sha = _git(root, "rev-parse", "--short", "HEAD")
    if not sha:
        return "nogit", ZIP_EPOCH, False
    stamp = _git(root, "log", "-1", "--format=%ct", "HEAD")
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *BUILD_INPUTS)
    return sha, max(int(stamp or ZIP_EPOCH), ZIP_EPOCH), bool(status)


def bundle_name(year: int, sha: str, dirty: bool = False) -> str:
    """ganzhou-workplan-2020-1a2b3c4 (-dirty when built from uncommitted changes)."""
    return f"{SLUG}-{year}-{sha}" + ("-dirty" if dirty else "")


# ---------------------------------------------------------------------------------- zip

def write_zip(site_dir: Path, zip_path: Path, folder: str, stamp: int, readme: str | None = None) -> None:
    """Zip `site_dir` under `folder/` reproducibly: sorted entries, one fixed time, fixed modes."""
    date_time = time.gmtime(max(stamp, ZIP_EPOCH))[:6]
    files = sorted((p.relative_to(site_dir).as_posix(), p) for p in site_dir.rglob("*") if p.is_file())
    files = [(rel, path) for rel, path in files if rel not in LEFT_OUT]
    entries = [(f"{folder}/{rel}", path.read_bytes()) for rel, path in files]
    if readme is not None:
        entries.append((f"{folder}/README.txt", readme.encode("utf-8")))
    entries.sort()
    with zipfile.ZipFile(zip_path, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3                  # Unix, whatever the build machine
            info.external_attr = 0o100644 << 16     # regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _readme(name: str, years: tuple[int, ...], sha: str, dirty: bool) -> str:
    commit = "不在 git 仓库中构建 (built outside git)" if sha == "nogit" else sha + ("（含未提交的修改 / uncommitted changes）" if dirty else "")
    span = f"{years[0]} 年" if len(years) == 1 else f"{years[0]}–{years[-1]} 年"
    return f"""赣南苏区振兴发展工作要点（{span}）· 内网离线版 ({name})
提交 (commit): {commit}

使用方法
1. 直接打开：解压后双击本文件夹中的 index.html（浏览器地址以 file:// 开头），搜索可用，不需要联网。
2. 放到内网服务器：把本文件夹的全部内容复制到任意静态网站服务器（nginx、IIS、Apache……）的任意路径下，
   例如 http://内网服务器/gzyd/2020/ ，访问该路径下的 index.html 即可。网站不请求任何外部地址。
校验：与 zip 同名的 .sha256 文件可用 `sha256sum -c <文件名>.zip.sha256` 核对。

Usage: unzip, then open index.html from disk (file://, search works offline), or copy this
folder's contents to any static web server under any path. The site makes no external requests.
"""


def make_bundle(root: Path, out_dir: Path) -> Path:
    """Build the offline site of `root` and write out_dir/<name>.zip and <name>.zip.sha256.

    Returns the zip's path. Raises PlanInvalid (invalid data) or workplan.build.BuildFailed.
    """
    from .build import build_site, interruptible, scratch_folder
    from .load import load_editions

    root = Path(root).resolve()
    out_dir = out_dir if out_dir.is_absolute() else root / out_dir
    years = load_editions(root).years   # validates first: an invalid plan never gets as far as a zip
    sha, stamp, dirty = git_state(root)
    name = bundle_name(years[-1], sha, dirty)
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    # The work folder goes however this ends (an interruption included); a killed run's is
    # removed by the next one.
    with interruptible(), scratch_folder(out_dir, ".bundle-") as work:
        try:
            os.environ["SOURCE_DATE_EPOCH"] = str(stamp)   # MkDocs' build date (sitemap, gzip header)
            site = build_site(root, work / "site", offline=True)
            shim = site / SHIM
            if not shim.is_file() or hashlib.sha256(shim.read_bytes()).hexdigest() != SHIM_SHA256:
                raise RuntimeError(f"{shim}: the vendored iframe-worker shim is missing or changed "
                                   "(see docs/assets/vendor/iframe-worker/README.txt)")
            partial = work / f"{name}.zip"
            write_zip(site, partial, name, stamp, _readme(name, years, sha, dirty))
            zip_path = out_dir / f"{name}.zip"
            os.replace(partial, zip_path)
            checksum = out_dir / f"{name}.zip.sha256"
            checksum.write_text(f"{sha256_of(zip_path)}  {zip_path.name}\n", encoding="utf-8")
        finally:
            if previous is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous
    return zip_path
