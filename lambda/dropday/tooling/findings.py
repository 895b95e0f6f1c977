"""Where the content lives, and how a problem with it is shown to the content team."""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..content import campaign_files, campaign_name, line_finder

REPO_ROOT = Path(__file__).resolve().parents[3]
SCHEMA_RELATIVE = Path("schema") / "manifest.schema.json"
MODELS_DIR_NAME = "interaction_models"
SAMPLES_DIR_NAME = "samples"
SKILL_MANIFEST_NAME = "skill.json"
LOCALE_FILE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_UNKNOWN_ID = re.compile(r"^`(?P<given>[^`]+)` is not an? [\w ]+ id\b")
_ONE_OF = re.compile(r"use one of: (?P<ids>[^()]+?)\s*$")

LineFinder = Callable[[str], "int | None"]


class UsageError(Exception):
    """A command line that cannot be acted on (missing folder, unknown campaign): exit status 2."""


@dataclass(frozen=True)
class Finding:
    """One problem (or note), as the content team reads it: `file:line: place: what is wrong. Fix: how`.

    Attributes:
        file: the file to open, as shown (relative to the working directory when inside it).
        path: the place in the file, e.g. ``tip noor-tuning-up, audio`` ('' for the whole file).
        message: what is wrong.
        fix: how to put it right.
        line: the 1-based line, when known.
        note: a remark that does not make the campaign wrong (shown as `note:`, never fails a check).
    """

    file: str
    path: str
    message: str
    fix: str
    line: int | None = None
    note: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        place = f"{self.path}: " if self.path else ""
        if self.note:
            return f"{where}: note: {place}{self.message}. {self.fix[:1].upper()}{self.fix[1:]}"
        return f"{where}: {place}{self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Workspace:
    """The manifests to work on and the folders beside them.

    Attributes:
        manifest_dir: the folder of campaign manifests (`audio_manifest/`).
        files: the manifests to check, sorted.
        models_root: the folder holding one folder of interaction models per campaign
            (`interaction_models/`), or None when there is none.
        schema_path: the JSON Schema for manifests.
    """

    manifest_dir: Path
    files: tuple[Path, ...]
    models_root: Path | None
    schema_path: Path

    def audio_dir(self, campaign: str) -> Path:
        """Where a campaign's clips live: `audio_manifest/audio/<campaign>/`."""
        return self.manifest_dir / "audio" / campaign

    def published_index(self, campaign: str) -> Path:
        """The index `dropday audio publish` writes beside the manifest."""
        return self.manifest_dir / f"{campaign}.published.json"

    def models_dir(self, file: Path) -> Path | None:
        """The interaction models of the campaign in manifest `file`: `interaction_models/<file name>/`."""
        return self.models_root / campaign_name(file) if self.models_root is not None else None

    @property
    def samples_dir(self) -> Path | None:
        """The sample utterances, one file per language: `interaction_models/samples/`."""
        return self.models_root / SAMPLES_DIR_NAME if self.models_root is not None else None

    def select(self, campaign: str | None) -> Workspace:
        """This workspace with only `campaign`'s manifest (all of them when None).

        Raises:
            UsageError: there is no such campaign, naming the ones there are.
        """
        if campaign is None:
            return self
        return Workspace(self.manifest_dir, (pick_campaign(self, campaign),), self.models_root, self.schema_path)


def locate(path: Path | None = None, models_root: Path | None = None) -> Workspace:
    """The workspace for PATH: a folder of manifests, or one manifest file.

    Args:
        path: the folder or file; None for `audio_manifest/` in the working directory (else the
            repository's).
        models_root: the folder of interaction models (one folder per campaign); None for
            `interaction_models/` beside the manifest folder, when it exists.

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
    if models_root is not None and not models_root.is_dir():
        raise UsageError(f"{shown(models_root)} is not a folder of interaction models")
    if models_root is None:
        beside = manifest_dir.resolve().parent / MODELS_DIR_NAME
        models_root = beside if beside.is_dir() else None
    schema = manifest_dir / SCHEMA_RELATIVE
    if not schema.is_file():
        schema = Settings().manifest_dir / SCHEMA_RELATIVE
    return Workspace(manifest_dir, files, models_root, schema)


def pick_campaign(workspace: Workspace, campaign: str | None) -> Path:
    """The one manifest a command works on: `campaign`, or the only one.

    Raises:
        UsageError: naming the campaigns to choose from.
    """
    names = ", ".join(campaign_name(p) for p in workspace.files)
    if campaign is not None:
        for file in workspace.files:
            if campaign_name(file) == campaign:
                return file
        raise UsageError(f"there is no campaign `{campaign}` in {shown(workspace.manifest_dir)} (found: {names})")
    if len(workspace.files) > 1:
        raise UsageError(f"{shown(workspace.manifest_dir)} holds several campaigns ({names}); pick one with --campaign")
    return workspace.files[0]


def model_files(models_dir: Path | None) -> list[Path]:
    """The per-locale interaction models (`en-GB.json`, ...) in a campaign's folder, sorted; not `skill.json`."""
    if models_dir is None:
        return []
    return sorted(p for p in models_dir.glob("*.json") if LOCALE_FILE.match(p.stem))


def shown(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:  # abspath, not resolve: a symlink such as .venv/bin/python must keep its own name
        return str(Path(os.path.abspath(path)).relative_to(os.path.abspath(os.getcwd())))
    except ValueError:
        return str(path)


def dropday_command() -> str:
    """How to run `dropday` from the working directory: the repository's `.venv/bin/dropday` when
    there is one, else the one beside this Python, else plain `dropday`."""
    for candidate in (REPO_ROOT / ".venv" / "bin" / "dropday", Path(sys.executable).parent / "dropday"):
        if candidate.is_file():
            return shown(candidate)
    return "dropday"


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


# -- places as people name them ------------------------------------------------------------------------

#: One step of a place: ("key", name) or ("item", index, id or None).
Step = tuple


def readable_place(path: str, data: object) -> str:
    """A parser path as the content team names the place: entries by their id, not their index.

    ``tips[13].audio`` becomes ``tip noor-tuning-up, audio`` when the 14th tip of the loaded
    `data` has the id `noor-tuning-up` (and no other tip has it). Entries without an id, a path
    that is about the id itself (``tips[1].id``), and paths that do not fit the data stay as they are.
    """
    raw = _STEP.findall(path)
    if not raw or not any(index for _, index in raw) or "".join(_raw_text(raw)) != path:
        return path
    steps: list[Step] = []
    node: object = data
    for number, (key, index) in enumerate(raw):
        if key:
            steps.append(("key", key))
            node = node.get(key) if isinstance(node, Mapping) else None
            continue
        position = int(index)
        item = node[position] if isinstance(node, list) and position < len(node) else None
        about_id = raw[number + 1:] == [("id", "")]
        ident = item.get("id") if isinstance(item, Mapping) and not about_id else None
        if not (isinstance(ident, str) and ident and sum(isinstance(e, Mapping) and e.get("id") == ident
                                                         for e in node) == 1):
            ident = None
        steps.append(("item", position, ident))
        node = item
    return format_place(steps)


def format_place(steps: Sequence[Step]) -> str:
    """Steps as text: keys joined by dots, indices in brackets, entries with an id as `<kind> <id>`."""
    groups: list[str] = []
    current = ""
    for step in steps:
        if step[0] == "key":
            current = f"{current}.{step[1]}" if current else str(step[1])
            continue
        _, index, ident = step
        if ident is not None and current:
            head, _, last = current.rpartition(".")
            groups += [head] if head else []
            groups.append(f"{_singular(last)} {ident}")
            current = ""
        else:
            current = f"{current}[{index}]"
    if current:
        groups.append(current)
    return ", ".join(groups)


def with_suggestion(message: str, fix: str) -> str:
    """`fix`, led by "did you mean X?" when `message` says an id is unknown and one of the ids the
    fix lists is close to it (a typo): `lenaa` is not a member id -> "did you mean lena?"."""
    given, choices = _UNKNOWN_ID.match(message), _ONE_OF.search(fix)
    if not (given and choices):
        return fix
    ids = [i.strip() for i in choices["ids"].split(",") if i.strip()]
    close = difflib.get_close_matches(given["given"], ids, n=1, cutoff=0.6)
    return f"did you mean {close[0]}? Otherwise {fix}" if close else fix


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _raw_text(raw: list[tuple[str, str]]) -> list[str]:
    parts = []
    for number, (key, index) in enumerate(raw):
        parts.append(f"[{index}]" if index else (f".{key}" if number else key))
    return parts
