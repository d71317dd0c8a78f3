"""No output collisions (issue 15, point 5): an id from data/ never takes the address of a page or
file the site makes for itself, nor of another id (the loaders' `output-collision` rule), and the
build never writes two outputs to one path whatever the cause (workplan/outputs.Claims in the hooks,
the redirect writer and the downloads).

The expected paths and lines are written down here, not computed with workplan.outputs."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files

from site_fixtures import project_copy
from workplan import downloads, exports, hooks
from workplan.errors import Collector, PlanInvalid
from workplan.load import load_editions
from workplan.model import Editions, frozen_map
from workplan.outputs import Claims, Origin, OutputClash, check_outputs, page_outputs
from workplan.pages import PageSpec, Site
from workplan.progress import load_all

UNITS = "data/units.yaml"


def collisions(errors) -> set[tuple[str, int, str]]:
    return {(e.file, e.line, e.key) for e in errors if e.key == "output-collision"}


def the_error(errors, key="output-collision"):
    [error] = [e for e in errors if e.key == key]
    return error


# --------------------------------------------------------------------------- ids against the site's own pages

@pytest.mark.parametrize("entry, new_id, page", [
    ("  - id: czj\n", "  - id: index\n", "units/index.html"),          # a unit: units/index.md is the unit index
    ("  - id: ruijin\n", "  - id: index\n", "counties/index.html"),    # a county: counties/index.md
])
def test_an_id_taking_the_address_of_a_site_page_is_rejected(data_copy, entry, new_id, page):
    line = data_copy.line_of(UNITS, entry.strip())
    data_copy.replace(UNITS, entry, new_id)
    errors = data_copy.errors()
    assert collisions(errors) == {(UNITS, line, "output-collision")}
    error = the_error(errors)
    assert page in error.message and "网站自身的页面" in error.message and "id index" in error.message
    assert "改用另一个 id" in error.hint


def test_a_former_id_whose_redirect_would_replace_a_site_page_is_rejected(data_copy):
    line = data_copy.line_of(UNITS, "- id: czj")
    data_copy.replace(UNITS, "  - id: czj\n", "  - id: czj\n    former_ids: [index]\n")
    errors = data_copy.errors()
    assert collisions(errors) == {(UNITS, line, "output-collision")}
    error = the_error(errors)
    assert "units/index.html" in error.message and "旧 id index" in error.message and "former_ids" in error.hint


def test_a_group_id_taking_the_address_of_a_hand_written_page_is_rejected(tmp_path):
    """Groups have no page of the site's own in groups/: a file in docs/ there takes one's address."""
    project = project_copy(tmp_path / "project")
    (project / "docs" / "groups").mkdir()
    (project / "docs" / "groups" / "all-counties.md").write_text("# 手写\n", encoding="utf-8")
    with pytest.raises(PlanInvalid) as info:
        load_editions(project)
    error = the_error(info.value.errors)
    line = next(n for n, text in enumerate((project / UNITS).read_text(encoding="utf-8").splitlines(), 1)
                if text == "  - id: all-counties")
    assert (error.file, error.line) == (UNITS, line)
    assert "groups/all-counties/index.html" in error.message and "docs/groups/all-counties.md" in error.message
    assert "改用另一个 id" in error.hint


def test_a_hand_written_page_whose_address_equals_a_generated_one_is_rejected(tmp_path):
    """docs/units.md is not docs/units/index.md, but both become units/index.html."""
    project = project_copy(tmp_path / "project")
    (project / "docs" / "units.md").write_text("# 手写\n", encoding="utf-8")
    with pytest.raises(PlanInvalid) as info:
        load_editions(project)
    error = the_error(info.value.errors)
    assert (error.file, error.line) == ("docs/units.md", 0) and "units/index.html" in error.message


@pytest.mark.parametrize("file, old, new, key", [
    # Ids of these kinds are numbers by the schema: "index" can never reach a path.
    ("data/2020/attachment.yaml", "  - id: '1'\n", "  - id: index\n", "schema"),
    ("data/2020/items/1.yaml", "category: '1'\n", "category: index\n", "schema"),
    ("data/2020/progress/rounds.yaml", "  - id: 2020-H1\n", "  - id: index\n", "schema"),
])
def test_ids_of_numbered_kinds_cannot_name_a_page(data_copy, file, old, new, key):
    text = data_copy.read(file)
    assert old in text, f"{file} changed: update this case"
    data_copy.replace(file, old, new)
    with pytest.raises(PlanInvalid) as info:
        load_all(data_copy.root)   # plan and progress (the rounds)
    errors = info.value.errors
    assert any(e.file == file and e.key.startswith(key) for e in errors), "\n".join(map(str, errors))


# --------------------------------------------------------------------------- ids against files and other ids

def test_an_id_taking_the_address_of_a_download_is_rejected(data_copy, monkeypatch):
    """The rule reads the layout from the code that writes the files: were a unit's JSON written
    beside the plan's own (api/<id>.json), a unit with id "items" would replace api/2020/items.json
    — no list of reserved names had to learn that."""
    monkeypatch.setattr(exports, "unit_paths", lambda unit: {"json": f"api/{unit.id}.json",
                                                              "csv": f"downloads/units/{unit.id}.csv",
                                                              "xlsx": f"downloads/units/{unit.id}.xlsx"})
    line = data_copy.line_of(UNITS, "- id: czj")
    data_copy.replace(UNITS, "  - id: czj\n", "  - id: items\n")
    errors = data_copy.errors()
    assert collisions(errors) == {(UNITS, line, "output-collision")}
    assert "api/2020/items.json" in the_error(errors).message


def test_an_id_taking_another_ids_address_is_rejected(plan):
    """A former id equal to another unit's id (the registry's duplicate-id rule reports it first;
    here the output rule is run on its own, on a model that skipped the registry)."""
    units = dict(plan.units)
    units["czj"] = dataclasses.replace(units["czj"], former_ids=("fgw",))
    editions = Editions(plans=frozen_map({plan.year: dataclasses.replace(plan, units=frozen_map(units))}))
    root = Path(__file__).resolve().parent.parent
    errors = Collector(root)
    check_outputs(root, editions, None, errors)
    found = {(e.file, e.line, e.message.split("会写到 ")[1].split("，")[0]) for e in errors.errors}
    line = next(n for n, text in enumerate((root / UNITS).read_text(encoding="utf-8").splitlines(), 1)
                if text == "  - id: czj")
    # its redirect page onto fgw's page, and (legacy edition unset) no legacy file copies
    assert found == {(UNITS, line, "units/fgw/index.html")}
    assert "id fgw" in errors.errors[0].message


def test_the_real_data_has_no_collision():
    load_editions(Path(__file__).resolve().parent.parent)   # raises PlanInvalid otherwise


# --------------------------------------------------------------------------- the build's guard

def test_claims_accept_one_source_per_path():
    claims = Claims()
    a, b = Origin("甲", "data/units.yaml", 3), Origin("乙")
    claims.claim("units/x/index.html", a)
    claims.claim("/units/x/index.html", a)   # the same source again: a file shared by every edition
    with pytest.raises(OutputClash) as info:
        claims.claim("units/x/index.html", b)
    assert "units/x/index.html" in str(info.value) and "甲（data/units.yaml:3）" in str(info.value) and "乙" in str(info.value)


@pytest.fixture
def config():
    """The real mkdocs.yml after the hooks' on_config (the Site loaded from data/)."""
    cfg = load_config(str(Path(__file__).resolve().parent.parent / "mkdocs.yml"))
    cfg.plugins._current_plugin = "hooks"   # what MkDocs sets while it runs a hook (File.generated reads it)
    return hooks.on_config(cfg)


def test_build_refuses_two_pages_with_one_address(config):
    site = config.extra[hooks.SITE_KEY]
    extra = PageSpec("units.md", "units", "", "单位索引（又一份）", ())   # dest units/index.html, as units/index.md
    site.__dict__["all_specs"] = [*site.all_specs, extra]
    with pytest.raises(PluginError) as info:
        hooks.on_files(get_files(config), config)
    assert "units/index.html" in str(info.value)
    assert "units/index.md" in str(info.value) and "units.md" in str(info.value)


def test_build_refuses_a_redirect_onto_a_real_page(config, tmp_path):
    site = config.extra[hooks.SITE_KEY]
    units = dict(site.data.units)
    units["czj"] = dataclasses.replace(units["czj"], former_ids=("fgw",))
    site.data = Editions(plans=frozen_map({y: dataclasses.replace(p, units=frozen_map(units))
                                           for y, p in site.data.plans.items()}))
    claims = Claims().claim_all(page_outputs(site))
    with pytest.raises(OutputClash) as info:
        hooks._write_redirects(site, tmp_path, True, claims)
    assert info.value.path == "units/fgw/index.html"
    assert "fgw" in info.value.first.what and "旧 id fgw" in info.value.second.what
    assert not (tmp_path / "units" / "fgw").exists()   # nothing written over the page


def test_build_refuses_a_download_onto_a_claimed_path(tmp_path, plan):
    site = Site(plan)
    claims = Claims()
    claims.claim("api/editions.json", Origin("手写文件 docs/api/editions.json", "docs/api/editions.json"))
    with pytest.raises(OutputClash) as info:
        downloads.write_site_files(site, tmp_path, claims=claims)
    assert info.value.path == "api/editions.json" and "docs/api/editions.json" in str(info.value)


def test_build_refuses_a_hand_written_page_onto_a_generated_one(config, tmp_path):
    """docs/units.md and the generated units/index.md are both units/index.html."""
    (tmp_path / "units.md").write_text("# 手写\n", encoding="utf-8")
    config.docs_dir = str(tmp_path)
    with pytest.raises(PluginError) as info:
        hooks.on_files(get_files(config), config)
    assert "units/index.html" in str(info.value) and "docs/units.md" in str(info.value)
