"""Command line: python -m workplan {validate,import,build,bundle,diff}.

Each subcommand lives in its own module; this file only parses arguments and maps
PlanInvalid to exit status 1 with the full error report on stderr.
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .errors import PlanInvalid
from .load import ROOT, load_plan


def _validate(args) -> int:
    from .progress import load_plan_and_progress

    plan, progress = load_plan_and_progress(args.root, args.year)
    print(f"数据校验通过 (data valid): {plan.year} 年，{len(plan.points)} 个工作要点，{len(plan.items)} 项事项，"
          f"{len(plan.units)} 个单位，{len(plan.groups)} 个集体，{len(progress.reports)} 份进展报告。")
    return 0


def _import(args) -> int:
    from . import importer

    out = args.out or args.source.parent
    for path in importer.write(args.source, out):
        print(f"wrote {path}")
    return 0


def _build(args) -> int:
    from .build import build_site

    return _building(lambda: f"site built: {build_site(args.root, Path(args.out))}")


def _bundle(args) -> int:
    from .bundle import make_bundle

    return _building(lambda: make_bundle(args.root, Path(args.out)))


def _building(run) -> int:
    """Exit 1 with MkDocs' messages when the build fails; 128 + the signal when it is interrupted
    (its temporary folder is gone by then; the previous site stays unless the signal came during
    the final swap, which is then completed first)."""
    from .build import BuildFailed, Interrupted

    try:
        print(run())
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Interrupted) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        print(f"构建已中断，临时文件已删除 (build interrupted by {signal.Signals(signum).name}; "
              "temporary files removed)", file=sys.stderr)
        return 128 + signum
    return 0


def _diff(args) -> int:
    from .plandiff import diff_markdown

    print(diff_markdown(Path(args.base), Path(args.head)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workplan", description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="project root (default: this checkout)")
    parser.add_argument("--year", type=int, default=None, help="plan year (default: the latest in data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check data/ and report every error with file:line")
    p = sub.add_parser("import", help="parse a source document into data/<year>/")
    p.add_argument("source", type=Path)
    p.add_argument("--out", type=Path, default=None)
    p = sub.add_parser("build", help="build the site atomically into --out")
    p.add_argument("--out", default="site")
    p = sub.add_parser("bundle", help="build the intranet zip into --out")
    p.add_argument("--out", default="dist")
    p = sub.add_parser("diff", help="Markdown summary of what changed between two data/ folders")
    p.add_argument("base")
    p.add_argument("head")
    args = parser.parse_args(argv)
    handler = {"validate": _validate, "import": _import, "build": _build, "bundle": _bundle, "diff": _diff}[args.command]
    try:
        return handler(args)
    except PlanInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
