"""Progress pages (issue 8, phase 2) against workplan.progress: one build of a project copy with the
example round switched on (PROGRESS_SAMPLE=true), a build date after the first deadline
(SOURCE_DATE_EPOCH = 2020-07-15, so 2020-H1 is the current round and its missing reports are
overdue) and one extra real report with hostile text; and the real site (`built_site`, setting
off), which must show no sample text and say 尚无报告.

The dashboard (2020/progress/) is checked against cells written down in tests/expected_progress.py
(who owes what derived from the YAML by tests/raw_plan.py, not by the code under test). The other
pages' expectations come from Progress (tests/test_progress.py checks Progress itself); those tests
check that every page shows exactly what it says. The deadline-day logic is checked on Site.render,
without another build.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import expected_progress as xp
import pytest
import raw_plan
import yaml
from expected_counties import COUNTY_PAGES
from openpyxl import load_workbook
from site_fixtures import build_copy, built_site, project_copy  # noqa: F401  (session fixture)

from workplan import exports
from workplan.load import load_plan
from workplan.pages import Site, build_date
from workplan.progress import NO_REPORT, STATUSES, load_progress

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2020, 7, 15)
EPOCH = 1594771200            # 2020-07-15T00:00:00Z = 08:00 in Ganzhou
H1, H2 = "2020-H1", "2020-H2"
BANNER = "示例数据，非真实进展"

# A real report (not sample) added to the copy: 瑞金市 is responsible for 2-3 through 各县（市、区）.
HOSTILE_DESC = '<script>alert(1)</script>{{ config }} & "引号"\n\n[点我](javascript:alert(2)) *强调*'
HOSTILE_URL = 'https://example.com/a?b=1&c="><script>alert(3)</script>'
HOSTILE_REPORT = f"""\
unit: ruijin
round: {H1}
reports:
  - item: 2-3
    status: 推进中
    percent: 20
    date: 2020-06-30
    description: {json.dumps(HOSTILE_DESC, ensure_ascii=False)}
    evidence:
      - '{HOSTILE_URL}'
"""


# --------------------------------------------------------------------------- the sample build

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = project_copy(tmp_path_factory.mktemp("progress") / "project")
    (root / "data/2020/progress" / H1).mkdir(parents=True, exist_ok=True)
    (root / "data/2020/progress" / H1 / "ruijin.yaml").write_text(HOSTILE_REPORT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sample_site(project) -> Path:
    saved = {k: os.environ.get(k) for k in ("PROGRESS_SAMPLE", "SOURCE_DATE_EPOCH", "PROGRESS_AS_OF")}
    os.environ.update(PROGRESS_SAMPLE="true", SOURCE_DATE_EPOCH=str(EPOCH))
    os.environ.pop("PROGRESS_AS_OF", None)
    try:
        return build_copy(project, project.parent / "site")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def plan(project):
    return load_plan(project)


@pytest.fixture(scope="module")
def progress(project, plan):
    p = load_progress(project, plan, include_sample=True)
    assert p.includes_sample and len(p.reports) > 15
    return p


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def unit_url(unit) -> str:
    return f"{'counties' if unit.is_place else 'units'}/{unit.id}"


class Rows(HTMLParser):
    """Rows of one table (by id): (tr attributes, [cell text], [<a> attributes])."""

    def __init__(self, text: str, table_id: str):
        super().__init__(convert_charrefs=True)
        self.table_id, self.depth, self.rows = table_id, 0, []
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == self.table_id:
            self.depth = 1
        elif self.depth and tag == "table":
            self.depth += 1
        if not self.depth:
            return
        if tag == "tr":
            self.rows.append((a, [], []))
        elif tag in ("td", "th") and self.rows:
            self.rows[-1][1].append("")
        elif tag == "a" and self.rows:
            self.rows[-1][2].append(a)

    def handle_endtag(self, tag):
        if self.depth and tag == "table":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.rows and self.rows[-1][1]:
            self.rows[-1][1][-1] += data


def rows(text: str, table_id: str, attr: str) -> list[tuple[dict, list[str], list[dict]]]:
    """The body rows (those carrying `attr`) of table#table_id."""
    found = Rows(text, table_id).rows
    assert found, f"no table #{table_id}"
    return [(a, [c.strip() for c in cells], links) for a, cells, links in found if attr in a]


def attr_of(text: str, element_id: str) -> dict[str, str]:
    m = re.search(rf'<[a-z]+ [^>]*id="{re.escape(element_id)}"[^>]*>', text)
    assert m, f"no #{element_id}"
    return {k: html.unescape(v) for k, v in re.findall(r'([a-z-]+)="([^"]*)"', m.group(0))}


# --------------------------------------------------------------------------- item pages

def test_item_pages_show_the_latest_status_and_every_report(sample_site, plan, progress):
    with_reports = 0
    for item in plan.items.values():
        text = read(sample_site, f"2020/items/{item.id}")
        st = progress.latest[item.id]
        status = attr_of(text, "progress-status")
        assert status["data-status"] == (st.status if st else NO_REPORT), item.id
        assert status.get("data-round") == (st.round if st else None), item.id
        if st and st.percent is not None:
            assert f'data-percent="{st.percent}"' in text
        timeline = progress.timeline(item.id)
        if not timeline:
            assert 'id="timeline-empty"' in text and "尚无报告" in text, item.id
            continue
        with_reports += 1
        got = rows(text, "timeline", "data-round")
        assert [(a["data-round"], a["data-unit"], a["data-status"], a["data-role"]) for a, _, _ in got] == \
               [(r.round, r.unit, r.status, r.role) for r in timeline], item.id
        for (a, cells, links), r in zip(got, timeline):
            assert cells[0] == progress.rounds[r.round].label
            assert cells[1].startswith(r.date.isoformat()) and ("逾期报送" in cells[1]) == r.late
            assert cells[2].startswith(plan.units[r.unit].name) and ("牵头" in cells[2]) == r.is_lead
            assert cells[4] == (f"{r.percent}%" if r.percent is not None else "—")
            assert cells[5] == r.description.replace("\n", "")
            evidence = [x for x in links if "rel" in x]
            assert [x["href"] for x in evidence] == list(r.evidence)
            assert all(x["rel"] == "noopener nofollow" for x in evidence)
            assert ("示例" in cells[3]) == r.sample
    assert with_reports == 7   # the sample covers 6 items; the hostile report a 7th
    # 3-1-8: the lead (金融办) said 受阻 in H1 and 推进中 in H2; 寻乌县's late H2 report is marked.
    text = read(sample_site, "2020/items/3-1-8")
    assert attr_of(text, "progress-status")["data-status"] == "推进中" and "逾期报送" in text


def test_an_item_without_reports_says_so_plainly(sample_site, progress):
    assert not progress.timeline("3-7-1")
    text = read(sample_site, "2020/items/3-7-1")
    assert attr_of(text, "progress-status")["data-status"] == NO_REPORT
    assert re.search(r'最新状态：<span class="wp-badge wp-st-none" data-status="尚无报告">尚无报告</span>', text)


def test_hostile_report_text_is_shown_literally(sample_site):
    text = read(sample_site, "2020/items/2-3")
    assert "<script>alert" not in text and 'href="javascript:' not in text
    assert "{{ config }}" in text, "Jinja syntax in data is text, not evaluated"
    got = rows(text, "timeline", "data-round")
    row = next(r for r in got if r[0]["data-unit"] == "ruijin")
    assert row[1][5] == HOSTILE_DESC.replace("\n", ""), "the description, exactly, as one HTML block"
    assert "<em>" not in text.split('id="timeline"')[1].split("</table>")[0], "no Markdown inside the timeline"
    (link,) = [a for a in row[2] if "rel" in a]
    assert link["href"] == HOSTILE_URL and link["rel"] == "noopener nofollow"
    assert "责任（经集体分配：各县（市、区））" in row[1][2]


# --------------------------------------------------------------------------- unit and county pages

def test_unit_and_county_summaries_and_missing_lists(sample_site, plan, progress):
    assert progress.current_round(TODAY).id == H1
    checked = 0
    for unit in plan.units.values():
        text = read(sample_site, unit_url(unit))
        assert 'id="progress"' in text and BANNER in text
        summary = progress.unit_summary(unit.id, H1)
        if not summary.total:
            assert 'id="progress-none"' in text, unit.id
            continue
        checked += 1
        got = {a["data-status"]: int(a["data-count"]) for a, _, _ in rows(text, "progress-summary", "data-count")}
        assert got == dict(summary.counts), unit.id
        assert attr_of(text, "progress-summary")["data-total"] == str(summary.total)
        missing, overdue = progress.missing(unit.id, H1), progress.overdue(unit.id, H1, TODAY)
        if not missing:
            assert 'id="missing-none"' in text, unit.id
            continue
        listed = rows(text, "missing-list", "data-item")
        assert [a["data-item"] for a, _, _ in listed] == list(missing), unit.id
        assert overdue == missing, "after the deadline every missing report is overdue"
        assert attr_of(text, "missing-list")["data-overdue"] == "true"
        assert all(c[-1] == "逾期未报" for _, c, _ in listed)
    assert checked > 50
    # 市政府金融办 filed 2 of its items for H1 (推进中, 受阻); 寻乌县 2 (推进中, 推进中).
    jrb = {a["data-status"]: int(a["data-count"]) for a, _, _ in
           rows(read(sample_site, "units/jrb"), "progress-summary", "data-count")}
    assert jrb["推进中"] == 1 and jrb["受阻"] == 1 and jrb[NO_REPORT] == len(progress.unit_items("jrb")) - 2


@pytest.mark.parametrize("day,overdue", [(dt.date(2020, 6, 30), False), (dt.date(2020, 7, 1), True),
                                         (dt.date(2020, 9, 30), True), (dt.date(2020, 10, 1), False),
                                         (dt.date(2020, 12, 31), True)])
def test_overdue_turns_on_the_day_after_the_deadline(plan, progress, day, overdue):
    """Site.render with another 统计截至 day (no build): the deadline day itself is on time; after
    2020-H2's window opens (10月1日) H2 is the current round and nothing is overdue until 12月31日."""
    site = Site(plan, progress=progress, today=day)
    rnd = progress.current_round(day)
    text = site.render("units/jrb.md", "units/jrb/")
    assert attr_of(text, "missing-list")["data-round"] == rnd.id
    assert attr_of(text, "missing-list")["data-overdue"] == ("true" if overdue else "false")
    assert ("逾期未报" in text) == overdue and ("未报送（截止" in text) == (not overdue)
    assert bool(progress.overdue("jrb", rnd.id, day)) == overdue
    assert f'datetime="{day.isoformat()}"' in text


def test_build_date_follows_source_date_epoch_in_china_time():
    assert build_date({"SOURCE_DATE_EPOCH": str(EPOCH)}) == TODAY
    assert build_date({"SOURCE_DATE_EPOCH": "1593532800"}) == dt.date(2020, 7, 1)   # 2020-06-30T16:00Z
    assert build_date({"SOURCE_DATE_EPOCH": str(EPOCH)}, override="2020-06-30") == dt.date(2020, 6, 30)
    assert isinstance(build_date({}), dt.date)


# --------------------------------------------------------------------------- dashboard and history

def owed_per_unit() -> dict[str, int]:
    """unit → items it owes each round, from the YAML read plainly (tests/raw_plan.py): named, or a
    county through 各县（市、区）; registry order."""
    units, _, items = raw_plan.read()
    counties = raw_plan.members(units, "all-counties")
    return {uid: sum(1 for i in items if uid in i.named["lead"] | i.named["responsible"]
                     or (uid in counties and "all-counties" in i.groups["lead"] | i.groups["responsible"]))
            for uid in units}


def cell_text(td: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", td))).strip()


def test_dashboard_cells_as_written_down(sample_site):
    text = read(sample_site, "2020/progress")
    assert BANNER in text and f'datetime="{xp.TODAY}"' in text and "统计截至" in text
    owed = owed_per_unit()
    units = raw_plan.read()[0]
    assert sum(owed.values()) == xp.OWED_PER_ROUND and all(owed[u] == f["2020-H1"][0] for u, f in xp.FILED.items())
    board = re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', text.split('id="dashboard"')[1].split("</table>")[0], re.S)
    assert [uid for uid, _ in board] == list(owed), "every unit that owes a report, in registry order"
    for uid, row in board:
        tds = re.findall(r"<td data-round([^>]*)>(.*?)</td>", row, re.S)
        got = []
        for attrs, td in tds:
            a = dict(re.findall(r'([a-z-]+)="([^"]*)"', "data-round" + attrs))
            got.append((a["data-round"], int(a["data-expected"]), int(a["data-reported"]), int(a["data-missing"]),
                        a["data-overdue"], cell_text(td)))
        filed = xp.FILED.get(uid, {H1: (owed[uid], 0), H2: (owed[uid], 0)})
        want = []
        for rid, overdue, word in ((H1, "true", "逾期"), (H2, "false", "未报")):
            n, done = filed[rid]
            want.append((rid, n, done, n - done, overdue, f"{done}/{n} {word} {n - done}"))
        assert got == want, uid
        if uid in xp.CELL_TEXT:
            assert [g[-1] for g in got] == xp.CELL_TEXT[uid]
        assert f'units/{uid}/#progress"' in row or f'counties/{uid}/#progress"' in row, uid
        head = re.findall(r"<th[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>", row, re.S)[0]
        name = COUNTY_PAGES[uid][0] if uid in COUNTY_PAGES else units[uid]["name"]   # as the 2020 document writes it
        assert [cell_text(c) for c in head] == [name, units[uid]["kind"]], uid
    totals = {a["data-round"]: (a, cells) for a, cells, _ in rows(text, "round-totals", "data-round")}
    assert list(totals) == [H1, H2]
    for rid, want in xp.ROUND_TOTALS.items():
        a, cells = totals[rid]
        assert {k: int(a[f"data-{k}"]) for k in ("units", "complete", "overdue", "missing", "reports")} == \
               {k: want[k] for k in ("units", "complete", "overdue", "missing", "reports")}, rid
        assert [c.replace(" ", "") for c in cells] == [
            {H1: "2020年上半年", H2: "2020年下半年"}[rid], want["deadline"], str(want["units"]), str(want["complete"]),
            str(want["partial"]), str(want["none"]), str(want["overdue"]), str(want["missing"]), str(want["reports"])], rid


def test_dashboard_status_per_category_as_written_down(sample_site):
    text = read(sample_site, "2020/progress")
    got = {a["data-category"]: ([int(c) for c in cells[1:6]], int(cells[6])) for a, cells, _ in
           rows(text, "category-status", "data-category")}
    assert got == xp.CATEGORY_STATUS
    assert [s for s in re.findall(r'<th scope="col">.*?data-status="([^"]+)"', text.split('id="category-status"')[1]
                                  .split("</thead>")[0])] == [*STATUSES, NO_REPORT]


def test_history_lists_the_changes_between_rounds(sample_site, progress):
    text = read(sample_site, "2020/progress/history")
    assert BANNER in text
    changes = progress.changes(H1, H2)
    assert changes, "the sample has changes between H1 and H2"
    got = re.findall(r'<tr data-item="([^"]+)" data-before="([^"]+)" data-after="([^"]+)">', text)
    assert got == [(c.item, c.before_status or NO_REPORT, c.after_status or NO_REPORT) for c in changes]


# --------------------------------------------------------------------------- the item table and exports

def test_table_status_filter(sample_site, plan, progress):
    text = read(sample_site, "2020/table")
    assert BANNER in text
    for s in (*STATUSES, NO_REPORT):
        assert f'<option value="{s}">{s}</option>' in text
    blob = json.loads(html.unescape(re.search(r'id="wp-filter-data">(.*?)</script>', text, re.S).group(1)))
    want = {iid: (st.status if st else NO_REPORT) for iid, st in progress.latest.items()}
    assert {iid: e["status"] for iid, e in blob["items"].items()} == want
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    links = re.findall(r'href="([^"]*table/\?[^"]*status=[^"]*)"', read(sample_site, "2020/progress"))
    assert links
    states = [dict(p.split("=", 1) for p in html.unescape(h.split("?", 1)[1]).split("&")) for h in links]
    script = ("const f = require(process.argv[1]); const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(input.states.map(s => f.filterIds(input.data, "
              "f.parseState('?' + Object.entries(s).map(([k, v]) => k + '=' + v).join('&'), '')))));")
    done = subprocess.run([node, "-e", script, str(ROOT / "docs/assets/filter.js")],
                          input=json.dumps({"data": blob, "states": states}), capture_output=True, text=True,
                          check=True, timeout=60)
    for state, ids in zip(states, json.loads(done.stdout)):
        status, cat = unquote(state["status"]), state.get("cat")
        expect = [i for i, it in plan.items.items() if want[i] == status
                  and (not cat or it.category == cat or it.part == cat)]
        assert ids == expect, state


def test_exports_carry_the_status(sample_site, plan, progress):
    raw = (sample_site / "downloads/items.csv").read_bytes()
    table = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    latest = progress.latest
    assert [(r["标识"], r["落实状态"], r["状态所属轮次"], r["完成百分比"]) for r in table] == [
        (i, st.status if st else NO_REPORT, st.round if st else "",
         str(st.percent) if st and st.percent is not None else "") for i, st in latest.items()]
    data = json.loads((sample_site / "api/items.json").read_text("utf-8"))
    assert [(i["status"], i["status_round"], i["percent"]) for i in data["items"]] == [
        (st.status, st.round, st.percent) if st else (NO_REPORT, None, None) for st in latest.values()]
    unit = json.loads((sample_site / "api/units/jrb.json").read_text("utf-8"))
    assert {i["id"]: i["status"] for i in unit["items"]}["3-1-8"] == "推进中"
    wb = load_workbook(io.BytesIO((sample_site / "downloads/items.xlsx").read_bytes()))
    assert any(BANNER in str(v) for row in wb["说明"].iter_rows(values_only=True) for v in row)


def test_every_progress_page_carries_the_banner(sample_site, plan):
    pages = ["2020/progress", "2020/progress/history", "2020/table", *(f"2020/items/{i}" for i in plan.items),
             *(unit_url(u) for u in plan.units.values())]
    for url in pages:
        text = read(sample_site, url)
        assert BANNER in text and f'datetime="{TODAY.isoformat()}"' in text, url


# --------------------------------------------------------------------------- the real site

def test_real_site_shows_no_sample_and_says_no_report(built_site, plan):
    leaks = []
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".js", ".xml", ".txt"):
            data = path.read_bytes()
            if "【示例】".encode() in data or BANNER.encode() in data or b"progress-sample/" in data:
                leaks.append(str(path.relative_to(built_site)))
        elif path.is_file() and path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                if any("【示例】".encode() in z.read(n) for n in z.namelist()):
                    leaks.append(str(path.relative_to(built_site)))
    assert not leaks, leaks[:20]
    real = load_progress(ROOT, plan)
    assert not real.includes_sample
    for iid in ("1-1", "3-1-8"):
        text = read(built_site, f"2020/items/{iid}")
        want = real.latest[iid]
        assert attr_of(text, "progress-status")["data-status"] == (want.status if want else NO_REPORT)
        if not real.timeline(iid):
            assert "尚无报告" in text
    assert "统计截至" in read(built_site, "2020/progress") and 'id="dashboard"' in read(built_site, "2020/progress")
    assert 'id="progress"' in read(built_site, "units/czj")
    # Items no real report mentions (read from the files themselves) are 尚无报告 in the API, whether
    # or not reports have come in by now: the sample must not leak a status.
    filed = {e["item"] for f in (ROOT / "data/2020/progress").glob("*/*.yaml")
             for e in (yaml.safe_load(f.read_text("utf-8")) or {}).get("reports") or []}
    data = json.loads((built_site / "api/items.json").read_text("utf-8"))
    quiet = [i for i in data["items"] if i["id"] not in filed]
    assert len(quiet) >= 100 and {i["status"] for i in quiet} == {NO_REPORT}


def test_site_without_any_progress_folder_says_no_report(plan):
    """No progress/ at all (Site without progress): every page still renders and says 尚无报告."""
    site = Site(plan, today=TODAY)
    assert "尚无报告" in site.render("2020/items/1-1.md", "2020/items/1-1/")
    assert "尚无报告" in site.render("units/czj.md", "units/czj/")
    assert "尚无报告" in site.render("2020/progress/index.md", "2020/progress/")
    assert "尚无报告" in site.render("2020/progress/history.md", "2020/progress/history/")
    assert exports.item_record(plan, plan.items["1-1"])["status"] == NO_REPORT
