"""Chinese unit-name search: jieba user dictionary, worker patch, and a Node query runner.

Material's search (mkdocs-material 9.8.1) cuts Chinese text with jieba at build time and, in the
browser, cuts the query greedily against the words already in the index. Two things decide whether
a unit's own page comes first for `市财政局`, `财政局` or `龙南县`: which words jieba puts in the
index (the user dictionary below) and a bug in the in-browser query cut (the worker patch below).
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
from typing import Iterable

MATERIAL_VERSION = "9.8.1"  # the pin the worker patch was written against (requirements.in)
HARNESS = pathlib.Path(__file__).with_name("search_harness.mjs")


class SearchPatchError(RuntimeError):
    """The built search worker is not the code the patch was written for."""


# --- jieba user dictionary ---------------------------------------------------------------------

# Which words, and why (measured with the real worker on the toy site of tests/test_search_engine.py,
# 27 full/partial/alias queries, patched worker, unit pages boosted):
# lunr matches a query word as a PREFIX of indexed words, so the unit page is found by `财政局` only if
# 财政局 is an indexed word of its own, and by `人民银行` only if an indexed word starts with it. So the
# dictionary holds each name minus its place: cut at 赣州市/赣州/江西省/江西/赣南 (anywhere) and at a
# leading 市委/市政府/市, keeping the pieces of 2-5 characters:
#   市财政局 -> 财政局, 赣州经开区 -> 经开区, 江西理工大学 -> 理工大学, 人民银行赣州中支 -> 人民银行 + 中支,
#   市卫健委 -> 卫健委 (jieba's HMM glues 市卫健委 into one word, and `卫健委` found nothing),
#   市振兴办 -> 振兴办 (jieba: 振兴|办), 龙南市 -> 龙南市 (jieba: 龙|南市, and `龙南` found an item first).
# No dictionary: 3 of 27 wrong. These pieces: 0 wrong. Full names (alone or with the pieces): 9 wrong,
# as one word 赣州经开区 hides the part people type (`经开区`, `理工大学`, `医学院`, `卫健委` found
# nothing at all). Longer pieces (住房和城乡建设局, 中国人民银行) are left to jieba, whose cut keeps
# their parts findable. Frequency: 1000 and 10000 cut the whole plan text the same way (only unit
# names changed); 100000 re-cut other text (全国高校, 外包); 5 was too weak (组织|部).
_PLACE = re.compile(r"(赣州市|赣州|江西省|江西|赣南)")
_LEADING = re.compile(r"^(?:市委|市政府|市)(?=..)")
USER_WORD_FREQ = 1000


def jieba_user_dict_lines(names: Iterable[str]) -> list[str]:
    """jieba user-dictionary lines (`word freq tag`) for unit names and aliases, sorted, unique."""
    words = set()
    for name in names:
        for piece in _PLACE.split(_LEADING.sub("", name.strip())):
            if 2 <= len(piece) <= 5 and not _PLACE.fullmatch(piece) and not piece.isascii():
                words.add(piece)
    return [f"{word} {USER_WORD_FREQ} nt" for word in sorted(words)]


# Unit pages need a page boost (front matter `search: {boost: UNIT_PAGE_SEARCH_BOOST}`) and their
# derived item lists kept out of the index (`## 牵头事项 { data-search-exclude }`, needs attr_list).
# Why: the worker scores with b=0 (no length normalisation), so the item titled 推动…共建江西理工大学、
# …与江西理工大学共建…将江西理工大学… outscores the page titled 江西理工大学 (BM25: tf 3 gives 1.57x
# tf 1, never more than k1+1 = 2.2x), and an alias (别名：龙南县) is body text, which items share.
# Measured (27 name queries, 7 topic queries that must find an item): boost 1 -> 13 names wrong,
# 2 -> 1 (江西理工大学), 3 -> 0; 5 -> 0 but topics go to unit pages (西部大开发 -> 大余县 through the
# prefix 大*, 绿色金融 -> 市政府金融办). Without excluding the lists, boost 3 also sent 绿色金融 there.
UNIT_PAGE_SEARCH_BOOST = 3


# --- worker patch ------------------------------------------------------------------------------

# The query cut (src/.../search/query/segment/index.ts, function `segment`) records for each start
# i the longest indexed word query[i:j], but tries j only up to len-1: a word that ends at the end
# of the query is never found. So when the front is a word, the end is dropped: `赣州经开区` runs as
# `赣州*` (人民银行赣州中支 came first), `市财政局` as `市* 财政*` (right page only because 财政*
# prefix-matches 财政局), or as `市*` where 财政 is not indexed. `<=` lets the last word count; the
# rest of the function stays in bounds (wordcuts[len] reads undefined: nothing is pushed).
# The same off-by-one has a twin further down: `a < len-1` stops the walk before a one-character
# word at the very end (harmless while the first bound hid such words; with only the first fixed,
# `振兴办` cut as 振兴|办 ran as `振兴*` and the home page came first), so both go, as one snippet:
# the whole loop must match or nothing is patched. The file keeps its name, so a browser that cached the unpatched worker keeps
# it until its cache expires.
WORKER_SNIPPET = (
    "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);let i=[0];for(let s=i.length;s>0;)"
    "{let o=i[--s];for(let u=1;u<n[o];u++)n[o+u]>n[o]-u&&(r.add(t.slice(o,o+u)),i[s++]=o+u);"
    "let a=o+n[o];n[a]&&a<t.length-1&&(i[s++]=a)")
WORKER_PATCHED = (WORKER_SNIPPET.replace("o<t.length;o++", "o<=t.length;o++")
                  .replace("a<t.length-1&&", "a<t.length&&"))


def _worker(site_dir: pathlib.Path) -> pathlib.Path:
    found = sorted((pathlib.Path(site_dir) / "assets/javascripts/workers").glob("search.*.min.js"))
    if len(found) != 1:
        raise SearchPatchError(
            f"expected one assets/javascripts/workers/search.*.min.js in {site_dir}, found {len(found)}")
    return found[0]


def patch_search_worker(site_dir: pathlib.Path) -> pathlib.Path:
    """Fix the query cut in the built site's search worker, in place; safe to run twice."""
    worker = _worker(site_dir)
    code = worker.read_text(encoding="utf-8")
    if code.count(WORKER_PATCHED) == 1 and WORKER_SNIPPET not in code:
        return worker  # already patched
    if code.count(WORKER_SNIPPET) != 1:
        raise SearchPatchError(
            f"{worker}: expected exactly one occurrence of {WORKER_SNIPPET!r} (the query "
            f"segmenter of mkdocs-material {MATERIAL_VERSION}), found {code.count(WORKER_SNIPPET)}. "
            "mkdocs-material has changed: check whether segment() in its search worker still stops "
            "one short (`j < query.length`), then update WORKER_SNIPPET/WORKER_PATCHED or drop the patch.")
    worker.write_text(code.replace(WORKER_SNIPPET, WORKER_PATCHED), encoding="utf-8")
    return worker


def write_index_as_utf8(site_dir: pathlib.Path) -> pathlib.Path | None:
    """Rewrite search/search_index.json with Chinese as UTF-8 rather than \\uXXXX escapes (how
    Material's json.dumps writes it): about half the bytes every reader downloads before the
    first search, the same JSON. Runs before the offline plugin inlines the index (priority -100)."""
    path = pathlib.Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


# --- running queries through the built worker --------------------------------------------------

def _node() -> str:
    if os.access("/usr/bin/node", os.X_OK):
        return "/usr/bin/node"
    if found := shutil.which("node"):
        return found
    try:  # the Python playwright package ships a Node binary of its own
        import playwright
        bundled = pathlib.Path(playwright.__file__).parent / "driver" / "node"
        if os.access(bundled, os.X_OK):
            return str(bundled)
    except ImportError:
        pass
    raise FileNotFoundError("no node binary: looked at /usr/bin/node, PATH and playwright/driver/node")


def query_many(site_dir: pathlib.Path, queries: list[str], limit: int = 10) -> list[list[dict]]:
    """Like query_index for several queries with one Node start (setting up the index costs most)."""
    site_dir = pathlib.Path(site_dir)
    run = subprocess.run(
        [_node(), str(HARNESS), str(_worker(site_dir)), str(site_dir / "search/search_index.json"),
         *queries],
        capture_output=True, text=True, timeout=120)
    if run.returncode:
        raise RuntimeError(f"search harness failed ({run.returncode}):\n{run.stderr}")
    return [results[:limit] for results in json.loads(run.stdout)]


def query_index(site_dir: pathlib.Path, query: str, limit: int = 10) -> list[dict]:
    """Run `query` through the built site's own worker and index; pages best first.

    Each result has `location` and `title` of the page (as the search dialog groups them), its best
    `score`, the query `terms` that matched and the matching `sections`.
    """
    return query_many(site_dir, [query], limit)[0]
