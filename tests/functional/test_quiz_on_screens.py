"""The quiz on an Echo Show: the question and its choices on screen, and a touch answering as words would."""

from __future__ import annotations

from datetime import datetime, timezone

from dropday.content import read_manifest
from dropday.localdev.conversation import Conversation
from dropday.localdev.screens import SCREEN_DEVICES
from quiz_support import QUIZ_CAMPAIGN, asked, right_answer
from screens_support import only_render_document

ECHO_SHOW = SCREEN_DEVICES["hub-landscape-medium"]
FEBRUARY = datetime(2027, 2, 1, 12, tzinfo=timezone.utc)


def on_a_screen(make_skill, settings_api, user: str) -> Conversation:
    return Conversation(make_skill(read_manifest(QUIZ_CAMPAIGN), seed=7), user_id=user, now=FEBRUARY,
                        api_endpoint=settings_api.endpoint,
                        supported_interfaces=ECHO_SHOW.supported_interfaces(), viewport=ECHO_SHOW.viewport())


def test_a_quiz_question_is_on_screen_with_its_choices_and_its_place_in_the_round(make_skill, settings_api):
    listener = on_a_screen(make_skill, settings_api, "amzn1.ask.account.SHOW")
    started = listener.ask("QuizIntent")
    document = only_render_document(started)
    screen = document["datasources"]["screen"]
    # THEN the screen is the question's, numbered like the spoken one, with one button per choice
    assert document["token"] == "quiz_question"
    assert screen["secondaryText"] == "Question 1 of 5"
    question = asked(started.speech)
    if question.letter:
        assert [item["value"] for item in screen["items"]] == list(range(1, len(screen["items"]) + 1))
        assert all(item["action"] == "answer" for item in screen["items"])


def test_touching_the_right_choice_answers_as_saying_it_would(make_skill, settings_api):
    # GIVEN two listeners in identical skills, on the same question of the same round
    toucher = on_a_screen(make_skill, settings_api, "amzn1.ask.account.TOUCH")
    speaker = on_a_screen(make_skill, settings_api, "amzn1.ask.account.SPEAK")
    first, same = toucher.ask("QuizIntent"), speaker.ask("QuizIntent")
    assert first.speech == same.speech
    question = asked(first.speech)
    while not question.letter:          # the touch is for questions with choices: skip free answers
        first = toucher.ask("SkipIntent")
        speaker.ask("SkipIntent")
        question = asked(first.speech)
    screen = only_render_document(first)
    # WHEN one touches the right button and the other says its letter
    touched = toucher.touch(screen["token"], ["answer", "ABCD".index(question.letter) + 1])
    spoken = speaker.ask("AnswerIntent", **right_answer(question, "letter"))
    # THEN both hear the same reaction and the next question, and see the same screen
    assert touched.speech == spoken.speech
    assert only_render_document(touched)["datasources"] == only_render_document(spoken)["datasources"]
    assert touched.ends_session is False
