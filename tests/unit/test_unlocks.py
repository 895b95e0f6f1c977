"""Unlock conditions: what a listener must have done, and on which day, to unlock an exclusive."""

from datetime import date

from dropday.core.listener import ListenerState, SectionProgress
from dropday.core.unlocks import newly_unlocked


def heard_everything_in(campaign, section_id, day):
    section = campaign.section(section_id)
    return ListenerState(sections={section_id: SectionProgress(tuple(p.key for p in section.available(day)))})


def test_hearing_every_story_unlocks_only_once_the_last_story_has_arrived(test_campaign):
    # GIVEN a listener who heard every story out on 9 February (two of three: the gig story comes on the 11th)
    early = heard_everything_in(test_campaign, "backstage", date(2027, 2, 9))
    assert [u.id for u in newly_unlocked(test_campaign, early, date(2027, 2, 9))] == []
    # WHEN they have heard all three after the last drop
    late = heard_everything_in(test_campaign, "backstage", date(2027, 2, 12))
    assert [u.id for u in newly_unlocked(test_campaign, late, date(2027, 2, 12))] == ["secret-title"]


def test_visit_days_and_dates_unlock_on_the_day_they_are_met(test_campaign):
    assert [u.id for u in newly_unlocked(test_campaign, ListenerState(visit_days=2), date(2027, 2, 1))] == []
    assert [u.id for u in newly_unlocked(test_campaign, ListenerState(visit_days=3), date(2027, 2, 1))] == ["loyal-fan"]
    assert [u.id for u in newly_unlocked(test_campaign, ListenerState(), date(2027, 3, 20))] == ["release-surprise"]


def test_an_unlockable_already_unlocked_is_never_announced_again(test_campaign):
    have = ListenerState(visit_days=5, unlocked=(test_campaign.unlockable("loyal-fan").key,))
    assert newly_unlocked(test_campaign, have, date(2027, 2, 1)) == []
