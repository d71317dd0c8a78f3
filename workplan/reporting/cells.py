"""One returned cell, read the way people type it in Excel or WPS.

Each reader takes the cell's value as openpyxl gives it (str, int, float, datetime, None) and
returns (value, problem): the value in the form the YAML report holds, or a `Problem` saying
what to type instead. Full-width digits and punctuation (２０２０．６．２８, ６０％) are folded with
NFKC; stray spaces are dropped where they cannot matter (statuses, numbers, dates), never inside
a description.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from ..progress.rules import (Problem, description_problem, evidence_count_problem, evidence_problem,
                              percent_problem, status_problem)

# Excel's day 1 is 1900-01-01 (with its 1900 leap-year bug); serials above this are past year 9999.
_EXCEL_MAX_SERIAL = 2958465
_DATE_TEXT = (
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),  # spaces are gone
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SPACES = re.compile(r"\s+")
_LINK_SEPARATORS = re.compile(r"[\s;；，、]+")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def folded(value) -> str:
    """A short value as text: NFKC (full-width → ASCII), no spaces at all."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def read_status(value) -> tuple[str | None, Problem | None]:
    text = folded(value)
    problem = status_problem(text)
    return (None, problem) if problem else (text, None)


def read_percent(value, number_format: str = "General") -> tuple[int | None, Problem | None]:
    """60, 60.0, "60", "60%", "６０％", or 0.6 in a cell formatted as a percentage → 60."""
    if is_blank(value):
        return None, None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time)):
        return None, _unreadable_percent(value)
    if isinstance(value, (int, float)):
        number = value * 100 if "%" in (number_format or "") else value
    else:
        text = folded(value).rstrip("%")
        try:
            number = float(text)
        except ValueError:
            return None, _unreadable_percent(value)
    if not math.isfinite(number):
        return None, _unreadable_percent(value)
    if abs(number - round(number)) > 1e-9:
        return None, Problem("percent-not-whole", f"完成百分比“{value}”不是整数。", "写 0–100 的整数，例如 60。")
    percent = int(round(number))
    problem = percent_problem(percent)
    return (None, problem) if problem else (percent, None)


def _unreadable_percent(value) -> Problem:
    return Problem("percent-unreadable", f"完成百分比“{value}”无法识别。", "写 0–100 的整数，不带其他文字，例如 60；不清楚可以不填。")


def read_date(value) -> tuple[dt.date | None, Problem | None]:
    """An Excel date, an Excel serial number, or text: 2020-06-28, 2020/6/28, 2020.6.28,
    2020年6月28日, 20200628 (full-width digits too)."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_MAX_SERIAL:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date(), None
        return None, _unreadable_date(value)
    text = folded(value)
    for pattern in _DATE_TEXT:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day), None
            except ValueError:
                return None, Problem("date-invalid", f"填报日期“{value}”不存在。", "检查月份的天数，例如 6 月只有 30 天。")
    return None, _unreadable_date(value)


def _unreadable_date(value) -> Problem:
    return Problem("date-unreadable", f"填报日期“{value}”无法识别。",
                   "写成 2020-06-28、2020/6/28、2020.6.28 或 2020年6月28日（要有年份）。")


def read_description(value) -> tuple[str, Problem | None]:
    """The text as typed, line breaks as \\n, without leading and trailing blanks."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text, description_problem(text)


def read_evidence(value) -> tuple[tuple[str, ...], list[Problem]]:
    """Links one per line (or separated by spaces or ；), each an http(s) address."""
    if is_blank(value):
        return (), []
    urls = tuple(u for u in _LINK_SEPARATORS.split(str(value).strip()) if u)
    problems = [p for p in map(evidence_problem, urls) if p]
    count = evidence_count_problem(urls)
    return urls, problems + ([count] if count else [])
