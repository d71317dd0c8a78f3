"""The API's JSON text (the api/ files, the example on the API page): `json.dumps(value,
ensure_ascii=False, sort_keys=True, indent=2)`, the same text, with about 30% less CPU.

Why hand-rolled: with `indent` the json module falls back to its pure-Python encoder (the C
encoder only writes compact JSON), and at 10× the api/ files were 5% of a build. This writes the
same layout with the C string encoder for every string and plain recursion for the rest. Only
what the API holds takes the fast path (dicts with string keys, lists, tuples, strings, ints,
finite floats, booleans, None); anything else goes to json.dumps itself. tests/test_jsonfmt.py
compares both on every JSON file of the site and on the corner cases.

`Shared`: a dict that many files hold (an item's record is in the file of every unit it names,
about ten at 10×) is written as text once per indentation; the api/ files' CPU at 10× went from
1.3–1.7 s to 0.4–0.7 s.
"""
from __future__ import annotations

import json
import math
from json.encoder import encode_basestring   # the C encoder's (ensure_ascii=False)

STEP = "  "


class _Other(Exception):
    """A value the fast path does not write exactly as json.dumps would."""


def dumps(value) -> str:
    try:
        return _encode(value, "\n")
    except (_Other, RecursionError):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


class Shared(dict):
    """A dict that many documents hold at the same depth (an item's record in the file of every unit
    it names): its text is made once per indentation and reused, so it must not change after the
    first document that holds it is written. json.dumps reads it as the dict it is."""

    __slots__ = ("texts",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.texts: dict[str, str] = {}   # newline (with its indentation) → text


def _encode(value, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        return _dict(value, newline)
    if kind is Shared:
        text = value.texts.get(newline)
        if text is None:
            text = value.texts[newline] = _dict(value, newline)
        return text
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + STEP
        return "[" + inner + ("," + inner).join([
            encode_basestring(v) if type(v) is str else _encode(v, inner) for v in value]) + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    raise _Other


def _dict(value: dict, newline: str) -> str:
    if not value:
        return "{}"
    inner = newline + STEP
    keys = sorted(value)
    if not all(type(key) is str for key in keys):
        raise _Other   # json.dumps turns other keys into strings after sorting them as they are
    # Strings, the most common value, are encoded here rather than in a call of their own.
    return "{" + inner + ("," + inner).join([
        encode_basestring(key) + ": " + (encode_basestring(v) if type(v) is str else _encode(v, inner))
        for key in keys for v in (value[key],)]) + newline + "}"
