"""Deterministic synthetic plans at N times the real one, for the benchmark (scripts/bench).

`generate(dest, scale)` writes a complete project copy (mkdocs.yml, docs/, …, data/)
whose plan is the real one plus `scale - 1` synthetic "city blocks". Block 0 is the real data
verbatim (only the body's work points are renumbered so every block's points follow one
another); block r ≥ 1 is a city of its own, built from the real plan's structure and vocabulary:

- the same attachment structure (3 parts, 7 sub-categories, 113 items) with category ids shifted
  (part 3 of block r is category 3r+3, its subs 3r+3-1 …), and 21 more work points;
- every unit again (departments, stationed units, 18 counties, zones, universities, companies)
  under a generated city name and generated county names, with matching aliases and mentions;
- item and point texts recombined from the real texts' clauses, with place names swapped for the
  block's own (so the vocabulary, and the search index, grows with the plan), and assignments
  drawn like the real ones (a department now and then swapped for another of the same block);
- collective assignments: groups in this model are defined by unit kind (各县（市、区） = every
  county in the registry), so a collective entry in block r would reach every county of every
  block: output O(items × units). `collective="scoped"` (default) keeps the real groups in block
  0 and writes block r's collective entries as the explicit list of that block's members (its 18
  counties, or 2–5 of its departments): the same reach per item as the real plan, linear growth.
  `collective="global"` keeps them as groups everywhere, to show the quadratic case.

The output depends only on (seed, block), so the 10× plan is a prefix of the 100× plan, and the
same call always writes the same bytes. Everything passes `load_plan`.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

from .load import ROOT, load_plan
from .model import COUNTY_KIND, Plan

SEED = 2020
# Characters seen in place names of the region (no 赣, no 等: 等 splits "甲等乙" entries).
_NAME_CHARS = "".join(dict.fromkeys(
    "安宁永丰泰和顺昌吉水新余万载宜春萍乡莲花芦溪栗铜鼓奉靖修武婺源乐平浮梁彭泽湖口德兴玉山铅阳横峰信干鄱年"
    "贵崇仁黎川城黄金资东广遂井冈峡福州袁樟树高饶抚南康定全都国会寻乌石瑞龙章贡大犹义远于西林清云凤鹤松"))
_PROJECTS = ("工业园", "高新区", "物流园", "综合枢纽", "产业基地", "现代农业示范园", "旅游区", "电厂", "水利枢纽",
             "高铁站", "职教城", "数据中心", "生态新城", "开放平台")
_CLAUSE = re.compile(r"[^，；。]+[，；。]?")
_PUNCT = "，；。"
_PAIRS = ("（）", "()", "“”", "《》", "〔〕")


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (up to 9999)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False)


class _Generator:
    def __init__(self, plan: Plan, units_raw: dict, scale: int, seed: int, collective: str):
        self.plan, self.units_raw, self.scale, self.seed, self.collective = plan, units_raw, scale, seed, collective
        self.counties = [u for u in plan.units.values() if u.kind == COUNTY_KIND]
        self.n_parts = len(plan.parts)
        # Every real place token, longest first, replaced by the block's own.
        self.county_bases = {u.id: u.name[:-1] for u in self.counties}
        self.tokens = sorted({*self.county_bases.values(), "瑞兴于", "瑞(金)", "瑞（金）", "蓉江", "赣州", "赣南", "江西"},
                             key=len, reverse=True)
        self.token_re = re.compile("|".join(map(re.escape, self.tokens)))
        self.taken = {n for u in plan.units.values() for n in (u.name, *u.aliases, *u.mentions)}
        self.taken |= {n for g in plan.groups.values() for n in (g.name, *g.aliases)}
        self.taken |= set(self.tokens)
        self.name_rng = random.Random(f"{seed}-names")
        self.pool = [c for text in [i.text for i in plan.items.values()] + [p.text for p in plan.points.values()]
                     for c in _CLAUSE.findall(text) if len(c) >= 5 and _balanced(c)]
        # Work-point numbering: body part k holds block 0's points of part k, then block 1's, …
        self.point_no: dict[tuple[int, int], int] = {}
        counter = 0
        for part in plan.body_parts:
            for r in range(scale):
                for no in part.points:
                    counter += 1
                    self.point_no[(r, no)] = counter
        self.blocks = [self._block(r) for r in range(scale)]

    # ------------------------------------------------------------------ names
    def _new_base(self) -> str:
        while True:
            base = "".join(self.name_rng.sample(_NAME_CHARS, 2))
            if base not in self.taken and not any(base in t or t in base for t in self.tokens):
                self.taken.add(base)
                return base

    def _block(self, r: int) -> dict:
        if r == 0:
            return {"r": 0, "city": "赣州", "map": {t: t for t in self.tokens}, "bases": list(self.county_bases.values())}
        city = self._new_base()
        bases = {cid: self._new_base() for cid in self.county_bases}
        mapping = {"赣州": city, "赣南": city, "江西": city, "蓉江": self._new_base()}
        for cid, real in self.county_bases.items():
            mapping[real] = bases[cid]
        mapping["瑞兴于"] = bases["ruijin"][0] + bases["xingguo"][0] + bases["yudu"][0]
        mapping["瑞(金)"] = f"{bases['ruijin'][0]}({bases['ruijin'][1]})"
        mapping["瑞（金）"] = f"{bases['ruijin'][0]}（{bases['ruijin'][1]}）"
        return {"r": r, "city": city, "map": mapping, "bases": list(bases.values())}

    def subst(self, text: str, block: dict) -> str:
        return self.token_re.sub(lambda m: block["map"][m.group()], text)

    def rename(self, name: str, block: dict) -> str:
        """A unit name or alias in block r: place tokens swapped; otherwise the city prefixed."""
        if block["r"] == 0:
            return name
        out = self.subst(name, block)
        return out if out != name else block["city"] + name

    def uid(self, ident: str, r: int) -> str:
        return ident if r == 0 else f"{ident}-{r}"

    # ------------------------------------------------------------------ units.yaml
    def units_yaml(self) -> dict:
        units = []
        kinds = list(dict.fromkeys(u["kind"] for u in self.units_raw["units"]))
        for kind in kinds:
            for block in self.blocks:
                for raw in self.units_raw["units"]:
                    if raw["kind"] != kind:
                        continue
                    units.append(raw if block["r"] == 0 else self._unit(raw, block))
        return {"units": units, "groups": self.units_raw["groups"]}

    def _unit(self, raw: dict, block: dict) -> dict:
        r = block["r"]
        out = {"id": self.uid(raw["id"], r), "name": self.rename(raw["name"], block),
               "full_name": self.rename(raw["full_name"], block) if raw.get("full_name") else None,
               "kind": raw["kind"]}
        if raw.get("division"):
            out["division"] = raw["division"]
        out["aliases"] = [self.rename(a, block) for a in raw.get("aliases", [])]
        for key in ("mentions", "not_mentions"):
            if key in raw:
                out[key] = [self.subst(m, block) for m in raw[key] if self.subst(m, block) != m]
        if raw.get("former_ids"):
            out["former_ids"] = [self.uid(f, r) for f in raw["former_ids"]]
        if raw.get("names"):
            out["names"] = [{**n, "name": self.rename(n["name"], block)} for n in raw["names"]]
        out["member_of"] = list(raw.get("member_of", []))
        out["note"] = None
        return out

    # ------------------------------------------------------------------ texts
    def text(self, text: str, block: dict, rng: random.Random) -> str:
        clauses = _CLAUSE.findall(text) or [text]
        swappable = [i for i, c in enumerate(clauses) if _balanced(c)]
        if swappable and rng.random() < 0.6:
            i = rng.choice(swappable)
            new = rng.choice(self.pool)
            end = clauses[i][-1] if clauses[i][-1] in _PUNCT else ""
            clauses[i] = new.rstrip(_PUNCT) + end
        if rng.random() < 0.3:
            clauses.insert(0, f"支持{rng.choice(block['bases'])}{rng.choice(_PROJECTS)}建设，")
        out = self.subst("".join(clauses), block)
        return out[:1000].strip() or "推进重点工作。"

    # ------------------------------------------------------------------ items
    def entries(self, item, role: str, block: dict, rng: random.Random) -> list:
        """The role's names for block r, in the item's "，" groups (nested lists when there are several)."""
        used: set[str] = set()
        clauses = [self._clause(group, block, rng, used) for group in item.clauses(role)]
        return clauses[0] if len(clauses) == 1 else clauses

    def _clause(self, entries, block: dict, rng: random.Random, used: set[str]) -> list[str]:
        r, reg = block["r"], self.plan
        out: list[str] = []

        def add_unit(uid: str) -> None:
            if uid not in used:
                used.add(uid)
                out.append(self.rename(reg.units[uid].name, block))

        def expand(gid: str) -> None:
            members = [u for u in reg.groups[gid].members]
            if all(reg.units[u].kind == COUNTY_KIND for u in members):
                chosen = members
            else:
                chosen = rng.sample(members, min(len(members), rng.randint(2, 5)))
            for uid in chosen:
                add_unit(uid)

        for e in entries:
            if e.unit and not e.group and not e.others:
                uid = e.unit
                unit = reg.units[uid]
                if r and unit.kind == "市直部门" and rng.random() < 0.25:
                    same = [u.id for u in reg.units.values() if u.kind == unit.kind and u.id not in used]
                    uid = rng.choice(same)
                if r == 0:
                    used.add(uid)
                    out.append(e.printed)
                else:
                    add_unit(uid)
            elif e.others or r == 0 or self.collective == "global":
                if e.unit:
                    a, b = e.parts
                    used.add(e.unit)
                    out.append(f"{self.rename(a, block)}等{b}")
                else:
                    out.append(e.printed)
            else:
                if e.unit:
                    add_unit(e.unit)
                expand(e.group)
        return out

    def item_files(self) -> dict[str, dict]:
        files = {}
        for block in self.blocks:
            r = block["r"]
            rng = random.Random(f"{self.seed}-items-{r}")
            for cat in self.plan.leaf_categories:
                cid = self.cat_id(cat.id, r)
                items = []
                for iid in cat.items:
                    item = self.plan.items[iid]
                    items.append({"number": item.no,
                                  "text": item.text if r == 0 else self.text(item.text, block, rng),
                                  "lead": self.entries(item, "lead", block, rng),
                                  "responsible": self.entries(item, "responsible", block, rng)})
                files[cid] = {"category": cid, "items": items}
        return files

    def cat_id(self, cid: str, r: int) -> str:
        head, _, rest = cid.partition("-")
        new = str(int(head) + r * self.n_parts)
        return f"{new}-{rest}" if rest else new

    # ------------------------------------------------------------------ attachment, points, links, errata
    def attachment_yaml(self, raw: dict) -> dict:
        parts = []
        for block in self.blocks:
            r = block["r"]
            for part in raw["parts"]:
                new = int(part["id"]) + r * self.n_parts
                title = part["title"] if r == 0 else f"{self.subst(part['title'], block)}（{block['city']}片区）"
                entry = {"id": str(new), "number": cn_number(new), "title": title, "declared_count": part["declared_count"]}
                if part.get("categories"):
                    entry["categories"] = [
                        {"id": f"{new}-{sub['id'].split('-')[1]}", "number": sub["number"],
                         "title": sub["title"] if r == 0 else self.subst(sub["title"], block),
                         "declared_count": sub["declared_count"]} for sub in part["categories"]]
                parts.append(entry)
        return {"title": raw["title"], "declared_count": raw["declared_count"] * self.scale, "parts": parts}

    def points_yaml(self) -> dict:
        parts = []
        for part in self.plan.body_parts:
            points = []
            for block in self.blocks:
                r = block["r"]
                rng = random.Random(f"{self.seed}-points-{r}-{part.number}")
                for no in part.points:
                    p = self.plan.points[no]
                    points.append({"number": self.point_no[(r, no)],
                                   "title": p.title if r == 0 else self.subst(p.title, block),
                                   "text": p.text if r == 0 else self.text(p.text, block, rng)})
            parts.append({"number": part.number, "title": part.title, "points": points})
        return {"parts": parts}

    def links_yaml(self, raw: dict) -> dict:
        out = {"categories": {}, "items": {}}
        for block in self.blocks:
            r = block["r"]
            for section in ("categories", "items"):
                for key, value in (raw.get(section) or {}).items():
                    head, _, rest = key.partition("-")
                    new_key = self.cat_id(head, r) + (f"-{rest}" if rest else "")
                    # A quoted link keeps its quote only in block 0: other blocks' point texts are rewritten.
                    links = [value] if not isinstance(value, list) else value
                    mapped = [self.point_no[(r, v)] if isinstance(v, int)
                              else {**v, "point": self.point_no[(r, v["point"])]} for v in links
                              if isinstance(v, int) or r == 0]
                    if mapped:
                        out[section][new_key] = mapped[0] if len(mapped) == 1 and isinstance(mapped[0], int) else mapped
        return out

    def errata_yaml(self, raw: dict, items: dict, points: dict) -> dict:
        texts = {f"{f['category']}-{i['number']}": i["text"] for f in items.values() for i in f["items"]}
        texts.update({f"point-{p['number']}": p["title"] + p["text"] for part in points["parts"] for p in part["points"]})
        out = []
        for block in self.blocks:
            r = block["r"]
            rng = random.Random(f"{self.seed}-errata-{r}")
            for e in raw["errata"]:
                ref = e["ref"]
                if ref.startswith("point-"):
                    new_ref = f"point-{self.point_no[(r, int(ref[6:]))]}"
                else:
                    head, _, rest = ref.partition("-")
                    new_ref = f"{self.cat_id(head, r)}-{rest}"
                if r == 0:
                    out.append({**e, "ref": new_ref})
                    continue
                cjk = [m.group() for m in re.finditer(r"[\u4e00-\u9fff]{2}", texts[new_ref])]
                original = rng.choice(cjk) if cjk else texts[new_ref][:1]
                out.append({"ref": new_ref, "original": original, "should_be": original[::-1] if len(original) > 1 else "之",
                            "note": "合成数据（benchmark）。"})
        return {"errata": out}


_IGNORE = shutil.ignore_patterns(".git", ".venv", "site", "dist", "build", "test-artifacts", ".cache", "__pycache__",
                                 ".pytest_cache", ".hypothesis", "bench-results", "tests", "node_modules", ".site.*")


def generate(dest: Path, scale: int, seed: int = SEED, *, source: Path = ROOT, collective: str = "scoped") -> Path:
    """Write a project copy at `dest` whose plan is `scale` times the real one (see module doc)."""
    if scale < 1:
        raise ValueError("scale must be ≥ 1")
    if collective not in ("scoped", "global"):
        raise ValueError("collective must be 'scoped' or 'global'")
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=_IGNORE)
    plan = load_plan(source)
    year_dir = dest / "data" / str(plan.year)
    raw = {name: yaml.safe_load((source / "data" / str(plan.year) / f"{name}.yaml").read_text(encoding="utf-8"))
           for name in ("attachment", "links", "errata")}
    units_raw = yaml.safe_load((source / "data" / "units.yaml").read_text(encoding="utf-8"))
    gen = _Generator(plan, units_raw, scale, seed, collective)
    note = f"# 合成数据 (synthetic plan, workplan.synth): {scale}× 真实计划，seed {seed}，collective={collective}。\n"
    items = gen.item_files()
    points = gen.points_yaml()
    out = {
        dest / "data" / "units.yaml": gen.units_yaml(),
        year_dir / "attachment.yaml": gen.attachment_yaml(raw["attachment"]),
        year_dir / "points.yaml": points,
        year_dir / "links.yaml": gen.links_yaml(raw["links"]),
        year_dir / "errata.yaml": gen.errata_yaml(raw["errata"], items, points),
    }
    shutil.rmtree(year_dir / "items")
    (year_dir / "items").mkdir()
    for cid, content in items.items():
        out[year_dir / "items" / f"{cid}.yaml"] = content
    for path, content in out.items():
        path.write_text(note + _dump(content), encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m workplan.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--collective", choices=("scoped", "global"), default="scoped")
    args = parser.parse_args(argv)
    generate(args.dest, args.scale, args.seed, collective=args.collective)
    plan = load_plan(args.dest)
    print(f"{args.dest}: {len(plan.items)} items, {len(plan.points)} points, {len(plan.units)} units, "
          f"{len(plan.categories)} categories")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
