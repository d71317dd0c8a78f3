"""Text from data cannot reorder the page around it (issue 15, point 6): a unit name, an item or a
point text pasted with a right-to-left override (U+202E), an unclosed isolate or a stray
pop-directional-isolate is shown inside a first-strong isolate (workplan/bidi.py), everywhere a
page shows it — body, headings, tables, attributes, <title>, nav, the item table's filter names,
the search index.

The check of the built pages is an independent reading of the Unicode Bidirectional Algorithm's
explicit rules (X1–X8, `explicit_state` below), not workplan.bidi: every bidi control that came
from data must sit inside an isolate (an FSI … PDI span, a <bdi> or an element with dir), and at
the end of every text — the whole page's text in document order, each attribute value, each
JSON string — no embedding, override or isolate may be left open."""
from __future__ import annotations

import json
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bidi_project import DATA_CONTROLS, FSI, LRE, LRI, LRO, PDF, PDI, RLE, RLI, RLO, VALUES, bidi_project
from site_fixtures import build_copy
from workplan.bidi import balanced, isolated, needs_isolation
from workplan.load import load_plan
from workplan.pages import safe_title
from workplan.pages.edition import jinja_env

@pytest.fixture(scope="module")
def bidi_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("bidi")
    project = bidi_project(base / "project")
    load_plan(project)   # a clear failure here if the values stopped being valid data
    return build_copy(project, base / "site")


# --------------------------------------------------------------------------- an independent reading of the UBA

def explicit_state(text: str, stack: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Run the explicit rules over `text` from `stack` (entries "E" embedding/override, "F" an
    FSI, "I" another isolate); return the final stack and the problems: a data control outside
    every isolate. PDF closes the last embedding unless an isolate was opened after it (X7); PDI
    closes the last isolate and everything opened inside it, and nothing if none is open (X6a)."""
    stack = list(stack or [])
    problems = []
    for at, ch in enumerate(text):
        if ch in DATA_CONTROLS and not any(s in "FB" for s in stack):
            problems.append(f"U+{ord(ch):04X} outside any isolate: …{text[max(0, at - 15):at + 15]!r}")
        if ch in (RLO, LRO, RLE, LRE):
            stack.append("E")
        elif ch == PDF:
            if stack and stack[-1] == "E":
                stack.pop()
        elif ch in (LRI, RLI, FSI):
            stack.append("F" if ch == FSI else "I")
        elif ch == PDI and any(s in "FIB" for s in stack):
            while stack.pop() not in "FIB":
                pass
    return stack, problems


class BidiScan(HTMLParser):
    """The page's text in document order (an element inside <body> with dir, or <bdi>, counts as
    an isolate around its content: "B" on the stack), and each attribute value on its own."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.open: list[tuple[str, bool]] = []   # (tag, isolates)
        self.problems: list[str] = []
        self.controls = 0
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and any(c in value for c in DATA_CONTROLS | {FSI}):
                self.controls += sum(value.count(c) for c in DATA_CONTROLS)
                rest, problems = explicit_state(value)
                self.problems += [f"<{tag} {name}>: {p}" for p in problems]
                if rest:
                    self.problems.append(f"<{tag} {name}>: left open {rest}: {value!r}")
        if tag in self.VOID:
            return
        # <html dir> and <body dir> set the page's direction: they isolate nothing inside the page
        isolates = tag == "bdi" or (tag not in ("html", "body") and any(name == "dir" for name, _ in attrs))
        self.open.append((tag, isolates))
        if isolates:
            self.stack.append("B")
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        while self.open:
            name, isolates = self.open.pop()
            if isolates:   # the element's end closes everything opened inside it
                while self.stack and self.stack.pop() != "B":
                    pass
            if name in ("script", "style"):
                self.skip -= 1
            if name == tag:
                break

    def handle_data(self, data):
        if self.skip:
            return
        self.controls += sum(data.count(c) for c in DATA_CONTROLS)
        self.stack, problems = explicit_state(data, self.stack)
        self.problems += problems


def scan_page(path: Path) -> BidiScan:
    scan = BidiScan()
    scan.feed(path.read_text(encoding="utf-8"))
    scan.close()
    if scan.stack:
        scan.problems.append(f"the page ends with {scan.stack} still open")
    return scan


def test_the_checker_catches_what_it_must():
    """The checker itself: a bare override, an isolate left open, a stray PDI closing ours."""
    assert explicit_state(f"a{RLO}b")[1]
    assert explicit_state(f"{FSI}a{RLI}b")[0] == ["F", "I"]
    assert explicit_state(f"{FSI}a{PDI}{RLO}b{PDI}")[1]   # the data's PDI closed our isolate: RLO escapes
    assert explicit_state(f"x{FSI}a{RLO}b{RLI}c{PDI}{PDI}y") == ([], [])


# --------------------------------------------------------------------------- the helpers

def test_isolated_keeps_the_value_and_closes_it():
    assert isolated("市财政局") == "市财政局" and isolated("Ganzhou 2020") == "Ganzhou 2020"
    assert isolated(f"甲{RLO}乙") == f"{FSI}甲{RLO}乙{PDI}"
    assert isolated(f"甲{PDI}{RLO}乙") == f"{FSI}甲{RLO}乙{PDI}"        # a stray PDI would close our FSI
    assert isolated(f"甲{RLI}乙{PDI}丙{PDI}") == f"{FSI}甲{RLI}乙{PDI}丙{PDI}"   # the matched one stays
    assert isolated("שלום") == f"{FSI}שלום{PDI}" and isolated("عربي") == f"{FSI}عربي{PDI}"
    assert balanced(f"{PDI}a{LRI}b{PDI}{PDI}") == f"a{LRI}b{PDI}"
    assert isolated(f"甲{LRI}乙{RLI}丙") == f"{FSI}甲{LRI}乙{RLI}丙{PDI}{PDI}{PDI}"   # each isolate closed


def test_templates_isolate_each_value_and_each_item_of_a_list():
    env = jinja_env()
    out = env.from_string('<p title="{{ a }}">{{ a }}：{{ names|join("、") }}</p>').render(
        a=f"甲{RLO}乙", names=[f"丙{RLO}", "丁", f"戊{LRI}"])
    assert out == (f'<p title="{FSI}甲{RLO}乙{PDI}">{FSI}甲{RLO}乙{PDI}：'
                   f'{FSI}丙{RLO}{PDI}、丁、{FSI}戊{LRI}{PDI}{PDI}</p>')
    assert env.from_string("{{ x }}").render(x="<b>市财政局</b>") == "&lt;b&gt;市财政局&lt;/b&gt;"   # still escaped


def test_needs_isolation_covers_every_right_to_left_character():
    """The range list against unicodedata, over the BMP and the supplementary planes' RTL blocks."""
    active = {"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
    for cp in [*range(0x10000), *range(0x10800, 0x11000), *range(0x1E800, 0x1F000)]:
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        if unicodedata.bidirectional(ch) in active or ch in "\u200e\u200f\u061c":
            assert needs_isolation(f"甲{ch}乙"), f"U+{cp:04X}"
    assert not needs_isolation("各县（市、区）ABC 123 《》—")


def test_titles_never_leave_a_control_open():
    for value in VALUES.values():
        rest, problems = explicit_state(safe_title(value))
        assert rest == [] and problems == [], value


# --------------------------------------------------------------------------- the built site

PAGES = {   # a page of each kind that shows the values
    "home": ("index.html", ["D题"]),
    "points": ("2020/points/index.html", ["P题", "P文"]),
    "categories": ("2020/categories/index.html", ["K1"]),
    "category": ("2020/categories/1/index.html", ["I文", "U名", "C名", "G名", "P题"]),
    "items": ("2020/items/index.html", ["I文", "U名", "C名", "G名"]),
    "item": ("2020/items/1-1/index.html", ["I文", "U名", "C名", "G名", "P题"]),
    "table": ("2020/table/index.html", ["I文", "U名"]),
    "matrix": ("2020/matrix/index.html", ["U名"]),
    "units": ("units/index.html", ["U名", "U别", "U全", "C名", "G名"]),
    "unit": ("units/zxb/index.html", ["U名", "U别", "U全", "U注", "I文"]),
    "county": ("counties/ruijin/index.html", ["C名", "I文"]),
    "group": ("groups/all-counties/index.html", ["G名", "I文", "C名"]),
    "redirect": ("units/old-zxb/index.html", ["U名"]),   # a former id's forwarding page
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_value_is_isolated_on_every_page_kind(bidi_site, kind):
    rel, tags = PAGES[kind]
    page = bidi_site / rel
    text = page.read_text(encoding="utf-8")
    for tag in tags:
        assert tag in text, f"{tag} not on {rel}: the fixture no longer reaches this page"
    scan = scan_page(page)
    assert scan.controls >= len(tags)
    assert scan.problems == [], "\n".join(scan.problems[:10])


def test_no_page_of_the_site_leaves_a_value_open(bidi_site):
    """Every HTML file of the build (all pages, redirects, 404), not just one page of each kind."""
    problems, controls = [], 0
    for path in sorted(bidi_site.rglob("*.html")):
        scan = scan_page(path)
        controls += scan.controls
        problems += [f"{path.relative_to(bidi_site)}: {p}" for p in scan.problems]
    assert controls > 1000   # the values are on many pages (the nav carries K1 on every page)
    assert problems == [], "\n".join(problems[:20])


def test_the_page_title_and_nav_are_isolated(bidi_site):
    page = (bidi_site / "2020/categories/1/index.html").read_text(encoding="utf-8")
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert f"{FSI}" in title and "K1" in title
    assert explicit_state(title) == ([], [])


def test_search_index_and_filter_names_are_isolated(bidi_site):
    index = json.loads((bidi_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = [d["title"] for d in index["docs"] if any(c in d["title"] for c in DATA_CONTROLS)]
    assert titles, "no search title carries a value"
    for title in titles:
        assert explicit_state(title) == ([], []), title
    table = (bidi_site / "2020/table/index.html").read_text(encoding="utf-8")
    blob = table.split('id="wp-filter-data">', 1)[1].split("</script>", 1)[0]
    names = json.loads(blob)["names"]
    assert names["zxb"].strip(FSI + PDI) == VALUES["U名"]
    for name in names.values():
        assert explicit_state(name) == ([], []), name
