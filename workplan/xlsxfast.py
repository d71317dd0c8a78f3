"""The part of XlsxWriter's Workbook/Worksheet API our two workbooks use (item lists, xlsxbook.py;
reporting templates, reporting/template.py), writing the very same bytes two to three times faster.

Why hand-rolled: XlsxWriter writes its XML one element at a time in Python, 8–9 ms a workbook.
A cold build writes one workbook per unit, county, part and reporting round (about 200 at 1×,
2,000 at 10×): 15–20 s of CPU at 10×, the largest single cost a cold build had over a plain site
(maintainers/performance.md). Here each part is a few joined strings and the zip container is
written directly (see _zip): the 2,041 workbooks of the 10× project take about 9 s of CPU, preparing
their cells and writing the cache's files included, of which about a fifth is deflate itself.

What keeps it honest: tests/test_xlsxfast.py writes every workbook of the real site, and corner
cases, with this and with XlsxWriter itself and compares the bytes. XlsxWriter stays the reference
and a dependency: its helpers are used here for cell references, sheet-name quoting, dates and
string limits, and styles.xml and theme1.xml are its own output (made once per set of formats).

One deliberate difference: text shaped like XlsxWriter's rich-string markup (<r>…</r>) is written
as text; XlsxWriter writes it into the file as XML. Anything outside the subset raises
NotImplementedError: use XlsxWriter there, or extend this module (the workbook; xlsxsheet.py, the
sheets) and its test together.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from functools import lru_cache

from xlsxwriter.utility import _preserve_whitespace

from .xlsxsheet import DECL, MAIN, REL, Format, Worksheet, attr, data

_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "application/vnd.openxmlformats-officedocument."
# The workbook options both writers pass (XlsxWriter's names): in memory; text is never guessed to be
# a formula, number or link. The only options this module implements.
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
_HIDDEN = ' hidden="1"'
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


@lru_cache(maxsize=64)
def _styles_xml(formats: tuple[tuple, ...]) -> tuple[bytes, bytes]:
    """styles.xml and theme1.xml, as XlsxWriter writes them for cells that use these formats
    (properties, in the order of first use): a one-row workbook that uses each once, in order."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, dict(OPTIONS))
    ws = wb.add_worksheet()
    for col, props in enumerate(formats):
        ws.write_blank(0, col, None, wb.add_format(dict(props)))
    wb.close()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return z.read("xl/styles.xml"), z.read("xl/theme/theme1.xml")


class Workbook:
    """`Workbook(io.BytesIO(), options)` as XlsxWriter's, in memory only; close() writes the file."""

    def __init__(self, buf: io.BytesIO, options: dict | None = None):
        if any(OPTIONS.get(k, object()) != v for k, v in (options or {}).items()):
            raise NotImplementedError(f"workbook options {options}")
        self.buf = buf
        self.sheets: list[Worksheet] = []
        self.properties: dict = {}
        self.active = 0
        self.strings: dict[str, int] = {}
        self.string_count = 0
        self._xf_index: dict[tuple, int] = {}
        self._xf_formats: list[tuple] = []

    def set_properties(self, properties: dict) -> None:
        unknown = set(properties) - {"title", "subject", "author", "created"}
        if unknown:
            raise NotImplementedError(f"document properties {sorted(unknown)}")
        self.properties = properties

    def add_format(self, props: dict | None = None) -> Format:
        return Format(props or {})

    def add_worksheet(self, name: str) -> Worksheet:
        if len(name) > 31 or _BAD_SHEET_NAME.search(name) or name.startswith("'") or name.endswith("'"):
            raise ValueError(f"invalid worksheet name {name!r}")
        if any(s.name.lower() == name.lower() for s in self.sheets):
            raise ValueError(f"duplicate worksheet name {name!r}")
        sheet = Worksheet(self, name, len(self.sheets))
        self.sheets.append(sheet)
        return sheet

    def _string(self, string: str) -> int:
        self.string_count += 1
        return self.strings.setdefault(string, len(self.strings))

    def _xf(self, fmt: Format) -> int:
        """The format's index in styles.xml: formats are numbered in the order cells first use them."""
        index = self._xf_index.get(fmt.key)
        if index is None:
            index = self._xf_index[fmt.key] = len(self._xf_index) + 1
            self._xf_formats.append(fmt.props)
        return index

    def close(self) -> None:
        if not self.sheets:
            raise NotImplementedError("a workbook without sheets")
        if self.active == 0:
            self.sheets[0].selected, self.sheets[0].hidden = True, 0
        sheets = [s._xml() for s in self.sheets]   # first: numbers the formats
        styles, theme = _styles_xml(tuple(self._xf_formats))
        parts = [("[Content_Types].xml", self._content_types()), ("_rels/.rels", _ROOT_RELS_BYTES),
                 ("xl/_rels/workbook.xml.rels", self._workbook_rels())]
        parts += [(f"xl/worksheets/sheet{i}.xml", xml) for i, xml in enumerate(sheets, 1)]
        parts.append(("xl/workbook.xml", self._workbook_xml()))
        if self.string_count:
            parts.append(("xl/sharedStrings.xml", self._shared_strings()))
        parts += [("xl/styles.xml", styles), ("xl/theme/theme1.xml", theme),
                  ("docProps/core.xml", self._core()), ("docProps/app.xml", self._app())]
        # bytes: the parts every workbook with these formats shares, compressed once; str: this one's own
        self.buf.write(_zip([(name, _deflated_once(content) if isinstance(content, bytes)
                              else _deflate(content.encode("utf-8"))) for name, content in parts]))

    # ---------------------------------------------------------------- the package's parts
    def _content_types(self) -> str:
        over = [("/docProps/app.xml", f"{_DOC}extended-properties+xml"),
                ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                ("/xl/styles.xml", f"{_DOC}spreadsheetml.styles+xml"), ("/xl/theme/theme1.xml", f"{_DOC}theme+xml"),
                ("/xl/workbook.xml", f"{_DOC}spreadsheetml.sheet.main+xml")]
        over += [(f"/xl/worksheets/sheet{i}.xml", f"{_DOC}spreadsheetml.worksheet+xml")
                 for i in range(1, len(self.sheets) + 1)]
        if self.string_count:
            over.append(("/xl/sharedStrings.xml", f"{_DOC}spreadsheetml.sharedStrings+xml"))
        return (f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in over) + "</Types>")

    def _workbook_rels(self) -> str:
        targets = [("worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(self.sheets) + 1)]
        targets += [("theme", "theme/theme1.xml"), ("styles", "styles.xml")]
        if self.string_count:
            targets.append(("sharedStrings", "sharedStrings.xml"))
        return (f'{DECL}<Relationships xmlns="{_PKG_REL}">'
                + "".join(f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>'
                          for i, (kind, target) in enumerate(targets, 1)) + "</Relationships>")

    def _defined_names(self) -> list[list]:
        names = [name for sheet in self.sheets for name in sheet._defined_names()]
        # XlsxWriter's order: by the name without "_xlnm.", then the range, both lower-cased
        return sorted(names, key=lambda n: n[0].replace("_xlnm.", "").lower() + "::" + n[2].lstrip("'").lower())

    def _workbook_xml(self) -> str:
        view = '<workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"'
        view += f' activeTab="{self.active}"/>' if self.active > 0 else "/>"
        sheets = []
        for i, sheet in enumerate(self.sheets, 1):
            state = ' state="hidden"' if sheet.hidden == 1 else ' state="veryHidden"' if sheet.hidden == 2 else ""
            sheets.append(f'<sheet name="{attr(sheet.name)}" sheetId="{i}"{state} r:id="rId{i}"/>')
        names = ""
        defined = self._defined_names()
        if defined:
            names = "<definedNames>" + "".join(
                f'<definedName name="{name}" localSheetId="{index}"{_HIDDEN if hidden else ""}>'
                f'{data(area)}</definedName>' for name, index, area, hidden in defined) + "</definedNames>"
        return (f'{DECL}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><fileVersion appName="xl" lastEdited="4" '
                'lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/>'
                f'<bookViews>{view}</bookViews><sheets>{"".join(sheets)}</sheets>{names}'
                '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')

    def _shared_strings(self) -> str:
        out = [f'{DECL}<sst xmlns="{MAIN}" count="{self.string_count}" uniqueCount="{len(self.strings)}">']
        for string in self.strings:
            # XlsxWriter writes a string that starts with <r> and ends with </r> as raw XML (its rich
            # strings): data would be markup. Here every string is escaped, the one deliberate difference.
            text = data(string)
            space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
            out.append(f"<si><t{space}>{text}</t></si>")
        out.append("</sst>")
        return "".join(out)

    def _core(self) -> str:
        p = self.properties
        created = p.get("created")
        if not isinstance(created, dt.datetime):
            raise NotImplementedError("a workbook without a fixed creation date (its bytes would change every build)")
        date = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        out = [f'{DECL}<cp:coreProperties '
               'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
               'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
               'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">']
        for key, tag in (("title", "dc:title"), ("subject", "dc:subject"), ("author", "dc:creator")):
            if key in p:
                out.append(f"<{tag}>{data(p[key])}</{tag}>")
        out.append(f"<cp:lastModifiedBy>{data(p.get('author', ''))}</cp:lastModifiedBy>")
        out.append(f'<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>'
                   f'<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>')
        return "".join(out)

    def _app(self) -> str:
        visible = [s.name for s in self.sheets if s.hidden != 2]
        ranges = []
        for name, _index, area, _hidden in self._defined_names():
            if name != "_xlnm._FilterDatabase":
                ranges.append(area.split("!", 1)[0] + "!" + name.replace("_xlnm.", ""))
        pairs = [("lpstr", "Worksheets"), ("i4", len(visible))] if visible else []
        if ranges:
            pairs += [("lpstr", "Named Ranges"), ("i4", len(ranges))]
        heading = "".join(f"<vt:variant><vt:{t}>{data(str(v))}</vt:{t}></vt:variant>" for t, v in pairs)
        titles = "".join(f"<vt:lpstr>{data(t)}</vt:lpstr>" for t in visible + ranges)
        return (f'{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                '<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>'
                f'<HeadingPairs><vt:vector size="{len(pairs)}" baseType="variant">{heading}</vt:vector></HeadingPairs>'
                f'<TitlesOfParts><vt:vector size="{len(visible) + len(ranges)}" baseType="lpstr">{titles}</vt:vector>'
                '</TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
                '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>')


_ROOT_RELS = (f'{DECL}<Relationships xmlns="{_PKG_REL}">'
              f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
              f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
              f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
              "</Relationships>")
_ROOT_RELS_BYTES = _ROOT_RELS.encode("utf-8")


# ---------------------------------------------------------------- the zip container
# Why not zipfile: its per-part Python work (a ZipInfo, a writer object, the local header written,
# then rewritten once the sizes are known) was about a third of writing a workbook, and the parts
# that are the same in every workbook (styles.xml, theme1.xml, _rels/.rels) were compressed again
# each time. This writes what zipfile.ZipFile(buf, "w", ZIP_DEFLATED, allowZip64=False).writestr()
# writes for XlsxWriter, byte for byte (tests/test_xlsxfast.py compares the files): deflate at
# zlib's default level, every part dated 1980-01-01 as XlsxWriter does, no zip64, no data descriptors.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION, _UNIX, _DEFLATED = 20, 3, 8      # zip 2.0 (deflate); made on Unix: as zipfile writes them
_DOS_DATE = 1 << 5 | 1                     # 1980-01-01 (time 00:00:00 is 0)
_EXTERNAL = 0o600 << 16                    # zipfile's file mode for a part written with writestr()


def _deflate(content: bytes) -> tuple[int, int, bytes]:
    """(CRC-32, size, raw deflate stream) as zipfile's ZIP_DEFLATED compressor makes it."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(content), len(content), compressor.compress(content) + compressor.flush()


_deflated_once = lru_cache(maxsize=128)(_deflate)   # the parts made once per set of formats, and _ROOT_RELS


def _zip(parts: list[tuple[str, tuple[int, int, bytes]]]) -> bytes:
    out, central, offset = [], [], 0
    for name, (crc, size, packed) in parts:
        encoded = name.encode("ascii")   # part names are ASCII (zipfile would set the UTF-8 flag otherwise)
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, 0, _DEFLATED, 0, _DOS_DATE, crc, len(packed), size,
                            len(encoded), 0)
        out += (local, encoded, packed)
        central += (_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, 0, _DEFLATED, 0, _DOS_DATE, crc,
                                  len(packed), size, len(encoded), 0, 0, 0, 0, _EXTERNAL, offset), encoded)
        offset += len(local) + len(encoded) + len(packed)
    directory = b"".join(central)
    return b"".join(out) + directory + _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), offset, 0)
