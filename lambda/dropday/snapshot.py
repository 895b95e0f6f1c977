"""The parsed campaign, saved at build time so that a cold start does not parse it again.

`sam build` packs each campaign as JSON (`<campaign>.manifest.json`, see `content.compile_manifest`)
and, beside it, `<campaign>.manifest.pickle`: the `Manifest` that parsing that JSON gives, with the
SHA-256 of the JSON it came from and of the code that parsed it (`core/campaign`: the model, the
parser, the default sentences). A cold start that finds a snapshot matching both loads it (about
2 ms) instead of importing the parser and parsing (about 10 ms on Lambda); one that does not (no
snapshot, one made from other JSON or by other code, one that cannot be read) parses the JSON as
before, so the snapshot can make a cold start faster but never different.

The snapshot is made by this repository's build from its own files and read from Lambda's
read-only package: it is never read from anywhere a listener or the content team writes to.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import logging
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

from .core.campaign import Manifest

logger = logging.getLogger(__name__)

SUFFIX = ".pickle"
#: Bumped when what a snapshot holds changes shape; a snapshot of another format is ignored.
FORMAT = 2
#: The code a parsed campaign depends on: a snapshot made by other code is not used.
CAMPAIGN_CODE = Path(__file__).parent / "core" / "campaign"


def snapshot_path(packed: Path) -> Path:
    """Where the snapshot of the packed manifest `packed` (`<campaign>.manifest.json`) lives."""
    return packed.with_suffix(SUFFIX)


def write_snapshot(manifest: Manifest, packed: Path, text: str) -> Path:
    """Save `manifest`, parsed from `text`, the content of `packed`, beside it."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_read_only}
    pickler.dump((FORMAT, _digest(text), code_digest(), manifest))
    target = snapshot_path(packed)
    target.write_bytes(out.getvalue())
    return target


def read_snapshot(packed: Path, text: str) -> Manifest | None:
    """The manifest saved beside `packed` when it was parsed from `text`, exactly; else None
    (and a warning, unless there is no snapshot at all)."""
    path = snapshot_path(packed)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        logger.warning("campaign snapshot %s unreadable, the manifest is parsed: %s", path, exc)
        return None
    try:
        form, digest, code, manifest = pickle.loads(data)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure: made by other code; parse instead
        logger.warning("campaign snapshot %s was made by other code, the manifest is parsed: %s", path, exc)
        return None
    if form != FORMAT or digest != _digest(text) or not isinstance(manifest, Manifest):
        logger.warning("campaign snapshot %s does not match %s, the manifest is parsed", path, packed.name)
        return None
    if code != code_digest():
        logger.warning("campaign snapshot %s was made by other code, the manifest is parsed", path)
        return None
    return manifest


def code_digest(folder: Path = CAMPAIGN_CODE) -> str:
    """SHA-256 of the sources and data under `folder` (each `.py` and `.json` file's path and content)."""
    digest = hashlib.sha256()
    for relative, file in sorted(_files(str(folder), "")):
        with open(file, "rb") as handle:
            digest.update(relative.encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


def _files(folder: str, relative: str) -> Iterator[tuple[str, str]]:
    for entry in os.scandir(folder):   # os.scandir: pathlib's rglob costs a cold start about 2 ms more
        if entry.is_dir() and entry.name != "__pycache__":
            yield from _files(entry.path, f"{relative}{entry.name}/")
        elif entry.name.endswith((".py", ".json")):
            yield f"{relative}{entry.name}", entry.path


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_only(mapping: dict) -> MappingProxyType:
    """A read-only mapping again, as the model holds its empty defaults (`MappingProxyType({})`)."""
    return MappingProxyType(mapping)


def _reduce_read_only(proxy: MappingProxyType):
    return _read_only, (dict(proxy),)
