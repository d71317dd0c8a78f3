"""What a unit, county, group or item page adds to the search index (workplan/search_terms.py), and
the pinyin it is found by (workplan/pinyin.py), against readings written down by hand."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml
from search_suite import NAME_PINYIN, ROOT

from workplan.pinyin import syllables
from workplan.search import jieba_user_dict_lines
from workplan.search_terms import (
    PageTerms, inner_words, item_number_token, name_forms, name_pieces, pinyin_tokens, short_names)

REGISTRY = yaml.safe_load((ROOT / "data" / "units.yaml").read_text(encoding="utf-8"))
NAMES = list(dict.fromkeys(
    [n for u in REGISTRY["units"] for n in (u["name"], u.get("full_name"), *(u.get("aliases") or [])) if n]
    + [n for g in REGISTRY["groups"] for n in (g["name"], *(g.get("aliases") or []))]))


@pytest.mark.parametrize("name", [n for n in NAMES if n in NAME_PINYIN])
def test_names_read_as_people_type_them(name):
    """The readings of tests/search_suite.py, checked by hand: 银行 yin hang, 人行 ren hang, 宁都 and
    于都 du (pypinyin's phrase dictionary says dou), 重点 zhong, 行政 xing, 会昌 hui, 崇义 chong."""
    assert " ".join(syllables(name)) == NAME_PINYIN[name]


def test_tricky_readings_written_out():
    assert syllables("人民银行赣州中支") == ["ren", "min", "yin", "hang", "gan", "zhou", "zhong", "zhi"]
    assert syllables("人行赣州中支")[:2] == ["ren", "hang"]
    assert syllables("中国人民银行赣州市中心支行")[-2:] == ["zhi", "hang"]
    assert syllables("宁都县") == ["ning", "du", "xian"] and syllables("于都县") == ["yu", "du", "xian"]
    assert syllables("市重点办") == ["shi", "zhong", "dian", "ban"]
    assert syllables("市行政审批局")[1:3] == ["xing", "zheng"]
    assert syllables("市文广新旅局")[4] == "lv"
    assert syllables("各县（市、区）") == ["ge", "xian", "shi", "qu"]


def test_names_without_a_written_reading_read_as_pypinyins_phrase_dictionary():
    """A name added to the registry after NAME_PINYIN was written: its reading must at least agree
    with pypinyin's full phrase dictionary (run in a process of its own, where it is loaded). When
    this fails, check the name by hand and add it to NAME_PINYIN in tests/search_suite.py, and the
    word that reads wrong to workplan/pinyin.py NAME_WORDS."""
    new = [n for n in NAMES if n not in NAME_PINYIN]
    if not new:
        return
    code = ("import json, sys; from workplan.pinyin import syllables; from pypinyin import constants; "
            "assert len(constants.PHRASES_DICT) > 10000; "
            "print(json.dumps([' '.join(syllables(n)) for n in json.load(sys.stdin)]))")
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(new), capture_output=True, text=True,
                          env={**os.environ, "PYPINYIN_NO_PHRASES": ""}, check=True)
    differ = [f"{name}: 网站读作 {ours}，pypinyin 词组词典读作 {theirs}" for name, ours, theirs
              in zip(new, (" ".join(syllables(n)) for n in new), json.loads(done.stdout)) if ours != theirs]
    assert not differ, ("单位名称的拼音可能读错（多音字），请核对 (check the reading by hand; see maintainers/search.md):\n"
                        + "\n".join(differ))


def test_name_forms():
    assert name_forms("市财政局", "赣州市财政局") == ["市财政局", "赣州市财政局", "财政局"]
    forms = name_forms("市委组织部", "中共赣州市委组织部")
    assert {"市委组织部", "中共赣州市委组织部", "组织部", "赣州市委组织部"} <= set(forms)
    assert "中共" not in forms   # a piece of the full name, not a name of the unit
    assert {"瑞金市", "瑞金"} <= set(name_forms("瑞金市", "瑞金市", county=True))
    assert {"龙南市", "龙南县", "龙南"} <= set(name_forms("龙南市", None, ["龙南县"], county=True))
    zone = name_forms("赣州经开区", "赣州经济技术开发区", ["赣州经济技术开发区"])
    assert {"经开区", "经济技术开发区"} <= set(zone) and "赣州经开" not in zone
    assert {"人民银行", "中支"} <= set(name_forms("人民银行赣州中支"))


def test_short_names_feed_the_jieba_dictionary():
    """Counties also go in without 县/区/市, so jieba cuts 至大余 as 至|大余 and 大余 finds 大余县."""
    assert short_names("大余县", (), county=True) == ["大余县", "大余"]
    assert short_names("赣县区", ["赣县"], county=True) == ["赣县区", "赣县"]
    words = [line.split()[0] for line in jieba_user_dict_lines(short_names("大余县", (), county=True))]
    assert words == ["大余", "大余县"]
    assert name_pieces("人民银行赣州中支") == ["人民银行", "中支"]


def test_pinyin_tokens():
    tokens = pinyin_tokens(["市文广新旅局"])
    assert tokens[:3] == ["shiwenguangxinlvju", "swgxlj", "shi"]
    assert {"shiwenguangxinluju", "lv", "lu"} <= set(tokens)   # ü typed as v or u
    assert pinyin_tokens(["各县（市、区）"])[:2] == ["gexianshiqu", "gxsq"]


def test_item_number_token():
    assert item_number_token("3-4-2") == "#3.4.2" and item_number_token("1-5") == "#1.5"


def test_inner_words_are_the_index_words_inside_a_text():
    vocabulary = {"青龙", "龙岩", "岩", "寻乌", "石城"}
    assert inner_words("寻乌青龙岩、石城", vocabulary, longest=2) == ["寻乌", "青龙", "龙岩", "岩", "石城"]
    assert inner_words("寻乌青龙岩", vocabulary, longest=1) == ["岩"]


def test_keywords_join_the_index(tmp_path):
    """add_keywords: the page's words, then every index word inside its texts; the field declared
    with a title's weight; the index written as UTF-8."""
    from workplan.search_terms import add_keywords

    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {"separator": "[\\s\\u200b]+", "fields": {}}, "docs": [
        {"location": "units/x/", "title": "市\u200b财政局", "text": ""},
        {"location": "items/1-1/", "title": "一-1 财政\u200b资金", "text": "<p>财政\u200b资金\u200b管理</p>"}]}))
    add_keywords(index, {"units/x/": PageTerms(("市", "财政局", "czj"), ("赣州市财政局",)),
                         "items/1-1/": PageTerms(("#1.1",), ("财政资金管理",))})
    data = json.loads(index.read_text(encoding="utf-8"))
    assert data["config"]["fields"]["keywords"] == {"boost": 1000.0}
    assert data["docs"][0]["keywords"] == "市 财政局 czj 财政"
    assert data["docs"][1]["keywords"] == "#1.1 财政 资金 管理"
    assert "财政局" in index.read_text(encoding="utf-8")   # UTF-8, not \uXXXX escapes
