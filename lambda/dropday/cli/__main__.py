"""`dropday <command>`: each command lives in its own module of this package.

A command module provides `register(subparsers)`, which adds its parser and sets
`func(args) -> int` as the parser's default. Modules are imported only when their command runs
(and for `--help`), so a broken optional tool never stops the others.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: command name -> module in this package that registers it.
COMMANDS = {
    "validate": "validate",
    "models": "models",
    "audio": "audio",
    "schedule": "schedule",
    "chat": "chat",
    "report": "report",
    "simulate": "simulate",
    "draw": "draw",
}


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with every available command registered."""
    parser = argparse.ArgumentParser(prog="dropday", description="Album-campaign Alexa skills: content tools and "
                                                                 "local development.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands or COMMANDS:
        try:
            module = importlib.import_module(f".{COMMANDS[name]}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{COMMANDS[name]}":
                raise
            continue  # not written yet
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    wanted = [argv[0]] if argv and argv[0] in COMMANDS else None
    parser = build_parser(wanted)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
