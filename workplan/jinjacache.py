"""Compiled Jinja templates kept in memory for the life of the process.

Why: every build makes new Jinja environments (ours: one per Site and edition, rebuilt with the data
in on_config; MkDocs: the theme's, in each build), and a new environment compiles each template from
source again. Under `make serve` every rebuild paid that again (about a sixth of a rebuild at 1×).
Jinja's own bytecode cache interface is the mechanism: a template is recompiled only when its source
changes (the cache checks a checksum of the source), so edited templates still take effect.
"""
from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    """One per kind of environment: the key is the template's name and file, not the environment's
    settings, so environments with different syntax settings must not share one."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


PAGES = MemoryBytecodeCache()   # workplan/templates (workplan.pages.edition.jinja_env)
THEME = MemoryBytecodeCache()   # the theme's templates (MkDocs' environment, set in hooks.on_env)
