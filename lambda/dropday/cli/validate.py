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
        description="Check every campaign manifest under PATH, its audio clips and the interaction models, and "
                    "list every problem as FILE:LINE: PLACE: what is wrong. Fix: how. Exit status 1 when anything "
                    "is wrong, 0 with a one-line summary when all is well.")
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH",
                        help="a folder of manifests or one manifest file (default: audio_manifest/)")
    parser.add_argument("--models", type=Path, metavar="DIR",
                        help="the interaction models folder (default: interaction_models/ beside PATH)")
    parser.add_argument("--campaign", metavar="NAME",
                        help="the campaign the interaction models belong to, when PATH holds several")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate and print the findings; 0 when all is well, 1 on any problem, 2 on a bad command line."""
    try:
        workspace = locate(args.path, args.models)
    except UsageError as exc:
        print(f"dropday validate: {exc}", file=sys.stderr)
        return 2
    report = validate(workspace, models_campaign=args.campaign)
    for finding in report.findings:
        print(finding)
    print(report.summary())
    return 0 if report.ok else 1
