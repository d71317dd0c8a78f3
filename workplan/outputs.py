"""Every path the build writes is written once: no id from data/ may take the address of a page or
file the site makes for itself, or of another id's.

- `Claims`: the registry the build writes through (hooks.on_files for pages, the redirect writer,
  downloads.write_site_files): each output path is claimed once; a second claim by another source
  raises `OutputClash` naming both, whatever the cause (a data id, a hand-written docs/ file, a
  bug in the code).
- `planned(site)`: every output of a site with where it comes from, drawn from the same code that
  makes them (the page specs, redirects.moves, downloads.site_outputs), so a new page kind or file
  is checked without anyone keeping a list of reserved names.
- `output_collisions` (the validation rule, key `output-collision`): the clashes of `planned` as
  file:line errors at the data entry that causes them; `check_outputs` runs it for the loaders.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .errors import Collector

if TYPE_CHECKING:
    from .model import Editions
    from .pages import PageSpec, Site
    from .progress import Progress

ID_FIX = "改用另一个 id（小写字母、数字和连字符）：id 决定页面和文件的网址，不能与网站自己的页面、文件或别的 id 重合。"


@dataclass(frozen=True)
class Origin:
    what: str           # what makes the output, in Chinese: 单位“市财政局”（id czj）的页面
    file: str = ""      # the data file that causes it, relative to the repository ("" for the site's own)
    line: int = 0
    fix: str = ""       # how to fix a clash caused by this entry

    def __str__(self) -> str:
        return f"{self.what}（{self.file}:{self.line}）" if self.file else self.what


class OutputClash(Exception):
    def __init__(self, path: str, first: Origin, second: Origin):
        self.path, self.first, self.second = path, first, second
        super().__init__(f"两个输出写到同一路径 {path}（two outputs for one path）：{first} 与 {second}。"
                         f"{second.fix or first.fix or '这是网站代码的问题，请报告给维护人员。'}")


class Claims:
    """Output path → the source that writes it. The same source may claim a path again (a file
    shared by every edition); another source may not: `claim` raises OutputClash, or, with
    collect=True, records the clash and keeps the first claim (the validator reports them all)."""

    def __init__(self, collect: bool = False):
        self.owner: dict[str, Origin] = {}
        self.collect = collect
        self.clashes: list[OutputClash] = []

    def claim(self, path: str, origin: Origin) -> str:
        path = path.lstrip("/")
        have = self.owner.setdefault(path, origin)
        if have != origin:
            clash = OutputClash(path, have, origin)
            if not self.collect:
                raise clash
            self.clashes.append(clash)
        return path

    def claim_all(self, outputs: Iterable[tuple[str, Origin]]) -> Claims:
        for path, origin in outputs:
            self.claim(path, origin)
        return self

    def __contains__(self, path: str) -> bool:
        return path.lstrip("/") in self.owner


def page_file(url: str) -> str:
    """The file a page URL is written to (as MkDocs writes it): "" → index.html, units/czj/ →
    units/czj/index.html, units/czj.html (no directory URLs) as is."""
    return url + "index.html" if url.endswith("/") or not url else url


# ----------------------------------------------------------------------------- where outputs come from
def unit_origin(unit, what: str = "页面") -> Origin:
    place = "县（市、区）" if unit.is_place else "单位"
    return Origin(f"{place}“{unit.name}”（id {unit.id}）的{what}", "data/units.yaml", unit.line, ID_FIX)


def former_id_origin(unit, old: str, what: str = "旧网址转向页") -> Origin:
    return Origin(f"单位“{unit.name}”的旧 id {old}（former_ids）的{what}", "data/units.yaml", unit.line,
                  f"former_ids 只写这个单位以前真正用过的 id；“{old}”与网站的页面、文件或别的 id 重合，删除它或改正拼写。")


def spec_origin(site: Site, spec: PageSpec) -> Origin:
    """Where a page comes from: the data entry whose id names it, or the site itself."""
    if spec.kind in ("unit", "county"):
        return unit_origin(site.data.units[spec.key])
    if spec.kind == "group":
        group = site.data.groups[spec.key]
        return Origin(f"集体“{group.name}”（id {group.id}）的页面", "data/units.yaml", group.line, ID_FIX)
    plan = site.editions[spec.edition].plan if spec.edition is not None else site.plan
    if spec.kind == "category":
        cat = plan.categories[spec.key]
        return Origin(f"{plan.year} 年类别“{cat.id}”的页面", plan.files["attachment"], cat.line,
                      "类别的 id 按顺序编号（1、2、3-1……），见 data/README.md。")
    if spec.kind == "item":
        item = plan.items[spec.key]
        return Origin(f"{plan.year} 年事项 {item.label}（{item.id}）的页面", item.file, item.line,
                      "事项的 id 由类别和序号组成，检查类别 id 与序号。")
    return Origin(f"网站自身的页面 {spec.src}")


def page_outputs(site: Site) -> Iterator[tuple[str, Origin]]:
    from .pages import dest_url

    for spec in site.all_specs:
        yield page_file(dest_url(spec.src, site.use_directory_urls)), spec_origin(site, spec)


def redirect_origin(site: Site, move) -> Origin:
    if move.unit_id:
        return former_id_origin(site.data.units[move.unit_id], move.old_src.rsplit("/", 1)[1][:-3])
    return Origin(f"{site.legacy_year} 年版旧网址 {move.old_src} 的转向页")


def retired_origin(src: str) -> Origin:
    return Origin(f"已移走页面 {src} 的说明页")


def redirect_outputs(site: Site) -> Iterator[tuple[str, Origin]]:
    from .pages import dest_url
    from .pages.redirects import RETIRED_PAGES, moves

    for move in moves(site):
        yield page_file(dest_url(move.old_src, site.use_directory_urls)), redirect_origin(site, move)
    for src in RETIRED_PAGES:
        yield page_file(dest_url(src, site.use_directory_urls)), retired_origin(src)


def docs_outputs(docs_dir: Path, use_directory_urls: bool = True) -> Iterator[tuple[str, Origin]]:
    """The hand-written pages and files in docs/ (as MkDocs publishes them)."""
    from .pages import dest_url

    for path in sorted(p for p in docs_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(docs_dir).as_posix()
        out = page_file(dest_url(rel, use_directory_urls)) if rel.endswith(".md") else rel
        yield out, Origin(f"手写文件 docs/{rel}", f"docs/{rel}", 0,
                          "删除这个手写文件或给它改名：它的地址已由网站根据数据生成的页面或文件使用。")


def planned(site: Site, docs_dir: Path | None = None) -> Iterator[tuple[str, Origin]]:
    """Every output of the site with its origin: docs/, the generated pages, the redirect pages,
    the downloads and API files."""
    from .downloads import site_outputs

    if docs_dir is not None and docs_dir.is_dir():
        yield from docs_outputs(docs_dir, site.use_directory_urls)
    yield from page_outputs(site)
    yield from redirect_outputs(site)
    yield from ((path, origin) for path, _make, origin in site_outputs(site))


# ----------------------------------------------------------------------------- the validation rule
def output_collisions(clashes: Iterable[OutputClash], root: Path, errors: Collector) -> None:
    """Each clash reported at the data entry that causes it (the later one when both come from
    data/; a hand-written docs/ file only when it clashes with the site's own page). A clash
    between two outputs of the site's own is a bug in the code, not in data/."""
    def rank(origin: Origin) -> int:
        return 2 if origin.file.startswith("data/") else 1 if origin.file else 0

    for clash in clashes:
        at, other = (clash.second, clash.first) if rank(clash.second) >= rank(clash.first) else (clash.first, clash.second)
        if not at.file:
            raise clash
        errors.add(root / at.file, at.line, "output-collision",
                   f"{at.what}会写到 {clash.path}，与{other}的输出重合：构建时一个会覆盖另一个。", at.fix)


def check_outputs(root: Path, editions: Editions, progress: dict[int, Progress] | None, errors: Collector,
                  legacy_year: int | None = None, use_directory_urls: bool = True) -> None:
    """The loaders' output check on the loaded data (errors go to `errors`)."""
    from .pages import Site

    site = Site(editions, use_directory_urls=use_directory_urls, progress=progress, legacy_year=legacy_year)
    claims = Claims(collect=True).claim_all(planned(site, root / "docs"))
    output_collisions(claims.clashes, root, errors)


def site_settings(root: Path) -> dict:
    """mkdocs.yml's `extra` and use_directory_urls (the layout the check must assume); {} without it."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return {}
    from mkdocs.utils.yaml import yaml_load

    with path.open(encoding="utf-8") as fh:
        config = yaml_load(fh) or {}
    return {"legacy_year": (config.get("extra") or {}).get("legacy_year"),
            "use_directory_urls": config.get("use_directory_urls", True)}
