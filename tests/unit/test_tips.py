"""Tip rotation: no repeats until every tip was heard, a fresh random order per listener."""

from datetime import date
from random import Random

from dropday.core.listener import ListenerState
from dropday.core.manifest import tip_key
from dropday.core.tips import member_with_new_tips, new_tips_since_last_visit, next_tip


def hear_all(tips, state, rng, count):
    heard = []
    for _ in range(count):
        choice = next_tip(tips, state, rng)
        heard.append(choice.tip.id)
        state = choice.state
    return heard, state


def test_every_tip_is_heard_once_before_any_repeats(test_campaign):
    tips = test_campaign.tips_available(date(2027, 3, 5))
    heard, state = hear_all(tips, ListenerState(), Random(1), len(tips))
    assert sorted(heard) == sorted(t.id for t in tips)
    assert state.rotation == 0


def test_the_next_rotation_starts_fresh_without_opening_on_the_last_tip(test_campaign):
    tips = test_campaign.tips_available(date(2027, 3, 5))
    for seed in range(30):
        first, state = hear_all(tips, ListenerState(), Random(seed), len(tips))
        second, state = hear_all(tips, state, Random(seed + 100), len(tips))
        assert sorted(second) == sorted(first)
        assert second[0] != first[-1]
        assert state.rotation == 1
        assert len(state.heard) == len(tips)


def test_listeners_hear_tips_in_different_orders(test_campaign):
    tips = test_campaign.tips_available(date(2027, 3, 5))
    orders = {tuple(hear_all(tips, ListenerState(), Random(seed), len(tips))[0]) for seed in range(10)}
    assert len(orders) > 5


def test_tips_outside_their_window_are_never_served(test_campaign):
    # GIVEN February 2027: ivy-march is not out yet and max-expired ended in January 2026
    tips = test_campaign.tips_available(date(2027, 2, 1))
    heard, _ = hear_all(tips, ListenerState(), Random(3), 3 * len(tips))
    assert "ivy-march" not in heard and "max-expired" not in heard
    assert set(heard) == {"ivy-one", "ivy-two", "max-one", "max-text-only", "max-gb-clip"}


def test_a_member_request_draws_only_from_that_member(test_campaign):
    tips = test_campaign.tips_available(date(2027, 2, 1))
    state, heard = ListenerState(), []
    for _ in range(2):
        choice = next_tip(tips, state, Random(5), member="ivy")
        heard.append(choice.tip.id)
        state = choice.state
    assert sorted(heard) == ["ivy-one", "ivy-two"]
    # WHEN Ivy has nothing new but Max has
    choice = next_tip(tips, state, Random(5), member="ivy")
    # THEN nothing is played, the state is unchanged, and Max is the member to offer
    assert choice.tip is None and choice.member_exhausted and choice.state == state
    assert member_with_new_tips(tips, state, Random(5), exclude="ivy") == "max"


def test_a_member_request_after_every_tip_was_heard_starts_a_new_rotation(test_campaign):
    tips = test_campaign.tips_available(date(2027, 2, 1))
    _, state = hear_all(tips, ListenerState(), Random(2), len(tips))
    choice = next_tip(tips, state, Random(2), member="max")
    assert choice.tip.member == "max"
    assert choice.state.rotation == 1 and choice.state.heard == (choice.tip.key,)


def test_no_tip_when_none_is_available(test_campaign):
    choice = next_tip((), ListenerState(), Random(0))
    assert choice.tip is None and not choice.member_exhausted


def test_new_tips_count_those_released_since_the_last_visit_and_not_yet_heard(test_campaign):
    tips = test_campaign.tips_available(date(2027, 3, 5))
    assert new_tips_since_last_visit(tips, ListenerState(last_visit=date(2027, 2, 20))) == 1
    assert new_tips_since_last_visit(tips, ListenerState(last_visit=date(2027, 3, 1))) == 0
    assert new_tips_since_last_visit(tips, ListenerState(last_visit=date(2027, 2, 20), heard=(tip_key("ivy-march"),))) == 0
    assert new_tips_since_last_visit(tips, ListenerState()) == 0
