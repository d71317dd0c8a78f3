"""Text clean-up shared by the importer, the loader and the tests.

The source is text extracted from a PDF: stray spaces sit between CJK characters and around
numbers (``市 教育局``, ``2020 年``) and paragraphs break at page ends. Chinese text has no
meaningful spaces, so we drop every run of whitespace except between two ASCII letters or
digits, where it may separate words. Wording is never touched.
"""
from __future__ import annotations

import re
from functools import lru_cache

_WS = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")

# Characters that end a sentence or clause: a page break after one of these is a real
# paragraph break; a page break anywhere else is a PDF artefact inside a sentence.
SENTENCE_END = "。；：！？”"

# Separators between unit names in a table cell. Commas inside brackets, as in
# 各县(市、区), do not separate (see split_units).
UNIT_SEPARATORS = "、，,"
CLAUSE_SEPARATORS = "，,"   # …and these also end a group of names (市直有关部门，各县（市、区）、赣州经开区)
_OPEN, _CLOSE = "(（", ")）"


def clean(text: str) -> str:
    """Remove PDF whitespace artefacts, keeping spaces between ASCII words."""

    def keep_if_between_words(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        both_ascii = _ASCII_WORD.match(before or " ") and _ASCII_WORD.match(after or " ")
        return " " if both_ascii else ""

    return _WS.sub(keep_if_between_words, text).strip()


def split_units(cell: str) -> list[str]:
    """Split a 牵头单位/责任单位 cell into unit references, ignoring separators in brackets."""
    return [name for clause in split_clauses(cell) for name in clause]


def split_clauses(cell: str) -> list[list[str]]:
    """A 牵头单位/责任单位 cell as the document groups it: parts separated by "，" (or ","), each a
    list of names separated by "、". Separators inside brackets, as in 各县(市、区), do not count."""
    clauses: list[list[str]] = [[]]
    depth, current = 0, []
    for ch in clean(cell) + "、":
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in UNIT_SEPARATORS and depth == 0:
            if current:
                clauses[-1].append("".join(current))
            current = []
            if ch in CLAUSE_SEPARATORS and clauses[-1]:
                clauses.append([])
        else:
            current.append(ch)
    return [c for c in clauses if c]


def fold_brackets(name: str) -> str:
    """Half-width brackets → full-width, for lenient name matching."""
    return name.replace("(", "（").replace(")", "）")


@lru_cache(maxsize=1)
def _t2s():
    # OpenCC (the reference traditional→simplified converter, with its phrase tables), loaded only
    # when a name has failed to match: validating valid data never pays for it.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters → simplified (市財政局 → 市财政局); other text unchanged."""
    return _t2s().convert(text)
