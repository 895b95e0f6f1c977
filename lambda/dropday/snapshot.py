"""The parsed campaign, saved at build time so that a cold start does not parse it again.

`sam build` packs each campaign as JSON (`<campaign>.manifest.json`, see `content.compile_manifest`)
and, beside it, `<campaign>.manifest.pickle`: the `Manifest` that parsing that JSON gives, with the
SHA-256 of the JSON it came from. A cold start that finds a snapshot matching the JSON beside it
loads it (about 1 ms) instead of importing the parser and parsing (about 10 ms on Lambda); one
that does not (no snapshot, one made from other JSON or by other code, one that cannot be read)
parses the JSON as before, so the snapshot can make a cold start faster but never different.

The snapshot is made by this repository's build from its own files and read from Lambda's
read-only package: it is never read from anywhere a listener or the content team writes to.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import logging
import pickle
from pathlib import Path
from types import MappingProxyType

from .core.campaign import Manifest

logger = logging.getLogger(__name__)

SUFFIX = ".pickle"
#: Bumped when what a snapshot holds changes shape; a snapshot of another format is ignored.
FORMAT = 1


def snapshot_path(packed: Path) -> Path:
    """Where the snapshot of the packed manifest `packed` (`<campaign>.manifest.json`) lives."""
    return packed.with_suffix(SUFFIX)


def write_snapshot(manifest: Manifest, packed: Path, text: str) -> Path:
    """Save `manifest`, parsed from `text`, the content of `packed`, beside it."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_read_only}
    pickler.dump((FORMAT, _digest(text), manifest))
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
        form, digest, manifest = pickle.loads(data)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure: made by other code; parse instead
        logger.warning("campaign snapshot %s was made by other code, the manifest is parsed: %s", path, exc)
        return None
    if form != FORMAT or digest != _digest(text) or not isinstance(manifest, Manifest):
        logger.warning("campaign snapshot %s does not match %s, the manifest is parsed", path, packed.name)
        return None
    return manifest


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_only(mapping: dict) -> MappingProxyType:
    """A read-only mapping again, as the model holds its empty defaults (`MappingProxyType({})`)."""
    return MappingProxyType(mapping)


def _reduce_read_only(proxy: MappingProxyType):
    return _read_only, (dict(proxy),)
