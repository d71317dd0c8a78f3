"""Issue 13 on the built site: unit and county pages lead with what the unit must do, progress comes
after and compact; every unit offers its reporting templates (which exist, and are its own); the
downloads page lists them all; and a round with no report on the site marks nobody overdue."""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile

from openpyxl import load_workbook
from site_fixtures import built_site  # noqa: F401  (session fixture)

from workplan.load import ROOT, load_plan
from workplan.pages import Site
from workplan.progress import load_progress
from workplan.reporting import layout as L

ROUNDS = ("2020-H1", "2020-H2")


def read(site, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def url_of(unit) -> str:
    return f"{'counties' if unit.is_place else 'units'}/{unit.id}"


def position(text: str, needle: str) -> int:
    at = text.find(needle)
    assert at >= 0, needle
    return at


def test_unit_pages_lead_with_the_units_items(built_site, plan):
    for unit in plan.units.values():
        text = read(built_site, url_of(unit))
        first_section = 'id="named"' if unit.is_place else 'id="lead"'
        assert position(text, 'id="duty"') < position(text, first_section) < position(text, 'id="progress"'), unit.id


def test_the_duty_line_counts_what_the_document_assigns():
    """Counts written down from the attachment: 市财政局 leads 一-7 and 一-8, is named responsible in
    一-3, 二-9, 三（一）33, 三（二）6, 三（四）7, 10, 三（六）1, 2; 寻乌县 is named in 三（一）8, 16,
    三（三）4, 5 and reached through 各县（市、区） in 8 more."""
    plan = load_plan()
    site = Site(plan)
    czj = re.sub(r"<[^>]+>", "", site.render("units/czj.md", "units/czj/"))
    assert "市财政局被点名承担 10 项重大事项：牵头 2 项 · 配合 8 项" in czj
    xunwu = re.sub(r"<[^>]+>", "", site.render("counties/xunwu.md", "counties/xunwu/"))
    assert "寻乌县承担 12 项重大事项：点名承担 4 项（其中牵头 0 项） · 集体分配 8 项" in xunwu


def test_every_unit_page_offers_its_own_templates(built_site, plan):
    for unit in plan.units.values():
        text = read(built_site, url_of(unit))
        links = re.findall(r'<a href="([^"]+)" download="([^"]+)" data-round="([^"]+)">([^<]+)</a>',
                           text[position(text, 'id="templates"'):])
        assert [r for _, _, r, _ in links] == ["2020-H2", "2020-H1"], unit.id   # the current round first
        for href, name, rnd, words in links:
            label = {"2020-H1": "2020年上半年", "2020-H2": "2020年下半年"}[rnd]
            as_written = plan.name_of(unit.id)     # as the 2020 document writes it (龙南县)
            assert html.unescape(name) == f"{as_written}-{label}-落实情况填报表.xlsx"
            assert words == f"下载{as_written}{label}填报表（Excel）"
            path = (built_site / url_of(unit) / href).resolve()
            assert path == (built_site / "downloads/2020/progress" / rnd / f"{unit.id}.xlsx").resolve()
            meta = dict(load_workbook(path)[L.META_SHEET].iter_rows(values_only=True))
            assert (meta["unit"], meta["round"]) == (unit.id, rnd)


def test_the_downloads_page_lists_every_template_and_each_rounds_zip(built_site, plan):
    text = read(built_site, "2020/downloads")
    rows = re.findall(r'<tr data-unit="([a-z0-9-]+)">', text[position(text, 'id="template-table"'):])
    assert rows == list(plan.units)
    for rnd in ROUNDS:
        assert f'href="../../downloads/2020/progress/{rnd}/all-templates.zip"' in text
        with zipfile.ZipFile(built_site / "downloads/2020/progress" / rnd / "all-templates.zip") as z:
            names = z.namelist()
            assert len(names) == 1 + len(plan.units)
            czj = next(n for n in names if n.startswith("市财政局-"))
            assert z.read(czj) == (built_site / "downloads/2020/progress" / rnd / "czj.xlsx").read_bytes()


def test_no_report_on_the_site_means_nobody_is_overdue(built_site, plan):
    """The real data holds no report yet: after both deadlines the pages say the returns are not in,
    in one line, and mark nobody overdue."""
    assert not load_progress(ROOT, plan).reports
    for unit in plan.units.values():
        text = read(built_site, url_of(unit))
        assert "wp-overdue" not in text and "逾期未报" not in text, unit.id
        assert 'id="progress-not-collected"' in text or 'id="progress-none"' in text, unit.id
    dashboard = read(built_site, "2020/progress")
    assert 'data-overdue="true"' not in dashboard and "wp-overdue-cell" not in dashboard
    assert re.findall(r'<tr data-round="[^"]+"[^>]* data-overdue="(\d+)"', dashboard) == ["0", "0"]
    assert re.findall(r'data-not-collected="([^"]+)"', dashboard) == list(ROUNDS)
    assert 'id="overdue-rule"' in dashboard


def test_with_a_report_in_the_round_missing_items_are_overdue(plan):
    """The rule's other side, rendered without a build: one report of 2020-H2 on the site, and 市财政局,
    which filed nothing, is overdue after 12月30日."""
    from workplan.progress import Progress, Report

    progress = Progress(plan=plan, rounds=load_progress(ROOT, plan).rounds,
                        reports=(Report(unit="jrb", item="3-1-8", round="2020-H2", status="推进中", description="…",
                                        date=dt.date(2020, 12, 20), role="lead"),))
    site = Site(plan, progress=progress, today=dt.date(2021, 1, 5))
    text = site.render("units/czj.md", "units/czj/")
    assert 'data-overdue="true"' in text and "逾期未报" in text and 'id="progress-not-collected"' not in text
    early = Site(plan, progress=progress, today=dt.date(2020, 12, 30)).render("units/czj.md", "units/czj/")
    assert "逾期" not in early.split("{#progress")[1]


def test_the_templates_on_the_site_are_byte_identical_to_a_fresh_export(built_site, plan):
    from workplan.progress import load_plan_and_progress
    from workplan.reporting.sendout import round_books
    from workplan.reporting.template import workbook_bytes

    plan, progress = load_plan_and_progress()
    for book in round_books(plan, progress, "2020-H2")[:5]:
        assert (built_site / "downloads/2020/progress/2020-H2" / f"{book.unit}.xlsx").read_bytes() == workbook_bytes(book)
    wb = load_workbook(io.BytesIO(workbook_bytes(round_books(plan, progress, "2020-H2")[0])))
    assert wb[L.FILL_SHEET]["A1"].value.endswith("2020年下半年 重大事项落实情况填报表")
