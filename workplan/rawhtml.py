"""Generated pages skip Python-Markdown's raw-HTML pass.

Why: a generated page's body (Site.render) is mostly HTML blocks — tables, lists of facts — that our
templates already wrote and escaped. Python-Markdown would run an HTMLParser over the whole page to
find those blocks and stash them verbatim (markdown.htmlparser.HTMLExtractor), and MkDocs runs a
second HTMLParser over it for anchor ids; at scale that was the largest cost of the build.

How: before the Markdown is converted, `hide` takes out every top-level HTML block exactly where
HTMLExtractor would, and leaves a placeholder paragraph in its place — what Python-Markdown itself
does with its stash. Markdown then parses only what is Markdown (the headings with their ids and
attributes, so the table of contents, permalinks, the page title and `data-search-exclude` on
headings come from the parse as before). `restore` puts each block back for its `<p>placeholder</p>`
(as markdown.postprocessors.RawHtmlPostprocessor does) before the search plugin reads the page
(on_page_context), and `anchor_ids` gives MkDocs the ids inside the blocks for its anchor validation.

A block is taken out only when the rule is certain to match Python-Markdown's (a block-level start
tag at the start of a line, its closing tag at the end of a line and a blank line after); anything
else stays in the Markdown, which handles it as before. tests/test_rawhtml.py proves the whole site
byte-identical both ways (WORKPLAN_PARSE_HTML=1 builds the old way, the search plugin reading whole
pages too).
"""
from __future__ import annotations

import html
import os
import re
import secrets

from markdown.util import BLOCK_LEVEL_ELEMENTS, ETX, STX

# "1": hand the HTML to Python-Markdown, and the whole page to the search plugin (workplan/searchview.py),
# as before: for the equivalence test.
OLD_PATH_ENV = "WORKPLAN_PARSE_HTML"

# HTMLExtractor treats <hr> as an empty tag, not as the start of a block.
BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS) - {"hr"}
START = re.compile(r"^<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])", re.M)
# Tags after a block's start; comments and script/style bodies are opaque to the HTML parser.
TAG = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>", re.S | re.I)
BLANK_AFTER = re.compile(r"([ ]*\n){2}")   # markdown.htmlparser.blank_line_re
OPAQUE = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?>")
ID_ATTR = re.compile(r"""(?:^|\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def normalize_whitespace(text: str, tab_length: int = 4) -> str:
    """markdown.preprocessors.NormalizeWhitespace, which runs before the raw-HTML pass: the blocks
    are found in the text that pass sees (a second run over the result changes nothing that matters)."""
    text = text.replace(STX, "").replace(ETX, "").replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
    return re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(tab_length))


def enabled() -> bool:
    return os.environ.get(OLD_PATH_ENV, "") not in ("1", "true")


class Stash:
    """The HTML blocks of one page, taken out of its Markdown and put back into its HTML."""

    def __init__(self, markdown: str):
        self.token = "wprawhtml" + secrets.token_hex(6)
        while self.token in markdown:
            self.token = "wprawhtml" + secrets.token_hex(6)
        self.blocks: list[str] = []
        self.markdown = self._hide(normalize_whitespace(markdown))

    def _placeholder(self, i: int) -> str:
        return f"{self.token}x{i}"

    def _hide(self, text: str) -> str:
        out, pos = [], 0
        # A "<div" inside a comment or a script is no tag for the HTML parser.
        opaque = [m.span() for m in OPAQUE.finditer(text)]
        seen = 0   # the end of the last block found (taken out or not)
        left_end = None   # the end of the last block left to Markdown, if it is the last block found
        for start in START.finditer(text):
            at = start.start()
            tag = start.group(1).lower()
            if at < seen or tag not in BLOCK_TAGS or any(a < at < b for a, b in opaque):
                continue   # inside a block already handled, or inline HTML (Markdown handles it)
            opening = TAG.match(text, at)
            if opening is None or opening.group(4):
                continue   # <div/>: an empty tag for HTMLExtractor, Markdown handles it
            end = self._block_end(text, at, tag)
            if end is None:
                break   # unclosed: leave the rest to Markdown
            # Like HTMLExtractor: a line break before the placeholder makes it a paragraph of its own;
            # not right after a block left to Markdown, whose "tail" rule must still see no blank line.
            after_left = left_end is not None and not text[left_end:at].strip()
            seen = end
            if not BLANK_AFTER.match(text, end):
                left_end = end
                continue   # no blank line after it: HTMLExtractor differs ("tail"), leave it to Markdown
            left_end = None
            out.append(text[pos:at])
            out.append(f"{'' if after_left else chr(10)}{self._placeholder(len(self.blocks))}\n\n")
            self.blocks.append(text[start.start():end] + "\n")
            pos = end
        out.append(text[pos:])
        return "".join(out)

    @staticmethod
    def _block_end(text: str, begin: int, outer: str) -> int | None:
        """Where the block opened at `begin` ends: after the closing tag that empties HTMLExtractor's
        stack, i.e. the end tag of `outer` at depth 0 (the same name nests; other tags don't matter)."""
        depth = 0
        for m in TAG.finditer(text, begin):
            name = m.group(3)
            if name is None:
                if m.start() == begin:   # the block is itself a script/style element
                    return m.end()
                continue
            if name.lower() != outer:
                continue
            if m.group(2):
                depth -= 1
                if depth == 0:
                    return m.end()
            elif not m.group(4):
                depth += 1
        return None

    def restore(self, content: str) -> str:
        """The page's HTML with every block back in its placeholder's paragraph."""
        def put_back(m: re.Match) -> str:
            return self.blocks[int(m.group(1))]

        restored, n = re.subn(rf"<p>{self.token}x(\d+)</p>", put_back, content)
        restored = restored.strip()   # Markdown.convert strips its output after restoring its own stash
        if n != len(self.blocks) or self.token in restored:
            raise RuntimeError(f"workplan.rawhtml: {len(self.blocks)} HTML blocks taken out, {n} put back: "
                               "the page's Markdown moved a placeholder (a bug in rawhtml's block rule)")
        return restored

    def anchor_ids(self) -> set[str]:
        """The id (and <a name>) values in the blocks, for MkDocs' anchor validation."""
        ids = set()
        for block in self.blocks:
            for tag in START_TAG.finditer(block):
                for m in ID_ATTR.finditer(tag.group(2) or ""):
                    if m.group(1).lower() == "id" or tag.group(1).lower() == "a":
                        ids.add(html.unescape(next(g for g in m.groups()[1:] if g is not None)))
        return ids
