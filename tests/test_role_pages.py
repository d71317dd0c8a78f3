"""Unit and county pages against expectations made without the model (issue 15 §8): the county and
zone tables written down in tests/expected_counties.py, the unit pages against the attachment read by
tests/raw_plan.py (plain Python over the YAML in data/), with a sample written down as well.

tests/test_site.py checks the same pages against the model; this module is what tells whether the
model and the pages together are right."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import raw_plan
from expected_counties import ALL_COUNTIES, COUNTY_PAGES, RENAMED_SINCE
from site_fixtures import built_site  # noqa: F401  (session fixture)

# Three units written down from the attachment table (source document), to anchor the derivation below.
UNIT_SAMPLE = {
    "czj": {"lead": ["1-7", "1-8"],
            "responsible": ["1-3", "2-9", "3-1-33", "3-2-6", "3-4-7", "3-4-10", "3-6-1", "3-6-2"],
            "collective": ["1-6", "2-1", "2-8", "2-10", "2-13"]},
    "jrb": {"lead": ["3-1-2", "3-1-3", "3-1-4", "3-1-5", "3-1-6", "3-1-7", "3-1-8", "3-6-7"],
            "responsible": ["3-5-5"],     # “……市政府金融办等单位”: named, the others are nobody in particular
            "collective": ["1-6", "1-7", "1-8", "2-1", "2-8", "2-9", "2-10", "2-13"]},
    # a company in 市直(驻市)有关部门 only (not 市直有关部门/单位): 二-8, 10, 13 do not reach it
    "gzjcfgs": {"lead": [], "responsible": ["3-1-10", "3-3-7"], "collective": ["1-6", "1-7", "1-8", "2-1", "2-9"]},
}


@pytest.fixture(scope="module")
def raw():
    return raw_plan.read()


def article(site: Path, rel: str) -> str:
    text = (site / rel / "index.html").read_text("utf-8")
    return text[text.index("<article"):text.index("</article>")]


def sections(body: str) -> dict[str, list[str]]:
    """h2 id → the item ids linked in that section, in page order, each once."""
    out: dict[str, list[str]] = {}
    current = None
    for m in re.finditer(r'<h2[^>]* id="([^"]+)"|href="[^"]*items/([0-9-]+)/"', body):
        if m.group(1):
            current = out.setdefault(m.group(1), [])
        elif current is not None and m.group(2) not in current:
            current.append(m.group(2))
    return out


def plain(body: str) -> str:
    return re.sub(r"\s+", "", unescape(re.sub(r"<[^>]+>", "", body)))


def test_county_pages_show_the_written_down_tables(built_site):
    assert {p.name for p in (built_site / "counties").iterdir() if p.is_dir()} == set(COUNTY_PAGES)
    for pid, (name, lead, resp, collective, mentioned) in COUNTY_PAGES.items():
        body = article(built_site, f"counties/{pid}")
        shown = sections(body)
        assert re.search(r"<h1[^>]*>" + RENAMED_SINCE.get(pid, name), body), pid
        assert shown["named"] == lead + resp, pid
        assert shown["collective"] == collective, pid
        assert shown["mentioned"] == mentioned, pid
        text = plain(body)
        total = len(set(lead + resp + collective))
        assert (f"{name}承担{total}项重大事项：点名承担{len(lead + resp)}项（其中牵头{len(lead)}项）·"
                f"集体分配{len(collective)}项；另有正文提及{len(mentioned)}项。") in text, pid
        for heading, n in (("点名承担的事项", len(lead + resp)), ("集体分配的事项", len(collective)),
                           ("正文提及的事项", len(mentioned))):
            assert f"{heading}（{n}项）" in text, (pid, heading)


def test_the_raw_reading_agrees_with_the_written_down_county_tables(raw):
    """The plain reading of the YAML (used for every unit below) gives the hand-checked county lists."""
    units, _, items = raw
    places = [uid for uid, u in units.items() if u["kind"] == "县（市、区）" or u.get("division") == "功能区"]
    assert places == list(COUNTY_PAGES)
    for pid, (_, lead, resp, collective, mentioned) in COUNTY_PAGES.items():
        got = raw_plan.unit_lists(units, items, pid)
        assert (got["lead"], got["responsible"], got["collective"]) == (lead, resp, collective), pid
        named = set(lead + resp)
        assert [i.id for i in items if raw_plan.mentioned(units[pid], i.text) and i.id not in named] == mentioned
    assert raw_plan.members(units, "all-counties") == set(list(COUNTY_PAGES)[:18])
    assert len([i for i in items if "all-counties" in i.groups["responsible"]]) == len(ALL_COUNTIES)


def test_unit_sample_is_what_the_raw_reading_gives(raw):
    units, _, items = raw
    for uid, want in UNIT_SAMPLE.items():
        assert raw_plan.unit_lists(units, items, uid) == want, uid


def test_unit_pages_count_lead_responsible_and_collective_items_as_the_yaml_says(built_site, raw):
    units, _, items = raw
    checked = 0
    for uid, unit in units.items():
        if uid in COUNTY_PAGES:
            continue
        want = raw_plan.unit_lists(units, items, uid)
        body = article(built_site, f"units/{uid}")
        shown = sections(body)
        for role in ("lead", "responsible", "collective"):
            assert shown.get(role, []) == want[role], (uid, role)
        text = plain(body)
        n_lead, n_resp, n_coll = (len(want[r]) for r in ("lead", "responsible", "collective"))
        if n_lead + n_resp + n_coll == 0:
            continue     # a unit of another year's document: its page says so (tests/test_editions.py)
        sentence = f"被点名承担{n_lead + n_resp}项重大事项：牵头{n_lead}项·配合{n_resp}项"
        sentence += f"；另有{n_coll}项经集体分配涉及本单位。" if n_coll else "。"
        assert sentence in text, uid
        assert f"牵头事项（{n_lead}项）" in text and f"配合事项（{n_resp}项）" in text, uid
        if n_coll:
            assert f"经集体分配涉及的事项（{n_coll}项）" in text, uid
        checked += 1
    assert checked >= 40
