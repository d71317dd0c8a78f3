"""Search on the real built site, run through the site's own (patched) worker and index with Node,
outside a browser (issue 3, issue 17). The query suite of tests/search_suite.py — every unit,
county and group by every form of its name, every item by every way its number is written, topic
phrases — must find its page: names and numbers first, topics in the top five. The precision
table goes to test-artifacts/search-precision.md and is printed at the end of the run. The browser
suite runs a sample of the same queries in Chromium."""
from __future__ import annotations

import re
import unicodedata

import pytest
from search_suite import PRECISION_REPORT, check_precision, run_suite, suite
from site_fixtures import built_site  # noqa: F401

from workplan import search

@pytest.fixture(scope="module")
def queries():
    return suite()


@pytest.fixture(scope="module")
def results(built_site, queries):
    return run_suite(built_site, queries)


@pytest.fixture(scope="module")
def locations(results):
    return {text: [r["location"] for r in found] for text, found in results.items()}


def test_the_suite_is_large_and_covers_every_kind(queries):
    kinds = {q.kind for q in queries}
    assert len(queries) >= 100 and {"name", "full", "pinyin", "spaced", "initials", "county", "number", "topic"} <= kinds


def test_precision_table(queries, locations):
    """Every name and number query finds its page first; at least 95% of topics are in the top five.
    The table is the report of issue 17 (maintainers/search.md)."""
    check_precision(queries, locations, PRECISION_REPORT, "搜索查询集（tests/search_suite.py）")


def _plain(html: str) -> str:
    return unicodedata.normalize("NFKC", re.sub(r"<[^>]*>|\s", "", html))


def test_no_missing_label_on_a_result_that_has_the_query(results):
    """Material prints "缺少: X" under a result for a query term X it did not match; a result whose
    title or text has the whole query must not be labelled so (it said "缺少: 市*" under 市财政局)."""
    wrong = []
    for query, found in results.items():
        for doc in (doc for result in found for doc in result["docs"]):
            missing = [term for term, matched in doc["terms"].items() if not matched]
            if missing and _plain(query) in _plain(doc["title"] + doc["text"]):
                wrong.append(f"{query!r} -> {doc['location']}: 缺少 {missing}")
    assert not wrong, "\n".join(wrong[:20])


def test_the_page_a_name_or_number_finds_matches_every_term(queries, results):
    wrong = [f"{q.text!r} -> {results[q.text][0]['location']}: {results[q.text][0]['terms']}"
             for q in queries if q.first and not all(results[q.text][0]["terms"].values())]
    assert not wrong, "\n".join(wrong[:20])


def test_results_have_no_zero_width_spaces_nor_hidden_fields(results):
    """jieba's cuts are joined with U+200B in the index; copying a result's title must give clean
    text. The hidden keywords field (pinyin and all) stays in the worker."""
    docs = [doc for found in results.values() for result in found for doc in result["docs"]]
    assert docs
    assert not [d["location"] for d in docs if "\u200b" in d["title"] + d["text"]]
    assert not [d["location"] for d in docs if "keywords" in d]


def test_pinyin_is_searchable_but_not_shown(built_site, queries, results):
    """Every unit page is found by its pinyin, which is not in the page's text (ids in its links
    often are pinyin; the no-results hint in Material's config script names caizhengju)."""
    pinyin = [q for q in queries if q.kind == "pinyin" and len(q.expected) == 1]
    assert pinyin and all(results[q.text][0]["location"] in q.expected for q in pinyin)
    shown = []
    for q in pinyin:
        (page,) = q.expected
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S))
        if q.text in text.lower():
            shown.append(f"{q.text} on {page}")
    assert not shown


def test_unit_page_is_followed_by_its_items(built_site):
    after = [r["location"] for r in search.query_index(built_site, "江西理工大学", limit=3)[1:]]
    assert after == ["2020/items/3-1-19/", "2020/items/3-1-20/"]


# Longer phrases from item texts, errata kept as printed (生态综合补试): the item in the first three.
ITEM_QUERIES = {"瑞京公募基金": "2020/items/3-1-3/", "黄龙病防控": "2020/items/3-4-7/", "生态综合补试": "2020/items/3-6-3/",
                "安远三百山": "2020/items/3-1-16/", "进境粮谷指定监管场地": "2020/items/3-5-3/"}


@pytest.mark.parametrize("query", ITEM_QUERIES)
def test_item_phrase_finds_the_item(built_site, query):
    assert ITEM_QUERIES[query] in [r["location"] for r in search.query_index(built_site, query, limit=3)]


def test_a_number_no_item_has_runs_as_typed(built_site):
    """三-5 reads as an item number, but part 三 has sub-categories: the query runs as typed."""
    assert search.query_index(built_site, "三-5")


def test_worker_is_patched(built_site):
    code = search.worker_file(built_site).read_text("utf-8")
    assert all(patch.patched in code for patch in search.WORKER_PATCHES)
    assert search.WORKER_JS_MARK in code


def test_search_runs_with_playwrights_node_when_node_is_not_on_path(built_site, monkeypatch, tmp_path):
    """No `node` on PATH: the code falls back to the Node the playwright package ships, so the
    search tests never need to skip."""
    monkeypatch.setenv("PATH", str(tmp_path))
    node = search.node_binary()
    assert node.endswith("playwright/driver/node")
    assert search.query_index(built_site, "市财政局", limit=1)[0]["location"] == "units/czj/"
