"""Loading and validation of progress reports: rounds.yaml and one YAML file per unit and round,
with every error as file:line, a Chinese message, an English key and a hint (PlanInvalid)."""
from __future__ import annotations

import difflib
import os
import re
import unicodedata
from datetime import date
from functools import cached_property
from pathlib import Path

from .. import datafile, schema, yamlio
from ..errors import Collector, PlanInvalid
from ..load import ROOT, data_years, load_editions, load_plan
from ..model import Editions, Item, Plan, frozen_map
from ..registry import Registry
from ..yamlio import line_at
from . import rules
from .model import (DEFAULT_REPORTING_GROUPS, PROGRESS_DIR, ROUNDS_FILE, SAMPLE_DIR, STATUSES, DESCRIPTION_MAX,
                    Progress, Report, Round, item_roles)

# Field names for schema messages (schema.py words its messages with FIELD_NAMES; these are the
# progress files' fields — setdefault never changes a name the plan's files already use).
for _key, _name in {"unit": "报送单位", "round": "轮次", "reports": "报告列表", "item": "事项",
                    "status": "状态", "percent": "完成百分比", "description": "进展说明",
                    "evidence": "佐证链接", "sample": "示例数据标记", "deadline": "报送截止日期",
                    "opens": "开始日期", "closes": "结束日期", "label": "名称",
                    "reporting_groups": "逐一报送的集体"}.items():
    schema.FIELD_NAMES.setdefault(_key, _name)



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


def load_all(root: Path = ROOT, include_sample: bool = False) -> tuple[Editions, dict[int, Progress]]:
    """Every edition and its progress in one run, with every error of every year at once (the
    progress files are parsed and schema-checked even when a plan is invalid)."""
    try:
        editions = load_editions(root)
    except PlanInvalid as exc:
        errors = Collector(root)
        errors.errors.extend(exc.errors)
        data_dir = root / "data"
        for year in (data_years(data_dir) if data_dir.is_dir() else []):
            _Loader(root, data_dir / str(year), None, errors).run(include_sample)
        raise PlanInvalid(errors.errors) from None
    errors = Collector(root)
    progress = {}
    for year, plan in editions.plans.items():
        progress[year] = _Loader(root, root / "data" / str(year), plan, errors).run(include_sample)
    errors.raise_if_any()
    return editions, progress


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

    def rule(self, path: Path, line: int, problem: rules.Problem | None) -> bool:
        """Record a shared rule's problem (workplan/progress/rules.py); True when there is none."""
        if problem is not None:
            self.add(path, line, *problem)
        return problem is None

    def rel(self, path: Path) -> str:
        return self.errors.rel(path)

    def load(self, path: Path, schema_name: str):
        """Parsed YAML, or None (with an error: a syntax problem, or an empty file)."""
        before = len(self.errors.errors)
        raw = yamlio.load(path, self.errors, schema.max_depth(schema_name))
        if raw is None and len(self.errors.errors) == before:
            self.add(path, 0, "empty-file", f"文件 {path.name} 是空的。",
                     f"按 {self.rel(self.year_dir / PROGRESS_DIR)}/README.md 中的示例填写，或删除这个文件。")
        return raw

    # ------------------------------------------------------------------ schema with our wording
    def check(self, data, name: str, path: Path) -> set[tuple]:
        """Schema-check `data`; record every error; return the paths (tuples) that failed."""
        failed = set()
        found, more = schema.first_errors(data, name)
        for n, error in enumerate(found, start=1):
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
            self.add(path, line_at(data, at), f"schema-{error.validator}", message,
                     hint + (schema.MORE_ERRORS if more and n == len(found) else ""))
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
        if not os.path.lexists(path):
            self.add(path, 0, "missing-file", f"缺少轮次文件 {self.rel(path)}。",
                     "恢复该文件（可从 git 历史中找回）；它登记每一轮的标识、名称、截止日期和报告日期范围。")
            return
        raw = self.load(path, "progress-rounds")
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
            if not datafile.check_path(entry, self.errors, folder_ok=True):
                continue   # a symlink (to a folder outside, say), FIFO or device: named, not followed
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
            if not datafile.check_path(entry, self.errors, folder_ok=True):
                continue
            if entry.is_file() and entry.suffix == ".yaml":
                out.append(entry)
            elif entry.is_file() and entry.suffix.lower() in (".yml", ".yaml"):
                self.add(entry, 0, "wrong-extension", f"文件 {entry.name} 的扩展名应为小写 .yaml。",
                         datafile.rename_hint(entry, f"{entry.stem}.yaml", self.errors) + "。")
            else:
                self.add(entry, 0, "unexpected-file", f"轮次目录里只能放报告文件（<单位id>.yaml），不能放 {entry.name}。",
                         "附件请上传到单位网站或政务网盘，在报告的 evidence 中写链接。")
        return out

    # ------------------------------------------------------------------ one report file
    def read_reports(self, path: Path, folder_round: str, sample: bool) -> list[Report]:
        raw = self.load(path, "progress")
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
                     (f"你是不是想放在“{close[0]}”目录？{self.move_hint(path, close[0])}。" if close else "")
                     + f"已登记的轮次：{'、'.join(self.rounds)}。")
        declared = raw.get("round") if "round" not in bad_top else None
        if isinstance(declared, str) and declared != folder:
            self.add(path, raw.line_of("round"), "round-mismatch",
                     f"文件在“{folder}”目录中，但 round 写的是“{declared}”。",
                     f"一轮一个目录：把 round 改为 {folder}；或者{self.move_hint(path, declared)}"
                     "（常见原因：复制上一轮的文件后忘了改）。")
        return self.rounds.get(folder)

    def check_unit(self, path: Path, raw, bad_top: set) -> str | None:
        if self.plan is None:
            return None
        stem = path.stem
        declared = raw.get("unit") if "unit" not in bad_top else None
        units = self.plan.units
        if stem not in units:
            self.add(path, 0, "unknown-unit", f"文件名“{path.name}”不是单位名录中的单位 id。",
                     self.unit_hint(path, declared if isinstance(declared, str) else None))
            return None
        if isinstance(declared, str) and declared != stem:
            named = f"（{units[declared].name}）" if declared in units else ""
            self.add(path, raw.line_of("unit"), "unit-mismatch",
                     f"文件 {path.name} 属于{units[stem].name}（{stem}），但 unit 写的是“{declared}”{named}。",
                     f"每个单位只在自己的文件里报送：把 unit 改为 {stem}；或者{self.rename(path, declared)}"
                     "（常见原因：复制了别的单位的文件）。")
        return stem

    def rename(self, path: Path, unit: str) -> str:
        return datafile.rename_hint(path, f"{unit}.yaml", self.errors)

    def move_hint(self, path: Path, round_id: str) -> str:
        """Move a report to the folder of another round — a round folder beside this one's."""
        return datafile.rename_hint(path, path.name, self.errors, path.parent.parent / round_id)

    def unit_hint(self, path: Path, declared: str | None) -> str:
        plan, stem = self.plan, path.stem
        assert plan is not None
        for unit in plan.units.values():
            if stem in unit.former_ids:
                return f"“{stem}”是{unit.name}的旧 id：{self.rename(path, unit.id)}。"
        if stem in plan.groups:
            return (f"“{plan.groups[stem].name}”是集体，不单独报送：由其中每个单位用自己的 id 各交一个文件"
                    "（例如 xunwu.yaml）。")
        found = Registry(dict(plan.units), dict(plan.groups)).lookup(stem)
        if found and found[0] == "unit":
            return f"文件名要用单位 id，不用中文名称：{self.rename(path, found[1])}。"
        if declared in plan.units:
            return f"unit 写的是 {declared}（{plan.units[declared].name}）：{self.rename(path, declared)}。"
        close = difflib.get_close_matches(stem.lower(), list(plan.units), n=3, cutoff=0.6)
        if close:
            return "你是不是想写“" + "”或“".join(f"{c}.yaml（{plan.units[c].name}）" for c in close) + "”？" + "".join(
                f"{self.rename(path, c)}。" for c in close if os.path.lexists(path.with_name(f"{c}.yaml")))
        return ("单位 id 见 data/units.yaml（每个单位的 id: 一行），也可在网站的单位页面网址中看到。"
                f"如果这个单位改了 id，在 data/units.yaml 它的新条目下加 former_ids: [{stem}]，再把文件改名为新 id。")

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
            if day is not None and rnd is not None:
                ok &= self.rule(path, entry.line_of("date"), rules.date_problem(day, rnd))
        status, percent = entry.get("status"), entry.get("percent")
        if usable("status") and usable("percent"):
            ok &= self.rule(path, entry.line_of("percent"), rules.percent_status_problem(status, percent))
        links = entry.get("evidence", []) if usable("evidence") else []
        for index, url in enumerate(links):
            if f"evidence/{index}" not in bad:
                ok &= self.rule(path, links.line_of(index), rules.evidence_problem(url))
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
