"""Reading campaign manifests, with errors that name the file and the line.

The content team writes YAML (`<campaign>.yaml`). `sam build` packs each campaign as JSON instead
(`<campaign>.manifest.json`, see `compile_manifest`): the same data, read without importing
PyYAML, which saves a Lambda cold start about 10 ms plus the YAML parsing.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from .core.campaign import Manifest, ManifestError, Problem, parse_manifest

COMPILED_SUFFIX = ".manifest.json"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def campaign_files(manifest_dir: Path) -> list[Path]:
    """The campaign manifests in `manifest_dir`, sorted: every `*.yaml` directly inside it or,
    in a folder `sam build` packed, every `*.manifest.json`."""
    folder = Path(manifest_dir)
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) or \
        sorted(p for p in folder.glob(f"*{COMPILED_SUFFIX}") if p.is_file())


def campaign_name(path: Path) -> str:
    """The campaign a manifest file holds, by its name (`lantern-foxes.yaml` -> `lantern-foxes`)."""
    return path.name.removesuffix(COMPILED_SUFFIX).removesuffix(".yaml")


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
        path = next((p for p in files if campaign_name(p) == campaign), Path(manifest_dir) / f"{campaign}.yaml")
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
    """Where `dropday audio publish` records the S3 key of each of a campaign's clips and images."""
    return Path(manifest_dir) / f"{campaign}.published.json"


def with_published_keys(manifest: Manifest, manifest_dir: Path) -> Manifest:
    """`manifest` with the keys its clips and images were published under, when it was published.

    Raises:
        ManifestError: the index is unreadable or lacks a clip the manifest plays (the skill would
            play silence) or an image it shows; the fix is to publish again.
    """
    index = published_index(manifest_dir, manifest.campaign)
    if not index.is_file():
        return manifest
    republish = "run `dropday audio publish --bucket <audio bucket>`, then deploy again"
    try:
        document = json.loads(index.read_text(encoding="utf-8"))
        tables = {"clips": document["clips"], "images": document.get("images", {})}  # no images: an older index
        for name, table in tables.items():
            if not isinstance(table, dict) or not all(isinstance(k, str) for k in table.values()):
                raise ValueError(f"`{name}` is not a mapping of paths to keys")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ManifestError([Problem("clips", f"cannot be read ({exc})", republish)], str(index)) from None
    wanted = {"clips": manifest.audio_paths, "images": manifest.image_paths}
    missing = [Problem(f"{name}.{p}", f"is missing: the {name[:-1]} was added after the last publish", republish)
               for name, paths in wanted.items() for p in paths if p not in tables[name]]
    if missing:
        raise ManifestError(missing, str(index))
    return replace(manifest, published={p: tables[name][p] for name, paths in wanted.items() for p in paths})


def read_manifest(path: Path) -> Manifest:
    """Read and validate one manifest file (YAML, or JSON made by `compile_manifest`).

    Raises:
        ManifestError: with the line of every problem.
    """
    text = _read_text(path)
    if Path(path).name.endswith(COMPILED_SUFFIX):
        try:
            return parse_manifest(json.loads(text), source=str(path))
        except ValueError as exc:
            if isinstance(exc, ManifestError):
                raise
            raise ManifestError([Problem("", f"is not valid JSON ({exc})", "run `sam build` again")],
                                str(path)) from None
    return _parsed(_yaml_data(text, path), text, path)


def compile_manifest(source: Path, target_dir: Path) -> Path:
    """Check a YAML manifest and write it as `<campaign>.manifest.json` into `target_dir`.

    Raises:
        ManifestError: the manifest is invalid; nothing is written.
    """
    text = _read_text(source)
    data = _yaml_data(text, source)
    _parsed(data, text, source)
    target = Path(target_dir) / f"{campaign_name(Path(source))}{COMPILED_SUFFIX}"
    target.write_text(json.dumps(as_json(data), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return target


def as_json(value: object) -> object:
    """Loaded YAML as JSON carries it: dates (and date-times) become ISO strings, keys become text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(as_json(key)): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError([Problem("", f"cannot be read ({exc})", "check the file exists and is UTF-8 text")],
                            str(path)) from None


def _yaml_data(text: str, path: Path) -> object:
    """`text` loaded as YAML; a syntax error or an impossible date is a ManifestError with its line."""
    import yaml
    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise ManifestError([Problem("", f"is not valid YAML: {reason}",
                                     "check the indentation, and put quotes around text that contains "
                                     "': ' or starts with '{', '[', '*' or '&'",
                                     mark.line + 1 if mark else None)], str(path)) from None
    except ValueError as exc:  # YAML reads 2027-02-30 as a date and the calendar refuses it
        line, found = _impossible_date(text)
        raise ManifestError([Problem("", f"has a date that does not exist ({found or exc})",
                                     "write a real calendar date as YYYY-MM-DD", line)], str(path)) from None


def _parsed(data: object, text: str, path: Path) -> Manifest:
    """`parse_manifest(data)`, its problems located on their lines in `text`."""
    try:
        return parse_manifest(data, source=str(path))
    except ManifestError as exc:
        lines = line_finder(text)
        raise ManifestError([Problem(p.path, p.message, p.fix, lines(p.path)) for p in exc.problems],
                            str(path)) from None


def _impossible_date(text: str) -> tuple[int | None, str | None]:
    """The line and text of the first YYYY-MM-DD in `text` that is not a calendar date."""
    for number, line in enumerate(text.splitlines(), start=1):
        for found in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", line):
            try:
                date.fromisoformat(found)
            except ValueError:
                return number, found
    return None, None


def _yaml_loader():
    import yaml
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def line_finder(text: str):
    """A function from a YAML path (``tips[3].member``) to its 1-based line in `text`."""
    import yaml
    root = yaml.compose(text, Loader=_yaml_loader())

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
    return ", ".join(campaign_name(p) for p in files) or "(none)"
