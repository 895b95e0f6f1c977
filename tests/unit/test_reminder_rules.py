"""Reminders' rules: when they are offered, what is said, and the reminder Alexa is asked to set."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timezone
from random import Random
from zoneinfo import ZoneInfo

import pytest

from support import FIXTURES

from dropday.core import dialog, reminders
from dropday.core.listener import ListenerState
from dropday.core.listener import merged as merged_state
from dropday.core.optins import ApiResult, AskConsent, ConsentRequest, DailyChoice, OptIns, OptInSession, Outcome
from dropday.core.session import Offer, SessionState
from dropday.core.turns import Turn

RELEASE_OFFER = Offer("release_day_reminder")
DAILY_OFFER = Offer("daily_reminder")


@pytest.fixture(scope="module")
def campaign():
    from dropday.content import read_manifest
    return read_manifest(FIXTURES / "optins-campaign.yaml")


def turn_at(campaign, now: datetime, zone: str = "Europe/London", state: ListenerState | None = None,
            session: SessionState | None = None, locale: str = "en-GB") -> Turn:
    """A turn of the opt-in campaign at `now` for a listener in `zone`."""
    return Turn(campaign, locale, now, ZoneInfo(zone), state or ListenerState(), session or SessionState(),
                new_session=False, audio_base_url="https://cdn.test", rng=Random(1))


JAN_2 = datetime(2027, 1, 2, 10, 0, tzinfo=timezone.utc)   # 13 days before the release on Friday 15 January


# -- the reminder Alexa is asked to set -------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Europe/London", "America/Los_Angeles"])
def test_the_release_day_reminder_is_9_am_on_release_day_on_the_listeners_own_clock(campaign, zone):
    # GIVEN a listener in `zone` who says yes to the release-day reminder
    step = reminders.accept(turn_at(campaign, JAN_2, zone), RELEASE_OFFER)
    # THEN Alexa is asked for 09:00 on 15 January as wall-clock time, with the listener's zone
    assert isinstance(step, reminders.CreateReminder)
    body = step.body
    assert (body.scheduled, body.zone) == (datetime(2027, 1, 15, 9, 0), zone)
    assert body.scheduled.tzinfo is None and body.until is None and body.recurrence_rule is None
    assert body.text == "Yes Means Yes by The Opt-In Owls is out today!" and body.locale == "en-GB"
    assert body.requested == datetime(2027, 1, 2, 10, 0)


def test_so_the_reminder_goes_off_at_a_different_moment_in_each_zone(campaign):
    def goes_off(zone: str) -> datetime:
        body = reminders.accept(turn_at(campaign, JAN_2, zone), RELEASE_OFFER).body
        return body.scheduled.replace(tzinfo=ZoneInfo(body.zone)).astimezone(timezone.utc)

    assert goes_off("Europe/London") == datetime(2027, 1, 15, 9, tzinfo=timezone.utc)
    assert goes_off("America/Los_Angeles") == datetime(2027, 1, 15, 17, tzinfo=timezone.utc)
    assert goes_off("Pacific/Auckland") == datetime(2027, 1, 14, 20, tzinfo=timezone.utc)


def test_the_reminder_text_comes_from_the_manifest_in_the_listeners_locale(campaign):
    step = reminders.accept(turn_at(campaign, JAN_2, "America/New_York", locale="en-US"), RELEASE_OFFER)
    assert step.body.text == "Yes Means Yes by The Opt-In Owls drops today!" and step.body.locale == "en-US"


def test_the_daily_reminder_recurs_every_day_from_tomorrow_and_ends_with_the_challenge(campaign):
    # GIVEN a daily reminder on offer at 19:30 until 10 January
    session = SessionState(optins=OptInSession(daily=DailyChoice(time(19, 30), date(2027, 1, 10))))
    step = reminders.accept(turn_at(campaign, JAN_2, "Pacific/Auckland", session=session), DAILY_OFFER)
    # THEN the reminder starts tomorrow (their local date) at 19:30 and its last one is on the 10th
    body = step.body
    assert body.scheduled == datetime(2027, 1, 3, 19, 30)   # 10:00 UTC on the 2nd is 23:00 on the 2nd in Auckland
    assert body.until == datetime(2027, 1, 10, 19, 30) and body.zone == "Pacific/Auckland"
    assert body.recurrence_rule == "FREQ=DAILY;BYHOUR=19;BYMINUTE=30;BYSECOND=0;INTERVAL=1;"


def test_no_daily_reminder_is_offered_when_the_last_question_is_today(campaign):
    turn = turn_at(campaign, JAN_2)
    reply = dialog.fallback(turn)
    assert reminders.offer_daily(turn, reply, last_day=date(2027, 1, 2)) is reply
    assert reminders.offer_daily(turn, reply, last_day=date(2027, 1, 3)).offer == DAILY_OFFER


# -- what is said ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("at, spoken", [(time(9), "9 AM"), (time(19, 30), "7:30 PM"), (time(12), "noon"),
                                        (time(0), "midnight"), (time(0, 5), "12:05 AM"), (time(12, 45), "12:45 PM")])
def test_times_of_day_are_said_the_way_people_say_them(campaign, at, spoken):
    assert reminders.spoken_time(turn_at(campaign, JAN_2), at) == spoken


def test_the_offer_after_the_countdown_restates_what_and_when_before_asking(campaign):
    # GIVEN a listener in London asking for the countdown 13 days before release
    reply = dialog.countdown(turn_at(campaign, JAN_2))
    # THEN the countdown ends on the release-day reminder, said in full, and "yes" would set it
    assert reply.question.plain == "I can remind you at 9 AM on Friday 15 January, release day. Shall I?"
    assert reply.offer == RELEASE_OFFER and reply.reprompt.plain.endswith("?")
    assert reply.event["reminder"] == {"kind": "release_day", "step": "offered"}
    assert reply.session.optins.offered == {"release_day"}


def test_in_the_last_week_the_day_is_said_as_its_weekday(campaign):
    reply = dialog.countdown(turn_at(campaign, datetime(2027, 1, 12, 10, tzinfo=timezone.utc)))
    assert reply.question.plain == "I can remind you at 9 AM on Friday, release day. Shall I?"


def test_once_set_the_skill_says_so_and_how_to_cancel(campaign):
    step = reminders.accept(turn_at(campaign, JAN_2), RELEASE_OFFER)
    reply = reminders.created(turn_at(campaign, JAN_2), step, ApiResult(Outcome.DONE, "token-1"))
    assert reply.speech.plain == ("Done. I'll remind you at 9 AM on Friday 15 January, release day. "
                                  "To cancel it, just say: cancel my reminder.")
    assert reply.state.optins.token("release_day") == "token-1" and reply.event["reminder"]["step"] == "set"


def test_the_daily_reminder_restates_its_time_and_its_end(campaign):
    turn = turn_at(campaign, JAN_2)
    reply = reminders.offer_daily(turn, dialog.fallback(turn), last_day=date(2027, 1, 31))
    assert reply.question.plain == ("Would you like a reminder every day at 7:30 PM for the next question, "
                                    "until Sunday 31 January?")
    chosen = reminders.choose_daily_time(replace(turn, session=reply.session), time(20))
    assert chosen.question.plain.startswith("Would you like a reminder every day at 8 PM")
    assert chosen.session.optins.daily == DailyChoice(time(20), date(2027, 1, 31))


# -- when it is offered --------------------------------------------------------------------------------


def test_an_unasked_offer_is_made_at_most_once_a_session(campaign):
    first = dialog.countdown(turn_at(campaign, JAN_2))
    again = dialog.countdown(turn_at(campaign, JAN_2, session=first.session))
    assert first.offer == RELEASE_OFFER and again.offer != RELEASE_OFFER and "reminder" not in again.event


def test_a_no_keeps_the_offer_away_for_a_week(campaign):
    # GIVEN a listener who said no on 2 January
    declined = reminders.decline(turn_at(campaign, JAN_2), RELEASE_OFFER)
    assert declined.state.optins.cooling == {"release_day": date(2027, 1, 9)}
    assert declined.event["reminder"]["step"] == "declined" and not declined.ends_session
    # THEN no countdown offers it until the 9th, and the countdown on the 9th does
    for day, offered in ((8, False), (9, True)):
        turn = turn_at(campaign, datetime(2027, 1, day, 10, tzinfo=timezone.utc), state=declined.state)
        assert (dialog.countdown(turn).offer == RELEASE_OFFER) is offered


def test_a_listener_who_asks_is_asked_even_while_a_no_cools_off(campaign):
    state = reminders.decline(turn_at(campaign, JAN_2), RELEASE_OFFER).state
    reply = reminders.remind_me(turn_at(campaign, JAN_2, state=state))
    assert reply.offer == RELEASE_OFFER and reply.question.plain.endswith("Shall I?")


def test_a_set_reminder_is_never_offered_and_asking_again_says_it_is_set(campaign):
    state = ListenerState(optins=OptIns(tokens={"release_day": "token-1"}))
    turn = turn_at(campaign, JAN_2, state=state)
    assert dialog.countdown(turn).offer != RELEASE_OFFER
    reply = reminders.remind_me(turn)
    assert reply.speech.plain == ("You already have a reminder for release day, at 9 AM on Friday 15 January. "
                                  "To cancel it, just say: cancel my reminder.")
    assert reply.event["reminder"]["step"] == "already_set"
    assert reminders.accept(turn, RELEASE_OFFER).event["reminder"]["step"] == "already_set"


def test_after_9_am_on_release_day_there_is_nothing_left_to_remind_of(campaign):
    late = datetime(2027, 1, 15, 9, 1, tzinfo=timezone.utc)
    turn = turn_at(campaign, late)
    assert dialog.countdown(turn).offer != RELEASE_OFFER
    assert reminders.remind_me(turn).speech.plain == "Yes Means Yes is out already, so there's nothing left to remind you of."
    # ... while in Los Angeles it is still 1:01 AM, so the offer stands
    assert dialog.countdown(turn_at(campaign, late, "America/Los_Angeles")).offer == RELEASE_OFFER


def test_a_campaign_without_reminders_never_offers_one(test_campaign):
    turn = Turn(test_campaign, "en-GB", JAN_2, ZoneInfo("Europe/London"), ListenerState(), SessionState(), False,
                "https://cdn.test", Random(1))
    assert "reminder" not in dialog.countdown(turn).event
    assert reminders.remind_me(turn).speech.plain == "There's no reminder to set here."


# -- outcomes ------------------------------------------------------------------------------------------


def test_without_permission_alexa_is_asked_and_the_token_says_what_for(campaign):
    turn = turn_at(campaign, JAN_2)
    step = reminders.accept(turn, RELEASE_OFFER)
    asked = reminders.created(turn, step, ApiResult(Outcome.NO_PERMISSION))
    assert isinstance(asked, AskConsent) and asked.scope == reminders.SCOPE
    assert ConsentRequest.from_token(asked.token) == ConsentRequest("release_day")
    assert asked.reply.event["reminder"]["step"] == "consent_asked" and not asked.reply.speech
    # ... but right after the listener allowed it, a refusal is a failure, never a second question
    again = reminders.created(turn, step, ApiResult(Outcome.NO_PERMISSION), after_consent=True)
    assert again.event["reminder"]["step"] == "failed"


def test_the_listeners_yes_is_recorded_once_whether_alexa_had_to_ask_for_permission_or_not(campaign):
    turn = turn_at(campaign, JAN_2)
    step = reminders.accept(turn, RELEASE_OFFER)
    # With the permission already granted, the yes goes straight to a reminder set
    direct = reminders.created(turn, step, ApiResult(Outcome.DONE, "token-1"))
    assert direct.event["reminder"] == {"kind": "release_day", "step": "set", "consented": True}
    # Without it, the yes is on the turn that asked Alexa, and not again on the one after her answer
    asked = reminders.created(turn, step, ApiResult(Outcome.NO_PERMISSION))
    assert asked.reply.event["reminder"] == {"kind": "release_day", "step": "consent_asked", "consented": True}
    after = reminders.created(turn, step, ApiResult(Outcome.DONE, "token-1"), after_consent=True)
    assert after.event["reminder"] == {"kind": "release_day", "step": "set"}


def test_cancel_with_nothing_set_is_not_counted_as_a_cancellation(campaign):
    reply = reminders.cancel(turn_at(campaign, JAN_2))
    assert reply.speech.plain.startswith("You don't have")
    assert reply.event["reminder"]["step"] == "nothing_to_cancel"


@pytest.mark.parametrize("outcome, sentence, step", [
    (Outcome.FAILED, "Sorry, I couldn't set your reminder this time. Please ask me again later.", "failed"),
    (Outcome.UNSUPPORTED, "Reminders aren't available on this device, so I couldn't set one.", "unsupported"),
])
def test_a_failed_reminder_is_said_plainly_and_nothing_is_stored(campaign, outcome, sentence, step):
    turn = turn_at(campaign, JAN_2)
    reply = reminders.created(turn, reminders.accept(turn, RELEASE_OFFER),
                              ApiResult(outcome, fault="reminders_api_failed" if step == "failed" else None))
    assert reply.speech.plain == sentence and reply.state.optins == OptIns()
    assert reply.event["reminder"]["step"] == step and not reply.ends_session
    assert ("reminders_api_failed" in reply.event.get("faults", ())) is (step == "failed")


def test_a_refused_consent_cools_off_both_reminders(campaign):
    reply = reminders.consent_refused(turn_at(campaign, JAN_2), "release_day", answered=True)
    assert reply.state.optins.cooling == {"release_day": date(2027, 1, 9), "daily": date(2027, 1, 9)}
    assert reply.speech.plain.startswith("Okay, I haven't set a reminder.")
    silent = reminders.consent_refused(turn_at(campaign, JAN_2), None, answered=False)
    assert silent.speech.plain.startswith("I didn't catch an answer")


def test_cancelling_forgets_the_deleted_reminders_and_keeps_the_ones_that_failed(campaign):
    state = ListenerState(optins=OptIns(tokens={"release_day": "t-1", "daily": "t-2"}))
    turn = turn_at(campaign, JAN_2, state=state)
    step = reminders.cancel(turn)
    assert step.tokens == {"release_day": "t-1", "daily": "t-2"}
    both = reminders.cancelled(turn, {"release_day": ApiResult(Outcome.DONE), "daily": ApiResult(Outcome.DONE)})
    assert both.speech.plain == "Okay, I've cancelled your release day reminder and daily reminder."
    assert both.state.optins.tokens == {}
    half = reminders.cancelled(turn, {"release_day": ApiResult(Outcome.DONE), "daily": ApiResult(Outcome.FAILED)})
    assert half.state.optins.tokens == {"daily": "t-2"} and "couldn't cancel" in half.speech.plain
    nothing = reminders.cancel(turn_at(campaign, JAN_2))
    assert nothing.speech.plain == "You don't have a reminder from The Opt-In Owls to cancel."


# -- what is kept ---------------------------------------------------------------------------------------


def test_opt_ins_survive_a_round_trip_through_storage_and_the_session():
    state = ListenerState(visits=1, optins=OptIns(tokens={"release_day": "amzn1.alert.reminder.1"},
                                                  cooling={"daily": date(2027, 1, 9)}, draw_invited=True,
                                                  draw_entered=True))
    stored = json.loads(json.dumps(state.to_dict()))
    assert stored["reminders"] == {"tokens": {"release_day": "amzn1.alert.reminder.1"}, "cooling": {"daily": "2027-01-09"}}
    assert stored["draw"] == {"invited": True, "entered": True}
    assert ListenerState.from_dict(stored) == state
    session = SessionState(optins=OptInSession(frozenset({"release_day"}), DailyChoice(time(19, 30), date(2027, 2, 1))))
    assert SessionState.from_attributes(json.loads(json.dumps(session.to_attributes()))) == session


def test_damaged_opt_ins_read_as_nothing_set():
    state = ListenerState.from_dict({"v": 2, "reminders": {"tokens": {"release_day": "has space", "other": "x",
                                                                      "daily": 5}, "cooling": {"daily": "soon"}},
                                     "draw": {"entered": "yes"}})
    assert state.optins == OptIns()
    session = SessionState.from_attributes({"optins": {"offered": ["release_day", "nonsense", 3],
                                                       "daily": {"at": "25:00", "until": "2027-02-01"}}})
    assert session.optins == OptInSession(frozenset({"release_day"}))


def test_two_devices_keep_each_others_reminders_and_a_cancel_wins():
    base = ListenerState(optins=OptIns(tokens={"release_day": "t-1"}))
    mine = base._replace(optins=base.optins.with_token("release_day", None))           # cancelled here
    theirs = base._replace(optins=base.optins.with_token("daily", "t-2").cooled(("daily",), date(2027, 1, 9)))
    combined = merged_state(base, mine, theirs).optins
    assert combined.tokens == {"daily": "t-2"} and combined.cooling == {"daily": date(2027, 1, 9)}


@pytest.mark.parametrize("token, read", [
    ("dropday.release_day", ConsentRequest("release_day")),
    ("dropday.draw", ConsentRequest("draw")),
    ("dropday.daily.19:30.2027-02-28", ConsentRequest("daily", DailyChoice(time(19, 30), date(2027, 2, 28)))),
    ("string", None), ("dropday.daily", None), ("dropday.daily.25:00.2027-02-28", None), ("dropday.quiz", None),
    (None, None), ("dropday." + "x" * 80, None),
])
def test_consent_tokens_name_what_was_agreed_and_nothing_else_is_read(token, read):
    assert ConsentRequest.from_token(token) == read
    if read is not None:
        assert ConsentRequest.from_token(read.token) == read
