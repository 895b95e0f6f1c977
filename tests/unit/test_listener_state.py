"""What is stored about a listener: small, versioned, tolerant of damage."""

import json
from datetime import date
from decimal import Decimal

from dropday.core.listener import ListenerState
from dropday.core.manifest import tip_key


def test_state_survives_a_round_trip_through_storage():
    state = ListenerState(heard=(tip_key("first"), tip_key("second")), rotation=2, visits=7, last_visit=date(2027, 1, 2),
                          time_zone="Pacific/Auckland", time_zone_checked=date(2027, 1, 2))
    assert ListenerState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_a_new_listener_is_stored_as_just_a_version():
    assert ListenerState().to_dict() == {"v": 1}


def test_numbers_come_back_from_dynamodb_as_decimal():
    state = ListenerState.from_dict({"v": Decimal(1), "visits": Decimal(3), "rotation": Decimal(1)})
    assert (state.visits, state.rotation) == (3, 1)


def test_damaged_or_foreign_state_starts_fresh():
    assert ListenerState.from_dict({"v": 99, "visits": 4}) == ListenerState()
    assert ListenerState.from_dict(None) == ListenerState()
    damaged = ListenerState.from_dict({"v": 1, "heard": "abc", "visits": "x", "last_visit": "yesterday",
                                       "tz": 5})
    assert damaged == ListenerState()


def test_tips_removed_from_the_manifest_are_forgotten():
    state = ListenerState(heard=("kept", "gone"))
    assert state.known_tips_only({"kept", "other"}).heard == ("kept",)


def test_state_stays_small_however_long_the_campaign_runs(test_campaign):
    # GIVEN a listener who has asked for a thousand tips
    from random import Random

    from dropday.core.tips import next_tip
    tips, state = test_campaign.tips_available(date(2027, 3, 5)), ListenerState()
    for _ in range(1000):
        state = next_tip(tips, state, Random(9)).state.visited(date(2027, 3, 5))
    # THEN the state holds at most one rotation of tip ids
    assert len(state.heard) <= len(tips)
    assert len(json.dumps(state.to_dict())) < 400


def test_a_listener_who_heard_500_tips_is_stored_in_under_4_kb():
    state = ListenerState(heard=tuple(tip_key(f"campaign-tip-number-{i}") for i in range(500)), rotation=12,
                          visits=4000, last_visit=date(2027, 1, 1), time_zone="America/Argentina/Buenos_Aires",
                          time_zone_checked=date(2027, 1, 1))
    stored = json.dumps(state.to_dict())
    assert len(stored.encode()) < 4096
    assert ListenerState.from_dict(json.loads(stored)) == state
