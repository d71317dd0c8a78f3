"""The query suite of tests/search_suite.py through the chunked index (Pagefind, issue 18): the
real site forced above extra.search_chunked_above (threshold 1), queried with the site's own
worker and pagefind.js + WASM in Node (workplan/pagefind_harness.mjs). The same rules as for
Material's single index (tests/test_search_site.py): every name and item number finds its page
first, at least 95% of topics are in the top five. The table goes to
test-artifacts/search-precision-chunked.md."""
from __future__ import annotations

import re

import pytest
from search_suite import PRECISION_REPORT, check_precision, run_suite, suite
from site_fixtures import chunked_site  # noqa: F401


REPORT = PRECISION_REPORT.with_name("search-precision-chunked.md")


@pytest.fixture(scope="module")
def queries():
    return suite()


@pytest.fixture(scope="module")
def results(chunked_site, queries):
    return run_suite(chunked_site, queries)


def test_precision_table(queries, results):
    """The same rules as for Material's single index (test_search_site.py)."""
    locations = {text: [r["location"] for r in found] for text, found in results.items()}
    check_precision(queries, locations, REPORT, "搜索查询集：分块索引（Pagefind）")


def test_results_show_title_and_text_without_hidden_words(queries, results):
    """What the dialog renders: the page's title, a piece of its text, the query marked; never the
    keywords (pinyin, number tokens), never a zero-width space, never unescaped markup."""
    docs = [doc for found in results.values() for result in found for doc in result["docs"]]
    assert docs and all(d["title"] for d in docs)
    shown = [re.sub(r"</?mark>", "", d["title"] + " " + d["text"]) for d in docs]
    assert not [s for s in shown if "\u200b" in s or "wpno" in s or "<" in s]
    pinyin = {q.text for q in queries if q.kind in ("pinyin", "initials")}
    leaked = [(q, r["location"]) for q in pinyin for r in results[q][:1] if q in r["docs"][0]["text"].lower()]
    assert not leaked


def test_a_unit_result_marks_the_query(results):
    first = results["市财政局"][0]["docs"][0]
    assert first["location"] == "units/czj/" and "<mark>" in first["title"]
    # Material links a result with ?h=<its terms found>, to highlight them on the page: never empty
    # (the whole name, not also 市 and 财政局 inside it: 市 alone would light up the whole page)
    assert first["terms"] == {"市财政局": True}


def test_every_result_names_terms_to_highlight(results):
    """Material builds each result's link as ?h=<the terms found> (it was an empty ?h= before the
    chunked worker named them): every word marked in a result is within one of its terms, and no
    term is part of another (市 of 市财政局 would light up the whole page)."""
    docs = [doc for found in results.values() for result in found for doc in result["docs"]]
    assert docs
    problems = []
    for doc in docs:
        terms = [t.lower() for t in doc["terms"]]
        marked = {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", doc["title"] + doc["text"])}
        if not terms or not all(doc["terms"].values()):
            problems.append((doc["location"], "no terms"))
        problems += [(doc["location"], m) for m in marked if not any(m in t for t in terms)]
        problems += [(doc["location"], t) for t in terms if any(t != u and t in u for u in terms)]
    assert not problems, problems[:10]
