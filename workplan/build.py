"""Build the site atomically: into a temporary folder next to the target, swapped in only when
the whole build (validation, `--strict` MkDocs build, post-build steps) succeeded. A failed
build leaves the previous site untouched and no partial output behind.

Interrupted (Ctrl-C, SIGTERM from CI or a process manager, SIGHUP when the terminal closes), a
build unwinds like a failed one and removes its temporary folder; the swap itself runs with those
signals held back. A build killed outright (SIGKILL, power loss) cannot clean up: each temporary
folder is locked (flock) by the build using it, and the next build removes every one whose lock
is free — a build running in parallel keeps its folder.
"""
from __future__ import annotations

import fcntl
import glob
import logging
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from .errors import PlanInvalid

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """SIGTERM or SIGHUP during a build, raised like KeyboardInterrupt for SIGINT: not an
    Exception, so nothing on the way catches it by accident, but every `finally` runs."""

    def __init__(self, signum: int):
        super().__init__(f"signal {signal.Signals(signum).name}")
        self.signum = signum


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Interrupted while the block runs (only the main thread can
    handle signals; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP)
                if signal.getsignal(signum) is not signal.SIG_IGN}   # nohup stays nohup
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM/SIGHUP back while the block runs (a swap or a clean-up half done is
    worse than either); they are delivered when it ends."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def scratch_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A new folder `parent/<prefix><random>`, locked while the block runs and removed when it
    ends however it ends (unless the block moved it away). Unlocked leftovers with the same
    prefix — from a run that was killed — are removed first."""
    remove_leftovers(parent, prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    lock = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        yield folder
    finally:
        with signals_held():
            shutil.rmtree(folder, ignore_errors=True)
            os.close(lock)


def remove_leftovers(parent: Path, prefix: str) -> list[Path]:
    """Remove the folders `parent/<prefix>*` that no running build holds; returns them."""
    removed = []
    for name in glob.glob(glob.escape(str(parent / prefix)) + "*"):
        path = Path(name)
        if path.is_symlink() or not path.is_dir():
            continue
        try:
            lock = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue   # a build in progress
        finally:
            os.close(lock)   # closing releases a lock we took
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


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
    old = out.with_name(f".{out.name}.old")
    if old.is_dir() and not out.exists():
        old.rename(out)   # killed half-way through a swap: the previous site is the one to keep
    with interruptible(), scratch_folder(out.parent, f".{out.name}.building-") as tmp:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)   # mkdtemp makes it 0700; a web server must be able to read it
        _build(root, tmp, strict=strict, offline=offline)
        with signals_held():
            shutil.rmtree(old, ignore_errors=True)
            if out.exists():
                out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
    return out


def _build(root: Path, site_dir: Path, *, strict: bool, offline: bool) -> None:
    """MkDocs' build of `root` into `site_dir`; BuildFailed with MkDocs' messages when it fails."""
    previous = os.environ.get("OFFLINE")
    collected = _Collect()
    logging.getLogger("mkdocs").addHandler(collected)
    try:
        if offline:
            os.environ["OFFLINE"] = "true"
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        build(config)
    except (MkDocsException, Abort, PlanInvalid, SystemExit) as exc:
        details = "\n".join(dict.fromkeys(collected.messages))
        raise BuildFailed(f"构建失败，未发布任何内容 (build failed; nothing published): {exc}"
                          + (f"\n{details}" if details else "")) from exc
    finally:
        logging.getLogger("mkdocs").removeHandler(collected)
        if previous is None:
            os.environ.pop("OFFLINE", None)
        else:
            os.environ["OFFLINE"] = previous
