"""Command line: python -m workplan {validate,import,build,bundle,diff,templates,import-progress}.

Each subcommand lives in its own module; this file only parses arguments and maps
PlanInvalid to exit status 1 with the full error report on stderr.
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .errors import PlanInvalid
from .load import ROOT


def _validate(args) -> int:
    """Every edition in data/ with its progress reports (or one year with --year)."""
    from .progress import load_all, load_plan_and_progress

    if args.year is not None:
        plan, progress = load_plan_and_progress(args.root, args.year)
        plans, reports = [plan], {plan.year: progress}
    else:
        editions, reports = load_all(args.root)
        plans = list(editions.plans.values())
    print(f"数据校验通过 (data valid): {len(plans)} 个年度（{'、'.join(str(p.year) for p in plans)}），"
          f"{len(plans[-1].units)} 个单位，{len(plans[-1].groups)} 个集体。")
    for plan in plans:
        print(f"  {plan.year} 年：{len(plan.points)} 个工作要点，{len(plan.items)} 项事项，"
              f"{len(reports[plan.year].reports)} 份进展报告。")
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


def _templates(args) -> int:
    import time

    from .reporting.intake import target_round
    from .reporting.sendout import write_sendout

    started = time.perf_counter()
    plan, progress, rnd = target_round(args.root, args.round)
    archive, written = write_sendout(plan, progress, rnd.id, Path(args.out))
    print(f"{rnd.label}（{rnd.id}）落实情况填报表：{len(written)} 个单位，写入 {archive.parent / rnd.id}/")
    print(f"发送用压缩包：{archive}（内含 {len(written)} 个填报表和发送清单.csv）")
    print(f"用时 {time.perf_counter() - started:.2f} 秒")
    return 0


def _import_progress(args) -> int:
    from .reporting.intake import ImportStopped, import_returns, summary

    try:
        batch = import_returns(args.root, [Path(p) for p in args.inputs], args.round, replace=args.replace,
                               dry_run=args.dry_run)
    except ImportStopped as exc:
        print(f"导入未进行：{exc}", file=sys.stderr)
        return 1
    print(summary(batch))
    return 0 if batch.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workplan", description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="project root (default: this checkout)")
    parser.add_argument("--year", type=int, default=None, help="plan year (validate: default every year in data/)")
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
    p = sub.add_parser("templates", help="write every unit's Excel reporting template for a round, and a zip to send out")
    p.add_argument("--round", default=None, help="round id, e.g. 2020-H1 (default: the current round)")
    p.add_argument("--out", default="dist/templates")
    p = sub.add_parser("import-progress", help="import returned Excel templates into data/<year>/progress/")
    p.add_argument("inputs", nargs="+", help="workbooks, or folders holding them")
    p.add_argument("--round", default=None, help="round id, e.g. 2020-H1 (default: the current round)")
    p.add_argument("--replace", action="store_true", help="overwrite a unit's existing report that differs")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    args = parser.parse_args(argv)
    handler = {"validate": _validate, "import": _import, "build": _build, "bundle": _bundle, "diff": _diff,
               "templates": _templates, "import-progress": _import_progress}[args.command]
    try:
        return handler(args)
    except PlanInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
