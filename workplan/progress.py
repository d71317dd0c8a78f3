"""Progress reports (落实情况): the twice-yearly rounds in which every lead and responsible unit
reports on its items, loaded from YAML beside the plan, validated, and turned into a read-only
structure the pages and exports query.

Layout (one year; see data/2020/progress/README.md for the units' instructions):

    data/<year>/progress/rounds.yaml              the rounds: id, label, deadline, date window
    data/<year>/progress/<round>/<unit-id>.yaml   one unit's reports for one round
    data/<year>/progress-sample/<round>/…         invented example data, same format, loaded only
                                                  with include_sample=True (mkdocs.yml
                                                  extra.progress_sample, env PROGRESS_SAMPLE)

A unit's pull request therefore touches only its own files, never the plan.

Definitions (the pages rely on these; the README states them for the units):

- A report dated on the round's deadline is on time; `Report.late` is True for a later date.
- `overdue`: a unit has no report for an expected item in a round and today > the deadline
  (strictly: on 6月30日 itself nothing is overdue yet; from 7月1日 it is).
- Current round for a given day: the last round whose window has opened (`opens <= today`);
  before the first window opens, the first round. So after 6月30日 the current round stays
  2020-H1 (and its missing reports are overdue) until the 2020-H2 window opens.
- Who may report on an item: its lead and responsible units, named directly or reached through
  a collective group (各县（市、区）, 市直(驻市)有关部门, …). A unit reached through a group has
  the role of that list (lead/responsible).
- Who is *expected* to report (missing/overdue): units named directly, plus the members of the
  groups listed in rounds.yaml `reporting_groups` (各县（市、区） means every county). Members of
  "有关部门" groups may report but are not chased: the document does not name them.
- Item status in a round: from the reports of its lead units only (responsible units' reports
  are shown in the timeline). One lead → its status. Several leads: all equal → that status;
  any 受阻 → 受阻; otherwise 推进中. Percent: the lowest percent given by a lead (None if none).
- Latest status / status as of a round: the item status from the latest round (up to the given
  one) in which at least one lead unit reported. `ItemStatus.round` tells which round that was,
  so a page can say the status is from an earlier round.
- Sample data never mixes with real data silently: sample files must say `sample: true`, real
  files must not; when both exist for the same unit, item and round, the real report wins.

Errors use the plan's Collector/DataError (file:line, Chinese message, English key, hint) and
are raised together as PlanInvalid.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from . import schema, yamlio
from .errors import Collector, PlanInvalid
from .load import ROOT, data_years, load_plan
from .model import Item, Plan, frozen_map
from .registry import Registry
from .yamlio import line_at

STATUSES = ("未启动", "推进中", "已完成", "受阻")
NO_REPORT = "尚无报告"          # the bucket of summaries for items without a report
PROGRESS_DIR = "progress"
SAMPLE_DIR = "progress-sample"
ROUNDS_FILE = "rounds.yaml"
DESCRIPTION_MAX = 300           # keep in step with schema/progress.schema.json
DEFAULT_REPORTING_GROUPS = ("all-counties",)

# Field names for schema messages (schema.py words its messages with FIELD_NAMES; these are the
# progress files' fields — setdefault never changes a name the plan's files already use).
for _key, _name in {"unit": "报送单位", "round": "轮次", "reports": "报告列表", "item": "事项",
                    "status": "状态", "percent": "完成百分比", "description": "进展说明",
                    "evidence": "佐证链接", "sample": "示例数据标记", "deadline": "报送截止日期",
                    "opens": "开始日期", "closes": "结束日期", "label": "名称",
                    "reporting_groups": "逐一报送的集体"}.items():
    schema.FIELD_NAMES.setdefault(_key, _name)


# ====================================================================== the read-only model

@dataclass(frozen=True)
class Round:
    id: str            # "2020-H1"
    label: str         # "2020年上半年"
    deadline: date     # reports due on or before this day
    opens: date        # a report's date must lie in [opens, closes]
    closes: date
    line: int = 0

    def accepts(self, day: date) -> bool:
        return self.opens <= day <= self.closes

    def past_deadline(self, today: date) -> bool:
        """True from the day after the deadline (the deadline day itself is still on time)."""
        return _as_date(today) > self.deadline


@dataclass(frozen=True)
class Report:
    unit: str                      # unit id (the file name)
    item: str                      # item id, "3-1-16"
    round: str                     # round id
    status: str                    # one of STATUSES
    description: str
    date: date
    percent: int | None = None
    evidence: tuple[str, ...] = ()
    role: str = "responsible"      # "lead" | "responsible": the unit's role in the item
    via_group: str | None = None   # set when the unit reaches the item only through a group
    late: bool = False             # dated after the round's deadline
    sample: bool = False           # from progress-sample/ (invented example data)
    file: str = ""                 # relative to the project root
    line: int = 0

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"


@dataclass(frozen=True)
class ItemStatus:
    """An item's status in one round, combined from its lead units' reports."""

    item: str
    round: str                     # the round the status comes from
    status: str
    percent: int | None
    reports: tuple[Report, ...]    # the lead reports it was combined from
    pending: tuple[str, ...] = ()  # expected lead units that did not report in that round

    @property
    def mixed(self) -> bool:
        """The lead units reported different statuses."""
        return len({r.status for r in self.reports}) > 1

    @property
    def sample(self) -> bool:
        return any(r.sample for r in self.reports)


@dataclass(frozen=True)
class StatusSummary:
    """Counts by status over a set of items; NO_REPORT counts the items without a status."""

    counts: Mapping[str, int]               # STATUSES + NO_REPORT, in that order
    items: Mapping[str, tuple[str, ...]]    # same keys → item ids, official order
    total: int

    @property
    def reported(self) -> int:
        return self.total - self.counts[NO_REPORT]

    def share(self, status: str) -> float:
        """Percentage (0–100) of the items in `status`, for progress bars; 0 for an empty set."""
        return 100.0 * self.counts[status] / self.total if self.total else 0.0


@dataclass(frozen=True)
class UnitRound:
    """One unit in one round: what it owes, what it filed — a cell of the reporting dashboard."""

    unit: str
    round: str
    expected: tuple[str, ...]   # item ids the unit is expected to report on
    reported: tuple[str, ...]   # item ids it reported on (expected or not)
    missing: tuple[str, ...]    # expected and not reported
    overdue: bool               # missing is not empty and today > deadline

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Change:
    """An item whose status differs between two rounds (None: no status yet)."""

    item: str
    before: ItemStatus | None
    after: ItemStatus | None

    @property
    def before_status(self) -> str | None:
        return self.before.status if self.before else None

    @property
    def after_status(self) -> str | None:
        return self.after.status if self.after else None


def combine(statuses: Iterable[str]) -> str:
    """Several lead units' statuses → the item's: all equal → that one; any 受阻 → 受阻; else 推进中."""
    found = set(statuses)
    if not found:
        raise ValueError("no status to combine")
    if len(found) == 1:
        return found.pop()
    return "受阻" if "受阻" in found else "推进中"


@dataclass(frozen=True)
class Progress:
    """All progress reports of one plan year. Read-only; every index is computed once."""

    plan: Plan = field(repr=False, compare=False)
    rounds: Mapping[str, Round]                  # in order
    reports: tuple[Report, ...]                  # sorted: round, date, lead first, unit order
    reporting_groups: tuple[str, ...] = DEFAULT_REPORTING_GROUPS
    includes_sample: bool = False                # progress-sample/ was loaded
    files: tuple[str, ...] = ()                  # the report files read (rounds.yaml first)

    # ---------------------------------------------------------------- indexes
    @cached_property
    def _round_index(self) -> dict[str, int]:
        return {rid: n for n, rid in enumerate(self.rounds)}

    @cached_property
    def by_item(self) -> Mapping[str, tuple[Report, ...]]:
        """item id → its timeline (every unit's reports, oldest round first); every item present."""
        out: dict[str, list[Report]] = {iid: [] for iid in self.plan.items}
        for report in self.reports:
            out[report.item].append(report)
        return frozen_map((k, tuple(v)) for k, v in out.items())

    @cached_property
    def by_unit(self) -> Mapping[str, tuple[Report, ...]]:
        """unit id → its reports (round order, then item order); every unit present."""
        order = {iid: n for n, iid in enumerate(self.plan.items)}
        out: dict[str, list[Report]] = {uid: [] for uid in self.plan.units}
        for report in self.reports:
            out[report.unit].append(report)
        return frozen_map((k, tuple(sorted(v, key=lambda r: (self._round_index[r.round], order[r.item]))))
                          for k, v in out.items())

    @cached_property
    def _by_key(self) -> dict[tuple[str, str, str], Report]:
        return {(r.unit, r.item, r.round): r for r in self.reports}

    @cached_property
    def roles(self) -> Mapping[str, Mapping[str, tuple[str, str | None]]]:
        """item id → {unit id: (role, via_group)} for every unit that may report on it."""
        return item_roles(self.plan)

    @cached_property
    def expected(self) -> Mapping[str, tuple[str, ...]]:
        """unit id → item ids it must report on each round (named directly, or through a group
        in reporting_groups), official order; every unit present."""
        out: dict[str, list[str]] = {uid: [] for uid in self.plan.units}
        for uid, involvements in self.plan.involvement.items():
            for inv in involvements:
                if (inv.via_group is None or inv.via_group in self.reporting_groups) and inv.item not in out[uid]:
                    out[uid].append(inv.item)
        order = {iid: n for n, iid in enumerate(self.plan.items)}
        return frozen_map((k, tuple(sorted(v, key=order.__getitem__))) for k, v in out.items())

    def expected_leads(self, item_id: str) -> tuple[str, ...]:
        return tuple(uid for uid, (role, via) in self.roles[item_id].items()
                     if role == "lead" and (via is None or via in self.reporting_groups))

    # ---------------------------------------------------------------- rounds
    def round(self, round_id: str) -> Round:
        try:
            return self.rounds[round_id]
        except KeyError:
            raise KeyError(f"unknown round {round_id!r}; rounds: {', '.join(self.rounds) or 'none'}") from None

    def current_round(self, today: date) -> Round | None:
        """The last round whose window has opened by `today`; the first round before any has."""
        today = _as_date(today)
        rounds = list(self.rounds.values())
        opened = [r for r in rounds if r.opens <= today]
        return opened[-1] if opened else (rounds[0] if rounds else None)

    def _rid(self, round_id: str | None) -> str | None:
        if round_id is None:
            return next(reversed(self.rounds), None) if self.rounds else None
        return self.round(round_id).id

    # ---------------------------------------------------------------- reports
    def report(self, unit_id: str, item_id: str, round_id: str) -> Report | None:
        return self._by_key.get((unit_id, item_id, round_id))

    def timeline(self, item_id: str) -> tuple[Report, ...]:
        return self.by_item[item_id]

    def round_reports(self, round_id: str) -> tuple[Report, ...]:
        rid = self.round(round_id).id
        return tuple(r for r in self.reports if r.round == rid)

    # ---------------------------------------------------------------- item status
    def status_in(self, item_id: str, round_id: str) -> ItemStatus | None:
        """The item's status from the lead reports of exactly this round (None: no lead reported)."""
        rid = self.round(round_id).id
        leads = [r for r in self.by_item[item_id] if r.round == rid and r.is_lead]
        if not leads:
            return None
        percents = [r.percent for r in leads if r.percent is not None]
        reported = {r.unit for r in leads}
        return ItemStatus(item=item_id, round=rid, status=combine(r.status for r in leads),
                          percent=min(percents) if percents else None, reports=tuple(leads),
                          pending=tuple(u for u in self.expected_leads(item_id) if u not in reported))

    def status(self, item_id: str, round_id: str | None = None) -> ItemStatus | None:
        """The item's status as of `round_id` (default: the last round): from the latest round up
        to it in which a lead unit reported. None: no lead report yet."""
        rid = self._rid(round_id)
        if rid is None:
            return None
        rounds = list(self.rounds)
        for candidate in reversed(rounds[: rounds.index(rid) + 1]):
            found = self.status_in(item_id, candidate)
            if found is not None:
                return found
        return None

    @cached_property
    def latest(self) -> Mapping[str, ItemStatus | None]:
        """item id → latest status (None: no lead report yet); every item present."""
        return frozen_map((iid, self.status(iid)) for iid in self.plan.items)

    def items_summary(self, item_ids: Iterable[str], round_id: str | None = None) -> StatusSummary:
        """Counts of the items' statuses as of a round (default: latest), e.g. for a category."""
        found = {}
        for iid in item_ids:
            st = self.latest[iid] if round_id is None else self.status(iid, round_id)
            found[iid] = st.status if st else None
        return _summary(found)

    def category_summary(self, category_id: str, round_id: str | None = None) -> StatusSummary:
        return self.items_summary(self.plan.categories[category_id].items, round_id)

    # ---------------------------------------------------------------- units and rounds
    def unit_items(self, unit_id: str) -> tuple[str, ...]:
        """Items on the unit's page summary: those it is expected to report on, plus any it
        reported on through a "有关部门" group."""
        extra = {r.item for r in self.by_unit[unit_id]}
        return tuple(iid for iid in self.plan.items if iid in extra or iid in self.expected[unit_id])

    def unit_summary(self, unit_id: str, round_id: str) -> StatusSummary:
        """Counts of the unit's OWN reports in a round over unit_items(); NO_REPORT = not filed."""
        rid = self.round(round_id).id
        found = {}
        for iid in self.unit_items(unit_id):
            r = self.report(unit_id, iid, rid)
            found[iid] = r.status if r else None
        return _summary(found)

    def missing(self, unit_id: str, round_id: str) -> tuple[str, ...]:
        """Expected items the unit has not reported on in the round (regardless of the date)."""
        rid = self.round(round_id).id
        return tuple(iid for iid in self.expected[unit_id] if (unit_id, iid, rid) not in self._by_key)

    def overdue(self, unit_id: str, round_id: str, today: date) -> tuple[str, ...]:
        """missing() once the deadline has passed (today > deadline), else ()."""
        return self.missing(unit_id, round_id) if self.round(round_id).past_deadline(today) else ()

    def unit_round(self, unit_id: str, round_id: str, today: date) -> UnitRound:
        rid = self.round(round_id).id
        missing = self.missing(unit_id, rid)
        reported = tuple(r.item for r in self.by_unit[unit_id] if r.round == rid)
        return UnitRound(unit=unit_id, round=rid, expected=self.expected[unit_id], reported=reported,
                         missing=missing, overdue=bool(missing) and self.rounds[rid].past_deadline(today))

    def dashboard(self, today: date) -> tuple[tuple[str, tuple[UnitRound, ...]], ...]:
        """Rounds × units for 市振兴办: every unit expected to report or that reported, in
        registry order, with one UnitRound per round."""
        units = [uid for uid in self.plan.units if self.expected[uid] or self.by_unit[uid]]
        return tuple((uid, tuple(self.unit_round(uid, rid, today) for rid in self.rounds)) for uid in units)

    # ---------------------------------------------------------------- history
    def changes(self, from_round: str, to_round: str) -> tuple[Change, ...]:
        """Items whose status as of `to_round` differs from their status as of `from_round`
        (including a first status: before is None), official order."""
        a, b = self.round(from_round).id, self.round(to_round).id
        out = []
        for iid in self.plan.items:
            before, after = self.status(iid, a), self.status(iid, b)
            if (before.status if before else None) != (after.status if after else None):
                out.append(Change(iid, before, after))
        return tuple(out)


def item_roles(plan: Plan) -> Mapping[str, Mapping[str, tuple[str, str | None]]]:
    """item id → {unit id: (role, via_group)} for every unit that may report on the item: its
    lead and responsible units, named or reached through a group. A unit that is both lead and
    responsible counts as lead; a direct mention beats a group."""
    out: dict[str, dict[str, tuple[str, str | None]]] = {iid: {} for iid in plan.items}
    for uid, involvements in plan.involvement.items():
        for inv in involvements:
            have = out[inv.item].get(uid)
            rank = (inv.role != "lead", inv.via_group is not None)
            if have is None or rank < (have[0] != "lead", have[1] is not None):
                out[inv.item][uid] = (inv.role, inv.via_group)
    return frozen_map((k, frozen_map(v)) for k, v in out.items())


def _summary(found: Mapping[str, str | None]) -> StatusSummary:
    buckets: dict[str, list[str]] = {s: [] for s in (*STATUSES, NO_REPORT)}
    for iid, status in found.items():
        buckets[status or NO_REPORT].append(iid)
    return StatusSummary(counts=frozen_map((k, len(v)) for k, v in buckets.items()),
                         items=frozen_map((k, tuple(v)) for k, v in buckets.items()), total=len(found))


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def sample_enabled(value) -> bool:
    """Interpret mkdocs.yml `extra.progress_sample` (a bool, or the string of !ENV PROGRESS_SAMPLE)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


# ====================================================================== loading and validation

def load_progress(root: Path, plan: Plan, include_sample: bool = False) -> Progress:
    """The validated progress reports of an already loaded plan (nothing is read twice).
    No progress/ folder → an empty Progress. Raises PlanInvalid with every error found."""
    errors = Collector(root)
    progress = _Loader(root, root / "data" / str(plan.year), plan, errors).run(include_sample)
    errors.raise_if_any()
    return progress


def load_plan_and_progress(root: Path = ROOT, year: int | None = None,
                           include_sample: bool = False) -> tuple[Plan, Progress]:
    """Plan and progress in one run. When the plan itself is invalid, the progress files are
    still parsed and schema-checked so that one run reports every error."""
    try:
        plan = load_plan(root, year)
    except PlanInvalid as exc:
        errors = Collector(root)
        errors.errors.extend(exc.errors)
        data_dir = root / "data"
        years = data_years(data_dir) if data_dir.is_dir() else []
        year = year if year is not None else (years[-1] if years else None)
        if year is not None:
            _Loader(root, data_dir / str(year), None, errors).run(include_sample)
        raise PlanInvalid(errors.errors) from None
    return plan, load_progress(root, plan, include_sample)


class _Loader:
    def __init__(self, root: Path, year_dir: Path, plan: Plan | None, errors: Collector):
        self.root, self.year_dir, self.plan, self.errors = root, year_dir, plan, errors
        self.rounds: dict[str, Round] = {}
        self.rounds_read = False   # rounds.yaml parsed and schema-valid
        self.declared_rounds: set[str] = set()
        self.reporting_groups: tuple[str, ...] = DEFAULT_REPORTING_GROUPS
        self.files: list[str] = []

    def add(self, path: Path, line: int, key: str, message: str, hint: str = "") -> None:
        self.errors.add(path, line, key, message, hint)

    def rel(self, path: Path) -> str:
        return self.errors.rel(path)

    def load(self, path: Path):
        """Parsed YAML, or None (with an error: a syntax problem, or an empty file)."""
        before = len(self.errors.errors)
        raw = yamlio.load(path, self.errors)
        if raw is None and len(self.errors.errors) == before:
            self.add(path, 0, "empty-file", f"文件 {path.name} 是空的。",
                     f"按 {self.rel(self.year_dir / PROGRESS_DIR)}/README.md 中的示例填写，或删除这个文件。")
        return raw

    # ------------------------------------------------------------------ schema with our wording
    def check(self, data, name: str, path: Path) -> set[tuple]:
        """Schema-check `data`; record every error; return the paths (tuples) that failed."""
        failed = set()
        found = sorted(schema.validator(name).iter_errors(data),
                       key=lambda e: (line_at(data, e.absolute_path), str(e.message)))
        for error in found:
            at, message, hint = schema._describe(error)
            last = next((p for p in reversed(list(error.absolute_path)) if isinstance(p, str)), None)
            if error.validator in ("minimum", "maximum") and last == "percent":
                message = f"完成百分比 percent 应在 0 到 100 之间，实际是 {error.instance}。"
                hint = "写 0–100 的整数，不带 %，例如 percent: 60；不清楚就删除这一行（percent 可以不填）。"
            elif error.validator == "pattern" and last == "id" and name == "progress-rounds" and error.instance.strip():
                message = f"轮次标识“{error.instance}”格式不对。"
                hint = "写成 年份-大写字母编号，例如 2020-H1、2020-H2。"
            elif error.validator == "enum" and last == "status":
                close = difflib.get_close_matches(str(error.instance), STATUSES, n=1, cutoff=0.3)
                hint = f"只能是：{'、'.join(STATUSES)}。" + (f"你是不是想写“{close[0]}”？" if close else "")
            elif error.validator == "maxLength" and last == "description":
                hint = f"进展说明限 {DESCRIPTION_MAX} 字：写清进展、问题和下一步即可，详细材料放到 evidence 链接里。"
            self.add(path, line_at(data, at), f"schema-{error.validator}", message, hint)
            failed.add(tuple(error.absolute_path))
        return failed

    # ------------------------------------------------------------------ orchestration
    def run(self, include_sample: bool) -> Progress | None:
        progress_dir = self.year_dir / PROGRESS_DIR
        sample_dir = self.year_dir / SAMPLE_DIR
        folders = [(progress_dir, False)] + ([(sample_dir, True)] if include_sample else [])
        rounds_path = progress_dir / ROUNDS_FILE
        if progress_dir.is_dir() or (include_sample and sample_dir.is_dir()):
            self.read_rounds(rounds_path)
        reports: dict[tuple[str, str, str], Report] = {}
        for folder, sample in folders:
            if not folder.is_dir():
                continue
            found: list[Report] = []
            for round_dir in self.round_dirs(folder, sample):
                for path in self.report_files(round_dir):
                    found += self.read_reports(path, round_dir.name, sample)
            for report in found:
                # Real reports win over sample ones for the same unit, item and round.
                reports.setdefault((report.unit, report.item, report.round), report)
        if self.plan is None or self.errors.errors:
            return None
        order = {uid: n for n, uid in enumerate(self.plan.units)}
        rindex = {rid: n for n, rid in enumerate(self.rounds)}
        ordered = sorted(reports.values(), key=lambda r: (rindex[r.round], r.date, not r.is_lead, order[r.unit],
                                                          r.item))
        files = ([self.rel(rounds_path)] if rounds_path.is_file() else []) + self.files
        return Progress(plan=self.plan, rounds=frozen_map(self.rounds), reports=tuple(ordered),
                        reporting_groups=self.reporting_groups,
                        includes_sample=include_sample and sample_dir.is_dir(), files=tuple(files))

    # ------------------------------------------------------------------ rounds.yaml
    def read_rounds(self, path: Path) -> None:
        if not path.is_file():
            self.add(path, 0, "missing-file", f"缺少轮次文件 {self.rel(path)}。",
                     "恢复该文件（可从 git 历史中找回）；它登记每一轮的标识、名称、截止日期和报告日期范围。")
            return
        raw = self.load(path)
        if raw is None or self.check(raw, "progress-rounds", path):
            return
        self.rounds_read = True
        self.declared_rounds = {entry["id"] for entry in raw["rounds"]}
        groups = raw.get("reporting_groups", list(DEFAULT_REPORTING_GROUPS))
        if self.plan is not None and "reporting_groups" in raw:
            for index, gid in enumerate(groups):
                if gid not in self.plan.groups:
                    self.add(path, raw["reporting_groups"].line_of(index), "unknown-group",
                             f"集体“{gid}”不在单位名录 data/units.yaml 的 groups 中。",
                             f"可用的集体：{'、'.join(self.plan.groups)}。")
        self.reporting_groups = tuple(groups)
        deadlines = list(self.plan.document.reporting_deadlines) if self.plan else None
        seen: dict[str, int] = {}
        previous: Round | None = None
        ok = True
        for index, entry in enumerate(raw["rounds"]):
            line = raw["rounds"].line_of(index)
            days = {}
            for key in ("deadline", "opens", "closes"):
                days[key] = self.day(path, entry.line_of(key), entry[key])
            if None in days.values():
                ok = False
                continue
            rid = entry["id"]
            if rid in seen:
                self.add(path, entry.line_of("id"), "duplicate-round", f"轮次“{rid}”与第 {seen[rid]} 行重复。",
                         "每一轮只登记一次；改正标识或删除重复的一轮。")
                ok = False
                continue
            seen[rid] = line
            rnd = Round(id=rid, label=entry["label"], line=line, **days)
            if not rnd.opens <= rnd.deadline <= rnd.closes:
                self.add(path, line, "round-window",
                         f"轮次“{rid}”的日期范围 {rnd.opens}～{rnd.closes} 不包含截止日期 {rnd.deadline}。",
                         "应满足 opens ≤ deadline ≤ closes。")
                ok = False
            if previous and rnd.opens <= previous.closes:
                self.add(path, entry.line_of("opens"), "round-overlap",
                         f"轮次“{rid}”从 {rnd.opens} 开始，但上一轮“{previous.id}”到 {previous.closes} 才结束。",
                         "各轮按时间先后排列，日期范围不能重叠：本轮的 opens 应晚于上一轮的 closes。")
                ok = False
            if deadlines is not None and str(rnd.deadline) not in deadlines:
                self.add(path, entry.line_of("deadline"), "round-deadline-mismatch",
                         f"轮次“{rid}”的截止日期 {rnd.deadline} 不是文件规定的报送截止日期。",
                         f"document.yaml 的 reporting_deadlines 是：{'、'.join(deadlines)}；两处须一致。")
                ok = False
            previous = rnd
            self.rounds[rid] = rnd
        if deadlines is not None and ok:
            have = {str(r.deadline) for r in self.rounds.values()}
            for day in deadlines:
                if day not in have:
                    self.add(path, raw.line_of("rounds"), "round-deadline-missing",
                             f"document.yaml 规定了报送截止日期 {day}，但没有哪一轮以它为截止日期。",
                             "为这个截止日期在 rounds 中登记一轮（id、label、deadline、opens、closes）。")

    def day(self, path: Path, line: int, text: str) -> date | None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.add(path, line, "invalid-date", f"日期“{text}”不存在。", "检查月份的天数，例如 6 月只有 30 天。")
            return None

    # ------------------------------------------------------------------ folders and files
    def round_dirs(self, folder: Path, sample: bool) -> list[Path]:
        out = []
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.suffix.lower() == ".md":
                continue
            if entry.is_dir():
                out.append(entry)
            elif entry.name == ROUNDS_FILE and not sample:
                continue
            else:
                self.add(entry, 0, "misplaced-file", f"{self.rel(entry)} 不在轮次目录里。",
                         f"报告文件放在轮次目录中：{self.rel(folder)}/<轮次>/<单位id>.yaml，"
                         f"例如 {self.rel(folder)}/2020-H1/jrb.yaml。")
        return out

    def report_files(self, round_dir: Path) -> list[Path]:
        out = []
        for entry in sorted(round_dir.iterdir()):
            if entry.name.startswith(".") or entry.suffix.lower() == ".md":
                continue
            if entry.is_file() and entry.suffix == ".yaml":
                out.append(entry)
            elif entry.is_file() and entry.suffix.lower() in (".yml", ".yaml"):
                self.add(entry, 0, "wrong-extension", f"文件 {entry.name} 的扩展名应为小写 .yaml。",
                         f"把文件改名为 {entry.stem}.yaml。")
            else:
                self.add(entry, 0, "unexpected-file", f"轮次目录里只能放报告文件（<单位id>.yaml），不能放 {entry.name}。",
                         "附件请上传到单位网站或政务网盘，在报告的 evidence 中写链接。")
        return out

    # ------------------------------------------------------------------ one report file
    def read_reports(self, path: Path, folder_round: str, sample: bool) -> list[Report]:
        raw = self.load(path)
        if raw is None:
            return []
        self.files.append(self.rel(path))
        failed = self.check(raw, "progress", path)
        if not isinstance(raw, dict):
            return []
        bad_top = {p[0] for p in failed if len(p) == 1}   # a top-level field of the wrong type
        # per entry: the fields that failed the schema ("" = the entry as a whole, e.g. a missing field)
        bad_fields: dict[int, set[str]] = {}
        for p in failed:
            if len(p) >= 2 and p[0] == "reports":
                bad_fields.setdefault(p[1], set()).add("/".join(map(str, p[2:])))   # "status", "evidence/1"
        rnd = self.check_round(path, raw, folder_round, bad_top)
        unit = self.check_unit(path, raw, bad_top)
        self.check_sample(path, raw, sample, bad_top)
        entries = raw.get("reports") if "reports" not in bad_top else None
        if not isinstance(entries, list):
            return []
        out: list[Report] = []
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            report = self.check_entry(path, entry, bad_fields.get(index, set()), unit, rnd, seen, sample)
            if report is not None:
                out.append(report)
        return out

    def check_round(self, path: Path, raw, folder: str, bad_top: set) -> Round | None:
        if self.rounds_read and folder not in self.declared_rounds:
            close = difflib.get_close_matches(folder.upper(), list(self.rounds), n=1, cutoff=0.5)
            self.add(path, 0, "unknown-round",
                     f"目录“{folder}”不是 rounds.yaml 中登记的轮次。",
                     (f"你是不是想放在“{close[0]}”目录？" if close else "") + f"已登记的轮次：{'、'.join(self.rounds)}。")
        declared = raw.get("round") if "round" not in bad_top else None
        if isinstance(declared, str) and declared != folder:
            self.add(path, raw.line_of("round"), "round-mismatch",
                     f"文件在“{folder}”目录中，但 round 写的是“{declared}”。",
                     f"一轮一个目录：把 round 改为 {folder}，或把文件移到 {declared} 目录（常见原因：复制上一轮的文件后忘了改）。")
        return self.rounds.get(folder)

    def check_unit(self, path: Path, raw, bad_top: set) -> str | None:
        if self.plan is None:
            return None
        stem = path.stem
        declared = raw.get("unit") if "unit" not in bad_top else None
        units = self.plan.units
        if stem not in units:
            self.add(path, 0, "unknown-unit", f"文件名“{path.name}”不是单位名录中的单位 id。",
                     self.unit_hint(stem, declared if isinstance(declared, str) else None))
            return None
        if isinstance(declared, str) and declared != stem:
            named = f"（{units[declared].name}）" if declared in units else ""
            self.add(path, raw.line_of("unit"), "unit-mismatch",
                     f"文件 {path.name} 属于{units[stem].name}（{stem}），但 unit 写的是“{declared}”{named}。",
                     f"每个单位只在自己的文件里报送：把 unit 改为 {stem}，或把文件改名为 {declared}.yaml"
                     "（常见原因：复制了别的单位的文件）。")
        return stem

    def unit_hint(self, stem: str, declared: str | None) -> str:
        plan = self.plan
        assert plan is not None
        for unit in plan.units.values():
            if stem in unit.former_ids:
                return f"“{stem}”是{unit.name}的旧 id，请把文件改名为 {unit.id}.yaml。"
        if stem in plan.groups:
            return (f"“{plan.groups[stem].name}”是集体，不单独报送：由其中每个单位用自己的 id 各交一个文件"
                    "（例如 xunwu.yaml）。")
        found = Registry(dict(plan.units), dict(plan.groups)).lookup(stem)
        if found and found[0] == "unit":
            return f"文件名要用单位 id，不用中文名称：把文件改名为 {found[1]}.yaml。"
        if declared in plan.units:
            return f"unit 写的是 {declared}（{plan.units[declared].name}），请把文件改名为 {declared}.yaml。"
        close = difflib.get_close_matches(stem.lower(), list(plan.units), n=3, cutoff=0.6)
        if close:
            return "你是不是想写“" + "”或“".join(f"{c}.yaml（{plan.units[c].name}）" for c in close) + "”？"
        return "单位 id 见 data/units.yaml（每个单位的 id: 一行），也可在网站的单位页面网址中看到。"

    def check_sample(self, path: Path, raw, sample: bool, bad_top: set) -> None:
        if "sample" in bad_top:
            return
        flagged = raw.get("sample") is True
        if sample and not flagged:
            self.add(path, raw.line_of("sample"), "sample-not-marked",
                     f"{SAMPLE_DIR}/ 中的示例数据必须标明 sample: true。",
                     "在文件开头加一行 sample: true，示例数据只在开启 progress_sample 时显示。")
        elif not sample and "sample" in raw:
            self.add(path, raw.line_of("sample"), "sample-in-real-data",
                     f"{PROGRESS_DIR}/ 中是正式报告，不能有 sample 字段。",
                     f"示例（虚构）数据放在 {SAMPLE_DIR}/ 中；正式报告删除 sample 这一行。")

    def check_entry(self, path: Path, entry, bad: set[str], unit: str | None, rnd: Round | None,
                    seen: dict[str, int], sample: bool) -> Report | None:
        """Cross-check one report; fields that failed the schema (`bad`) or are missing are skipped,
        so one run still reports every other problem of the entry. A Report only when all is well."""
        def usable(key: str) -> bool:
            return key in entry and key not in bad

        ok = not bad
        item = day = None
        if usable("item"):
            item_line = entry.line_of("item")
            item = self.item(path, item_line, entry["item"])
            if item is not None and item.id in seen:
                self.add(path, item_line, "duplicate-report",
                         f"事项 {item.id} 在本轮已有报告（第 {seen[item.id]} 行），同一单位、同一事项每轮只报一次。",
                         "把两条合并成一条，或改正事项编号。")
                ok = False
            if item is not None:
                seen.setdefault(item.id, item_line)
        role = via = None
        if item is not None and unit is not None and self.plan is not None:
            found = self.roles[item.id].get(unit)
            if found is None:
                self.add(path, entry.line_of("item"), "unit-not-assigned",
                         f"{self.plan.units[unit].name}不是事项 {item.id}（{_label(self.plan, item)}）的牵头单位或责任单位，"
                         "不能报送该事项。", self.assigned_hint(item))
                ok = False
            else:
                role, via = found
        if usable("date"):
            day = self.day(path, entry.line_of("date"), entry["date"])
            if day is not None and rnd is not None and not rnd.accepts(day):
                self.add(path, entry.line_of("date"), "date-outside-round",
                         f"报告日期 {day} 不在轮次“{rnd.id}”（{rnd.label}）的报告期 {rnd.opens}～{rnd.closes} 内。",
                         "date 写填报本条报告的日期；若是另一轮的报告，请放到那一轮的目录中。")
                ok = False
        status, percent = entry.get("status"), entry.get("percent")
        if usable("status") and usable("percent") and (
                (status == "已完成" and percent != 100) or (status == "未启动" and percent != 0)):
            want = 100 if status == "已完成" else 0
            self.add(path, entry.line_of("percent"), "percent-status-mismatch",
                     f"状态是“{status}”，完成百分比却是 {percent}。",
                     f"“{status}”的 percent 只能是 {want}（或删除 percent）；尚未全部完成请把状态写成“推进中”。")
            ok = False
        links = entry.get("evidence", []) if usable("evidence") else []
        for index, url in enumerate(links):
            if f"evidence/{index}" not in bad and not _is_http(url):
                self.add(path, links.line_of(index), "evidence-not-http",
                         f"佐证链接“{url}”不是 http:// 或 https:// 开头的网址。",
                         "只能填网页地址，例如 https://www.ganzhou.gov.cn/…；不能填本机路径、邮箱或 javascript: 等。")
                ok = False
        if not ok or item is None or day is None or unit is None or rnd is None:
            return None
        return Report(unit=unit, item=item.id, round=rnd.id, status=status, description=entry["description"].strip(),
                      date=day, percent=percent, evidence=tuple(links), role=role, via_group=via,
                      late=day > rnd.deadline, sample=sample, file=self.rel(path), line=entry.line)

    @cached_property
    def roles(self):
        return item_roles(self.plan)

    def item(self, path: Path, line: int, item_id: str) -> Item | None:
        if self.plan is None:
            return None
        if item_id in self.plan.items:
            return self.plan.items[item_id]
        self.add(path, line, "unknown-item", f"事项“{item_id}”不存在。", self.item_hint(item_id))
        return None

    def item_hint(self, item_id: str) -> str:
        plan = self.plan
        assert plan is not None
        normal = _normalise_item(item_id)
        by_label = {_label(plan, i).replace("-", ""): i.id for i in plan.items.values()}
        guess = normal if normal in plan.items else by_label.get(normal.replace("-", ""))
        if guess:
            return f"事项编号写成“{guess}”（{_label(plan, plan.items[guess])}：{_short(plan.items[guess].text)}）。"
        close = difflib.get_close_matches(normal, list(plan.items), n=3, cutoff=0.6)
        if close:
            return "你是不是想写" + "、".join(f"“{c}”（{_short(plan.items[c].text)}）" for c in close) + "？"
        return "事项编号是“类别-序号”，例如 3-1-16、1-7；见网站事项页面的编号或 data/2020/items/。"

    def assigned_hint(self, item: Item) -> str:
        def names(entries):
            return "、".join(e.printed for e in entries) or "无"
        return (f"该事项的牵头单位：{names(item.lead)}；责任单位：{names(item.responsible)}。"
                "通过集体（如 各县（市、区）、市直(驻市)有关部门）分配到的单位也可以报送。请检查事项编号。")


def _label(plan: Plan, item: Item) -> str:
    """"三（一）16", as printed in the attachment table."""
    return f"{plan.categories[item.category].label}{item.no}"


def _normalise_item(text: str) -> str:
    """Fold the usual ways of writing an item number: full-width digits and dashes, dots, spaces,
    brackets ("三（一）16" stays a label)."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[.．。、_/—–－‐]", "-", text)
    return text.replace("(", "（").replace(")", "）")


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _is_http(url) -> bool:
    if not isinstance(url, str) or re.search(r"\s", url.strip()) or url != url.strip():
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


__all__ = ["STATUSES", "NO_REPORT", "Round", "Report", "ItemStatus", "StatusSummary", "UnitRound", "Change",
           "Progress", "combine", "load_progress", "load_plan_and_progress", "sample_enabled"]
