"""What search finds a page by beyond its visible words (issue 17).

Material's index has an entry per page and per section, with a title and a text that the search
dialog shows. After the build (hooks.on_post_build) the entry of each unit, county, group and item
page gets one more field, `keywords`, declared in the index's config with a title's weight: lunr
searches it, the dialog never shows it (it renders title and text only, and the patched worker
drops the field from what it sends to the page).

- A unit, county or group: every form of its name — as printed, without the city prefix (财政局),
  on a letterhead (赣州市财政局), the full official name, aliases and former names — cut by jieba
  like the rest of the index, and in pinyin: whole (shicaizhengju, caizhengju), syllable by
  syllable (for "cai zheng ju") and as initials (sczj, czj).
- An item: the token of its number (`#3.4.2`), which the worker makes out of 3-4-2, 三（四）2,
  一-5 … (workplan/search_worker.js), and the shorter words jieba's search mode finds inside the
  words of its text (产品质量 -> 产品, 质量): lunr matches a query word only as the prefix of an
  indexed word, so 质量 did not find …产品质量…, nor 开发区 …技术开发区….
- Both: every word of the index found inside those names or the item's whole text (its title is
  cut to 30 characters), since the browser cuts a query into the index's words, not jieba's.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import jieba

from .model import Item, Plan
from .pinyin import syllables

KEYWORDS = "keywords"
# lunr weight of the field; the search plugin's are title 1000, text 1, tags 1e6. Like a title: these
# are the page's names. Measured on the suite of tests/search_suite.py: see maintainers/search.md.
KEYWORDS_BOOST = 1000.0

# A place that starts or sits inside a name, and the prefixes of a city department's name.
PLACE = re.compile(r"(赣州市|赣州|江西省|江西|赣南)")
LEADING_PLACE = re.compile(r"^(?:赣州市|赣州|江西省|江西|赣南)(?=..)")
CITY_PREFIX = re.compile(r"^(?:市委|市政府|市)(?=..)")
DIVISION_SUFFIX = re.compile(r"(?<=..)[县区市]$")   # 瑞金市 -> 瑞金, for county-level divisions
LETTERHEAD_CITY = "赣州"                           # 市财政局 -> 赣州市财政局
WORD = re.compile(r"\w")                           # a word, not punctuation
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
ITEM_NUMBER_MARK = "#"                            # #3.4.2: no reader types it, no separator splits it


def name_pieces(name: str) -> list[str]:
    """The parts of a name people type on their own: without its city prefix and place
    (市财政局 -> 财政局, 赣州经开区 -> 经开区, 人民银行赣州中支 -> 人民银行, 中支); 2-5 characters."""
    pieces = PLACE.split(CITY_PREFIX.sub("", name.strip()))
    return [p for p in pieces if 2 <= len(p) <= 5 and not PLACE.fullmatch(p) and not p.isascii()]


def short_names(name: str, aliases: Iterable[str] = (), county: bool = False) -> list[str]:
    """The name and aliases as the plan writes them; `county`: a county-level division, also
    known without its 县/区/市 (瑞金市 -> 瑞金, 龙南县 -> 龙南)."""
    names = [name, *aliases]
    if county:
        names += [DIVISION_SUFFIX.sub("", n) for n in names]
    return list(dict.fromkeys(names))


def name_forms(name: str, full_name: str | None = None, aliases: Iterable[str] = (), county: bool = False) -> list[str]:
    """Every way a reader writes this name, most official first, without repeats."""
    short = short_names(name, aliases, county)
    forms = [name, *([full_name] if full_name else []), *short]
    if name.startswith("市"):
        forms.append(LETTERHEAD_CITY + name)
    for form in list(forms):   # without the city: 赣州市发展和改革委员会 -> 发展和改革委员会
        forms.append(CITY_PREFIX.sub("", LEADING_PLACE.sub("", form)))
    for form in short:   # not full names: 中共赣州市委组织部 has the piece 中共
        forms += name_pieces(form)
    return list(dict.fromkeys(forms))


def pinyin_tokens(forms: Iterable[str]) -> list[str]:
    """Each form whole and as initials, and every syllable (a query typed with spaces is one term
    per syllable). ü is indexed both as v (phone keyboards) and as u."""
    tokens = []
    for form in forms:
        sounds = syllables(form)
        if not sounds:
            continue
        for variant in dict.fromkeys([tuple(sounds), tuple(s.replace("v", "u") for s in sounds)]):
            tokens += ["".join(variant), "".join(s[0] for s in variant), *variant]
    return list(dict.fromkeys(tokens))


def _words(text: str) -> list[str]:
    """The words jieba cuts Chinese text into (the search plugin cuts the index the same way)."""
    return [w for w in jieba.cut(text) if WORD.search(w)]


@dataclass(frozen=True)
class PageTerms:
    """What a page adds to its index entry: `words`, and every word of the index that occurs inside
    one of `texts` (see add_keywords)."""
    words: tuple[str, ...]
    texts: tuple[str, ...]


def name_terms(forms: list[str]) -> PageTerms:
    words = [w for form in forms for w in _words(form)]
    return PageTerms(tuple(dict.fromkeys([*words, *pinyin_tokens(forms)])), tuple(forms))


def item_number_token(item_id: str) -> str:
    """3-4-2 -> #3.4.2 (the worker builds the same token from the ways a number is written)."""
    return ITEM_NUMBER_MARK + item_id.replace("-", ".")


def item_terms(item: Item) -> PageTerms:
    """The item's number token and the words jieba's search mode finds in its text; its text."""
    inner = [w for w in jieba.cut_for_search(item.text) if WORD.search(w)]
    return PageTerms((item_number_token(item.id), *dict.fromkeys(inner)), (item.text,))


def page_terms(plan: Plan, pages: Iterable[tuple[str, str, str]]) -> dict[str, PageTerms]:
    """{location: PageTerms} for the generated pages, given as (location, kind, key)."""
    out = {}
    for location, kind, key in pages:
        if kind in ("unit", "county"):
            unit = plan.units[key]
            # all_names: the name, its names in other periods (龙南县, 赣州银保监分局's later name) and aliases
            out[location] = name_terms(name_forms(unit.name, unit.full_name, unit.all_names[1:], unit.is_county))
        elif kind == "group":
            group = plan.groups[key]
            out[location] = name_terms(name_forms(group.name, None, group.aliases))
        elif kind == "item":
            out[location] = item_terms(plan.items[key])
    return out


def inner_words(text: str, vocabulary: set[str], longest: int) -> list[str]:
    """Every word of `vocabulary` inside the Chinese of `text`, wherever it starts: the in-browser
    query cut uses the index's words, not jieba, so 青龙岩 is cut 青龙|龙岩|岩 whether the text was
    cut 寻乌|青龙|岩 or 寻|乌青|龙岩; with all of them the page matches every word of the query."""
    found = []
    for run in HAN_RUN.findall(text):
        for i in range(len(run)):
            found += [run[i:j] for j in range(i + 1, min(len(run), i + longest) + 1) if run[i:j] in vocabulary]
    return found


def _chinese_words(html: str, separator: re.Pattern) -> set[str]:
    """The all-Chinese words lunr indexes from an entry's HTML (split as the worker's tokenizer does)."""
    return {w for w in separator.split(re.sub(r"<[^>]*>", " ", html)) if HAN_RUN.fullmatch(w)}


def add_keywords(index_path: Path, pages: dict[str, PageTerms]) -> None:
    """Give the index entries of `pages` their keywords field, declare it in the index config, and
    write the index as UTF-8 (Material escapes every Chinese character as \\uXXXX: twice the bytes
    every reader downloads before the first search)."""
    data = json.loads(index_path.read_text(encoding="utf-8"))
    data["config"]["fields"][KEYWORDS] = {"boost": KEYWORDS_BOOST}
    separator = re.compile(data["config"]["separator"])   # the worker's tokenizer, a JS regex Python reads too
    vocabulary = {w for d in data["docs"] for w in _chinese_words(d["title"] + " " + d["text"], separator)}
    vocabulary.update(w for terms in pages.values() for w in terms.words if HAN_RUN.fullmatch(w))
    longest = max(map(len, vocabulary), default=0)
    for doc in data["docs"]:
        terms = pages.get(doc["location"])
        if terms is not None:
            inner = [w for text in terms.texts for w in inner_words(text, vocabulary, longest)]
            doc[KEYWORDS] = " ".join(dict.fromkeys([*terms.words, *inner]))
    index_path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
