"""Text from data shown in a page cannot reorder the page around it (issue 15, point 6).

A unit name or item text pasted with a right-to-left override (U+202E) or an unclosed isolate
(U+2066–2068) would, shown as is, flip the rest of its line — the next column of a table, the
words after it in a sentence, the page title in the tab. Every data value a page shows is
therefore wrapped in a first-strong isolate (U+2068 FSI … U+2069 PDI): the Unicode equivalent of
<bdi> (the HTML standard defines <bdi> by it), and usable where an element is not — attributes
(aria-label, title), Markdown headings and the table of contents built from them, the page title
and nav (printed raw by the theme), SVG text, <option> text set by script.

Only values holding a character that can act on its neighbours are wrapped — an explicit bidi
control, a right-to-left letter or an Arabic digit; Chinese and Latin text is left as it is, so
ordinary pages do not change. The value itself is kept verbatim except for what would break the
isolation: a PDI (U+2069) that closes nothing inside the value would close our FSI and let the
rest escape, so it is dropped (it has no effect of its own there); an isolate the value leaves
open gets its PDI at the value's end; embeddings and overrides it leaves open are closed by our
PDI, as the Unicode Bidirectional Algorithm does for everything opened inside an isolate.
"""
from __future__ import annotations

import re

from jinja2 import pass_eval_context
from jinja2.filters import do_join, make_attrgetter
from markupsafe import Markup, escape

FSI, PDI = "\u2068", "\u2069"
EMBEDDINGS = "\u202a\u202b\u202d\u202e"   # LRE RLE LRO RLO, closed by PDF (U+202C)
ISOLATES = "\u2066\u2067\u2068"           # LRI RLI FSI, closed by PDI (U+2069)
CONTROLS = EMBEDDINGS + "\u202c" + ISOLATES + PDI + "\u200e\u200f\u061c"   # … and LRM RLM ALM

# Characters of bidi class R, AL or AN (unicodedata.bidirectional): the right-to-left scripts'
# blocks. A range list rather than a scan of unicodedata at import (a million look-ups); R and AL
# occur outside the BMP only in these two blocks (checked once over every code point), and
# tests/test_bidi.py compares the list with unicodedata over the BMP and both blocks.
_RTL = ("\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
        "\u200f\u061c")
_ACTIVE = re.compile(f"[{_RTL}{re.escape(CONTROLS)}]")


def needs_isolation(text: str) -> bool:
    """The text holds a character that can reorder text around it."""
    return bool(_ACTIVE.search(text))


def balanced(text: str) -> str:
    """`text` without the PDIs that close nothing inside it (they would close an isolate around
    it), and with a PDI for each isolate it leaves open (a PDI closes only the last isolate, so
    ours alone would close the value's own and leave ours open)."""
    if PDI not in text and not any(ch in text for ch in ISOLATES):
        return text
    out, isolates = [], 0
    for ch in text:
        if ch in ISOLATES:
            isolates += 1
        elif ch == PDI:
            if not isolates:
                continue
            isolates -= 1
        out.append(ch)
    return "".join(out) + PDI * isolates


def isolated(text):
    """FSI + text + PDI when the text could act on its neighbours, else the text unchanged.
    Markup stays Markup (it is escaped HTML: only characters are added, never a tag)."""
    if not needs_isolation(text):
        return text
    wrapped = FSI + balanced(str(text)) + PDI
    return Markup(wrapped) if isinstance(text, Markup) else wrapped


def isolate_output(value):
    """Jinja `finalize`: every {{ value }} of a plain string is isolated. Markup is left alone: it
    is HTML a template or helper already built (a rendered fragment, an escaped and isolated
    heading), and wrapping a block of HTML in characters would turn it into inline text."""
    if hasattr(value, "__html__") or value is None or isinstance(value, (bool, int, float)):
        return value
    text = value if isinstance(value, str) else str(value)   # a NamePeriod prints "龙南县（至2020年6月）"
    return isolated(text) if needs_isolation(text) else value


@pass_eval_context
def join_isolated(eval_ctx, value, d: str = "", attribute=None):
    """Jinja's `join` with each item isolated on its own: an override in one alias must not
    reorder the aliases after it in the same list (finalize would isolate only the whole)."""
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    items = [isolate_output(v) for v in value]
    # Markup (each item escaped by Markup.join): finalize must not wrap the whole list again.
    return Markup(escape(d)).join(items) if eval_ctx.autoescape else do_join(eval_ctx, items, d)
