"""The daily question over weeks of simulated time, in the listener's own time zone, through
lambda_handler on moto.

The quiz campaign (tests/fixtures/quiz-campaign.yaml) runs a 14-day calendar challenge from
Monday 1 February 2027: question N is "Daily question N, red or blue?" (red for odd N, blue for
even), the last one recorded; five right answers unlock a badge, finishing unlocks the finale and
the prize-draw invitation.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from dropday.core.campaign import parse_manifest
from dropday.localdev.conversation import Conversation
from quiz_support import AUDIO, QUIZ_CAMPAIGN, answer_slot

FINALE = f'<audio src="{AUDIO}/unlocks/finale.mp3"/>'
COME_BACK = "Come back tomorrow for the next one."


@pytest.fixture(scope="module")
def quiz_campaign():
    from dropday.content import read_manifest
    return read_manifest(QUIZ_CAMPAIGN)


@pytest.fixture
def device_in(make_skill, quiz_campaign, settings_api):
    """A listener whose device is in `zone`, at `hour` local time on local date `day` (1 February 2027 first)."""
    def make(zone, day=1, hour=9, user="amzn1.ask.account.DAILY", device="amzn1.ask.device.DAILY", campaign=None):
        settings_api.zones[device] = zone
        local = datetime.combine(datetime(2027, 2, 1).date() + timedelta(days=day - 1), time(hour), ZoneInfo(zone))
        return Conversation(make_skill(campaign or quiz_campaign), user_id=user, device_id=device,
                            now=local.astimezone(timezone.utc), api_endpoint=settings_api.endpoint)
    return make


def right(number):
    """The right answer to daily question `number`, in words."""
    return answer_slot("red" if number % 2 else "blue", "W.red" if number % 2 else "W.blue")


def wrong(number):
    return answer_slot("blue" if number % 2 else "red")


def test_the_same_utc_moment_is_a_different_days_question_in_auckland_and_los_angeles(device_in, settings_api):
    # GIVEN 11:30 UTC on 1 February 2027: 00:30 on the 2nd in Auckland, 03:30 on the 1st in Los Angeles
    moment = datetime(2027, 2, 1, 11, 30, tzinfo=timezone.utc)
    auckland = device_in("Pacific/Auckland", user="amzn1.ask.account.NZ", device="amzn1.ask.device.NZ")
    los_angeles = device_in("America/Los_Angeles", user="amzn1.ask.account.LA", device="amzn1.ask.device.LA")
    auckland.now = los_angeles.now = moment
    # THEN each hears the question of their own local day
    assert auckland.ask("DailyQuestionIntent").speech.startswith("<speak>Here's question 2 of 14. Daily question 2,")
    assert los_angeles.ask("DailyQuestionIntent").speech.startswith("<speak>Here's question 1 of 14. Daily question 1,")


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles"])
def test_sixteen_days_of_daily_questions_with_a_missed_day_a_wrong_answer_and_the_finale(device_in, stored_item,
                                                                                            zone):
    listener = device_in(zone)
    tally = streak = 0
    for day in range(1, 17):
        if day == 6:                 # a missed day
            listener.wait(days=1)
            streak = 0
            continue
        asked = listener.ask("DailyQuestionIntent")
        if day > 14:
            assert asked.speech.startswith(f"<speak>The daily challenge is over. You got {tally} out of 14 right.")
            listener.wait(days=1)
            continue
        assert asked.speech.startswith(f"<speak>Here's question {day} of 14. ")
        correct = day != 9
        answer = listener.ask("AnswerIntent", **(right(day) if correct else wrong(day)))
        tally, streak = tally + correct, streak + 1
        speech = answer.speech
        if correct:
            assert speech.startswith("<speak>That's right!") or speech.startswith(f'<speak><audio src="{AUDIO}/daily')
        else:
            assert speech.startswith(f"<speak>Not quite. The answer was {'A: red' if day % 2 else 'B: blue'}.")
        assert (f"That's {streak} days in a row!" in speech) == (streak >= 2), (day, speech)
        if day < 14:
            assert f"You've got {tally} right so far. {COME_BACK}" in speech
        else:
            assert f"That was the last question of the challenge! You got {tally} out of 14 right." in speech
            assert "you're invited to the prize draw" in speech
            assert f"You've unlocked the finale! {FINALE}" in speech
        assert ("You've unlocked a five-day badge!" in speech) == (tally == 5 and correct), day
        # asking again the same day says how they did, and come back tomorrow
        again = listener.ask("DailyQuestionIntent").speech
        if day < 14:
            said = "You got today's question right." if correct else "You've had your go at today's question."
            assert again.startswith(f"<speak>{said} {COME_BACK}")
        listener.wait(days=1)
    daily = stored_item("amzn1.ask.account.DAILY")["attributes"]["daily"]
    assert (daily["tally"], daily["answered"], daily["day"]) == (12, 13, 14)


def test_a_listener_who_starts_late_gets_the_calendars_question_of_the_day(device_in):
    listener = device_in("Europe/London", day=5)
    assert listener.ask("DailyQuestionIntent").speech.startswith("<speak>Here's question 5 of 14. ")
    answer = listener.ask("AnswerIntent", **right(5))
    assert "days in a row" not in answer.speech and "You've got 1 right so far." in answer.speech


def test_at_their_own_pace_a_late_starter_begins_with_question_one_and_gets_one_a_day(device_in):
    data = yaml.safe_load(QUIZ_CAMPAIGN.read_text())
    data["daily"].update(pace="own_pace")
    own_pace = parse_manifest(data)
    listener = device_in("Europe/London", day=5, campaign=own_pace)
    assert listener.ask("DailyQuestionIntent").speech.startswith("<speak>Here's question 1 of 14. ")
    listener.ask("AnswerIntent", **right(1))
    listener.wait(days=3)
    assert listener.ask("DailyQuestionIntent").speech.startswith("<speak>Here's question 2 of 14. ")


def test_before_the_challenge_starts_the_listener_hears_when_it_starts(device_in):
    listener = device_in("Europe/London", day=-1)       # Saturday 30 January
    answer = listener.ask("DailyQuestionIntent")
    assert answer.speech.startswith("<speak>The daily question starts on Monday. ")
    assert answer.ends_session is False


def test_the_welcome_says_todays_question_is_waiting_and_offers_it_until_it_is_answered(device_in):
    listener = device_in("Europe/London")
    welcome = listener.launch().speech
    assert "Today's question is waiting for you." in welcome and "today's question" in welcome.split("waiting")[1]
    listener.ask("DailyQuestionIntent")
    answer = listener.ask("AnswerIntent", **right(1))
    assert "today's question" not in answer.speech.split(COME_BACK)[1]
    listener.wait(hours=2)
    assert "waiting" not in listener.launch().speech


def test_help_repeat_and_answers_that_are_no_choice_keep_todays_question_waiting(device_in):
    listener = device_in("Europe/London")
    listener.ask("DailyQuestionIntent")
    helped = listener.ask("AMAZON.HelpIntent")
    assert helped.speech.startswith("<speak>To answer, say the letter") and "Daily question 1, red or blue?" in \
        helped.speech
    assert "Daily question 1," in listener.ask("AMAZON.RepeatIntent").speech
    again = listener.ask("AnswerIntent", **answer_slot("green"))
    assert again.speech == "<speak>That isn't one of the choices. Is it A: red or B: blue?</speak>"
    told = listener.ask("DontKnowIntent")
    assert told.speech.startswith("<speak>No problem. The answer was A: red.")
    assert listener.ask("DailyQuestionIntent").speech.startswith("<speak>You've had your go at today's question.")


def test_stop_while_todays_question_waits_says_goodbye_and_it_still_waits(device_in, dynamodb_calls):
    listener = device_in("Europe/London")
    listener.ask("DailyQuestionIntent")
    dynamodb_calls.clear()
    assert listener.ask("AMAZON.StopIntent").speech == "<speak>Goodbye.</speak>"
    assert dynamodb_calls == []      # the session carries the state
    assert listener.ask("DailyQuestionIntent").speech.startswith("<speak>Here's question 1 of 14.")


def test_an_answer_to_a_question_answered_meanwhile_on_another_device_is_not_counted_again(device_in, stored_item):
    kitchen = device_in("Europe/London", device="amzn1.ask.device.KITCHEN")
    bedroom = device_in("Europe/London", device="amzn1.ask.device.BEDROOM")
    kitchen.ask("DailyQuestionIntent")
    bedroom.ask("DailyQuestionIntent")
    kitchen.ask("AnswerIntent", **right(1))
    late = bedroom.ask("AnswerIntent", **right(1))
    assert late.speech.startswith(f"<speak>You got today's question right. {COME_BACK}")
    assert stored_item("amzn1.ask.account.DAILY")["attributes"]["daily"]["tally"] == 1


def with_optins(**entries):
    data = yaml.safe_load(QUIZ_CAMPAIGN.read_text())
    data.update(entries)
    return parse_manifest(data)


def test_after_a_daily_answer_the_campaigns_daily_reminder_is_offered_until_the_last_question(device_in):
    campaign = with_optins(reminders={"daily": {"time": "19:30", "text": "Your daily question is waiting."}})
    listener = device_in("Europe/London", campaign=campaign)
    listener.ask("DailyQuestionIntent")
    answer = listener.ask("AnswerIntent", **right(1))
    assert f"You've got 1 right so far. {COME_BACK}" in answer.speech
    assert answer.speech.endswith("Would you like a reminder every day at 7:30 PM for the next question, "
                                  "until Sunday 14 February?</speak>")
    # asking again the same day says how they did
    assert listener.ask("DailyQuestionIntent").speech.startswith("<speak>You got today's question right.")


def test_a_campaign_with_a_prize_draw_invites_through_the_draw_instead_of_the_line(device_in):
    campaign = with_optins(draw={"prize": "a signed print", "when": {"daily_finished": True},
                                 "closes": "2027-02-28", "markets": ["en-GB"], "terms": "Terms apply.",
                                 "link": "https://example.com/terms"})
    listener = device_in("Europe/London", day=14, campaign=campaign)
    listener.ask("DailyQuestionIntent")
    finished = listener.ask("AnswerIntent", **right(14))
    assert "That was the last question of the challenge!" in finished.speech
    assert "you're invited to the prize draw" not in finished.speech
    assert "You can now enter our prize draw to win a signed print. It closes on " in finished.speech
