"""Hostile data is shown literally: nothing in data/ can become HTML, Markdown, Jinja or a link.

One copy of the project gets hostile values in every text field a page shows — item text, unit
name / alias / full name / note, county and group names, point and part titles, point text,
document fields, the attachment title, an erratum — and is built ONCE per module with --strict.
Each value carries a tag (U名, P题 …) so a test can tell where a string came from. The tests
then read the BUILT HTML of every page kind and search/search_index.json and assert:

- every value appears literally as text (entities decoded, whitespace ignored), wherever a
  tag occurs the whole value follows (or a "…"-shortened title of it), so nothing was cut
  up into markup;
- nothing became active: no <script>alert, no on* attribute, no javascript: or http://evil
  URL, no <img src=x>, no HTML comment from data, no dump of the MkDocs config;
- tables keep one cell per column in every row;
- the exports (api/*.json, downloads/*.csv) hold the exact strings, and stand-alone SVG charts
  are well-formed XML with the names as text.

Page titles (<title>, header, nav) use full-width look-alikes for < > & " ' { } by design
(workplan.pages.safe_title: MkDocs' theme environment does not autoescape); that form is
accepted there and asserted for the pages whose title comes from data.

Holes found were fixed; their tests stay as regressions.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from helpers_html import URL_ATTRS, Page, html_files
from site_fixtures import build_copy, by_id, edit_yaml, project_copy
from workplan.load import load_plan
from workplan.pages import Site, safe_title

# --------------------------------------------------------------------------- the payloads

HOSTILE = ('<script>alert(1)</script><img src=x onerror=alert(1)> javascript:alert(1) '
           '[x](javascript:alert(1)) [y](http://evil) <http://evil.example> | *bold* _x_ **b** `c` '
           '<!-- c --> {{ config }} {% include "x" %} {% raw %} {# j #} &amp; &lt; 𠀀😀')
# Multi-line: a Markdown heading, table, HTML block and an unbalanced Jinja end tag on lines of their own.
BLOCK = '\n# heading\n\n| a | b |\n|---|---|\n| c | d |\n\n<div>\n\n*e*\n\n</div>\n{% endraw %}\n- list'


def one_line(tag: str) -> str:
    """A hostile single-line value; starts with "# " so a heading would form at a line start."""
    return f"# {tag}{HOSTILE}"


def block(tag: str) -> str:
    return one_line(tag) + BLOCK


# The page kinds, by a page of each in the hostile build.
PAGES = {
    "home": "index.html",
    "points": "2020/points/index.html",
    "categories": "2020/categories/index.html",
    "category": "2020/categories/1/index.html",
    "items": "2020/items/index.html",
    "item": "2020/items/1-1/index.html",
    "units": "units/index.html",
    "unit": "units/zxb/index.html",
    "county": "counties/ruijin/index.html",
    "county-collective": "counties/zhanggong/index.html",
    "group": "groups/all-counties/index.html",
}
ERRATUM_ORIGINAL = "<img src=x onerror=alert(2)>"   # at the end of item 1-2's text, so the rest stays whole
VALUES = {   # tag → hostile value, and where it goes in data/
    "I文": f"<r>{block('I文')}</r>",      # item 1-1 text; <r>…</r> is XlsxWriter's rich-text markup
    "I2": one_line("I2") + ERRATUM_ORIGINAL,   # item 1-2 text, carries an erratum
    "E应": one_line("E应"), "E注": one_line("E注"),   # erratum should_be / note
    "U名": one_line("U名"), "U别": one_line("U别"), "U全": block("U全"), "U注": block("U注"),   # unit zxb
    "C名": one_line("C名"), "C别": one_line("C别"), "C全": block("C全"), "C注": block("C注"),   # county ruijin
    "G名": one_line("G名"), "G别": one_line("G别"), "G注": block("G注"),                        # group all-counties
    "A题": one_line("A题"),                                              # attachment title
    "P部": one_line("P部"), "P题": one_line("P题"), "P文": block("P文"),   # body part 一, point 1
    "D题": one_line("D题"), "D发": one_line("D发"), "D号": one_line("D号"),
    "D总": block("D总"), "D求": one_line("D求"),                           # document
}
EXPECT = {   # page kind → tags its body must show
    "home": ["D发", "D号", "D总", "D求"],          # D题 (the home H1): see test_home_heading_is_literal
    "points": ["D题", "P部", "P题", "P文"],
    "categories": ["A题"],
    "category": ["I文", "I2", "E应", "U名", "C别", "G名", "P题"],
    "items": ["A题", "I文", "I2", "E应", "U名", "C别", "G名"],
    "item": ["I文", "U名", "C别", "G名", "G注", "P题", "D号"],
    "units": ["U名", "U别", "U全", "C名", "G名"],
    "unit": ["U名", "U别", "U全", "U注", "I文", "I2"],
    "county": ["C名", "C别", "C全", "C注", "I文"],
    "county-collective": ["I文", "G名"],
    "group": ["G名", "G别", "G注", "I文", "C名", "C别"],
}
# The page whose search-index entries must carry each value (others may exclude derived lists).
SEARCH_EXPECT = {"": ["D发", "D号", "D总", "D求"], "2020/points/": ["D题", "P部", "P题", "P文"],
                 "2020/categories/": ["A题"], "2020/items/1-1/": ["I文", "U名", "C别", "G名", "P题"],
                 "2020/items/1-2/": ["I2", "E应"], "units/zxb/": ["U名"], "counties/ruijin/": ["C名"],
                 "groups/all-counties/": ["G名", "G注"]}


def squash(text: str) -> str:
    """Whitespace (and the U+200B the search plugin inserts between Chinese words) removed."""
    return re.sub(r"[\s\u200b]+", "", text)


def _forms(tag: str) -> set[str]:
    tail = VALUES[tag][VALUES[tag].index(tag):]
    # as text, in a page title's full-width form, or JSON-encoded (the API page's example)
    return {squash(tail), squash(safe_title(tail)), squash(json.dumps(tail, ensure_ascii=False)[1:-1])}


FORMS = {tag: _forms(tag) for tag in VALUES}
TAGS = re.compile("|".join(map(re.escape, sorted(VALUES, key=len, reverse=True))))


def intact_everywhere(text: str) -> list[str]:
    """Every occurrence of a tag in `text` must be followed by its whole value, or by the first
    part of it and "…" (a shortened title), literally or in the full-width title form."""
    if not TAGS.search(text):
        return []
    flat = squash(text)
    problems = []
    for m in TAGS.finditer(flat):
        tag, rest = m.group(), flat[m.start():]
        forms = FORMS[tag]
        if any(rest.startswith(f) for f in forms):
            continue
        cut = rest.split("…", 1)[0]
        if "…" in rest and any(f.startswith(cut) for f in forms):
            continue
        problems.append(f"{tag}: {rest[:90]!r}")
    return problems


def literal_missing(text: str, tags) -> list[str]:
    flat = squash(text)
    return [tag for tag in tags if squash(VALUES[tag]) not in flat]


# --------------------------------------------------------------------------- the hostile project

_edit, _by_id = edit_yaml, by_id


def hostile_project(dest: Path, category_titles: bool = False) -> Path:
    """A project copy with VALUES in place. Category titles stay clean unless asked (they reach the
    nav of every page; see test_category_titles_are_literal)."""
    project = project_copy(dest)
    data = project / "data"
    year = data / "2020"
    v = VALUES

    def units(u):
        _by_id(u["units"], "zxb").update(name=v["U名"], full_name=v["U全"], note=v["U注"],
                                         aliases=["市振兴办", v["U别"]], former_ids=["old-zxb"])
        _by_id(u["units"], "ruijin").update(name=v["C名"], full_name=v["C全"], note=v["C注"],
                                            aliases=["瑞金市", v["C别"]])
        group = _by_id(u["groups"], "all-counties")
        group.update(name=v["G名"], note=v["G注"], aliases=[*group["aliases"], "各县（市、区）", v["G别"]])

    def items(x):
        x["items"][0].update(text=v["I文"], lead=[v["U名"]], responsible=[v["C别"], v["G名"]])
        x["items"][1].update(text=v["I2"])

    def attachment(a):
        a["title"] = v["A题"]
        if category_titles:
            a["parts"][0]["title"] = one_line("K1")
            a["parts"][2]["categories"][0]["title"] = one_line("K31")

    def points(p):
        p["parts"][0]["title"] = v["P部"]
        p["parts"][0]["points"][0].update(title=v["P题"], text=v["P文"])

    def document(d):
        d.update(title=v["D题"], issuer=v["D发"], doc_no=v["D号"], general_requirements=v["D总"])
        d["requirements"][0] = v["D求"]

    def errata(e):
        e["errata"].append({"ref": "1-2", "original": ERRATUM_ORIGINAL, "should_be": v["E应"], "note": v["E注"]})

    _edit(data / "units.yaml", units)
    _edit(year / "items" / "1.yaml", items)
    _edit(year / "attachment.yaml", attachment)
    _edit(year / "points.yaml", points)
    _edit(year / "document.yaml", document)
    _edit(year / "errata.yaml", errata)
    return project


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(project, site) — the hostile project, validated, then built once with --strict."""
    base = tmp_path_factory.mktemp("hostile")
    project = hostile_project(base / "project")
    load_plan(project)   # a clear failure here if the payloads above stopped being schema-valid
    return project, build_copy(project, base / "site")


@pytest.fixture(scope="module")
def hostile_site(hostile) -> Path:
    return hostile[1]


@pytest.fixture(scope="module")
def hostile_pages(hostile_site):
    return {kind: Page.read(hostile_site / rel) for kind, rel in PAGES.items()}


@pytest.fixture(scope="module")
def search_docs(hostile_site):
    return json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


# --------------------------------------------------------------------------- what must not happen

def active_content(page: Page, only_inside: str | None = None, outside: str | None = None) -> list[str]:
    """Everything on a page that data could have made executable or navigable (optionally only
    within, or only outside, elements of one tag name)."""
    def wanted(ancestors, tag=None):
        here = set(ancestors) | {tag}
        return (only_inside is None or only_inside in here) and (outside is None or outside not in here)

    found = []
    for e in page.elements:
        if not wanted(e.ancestors, e.tag):
            continue
        where = f"<{e.tag}> in {'/'.join(e.ancestors[-3:])}"
        for name, value in e.attrs.items():
            if name.startswith("on"):
                found.append(f"{where}: event handler {name}={value!r}")
            plain = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name in URL_ATTRS and (plain.startswith(("javascript:", "vbscript:", "data:text/html"))
                                      or "://evil" in plain):
                found.append(f"{where}: {name}={value!r}")
        if e.tag == "img" and e.attrs.get("src") == "x":
            found.append(f"{where}: <img src=x>")
        if e.tag in ("iframe", "object", "embed", "base"):
            found.append(f"{where}: <{e.tag}>")
    for where, attrs, code in page.script_nodes:
        if not wanted(where):
            continue
        if attrs.get("type", "text/javascript") in ("application/json", "application/ld+json"):
            try:   # data may sit in a JSON script, escaped so that it cannot close the element
                json.loads(code)
            except ValueError:
                found.append(f"<script type=json> broken open: {code.strip()[:60]!r}")
        elif "alert(" in code:
            found.append(f"<script> running {code.strip()[:60]!r}")
    found += [f"HTML comment from data: <!--{c}-->" for where, c in page.comment_nodes
              if c.strip() in ("c", "j") and wanted(where)]
    return found


def config_dump(html: str) -> bool:
    return "config_file_path" in html or "'site_name':" in html or "markdown_extensions" in html


# --------------------------------------------------------------------------- every page kind

@pytest.mark.parametrize("kind", list(PAGES))
def test_page_body_shows_every_value_literally(hostile_pages, kind):
    page = hostile_pages[kind]
    text = page.article_text
    missing = literal_missing(text, EXPECT[kind])
    assert not missing, f"{PAGES[kind]}: not shown literally: {missing}"
    if kind == "home":   # the H1 of the home page is docs/index.md's: see test_home_heading_is_literal
        text = page.text_in("article", outside=("h1",))
    broken = intact_everywhere(text)
    assert not broken, f"{PAGES[kind]}: values cut into markup:\n" + "\n".join(broken)


@pytest.mark.parametrize("kind", list(PAGES))
def test_nothing_from_data_becomes_active(hostile_site, hostile_pages, kind):
    page = hostile_pages[kind]
    found = active_content(page, outside="h1" if kind == "home" else None)
    assert not found, f"{PAGES[kind]}:\n" + "\n".join(found)
    assert not config_dump((hostile_site / PAGES[kind]).read_text(encoding="utf-8")), \
        f"{PAGES[kind]}: {{{{ config }}}} from data was rendered"
    for e in page.elements:   # attribute text (title=, aria-label=) is literal too
        for name in ("title", "aria-label", "alt"):
            if name in e.attrs and not (kind == "home" and "h1" in e.ancestors):
                broken = intact_everywhere(e.attrs[name])
                assert not broken, f"{PAGES[kind]}: <{e.tag} {name}=…> {broken}"


@pytest.mark.parametrize("kind", list(PAGES))
def test_tables_keep_their_columns(hostile_pages, kind):
    for n, rows in enumerate(hostile_pages[kind].tables):
        assert len(set(rows)) <= 1, f"{PAGES[kind]}: table {n + 1} has rows of {sorted(set(rows))} cells: {rows}"


def test_items_index_keeps_one_row_per_item(hostile, hostile_pages):
    plan = load_plan(hostile[0])
    tables = hostile_pages["items"].tables
    assert tables and sum(len(rows) for rows in tables) == len(plan.items) + len(tables), \
        "one header row per table and one row per item: a value split or merged rows"


@pytest.mark.parametrize("kind,src", [("unit", "units/zxb.md"), ("county", "counties/ruijin.md"),
                                      ("group", "groups/all-counties.md"), ("item", "2020/items/1-1.md")])
def test_titles_from_data_use_the_lookalike_form(hostile, hostile_pages, kind, src):
    """<title> (and Material's header, which prints page.title raw) shows the value with < > & " ' { }
    swapped for full-width look-alikes, never raw markup or braces Jinja could read."""
    spec = Site(load_plan(hostile[0])).specs[src]
    title = hostile_pages[kind].title
    assert safe_title(spec.title) in title, f"{PAGES[kind]}: <title> {title!r}"
    assert not set("<>{}") & set(title), f"{PAGES[kind]}: raw markup characters in <title> {title!r}"


def test_erratum_on_hostile_text(hostile_site):
    page = Page.read(hostile_site / "2020/items/1-2/index.html")
    sic = page.find("span", **{"class": "wp-sic"})
    assert len(sic) == 1, "the erratum is marked once"
    assert sic[0].attrs["title"] == f"原文如此，应为“{VALUES['E应']}”。{VALUES['E注']}"
    assert squash(VALUES["I2"]) in squash(page.article_text)
    assert squash(f"〔原文如此，应为“{VALUES['E应']}”〕") in squash(page.article_text)
    assert not active_content(page)


def test_redirect_page_for_a_former_id(hostile_site):
    html = (hostile_site / "units/old-zxb/index.html").read_text(encoding="utf-8")
    page = Page.parse(html)
    assert page.title == VALUES["U名"]
    assert squash(VALUES["U名"]) in squash(page.all_text)
    assert not active_content(page)


def test_no_page_in_the_site_has_active_content(hostile_site):
    """Beyond the sampled page kinds: every built HTML file (all items, units, counties …)."""
    problems = []
    for path in html_files(hostile_site):
        rel = str(path.relative_to(hostile_site))
        html = path.read_text(encoding="utf-8")
        page = Page.parse(html)
        problems += [f"{rel}: {p}" for p in active_content(page, outside="h1" if rel == "index.html" else None)]
        if config_dump(html):
            problems.append(f"{rel}: config dump")
        if rel != "index.html":
            problems += [f"{rel}: {p}" for p in intact_everywhere(page.article_text)]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:40])


# --------------------------------------------------------------------------- search index

ALLOWED_SEARCH_TAGS = {"p", "code", "ul", "ol", "li", "pre"}   # what Material keeps of a page's HTML


def test_search_index_holds_values_literally(search_docs):
    """The index text is HTML the search dialog inserts as such: decoded, it must be the value."""
    problems = []
    for loc, tags in SEARCH_EXPECT.items():
        docs = [d for d in search_docs if d["location"].split("#")[0] == loc]
        text = "\n".join(Page.parse(d["title"]).all_text + "\n" + Page.parse(d["text"]).all_text for d in docs)
        if loc == "":   # the home H1 (docs/index.md) is test_home_heading_is_literal's
            text = "\n".join(Page.parse(d["text"]).all_text for d in docs)
        problems += [f"{loc or '(home)'}: {tag} missing" for tag in literal_missing(text, tags)]
    assert not problems, "\n".join(problems)


def test_search_index_creates_no_markup(search_docs):
    problems = []
    for d in search_docs:
        if d["location"] == "":   # home title: test_home_heading_is_literal
            fields = ("text",)
        else:
            fields = ("title", "text")
        for field in fields:
            page = Page.parse(d[field])
            for e in page.elements:
                if e.tag not in ALLOWED_SEARCH_TAGS or e.attrs:
                    problems.append(f"{d['location']} {field}: <{e.tag} {e.attrs}>")
            if page.comments:
                problems.append(f"{d['location']} {field}: comment {page.comments}")
            problems += [f"{d['location']} {field}: {p}" for p in intact_everywhere(page.all_text)]
        if config_dump(d["text"]):
            problems.append(f"{d['location']}: config dump")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:40])


# --------------------------------------------------------------------------- exports (JSON API, CSV)

def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def test_exports_hold_values_exactly(hostile_site):
    """Every JSON file under api/ and CSV file under downloads/: the values are exact strings."""
    json_files = sorted((hostile_site / "api").rglob("*.json")) if (hostile_site / "api").is_dir() else []
    csv_files = sorted((hostile_site / "downloads").rglob("*.csv")) if (hostile_site / "downloads").is_dir() else []
    if not json_files and not csv_files:
        pytest.skip("the build writes no exports")
    problems, seen = [], set()
    for path in json_files + csv_files:
        rel = str(path.relative_to(hostile_site))
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".json":
            cells = list(_strings(json.loads(text)))
        else:
            cells = [cell for row in csv.reader(text.splitlines(keepends=True)) for cell in row]
        seen.update(cell for cell in cells if cell in VALUES.values())
        problems += [f"{rel}: {p}" for cell in cells for p in intact_everywhere(cell)]
    for tag in ("I文", "U名", "G名", "C名"):
        if VALUES[tag] not in seen:
            problems.append(f"{tag}: no export has it as an exact value")
    assert not problems, "\n".join(problems[:40])


def test_xlsx_files_hold_values_exactly(hostile_site):
    """Every workbook under downloads/ (item lists, reporting templates) opens, and its cells hold
    the values exactly. Item 1-1's text is shaped like XlsxWriter's rich-text markup (<r>…</r>),
    which XlsxWriter itself would have written into the file as XML (see workplan/xlsxfast.py)."""
    from openpyxl import load_workbook

    books = sorted((hostile_site / "downloads").rglob("*.xlsx"))
    assert books
    problems, seen = [], set()
    for path in books:
        rel = str(path.relative_to(hostile_site))
        cells = [c for ws in load_workbook(path).worksheets for row in ws.iter_rows(values_only=True)
                 for c in row if isinstance(c, str)]
        seen.update(cell for cell in cells if cell in VALUES.values())
        problems += [f"{rel}: {p}" for cell in cells for p in intact_everywhere(cell)]
    for tag in ("I文", "U名"):   # item 1-1's text; its lead, as printed
        if VALUES[tag] not in seen:
            problems.append(f"{tag}: no workbook has it as an exact value")
    assert not problems, "\n".join(problems[:40])


def test_svg_files_hold_values_as_text(hostile_site):
    """Stand-alone SVG charts (opened directly they run their own scripts): well-formed XML, no
    script/foreignObject/event handler, names as text."""
    import xml.etree.ElementTree as ET

    svgs = [p for p in hostile_site.rglob("*.svg") if "assets" not in p.relative_to(hostile_site).parts]
    if not svgs:
        pytest.skip("the build writes no SVG files")
    problems, seen = [], ""
    for path in svgs:
        rel = str(path.relative_to(hostile_site))
        root = ET.parse(path).getroot()   # raises if data broke the XML
        for e in root.iter():
            tag = e.tag.rsplit("}", 1)[-1]
            if tag in ("script", "foreignObject", "iframe"):
                problems.append(f"{rel}: <{tag}>")
            problems += [f"{rel}: <{tag} {k}=…>" for k, v in e.attrib.items()
                         if k.rsplit("}", 1)[-1].startswith("on") or v.strip().lower().startswith("javascript:")]
        text = "".join(root.itertext())
        seen += text
        problems += [f"{rel}: {p}" for p in intact_everywhere(text)]
    assert "U名" in seen, "the hostile unit name is in no chart (the top-lead chart should have it)"
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- regressions (holes found and fixed)

# Was: docs/index.md rendered the document title through mkdocs-macros unescaped (now `| md`).


def test_home_heading_is_literal(hostile_pages, search_docs):
    page = hostile_pages["home"]
    h1 = page.text_in("h1")
    assert squash(VALUES["D题"]) in squash(h1), f"home H1 is {h1!r}"
    found = active_content(page, only_inside="h1")
    assert not found, "\n".join(found)
    home = [d for d in search_docs if d["location"] == ""]
    assert squash(VALUES["D题"]) in squash(Page.parse(home[0]["title"]).all_text)
    assert not Page.parse(home[0]["title"]).elements


# Was: hooks._extend_nav put raw category titles into the nav (Material prints them unescaped).


def test_category_titles_are_literal(tmp_path):
    """A separate build: hostile category titles reach the nav of every page."""
    project = hostile_project(tmp_path / "project", category_titles=True)
    site = build_copy(project, tmp_path / "site")
    k1, k31 = one_line("K1"), one_line("K31")
    for rel in ("2020/categories/1/index.html", "2020/categories/3/index.html", "2020/categories/index.html",
                "about/index.html"):
        html = (site / rel).read_text(encoding="utf-8")
        page = Page.parse(html)
        assert not config_dump(html), f"{rel}: {{{{ config }}}} in a category title was rendered"
        found = active_content(page)
        assert not found, f"{rel}:\n" + "\n".join(found)
        nav_text = page.text_in("nav")
        assert squash(safe_title(k1)) in squash(nav_text) or squash(k1) in squash(nav_text), f"{rel}: nav"
    assert squash(k1) in squash(Page.read(site / "2020/categories/1/index.html").article_text)
    assert squash(k31) in squash(Page.read(site / "2020/categories/3/index.html").article_text)


# --------------------------------------------------------------------------- URLs from data

@pytest.mark.parametrize("where", ["unit id", "former id", "group id", "category id"])
def test_data_cannot_form_a_javascript_url(data_copy, where):
    """Every URL the site builds from data uses an id; ids are schema-restricted, so a
    `javascript:` (or any scheme / path) value is rejected at validation time."""
    evil = "javascript:alert(1)"
    if where == "category id":
        _edit(data_copy.path("data/2020/attachment.yaml"), lambda a: a["parts"][0].update(id=evil))
    else:
        def change(u):
            if where == "unit id":
                _by_id(u["units"], "czj")["id"] = evil
            elif where == "former id":
                _by_id(u["units"], "czj")["former_ids"] = [evil]
            else:
                _by_id(u["groups"], "city-depts")["id"] = evil
        _edit(data_copy.path("data/units.yaml"), change)
    assert data_copy.errors(), "rejected by the validator"
