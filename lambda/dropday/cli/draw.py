"""`dropday draw --campaign NAME --winners K`: pick a prize draw's winners, write them to a CSV, and
optionally delete every entry afterwards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Settings
from ..tooling import draw


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `draw` command."""
    parser = subparsers.add_parser(
        "draw", help="pick a prize draw's winners at random, write them to a CSV, and purge the entries",
        description="Read the entries of CAMPAIGN's prize draw, pick K winners at random with a seed it prints "
                    "(the same seed and entries always give the same winners, so the draw can be re-run and "
                    "audited), and write them to a CSV. With --purge, every entry of the campaign is deleted once "
                    "the CSV is written. Uses your usual AWS configuration, or --endpoint for a local DynamoDB.")
    parser.add_argument("--campaign", required=True, metavar="NAME", help="the campaign whose draw this is")
    parser.add_argument("--winners", required=True, type=_count, metavar="K", help="how many winners to pick")
    parser.add_argument("--seed", type=_count, metavar="S", help="the seed of an earlier draw, to repeat it "
                                                                 "(default: a new one, printed)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="the winners' CSV (default: NAME-winners.csv)")
    parser.add_argument("--purge", action="store_true", help="delete every entry of the campaign afterwards")
    parser.add_argument("--table", metavar="TABLE", help="the draw's table (stack output DrawTableName; default: "
                                                         "DRAW_TABLE, else dropday-draw)")
    parser.add_argument("--endpoint", metavar="URL", help="a DynamoDB endpoint such as a moto server on loopback "
                                                          "(default: AWS)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Draw; 0 when done, 1 when the table cannot be read or the CSV written."""
    from botocore.exceptions import BotoCoreError, ClientError

    from ..localdev.dynamodb_server import dynamodb_resource

    table_name = args.table or Settings.from_env().draw_table
    table = dynamodb_resource(args.endpoint).Table(table_name)
    out = args.out or Path(f"{args.campaign}-winners.csv")
    try:
        entries = draw.read_entries(table, args.campaign)
    except (BotoCoreError, ClientError) as exc:
        print(f"dropday draw: cannot read the entries in {table_name}: {exc}. Check --table (stack output "
              "DrawTableName), your AWS credentials, or --endpoint", file=sys.stderr)
        return 1
    seed = args.seed if args.seed is not None else draw.new_seed()
    print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} for {args.campaign} in {table_name} "
          f"(entries digest {draw.digest(entries)})")
    winners = draw.pick_winners(entries, args.winners, seed)
    print(f"seed {seed}: run again with --seed {seed} to pick the same winners from the same entries")
    if len(winners) < args.winners:
        print(f"only {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, so every one wins")
    try:
        draw.write_winners(out, winners)
    except OSError as exc:
        print(f"dropday draw: cannot write {out}: {exc}; nothing was purged", file=sys.stderr)
        return 1
    print(f"{len(winners)} winner{'' if len(winners) == 1 else 's'} written to {out}")
    if args.purge:
        try:
            deleted = draw.purge(table, args.campaign, entries)
        except (BotoCoreError, ClientError) as exc:
            print(f"dropday draw: the purge failed: {exc}; run it again with the same --seed", file=sys.stderr)
            return 1
        print(f"purged {deleted} entr{'y' if deleted == 1 else 'ies'} of {args.campaign}")
    return 0


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {value}")
    return value
