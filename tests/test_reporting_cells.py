"""Reading one returned cell the way people type it (workplan/reporting/cells.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from workplan.reporting import cells as C

JUNE_28 = dt.date(2020, 6, 28)


@pytest.mark.parametrize("value", [
    "2020-06-28", "2020-6-28", "2020/6/28", "2020/06/28", "2020.6.28", "2020年6月28日", "2020年6月28", "20200628",
    " 2020年 6 月 28 日 ", "２０２０年６月２８日", "２０２０．６．２８", "２０２０／６／２８", "2020-06-28 00:00:00",
    "2020-06-28T00:00", dt.datetime(2020, 6, 28), dt.datetime(2020, 6, 28, 15, 30), JUNE_28,
    44010, 44010.0, 44010.75])   # Excel's serial number of 2020-06-28 (1900 date system), and a time that day
def test_dates_as_people_type_them(value):
    assert C.read_date(value) == (JUNE_28, None)


@pytest.mark.parametrize("value, key", [
    ("6月28日", "date-unreadable"), ("2020年6月", "date-unreadable"), ("下周", "date-unreadable"),
    ("28/6/2020", "date-unreadable"), ("2020-06-31", "date-invalid"), ("2020年2月30日", "date-invalid"),
    (0, "date-unreadable"), (-5, "date-unreadable"), (True, "date-unreadable")])
def test_unreadable_dates_say_how_to_write_one(value, key):
    day, problem = C.read_date(value)
    assert day is None and problem.key == key
    assert "2020-06-28" in problem.hint or "天数" in problem.hint


@pytest.mark.parametrize("value, number_format, want", [
    (60, "General", 60), (60.0, "General", 60), ("60", "General", 60), ("60%", "General", 60), ("６０％", "General", 60),
    (" 60 ", "General", 60), ("60.0", "General", 60), (0.6, "0%", 60), (1, "0%", 100), (0, "General", 0),
    (100, "0", 100), (None, "General", None), ("", "General", None), ("  ", "General", None)])
def test_percents_as_people_type_them(value, number_format, want):
    assert C.read_percent(value, number_format) == (want, None)


@pytest.mark.parametrize("value, number_format, key", [
    (120, "General", "percent-range"), ("120%", "General", "percent-range"), (1.2, "0%", "percent-range"),
    (-5, "General", "percent-range"), (60.5, "General", "percent-not-whole"), ("60.5", "General", "percent-not-whole"),
    ("六十", "General", "percent-unreadable"), ("约60", "General", "percent-unreadable"), (True, "General", "percent-unreadable"),
    ("nan", "General", "percent-unreadable"), ("inf", "General", "percent-unreadable"),
    (dt.datetime(2020, 6, 28), "General", "percent-unreadable")])
def test_bad_percents(value, number_format, key):
    percent, problem = C.read_percent(value, number_format)
    assert percent is None and problem.key == key


@pytest.mark.parametrize("value, want", [("推进中", "推进中"), (" 推进中 ", "推进中"), ("推 进 中", "推进中"),
                                         ("已完成\n", "已完成"), ("受阻", "受阻"), ("未启动", "未启动")])
def test_statuses(value, want):
    assert C.read_status(value) == (want, None)


def test_a_status_outside_the_list_is_refused_with_the_closest():
    status, problem = C.read_status("进行中")
    assert status is None and problem.key == "status-unknown" and "推进中" in problem.hint


def test_descriptions_keep_the_text_and_its_line_breaks():
    assert C.read_description("  第一段。\r\n第二段：继续对接。 ") == ("第一段。\n第二段：继续对接。", None)
    assert C.read_description("a\rb") == ("a\nb", None)
    assert C.read_description(2020) == ("2020", None)
    assert C.read_description(2020.0) == ("2020", None)
    assert C.read_description("  ")[1].key == "description-empty"
    assert C.read_description("字" * 301)[1].key == "description-too-long"


def test_evidence_links_one_per_line_or_separated():
    urls = ("https://a.gov.cn/1.html", "https://a.gov.cn/2.html", "http://b.cn/x?y=1&z=2")
    for typed in ("https://a.gov.cn/1.html\nhttps://a.gov.cn/2.html\nhttp://b.cn/x?y=1&z=2",
                  "https://a.gov.cn/1.html；https://a.gov.cn/2.html; http://b.cn/x?y=1&z=2",
                  " https://a.gov.cn/1.html  https://a.gov.cn/2.html\r\nhttp://b.cn/x?y=1&z=2 "):
        assert C.read_evidence(typed) == (urls, [])
    assert C.read_evidence(None) == ((), [])
    links, problems = C.read_evidence("见附件\nhttps://a.gov.cn/1.html")
    assert [p.key for p in problems] == ["evidence-not-http"] and "见附件" in problems[0].message
    _, problems = C.read_evidence("\n".join(f"https://a.cn/{n}" for n in range(11)))
    assert [p.key for p in problems] == ["evidence-too-many"]
