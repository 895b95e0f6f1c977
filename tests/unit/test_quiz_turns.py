"""The quiz's and the daily question's turns as plain data: the question, its choices and the score
on `Reply.screen`, and what happened on `Reply.event` (the turn event of docs/architecture.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from random import Random
from zoneinfo import ZoneInfo

import pytest

from dropday.content import read_manifest
from dropday.core import daily, quiz
from dropday.core.daily_progress import DailyProgress, Status, answer, current_streak, day_number, status
from dropday.core.listener import ListenerState, merged
from dropday.core.session import SessionState
from dropday.core.turns import Turn
from quiz_support import QUIZ_CAMPAIGN

NOW = datetime(2027, 2, 3, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def campaign():
    return read_manifest(QUIZ_CAMPAIGN)


def turn_for(campaign, state=ListenerState(), reply=None, now=NOW):
    """The next turn of the session `reply` left (or a new session)."""
    session = SessionState(offer=reply.offer, asking=reply.asking) if reply else SessionState()
    return Turn(campaign, "en-GB", now, ZoneInfo("Europe/London"), reply.state if reply else state, session,
                reply is None, "https://cdn.test", Random(4))


def test_a_quiz_question_is_on_the_screen_with_its_choices_position_and_round(campaign):
    reply = quiz.start(turn_for(campaign))
    question = campaign.quiz.question(reply.state.quiz.current)
    assert reply.screen == {"view": "quiz_question", "question": question.recording.transcript.default,
                            "choices": [{"letter": c.letter, "words": c.words} for c in question.choices],
                            "position": 1, "count": 5, "round": 1, "score": 0}
    assert reply.event == {"kind": "quiz_start", "quiz": {"question": question.id, "position": 1, "round": 1,
                                                          "score": 0, "finished": False}}
    assert reply.asking.mode == "quiz" and reply.asking.key == question.key


def test_an_answer_event_says_which_question_whether_it_was_right_and_the_score(campaign):
    reply = quiz.start(turn_for(campaign))
    question = campaign.quiz.question(reply.state.quiz.current)
    right = quiz.answer(turn_for(campaign, reply=reply), [question.answer.letter or question.answer.words])
    assert right.event == {"kind": "quiz_answer", "quiz": {"question": question.id, "position": 1, "round": 1,
                                                           "score": 1, "finished": False, "correct": True}}
    assert right.screen["position"] == 2 and right.screen["score"] == 1


def test_the_last_answer_of_a_round_puts_the_score_on_the_screen(campaign):
    reply = quiz.start(turn_for(campaign))
    for _ in range(5):
        question = campaign.quiz.question(reply.state.quiz.current)
        reply = quiz.dont_know(turn_for(campaign, reply=reply))
    assert reply.screen == {"view": "quiz_result", "score": 0, "count": 5, "best": 0, "round": 1}
    assert reply.event["kind"] == "quiz_answer" and reply.event["quiz"]["finished"] is True
    assert reply.event["quiz"]["question"] == question.id and reply.offer.kind == "quiz"


def test_skip_repeat_and_stop_events_have_their_own_kinds(campaign):
    reply = quiz.start(turn_for(campaign))
    assert quiz.skip(turn_for(campaign, reply=reply)).event["kind"] == "quiz_skip"
    assert quiz.repeat(turn_for(campaign, reply=reply)).event["kind"] == "quiz_repeat"
    stopped = quiz.stop(turn_for(campaign, reply=reply))
    assert stopped.event["kind"] == "quiz_stop" and stopped.ends_session
    assert stopped.state == reply.state                       # nothing to write: the round is stored as it was


def test_the_daily_question_and_its_answer_as_data(campaign):
    asked = daily.ask(turn_for(campaign))
    assert asked.screen["view"] == "daily_question" and asked.screen["day"] == 3 and asked.screen["days"] == 14
    assert asked.event == {"kind": "daily_question", "daily": {"question": "d-03", "day": 3, "streak": 0, "tally": 0}}
    answered = daily.answer(turn_for(campaign, reply=asked), ["A"])
    assert answered.event == {"kind": "daily_answer", "daily": {"question": "d-03", "day": 3, "streak": 1,
                                                                "tally": 1, "correct": True}}
    assert answered.screen == {"view": "daily_result", "correct": True, "day": 3, "days": 14, "tally": 1,
                               "streak": 1}


# -- the daily challenge's rules ----------------------------------------------------------------------------


def test_a_streak_grows_day_by_day_and_a_missed_day_starts_it_again_keeping_the_tally(campaign):
    challenge, progress = campaign.daily, DailyProgress()
    for day in (1, 2, 3, 5):
        progress = answer(challenge, progress, date(2027, 2, day), right=True)
    assert (progress.streak, progress.tally, progress.day) == (1, 4, 5)
    assert current_streak(progress, date(2027, 2, 6)) == 1 and current_streak(progress, date(2027, 2, 7)) == 0


def test_a_question_is_answered_once_a_day(campaign):
    once = answer(campaign.daily, DailyProgress(), date(2027, 2, 2), right=False)
    assert answer(campaign.daily, once, date(2027, 2, 2), right=True) == once
    assert status(campaign.daily, once, date(2027, 2, 2)) is Status.ANSWERED
    assert status(campaign.daily, once, date(2027, 2, 3)) is Status.WAITING


def test_the_calendar_decides_the_day_and_ends_after_the_last_one(campaign):
    challenge = campaign.daily
    assert status(challenge, DailyProgress(), date(2027, 1, 31)) is Status.NOT_STARTED
    assert day_number(challenge, DailyProgress(), date(2027, 2, 9)) == 9
    assert status(challenge, DailyProgress(), challenge.start + timedelta(days=14)) is Status.OVER


def test_two_devices_answering_the_same_day_merge_to_one_answer(campaign):
    base = DailyProgress(tally=2, answered=2, streak=2, last=date(2027, 2, 2), day=2)
    mine = answer(campaign.daily, base, date(2027, 2, 3), right=True)
    theirs = answer(campaign.daily, base, date(2027, 2, 3), right=True)
    together = merged(ListenerState(daily=base), ListenerState(daily=mine), ListenerState(daily=theirs)).daily
    assert (together.tally, together.answered, together.streak) == (3, 3, 3)


def test_daily_progress_survives_storage_and_damage_reads_as_not_played():
    progress = DailyProgress(tally=4, answered=5, streak=3, last=date(2027, 2, 5), day=5, right=True)
    assert DailyProgress.from_dict(progress.to_dict()) == progress
    assert DailyProgress.from_dict({"tally": "many", "last": "soon", "right": "yes"}) == DailyProgress()
    assert DailyProgress().to_dict() == {}
