"""Reading a stored item: which items are read, which are left alone, which may be replaced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dropday.core.listener import STATE_VERSION, ListenerState, read_stored
from dropday.core.campaign import content_key as tip_key


def test_an_item_of_this_version_is_read_and_may_be_written():
    read = read_stored({"v": Decimal(STATE_VERSION), "visits": Decimal(41)})
    assert read.state.visits == 41
    assert (read.writable, read.reason, read.damaged) == (True, None, False)


def test_nothing_stored_is_a_new_listener_not_a_damaged_one():
    assert read_stored({}) == (ListenerState(), True, None)


@pytest.mark.parametrize("v", [STATE_VERSION + 1, Decimal(STATE_VERSION + 1), "1", Decimal("1.5"), 1.0, True, [1]],
                         ids=["newer", "newer-decimal", "text", "fraction", "float", "bool", "list"])
def test_an_item_of_a_newer_or_mistyped_version_is_served_as_new_and_never_written(v):
    read = read_stored({"v": v, "visits": 41, "sections": {"tips": {"heard": tip_key("a")}}})
    assert read.state == ListenerState()
    assert read.writable is False and read.damaged is False
    assert "`v`" in read.reason


@pytest.mark.parametrize("data", [[1, 2], "text", None, {"not", "a", "map"}, {"visits": 3}, {"v": 0, "visits": 3}],
                         ids=["list", "text", "null", "set", "no-version", "version-0"])
def test_an_unreadable_item_starts_fresh_and_may_be_replaced(data):
    read = read_stored(data)
    assert read.state == ListenerState()
    assert read.damaged and read.writable


def test_keys_heard_twice_are_kept_once_in_the_order_first_heard():
    a, b = tip_key("a"), tip_key("b")
    state = ListenerState.from_dict({"v": 1, "heard": a * 1000 + b + a})
    assert state.legacy_heard == (a, b)
    state = ListenerState.from_dict({"v": 2, "sections": {"tips": {"heard": a * 1000 + b + a}}})
    assert state.progress("tips").heard == (a, b)


def test_the_list_of_tip_ids_stored_before_keys_were_packed_is_still_read(test_campaign):
    # GIVEN an item from before heard tips were packed as 6-character keys (also version 1)
    state = ListenerState.from_dict({"v": 1, "heard": ["ivy-one", "max-one", 5], "visits": 2}).fitted(test_campaign)
    # THEN the tips count as heard, and the next write stores them packed, under their section
    assert state.progress("tips").heard == (tip_key("ivy-one"), tip_key("max-one"))
    assert state.to_dict()["sections"]["tips"]["heard"] == tip_key("ivy-one") + tip_key("max-one")


def test_only_known_pieces_are_kept_each_once(test_campaign):
    from dropday.core.listener import SectionProgress
    a, b = tip_key("ivy-one"), tip_key("ivy-two")
    state = ListenerState(sections={"tips": SectionProgress((a, "zzzzzz", a, b))}).fitted(test_campaign)
    assert state.progress("tips").heard == (a, b)
