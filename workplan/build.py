"""Build the site atomically: into a temporary folder next to the target, swapped in only when
the whole build (validation, `--strict` MkDocs build, post-build steps) succeeded. A failed
build leaves the previous site untouched and no partial output behind."""
from __future__ import annotations

import logging
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


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors (a PlanInvalid report, a strict-mode warning) so the
    failure message carries them: called from Python, MkDocs prints nothing itself."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(root: Path, out: Path, *, strict: bool = True, offline: bool = False) -> Path:
    out = out if out.is_absolute() else root / out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)   # mkdtemp makes it 0700; a web server must be able to read it
    previous = os.environ.get("OFFLINE")
    collected = _Collect()
    logging.getLogger("mkdocs").addHandler(collected)
    try:
        if offline:
            os.environ["OFFLINE"] = "true"
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp), strict=strict)
        build(config)
    except (MkDocsException, Abort, PlanInvalid, SystemExit) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        details = "\n".join(dict.fromkeys(collected.messages))
        raise BuildFailed(f"构建失败，未发布任何内容 (build failed; nothing published): {exc}"
                          + (f"\n{details}" if details else "")) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(collected)
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
