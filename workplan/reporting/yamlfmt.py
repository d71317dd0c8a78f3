"""The canonical YAML of one unit's reports for one round, as the importer writes it and as
data/<year>/progress/README.md documents it:

    # 市财政局 2020年上半年落实情况（由填报表导入：python -m workplan import-progress）
    unit: czj
    round: 2020-H1
    reports:
      - item: 1-7
        status: 推进中
        percent: 60
        date: 2020-06-28
        description: 已完成……
        evidence:
          - https://…

Fields in that order, percent and evidence only when given, a description with line breaks as
a literal block. Dates are written bare, because the project's YAML reader keeps them as text
(workplan/yamlio.py drops YAML's timestamp type), and every value that YAML would read as
something other than that text is quoted by PyYAML itself.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

import yaml

from ..progress import Report

TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Dumper(yaml.SafeDumper):
    """SafeDumper with list items indented under their key, and no timestamp type."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _text(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def record(report: Report) -> dict:
    """A loaded report as the YAML holds it."""
    return record_of(report.item, report.status, report.percent, report.date, report.description, report.evidence)


def record_of(item: str, status: str, percent: int | None, day: date, description: str,
              evidence: Iterable[str]) -> dict:
    """One report entry: the fields in the documented order, percent and evidence only when given."""
    out: dict = {"item": item, "status": status}
    if percent is not None:
        out["percent"] = percent
    out["date"] = day.isoformat()
    out["description"] = description
    if evidence:
        out["evidence"] = list(evidence)
    return out


def reports_yaml(unit_id: str, unit_name: str, round_id: str, round_label: str, records: Iterable[dict]) -> str:
    head = f"# {unit_name} {round_label}落实情况（由填报表导入：python -m workplan import-progress）\n"
    body = {"unit": unit_id, "round": round_id, "reports": list(records)}
    return head + yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                            default_flow_style=False, indent=2)
