"""Helpers for the tooling tests (importable as `tooling_helpers`)."""

from __future__ import annotations

from pathlib import Path

from support import FIXTURE_CAMPAIGN

DEMO_CAMPAIGN = "lantern-foxes"


def clip_file(root: Path, path: str, campaign: str = FIXTURE_CAMPAIGN) -> Path:
    """A clip of a campaign (the fixture campaign unless named) inside a copy."""
    return root / "audio_manifest" / "audio" / campaign / path


def manifest_file(root: Path, campaign: str = FIXTURE_CAMPAIGN) -> Path:
    """A campaign's manifest (the fixture campaign unless named) inside a copy."""
    return root / "audio_manifest" / f"{campaign}.yaml"


def models_dir(root: Path, campaign: str = FIXTURE_CAMPAIGN) -> Path:
    """A campaign's interaction models inside a copy."""
    return root / "interaction_models" / campaign


def line_of(file: Path, text: str) -> int:
    """The 1-based line of the first line of `file` containing `text`."""
    return next(n for n, line in enumerate(file.read_text().splitlines(), start=1) if text in line)


def edit(file: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there, once) with `new` in a text file, as a person would in an editor."""
    text = file.read_text()
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
    file.write_text(text.replace(old, new))
