"""Compiled templates are kept between builds (workplan/jinjacache.py), and an edited template is
compiled again: a new environment (every build makes new ones) reuses the bytecode, not stale text."""
from __future__ import annotations

from jinja2 import Environment, FileSystemLoader

from workplan.jinjacache import MemoryBytecodeCache


def test_a_new_environment_reuses_the_bytecode_until_the_template_changes(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("甲 {{ x }}", encoding="utf-8")
    cache = MemoryBytecodeCache()
    compiled = []

    def env() -> Environment:
        e = Environment(loader=FileSystemLoader(tmp_path), bytecode_cache=cache)
        real = e.compile
        monkeypatch.setattr(e, "compile", lambda *a, **k: compiled.append(a[1]) or real(*a, **k))
        return e

    assert env().get_template("page.html").render(x=1) == "甲 1"
    assert env().get_template("page.html").render(x=2) == "甲 2"
    assert compiled == ["page.html"]          # compiled once, the second environment used the bytecode
    (tmp_path / "page.html").write_text("乙 {{ x }}", encoding="utf-8")
    assert env().get_template("page.html").render(x=3) == "乙 3"
    assert compiled == ["page.html", "page.html"]
