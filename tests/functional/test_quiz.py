"""The fan quiz as a listener plays it, through lambda_handler on moto.

The quiz campaign (tests/fixtures/quiz-campaign.yaml) has seven questions available in February
2027 (an eighth from March) in rounds of five, a tips section, and a prize for a perfect round.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from dropday.core.campaign import content_key
from dropday.localdev.conversation import Conversation
from dropday.localdev.envelopes import slot
from quiz_support import AUDIO, QUESTIONS, QUIZ_CAMPAIGN, ROUND_OVER, answer_slot, asked, right_answer

FEBRUARY = datetime(2027, 2, 1, 12, tzinfo=timezone.utc)
PERFECT_PRIZE = f'<audio src="{AUDIO}/unlocks/perfect.mp3"/>'
TIP = re.compile(r"tips/tip-(one|two)\.mp3|Tip three\.")


@pytest.fixture(scope="module")
def quiz_campaign():
    from dropday.content import read_manifest
    return read_manifest(QUIZ_CAMPAIGN)


@pytest.fixture
def player(make_skill, quiz_campaign, settings_api):
    """A listener of the quiz campaign in London on 1 February 2027."""
    def at(now=FEBRUARY, user="amzn1.ask.account.PLAYER", seed=7):
        return Conversation(make_skill(quiz_campaign, seed=seed), user_id=user, now=now,
                            api_endpoint=settings_api.endpoint)
    return at


def play_round(listener, how, first):
    """Answer every question of the round `first` opened, right, the way `how` says; the answers."""
    answers, answer = [], first
    for _ in range(5):
        question = asked(answer.speech)
        answers.append((question.id, answer))
        answer = listener.ask("AnswerIntent", **right_answer(question, how))
    return answers, answer


def test_a_round_starts_with_five_questions_and_asks_the_first_with_its_choices(player):
    listener = player()
    listener.launch()
    answer = listener.ask("QuizIntent")
    assert answer.speech.startswith("<speak>Here's the quiz: 5 questions. ")
    assert "Question 1 of 5." in answer.speech
    question = asked(answer.speech)
    if question.letter:
        assert re.search(r"Is it A: .+\?</speak>$", answer.speech)
        assert answer.reprompt.startswith("<speak>Which is it: A: ")
    else:
        assert answer.speech.endswith("What's your answer?</speak>")
    assert answer.ends_session is False


@pytest.mark.parametrize("how", ["letter", "position", "words", "spoken"])
def test_a_whole_round_answered_right_scores_five_out_of_five_however_the_answers_are_said(player, how):
    # GIVEN a listener who starts the quiz
    listener = player()
    first = listener.ask("QuizIntent")
    # WHEN they answer each question right, by letter, by position, by its words, or unresolved words
    answers, last = play_round(listener, how, first)
    # THEN the round has five different questions, each answer moved on, and the score is perfect
    assert len({question for question, _ in answers}) == 5
    for number, (_, answer) in enumerate(answers, start=1):
        assert f"Question {number} of 5." in answer.speech
    assert "You got 5 out of 5. A perfect round!" in last.speech
    assert last.speech.endswith("Would you like another round?</speak>")
    assert last.reprompt == "<speak>Shall we play another round of the quiz?</speak>"


def test_a_perfect_round_unlocks_the_prize_before_the_offer_of_another_round(player, stored_item):
    listener = player()
    _, last = play_round(listener, "letter", listener.ask("QuizIntent"))
    assert "A perfect round! You've unlocked a perfect-round prize! " + PERFECT_PRIZE + \
        " Would you like another round?</speak>" in last.speech
    attributes = stored_item("amzn1.ask.account.PLAYER")["attributes"]
    assert content_key("unlock:perfect-round") in attributes["unlocked"]
    assert attributes["quiz"]["best"] == 5 and attributes["quiz"]["perfect"] == 1
    assert "round" not in attributes["quiz"]            # no round in progress


def test_right_and_wrong_answers_get_their_reactions_the_answer_and_the_fact(player):
    listener = player(seed=1)
    answer = listener.ask("QuizIntent")
    while asked(answer.speech).id != "q-rehearsal":      # the question with recorded reactions and a fact
        answer = listener.ask("AnswerIntent", **right_answer(asked(answer.speech), "letter"))
        if ROUND_OVER.search(answer.speech):
            answer = listener.ask("AMAZON.YesIntent")
    wrong = listener.ask("AnswerIntent", **answer_slot("monday", "W.monday"))
    assert wrong.speech.startswith(f'<speak><audio src="{AUDIO}/quiz/wrong-max.mp3"/> The answer was B: Tuesday. '
                                   f'<audio src="{AUDIO}/quiz/fact-barn.mp3"/> ')


def test_a_wrong_round_says_the_score_and_keeps_the_best(player, stored_item):
    listener = player()
    answer = listener.ask("QuizIntent")
    for number in range(5):
        question = asked(answer.speech)
        said = right_answer(question, "letter") if number < 3 else answer_slot(question.wrong)
        answer = listener.ask("AnswerIntent", **said)
    assert "You got 3 out of 5." in answer.speech and "perfect" not in answer.speech
    assert stored_item("amzn1.ask.account.PLAYER")["attributes"]["quiz"]["best"] == 3


def test_another_round_never_repeats_a_question_inside_it_and_brings_back_the_one_answered_wrong(player):
    listener = player()
    answer = listener.ask("QuizIntent")
    first_round = []
    for number in range(5):
        question = asked(answer.speech)
        first_round.append(question.id)
        answer = listener.ask("AnswerIntent", **(answer_slot(question.wrong) if number == 0
                                                 else right_answer(question, "letter")))
    answer = listener.ask("AMAZON.YesIntent")       # another round
    second_round = []
    for _ in range(5):
        question = asked(answer.speech)
        second_round.append(question.id)
        answer = listener.ask("AnswerIntent", **right_answer(question, "letter"))
    assert len(set(second_round)) == 5
    # the two questions not had yet come first in the rotation; the wrong one is back
    assert set(QUESTIONS[i].id for i in range(7)) - set(first_round) <= set(second_round)
    assert first_round[0] in second_round


# -- mid-quiz requests -----------------------------------------------------------------------------------


@pytest.fixture
def mid_quiz(player):
    """A listener at question 2 of a round, having answered question 1 right."""
    listener = player()
    listener.launch()
    first = listener.ask("QuizIntent")
    answer = listener.ask("AnswerIntent", **right_answer(asked(first.speech), "letter"))
    assert "Question 2 of 5." in answer.speech
    return listener, answer


def test_repeat_asks_the_same_question_again(mid_quiz):
    listener, question = mid_quiz
    again = listener.ask("AMAZON.RepeatIntent")
    assert again.speech.startswith("<speak>Question 2 of 5. ")
    assert asked(again.speech) == asked(question.speech)
    assert again.reprompt == question.reprompt


def test_help_explains_how_to_answer_then_asks_the_question_again_and_wipes_nothing(mid_quiz):
    listener, question = mid_quiz
    helped = listener.ask("AMAZON.HelpIntent")
    assert helped.speech.startswith("<speak>To answer, say the letter, like \"B\"") or \
        helped.speech.startswith("<speak>To answer, just say it.")
    assert "Question 2 of 5." in helped.speech and asked(helped.speech) == asked(question.speech)
    answer = listener.ask("AnswerIntent", **right_answer(asked(helped.speech), "letter"))
    assert "Question 3 of 5." in answer.speech


def test_an_answer_that_is_none_of_the_choices_says_the_choices_again_and_is_not_counted(player):
    listener = player()
    answer = listener.ask("QuizIntent")
    while not asked(answer.speech).letter:          # a question with choices
        answer = listener.ask("SkipIntent")
    question = asked(answer.speech)
    again = listener.ask("AnswerIntent", **answer_slot("a purple elephant"))
    assert again.speech.startswith("<speak>That isn't one of the choices. Is it A: ")
    position = re.search(r"Question (\d) of 5", answer.speech).group(1)
    moved_on = listener.ask("AnswerIntent", **right_answer(question, "words"))
    assert f"Question {int(position) + 1} of 5." in moved_on.speech or ROUND_OVER.search(moved_on.speech)


def test_an_empty_answer_asks_again(mid_quiz):
    listener, _ = mid_quiz
    again = listener.ask("AnswerIntent", answer=slot("answer", None))
    assert again.speech.startswith("<speak>Sorry, I didn't catch your answer. ")
    assert "Question 2 of 5." not in again.speech        # the choices again, not the whole question


def test_a_wrong_free_answer_counts_as_wrong_and_says_the_answer(player):
    listener = player()
    answer = listener.ask("QuizIntent")
    while asked(answer.speech).id != "q-title":
        answer = listener.ask("SkipIntent")
        if ROUND_OVER.search(answer.speech):
            answer = listener.ask("AMAZON.YesIntent")
    wrong = listener.ask("AnswerIntent", **answer_slot("closed book"))
    assert wrong.speech.startswith("<speak>Not quite. The answer was Open Book. ")


def test_skip_moves_on_without_scoring(mid_quiz):
    listener, question = mid_quiz
    skipped = listener.ask("SkipIntent")
    assert skipped.speech.startswith("<speak>Let's skip that one. It'll come back later. Question 3 of 5. ")
    assert asked(skipped.speech) != asked(question.speech)
    assert listener.ask("AMAZON.NextIntent").speech.startswith("<speak>Let's skip that one.")   # "next" skips too


def test_i_dont_know_counts_as_wrong_and_says_the_answer(mid_quiz):
    listener, question = mid_quiz
    known = asked(question.speech)
    told = listener.ask("DontKnowIntent")
    assert told.speech.startswith("<speak>No problem. The answer was ")
    assert known.words in told.speech.split("Question 3 of 5.")[0]


def test_stop_mid_quiz_says_the_score_so_far_and_the_next_session_offers_to_carry_on(mid_quiz):
    listener, question = mid_quiz
    # WHEN they stop at question 2, having got question 1 right
    bye = listener.ask("AMAZON.StopIntent")
    assert bye.speech == "<speak>You've got 1 out of 1 so far. The rest of the round will be waiting for you. " \
                         "Goodbye.</speak>"
    assert bye.ends_session is True
    # THEN the next day's session offers to carry on, and yes asks question 2 again
    listener.wait(days=1)
    welcome = listener.launch()
    assert welcome.speech.endswith("You were on question 2 of 5, shall we carry on?</speak>")
    assert welcome.reprompt == "<speak>Shall we carry on with the quiz, from question 2?</speak>"
    resumed = listener.ask("AMAZON.YesIntent")
    assert resumed.speech.startswith("<speak>Back to the quiz. Question 2 of 5. ")
    assert asked(resumed.speech) == asked(question.speech)


def test_cancel_mid_quiz_keeps_the_round_and_starting_the_quiz_again_resumes_it(mid_quiz):
    listener, question = mid_quiz
    assert listener.ask("AMAZON.CancelIntent").ends_session is True
    resumed = listener.ask("QuizIntent")
    assert resumed.speech.startswith("<speak>Back to the quiz. Question 2 of 5. ")
    assert asked(resumed.speech) == asked(question.speech)


def test_no_to_carrying_on_keeps_the_round_and_asks_what_else(mid_quiz):
    listener, _ = mid_quiz
    listener.ask("AMAZON.StopIntent")
    listener.launch()
    declined = listener.ask("AMAZON.NoIntent")
    assert declined.speech.startswith("<speak>OK, the quiz will wait for you. Would you like a tip")
    assert declined.ends_session is False
    assert "Question 2 of 5." in listener.ask("QuizIntent").speech


@pytest.mark.parametrize("intent", ["TipIntent", "CountdownIntent"])
def test_a_tip_or_the_countdown_mid_quiz_is_answered_then_the_quiz_is_offered_again(mid_quiz, intent):
    listener, question = mid_quiz
    answer = listener.ask(intent)
    assert TIP.search(answer.speech) if intent == "TipIntent" else ("days" in answer.speech)
    assert answer.speech.endswith("Shall we go back to the quiz?</speak>")
    assert answer.reprompt == "<speak>Would you like to go back to question 2 of the quiz?</speak>"
    back = listener.ask("AMAZON.YesIntent")
    assert back.speech.startswith("<speak>Back to the quiz. Question 2 of 5. ")
    assert asked(back.speech) == asked(question.speech)


def test_yes_and_no_answer_a_yes_or_no_question_and_say_the_choices_again_elsewhere(player):
    listener = player()
    answer = listener.ask("QuizIntent")
    seen = set()
    while asked(answer.speech).id != "q-boat":
        seen.add(asked(answer.speech).id)
        # "yes" to a question whose choices are not yes or no is not an answer
        again = listener.ask("AMAZON.YesIntent")
        assert again.speech.startswith("<speak>That isn't one of the choices.") or \
            again.speech.startswith("<speak>Sorry, I didn't catch your answer.")
        answer = listener.ask("SkipIntent")
        if ROUND_OVER.search(answer.speech):
            answer = listener.ask("AMAZON.YesIntent")
    right = listener.ask("AMAZON.YesIntent")
    assert "You got" in right.speech or re.search(r"Question \d of 5", right.speech)
    assert "The answer was" not in right.speech


def test_every_answer_while_the_quiz_runs_ends_on_a_question_with_a_reprompt(mid_quiz):
    listener, _ = mid_quiz
    for intent, slots in [("AMAZON.RepeatIntent", {}), ("AMAZON.HelpIntent", {}), ("AMAZON.FallbackIntent", {}),
                          ("AnswerIntent", answer_slot("nothing like it")), ("SkipIntent", {}),
                          ("DontKnowIntent", {}), ("TipIntent", {}), ("AMAZON.YesIntent", {}),
                          ("AnswerIntent", answer_slot("a")), ("AnswerIntent", answer_slot("b"))]:
        answer = listener.ask(intent, **slots)
        assert answer.ends_session is False, intent
        assert answer.speech.endswith("?</speak>"), (intent, answer.speech)
        assert answer.reprompt.endswith("?</speak>"), (intent, answer.reprompt)


def test_a_round_answered_by_letter_position_and_words_logs_no_warning(player, caplog):
    listener = player()
    listener.launch()
    with caplog.at_level("WARNING"):
        answer = listener.ask("QuizIntent")
        for how in ("letter", "position", "words", "letter", "position"):
            answer = listener.ask("AnswerIntent", **right_answer(asked(answer.speech), how))
    assert "You got 5 out of 5" in answer.speech
    assert [r.getMessage() for r in caplog.records if r.name.startswith("dropday.skill")] == []


def test_words_that_answer_nothing_from_a_listener_who_never_played_are_not_understood(player):
    # The answer slot takes any words ("sing me a song"), so to a newcomer they are the fallback,
    # never an offer of "another round" of a quiz they have not played.
    listener = player()
    listener.launch()
    answer = listener.ask("AnswerIntent", **answer_slot("sing me a song"))
    assert answer.speech.startswith("<speak>Sorry, I didn't get that.")
    assert "another round" not in answer.speech
    assert "the quiz" in answer.speech
    assert answer.ends_session is False


def test_an_answer_after_the_round_is_over_offers_another_round(player):
    listener = player()
    listener.launch()
    play_round(listener, "letter", listener.ask("QuizIntent"))
    listener.ask("AMAZON.NoIntent")
    listener = player(now=FEBRUARY.replace(hour=18))
    listener.launch()
    answer = listener.ask("AnswerIntent", **answer_slot("b", "B"))
    assert answer.speech.startswith("<speak>There's no question waiting for an answer right now.")
    assert answer.speech.endswith("Would you like another round?</speak>")
    assert "Here's the quiz: 5 questions." in listener.ask("AMAZON.YesIntent").speech


def test_the_launch_question_offers_the_quiz(player):
    assert "the quiz" in player().launch().speech


# -- what is stored ---------------------------------------------------------------------------------------


def test_the_round_in_progress_is_stored_compactly(mid_quiz, stored_item):
    quiz = stored_item("amzn1.ask.account.PLAYER")["attributes"]["quiz"]
    assert set(quiz) == {"had", "round", "at", "score", "rounds", "asked"}
    assert len(quiz["round"]) == 5 * 6 and len(quiz["had"]) == 6
    assert (quiz["at"], quiz["score"], quiz["rounds"], quiz["asked"]) == (1, 1, 1, 1)


@pytest.mark.parametrize("intent", ["AMAZON.HelpIntent", "AMAZON.RepeatIntent", "AMAZON.StopIntent",
                                    "AMAZON.CancelIntent", "AMAZON.FallbackIntent"])
def test_help_repeat_stop_and_fallback_mid_quiz_read_and_write_nothing(mid_quiz, dynamodb_calls, intent):
    listener, _ = mid_quiz
    dynamodb_calls.clear()
    listener.ask(intent)
    assert dynamodb_calls == []      # the session carries the state


def test_an_answer_writes_once_without_reading(mid_quiz, dynamodb_calls):
    listener, question = mid_quiz
    dynamodb_calls.clear()
    listener.ask("AnswerIntent", **right_answer(asked(question.speech), "letter"))
    assert dynamodb_calls == ["PutItem"]      # the session carries the state and its version


def test_a_stale_answer_from_a_second_device_is_not_counted_twice(player, stored_item):
    # GIVEN a listener at question 1 on two devices at once (the same stored round)
    kitchen, bedroom = player(), player()
    first = kitchen.ask("QuizIntent")
    resumed = bedroom.ask("QuizIntent")
    assert asked(resumed.speech) == asked(first.speech)
    # WHEN the kitchen answers, then the bedroom answers the same question
    kitchen.ask("AnswerIntent", **right_answer(asked(first.speech), "letter"))
    late = bedroom.ask("AnswerIntent", **right_answer(asked(first.speech), "letter"))
    # THEN the bedroom is moved on to question 2 and the answer counts once
    assert late.speech.startswith("<speak>That question was answered on another device, so let's carry on. "
                                  "Question 2 of 5.")
    quiz = stored_item("amzn1.ask.account.PLAYER")["attributes"]["quiz"]
    assert (quiz["at"], quiz["score"], quiz["asked"]) == (1, 1, 1)


def test_listeners_who_never_play_keep_their_tips_and_countdown(player, stored_item):
    listener = player()
    assert TIP.search(listener.ask("TipIntent").speech)
    assert "days" in listener.ask("CountdownIntent").speech
    assert "quiz" not in stored_item("amzn1.ask.account.PLAYER")["attributes"]


# -- the turn events --------------------------------------------------------------------------------------


def test_quiz_and_daily_turns_write_their_facts_in_the_turn_events(dynamodb_client, quiz_campaign, settings_api):
    import json
    from random import Random

    from dropday.app import create_lambda_handler
    from dropday.config import Settings
    from dropday.metrics import Telemetry

    lines: list[str] = []
    telemetry = Telemetry(quiz_campaign.campaign, "a secret of sixteen characters", write=lines.append)
    skill = create_lambda_handler(Settings(state_table="dropday-test-state", audio_base_url="https://cdn.test"),
                                  quiz_campaign, dynamodb_client, Random(7), telemetry)
    listener = Conversation(skill, now=FEBRUARY, api_endpoint=settings_api.endpoint)
    # WHEN a listener starts the quiz, answers one question right, skips one, then plays today's question
    first = asked(listener.ask("QuizIntent").speech)
    listener.ask("AnswerIntent", **right_answer(first, "letter"))
    listener.ask("SkipIntent")
    listener.ask("DailyQuestionIntent")
    listener.ask("AnswerIntent", **answer_slot("red", "W.red"))
    events = [json.loads(line) for line in lines if line.startswith('{"event":"turn"')]
    # THEN each event says what the turn did, by ids and figures
    assert [e["kind"] for e in events] == ["quiz_start", "quiz_answer", "quiz_skip", "daily_question", "daily_answer"]
    assert events[0]["quiz"] == {"question": first.id, "position": 1, "round": 1, "score": 0, "finished": False}
    assert events[1]["quiz"] == {"question": first.id, "correct": True, "position": 1, "round": 1, "score": 1,
                                 "finished": False}
    assert events[2]["quiz"]["correct"] is False and events[2]["quiz"]["position"] == 2
    assert events[4]["daily"] == {"question": "d-01", "day": 1, "correct": True, "streak": 1, "tally": 1}
