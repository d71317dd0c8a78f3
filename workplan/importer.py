"""Import a 工作要点 document (text extracted from its PDF) into the YAML files of data/<year>/.

The parser knows the document's grammar: a notice (issuer, 文号, title, addressees, date), the
work points (一、… parts holding numbered points, some with a **bold** title), the attachment
table (tab-separated rows; header rows repeat at page breaks; category rows 一、/（一）with a
declared count) and the closing requirements (有关要求). Everything it cannot infer — unit
kinds, ids, aliases, point↔item links, errata — is curated by hand in separate files
(data/units.yaml, data/<year>/links.yaml, data/<year>/errata.yaml) and never written here.

Run ``python -m workplan import data/2020/source.txt`` to (re)write data/2020/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import datafile
from .text import SENTENCE_END, clean, split_clauses

CN_NUMERALS = "一二三四五六七八九十"
_PART = re.compile(rf"^([{CN_NUMERALS}])、(.+)$")
_POINT = re.compile(r"^(\d+)\.\s*(.*)$", re.S)
_TABLE_PART = re.compile(rf"^([{CN_NUMERALS}])、(.+?)[（(](\d+)\s*项[）)]$")
_TABLE_SUB = re.compile(rf"^[（(]([{CN_NUMERALS}])[）)](.+?)[（(](\d+)\s*项[）)]$")
_ITEM = re.compile(r"^(\d+)$")
_DECLARED_TOTAL = re.compile(r"^[（(]共(\d+)项[）)]$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
TABLE_HEADER = ["序号", "事项名称", "牵头单位", "责任单位"]


class ImportError_(Exception):
    """The source does not follow the expected grammar (message says where)."""


@dataclass
class Paragraphs:
    """Non-empty source lines re-joined across PDF page breaks, with their line numbers."""

    texts: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _is_marker(text: str) -> bool:
    return bool(_PART.match(text) or _POINT.match(text) or text.startswith("附件"))


def _paragraphs(lines: list[str], start: int, stop: int) -> Paragraphs:
    """Join a paragraph to the previous one when the break is a page-break artefact."""
    out = Paragraphs()
    for index in range(start, stop):
        raw = lines[index].strip()
        if not raw:
            continue
        if out.texts and not _is_marker(raw) and out.texts[-1][-1] not in SENTENCE_END:
            out.texts[-1] += raw
        elif out.texts and not _is_marker(raw) and _POINT.match(out.texts[-1]):
            # A page break after a full sentence inside a point: a second paragraph of it.
            out.texts[-1] += "\n" + raw
        else:
            out.texts.append(raw)
            out.lines.append(index + 1)
    return out


def _find(lines: list[str], predicate, start: int = 0, what: str = "") -> int:
    for index in range(start, len(lines)):
        if predicate(lines[index].strip()):
            return index
    raise ImportError_(f"source: cannot find {what} after line {start + 1}")


def _iso_date(text: str) -> str:
    match = _DATE.match(clean(text))
    if not match:
        raise ImportError_(f"source: expected a date like 2020 年 4 月 3 日, got {text!r}")
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _split_point(no: int, text: str) -> dict:
    """A point's bold title is marked **…** in the extraction, or else is its first sentence."""
    bold = re.match(r"^\*\*(.+?)\*\*(.*)$", text, re.S)
    if bold:
        title, body = bold.group(1), bold.group(2)
    else:
        end = text.index("。") + 1
        title, body = text[:end], text[end:]
    return {"number": no, "title": clean(title), "text": "\n".join(clean(p) for p in body.split("\n"))}


def parse(source: str) -> dict:
    """Parse the document into plain data (the structure of the YAML files)."""
    lines = datafile.lines(source)   # as editors count them: the import errors' line numbers
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    issuer, doc_no, notice_title, addressees, notice_text = (clean(lines[i]) for i in nonempty[:5])
    signature_at = nonempty[5]
    date_at = nonempty[6]
    title_at = nonempty[7]
    general_at = nonempty[8]
    attachment_ref = _find(lines, lambda s: s.startswith("附件："), general_at, "附件：")
    body = _paragraphs(lines, general_at + 1, attachment_ref)

    parts: list[dict] = []
    for text, line in zip(body.texts, body.lines):
        if m := _PART.match(text):
            parts.append({"number": m.group(1), "title": clean(m.group(2)), "points": []})
        elif m := _POINT.match(text):
            if not parts:
                raise ImportError_(f"source:{line}: point before the first part heading")
            parts[-1]["points"].append(_split_point(int(m.group(1)), m.group(2)))
        else:
            raise ImportError_(f"source:{line}: unexpected paragraph {text[:20]!r}")

    total_at = _find(lines, lambda s: bool(_DECLARED_TOTAL.match(clean(s))), attachment_ref, "(共 N 项)")
    requirements_at = _find(lines, lambda s: s.startswith("有关要求"), total_at, "有关要求")
    attachment = _parse_table(lines, total_at + 1, requirements_at)
    attachment["title"] = clean(lines[_previous_nonempty(lines, total_at)])
    attachment["declared_count"] = int(_DECLARED_TOTAL.match(clean(lines[total_at])).group(1))

    closing = [clean(re.sub(r"^\d+\.\s*", "", lines[i])) for i in range(requirements_at + 1, len(lines)) if lines[i].strip()]
    year = int(_iso_date(lines[date_at])[:4])
    deadlines = [f"{year:04d}-{int(m):02d}-{int(d):02d}" for req in closing for m, d in _MONTH_DAY.findall(req)]
    document = {
        "year": year,
        "issuer": issuer,
        "doc_no": doc_no,
        "notice_title": notice_title,
        "addressees": addressees,
        "notice_text": notice_text,
        "signature": clean(lines[signature_at]),
        "date": _iso_date(lines[date_at]),
        "title": clean(lines[title_at]),
        "general_requirements": clean(lines[general_at]),
        "requirements": closing,
        "reporting_deadlines": deadlines,
    }
    return {"document": document, "parts": parts, "attachment": attachment}


def _previous_nonempty(lines: list[str], index: int) -> int:
    index -= 1
    while not lines[index].strip():
        index -= 1
    return index


def _parse_table(lines: list[str], start: int, stop: int) -> dict:
    parts: list[dict] = []
    current: dict | None = None  # the category that receives item rows
    for index in range(start, stop):
        cells = [c.strip() for c in lines[index].split("\t")]
        first = clean(cells[0]) if cells else ""
        if not first or [clean(c) for c in cells[:4]] == TABLE_HEADER:
            continue
        if m := _TABLE_PART.match(first):
            current = {"number": m.group(1), "title": m.group(2), "declared_count": int(m.group(3)),
                       "line": index + 1, "items": [], "categories": []}
            parts.append(current)
        elif m := _TABLE_SUB.match(first):
            if not parts:
                raise ImportError_(f"source:{index + 1}: sub-category before any part")
            current = {"number": f"（{m.group(1)}）", "title": m.group(2), "declared_count": int(m.group(3)),
                       "line": index + 1, "items": []}
            parts[-1]["categories"].append(current)
        elif _ITEM.match(first):
            if current is None:
                raise ImportError_(f"source:{index + 1}: item row before any category row")
            cells += [""] * (4 - len(cells))
            current["items"].append({
                "number": int(first),
                "text": clean(cells[1]),
                "lead": split_clauses(cells[2]),
                "responsible": split_clauses(cells[3]),
                "source_line": index + 1,
            })
        else:
            raise ImportError_(f"source:{index + 1}: unexpected table row {lines[index][:30]!r}")
    return {"parts": parts}


# --------------------------------------------------------------------------- writing YAML

def _scalar(value) -> str:
    """One YAML scalar on one line, quoted only where YAML needs it."""
    return yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_style=None).removesuffix("\n...\n").rstrip("\n")


def _flow(values: list[str]) -> str:
    return yaml.safe_dump(list(values), allow_unicode=True, width=1 << 30, default_flow_style=True).strip()


def _flow_clauses(clauses: list[list[str]]) -> str:
    """[甲, 乙] for one group of names; [[甲], [乙, 丙]] when the cell divides them with "，"."""
    return _flow(clauses[0] if len(clauses) == 1 else clauses) if clauses else "[]"


def _block_text(key: str, text: str, indent: str) -> str:
    """Multi-paragraph text as a literal block, single-line text as a plain scalar."""
    if "\n" in text:
        body = "\n".join(f"{indent}  {line}" for line in text.split("\n"))
        return f"{indent}{key}: |-\n{body}"
    return f"{indent}{key}: {_scalar(text)}"


GENERATED = "# 由 `python -m workplan import data/{year}/source.txt` 从原文导入；内容与原文逐字一致。"


def render_document(doc: dict) -> str:
    out = [GENERATED.format(year=doc["year"]),
           "# 文件信息（document metadata）。字段说明见 data/README.md。"]
    for key in ("year", "issuer", "doc_no", "notice_title", "addressees", "notice_text", "signature", "date", "title",
                "general_requirements"):
        out.append(f"{key}: {_scalar(doc[key])}")
    out.append("requirements:  # 有关要求，逐条")
    out += [f"  - {_scalar(r)}" for r in doc["requirements"]]
    out.append(f"reporting_deadlines: {_flow(doc['reporting_deadlines'])}  # 落实情况报送截止日期")
    return "\n".join(out) + "\n"


def render_points(doc: dict, parts: list[dict]) -> str:
    out = [GENERATED.format(year=doc["year"]),
           "# 正文：四个部分及其工作要点（work points）。title 为加粗的标题句，text 为其后的正文。",
           "parts:"]
    for part in parts:
        out += [f"  - number: {part['number']}", f"    title: {_scalar(part['title'])}", "    points:"]
        for point in part["points"]:
            out += [f"      - number: {point['number']}", f"        title: {_scalar(point['title'])}",
                    _block_text("text", point["text"], "        ")]
    return "\n".join(out) + "\n"


def _category_id(part_index: int, sub_index: int | None) -> str:
    return f"{part_index}" if sub_index is None else f"{part_index}-{sub_index}"


def leaf_categories(attachment: dict):
    """(category id, category dict, parent part dict or None) for every category holding items."""
    for p_index, part in enumerate(attachment["parts"], start=1):
        if part["categories"]:
            for s_index, sub in enumerate(part["categories"], start=1):
                yield _category_id(p_index, s_index), sub, part
        else:
            yield _category_id(p_index, None), part, None


def render_attachment(doc: dict, attachment: dict) -> str:
    out = [GENERATED.format(year=doc["year"]),
           "# 附件的结构：部分（一、二、三）与小类（（一）…（七）），以及文件声明的事项数。",
           "# 事项本身在 items/ 目录下，每个类别一个文件。",
           f"title: {_scalar(attachment['title'])}",
           f"declared_count: {attachment['declared_count']}  # (共 {attachment['declared_count']} 项)",
           "parts:"]
    for p_index, part in enumerate(attachment["parts"], start=1):
        out += [f"  - id: {_scalar(str(p_index))}", f"    number: {part['number']}",
                f"    title: {_scalar(part['title'])}", f"    declared_count: {part['declared_count']}"]
        if part["categories"]:
            out.append("    categories:")
            for s_index, sub in enumerate(part["categories"], start=1):
                out += [f"      - id: {_scalar(_category_id(p_index, s_index))}", f"        number: {sub['number']}",
                        f"        title: {_scalar(sub['title'])}", f"        declared_count: {sub['declared_count']}"]
    return "\n".join(out) + "\n"


def render_items(doc: dict, category_id: str, category: dict) -> str:
    out = [GENERATED.format(year=doc["year"]),
           f"# {category['number']}{'' if category['number'].startswith('（') else '、'}{category['title']}（{category['declared_count']}项）",
           "# 每项：number 序号；text 事项名称（原文）；lead 牵头单位；responsible 责任单位。",
           "# 单位写名录 data/units.yaml 中的名称或别名；“甲等乙”：甲和集体“乙”；原文用“，”分组时每组一个列表：[[甲], [乙, 丙]]。",
           f"category: {_scalar(category_id)}",
           "items:"]
    for item in category["items"]:
        out += [f"  - number: {item['number']}", f"    text: {_scalar(item['text'])}",
                f"    lead: {_flow_clauses(item['lead'])}", f"    responsible: {_flow_clauses(item['responsible'])}"]
    return "\n".join(out) + "\n"


def render_all(source: str) -> dict[str, str]:
    """Relative path (inside data/<year>/) → file content, for every generated file."""
    parsed = parse(source)
    doc = parsed["document"]
    files = {
        "document.yaml": render_document(doc),
        "points.yaml": render_points(doc, parsed["parts"]),
        "attachment.yaml": render_attachment(doc, parsed["attachment"]),
    }
    for category_id, category, _ in leaf_categories(parsed["attachment"]):
        files[f"items/{category_id}.yaml"] = render_items(doc, category_id, category)
    return files


def write(source_path: Path, out_dir: Path) -> list[Path]:
    written = []
    for relative, content in render_all(source_path.read_text(encoding="utf-8")).items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
