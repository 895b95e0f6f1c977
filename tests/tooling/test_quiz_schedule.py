"""`dropday schedule`'s quiz and daily-question lines: the questions in force and each day's question."""

from __future__ import annotations

from datetime import date

import yaml

from dropday.core.campaign import parse_manifest
from dropday.tooling.quiz_schedule import lines
from quiz_support import QUIZ_CAMPAIGN


def campaign(**daily):
    data = yaml.safe_load(QUIZ_CAMPAIGN.read_text())
    data["daily"].update(daily)
    return parse_manifest(data)


def test_the_quiz_questions_in_force_are_shown_when_they_change_and_each_day_has_its_daily_question():
    shown = lines(campaign(), date(2027, 2, 13), date(2027, 3, 1))
    assert shown[:2] == ["", "Quiz and daily question:"]
    assert shown[2] == "2027-02-13 Sat quiz: 7 questions: q-rehearsal, q-first-gig, q-drums, q-title, q-dog, q-van, " \
                       "q-boat"
    assert shown[3] == "2027-02-13 Sat daily question 13 of 14 (d-13): Daily question 13, red or blue? answer A: red"
    assert shown[4] == "2027-02-14 Sun daily question 14 of 14 (d-14): The last daily question, red or blue? " \
                       "answer B: blue; finale: daily-finale"
    assert shown[5:] == ["2027-03-01 Mon quiz: 8 questions: q-rehearsal, q-first-gig, q-drums, q-title, q-dog, "
                         "q-van, q-boat, *q-march"]


def test_a_challenge_at_the_listeners_own_pace_is_one_line():
    shown = lines(campaign(pace="own_pace"), date(2027, 2, 1), date(2027, 2, 2))
    assert "daily question at the listener's own pace from 2027-02-01 Mon: 14 questions, one a day, in order" in shown
