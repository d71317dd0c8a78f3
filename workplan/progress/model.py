"""The read-only model of progress reports: rounds, reports, item statuses, summaries and the
`Progress` indexes the pages and exports query. The rules it implements are stated in
workplan/progress/__init__.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Iterable, Mapping

from ..model import Plan, frozen_map

STATUSES = ("未启动", "推进中", "已完成", "受阻")
NO_REPORT = "尚无报告"          # the bucket of summaries for items without a report
PROGRESS_DIR = "progress"
SAMPLE_DIR = "progress-sample"
ROUNDS_FILE = "rounds.yaml"
DESCRIPTION_MAX = 300           # keep in step with schema/progress.schema.json
DEFAULT_REPORTING_GROUPS = ("all-counties",)
ROLE_WORDS = {"lead": "牵头", "responsible": "责任"}


def role_words(plan: Plan, role: str, via_group: str | None) -> str:
    """How a unit takes part in an item, as pages, downloads and the reporting template word it:
    牵头, 责任, 责任（经集体分配：各县（市、区））."""
    return ROLE_WORDS[role] + (f"（经集体分配：{plan.groups[via_group].name}）" if via_group else "")

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
    overdue: bool               # missing is not empty, today > deadline, and the round has reports

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
        order = self.plan.item_order
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
        return frozen_map((k, tuple(sorted(v, key=self.plan.item_order.__getitem__))) for k, v in out.items())

    def reportable(self, unit_id: str) -> tuple[str, ...]:
        """Item ids the unit may report on (named, or through any group), official order: the rows
        of its reporting template. `expected[unit_id]` is the subset it is chased for."""
        return self._reportable.get(unit_id, ())

    @cached_property
    def _reportable(self) -> dict[str, tuple[str, ...]]:
        # Indexed once: a unit page asks for its unit's items several times, and a scan of every
        # item per question made unit pages grow with the plan (100×: most of a build's excess).
        out: dict[str, list[str]] = {}
        for iid, units in self.roles.items():
            for uid in units:
                out.setdefault(uid, []).append(iid)
        return {uid: tuple(ids) for uid, ids in out.items()}

    def previous_report(self, unit_id: str, item_id: str, round_id: str) -> Report | None:
        """The unit's own latest report on the item from a round before `round_id`."""
        before = self._round_index[self.round(round_id).id]
        found = [r for r in self.by_unit[unit_id] if r.item == item_id and self._round_index[r.round] < before]
        return found[-1] if found else None

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

    @cached_property
    def _rounds_with_reports(self) -> frozenset[str]:
        return frozenset(r.round for r in self.reports)

    def has_reports(self, round_id: str) -> bool:
        """The site holds at least one report of the round (until then nothing is overdue)."""
        return self.round(round_id).id in self._rounds_with_reports

    def chasing(self, round_id: str, today: date) -> bool:
        """Missing reports of the round count as overdue: past the deadline and reports are in."""
        return self.round(round_id).past_deadline(today) and self.has_reports(round_id)

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
        ids = {r.item for r in self.by_unit[unit_id]}.union(self.expected[unit_id])
        order = self.plan.item_order
        return tuple(sorted((iid for iid in ids if iid in order), key=order.__getitem__))

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
        """missing() once the deadline has passed (today > deadline) and the round has reports, else ()."""
        return self.missing(unit_id, round_id) if self.chasing(round_id, today) else ()

    def unit_round(self, unit_id: str, round_id: str, today: date) -> UnitRound:
        rid = self.round(round_id).id
        missing = self.missing(unit_id, rid)
        reported = tuple(r.item for r in self.by_unit[unit_id] if r.round == rid)
        return UnitRound(unit=unit_id, round=rid, expected=self.expected[unit_id], reported=reported,
                         missing=missing, overdue=bool(missing) and self.chasing(rid, today))

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


