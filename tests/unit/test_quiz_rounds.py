"""Quiz rounds drawn per listener: a rotation of questions not had yet, wrong answers back later."""

from __future__ import annotations

import json
from datetime import date
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from dropday.core.campaign import Localized, Recording, Window
from dropday.core.campaign.quiz import Choice, Question, Quiz
from dropday.core.listener import ListenerState, merged
from dropday.core.quiz_progress import RETRY_AFTER, QuizProgress, answered, draw_round

DAY = date(2027, 2, 1)


def question(number: int, window: Window = Window()) -> Question:
    return Question.keyed(f"q-{number}", Recording(Localized(f"Question {number}?")),
                          (Choice("A", "yes"), Choice("B", "no")), Choice("A", "yes"), window=window)


def quiz_of(count: int, round_length: int = 5) -> Quiz:
    return Quiz(round_length, tuple(question(n) for n in range(count)))


def play(quiz: Quiz, progress: QuizProgress, rng: Random, wrong: set[str] = frozenset()):
    """Draw a round and answer it (the keys in `wrong` wrongly); the round's keys and the progress after."""
    progress = draw_round(quiz, DAY, progress, rng)
    drawn = progress.round
    for key in drawn:
        assert progress.current == key
        progress = answered(progress, key not in wrong)
    return drawn, progress


def test_a_round_draws_round_length_different_questions_and_starts_at_the_first():
    progress = draw_round(quiz_of(12), DAY, QuizProgress(), Random(1))
    assert len(progress.round) == len(set(progress.round)) == 5
    assert (progress.at, progress.score, progress.rounds) == (0, 0, 1) and progress.in_round


def test_rounds_go_through_every_question_before_any_comes_again():
    quiz, progress, rng = quiz_of(12), QuizProgress(), Random(2)
    first, progress = play(quiz, progress, rng)
    second, progress = play(quiz, progress, rng)
    third, progress = play(quiz, progress, rng)
    assert len(set(first + second)) == 10
    assert set(first + second) | set(third) == {q.key for q in quiz.questions}   # the last two, then a new rotation
    assert progress.rotation == 1


def test_a_question_answered_wrong_comes_back_a_few_questions_later_in_the_next_round():
    quiz, rng = quiz_of(12), Random(3)
    first, progress = play(quiz, QuizProgress(), rng, wrong=set())
    missed = first[4]
    first, progress = play(quiz, QuizProgress(), Random(3), wrong={missed})
    assert progress.again == {missed: 5 + RETRY_AFTER}
    second = draw_round(quiz, DAY, progress, rng).round
    assert second.index(missed) == RETRY_AFTER          # 5 answered, due after 8: the fourth of round two


def test_the_score_best_and_perfect_rounds_are_kept_when_a_round_ends():
    quiz = quiz_of(6)
    drawn, progress = play(quiz, QuizProgress(), Random(4))
    assert (progress.best, progress.perfect, progress.in_round, progress.round) == (5, 1, False, ())
    drawn, progress = play(quiz, progress, Random(4), wrong={q.key for q in quiz.questions})
    assert (progress.best, progress.perfect, progress.score) == (5, 1, 0)


def test_questions_outside_their_window_are_never_drawn_and_short_days_give_short_rounds():
    quiz = Quiz(5, (question(0), question(1, Window(date(2027, 3, 1))), question(2), question(3, Window(None, DAY))))
    progress = draw_round(quiz, DAY, QuizProgress(), Random(5))
    assert sorted(progress.round) == sorted(q.key for q in (quiz.questions[0], quiz.questions[2], quiz.questions[3]))
    assert draw_round(Quiz(5, (question(9, Window(date(2027, 3, 1))),)), DAY, QuizProgress(), Random(5)) == \
        QuizProgress()


def test_progress_survives_storage_and_forgets_removed_questions():
    quiz = quiz_of(8)
    progress = draw_round(quiz, DAY, QuizProgress(), Random(6))
    progress = answered(answered(progress, True), False)
    assert QuizProgress.from_dict(json.loads(json.dumps(progress.to_dict()))) == progress
    smaller = Quiz(5, tuple(q for q in quiz.questions if q.key != progress.round[0]))
    fitted = progress.fitted(smaller)
    assert fitted.round == progress.round[1:] and fitted.at == 1 and progress.round[0] not in fitted.had
    assert QuizProgress.from_dict({"round": 5, "at": "x", "again": {"short": 1, "abcdef": "2"}}) == \
        QuizProgress(again={"abcdef": 2})


def test_two_devices_answering_the_same_question_merge_to_one_answer():
    quiz = quiz_of(8)
    base = draw_round(quiz, DAY, QuizProgress(), Random(7))
    mine, theirs = answered(base, True), answered(base, True)
    together = merged(ListenerState(quiz=base), ListenerState(quiz=mine), ListenerState(quiz=theirs)).quiz
    assert (together.at, together.score, together.asked) == (1, 1, 1)


@st.composite
def quizzes(draw):
    """Up to 14 questions (some only on some days) in rounds of 1 to 6, and a day to play on."""
    count = draw(st.integers(1, 14))
    windows = [draw(st.sampled_from([Window(), Window(date(2027, 2, 10)), Window(None, date(2027, 2, 5))]))
               for _ in range(count)]
    return Quiz(draw(st.integers(1, 6)), tuple(question(n, w) for n, w in enumerate(windows)))


@settings(max_examples=150, deadline=None)
@given(quiz=quizzes(), day_offset=st.integers(0, 20), seed=st.integers(0, 10_000),
       answers=st.lists(st.booleans(), min_size=1, max_size=60))
def test_rounds_never_repeat_a_question_and_wrong_answers_return_only_after_a_gap(quiz, day_offset, seed, answers):
    day = date(2027, 2, 1 + day_offset)
    available = {q.key for q in quiz.available(day)}
    rng, progress = Random(seed), QuizProgress()
    asked: list[str] = []                     # every question in the order it was asked
    wrong_at: dict[str, int] = {}             # question -> how many had been asked when it was answered wrong
    fresh_rotation: set[str] = set()          # questions asked in the current rotation, retries apart
    plenty = len(available) >= quiz.round_length + RETRY_AFTER
    for right in answers:
        if not progress.in_round:
            before = progress.rotation
            progress = draw_round(quiz, day, progress, rng)
            if not available:
                assert not progress.in_round
                return
            drawn = progress.round
            # a round: the round length (or every question available), all different, all available
            assert len(drawn) == min(quiz.round_length, len(available)) == len(set(drawn))
            assert set(drawn) <= available
            if progress.rotation != before:
                fresh_rotation = set()
        key = progress.current
        if key in wrong_at:   # a question answered wrong comes back only after RETRY_AFTER others, when
            if plenty:        # there are enough others to fill the rounds meanwhile
                assert len(asked) - wrong_at[key] >= RETRY_AFTER
            del wrong_at[key]
        elif key in fresh_rotation:
            raise AssertionError("a question came back in its rotation without having been answered wrong")
        fresh_rotation.add(key)
        asked.append(key)
        progress = answered(progress, right)
        if not right:
            wrong_at[key] = len(asked)
        # the stored part stays bounded by the questions
        assert len(progress.had) <= len(quiz.questions) and len(progress.again) <= len(quiz.questions)
