"""What Material's search plugin needs to read of a generated page: the page minus what it skips.

Why: the search plugin parses every page's whole HTML body with an HTMLParser
(material/plugins/search/plugin.py, Parser) and then throws away what is marked
`data-search-exclude`: the item tables of unit, county and group pages, the matrix, the downloads
lists. At 10× that parse was the largest single cost of a build (a quarter of it), most of it
spent on those tables.

How: `view(html)` gives the plugin the same HTML with
- every excluded element emptied (`<div … data-search-exclude>…</div>` → `<div … data-search-exclude></div>`:
  its start and end tag stay, so the parser's events outside it are the same), and
- the content after an excluded heading (`<h2 id=… data-search-exclude>`) up to the next heading
  left out: it all belongs to that heading's section, which the plugin drops.
Each cut is made only where the parser's state is certain to come out the same as after reading
the whole text (see `_emptied` and `_section_rest`); anywhere else the HTML stays as it is, and a
page with a comment, a script, a style or markup these regular expressions might read otherwise
than html.parser gets no view at all (None: the plugin reads the page whole, as before).

Hand-rolled, not html.parser: a second parse of the page would cost what the view saves. The
guards make every `<` followed by a letter a tag html.parser also sees, so the scan can start at
each `data-search-exclude` and read only the tags it cuts. tests/test_searchview.py holds Material's own
parser to that on every page of the site and on the corner cases; tests/test_rawhtml.py builds the
whole site both ways (WORKPLAN_PARSE_HTML=1 turns this off too) and compares search_index.json.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Tags html.parser reads as something other than a start or end tag, or whose content is raw text.
OPAQUE = re.compile(r"<[!?]|</(?![a-zA-Z])|<(?:script|style|textarea|title|xmp|plaintext)\b", re.I)
# A `<` inside an attribute value (quoted or not): it would look like a tag to the scan.
LT_IN_ATTR = re.compile(r"""=\s*(?:"[^"]*<|'[^']*<|[^\s"'>]*<)""")
# The plugin strips these from page.content after indexing it (`re.sub(r"\s?data-search-\w+=\"[^\"]+\"", …)`):
# a page that has any gets no view, so the page handed back after indexing is the plugin's own.
REWRITTEN = re.compile(r'\sdata-search-\w+="[^"]+"')
TAG = re.compile(r"""<(/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
ATTR_NAMES = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?""")
HEADING_START = re.compile(r"<h[1-6](?=[\s/>])", re.I)
EXCLUDE = "data-search-exclude"
EXCLUDE_ANYCASE = re.compile(EXCLUDE, re.I)
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
# material.plugins.search.plugin.void: tags the parser ignores (no context, no exclusion).
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})


def view(html: str) -> str | None:
    """The page as the search plugin needs to read it, or None when it must read all of it."""
    if not EXCLUDE_ANYCASE.search(html) or OPAQUE.search(html) or REWRITTEN.search(html) \
            or LT_IN_ATTR.search(html):
        return None
    cuts: list[tuple[int, int]] = []
    done = 0
    for hit in EXCLUDE_ANYCASE.finditer(html):
        lt = html.rfind("<", 0, hit.start())
        if lt < done:
            continue   # inside what an earlier cut took out
        tag = TAG.match(html, lt)
        if tag is None or tag.end() <= hit.start() or tag.group(1) or tag.group(4):
            continue   # text, an end tag (not an attribute), or `<x … />`: nothing inside
        name = tag.group(2).lower()
        attrs = {a.lower() for a in ATTR_NAMES.findall(tag.group(3))}
        if EXCLUDE not in attrs or name in VOID:
            continue
        if name in HEADINGS:
            cut = _section_rest(html, tag, name) if "id" in attrs else None
        else:
            cut = _emptied(html, tag, name)
        if cut is not None:
            cuts.append(cut)
            done = cut[1]
    if not cuts:
        return None
    out, pos = [], 0
    for start, end in cuts:
        out.append(html[pos:start])
        pos = end
    out.append(html[pos:])
    return "".join(out)


def _emptied(html: str, tag: re.Match, name: str) -> tuple[int, int] | None:
    """The inside of an excluded element, when it can go: it holds no heading (the plugin starts
    sections at headings, even inside excluded elements), no element of its own tag (the plugin's
    skip set compares elements by tag name: an inner `</div>` ends the exclusion of an outer
    `<div data-search-exclude>`, and the rest of it is indexed after all), and its tags are well
    nested (an end tag that is not the innermost open element's is ignored by the plugin, which
    would leave the element open). Its own start and end tag stay."""
    close = _end_tag(name).search(html, tag.end())
    if close is None or close.start() == tag.end():
        return None
    inside = html[tag.end():close.start()]
    if _start_tag(name).search(inside) or HEADING_START.search(inside) or not _well_nested(inside):
        return None
    return tag.end(), close.start()


def _section_rest(html: str, tag: re.Match, name: str) -> tuple[int, int] | None:
    """After an excluded heading (with an id: a section of its own): the whole elements up to the
    next heading or the end of the heading's parent. All of it is text of the heading's section,
    which the plugin drops; nothing in it can reach another section."""
    close = _end_tag(name).search(html, tag.end())
    if close is None or HEADING_START.search(html, tag.end(), close.start()):
        return None
    start = end = close.end()
    after = HEADING_START.search(html, start)
    stop = after.start() if after is not None else len(html)
    if _well_nested(html[start:stop]):   # the common case: whole elements up to the next heading
        return (start, stop) if stop > start else None
    open_tags: list[str] = []
    for t in TAG.finditer(html, start):
        closing, tname = t.group(1), t.group(2).lower()
        if closing:
            if not open_tags:
                end = t.start()   # the heading's parent ends here
                break
            if open_tags[-1] != tname:
                break   # not well nested: stop after the last whole element
            open_tags.pop()
            if not open_tags:
                end = t.end()
        elif tname in HEADINGS:
            if not open_tags:
                end = t.start()
            break
        elif tname not in VOID and not t.group(4):
            open_tags.append(tname)
        elif not open_tags:   # a void or self-closing (`<x/>`: a start and an end event) element
            end = t.end()
    else:
        if not open_tags:
            end = len(html)
    return (start, end) if end > start else None


def _well_nested(fragment: str) -> bool:
    open_tags: list[str] = []
    for closing, name, _attrs, self_closing in TAG.findall(fragment):
        name = name.lower()
        if closing:
            if not open_tags or open_tags[-1] != name:
                return False
            open_tags.pop()
        elif name not in VOID and not self_closing:
            open_tags.append(name)
    return not open_tags


@lru_cache(maxsize=None)
def _end_tag(name: str) -> re.Pattern:
    return re.compile(rf"</{re.escape(name)}\s*>", re.I)


@lru_cache(maxsize=None)
def _start_tag(name: str) -> re.Pattern:
    return re.compile(rf"<{re.escape(name)}(?=[\s/>])", re.I)
