"""A project copy whose data carries bidi controls in names and texts (issue 15, point 6), for
tests/test_bidi.py (the built HTML) and tests/browser/test_bidi_in_browser.py (the layout)."""
from __future__ import annotations

from pathlib import Path

from site_fixtures import by_id, edit_yaml, project_copy

RLO, LRO, RLE, LRE, PDF = "\u202e", "\u202d", "\u202b", "\u202a", "\u202c"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
DATA_CONTROLS = {RLO, LRO, RLE, LRE, PDF, LRI, RLI, PDI}   # FSI is left out of the payloads: it is ours

# tag → value; each value opens something it does not close, or closes what it did not open
VALUES = {
    "U名": f"振兴办{RLO}U名ABC",               # unit zxb: name (unclosed override)
    "U别": f"振兴{LRI}U别",                    # alias (unclosed isolate)
    "U全": f"赣州市{RLE}U全",                  # full name (unclosed embedding)
    "U注": f"注释{PDI}{RLO}U注",               # note: a stray PDI, then an override
    "C名": f"瑞金{RLI}C名市",                  # county ruijin
    "G名": f"各县{LRO}G名",                    # group all-counties
    "I文": f"事项{PDI}{PDI}{RLO}I文ABC{PDF}{PDF}{RLE}",   # item 1-1 text
    "P题": f"要点{RLO}P题",                    # point 1 title
    "P文": f"要点正文{RLI}P文",                # point 1 text
    "D题": f"工作要点{RLO}D题",                # the document's title (home page h1, <title>)
    "K1": f"第一类{RLO}K1",                    # category 1 title (nav entries, <title>)
}


def bidi_project(dest: Path) -> Path:
    project = project_copy(dest)
    year = project / "data" / "2020"
    v = VALUES

    def units(u):
        by_id(u["units"], "zxb").update(name=v["U名"], full_name=v["U全"], note=v["U注"], aliases=["市振兴办", v["U别"]],
                                         former_ids=["old-zxb"])
        by_id(u["units"], "ruijin").update(name=v["C名"], aliases=["瑞金市"])
        group = by_id(u["groups"], "all-counties")
        group.update(name=v["G名"], aliases=[*group["aliases"], "各县（市、区）"])

    def items(x):
        x["items"][0].update(text=v["I文"], lead=[v["U名"]], responsible=[v["C名"], v["G名"]])

    def points(p):
        p["parts"][0]["points"][0].update(title=v["P题"], text=v["P文"])

    def attachment(a):
        a["parts"][0]["title"] = v["K1"]

    edit_yaml(project / "data" / "units.yaml", units)
    edit_yaml(year / "items" / "1.yaml", items)
    edit_yaml(year / "points.yaml", points)
    edit_yaml(year / "attachment.yaml", attachment)
    edit_yaml(year / "document.yaml", lambda d: d.update(title=v["D题"]))
    return project
