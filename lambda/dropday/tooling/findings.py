"""Where the content lives, and how a problem with it is shown to the content team."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..content import campaign_files, line_finder

REPO_ROOT = Path(__file__).resolve().parents[3]
SCHEMA_RELATIVE = Path("schema") / "manifest.schema.json"
MODELS_DIR_NAME = "interaction_models"
LOCALE_FILE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")

LineFinder = Callable[[str], "int | None"]


class UsageError(Exception):
    """A command line that cannot be acted on (missing folder, unknown campaign): exit status 2."""


@dataclass(frozen=True)
class Finding:
    """One problem, as the content team reads it: `file:line: path: what is wrong. Fix: how`.

    Attributes:
        file: the file to open, as shown (relative to the working directory when inside it).
        path: the place in the file, e.g. ``tips[2].audio``.
        message: what is wrong.
        fix: how to put it right.
        line: the 1-based line, when known.
    """

    file: str
    path: str
    message: str
    fix: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top level)'}: {self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Workspace:
    """The manifests to work on and the folders beside them.

    Attributes:
        manifest_dir: the folder of campaign manifests (`audio_manifest/`).
        files: the manifests to check, sorted.
        models_dir: the folder of interaction models, or None when there is none.
        schema_path: the JSON Schema for manifests.
    """

    manifest_dir: Path
    files: tuple[Path, ...]
    models_dir: Path | None
    schema_path: Path

    def audio_dir(self, campaign: str) -> Path:
        """Where a campaign's clips live: `audio_manifest/audio/<campaign>/`."""
        return self.manifest_dir / "audio" / campaign

    def published_index(self, campaign: str) -> Path:
        """The index `dropday audio publish` writes beside the manifest."""
        return self.manifest_dir / f"{campaign}.published.json"


def locate(path: Path | None = None, models_dir: Path | None = None) -> Workspace:
    """The workspace for PATH: a folder of manifests, or one manifest file.

    Args:
        path: the folder or file; None for `audio_manifest/` in the working directory (else the
            repository's).
        models_dir: the interaction models folder; None for `interaction_models/` beside the
            manifest folder, when it exists.

    Raises:
        UsageError: the path does not exist or holds no manifest.
    """
    if path is None:
        path = Path("audio_manifest") if Path("audio_manifest").is_dir() else Settings().manifest_dir
    if path.is_file():
        manifest_dir, files = path.parent, (path,)
    elif path.is_dir():
        manifest_dir, files = path, tuple(campaign_files(path))
        if not files:
            raise UsageError(f"{shown(path)} holds no campaign manifest (*.yaml)")
    else:
        raise UsageError(f"{shown(path)} does not exist; give a folder of manifests or a manifest file")
    if models_dir is not None and not models_dir.is_dir():
        raise UsageError(f"{shown(models_dir)} is not a folder of interaction models")
    if models_dir is None:
        beside = manifest_dir.resolve().parent / MODELS_DIR_NAME
        models_dir = beside if beside.is_dir() else None
    schema = manifest_dir / SCHEMA_RELATIVE
    if not schema.is_file():
        schema = Settings().manifest_dir / SCHEMA_RELATIVE
    return Workspace(manifest_dir, files, models_dir, schema)


def pick_campaign(workspace: Workspace, campaign: str | None) -> Path:
    """The one manifest a command works on: `campaign`, or the only one.

    Raises:
        UsageError: naming the campaigns to choose from.
    """
    names = ", ".join(p.stem for p in workspace.files)
    if campaign is not None:
        for file in workspace.files:
            if file.stem == campaign:
                return file
        raise UsageError(f"there is no campaign `{campaign}` in {shown(workspace.manifest_dir)} (found: {names})")
    if len(workspace.files) > 1:
        raise UsageError(f"{shown(workspace.manifest_dir)} holds several campaigns ({names}); pick one with --campaign")
    return workspace.files[0]


def model_files(models_dir: Path | None) -> list[Path]:
    """The per-locale interaction models (`en-GB.json`, ...), sorted; not `skill.json`."""
    if models_dir is None:
        return []
    return sorted(p for p in models_dir.glob("*.json") if LOCALE_FILE.match(p.stem))


def shown(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:  # abspath, not resolve: a symlink such as .venv/bin/python must keep its own name
        return str(Path(os.path.abspath(path)).relative_to(os.path.abspath(os.getcwd())))
    except ValueError:
        return str(path)


def yaml_line_finder(text: str) -> LineFinder:
    """A function from a YAML path (``tips[3].member``) to its line in `text`.

    The same lookup the skill uses for its own errors (`dropday.content`), so a problem found by
    `dropday validate` and one logged at cold start point at the same line.
    """
    return line_finder(text)


def json_line(text: str, needle: str, after: int = 0) -> int | None:
    """The first line (1-based) at or after line `after` that contains `needle`, or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= after and needle in line:
            return number
    return None
