"""The rules one progress report must satisfy, as small named functions shared by every way a
report comes in: the YAML loader (workplan/progress/load.py, which also has the JSON Schema for
the file's shape) and the Excel importer (workplan/reporting/, which checks cell by cell).

Each rule returns None when the value is acceptable, else a `Problem`: a stable English key, what
is wrong and how to fix it, in Chinese, worded for both a YAML file and a workbook cell (field
names are the Chinese column names the reporting template uses).
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple
from urllib.parse import urlsplit

from .model import DESCRIPTION_MAX, STATUSES, Round

PERCENT_RANGE = (0, 100)
EVIDENCE_MAX = 10              # keep in step with schema/progress.schema.json (maxItems)
# A status fixes the percent: 已完成 is 100, 未启动 is 0 (or the percent is left out).
PERCENT_OF_STATUS = {"已完成": 100, "未启动": 0}


class Problem(NamedTuple):
    key: str
    message: str
    hint: str


def is_http(url) -> bool:
    """An absolute http(s) address without spaces: the only evidence links a page will link to."""
    if not isinstance(url, str) or url != url.strip() or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def status_problem(status) -> Problem | None:
    if status in STATUSES:
        return None
    import difflib

    close = difflib.get_close_matches(str(status), STATUSES, n=1, cutoff=0.3)
    return Problem("status-unknown", f"状态“{status}”不是规定的状态。",
                   f"只能是：{'、'.join(STATUSES)}。" + (f"你是不是想写“{close[0]}”？" if close else ""))


def percent_problem(percent) -> Problem | None:
    low, high = PERCENT_RANGE
    if isinstance(percent, int) and not isinstance(percent, bool) and low <= percent <= high:
        return None
    return Problem("percent-range", f"完成百分比应为 {low} 到 {high} 的整数，实际是“{percent}”。",
                   "写 0–100 的整数，不带 %，例如 60；不清楚可以不填。")


def percent_status_problem(status: str, percent: int | None) -> Problem | None:
    want = PERCENT_OF_STATUS.get(status)
    if want is None or percent is None or percent == want:
        return None
    return Problem("percent-status-mismatch", f"状态是“{status}”，完成百分比却是 {percent}。",
                   f"“{status}”的完成百分比只能是 {want}（或不填）；尚未全部完成请把状态写成“推进中”。")


def date_problem(day: date, rnd: Round) -> Problem | None:
    if rnd.accepts(day):
        return None
    return Problem("date-outside-round",
                   f"填报日期 {day} 不在轮次“{rnd.id}”（{rnd.label}）的报告期 {rnd.opens}～{rnd.closes} 内。",
                   "填写填报本条报告的日期；若是另一轮的报告，请按那一轮报送。")


def description_problem(text: str) -> Problem | None:
    if not text.strip():
        return Problem("description-empty", "进展情况没有填写。", "写明进展、存在问题和下一步打算。")
    if len(text) > DESCRIPTION_MAX:
        return Problem("description-too-long", f"进展情况过长（{len(text)} 字，上限 {DESCRIPTION_MAX} 字）。",
                       f"精简到 {DESCRIPTION_MAX} 字以内：写清进展、问题和下一步即可，详细材料放到佐证链接里。")
    return None


def evidence_problem(url: str) -> Problem | None:
    if is_http(url):
        return None
    return Problem("evidence-not-http", f"佐证链接“{url}”不是 http:// 或 https:// 开头的网址。",
                   "只能填网页地址，例如 https://www.ganzhou.gov.cn/…；不能填本机路径、邮箱或 javascript: 等。")


def evidence_count_problem(urls) -> Problem | None:
    if len(urls) <= EVIDENCE_MAX:
        return None
    return Problem("evidence-too-many", f"佐证链接有 {len(urls)} 个，最多 {EVIDENCE_MAX} 个。",
                   "只留最能说明进展的链接，其余材料可汇总在一个网页里。")
