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
- `overdue`: a unit has no report for an expected item in a round, today > the deadline
  (strictly: on 6月30日 itself nothing is overdue yet; from 7月1日 it is), AND the site holds at
  least one report of that round (`Progress.has_reports`). A round with no report at all on the
  site means the returns have not been entered yet, not that ~68 units all failed to report: the
  pages then say so in one line and mark nobody overdue, so that 逾期 stays something a reader
  can act on.
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

from .asof import CHINA, build_date
from .load import load_all, load_plan_and_progress, load_progress
from .rules import is_http
from .model import (DEFAULT_REPORTING_GROUPS, DESCRIPTION_MAX, NO_REPORT, PROGRESS_DIR, ROUNDS_FILE, SAMPLE_DIR,
                    STATUSES, Change, ItemStatus, Progress, Report, Round, StatusSummary, UnitRound, combine,
                    item_roles, role_words, sample_enabled)

__all__ = ["STATUSES", "NO_REPORT", "Round", "Report", "ItemStatus", "StatusSummary", "UnitRound", "Change",
           "Progress", "combine", "item_roles", "role_words", "load_progress", "load_plan_and_progress", "load_all", "sample_enabled", "is_http",
           "DESCRIPTION_MAX", "DEFAULT_REPORTING_GROUPS", "PROGRESS_DIR", "ROUNDS_FILE", "SAMPLE_DIR", "build_date", "CHINA"]
