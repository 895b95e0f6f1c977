"""`dropday report`: the label's report on a campaign, from the skill's turn events."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from ..content import read_manifest
from ..core.manifest import ManifestError
from ..tooling.findings import Finding, UsageError, locate, pick_campaign, shown

DEFAULT_DAYS = 30


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` command."""
    parser = subparsers.add_parser(
        "report", help="write the label's report on a campaign (HTML with charts) from the skill's turn events",
        description="Read the turn events the skill logged, from files of exported log lines or from CloudWatch "
                    "Logs (a Logs Insights query, with your usual AWS configuration), and write a self-contained "
                    "HTML report with charts (each also as PNG and SVG beside it): listeners per day, who comes "
                    "back, sessions, plays per section and piece, the effect of each drop, the quiz, the daily "
                    "question, reminders, unlocks, locales and faults.")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="files or folders of exported log lines (JSON lines, CloudWatch exports, Lambda's "
                             "text or JSON log format; .gz is fine)")
    parser.add_argument("--log-group", metavar="NAME",
                        help="read from this CloudWatch log group instead (stack output SkillLogGroupName)")
    parser.add_argument("--stack", metavar="NAME",
                        help="read from the log group of this stack's skill function (/aws/lambda/NAME-skill)")
    parser.add_argument("--campaign", metavar="NAME", help="the campaign, when the manifests hold several")
    parser.add_argument("--manifest", type=Path, metavar="PATH",
                        help="the campaign's manifest, or a folder of manifests (default: audio_manifest/)")
    parser.add_argument("--from", dest="first", type=_date, metavar="DATE",
                        help=f"first day, YYYY-MM-DD, UTC (default: the first event; from CloudWatch, "
                             f"{DEFAULT_DAYS} days before --to)")
    parser.add_argument("--to", dest="last", type=_date, metavar="DATE",
                        help="last day, YYYY-MM-DD, UTC (default: the last event; from CloudWatch, today)")
    parser.add_argument("--out", type=Path, default=Path("report"), metavar="DIR",
                        help="where to write report.html and the charts (default: report/)")
    parser.add_argument("--no-images", action="store_true", help="skip the PNG and SVG files (faster)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the report; 1 when the manifest is invalid or reading fails, 2 on a bad command line."""
    log_group = args.log_group or (f"/aws/lambda/{args.stack}-skill" if args.stack else None)
    try:
        if bool(args.files) == bool(log_group):
            raise UsageError("give the files of exported log lines, or --log-group/--stack to read CloudWatch "
                             "Logs (one of the two)")
        if args.first and args.last and args.last < args.first:
            raise UsageError(f"--to {args.last} is before --from {args.first}")
        manifest = _manifest(args)
    except UsageError as exc:
        print(f"dropday report: {exc}", file=sys.stderr)
        return 2
    except ManifestError as exc:
        for p in exc.problems:
            print(Finding(exc.source or "manifest", p.path, p.message, p.fix, p.line))
        print("the manifest has problems; run dropday validate for the full list", file=sys.stderr)
        return 1
    campaign = args.campaign or (manifest.campaign if manifest else None)
    try:
        from ..tooling.report.events import read_cloudwatch, read_files
        from ..tooling.report.figures import compute_report
        from ..tooling.report.items import playable_items
        from ..tooling.report.page import write_report
    except ModuleNotFoundError as exc:
        print(f"dropday report: {exc}", file=sys.stderr)
        return 1
    if log_group:
        if not campaign:
            print("dropday report: name the campaign (--campaign) to read it from CloudWatch Logs", file=sys.stderr)
            return 2
        last = args.last or datetime.now(timezone.utc).date()
        first = args.first or last - timedelta(days=DEFAULT_DAYS - 1)
        print(f"querying {log_group} for {campaign}'s turns, {first} to {last} (UTC)...", file=sys.stderr)
        try:
            log = read_cloudwatch(log_group, first, last, campaign)
        except Exception as exc:  # botocore's errors: credentials, region, access, a missing log group
            print(f"dropday report: could not read {log_group}: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        period = (first, last)
    else:
        try:
            log = read_files(args.files)
        except (FileNotFoundError, OSError) as exc:
            print(f"dropday report: {exc}", file=sys.stderr)
            return 2
        period = (args.first, args.last)
    title = f"{manifest.artist}: {manifest.album.title}" if manifest else (campaign or "")
    report = compute_report(log, campaign, *period, items=playable_items(manifest) if manifest else None, title=title)
    print(f"read {log.lines} lines: {report.events} turn events of {report.campaign or 'no campaign'} "
          f"({report.listeners} listeners, {report.sessions} sessions); skipped {log.skipped} other lines, "
          f"{report.other_campaigns} events of other campaigns, {report.outside_period} outside the period")
    if not args.no_images:
        print("drawing the charts (PNG and SVG)...", file=sys.stderr)
    page = write_report(report, args.out, images=not args.no_images)
    charts = sum(1 for f in report.figures if f.chart is not None)
    print(f"wrote {shown(page)}: {charts} charts, {len(report.figures) - charts} sections with too little data to chart"
          + ("" if args.no_images else f"; each chart also as PNG and SVG in {shown(args.out)}/"))
    return 0


def _manifest(args: argparse.Namespace):
    """The campaign's manifest, or None when there is none to be found (the report then says what it lacks).

    Raises:
        UsageError: a --manifest or --campaign that names nothing.
        ManifestError: the manifest is invalid.
    """
    try:
        workspace = locate(args.manifest)
    except UsageError:
        if args.manifest is not None:
            raise
        return None
    try:
        file = pick_campaign(workspace, args.campaign)
    except UsageError:
        if args.manifest is not None or args.campaign is None:
            raise
        return None
    try:
        return read_manifest(file)
    except ManifestError as exc:
        exc.source = shown(file)
        raise


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2027-01-15") from None
