"""Parse YAML data files keeping the line of every key and list entry, within limits, and turn
the usual editing mistakes into messages a maintainer can act on.

The file is first read by workplan.datafile (path, size, encoding, characters, indentation). The
parser is PyYAML's (libyaml's events when available), composed by PyYAML's own Composer with four
rules added, each reported at the file:line:column where it occurs:

- anchors and aliases (& and *) are refused: this data never needs them, and an alias is how a few
  hundred bytes expand into gigabytes ("billion laughs") once walked;
- explicit tags (!!binary, !!set, …) are refused: only text, numbers, true/false and null occur;
- nesting deeper than the file's schema allows is refused before it is built (no recursion limit,
  no memory blow-up on [[[[…), and so is a file of more than MAX_NODES values;
- duplicate keys (YAML silently lets the last one win: a data-loss bug for us) and keys that are
  not text are reported.

Lines come from each mark's character index counted as editors count them (datafile.LineIndex),
not from PyYAML's line count, which also breaks at U+0085, U+2028 and U+2029.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.resolver import Resolver

from . import datafile
from .errors import Collector

try:  # libyaml's event parser: several times faster than the pure-Python one
    from yaml._yaml import CParser as _Events
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Events(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


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


# Values (scalars, lists, mappings) per file. The real units.yaml has ~1,200 and the 100x synthetic
# plan of the benchmark ~112,000; past this, building and checking them would cost seconds and
# hundreds of MB even within datafile.MAX_BYTES (documented in data/README.md).
MAX_NODES = 200_000


class Refused(Exception):
    """A rule of this module broken at `mark`: reported as `key` with message and hint."""

    def __init__(self, key: str, message: str, hint: str, mark):
        super().__init__(message)
        self.key, self.message, self.hint, self.mark = key, message, hint, mark


class _Loader(_Events, Composer, SafeConstructor, Resolver):
    """libyaml's events, PyYAML's composer with the limits above, Mapping/Sequence with lines."""

    get_single_node = Composer.get_single_node   # not libyaml's composer: ours applies the limits

    def __init__(self, text: str, lines: datafile.LineIndex, max_depth: int):
        _Events.__init__(self, text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.lines, self.max_depth, self.depth, self.nodes = lines, max_depth, 0, 0
        self.duplicates: list[tuple[int, Any, int]] = []   # (line, key, first line)
        self.odd_keys: list[tuple[int, Any]] = []          # keys that are not text: (line, key)

    def line(self, mark) -> int:
        return self.lines.line(mark.index)

    def compose_node(self, parent, index):
        event = self.peek_event()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Refused("too-many-values", f"文件中的值（文字、数字、列表和字段表）超过了 {MAX_NODES:,} 个，没有继续读取。",
                          "数据文件通常只有几千个值：检查是否误粘贴了大量内容。", event.start_mark)
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise Refused("yaml-anchor", f"这里用了 YAML 的{'别名“*' if isinstance(event, AliasEvent) else '锚点“&'}"
                                         f"{event.anchor}”，数据文件中不允许使用锚点（&）和别名（*）。",
                          "把内容照原样写出来；文字以 & 或 * 开头时整段加引号。", event.start_mark)
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise Refused("yaml-tag", f"这里用了 YAML 标签“{tag}”，数据文件中不允许使用标签（! 或 !! 开头）。",
                          "删除标签；文字以 ! 开头时整段加引号。", event.start_mark)
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > self.max_depth:
            raise Refused("nesting-too-deep", f"嵌套层数超过了这个文件允许的 {self.max_depth} 层（列表、字段表套得太深）。",
                          "检查这一行的缩进、方括号 [ ] 和花括号 { }：多半是多了一层缩进或括号。", event.start_mark)
        node = super().compose_node(parent, index)
        self.depth -= 1
        return node


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    mapping = Mapping()
    mapping.line = loader.line(node.start_mark)
    yield mapping
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = loader.line(key_node.start_mark)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(None, None, "found unhashable key", key_node.start_mark) from None
        if not isinstance(key, str):   # reported; read on as the text it was written as, so checks that
            loader.odd_keys.append((line, key))   # follow can compare it with other keys
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key)
        if key in mapping:
            loader.duplicates.append((line, key, mapping.key_lines[key]))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    sequence = Sequence()
    sequence.line = loader.line(node.start_mark)
    yield sequence
    for child in node.value:
        sequence.append(loader.construct_object(child, deep=True))
        sequence.item_lines.append(loader.line(child.start_mark))


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    if len(loader.construct_scalar(node)) > 30:   # Python refuses to convert 4,300+ digits (ValueError)
        raise ConstructorError(None, None, "number too long", node.start_mark)
    return SafeConstructor.construct_yaml_int(loader, node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
# Only text, integers, floats, null and true/false are read from plain scalars. Dates stay strings
# (the schema checks their format); `<<`, `=` are plain text (no merge keys), and YAML 1.1's
# yes/no/on/off are not booleans: that would silently turn a key `no:` into False.
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_KEPT = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, _BOOL if tag == "tag:yaml.org,2002:bool" else regexp) for tag, regexp in resolvers if tag in _KEPT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:bool", lambda loader, node: loader.construct_scalar(node) in ("true", "True", "TRUE"))

_YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（常见原因：文字里有“: ”却没有加引号，或缩进不对）",
    "could not find expected ':'": "缺少冒号“:”（常见原因：上一行的引号没有闭合，或缩进不对）",
    "found character '\\t' that cannot start any token": "出现了制表符（Tab）",
    "did not find expected key": "缩进不一致，找不到预期的键",
    "did not find expected '-' indicator": "列表项缩进不一致（缺少“-”或多了空格）",
    "found unexpected end of stream": "文件意外结束（常见原因：引号没有闭合）",
    "expected <block end>, but found '-'": "列表项“-”的缩进与上面不一致",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '<scalar>'": "缩进不一致，或文字需要加引号",
    "found unhashable key": "键不能是列表或字段表",
    "did not find expected ',' or ']'": "方括号“[”没有闭合（缺少“]”），或列表项之间缺少逗号",
    "did not find expected ',' or '}'": "花括号“{”没有闭合（缺少“}”），或各项之间缺少逗号",
    "but found another document": "文件里只能有一个 YAML 文档（删除第二个“---”及其后的内容）",
    "number too long": "数字太长（超过 30 位）",
}
_SYNTAX_HINT = ("检查这一行及上一行的缩进、冒号和引号；文字里含有“: ”或以“[ { * & ! | > ' \" % @ `”开头时，"
                "请整体加上引号。")


def _translate(problem: str) -> str:
    for english, chinese in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return f"{chinese} (YAML: {problem})"
    return f"YAML 语法错误 (YAML: {problem})"


# A quoted text that spans lines and swallowed what looks like YAML structure ("key: " or "- "):
# the quote did not close where it should have.
_SWALLOWED = re.compile(r"\n[ \t]*(?:-[ \t]|[^\s:'\"]+:\s)")


def _runaway_quote(text: str, before: int):
    """The start and end marks of the last quoted scalar before `before` that ran over lines
    and swallowed YAML structure, or None."""
    found = None
    scanner = _Events(text)
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if token.start_mark.index >= before:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ("'", '"')
                    and _SWALLOWED.search(text, token.start_mark.index, token.end_mark.index)):
                found = token.start_mark, token.end_mark
    except yaml.YAMLError:
        pass
    finally:
        scanner.dispose()
    return found


_QUOTE_HINT = "在这一行文字的末尾补上闭合的引号（与开头的引号相同），或删掉开头多余的引号。"


def _syntax_error(text: str, lines: datafile.LineIndex, exc: yaml.MarkedYAMLError, path: Path, errors: Collector):
    mark = exc.problem_mark or exc.context_mark
    message, hint = _translate(exc.problem or str(exc)), _SYNTAX_HINT
    if exc.context_mark is not None and (exc.context or "").startswith(("while scanning a quoted scalar",
                                                                        "while parsing a flow",
                                                                        "while scanning a simple key")):
        mark = exc.context_mark  # where the unclosed quote/bracket or the key opened, not where it gave up
        if text[mark.index:mark.index + 1] in ("'", '"'):
            message, hint = f"从这里开始的引号没有闭合 (YAML: {exc.problem})", _QUOTE_HINT
    elif mark is not None and (runaway := _runaway_quote(text, mark.index)):
        mark, end = runaway
        message = (f"第 {lines.line(mark.index)} 行的引号一直延续到第 {lines.line(end.index)} 行才闭合"
                   f"（引号没有闭合？），后面的内容因此无法解析 (YAML: {exc.problem})")
        hint = _QUOTE_HINT
    if mark is None:
        errors.add(path, 0, "yaml-syntax", message, hint)
    else:
        errors.add(path, lines.line(mark.index), "yaml-syntax", message, hint, lines.column(mark.index))


def parse(text: str, lines: datafile.LineIndex, path: Path, errors: Collector, max_depth: int) -> Any:
    """The data of one checked text, or None (with errors recorded)."""
    loader = _Loader(text, lines, max_depth)
    try:
        data = loader.get_single_data()
    except Refused as exc:
        errors.add(path, lines.line(exc.mark.index), exc.key, exc.message, exc.hint, lines.column(exc.mark.index))
        return None
    except yaml.MarkedYAMLError as exc:
        _syntax_error(text, lines, exc, path, errors)
        return None
    except yaml.YAMLError as exc:   # e.g. a reader error datafile's character check did not foresee
        errors.add(path, 0, "yaml-syntax", f"YAML 无法读取这个文件 (YAML: {exc})", _SYNTAX_HINT)
        return None
    finally:
        loader.dispose()
    if data is None:
        errors.add(path, 0, "empty-file", "文件是空的（或只有注释）。", "从 git 历史中恢复该文件，或按 data/README.md 填写内容。")
        return None
    for line, key, first in loader.duplicates:
        errors.add(path, line, "duplicate-key", f"键“{key}”在同一处出现了两次（第一次在第 {first} 行），后一个会覆盖前一个。",
                   "删除重复的一行，或把它合并到第一次出现的地方。")
    for line, key in loader.odd_keys:
        errors.add(path, line, "key-not-text", f"键“{key}”被 YAML 读成了{_KINDS.get(type(key), '非文字')}，这里的键只能是文字。",
                   "给键加上引号，例如 \"3-1\": 11。")
    return data


_KINDS = {int: "整数", float: "数字", bool: "是/否", type(None): "空值"}


def load(path: Path, errors: Collector, max_depth: int) -> Any:
    """Read and parse one data file (see workplan.datafile for the checks before parsing).
    Returns None (and records errors) when it cannot be read. `max_depth`: the deepest nesting of
    lists and mappings the file's schema allows (schema.max_depth)."""
    read = datafile.read_text(path, errors)
    return None if read is None else parse(*read, path, errors, max_depth)
