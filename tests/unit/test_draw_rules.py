"""The prize draw's rules: who may enter, the one invitation, entering, and how long entries are kept."""

from __future__ import annotations

from datetime import date, datetime, timezone
from random import Random
from zoneinfo import ZoneInfo

import pytest

from support import FIXTURES

from dropday.core import dialog, draw
from dropday.core.listener import ListenerState
from dropday.core.optins import ApiResult, AskConsent, ConsentRequest, OptIns, Outcome
from dropday.core.session import Offer, SessionState
from dropday.core.turns import Turn

FEB_1 = datetime(2027, 2, 1, 12, 0, tzinfo=timezone.utc)
ELIGIBLE = ListenerState(visits=3, visit_days=2, last_visit=date(2027, 2, 1))   # came back on a second day


@pytest.fixture(scope="module")
def campaign():
    from dropday.content import read_manifest
    return read_manifest(FIXTURES / "optins-campaign.yaml")


def turn_at(campaign, now=FEB_1, state=ELIGIBLE, locale="en-GB", new_session=False) -> Turn:
    return Turn(campaign, locale, now, ZoneInfo("Europe/London"), state, SessionState(), new_session,
                "https://cdn.test", Random(1))


def test_an_eligible_listener_is_invited_once_at_the_end_of_an_ordinary_turn(campaign):
    # GIVEN a listener who came back on a second day asks for a tip
    turn = turn_at(campaign)
    reply = dialog.finish(turn, dialog.tip(turn))
    # THEN after the tip they hear the prize, the closing day and the terms, then the question
    assert reply.speech.plain.endswith("You can now enter our prize draw to win a signed print. It closes on "
                                       "Sunday 28 February. UK residents 18 and over. One entry each. "
                                       "Closes 28 February 2027.")
    assert reply.question.plain == ("To contact you if you win, I'll ask Alexa for your email address. "
                                    "Would you like to enter?")
    assert reply.offer == Offer("draw") and reply.event["draw"] == "invited" and reply.state.optins.draw_invited
    # AND the next turn does not invite them again
    later = turn_at(campaign, state=reply.state)
    assert "draw" not in dialog.finish(later, dialog.tip(later)).event


@pytest.mark.parametrize("why, turn_of", [
    ("not eligible yet", lambda c: turn_at(c, state=ListenerState(visits=1, visit_days=1))),
    ("another market", lambda c: turn_at(c, locale="en-US")),
    ("closed", lambda c: turn_at(c, now=datetime(2027, 3, 1, 12, tzinfo=timezone.utc))),
    ("already entered", lambda c: turn_at(c, state=ELIGIBLE._replace(optins=OptIns(draw_entered=True)))),
])
def test_nobody_is_invited_who_cannot_enter(campaign, why, turn_of):
    turn = turn_of(campaign)
    assert "draw" not in dialog.finish(turn, dialog.tip(turn)).event, why


def test_the_invitation_never_replaces_a_question_another_format_waits_on_nor_a_goodbye(campaign):
    turn = turn_at(campaign, now=datetime(2027, 1, 2, 12, tzinfo=timezone.utc))
    countdown = dialog.countdown(turn)                       # ends on the release-day reminder's offer
    assert dialog.finish(turn, countdown).offer == Offer("release_day_reminder")
    goodbye = dialog.goodbye(turn)
    assert dialog.finish(turn, goodbye) == goodbye


def test_asking_to_enter_too_early_says_how_to_become_eligible(campaign):
    reply = draw.enter_request(turn_at(campaign, state=ListenerState(visits=1, visit_days=1)))
    assert reply.speech.plain == "You can't enter the draw for a signed print just yet. Come back on another day to enter."
    assert reply.event["draw"] == "not_eligible"


@pytest.mark.parametrize("turn_of, said, step", [
    (lambda c: turn_at(c, locale="en-US"), "There's no prize draw running here right now.", "not_running"),
    (lambda c: turn_at(c, now=datetime(2027, 3, 2, tzinfo=timezone.utc)),
     "The draw for a signed print closed on Sunday 28 February.", "closed"),
    (lambda c: turn_at(c, state=ELIGIBLE._replace(optins=OptIns(draw_entered=True))),
     "You're already in the draw for a signed print. Good luck!", "already_entered"),
])
def test_asking_to_enter_when_one_cannot_says_why(campaign, turn_of, said, step):
    reply = draw.enter_request(turn_of(campaign))
    assert reply.speech.plain == said and reply.event["draw"] == step and not reply.ends_session


def test_yes_to_the_invitation_enters_them_and_records_only_that_they_entered(campaign):
    turn = turn_at(campaign)
    assert isinstance(dialog.accept_offer(turn, Offer("draw")), draw.EnterDraw)
    reply = draw.entered(turn, ApiResult(Outcome.DONE))
    assert reply.state.optins == OptIns(draw_invited=True, draw_entered=True)
    assert reply.speech.plain.startswith("You're in the draw for a signed print!") and reply.event["draw"] == "entered"
    assert "@" not in str(reply.state.to_dict())


def test_without_the_email_permission_alexa_asks_for_it(campaign):
    asked = draw.entered(turn_at(campaign), ApiResult(Outcome.NO_PERMISSION))
    assert isinstance(asked, AskConsent) and asked.scope == "alexa::profile:email:read"
    assert ConsentRequest.from_token(asked.token) == ConsentRequest("draw")
    assert draw.entered(turn_at(campaign), ApiResult(Outcome.NO_PERMISSION), after_consent=True).event["draw"] == "failed"


@pytest.mark.parametrize("result, said", [
    (ApiResult(Outcome.NO_CONTACT), "Your Amazon account has no email address I can use, so I couldn't enter you."),
    (ApiResult(Outcome.FAILED, fault="profile_api_failed"),
     "Sorry, I couldn't enter you in the draw just now. Please try again later."),
])
def test_an_entry_that_fails_says_so_and_records_nothing(campaign, result, said):
    reply = draw.entered(turn_at(campaign), result)
    assert reply.speech.plain == said and not reply.state.optins.draw_entered
    assert reply.event.get("faults", []) == ([result.fault] if result.fault else [])


def test_no_to_the_invitation_passes_without_ending_the_session(campaign):
    reply = dialog.decline_offer(turn_at(campaign), Offer("draw"))
    assert reply.speech.plain == "Okay, no problem." and not reply.ends_session and reply.event["draw"] == "declined"


def test_entries_expire_a_grace_period_after_the_draw_closes_everywhere(campaign):
    expires = datetime.fromtimestamp(draw.expires_at(campaign.draw, grace_days=30), timezone.utc)
    # the end of 28 February in the last zone on Earth (UTC-12) is 1 March 12:00 UTC; 30 days on:
    assert expires == datetime(2027, 3, 31, 12, 0, tzinfo=timezone.utc)


def test_the_terms_card_carries_the_terms_line_and_the_link(campaign):
    title, content = draw.terms_card(turn_at(campaign))
    assert title == "Prize draw: a signed print"
    assert content == "UK residents 18 and over. One entry each. Closes 28 February 2027.\nhttps://owls.example/draw-terms"
