"""The rows of the item tables (_lib.j2 `items_table`) and their 牵头单位/责任单位 cells: names as the
document prints them, each linked to its page.

Written in Python rather than as Jinja because they run for every item row of every table: at 10×
the rows' Jinja macro was 14% of a `make serve` rebuild (cProfile), the macro call per name about 6%
of a build. The output is what the templates wrote, byte for byte (each value as `{{ value }}`
prints it: isolated for bidirectional display, then escaped; a whole site built before and after compared
equal); test_site checks the links."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..bidi import isolate_output, isolated
from ..progress import NO_REPORT

NONE = Markup('<span class="wp-none">—</span>')


def entry_link(site, e, here: str, self_id: str | None = None) -> Markup:
    """One name: a unit, a group, "甲等乙" (a unit and a group), or "甲等单位" (a unit and others the
    document does not name: only the unit is linked and credited). `site`: the page's Site or
    EditionSite (an edition's unit links point at that year's part of the unit's page)."""
    a, b = (isolated(part) for part in e.parts)   # names from data, isolated like every template value
    if not e.unit:
        return Markup(f'<a class="wp-group" href="{escape(site.group_href(e.group, here))}">{escape(a)}</a>')
    own = ' class="wp-self"' if e.unit == self_id else ""
    out = f'<a href="{escape(site.unit_href(e.unit, here))}"{own}>{escape(a)}</a>'
    if e.group:
        out += f'等<a class="wp-group" href="{escape(site.group_href(e.group, here))}">{escape(b)}</a>'
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


def _out(value) -> str:
    """What `{{ value }}` prints in our templates: finalize (bidi.isolate_output), then autoescape."""
    return str(escape(isolate_output(value)))


def item_rows(site, item_list, here: str, anchors: bool = False, show_category: bool = False,
              self_id: str | None = None, via=None, status: bool = False) -> Markup:
    """The <tr> of each item, one per line: its number (a link to its page), its text with the
    document's typos marked, its category (show_category), its 牵头/责任 cells, the groups it reaches
    the unit through (via: item id → group ids), its latest status (status). `site`: the EditionSite."""
    rows = []
    for item in item_list:
        cells = [f'<tr id="{_out(item.anchor)}">' if anchors else "<tr>",
                 f'<td class="wp-no"><a href="{_out(site.item_href(item.id, here))}">{_out(item.label)}</a></td>',
                 f"<td>{_out(site.marked(item.text, item.errata))}</td>"]
        if show_category:
            cat = site.plan.categories[item.category]
            cells.append(f'<td class="wp-cat"><a href="{_out(site.category_href(cat.id, here))}">{_out(cat.label)}</a></td>')
        cells.append(f"<td>{entry_links(site, item.lead, here, self_id)}</td>"
                     f"<td>{entry_links(site, item.responsible, here, self_id)}</td>")
        if via:
            groups = site.plan.groups
            cells.append("<td>" + "".join(f'<a class="wp-group" href="{_out(site.group_href(gid, here))}">'
                                          f"{_out(groups[gid].name)}</a>" for gid in via[item.id]) + "</td>")
        if status:
            st = site.latest(item.id)
            s = st.status if st else NO_REPORT
            percent = f" {_out(st.percent)}%" if st and st.percent is not None else ""
            cells.append(f'<td class="wp-st-cell"><span class="wp-badge {_out(site.status_class(s))}" '
                         f'data-status="{_out(s)}">{_out(s)}</span>{percent}</td>')
        cells.append("</tr>\n")
        rows.append("".join(cells))
    return Markup("".join(rows))
