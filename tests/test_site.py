"""The built site, page by page, against the plan it was built from (issue 3).

Expectations come from the model (which tests/test_plan_data.py checks against the source
document); these tests check that every page shows what the model says, links where it should
and fetches nothing from outside.
"""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from expected_attachment import LEAF_COUNTS
from expected_units_index import UNITS_INDEX
from site_fixtures import built_site  # noqa: F401  (session fixture)

from workplan.load import load_plan
from workplan.pages import pinyin_key

COUNTIES = ["章贡区", "南康区", "赣县区", "信丰县", "大余县", "上犹县", "崇义县", "安远县", "定南县", "全南县",
            "宁都县", "于都县", "兴国县", "会昌县", "寻乌县", "石城县", "瑞金市", "龙南市"]


@pytest.fixture(scope="module")
def plan():
    return load_plan()


class Page(HTMLParser):
    """The bits of a built page the tests look at: h1, ids, links, item rows per section."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.h1, self.ids, self.links, self.sections = "", set(), [], {}
        self._in_h1, self._section, self._in_article = False, None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "article":
            self._in_article = True
        if tag == "h1" and self._in_article:
            self._in_h1 = True
        if tag == "h2" and self._in_article:
            self._section = a.get("id")
            self.sections.setdefault(self._section, [])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
            if self._section and "wp-no" in getattr(self, "_td_class", ""):
                self.sections[self._section].append(a["href"])
        if tag == "td":
            self._td_class = a.get("class", "")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        if tag == "td":
            self._td_class = ""

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def page(site: Path, url: str) -> Page:
    return Page((site / url / "index.html").read_text(encoding="utf-8"))


def item_ids(hrefs) -> list[str]:
    return [re.search(r"items/([0-9-]+)/", h).group(1) for h in hrefs]


def test_every_unit_and_county_has_a_page(built_site, plan):
    """What each page lists is checked against the document in tests/test_role_pages.py."""
    for unit in plan.units.values():
        folder = "counties" if unit.is_place else "units"
        p = page(built_site, f"{folder}/{unit.id}")
        assert p.h1.replace("¶", "").strip() == unit.name


def test_counties_and_zones_in_official_order(plan):
    assert [u.name for u in plan.counties] == COUNTIES
    assert [u.name for u in plan.places][18:] == ["赣州经开区", "赣州蓉江新区"]


def test_category_pages_list_items_in_official_order(built_site):
    """Each leaf category's page lists its items 1…n, as many as the attachment declares."""
    for cat, n in LEAF_COUNTS.items():
        p = page(built_site, f"2020/categories/{cat}")
        rows = [f"{cat}-{k}" for k in range(1, n + 1)]
        assert {f"item-{i}" for i in rows} <= p.ids
        assert item_ids([h for h in p.links if re.search(r"items/[0-9-]+/$", h)])[: len(rows)] == rows
        assert f"共 {n} 项" in (built_site / f"2020/categories/{cat}/index.html").read_text("utf-8")


def test_points_link_to_items_and_items_link_back(built_site, plan):
    points = page(built_site, "2020/points")
    assert {f"point-{n}" for n in range(1, 22)} <= points.ids
    html = (built_site / "2020/points/index.html").read_text("utf-8")
    assert html.count("../items/3-1-") >= 38          # point 11 lists all of 三（一）
    item = page(built_site, "2020/items/3-1-16")
    assert "../../points/#point-11" in item.links


def test_every_item_has_a_stable_anchor_and_permalink(built_site, plan):
    index = page(built_site, "2020/items")
    assert {f"item-{i}" for i in plan.items} <= index.ids
    for item_id in plan.items:
        assert (built_site / "2020/items" / item_id / "index.html").is_file()


def units_index_sections(html: str) -> dict[str, list[str]]:
    """Kind heading → the unit names linked under it, in page order (the article only)."""
    body = html[html.index("<article"):html.index("</article>")]
    sections: dict[str, list[str]] = {}
    heading = None
    for m in re.finditer(r'<h2[^>]*>(.*?)</h2>|<a href="(?:\.\./counties/)?[a-z0-9-]+/">([^<]+)</a>', body, re.S):
        if m.group(1) is not None:
            heading = re.sub(r"<[^>]+>|&para;|¶", "", m.group(1)).strip()
            heading = re.sub(r"（\d+ 个）$", "", heading)
            sections[heading] = []
        elif heading is not None:
            sections[heading].append(m.group(2))
    return sections


def test_units_index_shows_each_kind_in_the_written_down_pinyin_order(built_site):
    html = (built_site / "units/index.html").read_text("utf-8")
    shown = {kind: names for kind, names in units_index_sections(html).items() if names}
    assert shown == UNITS_INDEX
    for kind, names in UNITS_INDEX.items():
        assert f"{kind}（{len(names)} 个）" in html, kind


def test_units_sort_the_same_as_with_pypinyins_phrase_dictionary(plan):
    """workplan.pages sorts with pypinyin's single-character readings (PYPINYIN_NO_PHRASES); with the
    full phrase dictionary, which picks readings of polyphonic characters in context, the registry
    must come out in the same order."""
    import subprocess
    import sys

    names = [u.name for u in plan.units.values()]
    ours = sorted(names, key=pinyin_key)
    assert os.environ.get("PYPINYIN_NO_PHRASES") == "1"
    # The same key function in a process where pypinyin loads its phrases ("" keeps our setdefault out).
    code = ("import json, sys; from workplan.pages import pinyin_key; from pypinyin import constants; "
            "assert len(constants.PHRASES_DICT) > 10000; "
            "print(json.dumps(sorted(json.load(sys.stdin), key=pinyin_key), ensure_ascii=False))")
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(names), capture_output=True, text=True,
                          env={**os.environ, "PYPINYIN_NO_PHRASES": ""}, check=True)
    assert json.loads(done.stdout) == ours


def test_page_titles_reach_the_head_the_nav_and_the_footer(built_site, plan):
    """Titles come from each page's front matter; hooks.on_page_content must not blank them
    (MkDocs' Page.title is None while page.markdown is None)."""
    from workplan.pages import Site, safe_title

    site = Site(plan)
    for src in ("2020/categories/3.md", "2020/items/3-1-3.md", "units/czj.md", "counties/ruijin.md", "2020/matrix.md"):
        spec = site.specs[src]
        title = safe_title(site.edition_of(spec).title(spec) if spec.edition else spec.title)
        html = (built_site / src.removesuffix(".md") / "index.html").read_text("utf-8")
        head = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert head.startswith(title.replace("&", "&amp;")), (src, head)
        assert ">None<" not in html and not re.search(r"\bNone\b", re.sub(r"<[^>]+>", " ", html)), src
    nav = (built_site / "2020/categories/3/index.html").read_text("utf-8")
    for cat in plan.categories.values():    # every category by its title in the nav (ten of them)
        assert safe_title(cat.heading) in nav, cat.id


def test_generated_pages_link_to_the_yaml_that_holds_them(built_site, plan):
    item = plan.items["3-1-16"]
    html = (built_site / "2020/items/3-1-16/index.html").read_text("utf-8")
    assert f'/edit/main/{item.file}"' in html
    html = (built_site / "units/czj/index.html").read_text("utf-8")
    assert "/edit/main/data/units.yaml" in html


def test_no_external_resources(built_site):
    fetched = re.compile(r"""<(?:script|img|iframe|source|audio|video)[^>]+src=["'](https?:)?//|"""
                         r"""<link[^>]+href=["'](https?:)?//|url\(\s*["']?(https?:)?//""")
    offenders = []
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".css"):
            text = path.read_text("utf-8", errors="replace")
            if fetched.search(text) or "fonts.googleapis" in text or "fonts.gstatic" in text:
                offenders.append(str(path.relative_to(built_site)))
    assert offenders == []


def test_bulk_pages_stay_out_of_the_navigation(built_site, plan):
    """Material writes the nav into every page; item, unit and county pages must not be in it,
    or the build turns quadratic (stack-facts)."""
    html = (built_site / "2020/items/3-1-16/index.html").read_text("utf-8")
    nav = html[html.index("md-nav--primary"):html.index("md-nav--secondary")]
    assert "items/3-1-1/" not in nav and "units/czj/" not in nav
    assert nav.count("<li") < 40


def test_points_page_keeps_text_verbatim_and_marks_errata(built_site, plan):
    html = (built_site / "2020/points/index.html").read_text("utf-8")
    assert "创建国家生态综合补尝试点" not in html            # the typo is wrapped, not removed …
    assert 'class="wp-sic"' in html and ">补尝</span>" in html and "应为“补偿”" in html
    item = (built_site / "2020/items/3-6-3/index.html").read_text("utf-8")
    assert ">补试</span>" in item
