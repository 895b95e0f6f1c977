"""Two devices of one listener answering the same question at the same moment: counted once.

Each device is its own Lambda container (own handler, own DynamoDB client) against one moto server
on loopback; both have asked the question, then answer together behind a barrier. The conditional
write lets one of them win; the other redoes its turn on top of the winner's state and finds the
question answered.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from random import Random

import boto3
import pytest

from dropday.app import create_lambda_handler
from dropday.config import Settings
from dropday.content import read_manifest
from dropday.localdev.conversation import Conversation
from quiz_support import QUIZ_CAMPAIGN, answer_slot, asked, right_answer
from support import free_port
from test_concurrent_devices import PATIENT, stored

USER = "amzn1.ask.account.FAMILY"
#: 10:00 in London on day 3 of the challenge (and in the quiz's February).
MOMENT = datetime(2027, 2, 3, 10, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def quiz_campaign():
    return read_manifest(QUIZ_CAMPAIGN)


def two_devices(moto_server, table, campaign):
    devices = []
    for number in range(2):
        skill = create_lambda_handler(Settings(state_table=table, audio_base_url="https://cdn.test"), campaign,
                                      boto3.client("dynamodb", endpoint_url=moto_server, config=PATIENT),
                                      Random(number))
        devices.append(Conversation(skill, user_id=USER, device_id=f"amzn1.ask.device.{number}", now=MOMENT,
                                    api_endpoint=f"https://127.0.0.1:{free_port()}"))
    return devices


def at_once(devices, ask):
    """Each device runs `ask(device)` at the same moment; their answers."""
    answers: list = [None] * len(devices)
    errors: list[BaseException] = []
    start = threading.Barrier(len(devices))

    def run(number: int) -> None:
        try:
            start.wait()
            answers[number] = ask(devices[number])
        except BaseException as exc:  # surfaced by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return answers


@pytest.mark.parametrize("attempt", range(3))
def test_two_devices_answering_todays_question_at_once_count_it_once(moto_server, state_table, quiz_campaign,
                                                                     attempt):
    # GIVEN both devices have asked today's question (day 3: red is right)
    devices = two_devices(moto_server, state_table, quiz_campaign)
    for device in devices:
        assert device.ask("DailyQuestionIntent").speech.startswith("<speak>Here's question 3 of 14.")
    # WHEN both answer it right at the same moment
    answers = at_once(devices, lambda d: d.ask("AnswerIntent", **answer_slot("red", "W.red")))
    # THEN one hears the reaction, the other that it was answered, and the tally counts it once
    reactions = sorted(a.speech.startswith("<speak>That's right!") for a in answers)
    assert reactions == [False, True], [a.speech for a in answers]
    assert any(a.speech.startswith("<speak>You got today's question right.") for a in answers)
    daily = stored(moto_server, state_table)["attributes"]["daily"]
    assert (daily["tally"], daily["answered"], daily["streak"], daily["day"]) == (1, 1, 1, 3)


def test_two_devices_answering_the_same_quiz_question_at_once_count_it_once(moto_server, state_table, quiz_campaign):
    devices = two_devices(moto_server, state_table, quiz_campaign)
    first = devices[0].ask("QuizIntent")
    assert asked(devices[1].ask("QuizIntent").speech) == asked(first.speech)     # the same stored round
    question = asked(first.speech)
    answers = at_once(devices, lambda d: d.ask("AnswerIntent", **right_answer(question, "letter")))
    assert sum("another device" in a.speech for a in answers) == 1, [a.speech for a in answers]
    quiz = stored(moto_server, state_table)["attributes"]["quiz"]
    assert (quiz["at"], quiz["score"], quiz["asked"]) == (1, 1, 1)
