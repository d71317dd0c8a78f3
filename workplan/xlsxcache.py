"""Workbooks written by an earlier build, kept in a folder (the project's .cache/xlsx/) by a digest
of everything that makes their bytes: a rebuild (`make serve` after an edit, a second `make build`)
rewrites only the workbooks whose content changed. Writing workbooks is most of the cost of the
downloads (the item lists in xlsxbook.py and the reporting templates in reporting/template.py)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

# The code that turns a book into bytes: a change to any of it (or to XlsxWriter) makes new files.
WRITERS = ("xlsxbook.py", "xlsxfast.py", "xlsxsheet.py", "reporting/template.py", "reporting/layout.py")


class XlsxCache:
    """`get(book, write)`: the bytes of `write(book)`, from the folder when an earlier build made
    them; `book` is a tuple of plain values whose repr is all the workbook depends on. `prune`
    drops the entries this build did not use."""

    def __init__(self, folder: Path):
        import xlsxwriter

        self.folder = Path(folder)
        self.used: set[str] = set()
        here = Path(__file__).parent
        code = b"".join((here / name).read_bytes() for name in WRITERS)
        self._salt = hashlib.sha256(code + xlsxwriter.__version__.encode()).hexdigest()

    def get(self, book: tuple, write: Callable[[tuple], bytes]) -> bytes:
        name = f"{write.__module__}.{write.__qualname__}"
        key = hashlib.sha256(f"{self._salt}\n{name}\n{book!r}".encode("utf-8")).hexdigest()
        self.used.add(key)
        path = self.folder / f"{key}.xlsx"
        try:
            return path.read_bytes()
        except OSError:
            pass
        data = write(book)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)   # atomic: an interrupted build leaves no half-written entry
        return data

    def prune(self) -> None:
        for path in self.folder.glob("*.xlsx"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
        for path in self.folder.glob("*.tmp"):   # left by a writer that was killed (not by one still writing)
            pid = path.suffixes[-2][1:] if len(path.suffixes) >= 2 else ""
            if pid.isdigit() and not _alive(int(pid)):
                path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
