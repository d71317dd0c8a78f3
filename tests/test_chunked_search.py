"""The switch to a chunked search index (Pagefind) above extra.search_chunked_above pages
(workplan/chunked_search.py): below it the single Material index, as today and without Node; above
it Pagefind behind the same worker protocol; the file:// bundle always single; and a clear error
when the chunked index is needed and cannot be built."""
from __future__ import annotations

import gzip
import json
import os
import subprocess

import pytest
from site_fixtures import build_copy, built_site, chunked_site, project_copy, ROOT  # noqa: F401

from workplan import chunked_search, search
from workplan.build import BuildFailed


@pytest.mark.parametrize(("value", "pages"), [(None, chunked_search.DEFAULT_THRESHOLD), ("", chunked_search.DEFAULT_THRESHOLD),
                                              (1, 1), ("250", 250), (0, 0)])
def test_threshold_reads_the_setting(value, pages):
    assert chunked_search.threshold({} if value is None else {"search_chunked_above": value}) == pages


@pytest.mark.parametrize("value", ["many", "-1", 2.5])
def test_threshold_that_is_not_a_page_count_is_refused_in_chinese(value):
    with pytest.raises(ValueError, match="search_chunked_above.*不小于 0 的整数页数"):
        chunked_search.threshold({"search_chunked_above": value})


@pytest.mark.parametrize(("pages", "limit", "offline", "chunked"), [
    (212, 600, False, False),    # today's site: the single index
    (1000, 1000, False, False),  # at the threshold: still single
    (1001, 1000, False, True),
    (19119, 1000, True, False),  # the file:// bundle: single at any size
    (212, 1, False, True),
])
def test_chunked_only_above_the_threshold_and_never_offline(pages, limit, offline, chunked):
    assert chunked_search.wanted(pages, limit, offline) is chunked


def test_page_count_counts_pages_not_sections(tmp_path):
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {}, "docs": [
        {"location": ""}, {"location": "units/czj/"}, {"location": "units/czj/#items"}, {"location": "about/#x"}]}))
    assert chunked_search.page_count(index) == 2


def test_the_real_site_keeps_the_single_index(built_site):
    """At 1× (212 searchable pages, below the default threshold) nothing changes."""
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert sum("#" not in d["location"] for d in docs) > 200
    assert not (built_site / "pagefind").exists()
    assert "pagefind" not in search.worker_file(built_site).read_text(encoding="utf-8")


def test_above_the_threshold_the_site_searches_pagefind(chunked_site):
    index = json.loads((chunked_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == [] and index["config"]["fields"]["keywords"]   # the page fetches it; no records
    entry = json.loads((chunked_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == chunked_search.PAGEFIND_VERSION
    assert (chunked_site / "pagefind/pagefind.js").is_file() and list((chunked_site / "pagefind/fragment").iterdir())
    assert not (chunked_site / "pagefind/pagefind-ui.js").exists()   # Pagefind's own interface is not used
    worker = search.worker_file(chunked_site).read_text(encoding="utf-8")
    assert "Material's search worker for a large site" in worker and "self.workplanSearch = " in worker


def _pagefind_documents(site):
    """Each Pagefind document of a built site (fragment files: gzip of b"pagefind_dcd" + JSON)."""
    out = []
    for fragment in (site / "pagefind/fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        out.append(json.loads(data[len(b"pagefind_dcd"):]))
    return out


def test_a_pagefind_document_is_a_page_and_a_long_page_is_cut_into_parts(built_site, chunked_site):
    """Pagefind's metadata, which every first search downloads, grows with its documents (issue 18.3,
    maintainers/search.md): one per page, its sections in it, not one per record of Material's
    index; the long 工作要点 page in several, together holding every section of the page."""
    records = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    pages = {r["location"] for r in records if "#" not in r["location"]}
    documents = _pagefind_documents(chunked_site)
    by_page = {}
    for document in documents:
        by_page.setdefault(document["meta"].get("page", ""), []).append(document)   # Pagefind drops empty meta (home: "")
    assert set(by_page) == pages
    assert len(documents) < len(records) / 2
    points = by_page["2020/points/"]
    assert len(points) >= 3
    sections = {r["location"].split("#")[1] for r in records if r["location"].startswith("2020/points/#")}
    assert {s for d in points for s in json.loads(d["meta"]["sections"])} == sections
    assert sum(len(parts) > 1 for parts in by_page.values()) <= 3   # the 工作要点 and the API reference


def test_chunked_results_show_the_section_that_matched_under_its_page(chunked_site):
    """北上攻坚年 is in 工作要点 point 20 only (data/2020/points.yaml): the page, then that section."""
    first = search.query_index(chunked_site, "北上攻坚年")[0]
    assert first["location"] == "2020/points/" and first["sections"][:2] == ["2020/points/", "2020/points/#point-20"]


def test_a_page_with_the_words_together_comes_before_one_with_them_apart(chunked_site):
    """港站 (Intl.Segmenter: 港 站) is in item 三（五）-4's title (data/2020/items/3-5.yaml); other items of
    三（五） have 港 (粤港澳) in their text and 站 only in the 网站 of their progress section."""
    assert search.query_index(chunked_site, "港站")[0]["location"] == "2020/items/3-5-4/"


def test_keystrokes_get_one_answer_for_the_latest_query(chunked_site):
    """The page sends a query per keystroke; the worker answers them in turn and drops those a later
    one replaced, so an answer to 市 never redraws the list after the one to 市财政局 (the keyboard
    focus would be lost in the redrawn list)."""
    run = subprocess.run([search.node_binary(), str(search.PAGEFIND_HARNESS), str(search.worker_file(chunked_site)), "5",
                          "市", "市财", "市财政", "市财政局"], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "HARNESS_BURST": "1"})
    assert run.returncode == 0, run.stderr
    answers = json.loads(run.stdout)
    assert len(answers) == 1   # not one per keystroke
    alone = search.query_index(chunked_site, "市财政局", limit=5)
    assert alone[0]["location"] == "units/czj/"
    assert [group[0]["location"] for group in answers[0]] == [result["docs"][0]["location"] for result in alone]


def test_chunked_results_find_a_unit_and_an_item(chunked_site):
    assert search.query_index(chunked_site, "市财政局")[0]["location"] == "units/czj/"
    assert search.query_index(chunked_site, "三（四）2")[0]["location"] == "2020/items/3-4-2/"
    assert search.query_index(chunked_site, "魑魅魍魉") == []


def test_the_offline_bundle_keeps_the_single_index_above_the_threshold(tmp_path):
    site = build_copy(ROOT, tmp_path / "site", offline=True, chunked_above=1)
    assert not (site / "pagefind").exists()
    inlined = (site / "search/search_index.js").read_text(encoding="utf-8")
    assert '"location":"units/czj.html"' in inlined.replace(" ", "")   # offline: no directory URLs


def test_above_the_threshold_without_pagefind_the_build_fails_in_chinese(tmp_path):
    """A machine without `make node` (a project copy has no node_modules/): no site, a clear reason."""
    project = project_copy(tmp_path / "project")
    with pytest.raises(BuildFailed) as failed:
        build_copy(project, tmp_path / "site", chunked_above=1)
    message = str(failed.value)
    assert "超过 mkdocs.yml 中 extra.search_chunked_above 的 1 页" in message
    assert "需要 npm 包 pagefind 1.6.0，没有找到" in message and "make node" in message
    assert not (tmp_path / "site").exists()


def test_above_the_threshold_without_node_the_build_fails_in_chinese(tmp_path, monkeypatch):
    def no_node(*args):
        raise FileNotFoundError("no node")

    monkeypatch.setattr(search, "node_binary", no_node)
    with pytest.raises(BuildFailed, match="本机没有 Node.js.*make node"):
        build_copy(ROOT, tmp_path / "site", chunked_above=1)


class _Plugin:
    def __init__(self, enabled):
        self.config = type("Config", (), {"enabled": enabled})()


class _Config:
    """What hooks._chunk_search_index reads of MkDocs' config."""

    def __init__(self, limit, offline=False):
        self.extra = {"search_chunked_above": limit}
        self.plugins = {"material/offline": _Plugin(offline)}
        self.config_file_path = str(ROOT / "mkdocs.yml")


def _index(tmp_path, pages):
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {}, "docs": [{"location": f"p{i}/"} for i in range(pages)]}))
    return index


@pytest.mark.parametrize(("pages", "limit", "offline", "runs"), [(3, 600, False, False), (3, 2, False, True), (3, 2, True, False)])
def test_the_hook_needs_no_node_below_the_threshold(tmp_path, monkeypatch, pages, limit, offline, runs):
    """Below the threshold (or offline) the hook never looks for Node or pagefind: `make build` at 1×
    works on a machine without them."""
    from workplan import hooks

    calls = []
    monkeypatch.setattr(search, "node_binary", lambda *a: calls.append("node") or "/nonexistent/node")
    monkeypatch.setattr(chunked_search, "build", lambda *a: calls.append("build"))
    hooks._chunk_search_index(_Config(limit, offline), tmp_path, _index(tmp_path, pages))
    assert calls == (["build"] if runs else [])


@pytest.mark.parametrize(("command", "runs"), [("serve", False), ("build", True)])
def test_the_preview_keeps_the_single_index(tmp_path, monkeypatch, command, runs):
    """`make serve` rebuilds on every save: above the threshold it keeps the single index (issue
    18.4); `make build` writes the chunked one."""
    from workplan import hooks, preview

    calls = []
    monkeypatch.setattr(chunked_search, "build", lambda *a: calls.append("build"))
    preview.start(command)
    try:
        hooks._chunk_search_index(_Config(2), tmp_path, _index(tmp_path, 3))
    finally:
        preview.stop()
    assert calls == (["build"] if runs else [])
