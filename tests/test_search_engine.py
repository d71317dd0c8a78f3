"""Unit-name search through Material's real worker: a toy site built with jieba, queried with Node.

The toy mirrors the real site's shape: one page per unit (title = canonical name, aliases in the body,
lists of its items), one page per item (title = the item's text from the plan, units in running text).
Items are real rows of the plan, chosen because their titles repeat unit names. The patched toy also
gets the real site's search additions: the worker patches and, from a hook like the site's, each unit
page's keywords (workplan/search_terms.py).
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from workplan.search import (
    MATERIAL_VERSION, UNIT_PAGE_SEARCH_BOOST, WORKER_JS_MARK, WORKER_PATCHES, SearchPatchError,
    jieba_user_dict_lines, patch_search_worker, query_index, query_many)
from workplan.search_terms import short_names

UNITS = {  # canonical name -> aliases
    "市振兴办": [], "市财政局": ["赣州市财政局"], "市税务局": ["国家税务总局赣州市税务局"],
    "市发改委": ["赣州市发展和改革委员会"], "市教育局": [], "市卫健委": ["赣州市卫生健康委员会"],
    "市委组织部": [], "市政府金融办": [], "市国资委": [], "市市场监管局": [], "市科技局": [],
    "市工信局": [], "市交通运输局": [], "赣州海关": [],
    "人民银行赣州中支": ["中国人民银行赣州市中心支行"], "赣州银保监分局": [],
    "赣州经开区": ["赣州经济技术开发区"], "赣州蓉江新区": [],
    "江西理工大学": [], "赣南师范大学": [], "赣南医学院": [],
    "章贡区": [], "南康区": [], "赣县区": ["赣县"], "龙南市": ["龙南县"], "信丰县": [], "大余县": [],
}
ITEMS = [  # (text, lead unit, other units) from the plan's tables
    ("争取国家层面明确延续赣州市执行西部大开发税收政策。", "市振兴办", "市财政局、市税务局、赣州海关"),
    ("力争全年争资 750 亿元以上、新增地方政府债券 150 亿元以上。", "市财政局", "市直(驻市)有关部门"),
    ("全面落实西部大开发财政、税收、投资、金融、产业、人才等各项政策。", "市振兴办", "市直有关单位"),
    ("争取对口支援单位领导到受援地调研指导工作，推动出台新一轮帮扶工作方案或计划。", "市振兴办",
     "各县（市、区）、赣州经开区"),
    ("争取建立中央企业对口支援帮扶机制，办好第三届央企入赣投资合作洽谈会。", "市国资委", "市振兴办"),
    ("力争获批国家普惠金融改革试验区。", "市政府金融办", "人民银行赣州中支、赣州银保监分局"),
    ("探索发行绿色金融债券等绿色金融产品。", "市政府金融办", "赣州银保监分局、人民银行赣州中支"),
    ("赣南师范大学、赣南医学院列入中西部高校基础能力建设工程", "市教育局", "赣南医学院、赣南师范大学"),
    ("推动江西省与中国科学院共建江西理工大学、中国科学院稀土研究院与江西理工大学共建稀土学院，"
     "完善条件推动将江西理工大学划归中国科学院直属管理。", "市教育局", "江西理工大学"),
    ("在全国高校“双一流”建设动态遴选中将江西理工大学冶金工程、矿业工程、材料科学与工程纳入国家一流学科建设范畴。",
     "市教育局", "江西理工大学"),
    ("加快建设中国科学院稀土研究院和国家稀土功能材料创新中心，为争取设立稀土科技与材料国家实验室创造条件。",
     "市科技局", "市工信局、江西理工大学"),
    ("争取国务院国资委授予赣州经开区“央企产能承接示范基地”称号。", "赣州经开区", "市国资委"),
    ("争取筹建赣州国家新能源汽车监督检验中心。", "市市场监管局", "赣州经开区"),
    ("推动开展知识产权运营服务体系建设。", "市市场监管局", "市财政局"),
    ("加快推进 5G 网络部署和规模商用，支持章贡区等争创省级数字经济创新发展试验基地。", "市工信局",
     "市发改委、章贡区"),
    ("推动赣县、信丰建设国家知识产权强县工程示范县。", "市市场监管局", "赣县区、信丰县"),
    ("加快推进大广高速南康至龙南段扩容工程，开工建设寻乌南桥至广东龙川、信丰至南雄高速公路。",
     "市交通运输局", "章贡区、南康区、赣县区、龙南县、信丰县、大余县"),
    ("推进大余新城机场军民合用及定南、石城、宁都、安远、崇义、龙南等通用机场建设前期工作。", "市发改委",
     "市交通运输局、大余县、龙南县"),
    ("争取将赣州儿童医院、中医院新院、市立医院新院列为国家、省“十四五”规划项目。", "市卫健委",
     "市发改委，章贡区、赣州蓉江新区"),
]

# query -> the unit page that must come first
FULL = {n: n for n in ["市财政局", "赣州经开区", "江西理工大学", "市振兴办", "赣南医学院", "人民银行赣州中支",
                       "章贡区", "市卫健委", "市政府金融办", "赣南师范大学", "市市场监管局", "龙南市"]}
PARTIAL = {"财政局": "市财政局", "振兴办": "市振兴办", "经开区": "赣州经开区", "理工大学": "江西理工大学",
           "医学院": "赣南医学院", "卫健委": "市卫健委", "金融办": "市政府金融办", "师范大学": "赣南师范大学",
           "市场监管局": "市市场监管局", "人民银行": "人民银行赣州中支", "龙南": "龙南市"}
ALIAS = {"龙南县": "龙南市", "赣州经济技术开发区": "赣州经开区", "赣州市财政局": "市财政局", "赣县": "赣县区"}
COUNTIES = {"章贡区", "南康区", "赣县区", "龙南市", "信丰县", "大余县"}
# Topic queries must still put an item first: guards against boosting unit pages too much
TOPICS = ["稀土", "西部大开发", "绿色金融", "知识产权", "新能源汽车", "通用机场", "对口支援"]


# The toy's on_post_build: what workplan/hooks.py does for the real site's unit pages.
TOY_HOOK = """
import json, pathlib
from workplan import search_terms

def on_post_build(config):
    units = json.loads(pathlib.Path(__file__).with_name("units.json").read_text(encoding="utf-8"))
    pages = {f"units/{slug}/": search_terms.name_terms(search_terms.name_forms(name, None, aliases, county))
             for slug, name, aliases, county in units}
    search_terms.add_keywords(pathlib.Path(config.site_dir) / "search/search_index.json", pages)
"""


def write_toy_site(root: pathlib.Path, keywords: bool = False) -> pathlib.Path:
    """Write docs, user dictionary and mkdocs.yml under root; return the config file. `keywords`:
    with the hook that adds the unit pages' keywords to the search index."""
    docs = root / "docs"
    for sub in ("units", "items"):
        (docs / sub).mkdir(parents=True)
    (docs / "index.md").write_text("# 赣南苏区振兴发展 2020 年工作要点\n\n按单位和事项查阅。\n")
    canonical = {alias: unit for unit, aliases in UNITS.items() for alias in [unit, *aliases]}
    slug = {unit: f"u{n:02d}" for n, unit in enumerate(UNITS)}
    lists = {unit: {"牵头事项": [], "参与事项": []} for unit in UNITS}
    for n, (text, lead, others) in enumerate(ITEMS, 1):
        names = [lead, *others.replace("，", "、").split("、")]
        links = [f"[{name}](../units/{slug[canonical[name]]}.md)" if name in canonical else name
                 for name in names]
        for name in names:
            if name in canonical:
                lists[canonical[name]]["牵头事项" if name == lead else "参与事项"].append((n, text))
        (docs / "items" / f"i{n:03d}.md").write_text(
            f"# {n}. {text}\n\n牵头单位：{links[0]}\n\n责任单位：{'、'.join(links[1:])}\n")
    for unit, aliases in UNITS.items():
        page = ["---", "search:", f"  boost: {UNIT_PAGE_SEARCH_BOOST}", "---", "", f"# {unit}", ""]
        if aliases:
            page += [f"别名：{'、'.join(aliases)}", ""]
        for heading, rows in lists[unit].items():
            if rows:  # derived lists: the items have pages of their own
                page += [f"## {heading} {{ data-search-exclude }}", ""]
                page += [f"- [{text}](../items/i{n:03d}.md)" for n, text in rows] + [""]
        (docs / "units" / f"{slug[unit]}.md").write_text("\n".join(page))

    user_dict = root / "jieba_user.txt"
    names = [n for unit, aliases in UNITS.items() for n in short_names(unit, aliases, unit in COUNTIES)]
    user_dict.write_text("\n".join(jieba_user_dict_lines(names)) + "\n", encoding="utf-8")
    (root / "units.json").write_text(json.dumps(
        [(slug[unit], unit, aliases, unit in COUNTIES) for unit, aliases in UNITS.items()], ensure_ascii=False))
    (root / "toy_hook.py").write_text(TOY_HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(json.dumps({  # JSON is YAML
        "site_name": "赣南苏区振兴发展 2020 年工作要点",
        "theme": {"name": "material", "language": "zh", "font": False},
        "markdown_extensions": ["attr_list"],
        # separator: Material's zh default ([\s\u200b\u3000\-、。，．？！；]+) keeps jieba's U+200B cuts
        "plugins": [{"search": {"jieba_dict_user": str(user_dict)}}],
        "hooks": ["toy_hook.py"] if keywords else [],
    }, ensure_ascii=False), encoding="utf-8")
    return config


def build_toy_site(root: pathlib.Path, keywords: bool) -> pathlib.Path:
    config = write_toy_site(root, keywords)
    # A process of its own: jieba's dictionary is global and load_userdict only ever adds words
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return root / "site"


@pytest.fixture(scope="module")
def unpatched_site(tmp_path_factory) -> pathlib.Path:
    """Material's search as it comes (no keywords, worker unpatched)."""
    return build_toy_site(tmp_path_factory.mktemp("toy"), keywords=False)


@pytest.fixture(scope="module")
def patched_site(tmp_path_factory) -> pathlib.Path:
    site = build_toy_site(tmp_path_factory.mktemp("toy-patched"), keywords=True)
    patch_search_worker(site)
    return site


@pytest.fixture(scope="module")
def results(patched_site) -> dict[str, list[dict]]:
    queries = [*FULL, *PARTIAL, *ALIAS, *TOPICS]
    return dict(zip(queries, query_many(patched_site, queries, limit=3)))


@pytest.mark.parametrize("query,unit", [*FULL.items(), *PARTIAL.items(), *ALIAS.items()])
def test_unit_page_first(results, query, unit):
    top = [r["title"] for r in results[query]]
    assert top and top[0] == unit, f"{query!r}: {top}"
    assert results[query][0]["location"].startswith("units/")


@pytest.mark.parametrize("query", TOPICS)
def test_topic_query_finds_an_item_first(results, query):
    assert results[query] and results[query][0]["location"].startswith("items/"), results[query]


def test_query_index_runs_the_built_worker(patched_site):
    results = query_index(patched_site, "市财政局", limit=2)
    assert len(results) == 2
    assert {"location", "title", "score", "terms", "docs"} <= results[0].keys()
    # The whole query was searched, and the page has both words: no "缺少: 市*" (unpatched, below)
    assert results[0]["terms"] == {"市": True, "财政局": True}


def test_unpatched_worker_drops_the_last_word(unpatched_site):
    # 市财政局 is cut against the index as 市|财政 and 局 is never tried: 财政局 is not searched for
    # at all (the page still comes first here only because 财政* happens to prefix-match 财政局),
    # and the 市 the page's title shows is reported missing ("市*": False, shown as 缺少: 市*).
    assert query_index(unpatched_site, "市财政局")[0]["terms"] == {"市*": False, "财政": True}
    # Where the front is a word and the rest is not its prefix, only the front is searched:
    # 赣州经开区 runs as 赣州*, 江西理工大学 as 江西*, and another page wins.
    for query in ("赣州经开区", "江西理工大学", "赣南医学院"):
        top = query_index(unpatched_site, query, limit=1)[0]
        assert top["title"] != query, top


def test_patch_is_idempotent(unpatched_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(unpatched_site, site)
    worker = patch_search_worker(site)
    code = worker.read_text(encoding="utf-8")
    for patch in WORKER_PATCHES:
        assert code.count(patch.patched) == 1 and patch.snippet not in code, patch.name
    assert code.count(WORKER_JS_MARK) == 1
    assert code.rstrip().splitlines()[-1].startswith("//# sourceMappingURL=")   # still last
    assert patch_search_worker(site) == worker
    assert worker.read_text(encoding="utf-8") == code


@pytest.mark.parametrize("patch", WORKER_PATCHES, ids=lambda p: p.name)
@pytest.mark.parametrize("copies", [0, 2])
def test_patch_fails_loudly_on_unexpected_worker(tmp_path, patch, copies):
    """A worker where one snippet is missing or twice: nothing is written, the error names it."""
    body = ";".join(p.snippet * (copies if p is patch else 1) for p in WORKER_PATCHES)
    workers = tmp_path / "assets/javascripts/workers"
    workers.mkdir(parents=True)
    (workers / "search.0000.min.js").write_text(body)
    with pytest.raises(SearchPatchError) as error:
        patch_search_worker(tmp_path)
    assert patch.name in str(error.value) and MATERIAL_VERSION in str(error.value)
    assert (workers / "search.0000.min.js").read_text() == body


def test_patch_fails_without_worker(tmp_path):
    with pytest.raises(SearchPatchError):
        patch_search_worker(tmp_path)


def test_user_dict_keeps_the_part_people_type():
    lines = jieba_user_dict_lines(["市财政局", "赣州经开区", "江西理工大学", "人民银行赣州中支", "龙南县",
                                   "市市场监管局", "中国人民银行赣州市中心支行", "市财政局"])
    words = [line.split()[0] for line in lines]
    assert words == sorted(set(words))
    assert {"财政局", "经开区", "理工大学", "人民银行", "中支", "龙南县", "市场监管局", "中心支行"} == set(words)
    assert all(len(line.split()) == 3 for line in lines)  # word freq tag
