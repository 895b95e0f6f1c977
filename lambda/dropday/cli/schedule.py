"""`dropday schedule`: the campaign day by day, as a listener in a time zone hears it."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..content import read_manifest
from ..core.campaign import ManifestError, Piece
from ..tooling import quiz_schedule
from ..tooling.findings import UsageError, locate, pick_campaign, shown
from ..tooling.timeline import Day, campaign_days, schedule_range
from ..tooling.validation import manifest_findings
from ..tooling.streams import schedule_lines


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `schedule` command."""
    parser = subparsers.add_parser(
        "schedule", help="show the campaign day by day: pieces per section, welcomes, unlocks, the countdown",
        description="A day-by-day table of the campaign as a listener in ZONE hears it: how many pieces each "
                    "section has (new ones marked *, those read as text marked so), the welcome-back variants in "
                    "force, what a daily listener has unlocked by then, and what the skill answers \"how long "
                    "until the album comes out?\" that day. By default from today (or the campaign's first "
                    "scheduled day, when that is later) to the day after its last change.")
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH",
                        help="a folder of manifests or one manifest file (default: audio_manifest/)")
    parser.add_argument("--campaign", metavar="NAME", help="the campaign, when PATH holds several")
    parser.add_argument("--from", dest="first", type=_date, metavar="DATE",
                        help="first day, YYYY-MM-DD (default: today, or the campaign's first day when that is later)")
    parser.add_argument("--to", dest="last", type=_date, metavar="DATE",
                        help="last day, YYYY-MM-DD (default: the day after the campaign's last change)")
    parser.add_argument("--tz", metavar="ZONE", help="the listener's time zone, e.g. America/New_York "
                                                     "(default: the album's default_time_zone)")
    parser.add_argument("--locale", metavar="LOCALE", help="the listener's locale, e.g. en-US (default: the "
                                                           "default sentences)")
    parser.add_argument("--at", type=_time, default=time(12), metavar="HH:MM",
                        help="the time of day the listener asks (default 12:00; it matters on the last day)")
    parser.set_defaults(func=run)


def today(zone: ZoneInfo) -> date:
    """The listener's local date now (tests set it)."""
    return datetime.now(zone).date()


def run(args: argparse.Namespace) -> int:
    """Print the schedule; 1 when the manifest is invalid, 2 on a bad command line."""
    try:
        file = pick_campaign(locate(args.path), args.campaign)
        manifest = read_manifest(file)
        zone = _zone(args.tz or manifest.album.default_time_zone)
    except UsageError as exc:
        print(f"dropday schedule: {exc}", file=sys.stderr)
        return 2
    except ManifestError as exc:
        print(*map(str, manifest_findings(file, exc)), sep="\n")
        print(f"{shown(file)} has problems; run dropday validate for the full list", file=sys.stderr)
        return 1
    shown_days = schedule_range(manifest, today(zone), args.first, args.last)
    first, last = shown_days.first, shown_days.last
    if last < first:
        print(f"dropday schedule: --to {last} is before {'--from ' if args.first else 'the first day shown, '}"
              f"{first}", file=sys.stderr)
        return 2
    release = manifest.album.release_date
    print(f"{manifest.artist}: {manifest.album.title}, out {release:%a %Y-%m-%d}. As heard in {zone.key} at "
          f"{args.at:%H:%M}, {'locale ' + args.locale if args.locale else 'default sentences'}.")
    print(f"{first:%a %Y-%m-%d} to {last:%a %Y-%m-%d}: {shown_days.why} (--from and --to show other days).")
    print("Per section: how many pieces a listener can hear that day; the list is shown when it changes, new "
          "ones marked *, and (read as text) where Alexa reads the transcript because no clip plays in "
          f"{args.locale or 'that locale'}. Welcome: the welcome-back variants in force. Unlocked: what a listener "
          "who visits every day and hears everything has unlocked by then.")
    try:
        _print_days(campaign_days(manifest, first, last, zone, args.locale, args.at), release, args.locale)
        for line in schedule_lines(manifest, first, last):   # long-form episodes, by the day each drops
            print(line)
        for line in quiz_schedule.lines(manifest, first, last):   # none without a quiz or a daily question
            print(line)
    except BrokenPipeError:  # `dropday schedule | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _print_days(days: list[Day], release: date, locale: str | None) -> None:
    """One row per day; a run of days that sound exactly like the one before is shown as one line."""
    repeated: list[Day] = []
    for number, day in enumerate(days):
        same = number > 0 and not day.new and not day.ended and day.day != release \
            and _sound(day) == _sound(days[number - 1])
        if same:
            repeated.append(day)
            continue
        _print_repeats(repeated, locale)
        repeated = []
        _print_day(day, release, locale, first=number == 0, previous=days[number - 1] if number else None)
    _print_repeats(repeated, locale)


def _print_day(day: Day, release: date, locale: str | None, first: bool, previous: Day | None = None) -> None:
    marker = "  <- release day" if day.day == release else ""
    clips = "".join(f" [clip: {c}]" for c in day.countdown_clips)
    counts = "  ".join(f"{section.id} {len(pieces)}" for section, pieces in day.pieces)
    print(f"{day.day:%Y-%m-%d %a} {counts}  {day.countdown.plain}{clips}{marker}")
    if day.new or day.ended or first:
        new = set() if first else {p.id for p in day.new}
        for section, pieces in day.pieces:
            listed = ", ".join(("*" if p.id in new else "") + p.id + _how_heard(p, locale) for p in pieces) or "(none)"
            print(f"{'':20}{section.id}: {listed}")
        if day.ended:
            print(f"{'':20}ended: {', '.join(p.id for p in day.ended)}")
    if first or previous is None or day.welcomes != previous.welcomes:
        print(f"{'':20}welcome back: {' | '.join(day.welcomes)}")
    if day.unlocked and (first or previous is None or day.unlocked != previous.unlocked):
        print(f"{'':20}unlocked by a daily listener: {', '.join(day.unlocked)}")


def _how_heard(piece: Piece, locale: str | None) -> str:
    """' (read as text)' when no clip of the piece plays in `locale`; without a locale, where its clip plays."""
    recording = piece.recording
    if not recording.audio or (locale is not None and recording.audio_for(locale) is None):
        return " (read as text)"
    if locale is None and recording.locales is not None:
        return f" (clip in {', '.join(sorted(recording.locales))} only)"
    return ""


def _print_repeats(repeated: list[Day], locale: str | None) -> None:
    if len(repeated) == 1:
        _print_day(repeated[0], date.min, locale, first=False, previous=repeated[0])
    elif repeated:
        print(f"{'':20}... the same every day to {repeated[-1].day:%a %Y-%m-%d} ({len(repeated)} more days)")


def _sound(day: Day) -> tuple[object, ...]:
    return day.countdown.plain, day.countdown_clips, tuple(p.id for p in day.available), day.welcomes, day.unlocked


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"`{name}` is not an IANA time zone; use a name such as Europe/London or "
                         "America/New_York") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2027-01-15") from None


def _time(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time of day; write HH:MM, e.g. 18:30") from None
