"""Characters that a maintainer cannot see or that editors and YAML read differently, and how to
name them in a message (a code point and a Chinese name: the character itself shows nothing).

Three classes matter for data files:

- refused: what YAML's reader refuses (C0/C1 control characters other than tab and line breaks,
  DEL, lone surrogates, U+FFFE/U+FFFF) — typically pasted from a word processor;
- yaml_breaks: U+0085, U+2028, U+2029, which YAML counts as line breaks and editors do not, so a
  key after one silently starts a new line (a comment can end in the middle of a line);
- invisible: zero-width characters, a BOM inside a text, bidi controls and the other Unicode
  format characters (category Cf). They are legal — an emoji sequence needs U+200D — but make a
  name fail to match while it looks right, so every message that quotes one names it.
"""
from __future__ import annotations

import re
import unicodedata

# As yaml.reader.Reader.NON_PRINTABLE, minus U+0085 (a break, reported as such).
REFUSED = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
YAML_BREAKS = re.compile("[\x85\u2028\u2029]")

NAMES = {
    "\t": "制表符 Tab", "\n": "换行符", "\r": "回车符", "\x00": "空字符 NUL", "\x08": "退格符", "\x0b": "垂直制表符（Word 的手动换行）", "\x0c": "换页符（Word 的分页符）",
    "\x1b": "转义符 ESC", "\x7f": "删除符 DEL",
    "\x85": "下一行符 NEL", "\u2028": "行分隔符", "\u2029": "段落分隔符",
    "\u00ad": "软连字符", "\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符",
    "\u200e": "从左到右标记", "\u200f": "从右到左标记", "\u2060": "零宽不折行空格", "\ufeff": "字节顺序标记 BOM",
    "\u202a": "从左到右嵌入", "\u202b": "从右到左嵌入", "\u202c": "方向格式结束", "\u202d": "从左到右覆盖",
    "\u202e": "从右到左覆盖", "\u2066": "从左到右隔离", "\u2067": "从右到左隔离", "\u2068": "首字符方向隔离",
    "\u2069": "方向隔离结束",
}


def is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf"


def code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def name(ch: str) -> str:
    """"U+200B（零宽空格）"."""
    if ch in NAMES:
        label = NAMES[ch]
    elif "\ud800" <= ch <= "\udfff":
        label = "无效的代理字符"
    elif unicodedata.category(ch) == "Cc":
        label = "控制字符"
    else:
        label = unicodedata.name(ch, "不可见字符")
    return f"{code_point(ch)}（{label}）"


def hidden(ch: str, line_breaks: bool = False) -> bool:
    """Invisible, refused by YAML, a YAML-only line break — or, with line_breaks, any break or tab."""
    return bool(is_invisible(ch) or REFUSED.match(ch) or YAML_BREAKS.match(ch) or (line_breaks and ch in "\n\r\t"))


def invisible_in(text: str, line_breaks: bool = False) -> list[str]:
    """The distinct hidden characters of `text`, in order of first appearance."""
    return list(dict.fromkeys(ch for ch in text if hidden(ch, line_breaks)))


def shown(text: str, line_breaks: bool = False) -> str:
    """`text` with every hidden character written as ⟨U+XXXX⟩, so that a log shows it (and a lone
    surrogate, which cannot be printed, cannot crash the report)."""
    return "".join(f"⟨{code_point(ch)}⟩" if hidden(ch, line_breaks) else ch for ch in text)


def without_invisible(text: str) -> str:
    return "".join(ch for ch in text if not is_invisible(ch))
