"""Read YAML keeping the line of every key and list entry, and turn the usual editing
mistakes (GBK encoding, tabs, full-width colons, duplicate keys, syntax errors) into
messages a maintainer can act on.

PyYAML is used as is; we only subclass its SafeLoader to record line numbers and to report
duplicate keys (which YAML silently lets the last one win — a data-loss bug for us).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Collector


class Mapping(dict):
    """A dict that remembers the line of itself and of each key."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A list that remembers the line of itself and of each entry."""

    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


def line_of(node: Any, default: int = 0) -> int:
    return getattr(node, "line", default) or default


def line_at(root: Any, path) -> int:
    """The line of the deepest node along a key/index path (as in jsonschema's error.path)."""
    line, node = line_of(root, 1), root
    for step in path:
        if isinstance(node, Mapping) and step in node:
            line, node = node.line_of(step), node[step]
        elif isinstance(node, Sequence) and isinstance(step, int) and step < len(node):
            line, node = node.line_of(step), node[step]
        else:
            break
    return line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: 5x faster
    """SafeLoader that builds Mapping/Sequence and collects duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, Any, int]] = []  # (line, key, first line)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "found unhashable key", key_node.start_mark)
        if key in mapping:
            loader.duplicates.append((line, key, mapping.key_lines[key]))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    sequence = Sequence()
    sequence.line = node.start_mark.line + 1
    yield sequence
    for child in node.value:
        sequence.append(loader.construct_object(child, deep=True))
        sequence.item_lines.append(child.start_mark.line + 1)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings (the schema checks their format), and only true/false are booleans:
# YAML 1.1 also reads yes/no/on/off as booleans, which silently turns a key `no:` into False.
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, _BOOL if tag == "tag:yaml.org,2002:bool" else regexp) for tag, regexp in resolvers
            if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:bool", lambda loader, node: loader.construct_scalar(node) in ("true", "True", "TRUE"))

_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*：")
_TAB_INDENT = re.compile(r"^ *\t")
_WIDE_INDENT = re.compile(r"^[ \t]*[\u3000\u00a0]")

_YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（常见原因：文字里有“: ”却没有加引号，或缩进不对）",
    "could not find expected ':'": "缺少冒号“:”（常见原因：上一行的引号没有闭合，或缩进不对）",
    "found character '\\t' that cannot start any token": "出现了制表符（Tab）",
    "did not find expected key": "缩进不一致，找不到预期的键",
    "did not find expected '-' indicator": "列表项缩进不一致（缺少“-”或多了空格）",
    "found unexpected end of stream": "文件意外结束（常见原因：引号没有闭合）",
    "found undefined alias": "使用了未定义的别名（*）",
    "expected <block end>, but found '-'": "列表项“-”的缩进与上面不一致",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '<scalar>'": "缩进不一致，或文字需要加引号",
    "found unhashable key": "键不能是列表或字典",
}


def _translate(problem: str) -> str:
    for english, chinese in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return f"{chinese} (YAML: {problem})"
    return f"YAML 语法错误 (YAML: {problem})"


def decode(raw: bytes, path: Path, errors: Collector) -> str | None:
    """UTF-8 text (a BOM is accepted and dropped), or None with an error naming the line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gbk")
            guess = "看起来是 GBK/GB2312 编码"
        except UnicodeDecodeError:
            guess = "编码无法识别"
        errors.add(path, line, "encoding", f"文件不是 UTF-8 编码（{guess}）。",
                   "请用 UTF-8 编码重新保存此文件（记事本：另存为 → 编码选 UTF-8；GitHub 网页编辑器默认即为 UTF-8）。")
        return None
    return text


def load(path: Path, errors: Collector) -> Any:
    """Parse one YAML file. Returns None (and records errors) when it cannot be read."""
    text = decode(path.read_bytes(), path, errors)
    if text is None:
        return None
    clean = True
    for number, line in enumerate(text.splitlines(), start=1):
        if _TAB_INDENT.match(line):
            errors.add(path, number, "tab-indent", "这一行用制表符（Tab）缩进，YAML 只允许空格。",
                       "把行首的 Tab 换成空格（与上一级相比多缩进 2 个空格）。")
            clean = False
        elif _WIDE_INDENT.match(line):
            errors.add(path, number, "fullwidth-indent", "这一行行首有全角空格（或不间断空格），YAML 只认半角空格缩进。",
                       "把行首的全角空格换成半角空格（常见于从 WPS/Word 粘贴）。")
            clean = False
        elif _FULLWIDTH_KEY.match(line):
            errors.add(path, number, "fullwidth-colon", "键后面用了全角冒号“：”，YAML 只认半角冒号“:”。",
                       "把键后面的“：”改成半角“: ”（冒号后加一个空格）。")
            clean = False
    if not clean:
        return None
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (exc.context or "").startswith(("while scanning a quoted scalar",
                                                                            "while parsing a flow")):
            mark = exc.context_mark  # where the unclosed quote/bracket opened, not the end of the file
        errors.add(path, mark.line + 1 if mark else 0, "yaml-syntax", _translate(exc.problem or str(exc)),
                   "检查这一行及上一行的缩进、冒号和引号；文字里含有“: ”或以“[ { * & ! | > ' \" % @ `”开头时，请整体加上引号。")
        return None
    finally:
        loader.dispose()
    if data is None:
        errors.add(path, 0, "empty-file", "文件是空的（或只有注释）。", "从 git 历史中恢复该文件，或按 data/README.md 填写内容。")
        return None
    for line, key, first in loader.duplicates:
        errors.add(path, line, "duplicate-key", f"键“{key}”在同一处出现了两次（第一次在第 {first} 行），后一个会覆盖前一个。",
                   "删除重复的一行，或把它合并到第一次出现的地方。")
    return data
