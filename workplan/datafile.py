"""Reading one data file safely, before any YAML is parsed: every loader reads data/ through
`read_text` (via yamlio.load), so these rules hold for the plan, the registry, links, errata,
rounds and reports alike.

Each rule is a small function that records DataErrors and says whether the file may go on:

1. the path: a regular file inside the repository, reached without a symlink — a symlink, FIFO,
   device or anything resolving outside is rejected by name, never followed or read (so no
   message can quote a file that is not a data file, e.g. a link to /etc/passwd);
2. the size: at most MAX_BYTES, checked on the open file before reading;
3. the encoding: UTF-8 (a leading BOM is accepted), with GBK and UTF-16 recognised by name;
4. the characters and line starts: what YAML refuses, what it reads as a line break where an
   editor shows none, tabs, full-width spaces and colons.

Lines are counted as editors count them: at "\\n" (and a lone "\\r"), never at U+0085, U+2028 or
U+2029, which YAML — and Python's str.splitlines — also treat as breaks.
"""
from __future__ import annotations

import bisect
import os
import re
import stat
from pathlib import Path

from . import chars
from .errors import Collector

# The real data files are at most ~20 KB; the 100x synthetic plan of the benchmark (workplan.synth)
# has ~1.7 MB files. Above this a file is refused before it is read (documented in data/README.md).
MAX_BYTES = 2 * 1024 * 1024
# Per kind of character problem, the occurrences listed in full (a binary file would have thousands).
MAX_LISTED = 5

_KINDS = ((stat.S_ISLNK, "符号链接（symlink）"), (stat.S_ISDIR, "目录"), (stat.S_ISFIFO, "命名管道（FIFO）"),
          (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"), (stat.S_ISSOCK, "套接字"))


class LineIndex:
    """Character index → (line, column), both 1-based, counting lines at "\\n", "\\r\\n" and "\\r"."""

    _BREAK = re.compile(r"\r\n?|\n")

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in self._BREAK.finditer(text)]

    def line(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index)

    def column(self, index: int) -> int:
        return index - self.starts[self.line(index) - 1] + 1


def lines(text: str) -> list[str]:
    """The lines an editor shows (str.splitlines would also break at U+2028 and friends)."""
    return LineIndex._BREAK.split(text)


# ---------------------------------------------------------------------------- 1. the path

def kind_of(mode: int) -> str | None:
    """"符号链接（symlink）" etc. for anything that is not a regular file; None for a regular file."""
    return next((label for test, label in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "特殊文件")


def check_path(path: Path, errors: Collector, folder_ok: bool = False) -> bool:
    """`path` is a regular file (or, with folder_ok, a folder) inside the repository, and no folder
    on the way is a symlink. Nothing is followed or opened to find out."""
    rel = errors.rel(path)
    if rel == ".." or rel.startswith("../") or os.path.isabs(rel):
        errors.add(path, 0, "outside-repository", f"{rel} 不在仓库目录中，不读取。",
                   "数据文件只能放在仓库的 data/ 目录中。")
        return False
    parts = Path(rel).parts
    for depth in range(1, len(parts) + 1):
        here, last = Path(errors.root, *parts[:depth]), depth == len(parts)
        try:
            mode = os.lstat(here).st_mode
        except OSError:
            return True   # gone: the caller's missing-file check (or the open) reports it
        kind = kind_of(mode)
        if kind is None or (kind == "目录" and (folder_ok or not last)):
            continue
        _not_regular(path, here, kind, "文件" if last else "目录", errors)
        return False
    return True


def _not_regular(path: Path, found: Path, kind: str, expected: str, errors: Collector) -> None:
    errors.add(path, 0, "not-regular-file",
               f"{errors.rel(found)} 是{kind}，不是普通{expected}；数据只从仓库中的普通文件读取，没有读取它。",
               "用文件本身替换链接或特殊文件（例如在 GitHub 网页上新建文件，把内容粘贴进去）；不要提交链接。")


def rename_hint(path: Path, name: str, errors: Collector, folder: Path | None = None) -> str:
    """"把文件改名为 <name>" (or, with `folder`, "把文件移到 <folder>/") — unless a file of that name is
    already there: a hint never tells anyone to overwrite a file, it says to merge into it."""
    target = (folder or path.parent) / name
    if os.path.lexists(target):
        return f"{errors.rel(target)} 已经存在，不能{'移' if folder else '改名'}过去：把本文件的内容合并进那个文件，再删除本文件"
    return f"把文件移到 {errors.rel(folder)}/ 目录" if folder else f"把文件改名为 {name}"


# ---------------------------------------------------------------------------- 2. the size, and reading

def read_bytes(path: Path, errors: Collector) -> bytes | None:
    """The bytes of a checked path: opened without following a link or blocking on a FIFO,
    confirmed to be a regular file, and refused unread when larger than MAX_BYTES."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        errors.add(path, 0, "unreadable-file", f"无法读取文件（{exc.strerror}）。", "检查文件是否存在、是否有读取权限。")
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if kind_of(info.st_mode) is not None:   # replaced between the check and the open
            _not_regular(path, path, kind_of(info.st_mode), "文件", errors)
            return None
        if not check_size(path, info.st_size, errors):
            return None
        raw = handle.read(MAX_BYTES + 1)
    return raw if check_size(path, len(raw), errors) else None


def check_size(path: Path, size: int, errors: Collector) -> bool:
    if size <= MAX_BYTES:
        return True
    errors.add(path, 0, "file-too-large",
               f"文件有 {size:,} 字节，超过数据文件的上限 {MAX_BYTES:,} 字节（{MAX_BYTES // 1024 // 1024} MiB），没有读取。",
               "数据文件通常只有几十 KB：检查是否误粘贴了大段内容，或把别的文件存成了这个名字。")
    return False


# ---------------------------------------------------------------------------- 3. the encoding

def decode(raw: bytes, path: Path, errors: Collector) -> str | None:
    """UTF-8 text (a BOM is accepted and dropped), or None with an error naming the line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        errors.add(path, 1, "encoding", "文件不是 UTF-8 编码（看起来是 UTF-16 编码，记事本里叫“Unicode”）。", _SAVE_AS_UTF8)
        return None
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[start:exc.start].decode("utf-8", errors="replace")) + 1
        try:
            raw.decode("gbk")
            guess = "看起来是 GBK/GB2312 编码"
        except UnicodeDecodeError:
            guess = f"编码无法识别：第 {column} 个字符处的字节 0x{raw[exc.start]:02X} 不是有效的 UTF-8"
        errors.add(path, line, "encoding", f"文件不是 UTF-8 编码（{guess}）。", _SAVE_AS_UTF8, column)
        return None


_SAVE_AS_UTF8 = "请用 UTF-8 编码重新保存此文件（记事本：另存为 → 编码选 UTF-8；GitHub 网页编辑器默认即为 UTF-8）。"


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: mostly-ASCII text with every other byte zero."""
    head = raw[:200]
    return len(head) >= 8 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4)


# ---------------------------------------------------------------------------- 4. characters and line starts

# Searched over the whole text with re.M (a C loop; a Python loop over the lines cost a second
# on a file of half a million lines): the text is flattened to "\n" breaks first, and no pattern
# may cross one ([^\S\n] is \s without the line break).
_TAB_INDENT = re.compile(r"^ *\t", re.M)
_WIDE_INDENT = re.compile(r"^[ \t]*[\u3000\u00a0]", re.M)
_FULLWIDTH_KEY = re.compile(r"^[^\S\n]*(?:-[^\S\n]+)?[A-Za-z_][A-Za-z0-9_]*[^\S\n]*：", re.M)

_LINE_RULES = (
    (_TAB_INDENT, "tab-indent", "这一行用制表符（Tab）缩进，YAML 只允许空格。",
     "把行首的 Tab 换成空格（与上一级相比多缩进 2 个空格）。"),
    (_WIDE_INDENT, "fullwidth-indent", "这一行行首有全角空格（或不间断空格），YAML 只认半角空格缩进。",
     "把行首的全角空格换成半角空格（常见于从 WPS/Word 粘贴）。"),
    (_FULLWIDTH_KEY, "fullwidth-colon", "键后面用了全角冒号“：”，YAML 只认半角冒号“:”。",
     "把键后面的“：”改成半角“: ”（冒号后加一个空格）。"),
)


def check_characters(text: str, path: Path, errors: Collector, index: LineIndex) -> str:
    """Characters YAML refuses (control-character) and YAML-only line breaks (unicode-line-break),
    each named by code point with its line and column. Returns the text with each of them made a
    space: the file is already in error, but parsing goes on so that one run also reports what
    else is wrong, at the lines an editor shows."""
    for pattern, key, what, hint in (
            (chars.REFUSED, "control-character", "YAML 不允许这个字符",
             "删除这个字符（常见于从 Word、WPS 或网页粘贴；GitHub 网页编辑器把它显示为红点）。"),
            (chars.YAML_BREAKS, "unicode-line-break", "YAML 把它当作换行，编辑器却不显示换行，后面的内容会被读到下一行",
             "删除这个字符；这里本来就要换行的话，按回车键换行。")):
        found = list(pattern.finditer(text))
        for n, match in enumerate(found[:MAX_LISTED], start=1):
            at = match.start()
            more = f"本文件共有 {len(found)} 处这样的字符，这里只列出前 {MAX_LISTED} 处。" if n == MAX_LISTED < len(found) else ""
            errors.add(path, index.line(at), key, f"第 {index.column(at)} 个字符是 {chars.name(match.group())}：{what}。",
                       hint + more, index.column(at))
        if found:
            text = pattern.sub(" ", text)
    return text


def check_line_starts(text: str, path: Path, errors: Collector) -> bool:
    """Tab or full-width indentation, and a full-width colon after a key: one message per line, the
    first rule that matches it."""
    flat = text.replace("\r\n", "\n").replace("\r", "\n")   # the lines an editor shows, as lines()
    found: dict[int, tuple[str, str, str]] = {}
    for pattern, key, message, hint in _LINE_RULES:
        number, counted = 1, 0
        for match in pattern.finditer(flat):
            number += flat.count("\n", counted, match.start())
            counted = match.start()
            found.setdefault(number, (key, message, hint))
    for number in sorted(found):
        errors.add(path, number, *found[number])
    return not found


def read_text(path: Path, errors: Collector) -> tuple[str, LineIndex] | None:
    """The text of a data file, ready to parse, and its line index; None when it cannot be parsed.
    Every problem is recorded."""
    if not check_path(path, errors):
        return None
    raw = read_bytes(path, errors)
    text = None if raw is None else decode(raw, path, errors)
    if text is None:
        return None
    index = LineIndex(text)
    text = check_characters(text, path, errors, index)
    return (text, index) if check_line_starts(text, path, errors) else None
