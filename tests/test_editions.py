"""Every year on one site (issue 14), tested on a two-edition project (tests/editions.py: this
repository's data plus a 2021 plan imported from tests/fixtures/edition-2021/ by the real importer)
and on the real site:

- the importer reads the 2021 document; the newest year is the default; each edition's pages say
  their year and lead to the same page in the other year;
- every address of the 2020-only site (tests/fixtures/urls-2020.txt, taken from the site as it
  was published) still answers, over HTTP and in the file:// bundle, and lands on 2020's content;
- a unit renamed with a new id (市扶贫办 → 市乡村振兴局) and a county renamed (龙南县 → 龙南市): old
  addresses, each edition's name, the years table;
- downloads and the JSON API per year and across years; search over both years; link integrity;
- validation of a second edition.

Expected numbers are read from the documents by the tests' own parser (plan_helpers.parse_seed) or
written down from the fixture's README, never from workplan's loaders.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from editions import FIXTURE, FORMER_IDS, two_edition_project, two_edition_site  # noqa: F401  (session fixture)
from helpers_html import Page, find_broken, html_files, land, report, resolve
from plan_helpers import SOURCE, parse_seed, squash
from site_fixtures import ROOT, built_site, offline_site  # noqa: F401  (session fixtures)

from workplan import search
from workplan.errors import PlanInvalid
from workplan.load import load_editions

URLS_2020 = [line for line in (Path(__file__).parent / "fixtures" / "urls-2020.txt").read_text(encoding="utf-8")
             .splitlines() if line and not line.startswith("#")]
# The pages of the 2020 plan that moved under 2020/ (the rest kept their address: the home page,
# units, counties, groups, downloads, API, about).
MOVED = ("points/", "categories/", "items/", "matrix/", "charts/", "table/", "progress/")


@pytest.fixture(scope="module")
def seed2020():
    return parse_seed(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed2021():
    return parse_seed((FIXTURE / "source.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def two(two_edition_site) -> Path:  # noqa: F811
    return two_edition_site


def text_of(site: Path, rel: str) -> str:
    return re.sub(r"\s+", " ", Page.read(site / rel).article_text)


def file_for(site: Path, url: str, offline: bool) -> Path:
    """The file that answers `url` (a directory URL of the published site): over HTTP a folder
    means its index.html; in the bundle a page is <path>.html or <path>/index.html."""
    if url == "./":
        return site / "index.html"
    if not url.endswith("/"):
        return site / url
    if not offline:
        return site / url / "index.html"
    flat, folder = site / (url.rstrip("/") + ".html"), site / url / "index.html"
    return flat if flat.is_file() else folder


# --------------------------------------------------------------------------- the second edition

def test_the_importer_reads_the_2021_document(tmp_path, seed2021):
    project = two_edition_project(tmp_path / "project")
    editions = load_editions(project)
    assert editions.years == (2020, 2021)
    plan = editions.plans[2021]
    assert (plan.document.doc_no, plan.document.date) == (seed2021.doc_no, seed2021.date) == \
        ("赣苏振领发〔2021〕1号", "2021-03-26")
    assert len(plan.items) == seed2021.total == 114   # the fixture's README: 10 + 14 + 90
    assert {cat: len([i for i in plan.items.values() if i.category == cat]) for cat in ("1", "2", "3-1", "3-5", "3-7")} \
        == {"1": 10, "2": 14, "3-1": 37, "3-5": 11, "3-7": 6}
    for row in seed2021.rows:
        assert squash(plan.items[row.id].text) == row.text, row.id
    # Renumbered: 2020's 一-4 is 2021's 一-3 (一-3 was removed), the same words.
    assert plan.items["1-3"].text == editions.plans[2020].items["1-4"].text
    # The 2021 document writes the new names; each edition shows its own.
    assert plan.name_of("xczxj") == "市乡村振兴局" and editions.plans[2020].name_of("xczxj") == "市扶贫办"
    assert plan.name_of("longnan") == "龙南市" and editions.plans[2020].name_of("longnan") == "龙南县"


def test_the_newest_edition_is_the_default(two):
    home = Page.read(two / "index.html")
    assert "赣南苏区振兴发展2021年工作要点" in home.article_text
    nav = {e.attrs.get("href") for e in home.elements if e.tag == "a" and "md-tabs__link" in e.attrs.get("class", "")}
    assert {"2021/points/", "2021/items/", "units/", "editions/"} <= nav, nav
    assert not [h for h in nav if h and h.startswith("2020/")], nav
    editions = text_of(two, "editions/index.html")
    assert editions.index("赣苏振领发〔2021〕1号") < editions.index("赣苏振领发〔2020〕1号")


@pytest.mark.parametrize(("page", "same_page_next_year"), [
    ("2020/categories/3-3/index.html", "2021/categories/3-3/index.html"),
    ("2020/points/index.html", "2021/points/index.html"),
    ("2020/items/1-3/index.html", "2021/items/index.html"),   # an item number means another item in 2021
])
def test_an_older_page_says_so_and_leads_to_the_newest(two, page, same_page_next_year):
    found = Page.read(two / page)
    assert "这是 2020 年的工作要点（赣苏振领发〔2020〕1号）的页面。最新一年是 2021 年" in re.sub(r"\s+", " ", found.article_text)
    targets = {resolve(two, two / page, e.attrs["href"])[0] for e in found.elements if e.tag == "a" and e.in_article}
    assert two / same_page_next_year in targets


def test_every_edition_page_names_its_year(two):
    """The year switcher on every page of an edition, with the page's own year marked current."""
    missing = []
    for year in (2020, 2021):
        for path in html_files(two / str(year)):
            page = Page.read(path)
            current = [e for e in page.elements if e.attrs.get("aria-current") == "page" and e.tag == "strong"]
            if not current or f"{year} 年" not in page.article_text:
                missing.append(str(path.relative_to(two)))
    assert not missing, missing[:10]
    assert len(list(html_files(two / "2021"))) >= 114 + 10


# --------------------------------------------------------------------------- the 2020 addresses

@pytest.mark.parametrize("site_name", ["built_site", "two"])
def test_every_2020_address_still_answers(request, site_name):
    """Each address of the 2020-only site answers on today's site and on the two-edition one: a
    page moved under 2020/ redirects there, the others are where they were, a file is 2020's file."""
    site = request.getfixturevalue(site_name)
    renamed = FORMER_IDS if site_name == "two" else {}

    def now(url: str) -> str:   # where the 2020 page or file is on this site
        url = re.sub(r"^(units|api/units|downloads/units)/([^/.]+)", lambda m: f"{m[1]}/{renamed.get(m[2], m[2])}", url)
        return "2020/" + url if url.startswith(MOVED) else url

    problems = []
    for url in URLS_2020:
        answer = file_for(site, url, offline=False)
        if not answer.is_file():
            problems.append(f"{url}: nothing at {answer.relative_to(site)}")
        elif url.endswith("/") or url.endswith(".html"):
            landed, want = land(site, answer), file_for(site, now(url), offline=False)
            if landed != want:
                problems.append(f"{url}: lands on {landed.relative_to(site)}, not {want.relative_to(site)}")
        else:
            same = site / re.sub(r"^(downloads|api)/(?!schema/)", r"\1/2020/", now(url))
            if answer.read_bytes() != same.read_bytes():
                problems.append(f"{url}: differs from {same.relative_to(site)}")
    assert len(URLS_2020) == 429
    assert not problems, f"{len(problems)} address(es):\n  " + "\n  ".join(problems[:30])


def test_every_2020_address_answers_in_the_file_bundle(offline_site):  # noqa: F811
    """The same addresses in the file:// build, where a page is a .html file."""
    problems = []
    for url in URLS_2020:
        if url == "404.html":   # only ever served by a web server (not in the bundle)
            continue
        answer = file_for(offline_site, url, offline=True)
        if not answer.is_file():
            problems.append(f"{url}: nothing at {answer.relative_to(offline_site)}")
            continue
        landed = land(offline_site, answer)
        if url.startswith(MOVED):
            moved = file_for(offline_site, "2020/" + url, offline=True)
            if landed != moved:
                problems.append(f"{url}: lands on {landed.relative_to(offline_site)}, not {moved.relative_to(offline_site)}")
        elif landed != answer:
            problems.append(f"{url}: redirects to {landed.relative_to(offline_site)}")
    assert not problems, f"{len(problems)} address(es):\n  " + "\n  ".join(problems[:30])


def test_an_old_item_address_shows_the_2020_item_not_the_renumbered_one(two, seed2020):
    """items/1-3/ was 2020's 一-3; 2021's 一-3 is another item. The old address keeps its meaning."""
    landed = land(two, two / "items/1-3/index.html")
    assert landed == two / "2020/items/1-3/index.html"
    row = next(r for r in seed2020.rows if r.id == "1-3")
    assert row.text in squash(Page.read(landed).article_text)


def test_the_performance_page_left_a_notice(two):
    page = Page.read(two / "performance/index.html")
    assert "已移走" in page.article_text and "maintainers/performance.md" in page.article_text


# --------------------------------------------------------------------------- renamed units

def test_a_unit_renamed_with_a_new_id(two):
    assert land(two, two / "units/fpb/index.html") == two / "units/xczxj/index.html"
    page = text_of(two, "units/xczxj/index.html")
    assert re.search(r"<h1[^>]*>([^<]*)", (two / "units/xczxj/index.html").read_text(encoding="utf-8"))[1] == "市乡村振兴局"
    years = _years_table(two, "units/xczxj/index.html")
    assert [row[:2] for row in years] == [["2021 年", "市乡村振兴局"], ["2020 年", "市扶贫办"]]
    assert "2020 年的文件写作“市扶贫办”；2021年3月起为市乡村振兴局。" in page
    assert "名称沿革市扶贫办（至2021年3月）；现称市乡村振兴局" in page
    # On 2020's item page the unit is printed as that document wrote it, linking to its one page.
    item = Page.read(two / "2020/items/3-4-10/index.html")
    links = [e for e in item.elements if e.tag == "a" and e.in_article and "units/xczxj/" in e.attrs.get("href", "")]
    assert links and "市扶贫办" in item.article_text and "市乡村振兴局" not in _facts(item)


def test_the_link_checker_follows_former_id_redirects_to_the_renamed_unit(two):
    """units/<former id>/ is a redirect page (workplan/hooks.py _write_redirects); find_broken
    follows it: its meta refresh, its link and its script lead to units/<new id>/, and a link to
    the old address with a fragment is checked against the page it lands on."""
    assert FORMER_IDS
    for old, new in FORMER_IDS.items():
        path = two / f"units/{old}/index.html"
        page = Page.read(path)
        assert [u for t, a, u in page.links() if a == "refresh"] == [f"../{new}/"]
        assert [e.attrs["href"] for e in page.find("a")] == [f"../{new}/"]
        assert f'location.replace("../{new}/" + location.search + location.hash)' in "".join(page.scripts)
        broken, checked = find_broken(two, {path: page})
        assert (dict(broken), checked) == ({}, 2)
        assert land(two, path) == two / f"units/{new}/index.html"
        probe = two / "probe/index.html"     # parsed only, never written: the session's site stays as built
        links = Page.parse(f'<a href="../units/{old}/#duty">ok</a><a href="../units/{old}/#nope">no</a>'
                           f'<a href="../units/{old}/">ok</a>')
        broken, checked = find_broken(two, {probe: links})
        assert checked == 3
        assert broken["probe/index.html"] == [f"<a href='../units/{old}/#nope'> → no id 'nope' in units/{new}/index.html"]


def test_a_county_renamed(two):
    years = _years_table(two, "counties/longnan/index.html")
    assert [row[:2] for row in years] == [["2021 年", "龙南市"], ["2020 年", "龙南县"]]
    assert "龙南县" in _facts(Page.read(two / "2020/items/3-3-4/index.html"))
    assert "龙南市" in _facts(Page.read(two / "2021/items/3-3-4/index.html"))


def _years_table(site: Path, rel: str) -> list[list[str]]:
    """The rows of a unit page's 各年度的事项 table, as text cells."""
    source = (site / rel).read_text(encoding="utf-8")
    table = source[source.index('id="unit-years"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in rows]


def _facts(page: Page) -> str:
    return page.article_text.split("落实情况")[0]


@pytest.mark.parametrize("unit", ["市财政局", "市发改委", "市交通运输局"])
def test_the_years_table_counts_what_each_document_assigns(two, seed2020, seed2021, unit):
    """牵头 and 配合 per year on a unit's page: the rows of that year's attachment naming the unit
    (“X等……” names X)."""
    unit_id = {"市财政局": "czj", "市发改委": "fgw", "市交通运输局": "jtysj"}[unit]
    rows = {row[0]: row for row in _years_table(two, f"units/{unit_id}/index.html")}
    for year, seed in (("2021 年", seed2021), ("2020 年", seed2020)):
        def names(cell):
            return any(e == unit or e.startswith(unit + "等") for e in cell)
        lead = sum(names(r.lead) for r in seed.rows)
        responsible = sum(names(r.responsible) and not names(r.lead) for r in seed.rows)
        assert rows[year][2:4] == [str(lead), str(responsible)], (unit, year, rows[year])


def test_a_units_page_has_a_section_per_year(two):
    page = Page.read(two / "units/czj/index.html")
    assert {"y2021", "y2020", "lead", "lead-2020", "years"} <= page.ids
    assert page.article_text.index("2021 年牵头事项") < page.article_text.index("2020 年牵头事项")


# --------------------------------------------------------------------------- files and API

def test_editions_json_lists_every_year_and_where_its_files_are(two):
    data = json.loads((two / "api/editions.json").read_text(encoding="utf-8"))
    assert (data["latest"], data["legacy_year"]) == (2021, 2020)
    assert [(e["year"], e["doc_no"], e["items"], e["points"]) for e in data["editions"]] == [
        (2021, "赣苏振领发〔2021〕1号", 114, 21), (2020, "赣苏振领发〔2020〕1号", 113, 21)]
    for edition in data["editions"]:
        for path in edition["files"].values():
            assert (two / path).is_file(), path
            assert path.startswith((f"api/{edition['year']}/", f"downloads/{edition['year']}/")), path


def test_all_items_across_years(two, seed2020, seed2021):
    data = json.loads((two / "api/all/items.json").read_text(encoding="utf-8"))
    assert data["count"] == len(data["items"]) == seed2020.total + seed2021.total == 227
    assert Counter(i["year"] for i in data["items"]) == {2021: 114, 2020: 113}
    assert [i["year"] for i in data["items"]] == sorted((i["year"] for i in data["items"]), reverse=True)
    raw = (two / "downloads/all/items.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw.count("\ufeff".encode()) == 1
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "年度" and Counter(r[0] for r in rows[1:]) == {"2021": 114, "2020": 113}


def test_the_2020_files_keep_their_addresses(two):
    for legacy, dated in (("api/items.json", "api/2020/items.json"), ("downloads/items.csv", "downloads/2020/items.csv"),
                          ("api/units/czj.json", "api/2020/units/czj.json")):
        assert (two / legacy).read_bytes() == (two / dated).read_bytes(), legacy
    assert (two / "api/items.json").read_bytes() != (two / "api/2021/items.json").read_bytes()


# --------------------------------------------------------------------------- search

def test_search_covers_both_years_and_shows_the_year(two):
    # 二-1 says 八周年 in 2020 and 九周年 in 2021 (the fixture's README).
    [first] = search.query_index(two, "九周年", limit=1)
    assert first["location"] == "2021/items/2-1/" and "2021年" in first["title"]
    [first] = search.query_index(two, "八周年", limit=1)
    assert first["location"] == "2020/items/2-1/" and "2020年" in first["title"]
    # A phrase of both years: both items, the newest first.
    found = [r["location"] for r in search.query_index(two, "四好农村路", limit=10)]
    assert found.index("2021/items/3-4-10/") < found.index("2020/items/3-4-10/")


@pytest.mark.parametrize("query", ["市乡村振兴局", "乡村振兴局", "市扶贫办", "扶贫办"])
def test_search_finds_a_renamed_unit_by_either_name(two, query):
    assert search.query_index(two, query, limit=1)[0]["location"] == "units/xczxj/"


# --------------------------------------------------------------------------- integrity

def test_every_link_of_the_two_edition_site_resolves(two):
    pages = {path: Page.read(path) for path in html_files(two)}
    broken, checked = find_broken(two, pages)
    assert checked > 20_000, checked
    assert not broken, report(broken)


def test_a_2021_link_to_a_missing_point_names_the_file_and_line(tmp_path):
    project = two_edition_project(tmp_path / "project")
    links = project / "data/2021/links.yaml"
    text = links.read_text(encoding="utf-8")
    first = next(n for n, line in enumerate(text.splitlines(), start=1) if re.match(r'\s*"[\d-]+": \d+', line))
    lines = text.splitlines()
    lines[first - 1] = re.sub(r": \d+", ": 99", lines[first - 1], count=1)
    links.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PlanInvalid) as info:
        load_editions(project)
    [error] = info.value.errors
    assert (error.file, error.line, error.key) == ("data/2021/links.yaml", first, "link-unknown-point")

