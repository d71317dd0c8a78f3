"""The axe-core baseline: moderate and minor findings the site still has, which may only shrink.

tests/browser/axe-baseline.json maps a check ("<page kind>/<mode>/<width>", one test of
tests/browser/test_a11y.py) to {axe rule id: number of elements}. A test fails when it finds a
rule that is not held for it, or more elements than held (a regression: fix it), and also when it
finds fewer than held (fixed: shrink the file, so the fix cannot quietly come undone). Serious
and critical findings are never held: they fail the test whatever the file says.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

BASELINE = Path(__file__).resolve().parent / "browser" / "axe-baseline.json"
HELD_IMPACTS = ("moderate", "minor")
BLOCKING_IMPACTS = ("serious", "critical")


def load(path: Path = BASELINE) -> dict[str, dict[str, int]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["held"]


@dataclass(frozen=True)
class Difference:
    new: dict[str, tuple[int, int]]    # rule: (held, found) where found > held
    gone: dict[str, tuple[int, int]]   # rule: (held, found) where found < held

    def __bool__(self) -> bool:
        return bool(self.new or self.gone)

    def report(self, key: str) -> str:
        lines = []
        for rule, (held, found) in sorted(self.new.items()):
            lines.append(f"{key}: {rule}: {found} element(s), baseline holds {held}: a new moderate/minor "
                         "violation; fix it (the baseline may only shrink)")
        for rule, (held, found) in sorted(self.gone.items()):
            what = f'set "{rule}": {found}' if found else f'remove "{rule}"'
            lines.append(f"{key}: {rule}: {found} element(s), baseline holds {held}: fixed, so shrink the "
                         f"baseline: in {BASELINE.name}, under \"{key}\", {what}")
        return "\n".join(lines)


def compare(found: dict[str, int], held: dict[str, int]) -> Difference:
    """found: {rule: elements} of moderate/minor findings; held: the baseline entry for the check."""
    new = {r: (held.get(r, 0), n) for r, n in found.items() if n > held.get(r, 0)}
    gone = {r: (n, found.get(r, 0)) for r, n in held.items() if found.get(r, 0) < n}
    return Difference(new, gone)
