"""`dropday validate [PATH]`: check manifests, clips and interaction models; list every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..tooling.findings import UsageError, locate
from ..tooling.validation import validate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `validate` command."""
    parser = subparsers.add_parser(
        "validate", help="check campaign manifests, their clips and the interaction models",
        description="Check every campaign manifest under PATH, its audio clips and its interaction models, and "
                    "list every problem as FILE:LINE: PLACE: what is wrong. Fix: how. Notes (files nothing uses) "
                    "follow, marked `note:`; they never fail. Exit status 1 when anything is wrong, 0 with a "
                    "one-line summary when all is well.")
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH",
                        help="a folder of manifests or one manifest file (default: audio_manifest/)")
    parser.add_argument("--campaign", metavar="NAME", help="check only this campaign (its manifest's file name "
                                                           "without .yaml)")
    parser.add_argument("--models", type=Path, metavar="DIR",
                        help="the interaction models, one folder per campaign (default: interaction_models/ "
                             "beside PATH)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate and print the findings; 0 when all is well, 1 on any problem, 2 on a bad command line."""
    try:
        report = validate(locate(args.path, args.models), campaign=args.campaign)
    except UsageError as exc:
        print(f"dropday validate: {exc}", file=sys.stderr)
        return 2
    print(*report.lines(), sep="\n")
    return 0 if report.ok else 1
