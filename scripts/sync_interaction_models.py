#!/usr/bin/env python3
"""Regenerate the interaction models: an alias of `dropday models sync` (see `dropday models sync --help`).

    python scripts/sync_interaction_models.py            # every campaign in audio_manifest/
    python scripts/sync_interaction_models.py --check    # exit 1 when a model is stale

The old options still work: `--manifest FILE` is the PATH argument, `--out-dir DIR` is `--models DIR`
(the folder that holds one folder per campaign).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lambda"))

from dropday.cli.__main__ import main  # noqa: E402

RENAMED = {"--manifest": None, "--out-dir": "--models"}


def translate(argv: list[str]) -> list[str]:
    """This script's arguments as `dropday models sync` arguments."""
    args: list[str] = []
    for arg in argv:
        option, _, value = arg.partition("=")
        if option in RENAMED:
            args += [RENAMED[option]] if RENAMED[option] else []
            args += [value] if value else []
        else:
            args.append(arg)
    return ["models", "sync", *args]


if __name__ == "__main__":
    sys.exit(main(translate(sys.argv[1:])))
