"""`dropday simulate`: simulated listeners over simulated days, through the skill's Lambda handler
(see `dropday.localdev.traffic`)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

EXAMPLES = """\
examples:
  dropday simulate --campaign lantern-foxes --listeners 300 --seed 7 --events build/lantern-foxes.jsonl
  dropday report build/lantern-foxes.jsonl --campaign lantern-foxes --out build/report
  dropday simulate --campaign lantern-foxes --listeners 50 --days 10 --start 2027-01-10
  dropday simulate --campaign lantern-foxes --log build/skill.log --log-level DEBUG

By default the run covers the campaign from the first day something new arrives (a dated piece or
quiz question, the daily question's start; at most 60 days before release, else 14) to a week after
the last of release day, the last drop and the daily question's last day. Listener state lives in a
moto DynamoDB server on loopback for the life of the command (--endpoint for another). Exit status 1
when a listener's stored state lost something they were served."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `simulate` command."""
    parser = subparsers.add_parser(
        "simulate", help="simulated listeners over simulated days: turn events for `dropday report`, and a load test",
        description="Send simulated listeners through the skill's Lambda handler over simulated days, as dropday "
                    "chat's devices do: listeners in several locales and time zones, some with several devices, "
                    "who come back (or not), have favourite sections, a quiz skill, and say yes (or no) to "
                    "reminders. Writes the turn events the skill logged to a file that `dropday report` reads, "
                    "and prints the throughput and the latency percentiles per kind of turn.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--campaign", metavar="NAME",
                        help="the campaign, when the manifest folder holds several (default: DROPDAY_CAMPAIGN)")
    parser.add_argument("--manifest", type=Path, metavar="PATH",
                        help="a campaign manifest file, or a folder of them (default: MANIFEST_DIR, else the "
                             "repository's audio_manifest/)")
    parser.add_argument("--models", type=Path, metavar="DIR",
                        help="the interaction models, one folder per campaign: DIR/<campaign>/<locale>.json "
                             "(default: interaction_models/ beside the manifest folder); listeners speak the "
                             "locales found there")
    parser.add_argument("--listeners", type=_positive, default=100, metavar="N",
                        help="how many listeners (default 100); each opens the skill for the first time on "
                             "some day of the run")
    parser.add_argument("--days", type=_positive, metavar="D",
                        help="how many simulated days (default: to a week after release day, the last drop and the "
                             "daily question's last day)")
    parser.add_argument("--start", type=_date, metavar="DATE",
                        help="the first simulated day, YYYY-MM-DD (default: the first day something new arrives)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same run (default 1)")
    parser.add_argument("--events", type=Path, default=Path("build/simulate/events.jsonl"), metavar="FILE",
                        help="where to write the turn events (default: build/simulate/events.jsonl)")
    parser.add_argument("--endpoint", metavar="URL",
                        help="keep listener state in the DynamoDB at URL (DynamoDB Local, a moto server), or "
                             "'aws' for real AWS with your usual configuration and SKILL_STATE_TABLE; default: "
                             "a moto server on loopback, for the life of this command")
    parser.add_argument("--log", type=Path, metavar="FILE",
                        help="also write every log line of the run (the skill's and the libraries') to FILE")
    parser.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help="the level of --log (default INFO)")
    parser.add_argument("--quiet", action="store_true", help="no progress line per simulated day")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, stdout=None, stderr=None, backend=None) -> int:
    """Run the simulation and print its summary; 1 when stored state lost something, 2 when it cannot start,
    130 when interrupted (after the summary of what ran)."""
    from ..localdev.backend import ChatError
    from ..localdev.traffic import TrafficOptions, simulate

    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    options = TrafficOptions(campaign=args.campaign, manifest=args.manifest, models=args.models,
                             listeners=args.listeners, days=args.days, start=args.start, seed=args.seed,
                             endpoint=args.endpoint, events=args.events)
    root, old_level = logging.getLogger(), logging.getLogger().level
    dropday_level = logging.getLogger("dropday").level
    counted = _Counted()
    handlers = [counted, *([_log_to(args.log, args.log_level)] if args.log else [])]
    for handler in handlers:
        root.addHandler(handler)
    try:
        result = simulate(options, backend=backend, progress=None if args.quiet else stderr)
    except ChatError as exc:
        print(f"dropday simulate: {exc}", file=stderr)
        return 2
    except KeyboardInterrupt:
        print("dropday simulate: interrupted", file=stderr)
        return 130
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(old_level)
        logging.getLogger("dropday").setLevel(dropday_level)
    for line in result.summary():
        print(line, file=stdout)
    if counted.counts:
        where = f"in {args.log}" if args.log else "with --log FILE"
        print("log: " + ", ".join(f"{n} {level.lower()} lines" for level, n in sorted(counted.counts.items()))
              + f" (read them {where})", file=stdout)
    print(f"next: dropday report {result.events} --campaign {result.campaign}", file=stdout)
    return 130 if result.interrupted else 1 if result.problems else 0


def _log_to(path: Path, level: str) -> logging.Handler:
    """A handler writing log records at `level` or above to `path`; the root and `dropday` loggers go
    down to `level` (the libraries that log request bodies stay at WARNING: `dropday.logs`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.setLevel(level)
    logging.getLogger().setLevel(level)
    logging.getLogger("dropday").setLevel(level)
    return handler


class _Counted(logging.Handler):
    """Counts the warnings and errors logged during the run (instead of printing each among the progress)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] = self.counts.get(record.levelname, 0) + 1


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 up")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2027-01-01") from None
