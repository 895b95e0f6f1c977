"""Helpers the tests of what Lambda runs share: the Makefile's targets, read-only folders, and the
lines printed at the end of the run (under "what Lambda runs")."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from support import REPO

#: Lines for the end of the test run: the artifact's size, clips not yet published.
REPORT: list[str] = []


def make(target: str, **variables: object) -> subprocess.CompletedProcess:
    """Run a target of the repository's Makefile (outside any make that runs these tests)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    return subprocess.run(["make", "--no-print-directory", target, *(f"{k}={v}" for k, v in variables.items())],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


def make_read_only(folder: Path) -> None:
    """`chmod -R a-w`, as Lambda's code folder is."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
