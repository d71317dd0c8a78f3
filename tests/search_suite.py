"""The search query suite (issue 17): queries a reader types, derived from data/ with code that
shares nothing with workplan's search code, each with the pages that must come back.

- names: for every unit, county and group of data/units.yaml, its short name, the name without the
  city prefix (财政局 for 市财政局), the letterhead form (赣州市财政局), its full official name, its
  aliases and former names, their pinyin (full, spaced) and initials. Expected page: units/<id>/,
  or counties/<id>/ for a unit with a `division`, groups/<id>/ for a group — read from the YAML.
- numbers: every item of the attachment in the forms people write (3-4-2, 三（四）-2, 三（四）2,
  三(四)-2, 一-5, 1-5), built from attachment.yaml's numerals and the item files. Expected page:
  <year>/items/<category>-<number>/ of the newest edition (its year folder's name).
- topics: phrases of 2–5 characters inside longer names in the item texts (see TOPICS); expected:
  the items whose text contains the phrase (plain substring search).

Pinyin is written down here by hand (NAME_PINYIN, every name checked against the reading people
type: 银行 yin hang, 宁都 ning du …), not computed, so a wrong reading in workplan.pinyin cannot
produce the very query that tests it.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PRECISION_REPORT = ROOT / "test-artifacts" / "search-precision.md"   # written by test_search_site.py

# Every name, full name and alias in data/units.yaml, as typed in pinyin (syllables, no tones; ü as v,
# as on a phone keyboard). Checked by hand; the polyphonic ones are marked.
NAME_PINYIN = {
    "市振兴办": "shi zhen xing ban",
    "市委组织部": "shi wei zu zhi bu",
    "中共赣州市委组织部": "zhong gong gan zhou shi wei zu zhi bu",
    "市财政局": "shi cai zheng ju",
    "赣州市财政局": "gan zhou shi cai zheng ju",
    "市教育局": "shi jiao yu ju",
    "赣州市教育局": "gan zhou shi jiao yu ju",
    "市发改委": "shi fa gai wei",
    "赣州市发展和改革委员会": "gan zhou shi fa zhan he gai ge wei yuan hui",
    "市委办公室": "shi wei ban gong shi",
    "中共赣州市委办公室": "zhong gong gan zhou shi wei ban gong shi",
    "市政府办公室": "shi zheng fu ban gong shi",
    "赣州市人民政府办公室": "gan zhou shi ren min zheng fu ban gong shi",
    "市委宣传部": "shi wei xuan chuan bu",                       # 传 chuan, not zhuan
    "中共赣州市委宣传部": "zhong gong gan zhou shi wei xuan chuan bu",
    "市国资委": "shi guo zi wei",
    "赣州市人民政府国有资产监督管理委员会": "gan zhou shi ren min zheng fu guo you zi chan jian du guan li wei yuan hui",
    "市商务局": "shi shang wu ju",
    "赣州市商务局": "gan zhou shi shang wu ju",
    "市公路局": "shi gong lu ju",
    "市行政审批局": "shi xing zheng shen pi ju",                 # 行 xing here
    "赣州市行政审批局": "gan zhou shi xing zheng shen pi ju",
    "市委编办": "shi wei bian ban",
    "中共赣州市委机构编制委员会办公室": "zhong gong gan zhou shi wei ji gou bian zhi wei yuan hui ban gong shi",
    "市司法局": "shi si fa ju",
    "赣州市司法局": "gan zhou shi si fa ju",
    "市文广新旅局": "shi wen guang xin lv ju",                   # 旅 lü, typed lv
    "赣州市文化广电新闻出版旅游局": "gan zhou shi wen hua guang dian xin wen chu ban lv you ju",
    "市卫健委": "shi wei jian wei",
    "赣州市卫生健康委员会": "gan zhou shi wei sheng jian kang wei yuan hui",
    "市科技局": "shi ke ji ju",
    "赣州市科学技术局": "gan zhou shi ke xue ji shu ju",
    "市政府金融办": "shi zheng fu jin rong ban",
    "市交通运输局": "shi jiao tong yun shu ju",
    "赣州市交通运输局": "gan zhou shi jiao tong yun shu ju",
    "市口岸办": "shi kou an ban",
    "市住房和城乡建设局": "shi zhu fang he cheng xiang jian she ju",  # 和 he
    "市住建局": "shi zhu jian ju",
    "赣州市住房和城乡建设局": "gan zhou shi zhu fang he cheng xiang jian she ju",
    "市大数据发展管理局": "shi da shu ju fa zhan guan li ju",      # 数 shu
    "市大数据局": "shi da shu ju ju",
    "赣州市大数据发展管理局": "gan zhou shi da shu ju fa zhan guan li ju",
    "市市场监管局": "shi shi chang jian guan ju",
    "赣州市市场监督管理局": "gan zhou shi shi chang jian du guan li ju",
    "市工信局": "shi gong xin ju",
    "赣州市工业和信息化局": "gan zhou shi gong ye he xin xi hua ju",
    "市铁办": "shi tie ban",
    "市重点办": "shi zhong dian ban",                           # 重 zhong, not chong
    "市自然资源局": "shi zi ran zi yuan ju",
    "赣州市自然资源局": "gan zhou shi zi ran zi yuan ju",
    "市水利局": "shi shui li ju",
    "赣州市水利局": "gan zhou shi shui li ju",
    "市农业农村局": "shi nong ye nong cun ju",
    "赣州市农业农村局": "gan zhou shi nong ye nong cun ju",
    "市林业局": "shi lin ye ju",
    "赣州市林业局": "gan zhou shi lin ye ju",
    "市果业局": "shi guo ye ju",
    "市扶贫办": "shi fu pin ban",
    "市生态环境局": "shi sheng tai huan jing ju",
    "赣州市生态环境局": "gan zhou shi sheng tai huan jing ju",
    "市山水林田湖生态保护中心": "shi shan shui lin tian hu sheng tai bao hu zhong xin",
    "市人社局": "shi ren she ju",
    "赣州市人力资源和社会保障局": "gan zhou shi ren li zi yuan he she hui bao zhang ju",
    "市税务局": "shi shui wu ju",
    "国家税务总局赣州市税务局": "guo jia shui wu zong ju gan zhou shi shui wu ju",
    "赣州海关": "gan zhou hai guan",
    "中华人民共和国赣州海关": "zhong hua ren min gong he guo gan zhou hai guan",
    "人民银行赣州中支": "ren min yin hang gan zhou zhong zhi",     # 行 hang
    "人行赣州中支": "ren hang gan zhou zhong zhi",                 # 人行 ren hang (the bank), not ren xing
    "中国人民银行赣州市中心支行": "zhong guo ren min yin hang gan zhou shi zhong xin zhi hang",
    "赣州银保监分局": "gan zhou yin bao jian fen ju",
    "国家金融监督管理总局赣州监管分局": "guo jia jin rong jian du guan li zong ju gan zhou jian guan fen ju",
    "中国银行保险监督管理委员会赣州监管分局":
        "zhong guo yin hang bao xian jian du guan li wei yuan hui gan zhou jian guan fen ju",
    "章贡区": "zhang gong qu",
    "南康区": "nan kang qu",
    "赣县区": "gan xian qu",
    "赣县": "gan xian",
    "信丰县": "xin feng xian",
    "大余县": "da yu xian",
    "上犹县": "shang you xian",
    "崇义县": "chong yi xian",                                   # 崇 chong
    "安远县": "an yuan xian",
    "定南县": "ding nan xian",
    "全南县": "quan nan xian",
    "宁都县": "ning du xian",                                    # 都 du in place names, not dou
    "于都县": "yu du xian",
    "兴国县": "xing guo xian",
    "会昌县": "hui chang xian",                                  # 会 hui, not kuai
    "寻乌县": "xun wu xian",
    "石城县": "shi cheng xian",
    "瑞金市": "rui jin shi",
    "龙南市": "long nan shi",
    "龙南县": "long nan xian",
    "赣州经开区": "gan zhou jing kai qu",
    "赣州经济技术开发区": "gan zhou jing ji ji shu kai fa qu",
    "赣州蓉江新区": "gan zhou rong jiang xin qu",
    "蓉江新区": "rong jiang xin qu",
    "赣州国际陆港管委会": "gan zhou guo ji lu gang guan wei hui",
    "赣州综保区": "gan zhou zong bao qu",
    "江西理工大学": "jiang xi li gong da xue",
    "赣南医学院": "gan nan yi xue yuan",
    "赣南师范大学": "gan nan shi fan da xue",
    "江西应用技术职业学院": "jiang xi ying yong ji shu zhi ye xue yuan",
    "赣南科学院": "gan nan ke xue yuan",
    "赣州机场分公司": "gan zhou ji chang fen gong si",
    "赣州供电公司": "gan zhou gong dian gong si",                 # 供 gong (first tone)
    "各县（市、区）": "ge xian shi qu",
    "各县(市、区)": "ge xian shi qu",
    "市直(驻市)有关部门": "shi zhi zhu shi you guan bu men",
    "市直（驻市）有关部门": "shi zhi zhu shi you guan bu men",
    "市直(驻市)部门": "shi zhi zhu shi bu men",
    "市直（驻市）部门": "shi zhi zhu shi bu men",
    "市直有关部门": "shi zhi you guan bu men",
    "市直有关单位": "shi zhi you guan dan wei",                   # 单 dan, not shan
    "单位": "dan wei",
}

# Topic phrases a reader types, each a piece of 2–5 characters of a longer name in the item texts
# (projects, places, products). Chosen by hand because which piece of 赣州顺丰物流创新产业园 a reader
# types is a judgement; a program would need a word segmenter, and the search code is one (jieba):
# deriving the queries with it would test jieba against itself. What they must find is not chosen:
# every item whose text contains the phrase (suite() fails on a phrase that is in no item).
# topics_from_data() below adds the pieces of the registry's place mentions and of quoted names.
TOPICS = [
    "稀土", "富硒", "茶油", "油茶", "柑橘", "黄龙病", "钨业", "章源", "陆港", "综保区", "三百山", "梯田",
    "天龙山", "八卦脑", "青龙岩", "宋城", "家居小镇", "公募基金", "瑞京", "人寿", "映山红", "新三板",
    "顺丰", "物流枢纽", "结算中心", "黄金机场", "航空口岸", "快件", "儿童医院", "肿瘤医院", "结核病",
    "地中海贫血", "数据备份", "知识产权", "军民融合", "新能源汽车", "纺织服装", "资本金", "赣韶铁路",
    "赣龙厦", "赣广高铁", "扩容工程", "厦蓉高速", "联络线", "新城机场", "通用机场", "货运码头", "水库",
    "农村路", "自贸区", "港站", "大湾区", "产学研", "旅游专列", "直通车", "高新区", "工业园", "东江流域",
    "生态补偿", "退化林", "水土保持", "绿色金融", "引智基地", "孵化基地", "附属中学", "证券公司", "普惠金融",
    "服务外包", "长征", "医科大学", "双一流", "冶金工程", "博士学位", "疾病预防", "中医院", "数字经济",
    "5G", "信息技术", "检验中心", "研究院", "功能材料", "产能承接", "工业设计", "富硒蔬菜", "产业园",
    "先导区", "粮谷", "平行进口", "二手车", "桥头堡", "东江", "封山育林", "债券", "彩票公益金",
    "联席会议", "挂职干部", "央企", "西部大开发", "瑞兴于", "许可权", "市属国有企业", "外包示范城市",
]

# Places that prefix a name: the city and the province, plus every county's own forms (below).
CITY_PLACES = ("赣州市", "赣州", "赣南", "江西省", "江西")
CITY_PREFIXES = ("市委", "市政府", "市")   # 市财政局 → 财政局; 市委组织部 → 组织部
DIVISION_SUFFIXES = ("县", "区", "市")   # 瑞金市 → 瑞金


@dataclass(frozen=True)
class Query:
    kind: str                   # a row of the precision table (KINDS)
    text: str
    expected: frozenset[str]    # page locations ("units/czj/"); several when the query names several pages
    first: bool                 # True: an expected page must come first (and all of them before any other)

    def passed(self, locations: list[str]) -> bool:
        if self.first:
            return set(locations[:len(self.expected)]) == self.expected
        return bool(self.expected & set(locations[:5]))


KINDS = {  # kind → what the precision table calls it
    "name": "单位简称（文件写法）", "core": "去掉“市”“赣州”的简称", "letterhead": "加“赣州市”的写法",
    "full": "全称", "alias": "别名、曾用名", "county": "县（市、区）名称与简称", "group": "集体名称",
    "pinyin": "拼音全拼", "spaced": "拼音（带空格）", "initials": "拼音首字母",
    "number": "事项编号（各种写法）", "topic": "主题词（复合词中的 2–5 字）",
}


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def latest_year(root: Path = ROOT) -> Path:
    return max((p for p in (root / "data").iterdir() if p.name.isdigit()), key=lambda p: int(p.name))


def _strip_prefix(name: str, prefixes) -> str | None:
    for prefix in prefixes:
        if name.startswith(prefix) and len(name) - len(prefix) >= 2:
            return name[len(prefix):]
    return None


def _han(name: str) -> str:
    return "".join(ch for ch in name if "\u4e00" <= ch <= "\u9fff")


def _pinyin_forms(name: str) -> dict[str, str]:
    """kind → query for a name with a written-down reading: full (no spaces), spaced, initials."""
    syllables = NAME_PINYIN.get(name, "").split()
    if not syllables:
        return {}
    return {"pinyin": "".join(syllables), "spaced": " ".join(syllables), "initials": "".join(s[0] for s in syllables)}


def name_queries(root: Path = ROOT) -> list[Query]:
    registry = _yaml(root / "data" / "units.yaml")
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)   # (kind, text) → pages

    def add(kind: str, text: str | None, page: str) -> None:
        if text:
            wanted[(kind, text)].add(page)

    for unit in registry["units"]:
        page = f"{'counties' if unit.get('division') else 'units'}/{unit['id']}/"
        # Earlier and later names (names: …) are found like aliases: 龙南县 → 龙南市's page.
        name, full = unit["name"], unit.get("full_name")
        aliases = [*(unit.get("aliases") or []), *(n["name"] for n in unit.get("names") or [])]
        place = bool(unit.get("division"))
        add("county" if place else "name", name, page)
        core = _strip_prefix(name, CITY_PREFIXES) or _strip_prefix(name, CITY_PLACES)
        if place and unit["kind"] == "县（市、区）":
            core = name[:-1] if name.endswith(DIVISION_SUFFIXES) and len(name) > 2 else None
        add("county" if place else "core", core, page)
        if name.startswith("市"):
            add("letterhead", "赣州" + name, page)
        if full and full != name:
            add("full", full, page)
        for alias in aliases:
            add("alias", alias, page)
        for form in dict.fromkeys([name, core]):
            for kind, text in _pinyin_forms(form or "").items():
                add(kind, text, page)
        if core and core not in NAME_PINYIN:   # the core's reading is that part of the name's
            syllables, start = NAME_PINYIN.get(name, "").split(), _han(name).find(_han(core))
            if syllables and start >= 0:
                rest = syllables[start:start + len(_han(core))]
                add("pinyin", "".join(rest), page)
                add("initials", "".join(s[0] for s in rest), page)
    for group in registry["groups"]:
        page = f"groups/{group['id']}/"
        for text in (group["name"], *(group.get("aliases") or [])):
            if len(text) > 2:   # "单位" alone is the remainder of "X等单位", not a name readers type
                add("group", text, page)
        for kind, text in _pinyin_forms(group["name"]).items():
            add(kind, text, page)
    # One query, one row: when two kinds give the same text (赣县 is an alias and a short form), keep the first.
    seen: dict[str, Query] = {}
    for (kind, text), pages in wanted.items():
        if text in seen:
            prev = seen[text]
            seen[text] = Query(prev.kind, text, prev.expected | pages, True)
        else:
            seen[text] = Query(kind, text, frozenset(pages), True)
    return list(seen.values())


def _items(year_dir: Path) -> list[tuple[str, str, str, str]]:
    """(category id, part numeral, sub numeral or "", number, text) of every item, from the YAML."""
    att = _yaml(year_dir / "attachment.yaml")
    numerals: dict[str, tuple[str, str]] = {}
    for part in att["parts"]:
        numerals[str(part["id"])] = (part["number"], "")
        for sub in part.get("categories") or []:
            numerals[str(sub["id"])] = (part["number"], sub["number"].strip("（）()"))
    out = []
    for path in sorted((year_dir / "items").glob("*.yaml")):
        data = _yaml(path)
        cat = str(data["category"])
        for item in data["items"]:
            out.append((cat, *numerals[cat], str(item["number"]), item["text"]))
    return out


def _arabic(numeral: str) -> str:
    digits = "一二三四五六七八九"
    if numeral in digits:
        return str(digits.index(numeral) + 1)
    raise AssertionError(f"test data: numeral {numeral!r} (extend _arabic)")


def number_queries(root: Path = ROOT) -> list[Query]:
    out = []
    year = latest_year(root)
    for cat, part, sub, number, _ in _items(year):
        page = frozenset([f"{year.name}/items/{cat}-{number}/"])
        if sub:
            arabic = f"{_arabic(part)}-{_arabic(sub)}-{number}"
            forms = [arabic, f"{part}（{sub}）-{number}", f"{part}（{sub}）{number}", f"{part}({sub})-{number}",
                     f"{part}({sub}){number}"]
        else:
            forms = [f"{_arabic(part)}-{number}", f"{part}-{number}"]
        out += [Query("number", form, page, True) for form in forms]
    return out


def _place_prefixes(registry) -> list[str]:
    """Every place name that can start a longer name: the city's, and each county's forms."""
    places = set(CITY_PLACES)
    for unit in registry["units"]:
        if unit.get("division"):
            places.update([unit["name"], *(unit.get("aliases") or []), *(n["name"] for n in unit.get("names") or [])])
            places.update(m for m in unit.get("mentions") or [] if len(m) <= 3)
            if unit["name"].endswith(DIVISION_SUFFIXES):
                places.add(unit["name"][:-1])
    return sorted(places, key=len, reverse=True)


def topics_from_data(root: Path = ROOT) -> list[str]:
    """Pieces of names in the data: the registry's place mentions (安远三百山 → 三百山, 南康站) and the
    names the items quote (“赣南茶油” → 茶油, “四好农村路”), with their place prefix removed; kept when
    2–5 characters long."""
    registry = _yaml(root / "data" / "units.yaml")
    texts = [item[-1] for item in _items(latest_year(root))]
    names = [m for u in registry["units"] for m in u.get("mentions") or []]
    names += [q for text in texts for q in re.findall(r"[“《]([^”》]+)[”》]", text)]
    places = _place_prefixes(registry)
    out = []
    for name in names:
        for piece in (name, next((name[len(p):] for p in places if name.startswith(p)), None)):
            if piece and 2 <= len(piece) <= 5 and piece.isalnum() and piece not in places \
                    and any(piece in t for t in texts):
                out.append(piece)
    return out


def topic_queries(root: Path = ROOT) -> list[Query]:
    year = latest_year(root)
    items = _items(year)
    out = []
    for phrase in dict.fromkeys([*TOPICS, *topics_from_data(root)]):
        pages = frozenset(f"{year.name}/items/{cat}-{number}/" for cat, _, _, number, text in items if phrase in text)
        assert pages, f"test data: topic {phrase!r} is in no item text"
        out.append(Query("topic", phrase, pages, False))
    return out


def suite(root: Path = ROOT) -> list[Query]:
    return [*name_queries(root), *number_queries(root), *topic_queries(root)]


def precision_table(queries: list[Query], results: dict[str, list[str]]) -> tuple[str, list[Query]]:
    """A Markdown table (kind, queries, first, top five) and the queries that failed their rule."""
    rows, failed = [], []
    for kind, label in KINDS.items():
        mine = [q for q in queries if q.kind == kind]
        if not mine:
            continue
        first = sum(1 for q in mine if results[q.text][:1] and results[q.text][0] in q.expected)
        top5 = sum(1 for q in mine if q.expected & set(results[q.text][:5]))
        failed += [q for q in mine if not q.passed(results[q.text])]
        rule = "第一" if mine[0].first else "前五"
        rows.append(f"| {label} | {len(mine)} | {first / len(mine):.0%} | {top5 / len(mine):.0%} | {rule} |")
    total = Counter(q.first for q in queries)
    head = ["| 查询类别 | 查询数 | 第一条命中 | 前五条命中 | 要求 |", "|---|---|---|---|---|"]
    foot = f"\n共 {len(queries)} 个查询（名称与编号 {total[True]} 个，要求第一；主题 {total[False]} 个，要求前五）。"
    return "\n".join(head + rows) + foot, failed


TOPIC_TOP5_TARGET = 0.95


def run_suite(site: Path, queries: list[Query]) -> dict[str, list[str]]:
    """Each distinct query text → the locations the built site's own search returns (top 10)."""
    from workplan import search

    texts = list(dict.fromkeys(q.text for q in queries))
    return dict(zip(texts, search.query_many(site, texts, limit=10)))


def check_precision(queries: list[Query], locations: dict[str, list[str]], report: Path, heading: str) -> None:
    """The rules every search engine of the site must meet on the suite (issue 17, issue 18): every
    name and number query finds its page first; at least 95% of topics are in the top five. The
    precision table goes to `report` (test-artifacts/) under `heading`; AssertionError otherwise."""
    table, failed = precision_table(queries, locations)
    report.parent.mkdir(exist_ok=True)
    report.write_text(f"# {heading}\n\n{table}\n", encoding="utf-8")
    topics = [q for q in queries if q.kind == "topic"]
    topic_rate = sum(q.passed(locations[q.text]) for q in topics) / len(topics)
    named = [f"{q.kind} {q.text!r}: want {sorted(q.expected)}, got {locations[q.text][:5]}" for q in failed if q.first]
    assert not named, f"{len(named)} name/number queries do not find their page first:\n" + "\n".join(named)
    assert topic_rate >= TOPIC_TOP5_TARGET, table
