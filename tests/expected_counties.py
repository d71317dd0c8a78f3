"""The four lists on each of the 20 county and zone pages (counties/<id>/) for the 2020 attachment,
written down item by item: items that name the place as 牵头 (lead) or as 责任 (responsible), items
that reach it only through the collective 各县（市、区） (the two zones are not in it), and items whose
text mentions the place (or a place in it) without naming it.

Read from the attachment table of the source document (/work/shared/seeds/000_85f8363af9b82717.txt,
as data/2020/source.txt): a first draft came from tests/raw_plan.py, every list was then checked
against the document's rows. Notes on the reading:
- 龙南 is written 龙南县 in the 2020 document (renamed 龙南市 in June 2020);
- 各县（市、区） appears in 二-3, 5, 6, 10, 三（一）-7, 27, 三（四）-10, 三（六）-5 — the eight collective
  items of every county; 二-10 and 三（一）-27 also name both zones, 二-3/5/6 name 赣州经开区;
- mentions: 三（五）-4 南康站 (南康区), 三（三）-5 安远三百山 (安远县, the row names 全南县、会昌县、寻乌县),
  三（三）-2 瑞(金)梅(州)铁路, 三（三）-3 南丰至瑞金铁路, 三（三）-9 华能瑞金电厂 (瑞金市);
  every other place name in an item text is in a row that names that place.
Item ids as in the site's addresses: 三（一）-16 is 3-1-16, 二-3 is 2-3.
"""

RENAMED_SINCE = {"longnan": "龙南市"}   # the page's heading is the current name

ALL_COUNTIES = ["2-3", "2-5", "2-6", "2-10", "3-1-7", "3-1-27", "3-4-10", "3-6-5"]

# place id → (name as the 2020 document writes it, lead, responsible, collective, mentioned)
COUNTY_PAGES = {
    "zhanggong": ("章贡区", [], ["3-1-16", "3-1-26", "3-1-36", "3-3-4"], ALL_COUNTIES, []),
    "nankang": ("南康区", [], ["3-1-16", "3-3-4"], ALL_COUNTIES, ["3-5-4"]),
    "ganxian": ("赣县区", [], ["3-1-34", "3-2-5", "3-3-4", "3-3-9"], ALL_COUNTIES, []),
    "xinfeng": ("信丰县", [], ["3-1-34", "3-3-4", "3-3-9", "3-5-10"], ALL_COUNTIES, []),
    "dayu": ("大余县", [], ["3-3-4", "3-3-8"], ALL_COUNTIES, []),
    "shangyou": ("上犹县", [], [], ALL_COUNTIES, []),
    "chongyi": ("崇义县", [], ["3-1-16", "3-3-8", "3-6-6"], ALL_COUNTIES, []),
    "anyuan": ("安远县", [], ["3-1-16", "3-3-4", "3-3-8"], ALL_COUNTIES, ["3-3-5"]),
    "dingnan": ("定南县", [], ["3-3-8", "3-5-10"], ALL_COUNTIES, []),
    "quannan": ("全南县", [], ["3-1-16", "3-3-4", "3-3-5"], ALL_COUNTIES, []),
    "ningdu": ("宁都县", [], ["2-11", "2-13", "3-3-8"], ALL_COUNTIES, []),
    "yudu": ("于都县", [], ["2-11", "2-12", "2-13", "3-2-8", "3-4-1"], ALL_COUNTIES, []),
    "xingguo": ("兴国县", [], ["2-11", "2-12", "2-13"], ALL_COUNTIES, []),
    "huichang": ("会昌县", [], ["3-3-5"], ALL_COUNTIES, []),
    "xunwu": ("寻乌县", [], ["3-1-8", "3-1-16", "3-3-4", "3-3-5"], ALL_COUNTIES, []),
    "shicheng": ("石城县", [], ["2-13", "3-1-16", "3-3-8", "3-6-3"], ALL_COUNTIES, []),
    "ruijin": ("瑞金市", [], ["2-11", "2-13", "3-1-16", "3-3-6", "3-4-1"], ALL_COUNTIES, ["3-3-2", "3-3-3", "3-3-9"]),
    "longnan": ("龙南县", [], ["3-3-4", "3-3-8"], ALL_COUNTIES, []),
    "gzjkq": ("赣州经开区", ["3-2-3"], ["2-3", "2-5", "2-6", "2-10", "3-1-14", "3-1-27", "3-2-1", "3-2-2"], [], []),
    "rjxq": ("赣州蓉江新区", [], ["2-10", "3-1-26", "3-1-27"], [], []),
}
