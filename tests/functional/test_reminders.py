"""Reminders by voice, through the Lambda handler: the offer, Alexa's consent question, the reminder
set in the listener's own zone, "already set", cancelling, and an API that fails."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from dropday.localdev import envelopes
from optins_support import *  # noqa: F403 (the opt-in fixtures and helpers)
from optins_support import REMINDERS_SCOPE, USER, answer_consent, ask_for_directive, card, listener_at, spoken

JAN_2 = datetime(2027, 1, 2, 10, 0, tzinfo=timezone.utc)   # 13 days before release on Friday 15 January
OFFER = "I can remind you at 9 AM on Friday 15 January, release day. Shall I?"
SET = ("Done. I'll remind you at 9 AM on Friday 15 January, release day. To cancel it, just say: cancel my "
       "reminder.")


@pytest.fixture
def listener(optin_skill, alexa_api):
    """A listener in London on 2 January who has not allowed reminders yet."""
    return listener_at(optin_skill, alexa_api, JAN_2)


def stored(stored_item) -> dict:
    return (stored_item(USER) or {}).get("attributes", {})


# -- the whole consent flow -------------------------------------------------------------------------------


def test_yes_to_the_offer_then_allowing_reminders_by_voice_sets_the_reminder(listener, alexa_api, stored_item):
    conversation, account = listener
    # GIVEN a listener asks for the countdown
    countdown = conversation.ask("CountdownIntent")
    # THEN the countdown ends on the reminder, said in full before asking
    assert spoken(countdown) == f"There are 13 days to go until Yes Means Yes comes out. {OFFER}"
    assert countdown.ends_session is False
    # WHEN they say yes, without having allowed reminders
    asked = conversation.ask("AMAZON.YesIntent")
    # THEN Alexa is asked to ask them (AskFor), and the skill says nothing itself and leaves the session to Alexa
    directive = ask_for_directive(asked)
    assert directive["payload"] == {"@type": "AskForPermissionsConsentRequest", "@version": "1",
                                    "permissionScope": REMINDERS_SCOPE}
    assert "outputSpeech" not in asked.response["response"] and "shouldEndSession" not in asked.response["response"]
    assert alexa_api.reminders.reminders == {}
    # WHEN they allow it
    done = answer_consent(conversation, asked, "ACCEPTED", account)
    # THEN the reminder is set, restated, with how to cancel it, and the session goes on
    assert spoken(done).startswith(SET) and done.ends_session is False
    [(token, reminder)] = alexa_api.reminders.reminders.items()
    assert reminder["trigger"] == {"type": "SCHEDULED_ABSOLUTE", "scheduledTime": "2027-01-15T09:00:00",
                                   "timeZoneId": "Europe/London"}
    assert reminder["alertInfo"]["spokenInfo"]["content"] == [
        {"locale": "en-GB", "text": "Yes Means Yes by The Opt-In Owls is out today!",
         "ssml": "<speak>Yes Means Yes by The Opt-In Owls is out today!</speak>"}]
    assert reminder["pushNotification"] == {"status": "ENABLED"}
    # AND the alert token is all the listener's item keeps of it
    assert stored(stored_item)["reminders"] == {"tokens": {"release_day": token}}


@pytest.mark.parametrize("answer, sentence", [
    ("DENIED", "Okay, I haven't set a reminder. If you change your mind, you can allow reminders for The Opt-In "
               "Owls in the Alexa app. I've put a card there."),
    ("NOT_ANSWERED", "I didn't catch an answer, so I haven't set a reminder. You can allow reminders for The Opt-In "
                     "Owls in the Alexa app. I've put a card there."),
])
def test_a_listener_who_does_not_allow_reminders_hears_so_kindly_gets_the_card_and_no_offer_for_a_week(
        listener, alexa_api, stored_item, answer, sentence):
    conversation, account = listener
    conversation.ask("CountdownIntent")
    asked = conversation.ask("AMAZON.YesIntent")
    # WHEN they say no to Alexa's question (or nothing)
    refused = answer_consent(conversation, asked, answer, account)
    # THEN the skill says so, sends the consent card, sets nothing, and the session goes on
    assert spoken(refused).startswith(sentence) and refused.ends_session is False
    assert card(refused) == {"type": "AskForPermissionsConsent", "permissions": [REMINDERS_SCOPE]}
    assert alexa_api.reminders.calls == []
    assert stored(stored_item)["reminders"] == {"cooling": {"release_day": "2027-01-09", "daily": "2027-01-09"}}
    # AND the countdown does not offer it again within the week, but does after it
    conversation.wait(days=6)
    assert "remind" not in spoken(conversation.ask("CountdownIntent"))
    conversation.wait(days=1)
    assert OFFER.replace("Friday 15 January", "Friday") in spoken(conversation.ask("CountdownIntent"))


@pytest.mark.parametrize("scopes_in_requests", [True, False], ids=["scope granted in the request", "consent token only"])
def test_a_listener_who_allowed_reminders_before_gets_it_set_on_their_yes(optin_skill, alexa_api, stored_item,
                                                                           scopes_in_requests):
    conversation, account = listener_at(optin_skill, alexa_api, JAN_2, scopes_in_requests=scopes_in_requests)
    account.allow(REMINDERS_SCOPE)
    conversation.ask("RemindMeIntent")
    done = conversation.ask("AMAZON.YesIntent")
    assert ask_for_directive(done) is None and spoken(done).startswith(SET)
    assert len(alexa_api.reminders.reminders) == 1


def test_a_consent_token_for_another_permission_lets_the_api_say_reminders_are_not_allowed(optin_skill, alexa_api):
    # GIVEN a listener who allowed their email address, but not reminders
    conversation, account = listener_at(optin_skill, alexa_api, JAN_2)
    account.allow("alexa::profile:email:read")
    conversation.ask("RemindMeIntent")
    asked = conversation.ask("AMAZON.YesIntent")
    # THEN the API's 401 makes Alexa ask for reminders
    assert ask_for_directive(asked)["payload"]["permissionScope"] == REMINDERS_SCOPE
    assert alexa_api.reminders.calls == [("POST", "/v1/alerts/reminders")]


# -- the reminder in the listener's zone ----------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Europe/London", "America/Los_Angeles"])
def test_the_reminder_is_9_am_on_release_day_on_the_listeners_clock_with_their_zone(optin_skill, alexa_api, zone):
    conversation, account = listener_at(optin_skill, alexa_api, JAN_2, zone=zone)
    account.allow(REMINDERS_SCOPE)
    conversation.ask("RemindMeIntent")
    conversation.ask("AMAZON.YesIntent")
    [reminder] = alexa_api.reminders.reminders.values()
    assert reminder["trigger"]["scheduledTime"] == "2027-01-15T09:00:00"
    assert reminder["trigger"]["timeZoneId"] == zone
    assert reminder["requestTime"] == "2027-01-02T10:00:00"


def test_the_daily_reminder_recurs_at_the_time_the_listener_names_and_ends_with_the_challenge(optin_skill, alexa_api):
    conversation, account = listener_at(optin_skill, alexa_api, JAN_2, zone="America/Los_Angeles")
    account.allow(REMINDERS_SCOPE)
    # GIVEN the daily question has just offered its reminder (the session it leaves, until 31 January)
    conversation.launch()
    conversation.attributes = {"offer": {"kind": "daily_reminder"},
                               "optins": {"offered": ["daily"], "daily": {"at": "19:30", "until": "2027-01-31"}}}
    # WHEN the listener names another time, then says yes
    again = conversation.ask("ReminderTimeIntent", time={"name": "time", "value": "20:00"})
    assert spoken(again) == "Would you like a reminder every day at 8 PM for the next question, until Sunday 31 January?"
    done = conversation.ask("AMAZON.YesIntent")
    # THEN a daily reminder is set from tomorrow at 8 PM, its recurrence ending on the 31st
    assert spoken(done).startswith("Okay, I'll remind you every day at 8 PM until Sunday 31 January.")
    [reminder] = alexa_api.reminders.reminders.values()
    assert reminder["trigger"]["scheduledTime"] == "2027-01-03T20:00:00"
    assert reminder["trigger"]["timeZoneId"] == "America/Los_Angeles"
    assert reminder["trigger"]["recurrence"] == {
        "startDateTime": "2027-01-03T20:00:00", "endDateTime": "2027-01-31T20:00:00",
        "recurrenceRules": ["FREQ=DAILY;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"]}
    assert alexa_api.reminders.rejected == []


def test_the_daily_reminders_consent_answer_carries_its_time_and_end_even_without_the_session(optin_skill, alexa_api):
    conversation, account = listener_at(optin_skill, alexa_api, JAN_2)
    conversation.launch()
    conversation.attributes = {"offer": {"kind": "daily_reminder"},
                               "optins": {"offered": ["daily"], "daily": {"at": "19:30", "until": "2027-01-20"}}}
    asked = conversation.ask("AMAZON.YesIntent")
    asked.response["sessionAttributes"] = {}          # Alexa may come back without them
    done = answer_consent(conversation, asked, "ACCEPTED", account)
    assert spoken(done).startswith("Okay, I'll remind you every day at 7:30 PM until Wednesday 20 January.")
    [reminder] = alexa_api.reminders.reminders.values()
    assert reminder["trigger"]["recurrence"]["endDateTime"] == "2027-01-20T19:30:00"


# -- already set, declined, cancelled ---------------------------------------------------------------------


def test_asking_again_says_it_is_already_set_and_sets_no_second_one(listener, alexa_api):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    conversation.ask("RemindMeIntent")
    conversation.ask("AMAZON.YesIntent")
    conversation.wait(days=1)
    again = conversation.ask("RemindMeIntent")
    assert spoken(again).startswith("You already have a reminder for release day, at 9 AM on Friday 15 January. "
                                    "To cancel it, just say: cancel my reminder.")
    assert "remind" not in spoken(conversation.ask("CountdownIntent"))
    assert len(alexa_api.reminders.calls) == 1


def test_no_to_the_offer_keeps_the_session_and_starts_the_cooling_off(listener, stored_item):
    conversation, _ = listener
    conversation.ask("CountdownIntent")
    declined = conversation.ask("AMAZON.NoIntent")
    assert spoken(declined).startswith("Okay, no reminder. Would you like") and declined.ends_session is False
    assert stored(stored_item)["reminders"] == {"cooling": {"release_day": "2027-01-09"}}


def test_next_is_no_consent_it_skips_the_offer(listener, alexa_api, stored_item):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    conversation.ask("CountdownIntent")
    skipped = conversation.ask("AMAZON.NextIntent")
    assert spoken(skipped).startswith("Okay, no reminder.") and alexa_api.reminders.calls == []
    assert stored(stored_item)["reminders"] == {"cooling": {"release_day": "2027-01-09"}}


def test_the_offer_is_made_once_a_session(listener):
    conversation, _ = listener
    assert OFFER in spoken(conversation.ask("CountdownIntent"))
    conversation.ask("TipIntent")
    assert "remind" not in spoken(conversation.ask("CountdownIntent"))


def test_cancel_my_reminder_deletes_it_and_forgets_its_token(listener, alexa_api, stored_item):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    conversation.ask("RemindMeIntent")
    conversation.ask("AMAZON.YesIntent")
    cancelled = conversation.ask("CancelReminderIntent")
    assert spoken(cancelled).startswith("Okay, I've cancelled your release day reminder.")
    assert alexa_api.reminders.reminders == {} and "reminders" not in stored(stored_item)
    nothing = conversation.ask("CancelReminderIntent")
    assert spoken(nothing).startswith("You don't have a reminder from The Opt-In Owls to cancel.")


def test_a_reminder_the_listener_deleted_in_the_app_is_forgotten_when_they_cancel(listener, alexa_api, stored_item):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    conversation.ask("RemindMeIntent")
    conversation.ask("AMAZON.YesIntent")
    alexa_api.reminders.reminders.clear()            # deleted in the Alexa app: the API answers 404
    assert spoken(conversation.ask("CancelReminderIntent")).startswith("Okay, I've cancelled")
    assert "reminders" not in stored(stored_item)


# -- an API that fails ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_failing_reminders_api_gets_a_kind_sentence_one_log_line_and_no_false_state(listener, alexa_api,
                                                                                      stored_item, caplog, status):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    alexa_api.reminders.status = status
    conversation.ask("RemindMeIntent")
    with caplog.at_level(logging.INFO, logger="dropday"):
        failed = conversation.ask("AMAZON.YesIntent")
    assert spoken(failed).startswith("Sorry, I couldn't set your reminder this time. Please ask me again later.")
    assert failed.ends_session is False
    assert "reminders" not in stored(stored_item)
    lines = [r for r in caplog.records if r.name == "dropday.skill.reminders_api"]
    assert len(lines) == 1 and f"HTTP {status}" in lines[0].getMessage() and USER not in lines[0].getMessage()
    # AND the listener can ask again later, and it works
    alexa_api.reminders.status = None
    conversation.ask("RemindMeIntent")
    assert spoken(conversation.ask("AMAZON.YesIntent")).startswith(SET)


def test_a_slow_reminders_api_is_given_up_on_and_said_so(listener, alexa_api, stored_item):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    conversation.ask("RemindMeIntent")
    alexa_api.reminders.delay = 3.0                    # beyond the 0.8 s the skill waits for an Alexa API
    failed = conversation.ask("AMAZON.YesIntent")
    assert spoken(failed).startswith("Sorry, I couldn't set your reminder this time.")
    assert "reminders" not in stored(stored_item)


def test_a_device_without_reminders_gets_a_plain_sentence(listener, alexa_api):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    alexa_api.reminders.supported = False              # the API answers 403
    conversation.ask("RemindMeIntent")
    answer = conversation.ask("AMAZON.YesIntent")
    assert spoken(answer).startswith("Reminders aren't available on this device, so I couldn't set one.")
    assert answer.ends_session is False


def test_a_failed_cancel_keeps_the_token_and_says_where_else_to_delete_it(listener, alexa_api, stored_item):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    conversation.ask("RemindMeIntent")
    conversation.ask("AMAZON.YesIntent")
    alexa_api.reminders.status = 500
    answer = conversation.ask("CancelReminderIntent")
    assert spoken(answer).startswith("Sorry, I couldn't cancel your reminder just now. You can also delete it in the "
                                     "Alexa app.")
    assert "release_day" in stored(stored_item)["reminders"]["tokens"]


def test_a_reminder_is_created_only_inside_a_session(optin_skill, alexa_api):
    # GIVEN a consent answer that arrives without a session
    event = envelopes.envelope({"type": "Connections.Response", "name": "AskFor", "token": "dropday.release_day",
                                "status": {"code": "200", "message": "OK"},
                                "payload": {"permissionScope": REMINDERS_SCOPE, "status": "ACCEPTED"}},
                               user_id=USER, device_id="amzn1.ask.device.DEVICE", locale="en-GB", now=JAN_2,
                               session_id="unused", new_session=True, attributes={}, api_endpoint=alexa_api.endpoint)
    del event["session"]
    alexa_api.reminders.granted = True
    response = optin_skill(event, None)
    # THEN nothing is created, and the listener hears that it could not be set
    assert alexa_api.reminders.calls == []
    assert "couldn't set your reminder" in response["response"]["outputSpeech"]["ssml"]


# -- privacy --------------------------------------------------------------------------------------------


def test_disabling_the_skill_deletes_the_alert_tokens_with_the_listeners_item(listener, optin_skill, stored_item):
    conversation, account = listener
    account.allow(REMINDERS_SCOPE)
    conversation.ask("RemindMeIntent")
    conversation.ask("AMAZON.YesIntent")
    assert stored(stored_item)["reminders"]["tokens"]
    conversation.send({"type": "AlexaSkillEvent.SkillDisabled", "eventCreationTime": "2027-01-03T10:00:00Z",
                       "eventPublishingTime": "2027-01-03T10:00:00Z"})
    assert stored_item(USER) is None


# -- help -------------------------------------------------------------------------------------------------


def test_help_names_the_reminder_only_in_a_campaign_that_has_one(listener, skill, settings_api):
    conversation, _ = listener
    assert "remind me when the album comes out" in spoken(conversation.ask("AMAZON.HelpIntent"))
    from dropday.localdev.conversation import Conversation
    other = Conversation(skill, now=JAN_2, api_endpoint=settings_api.endpoint)
    assert "remind" not in spoken(other.ask("AMAZON.HelpIntent"))


def test_the_session_ends_or_asks_in_every_opt_in_answer(listener):
    conversation, account = listener
    for intent in ("CountdownIntent", "AMAZON.NoIntent", "RemindMeIntent", "AMAZON.YesIntent"):
        answer = conversation.ask(intent)
        assert answer.ends_session is False or ask_for_directive(answer), intent
        assert answer.reprompt or ask_for_directive(answer), intent
