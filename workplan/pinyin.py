"""Pinyin of unit names: what the units index sorts by and what search finds a unit by.

pypinyin loads a dictionary of ~47,000 phrases on import (about 40 MiB and 0.2 s per build), used to
choose the reading of polyphonic characters in running text. We read only names, and most of their
characters have one reading, so we load the single-character dictionary (PYPINYIN_NO_PHRASES, set
before pypinyin is imported) and give pypinyin, through its own `load_phrases_dict`, the few words of
unit names whose usual single-character reading is wrong. Even the full phrase dictionary reads the
place names 宁都 and 于都 as "dou" and 人行 (the People's Bank) as "ren xing"; tests/search_suite.py
has every registry name's reading written down by hand, and tests/test_search_names.py compares.
"""
from __future__ import annotations

import os

os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
from pypinyin import Style, lazy_pinyin, load_phrases_dict  # noqa: E402

# Words in unit and place names whose characters are read differently than on their own (tone marks:
# the format load_phrases_dict takes). Add a word here when a new name reads wrong.
NAME_WORDS = {
    "银行": "yín háng", "支行": "zhī háng", "人行": "rén háng",   # 行 háng in banks, not xíng
    "宁都": "níng dū", "于都": "yú dū",                           # 都 dū in place names, not dōu
}
load_phrases_dict({word: [[s] for s in reading.split()] for word, reading in NAME_WORDS.items()})


def syllables(text: str) -> list[str]:
    """Toneless syllables of the Chinese characters in `text` (ü as v, as typed on a keyboard);
    anything else is dropped: 各县（市、区） -> ['ge', 'xian', 'shi', 'qu']."""
    return [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s.isalpha()]
