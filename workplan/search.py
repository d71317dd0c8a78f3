"""Chinese search: jieba user dictionary, worker patches, and a Node query runner.

Material's search (mkdocs-material 9.8.1) cuts Chinese text with jieba at build time and, in the
browser, cuts the query greedily against the words already in the index. Whether a unit's own page
comes first for `市财政局`, `财政局` or `龙南县` depends on which words jieba puts in the index (the user
dictionary below), on bugs in the in-browser query cut (the worker patches below) and on the names,
pinyin and numbers each page adds to the index (workplan/search_terms.py).
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Iterable

from .search_terms import name_pieces

MATERIAL_VERSION = "9.8.1"  # the pin the worker patches were written against (requirements.in)
HARNESS = pathlib.Path(__file__).with_name("search_harness.mjs")
PAGEFIND_HARNESS = pathlib.Path(__file__).with_name("pagefind_harness.mjs")
WORKER_JS = pathlib.Path(__file__).with_name("search_worker.js")


class SearchPatchError(RuntimeError):
    """The built search worker is not the code the patches were written for."""


# --- jieba user dictionary ---------------------------------------------------------------------

# Which words, and why (measured with the real worker on the toy site of tests/test_search_engine.py,
# 27 full/partial/alias queries, patched worker, unit pages boosted):
# lunr matches a query word as a PREFIX of indexed words, so the unit page is found by `财政局` only if
# 财政局 is an indexed word of its own, and by `人民银行` only if an indexed word starts with it. So the
# dictionary holds each name minus its place (search_terms.name_pieces): cut at 赣州市/赣州/江西省/江西/赣南
# (anywhere) and at a leading 市委/市政府/市, keeping the pieces of 2-5 characters:
#   市财政局 -> 财政局, 赣州经开区 -> 经开区, 江西理工大学 -> 理工大学, 人民银行赣州中支 -> 人民银行 + 中支,
#   市卫健委 -> 卫健委 (jieba's HMM glues 市卫健委 into one word, and `卫健委` found nothing),
#   市振兴办 -> 振兴办 (jieba: 振兴|办), 龙南市 -> 龙南市 (jieba: 龙|南市, and `龙南` found an item first).
# Counties also go in without 县/区/市 (search_terms.short_names): jieba cut 至大余 as one word, so
# the page of 大余县 had no word 大余 and `大余` found an item first (issue 17, tests/search_suite.py).
# No dictionary: 3 of 27 wrong. These pieces: 0 wrong. Full names (alone or with the pieces): 9 wrong,
# as one word 赣州经开区 hides the part people type (`经开区`, `理工大学`, `医学院`, `卫健委` found
# nothing at all). Longer pieces (住房和城乡建设局, 中国人民银行) are left to jieba, whose cut keeps
# their parts findable. Frequency: 1000 and 10000 cut the whole plan text the same way (only unit
# names changed); 100000 re-cut other text (全国高校, 外包); 5 was too weak (组织|部).
USER_WORD_FREQ = 1000


def jieba_user_dict_lines(names: Iterable[str]) -> list[str]:
    """jieba user-dictionary lines (`word freq tag`) for unit names and aliases, sorted, unique."""
    words = {piece for name in names for piece in name_pieces(name)}
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


# --- worker patches ----------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkerPatch:
    """A piece of the minified worker that must occur exactly once, and what it becomes."""
    name: str
    snippet: str
    patched: str


WORKER_PATCHES = (
    # The query cut (src/.../search/query/segment/index.ts, function `segment`) records for each start
    # i the longest indexed word query[i:j], but tries j only up to len-1: a word that ends at the end
    # of the query is never found. So when the front is a word, the end is dropped: `赣州经开区` ran as
    # `赣州*` (人民银行赣州中支 came first), `市财政局` as `市* 财政*`, or as `市*` where 财政 is not
    # indexed. `<=` lets the last word count; the rest of the function stays in bounds (wordcuts[len]
    # reads undefined: nothing is pushed). The same off-by-one has a twin further down: `a < len-1`
    # stops the walk before a one-character word at the very end (with only the first fixed, `振兴办`
    # cut as 振兴|办 ran as `振兴*` and the home page came first), so both go, as one snippet: the
    # whole loop must match or nothing is patched.
    WorkerPatch(
        "segment: the last word of a query counts",
        "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);let i=[0];for(let s=i.length;s>0;)"
        "{let o=i[--s];for(let u=1;u<n[o];u++)n[o+u]>n[o]-u&&(r.add(t.slice(o,o+u)),i[s++]=o+u);"
        "let a=o+n[o];n[a]&&a<t.length-1&&(i[s++]=a)",
        "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);let i=[0];for(let s=i.length;s>0;)"
        "{let o=i[--s];for(let u=1;u<n[o];u++)n[o+u]>n[o]-u&&(r.add(t.slice(o,o+u)),i[s++]=o+u);"
        "let a=o+n[o];n[a]&&a<t.length&&(i[s++]=a)"),
    # search() cuts each Chinese run of a query into the index's words, joined with "* ", and
    # transformSearchQuery then adds its own "*" to every term: 市财政局 ran as `市** 财政局*`. lunr
    # reads ** as *, but the bookkeeping of which terms a page matched (getSearchQueryTerms) strips
    # one "*" and looks for words starting with `市*`: never found, so the right page said "缺少: 市*"
    # under a title that visibly has 市. workplanSearch.cut (search_worker.js) joins the words with
    # " " (one "*" each) and weighs whole words above prefixes.
    WorkerPatch(
        "Chinese queries are cut by workplanSearch.cut",
        r'e=e.replace(new RegExp("\\p{sc=Han}+","gu"),s=>[...fe(s,this.index.invertedIndex)].join("* "))',
        'e=self.workplanSearch.cut(e,s=>fe(s,this.index.invertedIndex),this.index.invertedIndex)'),
    # Every query goes through workplanSearch.search (search_worker.js, added to the worker), which
    # turns item numbers into their index token and cleans what goes back to the page; it calls the
    # original method with a second argument.
    WorkerPatch(
        "queries go through workplanSearch (search_worker.js)",
        "search(e){",
        "search(e,w){if(!w)return self.workplanSearch.search(this,e);"),
)
WORKER_JS_MARK = "// Added to Material's search worker by workplan/search.py"


def worker_file(site_dir: pathlib.Path) -> pathlib.Path:
    found = sorted((pathlib.Path(site_dir) / "assets/javascripts/workers").glob("search.*.min.js"))
    if len(found) != 1:
        raise SearchPatchError(
            f"expected one assets/javascripts/workers/search.*.min.js in {site_dir}, found {len(found)}")
    return found[0]




def patch_search_worker(site_dir: pathlib.Path) -> pathlib.Path:
    """Apply WORKER_PATCHES to the built site's search worker and add search_worker.js to it, in
    place; safe to run twice. Every snippet must occur exactly once, or nothing is written. The
    file keeps its name, so a browser that cached the unpatched worker keeps it until its cache
    expires."""
    worker = worker_file(site_dir)
    code = worker.read_text(encoding="utf-8")
    if WORKER_JS_MARK in code and all(code.count(p.patched) == 1 for p in WORKER_PATCHES):
        return worker  # already patched
    for patch in WORKER_PATCHES:
        found = code.count(patch.snippet)
        if found != 1:
            raise SearchPatchError(
                f"{worker}: patch “{patch.name}”: expected exactly one occurrence of {patch.snippet!r} in "
                f"the search worker of mkdocs-material {MATERIAL_VERSION}, found {found}. mkdocs-material "
                "has changed: check whether the bug this patch fixes is still there (WORKER_PATCHES in "
                "workplan/search.py), then update the snippet or drop the patch.")
        code = code.replace(patch.snippet, patch.patched)
    # After the worker's own code (which calls workplanSearch only once a query arrives): in front of
    # it, it would end the worker's "use strict" prologue. The source map comment stays last.
    body, sep, source_map = code.rpartition("\n//# sourceMappingURL=")
    if not sep:
        body, source_map = code, ""
    worker.write_text(f"{body}\n{WORKER_JS.read_text(encoding='utf-8')}{sep}{source_map}", encoding="utf-8")
    return worker


# --- running queries through the built worker --------------------------------------------------

def node_binary(search_path: str | None = None) -> str:
    """A Node to run the search worker with: `node` on PATH (or on `search_path`), else the one the
    Python playwright package ships (pinned in requirements.txt, so every `make` installs it)."""
    if found := shutil.which("node", path=search_path):
        return found
    try:
        import playwright
    except ImportError:
        pass
    else:
        bundled = pathlib.Path(playwright.__file__).parent / "driver" / "node"
        if os.access(bundled, os.X_OK):
            return str(bundled)
    raise FileNotFoundError("no node binary: looked on PATH and for playwright/driver/node")


def query_many(site_dir: pathlib.Path, queries: list[str], limit: int = 10) -> list[list[dict]]:
    """Like query_index for several queries with one Node start (setting up the index costs most)."""
    site_dir = pathlib.Path(site_dir)
    if (site_dir / "pagefind").is_dir():   # a chunked site (workplan/chunked_search.py): the same worker protocol
        argv = [PAGEFIND_HARNESS, worker_file(site_dir), limit]
    else:
        argv = [HARNESS, worker_file(site_dir), site_dir / "search/search_index.json", limit]
    run = subprocess.run(
        [node_binary(), *map(str, argv), *queries],
        capture_output=True, text=True, timeout=300)
    if run.returncode:
        raise RuntimeError(f"search harness failed ({run.returncode}):\n{run.stderr}")
    return [[_page_result(group) for group in groups] for groups in json.loads(run.stdout)]


def _page_result(group: list[dict]) -> dict:
    # The page is the document without "#" in its location (the worker guarantees one exists).
    page = next((doc for doc in group if "#" not in doc["location"]), group[0])
    return {"location": page["location"], "title": re.sub(r"<[^>]*>", "", page["title"]),
            "score": group[0]["score"], "terms": group[0]["terms"],
            "sections": [doc["location"] for doc in group], "docs": group}


def query_index(site_dir: pathlib.Path, query: str, limit: int = 10) -> list[dict]:
    """Run `query` through the built site's own worker and index; pages best first.

    Each result has `location` and `title` of the page (as the search dialog groups them; the title
    without its <mark> tags), its best `score`, the query `terms` that matched, the locations of
    the matching `sections` and the worker's documents themselves (`docs`: location, title and
    text as HTML, score, terms).
    """
    return query_many(site_dir, [query], limit)[0]
