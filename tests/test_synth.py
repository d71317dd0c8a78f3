"""The synthetic plan generator used by scripts/bench: deterministic, and its output is a valid plan.

Fast on purpose: generation and load_plan only (1× and 10×), no site build.
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from workplan import synth
from workplan.load import load_plan
from workplan.model import COUNTY_KIND

ROOT = Path(__file__).resolve().parents[1]


def _digest(project: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((project / "data").rglob("*.yaml")):
        h.update(str(path.relative_to(project)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def real():
    return load_plan(ROOT)


@pytest.fixture(scope="module")
def x10(tmp_path_factory):
    return synth.generate(tmp_path_factory.mktemp("synth") / "x10", 10)


def test_1x_is_the_real_plan(tmp_path, real):
    plan = load_plan(synth.generate(tmp_path / "x1", 1))
    same = lambda m: {k: dataclasses.replace(v, line=0) for k, v in m.items()}  # noqa: E731 - YAML layout differs
    assert same(plan.items) == same(real.items)
    assert same(plan.points) == same(real.points)
    assert same(plan.categories) == same(real.categories)
    assert dict(plan.units) == dict(real.units) and dict(plan.groups) == dict(real.groups)


def test_10x_validates_and_scales(x10, real):
    plan = load_plan(x10)  # raises PlanInvalid with file:line messages if anything is off
    assert len(plan.items) == 10 * len(real.items)
    assert len(plan.points) == 10 * len(real.points)
    assert len(plan.units) == 10 * len(real.units)
    assert len(plan.categories) == 10 * len(real.categories)
    assert sum(u.kind == COUNTY_KIND for u in plan.units.values()) == 10 * len(real.counties)
    # Block 0 keeps the real collective assignments; every synthetic block has its own names and texts.
    assert any(item.group_ids("responsible") for item in plan.items.values())
    names = [u.name for u in plan.units.values()]
    assert len(set(names)) == len(names)
    texts = {i.text for i in plan.items.values()}
    assert len(texts) > 5 * len(real.items)
    # Every synthetic block's counties are assigned somewhere, as the real ones are.
    assert sum(1 for u in plan.counties if plan.involvement[u.id]) >= 10 * sum(
        1 for u in real.counties if real.involvement[u.id]) * 0.8


def test_deterministic(tmp_path, x10):
    again = synth.generate(tmp_path / "again", 10)
    assert _digest(again) == _digest(x10)
    assert _digest(synth.generate(tmp_path / "s7", 2, seed=7)) != _digest(synth.generate(tmp_path / "s0", 2))


def test_scales_are_prefixes(tmp_path, x10):
    """The 3× plan's blocks are the first three blocks of the 10× plan (same seed)."""
    small = load_plan(synth.generate(tmp_path / "x3", 3))
    big = load_plan(x10)
    for iid, item in small.items.items():
        assert big.items[iid].text == item.text and big.items[iid].lead == item.lead


def test_global_collective_validates(tmp_path):
    plan = load_plan(synth.generate(tmp_path / "g", 2, collective="global"))
    synthetic = [i for i in plan.items.values() if i.id.split("-")[0] in {"4", "5", "6"}]
    assert any(i.group_ids("responsible") for i in synthetic)


def test_cn_number():
    assert [synth.cn_number(n) for n in (1, 10, 11, 20, 21, 100, 105, 110, 300, 1000)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十", "三百", "一千"]
