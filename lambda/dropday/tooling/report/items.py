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
    """The campaign's playable pieces, in manifest order.

    Today a campaign's pieces are its tips, which the turn events name as the section `tips`.
    When the manifest has sections of pieces, this is the one function to change.
    """
    return [Playable("tips", tip.id, tip.window.start) for tip in manifest.tips]
