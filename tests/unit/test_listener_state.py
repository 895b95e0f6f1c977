"""What is stored about a listener: small, versioned, tolerant of damage, upgraded from version 1."""

import json
from datetime import date
from decimal import Decimal
from random import Random

from dropday.core.campaign import content_key
from dropday.core.listener import ListenerState, SectionProgress, merged
from dropday.core.sections import next_piece


def test_state_survives_a_round_trip_through_storage():
    state = ListenerState(sections={"tips": SectionProgress((content_key("a"), content_key("b")), 2),
                                    "backstage": SectionProgress((content_key("c"),))},
                          visits=7, visit_days=4, last_visit=date(2027, 1, 2), time_zone="Pacific/Auckland",
                          time_zone_checked=date(2027, 1, 2), unlocked=(content_key("u"),), welcome=content_key("w"))
    assert ListenerState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_a_new_listener_is_stored_as_just_a_version():
    assert ListenerState().to_dict() == {"v": 2}


def test_numbers_come_back_from_dynamodb_as_decimal():
    state = ListenerState.from_dict({"v": Decimal(2), "visits": Decimal(3), "visit_days": Decimal(2),
                                     "sections": {"tips": {"rotation": Decimal(1)}}})
    assert (state.visits, state.visit_days, state.progress("tips").rotation) == (3, 2, 1)


def test_damaged_or_foreign_state_starts_fresh():
    assert ListenerState.from_dict({"v": 99, "visits": 4}) == ListenerState()
    assert ListenerState.from_dict({"v": True, "visits": 4}) == ListenerState()
    assert ListenerState.from_dict(None) == ListenerState()
    damaged = ListenerState.from_dict({"v": 2, "sections": {"tips": {"heard": "abc"}, "x": "y"}, "visits": "x",
                                       "last_visit": "yesterday", "tz": 5, "unlocked": 7, "welcome": "toolong"})
    assert damaged.heard == frozenset() and damaged.visits == 0 and damaged.last_visit is None
    assert damaged.time_zone is None and damaged.unlocked == () and damaged.welcome is None


def test_a_version_1_item_keeps_every_tip_heard_and_every_count(test_campaign):
    # GIVEN what version 1 stored for a listener who heard two tips in their third rotation
    stored = {"v": Decimal(1), "heard": content_key("ivy-one") + content_key("max-one"), "rotation": Decimal(2),
              "visits": Decimal(41), "last_visit": "2027-02-01", "tz": "Europe/London", "tz_checked": "2027-02-01"}
    # WHEN it is read and fitted to the campaign
    state = ListenerState.from_dict(stored).fitted(test_campaign)
    # THEN the tips section holds them, and nothing counted is lost
    assert state.progress("tips") == SectionProgress((content_key("ivy-one"), content_key("max-one")), 2)
    assert (state.visits, state.last_visit, state.time_zone) == (41, date(2027, 2, 1), "Europe/London")
    assert state.visit_days == 1
    assert state.to_dict()["v"] == 2


def test_pieces_and_unlockables_removed_from_the_manifest_are_forgotten(test_campaign):
    state = ListenerState(sections={"tips": SectionProgress((content_key("ivy-one"), "gone00", content_key("ivy-one"))),
                                    "a-removed-section": SectionProgress(("zzzzzz",), 3)},
                          unlocked=("gone00", test_campaign.unlockable("loyal-fan").key))
    fitted = state.fitted(test_campaign)
    assert fitted.sections == {"tips": SectionProgress((content_key("ivy-one"),))}
    assert fitted.unlocked == (test_campaign.unlockable("loyal-fan").key,)


def test_a_piece_heard_in_the_wrong_section_moves_to_its_own(test_campaign):
    state = ListenerState(sections={"tips": SectionProgress((content_key("story-van"),))})
    assert state.fitted(test_campaign).progress("backstage").heard == (content_key("story-van"),)


def test_a_new_visit_day_is_counted_once_per_local_day():
    state = ListenerState().visited(date(2027, 1, 1)).visited(date(2027, 1, 1)).visited(date(2027, 1, 3))
    assert (state.visits, state.visit_days) == (3, 2)


def test_state_stays_small_however_long_the_campaign_runs(test_campaign):
    # GIVEN a listener who has asked each section a thousand times
    state, day = ListenerState(), date(2027, 3, 5)
    for _ in range(1000):
        for section in test_campaign.sections:
            state = next_piece(section, day, state, Random(9)).state.visited(day)
    # THEN the state holds at most one rotation per section
    assert all(len(state.progress(s.id).heard) <= len(s.pieces) for s in test_campaign.sections)
    assert len(json.dumps(state.to_dict())) < 400


def test_a_listener_who_heard_500_pieces_across_sections_is_stored_in_under_4_kb():
    keys = [content_key(f"campaign-piece-number-{i}") for i in range(500)]
    state = ListenerState(sections={f"section-{n}": SectionProgress(tuple(keys[n::5]), 12) for n in range(5)},
                          visits=4000, visit_days=84, last_visit=date(2027, 1, 1),
                          time_zone="America/Argentina/Buenos_Aires", time_zone_checked=date(2027, 1, 1),
                          unlocked=tuple(keys[:10]), welcome=keys[0])
    stored = json.dumps(state.to_dict())
    assert len(stored.encode()) < 4096
    assert ListenerState.from_dict(json.loads(stored)) == state


def test_two_devices_merge_per_section_and_add_up_their_visits():
    base = ListenerState(sections={"tips": SectionProgress(("aaaaaa",))}, visits=3, visit_days=2, unlocked=("u1u1u1",))
    mine = ListenerState(sections={"tips": SectionProgress(("aaaaaa", "bbbbbb"))}, visits=4, visit_days=3,
                         unlocked=("u1u1u1", "u2u2u2"))
    theirs = ListenerState(sections={"tips": SectionProgress(("aaaaaa", "cccccc")),
                                     "backstage": SectionProgress(("dddddd",))}, visits=4, visit_days=2,
                           unlocked=("u1u1u1",))
    both = merged(base, mine, theirs)
    assert set(both.progress("tips").heard) == {"aaaaaa", "bbbbbb", "cccccc"}
    assert both.progress("backstage").heard == ("dddddd",)
    assert (both.visits, both.visit_days) == (5, 3)
    assert both.unlocked == ("u1u1u1", "u2u2u2")
