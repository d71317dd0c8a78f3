"""Every file the site offers for download or through its API, for all editions at once:

- each edition's files (workplan.exports: CSV, XLSX, JSON, charts, reporting templates) under
  downloads/<year>/ and api/<year>/ (pages/urls.py `edition_file`);
- the legacy edition's files also at the paths they had before the site held several editions
  (downloads/items.csv, api/items.json, …; a renamed unit's also under its former ids), so links
  sent around keep working;
- across the years: api/editions.json (the editions and where their files are), api/all/items.json
  and downloads/all/items.csv (every edition's items, each with its year);
- the JSON Schemas in api/schema/, shared by every edition.

Same data, same bytes: JSON with sorted keys, CSV and XLSX as exports writes them.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from . import exports
from .exports import COLUMNS, Column, csv_bytes, item_record, json_bytes
from .exports import edition_file
from .outputs import Claims, Origin, former_id_origin, unit_origin
from .xlsxcache import XlsxCache

if TYPE_CHECKING:
    from .pages import Site

YEAR_COLUMN = Column("year", "年度", 6, lambda plan, item: plan.year)


def site_outputs(site: Site, cache: XlsxCache | None = None) -> list[tuple[str, Callable[[], bytes], Origin]]:
    """(path relative to the site root, a function producing its bytes, where it comes from) for
    every file, in a fixed order; a path may appear twice (outputs.Claims decides whether that is
    allowed: the JSON Schemas are the same file for every edition, anything else is a clash)."""
    out: list[tuple[str, Callable[[], bytes], Origin]] = []
    for ed in site.newest_first:
        for path, make, unit_id in exports.output_list(ed.plan, ed.progress, cache):
            origin = unit_origin(ed.plan.units[unit_id], "下载文件") if unit_id else Origin(f"网站自身的文件 {path}")
            if path.startswith("api/schema/"):
                out.append((path, make, origin))
                continue
            out.append((edition_file(ed.year, path), make, origin))
            if ed.year == site.legacy_year and not path.startswith("downloads/progress/"):
                out.append((path, make, origin))   # its address before the site held several editions (templates came later)
    out += former_id_copies(site, {path: make for path, make, _ in out})
    out.append(("api/editions.json", lambda: json_bytes(editions_json(site)), Origin("网站自身的文件 api/editions.json")))
    out.append(("api/all/items.json", lambda: json_bytes(all_items_json(site)), Origin("网站自身的文件 api/all/items.json")))
    out.append(("downloads/all/items.csv", lambda: all_items_csv(site), Origin("网站自身的文件 downloads/all/items.csv")))
    return out


def site_files(site: Site, cache: XlsxCache | None = None, claims: Claims | None = None) -> dict[str, Callable[[], bytes]]:
    """path (relative to the site root) → a function producing its bytes, in a fixed order. Each
    path is claimed in `claims` (a new registry if None): a second source for one path raises
    OutputClash, never a silent overwrite."""
    claims = claims if claims is not None else Claims()
    out: dict[str, Callable[[], bytes]] = {}
    for path, make, origin in site_outputs(site, cache):
        out.setdefault(claims.claim(path, origin), make)
    return out


def former_id_copies(site: Site, files: dict[str, Callable[[], bytes]]) -> list[tuple[str, Callable[[], bytes], Origin]]:
    """A unit's legacy files also under each former id (api/units/fpb.json for 市乡村振兴局, once
    fpb): those addresses were published with the legacy edition."""
    out = []
    for unit in site.data.units.values():
        for path in exports.unit_paths(unit).values():
            if path in files:
                out += [(path.replace(f"/{unit.id}.", f"/{old}.", 1), files[path], former_id_origin(unit, old, "下载文件"))
                        for old in unit.former_ids]
    return out


def write_site_files(site: Site, out_dir: Path, cache_dir: Path | None = None, claims: Claims | None = None) -> list[Path]:
    """Write every file under out_dir (each file's bytes made once, even when written twice); each
    path is claimed in `claims` (the build's registry: pages and redirects claimed theirs before)."""
    cache = XlsxCache(cache_dir) if cache_dir is not None else None
    written = []
    for rel, data in made_once(site_files(site, cache, claims)):
        path = Path(out_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    if cache is not None:
        cache.prune()
    return written


def made_once(files: dict[str, Callable[[], bytes]]) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) for every file, in order, each function called once although several paths
    share it (the legacy addresses, former ids). Its bytes are kept only until the last path that
    shares it: all of them at once were most of a large build's peak memory (the workbooks and the
    JSON of every unit: 64 MiB at 10×)."""
    uses = Counter(id(make) for make in files.values())
    made: dict[int, bytes] = {}
    for rel, make in files.items():
        key = id(make)
        data = made.get(key)
        if data is None:
            data = make()
        uses[key] -= 1
        if uses[key]:
            made[key] = data
        else:
            made.pop(key, None)
        yield rel, data


# ----------------------------------------------------------------------------- across the years
def editions_json(site: Site) -> dict:
    """The editions, newest first, with their document and where their pages and files are."""
    eds = []
    for ed in site.newest_first:
        doc = ed.plan.document
        eds.append({"year": ed.year, "doc_no": doc.doc_no, "title": doc.title, "date": doc.date,
                    "items": len(ed.plan.items), "points": len(ed.plan.points),
                    "home": ed.href("index.md", ""), "files": {
                        "plan": ed.file_path("api/plan.json"), "items": ed.file_path("api/items.json"),
                        "units": ed.file_path("api/units.json"), "items_csv": ed.file_path("downloads/items.csv"),
                        "items_xlsx": ed.file_path("downloads/items.xlsx")}})
    return {"api_version": exports.API_VERSION, "latest": site.newest.year, "legacy_year": site.legacy_year,
            "editions": eds}


def all_items_json(site: Site) -> dict:
    """Every edition's items, newest year first, each record with its year."""
    items = [{"year": ed.year, **item_record(ed.plan, item, ed.progress)}
             for ed in site.newest_first for item in ed.plan.items.values()]
    return {"api_version": exports.API_VERSION, "years": [ed.year for ed in site.newest_first], "count": len(items),
            "items": items}


def all_items_csv(site: Site) -> bytes:
    """One CSV of every edition's items with a 年度 column (UTF-8 with BOM, CRLF, formula-safe):
    the editions' CSVs one after another, the header once."""
    columns = (YEAR_COLUMN, *COLUMNS)
    parts = [csv_bytes(ed.plan, ed.plan.items.values(), columns, ed.progress) for ed in site.newest_first]
    head, *rest = parts
    body = [p.split(b"\r\n", 1)[1] for p in rest]   # drop each later part's header row
    return head + b"".join(p.removeprefix("\ufeff".encode()) for p in body)
