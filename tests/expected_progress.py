"""The progress dashboard (2020/progress/) of the sample build in tests/test_progress_pages.py, written
down by hand: the example reports of data/2020/progress-sample/ (PROGRESS_SAMPLE=true) plus the one
real report that test adds (瑞金市, 2020-H1, item 二-3), seen on 2020-07-15 — after 2020-H1's deadline
(06-30), before 2020-H2's (12-30).

Who owes what (rounds.yaml: reporting_groups [all-counties]): every unit named as 牵头 or 责任 on an
item, and each of the 18 counties for the 8 items given to 各县（市、区）. In the attachment table that
is 289 named assignments + 18 × 8 = 433 items owed per round, by all 68 units of the registry.

Reports filed (all on items the unit owes, so no 另报):
  2020-H1  czj 一-3 · jrb 三（一）-7, 8 · kjj 三（一）-1 · shangwuj 三（一）-1 · swzzb 一-2 ·
           xunwu 三（一）-7, 8 · zxb 一-1, 2, 3 · ruijin 二-3                       = 12 reports
  2020-H2  jrb 三（一）-7, 8 · shangwuj 三（一）-1 · xunwu 三（一）-8 · zxb 一-1, 2, 3    = 7 reports
"""

TODAY = "2020-07-15"
OWED_PER_ROUND = 433

# unit → {round: (owed, filed)} for the units that filed anything; every other unit filed nothing.
# The owed counts were read off the attachment table (e.g. 市振兴办: 一-1…5, 9…11, 二-1…10 = 18).
FILED = {
    "czj": {"2020-H1": (10, 1), "2020-H2": (10, 0)},
    "jrb": {"2020-H1": (9, 2), "2020-H2": (9, 2)},
    "kjj": {"2020-H1": (10, 1), "2020-H2": (10, 0)},
    "shangwuj": {"2020-H1": (14, 1), "2020-H2": (14, 1)},
    "swzzb": {"2020-H1": (3, 1), "2020-H2": (3, 0)},
    "xunwu": {"2020-H1": (12, 2), "2020-H2": (12, 1)},
    "zxb": {"2020-H1": (18, 3), "2020-H2": (18, 3)},
    "ruijin": {"2020-H1": (13, 1), "2020-H2": (13, 0)},
}

# The cells as a reader sees them: filed/owed, then 逾期 n (H1: past the deadline, reports are in)
# or 未报 n (H2: before the deadline).
CELL_TEXT = {
    "czj": ["1/10 逾期 9", "0/10 未报 10"],
    "jrb": ["2/9 逾期 7", "2/9 未报 7"],
    "zxb": ["3/18 逾期 15", "3/18 未报 15"],
    "xunwu": ["2/12 逾期 10", "1/12 未报 11"],
    "swzzb": ["1/3 逾期 2", "0/3 未报 3"],
}

# The table of rounds: units owing, all filed, some filed, none filed, overdue units, items not
# filed, reports; deadline cell.
ROUND_TOTALS = {
    "2020-H1": {"units": 68, "complete": 0, "partial": 8, "none": 60, "overdue": 68, "missing": 433 - 12,
                "reports": 12, "deadline": "2020-06-30已过"},
    "2020-H2": {"units": 68, "complete": 0, "partial": 4, "none": 64, "overdue": 0, "missing": 433 - 7,
                "reports": 7, "deadline": "2020-12-3010月1日开始报送"},
}

# Latest status per item, from its lead units' latest round with a lead report: 一-1 已完成 (zxb H2),
# 一-2 推进中 (zxb H2; 市委组织部 is 责任), 一-3 已完成 (zxb H2; 市财政局 is 责任), 二-3 none (瑞金市 is
# 责任 through 各县（市、区）), 三（一）-1 受阻 (市商务局, the only lead filing in H2; 市科技局's H1
# 已完成 is older), 三（一）-7 已完成 (jrb H2), 三（一）-8 推进中 (jrb H2; 寻乌县 is 责任).
# category → [未启动, 推进中, 已完成, 受阻, 尚无报告], then the total.
CATEGORY_STATUS = {
    "1": ([0, 1, 2, 0, 8], 11),
    "2": ([0, 0, 0, 0, 13], 13),
    "3": ([0, 1, 1, 1, 86], 89),
    "3-1": ([0, 1, 1, 1, 35], 38),
    "3-2": ([0, 0, 0, 0, 8], 8),
    "3-3": ([0, 0, 0, 0, 11], 11),
    "3-4": ([0, 0, 0, 0, 10], 10),
    "3-5": ([0, 0, 0, 0, 10], 10),
    "3-6": ([0, 0, 0, 0, 7], 7),
    "3-7": ([0, 0, 0, 0, 5], 5),
    "": ([0, 2, 3, 1, 107], 113),
}
