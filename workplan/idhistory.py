"""The ids data/units.yaml has ever had, from git: an id in a committed version of the registry
may have been published (units/<id>/, api/units/<id>.json, a unit's progress files), so it must
stay an id or a former id (registry.kept_ids). Outside a git checkout there is no history and the
rule is skipped; a shallow clone checks the history it has (the workflows fetch it all)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

# "  - id: czj" (a list entry of units: or groups:), quoted or not; former_ids lines never match.
_ID_LINE = re.compile(r"""^\+\s*-\s+id:\s*["']?([A-Za-z0-9_-]+)["']?\s*(#.*)?$""")


def committed_ids(path: Path) -> frozenset[str] | None:
    """Every id added to `path` by any commit (None when git or the history is unavailable)."""
    try:
        done = subprocess.run(["git", "log", "--format=", "--no-color", "--no-ext-diff", "-p", "--", path.name],
                              cwd=path.parent, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return ids_added(done.stdout)


def ids_added(patch: str) -> frozenset[str]:
    """The ids on the added lines of a unified diff of units.yaml."""
    return frozenset(m.group(1) for line in patch.splitlines() if (m := _ID_LINE.match(line)))
