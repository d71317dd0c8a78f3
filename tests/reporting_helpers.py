"""Helpers for the reporting tests: a unit's template from a data copy, opened with openpyxl the way
a person opens it in Excel, filled cell by cell and saved into an "inbox" folder."""
from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from workplan.progress import load_plan_and_progress
from workplan.reporting import layout as L
from workplan.reporting.intake import import_returns
from workplan.reporting.template import template_book, workbook_bytes

H1, H2 = "2020-H1", "2020-H2"
COLUMN = {"status": "F", "percent": "G", "date": "H", "description": "I", "evidence": "J"}


def template(root: Path, unit: str, rnd: str = H1):
    """The unit's template for the round, from the data under `root`, opened with openpyxl."""
    plan, progress = load_plan_and_progress(root)
    return load_workbook(io.BytesIO(workbook_bytes(template_book(plan, progress, unit, rnd))))


def row_of(ws, item: str) -> int:
    for row in range(L.FIRST_ROW, ws.max_row + 1):
        if ws[f"A{row}"].value == item:
            return row
    raise AssertionError(f"no row for {item}")


def fill(ws, item: str, **values) -> int:
    """Type values into the item's row (keys: status, percent, date, description, evidence)."""
    row = row_of(ws, item)
    for key, value in values.items():
        ws[f"{COLUMN[key]}{row}"] = value
    return row


def save(wb, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    wb.save(path)
    return path


def run(root: Path, *inputs: Path, rnd: str | None = H1, **options):
    return import_returns(root, list(inputs), rnd, today="2020-07-15", **options)


def issues(batch) -> list[tuple[str, str, str]]:
    """(file, where, key) of every problem in the batch."""
    return [(i.file, i.where, i.key) for o in batch.outcomes for i in o.issues]


def states(batch) -> dict[str, str]:
    return {o.file: o.state for o in batch.outcomes}
