"""Import a batch of returned templates into data/<year>/progress/<round>/<unit>.yaml.

Rules (data/<year>/progress/README.md and CONTRIBUTING.md explain them to 市振兴办):
- Every file given (or found in a folder given, at any depth; hidden files and Office's ~$ lock
  files aside) is read, whatever its name.
- A workbook with any problem writes nothing; its problems are listed by file, sheet and cell.
- The round imported is `round_id`, or else the current round (as of PROGRESS_AS_OF, else today):
  a template of another round, year or an unknown unit is refused, and so is a workbook whose file
  name names another unit than the one recorded inside it (a unit that filled in the wrong template).
- A unit's file that already exists is never silently overwritten: identical content is
  "unchanged" (nothing is written, even when the file is formatted differently); different content
  is listed change by change and written only with `replace=True`.
- After writing, the whole of data/ is validated; if that fails, every file this run wrote is
  restored and the run reports the failure.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PlanInvalid
from ..load import data_years
from ..model import Plan
from ..progress import PROGRESS_DIR, Progress, Round, build_date, load_plan_and_progress
from ..progress.rules import date_problem, percent_status_problem
from ..text import fold_brackets
from . import layout as L
from .returns import Issue, Returned, Row, read_returned
from .yamlfmt import record, record_of, reports_yaml

STATE_WORDS = {"imported": "已导入", "replaced": "已覆盖", "unchanged": "未变化", "confirm": "待确认",
               "rejected": "被拒绝"}


class ImportStopped(Exception):
    """The batch cannot start (unknown round, no rounds): nothing was read or written."""


@dataclass
class Outcome:
    file: str                       # as shown to the maintainer
    state: str = "rejected"         # a key of STATE_WORDS ("pending" while being checked)
    unit: str | None = None
    issues: list[Issue] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    target: Path | None = None      # the data file
    text: str | None = None         # the YAML this workbook gives
    count: int = 0                  # reports in it
    records: list[dict] = field(default_factory=list)   # its reports, compared with those in data/


@dataclass
class Batch:
    root: Path
    plan: Plan
    progress: Progress              # as loaded after the import
    round: Round
    outcomes: list[Outcome]
    written: list[Path]
    dry_run: bool = False
    failed: PlanInvalid | None = None   # validation after writing failed (and the writes were undone)

    @property
    def ok(self) -> bool:
        return self.failed is None and all(o.state in ("imported", "replaced", "unchanged") for o in self.outcomes)


# ----------------------------------------------------------------------------- entry point
def import_returns(root: Path, inputs: list[Path], round_id: str | None = None, replace: bool = False,
                   dry_run: bool = False, today=None) -> Batch:
    plan, progress, rnd = target_round(root, round_id, today)
    files = collect(inputs)
    outcomes = [check(plan, progress, rnd, read_returned(path, shown)) for path, shown in files]
    _one_per_unit(outcomes)
    for outcome in outcomes:
        if outcome.state == "pending":
            _compare(root, plan, progress, rnd, outcome, replace)
    batch = Batch(root, plan, progress, rnd, outcomes, written=[], dry_run=dry_run)
    if not dry_run:
        _write_and_validate(batch)
    return batch


def target_round(root: Path, round_id: str | None, today=None) -> tuple[Plan, Progress, Round]:
    """The plan, its progress and the round to import into (the plan's data must be valid)."""
    years = data_years(root / "data")
    if not years:
        raise ImportStopped("data/ 下没有任何年度目录。")
    for year in reversed(years):
        plan, progress = load_plan_and_progress(root, year)
        if round_id is None:
            day = build_date(override=today if today is not None else os.environ.get("PROGRESS_AS_OF"))
            rnd = progress.current_round(day)
            if rnd is None:
                raise ImportStopped(f"data/{year}/progress/rounds.yaml 中没有登记任何报送轮次。")
            return plan, progress, rnd
        if round_id in progress.rounds:
            return plan, progress, progress.rounds[round_id]
    raise ImportStopped(f"轮次“{round_id}”不存在（见 data/<年份>/progress/rounds.yaml）。")


def collect(inputs: list[Path]) -> list[tuple[Path, str]]:
    """(path, name shown in messages) for every file to read, in a stable order."""
    out: list[tuple[Path, str]] = []
    for given in inputs:
        if given.is_dir():
            for path in sorted(p for p in given.rglob("*") if not p.is_dir()):
                rel = path.relative_to(given)
                if any(part.startswith((".", "~$")) for part in rel.parts):
                    continue   # hidden files, and the lock files Office leaves beside an open workbook
                out.append((path, rel.as_posix()))
        else:
            out.append((given, given.name))
    return out


# ----------------------------------------------------------------------------- one workbook against the data
def check(plan: Plan, progress: Progress, rnd: Round, returned: Returned) -> Outcome:
    """Cross-check a read workbook against the plan and the round; state "pending" when all is well."""
    outcome = Outcome(returned.file, issues=list(returned.issues))
    meta = returned.meta
    if meta is None:
        return outcome
    unit_id = _current_id(plan, meta.unit)
    outcome.unit = unit_id

    def issue(where: str, key: str, message: str, hint: str = "") -> None:
        outcome.issues.append(Issue(returned.file, where, key, message, hint))

    if meta.round != rnd.id:
        known = progress.rounds.get(meta.round)
        issue("", "round-mismatch",
              f"这是{known.label if known else meta.round}的填报表，本次导入的是{rnd.label}（{rnd.id}）。",
              f"请让报送单位使用{rnd.label}的填报表重新填写；确要导入其他轮次时，运行时指定该轮次（ROUND=…）。")
    if unit_id is None:
        issue("", "unit-unknown", f"填报表记录的单位“{meta.unit}”（{meta.unit_name}）不在单位名录中。",
              "请使用最新下发的填报表重新填写。")
        return outcome
    unit = plan.units[unit_id]
    named = units_in_file_name(plan, Path(returned.file).stem)
    if named and unit_id not in named:
        names = "、".join(plan.units[u].name for u in sorted(named, key=list(plan.units).index))
        issue("", "unit-name-mismatch", f"文件名写的是{names}，但表内记录的填报单位是{unit.name}（{unit_id}）。",
              f"可能填错了模板：请让报送单位在发给本单位的填报表中重新填写。确是{unit.name}的报告，把文件改名后再导入。")
    for row in returned.rows:
        _check_row(plan, progress, rnd, unit_id, row, issue)
    if not returned.rows and not outcome.issues:
        issue(L.FILL_SHEET, "nothing-filled", "填报表中没有填写任何事项。", "请报送单位填写后重新发送；本次没有进展的事项也请选择状态并简要说明。")
    if outcome.issues:
        return outcome
    rows = sorted(returned.rows, key=lambda r: plan.item_order[r.item])
    records = [record_of(r.item, r.status, r.percent, r.date, r.description, r.evidence) for r in rows]
    outcome.text = reports_yaml(unit_id, unit.name, rnd.id, rnd.label, records)
    outcome.count = len(records)
    outcome.records = records
    outcome.state = "pending"
    return outcome


def _check_row(plan: Plan, progress: Progress, rnd: Round, unit_id: str, row: Row, issue) -> None:
    if row.item not in plan.items:
        issue(row.cell("item"), "unknown-item", f"事项 {row.item} 已不在计划数据中（填报表生成后计划有调整）。",
              "请使用最新下发的填报表重新填写。")
        return
    if unit_id not in progress.roles[row.item]:
        issue(row.cell("item"), "unit-not-assigned",
              f"{plan.units[unit_id].name}不是事项 {row.item} 的牵头单位或责任单位。", "请使用最新下发的填报表重新填写。")
    for key, problem in (("date", date_problem(row.date, rnd)),
                         ("percent", percent_status_problem(row.status, row.percent))):
        if problem:
            issue(row.cell(key), *problem)


def _current_id(plan: Plan, unit_id: str) -> str | None:
    """The unit's id now: a template made before the unit's id changed names it by a former id."""
    if unit_id in plan.units:
        return unit_id
    return next((u.id for u in plan.units.values() if unit_id in u.former_ids), None)


def units_in_file_name(plan: Plan, stem: str) -> set[str]:
    """Units a file name names: 市财政局上半年.xlsx, 财政局.xlsx, 瑞金2020下半年.xlsx. Short forms are
    the name without 市 (for 市X, at least three characters left) and a county's name without
    县/区/市; a form that is part of another unit's name is not used (委办公室 is in neither
    of the other offices' names, but 办公室 would be)."""
    text = fold_brackets(unicodedata.normalize("NFKC", stem))
    names = {u.id: set(u.all_names) for u in plan.units.values()}
    every = [n for forms in names.values() for n in forms]
    found = set()
    for unit in plan.units.values():
        forms = set(names[unit.id])
        if unit.name.startswith("市") and len(unit.name) >= 4:
            forms.add(unit.name[1:])
        if unit.is_place and len(unit.name) >= 3 and unit.name[-1] in "县区市":
            forms.add(unit.name[:-1])
        forms = {f for f in forms if not any(f in other and other not in names[unit.id] for other in every)}
        if any(fold_brackets(f) in text for f in forms):
            found.add(unit.id)
    return found


def _one_per_unit(outcomes: list[Outcome]) -> None:
    """Two good workbooks for one unit in one batch: the same content counts once, different
    content is refused (the maintainer must choose)."""
    by_unit: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.state == "pending":
            by_unit.setdefault(o.unit, []).append(o)
    for group in by_unit.values():
        if len(group) < 2:
            continue
        files = "、".join(o.file for o in group)
        if len({o.text for o in group}) == 1:
            for o in group[1:]:
                o.state, o.changes = "unchanged", [f"与 {group[0].file} 内容相同，只导入一次"]
            continue
        for o in group:
            o.state = "rejected"
            o.issues.append(Issue(o.file, "", "duplicate-return", f"同一单位本轮有多份内容不同的填报表：{files}。",
                                  "确认以哪一份为准，只把那一份放进导入文件夹后重新导入。"))


# ----------------------------------------------------------------------------- against data/
def _compare(root: Path, plan: Plan, progress: Progress, rnd: Round, outcome: Outcome, replace: bool) -> None:
    outcome.target = root / "data" / str(plan.year) / PROGRESS_DIR / rnd.id / f"{outcome.unit}.yaml"
    if not outcome.target.exists():
        outcome.state = "imported"
        return
    old = [record(r) for r in progress.by_unit[outcome.unit] if r.round == rnd.id and not r.sample]
    new = outcome.records
    if old == new:
        outcome.state = "unchanged"
        return
    outcome.changes = describe_changes(plan, old, new)
    outcome.state = "replaced" if replace else "confirm"


FIELD_WORDS = {"status": "状态", "percent": "完成百分比", "date": "填报日期", "description": "进展情况", "evidence": "佐证链接"}


def describe_changes(plan: Plan, old: list[dict], new: list[dict]) -> list[str]:
    """One line per item whose report differs: added, removed, or field by field."""
    before, after = {r["item"]: r for r in old}, {r["item"]: r for r in new}
    out = []
    for iid in (i for i in plan.items if i in before or i in after):
        label = f"{iid}（{plan.items[iid].label}）"
        a, b = before.get(iid), after.get(iid)
        if a is None:
            out.append(f"{label}：新增报告（{b['status']}）")
        elif b is None:
            out.append(f"{label}：删除已有报告（{a['status']}，{a['date']}）")
        elif a != b:
            parts = []
            for key, word in FIELD_WORDS.items():
                x, y = a.get(key), b.get(key)
                if x == y:
                    continue
                if key in ("description", "evidence"):
                    parts.append(f"{word}已修改")
                else:
                    parts.append(f"{word} {'—' if x is None else x} → {'—' if y is None else y}")
            out.append(f"{label}：{'；'.join(parts)}")
    return out


def _write_and_validate(batch: Batch) -> None:
    """Write the files, validate data/, and undo every write if validation fails."""
    saved: dict[Path, bytes | None] = {}
    created_dirs: list[Path] = []
    for o in batch.outcomes:
        if o.state not in ("imported", "replaced"):
            continue
        path = o.target
        saved[path] = path.read_bytes() if path.exists() else None
        if not path.parent.exists():
            path.parent.mkdir(parents=True)
            created_dirs.append(path.parent)
        tmp = path.with_name(f".{path.name}.importing")
        tmp.write_text(o.text, encoding="utf-8")
        tmp.replace(path)
        batch.written.append(path)
    try:
        batch.plan, batch.progress = load_plan_and_progress(batch.root, batch.plan.year)
    except PlanInvalid as exc:
        for path, old in saved.items():
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        for folder in reversed(created_dirs):
            if not any(folder.iterdir()):
                folder.rmdir()
        batch.written = []
        batch.failed = exc


# ----------------------------------------------------------------------------- the summary
def summary(batch: Batch) -> str:
    plan, progress, rnd = batch.plan, batch.progress, batch.round
    lines = [f"导入落实情况填报表：{rnd.label}（{rnd.id}），共 {len(batch.outcomes)} 个文件"
             + ("（试运行，未写入任何文件）" if batch.dry_run else "")]
    for state in STATE_WORDS:
        for o in (o for o in batch.outcomes if o.state == state):
            who = f"{plan.units[o.unit].name}（{o.unit}）" if o.unit in plan.units else "—"
            where = f" → {o.target.relative_to(batch.root).as_posix()}" if o.target and state != "rejected" else ""
            count = f"（{o.count} 条报告）" if state in ("imported", "replaced") else ""
            lines.append(f"  {STATE_WORDS[state]}  {who}  {o.file}{where}{count}")
            if state == "confirm":
                lines.append("      已有的报告与这份填报表不同，未写入；核对下列改动后，加 --replace（make 中 REPLACE=1）覆盖：")
            lines += [f"      {c}" for c in o.changes]
            lines += ["      " + str(i).replace("\n", "\n      ") for i in o.issues]
    if batch.failed is not None:
        lines.append("写入后校验 data/ 失败，本次写入的文件已全部恢复原状：")
        lines.append(batch.failed.report())
    missing_all, missing_some = [], []
    for uid, items in progress.expected.items():
        if not items:
            continue
        gap = progress.missing(uid, rnd.id)
        if len(gap) == len(items):
            missing_all.append(plan.units[uid].name)
        elif gap:
            missing_some.append(f"{plan.units[uid].name}（缺 {len(gap)} 项）")
    lines.append(f"{rnd.label}尚未报送的单位（{len(missing_all)} 个）：" + ("、".join(missing_all) or "无"))
    if missing_some:
        lines.append(f"部分事项尚未报送的单位（{len(missing_some)} 个）：" + "、".join(missing_some))
    return "\n".join(lines)
