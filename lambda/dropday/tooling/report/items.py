"""What a campaign offers to play, as the report counts it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Playable:
    """One piece listeners can play: its section, its id, and the day it became available."""

    section: str
    piece: str
    available_from: date | None = None


def playable_items(manifest) -> list[Playable]:
    """The campaign's playable pieces, in manifest order: every piece of every section."""
    return [Playable(piece.section, piece.id, piece.window.start) for piece in manifest.pieces]
