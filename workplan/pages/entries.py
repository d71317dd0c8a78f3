"""The 牵头单位/责任单位 cells: names as the document prints them, each linked to its page.

Written in Python rather than as Jinja macros because every item row of every table calls it twice:
at 10× a Jinja macro call per name was about 6% of the build. Same output as the macros were
(tests/test_rawhtml.py compares the whole site with the old path; test_site checks the links)."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..bidi import isolated

NONE = Markup('<span class="wp-none">—</span>')


def entry_link(site, e, here: str, self_id: str | None = None) -> Markup:
    """One name: a unit, a group, "甲等乙" (a unit and a group), or "甲等单位" (a unit and others the
    document does not name: only the unit is linked and credited). `site`: the page's Site or
    EditionSite (an edition's unit links point at that year's part of the unit's page)."""
    a, b = (isolated(part) for part in e.parts)   # names from data, isolated like every template value
    if not e.unit:
        return Markup(f'<a class="wp-group" href="{escape(group_href(site, e.group, here))}">{escape(a)}</a>')
    own = ' class="wp-self"' if e.unit == self_id else ""
    out = f'<a href="{escape(site.unit_href(e.unit, here))}"{own}>{escape(a)}</a>'
    if e.group:
        out += f'等<a class="wp-group" href="{escape(group_href(site, e.group, here))}">{escape(b)}</a>'
    if e.others:
        out += f'<span class="wp-others" title="文件未列出的其他单位">等{escape(b)}</span>'
    return Markup(out)


def entry_links(site, entries, here: str, self_id: str | None = None) -> Markup:
    """A list as the document prints it: names joined by "、", and the groups the document separates
    with "，" (市发改委，章贡区、赣州蓉江新区) kept apart the same way; "—" when empty."""
    if not entries:
        return NONE
    out, prev = [], None
    for e in entries:
        if prev is not None:
            out.append("，" if e.clause != prev.clause else "、")
        out.append(entry_link(site, e, here, self_id))
        prev = e
    return Markup("".join(out))


def group_href(site, group_id: str, here: str) -> str:
    return site.href(f"groups/{group_id}.md", here)
