"""The reporting template (issue 13) downloads from a unit page in Chromium: over http from the served
site and from the file:// intranet bundle, under the name the unit sees, and the file is the unit's
template for the round the link names."""
from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from workplan.reporting import layout as L

pytestmark = pytest.mark.browser


def check_download(page, click_target, tmp_path, unit: str, round_id: str) -> str:
    """Click, save what the browser downloads, check it is `unit`'s template for `round_id`; its name."""
    with page.expect_download() as info:
        click_target.click()
    download = info.value
    saved = tmp_path / "download.xlsx"
    download.save_as(saved)
    assert zipfile.is_zipfile(saved)
    meta = dict(load_workbook(saved)[L.META_SHEET].iter_rows(values_only=True))
    assert (meta["unit"], meta["round"]) == (unit, round_id)
    return download.suggested_filename


def test_template_downloads_from_a_unit_page(desktop, tmp_path):
    desktop.goto("units/czj/")
    links = desktop.locator("#templates a")
    assert links.count() == 2
    first = links.first
    assert first.inner_text().startswith("下载市财政局") and first.inner_text().endswith("填报表（Excel）")
    round_id = first.get_attribute("data-round")
    name = check_download(desktop, first, tmp_path, "czj", round_id)
    assert name.startswith("市财政局-") and name.endswith("-落实情况填报表.xlsx")


def test_template_downloads_from_a_county_page_and_the_downloads_page(desktop, tmp_path):
    desktop.goto("counties/xunwu/")
    link = desktop.locator("#templates a").first
    check_download(desktop, link, tmp_path, "xunwu", link.get_attribute("data-round"))
    desktop.goto("2020/downloads/")
    row = desktop.locator('#template-table tr[data-unit="xunwu"] a[download]').first
    check_download(desktop, row, tmp_path, "xunwu", "2020-H1")


def test_template_downloads_from_the_file_bundle(offline, offline_url, tmp_path):
    offline.goto(offline_url + "units/czj.html")
    link = offline.locator("#templates a").first
    assert link.get_attribute("href").startswith("../downloads/2020/progress/")
    check_download(offline, link, tmp_path, "czj", link.get_attribute("data-round"))
