"""Build the site atomically: into a temporary folder next to the target, swapped in only when
the whole build (validation, `--strict` MkDocs build, post-build steps) succeeded. A failed
build leaves the previous site untouched and no partial output behind."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from .errors import PlanInvalid


class BuildFailed(Exception):
    pass


def build_site(root: Path, out: Path, *, strict: bool = True, offline: bool = False) -> Path:
    out = out if out.is_absolute() else root / out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    previous = os.environ.get("OFFLINE")
    try:
        if offline:
            os.environ["OFFLINE"] = "true"
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp), strict=strict)
        build(config)
    except (MkDocsException, Abort, PlanInvalid, SystemExit) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildFailed(f"构建失败，未发布任何内容 (build failed; nothing published): {exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if previous is None:
            os.environ.pop("OFFLINE", None)
        else:
            os.environ["OFFLINE"] = previous
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return out
