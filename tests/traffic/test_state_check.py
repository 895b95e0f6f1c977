"""The check at the end of `dropday simulate`: a listener whose stored state lost something they were
served is named (by their number in the run, never their id), section by section."""

from __future__ import annotations

import pytest

from dropday.content import read_manifest
from dropday.core.listener import ListenerState, SectionProgress
from dropday.localdev.traffic_stats import Ledger
from traffic_support import CAMPAIGN

USER = "amzn1.ask.account.SIMULATED"


@pytest.fixture
def manifest(harbour_workspace):
    return read_manifest(harbour_workspace / "audio_manifest" / f"{CAMPAIGN}.yaml")


def stored(manifest, **heard: list[str]) -> dict:
    """An item whose state has heard these pieces, per section."""
    state = ListenerState()
    for section, pieces in heard.items():
        keys = tuple(p.key for p in manifest.pieces if p.id in pieces)
        state = state.with_progress(section, SectionProgress(keys))
    return {"id": USER, "attributes": state.to_dict()}


def served(ledger: Ledger, *pieces: tuple[str, str], request: str = "IntentRequest") -> None:
    for section, piece in pieces:
        ledger.served(USER, {"request": request, "played": [{"section": section, "piece": piece}]})


def test_a_listener_who_kept_everything_passes(manifest):
    ledger = Ledger(manifest)
    served(ledger, ("studio", "mae-breath"), ("backstage", "road-ferry"), ("studio", "otto-brushes"))
    assert ledger.check([(3, USER, stored(manifest, studio=["mae-breath", "otto-brushes"],
                                          backstage=["road-ferry"]))]) == []


def test_a_lost_piece_is_named_with_the_listeners_number_and_the_section(manifest):
    ledger = Ledger(manifest)
    served(ledger, ("studio", "mae-breath"), ("studio", "otto-brushes"))
    problems = ledger.check([(3, USER, stored(manifest, studio=["mae-breath"]))])
    assert problems == ["listener 3, studio: stored ['mae-breath'], served ['mae-breath', 'otto-brushes']"]
    assert USER not in problems[0]


def test_a_listener_with_no_stored_item_lost_everything(manifest):
    ledger = Ledger(manifest)
    served(ledger, ("backstage", "road-van"))
    assert ledger.check([(5, USER, None)]) == ["listener 5, backstage: stored [], served ['road-van']"]


def test_an_episode_counts_as_heard_once_the_device_played_it_to_the_end(manifest):
    ledger = Ledger(manifest)
    served(ledger, ("track-by-track", "tbt-low-water"))
    assert ledger.check([(1, USER, stored(manifest))]) == []
    ledger.finished(USER, "track-by-track", "tbt-low-water")
    assert ledger.check([(1, USER, stored(manifest))]) == [
        "listener 1, track-by-track: stored [], served ['tbt-low-water']"]
