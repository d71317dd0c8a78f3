"""The rules every progress report obeys (workplan/progress/rules.py), one test each: the YAML loader
and the Excel importer both call them, so a rule tested here holds for both ways in."""
from __future__ import annotations

from datetime import date

import pytest

from workplan.progress import Round
from workplan.progress import rules as R

H1 = Round(id="2020-H1", label="2020年上半年", deadline=date(2020, 6, 30), opens=date(2020, 4, 3),
           closes=date(2020, 9, 30))


@pytest.mark.parametrize("status, ok", [("未启动", True), ("推进中", True), ("已完成", True), ("受阻", True),
                                        ("进行中", False), ("完成", False), ("", False), (None, False), ("推进中 ", False)])
def test_status_must_be_one_of_the_four(status, ok):
    problem = R.status_problem(status)
    assert (problem is None) is ok
    if not ok:
        assert problem.key == "status-unknown" and "未启动、推进中、已完成、受阻" in problem.hint


def test_status_hint_names_the_closest_status():
    assert "你是不是想写“推进中”" in R.status_problem("进行中").hint
    assert "你是不是想写“已完成”" in R.status_problem("完成").hint


@pytest.mark.parametrize("percent, ok", [(0, True), (60, True), (100, True), (-1, False), (101, False), (120, False),
                                         (60.0, False), ("60", False), (True, False), (None, False)])
def test_percent_is_a_whole_number_from_0_to_100(percent, ok):
    problem = R.percent_problem(percent)
    assert (problem is None) is ok
    if not ok:
        assert problem.key == "percent-range" and "0–100" in problem.hint


@pytest.mark.parametrize("status, percent, ok", [
    ("已完成", 100, True), ("已完成", None, True), ("已完成", 90, False), ("未启动", 0, True), ("未启动", None, True),
    ("未启动", 10, False), ("推进中", 0, True), ("推进中", 100, True), ("受阻", 35, True)])
def test_finished_means_100_and_not_started_means_0(status, percent, ok):
    problem = R.percent_status_problem(status, percent)
    assert (problem is None) is ok
    if not ok:
        assert problem.key == "percent-status-mismatch" and str(percent) in problem.message
        assert ("100" if status == "已完成" else "0") in problem.hint


@pytest.mark.parametrize("day, ok", [(date(2020, 4, 3), True), (date(2020, 6, 30), True), (date(2020, 9, 30), True),
                                     (date(2020, 4, 2), False), (date(2020, 10, 1), False), (date(2019, 6, 30), False)])
def test_the_date_lies_in_the_rounds_window(day, ok):
    problem = R.date_problem(day, H1)
    assert (problem is None) is ok
    if not ok:
        assert problem.key == "date-outside-round" and "2020-04-03～2020-09-30" in problem.message


def test_description_is_required_and_at_most_300_characters():
    assert R.description_problem("已完成方案初稿。") is None
    assert R.description_problem("字" * 300) is None
    assert R.description_problem("字" * 301).key == "description-too-long"
    assert "301 字" in R.description_problem("字" * 301).message
    assert R.description_problem("").key == "description-empty"
    assert R.description_problem(" \n ").key == "description-empty"


@pytest.mark.parametrize("url, ok", [
    ("https://www.ganzhou.gov.cn/a.html", True), ("http://example.org/x?y=1&z=2", True),
    ("javascript:alert(1)", False), ("file:///C:/材料.docx", False), ("mailto:a@b.cn", False),
    ("www.ganzhou.gov.cn", False), ("https://", False), ("https://a.cn/有 空格", False), (" https://a.cn", False),
    ("C:\\材料\\a.docx", False), ("", False), (None, False)])
def test_evidence_is_an_http_address(url, ok):
    assert R.is_http(url) is ok
    problem = R.evidence_problem(url)
    assert (problem is None) is ok
    if not ok:
        assert problem.key == "evidence-not-http"


def test_at_most_ten_evidence_links():
    assert R.evidence_count_problem(["https://a.cn/"] * 10) is None
    assert R.evidence_count_problem(["https://a.cn/"] * 11).key == "evidence-too-many"
