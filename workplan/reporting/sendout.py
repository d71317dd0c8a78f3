"""All of a round's templates at once: for the site's downloads (one workbook per unit and a zip
of them all) and for `python -m workplan templates`, which 市振兴办 runs to send them out.

The zip holds the workbooks under the names the units see (市财政局-2020年上半年-落实情况填报表.xlsx;
zip marks them UTF-8, which 7-Zip, WinRAR, Bandizip and Windows 10's Explorer read) and a
发送清单.csv listing who gets which file and how many items it holds. Same data, same bytes.
"""
from __future__ import annotations

import csv
import io
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..model import Plan
from ..progress import Progress
from ..xlsxcache import XlsxCache
from .template import Book, file_name, template_book, template_units, workbook_bytes

LIST_NAME = "发送清单.csv"


def round_books(plan: Plan, progress: Progress, round_id: str) -> list[Book]:
    """The round's templates, registry order (units with nothing to report on get none)."""
    books = (template_book(plan, progress, uid, round_id) for uid in template_units(progress))
    return [b for b in books if b is not None]


# A round's workbooks go both into their own files and into the zip: write each once per process.
_written = lru_cache(maxsize=512)(workbook_bytes)


def _bytes(book: Book, cache: XlsxCache | None) -> bytes:
    return cache.get(book, _written) if cache is not None else _written(book)


def sendout_zip(books: list[Book], cache: XlsxCache | None = None) -> bytes:
    from ..exports import csv_quote

    listing = io.StringIO()
    writer = csv.writer(listing, lineterminator="\r\n")
    writer.writerow(["单位", "单位标识", "文件名", "应报事项数", "选报事项数", "已填好上次内容的事项数"])
    for b in books:
        expected = sum(1 for r in b.rows if r.expected)
        writer.writerow([csv_quote(b.unit_name), b.unit, csv_quote(file_name(b)), expected, len(b.rows) - expected,
                         sum(1 for r in b.rows if r.status)])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        # Each workbook made as it goes in, not all first: together they are as big as the zip.
        entries = [(LIST_NAME, lambda: listing.getvalue().encode("utf-8-sig"))]
        entries += [(file_name(b), lambda b=b: _bytes(b, cache)) for b in books]
        for name, make in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, make())
    return buf.getvalue()


# ----------------------------------------------------------------------------- on the site
def site_paths(round_id: str, unit_id: str | None = None) -> str:
    """Where a template (or, without unit, the round's zip) is, relative to the site root."""
    folder = f"downloads/progress/{round_id}"
    return f"{folder}/{unit_id}.xlsx" if unit_id else f"{folder}/all-templates.zip"


def site_outputs(plan: Plan, progress: Progress,
                 cache: XlsxCache | None = None) -> list[tuple[str, Callable[[], bytes], str]]:
    """(path, function producing its bytes, the unit id it is named by or "") for every template
    and every round's zip (exports.output_list adds these)."""
    out: list[tuple[str, Callable[[], bytes], str]] = []
    for rid in progress.rounds:
        books = round_books(plan, progress, rid)
        out += [(site_paths(rid, book.unit), lambda b=book: _bytes(b, cache), book.unit) for book in books]
        out.append((site_paths(rid), lambda bs=books: sendout_zip(bs, cache), ""))
    return out


# ----------------------------------------------------------------------------- for sending out
def write_sendout(plan: Plan, progress: Progress, round_id: str, out_dir: Path) -> tuple[Path, list[Path]]:
    """out_dir/<round>/<file name>.xlsx for every unit, and out_dir/落实情况填报表-<round>.zip."""
    books = round_books(plan, progress, round_id)
    folder = out_dir / round_id
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for book in books:
        path = folder / file_name(book)
        path.write_bytes(_bytes(book, None))
        written.append(path)
    archive = out_dir / f"落实情况填报表-{round_id}.zip"
    archive.write_bytes(sendout_zip(books))
    return archive, written
