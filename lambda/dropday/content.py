"""Reading campaign manifests from YAML files, with errors that name the file and the line."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import replace
from pathlib import Path

import yaml

from .core.manifest import Manifest, ManifestError, Problem, parse_manifest

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def campaign_files(manifest_dir: Path) -> list[Path]:
    """The campaign manifests in `manifest_dir` (every `*.yaml` directly inside it), sorted."""
    return sorted(p for p in Path(manifest_dir).glob("*.yaml") if p.is_file())


@functools.lru_cache(maxsize=4)
def load_campaign(manifest_dir: Path, campaign: str | None = None) -> Manifest:
    """The campaign this deployment serves, read and validated once per container.

    Args:
        manifest_dir: the folder of manifests.
        campaign: the file name without `.yaml`; None when the folder holds one campaign.

    Raises:
        ManifestError: the manifest is missing or invalid; the message names file, place and fix.
    """
    files = campaign_files(manifest_dir)
    if campaign is not None:
        path = Path(manifest_dir) / f"{campaign}.yaml"
        if path not in files:
            raise ManifestError([Problem("", f"there is no campaign `{campaign}`",
                                         f"set DROPDAY_CAMPAIGN to one of: {_names(files)}")], str(path))
    elif len(files) != 1:
        found = f"{len(files)} campaigns ({_names(files)})" if files else "no campaign manifest (*.yaml)"
        raise ManifestError([Problem("", f"found {found}",
                                     "add one campaign file, or set DROPDAY_CAMPAIGN to the one to serve")],
                            str(manifest_dir))
    else:
        path = files[0]
    return with_published_keys(read_manifest(path), Path(manifest_dir))


def published_index(manifest_dir: Path, campaign: str) -> Path:
    """Where `dropday audio publish` records the S3 key of each of a campaign's clips."""
    return Path(manifest_dir) / f"{campaign}.published.json"


def with_published_keys(manifest: Manifest, manifest_dir: Path) -> Manifest:
    """`manifest` with the keys its clips were published under, when it was published.

    Raises:
        ManifestError: the index is unreadable or lacks a clip the manifest plays, so the skill
            would play silence; the fix is to publish again.
    """
    index = published_index(manifest_dir, manifest.campaign)
    if not index.is_file():
        return manifest
    republish = "run `dropday audio publish --bucket <audio bucket>`, then deploy again"
    try:
        clips = json.loads(index.read_text(encoding="utf-8"))["clips"]
        if not isinstance(clips, dict) or not all(isinstance(k, str) for k in clips.values()):
            raise ValueError("`clips` is not a mapping of clip paths to keys")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ManifestError([Problem("clips", f"cannot be read ({exc})", republish)], str(index)) from None
    missing = [p for p in manifest.audio_paths if p not in clips]
    if missing:
        raise ManifestError([Problem(f"clips.{p}", "is missing: the clip was added after the last publish",
                                     republish) for p in missing], str(index))
    return replace(manifest, published={p: clips[p] for p in manifest.audio_paths})


def read_manifest(path: Path) -> Manifest:
    """Read and validate one manifest file.

    Raises:
        ManifestError: with the line of every problem.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError([Problem("", f"cannot be read ({exc})", "check the file exists and is UTF-8 text")],
                            str(path)) from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise ManifestError([Problem("", f"is not valid YAML: {reason}",
                                     "check the indentation, and put quotes around text that contains "
                                     "': ' or starts with '{', '[', '*' or '&'",
                                     mark.line + 1 if mark else None)], str(path)) from None
    try:
        return parse_manifest(data, source=str(path))
    except ManifestError as exc:
        lines = line_finder(text)
        raise ManifestError([Problem(p.path, p.message, p.fix, lines(p.path)) for p in exc.problems],
                            str(path)) from None


def line_finder(text: str):
    """A function from a YAML path (``tips[3].member``) to its 1-based line in `text`."""
    root = yaml.compose(text, Loader=_Loader)

    def line_of(path: str) -> int | None:
        node = root
        for key, index in _STEP.findall(path):
            child = None
            if isinstance(node, yaml.MappingNode) and key:
                child = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
            elif isinstance(node, yaml.SequenceNode) and index and int(index) < len(node.value):
                child = node.value[int(index)]
            if child is None:
                break
            node = child
        return node.start_mark.line + 1 if node is not None else None

    return line_of


def _names(files: list[Path]) -> str:
    return ", ".join(p.stem for p in files) or "(none)"
