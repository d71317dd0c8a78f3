"""Page helpers for an edition's progress reports (issue 8) and reporting templates (issue 13):
statuses, a unit's block for the current round, the dashboard, the history, the template links."""
from __future__ import annotations

import datetime as dt
from functools import cached_property

from ..progress import NO_REPORT, ItemStatus, StatusSummary, UnitRound, is_http, role_words

# CSS class of each status badge and bar (docs/assets/site.css).
STATUS_CLASS = {"未启动": "wp-st-todo", "推进中": "wp-st-doing", "已完成": "wp-st-done", "受阻": "wp-st-blocked",
                NO_REPORT: "wp-st-none"}


class ProgressMixin:
    """Mixed into EditionSite (self.plan, self.progress, self.today, self.file_href …)."""

    @property
    def sample(self) -> bool:
        """Sample (invented) progress is shown: every page with progress carries the banner."""
        return self.progress.includes_sample

    @cached_property
    def current_round(self):
        return self.progress.current_round(self.today)

    def status_class(self, status: str | None) -> str:
        return STATUS_CLASS[status or NO_REPORT]

    def latest(self, item_id: str) -> ItemStatus | None:
        return self.progress.latest[item_id]

    def round_index(self, round_id: str) -> int:
        return list(self.progress.rounds).index(round_id)

    def round_label(self, round_id: str | None) -> str:
        return self.progress.rounds[round_id].label if round_id in self.progress.rounds else ""

    def day(self, day: dt.date) -> str:
        """6月30日"""
        return f"{day.month}月{day.day}日"

    def bar(self, part: int, total: int) -> str:
        """A progress bar's width in percent, as CSS text ("37.5%"); the numbers are ours, not data."""
        return f"{(100.0 * part / total if total else 0.0):.1f}%"

    def role_of(self, unit_id: str, item_id: str) -> str:
        """牵头 / 责任, with the group it comes through: 责任（经集体分配：各县（市、区））."""
        role, via = self.progress.roles[item_id].get(unit_id, ("responsible", None))
        return role_words(self.plan, role, via)

    def report_role(self, report) -> str:
        return role_words(self.plan, report.role, report.via_group)

    def is_http(self, url: str) -> bool:
        """Evidence links become <a href> only for http(s) (the validator refuses the rest)."""
        return is_http(url)

    def unit_progress(self, unit_id: str) -> dict | None:
        """The unit page's progress block for the current round: summary over its items, the
        expected items it has not reported on, whether they are overdue. None: no rounds."""
        rnd = self.current_round
        if rnd is None:
            return None
        ur: UnitRound = self.progress.unit_round(unit_id, rnd.id, self.today)
        summary: StatusSummary = self.progress.unit_summary(unit_id, rnd.id)
        return {"round": rnd, "summary": summary, "missing": ur.missing, "overdue": ur.overdue,
                "expected": ur.expected, "past_deadline": rnd.past_deadline(self.today),
                "has_reports": self.progress.has_reports(rnd.id)}

    def template_links(self, unit_id: str, here: str) -> list[dict]:
        """The unit's reporting templates (workplan/reporting/), the current round first, then the
        others newest first: round, relative href, the file name offered for saving."""
        from ..reporting.sendout import site_paths
        from ..reporting.template import template_file_name

        if not self.progress.reportable(unit_id):
            return []
        rounds = list(self.progress.rounds.values())[::-1]
        if self.current_round in rounds:
            rounds.remove(self.current_round)
            rounds.insert(0, self.current_round)
        name = self.plan.name_of(unit_id)
        return [{"round": r, "href": self.file_href(site_paths(r.id, unit_id), here),
                 "file_name": template_file_name(name, r.label)} for r in rounds]

    def template_table(self, here: str) -> dict:
        """The downloads page's table of reporting templates: per round its zip, per unit (those
        with something to report on) the expected and optional item counts and a link per round."""
        from ..reporting.sendout import site_paths
        from ..reporting.template import template_file_name, template_units

        p, rounds = self.progress, list(self.progress.rounds.values())
        rows = []
        for uid in template_units(p):
            name, expected = self.plan.name_of(uid), len(p.expected[uid])
            rows.append({"unit": self.plan.units[uid], "name": name, "expected": expected,
                         "optional": len(p.reportable(uid)) - expected,
                         "links": [{"round": r, "href": self.file_href(site_paths(r.id, uid), here),
                                    "file_name": template_file_name(name, r.label)} for r in rounds]})
        return {"rounds": [{"round": r, "zip": self.file_href(site_paths(r.id), here)} for r in rounds],
                "rows": rows}

    @cached_property
    def report_to(self) -> str:
        from ..reporting.template import report_to

        return report_to(self.plan)

    @cached_property
    def dashboard(self) -> tuple[tuple[str, tuple[UnitRound, ...]], ...]:
        return self.progress.dashboard(self.today)

    def round_totals(self) -> list[dict]:
        """Per round, over the dashboard's units: how many owe reports, have filed all, some, none;
        how many are overdue; how many reports were filed."""
        out = []
        for n, rnd in enumerate(self.progress.rounds.values()):
            cells = [rounds[n] for _, rounds in self.dashboard]
            owing = [c for c in cells if c.expected]
            out.append({"round": rnd, "units": len(owing),
                        "complete": sum(1 for c in owing if c.complete),
                        "partial": sum(1 for c in owing if c.missing and len(c.missing) < len(c.expected)),
                        "none": sum(1 for c in owing if len(c.missing) == len(c.expected)),
                        "overdue": sum(1 for c in cells if c.overdue),
                        "has_reports": self.progress.has_reports(rnd.id),
                        "reports": len(self.progress.round_reports(rnd.id)),
                        "missing": sum(len(c.missing) for c in cells),
                        "past_deadline": rnd.past_deadline(self.today)})
        return out

    def category_summaries(self) -> list[tuple]:
        """(category, StatusSummary of the latest statuses) for every category."""
        p = self.progress
        return [(c, p.category_summary(c.id)) for c in self.plan.categories.values()]

    def total_summary(self) -> StatusSummary:
        return self.progress.items_summary(self.plan.items)

    def round_pairs(self) -> list[tuple]:
        """(from round, to round, changes) for every two consecutive rounds."""
        rounds = list(self.progress.rounds.values())
        return [(a, b, self.progress.changes(a.id, b.id)) for a, b in zip(rounds, rounds[1:])]
