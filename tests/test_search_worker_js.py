"""workplan/search_worker.js on its own, in Node: item numbers in the forms people write, the cut of a
query into lunr terms, and what goes back to the search dialog. (tests/test_search_site.py runs it
inside Material's worker on the real site.)"""
from __future__ import annotations

import json
import subprocess

import pytest

from workplan.search import WORKER_JS, node_binary

# Loads the file as the worker does (a script whose `self` is the global object), then evaluates
# CALLS, a JS expression over `ws` (self.workplanSearch), for each input on stdin.
DRIVER = """
const fs = require("node:fs"), vm = require("node:vm")
globalThis.self = globalThis
vm.runInThisContext(fs.readFileSync(process.argv[1], "utf8"))
const ws = self.workplanSearch, input = JSON.parse(fs.readFileSync(0, "utf8"))
const run = new Function("ws", "x", "return " + input.call)
process.stdout.write(JSON.stringify(input.args.map(x => run(ws, x) ?? null)))
"""


def js(call: str, args: list):
    done = subprocess.run([node_binary(), "-e", DRIVER, str(WORKER_JS)], input=json.dumps({"call": call, "args": args}),
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


ITEM_NUMBERS = {
    "3-4-2": "#3.4.2", "三（四）2": "#3.4.2", "三(四)-2": "#3.4.2", "三（四）-2": "#3.4.2", "三(四)2": "#3.4.2",
    " 三（四）— 2 ": "#3.4.2", "三、（四）、2": "#3.4.2", "三（四）第2项": "#3.4.2", "３－４－２": "#3.4.2",
    "一-5": "#1.5", "1-5": "#1.5", "二-13": "#2.13", "三（一）-38": "#3.1.38", "三（七）5": "#3.7.5",
    "十-十二": "#10.12", "二十一-3": "#21.3",
}
NOT_NUMBERS = ["2020", "3", "三", "1.5", "市财政局", "三（四）", "3-4-2 富硒", "三（四）争取", "0-5", ""]


def test_item_numbers_in_every_form():
    assert js("ws.itemNumber(x)", list(ITEM_NUMBERS)) == list(ITEM_NUMBERS.values())


def test_other_queries_are_not_item_numbers():
    assert js("ws.itemNumber(x)", NOT_NUMBERS) == [None] * len(NOT_NUMBERS)


# cut(query, segment, index): `segment` stands in for Material's (the index's words in a run)
CUT = """ws.cut(x.query, run => x.segments[run] ?? [run], Object.fromEntries(x.indexed.map(w => [w, {}])))"""


@pytest.mark.parametrize(("query", "segments", "indexed", "terms"), [
    # every term once as a whole word (boosted), once as a prefix (Material adds the *)
    ("市财政局", {"市财政局": ["市", "财政局"]}, ["市", "财政局"], "市^10 市 财政局^10 财政局"),
    ("caizhengju", {}, [], "caizhengju^10 caizhengju"),
    # brackets and punctuation stay for Material's tokenizer to drop
    ("各县（市、区）", {"各县": ["各县"]}, ["各县", "市", "区"], "各县^10 各县 （ 市^10 市 、 区^10 区 ）"),
    # Material's segment() gave up (returned the run): the longest indexed word at each position
    ("青龙岩", {}, ["青龙", "龙岩", "岩"], "青龙^10 青龙 岩^10 岩"),
    ("公募基金", {}, ["基金"], "基金^10 基金"),
    ("无从查起", {}, [], "无从查起^10 无从查起"),
    # operators and item tokens are left alone
    ("+#3.4.2", {}, [], "+#3.4.2"),
])
def test_cut(query, segments, indexed, terms):
    assert js(CUT, [{"query": query, "segments": segments, "indexed": indexed}]) == [terms]


# search(index, query) with a stand-in for Material's Search: it records each query it is given and
# answers from x.answers (query -> items), returning one group with one document per answer.
SEARCH = """(() => {
  const asked = []
  const index = { search: (q, original) => { asked.push([q, original]); return { items: x.answers[q] ?? [] } } }
  const result = ws.search(index, x.query)
  return { asked, items: result.items }
})()"""


def test_an_item_number_is_searched_as_its_token():
    doc = {"location": "items/3-4-2/", "title": "三（四）-2", "text": "", "terms": {"#3.4.2": True}}
    out = js(SEARCH, [{"query": "三（四）2", "answers": {"+#3.4.2": [[doc]]}}])[0]
    assert out["asked"] == [["+#3.4.2", True]]
    assert out["items"][0][0]["location"] == "items/3-4-2/"


def test_a_number_no_page_has_runs_as_typed():
    out = js(SEARCH, [{"query": "三-5", "answers": {}}])[0]
    assert out["asked"] == [["+#3.5", True], ["三-5", True]]


def test_spaced_pinyin_is_also_searched_joined_and_the_joined_term_is_not_reported():
    doc = {"location": "groups/city-depts/", "title": "市直有关部门", "text": "",
           "terms": {"shi": True, "zhi": True, "shizhi": False}}
    out = js(SEARCH, [{"query": "shi zhi", "answers": {"shi zhi shizhi": [[doc]]}}])[0]
    assert out["asked"] == [["shi zhi shizhi", True]]
    assert out["items"][0][0]["terms"] == {"shi": True, "zhi": True}


def test_a_page_titled_as_typed_comes_first():
    def page(location, title):
        return [{"location": location, "title": title, "text": "", "terms": {}}]
    answers = {"市直有关部门": [page("groups/b/", "市直(驻市)有关部门"), page("items/1/", "一-1 市直有关部门"),
                                page("groups/a/", "<mark>市直</mark>\u200b有关\u200b部门")]}
    out = js(SEARCH, [{"query": "市直有关部门", "answers": answers}])[0]
    assert [group[0]["location"] for group in out["items"]] == ["groups/a/", "groups/b/", "items/1/"]


def test_results_are_cleaned_for_the_dialog():
    doc = {"location": "units/swzzb/#x", "title": "<mark>市委</mark>\u200b组织部",
           "text": "全称\u200b中共\u200b赣州\u200b市委\u200b组织部", "keywords": "shiweizuzhibu swzzb",
           "terms": {"赣州市": False, "委": False, "组织部": True, "宣传": False}}
    out = js(SEARCH, [{"query": "中共赣州市委组织部", "answers": {"中共赣州市委组织部": [[doc]]}}])[0]
    shown = out["items"][0][0]
    assert shown["title"] == "<mark>市委</mark>组织部" and shown["text"] == "全称中共赣州市委组织部"
    assert "keywords" not in shown
    # the text shows 赣州市 and 委: not "缺少"; 宣传 it does not show
    assert shown["terms"] == {"赣州市": True, "委": True, "组织部": True, "宣传": False}
