"""What git tells about the data files: their last change (the "数据最后更新" dates) and where a
maintainer edits them (GitHub's web editor)."""
from __future__ import annotations

from pathlib import Path


def edit_base_from(repo_url: str | None, branch: str = "main") -> str | None:
    return f"{repo_url.rstrip('/')}/edit/{branch}/" if repo_url else None


def git_dates(root: Path, files) -> dict[str, str]:
    """Last commit date (YYYY-MM-DD) of each data file, from git; empty outside a checkout.
    One `git log` for all files (newest first, so a file's first appearance is its last change):
    a process per file costs seconds at a few hundred files."""
    import subprocess

    wanted = set(files)
    if not wanted:
        return {}
    try:
        done = subprocess.run(["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--relative", "--",
                               *sorted(wanted)], cwd=root, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    out: dict[str, str] = {}
    for commit in done.stdout.split("\0")[1:]:
        date, *names = commit.strip().split("\n")
        for name in names:
            if name in wanted and name not in out:
                out[name] = date
    return out
