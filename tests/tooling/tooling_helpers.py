"""Helpers for the tooling tests (importable as `tooling_helpers`)."""

from __future__ import annotations

from pathlib import Path

DEMO_CAMPAIGN = "lantern-foxes"


def clip_file(root: Path, path: str) -> Path:
    """A clip of the demo campaign inside a demo copy."""
    return root / "audio_manifest" / "audio" / DEMO_CAMPAIGN / path


def manifest_file(root: Path) -> Path:
    return root / "audio_manifest" / f"{DEMO_CAMPAIGN}.yaml"


def line_of(file: Path, text: str) -> int:
    """The 1-based line of the first line of `file` containing `text`."""
    return next(n for n, line in enumerate(file.read_text().splitlines(), start=1) if text in line)


def edit(file: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there, once) with `new` in a text file, as a person would in an editor."""
    text = file.read_text()
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
    file.write_text(text.replace(old, new))
