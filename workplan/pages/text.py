"""Text helpers for pages: escaping data for Markdown and titles, one-line values, pinyin order."""
from __future__ import annotations

import re

from markupsafe import Markup

from ..bidi import isolated
from ..pinyin import syllables

_MD_PUNCT = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~=:&\"'$^@]")

# MkDocs' theme environment does not autoescape, and Material prints page.title raw in the
# header; titles drawn from data therefore swap HTML-significant characters for their
# full-width look-alikes. The page body shows the exact text.
_TITLE_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "{": "｛", "}": "｝"})


def md_escape(text: str) -> Markup:
    """Text for a Markdown context (headings): HTML-escaped, and every ASCII punctuation that
    Markdown or its extensions could read as syntax written as a numeric entity; isolated for
    bidirectional display (workplan/bidi.py)."""
    return Markup(_MD_PUNCT.sub(lambda m: f"&#{ord(m.group())};", isolated(str(text))))


def oneline(text) -> str:
    """Line breaks (and the blanks around them) as one space: a value inside an HTML block or a
    heading can then never contain a blank line that would hand the rest to Markdown."""
    return re.sub(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*", " ", str(text))


def safe_title(text: str) -> str:
    """A title for the theme (<title>, header, nav, search results), which prints it raw: HTML
    characters as full-width look-alikes, and isolated so that a bidi control in it can neither
    stay open nor reorder the text around it (workplan/bidi.py)."""
    return isolated(text.translate(_TITLE_SAFE))


def pinyin_key(name: str) -> tuple:
    """Sort as Chinese readers expect: by pinyin, ignoring the 市 prefix most units share. The
    readings are those search uses (workplan/pinyin.py: single characters plus the name words
    pypinyin would misread; tests/test_site.py checks the registry sorts the same with pypinyin's
    whole phrase dictionary)."""
    core = name[1:] if name.startswith("市") and len(name) > 2 else name
    return (" ".join(syllables(core)), name)
